package simulator

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat"

	"github.com/lambdacost/lambdacost/pricing"
)

// Lambda's invocation-rate quota, by hand: 50,000 req/s (even arrivals) of
// 10 ms at account_limit 1,000 → the quota is 10 × 1,000 = 10,000 accepted
// requests per second; over 10 s, 100,000 run and 400,000 are rate
// throttles (80 %), none is a concurrency throttle (10,000/s × 10 ms =
// 100 busy ≤ 1,000; the first second's 10,000 arrive within 0.2 s, 500 busy).
func TestInvocationRateQuota(t *testing.T) {
	r := run(t, parse(t, `
duration: 10s
function: {memory_mb: 128, duration: 10ms}
traffic: {arrivals: even, start_rate: 50000}
`), Options{})
	if r.Arrivals != 500_000 || r.Invocations != 100_000 || r.RateThrottles != 400_000 || r.ConcurrencyThrottles != 0 || r.Throttles != 400_000 {
		t.Errorf("arrivals/invocations/rate/concurrency/throttles = %d/%d/%d/%d/%d, want 500000/100000/400000/0/400000",
			r.Arrivals, r.Invocations, r.RateThrottles, r.ConcurrencyThrottles, r.Throttles)
	}
	if math.Abs(r.ThrottleRate-0.8) > 1e-12 {
		t.Errorf("throttle rate %v, want 0.8", r.ThrottleRate)
	}
	// Sync, reserved 200 (account 1,000): 10 req/s per environment → 2,000/s.
	r = run(t, parse(t, `
duration: 5s
function: {memory_mb: 128, duration: 10ms}
concurrency: {reserved: 200}
traffic: {arrivals: even, start_rate: 5000}
`), Options{})
	if r.Invocations != 10_000 || r.RateThrottles != 15_000 {
		t.Errorf("reserved 200: invocations/rate throttles = %d/%d, want 10000/15000", r.Invocations, r.RateThrottles)
	}
	// Async has no per-environment limit: only 10 × the account quota (10,000/s).
	r = run(t, parse(t, `
duration: 5s
function: {memory_mb: 128, duration: 10ms}
concurrency: {reserved: 200}
traffic: {arrivals: even, start_rate: 5000, invocation: async}
`), Options{})
	if r.RateThrottles != 0 || r.Invocations != 25_000 {
		t.Errorf("async: rate throttles/invocations = %d/%d, want 0/25000", r.RateThrottles, r.Invocations)
	}
	if len(r.Assumptions) == 0 || r.Assumptions[0].Field != "invocation_rate_quota" || !strings.HasPrefix(r.Assumptions[0].Value, "10000 ") {
		t.Errorf("assumptions: %v", r.Assumptions)
	}
}

