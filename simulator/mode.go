package simulator

import (
	"fmt"
	"runtime"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Simulation modes (Options.Mode).
const (
	ModeExact = "exact" // one event per invocation
	ModeFast  = "fast"  // the level model of fast.go and fastpool.go, for long horizons
	ModeAuto  = "auto"  // fast when the exact run would take longer than AutoThreshold
)

// DefaultAutoThreshold is the estimated exact run time beyond which
// ModeAuto picks the fast mode.
const DefaultAutoThreshold = 60 * time.Second

// exactNsPerEvent is the planning figure for the exact engine's cost per
// simulated invocation on one core (BENCHMARKS.md: 75–165 ns measured on
// the shared 2-core VM; the upper end, so that auto errs towards fast).
const exactNsPerEvent = 165

// EstimateExact is the expected wall time of an exact run: the expected
// invocations (retries aside) × runs × the planning cost per invocation,
// divided among the workers.
func EstimateExact(s *Scenario, runs, workers int) time.Duration {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, runs))
	ev := s.ExpectedRequests() * float64(max(1, runs))
	return time.Duration(ev * exactNsPerEvent / float64(workers))
}

// Planning figures of the fast mode on one core (BENCHMARKS.md, "Fast
// mode", the year at 10k req/s after bulk booking: ≈ 8.6 s of CPU):
// its calibration (≈ 2·10⁷ arrivals of a busy-count run at ≈ 50 ns,
// none when cached), ≈ 50 ns per one-second step, ≈ 2.4 µs per pool
// slot (the idle timeout ÷ 40), and nothing for a constant-rate stretch
// once the pool has settled (two idle timeouts into it: bulk booking).
const (
	fastCalibrationNs = 0.9e9
	fastNsPerStep     = 50
	fastNsPerSlot     = 2400
	fastSlotsPerIdle  = 40
)

// EstimateFast is the planning estimate of a fast-mode run of s on one
// core: the calibration, plus the steps and pool slots of every stretch
// the mode cannot book in bulk. A constant-rate stage longer than two
// idle timeouts costs only its first two; a trace or a ramp costs all
// its seconds.
func EstimateFast(s *Scenario) time.Duration {
	idle := s.KeepAlive.IdleTimeout.Mean().Seconds()
	if !(idle > 0) {
		idle = 1
	}
	active := 0.0 // seconds stepped one by one
	for _, g := range s.Traffic.segs {
		l := g.End - g.Start
		if g.slope() == 0 && l > 2*idle {
			l = 2 * idle
		}
		active += l
	}
	slots := active / (idle / fastSlotsPerIdle)
	return time.Duration(fastCalibrationNs + active*fastNsPerStep + slots*fastNsPerSlot)
}

// FastRefusal is why the fast mode cannot model s (nil: it can): async
// retries, a warm start and a provisioned-concurrency schedule need the
// exact engine.
func FastRefusal(s *Scenario) error {
	switch {
	case len(s.Concurrency.ProvisionedSchedule) > 0:
		return pricing.Inputf("--mode", "concurrency.provisioned_schedule: the fast mode keeps one provisioned level for the whole span; use --mode exact (or auto)")
	case s.Traffic.Invocation == Async:
		return pricing.Inputf("--mode", "the fast mode does not model async retries; use --mode exact")
	case s.Concurrency.WarmStart != "" || s.Concurrency.InitialEnvironments > 0:
		return pricing.Inputf("--mode", "the fast mode starts from an empty pool; warm_start and initial_environments need --mode exact")
	}
	return nil
}

func chooseMode(s *Scenario, opt Options) (string, error) {
	switch opt.Mode {
	case "", ModeExact:
		return ModeExact, nil
	case ModeFast:
		if len(s.Concurrency.ProvisionedSchedule) > 0 {
			return "", FastRefusal(s)
		}
		return ModeFast, nil
	case ModeAuto:
		if FastRefusal(s) != nil {
			return ModeExact, nil // what only the exact engine models
		}
		th := opt.AutoThreshold
		if th <= 0 {
			th = DefaultAutoThreshold
		}
		if EstimateExact(s, opt.Runs, opt.Workers) > th {
			return ModeFast, nil
		}
		return ModeExact, nil
	}
	return "", pricing.Inputf("--mode", "%q is not exact, fast or auto", opt.Mode)
}

