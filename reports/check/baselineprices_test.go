package check

import (
	"path/filepath"
	"strings"
	"testing"
)

// A baseline priced with another price table (an older lambdacost, or a
// table refreshed with pricing --update since) makes an increase mix the
// change under review with the change of the prices: checkout-api's +50 %
// is the 2M → 3M requests only when both sides use the same prices. The
// checks compared with such a baseline list it (baseline.prices_date:
// the baseline's date and this run's); with the same prices they do not.
func TestRunBaselineOtherPrices(t *testing.T) {
	for _, tc := range []struct {
		date string
		want bool
	}{{"2025-01-01", true}, {"", false}} {
		base := baselineOf(t, filepath.Join(testdata, "base.yaml"))
		if tc.date != "" {
			base.PricesDate = tc.date
		}
		r := mustRun(t, filepath.Join(testdata, "pr.yaml"), Options{Baseline: base, BaselinePath: "base.json"})
		c := r.Checks[0]
		if c.Name != "checkout-api" || c.Thresholds[1].Metric != "monthly_cost_increase_pct" {
			t.Fatalf("check %s, threshold %s", c.Name, c.Thresholds[1].Metric)
		}
		found := false
		for _, a := range c.Assumptions {
			if a.Field == "baseline.prices_date" {
				found = true
				if !strings.HasPrefix(a.Value, tc.date) || !strings.Contains(a.Value, r.PricesDate) {
					t.Errorf("assumption %+v, want the baseline's %s and this run's %s", a, tc.date, r.PricesDate)
				}
			}
		}
		if found != tc.want {
			t.Errorf("baseline priced %q, run priced %s: listed %v, want %v (%+v)", base.PricesDate, r.PricesDate, found, tc.want, c.Assumptions)
		}
	}
}
