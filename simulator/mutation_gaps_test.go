package simulator

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// Tests for the gaps a mutation run found (issue 25): each expectation is
// worked out by hand in the comment above it, never read from the program.

// simBoth runs one replica of the scenario on the fused completion path
// (when the scenario allows it) and on the general one, and returns both.
func simBoth(t *testing.T, yaml string, seed uint64) (fast, slow *replica) {
	t.Helper()
	s, err := ParseScenario("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	bw := int64(BucketWidth(s.Span()))
	fast = newReplica(s, seed, 0, bw)
	slow = newReplica(s, seed, 0, bw)
	slow.fast = false
	fast.run(nil)
	slow.run(nil)
	return fast, slow
}

// TestKeepAliveBoundary: even arrivals at t = 0.5, 1.5, …, 99.5 s, 100 ms
// each, one environment. It goes idle at t + 0.1 s and lives idle for the
// idle timeout T, so its deadline is t + 0.1 + T. The next arrival (t + 1)
// finds it iff its deadline is after that arrival: T > 900 ms. At exactly
// T = 900 ms the deadline is the arrival itself and the environment is gone
// (reclaimed at deadline ≤ t): 100 of 100 cold. One nanosecond more keeps
// it: only the first is cold. Both completion paths must agree with this.
func TestKeepAliveBoundary(t *testing.T) {
	for _, tc := range []struct {
		idle string
		cold int64
	}{{"899ms", 100}, {"900ms", 100}, {"900.000001ms", 1}, {"901ms", 1}} {
		y := `
duration: 100s
function: {memory_mb: 128, duration: 100ms}
keep_alive: {idle_timeout: ` + tc.idle + `}
traffic: {arrivals: even, start_rate: 1}
`
		fast, slow := simBoth(t, y, 1)
		if !fast.fast {
			t.Fatalf("idle %s: the scenario does not take the fused path", tc.idle)
		}
		for name, r := range map[string]*replica{"fused": fast, "general": slow} {
			if r.st.Invocations != 100 || r.st.Cold != tc.cold {
				t.Errorf("idle %s, %s path: %d cold of %d, want %d of 100", tc.idle, name, r.st.Cold, r.st.Invocations, tc.cold)
			}
		}
	}
	// The same through Run (what `simulate` prints).
	s := parse(t, `
duration: 100s
function: {memory_mb: 128, duration: 100ms}
keep_alive: {idle_timeout: 900ms}
traffic: {arrivals: even, start_rate: 1}
`)
	if r := run(t, s, Options{}); r.ColdStarts != 100 || r.ColdStartRate != 1 {
		t.Errorf("Run: %d cold (rate %v), want 100 (1)", r.ColdStarts, r.ColdStartRate)
	}
}

// TestExpiredTopOfStackIsNotReused: with a maximum lifetime the idle stack
// is not in deadline order, and an expired environment can sit on top of a
// live one. Even arrivals at t = 0.5 … 4.5 s, 600 ms handler, 900 ms INIT
// (cold = 1.5 s), max lifetime 2.8 s, idle timeout 10 min:
//
//	0.5  cold A (deadline 0.5+2.8 = 3.3), ends 2.0
//	1.5  A busy: cold B (deadline 4.3), ends 3.0
//	2.5  A idle: warm A, ends 3.1
//	3.5  stack (bottom→top) B(4.3), A(3.3): A expired at 3.3 → dies; warm B, ends 4.1
//	4.5  B expired at 4.3 → dies; cold C, runs past the 5 s span
//
// 5 invocations, 3 cold; A and B live 2.8 s each and C 0.5 s within the
// span: mean environments (2.8+2.8+0.5)/5 = 1.22, mean lifetime 2.8 s.
// Reusing the expired A at 3.5 would make A live 3.6 s instead.
func TestExpiredTopOfStackIsNotReused(t *testing.T) {
	s := parse(t, `
duration: 5s
function: {memory_mb: 128, duration: 600ms, init_duration: 900ms}
keep_alive: {idle_timeout: 10m, max_lifetime: 2800ms}
traffic: {arrivals: even, start_rate: 1}
`)
	r := run(t, s, Options{})
	if r.Invocations != 5 || r.ColdStarts != 3 {
		t.Errorf("invocations/cold = %d/%d, want 5/3", r.Invocations, r.ColdStarts)
	}
	if math.Abs(r.MeanEnvironments-1.22) > 1e-9 {
		t.Errorf("mean environments = %v, want 1.22", r.MeanEnvironments)
	}
	if math.Abs(r.MeanEnvironmentLifetimeS-2.8) > 1e-9 {
		t.Errorf("mean environment lifetime = %v s, want 2.8", r.MeanEnvironmentLifetimeS)
	}
}

// TestQuantileNearestRank: the nearest-rank p-quantile of n sorted values
// is the value of rank ⌈p·n⌉ (at least 1). Of {1, 2, 3} ms: p50 → rank
// ⌈1.5⌉ = 2 → 2 ms; p33 → ⌈0.99⌉ = 1 → 1 ms; p34 → ⌈1.02⌉ = 2 → 2 ms;
// p100 → 3 ms; p0 → 1 ms. The histogram is exact to 0.4 % (and clamped to
// the exact min and max); the replica band is exact.
func TestQuantileNearestRank(t *testing.T) {
	var h Histogram
	for _, v := range []time.Duration{3 * time.Millisecond, time.Millisecond, 2 * time.Millisecond} {
		h.Record(v)
	}
	for _, c := range []struct {
		p    float64
		want time.Duration
	}{{0.5, 2 * time.Millisecond}, {0.33, time.Millisecond}, {0.34, 2 * time.Millisecond}, {1, 3 * time.Millisecond}, {0, time.Millisecond}} {
		got := h.Quantile(c.p)
		if math.Abs(float64(got-c.want)) > 0.004*float64(c.want) {
			t.Errorf("Quantile(%v) of {1,2,3} ms = %v, want %v", c.p, got, c.want)
		}
	}
	if b := band([]float64{3, 1, 2}); b.P5 != 1 || b.P50 != 2 || b.P95 != 3 || b.Mean != 2 {
		t.Errorf("band{3,1,2} = %+v, want p5 1, p50 2, p95 3, mean 2", b)
	}
	// 1…20: p5 → rank ⌈1⌉ = 1; p50 → ⌈10⌉ = 10; p95 → ⌈19⌉ = 19; mean 10.5.
	xs := make([]float64, 20)
	for i := range xs {
		xs[i] = float64(20 - i)
	}
	if b := band(xs); b.P5 != 1 || b.P50 != 10 || b.P95 != 19 || b.Mean != 10.5 {
		t.Errorf("band(1..20) = %+v, want p5 1, p50 10, p95 19, mean 10.5", b)
	}
}

// TestReplicasDrawDifferentStreams: each Monte Carlo replica must draw its
// own random stream, or the bands collapse to one run (p5 = p95: false
// certainty). Poisson arrivals at 10/s for 100 s: a replica's arrivals are
// Poisson(1000), standard deviation √1000 ≈ 31.6. With 20 replicas the
// nearest-rank p5 is the smallest and p95 the 19th of 20; for normal draws
// their expected gap is about (1.87 + 1.40) σ ≈ 103, so a gap below 1 σ or
// above 8 σ (both far outside what 20 draws give) fails, as does a mean
// further than 4 σ/√20 ≈ 28 from 1,000.
func TestReplicasDrawDifferentStreams(t *testing.T) {
	s := parse(t, `
seed: 11
duration: 100s
function: {memory_mb: 128, duration: 10ms}
keep_alive: {idle_timeout: 0s}
traffic: {start_rate: 10}
`)
	r := run(t, s, Options{Runs: 20, Workers: 2})
	b, ok := r.Bands["invocations"]
	if !ok {
		t.Fatal("no invocations band with 20 runs")
	}
	sigma := math.Sqrt(1000)
	if gap := b.P95 - b.P5; gap < sigma || gap > 8*sigma {
		t.Errorf("invocations p5 %v, p95 %v: gap %v, want between %.0f and %.0f", b.P5, b.P95, gap, sigma, 8*sigma)
	}
	if math.Abs(b.Mean-1000) > 4*sigma/math.Sqrt(20) {
		t.Errorf("mean invocations %v, want 1000 ± %.0f", b.Mean, 4*sigma/math.Sqrt(20))
	}
	// Every invocation is cold (idle timeout 0), so the cold-start band
	// spreads exactly as the invocations do.
	if c := r.Bands["cold_starts"]; c.P5 != b.P5 || c.P95 != b.P95 {
		t.Errorf("cold-start band %+v, want the invocations band %+v", c, b)
	}
	// Two replicas of one seed on different streams differ; the same
	// stream repeats exactly.
	bw := int64(BucketWidth(s.Span()))
	r0, r1, r0b := newReplica(s, 11, 0, bw), newReplica(s, 11, 1, bw), newReplica(s, 11, 0, bw)
	r0.run(nil)
	r1.run(nil)
	r0b.run(nil)
	if r0.st == r1.st {
		t.Errorf("streams 0 and 1 gave identical replicas: %+v", r0.st)
	}
	if r0.st != r0b.st {
		t.Errorf("stream 0 twice differs")
	}
}

// TestReleasePathsMatchClosedForm: the fused and the general completion
// paths agree with each other (TestReleaseFastMatchesRelease) and each with
// a closed form: one environment, Poisson arrivals at λ = 1/s, 1 ms
// handler, idle timeout T = 1 s: an arrival is cold iff the gap since the
// previous one exceeds 1 ms + T, P = e^(−λ(T+0.001)) ≈ 0.36751; over
// 20,000 s, within 4 binomial standard deviations (σ ≈ 0.0034 on the rate).
func TestReleasePathsMatchClosedForm(t *testing.T) {
	fast, slow := simBoth(t, `
duration: 20000s
function: {memory_mb: 128, duration: 1ms}
keep_alive: {idle_timeout: 1s}
traffic: {start_rate: 1}
`, 3)
	p := math.Exp(-1.001)
	for name, r := range map[string]*replica{"fused": fast, "general": slow} {
		n := float64(r.st.Invocations)
		if math.Abs(n-20000) > 4*math.Sqrt(20000) {
			t.Errorf("%s: %v invocations, want 20000 ± 566", name, n)
		}
		rate := float64(r.st.Cold) / n
		if sd := math.Sqrt(p * (1 - p) / n); math.Abs(rate-p) > 4*sd {
			t.Errorf("%s: cold rate %v, want %v ± %v", name, rate, p, 4*sd)
		}
		// Billing: warm 1 ms each, cold the same (no INIT configured).
		if r.st.OnDemandMs != r.st.Invocations {
			t.Errorf("%s: billed %d ms for %d invocations of 1 ms", name, r.st.OnDemandMs, r.st.Invocations)
		}
	}
}

// TestBillingWarmAndProvisionedExact: every invocation is billed rounded up
// to the ms. Even arrivals at 1/s for 100 s, 80.2 ms handler, 250 ms INIT,
// idle timeout 10 min: the first is cold, ⌈330.2⌉ = 331 ms; the other 99
// are warm, ⌈80.2⌉ = 81 ms each: 331 + 99 × 81 = 8,350 ms. With one
// provisioned environment all 100 run on it: 100 × 81 = 8,100 provisioned
// ms and no on-demand ms. Both completion paths where they apply.
func TestBillingWarmAndProvisionedExact(t *testing.T) {
	fast, slow := simBoth(t, `
duration: 100s
function: {memory_mb: 128, duration: 80.2ms, init_duration: 250ms}
keep_alive: {idle_timeout: 10m}
traffic: {arrivals: even, start_rate: 1}
`, 1)
	for name, r := range map[string]*replica{"fused": fast, "general": slow} {
		if r.st.Invocations != 100 || r.st.Cold != 1 || r.st.OnDemandMs != 8350 || r.st.InitMs != 250 {
			t.Errorf("%s: %d invocations, %d cold, %d ms (INIT %d); want 100, 1, 8350 (250)", name, r.st.Invocations, r.st.Cold, r.st.OnDemandMs, r.st.InitMs)
		}
	}
	s := parse(t, `
duration: 100s
function: {memory_mb: 128, duration: 80.2ms, init_duration: 250ms}
concurrency: {provisioned: 1}
traffic: {arrivals: even, start_rate: 1}
`)
	r := run(t, s, Options{})
	if r.ProvisionedInvocations != 100 || r.Usage.ProvisionedMs != 8100 || r.Usage.OnDemandMs != 0 || r.ColdStarts != 0 {
		t.Errorf("provisioned: %d invocations, %d ms, on-demand %d ms, %d cold; want 100, 8100, 0, 0", r.ProvisionedInvocations, r.Usage.ProvisionedMs, r.Usage.OnDemandMs, r.ColdStarts)
	}
}

// TestTimeoutBoundary: Lambda stops a function at its deadline, so an
// invocation that needs exactly its timeout is cut off there and is a
// timeout (the engine's rule since h-sim's "timeout at equality"); one
// nanosecond less finishes in time. Even arrivals at 1/s for 10 s.
func TestTimeoutBoundary(t *testing.T) {
	for _, c := range []struct {
		dur    string
		errors int64
	}{{"999.999999ms", 0}, {"1s", 10}} {
		s := parse(t, `
duration: 10s
function: {memory_mb: 128, timeout: 1s, duration: `+c.dur+`}
traffic: {arrivals: even, start_rate: 1}
`)
		if r := run(t, s, Options{}); r.Invocations != 10 || r.Errors != c.errors {
			t.Errorf("duration %s, timeout 1s: %d errors of %d, want %d of 10", c.dur, r.Errors, r.Invocations, c.errors)
		}
	}
}

// TestProvisionedMonthByHand: one provisioned environment, 128 MB x86 in
// us-east-1, even arrivals at 1/s for 1 h, 100 ms each, all on the
// provisioned environment. The month is 730 h with provisioned concurrency
// enabled throughout:
//
//	requests            3,600 × 730 = 2,628,000 × $0.20/M        = $0.5256
//	provisioned dur.    262,800,000 ms × 0.125 GB = 32,850 GB-s
//	                    × $0.0000097222                           = $0.31937427
//	provisioned conc.   730 × 3,600 s × 0.125 GB = 328,500 GB-s
//	                    × $0.0000041667                           = $1.36876095
//	total                                                         = $2.21373522
//
// The hour itself: $0.00072 + 45 GB-s × $0.0000097222 ($0.000437499) +
// 450 GB-s × $0.0000041667 ($0.001875015) = $0.003032514. One environment
// is alive all the time: mean environments 1, all of it provisioned.
func TestProvisionedMonthByHand(t *testing.T) {
	s := parse(t, `
duration: 1h
function: {memory_mb: 128, duration: 100ms}
concurrency: {provisioned: 1}
traffic: {arrivals: even, start_rate: 1}
`)
	r := run(t, s, Options{})
	if r.ProvisionedInvocations != 3600 {
		t.Fatalf("%d provisioned invocations, want 3600", r.ProvisionedInvocations)
	}
	if math.Abs(r.MonthlyCostUSD-2.21373522) > 1e-9 {
		t.Errorf("monthly cost $%v, want $2.21373522", r.MonthlyCostUSD)
	}
	if math.Abs(r.CostUSD-0.003032514) > 1e-12 {
		t.Errorf("cost of the hour $%v, want $0.003032514", r.CostUSD)
	}
	if math.Abs(r.MeanEnvironments-1) > 1e-12 {
		t.Errorf("mean environments %v, want 1", r.MeanEnvironments)
	}
	// The replicas' bands say the same (every replica is this one: even
	// arrivals, fixed durations): mean environments 1; busy 3,600 × 0.1 s
	// over 3,600 s = 0.1, so utilisation 0.1 / 1 = 0.1.
	r = run(t, s, Options{Runs: 2})
	for k, want := range map[string]float64{"mean_environments": 1, "mean_concurrency": 0.1, "utilization": 0.1} {
		if b := r.Bands[k]; math.Abs(b.P5-want) > 1e-9 || math.Abs(b.P95-want) > 1e-9 {
			t.Errorf("band %s = %+v, want %v", k, b, want)
		}
	}
}

// One environment kept alive past the end of a 5 s span is never
// reclaimed: its lifetime is not measured, and the JSON says null, not 0;
// so do the bands over replicas that all lack it.
func TestLifetimeWithoutReclaimIsNull(t *testing.T) {
	s := parse(t, `
duration: 5s
function: {memory_mb: 128, duration: 100ms}
keep_alive: {idle_timeout: 10m}
traffic: {arrivals: even, start_rate: 1}
`)
	for _, runs := range []int{1, 3} {
		r := run(t, s, Options{Runs: runs})
		if !math.IsNaN(r.MeanEnvironmentLifetimeS) {
			t.Errorf("runs %d: lifetime = %v, want NaN (none reclaimed)", runs, r.MeanEnvironmentLifetimeS)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte(`"mean_environment_lifetime_s":null`)) {
			t.Errorf("runs %d: JSON lacks a null lifetime: %.300s", runs, b)
		}
		if runs > 1 && !bytes.Contains(b, []byte(`"mean_environment_lifetime_s_p95":null`)) {
			t.Errorf("runs %d: JSON lacks a null band", runs)
		}
	}
}

// TestApplyCompareSections: compare on a scenario takes each billing: and
// compare: choice unless compare's own flag for it was given, and names
// every billing choice by where it came from. The scenario chooses a free
// tier, a 17 % discount, 2KB = 2 × 1024 = 2,048 log bytes, m7g.large, a
// 1 vCPU / 2 GB task and m7g.xlarge for Managed Instances; the input
// holds what the given flags set (a flag not given leaves its zero).
func TestApplyCompareSections(t *testing.T) {
	s := parse(t, compareHead+`billing: {free_tier: true, compute_savings_plan: 0.17, log_bytes_per_request: 2KB}
compare:
  instance_types: [m7g.large]
  fargate_task: 1vCPU:2GB
  lmi_instance_types: [m7g.xlarge]
`)
	fromFile := fleet.Input{Region: "us-east-1", InstanceTypes: []string{"m7g.large"}, FargateTask: fleet.FargateTask{VCPU: 1, MemoryGB: 2},
		LMIInstanceTypes: []string{"m7g.xlarge"}, Options: fleet.Options{FreeTier: true, LambdaDiscount: 0.17, LogBytesPerRequest: 2048}}
	fileAs := []string{"billing.free_tier=applied to the Lambda side", "billing.compute_savings_plan=17 % off Lambda", "billing.log_bytes_per_request=2048 bytes"}
	flags := func(names ...string) func(string) bool {
		return func(n string) bool {
			for _, x := range names {
				if x == n {
					return true
				}
			}
			return false
		}
	}
	with := func(f func(*fleet.Input)) fleet.Input {
		in := fromFile
		f(&in)
		return in
	}
	for _, tc := range []struct {
		name  string
		given func(string) bool
		in    fleet.Input // what the given flags set
		want  fleet.Input
		as    []string
	}{
		{"no flag: every choice from the file", nil, fleet.Input{Region: "us-east-1"}, fromFile, fileAs},
		// Every flag given: the input stays as the flags made it; the
		// free tier (--free-tier=false) is not used, so not listed; 0.3 →
		// 30 %.
		{"every flag wins", flags("free-tier", "lambda-discount", "log-bytes", "instance-type", "fargate-task", "lmi-instance-type", "no-lmi"),
			fleet.Input{Region: "us-east-1", InstanceTypes: []string{"c7g.large"}, FargateTask: fleet.FargateTask{VCPU: 0.5, MemoryGB: 1}, NoLMI: true,
				Options: fleet.Options{LambdaDiscount: 0.3, LogBytesPerRequest: 512}},
			fleet.Input{Region: "us-east-1", InstanceTypes: []string{"c7g.large"}, FargateTask: fleet.FargateTask{VCPU: 0.5, MemoryGB: 1}, NoLMI: true,
				Options: fleet.Options{LambdaDiscount: 0.3, LogBytesPerRequest: 512}},
			[]string{"--lambda-discount=30 % off Lambda", "--log-bytes=512 bytes"}},
		// --free-tier=false alone: no free tier; the rest from the file.
		{"--free-tier=false", flags("free-tier"), fleet.Input{Region: "us-east-1"},
			with(func(in *fleet.Input) { in.Options.FreeTier = false }), fileAs[1:]},
		// --free-tier alone: named by the flag; the discount and the log
		// bytes still by the file's keys.
		{"--free-tier", flags("free-tier"), fleet.Input{Region: "us-east-1", Options: fleet.Options{FreeTier: true}}, fromFile,
			[]string{"--free-tier=applied to the Lambda side", fileAs[1], fileAs[2]}},
		// --lambda-discount 0.3 alone: 30 % named by the flag, the rest by the file.
		{"--lambda-discount", flags("lambda-discount"), fleet.Input{Region: "us-east-1", Options: fleet.Options{LambdaDiscount: 0.3}},
			with(func(in *fleet.Input) { in.Options.LambdaDiscount = 0.3 }), []string{fileAs[0], "--lambda-discount=30 % off Lambda", fileAs[2]}},
		// --no-lmi alone leaves Managed Instances out: the file's
		// lmi_instance_types are not taken with it.
		{"--no-lmi", flags("no-lmi"), fleet.Input{Region: "us-east-1", NoLMI: true},
			with(func(in *fleet.Input) { in.LMIInstanceTypes, in.NoLMI = nil, true }), fileAs},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			as, err := s.ApplyCompareSections(pricing.Embedded(), &in, tc.given)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in, tc.want) {
				t.Errorf("input = %+v\nwant    %+v", in, tc.want)
			}
			var got []string
			for _, a := range as {
				got = append(got, a.Field+"="+a.Value)
			}
			if !reflect.DeepEqual(got, tc.as) {
				t.Errorf("assumptions %q, want %q", got, tc.as)
			}
		})
	}
}

