package simulator

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"time"
)

// Distribution is a distribution of durations: a function's warm handler
// time, its INIT time, or an environment's idle keep-alive. Sample must not
// allocate: it runs once or twice per simulated invocation.
type Distribution interface {
	// Sample draws one duration (never negative).
	Sample(r *rand.Rand) time.Duration
	// Mean is the expected value.
	Mean() time.Duration
	// Quantile is the p-quantile, 0 ≤ p ≤ 1.
	Quantile(p float64) time.Duration
	// String describes the distribution, e.g. "lognormal(p50=80ms, p99=400ms)".
	String() string
}

// maxSample caps every sampled duration (a lognormal tail can exceed any
// int64); it is far above Lambda's 15-minute timeout, which truncates it.
const maxSample = 24 * time.Hour

// z99 is the 99th percentile of the standard normal distribution.
var z99 = math.Sqrt2 * math.Erfinv(0.98)

// Fixed is a constant duration.
type Fixed struct{ Value time.Duration }

// Sample returns the value.
func (d Fixed) Sample(*rand.Rand) time.Duration { return d.Value }

// Mean returns the value.
func (d Fixed) Mean() time.Duration { return d.Value }

// Quantile returns the value.
func (d Fixed) Quantile(float64) time.Duration { return d.Value }

// String describes the distribution.
func (d Fixed) String() string { return d.Value.String() }

// Exponential has the given mean (memoryless; SimFaaS's service times).
type Exponential struct{ MeanValue time.Duration }

// Sample draws an exponential duration.
func (d Exponential) Sample(r *rand.Rand) time.Duration {
	return clampDur(r.ExpFloat64() * float64(d.MeanValue))
}

// Mean returns the mean.
func (d Exponential) Mean() time.Duration { return d.MeanValue }

// Quantile is −mean·ln(1−p).
func (d Exponential) Quantile(p float64) time.Duration {
	if p >= 1 {
		return maxSample
	}
	return clampDur(-math.Log1p(-p) * float64(d.MeanValue))
}

// String describes the distribution.
func (d Exponential) String() string { return fmt.Sprintf("exponential(mean=%s)", d.MeanValue) }

// Uniform is uniform on [Min, Max].
type Uniform struct{ Min, Max time.Duration }

// Sample draws a uniform duration.
func (d Uniform) Sample(r *rand.Rand) time.Duration {
	return d.Min + time.Duration(r.Float64()*float64(d.Max-d.Min))
}

// Mean is the midpoint.
func (d Uniform) Mean() time.Duration { return d.Min + (d.Max-d.Min)/2 }

// Quantile interpolates linearly.
func (d Uniform) Quantile(p float64) time.Duration {
	return d.Min + time.Duration(p*float64(d.Max-d.Min))
}

// String describes the distribution.
func (d Uniform) String() string { return fmt.Sprintf("uniform(min=%s, max=%s)", d.Min, d.Max) }

// LogNormal is exp(N(Mu, Sigma²)) nanoseconds: the usual shape of function
// durations (Shahrad et al. 2020 fit average durations with a log-normal).
type LogNormal struct {
	Mu, Sigma float64 // of ln(nanoseconds)
	desc      string
}

// LogNormalP50P99 is the log-normal with median p50 and 99th percentile p99:
// μ = ln p50, σ = (ln p99 − ln p50) / z₀.₉₉.
func LogNormalP50P99(p50, p99 time.Duration) (LogNormal, error) {
	if p50 <= 0 {
		return LogNormal{}, fmt.Errorf("p50 must be positive")
	}
	if p99 < p50 {
		return LogNormal{}, fmt.Errorf("p99 %s is below p50 %s", p99, p50)
	}
	mu := math.Log(float64(p50))
	return LogNormal{Mu: mu, Sigma: (math.Log(float64(p99)) - mu) / z99,
		desc: fmt.Sprintf("lognormal(p50=%s, p99=%s)", p50, p99)}, nil
}

// LogNormalMeanP99 is the log-normal with the given mean and 99th percentile.
// From mean = e^(μ+σ²/2) and p99 = e^(μ+zσ): σ²/2 − zσ + ln(p99/mean) = 0,
// whose smaller root σ = z − √(z² − 2 ln(p99/mean)) is the one with the mode
// below the mean; it exists when p99/mean ≤ e^(z²/2) ≈ 14.97.
func LogNormalMeanP99(mean, p99 time.Duration) (LogNormal, error) {
	if mean <= 0 {
		return LogNormal{}, fmt.Errorf("mean must be positive")
	}
	if p99 < mean {
		return LogNormal{}, fmt.Errorf("p99 %s is below the mean %s", p99, mean)
	}
	k := math.Log(float64(p99) / float64(mean))
	disc := z99*z99 - 2*k
	if disc < 0 {
		return LogNormal{}, fmt.Errorf("no log-normal has mean %s and p99 %s (p99 may be at most %.2f× the mean)", mean, p99, math.Exp(z99*z99/2))
	}
	sigma := z99 - math.Sqrt(disc)
	mu := math.Log(float64(mean)) - sigma*sigma/2
	return LogNormal{Mu: mu, Sigma: sigma, desc: fmt.Sprintf("lognormal(mean=%s, p99=%s)", mean, p99)}, nil
}

// Sample draws a log-normal duration.
func (d LogNormal) Sample(r *rand.Rand) time.Duration {
	return clampDur(math.Exp(d.Mu + d.Sigma*r.NormFloat64()))
}

