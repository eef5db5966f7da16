package simulator

import (
	"context"
	"math"
	"testing"
	"time"
)

// The exact start's control variate (startCV). Its weights are the fluid
// flood's cold fraction over time, so Σ w·E[arrivals] is the fluid pool of
// a flood from empty, κ·λ (floodPerRate, a second fluid on another grid:
// within 1 %). X = Σ w(tᵢ) over a start's arrivals has mean Σ w·E[arrivals]
// by Campbell's theorem, so the corrected cold starts, cold − (X − E[X]),
// have the exact engine's mean: over 96 starts (10 s each: the flood is
// over in ≈ 3 s) the paired difference raw − corrected is within 3 of its
// standard errors of 0 (these 96, seeds 1–12 × streams 0–7, have few
// early arrivals: −3.7 ± 1.7; 2,048 starts of seeds 65–320 gave −0.36 ±
// 0.37). And X tracks the flood's Poisson noise: 512 starts
// of 30 s gave SDs of 17.0 raw and 8.5 corrected (ratio 0.50; groups of
// 48 starts 0.35–0.76). Weights that missed the arrivals (another stream,
// a shifted bucket) would add noise of their own, SD ≈ 17 (ratio ≈ √2);
// the test asks for < 0.85. The run itself is the same counted finer: the
// same arrivals and pool, the timeline's cold starts summing to the total.
func TestStartControlVariate(t *testing.T) {
	s := parse(t, `
duration: 1m
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1000, stages: [{duration: 1m, target: 1000}]}
`)
	s.Path = "testdata/x.yaml"
	ds := sampleDurations(s, 1, fastDurationSample)
	const rate = 1000.0
	lam := func(t float64) float64 { return rate * t }
	tw := 10 * time.Second
	cv := newStartCV(&ds, s, tw, lam)
	if cv == nil {
		t.Fatal("no control variate for an unbounded flood (κ·λ ≈ 305 environments, budget 1,000)")
	}
	fluid := 0.0
	for j, e := range cv.ea {
		// A constant rate: λ·fw expected arrivals in every fine bucket.
		if want := rate * cv.fw.Seconds(); math.Abs(e-want) > 1e-9*want {
			t.Fatalf("bucket %d: expected arrivals %.6g, λ·fw = %.6g", j, e, want)
		}
		fluid += cv.w[j] * e
	}
	if kl := floodPerRate(&ds) * rate; math.Abs(fluid-kl)/kl > 0.01 {
		t.Errorf("Σ w·E[arrivals] = %.2f, the fluid pool κ·λ = %.2f", fluid, kl)
	}
	bw := BucketWidth(s.Span())
	var raw, cor, diff []float64
	for seed := uint64(1); seed <= 12; seed++ {
		for stream := 0; stream < 8; stream++ {
			a := exactStart(context.Background(), s, seed, stream, tw, bw, nil)
			b := exactStart(context.Background(), s, seed, stream, tw, bw, cv)
			if a.st.arr != b.st.arr || a.envs != b.envs || len(a.alive) != len(b.alive) || len(a.timeline) != len(b.timeline) {
				t.Fatalf("seed %d stream %d: counted finer, the run changed: arrivals %v/%v, pool %v/%v", seed, stream, a.st.arr, b.st.arr, a.envs, b.envs)
			}
			sum := 0.0
			for i := range b.timeline {
				sum += b.timeline[i].ColdStarts
				if math.Abs(a.timeline[i].Arrivals-b.timeline[i].Arrivals) > 0 || math.Abs(a.timeline[i].Environments-b.timeline[i].Environments) > 1e-6*math.Max(1, a.timeline[i].Environments) {
					t.Fatalf("seed %d stream %d bucket %d: %+v / %+v", seed, stream, i, a.timeline[i], b.timeline[i])
				}
			}
			if math.Abs(sum-b.st.cold) > 1e-6 {
				t.Fatalf("seed %d stream %d: timeline cold starts %.6f, total %.6f", seed, stream, sum, b.st.cold)
			}
			raw = append(raw, a.st.cold)
			cor = append(cor, b.st.cold)
			diff = append(diff, a.st.cold-b.st.cold)
		}
	}
	md, sed := meanSE(diff)
	if math.Abs(md) > 3*sed {
		t.Errorf("raw − corrected: %.2f ± %.2f (SE), not 0 within 3 SE", md, sed)
	}
	mr, ser := meanSE(raw)
	mc, sec := meanSE(cor)
	ratio := sec / ser
	t.Logf("96 starts: raw %.1f ± %.2f, corrected %.1f ± %.2f (SD ratio %.2f); raw − corrected %.2f ± %.2f", mr, ser, mc, sec, ratio, md, sed)
	if ratio >= 0.85 {
		t.Errorf("SD ratio corrected/raw %.2f, want < 0.85", ratio)
	}
}

