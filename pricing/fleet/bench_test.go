package fleet

import (
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// BenchmarkCompare is a whole comparison: both Lambda bills, six EC2 types,
// two Fargate architectures, four break-even searches and the curve.
func BenchmarkCompare(b *testing.B) {
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: web(), Options: Options{EBSGB: 20}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(prices, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareNoBreakeven is the worst case: Lambda is cheaper at every
// volume, so every search scans all its points up to 10^15 requests.
func BenchmarkCompareNoBreakeven(b *testing.B) {
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 512}, Workload: web(), InstanceTypes: []string{"m7g.large"}, Options: Options{EBSGB: 20}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(prices, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareAutoscale sizes a week of 1-minute intervals with a
// 5-minute scale-out lag at every volume the search visits.
func BenchmarkCompareAutoscale(b *testing.B) {
	w := web()
	w.Profile = make([]float64, 7*24*60)
	for i := range w.Profile {
		w.Profile[i] = 25 + 75*float64(i%1440)/1440
	}
	w.ProfileInterval = time.Minute
	w.PeakRPS = 0
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: w, InstanceTypes: []string{"m7g.large"},
		Options: Options{EBSGB: 20, Scaling: Scaling{Autoscale: true, ScaleOutLag: 5 * time.Minute}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(prices, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLambdaCost(b *testing.B) {
	fc := pricing.FunctionConfig{MemoryMB: 512}
	base := pricing.BilledUsage{Requests: 131_400_000, OnDemandMs: 131_400_000 * 100}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LambdaCost(prices, region, fc, base, 1e9, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEC2Cost(b *testing.B) {
	it, _ := prices.Instance(region, "m7g.large")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := EC2Cost(prices, region, it, web(), 7.5, Options{EBSGB: 20}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompareNoLMI is BenchmarkCompare without Lambda Managed
// Instances (every c/m/r type sized, two break-even searches, the curve
// column): the difference is LMI's share.
func BenchmarkCompareNoLMI(b *testing.B) {
	in := Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 2048}, Workload: web(), Options: Options{EBSGB: 20}, NoLMI: true}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Compare(prices, in); err != nil {
			b.Fatal(err)
		}
	}
}
