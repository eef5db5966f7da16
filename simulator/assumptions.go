package simulator

import (
	"fmt"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// MonthlyAssumptions lists what a simulation's monthly figures assume that
// the scenario does not say: the simulated span repeated to fill a
// 730-hour month (a warning when the span is too short for that),
// provisioned concurrency enabled all month, and no free tier. Every
// consumer of a Result's monthly figures (simulate, check, serve) lists
// them.
func MonthlyAssumptions(s *Scenario, r *Result) pricing.Assumptions {
	var as pricing.Assumptions
	if r.SimulatedSeconds > 0 {
		k := float64(pricing.SecondsPerMonth) / r.SimulatedSeconds
		span := time.Duration(r.SimulatedSeconds * float64(time.Second))
		why := fmt.Sprintf("the simulated %s is scaled ×%.4g to a 730-hour month, as if the traffic repeated", span, k)
		if span < pricing.TinyWindow {
			why = "WARNING: " + why + "; a span this short makes the monthly figures a guess"
		}
		as.Add(pricing.Assumption{Field: "month", Value: fmt.Sprintf("%d h", pricing.HoursPerMonth), Why: why})
	}
	if pc := s.Function.ProvisionedConcurrency; pc > 0 {
		as.Add(pricing.Assumption{Field: "function.provisioned_concurrency", Value: fmt.Sprint(pc), Why: "enabled for the whole month"})
	}
	as.Add(pricing.Assumption{Field: "free_tier", Value: "not applied", Why: "a simulation prices one function, not the account"})
	return as
}
