package pricing

import (
	"fmt"
	"math"
	"slices"
)

// maxExactCount is the largest count a float64 series value holds exactly
// (2^53); a series value beyond it cannot be a real count of invocations.
const maxExactCount = 1 << 53

// checkValues returns every problem with the numbers of d's functions, each
// naming its JSON path: negative or non-finite counts and durations,
// percentiles out of order, series values that no real count can have, and
// a function listed twice. A dataset is read by report, compare, check,
// recommend and simulate, and a number that cannot be real must never be
// priced.
func (d *Dataset) checkValues(path string) []error {
	var errs []error
	bad := func(where, format string, a ...any) {
		errs = append(errs, Inputf(path+": "+where, format, a...))
	}
	seen := make(map[string]int, len(d.Functions))
	for i := range d.Functions {
		f := &d.Functions[i]
		at := fmt.Sprintf("functions[%d]", i)
		// A merged dataset holds functions of several accounts and regions:
		// the same name in two of them is two functions.
		key := f.Account + "\x00" + f.Region + "\x00" + f.Name
		if j, ok := seen[key]; ok && f.Name != "" {
			bad(at+".name", "function %q is listed twice (also functions[%d]); merge its data into one entry", f.Name, j)
		} else {
			seen[key] = i
		}
		s := &f.Summary
		for _, c := range []struct {
			name string
			v    int64
		}{
			{"invocations", s.Invocations}, {"errors", s.Errors}, {"throttles", s.Throttles},
			{"timeouts", s.Timeouts}, {"cold_starts", s.ColdStarts},
			{"billed_duration_ms", s.BilledDurationMs}, {"provisioned_invocations", s.ProvisionedInvocations},
			{"init_unbilled_ms", s.InitUnbilledMs},
			{"provisioned_spillover_invocations", s.ProvisionedSpilloverInvocations}, {"async_events_dropped", s.AsyncEventsDropped},
			{"dead_letter_errors", s.DeadLetterErrors},
		} {
			if c.v < 0 {
				bad(at+".summary."+c.name, "must not be negative (got %d)", c.v)
			}
		}
		if s.MaxMemoryUsedMB < 0 {
			bad(at+".summary.max_memory_used_mb", "must not be negative (got %d)", s.MaxMemoryUsedMB)
		}
		if s.ProvisionedInvocations > s.Invocations && s.Invocations >= 0 && !slices.Contains(f.Missing, "summary.invocations") {
			bad(at+".summary.provisioned_invocations", "%d is more than the %d invocations", s.ProvisionedInvocations, s.Invocations)
		}
		for _, c := range []struct {
			name string
			v    float64
		}{
			{"billed_gb_seconds", s.BilledGBSeconds}, {"concurrency_max", s.ConcurrencyMax},
			{"init_duration_ms.avg", s.InitDurationMs.Avg}, {"init_duration_ms.p99", s.InitDurationMs.P99},
			{"provisioned_concurrent_executions_max", s.ProvisionedConcurrentExecutionsMax}, {"provisioned_utilization_max", s.ProvisionedUtilizationMax},
			{"post_runtime_extensions_duration_ms", s.PostRuntimeExtensionsDurationMs}, {"async_event_age_max_ms", s.AsyncEventAgeMaxMs},
			{"iterator_age_max_ms", s.IteratorAgeMaxMs},
		} {
			if math.IsNaN(c.v) || math.IsInf(c.v, 0) || c.v < 0 {
				bad(at+".summary."+c.name, "must be a non-negative number (got %v)", c.v)
			}
		}
		checkDurations(at+".summary.duration_ms", s.DurationMs, bad)
		for k, m := range s.ByMemory {
			mat := fmt.Sprintf("%s.summary.by_memory[%d]", at, k)
			if m.MemoryMB < MinMemoryMB || m.MemoryMB > MaxMemoryMB {
				bad(mat+".memory_mb", "%d MB is outside Lambda's %d–%d MB", m.MemoryMB, MinMemoryMB, MaxMemoryMB)
			}
			if m.Invocations < 0 || m.ColdStarts < 0 || m.BilledDurationMs < 0 || m.InitBilledMs < 0 {
				bad(mat, "counts and durations must not be negative")
			}
			if m.InitBilledMs > m.BilledDurationMs {
				bad(mat+".init_billed_ms", "%d ms is more than the %d billed ms it is part of", m.InitBilledMs, m.BilledDurationMs)
			}
		}
		if sr := f.Series; sr != nil {
			for _, c := range []struct {
				name string
				v    []float64
			}{
				{"invocations", sr.Invocations}, {"duration_avg_ms", sr.DurationAvgMs},
				{"concurrency_max", sr.ConcurrencyMax}, {"errors", sr.Errors}, {"throttles", sr.Throttles},
				{"provisioned_concurrent_executions", sr.ProvisionedConcurrentExecutions},
				{"provisioned_concurrency_utilization", sr.ProvisionedConcurrencyUtilization},
			} {
				for k, v := range c.v {
					if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > maxExactCount {
						bad(fmt.Sprintf("%s.series.%s[%d]", at, c.name, k), "must be a non-negative number up to 2^53 (got %v)", v)
						break // one message per series
					}
				}
			}
		}
	}
	return errs
}

// checkDurations checks a duration summary: every value non-negative and
// finite, and the percentiles in order (p50 ≤ p90 ≤ p99 ≤ max, avg ≤ max).
// A zero percentile is "not known" (older datasets and metrics without
// percentiles) and is not ordered.
func checkDurations(at string, d DurationSet, bad func(where, format string, a ...any)) {
	vals := []struct {
		name string
		v    float64
	}{{"avg", d.Avg}, {"p50", d.P50}, {"p90", d.P90}, {"p99", d.P99}, {"max", d.Max}}
	ok := true
	for _, c := range vals {
		if math.IsNaN(c.v) || math.IsInf(c.v, 0) || c.v < 0 {
			bad(at+"."+c.name, "must be a non-negative number of ms (got %v)", c.v)
			ok = false
		}
	}
	if !ok {
		return
	}
	prev, prevName := 0.0, ""
	for _, c := range vals[1:] {
		if c.v == 0 {
			continue
		}
		if c.v < prev {
			bad(at+"."+c.name, "%s %v ms is below %s %v ms", c.name, c.v, prevName, prev)
		}
		prev, prevName = c.v, c.name
	}
	if d.Max > 0 && d.Avg > d.Max*(1+1e-9) {
		bad(at+".avg", "avg %v ms is above max %v ms", d.Avg, d.Max)
	}
}
