package pricing

import (
	"fmt"
	"math"
	"time"
)

// Where the provisioned concurrency of a dataset function's bill comes from.
const (
	// PCFromSeries: the level configured in each period, read from the
	// collected ProvisionedConcurrentExecutions and
	// ProvisionedConcurrencyUtilization series.
	PCFromSeries = "series"
	// PCFromConfiguration: the function's configured level (at collection
	// time), taken as enabled for the whole window.
	PCFromConfiguration = "configuration"
)

// ProvisionedUse is the provisioned concurrency a dataset function paid
// for over its window, and how that was found.
//
// CloudWatch has no metric of the provisioned concurrency configured, but
// it publishes, per minute in which provisioned environments served
// invocations, ProvisionedConcurrentExecutions (environments busy) and
// ProvisionedConcurrencyUtilization (busy ÷ configured). Where both have a
// value the configured level of that period is their ratio, rounded to the
// nearest integer (both are Maximum statistics, so the ratio is exact when
// the level did not change within the period and one alias or version has
// provisioned concurrency). Lambda publishes neither metric in a minute
// without provisioned invocations, so the level of an idle period is not
// measured: it is carried from the last measured period (the first one
// for the periods before it), as if the configuration had not changed.
type ProvisionedUse struct {
	// Source is PCFromSeries, PCFromConfiguration or "" (none billed).
	Source string
	// EnvSeconds is the billed provisioned concurrency × seconds enabled
	// over the window: Σ level × period, the series' span rounded up to
	// 5 minutes at the last level (AWS bills PC from enabling to disabling,
	// rounded up to 5 minutes); or configured level × the window rounded
	// up to 5 minutes.
	EnvSeconds int64
	// PeriodS and Levels are the period and the level billed per period
	// (PCFromSeries only).
	PeriodS int
	Levels  []int
	// Measured and Carried count the periods whose level was measured
	// (both metrics present) and carried over an idle period.
	Measured, Carried int
	// MinLevel and MaxLevel are the lowest and highest levels billed.
	MinLevel, MaxLevel int
	// Configured is the function's configured provisioned concurrency.
	Configured int
}

// ProvisionedUse returns the provisioned concurrency f paid for over a
// window of length span: from its series when they measure a level,
// else from its configuration (when it has provisioned concurrency
// configured and span > 0), else none.
func (f *DatasetFunction) ProvisionedUse(span time.Duration) ProvisionedUse {
	pu := ProvisionedUse{Configured: f.ProvisionedConcurrency}
	if s := f.Series; s != nil && s.PeriodS > 0 && len(s.ProvisionedConcurrentExecutions) > 0 && len(s.ProvisionedConcurrencyUtilization) == len(s.ProvisionedConcurrentExecutions) {
		n := len(s.ProvisionedConcurrentExecutions)
		levels := make([]int, n)
		first := -1
		for i := range n {
			busy, util := s.ProvisionedConcurrentExecutions[i], s.ProvisionedConcurrencyUtilization[i]
			if busy > 0 && util > 0 {
				levels[i] = int(math.Round(busy / util))
				pu.Measured++
				if first < 0 {
					first = i
				}
			} else {
				levels[i] = -1
			}
		}
		if first >= 0 {
			last := levels[first]
			for i := range n {
				if levels[i] < 0 {
					levels[i] = last
					pu.Carried++
				}
				last = levels[i]
			}
			pu.Source, pu.PeriodS, pu.Levels = PCFromSeries, s.PeriodS, levels
			pu.MinLevel, pu.MaxLevel = levels[0], levels[0]
			for _, l := range levels {
				pu.EnvSeconds += int64(l) * int64(s.PeriodS)
				pu.MinLevel, pu.MaxLevel = min(pu.MinLevel, l), max(pu.MaxLevel, l)
			}
			spanS := int64(n) * int64(s.PeriodS)
			billed := ProvisionedSeconds(time.Duration(spanS) * time.Second)
			pu.EnvSeconds += int64(levels[n-1]) * (billed - spanS)
			return pu
		}
	}
	if f.ProvisionedConcurrency > 0 && span > 0 {
		pu.Source = PCFromConfiguration
		pu.MinLevel, pu.MaxLevel = f.ProvisionedConcurrency, f.ProvisionedConcurrency
		pu.EnvSeconds = int64(f.ProvisionedConcurrency) * ProvisionedSeconds(span)
	}
	return pu
}

// hours is the span the series covers in hours (PCFromSeries).
func (pu ProvisionedUse) hours(periods int) float64 {
	return float64(periods) * float64(pu.PeriodS) / 3600
}

// Value is the level billed, for the assumptions ("4", "4–10").
func (pu ProvisionedUse) Value() string {
	if pu.MaxLevel != pu.MinLevel {
		return fmt.Sprintf("%d–%d", pu.MinLevel, pu.MaxLevel)
	}
	return fmt.Sprint(pu.MinLevel)
}

// Describe says in one sentence what the bill used, for the assumptions.
func (pu ProvisionedUse) Describe() string {
	switch pu.Source {
	case PCFromSeries:
		s := fmt.Sprintf("level %s billed from the collected series: %s h measured (ProvisionedConcurrentExecutions ÷ ProvisionedConcurrencyUtilization per %d s period)",
			pu.Value(), fmtHours(pu.hours(pu.Measured)), pu.PeriodS)
		if pu.Carried > 0 {
			s += fmt.Sprintf(", %s h without provisioned invocations (CloudWatch publishes no value then) billed at the last measured level", fmtHours(pu.hours(pu.Carried)))
		}
		if pu.Configured != pu.MaxLevel || pu.Configured != pu.MinLevel {
			s += fmt.Sprintf("; the configuration read at collection says %d", pu.Configured)
		}
		return s
	case PCFromConfiguration:
		return "from the function configuration, taken as enabled for the whole window (and month): no ProvisionedConcurrencyUtilization series measured the level and hours configured"
	}
	return ""
}

func fmtHours(h float64) string {
	if h == math.Trunc(h) {
		return fmt.Sprint(int64(h))
	}
	return fmt.Sprintf("%.4g", h)
}
