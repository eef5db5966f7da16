package pricing

import (
	"fmt"
	"math"
	"time"
)

// UsageFileFromDataset writes the usage file that prices d's functions at
// their observed traffic, projected from the dataset window to a 730-hour
// month (in the spirit of infracost's usage-file sync): requests, the mean
// duration, the cold-start rate and mean INIT, and the configuration the
// dataset knows. Functions with uncollected values or an unknown memory size
// are left out (they are named in the returned assumptions), and so is
// everything when the dataset has no window to project from.
func UsageFileFromDataset(d *Dataset) (*UsageFile, Assumptions, error) {
	span := d.Span()
	if span <= 0 {
		return nil, nil, Inputf("--dataset", "the dataset has no time window, so its traffic cannot be projected to a month")
	}
	k := float64(SecondsPerMonth) / span.Seconds()
	var as Assumptions
	as.Add(Assumption{Field: "month", Value: fmt.Sprintf("%d h", HoursPerMonth),
		Why: fmt.Sprintf("the dataset's %s window is scaled ×%.4g, as if its traffic repeated", span.Round(time.Second), k)})
	u := &UsageFile{Region: d.Region}
	for i := range d.Functions {
		f := &d.Functions[i]
		switch {
		case f.Incomplete():
			as.Add(Assumption{Field: "functions[" + f.Name + "]", Value: "left out", Why: "some of its values were not collected: " + fmt.Sprint(f.Missing)})
			continue
		case f.Unknown("memory_mb"):
			as.Add(Assumption{Field: "functions[" + f.Name + "]", Value: "left out", Why: "its memory size is not known: collect its configuration or import with --memory"})
			continue
		}
		s := f.Summary
		e := UsageEntry{FunctionConfig: f.FunctionConfig}
		e.Requests = int64(math.Round(float64(s.Invocations) * k))
		e.Duration = Duration(time.Duration(math.Round(s.DurationMs.Avg * float64(time.Millisecond))))
		if s.Invocations > 0 && (!f.Measured("summary.cold_starts") || !f.Measured("summary.init_duration_ms")) {
			// Not measured is not "no cold starts": say the file leaves
			// INIT out rather than write a rate of 0 as if observed.
			as.Add(Assumption{Field: "functions[" + f.Name + "].cold_start_rate", Value: "not measured",
				Why: "the dataset's source does not measure cold starts or INIT (not_measured): the function has no cold_start_rate, so its INIT (billed since 2025-08-01) is not priced; add cold_start_rate and init_duration if you know them"})
		} else if s.Invocations > 0 && s.ColdStarts > 0 {
			e.ColdStartRate = float64(s.ColdStarts) / float64(s.Invocations)
			e.InitDuration = Duration(time.Duration(math.Round(s.InitDurationMs.Avg * float64(time.Millisecond))))
		}
		switch pu := f.ProvisionedUse(span); pu.Source {
		case PCFromSeries:
			// One level and its hours, for the env-seconds the series
			// measured: the highest level, for the hours that give the
			// same provisioned GB-s (to the 5-minute rounding).
			e.ProvisionedConcurrency = pu.MaxLevel
			e.ProvisionedHours = float64(pu.EnvSeconds) * k / float64(pu.MaxLevel) / 3600
			e.ProvisionedRequests = int64(math.Round(float64(s.ProvisionedInvocations) * k))
			as.Add(Assumption{Field: "functions[" + f.Name + "].provisioned_hours", Value: fmt.Sprintf("%d × %.4g h", pu.MaxLevel, e.ProvisionedHours),
				Why: pu.Describe() + "; written as the highest level for the hours that give the same provisioned GB-s a month"})
		case PCFromConfiguration:
			e.ProvisionedHours = HoursPerMonth
			e.ProvisionedRequests = int64(math.Round(float64(s.ProvisionedInvocations) * k))
		}
		if f.Unknown("architecture") {
			as.Add(Assumption{Field: "functions[" + f.Name + "].architecture", Value: string(f.Architecture), Why: "not in the dataset: Lambda's default; edit the file if it runs on the other"})
		}
		u.Functions = append(u.Functions, e)
	}
	if len(u.Functions) == 0 {
		return nil, as, Inputf("--dataset", "no function of the dataset can be projected (see the reasons above)")
	}
	return u, as, nil
}