// TestRegionPrecedence: a simulation is priced in the region given
// (--region), else the scenario's, else us-east-1 — Run and Reprice alike.
func TestRegionPrecedence(t *testing.T) {
	const body = "duration: 10s\nfunction: {memory_mb: 128, duration: 10ms}\ntraffic: {arrivals: even, start_rate: 1}\n"
	eu := parse(t, "region: eu-west-1\n"+body)
	none := parse(t, body)
	for _, tc := range []struct {
		name   string
		s      *Scenario
		region string
		want   string
	}{
		{"given wins over the scenario's", eu, "us-east-1", "us-east-1"},
		{"the scenario's", eu, "", "eu-west-1"},
		{"neither", none, "", "us-east-1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, tc.s, Options{Region: tc.region})
			if r.Region != tc.want {
				t.Errorf("Run: region %q, want %q", r.Region, tc.want)
			}
			rp, err := Reprice(tc.s, r, nil, tc.region)
			if err != nil {
				t.Fatal(err)
			}
			if rp.Region != tc.want {
				t.Errorf("Reprice: region %q, want %q", rp.Region, tc.want)
			}
		})
	}
}

// TestProvisionedStepInForceAtItsTime: a step's level holds from its `at`
// (inclusive). Schedule 0 → 1 at 1 h: over [1 h, 2 h) the mean level is 1
// and 1 × 3,600 s are billed (a multiple of 5 minutes); over [0, 2 h) the
// mean is ½.
func TestProvisionedStepInForceAtItsTime(t *testing.T) {
	c := parse(t, "duration: 2h\nfunction: {memory_mb: 128, duration: 10ms}\nconcurrency: {provisioned_schedule: [{at: 1h, level: 1}]}\ntraffic: {start_rate: 1}\n").Concurrency
	if got := c.ProvisionedLevel(time.Hour); got != 1 {
		t.Errorf("level at 1h = %d, want 1", got)
	}
	if got := c.MeanProvisioned(time.Hour, 2*time.Hour); got != 1 {
		t.Errorf("mean over [1h, 2h) = %v, want 1", got)
	}
	if got := c.ProvisionedEnvSeconds(time.Hour, 2*time.Hour); got != 3600 {
		t.Errorf("env-seconds over [1h, 2h) = %d, want 3600", got)
	}
	if got := c.MeanProvisioned(0, 2*time.Hour); got != 0.5 {
		t.Errorf("mean over [0, 2h) = %v, want 0.5", got)
	}
}

