package simulator

import (
	"encoding/json"
	"testing"
)

// TestResultUndefinedPerInvocation: a span in which no request arrived
// (a sparse scenario: 0.00001 req/s for an hour) has no invocation, so its
// cold-start rate, latencies and cost per million are not defined, nor its
// throttle rate: JSON null, not the 0 (0 % cold, 0 ms p99) it wrote. With
// invocations they are numbers, as before.
func TestResultUndefinedPerInvocation(t *testing.T) {
	decode := func(r Result) map[string]any {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	m := decode(Result{SimulatedSeconds: 3600})
	lat := m["latency_ms"].(map[string]any)
	for _, v := range []any{m["cold_start_rate"], m["throttle_rate"], m["cost_per_million_usd"], lat["p50"], lat["p90"], lat["p99"], lat["max"], lat["mean"]} {
		if v != nil {
			t.Errorf("no invocation: a per-invocation value is %v, want null: %v", v, m)
		}
	}
	if m["cost_usd"] != 0.0 || m["invocations"] != 0.0 || m["throttles"] != 0.0 {
		t.Errorf("counts and costs stay numbers: %v", m)
	}
	// 10 requests offered, all throttled: the throttle rate is 1; nothing
	// per invocation is defined.
	m = decode(Result{Arrivals: 10, Throttles: 10, ThrottleRate: 1})
	if m["throttle_rate"] != 1.0 || m["cold_start_rate"] != nil {
		t.Errorf("all throttled: %v", m)
	}
	m = decode(Result{Arrivals: 4, Invocations: 4, ColdStarts: 1, ColdStartRate: 0.25, LatencyMs: Latency{P99: 120}})
	if m["cold_start_rate"] != 0.25 || m["latency_ms"].(map[string]any)["p99"] != 120.0 || m["throttle_rate"] != 0.0 {
		t.Errorf("with invocations: %v", m)
	}
}
