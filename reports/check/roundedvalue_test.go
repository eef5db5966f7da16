package check

import "testing"

// A value that passes or fails its threshold by less than the table's
// rounding must not read as the bound itself: $249.996 passes "< 250" and
// $250.004 fails it, but both print as $250.00, which reads as failing
// and passing "< 250" the wrong way round. Such a value is shown with the
// digits that decide (as many as it has); values clear of the bound keep
// the usual rounding.
func TestThresholdValueRoundingNearTheBound(t *testing.T) {
	for _, tc := range []struct {
		metric, expr string
		value        float64
		want         string
	}{
		{MonthlyCostUSD, "< 250", 249.996, "$249.996"},
		{MonthlyCostUSD, "< 250", 250.004, "$250.004"},
		{MonthlyCostUSD, "< 250", 120.004, "$120.00"},
		{LatencyP99Ms, "< 800", 799.96, "799.96 ms"},
		{"monthly_cost_increase_pct", "< 10", 9.96, "+9.96%"},
		{ColdStartRate, "< 0.01", 0.0099996, "0.99996%"},
	} {
		e, err := ParseExpr(tc.metric, tc.expr)
		if err != nil {
			t.Fatal(err)
		}
		got := thresholdValue(ThresholdResult{Metric: tc.metric, Expression: e.String(), Value: tc.value, Passed: e.Holds(tc.value)})
		if got != tc.want {
			t.Errorf("%s %s at %v: %q, want %q", tc.metric, tc.expr, tc.value, got, tc.want)
		}
	}
}
