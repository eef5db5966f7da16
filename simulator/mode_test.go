package simulator

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestChooseModeAuto: auto picks the fast mode exactly when the exact run's
// estimate, requests × runs × 165 ns ÷ workers, exceeds the threshold.
// 1,000 req/s for 1 h = 3.6·10⁶ requests: × 165 ns = 594 ms on one worker,
// 297 ms on two (two runs: 1,188 ms ÷ 2 = 594 ms). Async and warm starts
// need the exact engine whatever the estimate; a mode that is none of the
// three is an input error naming --mode.
func TestChooseModeAuto(t *testing.T) {
	steady := parse(t, `
duration: 1h
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 1000}
`)
	async := parse(t, `
duration: 1h
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 1000, invocation: async}
`)
	warm := parse(t, `
duration: 1h
function: {memory_mb: 128, duration: 10ms}
concurrency: {warm_start: steady}
traffic: {start_rate: 1000}
`)
	if got := EstimateExact(steady, 1, 1); got != 594*time.Millisecond {
		t.Errorf("EstimateExact(1 run, 1 worker) = %s, want 594ms", got)
	}
	if got := EstimateExact(steady, 2, 2); got != 594*time.Millisecond {
		t.Errorf("EstimateExact(2 runs, 2 workers) = %s, want 594ms", got)
	}
	for _, tc := range []struct {
		s         *Scenario
		mode      string
		runs      int
		threshold time.Duration
		want      string
	}{
		{steady, ModeAuto, 1, 593 * time.Millisecond, ModeFast},
		{steady, ModeAuto, 1, 594 * time.Millisecond, ModeExact},
		{steady, ModeAuto, 1, 0, ModeExact}, // the default threshold, a minute
		{async, ModeAuto, 1, time.Millisecond, ModeExact},
		{warm, ModeAuto, 1, time.Millisecond, ModeExact},
		{steady, "", 1, time.Millisecond, ModeExact},
		{steady, ModeFast, 1, time.Hour, ModeFast},
	} {
		got, err := chooseMode(tc.s, Options{Mode: tc.mode, Runs: tc.runs, Workers: 1, AutoThreshold: tc.threshold})
		if err != nil || got != tc.want {
			t.Errorf("mode %q, threshold %s: %q, %v; want %q", tc.mode, tc.threshold, got, err, tc.want)
		}
	}
	_, err := chooseMode(steady, Options{Mode: "quick"})
	var ie *pricing.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "--mode") {
		t.Errorf("mode quick: %v, want an input error", err)
	}
}

// EstimateFast's planning figures applied by hand: a constant stage is
// stepped for two idle timeouts only; sloped pieces are stepped whole.
func TestEstimateFast(t *testing.T) {
	steady := `name: s
duration: 8760h
function: {memory_mb: 512, duration: 100ms}
keep_alive: {idle_timeout: 5m}
traffic: {start_rate: 10000}
`
	ramp := `name: r
duration: 2h
function: {memory_mb: 512, duration: 100ms}
keep_alive: {idle_timeout: 5m}
traffic:
  start_rate: 0
  stages: [{duration: 2h, target: 1000}]
`
	for _, tc := range []struct {
		name, yaml string
		want       time.Duration
	}{
		// 600 s stepped (2 × 5 min), 80 slots of 7.5 s:
		// 0.9 s + 600 × 50 ns + 80 × 2.4 µs = 900,222,000 ns.
		{"steady year", steady, 900_222_000},
		// 7,200 s stepped, 960 slots: 0.9 s + 360 µs + 2,304 µs.
		{"two-hour ramp", ramp, 902_664_000},
	} {
		s, err := ParseScenario("", []byte(tc.yaml))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := EstimateFast(s); got < tc.want-time.Microsecond || got > tc.want+time.Microsecond {
			t.Errorf("%s: EstimateFast = %v, want %v", tc.name, got, time.Duration(tc.want))
		}
	}
}
