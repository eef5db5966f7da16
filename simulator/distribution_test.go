package simulator

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The histogram's quantiles are within 1 % (by construction 0.4 %) of the
// exact nearest-rank quantiles of the recorded values.
func TestHistogramAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	ln, err := LogNormalP50P99(80*time.Millisecond, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	h := new(Histogram)
	var vals []time.Duration
	for i := 0; i < 200000; i++ {
		v := ln.Sample(rng)
		if i%1000 == 0 {
			v = time.Duration(i) // small values and an exact 0
		}
		h.Record(v)
		vals = append(vals, v)
	}
	slices.Sort(vals)
	for _, p := range []float64{0.001, 0.01, 0.1, 0.5, 0.9, 0.99, 0.999, 1} {
		rank := int(math.Ceil(p*float64(len(vals)))) - 1
		want := vals[max(0, rank)]
		got := h.Quantile(p)
		if want == 0 {
			if got != 0 {
				t.Errorf("p%g = %s, want 0", p*100, got)
			}
			continue
		}
		if rel := math.Abs(float64(got-want)) / float64(want); rel > 0.01 {
			t.Errorf("p%g = %s, exact %s (%.2f%% off)", p*100, got, want, rel*100)
		}
	}
	if h.Max() != vals[len(vals)-1] || h.Min() != vals[0] /* an exact 0 was recorded */ || h.Count() != uint64(len(vals)) {
		t.Errorf("max/min/count = %s/%s/%d", h.Max(), h.Min(), h.Count())
	}
	// Merging two halves equals recording everything in one.
	a, b := new(Histogram), new(Histogram)
	for i, v := range vals {
		if i%2 == 0 {
			a.Record(v)
		} else {
			b.Record(v)
		}
	}
	a.Merge(b)
	if *a != *h {
		t.Error("merged histogram differs")
	}
}

func TestDistributions(t *testing.T) {
	// Log-normal from p50/p99: quantiles reproduce the inputs; mean is
	// p50·e^(σ²/2) with σ = ln(p99/p50)/2.3263 (z₀.₉₉ typed in).
	ln, _ := LogNormalP50P99(100*time.Millisecond, 500*time.Millisecond)
	sigma := math.Log(5) / 2.3263478740408408
	wantMean := 0.1 * math.Exp(sigma*sigma/2)
	if got := ln.Mean().Seconds(); math.Abs(got-wantMean) > 1e-9 {
		t.Errorf("lognormal mean = %v, want %v", got, wantMean)
	}
	// From mean/p99: the quantile and mean come back.
	lm, err := LogNormalMeanP99(200*time.Millisecond, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if d := lm.Mean() - 200*time.Millisecond; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("mean = %s", lm.Mean())
	}
	if d := lm.Quantile(0.99) - time.Second; d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("p99 = %s", lm.Quantile(0.99))
	}
	// p99/mean beyond e^(z²/2) ≈ 14.97 has no log-normal.
	if _, err := LogNormalMeanP99(10*time.Millisecond, time.Second); err == nil {
		t.Error("expected an error for p99 = 100 × mean")
	}
	// Exponential: median = mean·ln 2.
	e := Exponential{time.Second}
	if d := e.Quantile(0.5) - time.Duration(math.Round(math.Ln2*1e9)); d < -time.Microsecond || d > time.Microsecond {
		t.Errorf("exponential median = %s", e.Quantile(0.5))
	}
	// Sample means converge (n = 100,000: within 1 %, > 4 standard errors).
	rng := rand.New(rand.NewPCG(1, 2))
	for _, d := range []Distribution{ln, lm, e, Uniform{10 * time.Millisecond, 30 * time.Millisecond}, Fixed{time.Second}} {
		var sum float64
		const n = 100000
		for i := 0; i < n; i++ {
			sum += float64(d.Sample(rng))
		}
		if rel := math.Abs(sum/n-float64(d.Mean())) / float64(d.Mean()); rel > 0.01 {
			t.Errorf("%s: sample mean off by %.2f%%", d, rel*100)
		}
	}
	// A CDF through (0, 0), (10 s, 0.5), (30 s, 1): uniform halves, mean
	// 0.5·5 s + 0.5·20 s = 12.5 s, quartiles 5 s and 20 s.
	c, err := NewCDF([]time.Duration{0, 10 * time.Second, 30 * time.Second}, []float64{0, 0.5, 1})
	if err != nil {
		t.Fatal(err)
	}
	if c.Mean() != 12500*time.Millisecond || c.Quantile(0.25) != 5*time.Second || c.Quantile(0.75) != 20*time.Second {
		t.Errorf("cdf mean %s, quartiles %s %s", c.Mean(), c.Quantile(0.25), c.Quantile(0.75))
	}
	if _, err := NewCDF([]time.Duration{0, time.Second}, []float64{0, 0.9}); err == nil {
		t.Error("a CDF not reaching 1 was accepted")
	}
	emp, _ := NewEmpirical([]time.Duration{30, 10, 20, 40}, "x")
	if emp.Quantile(0.5) != 20 || emp.Quantile(1) != 40 || emp.Mean() != 25 {
		t.Errorf("empirical quantiles/mean: %s %s %s", emp.Quantile(0.5), emp.Quantile(1), emp.Mean())
	}
}

// Quantiles are clamped to the exact min and max: a constant series (a
// fixed duration) reads back exactly, and Min is exact, also after a merge.
func TestHistogramExactBounds(t *testing.T) {
	h, a, b := new(Histogram), new(Histogram), new(Histogram)
	for i := 0; i < 1000; i++ {
		h.Record(50 * time.Millisecond)
	}
	for _, p := range []float64{0.01, 0.5, 0.9, 0.99, 1} {
		if got := h.Quantile(p); got != 50*time.Millisecond {
			t.Errorf("constant 50ms: p%g = %s", p*100, got)
		}
	}
	a.Record(1234567 * time.Nanosecond)
	a.Record(9 * time.Second)
	b.Record(777 * time.Microsecond)
	a.Merge(b)
	if a.Min() != 777*time.Microsecond || a.Max() != 9*time.Second {
		t.Errorf("min/max after merge = %s/%s", a.Min(), a.Max())
	}
	if got := a.Quantile(0.1); got != 777*time.Microsecond {
		t.Errorf("p10 of 3 values = %s, want the smallest, 777µs", got)
	}
}
