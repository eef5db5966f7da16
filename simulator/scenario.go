// Package simulator simulates a Lambda function under a traffic scenario:
// arrivals, execution environments with keep-alive, cold starts, the
// concurrency and scaling limits, throttles, latency and the bill. It is a
// discrete-event simulation with one event per invocation, exact in the
// model it states, deterministic for a seed, and its memory does not grow
// with the number of invocations.
//
// # Fast mode
//
// Long horizons at high rates (a year at 10k req/s is 3·10¹¹ invocations)
// are out of reach of one event per invocation, so Options.Mode = ModeFast
// (or ModeAuto, when EstimateExact exceeds a minute) aggregates the
// invocations but keeps the pool of environments at the level of
// environments. With λ(t) the admitted rate, E[S] the mean (timeout-capped)
// duration and E[I] the mean INIT:
//
//   - Arrivals per 1-s step are the integral of the rate curve, exactly.
//   - Rate quota: the excess of a second's requests N ~ Poisson(a) over the
//     limit l is E[(N − l)⁺] (a finite sum for small a, else the normal
//     approximation σφ(z) − (l + ½ − a)(1 − Φ(z)), z = (l + ½ − a)/σ).
//   - Busy environments: m = λ·E[S] (M/G/∞, Little's law), Poisson
//     distributed in steady state.
//   - Levels: the engine routes to the most recently used idle environment,
//     so the environment at stack level k (counted above the provisioned
//     ones) is alive exactly when the busy count reached k within the last
//     idle timeout T, and an arrival is cold exactly when it lifts the busy
//     count to a level not reached for T. The busy count's visits to a
//     level above its mean come in clusters that are, to a good
//     approximation, a Poisson process of rate G_k; so level k is dead with
//     probability e^(−Λ_k), Λ_k(t) = ∫_{t−T}^t G_k(s) ds, and its cold starts
//     come at the rate G_k·e^(−Λ_k) — the e^(−λT) keep-alive law, level by
//     level. The fast mode keeps Λ_k for each level in a ring of slots
//     (≈ T/40 each, whole seconds), so that a change of rate at any speed
//     is integrated exactly over the window: growth (levels newly reached),
//     reclaim (levels not reached for T), and the steady fluctuation cold
//     starts are one formula. Expected cold starts and live environments
//     are Σ_k over the levels (in bins of b ≈ √m/12 adjacent levels).
//   - Within a slot: with the visits of the slot leaving the window (a, in
//     units of Λ) and of the current one (c) spread evenly over the slot
//     and Λ' the slots in between, a level is alive at the fraction u of
//     the slot with probability 1 − e^(−Λ'−a(1−u)−cu), so its mean over the
//     slot exceeds the mean of the slot's two ends by e^(−Λ'−min(a,c))·f(d),
//     f(d) = (1 + e^(−d))/2 − (1 − e^(−d))/d, d = |c − a| (up to ½). It matters
//     where a level goes from surely alive to dead or back within one slot:
//     a pool reclaimed T after a busy stretch lives to the end of its last
//     slot (a straight line between the ends put it at half), a flood's
//     levels are born at the start of theirs. A flood's levels are not
//     visited through their slot but once, at its start: they are born at
//     the fluid race's mean birth time and reclaimed, T later, at its mean
//     time of last visit (the suffix maximum of the fluid busy count; 0.11
//     and 0.37 s for the trace case's durations). Each slot's steps get the
//     straight line plus these corrections, shaped 2(1 − u) for early and 2u
//     for late events. Left out where d ≤ 1 (f < 0.052) or Λ' ≥ 8 (a year
//     at 10k req/s: 3 % of the correction, < 10⁻⁶ of its mean environments).
//   - G as a function of the level: with z_k the standard-normal level
//     equivalent of k for a Poisson(m) count (P(N ≥ k) = 1 − Φ(z_k); the
//     pool uses the Wilson–Hilferty approximation, the calibration the
//     exact score), G depends on z_k and the duration distribution but
//     hardly on m (the normalised busy count converges to a Gaussian
//     process whose covariance depends on the durations only). It is
//     measured once per run by a busy-count simulation (Poisson arrivals,
//     the scenario's durations, ≈ 1.2·10⁷–2.4·10⁷ arrivals, ≥ 20 mean
//     busy, ≥ 120 T and ≥ 1 h; an arrival that lifts the count to a level
//     not reached for T is a cold start and holds its environment for
//     INIT + duration, as in the engine — the longer hold makes the next
//     level's visit likelier, and leaving it out put the steady cold
//     starts ≈ 2.5 % low): for each level, the visits that start
//     after at least g0 below it, n_k, give G_k from n_k/D =
//     G_k·e^(−G_k·g0); ln G is fitted, weighted by n_k, with the form of
//     a Gaussian process's rate of excursion clusters above a high level,
//     ∝ z^(2/α−1)·φ(z) (Pickands; α = 1 here, as the busy count's
//     correlation r(t) = ∫_t^∞ P(S > s) ds / E[S] has a linear cusp at
//     0): ln G = ln z − z²/2 + a + b·z, a and b fitted. The run states the
//     simulation's counted steady cold-start rate next to the fit's
//     Σ_k G_k·e^(−G_k·T). Its counts are a sample (n_k is Poisson-like, a
//     few hundred clusters at the levels that set the cold starts of a
//     10-min keep-alive), and those cold starts follow ln G's slope
//     where G·T ≈ 1, near the top of the levels counted: a free
//     quadratic in z, whose curvature the counts determine worst, varied
//     there by 2.9 % between seeds on the week case, the two-parameter
//     form by 0.7 %. Its loop is kept cheap per arrival so that it can be
//     long. Durations are drawn by inversion, min(Q(U), timeout) with U
//     uniform and Q the distribution's quantile function — the
//     distribution's own law, the timeout cap included — from a table of
//     Q at 2¹³ equally likely points, interpolated linearly within a bin
//     where that is within 10⁻⁶ of Q (+ 2 ns) and computed from Q itself
//     in the other bins (a log-normal's far tails, the timeout's bin;
//     every bin of an empirical, CDF or quantile-fit distribution, whose Q
//     has steps or corners). Departures wait in a calendar queue (buckets
//     of a quarter of the mean inter-arrival time, each sorted, in a ring
//     of ≥ 8 mean durations: O(1) per arrival instead of a heap's
//     O(log m)) and leave in time order. The run is two independent
//     streams of the seed on two goroutines, each warmed up for T + 10 s
//     before it counts, their counts and lengths added: each estimates the
//     same stationary rates, so the sum is an estimate from the summed
//     length, in half the wall time.
//   - Floods: when the rate jumps past what the live pool serves warm
//     ((prov + pool)/E[S] per s), the arrivals that find no idle
//     environment start one and hold it for INIT + duration, until freed
//     environments serve the rest warm. The fluid of that race (completions
//     from the sampled INIT + duration and duration distributions), run
//     once from an empty pool at rate 1, gives κ environments per req/s of
//     excess. That is the flood's expected busy count; its pool is the
//     running maximum of the busy count, which overshoots the fluid: near
//     the peak the drift passes through zero at a rate a ∝ r with noise
//     variance ≈ 2r per s, and E[sup_s (σB(s) − a·s²/2)] ∝ σ^(4/3)·a^(−1/3) ∝
//     r^(1/3). A flood of excess x leaves κx + γ·∛(κx), γ measured once per
//     duration sample, when a run first needs it, by racing 1,000 floods of
//     50 environments arrival by arrival (≈ 1 for the validation set's
//     durations: the exact floods of 100–10,000 req/s are above the fluid
//     by 0.6–1.4·∛(κr) ± 0.2–0.45, 1.7 % at 2,500 req/s; the raced ones by
//     1.0–1.1·∛(κr) ± 0.05); left out where κ < 2·E[S] (no peak: the
//     levels' excursions are the overshoot) and for evenly spaced
//     arrivals. A flood the scaling budget (a token bucket, scaling_rate
//     per 10 s) or the concurrency cap bounds is raced in the fluid at its
//     own rate, pool, budget and cap, and its unserved arrivals are
//     throttles.
//   - The first seconds (30 s, or 10·(E[I] + E[S]), at most ≈ 5·10⁶
//     arrivals) run the exact engine: the filling of the empty pool, where
//     the scaling budget and the INIT flood race arrival by arrival, is
//     the exact engine's. It runs n times — the streams 0…n−1 of the seed,
//     i.e. the first seconds of the replicas `--runs n` would run, n = 8
//     or fewer so that they hold at most 1.5·10⁶ arrivals together — and
//     hands over their mean: totals, timeline, and per pool level how
//     long its environment stays alive in each start (the busy ones a
//     full idle timeout, the idle ones until their reclaim deadline): the
//     level is alive from the hand-off with the probability that it still
//     is in a start, its death placed within its slot, and besides kept
//     by the level law. One start is
//     one sample of the flood (its cold starts vary by about their square
//     root), which on an hour with a few hundred cold starts was most of
//     a fast run's distance from the exact engine's expectation; the mean
//     of n carries 1/√n of it. Most of what is left is the Poisson count
//     of the flood's first arrivals, which a control variate takes out:
//     with w(t) the fluid flood's fraction of cold arrivals at t (its race
//     at the scenario's rate from an empty pool), X = Σ w(tᵢ) over a
//     start's arrivals has the known mean ∫ λ(t)·w(t) dt (Campbell's
//     theorem, whatever w), so cold − (X − E[X]) keeps the exact engine's
//     mean with half its SD (17.0 → 8.5 cold starts over 512 starts at 1k
//     req/s). Where the scaling budget, the cap or the rate quota bounds
//     the fluid flood, an arrival more is throttled, not started, and the
//     start is left as it ran.
//   - Cap: M/G/c/c is insensitive to the duration distribution, so the
//     blocked fraction is Erlang B(m, c); no level above the cap exists.
//     B is steep near the cap: its elasticity in the offered load m is
//     c − m(1 − B) (≈ 20 at 1.8k req/s × 102 ms against 200), so m's
//     E[S] must be the distribution's, not a sample's (see Billing).
//   - Maximum lifetime: a level surely alive for a whole lifetime is
//     started again (one cold start per bin) at its end.
//   - Billing: invocations × E[billed ms of a warm invocation] + cold
//     starts × (E[billed ms of INIT + duration] − E[warm]); latency
//     quantiles from the mixture (1 − p)·warm + p·cold of 400,000 draws.
//     The draws are stratified (a Latin hypercube: the i-th duration is
//     Q((i + U)/n), the INITs likewise with their strata shuffled), so
//     the moments are the distribution's own to ≈ 10⁻⁵ and not a seed's
//     sample (a plain 400,000-draw mean of a σ = 0.69 log-normal is ±0.12
//     %, which the cap's Erlang B turned into a 3 % SD of the throttles
//     over seeds where the exact engine's runs differ by 1.2–1.4 %).
//   - Stationary stretches: when the rate has been constant for two idle
//     timeouts (and no flood, hand-off or lifetime is pending), every
//     level's window holds the same slot values and each further slot
//     repeats the last one exactly; the rest of the constant stretch is
//     booked at once (n slots × the last slot's figures). A steady year is
//     a few hundred slots of stepping and one multiplication.
//   - Reuse: the calibration and the duration sample depend only on the
//     durations, INIT, timeout, idle timeout, the calibration's rate and
//     length, and the seed; they are kept in small process-wide caches
//     keyed by exactly those, so a what-if that changes memory,
//     architecture, region or prices (or the traffic, above the
//     calibration's rate) reuses them, with the same result as without.
//
// Memory is O(levels × 40) for the rings, O(buckets) for the timeline and
// the trace's segments: it does not grow with the number of invocations.
// The error against the exact engine on the validation set (a day at 10k
// req/s with a 5× spike, a week at 1k req/s diurnal, a step 0→3k req/s, a
// trace with gaps, steady Poisson at three rates, a spike, a diurnal
// cycle, a pool at the account limit) is in BENCHMARKS.md;
// FastValidatedErrorPct is what every fast result states, and a result
// outside the set's regime (a mean busy count below 15, or a flood that
// the concurrency cap stops) says the bound does not apply. Async retries,
// warm starts and replicas need ModeExact.
package simulator

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"go.yaml.in/yaml/v3"

	"github.com/lambdacost/lambdacost/pricing"
)

