package reports

import (
	"fmt"
	"io"
	"strconv"

	"github.com/lambdacost/lambdacost/simulator/runner"
)

// tuneDurations returns the durations a tune point is judged by: modelled
// when the CPU share could not be enforced on this machine, else measured.
func tuneDurations(p runner.TunePoint) runner.Percentiles {
	if p.ModelledDurationMs != nil {
		return *p.ModelledDurationMs
	}
	return p.DurationMs
}

func tuneBasis(r *runner.TuneResult) string {
	if r.Basis == "modelled" {
		return "modelled durations (this machine could not enforce Lambda's CPU share; see the notes)"
	}
	return "measured durations"
}

func tuneFunction(r *runner.TuneResult) string {
	switch {
	case r.Function != "":
		return r.Function
	case r.Builtin != "":
		return r.Builtin
	}
	return r.Handler
}

// TuneGrids renders a memory sweep as a terminal table, one row per size,
// the recommended size marked.
func TuneGrids(r *runner.TuneResult) []Grid {
	g := Grid{
		Title:      fmt.Sprintf("Memory sweep · %s · %s · %d invocations per size (first cold) · %s", tuneFunction(r), r.Architecture, r.Count, tuneBasis(r)),
		Header:     []string{"Memory MB", "vCPU", "Status", "p50 ms", "p90 ms", "p99 ms", "Mean ms", "INIT ms", "Max mem MB", "Cost per invocation", "Cost per million", ""},
		AlignRight: map[int]bool{0: true, 1: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true},
	}
	for _, p := range r.Results {
		d := tuneDurations(p)
		mark := ""
		if r.Recommendation != nil && r.Recommendation.MemoryMB == p.MemoryMB {
			mark = "← " + r.Recommendation.Strategy
		}
		if p.Status != "ok" {
			g.Rows = append(g.Rows, []string{fmt.Sprint(p.MemoryMB), Numf(p.VCPU, 2), p.Status, "", "", "", "", "", "", "", "", p.Failure})
			continue
		}
		g.Rows = append(g.Rows, []string{fmt.Sprint(p.MemoryMB), Numf(p.VCPU, 2), p.Status,
			Numf(d.P50, 1), Numf(d.P90, 1), Numf(d.P99, 1), Numf(d.Mean, 1), Numf(p.InitDurationMs.P50, 1),
			fmt.Sprint(p.MaxMemoryUsedMB), fmt.Sprintf("$%.10f", p.CostPerInvocationUSD), USDf(p.CostPerMillionUSD), mark})
	}
	if rec := r.Recommendation; rec != nil {
		// The footer repeats the recommended size's own figures under their
		// own headers (the recommendation's duration is its p50, not a mean).
		g.Footer = []string{fmt.Sprint(rec.MemoryMB), "", "recommended", Numf(rec.DurationMs, 1), "", "", "", "", "", "", USDf(rec.CostPerMillionUSD), rec.Strategy}
		for _, p := range r.Results {
			if p.MemoryMB == rec.MemoryMB && p.Status == "ok" {
				d := tuneDurations(p)
				g.Footer[3], g.Footer[4], g.Footer[5], g.Footer[6] = Numf(d.P50, 1), Numf(d.P90, 1), Numf(d.P99, 1), Numf(d.Mean, 1)
				break
			}
		}
	}
	return append([]Grid{g}, AssumptionsGrid(r.Assumptions)...)
}

