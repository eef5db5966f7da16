package simulator

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"
)

// Oracles: every expected value below is derived by hand or typed in from
// a published source, never taken from this code's output.

func parse(t *testing.T, y string) *Scenario {
	t.Helper()
	s, err := ParseScenario("test.yaml", []byte(y))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return s
}

func run(t *testing.T, s *Scenario, opt Options) *Result {
	t.Helper()
	r, err := Run(context.Background(), s, opt)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return r
}

// Single environment, Poisson arrivals at rate λ, service time ≪ 1/λ, fixed
// keep-alive T from the end of an execution: the gap to the next arrival is
// Exp(λ), so P(cold) = e^(−λT) (the
// M/G/∞-with-keep-alive argument of Mahmoudi & Khazaei, "Performance
// Modeling of Serverless Computing Platforms", IEEE TCC 2020, §4). Asserted within 3 binomial standard deviations.
func TestColdProbabilitySingleEnvironment(t *testing.T) {
	for _, tc := range []struct {
		meanGapMin float64
		want       float64 // e^(−λT), T = 10 min, typed from the research table
	}{
		{5, 0.1353},
		{15, 0.5134},
		{60, 0.8465},
	} {
		t.Run(fmt.Sprintf("1 per %g min", tc.meanGapMin), func(t *testing.T) {
			rate := 1 / (tc.meanGapMin * 60)
			s := parse(t, fmt.Sprintf(`
duration: 20000000s
function: {memory_mb: 128, duration: 100ms}
keep_alive: {idle_timeout: 10m}
traffic: {start_rate: %g}
`, rate))
			r := run(t, s, Options{})
			n := float64(r.Invocations)
			sigma := math.Sqrt(tc.want * (1 - tc.want) / n)
			if got := r.ColdStartRate; math.Abs(got-tc.want) > 3*sigma+0.0001 {
				t.Errorf("P(cold) = %.4f over %d invocations, want %.4f ± %.4f", got, r.Invocations, tc.want, 3*sigma)
			}
			// The expected number of arrivals is λ·span.
			if want := rate * 2e7; math.Abs(n-want) > 4*math.Sqrt(want) {
				t.Errorf("invocations = %v, want %v ± 4σ", n, want)
			}
		})
	}
}

// Little's law: time-average busy concurrency = λ·E[S]. λ = 50/s and
// exponential service with mean 200 ms give 10; uniform 100–300 ms at 20/s
// gives 4.
func TestLittlesLaw(t *testing.T) {
	for _, tc := range []struct {
		name, dur string
		rate      float64
		want      float64
	}{
		{"exponential", "{distribution: exponential, mean: 200ms}", 50, 10},
		{"uniform", "{distribution: uniform, min: 100ms, max: 300ms}", 20, 4},
		{"lognormal", "{distribution: lognormal, p50: 80ms, p99: 400ms}", 100, 100 * 0.080 * math.Exp(math.Pow(math.Log(5)/2.3263478740408408, 2)/2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := parse(t, fmt.Sprintf(`
duration: 2000s
function: {memory_mb: 256, duration: %s}
traffic: {start_rate: %g}
`, tc.dur, tc.rate))
			r := run(t, s, Options{})
			if math.Abs(r.MeanConcurrency-tc.want)/tc.want > 0.02 {
				t.Errorf("mean concurrency = %.4f, want %.4f ± 2%%", r.MeanConcurrency, tc.want)
			}
			if r.MeanEnvironments < r.MeanConcurrency {
				t.Errorf("mean environments %.3f < mean concurrency %.3f", r.MeanEnvironments, r.MeanConcurrency)
			}
		})
	}
}

