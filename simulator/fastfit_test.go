package simulator

import (
	"math"
	"testing"
)

// zExact is the normal score of the Poisson upper tail, with no
// approximation: 1 − Φ(zExact(k, m)) = P(N ≥ k), N ~ Poisson(m). By hand:
// P(N ≥ 1) = 1 − e^(−m), which is ½ at m = ln 2 (z = 0) and 1 − Φ(1) =
// 0.15865525393145705 at m = −ln Φ(1) (z = 1); P(N ≥ 2) = 1 − 2/e at m = 1.
// Elsewhere the tail is summed term by term here (Σ_{j ≥ k} e^(−m) m^j/j!,
// in logs) and turned into z with math.Erfcinv, z = √2·erfcinv(2p): both
// independent of the incomplete-gamma and normal-quantile routines
// zExact uses.
func TestZExactPoissonTail(t *testing.T) {
	phi1 := 0.5 * math.Erfc(-1/math.Sqrt2) // Φ(1)
	for _, c := range []struct{ k, m, z float64 }{
		{1, math.Ln2, 0},
		{1, -math.Log(phi1), 1},
		{2, 1, math.Sqrt2 * math.Erfinv(1-2*(1-2/math.E))},
	} {
		if got := zExact(c.k, c.m); math.Abs(got-c.z) > 1e-9 {
			t.Errorf("k=%v m=%v: zExact %.12f, by hand %.12f", c.k, c.m, got, c.z)
		}
	}
	for _, c := range []struct{ k, m float64 }{{30, 20}, {34, 20}, {42, 20}, {48, 20}, {145, 100}, {3, 1}} {
		p := 0.0
		for j := c.k; j < c.k+400; j++ {
			lg, _ := math.Lgamma(j + 1)
			p += math.Exp(j*math.Log(c.m) - c.m - lg)
		}
		want := math.Sqrt2 * math.Erfcinv(2*p)
		if got := zExact(c.k, c.m); math.Abs(got-want) > 1e-9 {
			t.Errorf("k=%v m=%v: zExact %.12f, summed tail %.12f", c.k, c.m, got, want)
		}
	}
}

// The level calibration's fit recovers a known cluster law exactly. The
// counts of a calibration whose G follows G(z) = z·e^(a + b·z − z²/2) —
// the Gaussian-tail form the fit assumes (the rate of excursion clusters
// of a Gaussian process with a linear-cusp correlation, which the M/G/∞
// busy count has: 1 − r(t) ∝ t) — are their expectations, n_k =
// D·G_k·e^(−G_k·g0) with z_k the exact normal score of level k at m = 20,
// over D = 10¹² s so that rounding to whole counts is below 10⁻⁶ at the
// levels used. The fit must give back a and b, the predicted steady cold
// rate must be the law's own Σ_k G_k·e^(−G_k·T), and g at any z the law.
// (With the Wilson–Hilferty z in place of the exact score, at m = 20 the
// levels' z are 0.005–0.022 low between z = 2.8 and 4.6: a quadratic
// fitted there and used at m = 100, where the offset is a quarter of that,
// put the steady cold starts at a 10-minute keep-alive 1.1 % low.)
func TestLevelFitRecoversTheLaw(t *testing.T) {
	const a, b = 1.2, -0.07
	const m, dur, g0, idle = 20.0, 1e12, 2.0, 600.0
	law := func(z float64) float64 { return z * math.Exp(a+b*z-z*z/2) }
	var ncl, ncold []int64
	want := 0.0
	for k := 1.0; k < 80; k++ {
		z := zExact(k, m)
		// Near the mean a level is never left for g0 (n = 0; the form is
		// a tail law, and G/z would fall towards z = 0); from z = 1.5 on
		// the counts rise to their peak at G·g0 = 1 and fall past it.
		g, n := math.Inf(1), 0.0
		if z >= 1.5 {
			g = law(z)
			n = dur * g * math.Exp(-g*g0)
		}
		ncl = append(ncl, int64(math.Round(n)))
		ncold = append(ncold, 0)
		if g*g0 <= 0.25 { // the levels the fit keeps are past the peak
			want += g * math.Exp(-g*idle)
		}
	}
	c := buildLevelCal(ncl, ncold, m, 200, dur, g0, idle)
	if c == nil || !c.quad {
		t.Fatalf("no fit: %+v", c)
	}
	if math.Abs(c.qa-a) > 1e-5 || math.Abs(c.qb-b) > 1e-5 || c.qc != -0.5 {
		t.Errorf("fit ln G = ln z + %.6f + %.6f·z + %.3f·z², law a = %v, b = %v, −½", c.qa, c.qb, c.qc, a, b)
	}
	if math.Abs(c.predT-want)/want > 1e-4 {
		t.Errorf("predicted steady cold rate %.8g/s, the law's %.8g/s", c.predT, want)
	}
	// A level whose tail underflows (zExact = +Inf: P(N ≥ 400) at m = 20
	// is below 10⁻³⁰⁸) is never reached: G = 0, not z·e^(−z²/2) = ∞·0.
	if z := zExact(400, m); !math.IsInf(z, 1) || c.g(z) != 0 {
		t.Errorf("zExact(400, 20) = %v, G there %v; want +Inf and 0", z, c.g(z))
	}
	for _, z := range []float64{2.5, 3.3, 4.2, 5.5} {
		if got := c.g(z); math.Abs(got-law(z))/law(z) > 1e-4 {
			t.Errorf("g(%v) = %.6g, law %.6g", z, got, law(z))
		}
	}
}

