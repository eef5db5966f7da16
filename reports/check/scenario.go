package check

import (
	"context"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
)

// scenario simulates a traffic scenario (one run, the scenario's seed, so
// the numbers are reproducible from commit to commit) and reads every
// metric from the result: the month's cost is the simulated span's usage
// projected to 730 hours; latency includes INIT on cold invocations. The
// scenario's own region wins; else the config's or --region.
func (e env) scenario(ctx context.Context, c *Check) (values, error) {
	s, err := simulator.LoadScenario(c.Resolved)
	if err != nil {
		return values{}, err
	}
	opt := simulator.Options{Prices: e.prices, Runs: 1}
	if s.Region == "" {
		opt.Region = e.region
	}
	res, err := simulator.Run(ctx, s, opt)
	if err != nil {
		if pricing.IsInput(err) {
			return values{}, pricing.Inputf(c.Pos, "%s: scenario %s: %v", c.Name, c.File, err)
		}
		return values{}, err
	}
	v := newValues(res.Region)
	for _, a := range res.Assumptions {
		v.assumptions.Add(a)
	}
	for _, a := range simulator.MonthlyAssumptions(s, res) {
		v.assumptions.Add(a)
	}
	cost := res.MonthlyCost
	v.cost = &cost
	v.set(MonthlyCostUSD, res.MonthlyCost.TotalUSD())
	v.set(Throttles, float64(res.Throttles))
	v.set(PeakConcurrency, float64(res.PeakConcurrency))
	if res.Arrivals > 0 {
		v.set(ThrottleRate, res.ThrottleRate)
	} else {
		v.missing[ThrottleRate] = "the scenario sent no requests"
	}
	if res.Invocations == 0 {
		for _, m := range []string{CostPerMillion, ColdStartRate, LatencyP50Ms, LatencyP90Ms, LatencyP99Ms} {
			v.missing[m] = "no invocation was accepted in the simulation"
		}
		return v, nil
	}
	v.set(CostPerMillion, res.CostPerMillionUSD)
	v.set(ColdStartRate, res.ColdStartRate)
	v.set(LatencyP50Ms, res.LatencyMs.P50)
	v.set(LatencyP90Ms, res.LatencyMs.P90)
	v.set(LatencyP99Ms, res.LatencyMs.P99)
	return v, nil
}
