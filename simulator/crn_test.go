package simulator

import (
	"context"
	"testing"
)

// TestCommonRandomNumbers: with Options.CommonRandomNumbers, one scenario
// run with provisioned concurrency 0 and 2 (which changes the number of
// cold starts, so of INIT draws) accepts the same invocations (the same
// arrivals); without it the INIT and idle-timeout draws shift the
// arrivals. Off, the run is the one-stream run it always was (the seeded
// goldens of the other tests are unchanged).
func TestCommonRandomNumbers(t *testing.T) {
	const src = `
name: crn
seed: 3
duration: 30m
function:
  memory_mb: 1024
  duration: {distribution: lognormal, p50: 80ms, p99: 400ms}
  init_duration: {distribution: lognormal, p50: 250ms, p99: 900ms}
keep_alive:
  idle_timeout: {distribution: exponential, mean: 2s}
traffic:
  arrivals: poisson
  start_rate: 5
`
	run := func(pc int, crn bool) *Result {
		t.Helper()
		s, err := ParseScenario("crn.yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		s.Concurrency.Provisioned = pc
		res, err := Run(context.Background(), s, Options{CommonRandomNumbers: crn})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a, b := run(0, true), run(2, true)
	if a.Invocations != b.Invocations || a.Invocations == 0 {
		t.Errorf("common random numbers: invocations %d (PC 0) ≠ %d (PC 2)", a.Invocations, b.Invocations)
	}
	if b.ColdStarts >= a.ColdStarts {
		t.Errorf("cold starts PC 0 %d, PC 2 %d: want fewer with provisioned environments", a.ColdStarts, b.ColdStarts)
	}
	x, y := run(0, false), run(2, false)
	if x.Invocations == y.Invocations {
		t.Errorf("one stream: invocations %d on both: the test no longer shows the shift it guards against", x.Invocations)
	}
}