// describe fills in the mode and the assumptions behind a result.
func (r *Result) describe(s *Scenario, mode string, opt Options) {
	r.Mode = mode
	switch mode {
	case ModeExact:
		r.ModeErrorPct = 0
		r.ModeNote = "exact discrete-event simulation, one event per invocation; its only error is sampling error (see --runs bands)"
	case ModeFast:
		r.ModeErrorPct = FastValidatedErrorPct
		r.ModeNote = FastModeNote
	}
	if w := warmupBuckets(opt.DiscardWarmup, BucketWidth(s.Span())); w > 0 {
		r.DiscardedWarmupS = (time.Duration(w) * BucketWidth(s.Span())).Seconds()
	}
	c := s.Concurrency
	as := &r.Assumptions
	lim := c.RateLimit(s.Traffic.Invocation)
	why := fmt.Sprintf("AWS quota: invocation requests per Region = 10 × the concurrent-executions quota (%d)", c.AccountLimit)
	if s.Traffic.Invocation != Async {
		why += fmt.Sprintf(", and 10 requests/s per execution environment for synchronous invocations (10 × the function's concurrency cap %d)", c.Cap())
	}
	why += "; counted in fixed one-second windows over accepted requests (AWS does not document the window: assumed); rate throttles are final"
	as.Add(pricing.Assumption{Field: "invocation_rate_quota", Value: fmt.Sprintf("%d requests/s", lim), Why: why})
	for _, a := range s.Defaults {
		as.Add(a)
	}
	if len(c.ProvisionedSchedule) > 0 {
		as.Add(pricing.Assumption{Field: "concurrency.provisioned_schedule", Value: fmt.Sprintf("%d steps", len(c.ProvisionedSchedule)),
			Why: "a scheduled increase adds provisioned environments ready at the step (the schedule is assumed to lead the traffic by their INIT, which is not billed or counted); a decrease removes idle ones at once and busy ones when their invocation ends; each interval at one level is billed rounded up to 5 minutes"})
	}
	if c.Provisioned > 0 || len(c.ProvisionedSchedule) > 0 {
		as.Add(pricing.Assumption{Field: "provisioned_invocation_rate", Value: "not modelled",
			Why: "AWS also lists 10 × allocated provisioned concurrency requests/s per version or alias; the simulator applies only the regional and per-environment quotas"})
	}
	if s.Traffic.TraceCSV {
		as.Add(pricing.Assumption{Field: "traffic.trace", Value: fmt.Sprintf("%d missing periods filled with 0 requests", s.Traffic.FilledPeriods),
			Why: "a CSV trace's period is its smallest step between rows; periods absent from it are replayed as zero traffic (CloudWatch omits empty periods)"})
	}
	switch {
	case c.WarmStart == WarmStartSteady:
		as.Add(pricing.Assumption{Field: "concurrency.warm_start", Value: fmt.Sprintf("steady (warm-up of %s at %.6g req/s)", SteadyWarmup(s), s.Rate(0)),
			Why: "the pool at t = 0 is the state of a run at the starting rate held constant; its invocations are not counted"})
	case c.InitialEnvironments > 0:
		as.Add(pricing.Assumption{Field: "concurrency.initial_environments", Value: fmt.Sprint(c.InitialEnvironments),
			Why: "idle environments at t = 0, each reclaimed one idle timeout later unless used"})
	}
	if s.Traffic.Invocation == Async {
		as.Add(pricing.Assumption{Field: "async.retries", Value: AsyncRetryModel, Why: AsyncRetryWhy})
	}
	if f, ok := s.Function.Duration.(*QuantileFit); ok {
		r.DurationFit = f.Report()
		as.Add(pricing.Assumption{Field: "function.duration", Value: f.String(),
			Why: "the dataset gives statistics, not durations: a distribution is fitted to its mean, p50, p90, p99 and max (see duration_fit)"})
	}
}
