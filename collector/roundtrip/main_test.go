package roundtrip

import (
	"os"
	"testing"

	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

func TestMain(m *testing.M) {
	// The round-trip test runs the runner's built-in functions, which
	// re-execute this test binary as their bootstrap.
	builtin.MaybeRun()
	os.Exit(m.Run())
}