// SimFaaS's reference run (pacslab/simfaas README; research §5.5d): 0.9
// req/s, exponential service 1.991 s warm and 2.244 s cold, 600 s keep-alive,
// 10⁶ s: P(cold) 0.0014, 7.6612 instances, 1.7879 running, lifespan 6335 s.
// Bands from the research: P(cold) ∈ [0.0011, 0.0017], instances ∈ [7.3,
// 8.0], running 1.79 ± 0.05. Cold = INIT 253 ms + warm, mean 2.244 s. We
// run 4·10⁵ s (360,000 invocations, ≈ 500 cold: ±4.5 % sampling error).
func TestSimFaaSReference(t *testing.T) {
	s := parse(t, `
duration: 400000s
function:
  memory_mb: 128
  timeout: 900s
  duration: {distribution: exponential, mean: 1991ms}
  init_duration: 253ms
keep_alive: {idle_timeout: 600s}
traffic: {start_rate: 0.9}
`)
	r := run(t, s, Options{})
	if r.ColdStartRate < 0.0011 || r.ColdStartRate > 0.0017 {
		t.Errorf("P(cold) = %.5f, want in [0.0011, 0.0017]", r.ColdStartRate)
	}
	if r.MeanEnvironments < 7.3 || r.MeanEnvironments > 8.0 {
		t.Errorf("mean environments = %.3f, want in [7.3, 8.0]", r.MeanEnvironments)
	}
	if math.Abs(r.MeanConcurrency-1.79) > 0.05 {
		t.Errorf("mean concurrency = %.3f, want 1.79 ± 0.05", r.MeanConcurrency)
	}
	if r.MeanEnvironmentLifetimeS < 5500 || r.MeanEnvironmentLifetimeS > 7500 {
		t.Errorf("mean lifetime = %.0f s, want about 6335 s", r.MeanEnvironmentLifetimeS)
	}
	if r.Throttles != 0 {
		t.Errorf("throttles = %d, want 0", r.Throttles)
	}
}

