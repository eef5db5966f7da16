package reports

import (
	"fmt"
	"strconv"

	"github.com/lambdacost/lambdacost/simulator/runner"
)

// RunGrids render the summary of a `lambdacost run` result: one metric a
// row (durations as p50/p90/p99/max in ms with two decimals, "—" when none
// was measured), then the run's notes in a table of their own.
func RunGrids(res *runner.Result) []Grid {
	s := res.Summary
	name := res.Function.Name
	g := Grid{
		Title:      fmt.Sprintf("%s — %d MB (%.3g vCPU), %s, %s", name, res.Function.MemoryMB, res.VCPU, res.Function.Architecture, res.Region),
		Header:     []string{"metric", "value"},
		AlignRight: map[int]bool{1: true},
	}
	add := func(k, v string) { g.Rows = append(g.Rows, []string{k, v}) }
	add("invocations", fmt.Sprintf("%d (%d success, %d error, %d timeout)", s.Invocations, s.Successes, s.Errors, s.Timeouts))
	if res.Partial {
		add("PARTIAL", fmt.Sprintf("stopped after %d of %d requested invocations", s.Invocations, res.Requested))
	}
	add("cold starts", fmt.Sprintf("%d in %d environments", s.ColdStarts, s.Environments))
	pct := func(p runner.Percentiles) string {
		if p.N == 0 {
			return "—"
		}
		return fmt.Sprintf("p50 %s · p90 %s · p99 %s · max %s ms", msf(p.P50), msf(p.P90), msf(p.P99), msf(p.Max))
	}
	add("warm duration", pct(s.WarmDurationMs))
	add("cold duration", pct(s.ColdDurationMs))
	add("INIT duration", pct(s.InitDurationMs))
	if s.ModelledWarmDurationMs != nil {
		add("modelled warm duration", pct(*s.ModelledWarmDurationMs))
	}
	add("CPU time", pct(s.CPUTimeMs))
	add("max memory used", fmt.Sprintf("%d MB of %d MB", s.MaxMemoryUsedMB, res.Function.MemoryMB))
	add("billed", fmt.Sprintf("%d ms (INIT %d ms)", s.Usage.OnDemandMs, s.Usage.InitMs))
	if s.LogBytesPerInvocation != nil {
		add("log bytes", fmt.Sprintf("%d (%s per invocation, CloudWatch Logs ingestion)", s.LogBytes, Numf(*s.LogBytesPerInvocation, 0)))
	}
	if s.CostPerInvocationUSD != nil && s.CostPerMillionUSD != nil {
		add("cost per invocation", fmt.Sprintf("$%.10f", *s.CostPerInvocationUSD))
		add("cost per million", USDf(*s.CostPerMillionUSD))
	} else {
		add("cost per invocation", "unknown (see assumptions)")
	}
	if s.ModelledCostPerMillionUSD != nil {
		add("modelled cost per million", USDf(*s.ModelledCostPerMillionUSD))
	}
	add("throughput", fmt.Sprintf("%.0f invocations/s", s.InvocationsPerSecond))
	cpu := res.CPUModel + " (CPU share enforced by a cgroup quota)"
	if res.CPUModel == runner.CPUModelUnrestricted {
		cpu = res.CPUModel + " — durations are this machine's; modelled figures apply Lambda's CPU share"
		if res.IsolationNote != "" {
			cpu += " (" + res.IsolationNote + ")"
		}
	}
	add("cpu model", cpu)
	add("isolation", res.Isolation)
	if res.VCPU > float64(res.HostCPUs) {
		add("note", fmt.Sprintf("%.2f vCPU asked, this machine has %d", res.VCPU, res.HostCPUs))
	}
	grids := []Grid{g}
	if len(res.Notes) > 0 {
		// What the sandbox enforced and how the run was billed: a table
		// of their own, so that the long sentences do not widen the summary.
		n := Grid{Title: "notes", Header: []string{"note"}}
		for _, x := range res.Notes {
			n.Rows = append(n.Rows, []string{x})
		}
		grids = append(grids, n)
	}
	return append(grids, AssumptionsGrid(s.Assumptions)...)
}

// msf formats milliseconds with two decimals.
func msf(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
