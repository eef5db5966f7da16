package infra

import (
	"fmt"
	"math"

	"github.com/lambdacost/lambdacost/pricing"
)

// DatasetUsage gives functions the usage a dataset (`collect`, `import`)
// observed, matched by function name and projected to a 730-hour month
// (pricing.UsageFileFromDataset), cold starts included. Provisioned
// concurrency configured in the code is billed for the whole month (listed
// as an assumption); it serves every invocation when it covers the
// dataset's peak concurrency, else the invocations stay on demand (listed).
type DatasetUsage struct {
	Path   string
	byName map[string]pricing.UsageEntry
	peak   map[string]float64
	// Assumptions are the projection's (the window scaled to a month, the
	// functions left out and why).
	Assumptions pricing.Assumptions
}

// NewDatasetUsage projects d (read from path) to a month.
func NewDatasetUsage(path string, d *pricing.Dataset) (*DatasetUsage, error) {
	uf, as, err := pricing.UsageFileFromDataset(d)
	if err != nil {
		return nil, err
	}
	du := &DatasetUsage{Path: path, byName: map[string]pricing.UsageEntry{}, peak: map[string]float64{}, Assumptions: as}
	for _, e := range uf.Functions {
		du.byName[e.Name] = e
	}
	for i := range d.Functions {
		f := &d.Functions[i]
		p := f.Summary.ConcurrencyMax
		if f.Series != nil {
			for _, x := range f.Series.ConcurrencyMax {
				p = math.Max(p, x)
			}
		}
		du.peak[f.Name] = p
	}
	return du, nil
}

// Usage returns the observed usage of the function named f.Config.Name.
func (du *DatasetUsage) Usage(f *Function) FunctionUsage {
	fu := FunctionUsage{From: "dataset " + du.Path}
	e, ok := du.byName[f.Config.Name]
	if f.Config.Name == "" || !ok {
		why := fmt.Sprintf("no function named %q in dataset %s", f.Config.Name, du.Path)
		if f.Config.Name == "" {
			why = "the function's name is not known, so it cannot be matched to dataset " + du.Path
		}
		fu.Missing = append(fu.Missing, why)
		return fu
	}
	u := e.Usage
	u.ProvisionedRequests, u.ProvisionedHours, u.ProvisionedDuration = 0, 0, 0
	fu.OnDemand = u
	if u.ColdStartRate > 0 {
		fu.Assumptions.Add(pricing.Assumption{Field: f.Address + ".init_duration", Value: u.InitDuration.String(),
			Why: "the dataset's INIT time, on both sides: a memory change that makes INIT shorter or longer is not modelled; cold starts are the dataset's rate"})
	}
	peak := du.peak[f.Config.Name]
	for i, p := range f.Provisioned {
		pu := ProvisionedUsage{Hours: pricing.HoursPerMonth}
		fu.Assumptions.Add(pricing.Assumption{Field: p.Address, Value: fmt.Sprintf("%d h", pricing.HoursPerMonth), Why: "provisioned concurrency bills for as long as it is configured: a 730-hour month"})
		switch {
		case i == 0 && len(f.Provisioned) == 1 && !p.Unknown && peak > 0 && float64(p.Concurrency) >= peak:
			// Lambda sends invocations to provisioned environments first;
			// with at least as many as the observed peak, none spill over
			// to on-demand environments, so none start cold.
			pu.Requests, pu.Duration = u.Requests, u.Duration
			fu.OnDemand = pricing.Usage{}
			fu.Assumptions.Add(pricing.Assumption{Field: p.Address, Value: "serves every invocation, no cold starts",
				Why: fmt.Sprintf("its %d environments cover the dataset's peak concurrency of %g (invocations through its qualifier %s)", p.Concurrency, peak, p.Qualifier)})
		case i == 0:
			fu.Assumptions.Add(pricing.Assumption{Field: p.Address, Value: "serves no invocation (an upper bound)",
				Why: fmt.Sprintf("its %d environments do not cover the dataset's peak concurrency (%g) or the function has several configurations: the invocations are priced on demand with their cold starts; simulate the split with a scenario", p.Concurrency, peak)})
		}
		fu.Provisioned = append(fu.Provisioned, pu)
	}
	return fu
}