// Defaults of a scenario.
const (
	DefaultIdleTimeout = 10 * time.Minute // measured AWS keep-alive (research §5.1)
	DefaultSeed        = 1
	MaxScalingRate     = 1_000_000
	MaxSpan            = 366 * 24 * time.Hour
	maxSegments        = 2_000_000 // pieces of the rate curve
	maxRate            = 1e9       // req/s, after traffic.scale
)

// Invocation types.
const (
	Sync  = "sync"  // RequestResponse: a throttle is a 429 to the caller
	Async = "async" // Event: Lambda queues, retries throttles and failures
)

// Async defaults and limits (Lambda's documented behaviour).
const (
	DefaultMaxRetries  = 2
	DefaultMaxEventAge = 6 * time.Hour
	MinMaxEventAge     = time.Minute
)

// Arrival processes.
const (
	Poisson = "poisson" // exact non-homogeneous Poisson arrivals
	Even    = "even"    // evenly spaced: the n-th arrival when the integrated rate reaches n − ½
)

// Scenario is the parsed, validated scenario YAML of SPEC (strict: unknown
// keys and invalid values are reported with file:line).
type Scenario struct {
	Name     string
	Region   string // empty: the caller's region
	Seed     uint64
	Duration pricing.Duration // simulated time (Span)

	Function    FunctionSpec
	Concurrency ConcurrencySpec
	KeepAlive   KeepAliveSpec
	Traffic     TrafficSpec
	// LMI, when set, also runs the traffic on Lambda Managed Instances.
	LMI *LMISpec
	// Billing holds the account's billing options the bill applies (free
	// tier, Compute Savings Plan); they change the bill, not the traffic.
	Billing BillingSpec
	// Compare chooses the always-on alternatives `lambdacost compare`
	// prices (see comparespec.go).
	Compare CompareSpec

	// Path is the file the scenario was read from ("" if built in code).
	Path string
	// Defaults lists what the scenario file left out and the simulation
	// takes Lambda's (or the measured) default for; every result lists it.
	Defaults pricing.Assumptions
}

