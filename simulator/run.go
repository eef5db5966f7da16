package simulator

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/lambdacost/lambdacost/pricing"
)

// MaxBuckets bounds the timeline length.
const MaxBuckets = 2000

// Options change how a scenario is run.
type Options struct {
	// Seed overrides the scenario's seed.
	Seed *uint64
	// Runs is the number of Monte Carlo replicas (default 1). Replica i uses
	// the PCG stream i of the seed, so results do not depend on Workers.
	Runs int
	// Workers run replicas in parallel (default GOMAXPROCS).
	Workers int
	// Prices prices the result (default: the embedded table).
	Prices *pricing.PriceTable
	// Region overrides the scenario's region (default: the scenario's, else us-east-1).
	Region string
	// Analytic adds the Mahmoudi & Khazaei steady-state prediction; the
	// scenario must have constant-rate Poisson traffic.
	Analytic bool
	// Progress, if set, is called now and then with the simulated time done
	// and the total (nanoseconds summed over replicas). Calls are serialised.
	Progress func(done, total int64)
	// DiscardWarmup leaves the first part of the span out of the statistics
	// (counts, rates, latency, bill); it is rounded up to a whole timeline
	// bucket. The timeline still shows it.
	DiscardWarmup time.Duration
	// Mode is ModeExact (default), ModeFast or ModeAuto.
	Mode string
	// CommonRandomNumbers draws the exact engine's arrivals and durations
	// from streams of their own (the INIT, idle-timeout and retry draws
	// stay on the replica's stream), so runs of one scenario and seed with
	// configurations that differ (memory, provisioned concurrency) see the
	// same arrivals and the same duration draw per accepted invocation:
	// their difference is the configuration's, not sampling noise. Off (the
	// default), one stream draws everything, as it always has. The fast
	// mode does not use it.
	CommonRandomNumbers bool
	// AutoThreshold is the estimated exact run time above which ModeAuto
	// picks the fast mode (default DefaultAutoThreshold).
	AutoThreshold time.Duration
}

// BucketWidth is the timeline bucket for a span: the smallest of 1 s, 2 s,
// 5 s, 10 s, 15 s, 30 s, 1 m, 2 m, 5 m, 10 m, 15 m, 30 m, 1 h, 2 h, 3 h,
// 6 h, 12 h, 1 d, … giving at most MaxBuckets buckets.
func BucketWidth(span time.Duration) time.Duration {
	nice := []time.Duration{time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second, 15 * time.Second,
		30 * time.Second, time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute,
		30 * time.Minute, time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour}
	for _, w := range nice {
		if span <= w*MaxBuckets {
			return w
		}
	}
	day := 24 * time.Hour
	return day * ((span + day*MaxBuckets - 1) / (day * MaxBuckets))
}

// replicaOut is what one finished replica contributes.
type replicaOut struct {
	st       rawStats
	hist     *Histogram
	timeline []Bucket
	metrics  map[string]float64
	err      error
	measured int64 // ns of the span in the statistics (span − warm-up, or reached if partial)
	partial  bool
	months   []pricing.MonthUsage // the measured usage month by month (nil: one month or less)
}

// warmupBuckets is the number of whole timeline buckets DiscardWarmup covers.
func warmupBuckets(d time.Duration, bw time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + bw - 1) / bw)
}

// SteadyWarmup is the warm-up simulated before t = 0 for warm_start:
// steady: three mean idle timeouts (at least a minute, and at least three
// maximum lifetimes when one is set, capped at a day), long enough for a
// pool at a constant rate to reach its steady size and age mix.
func SteadyWarmup(s *Scenario) time.Duration {
	w := max(time.Minute, 3*s.KeepAlive.IdleTimeout.Mean())
	if ml := s.KeepAlive.MaxLifetime.D(); ml > 0 {
		w = max(w, 3*ml)
	}
	return min(w, 24*time.Hour)
}

