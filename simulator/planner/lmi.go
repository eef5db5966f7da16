package planner

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/lmi"
)

// KindLMI is the advice to move a function to Lambda Managed Instances.
const KindLMI = "lmi"

// doublingWindow is AWS's documented LMI scaling horizon: "if your traffic
// more than doubles within 5 minutes, you might see throttles".
const doublingWindow = 5 * time.Minute

// LMIOption is Lambda Managed Instances (LMI) priced as an option for one
// function's traffic: the cheapest allowed instance type sized as
// `compare` sizes it (fleet.Compare), against the Lambda bill it would
// replace, the volume at which the two cost the same, and the throttle
// risk of the traffic's shape on that fleet.
type LMIOption struct {
	Function string `json:"function,omitempty"`
	// LMI is the capacity provider, its sizing and monthly bill.
	LMI fleet.LMIResult `json:"lmi"`
	// LambdaMonthlyUSD is the Lambda bill compared with (the function's
	// exact monthly bill; in `plan`, the planned provisioned level's).
	LambdaMonthlyUSD float64 `json:"lambda_monthly_usd"`
	// MonthlySavingsUSD is Lambda − LMI (negative: LMI costs more).
	MonthlySavingsUSD float64 `json:"monthly_savings_usd"`
	// Cheaper is set when LMI costs less than Lambda at this traffic.
	Cheaper bool `json:"cheaper"`
	// BreakevenRequestsPerMonth is the volume at which LMI costs no more
	// than Lambda on the function's architecture (the traffic's shape
	// scaled); null when there is none up to fleet.MaxSearchRequests.
	BreakevenRequestsPerMonth *int64  `json:"breakeven_requests_per_month"`
	BreakevenMeanRPS          float64 `json:"breakeven_mean_rps,omitempty"`
	// ThrottleRisk is the traffic's shape simulated on the LMI fleet; nil
	// when there is no time series to simulate.
	ThrottleRisk *LMIThrottleRisk    `json:"throttle_risk,omitempty"`
	Notes        []string            `json:"notes,omitempty"`
	Assumptions  pricing.Assumptions `json:"assumptions,omitempty"`
}

// LMIThrottleRisk is what the traffic's shape does to an LMI fleet that
// scales asynchronously (simulator/lmi): the requests it would throttle,
// by reason, and the steepest rise within AWS's 5-minute horizon.
type LMIThrottleRisk struct {
	// Span is the traffic simulated (the dataset window, the scenario).
	Span                 string  `json:"span"`
	Requests             float64 `json:"requests"`
	Throttles            float64 `json:"throttles"`
	ConcurrencyThrottles float64 `json:"concurrency_throttles"`
	CPUThrottles         float64 `json:"cpu_throttles"`
	// Share is Throttles ÷ Requests.
	Share float64 `json:"share"`
	// MaxRise5Min is the largest ratio of a period's rate to the lowest
	// non-zero rate in the 5 minutes before it (AWS: more than 2 may
	// throttle); 0 when not known.
	MaxRise5Min float64 `json:"max_rise_5min"`
	// Level is "none" (nothing throttled), "low" (under 0.1 %) or "high".
	Level string `json:"level"`
}

// LMIFromComparison builds the LMI option from a comparison r of input in
// (fleet.Compare, LMI not left out), against the Lambda bill lambda. rate
// and span are the traffic to simulate for the throttle risk (nil: none).
func LMIFromComparison(t *pricing.PriceTable, in fleet.Input, r *fleet.Result, lambda decimal.Decimal, rate func(time.Duration) float64, span time.Duration) (*LMIOption, error) {
	if r.LMI == nil {
		return nil, nil
	}
	o := &LMIOption{Function: in.Name, LMI: *r.LMI, LambdaMonthlyUSD: lambda.InexactFloat64()}
	o.MonthlySavingsUSD = lambda.Sub(r.LMI.Total).InexactFloat64()
	o.Cheaper = r.LMI.Total.LessThan(lambda)
	arch := in.Function.WithDefaults().Architecture
	for _, b := range r.Breakevens {
		if b.Fleet == "lmi" && b.LambdaArchitecture == arch {
			o.BreakevenRequestsPerMonth, o.BreakevenMeanRPS = b.RequestsPerMonth, b.MeanRPS
		}
	}
	for _, a := range r.LMI.Assumptions {
		o.Assumptions.Add(a)
	}
	if in.LMI.Runtime == "" {
		o.Notes = append(o.Notes, "the runtime is not known: LMI runs Java 21+, Python 3.13+, Node.js 22+, .NET 8+ and OS-only runtimes, with Node.js's default concurrency assumed")
	}
	if rate == nil || span <= 0 {
		o.Notes = append(o.Notes, "no time series: the throttle risk of the traffic's shape was not simulated")
		return o, nil
	}
	it, err := t.LMIInstance(in.Region, r.LMI.InstanceType)
	if err != nil {
		return nil, err
	}
	w := in.Workload.WithDefaults()
	c := lmi.Config{LMIConfig: fleet.LMIConfig{
		InstanceType: r.LMI.InstanceType, Runtime: in.LMI.Runtime,
		EnvVCPU: r.LMI.EnvVCPU, MemoryGiBPerVCPU: r.LMI.EnvMemoryGiB / r.LMI.EnvVCPU, MaxConcurrency: r.LMI.MaxConcurrency,
		MinEnvironments: r.LMI.MinEnvironments, MinInstances: r.LMI.MinInstances, TargetCPU: r.LMI.TargetCPU,
		ScaleOutLag: in.Options.Scaling.ScaleOutLag,
	}, Duration: w.Duration, CPUTime: time.Duration(w.CPUSeconds() * float64(time.Second))}
	if span > 2*24*time.Hour {
		c.Step = 5 * time.Second // the series are per minute: 12 steps a period
	}
	sim, err := lmi.Simulate(rate, span, it, c)
	if err != nil {
		return nil, err
	}
	tr := &LMIThrottleRisk{Span: span.String(), Requests: sim.Requests, Throttles: sim.Throttles,
		ConcurrencyThrottles: sim.ConcurrencyThrottles, CPUThrottles: sim.CPUThrottles}
	if sim.Requests > 0 {
		tr.Share = sim.Throttles / sim.Requests
	}
	if len(w.Profile) > 0 {
		tr.MaxRise5Min = MaxRise(w.Profile, w.ProfileInterval, doublingWindow)
	}
	switch {
	case sim.Throttles < 0.5:
		tr.Level = "none"
	case tr.Share < 0.001:
		tr.Level = "low"
	default:
		tr.Level = "high"
	}
	o.ThrottleRisk = tr
	for _, a := range sim.Assumptions {
		o.Assumptions.Add(a)
	}
	return o, nil
}