// FunctionSpec is the simulated function: its configuration (memory,
// architecture, timeout, …) and its duration distributions.
type FunctionSpec struct {
	pricing.FunctionConfig `yaml:",inline"`
	// Duration is the warm handler time.
	Duration Distribution
	// InitDuration is added to (and billed with) every cold invocation.
	InitDuration Distribution
}

// ConcurrencySpec holds the concurrency and scaling limits.
type ConcurrencySpec struct {
	AccountLimit int `yaml:"account_limit" json:"account_limit"` // regional limit (default 1,000)
	Reserved     int `yaml:"reserved" json:"reserved"`           // 0 = none; else a hard cap
	Provisioned  int `yaml:"provisioned" json:"provisioned"`     // always-warm environments
	ScalingRate  int `yaml:"scaling_rate" json:"scaling_rate"`   // new environments per 10 s (default 1,000)
	// InitialEnvironments are idle on-demand environments alive at t = 0
	// (reclaimed after the idle timeout unless used), so a steady state can
	// be measured without the empty-start transient.
	InitialEnvironments int `yaml:"initial_environments" json:"initial_environments,omitempty"`
	// WarmStart "steady" starts from the state of a warm-up run at the
	// traffic's starting rate (see WarmStartSteady); "" starts empty.
	WarmStart string `yaml:"warm_start" json:"warm_start,omitempty"`
	// ProvisionedSchedule changes the provisioned level during the span
	// (Application Auto Scaling's scheduled actions): from each step's At
	// (from the start of the span, strictly increasing) the level is its
	// Level; before the first, Provisioned. The exact engine only.
	ProvisionedSchedule []ProvisionedStep `yaml:"provisioned_schedule" json:"provisioned_schedule,omitempty"`
}

// ProvisionedStep is one scheduled provisioned-concurrency level.
type ProvisionedStep struct {
	At    pricing.Duration `yaml:"at" json:"at"`
	Level int              `yaml:"level" json:"level"`
}

// ProvisionedLevel is the provisioned level at t.
func (c ConcurrencySpec) ProvisionedLevel(t time.Duration) int {
	l := c.Provisioned
	for _, st := range c.ProvisionedSchedule {
		if st.At.D() > t {
			break
		}
		l = st.Level
	}
	return l
}

// provisionedIntervals calls f with each interval of [from, to) at one
// provisioned level.
func (c ConcurrencySpec) provisionedIntervals(from, to time.Duration, f func(level int, d time.Duration)) {
	at, l := from, c.ProvisionedLevel(from)
	for _, st := range c.ProvisionedSchedule {
		if st.At.D() <= at {
			continue
		}
		if st.At.D() >= to {
			break
		}
		f(l, st.At.D()-at)
		at, l = st.At.D(), st.Level
	}
	if to > at {
		f(l, to-at)
	}
}

// MeanProvisioned is the time-average provisioned level over [from, to).
func (c ConcurrencySpec) MeanProvisioned(from, to time.Duration) float64 {
	if len(c.ProvisionedSchedule) == 0 || to <= from {
		return float64(c.Provisioned)
	}
	sum := 0.0
	c.provisionedIntervals(from, to, func(l int, d time.Duration) { sum += float64(l) * float64(d) })
	return sum / float64(to-from)
}

// ProvisionedEnvSeconds is the billed provisioned concurrency × seconds
// of [from, to): each interval at one level rounded up to AWS's 5-minute
// billing resolution (pricing.ProvisionedSeconds), as if enabled at that
// level for the interval.
func (c ConcurrencySpec) ProvisionedEnvSeconds(from, to time.Duration) int64 {
	if len(c.ProvisionedSchedule) == 0 {
		return int64(c.Provisioned) * pricing.ProvisionedSeconds(to-from)
	}
	var n int64
	c.provisionedIntervals(from, to, func(l int, d time.Duration) { n += int64(l) * pricing.ProvisionedSeconds(d) })
	return n
}

// WarmStartSteady starts a run from a pool in steady state: each replica
// first simulates the traffic's starting rate, held constant, for a warm-up
// window (SteadyWarmup), and its environments — idle ones with their
// reclaim deadlines, busy ones with their end times — are carried over to
// t = 0. The warm-up's invocations are not counted or billed.
const WarmStartSteady = "steady"

// MinUnreserved is the concurrency AWS keeps for functions without reserved
// concurrency: "You can reserve up to the Unreserved account concurrency
// value that is shown, minus 100 for functions that don't have reserved
// concurrency" (Lambda developer guide, configuration-concurrency).
const MinUnreserved = 100

// RequestsPerConcurrency is Lambda's invocation-rate quota factor: "Invocation
// requests per Region (requests per second): 10 x concurrent executions
// quota" (synchronous, all sources; asynchronous, non-AWS sources), and
// "each instance of your execution environment can serve up to 10 requests
// per second" for synchronous invocations (Lambda quotas page).
const RequestsPerConcurrency = 10

// RateLimit is the invocation-rate quota the simulator applies, in
// requests per second: 10 × the regional concurrency quota, and for
// synchronous invocations also 10 × the function's concurrency cap (10
// requests per second per execution environment). Asynchronous invocations
// have no per-environment limit (AWS: "unlimited").
func (c ConcurrencySpec) RateLimit(invocation string) int64 {
	l := int64(RequestsPerConcurrency) * int64(c.AccountLimit)
	if invocation != Async {
		l = min(l, int64(RequestsPerConcurrency)*int64(c.Cap()))
	}
	return l
}

