package fleet

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

var prices = pricing.Embedded()

const region = "us-east-1"

// web is the reference workload of the hand calculations below: 50 req/s
// on average (50 × 2,628,000 s = 131,400,000 requests a month), 100 req/s
// at the peak, 100 ms per request of which half keeps a vCPU busy (50 ms of
// CPU), 128 MB per in-flight request, 10 KiB through the load balancer.
func web() Workload {
	return Workload{MonthlyRequests: 131_400_000, PeakRPS: 100, Duration: 100 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128}
}

func mustType(t *testing.T, name string) *pricing.InstanceType {
	t.Helper()
	it, err := prices.Instance(region, name)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestSizing(t *testing.T) {
	tests := []struct {
		name      string
		w         Workload
		server    Server
		s         Scaling
		capRPS    float64
		limit     string
		instances int
		mean      float64
	}{
		{
			// m7g.large: 2 vCPU × 0.6 / 0.050 s = 24 req/s by CPU; memory
			// floor(8192 × 0.6 / 128) = 38 in flight / 0.1 s = 380 req/s.
			// 100 / 24 = 4.17 → 5 instances.
			name: "cpu bound", w: web(), server: EC2Server(mustType(t, "m7g.large")),
			capRPS: 24, limit: "cpu", instances: 5, mean: 5,
		},
		{
			// 1 ms of CPU: 1.2 / 0.001 = 1,200 req/s by CPU; 1 GB per request:
			// floor(8192 × 0.6 / 1024) = floor(4.8) = 4 in flight / 0.1 s =
			// 40 req/s. 100 / 40 = 2.5 → 3.
			name:   "memory bound",
			w:      Workload{MonthlyRequests: 131_400_000, PeakRPS: 100, Duration: 100 * time.Millisecond, CPUFraction: 0.01, MemoryPerRequestMB: 1024},
			server: EC2Server(mustType(t, "m7g.large")), capRPS: 40, limit: "memory", instances: 3, mean: 3,
		},
		{
			// Low traffic: 1 req/s needs 1/24 of an instance; the HA minimum is 2.
			name: "ha minimum", w: Workload{MonthlyRequests: 2_628_000, PeakRPS: 1, Duration: 100 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128},
			server: EC2Server(mustType(t, "m7g.large")), capRPS: 24, limit: "cpu", instances: 2, mean: 2,
		},
		{
			// Exactly 4 × 24 = 96 req/s needs exactly 4, not 5.
			name: "exact multiple", w: Workload{MonthlyRequests: 131_400_000, PeakRPS: 96, Duration: 100 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128},
			server: EC2Server(mustType(t, "m7g.large")), capRPS: 24, limit: "cpu", instances: 4, mean: 4,
		},
		{
			// Fargate 1 vCPU / 2 GB: 0.6 / 0.05 = 12 req/s; memory
			// floor(2048 × 0.6 / 128) = 9 / 0.1 = 90. 100 / 12 = 8.33 → 9.
			name: "fargate", w: web(), server: DefaultFargateTask.Server(pricing.X86_64),
			capRPS: 12, limit: "cpu", instances: 9, mean: 9,
		},
		{
			// Autoscaling per hour, no lag: rates 10, 10, 100, 10 need
			// max(2, ceil(r/24)) = 2, 2, 5, 2 → mean 11/4 = 2.75.
			name: "autoscale", w: withProfile(web(), []float64{10, 10, 100, 10}), server: EC2Server(mustType(t, "m7g.large")),
			s: Scaling{Autoscale: true}, capRPS: 24, limit: "cpu", instances: 5, mean: 2.75,
		},
		{
			// A 30-minute scale-out lag with hourly intervals covers one
			// interval either side: window maxima 10, 100, 100, 100 → 2, 5,
			// 5, 5 → 17/4.
			name: "autoscale with lag", w: withProfile(web(), []float64{10, 10, 100, 10}), server: EC2Server(mustType(t, "m7g.large")),
			s: Scaling{Autoscale: true, ScaleOutLag: 30 * time.Minute}, capRPS: 24, limit: "cpu", instances: 5, mean: 4.25,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sz, err := Size(tc.w, tc.server, tc.s, 1)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(sz.CapacityRPS-tc.capRPS) > 1e-9 || sz.LimitedBy != tc.limit {
				t.Errorf("capacity = %v (%s), want %v (%s)", sz.CapacityRPS, sz.LimitedBy, tc.capRPS, tc.limit)
			}
			if sz.Instances != tc.instances || math.Abs(sz.MeanInstances-tc.mean) > 1e-12 {
				t.Errorf("instances = %d (mean %v), want %d (mean %v)", sz.Instances, sz.MeanInstances, tc.instances, tc.mean)
			}
			if want := tc.mean * pricing.HoursPerMonth; math.Abs(sz.InstanceHours-want) > 1e-9 {
				t.Errorf("instance hours = %v, want %v", sz.InstanceHours, want)
			}
		})
	}
}

