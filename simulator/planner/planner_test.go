package planner

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
)

// synthetic is a closed-form trade-off: each provisioned environment costs
// 3, the on-demand part 0.05 × (80 − p)² (zero from 80 up), and the
// cold-start rate falls linearly to zero at 60.
//
//	cost'(p) = 3 − 0.1 × (80 − p) = 0  →  p = 50 (the unconstrained optimum)
//	cold(p) = (60 − p)/100 ≤ 0.05      →  p ≥ 55, and cost rises past 50, so 55
func synthetic(_ context.Context, p int) (Point, error) {
	x := float64(p)
	c := 3 * x
	if x < 80 {
		c += 0.05 * (80 - x) * (80 - x)
	}
	cold := math.Max(0, (60-x)/100)
	d := decimal.NewFromFloat(c)
	return Point{Provisioned: p, ColdStartRate: cold, MonthlyCostUSD: c, Total: d, LatencyP99Ms: 100 + 1000*cold}, nil
}

func TestSearchSynthetic(t *testing.T) {
	rate := 0.05
	impossible := 10.0
	for _, tc := range []struct {
		name   string
		target Target
		want   int // -1: none
	}{
		{"unconstrained", Target{}, 50},
		{"cold-start target", Target{MaxColdStartRate: &rate}, 55},
		{"p99 target", Target{MaxP99: 120 * time.Millisecond}, 58}, // 100 + 1000(60−p)/100 ≤ 120 → p ≥ 58
		{"impossible", Target{MaxP99: time.Duration(impossible * float64(time.Millisecond))}, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			eval := func(ctx context.Context, p int) (Point, error) { calls++; return synthetic(ctx, p) }
			last := 0
			plan, err := Search(context.Background(), eval, 0, PlanOptions{Target: tc.target, MaxLevel: 200, Workers: 1, Progress: func(n int) { last = n }})
			if err != nil {
				t.Fatal(err)
			}
			if tc.want < 0 {
				if plan.Best != nil {
					t.Fatalf("best = %d, want none", plan.Best.Provisioned)
				}
				return
			}
			if plan.Best == nil || plan.Best.Provisioned != tc.want {
				t.Fatalf("best = %+v, want %d", plan.Best, tc.want)
			}
			if calls > 60 {
				t.Errorf("%d evaluations for 201 levels: the search is not narrowing", calls)
			}
			if last != calls {
				t.Errorf("progress reported %d of %d evaluations", last, calls)
			}
			if len(plan.Curve) != calls {
				t.Errorf("curve has %d points, %d evaluated", len(plan.Curve), calls)
			}
			want := 0.05*80*80 - plan.Best.MonthlyCostUSD // current level 0 costs 320
			if math.Abs(plan.MonthlySavingsUSD-want) > 1e-9 {
				t.Errorf("savings = %v, want %v", plan.MonthlySavingsUSD, want)
			}
		})
	}
}

// steady is 10 req/s arriving evenly (one every 100 ms), each running
// exactly 950 ms: at any moment at most 10 requests are in flight (the one
// that arrived 1 s earlier finished 50 ms before).
const steady = `name: steady
region: us-east-1
seed: 1
duration: 10m
function:
  memory_mb: 1024
  duration: 950ms
  init_duration: 250ms
traffic:
  arrivals: even
  start_rate: 10
  stages:
    - {duration: 10m, target: 10}
`

