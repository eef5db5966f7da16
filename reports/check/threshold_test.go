package check

import (
	"math"
	"strings"
	"testing"
)

func TestParseExpr(t *testing.T) {
	for _, tc := range []struct {
		metric, in string
		want       Expr
		err        string // substring of the error; "" = no error
	}{
		{MonthlyCostUSD, "< 250", Expr{Less, 250}, ""},
		{MonthlyCostUSD, "<250", Expr{Less, 250}, ""},
		{MonthlyCostUSD, "  <=  2.5 ", Expr{LessEqual, 2.5}, ""},
		{Throttles, "== 0", Expr{Equal, 0}, ""},
		{Throttles, "!= 3", Expr{NotEqual, 3}, ""},
		{PeakConcurrency, "> 10", Expr{Greater, 10}, ""},
		{PeakConcurrency, ">= 1e3", Expr{GreaterEqual, 1000}, ""},
		{MonthlyCostUSD, "< 1_000", Expr{Less, 1000}, ""},
		{"monthly_cost_increase_pct", "< -5", Expr{Less, -5}, ""},
		{"monthly_cost_increase_pct", "< 10%", Expr{Less, 10}, ""},
		{MonthlyCostUSD, "", Expr{}, "empty"},
		{MonthlyCostUSD, "250", Expr{}, "does not start with an operator"},
		{Throttles, "= 0", Expr{}, "did you mean"},
		{Throttles, "=< 0", Expr{}, "did you mean"},
		{MonthlyCostUSD, "<", Expr{}, "no number"},
		{MonthlyCostUSD, "< abc", Expr{}, "not a finite number"},
		{MonthlyCostUSD, "< NaN", Expr{}, "not a finite number"},
		{MonthlyCostUSD, "< Inf", Expr{}, "not a finite number"},
		{MonthlyCostUSD, "< $250", Expr{}, "currency"},
		{ColdStartRate, "< 1%", Expr{}, "write 1% as 0.01"},
		{LatencyP99Ms, "< 800%", Expr{}, "not a percentage"},
		{LatencyP99Ms, "< 800ms", Expr{}, "not a finite number"},
		{MonthlyCostUSD, "<< 3", Expr{}, "not a finite number"},
	} {
		got, err := ParseExpr(tc.metric, tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseExpr(%q, %q) error = %v, want one containing %q", tc.metric, tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseExpr(%q, %q) = %v, %v; want %v", tc.metric, tc.in, got, err, tc.want)
		}
	}
}

func TestExprHolds(t *testing.T) {
	inf, nan := math.Inf(1), math.NaN()
	for _, tc := range []struct {
		e    Expr
		v    float64
		want bool
	}{
		{Expr{Less, 250}, 249.99, true},
		{Expr{Less, 250}, 250, false},
		{Expr{LessEqual, 250}, 250, true},
		{Expr{LessEqual, 250}, 250.01, false},
		{Expr{Greater, 0}, 0, false},
		{Expr{Greater, 0}, 0.001, true},
		{Expr{GreaterEqual, 0}, 0, true},
		{Expr{Equal, 0}, 0, true},
		{Expr{Equal, 0}, 1, false},
		{Expr{NotEqual, 0}, 1, true},
		{Expr{NotEqual, 0}, 0, false},
		{Expr{Less, 10}, inf, false}, // an increase from zero fails "< 10"
		{Expr{Greater, 10}, inf, true},
		{Expr{Less, 10}, nan, false}, // NaN never holds
		{Expr{NotEqual, 10}, nan, false},
		{Expr{LessEqual, 2.73}, 2.73, true}, // the same decimal parses to the same double
	} {
		if got := tc.e.Holds(tc.v); got != tc.want {
			t.Errorf("%v holds for %v = %v, want %v", tc.e, tc.v, got, tc.want)
		}
	}
}

func TestExprString(t *testing.T) {
	for in, want := range map[string]string{"<250": "< 250", "<=0.01": "<= 0.01", "== 0": "== 0", ">= 1e3": ">= 1000"} {
		e, err := ParseExpr(MonthlyCostUSD, in)
		if err != nil || e.String() != want {
			t.Errorf("ParseExpr(%q).String() = %q, %v; want %q", in, e.String(), err, want)
		}
	}
}

func TestParseMetric(t *testing.T) {
	for _, tc := range []struct {
		key      string
		base     string
		increase bool
		ok       bool
	}{
		{"monthly_cost_usd", MonthlyCostUSD, false, true},
		{"monthly_cost_increase_pct", MonthlyCostUSD, true, true}, // the spec's name
		{"monthly_cost_usd_increase_pct", MonthlyCostUSD, true, true},
		{"latency_p99_increase_pct", LatencyP99Ms, true, true},
		{"latency_p99_ms_increase_pct", LatencyP99Ms, true, true},
		{"cold_start_rate_increase_pct", ColdStartRate, true, true},
		{"throttles_increase_pct", Throttles, true, true},
		{"cost_per_million_increase_pct", CostPerMillion, true, true},
		{"peak_concurrency", PeakConcurrency, false, true},
		{"latency_p95_ms", "", false, false},
		{"memory_increase_pct", "", false, false},
		{"", "", false, false},
	} {
		base, inc, ok := ParseMetric(tc.key)
		if ok != tc.ok || ok && (base != tc.base || inc != tc.increase) {
			t.Errorf("ParseMetric(%q) = %q, %v, %v; want %q, %v, %v", tc.key, base, inc, ok, tc.base, tc.increase, tc.ok)
		}
	}
	if got := len(MetricNames()); got != 18 {
		t.Errorf("MetricNames has %d names, want 9 base + 9 increases", got)
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		got, want string
	}{
		{FormatValue(MonthlyCostUSD, 312.4), "$312.40"},
		{FormatValue(MonthlyCostUSD, 1234.5), "$1,234.50"},
		{FormatValue(MonthlyCostUSD, 0.004), "$0.004"},
		{FormatValue(CostPerMillion, 3.200006), "$3.2000"},
		{FormatValue(ColdStartRate, 0.0123), "1.23%"},
		{FormatValue(ThrottleRate, 0), "0%"},
		{FormatValue(LatencyP99Ms, 812.34), "812.3 ms"},
		{FormatValue(Throttles, 3), "3"},
		{FormatValue("monthly_cost_increase_pct", 25), "+25.0%"},
		{FormatValue("monthly_cost_increase_pct", math.Inf(1)), "+∞%"},
		{FormatPct(-3.04), "-3.0%"},
		{FormatPct(0.01), "0.0%"},
		{FormatChange(MonthlyCostUSD, -62.4), "-$62.40"},
		{FormatChange(ColdStartRate, 0.001), "+0.1 pp"},
		{FormatChange(LatencyP99Ms, 0), "0 ms"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}