// Mean is e^(μ+σ²/2).
func (d LogNormal) Mean() time.Duration { return clampDur(math.Exp(d.Mu + d.Sigma*d.Sigma/2)) }

// Quantile is e^(μ+σ·Φ⁻¹(p)).
func (d LogNormal) Quantile(p float64) time.Duration {
	if p <= 0 {
		return 0
	}
	if p >= 1 {
		return maxSample
	}
	return clampDur(math.Exp(d.Mu + d.Sigma*math.Sqrt2*math.Erfinv(2*p-1)))
}

// String describes the distribution.
func (d LogNormal) String() string {
	if d.desc != "" {
		return d.desc
	}
	return fmt.Sprintf("lognormal(mu=%g, sigma=%g)", d.Mu, d.Sigma)
}

// Empirical resamples observed durations uniformly (bootstrap).
type Empirical struct {
	sorted []time.Duration
	mean   time.Duration
	source string
}

// NewEmpirical builds an empirical distribution from observations; source
// describes where they came from. It needs at least one value.
func NewEmpirical(values []time.Duration, source string) (*Empirical, error) {
	if len(values) == 0 {
		return nil, fmt.Errorf("no durations")
	}
	s := slices.Clone(values)
	slices.Sort(s)
	if s[0] < 0 {
		return nil, fmt.Errorf("negative duration %s", s[0])
	}
	var sum float64
	for _, v := range s {
		sum += float64(v)
	}
	return &Empirical{sorted: s, mean: time.Duration(math.Round(sum / float64(len(s)))), source: source}, nil
}

// Sample returns one of the observations, each equally likely.
func (d *Empirical) Sample(r *rand.Rand) time.Duration { return d.sorted[r.IntN(len(d.sorted))] }

// Mean is the average observation.
func (d *Empirical) Mean() time.Duration { return d.mean }

// Quantile is the nearest-rank p-quantile of the observations.
func (d *Empirical) Quantile(p float64) time.Duration {
	n := len(d.sorted)
	i := int(math.Ceil(p*float64(n))) - 1
	return d.sorted[max(0, min(n-1, i))]
}

// Len is the number of observations.
func (d *Empirical) Len() int { return len(d.sorted) }

// String describes the distribution.
func (d *Empirical) String() string {
	return fmt.Sprintf("empirical(%s, n=%d, mean=%s)", d.source, len(d.sorted), d.mean)
}

func clampDur(ns float64) time.Duration {
	if !(ns > 0) { // also NaN
		return 0
	}
	if ns >= float64(maxSample) {
		return maxSample
	}
	return time.Duration(ns)
}

// CDF is a distribution given by points of its cumulative distribution
// function, linear between them (uniform within each interval), e.g. the
// measured probability that an idle AWS environment is gone after a gap.
// The first point may carry an atom (P > 0 at its duration); the last must
// reach 1.
type CDF struct {
	at   []time.Duration
	p    []float64
	mean time.Duration
	desc string
}

// NewCDF builds a CDF distribution from points sorted by duration with
// non-decreasing probabilities ending at 1.
func NewCDF(at []time.Duration, p []float64) (*CDF, error) {
	if len(at) == 0 || len(at) != len(p) {
		return nil, fmt.Errorf("needs [duration, probability] points")
	}
	for i := range at {
		if at[i] < 0 || !(p[i] >= 0 && p[i] <= 1) {
			return nil, fmt.Errorf("point %d: durations must be ≥ 0 and probabilities in [0, 1]", i)
		}
		if i > 0 && (at[i] < at[i-1] || p[i] < p[i-1]) {
			return nil, fmt.Errorf("point %d: durations and probabilities must not decrease", i)
		}
	}
	if p[len(p)-1] != 1 {
		return nil, fmt.Errorf("the last point's probability must be 1, not %g", p[len(p)-1])
	}
	mean := p[0] * float64(at[0])
	for i := 1; i < len(at); i++ {
		mean += (p[i] - p[i-1]) * (float64(at[i-1]) + float64(at[i])) / 2
	}
	return &CDF{at: slices.Clone(at), p: slices.Clone(p), mean: time.Duration(math.Round(mean)),
		desc: fmt.Sprintf("cdf(%d points, %s–%s)", len(at), at[0], at[len(at)-1])}, nil
}

// Sample inverts the CDF at a uniform random number.
func (d *CDF) Sample(r *rand.Rand) time.Duration { return d.Quantile(r.Float64()) }

// Mean is Σ (pᵢ − pᵢ₋₁)·(xᵢ₋₁ + xᵢ)/2 (plus the first point's atom).
func (d *CDF) Mean() time.Duration { return d.mean }

// Quantile interpolates linearly between the points.
func (d *CDF) Quantile(u float64) time.Duration {
	if u <= d.p[0] {
		return d.at[0]
	}
	i := sort.SearchFloat64s(d.p, u) // first p ≥ u, i ≥ 1
	if i >= len(d.p) {
		return d.at[len(d.at)-1]
	}
	lo, hi := d.p[i-1], d.p[i]
	if hi == lo {
		return d.at[i]
	}
	f := (u - lo) / (hi - lo)
	return d.at[i-1] + time.Duration(f*float64(d.at[i]-d.at[i-1]))
}

// String describes the distribution.
func (d *CDF) String() string { return d.desc }
