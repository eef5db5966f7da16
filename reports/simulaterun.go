package reports

import (
	"fmt"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/lmi"
)

// SimulateGrids are the human views of a `lambdacost simulate` run of
// scenario s (nil when not known): the result's grids
// (simulationRunGrids), the mode the engine ran in, the assumptions as and,
// for CSV, the timeline.
func SimulateGrids(r *simulator.Result, s *simulator.Scenario, as pricing.Assumptions, csv bool) []Grid {
	grids := simulationRunGrids(r, s)
	grids = append(grids, modeGrid(r))
	grids = append(grids, AssumptionsGrid(as)...)
	if csv {
		grids = append(grids, timelineGrid(r))
	}
	return grids
}

// simulationRunGrids are the human views of a result: reports' summary and
// bill (the same tables as `report` and the HTML page), then what only a
// fresh run has: the async retries of an async scenario and, with
// --analytic, the model next to the simulation. s may be nil.
func simulationRunGrids(r *simulator.Result, s *simulator.Scenario) []Grid {
	grids := SimulationGrids(r)
	if s != nil && s.Traffic.Invocation == simulator.Async && r.Retries == 0 && r.DroppedEvents == 0 && r.PendingRetries == 0 {
		// An async scenario that needed no retries still says so.
		grids = append(grids, Grid{Title: "Async invocations", Header: []string{"Metric", "Value"}, AlignRight: map[int]bool{1: true},
			Rows: [][]string{{"Retries", "0"}, {"Events dropped", "0"}, {"Retries pending at the end", "0"}}})
	}
	return grids
}

// modeGrid says which engine produced the result, its validated error
// bound, and the assumptions behind the numbers.
func modeGrid(r *simulator.Result) Grid {
	mode := r.Mode
	if r.Partial {
		mode += " (PARTIAL: interrupted)"
	}
	g := Grid{Title: "Mode", Header: []string{"Item", "Value"},
		Rows: [][]string{{"Mode", mode}, {"Validated error bound", fmt.Sprintf("%g %%", r.ModeErrorPct)}, {"About the mode", r.ModeNote}}}
	if r.DiscardedWarmupS > 0 {
		g.Rows = append(g.Rows, []string{"Warm-up discarded", fmt.Sprintf("%g s", r.DiscardedWarmupS)})
	}
	g.Rows = append(g.Rows, []string{"Rate throttles (10 × concurrency quota)", fmt.Sprint(r.RateThrottles)},
		[]string{"Concurrency throttles", fmt.Sprint(r.ConcurrencyThrottles)})
	if r.Analytic != nil {
		g.Rows = append(g.Rows, []string{"Analytic model", r.Analytic.Note})
	}
	if fit := r.DurationFit; fit != nil {
		for _, row := range fit.Rows {
			g.Rows = append(g.Rows, []string{"Duration fit " + row.Stat, fmt.Sprintf("dataset %.4g ms, fitted %.4g ms, sampled %.4g ms (%.2g %%)", row.DatasetMs, row.FittedMs, row.SampledMs, row.ErrorPct)})
		}
	}
	return g
}

// timelineGrid is the timeline as a table (for CSV).
func timelineGrid(r *simulator.Result) Grid {
	g := Grid{Title: "Timeline", Header: []string{"t_s", "arrivals", "cold_starts", "throttles", "concurrency_max", "environments"}}
	f := func(v float64) string { return fmt.Sprint(v) }
	for _, b := range r.Timeline {
		g.Rows = append(g.Rows, []string{f(b.TS), f(b.Arrivals), f(b.ColdStarts), f(b.Throttles), f(b.ConcurrencyMax), f(b.Environments)})
	}
	return g
}

// LMISimulationGrids are the human views of a scenario's Lambda Managed
// Instances run on instanceType: its metrics, the bill of the simulated
// span (b) with its assumptions and, for CSV, the timeline.
func LMISimulationGrids(instanceType string, r *lmi.Result, b *pricing.LMIBill, csv bool) []Grid {
	g := Grid{Title: fmt.Sprintf("Lambda Managed Instances · %s · %s simulated", instanceType, r.Span), Header: []string{"Metric", "Value"}, AlignRight: map[int]bool{1: true}}
	g.Rows = [][]string{
		{"Requests offered", Numf(r.Requests, 0)},
		{"Accepted", Numf(r.Accepted, 0)},
		{"Throttles (concurrency)", Numf(r.ConcurrencyThrottles, 0)},
		{"Throttles (CPU)", Numf(r.CPUThrottles, 0)},
		{"Cold starts", "0 (environments start ahead of traffic)"},
		{"Mean duration", r.MeanDuration.Round(time.Microsecond).String()},
		{"Max instances", fmt.Sprint(r.MaxInstances)},
		{"Instance-hours", Numf(r.InstanceHours, 3)},
		{"Mean CPU utilisation", Percent(r.MeanCPUUtilization)},
	}
	grids := []Grid{g, CostLinesGrid("Lambda Managed Instances: bill of the simulated span", b.Cost)}
	grids = append(grids, AssumptionsGrid(b.Assumptions)...)
	if csv {
		tl := Grid{Title: "LMI timeline", Header: []string{"t_s", "offered_rps", "accepted_rps", "environments", "instances", "cpu_utilization", "concurrency_throttles", "cpu_throttles"}}
		f := func(v float64) string { return fmt.Sprint(v) }
		for _, p := range r.Series {
			tl.Rows = append(tl.Rows, []string{f(p.T.Seconds()), f(p.OfferedRPS), f(p.AcceptedRPS), fmt.Sprint(p.Environments), fmt.Sprint(p.Instances), f(p.CPUUtilization), f(p.ConcurrencyThrottles), f(p.CPUThrottles)})
		}
		grids = append(grids, tl)
	}
	return grids
}