// TunePage builds the HTML page of a memory sweep.
func TunePage(r *runner.TuneResult) *Page {
	p := &Page{
		Title:    "Memory sweep: " + tuneFunction(r),
		Subtitle: fmt.Sprintf("%s · %s · %d invocations per memory size, the first cold · %s", r.Architecture, r.Region, r.Count, tuneBasis(r)),
	}
	if rec := r.Recommendation; rec != nil {
		p.Facts = append(p.Facts,
			Fact{Label: "Recommended memory", Value: fmt.Sprintf("%d MB", rec.MemoryMB), Detail: "strategy: " + rec.Strategy},
			Fact{Label: "Duration there", Value: Numf(rec.DurationMs, 0) + " ms", Detail: "warm, p50"},
			Fact{Label: "Cost per million", Value: USDf(rec.CostPerMillionUSD), Detail: "requests + compute + INIT"},
		)
		if rec.Reason != "" {
			p.Notes = append(p.Notes, "Why: "+rec.Reason)
		}
	}
	p.Sections = []Section{{
		Title:  "Cost and duration vs memory",
		Text:   "More memory buys a proportional CPU share (1 vCPU at 1,769 MB): a CPU-bound function gets faster, and up to a point no more expensive. Bars are the cost per million invocations; lines are the warm durations.",
		Charts: []Chart{tuneChart("cost-vs-memory", r)},
		Tables: []HTMLTable{TableFromGrid(TuneGrids(r)[0])},
	}}
	p.Sections[0].Tables[0].Title = "Every memory size"
	p.Notes = append(p.Notes,
		tuneMixNote(r),
		"Each invocation is billed rounded up to the millisecond; cold invocations also bill their INIT duration.")
	if r.Basis == "modelled" {
		p.Notes = append(p.Notes, "The CPU share was not enforced here (no cgroup v2 CPU controller), so durations are modelled from the measured CPU time and Lambda's share at each size; measured values are in the JSON.")
	}
	return p
}

// tuneChart draws cost per million (bars) and p50/p99 duration (lines)
// against memory; the recommended size is marked with a check.
func tuneChart(id string, r *runner.TuneResult) Chart {
	var cats []string
	var cost, p50, p99 []float64
	for _, p := range r.Results {
		name := fmt.Sprintf("%d MB", p.MemoryMB)
		if r.Recommendation != nil && r.Recommendation.MemoryMB == p.MemoryMB {
			name += " ✓"
		}
		cats = append(cats, name)
		if p.Status != "ok" {
			cost, p50, p99 = append(cost, 0), append(p50, 0), append(p99, 0)
			continue
		}
		d := tuneDurations(p)
		cost, p50, p99 = append(cost, p.CostPerMillionUSD), append(p50, d.P50), append(p99, d.P99)
	}
	return xyChart(xySpec{
		ID: id, Title: "Cost per million invocations and duration by memory size", Subtitle: "✓ recommended (" + recommendedStrategy(r) + ")", Height: 420,
		X: axisSpec{Name: "memory", Type: "category", Data: cats},
		Y: []axisSpec{{Name: "USD per million invocations", Fmt: "usdAxis"}, {Name: "duration (ms)", Fmt: "numAxis"}},
		Series: []seriesSpec{
			{Name: "Cost per million", Kind: "bar", Values: cost, Fmt: "usd", Color: colorX86},
			{Name: "Duration p50", Values: p50, YAxis: 1, Fmt: "ms", Color: colorEC2, Symbols: true},
			{Name: "Duration p99", Values: p99, YAxis: 1, Fmt: "ms", Color: colorThrottl, Symbols: true, Dashed: true},
		},
	})
}

func recommendedStrategy(r *runner.TuneResult) string {
	if r.Recommendation == nil {
		return "none: every size failed"
	}
	return "strategy " + r.Recommendation.Strategy
}

// WriteTuneHTML writes the HTML report of a memory sweep.
func WriteTuneHTML(w io.Writer, r *runner.TuneResult, opts ...HTMLOption) error {
	return TunePage(r).Render(w, opts...)
}

// tuneMixNote says which cold-start rate weights the costs.
func tuneMixNote(r *runner.TuneResult) string {
	mix := "the measured mix of one cold start per sweep size"
	if r.ColdStartRateSource == "--cold-start-rate" {
		mix = fmt.Sprintf("a cold-start rate of %s (--cold-start-rate)", strconv.FormatFloat(r.ColdStartRate, 'g', -1, 64))
	}
	return "Costs use AWS list prices for the function's architecture and region, without the free tier, for " + mix + "."
}
