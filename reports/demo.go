package reports

import (
	"fmt"

	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// PipelinePage puts the whole pipeline on one page (`lambdacost demo`): a
// function measured at several memory sizes, a traffic spike simulated with
// those measurements, and the same traffic priced on always-on servers.
// Any of the three may be nil.
func PipelinePage(title string, tune *runner.TuneResult, sim *simulator.Result, s *simulator.Scenario, cmp *fleet.Result) *Page {
	p := &Page{Title: title}
	add := func(step string, part *Page) {
		for i, sec := range part.Sections {
			if i == 0 {
				sec.Title = step + " · " + sec.Title
				if sec.Text == "" {
					sec.Text = part.Subtitle
				} else {
					sec.Text = part.Subtitle + ". " + sec.Text
				}
			}
			p.Sections = append(p.Sections, sec)
		}
		p.Notes = append(p.Notes, part.Notes...)
	}
	if tune != nil {
		if rec := tune.Recommendation; rec != nil {
			p.Facts = append(p.Facts, Fact{Label: "Measured: best memory", Value: fmt.Sprintf("%d MB", rec.MemoryMB),
				Detail: fmt.Sprintf("%s ms warm p50 · %s per million", Numf(rec.DurationMs, 0), USDf(rec.CostPerMillionUSD))})
		}
		p.Subtitle = fmt.Sprintf("%s measured in the local runner at %d memory sizes", tuneFunction(tune), len(tune.Results))
		add("1. Measured", TunePage(tune))
	}
	if sim != nil {
		p.Facts = append(p.Facts,
			Fact{Label: "Spike: cold-start rate", Value: Numf(sim.ColdStartRate*100, 2) + "%", Detail: fmt.Sprintf("%s cold starts, peak %d concurrent", Numf(float64(sim.ColdStarts), 0), sim.PeakConcurrency)},
			Fact{Label: "Spike: latency p99", Value: Numf(sim.LatencyMs.P99, 0) + " ms", Detail: Numf(float64(sim.Throttles), 0) + " throttled"},
		)
		add("2. Simulated", SimulationPage(sim, s))
	}
	if cmp != nil {
		lam := cmp.Lambda.Arch(cmp.Lambda.Architecture)
		p.Facts = append(p.Facts,
			Fact{Label: "Lambda per month", Value: USDf(lam.MonthlyCostUSD), Detail: string(cmp.Lambda.Architecture) + ", at this traffic all month"},
			Fact{Label: "EC2 per month", Value: USDf(cmp.EC2.MonthlyCostUSD), Detail: fmt.Sprintf("%d × %s", cmp.EC2.Instances, cmp.EC2.InstanceType)},
			Fact{Label: "Break-even vs EC2", Value: shortBreakeven(cmp.BreakevenRequestsPerMonth), Detail: breakevenDetail(cmp.BreakevenRequestsPerMonth)},
		)
		add("3. Compared", ComparePage(cmp))
	}
	if p.Subtitle == "" && sim != nil {
		p.Subtitle = simSubtitle(sim)
	}
	p.Notes = dedupe(p.Notes)
	return p
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