// local is the second-order expansion of the fitted ln G about z₀, which
// the pool steps bin by bin: ln G(z₀ + h) − ln G(z₀) − slope·h − curv·h² is
// the Taylor remainder of ln z, h³/(3ξ³) for some ξ between z₀ and z₀ + h
// — below h³/(3·z₀³)·(1 + 3h/z₀) here — and zero for the polynomial part.
func TestLevelCalLocal(t *testing.T) {
	c := &levelCal{quad: true, lnz: true, qa: 1.1, qb: -0.1, qc: -0.5, zPeak: 2}
	for _, z0 := range []float64{2.2, 3.5, 5} {
		slope, curv := c.local(z0)
		for _, h := range []float64{0.01, 0.05, 0.2} {
			got := math.Log(c.g(z0+h)) - math.Log(c.g(z0)) - slope*h - curv*h*h
			bound := h * h * h / (3 * z0 * z0 * z0) * (1 + 3*h/z0)
			if math.Abs(got) > bound {
				t.Errorf("z0 %v h %v: remainder %.3g > %.3g", z0, h, got, bound)
			}
		}
	}
}

// Below a calibration mean of zExactFrom the fit is a free quadratic of
// ln G in the Wilson–Hilferty z, which the pool uses at the same mean
// (a calibration that low runs at the scenario's own): counts from a law
// ln G = a + b·z + c·z² in that z at m = 5 give back a, b and c.
func TestLevelFitLowMeanQuadratic(t *testing.T) {
	const a, b, cc = 2.0, -0.3, -0.6
	const m, dur, g0 = 5.0, 1e12, 2.0
	var ncl, ncold []int64
	for k := 1.0; k < 40; k++ {
		z := zLevel(k, m)
		n := 0.0
		if z >= 1.5 {
			g := math.Exp(a + b*z + cc*z*z)
			n = dur * g * math.Exp(-g*g0)
		}
		ncl = append(ncl, int64(math.Round(n)))
		ncold = append(ncold, 0)
	}
	c := buildLevelCal(ncl, ncold, m, 50, dur, g0, 60)
	if c == nil || !c.quad || c.lnz {
		t.Fatalf("want the free quadratic: %+v", c)
	}
	if math.Abs(c.qa-a) > 1e-4 || math.Abs(c.qb-b) > 1e-4 || math.Abs(c.qc-cc) > 1e-4 {
		t.Errorf("fit %.6f + %.6f·z + %.6f·z², law %v + %v·z + %v·z²", c.qa, c.qb, c.qc, a, b, cc)
	}
}
