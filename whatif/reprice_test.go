package whatif

import (
	"bytes"
	"fmt"
	"testing"
)

// A bill-only change (region, architecture, free tier, Savings Plan) is
// priced from the kept simulation, and the answer is the bytes a fresh
// server (which simulates) gives for the same change, in both engines;
// a change that affects the pool (memory, traffic) simulates again.
func TestBillOnlyChangesArePricedAgain(t *testing.T) {
	for _, mode := range []string{ModeExact, ModeFast} {
		t.Run(mode, func(t *testing.T) {
			srv, ts := newTestServer(t, base(t, checkout), Config{})
			plan := func(set string) answer {
				a := post(t, nil, ts.URL+"/api/plan", fmt.Sprintf(`{"set":%s,"mode":%q}`, set, mode))
				if a.code != 200 {
					t.Fatalf("%s: %d %s", set, a.code, a.body)
				}
				return a
			}
			plan(`{"memory_mb":1024}`)
			bills := []string{
				`{"memory_mb":1024,"region":"eu-west-1"}`,
				`{"memory_mb":1024,"free_tier":true,"compute_savings_plan":0.17}`,
				`{"memory_mb":1024,"architecture":"arm64","compute_savings_plan":0.05}`,
			}
			for i, set := range bills {
				got := plan(set)
				if srv.Repriced() != i+1 {
					t.Errorf("%s: repriced %d answers, want %d", set, srv.Repriced(), i+1)
				}
				_, fresh := newTestServer(t, base(t, checkout), Config{})
				want := post(t, nil, fresh.URL+"/api/plan", fmt.Sprintf(`{"set":%s,"mode":%q}`, set, mode))
				if !bytes.Equal(got.body, want.body) {
					t.Errorf("%s: priced again differs from a fresh run:\n%.600s\n%.600s", set, got.body, want.body)
				}
			}
			plan(`{"memory_mb":2048,"free_tier":true}`)
			if srv.Repriced() != len(bills) {
				t.Errorf("a memory change was priced from another memory's run")
			}
		})
	}
}