// A CSV trace that omits empty minutes: rows at minute 0 (600), 1 (120)
// and 10 (60) are one minute each with a period of 60 s (the smallest
// step); minutes 2–9 are zeros (8 filled). With even arrivals over the 11
// minutes the timeline holds exactly 600, 120, then 0 ×8, then 60.
func TestTraceGapsAreZeros(t *testing.T) {
	dir := t.TempDir()
	csv := "timestamp,count\n2026-06-01T00:00:00Z,600\n2026-06-01T00:01:00Z,120\n2026-06-01T00:10:00Z,60\n"
	if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := ParseScenario(filepath.Join(dir, "s.yaml"), []byte(`
function: {memory_mb: 128, duration: 10ms}
traffic: {trace: t.csv, arrivals: even}
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Traffic.FilledPeriods != 8 || s.Span() != 11*time.Minute {
		t.Fatalf("filled %d, span %s; want 8, 11m", s.Traffic.FilledPeriods, s.Span())
	}
	r := run(t, s, Options{})
	perMin := make([]float64, 11)
	for _, b := range r.Timeline {
		perMin[int(b.TS)/60] += b.Arrivals
	}
	want := []float64{600, 120, 0, 0, 0, 0, 0, 0, 0, 0, 60}
	for i := range want {
		if perMin[i] != want[i] {
			t.Errorf("minute %d: %v arrivals, want %v (all: %v)", i, perMin[i], want[i], perMin)
			break
		}
	}
	found := false
	for _, a := range r.Assumptions {
		if a.Field == "traffic.trace" && strings.HasPrefix(a.Value, "8 missing periods") {
			found = true
		}
	}
	if !found {
		t.Errorf("the output does not say how many periods were filled: %v", r.Assumptions)
	}
}

// A duration equal to the timeout is a timeout (Lambda stops the
// invocation when the timeout expires).
func TestDurationEqualToTimeoutIsATimeout(t *testing.T) {
	r := run(t, parse(t, `
duration: 10s
function: {memory_mb: 128, timeout: 1s, duration: 1s}
traffic: {arrivals: even, start_rate: 1}
`), Options{})
	if r.Errors != r.Invocations || r.Invocations != 10 {
		t.Errorf("errors %d of %d invocations, want all 10", r.Errors, r.Invocations)
	}
}

// AWS keeps at least 100 of the account's concurrency unreserved.
func TestReservedLeavesHundredUnreserved(t *testing.T) {
	_, err := ParseScenario("s.yaml", []byte(`
function: {memory_mb: 128, duration: 10ms}
concurrency: {account_limit: 1000, reserved: 901}
traffic: {start_rate: 1, stages: [{duration: 10s, target: 1}]}
`))
	if err == nil || !strings.Contains(err.Error(), "leaves 99 unreserved") || !strings.Contains(err.Error(), "s.yaml:3") {
		t.Errorf("reserved 901 of 1000: %v", err)
	}
	if _, err := ParseScenario("s.yaml", []byte(`
function: {memory_mb: 128, duration: 10ms}
concurrency: {account_limit: 1000, reserved: 900}
traffic: {start_rate: 1, stages: [{duration: 10s, target: 1}]}
`)); err != nil {
		t.Errorf("reserved 900 of 1000: %v", err)
	}
}

// initial_environments, by hand: 10 idle environments at t = 0, one
// request of 100 ms every second (even arrivals), 10-min keep-alive, 20
// min: the most recently used environment (the top of the stack) serves
// every request, so there is no cold start; the other 9 are reclaimed at
// 600 s. Mean live environments = (9·600 + 1·1200) / 1200 = 5.5.
func TestInitialEnvironments(t *testing.T) {
	r := run(t, parse(t, `
duration: 20m
function: {memory_mb: 128, duration: 100ms}
concurrency: {initial_environments: 10}
traffic: {arrivals: even, start_rate: 1}
`), Options{})
	if r.ColdStarts != 0 || math.Abs(r.MeanEnvironments-5.5) > 1e-9 {
		t.Errorf("cold starts %d, mean environments %v; want 0, 5.5", r.ColdStarts, r.MeanEnvironments)
	}
}

// --discard-warmup, by hand: 10 req/s (even) of 99 ms for 120 s, the
// first 60 s discarded: 600 arrivals and invocations, no cold start (the
// one environment was created at 0.05 s), 59,400 billed ms, mean
// concurrency 600 × 0.099 / 60 = 0.99, one environment all along.
func TestDiscardWarmup(t *testing.T) {
	r := run(t, parse(t, `
duration: 120s
function: {memory_mb: 128, duration: 99ms}
traffic: {arrivals: even, start_rate: 10}
`), Options{DiscardWarmup: 60 * time.Second})
	if r.Arrivals != 600 || r.Invocations != 600 || r.ColdStarts != 0 || r.Usage.OnDemandMs != 59_400 ||
		math.Abs(r.MeanConcurrency-0.99) > 1e-9 || math.Abs(r.MeanEnvironments-1) > 1e-9 || r.SimulatedSeconds != 60 || r.DiscardedWarmupS != 60 {
		t.Errorf("got arrivals %d, invocations %d, cold %d, ms %d, concurrency %v, environments %v, span %v, warm-up %v",
			r.Arrivals, r.Invocations, r.ColdStarts, r.Usage.OnDemandMs, r.MeanConcurrency, r.MeanEnvironments, r.SimulatedSeconds, r.DiscardedWarmupS)
	}
	if _, err := Run(t.Context(), parse(t, `
duration: 120s
function: {memory_mb: 128, duration: 100ms}
traffic: {arrivals: even, start_rate: 10}
`), Options{DiscardWarmup: 120 * time.Second}); err == nil || !strings.Contains(err.Error(), "--discard-warmup") {
		t.Errorf("a warm-up as long as the span: %v", err)
	}
}

// warm_start: steady measures the steady state from t = 0: over the first
// 10 minutes its mean live environments (pooled over 8 replicas: a single
// 10-minute window varies by ±7 %) match those of a long run's steady
// part (its first 30 minutes discarded) within 5 %, with far fewer cold
// starts than an empty start.
func TestWarmStartSteady(t *testing.T) {
	const base = `
function: {memory_mb: 128, duration: {distribution: exponential, mean: 200ms}, init_duration: 200ms}
traffic: {start_rate: 50}
`
	long := run(t, parse(t, "duration: 90m\n"+base), Options{DiscardWarmup: 30 * time.Minute})
	warm := run(t, parse(t, "duration: 10m\nconcurrency: {warm_start: steady}\n"+base), Options{Runs: 8})
	cold := run(t, parse(t, "duration: 10m\n"+base), Options{Runs: 8})
	if math.Abs(warm.MeanEnvironments/long.MeanEnvironments-1) > 0.05 {
		t.Errorf("steady start: %v environments, steady state %v", warm.MeanEnvironments, long.MeanEnvironments)
	}
	if cold.ColdStarts <= 5*warm.ColdStarts {
		t.Errorf("cold starts: empty start %d, steady start %d", cold.ColdStarts, warm.ColdStarts)
	}
}

// Jitter on the throttle backoff (equal jitter, U[½, 1] of the delay):
// the "throttled" case of TestAsyncRetries, by hand with jitter: the k-th
// retry comes Σ_{j<k} U_j·2^j s after 0.75 s; the 4th attempt is at most
// 0.75 + 1 + 2 + 4 = 7.75 < 10.25 (the first event's end), so it is
// throttled; the 5th at least 0.75 + 7.5 = 8.25 and the 6th at least
// 16.25 > 10.25. So 4 or 5 throttles (= retries), both occurring over
// seeds, and always 2 invocations.
func TestAsyncThrottleJitter(t *testing.T) {
	seen := map[int64]int{}
	for seed := uint64(1); seed <= 60; seed++ {
		sd := seed
		r := run(t, parse(t, `
duration: 60s
function: {memory_mb: 128, timeout: 900s, duration: 10s}
concurrency: {reserved: 1}
traffic: {arrivals: even, invocation: async, start_rate: 2, stages: [{duration: 1s, target: 2}, {duration: 0s, target: 0}, {duration: 59s, target: 0}]}
`), Options{Seed: &sd})
		if r.Invocations != 2 || r.Throttles != r.Retries || (r.Throttles != 4 && r.Throttles != 5) {
			t.Fatalf("seed %d: invocations %d, throttles %d, retries %d", seed, r.Invocations, r.Throttles, r.Retries)
		}
		seen[r.Throttles]++
	}
	if seen[4] == 0 || seen[5] == 0 {
		t.Errorf("outcomes over 60 seeds: %v, want both 4 and 5", seen)
	}
}

// The pending-event queue keeps counts per due time (10 ms): a million
// events due within 10 s take at most 1,001 due slots, and come out in
// due order, each exactly once.
func TestRetryQueueCompact(t *testing.T) {
	var q retryQueue
	const n = 1_000_000
	for i := 0; i < n; i++ {
		at := int64(i%10_000) * int64(time.Millisecond) // 10 s of due times
		q.push(at+int64(time.Millisecond)/2, retryEnt{first: int64(i % 7 * int(time.Second)), throttled: uint16(i % 3)})
	}
	if len(q.due) > 1_001 || q.len() != n {
		t.Fatalf("%d due slots, %d events", len(q.due), q.len())
	}
	last := int64(-1)
	for i := 0; i < n; i++ {
		e := q.pop()
		if e.at < last {
			t.Fatalf("out of order: %d after %d", e.at, last)
		}
		last = e.at
	}
	if q.len() != 0 || len(q.due) != 0 {
		t.Fatalf("left: %d", q.len())
	}
}

// Durations from a dataset keep its statistics (issue 15): orders.json
// gives avg 50, p50 45, p90 80, p99 420, max 900 ms. The fit's quantiles
// and mean equal them; simulated, the mean latency (no INIT) is 50 ms
// within 1 %, and the billed GB-s equal invocations × (50 ms + 0.5 ms, the
// mean of the per-invocation round-up to 1 ms of continuous durations)
// × 0.5 GB within 1 %.
func TestDatasetDurationsKeepMean(t *testing.T) {
	ds, err := filepath.Abs("../testdata/check/datasets/orders.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := LoadEmpirical(ds, KindDuration, 512, "")
	if err != nil {
		t.Fatal(err)
	}
	f, ok := d.(*QuantileFit)
	if !ok {
		t.Fatalf("%T, want *QuantileFit", d)
	}
	for _, c := range []struct {
		p    float64
		want float64
	}{{0.5, 45}, {0.9, 80}, {0.99, 420}, {1, 900}} {
		if got := ms(f.Quantile(c.p)); math.Abs(got-c.want) > 0.001 {
			t.Errorf("Q(%v) = %v ms, want %v", c.p, got, c.want)
		}
	}
	if got := ms(f.Mean()); math.Abs(got-50) > 0.001 {
		t.Errorf("mean %v ms, want 50", got)
	}
	rep := f.Report()
	if len(rep.Rows) != 5 || rep.MaxErrorPct > 0.01 {
		t.Errorf("report: %+v", rep)
	}
	s := parse(t, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: empirical, file: `+ds+`}}
traffic: {start_rate: 100}
`)
	r := run(t, s, Options{})
	if math.Abs(r.LatencyMs.Mean/50-1) > 0.01 {
		t.Errorf("simulated mean %v ms, want 50 within 1 %%", r.LatencyMs.Mean)
	}
	want := float64(r.Invocations) * 0.0505 * 0.5
	if math.Abs(r.BilledGBSeconds/want-1) > 0.01 {
		t.Errorf("billed %v GB-s, want %v within 1 %%", r.BilledGBSeconds, want)
	}
	if r.DurationFit == nil || len(r.DurationFit.Rows) != 5 {
		t.Errorf("no goodness of fit in the output: %+v", r.DurationFit)
	}
}

// A log-normal's parameters are recovered from its own samples: the
// statistics of 200,000 draws of LN(μ = ln 60 ms, σ = 0.6), fitted, give
// slopes sₕ and sₜ (the log-normal's σ on both sides) within 5 %, and the
// fitted p90 is the sample's.
func TestFitRecoversLogNormal(t *testing.T) {
	ln := LogNormal{Mu: math.Log(60e6), Sigma: 0.6}
	rng := newTestRand(7)
	xs := make([]float64, 200_000)
	for i := range xs {
		xs[i] = float64(ln.Sample(rng))
	}
	sortFloats(xs)
	q := func(p float64) time.Duration { return time.Duration(stat.Quantile(p, stat.Empirical, xs, nil)) }
	f, err := FitQuantiles(FitTarget{Mean: time.Duration(stat.Mean(xs, nil)), P50: q(0.5), P90: q(0.9), P99: q(0.99), Max: time.Duration(xs[len(xs)-1])}, "samples")
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(f.sh/0.6-1) > 0.05 || math.Abs(f.st/0.6-1) > 0.05 {
		t.Errorf("slopes %v, %v; want 0.6 within 5 %%", f.sh, f.st)
	}
}

func newTestRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0)) }

