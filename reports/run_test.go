package reports

import (
	"reflect"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

func TestRunGrids(t *testing.T) {
	modelled, modelledCost := runner.Percentiles{N: 9, P50: 20, P90: 21, P99: 22.5, Max: 23}, 3.5
	for _, c := range []struct {
		name   string
		res    runner.Result
		rows   map[string]string // metric → value
		absent []string
		grids  int
	}{
		{"cgroup", runner.Result{
			Function: pricing.FunctionConfig{Name: "api", MemoryMB: 512, Architecture: pricing.ARM64}, Region: "us-east-1", VCPU: 512.0 / 1769,
			CPUModel: "cgroup", Isolation: "cgroup", HostCPUs: 2,
			Summary: runner.Summary{Invocations: 10, Successes: 9, Errors: 1, ColdStarts: 1, Environments: 1,
				WarmDurationMs:  runner.Percentiles{N: 9, P50: 40, P90: 41.5, P99: 42.25, Max: 42.3},
				MaxMemoryUsedMB: 61, Usage: pricing.BilledUsage{OnDemandMs: 420, InitMs: 120},
				CostPerInvocationUSD: ptr(0.0000003), CostPerMillionUSD: ptr(0.3), InvocationsPerSecond: 24.6},
		}, map[string]string{
			"invocations":         "10 (9 success, 1 error, 0 timeout)",
			"cold starts":         "1 in 1 environments",
			"warm duration":       "p50 40.00 · p90 41.50 · p99 42.25 · max 42.30 ms",
			"cold duration":       "—",
			"max memory used":     "61 MB of 512 MB",
			"billed":              "420 ms (INIT 120 ms)",
			"cost per invocation": "$0.0000003000",
			"cost per million":    "$0.30",
			"throughput":          "25 invocations/s",
			"cpu model":           "cgroup (CPU share enforced by a cgroup quota)",
		}, []string{"modelled warm duration", "modelled cost per million", "note"}, 1},
		{"unrestricted, big", runner.Result{
			Function: pricing.FunctionConfig{Name: "api", MemoryMB: 10240}, VCPU: 10240.0 / 1769,
			CPUModel: runner.CPUModelUnrestricted, IsolationNote: "no cgroup v2", Isolation: "none", HostCPUs: 2, Notes: []string{"n1", "n2"},
			Summary: runner.Summary{ModelledWarmDurationMs: &modelled, ModelledCostPerMillionUSD: &modelledCost},
		}, map[string]string{
			"modelled warm duration":    "p50 20.00 · p90 21.00 · p99 22.50 · max 23.00 ms",
			"modelled cost per million": "$3.50",
			"cpu model":                 "unrestricted — durations are this machine's; modelled figures apply Lambda's CPU share (no cgroup v2)",
			"note":                      "5.79 vCPU asked, this machine has 2",
		}, nil, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			gs := RunGrids(&c.res)
			if len(gs) != c.grids {
				t.Fatalf("%d grids, want %d", len(gs), c.grids)
			}
			got := map[string]string{}
			for _, r := range gs[0].Rows {
				got[r[0]] = r[1]
			}
			for k, want := range c.rows {
				if got[k] != want {
					t.Errorf("%s = %q, want %q", k, got[k], want)
				}
			}
			for _, k := range c.absent {
				if _, ok := got[k]; ok {
					t.Errorf("unexpected row %q", k)
				}
			}
			if c.grids == 2 && !reflect.DeepEqual(gs[1].Rows, [][]string{{"n1"}, {"n2"}}) {
				t.Errorf("notes %q", gs[1].Rows)
			}
		})
	}
}
