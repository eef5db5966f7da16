package planner

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
)

// lmiDataset is one hour of a 1024 MB x86_64 function at 200 ms a call
// (no memory measured, so a request is given its 1024 MB), per minute:
// steady 100 req/s, or 20 req/s jumping to 100 req/s at minute 30.
func lmiDataset(spike bool) *pricing.Dataset {
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	inv := make([]float64, 60)
	dur := make([]float64, 60)
	var n int64
	for i := range inv {
		inv[i] = 6000
		if spike && i < 30 {
			inv[i] = 1200
		}
		dur[i] = 200
		n += int64(inv[i])
	}
	return &pricing.Dataset{Version: 1, Source: "cloudwatch", Region: "us-east-1", Start: start, End: start.Add(time.Hour),
		Functions: []pricing.DatasetFunction{{
			FunctionConfig: pricing.FunctionConfig{Name: "api", MemoryMB: 1024, Architecture: pricing.X86_64, Timeout: pricing.Duration(10 * time.Second)},
			Summary:        pricing.FunctionSummary{Invocations: n, DurationMs: pricing.DurationSet{Avg: 200, P50: 200, P90: 200, P99: 200, Max: 200}, BilledDurationMs: n * 200},
			Series:         &pricing.Series{PeriodS: 60, Start: start, Invocations: inv, DurationAvgMs: dur, ConcurrencyMax: make([]float64, 60)},
		}}}
}

// TestRecommendLMI checks the LMI advice against a hand computation
// (us-east-1 list prices; m7g.xlarge, 4 vCPU / 16 GiB, $0.1632/h):
//
//	month: 100 req/s × 2,628,000 s = 262,800,000 requests
//	Lambda: 262.8 M × $0.20/M = $52.56; 262.8 M × 0.2 s × 1 GB = 52,560,000
//	  GB-s × $0.0000166667 = $876.001752; total $928.561752
//	LMI environment: 1 vCPU × 2 GiB (the default), a request's 1024 MB →
//	  2 at once; CPU per request 0.2 s × 1024/1769 = 0.115771 s; at the
//	  50 % CPU target 0.5 / 0.115771 = 4.3189 req/s (CPU-bound; 2 slots /
//	  0.2 s = 10 req/s); 100 / 4.3189 = 23.2 → 24 environments, 4 per
//	  instance → 6 instances × 730 h = 4,380 instance-hours
//	  EC2 4,380 × $0.1632 = $714.816; fee 15 % = $107.2224; requests $52.56
//	  → $874.5984; saving $928.561752 − $874.5984 = $53.963352
//	break-even: 3 instances (floor; 12 environments hold 51.8 req/s) cost
//	  3 × 730 × 0.1632 × 1.15 = $411.0192 + $0.5256 per req/s; Lambda
//	  $9.2856 per req/s (2,628,000 × (0.0000002 + 0.2 × 0.0000166667)) →
//	  411.0192 / (9.2856 − 0.5256) = 46.92 req/s ≈ 123.3 M requests/month.
//
// The steady traffic throttles nothing; the jump from 20 to 100 req/s (×5
// within 5 minutes) throttles while the fleet scales out.
func TestRecommendLMI(t *testing.T) {
	ro := RecommendOptions{LMIInstanceTypes: []string{"m7g.xlarge"}}
	r, err := RecommendDatasetFull(pricing.Embedded(), lmiDataset(false), ro)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.LMI) != 1 {
		t.Fatalf("LMI options %+v", r.LMI)
	}
	lo := r.LMI[0]
	if lo.LMI.Instances != 6 || lo.LMI.Environments != 24 || lo.LMI.LimitedBy != "cpu" {
		t.Errorf("sizing %+v", lo.LMI.LMISizing)
	}
	if math.Abs(lo.LMI.MonthlyCostUSD-874.5984) > 0.005 || math.Abs(lo.LambdaMonthlyUSD-928.561752) > 0.005 || math.Abs(lo.MonthlySavingsUSD-53.963352) > 0.005 || !lo.Cheaper {
		t.Errorf("LMI $%.4f, Lambda $%.4f, saving $%.4f", lo.LMI.MonthlyCostUSD, lo.LambdaMonthlyUSD, lo.MonthlySavingsUSD)
	}
	if b := lo.BreakevenRequestsPerMonth; b == nil || math.Abs(float64(*b)/123.3e6-1) > 0.01 {
		t.Errorf("break-even %v, want ≈ 123.3 M", b)
	}
	if tr := lo.ThrottleRisk; tr == nil || tr.Level != "none" || tr.Throttles != 0 || tr.MaxRise5Min != 1 {
		t.Errorf("steady throttle risk %+v", tr)
	}
	rec, ok := kindsOf(r.Recommendations)["api/lmi"]
	if !ok || rec.Suggested != "m7g.xlarge" || math.Abs(rec.MonthlySavingsUSD-53.963352) > 0.005 ||
		!strings.Contains(rec.Message, "6 instances") || !strings.Contains(rec.Message, "throttle risk none") || !strings.Contains(rec.Message, "runtime is not known") {
		t.Errorf("recommendation %+v", rec)
	}

	r, err = RecommendDatasetFull(pricing.Embedded(), lmiDataset(true), ro)
	if err != nil {
		t.Fatal(err)
	}
	tr := r.LMI[0].ThrottleRisk
	if tr == nil || tr.Level != "high" || tr.Throttles <= 0 || tr.MaxRise5Min != 5 {
		t.Fatalf("spike throttle risk %+v", tr)
	}
	if m := r.LMI[0].Message(); !strings.Contains(m, "rises ×5.0 within 5 minutes") {
		t.Errorf("message %q", m)
	}
}

