package simulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"gonum.org/v1/gonum/optimize"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// QuantileFit is a duration distribution fitted to a dataset's statistics
// — mean, p50, p90, p99 and max — that keeps all of them (a log-normal
// through p50 and p99 alone puts the mean 43 % too high on a typical
// right-skewed function, and the bill with it).
//
// Its quantile function is written in normal scores z = Φ⁻¹(u): ln Q(z)
// is piecewise linear, through the dataset's quantiles at their scores
// (p50 at z = 0, p90 at 1.2816, p99 at 2.3263), so within each piece the
// distribution is a log-normal's. Below p50 the slope is sₕ and above p99
// it is sₜ, the tail capped at the dataset's max (an atom at max of mass
// 1 − Φ(z꜀), where the tail line reaches it). Both slopes start from the
// log-normal that fits the quantiles best (least squares of ln q on z,
// stat.LinearRegression); the mean is then matched exactly by choosing
// (sₕ, sₜ) on the curve mean(sₕ, sₜ) = mean nearest to that log-normal
// (minimising (ln sₕ − ln σ)² + (ln sₜ − ln σ)², optimize.NelderMead over
// sₜ with sₕ solved by bisection). The mean of each piece is closed-form:
// ∫ₐᵇ e^(c + s·z) φ(z) dz = e^(c + s²/2) (Φ(b − s) − Φ(a − s)).
// A sample is one normal draw put through ln Q.
type QuantileFit struct {
	zk, lk []float64 // knots: scores and ln ns
	sh, st float64   // slopes below the first knot and above the last
	lnMax  float64   // cap (ln ns); +Inf if none
	mean   float64   // ns
	target FitTarget
	source string
}

// FitTarget are the statistics a fit is asked to keep (0 = not given).
type FitTarget struct {
	Mean, P50, P90, P99, Max time.Duration
}

var unitNormal = distuv.UnitNormal

// FitQuantiles fits a QuantileFit to the statistics; P50 and Mean are
// required, the others are used when given. source names where they came
// from.
func FitQuantiles(t FitTarget, source string) (*QuantileFit, error) {
	if t.P50 <= 0 || t.Mean <= 0 {
		return nil, fmt.Errorf("a fit needs a positive p50 and mean")
	}
	f := &QuantileFit{target: t, source: source, lnMax: math.Inf(1)}
	prev := time.Duration(0)
	for _, k := range []struct {
		p float64
		q time.Duration
	}{{0.5, t.P50}, {0.9, t.P90}, {0.99, t.P99}} {
		if k.q <= 0 {
			continue
		}
		if k.q < prev {
			return nil, fmt.Errorf("the percentiles decrease (%s after %s)", k.q, prev)
		}
		prev = k.q
		f.zk = append(f.zk, unitNormal.Quantile(k.p))
		f.lk = append(f.lk, math.Log(float64(k.q)))
	}
	if t.Max > 0 {
		if t.Max < prev {
			return nil, fmt.Errorf("max %s is below p%s %s", t.Max, "99", prev)
		}
		f.lnMax = math.Log(float64(t.Max))
	}
	sigma := 0.5
	if len(f.zk) >= 2 {
		_, sigma = stat.LinearRegression(f.zk, f.lk, nil, false)
	}
	sigma = math.Max(sigma, 0.05)
	target := float64(t.Mean)

	// For a tail slope, the head slope that matches the mean (mean falls
	// as sₕ grows); ok is false when no sₕ ≥ 0 reaches it.
	head := func(st float64) (float64, bool) {
		lo, hi := -12.0, 8.0 // ln sₕ
		if f.meanWith(0, st) < target || f.meanWith(math.Exp(hi), st) > target {
			return 0, false
		}
		for i := 0; i < 100; i++ {
			mid := (lo + hi) / 2
			if f.meanWith(math.Exp(mid), st) > target {
				lo = mid
			} else {
				hi = mid
			}
		}
		return math.Exp((lo + hi) / 2), true
	}
	ls := math.Log(sigma)
	obj := func(x []float64) float64 {
		st := math.Exp(x[0])
		sh, ok := head(st)
		if !ok {
			// Infeasible: the distance of the mean, far above any feasible cost.
			return 1e6 + math.Abs(math.Log(f.meanWith(sh, st)/target))
		}
		return (math.Log(sh)-ls)*(math.Log(sh)-ls) + (x[0]-ls)*(x[0]-ls)
	}
	best, bestX := math.Inf(1), ls
	// The feasible set of ln sₜ is an interval; start the search inside it.
	for x := -8.0; x <= 6; x += 0.25 {
		if v := obj([]float64{x}); v < best {
			best, bestX = v, x
		}
	}
	if res, err := optimize.Minimize(optimize.Problem{Func: obj}, []float64{bestX}, nil, &optimize.NelderMead{}); err == nil && res.F < best {
		bestX = res.X[0]
	}
	f.st = math.Exp(bestX)
	if sh, ok := head(f.st); ok {
		f.sh = sh
	} else {
		// No slopes reach the mean: the closest, and the report says by how much.
		f.sh = sigma
		if f.meanWith(0, math.Exp(6)) < target {
			f.sh, f.st = 0, math.Exp(6)
		} else if f.meanWith(math.Exp(8), math.Exp(-8)) > target {
			f.sh, f.st = math.Exp(8), math.Exp(-8)
		}
	}
	f.mean = f.meanWith(f.sh, f.st)
	return f, nil
}