// AWS Lambda measurements shipped with SimFaaS (pacslab/simfaas
// examples/exp.csv, MIT; 20 experiments, 10-minute keep-alive): arrival
// rate, mean warm and cold response times (ms), measured average instance
// count, cold-start probability and its standard error. SimFaaS's own
// simulator matches them with an instance-count MAPE of 3.05 % and a
// cold-start MAPE of 12.23 % (notebook 04-Experiment-Comparison; the
// measurements' own SE is ≈ 10 %). We require instance-count MAPE ≤ 5 % and
// cold-start MAPE ≤ 17 % (SimFaaS's figure plus our shorter runs' sampling
// error), and every instance count within 10 %.
func TestAWSMeasurements(t *testing.T) {
	rows := []struct{ rate, warmMs, coldMs, instances, pCold float64 }{
		{0.0018631367641819018, 1955.000046527747, 2563.417463075547, 0.6741935483870968, 0.34298826173826175},
		{0.0024576618629581367, 1954.2007836428556, 2462.7508521080017, 0.8135048231511254, 0.210828111946533},
		{0.002881640680737374, 1952.4110773558257, 2536.062640528525, 0.7794707297514034, 0.14543114043342875},
		{0.003453464480801769, 1959.8251247810106, 2430.1412930855386, 0.9075697211155378, 0.11009813675603149},
		{0.004247997269166777, 1958.2814464443609, 2397.801420905373, 0.9459029435163087, 0.07948013592410144},
		{0.0057247758503054915, 1951.7069925176036, 2358.568004939867, 1.0318979266347688, 0.03828475236870019},
		{0.007850937561749665, 1969.644856327678, 2421.957872130654, 1.1290836653386453, 0.033821376876008905},
		{0.01638363227041079, 1959.4280868768692, 2340.8639073371887, 1.269904458598726, 0.01955255921357668},
		{0.05011997483167722, 1967.1349511571775, 2192.3078695933023, 2.113582208101668, 0.008542126411410991},
		{0.09987113315257176, 1972.586858761803, 2310.1063804192977, 2.7640984908657664, 0.005949123396194999},
		{0.10037738637293372, 1975.8880602605868, 2244.1262576891027, 2.8888006354249405, 0.005658487683960966},
		{0.19807612739820504, 1986.1366562956214, 2301.9977474212646, 3.7188244638602064, 0.0037242831087297436},
		{0.30179128934985394, 1991.6797596346114, 2270.796701312065, 4.421763304209691, 0.002939493732069899},
		{0.397485817087294, 1997.7783597571406, 2180.5139324881816, 5.0450045004500454, 0.002084642933169204},
		{0.4996728494874295, 2006.7396194224252, 2152.437480056987, 5.694201747418586, 0.0019133093104785875},
		{0.5956057891943456, 2002.3978716234699, 2208.7130634873, 6.419380460683082, 0.001755948041692015},
		{0.6972660899741501, 2012.6834804681198, 2183.5311407684, 6.927720413026211, 0.0017512076961520968},
		{0.7979431166958569, 2015.4936532006104, 2182.832784950733, 7.5639396346306595, 0.001560203556088947},
		{0.9024594401863006, 2016.0483306969988, 2163.4318779424293, 7.869841269841269, 0.001513391210191625},
		{1.0005331788760239, 2021.7483822409881, 2172.538336040904, 8.39714058776807, 0.0013070399809943605},
	}
	var mapeInst, mapeCold float64
	for _, e := range rows {
		// About 60,000 invocations per row (test time), 10⁵–10⁶ s.
		span := math.Min(1e6, math.Max(1e5, 6e4/e.rate))
		s := parse(t, fmt.Sprintf(`
duration: %.0fs
function:
  memory_mb: 128
  timeout: 900s
  duration: {distribution: exponential, mean: %.3fms}
  init_duration: %.3fms
keep_alive: {idle_timeout: 10m}
traffic: {start_rate: %g}
`, span, e.warmMs, e.coldMs-e.warmMs, e.rate))
		r := run(t, s, Options{})
		errInst := math.Abs(r.MeanEnvironments-e.instances) / e.instances
		if errInst > 0.10 {
			t.Errorf("λ = %.4f: mean environments = %.3f, measured %.3f (want within 10%%)", e.rate, r.MeanEnvironments, e.instances)
		}
		mapeInst += errInst / float64(len(rows))
		mapeCold += math.Abs(r.ColdStartRate-e.pCold) / e.pCold / float64(len(rows))
	}
	t.Logf("instance-count MAPE %.2f %%, cold-start MAPE %.2f %%", mapeInst*100, mapeCold*100)
	if mapeInst > 0.05 {
		t.Errorf("instance-count MAPE = %.2f %%, want ≤ 5 %%", mapeInst*100)
	}
	if mapeCold > 0.17 {
		t.Errorf("cold-start MAPE = %.2f %%, want ≤ 17 %%", mapeCold*100)
	}
}

// A step in demand beyond the scaling rate. scaling_rate 10 (per 10 s) is a
// bucket of 10 environments refilled at 1 per second. Even arrivals at 4/s
// (t = 0.125, 0.375, …, 19.875) for 20 s, then 0.5/s (t = 21, 23, …, 59);
// every invocation lasts 600 s, so each needs a new environment. By hand:
// the bucket is full at the first arrival; each arrival then adds 0.25 and
// spends 1, so arrivals 1–13 (t ≤ 3.125) are accepted and leave it empty;
// from then on it holds exactly 1 at t = 4.125, 5.125, …, 19.125 (16 more
// accepted) and the other three arrivals of each second from 3.375 to
// 19.875 are throttled (3 per 1-s bucket for buckets 3–19): 51 throttles,
// 29 accepted. After the step down the bucket refills by 2 between
// arrivals, so all 20 are accepted. Totals: 100 offered, 49 invocations,
// all cold, peak concurrency 49.
func TestScalingRateStep(t *testing.T) {
	s := parse(t, `
duration: 60s
function: {memory_mb: 128, timeout: 900s, duration: 600s}
concurrency: {scaling_rate: 10}
traffic:
  arrivals: even
  start_rate: 4
  stages:
    - {duration: 20s, target: 4}
    - {duration: 0s, target: 0.5}
    - {duration: 40s, target: 0.5}
`)
	r := run(t, s, Options{})
	if r.Arrivals != 100 || r.Invocations != 49 || r.Throttles != 51 || r.ColdStarts != 49 {
		t.Fatalf("arrivals/invocations/throttles/cold = %d/%d/%d/%d, want 100/49/51/49", r.Arrivals, r.Invocations, r.Throttles, r.ColdStarts)
	}
	if r.PeakConcurrency != 49 {
		t.Errorf("peak concurrency = %d, want 49", r.PeakConcurrency)
	}
	if r.BucketSeconds != 1 || len(r.Timeline) != 60 {
		t.Fatalf("timeline: %d buckets of %g s, want 60 of 1 s", len(r.Timeline), r.BucketSeconds)
	}
	for i, b := range r.Timeline {
		want := 0.0
		if i >= 3 && i <= 19 {
			want = 3
		}
		if b.Throttles != want {
			t.Errorf("bucket %d: %g throttles, want %g", i, b.Throttles, want)
		}
	}
}

