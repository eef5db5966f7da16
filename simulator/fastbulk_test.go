package simulator

import (
	"context"
	"math"
	"testing"
)

// TestFastBulkMatchesStepping: booking a stationary stretch in bulk is
// the same arithmetic as stepping through it slot by slot (the pool's
// inputs repeat, so its outputs do), up to rounding. A scenario with
// steady hours around a 3× step checks that the pool resumes correctly
// after a skipped stretch.
func TestFastBulkMatchesStepping(t *testing.T) {
	s := parse(t, `
duration: 3h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 1m}
traffic: {start_rate: 1000, stages: [{duration: 80m, target: 1000}, {duration: 0s, target: 3000}, {duration: 20m, target: 3000}, {duration: 0s, target: 1000}, {duration: 80m, target: 1000}]}
`)
	defer func() { fastBulk = true }()
	var res [2]*Result
	for i, bulk := range []bool{true, false} {
		fastBulk = bulk
		res[i] = run(t, s, Options{Mode: ModeFast})
	}
	b, st := res[0], res[1]
	near := func(name string, x, y float64) {
		t.Helper()
		if math.Abs(x-y) > 1e-9*math.Max(1, math.Abs(y)) {
			t.Errorf("%s: bulk %.12g, stepped %.12g", name, x, y)
		}
	}
	near("cold starts", float64(b.ColdStarts), float64(st.ColdStarts))
	near("invocations", float64(b.Invocations), float64(st.Invocations))
	near("throttles", float64(b.Throttles), float64(st.Throttles))
	near("mean environments", b.MeanEnvironments, st.MeanEnvironments)
	near("mean concurrency", b.MeanConcurrency, st.MeanConcurrency)
	near("billed GB-s", b.BilledGBSeconds, st.BilledGBSeconds)
	near("cost", b.CostUSD, st.CostUSD)
	near("p99", b.LatencyMs.P99, st.LatencyMs.P99)
	if len(b.Timeline) != len(st.Timeline) {
		t.Fatalf("timelines of %d and %d buckets", len(b.Timeline), len(st.Timeline))
	}
	for i := range b.Timeline {
		x, y := b.Timeline[i], st.Timeline[i]
		near("bucket arrivals", x.Arrivals, y.Arrivals)
		near("bucket cold starts", x.ColdStarts, y.ColdStarts)
		near("bucket environments", x.Environments, y.Environments)
		near("bucket concurrency max", x.ConcurrencyMax, y.ConcurrencyMax)
	}
	// The step must have been seen: the 3k req/s stretch has ≈ 3× the
	// busy environments (Little's law: 3000 × E[S] against 1000 × E[S]).
	mid := b.Timeline[len(b.Timeline)/2]
	first := b.Timeline[len(b.Timeline)/4]
	if r := mid.Arrivals / first.Arrivals; math.Abs(r-3) > 0.01 {
		t.Errorf("arrivals in the middle bucket %.4g× the first quarter's, want 3", r)
	}
}

// TestFastPartialOnCancel: interrupted, the fast mode returns what it
// has simulated, marked partial, with the context's error; its arrivals
// are those of the simulated span S: even arrivals at a rate ramping
// 300 → 600 req/s over 72 h, r(t) = 300 + 300·t/259200, so
// ∫₀^S r = 300·S + 150·S²/259200.
func TestFastPartialOnCancel(t *testing.T) {
	s := parse(t, `
duration: 72h
function: {memory_mb: 128, duration: 100ms}
traffic: {arrivals: even, start_rate: 300, stages: [{duration: 72h, target: 600}]}
`)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	res, err := Run(ctx, s, Options{Mode: ModeFast, Progress: func(done, tot int64) {
		if n++; n == 2 {
			cancel()
		}
	}})
	if err != context.Canceled || res == nil || !res.Partial || res.Mode != ModeFast {
		t.Fatalf("err = %v, result returned %v", err, res != nil)
	}
	S := res.SimulatedSeconds
	if S <= 0 || S >= 72*3600 {
		t.Fatalf("simulated %v s of %v", S, 72*3600)
	}
	if want := 300*S + 150*S*S/259200; math.Abs(float64(res.Arrivals)-want) > 1 {
		t.Errorf("arrivals %d over %v s, want %.0f", res.Arrivals, S, want)
	}
}