// buildReplica makes replica i, warm-started if the scenario asks.
func buildReplica(s *Scenario, seed uint64, i int, bw time.Duration, warmB int) *replica {
	rp := newReplica(s, seed, uint64(i), int64(bw))
	rp.warmB = warmB
	if s.Concurrency.WarmStart == WarmStartSteady && len(s.Traffic.segs) > 0 {
		w := SteadyWarmup(s)
		ws := *s
		r0 := s.Traffic.segs[0].R0
		ws.Traffic.segs = []segment{{Start: 0, End: w.Seconds(), R0: r0, R1: r0}}
		ws.Duration = pricing.Duration(w)
		ws.Concurrency.WarmStart = ""
		ws.Concurrency.InitialEnvironments = 0
		ws.Concurrency.ProvisionedSchedule = nil // the warm-up holds the level at t = 0
		// A stream of its own (replica streams are 0, 1, 2, …).
		wr := newReplica(&ws, seed, uint64(i)|1<<62, int64(BucketWidth(w)))
		wr.noFinish = true
		wr.run(nil)
		rp.transplant(wr, int64(w))
	}
	return rp
}

// Run simulates the scenario (opt.Runs replicas on opt.Workers cores) and
// prices the result. The same scenario, seed and runs give the same Result,
// byte for byte in JSON, whatever the number of workers.
func Run(ctx context.Context, s *Scenario, opt Options) (*Result, error) {
	if s == nil || len(s.Traffic.segs) == 0 {
		return nil, pricing.Inputf(scenarioSource(s), "the scenario has no traffic")
	}
	runs := max(1, opt.Runs)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, runs)
	seed := s.Seed
	if opt.Seed != nil {
		seed = *opt.Seed
	}
	prices, region, err := pricesFor(s, opt.Prices, opt.Region)
	if err != nil {
		return nil, err
	}
	var analytic *AnalyticResult
	if opt.Analytic {
		a, err := AnalyticFor(s)
		if err != nil {
			return nil, err
		}
		analytic = &a
	}

	span := s.Span()
	bw := BucketWidth(span)
	warmB := warmupBuckets(opt.DiscardWarmup, bw)
	if warmB > 0 && int64(warmB)*int64(bw) >= int64(span) {
		return nil, pricing.Inputf("--discard-warmup", "%s (rounded up to the %s timeline bucket: %s) leaves nothing of the %s span", opt.DiscardWarmup, bw, time.Duration(warmB)*bw, span)
	}
	mode, err := chooseMode(s, opt)
	if err != nil {
		return nil, err
	}
	if mode == ModeFast {
		return runFast(ctx, s, opt, prices, region, seed, analytic)
	}
	total := int64(span) * int64(runs)
	var done atomic.Int64
	var progMu sync.Mutex
	report := func() {
		if opt.Progress != nil {
			progMu.Lock()
			opt.Progress(min(done.Load(), total), total)
			progMu.Unlock()
		}
	}
	report()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	outs := make(chan struct {
		i int
		o *replicaOut
	}, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				rp := buildReplica(s, seed, i, bw, warmB)
				if opt.CommonRandomNumbers {
					rp.splitStreams(seed, uint64(i))
				}
				var last int64
				ok := rp.run(func(t int64) bool {
					done.Add(t - last)
					last = t
					report()
					return ctx.Err() == nil
				})
				done.Add(int64(span) - last)
				var o *replicaOut
				if ok {
					o = summarise(s, rp, prices, region)
				} else {
					// Interrupted: close the books at the time reached.
					rp.truncate(last)
					o = summarise(s, rp, prices, region)
					o.partial = true
				}
				outs <- struct {
					i int
					o *replicaOut
				}{i, o}
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := 0; i < runs; i++ {
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(outs) }()

	// Aggregate in replica order, so that float sums are deterministic.
	// Interrupted, the result pools the replicas that finished, or if none
	// did, the first one's partial run; it is marked partial.
	agg := newAggregate(runs)
	pending := map[int]*replicaOut{}
	next := 0
	var firstErr error
	var firstPartial *replicaOut
	for r := range outs {
		pending[r.i] = r.o
		for {
			o, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if o.err != nil {
				if firstErr == nil {
					firstErr = o.err
				}
				cancel()
				continue
			}
			if o.partial {
				if firstPartial == nil {
					firstPartial = o
				}
				continue
			}
			if firstErr == nil {
				agg.add(o)
			}
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	cerr := ctx.Err()
	if cerr != nil && agg.n < runs {
		if agg.n == 0 && firstPartial != nil {
			agg.add(firstPartial)
		}
		if agg.n == 0 {
			return nil, cerr
		}
	}
	report()
	res, err := agg.result(s, prices, region, seed, bw)
	if err != nil {
		return nil, err
	}
	res.Analytic = analytic
	res.describe(s, ModeExact, opt)
	if cerr != nil && agg.n < runs || agg.partial {
		res.Partial = true
		return res, cerr
	}
	return res, nil
}

func scenarioSource(s *Scenario) string {
	if s == nil || s.Path == "" {
		return "scenario"
	}
	return s.Path
}

// AnalyticFor evaluates the analytical model for a constant-rate Poisson
// scenario (the model's assumptions); otherwise it returns an InputError.
func AnalyticFor(s *Scenario) (AnalyticResult, error) {
	rate, ok := s.ConstantRate()
	if !ok || s.Traffic.Arrivals != Poisson {
		return AnalyticResult{}, pricing.Inputf("--analytic", "the analytical model needs constant-rate Poisson traffic (a start_rate with no stages, arrivals: poisson)")
	}
	if s.Concurrency.Provisioned > 0 || len(s.Concurrency.ProvisionedSchedule) > 0 {
		return AnalyticResult{}, pricing.Inputf("--analytic", "the analytical model has no provisioned concurrency")
	}
	warm := s.Function.Duration.Mean().Seconds()
	cold := warm + s.Function.InitDuration.Mean().Seconds()
	idle := s.KeepAlive.IdleTimeout.Mean().Seconds()
	a := Analytic(rate, warm, cold, idle, s.Concurrency.Cap())
	if rate > 0 && !(a.MeanEnvironments > 0) {
		return AnalyticResult{}, pricing.Inputf("--analytic", "the analytical model has no numerical solution at %g req/s with a %gs idle timeout (its kill probabilities e^(−λ·idle) underflow; it was validated up to λ·idle ≈ 540)", rate, idle)
	}
	return a, nil
}

// usage converts a replica's counters into billed usage for the measured
// span.
func usage(s *Scenario, st rawStats, span time.Duration) pricing.BilledUsage {
	return pricing.BilledUsage{
		Requests:              st.Invocations,
		OnDemandMs:            st.OnDemandMs,
		InitMs:                st.InitMs,
		ColdStarts:            st.Cold,
		ProvisionedMs:         st.ProvisionedMs,
		ProvisionedEnvSeconds: s.Concurrency.ProvisionedEnvSeconds(s.Span()-span, s.Span()),
	}
}

// monthly projects span usage to a 730-hour month (provisioned concurrency
// is enabled the whole month; a schedule repeats as the traffic does).
func monthly(s *Scenario, u pricing.BilledUsage, span time.Duration) pricing.BilledUsage {
	return monthlyS(s, u, span.Seconds())
}

// monthlyS is monthly for a span given in seconds.
func monthlyS(s *Scenario, u pricing.BilledUsage, spanS float64) pricing.BilledUsage {
	m := u.Scale(float64(pricing.SecondsPerMonth) / spanS)
	if len(s.Concurrency.ProvisionedSchedule) == 0 {
		m.ProvisionedEnvSeconds = int64(s.Concurrency.Provisioned) * pricing.SecondsPerMonth
	}
	return m
}

type costs struct {
	span, month pricing.Cost
	gbs         float64
}

func price(s *Scenario, prices *pricing.PriceTable, region string, u pricing.BilledUsage, span time.Duration, months []pricing.MonthUsage) (costs, error) {
	return priceS(s, prices, region, u, span.Seconds(), months)
}

// priceS is price for a span given in seconds (Reprice's, from a Result).
// With months (a span longer than a month, split by the engine) the
// monthly bill is the mean of the months' bills, each month billed on its
// own (monthsCost); else the span's usage projected to a month.
func priceS(s *Scenario, prices *pricing.PriceTable, region string, u pricing.BilledUsage, spanS float64, months []pricing.MonthUsage) (costs, error) {
	fc := s.Function.FunctionConfig
	if s.Billing.LogBytesPerRequest > 0 {
		if _, err := prices.LogsFor(region); err != nil {
			return costs{}, pricing.Inputf("billing.log_bytes_per_request", "CloudWatch Logs prices for %s are not known (see README, Prices not known): the logs cannot be priced there", region)
		}
	}
	su, err := s.Billing.withLogs(u)
	if err != nil {
		return costs{}, err
	}
	mu, err := s.Billing.withLogs(monthlyS(s, u, spanS))
	if err != nil {
		return costs{}, err
	}
	b, err := prices.LambdaBill(region, []pricing.Item{{Function: fc, Usage: su}}, s.Billing.Options(false))
	if err != nil {
		return costs{}, err
	}
	m, err := prices.LambdaBill(region, []pricing.Item{{Function: fc, Usage: mu}}, s.Billing.Options(true))
	if err != nil {
		return costs{}, err
	}
	month := m.Cost
	if len(months) > 1 {
		if month, err = monthsCost(s, prices, region, months); err != nil {
			return costs{}, err
		}
	}
	gbs := pricing.GBSeconds(u.OnDemandMs+u.ProvisionedMs, fc.MemoryMB).InexactFloat64()
	return costs{span: b.Cost, month: month, gbs: gbs}, nil
}

// monthsCost is the monthly bill of a span longer than a month: every
// month billed on its own (its usage projected to a whole month when the
// span covers part of it, as a span shorter than a month is), with the
// free tier and the tiers of a month each, and the mean of those bills
// weighted by how much of the span each month covers
// (pricing.MeanMonthCost).
func monthsCost(s *Scenario, prices *pricing.PriceTable, region string, months []pricing.MonthUsage) (pricing.Cost, error) {
	fc := s.Function.FunctionConfig
	parts := make([]pricing.MonthCost, len(months))
	for i, m := range projectMonths(s, months) {
		mu, err := s.Billing.withLogs(m.Usage)
		if err != nil {
			return pricing.Cost{}, err
		}
		b, err := prices.LambdaBill(region, []pricing.Item{{Function: fc, Usage: mu}}, s.Billing.Options(true))
		if err != nil {
			return pricing.Cost{}, err
		}
		parts[i] = pricing.MonthCost{Cost: b.Cost, Seconds: m.Seconds}
	}
	return pricing.MeanMonthCost(parts), nil
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// lifetime is the mean lifetime of reclaimed environments, NaN (written
// as null) when none was reclaimed within the span: no measurement is not
// a lifetime of zero.
func lifetime(totalS, deaths float64) float64 {
	if deaths == 0 {
		return math.NaN()
	}
	return totalS / deaths
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// summarise turns a finished replica into its timeline and metrics.
func summarise(s *Scenario, rp *replica, prices *pricing.PriceTable, region string) *replicaOut {
	st := rp.stats()
	measured := rp.span - int64(rp.warmB)*rp.bw
	span := float64(measured)
	o := &replicaOut{st: st, hist: rp.hist, measured: measured}
	nb := int((rp.span + rp.bw - 1) / rp.bw)
	o.timeline = make([]Bucket, nb)
	full := int64(0)
	c := s.Concurrency
	for i := 0; i < nb; i++ {
		b := rp.buckets[i]
		full += b.envFull
		start := int64(i) * rp.bw
		width := min(rp.bw, rp.span-start)
		envNs := float64(b.envPart) + float64(full)*float64(rp.bw)
		o.timeline[i] = Bucket{TS: float64(start) / 1e9, Arrivals: float64(b.arrivals), ColdStarts: float64(b.cold),
			Throttles: float64(b.throttles), ConcurrencyMax: float64(b.cmax),
			Environments: envNs/float64(width) + c.MeanProvisioned(time.Duration(start), time.Duration(start+width))}
	}
	prov := c.MeanProvisioned(time.Duration(rp.span-measured), time.Duration(rp.span))
	u := usage(s, st, time.Duration(measured))
	o.months = rp.monthPieces(s)
	cst, err := price(s, prices, region, u, time.Duration(measured), o.months)
	if err != nil {
		o.err = err
		return o
	}
	meanEnv := st.EnvNs/span + prov
	meanConc := st.BusyNs / span
	o.metrics = map[string]float64{
		"invocations": float64(st.Invocations), "cold_starts": float64(st.Cold),
		"cold_start_rate": ratio(float64(st.Cold), float64(st.Invocations)),
		"throttles":       float64(st.Throttles), "throttle_rate": ratio(float64(st.Throttles), float64(st.Arrivals+st.Retries)),
		"errors": float64(st.Errors), "peak_concurrency": float64(st.Peak),
		"mean_concurrency": meanConc, "mean_environments": meanEnv,
		"environments_created":        float64(st.EnvsCreated),
		"mean_environment_lifetime_s": lifetime(st.LifeNs/1e9, float64(st.Deaths)),
		"utilization":                 ratio(meanConc, meanEnv),
		"latency_ms.p50":              ms(rp.hist.Quantile(0.5)), "latency_ms.p90": ms(rp.hist.Quantile(0.9)),
		"latency_ms.p99": ms(rp.hist.Quantile(0.99)), "latency_ms.max": ms(rp.hist.Max()),
		"latency_ms.mean":   ratio(st.BusyNsUnclipped, float64(st.Invocations)) / 1e6,
		"billed_gb_seconds": cst.gbs, "cost_usd": cst.span.TotalUSD(), "monthly_cost_usd": cst.month.TotalUSD(),
		"cost_per_million_usd": ratio(cst.span.TotalUSD(), float64(st.Invocations)) * 1e6,
	}
	return o
}

// aggregate pools replicas (added in replica order).
type aggregate struct {
	runs     int
	n        int
	measured int64
	// months sums the replicas' usage month by month; monthsOff: their
	// months differ (an interrupted replica), so the month is the span's
	// average.
	months    []pricing.MonthUsage
	monthsOff bool
	partial   bool
	st        rawStats
	hist      *Histogram
	timeline  []Bucket
	metrics   map[string][]float64
}

func newAggregate(runs int) *aggregate {
	return &aggregate{runs: runs, hist: new(Histogram), metrics: map[string][]float64{}}
}

func (a *aggregate) add(o *replicaOut) {
	a.n++
	a.measured = o.measured
	a.partial = a.partial || o.partial
	s, t := &a.st, o.st
	s.Arrivals += t.Arrivals
	s.Invocations += t.Invocations
	s.Cold += t.Cold
	s.Throttles += t.Throttles
	s.Errors += t.Errors
	s.Provisioned += t.Provisioned
	s.Peak += t.Peak
	s.BusyNs += t.BusyNs
	s.BusyNsUnclipped += t.BusyNsUnclipped
	s.EnvNs += t.EnvNs
	s.Deaths += t.Deaths
	s.LifeNs += t.LifeNs
	s.OnDemandMs += t.OnDemandMs
	s.InitMs += t.InitMs
	s.ProvisionedMs += t.ProvisionedMs
	s.EnvsCreated += t.EnvsCreated
	s.Retries += t.Retries
	s.Dropped += t.Dropped
	s.PendingRetries += t.PendingRetries
	s.RateThrottles += t.RateThrottles
	switch {
	case a.n == 1:
		a.months = append([]pricing.MonthUsage(nil), o.months...)
	case len(o.months) != len(a.months):
		a.monthsOff = true
	default:
		for i, m := range o.months {
			x := &a.months[i]
			if x.Seconds != m.Seconds {
				a.monthsOff = true
			}
			x.Usage = addBilled(x.Usage, m.Usage)
		}
	}
	a.hist.Merge(o.hist)
	if a.timeline == nil {
		a.timeline = make([]Bucket, len(o.timeline))
		for i := range a.timeline {
			a.timeline[i].TS = o.timeline[i].TS
		}
	}
	for i := range o.timeline {
		a.timeline[i].add(&o.timeline[i])
	}
	for k, v := range o.metrics {
		a.metrics[k] = append(a.metrics[k], v)
	}
}

func meanInt(sum int64, n int) int64 { return int64(math.Round(float64(sum) / float64(n))) }

func (a *aggregate) result(s *Scenario, prices *pricing.PriceTable, region string, seed uint64, bw time.Duration) (*Result, error) {
	n := a.n
	if n == 0 {
		return nil, fmt.Errorf("no replica finished")
	}
	st := rawStats{
		Arrivals: meanInt(a.st.Arrivals, n), Invocations: meanInt(a.st.Invocations, n), Cold: meanInt(a.st.Cold, n),
		Throttles: meanInt(a.st.Throttles, n), Errors: meanInt(a.st.Errors, n), Provisioned: meanInt(a.st.Provisioned, n),
		OnDemandMs: meanInt(a.st.OnDemandMs, n), InitMs: meanInt(a.st.InitMs, n), ProvisionedMs: meanInt(a.st.ProvisionedMs, n),
		EnvsCreated: meanInt(a.st.EnvsCreated, n),
		Retries:     meanInt(a.st.Retries, n), Dropped: meanInt(a.st.Dropped, n), PendingRetries: meanInt(a.st.PendingRetries, n),
		RateThrottles: meanInt(a.st.RateThrottles, n),
	}
	span := time.Duration(a.measured)
	u := usage(s, st, span)
	var months []pricing.MonthUsage
	if !a.monthsOff {
		for _, m := range a.months {
			mu := m.Usage
			mu.Requests, mu.OnDemandMs, mu.InitMs = meanInt(mu.Requests, n), meanInt(mu.OnDemandMs, n), meanInt(mu.InitMs, n)
			mu.ColdStarts, mu.ProvisionedMs = meanInt(mu.ColdStarts, n), meanInt(mu.ProvisionedMs, n)
			m.Usage = mu
			months = append(months, m)
		}
	}
	c, err := price(s, prices, region, u, span, months)
	if err != nil {
		return nil, err
	}
	fn := float64(n)
	meanConc := a.st.BusyNs / fn / float64(span)
	meanEnv := a.st.EnvNs/fn/float64(span) + s.Concurrency.MeanProvisioned(s.Span()-span, s.Span())
	r := &Result{
		Scenario: s.Name, Region: region, Seed: seed, Runs: n, SimulatedSeconds: span.Seconds(),
		Arrivals: st.Arrivals, Invocations: st.Invocations, ColdStarts: st.Cold,
		ColdStartRate: ratio(float64(a.st.Cold), float64(a.st.Invocations)),
		Throttles:     st.Throttles, ThrottleRate: ratio(float64(a.st.Throttles), float64(a.st.Arrivals+a.st.Retries)),
		RateThrottles: st.RateThrottles, ConcurrencyThrottles: st.Throttles - st.RateThrottles,
		Retries: st.Retries, DroppedEvents: st.Dropped, PendingRetries: st.PendingRetries,
		Errors: st.Errors, ProvisionedInvocations: st.Provisioned,
		PeakConcurrency:          int(meanInt(a.st.Peak, n)),
		MeanConcurrency:          meanConc,
		MeanEnvironments:         meanEnv,
		EnvironmentsCreated:      st.EnvsCreated,
		MeanEnvironmentLifetimeS: lifetime(a.st.LifeNs/1e9, float64(a.st.Deaths)),
		Utilization:              ratio(meanConc, meanEnv),
		LatencyMs: Latency{P50: ms(a.hist.Quantile(0.5)), P90: ms(a.hist.Quantile(0.9)), P99: ms(a.hist.Quantile(0.99)),
			Max: ms(a.hist.Max()), Mean: ratio(a.st.BusyNsUnclipped, float64(a.st.Invocations)) / 1e6},
		BilledGBSeconds: c.gbs, Usage: u,
		CostUSD: c.span.TotalUSD(), Cost: c.span, MonthlyCostUSD: c.month.TotalUSD(), MonthlyCost: c.month, Months: months,
		CostPerMillionUSD: ratio(c.span.TotalUSD(), float64(st.Invocations)) * 1e6,
		BucketSeconds:     bw.Seconds(),
		Timeline:          a.timeline,
	}
	if s.Concurrency.Provisioned > 0 || len(s.Concurrency.ProvisionedSchedule) > 0 {
		r.SpilloverInvocations = st.Invocations - st.Provisioned
	}
	for i := range r.Timeline {
		b := &r.Timeline[i]
		b.Arrivals /= fn
		b.ColdStarts /= fn
		b.Throttles /= fn
		b.ConcurrencyMax /= fn
		b.Environments /= fn
	}
	if n > 1 {
		r.Bands = map[string]Band{}
		for _, k := range bandKeys {
			r.Bands[k] = band(a.metrics[k])
		}
	}
	return r, nil
}

// band returns nearest-rank p5/p50/p95 (stat.Quantile with stat.Empirical:
// the smallest value with at least the fraction p of the replicas at or
// below it) and the mean (stat.Mean).
func band(xs []float64) Band {
	if len(xs) == 0 {
		return Band{}
	}
	// Replicas without a value (NaN: e.g. no environment reclaimed) have
	// no rank; none with a value gives NaN bands, written as null.
	s := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			s = append(s, x)
		}
	}
	if len(s) == 0 {
		nan := math.NaN()
		return Band{P5: nan, P50: nan, P95: nan, Mean: nan}
	}
	sort.Float64s(s)
	q := func(p float64) float64 { return stat.Quantile(p, stat.Empirical, s, nil) }
	return Band{P5: q(0.05), P50: q(0.5), P95: q(0.95), Mean: stat.Mean(s, nil)}
}

// pricesFor resolves the price table (nil: the embedded one) and the
// region a simulation of s is priced in: the given one, else the
// scenario's, else us-east-1 (the caller lists that default); a region
// without Lambda prices is an error.
func pricesFor(s *Scenario, prices *pricing.PriceTable, region string) (*pricing.PriceTable, string, error) {
	if prices == nil {
		prices = pricing.Embedded()
	}
	if region == "" {
		region = s.Region
	}
	if region == "" {
		region = "us-east-1"
	}
	if _, err := prices.LambdaRegion(region); err != nil {
		return nil, "", err
	}
	return prices, region, nil
}

// MonthlyUsages are a result's months (Result.Months) each projected to a
// whole 730-hour month as the monthly bill projects them (a part-month
// scaled up; provisioned concurrency enabled all month unless a schedule
// repeats): what a comparison bills month by month
// (fleet.LambdaMonthsCost). nil when the result has no months.
func MonthlyUsages(s *Scenario, r *Result) []pricing.MonthUsage {
	if len(r.Months) < 2 {
		return nil
	}
	return projectMonths(s, r.Months)
}

func projectMonths(s *Scenario, months []pricing.MonthUsage) []pricing.MonthUsage {
	out := make([]pricing.MonthUsage, len(months))
	for i, m := range months {
		out[i] = m
		out[i].Usage = monthlyS(s, m.Usage, m.Seconds)
	}
	return out
}

// addBilled adds the counters a replica's month carries (provisioned
// environment seconds are the schedule's, the same in every replica).
func addBilled(a, b pricing.BilledUsage) pricing.BilledUsage {
	a.Requests += b.Requests
	a.OnDemandMs += b.OnDemandMs
	a.InitMs += b.InitMs
	a.ColdStarts += b.ColdStarts
	a.ProvisionedMs += b.ProvisionedMs
	return a
}