// Reserved concurrency is a hard cap: 10 reserved, 100 req/s of 1 s
// invocations (≈ 100 wanted) → the peak is exactly 10 and the rest throttle.
func TestReservedConcurrencyCapsPeak(t *testing.T) {
	s := parse(t, `
duration: 120s
function: {memory_mb: 128, duration: 1s}
concurrency: {reserved: 10}
traffic: {start_rate: 100}
`)
	r := run(t, s, Options{})
	if r.PeakConcurrency != 10 {
		t.Errorf("peak concurrency = %d, want exactly 10", r.PeakConcurrency)
	}
	if r.Throttles == 0 || r.Invocations+r.Throttles != r.Arrivals {
		t.Errorf("throttles = %d, invocations = %d, arrivals = %d", r.Throttles, r.Invocations, r.Arrivals)
	}
	// At most 10 per second can be accepted (each holds a slot for 1 s).
	if r.Invocations > 10*120+10 {
		t.Errorf("invocations = %d, want ≤ %d", r.Invocations, 10*120+10)
	}
	for _, b := range r.Timeline {
		if b.ConcurrencyMax > 10 {
			t.Fatalf("bucket at %g s has concurrency %g > 10", b.TS, b.ConcurrencyMax)
		}
	}
}

// Provisioned concurrency at or above the peak: no cold starts. Even
// arrivals every 0.25 s (from 0.125 s) of exactly 1 s invocations keep exactly 4 busy
// (one ends as the next starts), so 4 provisioned environments serve
// everything; with 3, the 4th concurrent request spills over on demand.
func TestProvisionedConcurrency(t *testing.T) {
	for _, tc := range []struct {
		prov      int
		wantCold  bool
		wantSpill bool
	}{{4, false, false}, {6, false, false}, {3, true, true}} {
		t.Run(fmt.Sprint(tc.prov), func(t *testing.T) {
			s := parse(t, fmt.Sprintf(`
duration: 1h
function: {memory_mb: 512, duration: 1s}
concurrency: {provisioned: %d}
traffic: {arrivals: even, start_rate: 4}
`, tc.prov))
			r := run(t, s, Options{})
			if r.PeakConcurrency != 4 {
				t.Errorf("peak concurrency = %d, want 4", r.PeakConcurrency)
			}
			if (r.ColdStarts > 0) != tc.wantCold {
				t.Errorf("cold starts = %d", r.ColdStarts)
			}
			if (r.SpilloverInvocations > 0) != tc.wantSpill {
				t.Errorf("spillover = %d", r.SpilloverInvocations)
			}
			if !tc.wantSpill && r.ProvisionedInvocations != r.Invocations {
				t.Errorf("provisioned invocations %d != invocations %d", r.ProvisionedInvocations, r.Invocations)
			}
			// 3600 s × 4/s = 14,400 arrivals.
			if r.Invocations != 14400 {
				t.Errorf("invocations = %d, want 14400", r.Invocations)
			}
			// Provisioned environments are billed for the whole hour: prov × 3600 s.
			if r.Usage.ProvisionedEnvSeconds != int64(tc.prov)*3600 {
				t.Errorf("provisioned env-seconds = %d, want %d", r.Usage.ProvisionedEnvSeconds, tc.prov*3600)
			}
		})
	}
}