// lnq is ln Q at score z with the given slopes.
func (f *QuantileFit) lnq(z, sh, st float64) float64 {
	n := len(f.zk)
	var v float64
	switch {
	case z <= f.zk[0]:
		v = f.lk[0] + sh*(z-f.zk[0])
	case z >= f.zk[n-1]:
		v = f.lk[n-1] + st*(z-f.zk[n-1])
	default:
		i := 1
		for z > f.zk[i] {
			i++
		}
		v = f.lk[i-1] + (f.lk[i]-f.lk[i-1])*(z-f.zk[i-1])/(f.zk[i]-f.zk[i-1])
	}
	return math.Min(v, f.lnMax)
}

// pieceMean is ∫ₐᵇ e^(c + s·z) φ(z) dz.
func pieceMean(c, s, a, b float64) float64 {
	if b <= a {
		return 0
	}
	return math.Exp(c+s*s/2) * (unitNormal.CDF(b-s) - unitNormal.CDF(a-s))
}

// meanWith is the mean (ns) with slopes sh and st.
func (f *QuantileFit) meanWith(sh, st float64) float64 {
	n := len(f.zk)
	inf := math.Inf(1)
	// Head: ln Q = lk0 + sh(z − zk0) = (lk0 − sh·zk0) + sh·z on (−∞, zk0].
	m := pieceMean(f.lk[0]-sh*f.zk[0], sh, math.Inf(-1), f.zk[0])
	for i := 1; i < n; i++ {
		s := (f.lk[i] - f.lk[i-1]) / (f.zk[i] - f.zk[i-1])
		m += pieceMean(f.lk[i-1]-s*f.zk[i-1], s, f.zk[i-1], f.zk[i])
	}
	zl, ll := f.zk[n-1], f.lk[n-1]
	zc := inf // where the tail reaches the cap
	if !math.IsInf(f.lnMax, 1) {
		if st > 0 {
			zc = zl + (f.lnMax-ll)/st
		} else if ll >= f.lnMax {
			zc = zl
		}
	}
	m += pieceMean(ll-st*zl, st, zl, zc)
	if !math.IsInf(zc, 1) {
		m += math.Exp(f.lnMax) * (1 - unitNormal.CDF(zc))
	}
	return m
}

// Sample draws a duration: a standard normal score through ln Q.
func (f *QuantileFit) Sample(r *rand.Rand) time.Duration {
	return clampDur(math.Exp(f.lnq(r.NormFloat64(), f.sh, f.st)))
}

// Mean is the fitted distribution's mean (the dataset's, when the fit
// reached it).
func (f *QuantileFit) Mean() time.Duration { return clampDur(math.Round(f.mean)) }

// Quantile is Q(p).
func (f *QuantileFit) Quantile(p float64) time.Duration {
	if p <= 0 {
		return 0
	}
	if p >= 1 {
		if math.IsInf(f.lnMax, 1) {
			return maxSample
		}
		return clampDur(math.Exp(f.lnMax))
	}
	return clampDur(math.Exp(f.lnq(unitNormal.Quantile(p), f.sh, f.st)))
}

// String describes the distribution.
func (f *QuantileFit) String() string {
	t := f.target
	return fmt.Sprintf("quantile fit(%s: mean=%s, p50=%s, p90=%s, p99=%s, max=%s)", f.source, t.Mean, t.P50, t.P90, t.P99, t.Max)
}

// FitReport is the goodness of fit of a QuantileFit: each statistic of the
// dataset next to the fitted distribution's (closed form) and to the same
// statistic of 200,000 draws of its sampler (stat.Mean, stat.Quantile),
// with the relative errors.
type FitReport struct {
	Distribution string   `json:"distribution"`
	Rows         []FitRow `json:"rows"`
	// MaxErrorPct is the largest |fitted − dataset| / dataset over the rows.
	MaxErrorPct float64 `json:"max_error_pct"`
}

// FitRow is one statistic of a FitReport, in milliseconds.
type FitRow struct {
	Stat      string  `json:"stat"`
	DatasetMs float64 `json:"dataset_ms"`
	FittedMs  float64 `json:"fitted_ms"`
	SampledMs float64 `json:"sampled_ms"`
	ErrorPct  float64 `json:"error_pct"`
}

// Report compares the fit with its target.
func (f *QuantileFit) Report() *FitReport {
	const n = 200_000
	rng := rand.New(rand.NewPCG(1, 2))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = float64(f.Sample(rng))
	}
	sortFloats(xs)
	rep := &FitReport{Distribution: f.String()}
	t := f.target
	add := func(name string, want time.Duration, fitted float64, sampled float64) {
		if want <= 0 {
			return
		}
		e := 100 * math.Abs(fitted-float64(want)) / float64(want)
		rep.Rows = append(rep.Rows, FitRow{Stat: name, DatasetMs: ms(want), FittedMs: fitted / 1e6, SampledMs: sampled / 1e6, ErrorPct: e})
		rep.MaxErrorPct = math.Max(rep.MaxErrorPct, e)
	}
	add("mean", t.Mean, f.mean, stat.Mean(xs, nil))
	for _, q := range []struct {
		name string
		p    float64
		want time.Duration
	}{{"p50", 0.5, t.P50}, {"p90", 0.9, t.P90}, {"p99", 0.99, t.P99}} {
		add(q.name, q.want, float64(f.Quantile(q.p)), stat.Quantile(q.p, stat.Empirical, xs, nil))
	}
	add("max", t.Max, float64(f.Quantile(1)), xs[len(xs)-1])
	return rep
}

func sortFloats(xs []float64) { slices.Sort(xs) }