// TestProvisionedScheduleFiveMinutes: AWS bills provisioned concurrency
// "rounded up to the nearest 5 minutes"; each interval at one level is
// rounded on its own. Level 1 for [0, 7 min) → 10 min = 600 s × 1; level
// 2 for [7, 20 min) = 13 min → 15 min = 900 s × 2 = 1,800; total 2,400
// (not 7 × 60 + 2 × 13 × 60 = 1,980 to the second).
func TestProvisionedScheduleFiveMinutes(t *testing.T) {
	s := parse(t, "duration: 20m\nfunction: {memory_mb: 128, duration: 10ms}\nconcurrency: {provisioned: 1, provisioned_schedule: [{at: 7m, level: 2}]}\ntraffic: {arrivals: even, start_rate: 1}\n")
	if got := s.Concurrency.ProvisionedEnvSeconds(0, s.Span()); got != 2400 {
		t.Errorf("ProvisionedEnvSeconds = %d, want 2400", got)
	}
	if r := run(t, s, Options{}); r.Usage.ProvisionedEnvSeconds != 2400 {
		t.Errorf("the run's provisioned env-seconds = %d, want 2400", r.Usage.ProvisionedEnvSeconds)
	}
}

// TestProvisionedScheduleKeepsRetiringEnvironment: a decrease while the
// provisioned environment is busy retires it when its invocation ends; an
// increase before then keeps it instead of starting another. Provisioned
// 1; one 5-minute invocation arrives at 25 s (even arrivals: 0.02 req/s
// for 50 s puts Λ = ½ at 25 s) on the provisioned environment, busy to
// 325 s; the level goes to 0 at 1 min and back to 1 at 2 min; the second
// arrival, at 150 s (0.02 req/s over [125 s, 175 s): Λ = 1½), finds the one
// provisioned environment busy: it is an on-demand cold start. So 2
// invocations, 1 provisioned, 1 cold.
func TestProvisionedScheduleKeepsRetiringEnvironment(t *testing.T) {
	r := run(t, parse(t, `
function: {memory_mb: 128, timeout: 900s, duration: 5m}
concurrency: {provisioned: 1, provisioned_schedule: [{at: 1m, level: 0}, {at: 2m, level: 1}]}
traffic:
  arrivals: even
  start_rate: 0.02
  stages: [{duration: 50s, target: 0.02}, {duration: 0s, target: 0}, {duration: 75s, target: 0},
    {duration: 0s, target: 0.02}, {duration: 50s, target: 0.02}, {duration: 0s, target: 0}, {duration: 425s, target: 0}]
`), Options{})
	if r.Invocations != 2 || r.ProvisionedInvocations != 1 || r.ColdStarts != 1 {
		t.Errorf("invocations %d, provisioned %d, cold %d; want 2, 1, 1", r.Invocations, r.ProvisionedInvocations, r.ColdStarts)
	}
}

