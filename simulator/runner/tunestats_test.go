package runner

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestMeanCI against a hand-computed case: 10, 12, 14, 16, 18 have mean 14,
// sample variance (16+4+0+4+16)/4 = 10; t(0.975, 4) = 2.7764 (tables), so
// the half-width is 2.7764·√10/√5 = 3.9264.
func TestMeanCI(t *testing.T) {
	ci := MeanCI([]float64{10, 12, 14, 16, 18}, 0.95)
	if ci == nil || ci.N != 5 || ci.Mean != 14 || math.Abs(ci.Lo-(14-3.9264)) > 1e-3 || math.Abs(ci.Hi-(14+3.9264)) > 1e-3 {
		t.Fatalf("interval %+v, want 14 ± 3.9264", ci)
	}
	if MeanCI([]float64{5}, 0.95) != nil {
		t.Fatal("one sample has no interval")
	}
}

// TestTieRule: sizes whose intervals overlap the best's are tied; cost
// then picks the fastest of them, speed the cheapest.
func TestTieRule(t *testing.T) {
	pt := func(mb int, cost, costHalf, dur, durHalf float64) TunePoint {
		return TunePoint{MemoryMB: mb, Status: "ok", CostPerInvocationUSD: cost / 1e6, CostPerMillionUSD: cost,
			DurationMs: Percentiles{P50: dur}, DurationCI: &Interval{Mean: dur, Lo: dur - durHalf, Hi: dur + durHalf, N: 10},
			CostCI: &Interval{Mean: cost, Lo: cost - costHalf, Hi: cost + costHalf, N: 10}}
	}
	points := []TunePoint{
		pt(256, 1.30, 0.02, 220, 5),
		pt(512, 1.00, 0.05, 100, 4),
		pt(1024, 1.02, 0.05, 52, 3),
		pt(1769, 1.40, 0.05, 48, 3),
	}
	r := recommend(points, Strategy{Name: StrategyCost})
	if r.MemoryMB != 1024 || !slices.Equal(r.TiedWith, []int{512, 1024}) || !strings.Contains(r.Reason, "tied on cost") {
		t.Errorf("cost: %+v; want 1024 MB (512 and 1024 tied, the faster)", r)
	}
	r = recommend(points, Strategy{Name: StrategySpeed})
	if r.MemoryMB != 1024 || !slices.Equal(r.TiedWith, []int{1024, 1769}) {
		t.Errorf("speed: %+v; want 1024 MB (1024 and 1769 tied, the cheaper)", r)
	}
	// Narrow intervals: no tie, the point estimate wins.
	points[2].CostCI = &Interval{Mean: 1.02, Lo: 1.015, Hi: 1.025}
	points[1].CostCI = &Interval{Mean: 1.00, Lo: 0.995, Hi: 1.005}
	if r := recommend(points, Strategy{Name: StrategyCost}); r.MemoryMB != 512 || r.TiedWith != nil {
		t.Errorf("no tie: %+v", r)
	}
}

// TestColdStartRate: costs are weighted by the stated cold-start rate. One
// cold invocation (100 ms + 200 ms INIT = 300 ms billed) and three warm of
// 100 ms at 128 MB, x86_64, us-east-1 ($0.20 per million requests,
// $0.0000166667 per GB-s): at rate 0.5 a million invocations bill
// 0.5·100 + 0.5·300 = 200 ms each, 1e6 × 0.2 s × 0.125 GB = 25,000 GB-s
// = $0.416667, plus $0.20.
func TestColdStartRate(t *testing.T) {
	fn := pricing.FunctionConfig{Name: "f", MemoryMB: 128, Architecture: pricing.X86_64}.WithDefaults()
	res := &Result{Function: fn, Invocations: []Invocation{
		{Cold: true, DurationMs: 100, InitDurationMs: 200, BilledDurationMs: 300, Status: "success"},
		{DurationMs: 99.2, BilledDurationMs: 100, Status: "success"},
		{DurationMs: 99.5, BilledDurationMs: 100, Status: "success"},
		{DurationMs: 99.9, BilledDurationMs: 100, Status: "success"},
	}}
	for _, c := range []struct{ rate, want float64 }{
		{0.5, 0.2 + 25000*0.0000166667},
		{0.25, 0.2 + 1e6*0.150*0.125*0.0000166667}, // 0.75·100 + 0.25·300 = 150 ms
		{0, 0.2 + 1e6*0.100*0.125*0.0000166667},
	} {
		p := TunePoint{CostBasis: "measured"}
		p.price(pricing.Embedded(), "us-east-1", res, c.rate)
		if math.Abs(p.CostPerMillionUSD-c.want) > 1e-4 {
			t.Errorf("rate %.2f: $%.6f per million, want $%.6f", c.rate, p.CostPerMillionUSD, c.want)
		}
		// Every warm invocation billed 100 ms: no width.
		if p.CostCI == nil || p.CostCI.Lo != p.CostPerMillionUSD || p.CostCI.Hi != p.CostPerMillionUSD {
			t.Errorf("rate %.2f: cost interval %+v", c.rate, p.CostCI)
		}
		if p.DurationCI == nil || p.DurationCI.N != 3 || math.Abs(p.DurationCI.Mean-99.533333) > 1e-4 {
			t.Errorf("duration interval %+v", p.DurationCI)
		}
	}
}