// Cap is the function's concurrency limit: the reserved concurrency if set,
// else the account limit.
func (c ConcurrencySpec) Cap() int {
	if c.Reserved > 0 {
		return min(c.Reserved, c.AccountLimit)
	}
	return c.AccountLimit
}

// BillingSpec is the scenario's billing: section. Neither option changes
// what is simulated, only how its usage is priced.
type BillingSpec struct {
	// FreeTier applies Lambda's monthly free tier (1M requests, 400,000
	// GB-s of on-demand duration) to the monthly projection — to each
	// month of a span longer than a month (Result.Months); the bill of
	// the simulated span never gets it (the allowance is per month).
	FreeTier bool `yaml:"free_tier" json:"free_tier"`
	// ComputeSavingsPlan is a Compute Savings Plan discount (a fraction in
	// [0, 1), e.g. 0.17) on duration and provisioned concurrency, never on
	// requests (pricing.Options.ComputeSavingsPlan).
	ComputeSavingsPlan float64 `yaml:"compute_savings_plan" json:"compute_savings_plan"`
	// LogBytesPerRequest is how many bytes of CloudWatch Logs each
	// invocation writes (its own lines and Lambda's START/END/REPORT): both
	// bills get a `logs` line for invocations × this (0 = not priced).
	LogBytesPerRequest pricing.ByteSize `yaml:"log_bytes_per_request" json:"log_bytes_per_request,omitempty"`
}

// withLogs returns u with the log bytes of its invocations
// (LogBytesPerRequest each; none when 0), replacing any it had: a bill's
// log bytes always follow its own requests (the month's are not the
// span's scaled and rounded).
func (b BillingSpec) withLogs(u pricing.BilledUsage) (pricing.BilledUsage, error) {
	u.LogBytes = 0
	if b.LogBytesPerRequest > 0 {
		v, ok := pricing.MulInt64(u.Requests, int64(b.LogBytesPerRequest))
		if !ok {
			return u, pricing.Inputf("billing.log_bytes_per_request", "%d invocations × %d bytes exceed the largest volume lambdacost can bill exactly", u.Requests, b.LogBytesPerRequest)
		}
		u.LogBytes = v
	}
	return u, nil
}

// Options are the pricing options of the billing section for a bill of
// the simulated span (month false) or of the monthly projection.
func (b BillingSpec) Options(month bool) pricing.Options {
	return pricing.Options{FreeTier: month && b.FreeTier, ComputeSavingsPlan: decimal.NewFromFloat(b.ComputeSavingsPlan)}
}

// KeepAliveSpec says when idle environments are reclaimed.
type KeepAliveSpec struct {
	// IdleTimeout: an environment idle this long is reclaimed (default 10m).
	IdleTimeout Distribution
	// MaxLifetime: environments are recycled this long after creation (0 = never).
	MaxLifetime pricing.Duration
}

// Stage is a k6 ramping-arrival-rate stage: the rate moves linearly to
// Target (req/s) over Duration.
type Stage struct {
	Duration pricing.Duration `yaml:"duration" json:"duration"`
	Target   float64          `yaml:"target" json:"target"`
}

// Diurnal is a sine-shaped rate: Mean + Amplitude·sin(2π(t+Phase)/Period).
type Diurnal struct {
	Mean      float64          `yaml:"mean" json:"mean"`
	Amplitude float64          `yaml:"amplitude" json:"amplitude"`
	Period    pricing.Duration `yaml:"period" json:"period"`
	Phase     pricing.Duration `yaml:"phase" json:"phase"`
}

// TrafficSpec is the offered load.
type TrafficSpec struct {
	Arrivals  string // Poisson or Even
	StartRate float64
	Stages    []Stage
	Diurnal   *Diurnal
	// Trace is a file of per-interval counts (CSV timestamp,count) or a
	// dataset whose function series is replayed; TraceFunction picks the
	// dataset function.
	Trace         string
	TraceFunction string
	// Scale multiplies the rate (default 1).
	Scale float64
	// MonthlyGrowth compounds the rate month by month: the rate in the
	// k-th 730-hour month of the span (k = 0, 1, …) is (1 + MonthlyGrowth)^k
	// times the shape's (0: none; −0.1 is a 10 % decline a month).
	MonthlyGrowth float64
	// Invocation is Sync (default) or Async; async events that are
	// throttled or fail are retried (MaxRetries failures, MaxEventAge).
	Invocation  string
	MaxRetries  int
	MaxEventAge pricing.Duration
	// RetryJitter is JitterEqual (default) or JitterNone: see the async
	// retry model in engine.go.
	RetryJitter string
	// TraceCSV: the trace is a CSV (not a dataset series).
	TraceCSV bool
	// FilledPeriods is how many periods a CSV trace left out (gaps between
	// its rows), replayed as zero traffic; see loadTrace.
	FilledPeriods int

	segs []segment
}

// segment is a piece of the rate curve on which the rate is linear:
// r(t) = R0 + (R1−R0)·(t−Start)/(End−Start); Lam is ∫₀^Start r.
type segment struct {
	Start, End float64 // seconds
	R0, R1     float64 // req/s
	Lam        float64 // integrated rate at Start
}

func (g segment) slope() float64 {
	if g.End <= g.Start {
		return 0
	}
	return (g.R1 - g.R0) / (g.End - g.Start)
}
func (g segment) area() float64 { return (g.R0 + g.R1) / 2 * (g.End - g.Start) }

// Span is the simulated time.
func (s *Scenario) Span() time.Duration { return s.Duration.D() }

// Rate is the offered request rate (req/s) at t; 0 outside the span.
func (s *Scenario) Rate(t time.Duration) float64 {
	segs := s.Traffic.segs
	x := t.Seconds()
	if len(segs) == 0 || x < 0 || x > segs[len(segs)-1].End {
		return 0
	}
	i := sort.Search(len(segs), func(i int) bool { return segs[i].End > x })
	if i == len(segs) {
		i = len(segs) - 1
	}
	g := segs[i]
	return g.R0 + g.slope()*(x-g.Start)
}

// PeakRate is the highest offered rate over the span.
func (s *Scenario) PeakRate() float64 {
	p := 0.0
	for _, g := range s.Traffic.segs {
		p = max(p, g.R0, g.R1)
	}
	return p
}

// ExpectedRequests is the integral of Rate over the span: the expected
// number of arrivals (exactly the number with even arrivals, up to rounding).
func (s *Scenario) ExpectedRequests() float64 {
	segs := s.Traffic.segs
	if len(segs) == 0 {
		return 0
	}
	g := segs[len(segs)-1]
	return g.Lam + g.area()
}

