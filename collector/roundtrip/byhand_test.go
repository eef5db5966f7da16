package roundtrip

import (
	"math"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// checkByHand checks the round trip against the run's inputs, not only the
// runner against the importer: the 5 events cycle over 10 invocations, so
// each runs twice. The two {"ms":-1} are function errors; the two
// {"ms":1500} outlive the 1 s timeout (a timeout, or a function error when
// the handler notices its deadline first); the other six succeed. A
// timeout is billed exactly 1,000 ms (+ INIT, rounded up, when cold); a
// success of N ms at least N ms. 10 invocations imported, 256 MB.
func checkByHand(t *testing.T, res *runner.Result, got pricing.DatasetFunction) {
	t.Helper()
	s := res.Summary
	if s.Invocations != 10 || s.Successes != 6 || s.Errors+s.Timeouts != 4 {
		t.Errorf("runner: %d invocations, %d successes, %d errors + %d timeouts; want 10, 6, 4", s.Invocations, s.Successes, s.Errors, s.Timeouts)
	}
	if got.Summary.Invocations != 10 || got.MemoryMB != 256 {
		t.Errorf("imported %d invocations at %d MB, want 10 at 256", got.Summary.Invocations, got.MemoryMB)
	}
	sleeps := []float64{5, -1, 2, 1500, 8}
	for i, inv := range res.Invocations {
		init := 0.0
		if inv.Cold {
			init = inv.InitDurationMs
		}
		switch {
		case inv.Status == "timeout":
			if want := int64(math.Ceil(1000 + init - 1e-7)); inv.DurationMs != 1000 || inv.BilledDurationMs != want {
				t.Errorf("timeout %s: %v ms, billed %d; want 1000, %d", inv.RequestID, inv.DurationMs, inv.BilledDurationMs, want)
			}
		case inv.Status == "success":
			if ms := sleeps[i%len(sleeps)]; ms > 0 && (inv.DurationMs < ms || float64(inv.BilledDurationMs) < ms+init) {
				t.Errorf("success %d (sleep %v ms): %v ms, billed %d", i, ms, inv.DurationMs, inv.BilledDurationMs)
			}
		}
	}
}
