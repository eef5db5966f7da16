package simulator

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// Reprice of a result for a scenario that differs only in region,
// architecture and billing gives the bytes a fresh run of that scenario
// gives, in both engines.
func TestRepriceIsAFreshRun(t *testing.T) {
	const shape = `
duration: 2h
seed: 3
function: {memory_mb: 512, ARCH, duration: {distribution: lognormal, p50: 40ms, p99: 200ms}, init_duration: 300ms}
concurrency: {provisioned: 2}
traffic: {start_rate: 200, stages: [{duration: 30m, target: 200}, {duration: 1m, target: 900}, {duration: 30m, target: 900}]}
`
	a := parse(t, "region: us-east-1\n"+strings.Replace(shape, "ARCH", "architecture: x86_64", 1))
	// arm64's provisioned-concurrency price is known in us-east-1 only.
	for _, b := range []*Scenario{
		parse(t, "region: eu-west-1\nbilling: {free_tier: true, compute_savings_plan: 0.17}\n"+strings.Replace(shape, "ARCH", "architecture: x86_64", 1)),
		parse(t, "region: us-east-1\nbilling: {compute_savings_plan: 0.05}\n"+strings.Replace(shape, "ARCH", "architecture: arm64", 1)),
		parse(t, "region: us-east-1\nbilling: {log_bytes_per_request: 2KB}\n"+strings.Replace(shape, "ARCH", "architecture: x86_64", 1)),
	} {
		for _, mode := range []string{ModeExact, ModeFast} {
			t.Run(b.Region+"/"+mode, func(t *testing.T) {
				ra := run(t, a, Options{Mode: mode})
				before, _ := json.Marshal(ra)
				got, err := Reprice(b, ra, nil, b.Region)
				if err != nil {
					t.Fatal(err)
				}
				if after, _ := json.Marshal(ra); !bytes.Equal(before, after) {
					t.Error("Reprice modified its argument")
				}
				want := run(t, b, Options{Mode: mode})
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(want)
				if !bytes.Equal(gj, wj) {
					t.Errorf("repriced differs from a fresh run:\nrepriced: %.700s\nfresh:    %.700s", gj, wj)
				}
				if got.MonthlyCostUSD == ra.MonthlyCostUSD {
					t.Error("the bill did not change (the test would not see a wrong Reprice)")
				}
			})
		}
	}
	if _, err := Reprice(a, run(t, a, Options{Runs: 2}), nil, ""); err == nil {
		t.Error("a result of 2 replicas was repriced")
	}
}
