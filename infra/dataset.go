package infra

import (
	"fmt"

	"github.com/lambdacost/lambdacost/pricing"
)

// DatasetUsage gives functions the usage a dataset (`collect`, `import`)
// observed, matched by function name and projected to a 730-hour month
// (pricing.UsageFileFromDataset). Provisioned concurrency configured in the
// code is billed for the whole month (listed as an assumption).
type DatasetUsage struct {
	Path   string
	byName map[string]pricing.UsageEntry
	names  []string
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
	du := &DatasetUsage{Path: path, byName: map[string]pricing.UsageEntry{}, Assumptions: as}
	for _, e := range uf.Functions {
		du.byName[e.Name] = e
		du.names = append(du.names, e.Name)
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
	// The dataset's provisioned invocations are served by the code's
	// provisioned concurrency when it has some; otherwise on demand.
	preq := u.ProvisionedRequests
	u.ProvisionedRequests, u.ProvisionedHours, u.ProvisionedDuration = 0, 0, 0
	if len(f.Provisioned) == 0 {
		preq = 0
	} else {
		u.Requests -= preq
	}
	fu.OnDemand = u
	if u.ColdStartRate > 0 {
		fu.Assumptions.Add(pricing.Assumption{Field: f.Address + ".init_duration", Value: u.InitDuration.String(),
			Why: "the dataset's INIT time, on both sides: a memory change that makes INIT shorter or longer is not modelled; cold starts are the dataset's rate"})
	}
	for i, p := range f.Provisioned {
		pu := ProvisionedUsage{Hours: pricing.HoursPerMonth}
		if i == 0 {
			pu.Requests, pu.Duration = preq, e.Usage.Duration
		}
		fu.Provisioned = append(fu.Provisioned, pu)
		fu.Assumptions.Add(pricing.Assumption{Field: p.Address, Value: fmt.Sprintf("%d h", pricing.HoursPerMonth), Why: "provisioned concurrency bills for as long as it is configured: a 730-hour month"})
	}
	return fu
}