// Billing is exact: each invocation rounds up to the ms, cold ones include
// INIT; a duration beyond the timeout is an error billed at the timeout.
func TestBillingExact(t *testing.T) {
	s := parse(t, `
duration: 100s
function: {memory_mb: 1024, duration: 80.2ms, init_duration: 250ms}
keep_alive: {idle_timeout: 0s}
traffic: {arrivals: even, start_rate: 1}
`)
	r := run(t, s, Options{})
	// Arrivals at t = 0.5, 1.5, …, 99.5 s; idle timeout 0 makes every one
	// cold: ceil(250 + 80.2) = 331 ms each, of which ceil(80.2) = 81 is handler.
	if r.Invocations != 100 || r.ColdStarts != 100 {
		t.Fatalf("invocations/cold = %d/%d, want 100/100", r.Invocations, r.ColdStarts)
	}
	if r.Usage.OnDemandMs != 100*331 || r.Usage.InitMs != 100*(331-81) {
		t.Errorf("billed ms = %d (init %d), want %d (init %d)", r.Usage.OnDemandMs, r.Usage.InitMs, 100*331, 100*250)
	}
	// 1024 MB: GB-s = ms / 1000.
	if want := 100 * 0.331; math.Abs(r.BilledGBSeconds-want) > 1e-9 {
		t.Errorf("GB-s = %v, want %v", r.BilledGBSeconds, want)
	}
	// us-east-1 x86: $0.20 per million requests + $0.0000166667 per GB-s.
	if want := 100*0.2e-6 + 100*0.331*0.0000166667; math.Abs(r.CostUSD-want) > 1e-12 {
		t.Errorf("cost = %v, want %v", r.CostUSD, want)
	}

	s = parse(t, `
duration: 10s
function: {memory_mb: 128, timeout: 1s, duration: 2500ms}
traffic: {arrivals: even, start_rate: 1}
`)
	r = run(t, s, Options{})
	if r.Errors != r.Invocations || r.Invocations != 10 {
		t.Fatalf("errors = %d of %d invocations, want 10 of 10", r.Errors, r.Invocations)
	}
	// Each ends at the 1 s timeout, just as the next arrives, which reuses
	// the environment: only the first is cold. All billed 1,000 ms.
	if r.ColdStarts != 1 || r.Usage.OnDemandMs != 10*1000 || r.LatencyMs.Max != 1000 {
		t.Errorf("cold = %d, billed ms = %d, max latency = %g; want 1, 10000, 1000", r.ColdStarts, r.Usage.OnDemandMs, r.LatencyMs.Max)
	}
}

// max_lifetime recycles environments: arrivals every second (t = 0.5, 1.5,
// …), 100 ms each, one environment; recycled 60 s after creation, so
// arrivals at t = 0.5, 60.5, …, 540.5 are cold: 10 of 600.
func TestMaxLifetime(t *testing.T) {
	s := parse(t, `
duration: 600s
function: {memory_mb: 128, duration: 100ms}
keep_alive: {idle_timeout: 10m, max_lifetime: 60s}
traffic: {arrivals: even, start_rate: 1}
`)
	r := run(t, s, Options{})
	if r.Invocations != 600 || r.ColdStarts != 10 {
		t.Errorf("invocations/cold = %d/%d, want 600/10", r.Invocations, r.ColdStarts)
	}
	// One environment alive from t = 0.5 s to the end: mean = 599.5/600.
	if math.Abs(r.MeanEnvironments-599.5/600) > 1e-9 {
		t.Errorf("mean environments = %v, want %v", r.MeanEnvironments, 599.5/600)
	}
}