// The p5–p95 band of --runs 20 covers a new, independent replica with
// probability 18/21 ≈ 85.7 % (for a continuous metric, the new value is
// equally likely to fall in any of the 21 gaps of the 20 order
// statistics; the band spans the 1st to the 19th). Over 200 bands the
// coverage of mean_concurrency is within 3 standard deviations
// (√(0.857·0.143/200) = 2.5 %) of 85.7 %.
func TestBandCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	s := parse(t, `
duration: 20s
function: {memory_mb: 128, duration: {distribution: exponential, mean: 100ms}}
traffic: {start_rate: 20}
`)
	in := 0
	const trials = 200
	for k := uint64(1); k <= trials; k++ {
		seed, other := k, 100_000+k
		b := run(t, s, Options{Seed: &seed, Runs: 20, Workers: 1}).Bands["mean_concurrency"]
		x := run(t, s, Options{Seed: &other}).MeanConcurrency
		if b.P5 <= x && x <= b.P95 {
			in++
		}
	}
	cov := float64(in) / trials
	if math.Abs(cov-18.0/21) > 3*0.025 {
		t.Errorf("coverage %.3f, want 0.857 ± 0.075", cov)
	}
}

// Interrupted, Run returns what was simulated so far, marked partial, with
// context.Canceled: the statistics cover [0, S) up to the arrival it
// stopped at, and the arrivals are those of that span (even arrivals at
// (n − ½)/500 s: ⌈500·S + ½⌉ − 1 of them).
func TestPartialResultOnCancel(t *testing.T) {
	s := parse(t, `
duration: 3000s
function: {memory_mb: 128, duration: 10ms}
traffic: {arrivals: even, start_rate: 500}
`)
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	res, err := Run(ctx, s, Options{Progress: func(done, tot int64) {
		if n++; n == 3 {
			cancel()
		}
	}})
	if err != context.Canceled || res == nil || !res.Partial {
		t.Fatalf("err = %v, result %v", err, res != nil)
	}
	if res.SimulatedSeconds <= 0 || res.SimulatedSeconds >= 3000 {
		t.Fatalf("simulated %v s", res.SimulatedSeconds)
	}
	if want := int64(math.Ceil(500*res.SimulatedSeconds+0.5)) - 1; res.Arrivals != want {
		t.Errorf("arrivals %d over %v s, want %d", res.Arrivals, res.SimulatedSeconds, want)
	}
}