func withProfile(w Workload, p []float64) Workload {
	w.Profile = p
	w.PeakRPS = 0
	return w
}

func TestSizingUtilization(t *testing.T) {
	// 5 × m7g.large = 10 vCPUs; mean 50 req/s × 0.05 s = 2.5 vCPUs busy →
	// 25 %; at the peak 100 × 0.05 = 5 → 50 %.
	sz, err := Size(web(), EC2Server(mustType(t, "m7g.large")), Scaling{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(sz.Utilization-0.25) > 1e-12 || math.Abs(sz.PeakUtilization-0.5) > 1e-12 {
		t.Errorf("utilization = %v / peak %v, want 0.25 / 0.5", sz.Utilization, sz.PeakUtilization)
	}
}

func TestEC2Cost(t *testing.T) {
	// 5 × 730 h × $0.0816 = $297.84; gp3 5 × 20 GB × $0.08 = $8.00; ALB 730 h
	// × $0.0225 = $16.425; LCUs: 50 new connections/s / 25 = 2 (processed
	// 50 × 10,240 B × 3,600 / 2³⁰ = 1.72 GB/h is less), 1,460 LCU-h ×
	// $0.008 = $11.68. Total $333.945.
	it := mustType(t, "m7g.large")
	_, c, err := EC2Cost(prices, region, it, web(), 1, Options{EBSGB: 20})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{pricing.LineEC2Instances: "297.84", pricing.LineEBS: "8", pricing.LineALBHours: "16.425", pricing.LineALBLCU: "11.68"}
	checkLines(t, c, want)
	if !c.Total.Equal(dec("333.945")) {
		t.Errorf("total = %s, want 333.945", c.Total)
	}

	// A 3-year Savings Plan at 72 % takes 297.84 × 0.72 = 214.4448 off.
	_, c, err = EC2Cost(prices, region, it, web(), 1, Options{EBSGB: 20, EC2Discount: 0.72})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, c, map[string]string{pricing.LineEC2Commitment: "-214.4448"})
	if !c.Total.Equal(dec("119.5002")) {
		t.Errorf("discounted total = %s, want 119.5002", c.Total)
	}
}

func TestFargateCost(t *testing.T) {
	// 9 tasks × 730 h = 6,570 task-hours. x86: 6,570 × $0.04048 = $265.9536
	// and 13,140 GB-h × $0.004445 = $58.4073; arm: 6,570 × $0.03238 =
	// $212.7366 and 13,140 × $0.00356 = $46.7784. Plus the ALB, $28.105.
	for _, tc := range []struct {
		arch      pricing.Architecture
		vcpu, mem string
		total     string
	}{
		{pricing.X86_64, "265.9536", "58.4073", "352.4659"},
		{pricing.ARM64, "212.7366", "46.7784", "287.62"},
	} {
		_, c, err := FargateCost(prices, region, DefaultFargateTask, tc.arch, web(), 1, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkLines(t, c, map[string]string{pricing.LineFargateVCPU: tc.vcpu, pricing.LineFargateMemory: tc.mem})
		if !c.Total.Equal(dec(tc.total)) {
			t.Errorf("%s total = %s, want %s", tc.arch, c.Total, tc.total)
		}
	}
}

func TestAPIGatewayCost(t *testing.T) {
	// Oracles from pricing-facts §6 (infracost goldens): REST 333M → $1,165.50,
	// next 667M → $1,867.60; HTTP 300M → $300, next 700M → $630.
	for _, tc := range []struct {
		kind     string
		requests int64
		want     string
	}{
		{APIGatewayREST, 333_000_000, "1165.5"},
		{APIGatewayREST, 1_000_000_000, "3033.1"},
		{APIGatewayHTTP, 300_000_000, "300"},
		{APIGatewayHTTP, 1_000_000_000, "930"},
		{APIGatewayNone, 1_000_000_000, "0"},
	} {
		c, err := APIGatewayCost(prices, region, tc.kind, tc.requests)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Total.Equal(dec(tc.want)) {
			t.Errorf("%s %d: %s, want %s", tc.kind, tc.requests, c.Total, tc.want)
		}
	}
}

func TestLambdaCost(t *testing.T) {
	// 131.4M requests × $0.20/M = $26.28; 131.4M × 0.1 s × 0.5 GB = 6.57M
	// GB-s × $0.0000166667 = $109.500219 → $135.780219. A 17 % Savings Plan
	// takes 109.500219 × 0.17 = 18.61503723 off the duration; an HTTP API
	// adds 131.4 × $1.00.
	fc := pricing.FunctionConfig{MemoryMB: 512}
	base := pricing.BilledUsage{Requests: 131_400_000, OnDemandMs: 131_400_000 * 100}
	c, err := LambdaCost(prices, region, fc, base, 131_400_000, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !c.Total.Equal(dec("135.780219")) {
		t.Errorf("total = %s", c.Total)
	}
	c, err = LambdaCost(prices, region, fc, base, 131_400_000, Options{LambdaDiscount: 0.17, APIGateway: APIGatewayHTTP})
	if err != nil {
		t.Fatal(err)
	}
	if want := dec("135.780219").Sub(dec("18.61503723")).Add(dec("131.4")); !c.Total.Equal(want) {
		t.Errorf("total = %s, want %s", c.Total, want)
	}
	// Half the volume halves every per-request quantity; provisioned
	// environments (a fixed charge) stay: 65.7M × $0.20/M = $13.14, 3,285,000
	// GB-s of duration, and 10 environments × 730 h × 3,600 s × 0.5 GB =
	// 13,140,000 GB-s of provisioned concurrency.
	base.ProvisionedEnvSeconds = 10 * 730 * 3600
	c, err = LambdaCost(prices, region, fc, base, 65_700_000, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := dec("13.14").Add(dec("3285000").Mul(dec("0.0000166667"))).Add(dec("13140000").Mul(dec("0.0000041667")))
	if !c.Total.Equal(want) {
		t.Errorf("half volume with PC = %s, want %s", c.Total, want)
	}
}

func checkLines(t *testing.T, c pricing.Cost, want map[string]string) {
	t.Helper()
	got := map[string]decimal.Decimal{}
	for _, l := range c.Lines {
		got[l.Name] = got[l.Name].Add(l.Cost)
	}
	for name, w := range want {
		if !got[name].Equal(dec(w)) {
			t.Errorf("line %s = %s, want %s", name, got[name], w)
		}
	}
}

func TestCompareBreakeven(t *testing.T) {
	// A 2,048 MB function (100 ms → 0.2 GB-s per request) against 2 or more
	// m7g.large with a 20 GB gp3 volume each:
	//   Lambda x86  V × (0.2 × 0.0000166667 + 0.0000002) = V × 3.53334e-6
	//   Lambda arm  V × (0.2 × 0.0000133334 + 0.0000002) = V × 2.86668e-6
	//   fleet       16.425 (ALB) + n × (59.568 + 1.6) + LCU-h × 0.008,
	//               LCU-h = 730 × V/2,628,000/25 = V/90,000 → V × 8.8889e-8
	// One instance serves 24 req/s at the peak, i.e. 24 × 131.4M/100 =
	// 31,536,000 requests a month, so n = 2 up to 63,072,000.
	// x86: V = 138.761 / (3.53334e-6 − 8.8889e-8) = 40,285,373.64 → 40,285,374
	// arm: V = 138.761 / (2.86668e-6 − 8.8889e-8) = 49,953,720.22 → 49,953,721
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: web(), InstanceTypes: []string{"m7g.large"}, Options: Options{EBSGB: 20}}
	r, err := Compare(prices, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.BreakevenRequestsPerMonth == nil || *r.BreakevenRequestsPerMonth != 40_285_374 {
		t.Fatalf("break-even = %v, want 40285374", r.BreakevenRequestsPerMonth)
	}
	got := map[string]*int64{}
	for _, b := range r.Breakevens {
		got[string(b.LambdaArchitecture)+"/"+b.Fleet] = b.RequestsPerMonth
	}
	if v := got["arm64/ec2"]; v == nil || *v != 49_953_721 {
		t.Errorf("arm64 break-even = %v, want 49953721", v)
	}
	if r.EC2.Instances != 5 || !r.EC2.Total.Equal(dec("333.945")) {
		t.Errorf("ec2 = %d instances, %s", r.EC2.Instances, r.EC2.Total)
	}
	if r.Fargate.Architecture != pricing.ARM64 || !r.Fargate.Total.Equal(dec("287.62")) {
		t.Errorf("fargate = %s %s, want arm64 287.62", r.Fargate.Architecture, r.Fargate.Total)
	}
	if r.Cheapest != "fargate arm64" {
		t.Errorf("cheapest = %q", r.Cheapest)
	}
	// The saving against the current bill (x86_64, 2,048 MB): 131.4M ×
	// $0.20/M = $26.28 plus 131.4M × 0.1 s × 2 GB = 26.28M GB-s ×
	// $0.0000166667 = $438.000876, i.e. $464.280876; less Fargate's
	// $287.62 is $176.660876, 176.660876 / 464.280876 = 38.0504 %.
	checkSaving(t, r.Saving, Saving{Current: "lambda x86_64", Cheapest: "fargate arm64", CurrentMonthlyUSD: 464.280876,
		CheapestMonthlyUSD: 287.62, MonthlyUSD: 176.660876}, 38.0504313514)

	// At 512 MB, Lambda costs V × 1.033335e-6 − LCU V × 8.8889e-8 =
	// V × 9.44446e-7: over one instance's 31,536,000 requests that is
	// $29.78 against $61.168 for the instance, so the fleet never catches up.
	in.Function.MemoryMB = 512
	r, err = Compare(prices, in)
	if err != nil {
		t.Fatal(err)
	}
	if r.BreakevenRequestsPerMonth != nil {
		t.Errorf("break-even = %d, want none", *r.BreakevenRequestsPerMonth)
	}
	// At 512 MB the cheapest is Lambda itself on arm64: x86_64 costs
	// $26.28 + 6.57M GB-s × $0.0000166667 = $135.780219, arm64 $26.28 +
	// 6.57M × $0.0000133334 = $113.880438 (both below the fleets' ≥ 2 ×
	// $61.168 + $16.425 and Fargate's $287.62): a saving of $21.899781,
	// 21.899781 / 135.780219 = 16.1288 %.
	checkSaving(t, r.Saving, Saving{Current: "lambda x86_64", Cheapest: "lambda arm64", CurrentMonthlyUSD: 135.780219,
		CheapestMonthlyUSD: 113.880438, MonthlyUSD: 21.899781}, 16.1288449535)
	// On arm64 the current option is the cheapest: nothing to save.
	in.Function.Architecture = pricing.ARM64
	if r, err = Compare(prices, in); err != nil {
		t.Fatal(err)
	}
	checkSaving(t, r.Saving, Saving{Current: "lambda arm64", Cheapest: "lambda arm64", CurrentMonthlyUSD: 113.880438,
		CheapestMonthlyUSD: 113.880438}, 0)
}

// checkSaving compares a saving with want and its percentage with pct.
func checkSaving(t *testing.T, got, want Saving, pct float64) {
	t.Helper()
	p := got.Percent
	got.Percent = nil
	if math.Abs(got.MonthlyUSD-want.MonthlyUSD) < 1e-9 {
		got.MonthlyUSD = want.MonthlyUSD
	}
	if got != want || p == nil || math.Abs(*p-pct) > 1e-8 {
		t.Errorf("saving = %+v (percent %v), want %+v (percent %v)", got, p, want, pct)
	}
}

func TestCurve(t *testing.T) {
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: web(), InstanceTypes: []string{"m7g.large"}, Options: Options{EBSGB: 20}}
	r, err := Compare(prices, in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Curve) < 10 {
		t.Fatalf("curve has %d points", len(r.Curve))
	}
	current := 0
	for i, p := range r.Curve {
		if p.Current {
			current++
			if p.RequestsPerMonth != 131_400_000 || math.Abs(p.LambdaX86USD-r.Lambda.X86.MonthlyCostUSD) > 1e-9 || math.Abs(p.EC2USD-r.EC2.MonthlyCostUSD) > 1e-9 {
				t.Errorf("current point %+v does not match the result", p)
			}
		}
		if i > 0 {
			q := r.Curve[i-1]
			if p.RequestsPerMonth <= q.RequestsPerMonth {
				t.Errorf("curve volumes not increasing at %d", i)
			}
			if p.LambdaX86USD < q.LambdaX86USD || p.LambdaARMUSD < q.LambdaARMUSD || p.EC2USD < q.EC2USD || p.FargateUSD < q.FargateUSD {
				t.Errorf("a bill fell between %d and %d requests", q.RequestsPerMonth, p.RequestsPerMonth)
			}
		}
	}
	if current != 1 {
		t.Errorf("%d current points, want 1", current)
	}
	// The curve spans the break-even (40.3M) and the current volume (131.4M)
	// with two decades of margin either side.
	if r.Curve[0].RequestsPerMonth > 403_000 || r.Curve[len(r.Curve)-1].RequestsPerMonth < 13_140_000_000 {
		t.Errorf("curve spans %d..%d", r.Curve[0].RequestsPerMonth, r.Curve[len(r.Curve)-1].RequestsPerMonth)
	}
}

// TestMonotonic: more traffic never lowers either bill; more instances
// never lower the fleet's.
func TestMonotonic(t *testing.T) {
	workloads := []Workload{
		web(),
		withProfile(web(), []float64{5, 20, 80, 100, 40, 5}),
		{MonthlyRequests: 1e9, PeakRPS: 2000, Duration: 20 * time.Millisecond, CPUFraction: 0.2, MemoryPerRequestMB: 512, BytesPerRequest: 200_000},
	}
	it := mustType(t, "c7g.large")
	fc := pricing.FunctionConfig{MemoryMB: 1024, Architecture: pricing.ARM64}
	for wi, w := range workloads {
		o := Options{EBSGB: 20, Scaling: Scaling{Autoscale: w.Profile != nil, ScaleOutLag: 90 * time.Minute}, APIGateway: APIGatewayREST}
		base := pricing.BilledUsage{Requests: int64(w.MonthlyRequests), OnDemandMs: int64(w.MonthlyRequests) * pricing.BilledMs(w.Duration), ProvisionedEnvSeconds: 3600}
		var prevL, prevE, prevF decimal.Decimal
		for v := 1e3; v < 1e13; v *= 1.37 {
			l, err := LambdaCost(prices, region, fc, base, v, o)
			if err != nil {
				t.Fatal(err)
			}
			_, e, err := EC2Cost(prices, region, it, w, v/w.MonthlyRequests, o)
			if err != nil {
				t.Fatal(err)
			}
			_, f, err := FargateCost(prices, region, DefaultFargateTask, pricing.ARM64, w, v/w.MonthlyRequests, o)
			if err != nil {
				t.Fatal(err)
			}
			if l.Total.LessThan(prevL) || e.Total.LessThan(prevE) || f.Total.LessThan(prevF) {
				t.Fatalf("workload %d: a bill fell at %.0f requests: lambda %s→%s ec2 %s→%s fargate %s→%s", wi, v, prevL, l.Total, prevE, e.Total, prevF, f.Total)
			}
			prevL, prevE, prevF = l.Total, e.Total, f.Total
		}
		var prev decimal.Decimal
		for n := 1; n <= 40; n++ {
			o.Scaling.MinInstances = n
			_, e, err := EC2Cost(prices, region, it, w, 1, o)
			if err != nil {
				t.Fatal(err)
			}
			if e.Total.LessThan(prev) {
				t.Fatalf("workload %d: %d minimum instances cost %s < %s", wi, n, e.Total, prev)
			}
			prev = e.Total
		}
	}
}

func TestFindBreakevenStep(t *testing.T) {
	// A synthetic pair: Lambda costs v/1000; the fleet costs 100 per server,
	// one server per `per` requests, at least 2.
	//  - per = 50,000: up to 100,000 requests the fleet is 200 and Lambda at
	//    most 100; beyond, 100 × ceil(v/50,000) ≥ v/500 > v/1000: never.
	//  - per = 200,000: 2 servers up to 400,000; v/1000 = 200 at 200,000.
	//  - per = 100,001: 2 servers up to 200,002, so the crossing at 200,000
	//    lies 2 requests before a step (where the difference drops again).
	diff := func(per float64) func(float64) (float64, error) {
		return func(v float64) (float64, error) {
			k := math.Max(2, math.Ceil(v/per))
			return v/1000 - 100*k, nil
		}
	}
	if _, found, _ := FindBreakeven(diff(50_000), 50_000, 2, 1e9); found {
		t.Error("found a break-even where the fleet is never cheaper")
	}
	v, found, _ := FindBreakeven(diff(200_000), 200_000, 2, 1e9)
	if !found || v != 200_000 {
		t.Errorf("break-even = %d %v, want 200000", v, found)
	}
	// Crossing only just before a step: per = 100,001: k = 2 up to 200,002;
	// 200,000/1000 − 200 = 0 at v = 200,000.
	v, found, _ = FindBreakeven(diff(100_001), 100_001, 2, 1e9)
	if !found || v != 200_000 {
		t.Errorf("break-even = %d %v, want 200000", v, found)
	}
}

func TestValidation(t *testing.T) {
	w := Workload{MonthlyRequests: -1, PeakRPS: math.NaN(), Duration: 0, CPUFraction: 0, MemoryPerRequestMB: -3}
	errs := w.Validate()
	var srcs []string
	for _, e := range errs {
		var ie *pricing.InputError
		if !errors.As(e, &ie) {
			t.Fatalf("%v is not an input error", e)
		}
		srcs = append(srcs, ie.Source)
	}
	if got := strings.Join(srcs, ","); got != "monthly_requests,peak_rps,duration,cpu_fraction,memory_per_request_mb" {
		t.Errorf("sources = %s", got)
	}
	o := Options{Scaling: Scaling{TargetUtilization: 1.5, MinInstances: -1}, EC2Discount: 1, APIGateway: "soap"}
	if n := len(o.Validate()); n != 4 {
		t.Errorf("%d option problems, want 4: %v", n, o.Validate())
	}
	for _, tc := range []struct {
		task FargateTask
		ok   bool
	}{
		{FargateTask{0.25, 0.5}, true}, {FargateTask{0.25, 1.5}, false}, {FargateTask{1, 2}, true},
		{FargateTask{1, 9}, false}, {FargateTask{4, 30}, true}, {FargateTask{8, 18}, false}, {FargateTask{3, 6}, false},
	} {
		if err := tc.task.Validate(); (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.task, err, tc.ok)
		}
	}
	// A request larger than the instance's usable memory.
	big := web()
	big.MemoryPerRequestMB = 6000
	if _, _, err := EC2Cost(prices, region, mustType(t, "c7g.large"), big, 1, Options{}); !pricing.IsInput(err) {
		t.Errorf("oversized request: err = %v", err)
	}
	// Autoscaling without a profile.
	if _, err := Compare(prices, Input{Region: region, Workload: web(), Options: Options{Scaling: Scaling{Autoscale: true}}}); !pricing.IsInput(err) {
		t.Errorf("autoscale without profile: err = %v", err)
	}
	// Unknown instance type names the flag.
	_, err := Compare(prices, Input{Region: region, Workload: web(), InstanceTypes: []string{"z9.huge"}})
	if err == nil || !strings.Contains(err.Error(), "--instance-type") {
		t.Errorf("unknown type: err = %v", err)
	}
}

// Within the free tier the current bill is $0: the saving is 0 and its
// percentage null (not 0 %, which would claim a comparison), and the
// cheapest is the current option itself (a tie with arm64 at $0 goes to
// the first listed).
func TestSavingWithinFreeTier(t *testing.T) {
	w := Workload{MonthlyRequests: 1000, PeakRPS: 1, Duration: 100 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128}
	r, err := Compare(prices, Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 512}, Workload: w,
		InstanceTypes: []string{"m7g.large"}, NoLMI: true, Options: Options{FreeTier: true, EBSGB: 20}})
	if err != nil {
		t.Fatal(err)
	}
	if s := r.Saving; s.Percent != nil || s.MonthlyUSD != 0 || s.CurrentMonthlyUSD != 0 || s.Cheapest != "lambda x86_64" {
		t.Errorf("saving = %+v (percent %v), want 0 with a null percentage", s, s.Percent)
	}
}

