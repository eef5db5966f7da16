package simulator

import (
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Reprice returns r priced again for s in region: what Run would have
// returned for s, without simulating, when s differs from the scenario r
// was simulated for only in what the simulation does not read — the
// region, the architecture and the billing: section (the caller keys its
// results by the rest). Only the bill's fields change: region, billed
// GB-s, the span's and the month's costs and the cost per million. r is
// not modified; the copy shares its timeline. A result of several
// replicas (whose bands include costs) is refused.
func Reprice(s *Scenario, r *Result, prices *pricing.PriceTable, region string) (*Result, error) {
	if r.Runs != 1 || r.Bands != nil {
		return nil, pricing.Inputf(scenarioSource(s), "only a single-replica result can be priced again")
	}
	prices, region, err := pricesFor(s, prices, region)
	if err != nil {
		return nil, err
	}
	// The span in seconds each engine priced: the exact one's measured
	// span is SimulatedSeconds; the fast one priced time.Duration(its
	// SimulatedSeconds × 1e9).
	spanS := r.SimulatedSeconds
	if r.Mode == ModeFast {
		spanS = time.Duration(r.SimulatedSeconds * 1e9).Seconds()
	}
	c, err := priceS(s, prices, region, r.Usage, spanS, r.Months)
	if err != nil {
		return nil, err
	}
	out := *r
	out.Assumptions = append(pricing.Assumptions(nil), r.Assumptions...)
	out.Region = region
	out.BilledGBSeconds = c.gbs
	out.CostUSD, out.Cost = c.span.TotalUSD(), c.span
	out.MonthlyCostUSD, out.MonthlyCost = c.month.TotalUSD(), c.month
	out.CostPerMillionUSD = ratio(c.span.TotalUSD(), float64(r.Invocations)) * 1e6
	return &out, nil
}