// Deterministic: the same seed gives byte-identical JSON, whatever the
// number of workers; another seed differs.
func TestDeterministic(t *testing.T) {
	s := parse(t, `
seed: 7
duration: 10m
function: {memory_mb: 256, duration: {distribution: lognormal, p50: 50ms, p99: 300ms}, init_duration: {distribution: uniform, min: 100ms, max: 300ms}}
keep_alive: {idle_timeout: {distribution: exponential, mean: 30s}}
traffic: {start_rate: 5, stages: [{duration: 5m, target: 50}, {duration: 5m, target: 5}]}
`)
	js := func(opt Options) string {
		r := run(t, s, opt)
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	a := js(Options{Runs: 5, Workers: 1})
	if b := js(Options{Runs: 5, Workers: 2}); a != b {
		t.Errorf("workers change the result")
	}
	if b := js(Options{Runs: 5, Workers: 3}); a != b {
		t.Errorf("a second run differs")
	}
	seed := uint64(8)
	if b := js(Options{Runs: 5, Seed: &seed}); a == b {
		t.Errorf("another seed gives the same result")
	}
	for _, k := range []string{`"cold_start_rate_p5":`, `"cold_start_rate_p95":`, `"p99_p95":`, `"monthly_cost_usd_p5":`} {
		if !strings.Contains(a, k) {
			t.Errorf("JSON lacks %s", k)
		}
	}
}

// Deterministic period P and keep-alive T (research §5.5b): every
// invocation is cold iff P > T. Even arrivals every 60 min with T = 10 min:
// all cold; every 5 min: only the first.
func TestPeriodicArrivals(t *testing.T) {
	for _, tc := range []struct {
		rate     string
		wantCold int64
	}{{"0.000277777777777777778", 48}, {"0.0033333333333333333", 1}} {
		s := parse(t, `
duration: 48h
function: {memory_mb: 128, duration: 100ms}
keep_alive: {idle_timeout: 10m}
traffic: {arrivals: even, start_rate: `+tc.rate+`}
`)
		r := run(t, s, Options{})
		if r.ColdStarts != tc.wantCold {
			t.Errorf("rate %s: %d cold of %d, want %d", tc.rate, r.ColdStarts, r.Invocations, tc.wantCold)
		}
	}
}

// A random keep-alive: idle timeout uniform on [20 min, 40 min] and an
// invocation every 30 min (100 ms each): the environment survives a gap of
// 29 min 59.9 s with probability (40 − 29.998)/20 ≈ 0.5, so P(cold) ≈ 0.5
// (within 3 binomial σ over ~10,000 invocations).
func TestRandomIdleTimeout(t *testing.T) {
	s := parse(t, `
duration: 5000h
function: {memory_mb: 128, duration: 100ms}
keep_alive: {idle_timeout: {distribution: uniform, min: 20m, max: 40m}}
traffic: {arrivals: even, start_rate: 0.000555555555555555556}
`)
	r := run(t, s, Options{})
	p := (40 - (30 - 0.1/60)) / 20.0
	p = 1 - p // cold when the timeout is shorter than the gap
	n := float64(r.Invocations)
	if sigma := math.Sqrt(p * (1 - p) / n); math.Abs(r.ColdStartRate-p) > 3*sigma {
		t.Errorf("P(cold) = %.4f over %v, want %.4f ± %.4f", r.ColdStartRate, n, p, 3*sigma)
	}
}

// Progress is reported monotonically up to done == total, and a cancelled
// context stops the run with its error.
func TestProgressAndCancel(t *testing.T) {
	s := parse(t, `
duration: 300s
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 500}
`)
	var last, total int64
	calls := 0
	run(t, s, Options{Runs: 2, Progress: func(done, tot int64) {
		if done < last {
			t.Errorf("progress went back: %d after %d", done, last)
		}
		last, total = done, tot
		calls++
	}})
	if calls < 3 || last != total || total != 2*int64(300*time.Second) {
		t.Errorf("%d calls, last %d of %d", calls, last, total)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	_, err := Run(ctx, s, Options{Progress: func(done, tot int64) {
		if n++; n == 2 {
			cancel()
		}
	}})
	if err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// The timeline adds up to the totals: arrivals, cold starts and throttles
// sum to theirs, the time-weighted environments average to
// mean_environments, and the largest bucket maximum is the peak.
func TestTimelineConsistent(t *testing.T) {
	s := parse(t, `
duration: 1h
function: {memory_mb: 256, duration: {distribution: lognormal, p50: 200ms, p99: 2s}, init_duration: 300ms}
concurrency: {reserved: 60, provisioned: 5, scaling_rate: 20}
keep_alive: {idle_timeout: {distribution: exponential, mean: 2m}, max_lifetime: 15m}
traffic: {start_rate: 10, stages: [{duration: 20m, target: 10}, {duration: 1m, target: 300}, {duration: 10m, target: 300}, {duration: 1m, target: 10}]}
`)
	r := run(t, s, Options{})
	var arr, cold, thr, envS, peak float64
	for i, b := range r.Timeline {
		arr += b.Arrivals
		cold += b.ColdStarts
		thr += b.Throttles
		w := r.BucketSeconds
		if i == len(r.Timeline)-1 {
			w = r.SimulatedSeconds - b.TS
		}
		envS += b.Environments * w
		peak = math.Max(peak, b.ConcurrencyMax)
	}
	if arr != float64(r.Arrivals) || cold != float64(r.ColdStarts) || thr != float64(r.Throttles) {
		t.Errorf("timeline sums %v/%v/%v, totals %d/%d/%d", arr, cold, thr, r.Arrivals, r.ColdStarts, r.Throttles)
	}
	if got := envS / r.SimulatedSeconds; math.Abs(got-r.MeanEnvironments) > 1e-6*r.MeanEnvironments {
		t.Errorf("timeline environments average %v, mean_environments %v", got, r.MeanEnvironments)
	}
	if peak != float64(r.PeakConcurrency) || r.PeakConcurrency > 60 {
		t.Errorf("timeline peak %v, peak_concurrency %d (cap 60)", peak, r.PeakConcurrency)
	}
	if r.Throttles == 0 || r.ColdStarts == 0 || r.SpilloverInvocations == 0 {
		t.Errorf("expected throttles, cold starts and spillover: %d %d %d", r.Throttles, r.ColdStarts, r.SpilloverInvocations)
	}
	if r.MeanEnvironments < r.MeanConcurrency || r.MeanEnvironments < 5 {
		t.Errorf("mean environments %v < concurrency %v or provisioned 5", r.MeanEnvironments, r.MeanConcurrency)
	}
}

// Async invocations follow Lambda's retry behaviour, by hand:
//   - throttled: reserved concurrency 1, events at t = 0.25 s and 0.75 s,
//     each running 10 s. The second is throttled at 0.75 and retried after
//     1, 2, 4 s (1.75, 3.75, 7.75: throttled again) and 8 s (15.75: the
//     first ended at 10.25, so it runs, warm): 4 throttles, 4 retries.
//   - too old: the same with 100 s invocations and max_event_age 1m:
//     throttled at 0.75, 1.75, 3.75, 7.75, 15.75 and 31.75; the next retry
//     would be at 63.75, 63 s after the event: dropped. 6 throttles, 5
//     retries, 1 dropped.
//   - failed: one event at 0.5 s that always times out (2 s > 1 s timeout):
//     retried 1 min after the first failure (61.5) and 2 min after the
//     second (182.5), then dropped: 3 invocations and errors, 2 retries.
func TestAsyncRetries(t *testing.T) {
	for _, tc := range []struct {
		name, yaml                                            string
		invocations, throttles, retries, dropped, errs, colds int64
	}{
		{"throttled", `
duration: 60s
function: {memory_mb: 128, timeout: 900s, duration: 10s}
concurrency: {reserved: 1}
traffic: {arrivals: even, invocation: async, retry_jitter: none, start_rate: 2, stages: [{duration: 1s, target: 2}, {duration: 0s, target: 0}, {duration: 59s, target: 0}]}
`, 2, 4, 4, 0, 0, 1},
		{"too old", `
duration: 120s
function: {memory_mb: 128, timeout: 900s, duration: 100s}
concurrency: {reserved: 1}
traffic: {arrivals: even, invocation: async, retry_jitter: none, max_event_age: 1m, start_rate: 2, stages: [{duration: 1s, target: 2}, {duration: 0s, target: 0}, {duration: 119s, target: 0}]}
`, 1, 6, 5, 1, 0, 1},
		{"failed", `
duration: 300s
function: {memory_mb: 128, timeout: 1s, duration: 2s}
traffic: {arrivals: even, invocation: async, start_rate: 1, stages: [{duration: 1s, target: 1}, {duration: 0s, target: 0}, {duration: 299s, target: 0}]}
`, 3, 0, 2, 1, 3, 1},
		{"failed, no retries", `
duration: 300s
function: {memory_mb: 128, timeout: 1s, duration: 2s}
traffic: {arrivals: even, invocation: async, max_retries: 0, start_rate: 1, stages: [{duration: 1s, target: 1}, {duration: 0s, target: 0}, {duration: 299s, target: 0}]}
`, 1, 0, 0, 1, 1, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, parse(t, tc.yaml), Options{})
			got := []int64{r.Invocations, r.Throttles, r.Retries, r.DroppedEvents, r.Errors, r.ColdStarts}
			want := []int64{tc.invocations, tc.throttles, tc.retries, tc.dropped, tc.errs, tc.colds}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("invocations/throttles/retries/dropped/errors/cold = %v, want %v", got, want)
			}
		})
	}
	// A synchronous throttle is final: the same first case gives 1 throttle.
	r := run(t, parse(t, `
duration: 60s
function: {memory_mb: 128, timeout: 900s, duration: 10s}
concurrency: {reserved: 1}
traffic: {arrivals: even, start_rate: 2, stages: [{duration: 1s, target: 2}, {duration: 0s, target: 0}, {duration: 59s, target: 0}]}
`), Options{})
	if r.Throttles != 1 || r.Retries != 0 || r.Invocations != 1 {
		t.Errorf("sync: throttles/retries/invocations = %d/%d/%d, want 1/0/1", r.Throttles, r.Retries, r.Invocations)
	}
}

