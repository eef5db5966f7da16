package reports

import (
	"context"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// testDatasetReport prices testdata/dataset.json: four functions over one
// day, two of them with hostile names, one with no series.
func testDatasetReport(t testing.TB) *DatasetReport {
	t.Helper()
	d, err := pricing.ReadDataset("testdata/dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewDatasetReport(d, pricing.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testBill is a three-function monthly bill with hostile names.
func testBill(t testing.TB) *pricing.Bill {
	t.Helper()
	items := []pricing.Item{
		{Function: pricing.FunctionConfig{Name: "checkout-api", MemoryMB: 1024, Architecture: pricing.ARM64},
			Usage: pricing.BilledUsage{Requests: 30_000_000, OnDemandMs: 30_000_000 * 96}},
		{Function: pricing.FunctionConfig{Name: xssName, MemoryMB: 512, Architecture: pricing.X86_64},
			Usage: pricing.BilledUsage{Requests: 5_000_000, OnDemandMs: 5_000_000 * 40}},
		{Function: pricing.FunctionConfig{Name: markerFn, MemoryMB: 3008, Architecture: pricing.X86_64, EphemeralStorageMB: 2048},
			Usage: pricing.BilledUsage{Requests: 1_000_000, OnDemandMs: 1_000_000 * 1850}},
	}
	b, err := pricing.Embedded().LambdaBill("us-east-1", items, pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var fixedTime = time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)

// testScenarioYAML is a small spike with a hard concurrency cap, so the
// timeline has cold starts and throttles; its name is hostile.
const testScenarioYAML = `name: "</script><script>alert(1)</script>"
region: us-east-1
seed: 7
function:
  memory_mb: 1024
  architecture: arm64
  timeout: 10s
  duration: {distribution: lognormal, p50: 120ms, p99: 600ms}
  init_duration: 400ms
concurrency:
  account_limit: 1000
  reserved: 40
  scaling_rate: 1000
keep_alive:
  idle_timeout: 5m
traffic:
  arrivals: poisson
  start_rate: 10
  stages:
    - {duration: 8m, target: 10}
    - {duration: 10s, target: 400}
    - {duration: 2m, target: 400}
    - {duration: 10s, target: 10}
    - {duration: 8m, target: 10}
`

func testSimulation(t testing.TB) (*simulator.Result, *simulator.Scenario) {
	t.Helper()
	s, err := simulator.ParseScenario("spike.yaml", []byte(testScenarioYAML))
	if err != nil {
		t.Fatal(err)
	}
	r, err := simulator.Run(context.Background(), s, simulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r, s
}

// testCompare compares a 50 req/s API (100 ms, half CPU) with EC2 and
// Fargate; its name is hostile.
func testCompare(t testing.TB) *fleet.Result {
	t.Helper()
	in := fleet.Input{
		Region: "us-east-1", Name: markerFn,
		Function:      pricing.FunctionConfig{Name: markerFn, MemoryMB: 1024, Architecture: pricing.ARM64},
		Workload:      fleet.Workload{MonthlyRequests: 131_400_000, PeakRPS: 100, Duration: 100 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128},
		InstanceTypes: []string{"m7g.large", "c7g.large", "m6i.large"},
	}
	r, err := fleet.Compare(pricing.Embedded(), in)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testTune sweeps the built-in cpu function (20 ms of CPU) at two sizes.
func testTune(t testing.TB) *runner.TuneResult {
	t.Helper()
	cfg := runner.Config{Builtin: "cpu", Function: pricing.FunctionConfig{Name: markerFn}, DiscardResponses: true}
	r, err := runner.Tune(context.Background(), cfg, []int{256, 1024}, 2, runner.Strategy{Name: runner.StrategyCost}, [][]byte{[]byte(`{"ms":20}`)})
	if err != nil {
		t.Fatal(err)
	}
	if r.Recommendation == nil {
		t.Fatalf("no recommendation: %+v", r.Results)
	}
	return r
}