// ConstantRate reports the rate if the traffic is constant over the span.
func (s *Scenario) ConstantRate() (float64, bool) {
	segs := s.Traffic.segs
	if len(segs) == 0 {
		return 0, false
	}
	r := segs[0].R0
	for _, g := range segs {
		if g.R0 != r || g.R1 != r {
			return 0, false
		}
	}
	return r, true
}

// ---- YAML ----

type scenarioFile struct {
	Name        string           `yaml:"name"`
	Region      string           `yaml:"region"`
	Seed        *uint64          `yaml:"seed"`
	Duration    pricing.Duration `yaml:"duration"`
	Function    functionFile     `yaml:"function"`
	Concurrency concurrencyFile  `yaml:"concurrency"`
	KeepAlive   keepAliveFile    `yaml:"keep_alive"`
	Traffic     trafficFile      `yaml:"traffic"`
	LMI         yaml.Node        `yaml:"lmi"` // see lmispec.go
	Billing     billingFile      `yaml:"billing"`
	Compare     compareFile      `yaml:"compare"` // see comparespec.go
}

type billingFile struct {
	FreeTier           *bool             `yaml:"free_tier"`
	ComputeSavingsPlan *float64          `yaml:"compute_savings_plan"`
	LogBytesPerRequest *pricing.ByteSize `yaml:"log_bytes_per_request"`
}

type functionFile struct {
	pricing.FunctionConfig `yaml:",inline"`
	Duration               yaml.Node `yaml:"duration"`
	InitDuration           yaml.Node `yaml:"init_duration"`
}

type concurrencyFile struct {
	AccountLimit *int `yaml:"account_limit"`
	Reserved     *int `yaml:"reserved"`
	Provisioned  *int `yaml:"provisioned"`
	ScalingRate  *int `yaml:"scaling_rate"`

	InitialEnvironments *int              `yaml:"initial_environments"`
	WarmStart           string            `yaml:"warm_start"`
	ProvisionedSchedule []ProvisionedStep `yaml:"provisioned_schedule"`
}

type keepAliveFile struct {
	IdleTimeout yaml.Node        `yaml:"idle_timeout"`
	MaxLifetime pricing.Duration `yaml:"max_lifetime"`
}

type trafficFile struct {
	Arrivals  string   `yaml:"arrivals"`
	StartRate *float64 `yaml:"start_rate"`
	Stages    []Stage  `yaml:"stages"`
	Diurnal   *Diurnal `yaml:"diurnal"`
	Trace     string   `yaml:"trace"`
	Function  string   `yaml:"function"`
	Scale     *float64 `yaml:"scale"`
	Growth    *float64 `yaml:"monthly_growth"`

	Invocation  string            `yaml:"invocation"`
	MaxRetries  *int              `yaml:"max_retries"`
	MaxEventAge *pricing.Duration `yaml:"max_event_age"`
	RetryJitter string            `yaml:"retry_jitter"`
}

// Async retry jitter (traffic.retry_jitter).
const (
	JitterEqual = "equal" // a throttle's backoff d becomes uniform in [d/2, d]
	JitterNone  = "none"  // exactly d
)

// LoadScenario reads and validates a scenario file.
func LoadScenario(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf(path, "cannot read scenario: %v", err)
	}
	return ParseScenario(path, data)
}

// ParseScenario parses and validates scenario YAML read from path (files it
// names are resolved relative to path's directory). Every problem is
// reported, each with its file:line.
func ParseScenario(path string, data []byte) (*Scenario, error) {
	var f scenarioFile
	root, err := pricing.DecodeYAML(path, data, &f)
	if err != nil {
		return nil, err
	}
	p := &parser{path: path, root: root, dir: filepath.Dir(path)}
	s := p.build(&f)
	if err := pricing.Errors(p.errs); err != nil {
		return nil, err
	}
	return s, nil
}

type parser struct {
	path string
	root *yaml.Node
	dir  string
	errs []error
}

func (p *parser) at(path ...string) string { return pricing.At(p.path, p.root, path...) }

func (p *parser) errf(src, format string, args ...any) {
	p.errs = append(p.errs, pricing.Inputf(src, format, args...))
}

func (p *parser) resolve(file string) string {
	if file == "" || filepath.IsAbs(file) {
		return file
	}
	return filepath.Join(p.dir, file)
}