func loadSteady(t *testing.T) *simulator.Scenario {
	t.Helper()
	s, err := loadSteadyB()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func loadSteadyB() (*simulator.Scenario, error) {
	return simulator.ParseScenario("steady.yaml", []byte(steady))
}

// TestPlanProvisionedSteady: with 10 requests always in flight, 10
// provisioned environments serve everything warm; 9 leave one request at a
// time to on-demand environments, which start cold. Provisioned compute
// at 95 % busy costs less than on-demand (0.0000041667 + 0.95 × 0.0000097222
// = 0.0000134 per GB-s against 0.95 × 0.0000166667 = 0.0000158), so every
// environment up to 10 lowers the bill and every one above raises it: the
// cheapest level and the cheapest without cold starts are both 10.
func TestPlanProvisionedSteady(t *testing.T) {
	s := loadSteady(t)
	zero := 0.0
	for _, target := range []Target{{}, {MaxColdStartRate: &zero}} {
		plan, err := PlanProvisioned(context.Background(), s, PlanOptions{Target: target, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		if plan.Best == nil || plan.Best.Provisioned != 10 {
			t.Fatalf("best = %+v, want 10; curve %+v", plan.Best, plan.Curve)
		}
		if plan.Best.ColdStarts != 0 {
			t.Errorf("10 provisioned: %d cold starts", plan.Best.ColdStarts)
		}
		for _, p := range plan.Curve {
			if p.Provisioned < 10 && p.ColdStarts == 0 {
				t.Errorf("%d provisioned: no cold starts", p.Provisioned)
			}
		}
		if plan.Current.Provisioned != 0 || plan.MonthlySavingsUSD <= 0 {
			t.Errorf("current = %+v, savings %v", plan.Current, plan.MonthlySavingsUSD)
		}
	}
}

func TestScenarioInput(t *testing.T) {
	s := loadSteady(t)
	in, res, err := ScenarioInput(context.Background(), s, simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Even arrivals, centred: 0.05 s, 0.15 s, …, 599.95 s — 6,000
	// invocations, × 2,628,000 / 600 = 4,380 → 26,280,000 a month.
	if res.Invocations != 6000 || in.Workload.MonthlyRequests != 26_280_000 || in.Usage.Requests != 26_280_000 {
		t.Errorf("invocations %d, monthly %v / %d", res.Invocations, in.Workload.MonthlyRequests, in.Usage.Requests)
	}
	if in.Workload.PeakRPS != 10 || in.Workload.Duration != 950*time.Millisecond {
		t.Errorf("peak %v, duration %v", in.Workload.PeakRPS, in.Workload.Duration)
	}
	if len(in.Workload.Profile) != 10 || in.Workload.ProfileInterval != time.Minute {
		t.Errorf("profile %v every %v", in.Workload.Profile, in.Workload.ProfileInterval)
	}
	for _, r := range in.Workload.Profile {
		if r != 10 {
			t.Errorf("profile rate %v, want 10", r)
		}
	}
	// 1,024 MB is 1024/1769 of a vCPU.
	if math.Abs(in.Workload.CPUFraction-1024.0/1769) > 1e-12 || in.Workload.MemoryPerRequestMB != 1024 {
		t.Errorf("cpu %v memory %v", in.Workload.CPUFraction, in.Workload.MemoryPerRequestMB)
	}
}

func TestRecommendDataset(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d := &pricing.Dataset{Version: 1, Source: "logs", Region: "us-east-1", Start: start, End: start.Add(24 * time.Hour),
		Functions: []pricing.DatasetFunction{{
			FunctionConfig: pricing.FunctionConfig{Name: "api", MemoryMB: 1024, Architecture: pricing.X86_64, Timeout: pricing.Duration(900 * time.Second)},
			Summary: pricing.FunctionSummary{Invocations: 1_000_000, Throttles: 5, Errors: 20_000, ColdStarts: 100,
				DurationMs: pricing.DurationSet{Avg: 100, P50: 90, P90: 150, P99: 400, Max: 2000}, MaxMemoryUsedMB: 200},
		}, {
			FunctionConfig: pricing.FunctionConfig{Name: "batch", MemoryMB: 2048, Architecture: pricing.ARM64, Timeout: pricing.Duration(900 * time.Second)},
			Summary:        pricing.FunctionSummary{Invocations: 100, DurationMs: pricing.DurationSet{Avg: 700_000, P99: 800_000, Max: 850_000}},
		}},
	}
	recs, err := RecommendDataset(pricing.Embedded(), d, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]Recommendation{}
	for _, r := range recs {
		kinds[r.Function+"/"+r.Kind] = r
	}
	for _, k := range []string{"api/architecture", "api/memory", "api/timeout", "api/throttles", "api/errors", "batch/duration_limit"} {
		if _, ok := kinds[k]; !ok {
			t.Errorf("missing %s in %+v", k, recs)
		}
	}
	if _, ok := kinds["api/cold_starts"]; ok {
		t.Error("0.01% cold starts flagged")
	}
	// A day of 1M × 100 ms projected to 730 h: × 30.41666… = 3,041,666,667
	// ms → 3,041,666.667 GB-s at 1 GB; arm64 saves 0.0000166667 −
	// 0.0000133334 = 0.0000033333 per GB-s → $10.138889.
	if got := kinds["api/architecture"].MonthlySavingsUSD; math.Abs(got-3041666.667*0.0000033333) > 1e-5 {
		t.Errorf("arm64 saving = %v", got)
	}
	// Memory: 200 × 1.5 = 300 → 320 MB (64 MB steps): the duration part
	// shrinks to 320/1024 of $50.69 (3,041,666.667 GB-s × 0.0000166667).
	m := kinds["api/memory"]
	if m.Suggested != "320" || math.Abs(m.MonthlySavingsUSD-3041666.667*(1-320.0/1024)*0.0000166667) > 1e-5 {
		t.Errorf("memory = %+v", m)
	}
	if !strings.Contains(kinds["api/timeout"].Message, "over 10×") {
		t.Errorf("timeout = %+v", kinds["api/timeout"])
	}
	// Sorted by savings: architecture/memory first.
	if recs[0].MonthlySavingsUSD < recs[len(recs)-1].MonthlySavingsUSD {
		t.Error("not sorted by savings")
	}
}

func TestRecommendTune(t *testing.T) {
	tr, err := DecodeTuneResult("tune.json", strings.NewReader(`{"results":[
	 {"memory_mb":128,"duration_ms":{"p50":800,"p90":900,"p99":1000,"mean":820},"cost_per_invocation_usd":0.0000018,"cost_per_million_usd":1.9},
	 {"memory_mb":512,"duration_ms":{"p50":200,"p90":220,"p99":250,"mean":205},"cost_per_invocation_usd":0.0000019,"cost_per_million_usd":1.5},
	 {"memory_mb":1024,"duration_ms":{"p50":100,"p90":110,"p99":120,"mean":102},"cost_per_invocation_usd":0.0000019,"cost_per_million_usd":1.9},
	 {"memory_mb":3008,"status":"failed","failure":"timeout","duration_ms":{"p99":5},"cost_per_million_usd":0.5}],"recommendation":{"memory_mb":512,"strategy":"cost"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(tr.Results) != 3 {
		t.Fatalf("the failed size was kept: %+v", tr.Results)
	}
	recs := RecommendTune(tr, 1024, 10_000_000)
	// Cheapest 512 MB: 10 × $1.50 = $15 vs 10 × $1.90 = $19 at 1,024 MB → $4 a month.
	if recs[0].Suggested != "512" || math.Abs(recs[0].MonthlySavingsUSD-4) > 1e-9 {
		t.Errorf("cheapest = %+v", recs[0])
	}
	if len(recs) != 2 || recs[1].Suggested != "1024" {
		t.Errorf("fastest = %+v", recs)
	}
	if _, err := DecodeTuneResult("x.json", strings.NewReader(`{"results":[]}`)); !pricing.IsInput(err) {
		t.Errorf("empty tune: %v", err)
	}
}

func TestCompareScenario(t *testing.T) {
	s := loadSteady(t)
	r, err := CompareScenario(context.Background(), pricing.Embedded(), s, simulator.Options{}, fleetInput("m7g.large"))
	if err != nil {
		t.Fatal(err)
	}
	// 1,024 MB × 0.95 s per request = 0.95 GB-s; 26,280,000 requests a month.
	if r.Name != "steady" || r.Workload.MonthlyRequests != 26_280_000 || r.EC2.InstanceType != "m7g.large" || r.EC2.Instances < 2 {
		t.Errorf("result = %+v", r)
	}
	// The EBS default applies when no options are given: 20 GB per instance.
	found := false
	for _, l := range r.EC2.Cost.Lines {
		if l.Name == "ebs_gp3" && l.Quantity.Equal(decimal.NewFromInt(int64(20*r.EC2.Instances))) {
			found = true
		}
	}
	if !found {
		t.Errorf("no 20 GB volume per instance in %+v", r.EC2.Cost.Lines)
	}
}

func fleetInput(types ...string) fleet.Input { return fleet.Input{InstanceTypes: types} }

// TestPlanProvisionedAssumptions: a plan prices each level by projecting
// the simulated span to a month, like simulate, and says so (it listed
// none of its simulations' assumptions). The steady scenario simulates 10
// minutes: 2,628,000 s / 600 s = ×4380, under a day, so a warning; no
// billing section: free tier not applied, logs not priced; each level is
// provisioned all month.
func TestPlanProvisionedAssumptions(t *testing.T) {
	plan, err := PlanProvisioned(context.Background(), loadSteady(t), PlanOptions{Workers: 2, MaxLevel: 2, NoLMI: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]pricing.Assumption{}
	for _, a := range plan.Assumptions {
		got[a.Field] = a
	}
	if m := got["month"]; m.Value != "730 h" || !strings.Contains(m.Why, "WARNING: the simulated 10m0s is scaled ×4380 to a 730-hour month") {
		t.Errorf("month %+v", m)
	}
	for field, value := range map[string]string{"free_tier": "not applied", "logs": "not priced", "provisioned_concurrency": "each level all month"} {
		if got[field].Value != value {
			t.Errorf("%s = %+v, want %q", field, got[field], value)
		}
	}
}
