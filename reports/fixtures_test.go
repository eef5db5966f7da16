package reports

import (
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
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
