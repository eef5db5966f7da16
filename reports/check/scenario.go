package check

import (
	"context"

	"github.com/lambdacost/lambdacost/pricing"
)

// scenario simulates a traffic scenario. Wired to package simulator once
// its API lands.
func (e env) scenario(_ context.Context, c *Check) (values, error) {
	return values{}, pricing.Inputf(c.Pos, "%s: scenario sources are not available in this build yet", c.Name)
}