// MaxRise is the largest ratio of a profile's rate to the lowest non-zero
// rate in the window before it (intervals of width interval): how far the
// traffic rises within window. 0 when the profile never rises from a
// non-zero rate.
func MaxRise(profile []float64, interval, window time.Duration) float64 {
	if interval <= 0 {
		return 0
	}
	k := max(1, int(window/interval))
	best := 0.0
	for i, v := range profile {
		for j := max(0, i-k); j < i; j++ {
			if p := profile[j]; p > 0 && v/p > best {
				best = v / p
			}
		}
	}
	return best
}

// ProfileRate turns a traffic profile (requests per second per interval)
// into a rate function and its span.
func ProfileRate(profile []float64, interval time.Duration) (func(time.Duration) float64, time.Duration) {
	if interval <= 0 || len(profile) == 0 {
		return nil, 0
	}
	return func(t time.Duration) float64 {
		i := int(t / interval)
		if i < 0 || i >= len(profile) {
			return 0
		}
		return profile[i]
	}, time.Duration(len(profile)) * interval
}

// Message is the recommendation's text.
func (o *LMIOption) Message() string {
	l := o.LMI
	s := fmt.Sprintf("Lambda Managed Instances on %s (%d instances for the peak, %d environments of %g vCPU × %d concurrent, %s-bound, %.0f%% mean CPU) would cost $%.2f instead of $%.2f a month",
		l.InstanceType, l.Instances, l.Environments, l.EnvVCPU, l.MaxConcurrency, l.LimitedBy, 100*l.Utilization, l.Total.InexactFloat64(), o.LambdaMonthlyUSD)
	if o.BreakevenRequestsPerMonth != nil {
		s += fmt.Sprintf("; LMI costs no more than Lambda from %s requests a month (%.3g req/s)", groupInt(*o.BreakevenRequestsPerMonth), o.BreakevenMeanRPS)
	}
	if tr := o.ThrottleRisk; tr != nil {
		switch tr.Level {
		case "none":
			s += fmt.Sprintf("; throttle risk none: the traffic's %s simulated on that fleet throttles nothing", tr.Span)
		default:
			s += fmt.Sprintf("; throttle risk %s: the traffic's %s simulated on that fleet throttles %.0f requests (%.3f%%; %.0f concurrency, %.0f CPU)",
				tr.Level, tr.Span, tr.Throttles, 100*tr.Share, tr.ConcurrencyThrottles, tr.CPUThrottles)
		}
		if tr.MaxRise5Min > 2 {
			s += fmt.Sprintf(", as it rises ×%.1f within 5 minutes (AWS: more than doubling within 5 minutes may throttle)", tr.MaxRise5Min)
		}
	}
	for _, n := range o.Notes {
		s += "; " + n
	}
	return s
}

func groupInt(n int64) string {
	s := fmt.Sprint(n)
	out := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// PlanLMI prices LMI for a scenario's traffic against the plan's chosen
// level (the best, else the current one): the scenario is simulated once
// for the comparison input (ScenarioInput), LMI is sized and priced as
// `compare` does, and the scenario's offered rate is simulated on the LMI
// fleet for the throttle risk.
func PlanLMI(ctx context.Context, prices *pricing.PriceTable, s *simulator.Scenario, sim simulator.Options, plan *Plan) (*LMIOption, error) {
	if sim.Prices == nil {
		sim.Prices = prices
	}
	in, _, err := ScenarioInput(ctx, s, sim)
	if err != nil {
		return nil, err
	}
	in.Options.EBSGB = 20
	r, err := fleet.Compare(prices, in)
	if err != nil {
		return nil, err
	}
	ref := plan.Current
	if plan.Best != nil {
		ref = *plan.Best
	}
	o, err := LMIFromComparison(prices, in, r, ref.Total, s.Rate, s.Span())
	if err != nil || o == nil {
		if err == nil {
			plan.Notes = append(plan.Notes, r.Notes...)
		}
		return o, err
	}
	o.Function = s.Name
	o.Notes = append(o.Notes, fmt.Sprintf("compared with provisioned concurrency %d, the planned level; the break-even is against Lambda at the scenario's own level", ref.Provisioned))
	if mt := plan.Target.MaxThrottles; mt != nil && o.ThrottleRisk != nil && o.ThrottleRisk.Throttles > float64(*mt) {
		o.Notes = append(o.Notes, fmt.Sprintf("LMI misses the throttle target (%.0f > %d)", o.ThrottleRisk.Throttles, *mt))
	}
	return o, nil
}