// CSV traces as users export them. Each case's expectation is read off the
// rows by hand: a trace of rows one minute apart spans one minute per row
// and offers the sum of its counts.
func TestTraceCSVAsExported(t *testing.T) {
	for _, c := range []struct {
		name, csv string
		span      time.Duration
		requests  float64
		err       string // the error, file:line included, when refused
	}{
		// Excel's "CSV UTF-8" starts with a byte-order mark; no header:
		// two rows of 60 and 120 → 2 min, 180 requests.
		{"BOM, no header", "\uFEFF2026-01-01T00:00:00Z,60\r\n2026-01-01T00:01:00Z,120\r\n", 2 * time.Minute, 180, ""},
		{"BOM and header", "\uFEFFtimestamp,count\r\n2026-01-01T00:00:00Z,60\r\n2026-01-01T00:01:00Z,120\r\n", 2 * time.Minute, 180, ""},
		// Offsets: 01:00+01:00 is 00:00Z, so the rows are a minute apart.
		{"time zones", "time,requests\n2026-01-01T01:00:00+01:00,60\n2026-01-01T00:01:00Z,120\n", 2 * time.Minute, 180, ""},
		// A first data row whose count is empty is an error on line 2,
		// not a second header to skip (which dropped its minute and
		// started the trace a minute late).
		{"empty first count", "timestamp,count\n2026-01-01T00:00:00Z,\n2026-01-01T00:01:00Z,120\n", 0, 0, `t.csv:2: count "" must be a non-negative number`},
		{"thousands separator", "2026-01-01T00:00:00Z,1 200\n2026-01-01T00:01:00Z,120\n", 0, 0, `t.csv:1: count "1 200" must be a non-negative number`},
		// Epoch milliseconds read as seconds made a 1-minute step 60,000 s:
		// 180 requests over 33 h 20 min instead of 2 min.
		{"epoch milliseconds", "1767225600000,60\n1767225660000,120\n", 0, 0, "t.csv:1: timestamp 1767225600000 read as seconds is after the year 5000: milliseconds since the epoch? give seconds (1767225600) or RFC 3339"},
		{"epoch seconds", "1767225600,60\n1767225660,120\n", 2 * time.Minute, 180, ""},
		{"duplicate row", "2026-01-01T00:00:00Z,60\n2026-01-01T00:00:00Z,60\n", 0, 0, "t.csv:2: timestamps must increase (the same time as the row before: a duplicate row?)"},
		// get-metric-data's default order is newest first.
		{"newest first", "2026-01-01T00:01:00Z,120\n2026-01-01T00:00:00Z,60\n", 0, 0, "t.csv:2: timestamps must increase (newest first? sort the rows oldest first"},
		// One row has no step to the next: its count was taken as a
		// minute's (60 requests at 1 req/s), but it could be an hour's.
		{"one row", "2026-01-01T00:00:00Z,60\n", 0, 0, "t.csv: the trace has one row"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "t.csv"), []byte(c.csv), 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := ParseScenario(filepath.Join(dir, "s.yaml"), []byte("function: {memory_mb: 128, duration: 10ms}\ntraffic: {trace: t.csv, arrivals: even}\n"))
			if c.err != "" {
				var ie *pricing.InputError
				if err == nil || !errors.As(err, &ie) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want an input error containing %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if s.Span() != c.span || s.ExpectedRequests() != c.requests {
				t.Errorf("span %s, requests %v; want %s, %v", s.Span(), s.ExpectedRequests(), c.span, c.requests)
			}
		})
	}
}