// A span of two 730-hour months billed month by month with the free tier
// (1M requests, 400,000 GB-s a month): 0.2 req/s then 0.8 req/s, 200 ms at
// 1024 MB (0.2 GB-s an invocation), us-east-1 x86_64.
//
//	at the observed volume (the average month, 1,314,000 requests):
//	  month 0: 525,600 requests, 105,120 GB-s: under the free tier, $0
//	  month 1: 2,102,400 requests, 420,480 GB-s: 1,102,400 × $0.0000002 =
//	           $0.22048 + 20,480 × $0.0000166667 = $0.341334016
//	  mean: $0.280907008 (the average month once: 314,000 × $0.0000002 = $0.0628)
//	at twice the volume every month doubles:
//	  month 0: 1,051,200 requests: 51,200 × $0.0000002 = $0.01024; 210,240 GB-s free
//	  month 1: 4,204,800 requests: 3,204,800 × $0.0000002 = $0.64096;
//	           840,960 − 400,000 = 440,960 GB-s × $0.0000166667 = $7.349348032
//	  mean: (0.01024 + 7.990308032) / 2 = $4.000274016
func TestLambdaMonthsCostFreeTierPerMonth(t *testing.T) {
	fc := pricing.FunctionConfig{MemoryMB: 1024}
	months := []pricing.MonthUsage{
		{Seconds: pricing.SecondsPerMonth, Usage: pricing.BilledUsage{Requests: 525_600, OnDemandMs: 525_600 * 200}},
		{StartS: pricing.SecondsPerMonth, Seconds: pricing.SecondsPerMonth, Usage: pricing.BilledUsage{Requests: 2_102_400, OnDemandMs: 2_102_400 * 200}},
	}
	base := pricing.BilledUsage{Requests: 1_314_000, OnDemandMs: 1_314_000 * 200}
	for _, tc := range []struct {
		volume float64
		want   string
	}{{1_314_000, "0.280907008"}, {2_628_000, "4.000274016"}} {
		c, err := LambdaMonthsCost(prices, "us-east-1", fc, base, months, tc.volume, Options{FreeTier: true})
		if err != nil {
			t.Fatal(err)
		}
		if !c.Total.Equal(dec(tc.want)) {
			t.Errorf("volume %g: total = %s, want %s", tc.volume, c.Total, tc.want)
		}
	}
	// One month (or none) is LambdaCost of the average: $0.0628.
	c, err := LambdaMonthsCost(prices, "us-east-1", fc, base, months[:1], 1_314_000, Options{FreeTier: true})
	if err != nil || !c.Total.Equal(dec("0.0628")) {
		t.Errorf("one month: %v %v, want 0.0628", c.Total, err)
	}
}
