package fleet

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func TestLCUs(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    Workload
		rps  float64
		want float64
	}{
		// 100 new connections/s / 25 = 4; 100 × 10,240 B × 3,600 / 2³⁰ = 3.43 GB/h.
		{"connections", Workload{Duration: 100 * time.Millisecond}, 100, 4},
		// 200 kB a request: 100 × 200,000 × 3,600 / 2³⁰ = 67.055 GB/h.
		{"bytes", Workload{Duration: 100 * time.Millisecond, BytesPerRequest: 200_000}, 100, 100 * 200_000 * 3600 / float64(1<<30)},
		// 10 requests per connection, 1 kB, 100 ms: 10 new connections/s →
		// 0.4; active 100 × 0.1 s / 3,000 = 0.0033; 0.34 GB/h.
		{"keep-alive", Workload{Duration: 100 * time.Millisecond, BytesPerRequest: 1000, RequestsPerConnection: 10}, 100, 0.4},
		// Slow requests on kept-alive connections: each of the 10 connections
		// a second stays open for its 10 requests × 100 s, so 100 × 100 /
		// 3,000 = 3.33 active-connection LCUs.
		{"keep-alive, slow", Workload{Duration: 100 * time.Second, BytesPerRequest: 1000, RequestsPerConnection: 10}, 100, 100 * 100.0 / 3000},
		// Long-lived: 10 connections/s × 900 s / 3,000 = 3 active-connection LCUs.
		{"long connections", Workload{Duration: 900 * time.Second, BytesPerRequest: 1, RequestsPerConnection: 1}, 10, 3},
	} {
		if got := LCUs(tc.w, tc.rps); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: %v LCU, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFittingTask(t *testing.T) {
	for _, tc := range []struct {
		mb   float64
		want FargateTask
	}{
		{128, FargateTask{1, 2}},
		{1228, FargateTask{1, 2}}, // 2,048 × 0.6 = 1,228.8
		{2048, FargateTask{1, 4}}, // 4,096 × 0.6 = 2,457.6
		{4900, FargateTask{1, 8}}, // 8,192 × 0.6 = 4,915.2
		{5000, FargateTask{2, 16}},
	} {
		if got := fittingTask(Workload{MemoryPerRequestMB: tc.mb}, 0.6); got != tc.want {
			t.Errorf("%v MB: %s, want %s", tc.mb, got, tc.want)
		}
	}
}

func TestDatasetInput(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d := &pricing.Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(time.Hour), Functions: []pricing.DatasetFunction{{
		FunctionConfig: pricing.FunctionConfig{Name: "api", MemoryMB: 1769},
		Summary:        pricing.FunctionSummary{Invocations: 360_000, DurationMs: pricing.DurationSet{Avg: 50}, MaxMemoryUsedMB: 300},
		Series:         &pricing.Series{PeriodS: 600, Start: start, Invocations: []float64{30000, 30000, 60000, 120000, 60000, 60000}},
	}}}
	in, notes := DatasetInput(d, &d.Functions[0], "")
	w := in.Workload
	// 360,000 in one hour → × 730 = 262,800,000; busiest 10 minutes
	// 120,000 / 600 s = 200 req/s; 1,769 MB is exactly one vCPU.
	if w.MonthlyRequests != 262_800_000 || in.Usage.Requests != 262_800_000 || w.PeakRPS != 200 || w.Duration != 50*time.Millisecond {
		t.Errorf("workload = %+v", w)
	}
	if w.CPUFraction != 1 || w.MemoryPerRequestMB != 300 || w.ProfileInterval != 10*time.Minute || len(w.Profile) != 6 || w.Profile[0] != 50 {
		t.Errorf("assumptions = %+v", w)
	}
	// The one note says what the peak is: the busiest 600-s period's mean.
	if in.Region != "us-east-1" || in.Name != "api" || len(notes) != 1 || notes[0] != "api: the peak rate 200 req/s is the busiest 600-second period's average; bursts within a period are not seen" {
		t.Errorf("input = %+v, notes %v", in, notes)
	}
	// A measured peak concurrency above what the peak rate gives in flight
	// (200 req/s × 50 ms = 10) is said: 25 were in flight at once.
	d.Functions[0].Series.ConcurrencyMax = []float64{5, 5, 8, 25, 9, 9}
	if _, notes = DatasetInput(d, &d.Functions[0], ""); len(notes) != 1 || !strings.HasSuffix(notes[0], "(the dataset's peak concurrency was 25; this rate × the mean duration is 10 in flight)") {
		t.Errorf("notes %v", notes)
	}
	d.Functions[0].Series = nil
	in, notes = DatasetInput(d, &d.Functions[0], "eu-west-1")
	if in.Workload.PeakRPS != 100 || len(notes) != 1 || in.Region != "eu-west-1" {
		t.Errorf("without series: peak %v, notes %v, region %s", in.Workload.PeakRPS, notes, in.Region)
	}
}

