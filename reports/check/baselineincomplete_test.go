package check

import (
	"math"
	"path/filepath"
	"strings"
	"testing"
)

// An increase against a baseline value measured on incomplete data (the
// baseline's check said so: its thresholds all failed then) compares with
// a number that was not all collected: checkout-api's +50 % would be an
// artefact of what the baseline missed. The threshold fails as incomplete
// (no value), and the check says the baseline's data was incomplete —
// as a threshold on incomplete data of this run does. With a complete
// baseline it is the hand-derived +50 % (TestRunBaseline).
func TestRunBaselineIncomplete(t *testing.T) {
	base := baselineOf(t, filepath.Join(testdata, "base.yaml"))
	if base.Checks[0].Name != "checkout-api" {
		t.Fatalf("baseline's first check %s", base.Checks[0].Name)
	}
	base.Checks[0].Incomplete = "the dataset is incomplete (checkout-api lacks series.invocations): a threshold cannot pass on values that were not collected"
	r := mustRun(t, filepath.Join(testdata, "pr.yaml"), Options{Baseline: base, BaselinePath: "base.json"})
	c := r.Checks[0]
	inc := c.Thresholds[1]
	if inc.Metric != "monthly_cost_increase_pct" {
		t.Fatalf("threshold %s", inc.Metric)
	}
	if inc.Passed || !inc.Incomplete || !math.IsNaN(inc.Value) {
		t.Errorf("increase against an incomplete baseline: %+v", inc)
	}
	if !strings.Contains(c.Incomplete, "base.json") || !strings.Contains(c.Incomplete, "lacks series.invocations") {
		t.Errorf("check's incomplete %q does not name the baseline's gap", c.Incomplete)
	}
	if r.Passed {
		t.Error("the report passed")
	}
	// The check's own thresholds on this run's complete data still hold.
	if abs := c.Thresholds[0]; !abs.Passed || abs.Incomplete {
		t.Errorf("this run's own threshold: %+v", abs)
	}
}