// EstimateExact: one run cannot be split over two workers. 1,000 req/s
// for 1 h = 3.6·10⁶ requests × 165 ns = 594 ms whatever the workers.
func TestEstimateExactMoreWorkersThanRuns(t *testing.T) {
	s := parse(t, "duration: 1h\nfunction: {memory_mb: 128, duration: 10ms}\ntraffic: {start_rate: 1000}\n")
	if got := EstimateExact(s, 1, 2); got != 594*time.Millisecond {
		t.Errorf("EstimateExact(1 run, 2 workers) = %s, want 594ms", got)
	}
}

// The fast mode starts from an empty pool: initial_environments need the
// exact engine (refused by --mode fast, exact under auto however long).
func TestFastRefusesInitialEnvironments(t *testing.T) {
	s := parse(t, "duration: 1h\nfunction: {memory_mb: 128, duration: 10ms}\nconcurrency: {initial_environments: 5}\ntraffic: {start_rate: 1000}\n")
	if err := FastRefusal(s); err == nil || !strings.Contains(err.Error(), "initial_environments") {
		t.Errorf("FastRefusal = %v, want a refusal naming initial_environments", err)
	}
	if m, err := chooseMode(s, Options{Mode: ModeAuto, Runs: 1, Workers: 1, AutoThreshold: time.Millisecond}); err != nil || m != ModeExact {
		t.Errorf("auto: %q, %v; want exact", m, err)
	}
}

