package fleet

import (
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// compare works in every region whose EC2 prices the embedded table knows
// (issue 14); in a region without them it refuses by name, never guesses.
func TestCompareInEveryRegionWithEC2Prices(t *testing.T) {
	n := 0
	for region := range prices.EC2 {
		n++
		r, err := Compare(prices, Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 1024}, Workload: web()})
		if err != nil {
			t.Errorf("%s: %v", region, err)
			continue
		}
		if !r.EC2.Total.IsPositive() || r.Cheapest == "" {
			t.Errorf("%s: no priced option: %+v", region, r)
		}
	}
	if n == 0 {
		t.Fatal("the embedded table has no EC2 prices")
	}
	for _, region := range prices.Regions() {
		if prices.EC2[region] != nil {
			continue
		}
		if _, err := Compare(prices, Input{Region: region, Function: pricing.FunctionConfig{MemoryMB: 1024}, Workload: web()}); err == nil || !pricing.IsInput(err) {
			t.Errorf("%s has no EC2 prices: err = %v, want an input error", region, err)
		}
	}
}
