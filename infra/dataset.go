package infra

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
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
	// Window is the dataset's time window (0: none).
	Window time.Duration
	// Tunes, when set, give each side's duration and INIT at its memory.
	Tunes *Tunes
	// months are each function's month factors over a window longer than
	// a month (pricing.Dataset.MonthFactors), by name; byMonth is set when
	// every function the usage file has got them.
	months  map[string][3][]float64
	byMonth bool
	// sim replays the dataset's traffic for the functions whose
	// provisioned concurrency the change adds, removes or resizes
	// (Simulate); simWhy says why a function's traffic cannot be replayed.
	sim    *ScenarioUsage
	simWhy map[string]string
}

// Simulate prepares the functions of p whose provisioned concurrency
// differs between base and head: their dataset traffic (its invocation
// series, duration and INIT statistics: simulator.ScenarioFromDataset) is
// simulated with each side's configuration, so the cold starts provisioned
// concurrency removes and the invocations that spill over when it is
// below the peak are priced, on both sides alike. A function the dataset
// cannot replay (no series, no INIT statistics) keeps the observed usage,
// with the reason listed.
func (du *DatasetUsage) Simulate(ctx context.Context, p *Plan, prices *pricing.PriceTable, region string) {
	du.simWhy = map[string]string{}
	sc := map[string]*simulator.Scenario{}
	for _, name := range pcChanged(p) {
		if _, ok := du.byName[name]; !ok {
			continue
		}
		data, err := simulator.ScenarioFromDataset(du.Path, name)
		if err == nil {
			var s *simulator.Scenario
			if s, err = simulator.ParseScenario(du.Path, data); err == nil {
				sc[name] = s
				continue
			}
		}
		du.simWhy[name] = err.Error()
	}
	if len(sc) > 0 {
		du.sim = NewScenarioUsage(ctx, sc, du.Tunes, prices, region)
	}
}

// pcChanged lists the names of the functions whose provisioned
// concurrency differs between base and head.
func pcChanged(p *Plan) []string {
	pcs := map[string][2]string{}
	var names []string
	for side, fs := range [][]Function{p.Base, p.Head} {
		for i := range fs {
			f := &fs[i]
			if f.Config.Name == "" {
				continue
			}
			v, ok := pcs[f.Config.Name]
			if !ok {
				names = append(names, f.Config.Name)
				v = [2]string{"none", "none"}
			}
			v[side] = pcString(f, "?")
			pcs[f.Config.Name] = v
		}
	}
	var out []string
	for _, n := range names {
		if v := pcs[n]; v[0] != v[1] {
			out = append(out, n)
		}
	}
	return out
}

// ByMonth reports whether the dataset's window is longer than a month and
// every function's series splits it, so that each month is billed on its
// own (FunctionUsage.Months).
func (du *DatasetUsage) ByMonth() bool { return du.byMonth }

// TimesPerSide reports whether each side's times are its own (a tune
// result gives them).
func (du *DatasetUsage) TimesPerSide() bool { return du.Tunes != nil }

// NewDatasetUsage projects d (read from path) to a month.
func NewDatasetUsage(path string, d *pricing.Dataset) (*DatasetUsage, error) {
	uf, as, err := pricing.UsageFileFromDataset(d)
	if err != nil {
		return nil, err
	}
	du := &DatasetUsage{Path: path, byName: map[string]pricing.UsageEntry{}, peak: map[string]float64{}, Assumptions: as, Window: d.Span(),
		months: map[string][3][]float64{}}
	for _, e := range uf.Functions {
		du.byName[e.Name] = e
	}
	du.byMonth = d.WindowMonths() != nil
	for i := range d.Functions {
		f := &d.Functions[i]
		if _, ok := du.byName[f.Name]; ok && du.byMonth {
			if sec, req, ms, ok := d.MonthFactors(f); ok {
				du.months[f.Name] = [3][]float64{sec, req, ms}
			} else {
				du.byMonth = false
			}
		}
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
	if du.sim != nil && du.sim.lookup(f) != nil {
		su := du.sim.Usage(f)
		su.From = "dataset " + du.Path + " (its traffic simulated)"
		return su
	}
	u := e.Usage
	u.ProvisionedRequests, u.ProvisionedHours, u.ProvisionedDuration = 0, 0, 0
	if why, ok := du.simWhy[f.Config.Name]; ok {
		fu.Assumptions.Add(pricing.Assumption{Field: f.Address + ".simulation", Value: "not simulated",
			Why: "its provisioned concurrency changes, but the dataset's traffic cannot be replayed: " + why})
	}
	tt, tuned, tuneWhy := du.Tunes.times(f)
	switch {
	case tuned:
		u.Duration = msDuration(tt.point.DurationMs.Mean)
		init := "the dataset's INIT (the tune result has none at this size)"
		if tt.hasInit {
			u.InitDuration = msDuration(tt.point.InitDurationMs.Mean)
			init = "INIT mean " + u.InitDuration.String()
		}
		fu.Assumptions.Add(pricing.Assumption{Field: f.Address + ".duration@" + fmt.Sprint(f.Config.MemoryMB), Value: fmt.Sprintf("tune %s at %d MB: duration mean %s, %s", tt.path, f.Config.MemoryMB, u.Duration, init),
			Why: "the function's times at this side's memory are the tune result's mean, replacing the dataset's; requests and the cold-start rate stay the dataset's" + tt.archNote})
	case u.ColdStartRate > 0:
		why := "the dataset's INIT time, on both sides: a memory change that makes INIT shorter or longer is not modelled (give a tune result); cold starts are the dataset's rate"
		if tuneWhy != "" {
			why = tuneWhy + ": " + why
		}
		fu.Assumptions.Add(pricing.Assumption{Field: f.Address + ".init_duration", Value: u.InitDuration.String(), Why: why})
	case tuneWhy != "":
		fu.Assumptions.Add(pricing.Assumption{Field: f.Address + ".duration", Value: "the dataset's", Why: tuneWhy})
	}
	fu.OnDemand = u
	if mf, ok := du.months[f.Config.Name]; ok && du.byMonth {
		// The window's months, split by the function's series: billed
		// one by one (priceSide), as the dataset's bill is.
		at := 0.0
		for m, sec := range mf[0] {
			fu.Months = append(fu.Months, pricing.MonthUsage{StartS: at, Seconds: sec, Usage: u.Billed(0).ScaleMonth(mf[1][m], mf[2][m])})
			at += sec
		}
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
			fu.OnDemand, fu.Months = pricing.Usage{}, nil
			fu.Assumptions.Add(pricing.Assumption{Field: p.Address, Value: "serves every invocation, no cold starts",
				Why: fmt.Sprintf("its %d environments cover the dataset's peak concurrency of %g (invocations through its qualifier %s)", p.Concurrency, peak, p.Qualifier)})
		case i == 0:
			fu.Assumptions.Add(pricing.Assumption{Field: p.Address, Value: "serves no invocation (an upper bound)",
				Why: fmt.Sprintf("its %d environments do not cover the dataset's peak concurrency (%g) or the function has several configurations, and the change does not alter it (a change is simulated): the invocations are priced on demand with their cold starts", p.Concurrency, peak)})
		}
		fu.Provisioned = append(fu.Provisioned, pu)
	}
	return fu
}
