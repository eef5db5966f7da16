package check

import (
	"cmp"
	"context"
	"strings"

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
	fromFlag := s.Billing.LogBytesPerRequest == 0 && e.around.LogBytesPerRequest > 0
	own := s.Billing
	notApplied := e.billScenario(s)
	if region := cmp.Or(s.Region, e.region); fromFlag && region != "" {
		// The log bytes are --log-bytes', not the scenario's: an error
		// names the flag the user gave.
		if _, err := e.prices.LogsFor(region); err != nil {
			return values{}, pricing.Inputf("--log-bytes", "%s: CloudWatch Logs prices for %s are not known (see README, Prices not known): the logs of scenario %s cannot be priced there", c.Name, region, c.File)
		}
	}
	res, err := simulator.Run(ctx, s, opt)
	if err != nil {
		if pricing.IsInput(err) {
			return values{}, pricing.Inputf(c.Pos, "%s: scenario %s: %v", c.Name, c.File, err)
		}
		return values{}, err
	}
	v := newValues(res.Region)
	for _, a := range notApplied {
		v.assumptions.Add(a)
	}
	for _, a := range res.Assumptions {
		v.assumptions.Add(a)
	}
	for _, a := range simulator.MonthlyAssumptions(s, res) {
		// What the check gave the scenario's bill is named as the user
		// gave it (a flag or the config), not as the scenario's key.
		switch {
		case a.Field == "billing.free_tier" && !own.FreeTier:
			a.Field = "free_tier"
			a.Why = strings.Replace(a.Why, "the scenario gives", "the check gives (--free-tier or the config's free_tier: true)", 1)
		case a.Field == "billing.compute_savings_plan" && e.around.ComputeSavingsPlan.IsPositive():
			a.Field = "--savings-plan"
		case a.Field == "billing.log_bytes_per_request" && fromFlag:
			a.Field = "--log-bytes"
		}
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

// billScenario gives the scenario's billing: section the check's bill
// options that it can price (--free-tier or the config's free_tier,
// --savings-plan, and --log-bytes when the scenario gives no log bytes of
// its own; a flag set wins over the section, as in compare), and returns
// what a scenario's bill cannot carry (--api-gateway,
// --transfer-out-bytes-per-request) as assumptions saying so: a flag given
// is never dropped silently.
func (e env) billScenario(s *simulator.Scenario) pricing.Assumptions {
	if e.freeTier {
		s.Billing.FreeTier = true
	}
	if sp := e.around.ComputeSavingsPlan; sp.IsPositive() {
		s.Billing.ComputeSavingsPlan = sp.InexactFloat64()
	}
	if lb := e.around.LogBytesPerRequest; lb > 0 && s.Billing.LogBytesPerRequest == 0 {
		s.Billing.LogBytesPerRequest = lb
	}
	var as pricing.Assumptions
	if gw := e.around.APIGateway; gw != "" {
		as.Add(pricing.Assumption{Field: "--api-gateway", Value: "not applied to this scenario",
			Why: "a scenario check's bill is the simulation's, which has no API Gateway line: the monthly cost is Lambda's alone"})
	}
	if e.around.TransferOutBytesPerRequest > 0 {
		as.Add(pricing.Assumption{Field: "--transfer-out-bytes-per-request", Value: "not applied to this scenario",
			Why: "a scenario check's bill is the simulation's, which has no data-transfer line: the monthly cost is Lambda's alone"})
	}
	return as
}
