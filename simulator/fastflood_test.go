package simulator

import (
	"math"
	"testing"
)

// A flood from an empty pool after a gap, and its reclaim, against the
// exact engine. The traffic: nothing for 45 s (the fast mode's first 30 s
// are the exact engine's, so the flood at 45 s is the model's), 2,500 req/s
// for 15 s, then nothing; 2-min keep-alive, the trace case's durations
// (log-normal p50 40 ms / p99 250 ms, INIT 180 ms), 1-s timeline buckets.
// With most-recently-used routing the exact engine's pool is the running
// maximum of the busy count: a flood of ≈ 550 environments within ≈ 0.3 s of
// the jump, its levels above the settled busy count (≈ 140) reclaimed
// T = 120 s after their last visit near the flood's peak (from 165 s), the
// rest T after the traffic stops (≈ 180 s). The expectations are the mean
// of fastFloodReplicas exact runs (seeds 1…R). Each is checked to within
// 3 standard errors of that mean (SE = sd/√R over the replicas: an exact
// run's own spread) plus one environment for the fast mode's own sampled
// part (γ, from 1,000 raced floods: its SD over seeds, ≈ 0.09, is 0.75 of
// an environment at a pool of 550). What each check caught in the model
// before it (fast / exact mean ± SE, 64 replicas):
//   - cold starts and the pool: the fluid race's 539 against 551 ± 2.6 —
//     the pool is the busy count's running maximum, above the fluid by
//     γ·∛(κr);
//   - the flood's first 3-s slot: its environments drawn as a line from 0
//     (270 against 531 ± 2.6): the flood's levels are born ≈ 0.1 s into it;
//   - the slot where the flood's levels are reclaimed: the line from the
//     pool down (361 against 227 ± 0.7): they go ≈ 0.4 s into it;
//   - the last slot before the rest is reclaimed, [177, 180) s: the line
//     from the pool to 0 (86 environments). By hand, the environments
//     busy when the traffic stops at 60 s are idle from their completion
//     after 60 s, so reclaimed after 180 s: they alone are alive all
//     through [177, 180), and there are r·E[S] of them on average
//     (Little's law), 2,500 × 54.55 ms = 136.4 (log-normal: σ = ln(250/40)
//     / 2.3263 = 0.78776, E[S] = 40 ms·e^(σ²/2) = 54.55 ms): the slot's
//     mean cannot be below that.
const fastFloodReplicas = 64

func TestFastFloodFromEmpty(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: 64 exact runs")
	}
	s := parse(t, `
duration: 190s
function: {memory_mb: 256, duration: {distribution: lognormal, p50: 40ms, p99: 250ms}, init_duration: 180ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 0, stages: [{duration: 45s, target: 0}, {duration: 0s, target: 2500}, {duration: 15s, target: 2500}, {duration: 0s, target: 0}, {duration: 130s, target: 0}]}
`)
	s.Path = "testdata/x.yaml"
	env := func(r *Result, a, b int) float64 { // mean live environments over [a, b) s
		x := 0.0
		for i := a; i < b; i++ {
			x += r.Timeline[i].Environments
		}
		return x / float64(b-a)
	}
	checks := []struct {
		name string
		get  func(*Result) float64
	}{
		{"cold starts", func(r *Result) float64 { return float64(r.ColdStarts) }},
		{"environments after the flood, [48, 60) s", func(r *Result) float64 { return env(r, 48, 60) }},
		{"environments in the flood's first slot, [45, 48) s", func(r *Result) float64 { return env(r, 45, 48) }},
		{"environments as the flood's levels are reclaimed, [165, 168) s", func(r *Result) float64 { return env(r, 165, 168) }},
	}
	vals := make([][]float64, len(checks))
	for i := 0; i < fastFloodReplicas; i++ {
		seed := uint64(i + 1)
		ex := run(t, s, Options{Mode: ModeExact, Seed: &seed})
		if ex.BucketSeconds != 1 {
			t.Fatalf("bucket %v s, want 1", ex.BucketSeconds)
		}
		for j, c := range checks {
			vals[j] = append(vals[j], c.get(ex))
		}
	}
	fa := run(t, s, Options{Mode: ModeFast})
	for j, c := range checks {
		mean, se := meanSE(vals[j])
		got := c.get(fa)
		tol := 3*se + 1
		t.Logf("%s: fast %.4g, exact %.4g ± %.2g (SE, %d runs)", c.name, got, mean, se, fastFloodReplicas)
		if math.Abs(got-mean) > tol {
			t.Errorf("%s: fast %.4g, exact %.4g ± %.2g: beyond 3 SE + 1", c.name, got, mean, se)
		}
	}
	// The last slot before the reclaim (see above): at least the 136.4
	// environments busy when the traffic stopped.
	if got := env(fa, 177, 180); got < 136.4 {
		t.Errorf("environments in [177, 180) s: fast %.4g, below the 136.4 busy at 60 s whose keep-alive ends after 180 s", got)
	}
}