func (p *parser) build(f *scenarioFile) *Scenario {
	s := &Scenario{Name: f.Name, Region: f.Region, Seed: DefaultSeed, Path: p.path}
	if f.Seed != nil {
		s.Seed = *f.Seed
	}

	// Function.
	fc := f.Function.FunctionConfig
	p.defaults(s, f)
	if fc.Architecture != "" {
		if a, err := pricing.ParseArchitecture(string(fc.Architecture)); err == nil {
			fc.Architecture = a
		}
	}
	fc = fc.WithDefaults()
	for _, e := range fc.Validate("") {
		if ie, ok := e.(*pricing.InputError); ok {
			p.errf(p.at("function", ie.Source), "function.%s: %s", ie.Source, ie.Msg)
		} else {
			p.errs = append(p.errs, e)
		}
	}
	if fc.Timeout.D() <= 0 && fc.Timeout != 0 {
		p.errf(p.at("function", "timeout"), "function.timeout must be positive")
	} else if t := fc.Timeout.D(); t > 0 && t < time.Second {
		// Lambda's Timeout is whole seconds, 1 to 900 (API reference,
		// FunctionConfiguration.Timeout): SAM, CloudFormation, Terraform and
		// the CLI write it as a bare number of seconds, which a scenario
		// reads as milliseconds, so "timeout: 30" would time out every
		// invocation at 30 ms.
		p.errf(p.at("function", "timeout"), "function.timeout %s is below Lambda's minimum of 1s (Lambda's timeout is whole seconds, 1 to 900; a bare number here is milliseconds: if %g meant seconds, write %gs)",
			fc.Timeout, t.Seconds()*1000, t.Seconds()*1000)
	}

	// Concurrency (concurrency.* wins; function.reserved/provisioned_concurrency also accepted).
	c := ConcurrencySpec{AccountLimit: pricing.DefaultAccountLimit, ScalingRate: pricing.DefaultScalingRate,
		Reserved: fc.ReservedConcurrency, Provisioned: fc.ProvisionedConcurrency}
	cf := f.Concurrency
	setInt := func(dst *int, v *int, key string, lo, hi int) {
		if v == nil {
			return
		}
		if *v < lo || *v > hi {
			p.errf(p.at("concurrency", key), "concurrency.%s %d is outside [%d, %d]", key, *v, lo, hi)
			return
		}
		*dst = *v
	}
	setInt(&c.AccountLimit, cf.AccountLimit, "account_limit", 1, 10_000_000)
	setInt(&c.Reserved, cf.Reserved, "reserved", 0, 10_000_000)
	setInt(&c.Provisioned, cf.Provisioned, "provisioned", 0, 10_000_000)
	setInt(&c.ScalingRate, cf.ScalingRate, "scaling_rate", 1, MaxScalingRate)
	if cf.Reserved != nil && fc.ReservedConcurrency != 0 && *cf.Reserved != fc.ReservedConcurrency {
		p.errf(p.at("concurrency", "reserved"), "concurrency.reserved %d contradicts function.reserved_concurrency %d", *cf.Reserved, fc.ReservedConcurrency)
	}
	if cf.Provisioned != nil && fc.ProvisionedConcurrency != 0 && *cf.Provisioned != fc.ProvisionedConcurrency {
		p.errf(p.at("concurrency", "provisioned"), "concurrency.provisioned %d contradicts function.provisioned_concurrency %d", *cf.Provisioned, fc.ProvisionedConcurrency)
	}
	if c.Reserved > c.AccountLimit {
		p.errf(p.at("concurrency", "reserved"), "reserved concurrency %d exceeds the account limit %d", c.Reserved, c.AccountLimit)
	} else if c.Reserved > 0 && c.AccountLimit-c.Reserved < MinUnreserved {
		p.errf(p.at("concurrency", "reserved"), "reserved concurrency %d leaves %d unreserved of the account limit %d; AWS keeps at least %d unreserved (reserve at most %d, or raise account_limit)",
			c.Reserved, c.AccountLimit-c.Reserved, c.AccountLimit, MinUnreserved, max(0, c.AccountLimit-MinUnreserved))
	}
	if c.Provisioned > c.Cap() {
		p.errf(p.at("concurrency", "provisioned"), "provisioned concurrency %d exceeds the concurrency limit %d", c.Provisioned, c.Cap())
	}
	setInt(&c.InitialEnvironments, cf.InitialEnvironments, "initial_environments", 0, 10_000_000)
	switch strings.ToLower(cf.WarmStart) {
	case "":
	case WarmStartSteady:
		c.WarmStart = WarmStartSteady
		if cf.InitialEnvironments != nil {
			p.errf(p.at("concurrency", "warm_start"), "concurrency: give initial_environments or warm_start: steady, not both")
		}
	default:
		p.errf(p.at("concurrency", "warm_start"), "concurrency.warm_start %q is not steady (omit it to start with no environments)", cf.WarmStart)
	}
	if c.InitialEnvironments+c.Provisioned > c.Cap() {
		p.errf(p.at("concurrency", "initial_environments"), "initial_environments %d plus provisioned %d exceed the concurrency limit %d", c.InitialEnvironments, c.Provisioned, c.Cap())
	}
	for i, st := range cf.ProvisionedSchedule {
		src := p.at("concurrency", "provisioned_schedule", fmt.Sprint(i))
		switch {
		case st.At <= 0 && i == 0:
			p.errf(src, "concurrency.provisioned_schedule[%d].at must be after the start (concurrency.provisioned is the level at 0)", i)
		case i > 0 && st.At <= cf.ProvisionedSchedule[i-1].At:
			p.errf(src, "concurrency.provisioned_schedule[%d].at %s is not after the previous step's %s", i, st.At, cf.ProvisionedSchedule[i-1].At)
		}
		if st.Level < 0 || st.Level > c.Cap() {
			p.errf(src, "concurrency.provisioned_schedule[%d].level %d is outside [0, the concurrency limit %d]", i, st.Level, c.Cap())
		}
		if c.InitialEnvironments+st.Level > c.Cap() {
			p.errf(src, "initial_environments %d plus the scheduled level %d exceed the concurrency limit %d", c.InitialEnvironments, st.Level, c.Cap())
		}
	}
	if len(cf.ProvisionedSchedule) > 10_000 {
		p.errf(p.at("concurrency", "provisioned_schedule"), "concurrency.provisioned_schedule has %d steps; at most 10000", len(cf.ProvisionedSchedule))
	}
	c.ProvisionedSchedule = cf.ProvisionedSchedule
	fc.ReservedConcurrency, fc.ProvisionedConcurrency = c.Reserved, c.Provisioned
	s.Concurrency = c

	// Distributions.
	s.Function.FunctionConfig = fc
	s.Function.Duration = p.dist(&f.Function.Duration, distCtx{field: "function.duration", path: []string{"function", "duration"},
		kind: KindDuration, max: pricing.MaxTimeout, memoryMB: fc.MemoryMB, required: true})
	s.Function.InitDuration = p.dist(&f.Function.InitDuration, distCtx{field: "function.init_duration", path: []string{"function", "init_duration"},
		kind: KindInit, max: pricing.MaxInitDuration, memoryMB: fc.MemoryMB, def: Fixed{0}})
	s.KeepAlive.IdleTimeout = p.dist(&f.KeepAlive.IdleTimeout, distCtx{field: "keep_alive.idle_timeout", path: []string{"keep_alive", "idle_timeout"},
		kind: KindIdle, max: MaxSpan, def: Fixed{DefaultIdleTimeout}})
	s.KeepAlive.MaxLifetime = f.KeepAlive.MaxLifetime
	if f.KeepAlive.MaxLifetime < 0 {
		p.errf(p.at("keep_alive", "max_lifetime"), "keep_alive.max_lifetime must not be negative (0 = unlimited)")
	}

	// Traffic.
	p.traffic(s, f)
	if span := s.Span(); span > 0 {
		for i, st := range s.Concurrency.ProvisionedSchedule {
			if st.At.D() >= span {
				p.errf(p.at("concurrency", "provisioned_schedule", fmt.Sprint(i), "at"), "concurrency.provisioned_schedule[%d].at %s is not within the simulated %s", i, st.At, span)
			}
		}
	}
	s.LMI = p.lmiSpec(&f.LMI, s)
	s.Billing = p.billing(f.Billing)
	s.Compare = p.compareSpec(f.Compare)
	return s
}