// Shilkov's 2019 measurement of AWS keep-alive (research §5.1, §5.5e): the
// probability that an idle environment is gone after a gap — ≈ 0 until
// 25 min (2.97 % at 25), 14.4 % at 30, 40.4 % at 40, 67.0 % at 50, 93.5 %
// at 60, 100 % at 65 min. Fed as a cdf idle timeout, invocations arriving
// every G minutes (100 ms each, so the gap is G min − 0.1 s) are cold with
// probability F(G): within 3 binomial σ.
func TestShilkovKeepAliveCurve(t *testing.T) {
	for _, tc := range []struct {
		gapMin float64
		want   float64 // F at G − 0.1 s, interpolated by hand between the table's points
	}{
		{20, 0.0297 * 1199.9 / 1500},
		{30, 0.144 - (0.144-0.0297)*0.1/300},
		{40, 0.404 - (0.404-0.144)*0.1/600},
		{60, 0.935 - (0.935-0.67)*0.1/600},
	} {
		rate := 1 / (tc.gapMin * 60)
		s := parse(t, fmt.Sprintf(`
duration: %.0fs
function: {memory_mb: 128, duration: 100ms}
keep_alive:
  idle_timeout:
    distribution: cdf
    points: [[0s, 0], [25m, 0.0297], [30m, 0.144], [40m, 0.404], [50m, 0.67], [60m, 0.935], [65m, 1]]
traffic: {arrivals: even, start_rate: %.12g}
`, 8000*tc.gapMin*60, rate))
		r := run(t, s, Options{})
		n := float64(r.Invocations - 1) // the first is always cold
		got := float64(r.ColdStarts-1) / n
		sigma := math.Sqrt(tc.want * (1 - tc.want) / n)
		if math.Abs(got-tc.want) > 3*sigma+1e-9 {
			t.Errorf("gap %g min: P(cold) = %.4f over %v, want %.4f ± %.4f", tc.gapMin, got, n, tc.want, 3*sigma)
		}
	}
}
