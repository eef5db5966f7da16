package reports

import (
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/simulator"
)

// TestSimulationUndefinedShownNA: with no request offered (and so no
// invocation) the table and the page show the cold-start rate, throttle
// rate, latencies and cost per million as n/a, as the JSON has them null;
// they printed 0 %, 0 ms and $0.00.
func TestSimulationUndefinedShownNA(t *testing.T) {
	r := &simulator.Result{Scenario: "sparse", SimulatedSeconds: 3600, Region: "us-east-1"}
	g := SimulationGrids(r)[0]
	got := map[string]string{}
	for _, row := range g.Rows {
		got[row[0]] = row[1]
	}
	for _, k := range []string{"Cold-start rate", "Throttle rate", "Latency p50", "Latency p90", "Latency p99", "Latency max", "Cost per million invocations"} {
		if got[k] != "n/a" {
			t.Errorf("%s = %q, want n/a", k, got[k])
		}
	}
	if got["Invocations"] != "0" || got["Cost of the simulated span"] != "$0.00" {
		t.Errorf("counts and the span's cost stay numbers: %v", got)
	}
	p := SimulationPage(r, nil)
	for _, f := range p.Facts {
		if (f.Label == "Cold-start rate" || f.Label == "Latency p99") && f.Value != "n/a" {
			t.Errorf("fact %s = %q, want n/a", f.Label, f.Value)
		}
		if strings.Contains(f.Detail, "per million") {
			t.Errorf("fact %s: %q", f.Label, f.Detail)
		}
	}
}