// defaults lists what the file leaves out that changes the simulation or
// its bill, with the value taken (Lambda's documented defaults, the
// Regional quotas, the measured keep-alive).
func (p *parser) defaults(s *Scenario, f *scenarioFile) {
	add := func(field, value, why string) {
		s.Defaults.Add(pricing.Assumption{Field: field, Value: value, Why: "not given: " + why})
	}
	fc := f.Function.FunctionConfig
	if fc.MemoryMB == 0 {
		add("function.memory_mb", fmt.Sprintf("%d MB", pricing.MinMemoryMB), "Lambda's default memory size (duration is billed per GB-s of it)")
	}
	if fc.Architecture == "" {
		add("function.architecture", string(pricing.X86_64), "Lambda's default architecture, priced as such (arm64's GB-s is 20 % cheaper)")
	}
	if fc.Timeout == 0 {
		add("function.timeout", pricing.Duration(pricing.DefaultTimeout).String(), "Lambda's default timeout: a longer invocation is stopped, counted as an error and billed up to it")
	}
	if f.Function.InitDuration.Kind == 0 {
		add("function.init_duration", "0s", "cold starts add no INIT time to latency, concurrency or the bill (Lambda bills INIT since August 2025): measure it with lambdacost run or collect --logs")
	}
	if f.KeepAlive.IdleTimeout.Kind == 0 {
		add("keep_alive.idle_timeout", DefaultIdleTimeout.String(), "the keep-alive measured on AWS (AWS does not document it): an environment idle this long is reclaimed")
	}
	if f.Concurrency.AccountLimit == nil {
		add("concurrency.account_limit", fmt.Sprint(pricing.DefaultAccountLimit), "the default Regional concurrency quota")
	}
	if f.Concurrency.ScalingRate == nil {
		add("concurrency.scaling_rate", fmt.Sprintf("%d per 10 s", pricing.DefaultScalingRate), "Lambda's documented scaling rate: new environments per function per 10 seconds")
	}
	if f.Traffic.Arrivals == "" {
		add("traffic.arrivals", Poisson, "requests arrive as a Poisson process around the given rate (arrivals: even spaces them evenly)")
	}
}

// MaxMonthlyGrowth bounds traffic.monthly_growth (10 = ×11 a month).
const MaxMonthlyGrowth = 10

func (p *parser) billing(f billingFile) BillingSpec {
	var b BillingSpec
	if f.FreeTier != nil {
		b.FreeTier = *f.FreeTier
	}
	if f.ComputeSavingsPlan != nil {
		d := *f.ComputeSavingsPlan
		if !(d >= 0 && d < 1) {
			p.errf(p.at("billing", "compute_savings_plan"), "billing.compute_savings_plan %v is outside [0, 1) (a discount, e.g. 0.17 for 17 %%)", d)
		} else {
			b.ComputeSavingsPlan = d
		}
	}
	if f.LogBytesPerRequest != nil { // ByteSize refuses a negative size
		b.LogBytesPerRequest = *f.LogBytesPerRequest
	}
	return b
}

// grow applies a monthly growth g to segs (already scaled): each segment
// is split at the 730-hour month boundaries and the k-th month's rates
// multiplied by (1+g)^k, so the curve stays piecewise linear and its
// integral exact.
func grow(segs []segment, g float64) []segment {
	if g == 0 {
		return segs
	}
	const month = float64(pricing.SecondsPerMonth)
	out := make([]segment, 0, len(segs)+16)
	for _, sg := range segs {
		for sg.Start < sg.End {
			k := math.Floor(sg.Start / month)
			cut := math.Min(sg.End, (k+1)*month)
			piece := sg
			if cut < sg.End {
				r := sg.R0 + sg.slope()*(cut-sg.Start)
				piece.End, piece.R1 = cut, r
				sg.Start, sg.R0 = cut, r
			} else {
				sg.Start = sg.End
			}
			f := math.Pow(1+g, k)
			piece.R0 *= f
			piece.R1 *= f
			out = append(out, piece)
		}
	}
	return out
}

