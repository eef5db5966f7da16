package check

import (
	"math"
	"strconv"
	"strings"

	"github.com/lambdacost/lambdacost/reports"
)

// The metrics a threshold can name. Money is USD per 730-hour month; rates
// are fractions between 0 and 1; latencies are milliseconds including INIT
// on cold invocations.
const (
	MonthlyCostUSD   = "monthly_cost_usd"
	CostPerMillion   = "cost_per_million_usd"
	ColdStartRate    = "cold_start_rate"
	Throttles        = "throttles"
	ThrottleRate     = "throttle_rate"
	LatencyP50Ms     = "latency_p50_ms"
	LatencyP90Ms     = "latency_p90_ms"
	LatencyP99Ms     = "latency_p99_ms"
	PeakConcurrency  = "peak_concurrency"
	IncreaseSuffix   = "_increase_pct"
	metricUnitUSD    = "usd"
	metricUnitRate   = "rate"
	metricUnitMs     = "ms"
	metricUnitCount  = "count"
	metricUnitPct    = "pct"
	metricUnitPerMil = "usd_per_million"
)

// MetricInfo describes one base metric.
type MetricInfo struct {
	Name  string // e.g. "monthly_cost_usd"
	Label string // for people: "Monthly cost"
	unit  string
}

// Metrics lists the base metrics in display order. Each also has an
// increase metric (IncreaseName), evaluated against a baseline.
var Metrics = []MetricInfo{
	{MonthlyCostUSD, "Monthly cost", metricUnitUSD},
	{CostPerMillion, "Cost per million requests", metricUnitPerMil},
	{ColdStartRate, "Cold-start rate", metricUnitRate},
	{Throttles, "Throttles", metricUnitCount},
	{ThrottleRate, "Throttle rate", metricUnitRate},
	{LatencyP50Ms, "Latency p50", metricUnitMs},
	{LatencyP90Ms, "Latency p90", metricUnitMs},
	{LatencyP99Ms, "Latency p99", metricUnitMs},
	{PeakConcurrency, "Peak concurrency", metricUnitCount},
}

func metricInfo(name string) (MetricInfo, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return MetricInfo{}, false
}

// IncreaseName is the name of a base metric's increase against the
// baseline: the base name without its unit suffix (_usd, _ms) plus
// "_increase_pct", e.g. monthly_cost_increase_pct, latency_p99_increase_pct.
func IncreaseName(base string) string {
	stem := strings.TrimSuffix(strings.TrimSuffix(base, "_usd"), "_ms")
	return stem + IncreaseSuffix
}

// ParseMetric splits a threshold key into its base metric and whether it is
// an increase against the baseline. ok is false for an unknown name. An
// increase may also be written with the unit (monthly_cost_usd_increase_pct).
func ParseMetric(key string) (base string, increase bool, ok bool) {
	if _, ok := metricInfo(key); ok {
		return key, false, true
	}
	if !strings.HasSuffix(key, IncreaseSuffix) {
		return key, false, false
	}
	for _, m := range Metrics {
		if key == IncreaseName(m.Name) || key == m.Name+IncreaseSuffix {
			return m.Name, true, true
		}
	}
	return key, true, false
}

// MetricNames lists every name a threshold may use, base metrics first.
func MetricNames() []string {
	var out []string
	for _, m := range Metrics {
		out = append(out, m.Name)
	}
	for _, m := range Metrics {
		out = append(out, IncreaseName(m.Name))
	}
	return out
}

// Label names a metric (base or increase) for people.
func Label(key string) string {
	base, inc, ok := ParseMetric(key)
	if !ok {
		return key
	}
	m, _ := metricInfo(base)
	if inc {
		return m.Label + " increase"
	}
	return m.Label
}

// FormatValue renders a metric value for tables: money in dollars, rates as
// percentages (as k6 prints its rate metrics), latencies in ms.
func FormatValue(key string, v float64) string {
	base, inc, _ := ParseMetric(key)
	if inc {
		return FormatPct(v)
	}
	m, _ := metricInfo(base)
	return formatUnit(m.unit, v)
}

// FormatChange renders after − before for a base metric, with a sign.
func FormatChange(key string, d float64) string {
	m, _ := metricInfo(key)
	s := formatUnit(m.unit, math.Abs(d))
	if m.unit == metricUnitRate {
		// A change of a rate is in percentage points, not to be confused
		// with the relative change in the % column.
		s = reports.Numf(math.Abs(d)*100, 3) + " pp"
	}
	switch {
	case d > 0:
		return "+" + s
	case d < 0:
		return "-" + s
	}
	return s
}

// FormatPct renders a percentage change with a sign ("+12.5%"); +Inf (an
// increase from zero) is "+∞%".
func FormatPct(p float64) string {
	switch {
	case math.IsInf(p, 1):
		return "+∞%"
	case math.IsInf(p, -1):
		return "-∞%"
	case math.IsNaN(p):
		return "n/a"
	}
	s := strconv.FormatFloat(math.Abs(p), 'f', 1, 64) + "%"
	switch {
	case p > 0 && s != "0.0%":
		return "+" + s
	case p < 0 && s != "0.0%":
		return "-" + s
	}
	return "0.0%"
}

func formatUnit(unit string, v float64) string {
	switch unit {
	case metricUnitUSD, metricUnitPerMil:
		if v != 0 && math.Abs(v) < 0.01 {
			return "$" + strconv.FormatFloat(v, 'g', 3, 64)
		}
		if unit == metricUnitPerMil && math.Abs(v) < 100 {
			return "$" + strconv.FormatFloat(v, 'f', 4, 64)
		}
		return reports.USDf(v)
	case metricUnitRate:
		return reports.Numf(v*100, 3) + "%"
	case metricUnitMs:
		return reports.Numf(v, 1) + " ms"
	default:
		return reports.Numf(v, 2)
	}
}