// TestCompareAPIGateway: an API Gateway in front of both sides adds the
// same lines to both, so the break-even does not move; on the Lambda side
// only, it adds $1.00 per million (HTTP API) to Lambda's marginal cost:
// V = 138.761 / (3.53334e-6 + 1e-6 − 8.8889e-8) = 31,221,178.4 → 31,221,179.
func TestCompareAPIGateway(t *testing.T) {
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: web(), InstanceTypes: []string{"m7g.large"}, Options: Options{EBSGB: 20, APIGateway: APIGatewayHTTP}}
	r, err := Compare(prices, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.BreakevenRequestsPerMonth == nil || *r.BreakevenRequestsPerMonth != 40_285_374 {
		t.Errorf("both sides: break-even %v, want 40285374", r.BreakevenRequestsPerMonth)
	}
	// 131.4M through the HTTP API: $131.40 on each side.
	if !r.EC2.Total.Equal(dec("333.945").Add(dec("131.4"))) || !r.Lambda.X86.Total.Equal(dec("464.280876").Add(dec("131.4"))) {
		t.Errorf("ec2 %s lambda %s", r.EC2.Total, r.Lambda.X86.Total)
	}
	in.Options.APIGatewayLambdaOnly = true
	r, err = Compare(prices, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.BreakevenRequestsPerMonth == nil || *r.BreakevenRequestsPerMonth != 31_221_179 {
		t.Errorf("lambda only: break-even %v, want 31221179", r.BreakevenRequestsPerMonth)
	}
}

// TestCompareFreeTier: the free tier lowers Lambda's bill at the current
// volume by 1M requests and 400,000 GB-s: $0.20 + 400,000 × $0.0000166667.
func TestCompareFreeTier(t *testing.T) {
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: web(), InstanceTypes: []string{"m7g.large"}, Options: Options{EBSGB: 20, FreeTier: true}}
	r, err := Compare(prices, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := dec("464.280876").Sub(dec("0.2")).Sub(dec("6.66668")); !r.Lambda.X86.Total.Equal(want) {
		t.Errorf("x86 with free tier = %s, want %s", r.Lambda.X86.Total, want)
	}
}

// TestCompareUnpricedTier: when the table lacks the x86 tier-2 duration
// price, volumes past tier 1 (6 billion GB-s; at 0.2 GB-s per request,
// 30 billion requests) cannot be priced: the comparison still succeeds,
// says so, and stops its curve there.
func TestCompareUnpricedTier(t *testing.T) {
	tbl := pricing.Embedded()
	x86 := *tbl.Lambda[region].X86
	x86.DurationTiers = append([]pricing.Tier(nil), x86.DurationTiers...)
	x86.DurationTiers[1].Price = nil
	x86.DurationTiers[2].Price = nil
	reg := *tbl.Lambda[region]
	reg.X86 = &x86
	tbl.Lambda[region] = &reg
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: web(), InstanceTypes: []string{"m7g.large"}, Options: Options{EBSGB: 20}}
	r, err := Compare(tbl, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.BreakevenRequestsPerMonth == nil || *r.BreakevenRequestsPerMonth != 40_285_374 {
		t.Errorf("break-even = %v", r.BreakevenRequestsPerMonth)
	}
	if last := r.Curve[len(r.Curve)-1].RequestsPerMonth; last > 30_000_000_000 {
		t.Errorf("curve goes to %d", last)
	}
	if len(r.Notes) == 0 || !strings.Contains(r.Notes[0], "30,000,000,000") {
		t.Errorf("notes = %v", r.Notes)
	}
}

// A profile of intervals shorter than EC2's 60-second minimum charge is
// refused: the per-interval fleet would start instances for less than the
// time EC2 bills them.
func TestProfileIntervalAtLeastAMinute(t *testing.T) {
	w := Workload{MonthlyRequests: 1e6, Duration: 100 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128,
		Profile: []float64{1, 2, 1}, ProfileInterval: 30 * time.Second}
	errs := w.Validate()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "profile_interval") || !strings.Contains(errs[0].Error(), "60 s") {
		t.Errorf("30 s intervals: %v", errs)
	}
	w.ProfileInterval = time.Minute
	if errs := w.Validate(); len(errs) != 0 {
		t.Errorf("1 min intervals: %v", errs)
	}
}