// What a scenario leaves out is listed with the value simulated: Lambda's
// defaults (128 MB, x86_64, a 3 s timeout: the Lambda developer guide's
// function configuration defaults), the default Regional quota of 1,000
// concurrent executions and scaling of 1,000 environments per 10 s, the
// measured 10-minute keep-alive, no INIT, Poisson arrivals. A scenario
// that gives them all lists none of them.
func TestScenarioDefaultsAreListed(t *testing.T) {
	want := map[string]string{
		"function.memory_mb": "128 MB", "function.architecture": "x86_64", "function.timeout": "3s",
		"function.init_duration": "0s", "keep_alive.idle_timeout": "10m0s",
		"concurrency.account_limit": "1000", "concurrency.scaling_rate": "1000 per 10 s", "traffic.arrivals": "poisson",
	}
	r := run(t, parse(t, `
duration: 10s
function: {duration: 10ms}
traffic: {start_rate: 1}
`), Options{})
	got := map[string]string{}
	for _, a := range r.Assumptions {
		if _, ok := want[a.Field]; ok {
			got[a.Field] = a.Value
			if !strings.HasPrefix(a.Why, "not given: ") {
				t.Errorf("%s: why %q does not say it was not given", a.Field, a.Why)
			}
		}
	}
	for f, v := range want {
		if got[f] != v {
			t.Errorf("%s = %q, want %q listed (assumptions %v)", f, got[f], v, r.Assumptions)
		}
	}
	r = run(t, parse(t, `
duration: 10s
function: {memory_mb: 512, architecture: arm64, timeout: 10s, duration: 10ms, init_duration: 200ms}
keep_alive: {idle_timeout: 5m}
concurrency: {account_limit: 1000, scaling_rate: 1000}
traffic: {start_rate: 1, arrivals: even}
`), Options{})
	for _, a := range r.Assumptions {
		if _, ok := want[a.Field]; ok {
			t.Errorf("given, yet listed as a default: %+v", a)
		}
	}
}