// TestRateQuotaFixedWindows: the invocation-rate quota counts requests in
// fixed one-second windows from t = 0. Even arrivals at 40 req/s over
// [0.5 s, 1.5 s): the n-th at 0.5 + (n − ½)/40 s, 20 in each of the
// windows [0, 1) and [1, 2). Reserved 1 makes the sync quota 10 × 1 =
// 10 req/s: 10 run in each window, 20 are rate throttles. (Each 10 ms
// invocation ends 15 ms before the next arrival: no concurrency throttle.)
// Async has no per-environment quota; account_limit 1 makes its quota
// 10 × 1 = 10 req/s over the events admitted: the same 20 and 20.
func TestRateQuotaFixedWindows(t *testing.T) {
	const traffic = `  arrivals: even
  start_rate: 0
  stages: [{duration: 500ms, target: 0}, {duration: 0s, target: 40}, {duration: 1s, target: 40}, {duration: 0s, target: 0}, {duration: 500ms, target: 0}]
`
	for _, tc := range []struct{ name, yaml string }{
		{"sync, reserved 1", "function: {memory_mb: 128, duration: 10ms}\nconcurrency: {reserved: 1}\ntraffic:\n" + traffic},
		{"async, account limit 1", "function: {memory_mb: 128, duration: 10ms}\nconcurrency: {account_limit: 1}\ntraffic:\n  invocation: async\n" + traffic},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, parse(t, tc.yaml), Options{})
			if r.Arrivals != 40 || r.Invocations != 20 || r.RateThrottles != 20 || r.ConcurrencyThrottles != 0 {
				t.Errorf("arrivals/invocations/rate/concurrency throttles = %d/%d/%d/%d, want 40/20/20/0",
					r.Arrivals, r.Invocations, r.RateThrottles, r.ConcurrencyThrottles)
			}
		})
	}
}

// TestAsyncErrorRetryTimes: a failed async event is retried 1 minute after
// its first failure and 2 minutes after its second (AWS). One event at
// 0.5 s that always times out (2 s > the 1 s timeout): fails at 1.5 s,
// retried at 61.5 s, fails at 62.5 s, retried at 182.5 s — after the
// 150 s span: 2 invocations and errors, 2 retries scheduled, 1 still
// pending, none dropped.
func TestAsyncErrorRetryTimes(t *testing.T) {
	r := run(t, parse(t, `
duration: 150s
function: {memory_mb: 128, timeout: 1s, duration: 2s}
traffic: {arrivals: even, invocation: async, start_rate: 1, stages: [{duration: 1s, target: 1}, {duration: 0s, target: 0}, {duration: 149s, target: 0}]}
`), Options{})
	got := []int64{r.Invocations, r.Errors, r.Retries, r.PendingRetries, r.DroppedEvents}
	if want := []int64{2, 2, 2, 1, 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("invocations/errors/retries/pending/dropped = %v, want %v", got, want)
	}
}