func TestMaxRise(t *testing.T) {
	p := []float64{10, 0, 10, 30, 30, 30, 30, 30, 30, 5, 40}
	// Per minute, 5-minute window: 30 after 10 (×3); 40 at i=10 against
	// the lowest non-zero of i=5..9 (5) → ×8.
	if got := MaxRise(p, time.Minute, 5*time.Minute); got != 8 {
		t.Errorf("MaxRise = %v, want 8", got)
	}
	if got := MaxRise(p[:9], time.Minute, 5*time.Minute); got != 3 {
		t.Errorf("MaxRise = %v, want 3", got)
	}
}

// lmiSpike is 20 req/s jumping to 400 req/s within 5 s: far more than
// doubling within 5 minutes, and beyond what the 3-environment floor holds.
const lmiSpike = `name: lmi-spike
region: us-east-1
seed: 7
duration: 20m
function:
  memory_mb: 512
  architecture: arm64
  duration: {distribution: lognormal, p50: 80ms, p99: 400ms}
  init_duration: 250ms
traffic:
  arrivals: poisson
  start_rate: 20
  stages:
    - {duration: 5m, target: 20}
    - {duration: 5s, target: 400}
    - {duration: 10m, target: 400}
`

// plan prices LMI against the planned level: the spike scenario throttles
// on an LMI fleet scaling behind it, the steady one (0.9 req/s) does not;
// the Lambda side is the best level's bill.
func TestPlanLMI(t *testing.T) {
	spike, err := simulator.ParseScenario("spike.yaml", []byte(lmiSpike))
	if err != nil {
		t.Fatal(err)
	}
	steady, err := simulator.LoadScenario("../../examples/steady.yaml")
	if err != nil {
		t.Fatal(err)
	}
	steady.Duration = pricing.Duration(2 * time.Hour) // a day of steady traffic says no more
	for _, c := range []struct {
		s     *simulator.Scenario
		level string
	}{{spike, "high"}, {steady, "none"}} {
		plan, err := PlanProvisioned(context.Background(), c.s, PlanOptions{Workers: 2, MaxLevel: 4, Sim: simulator.Options{Prices: pricing.Embedded()}})
		if err != nil {
			t.Fatal(err)
		}
		lo := plan.LMI
		if lo == nil || plan.Best == nil {
			t.Fatalf("%s: LMI %+v, best %+v, notes %q", c.s.Name, lo, plan.Best, plan.Notes)
		}
		if lo.LambdaMonthlyUSD != plan.Best.Total.InexactFloat64() || lo.LMI.Instances < 3 || lo.LMI.Total.IsZero() {
			t.Errorf("%s: LMI %+v against best %s", c.s.Name, lo, plan.Best.Total)
		}
		if tr := lo.ThrottleRisk; tr == nil || tr.Level != c.level {
			t.Errorf("%s: throttle risk %+v, want %s", c.s.Name, tr, c.level)
		}
	}
}

// TestRecommendAlwaysOnAssumptions: lmiDataset's steady 100 req/s of
// 200 ms at 1 GB costs $928.56 a month on Lambda (TestRecommendLMI), more
// than an always-on fleet, so always_on is advised; the fleet's price
// rests on compare's defaults (60 % utilisation, at least 2 servers,
// sized for the peak, on-demand, 20 GB gp3, an ALB), now listed (they
// were not).
func TestRecommendAlwaysOnAssumptions(t *testing.T) {
	r, err := RecommendDatasetFull(pricing.Embedded(), lmiDataset(false), RecommendOptions{Compare: fleet.Options{EBSGB: 20}, NoLMI: true})
	if err != nil {
		t.Fatal(err)
	}
	advised := false
	for _, rec := range r.Recommendations {
		advised = advised || rec.Kind == KindAlwaysOn
	}
	if !advised {
		t.Fatalf("no always_on advice: %+v", r.Recommendations)
	}
	var got pricing.Assumption
	for _, a := range r.Assumptions {
		if a.Field == "always_on" {
			got = a
		}
	}
	if !strings.Contains(got.Why, "planned to 60 % of their vCPUs and memory, at least 2, sized for the peak all month, on-demand prices") || !strings.Contains(got.Why, "20 GB gp3") {
		t.Errorf("always_on assumption %+v", got)
	}
}
