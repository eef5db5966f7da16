// Package planner answers the capacity-planning questions that need the
// simulator: how a scenario compares with an always-on fleet, which
// provisioned-concurrency level (PC) is cheapest for a cold-start or latency
// target, and what to change in a function given a dataset or a tune
// result. Money comes from the pricing engine (pricing, pricing/fleet); the
// package never prints.
package planner

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// maxProfileIntervals bounds the traffic profile drawn from a scenario.
const maxProfileIntervals = 10_000

// ScenarioInput simulates the scenario once and builds the comparison input
// from it: the simulated billed usage projected to a 730-hour month (cold
// starts and INIT included; provisioned concurrency enabled all month), the
// scenario's offered peak rate, its traffic profile (the highest rate in
// each interval of at least a minute, repeated to fill the month), and the
// mean warm duration. The per-request server needs take fleet's defaults.
func ScenarioInput(ctx context.Context, s *simulator.Scenario, opt simulator.Options) (fleet.Input, *simulator.Result, error) {
	res, err := simulator.Run(ctx, s, opt)
	if err != nil {
		return fleet.Input{}, nil, err
	}
	fc := s.Function.FunctionConfig.WithDefaults()
	fc.ProvisionedConcurrency = s.Concurrency.Provisioned
	month := MonthlyUsage(s, res)
	w := fleet.Workload{
		MonthlyRequests:    float64(month.Requests),
		PeakRPS:            sizingPeak(s.PeakRate(), float64(month.Requests)),
		Duration:           s.Function.Duration.Mean(),
		CPUFraction:        fleet.DefaultCPUFraction(fc.MemoryMB),
		MemoryPerRequestMB: fleet.DefaultMemoryPerRequestMB(fc, 0),
	}
	w.Profile, w.ProfileInterval = Profile(s)
	region := opt.Region
	if region == "" {
		region = res.Region
	}
	return fleet.Input{Region: region, Name: s.Name, Function: fc, Usage: month, Months: simulator.MonthlyUsages(s, res), Workload: w}, res, nil
}

// sizingPeak is the rate a fleet is sized for: the scenario's offered
// (nominal) peak, or the realized mean rate of the simulated month when that
// is higher. With Poisson arrivals the realized count of a steady scenario
// exceeds its nominal rate about half the time (100 req/s for 10 minutes is
// 60,000 ± 245 arrivals), and a fleet must absorb the traffic that was
// actually priced on Lambda, not less.
func sizingPeak(nominal, monthlyRequests float64) float64 {
	return math.Max(nominal, monthlyRequests/pricing.SecondsPerMonth)
}

// MonthlyUsage projects a simulation's billed usage to a 730-hour month;
// provisioned concurrency is enabled all month (a schedule repeats as the
// traffic does).
func MonthlyUsage(s *simulator.Scenario, r *simulator.Result) pricing.BilledUsage {
	span := r.SimulatedSeconds
	if span <= 0 {
		span = s.Span().Seconds()
	}
	m := r.Usage.Scale(pricing.SecondsPerMonth / span)
	if len(s.Concurrency.ProvisionedSchedule) == 0 {
		m.ProvisionedEnvSeconds = int64(s.Concurrency.Provisioned) * pricing.SecondsPerMonth
	}
	return m
}

// Profile samples the scenario's offered rate into intervals (one minute,
// or longer so that there are at most 10,000) and returns the highest rate
// seen in each, sampling at least every second or 100 times per interval.
func Profile(s *simulator.Scenario) ([]float64, time.Duration) {
	span := s.Span()
	if span <= 0 {
		return nil, 0
	}
	interval := time.Minute
	if n := (span + interval - 1) / interval; n > maxProfileIntervals {
		interval = (span + maxProfileIntervals - 1) / maxProfileIntervals
	}
	n := int((span + interval - 1) / interval)
	step := min(time.Second, interval/100)
	out := make([]float64, n)
	for i := range out {
		from := time.Duration(i) * interval
		to := min(from+interval, span)
		peak := 0.0
		for t := from; t <= to; t += step {
			peak = math.Max(peak, s.Rate(t))
		}
		out[i] = math.Max(peak, s.Rate(to))
	}
	return out, interval
}

// CompareScenario simulates the scenario once and compares it with
// always-on fleets in one call (for `demo` and reports): ScenarioInput, then
// fleet.Compare with in's options, instance types and Fargate task. Fields
// of in other than those are ignored. Zero Options get the CLI's defaults
// (a 20 GB gp3 volume per instance, ALB, target utilisation 0.6, two
// instances at least).
func CompareScenario(ctx context.Context, prices *pricing.PriceTable, s *simulator.Scenario, sim simulator.Options, in fleet.Input) (*fleet.Result, error) {
	if sim.Prices == nil {
		sim.Prices = prices
	}
	base, _, err := ScenarioInput(ctx, s, sim)
	if err != nil {
		return nil, err
	}
	base.Options = in.Options
	if base.Options == (fleet.Options{}) {
		base.Options.EBSGB = 20
	}
	base.InstanceTypes = in.InstanceTypes
	base.FargateTask = in.FargateTask
	return fleet.Compare(prices, base)
}

// CPUTimeFromRun reads a `run -o json` result (runner.Result) and returns
// the mean CPU time of its invocations: the CPU one request needs, measured,
// for the fleet model (CPU fraction = CPU time / duration).
func CPUTimeFromRun(path string) (time.Duration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, pricing.Inputf(path, "%v", err)
	}
	var r runner.Result
	b, _, err = pricing.UnwrapEnvelope(path, b) // `run -o json`, or a bare result
	if err != nil {
		return 0, err
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return 0, pricing.Inputf(path, "not a run result: %v", err)
	}
	ms := r.Summary.CPUTimeMs.Mean
	if r.Summary.CPUTimeMs.N == 0 || ms <= 0 || math.IsNaN(ms) {
		return 0, pricing.Inputf(path, "the run result has no CPU time (run it with lambdacost run -o json)")
	}
	return time.Duration(ms * float64(time.Millisecond)), nil
}
