package fleet

import (
	"fmt"
	"math"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// DefaultCPUFraction is the CPU share assumed when nothing was measured: the
// vCPU share Lambda gives the function's memory (1 vCPU at 1,769 MB), at
// most 1. A request can never have used more CPU than that on Lambda, so
// the fleet is given as much per request as Lambda gave it.
func DefaultCPUFraction(memoryMB int) float64 {
	return math.Min(1, pricing.VCPUForMemory(memoryMB))
}

// DefaultMemoryPerRequestMB is the memory assumed per in-flight request: the
// measured maximum when known, else the function's configured memory (what
// its Lambda environment had).
func DefaultMemoryPerRequestMB(fc pricing.FunctionConfig, maxUsedMB int) float64 {
	if maxUsedMB > 0 {
		return float64(maxUsedMB)
	}
	return float64(fc.WithDefaults().MemoryMB)
}

// DatasetInput builds the comparison input for one function of a dataset:
// its usage projected to a 730-hour month, its mean duration, the peak
// request rate and the traffic profile of its series (the mean rate when
// there is no series, with a note). Workload assumptions (CPU fraction,
// memory per request) take the defaults above; callers may override them.
func DatasetInput(d *pricing.Dataset, f *pricing.DatasetFunction, region string) (Input, []string) {
	var notes []string
	fc := f.FunctionConfig.WithDefaults()
	u := d.MonthlyUsage(f)
	w := Workload{
		MonthlyRequests:    float64(u.Requests),
		Duration:           time.Duration(f.Summary.DurationMs.Avg * float64(time.Millisecond)),
		CPUFraction:        DefaultCPUFraction(fc.MemoryMB),
		MemoryPerRequestMB: DefaultMemoryPerRequestMB(fc, f.Summary.MaxMemoryUsedMB),
	}
	memoryNotMeasured := !f.Measured("summary.max_memory_used_mb")
	if s := f.Series; s != nil && s.PeriodS > 0 && len(s.Invocations) > 0 {
		w.ProfileInterval = time.Duration(s.PeriodS) * time.Second
		w.Profile = make([]float64, len(s.Invocations))
		for i, n := range s.Invocations {
			w.Profile[i] = n / float64(s.PeriodS)
			w.PeakRPS = math.Max(w.PeakRPS, w.Profile[i])
		}
	} else {
		notes = append(notes, fmt.Sprintf("%s: the dataset has no time series, so the peak rate is taken as the mean rate", f.Name))
	}
	if w.PeakRPS < w.MeanRPS() {
		// Series averaged over periods can sit a little below the month's
		// mean when the window is not a whole number of periods.
		w.PeakRPS = w.MeanRPS()
	}
	if s := f.Series; s != nil && s.PeriodS > 0 && len(s.Invocations) > 0 {
		// The fleet is sized for the busiest period's mean rate: what
		// happens within a period is not in the series.
		note := fmt.Sprintf("%s: the peak rate %.3g req/s is the busiest %d-second period's average; bursts within a period are not seen", f.Name, w.PeakRPS, s.PeriodS)
		peakConc := 0.0
		for _, c := range s.ConcurrencyMax {
			peakConc = math.Max(peakConc, c)
		}
		if little := w.PeakRPS * w.Duration.Seconds(); peakConc > 0 && peakConc > little {
			note += fmt.Sprintf(" (the dataset's peak concurrency was %.0f; this rate × the mean duration is %.2g in flight)", peakConc, little)
		}
		notes = append(notes, note)
	}
	if region == "" {
		region = d.Region
	}
	return Input{Region: region, Name: f.Name, Function: fc, Usage: u, Workload: w, MemoryNotMeasured: memoryNotMeasured}, notes
}