// Where the fluid flood is bounded, an arrival more is throttled rather
// than started, and no weight applies: a step to 3,000 req/s with these
// durations needs κ·λ ≈ 0.305 s × 3,000 ≈ 915 new environments against a
// scaling budget of 500; 1,000 req/s against an account limit of 100 is
// at the rate quota (10 × 100 req/s).
func TestStartControlVariateBounded(t *testing.T) {
	for _, tc := range []struct {
		name, conc string
		rate       float64
	}{
		{"scaling budget", "{account_limit: 3000, scaling_rate: 500}", 3000},
		{"rate quota", "{account_limit: 100}", 1000},
	} {
		s := parse(t, `
duration: 1m
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
concurrency: `+tc.conc+`
traffic: {start_rate: 0, stages: [{duration: 0s, target: `+ftoa(tc.rate)+`}, {duration: 1m, target: `+ftoa(tc.rate)+`}]}
`)
		ds := sampleDurations(s, 1, 20_000)
		if cv := newStartCV(&ds, s, 30*time.Second, func(t float64) float64 { return tc.rate * t }); cv != nil {
			t.Errorf("%s: a control variate for a bounded flood", tc.name)
		}
	}
	// The same step at a budget of 1,000 is not bounded (915 < 1,000).
	s := parse(t, `
duration: 1m
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
concurrency: {account_limit: 3000, scaling_rate: 1000}
traffic: {start_rate: 0, stages: [{duration: 0s, target: 3000}, {duration: 1m, target: 3000}]}
`)
	ds := sampleDurations(s, 1, 20_000)
	if cv := newStartCV(&ds, s, 30*time.Second, func(t float64) float64 { return 3000 * t }); cv == nil {
		t.Error("no control variate for a flood of ≈ 915 within a budget of 1,000")
	}
}

// The hand-off keeps each exact start's pool as it is: at 1k req/s with a
// 2-min keep-alive the flood of the first second leaves ≈ 305 environments
// alive until T after their last use (≈ 120.4 s), so from the hand-off (30
// s) to then the live environments are the mean of the 8 starts' pools,
// which are the first 30 s of the replicas `--runs 8` runs with the same
// seed: the fast and the exact timelines agree to rounding through
// [30 s, 120 s). (Each level kept alive for certain for its mean time over
// the starts put the largest start's pool up at once and let it shrink:
// 317–334 → 287 against 305.) In the slot where the flood's levels go,
// [120 s, 123 s), each start's levels die at their own deadline, handed
// over to the nanosecond, so the slot's mean is the exact one but for the
// level law's steady pool (≈ 114 environments): within 1 %.
func TestFastHandOffKeepsThePool(t *testing.T) {
	s := parse(t, `
duration: 130s
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1000, stages: [{duration: 130s, target: 1000}]}
`)
	s.Path = "testdata/x.yaml"
	seed := uint64(1)
	ex := run(t, s, Options{Mode: ModeExact, Seed: &seed, Runs: 8})
	fa := run(t, s, Options{Mode: ModeFast, Seed: &seed})
	if ex.BucketSeconds != 1 || fa.BucketSeconds != 1 {
		t.Fatalf("bucket widths %g, %g s: the test reads 1-s buckets", ex.BucketSeconds, fa.BucketSeconds)
	}
	for i := 30; i < 120; i++ {
		e, f := ex.Timeline[i].Environments, fa.Timeline[i].Environments
		if math.Abs(f-e) > 1e-9*e {
			t.Fatalf("t = %d s: fast %.4f environments, exact (the same 8 runs) %.4f", i, f, e)
		}
	}
	var e, f float64
	for i := 120; i < 123; i++ {
		e += ex.Timeline[i].Environments / 3
		f += fa.Timeline[i].Environments / 3
	}
	if math.Abs(f-e) > 0.01*e {
		t.Errorf("[120 s, 123 s): fast %.2f environments, exact %.2f", f, e)
	}
}