func (p *parser) traffic(s *Scenario, f *scenarioFile) {
	tf := f.Traffic
	t := TrafficSpec{Arrivals: strings.ToLower(tf.Arrivals), Stages: tf.Stages, Diurnal: tf.Diurnal,
		Trace: p.resolve(tf.Trace), TraceFunction: tf.Function, Scale: 1}
	if t.Arrivals == "" {
		t.Arrivals = Poisson
	}
	if t.Arrivals != Poisson && t.Arrivals != Even {
		p.errf(p.at("traffic", "arrivals"), "traffic.arrivals %q is not poisson or even", tf.Arrivals)
	}
	t.Invocation = strings.ToLower(tf.Invocation)
	if t.Invocation == "" {
		t.Invocation = Sync
	}
	if t.Invocation != Sync && t.Invocation != Async {
		p.errf(p.at("traffic", "invocation"), "traffic.invocation %q is not sync or async", tf.Invocation)
	}
	t.MaxRetries, t.MaxEventAge = DefaultMaxRetries, pricing.Duration(DefaultMaxEventAge)
	if tf.MaxRetries != nil {
		t.MaxRetries = *tf.MaxRetries
		if t.MaxRetries < 0 || t.MaxRetries > 2 {
			p.errf(p.at("traffic", "max_retries"), "traffic.max_retries %d is outside Lambda's range [0, 2]", t.MaxRetries)
		}
	}
	if tf.MaxEventAge != nil {
		t.MaxEventAge = *tf.MaxEventAge
		if t.MaxEventAge.D() < MinMaxEventAge || t.MaxEventAge.D() > DefaultMaxEventAge {
			p.errf(p.at("traffic", "max_event_age"), "traffic.max_event_age %s is outside Lambda's range [1m, 6h]", t.MaxEventAge)
		}
	}
	if (tf.MaxRetries != nil || tf.MaxEventAge != nil || tf.RetryJitter != "") && t.Invocation != Async {
		p.errf(p.at("traffic"), "traffic.max_retries, max_event_age and retry_jitter apply to invocation: async")
	}
	t.RetryJitter = JitterEqual
	switch j := strings.ToLower(tf.RetryJitter); j {
	case "", JitterEqual:
	case JitterNone:
		t.RetryJitter = JitterNone
	default:
		p.errf(p.at("traffic", "retry_jitter"), "traffic.retry_jitter %q is not equal or none", tf.RetryJitter)
	}
	if tf.Scale != nil {
		t.Scale = *tf.Scale
		if !(t.Scale >= 0) || math.IsInf(t.Scale, 0) {
			p.errf(p.at("traffic", "scale"), "traffic.scale must be a non-negative number")
			t.Scale = 1
		}
	}
	if tf.Growth != nil {
		t.MonthlyGrowth = *tf.Growth
		if !(t.MonthlyGrowth > -1 && t.MonthlyGrowth <= MaxMonthlyGrowth) {
			p.errf(p.at("traffic", "monthly_growth"), "traffic.monthly_growth %v is outside (-1, %d] (a fraction a month, e.g. 0.05 for 5 %%)", *tf.Growth, MaxMonthlyGrowth)
			t.MonthlyGrowth = 0
		}
	}
	if tf.StartRate != nil {
		t.StartRate = *tf.StartRate
	}
	badRate := func(v float64) bool { return !(v >= 0) || math.IsInf(v, 0) || v > maxRate }
	shapes := 0
	for _, b := range []bool{len(tf.Stages) > 0 || tf.StartRate != nil, tf.Diurnal != nil, tf.Trace != ""} {
		if b {
			shapes++
		}
	}
	if shapes > 1 {
		p.errf(p.at("traffic"), "traffic: give one of start_rate/stages, diurnal or trace")
		return
	}
	if shapes == 0 {
		p.errf(p.at("traffic"), "traffic: no traffic (give start_rate/stages, diurnal or trace)")
		return
	}
	if tf.Function != "" && tf.Trace == "" {
		p.errf(p.at("traffic", "function"), "traffic.function only applies to a dataset trace")
	}
	span := f.Duration.D()
	if f.Duration < 0 {
		p.errf(p.at("duration"), "duration must not be negative")
		return
	}
	if span > MaxSpan {
		p.errf(p.at("duration"), "duration %s is longer than the %s the simulator accepts", span, MaxSpan)
		return
	}
	var segs []segment
	ok := true
	switch {
	case tf.Trace != "":
		counts, widths, filled, err := loadTrace(t.Trace, tf.Function, p.at("traffic", "trace"))
		if err != nil {
			p.errs = append(p.errs, err)
			return
		}
		t.FilledPeriods = filled
		t.TraceCSV = !isDatasetTrace(t.Trace)
		total := 0.0
		for _, w := range widths {
			total += w
		}
		if span == 0 {
			span = time.Duration(total * float64(time.Second))
		}
		// Replay; a span longer than the trace repeats it.
		at := 0.0
		for at < span.Seconds() {
			for i, c := range counts {
				r := c / widths[i]
				segs = append(segs, segment{Start: at, End: math.Min(at+widths[i], span.Seconds()), R0: r, R1: r})
				at += widths[i]
				if at >= span.Seconds() {
					break
				}
			}
			if len(segs) > maxSegments {
				p.errf(p.at("duration"), "duration %s repeats the trace into more than %d intervals", f.Duration, maxSegments)
				return
			}
		}
	case tf.Diurnal != nil:
		d := tf.Diurnal
		if badRate(d.Mean) {
			p.errf(p.at("traffic", "diurnal", "mean"), "traffic.diurnal.mean must be a non-negative rate of at most %g req/s", maxRate)
			ok = false
		}
		if !(d.Amplitude >= 0) || d.Amplitude > d.Mean {
			p.errf(p.at("traffic", "diurnal", "amplitude"), "traffic.diurnal.amplitude must be between 0 and the mean (rates cannot go negative)")
			ok = false
		}
		if d.Period.D() < time.Second {
			p.errf(p.at("traffic", "diurnal", "period"), "traffic.diurnal.period must be at least 1s")
			ok = false
		}
		if !ok {
			return
		}
		if span == 0 {
			span = d.Period.D()
		}
		if n := span.Seconds() / (d.Period.D().Seconds() / 288); n > maxSegments {
			p.errf(p.at("traffic", "diurnal", "period"), "traffic.diurnal.period %s is too short for a %s span (more than %d pieces)", d.Period, span, maxSegments)
			return
		}
		// Piecewise-linear through 288 points per period (5 min for a day):
		// the integrated rate differs from the sine's by < 0.01 %.
		step := d.Period.D().Seconds() / 288
		rate := func(x float64) float64 {
			return d.Mean + d.Amplitude*math.Sin(2*math.Pi*(x+d.Phase.D().Seconds())/d.Period.D().Seconds())
		}
		for at := 0.0; at < span.Seconds(); at += step {
			end := math.Min(at+step, span.Seconds())
			segs = append(segs, segment{Start: at, End: end, R0: rate(at), R1: rate(end)})

		}
	default:
		if badRate(t.StartRate) {
			p.errf(p.at("traffic", "start_rate"), "traffic.start_rate must be a non-negative rate of at most %g req/s", maxRate)
			ok = false
		}
		total := time.Duration(0)
		for i, st := range tf.Stages {
			if badRate(st.Target) {
				p.errf(p.at("traffic", "stages", fmt.Sprint(i), "target"), "traffic.stages[%d].target must be a non-negative rate of at most %g req/s", i, maxRate)
				ok = false
			}
			if st.Duration < 0 {
				p.errf(p.at("traffic", "stages", fmt.Sprint(i), "duration"), "traffic.stages[%d].duration must not be negative", i)
				ok = false
			}
			total += st.Duration.D()
		}
		if !ok {
			return
		}
		if span == 0 {
			span = total
		}
		at, r := 0.0, t.StartRate
		for _, st := range tf.Stages {
			if at >= span.Seconds() {
				break
			}
			d := st.Duration.D().Seconds()
			if d == 0 { // an instantaneous step
				r = st.Target
				continue
			}
			end := at + d
			target := st.Target
			if end > span.Seconds() { // truncate the stage, interpolating its rate
				target = r + (st.Target-r)*(span.Seconds()-at)/d
				end = span.Seconds()
			}
			segs = append(segs, segment{Start: at, End: end, R0: r, R1: target})
			at, r = end, target
		}
		if at < span.Seconds() { // the last rate holds to the end of the span
			segs = append(segs, segment{Start: at, End: span.Seconds(), R0: r, R1: r})
		}
	}
	if span <= 0 {
		p.errf(p.at("duration"), "the scenario has no duration (set duration or give stages)")
		return
	}
	if span < time.Second {
		p.errf(p.at("duration"), "the simulated span %s is shorter than the 1s minimum", span)
		return
	}
	if span > MaxSpan {
		p.errf(p.at("duration"), "the traffic lasts %s, longer than the %s the simulator accepts", span, MaxSpan)
		return
	}
	for i := range segs {
		segs[i].R0 *= t.Scale
		segs[i].R1 *= t.Scale
	}
	segs = grow(segs, t.MonthlyGrowth)
	lam := 0.0
	for i := range segs {
		segs[i].Lam = lam
		lam += segs[i].area()
	}
	if peak := (&Scenario{Traffic: TrafficSpec{segs: segs}}).PeakRate(); peak > maxRate {
		p.errf(p.at("traffic"), "traffic: a peak rate of %g req/s is beyond the %g the simulator accepts", peak, maxRate)
		return
	}
	t.segs = segs
	s.Traffic = t
	s.Duration = pricing.Duration(span)
	if !(lam > 0) {
		p.errf(p.at("traffic"), "traffic: the scenario offers no requests (every rate is 0)")
	}
}
