package runner

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
)

// Strategy chooses the recommended memory size of a Tune.
type Strategy struct {
	// Name is cost, speed or balanced.
	Name string
	// Weight is balanced's weight of cost against speed in [0, 1]
	// (default 0.5; 1 = cost only, 0 = speed only).
	Weight float64
	// ColdStartRate is the fraction of invocations that are cold, in
	// [0, 1], that costs are weighted by (nil: 1/count, the measured mix of
	// one cold start per count invocations).
	ColdStartRate *float64
}

// Strategy names.
const (
	StrategyCost     = "cost"
	StrategySpeed    = "speed"
	StrategyBalanced = "balanced"
)

// ParseStrategy validates a strategy name and weight (weight < 0 means the
// default 0.5).
func ParseStrategy(name string, weight float64) (Strategy, error) {
	var errs []error
	switch name {
	case StrategyCost, StrategySpeed, StrategyBalanced:
	case "":
		name = StrategyCost
	default:
		errs = append(errs, pricing.Inputf("--strategy", "unknown strategy %q (want cost, speed or balanced)", name))
	}
	if weight < 0 {
		weight = 0.5
	}
	if weight > 1 || math.IsNaN(weight) {
		errs = append(errs, pricing.Inputf("--weight", "must be between 0 and 1"))
	}
	return Strategy{Name: name, Weight: weight}, pricing.Errors(errs)
}

// TunePoint is one memory size of a sweep.
type TunePoint struct {
	MemoryMB int     `json:"memory_mb"`
	VCPU     float64 `json:"vcpu"`
	// Status is "ok", or "failed" when an invocation failed or timed out
	// (the size is then not recommended).
	Status      string `json:"status"`
	Failure     string `json:"failure,omitempty"`
	Invocations int    `json:"invocations"`
	Errors      int    `json:"errors"`
	Timeouts    int    `json:"timeouts"`
	// DurationMs is measured: warm invocations (all when none was warm).
	DurationMs     Percentiles `json:"duration_ms"`
	ColdDurationMs Percentiles `json:"cold_duration_ms"`
	InitDurationMs Percentiles `json:"init_duration_ms"`
	// Modelled* are set with cpu_model "unrestricted" only.
	ModelledDurationMs     *Percentiles `json:"modelled_duration_ms,omitempty"`
	ModelledColdDurationMs *Percentiles `json:"modelled_cold_duration_ms,omitempty"`
	ModelledInitDurationMs *Percentiles `json:"modelled_init_duration_ms,omitempty"`
	MaxMemoryUsedMB        int          `json:"max_memory_used_mb"`
	// Costs include the request fee and the cold invocation's INIT, for the
	// measured mix (one cold start per Invocations); CostBasis says whether
	// they price measured or modelled durations.
	CostPerInvocationUSD float64 `json:"cost_per_invocation_usd"`
	CostPerMillionUSD    float64 `json:"cost_per_million_usd"`
	CostBasis            string  `json:"cost_basis"`
	// MeasuredCostPerMillionUSD prices the measured durations when the
	// basis is modelled.
	MeasuredCostPerMillionUSD *float64 `json:"measured_cost_per_million_usd,omitempty"`
	// DurationCI is the 95% interval of the mean warm duration (the basis:
	// modelled or measured); CostCI that of the cost per million (see
	// CIMethod). Nil with fewer than two warm invocations.
	DurationCI *Interval `json:"duration_ci_ms,omitempty"`
	CostCI     *Interval `json:"cost_per_million_ci_usd,omitempty"`
	// Run holds every invocation of this size.
	Run *Result `json:"run,omitempty"`
}

// BasisDurations are the warm duration and INIT percentiles the sweep's
// costs and recommendation use: the modelled ones when the CPU share was
// not enforced (the measured ones then ran at the machine's whole CPU,
// whatever the memory size), else the measured ones. Readers of a tune
// result (plan --tune, estimate --tune, a scenario's empirical duration)
// take these.
func (p TunePoint) BasisDurations() (dur, init Percentiles) {
	dur, init = p.DurationMs, p.InitDurationMs
	if m := p.ModelledDurationMs; m != nil && (m.N > 0 || m.P50 > 0) {
		dur = *m
	}
	if m := p.ModelledInitDurationMs; m != nil && (m.N > 0 || m.P50 > 0) {
		init = *m
	}
	return dur, init
}

// Recommendation is the chosen memory size.
type Recommendation struct {
	MemoryMB          int     `json:"memory_mb"`
	Strategy          string  `json:"strategy"`
	Weight            float64 `json:"weight,omitempty"`
	DurationMs        float64 `json:"duration_ms"`
	CostPerMillionUSD float64 `json:"cost_per_million_usd"`
	Reason            string  `json:"reason"`
	// TiedWith lists the sizes within run-to-run noise of the best (the
	// pick among them follows TieRule).
	TiedWith []int `json:"tied_with,omitempty"`
}

// TuneResult is a memory sweep.
type TuneResult struct {
	Function     string               `json:"function"`
	Handler      string               `json:"handler,omitempty"`
	Builtin      string               `json:"builtin,omitempty"`
	Region       string               `json:"region"`
	Architecture pricing.Architecture `json:"architecture"`
	Count        int                  `json:"count"`
	Strategy     string               `json:"strategy"`
	Weight       float64              `json:"weight,omitempty"`
	CPUModel     string               `json:"cpu_model"`
	// Basis is "measured" (the CPU share was enforced) or "modelled"
	// (durations and costs come from ModelDuration).
	Basis string `json:"basis"`
	// ColdStartRate weights the costs: the fraction of cold invocations
	// (ColdStartRateSource says where it came from).
	ColdStartRate       float64         `json:"cold_start_rate"`
	ColdStartRateSource string          `json:"cold_start_rate_source"`
	CIMethod            string          `json:"ci_method"`
	TieRule             string          `json:"tie_rule"`
	Results             []TunePoint     `json:"results"`
	Recommendation      *Recommendation `json:"recommendation"`
	// Assumptions lists what the sweep's costs and recommendation assume
	// (the cold-start share, the free tier, modelled durations).
	Assumptions pricing.Assumptions `json:"assumptions"`
	// Partial marks a sweep that was interrupted (Ctrl-C) before every
	// memory size was measured: Results holds only the sizes done, and
	// readers (plan --tune, report) refuse or warn rather than take it as a
	// whole sweep.
	Partial bool `json:"partial,omitempty"`
}

// ValidateTune checks a sweep's parameters and the function's
// configuration, and returns every problem found.
func ValidateTune(cfg Config, memories []int, count int, strategy Strategy) []error {
	var errs []error
	if len(memories) == 0 {
		errs = append(errs, pricing.Inputf("--memory", "give at least one memory size"))
	}
	seen := map[int]bool{}
	for _, m := range memories {
		if m < pricing.MinMemoryMB || m > pricing.MaxMemoryMB {
			errs = append(errs, pricing.Inputf("--memory", "%d MB is outside Lambda's range %d–%d MB", m, pricing.MinMemoryMB, pricing.MaxMemoryMB))
		}
		if seen[m] {
			errs = append(errs, pricing.Inputf("--memory", "%d MB is listed twice", m))
		}
		seen[m] = true
	}
	if count < 1 {
		errs = append(errs, pricing.Inputf("--count", "must be at least 1"))
	}
	if _, err := ParseStrategy(strategy.Name, strategy.Weight); err != nil {
		errs = append(errs, err)
	}
	if r := strategy.ColdStartRate; r != nil && !(*r >= 0 && *r <= 1) {
		errs = append(errs, pricing.Inputf("--cold-start-rate", "must be between 0 and 1"))
	}
	probe := cfg
	if len(memories) > 0 {
		probe.Function.MemoryMB = memories[0]
	}
	for _, e := range probe.Validate() {
		var ie *pricing.InputError
		if errors.As(e, &ie) && ie.Source == "--memory" {
			continue // reported above per size
		}
		errs = append(errs, e)
	}
	return errs
}

// Tune runs the function count times (the first cold) at each memory size
// and recommends one by strategy. A size whose invocations fail or time out
// is reported as failed and skipped; it never aborts the sweep. Only bad
// input and cancellation return an error.
func Tune(ctx context.Context, cfg Config, memories []int, count int, strategy Strategy, events [][]byte) (*TuneResult, error) {
	if err := pricing.Errors(ValidateTune(cfg, memories, count, strategy)); err != nil {
		return nil, err
	}
	rate := strategy.ColdStartRate
	strategy, _ = ParseStrategy(strategy.Name, strategy.Weight)
	strategy.ColdStartRate = rate
	sizes := slices.Clone(memories)
	slices.Sort(sizes)

	fn := cfg.Function.WithDefaults()
	out := &TuneResult{
		Handler: cfg.Handler, Builtin: cfg.Builtin, Region: cfg.Region, Architecture: fn.Architecture,
		Count: count, Strategy: strategy.Name, Results: []TunePoint{},
		ColdStartRate: 1 / float64(count), ColdStartRateSource: "1/count: the measured mix, one cold start per --count invocations",
		CIMethod: CIMethod, TieRule: TieRule,
	}
	if rate != nil {
		out.ColdStartRate, out.ColdStartRateSource = *rate, "--cold-start-rate"
	}
	out.Assumptions = pricing.Assumptions{}
	rateWhy := "1/--count, the measured mix (each size's first invocation is its one cold start)"
	if rate != nil {
		rateWhy = "--cold-start-rate"
	}
	out.Assumptions.Add(pricing.Assumption{Field: "cold_start_rate", Value: strconv.FormatFloat(out.ColdStartRate, 'g', 4, 64),
		Why: rateWhy + ": every size's cost per invocation and per million is weighted by this share of cold starts, each billing its INIT (since August 2025); in production INITs are typically under 1 % of invocations (AWS)"})
	out.Assumptions.Add(pricing.Assumption{Field: "free_tier", Value: "not applied",
		Why: "costs are at list prices: the monthly free tier is the account's, not one function's"})
	prices := cfg.Prices
	if prices == nil {
		prices = pricing.Embedded()
	}
	if out.Region == "" {
		out.Region = "us-east-1"
	}
	if strategy.Name == StrategyBalanced {
		out.Weight = strategy.Weight
	}
	for _, m := range sizes {
		c := cfg
		c.Function.MemoryMB = m
		res, err := Run(ctx, c, events, count)
		if ctx.Err() != nil {
			out.Partial = true
			return out, ctx.Err()
		}
		if err != nil && pricing.IsInput(err) {
			return out, err
		}
		p := point(m, res, err)
		if res != nil && p.Run != nil {
			p.price(prices, out.Region, res, out.ColdStartRate)
			// What a size's cost leaves out, the sweep's costs leave out.
			for _, a := range res.Summary.Assumptions {
				if (a.Field == "logs" || a.Field == "streaming") && a.Value == "not priced" {
					out.Assumptions.Add(pricing.Assumption{Field: a.Field, Value: a.Value, Why: fmt.Sprintf("at %d MB (and so at every size measured alike): %s", m, a.Why)})
				}
			}
		}
		out.Results = append(out.Results, p)
		if res != nil {
			out.Function = res.Function.Name
			out.CPUModel = res.CPUModel
		}
	}
	out.Basis = "measured"
	if out.CPUModel == CPUModelUnrestricted {
		out.Basis = "modelled"
		out.Assumptions.Add(pricing.Assumption{Field: "basis", Value: "modelled",
			Why: "Lambda's CPU share was not enforced (no cgroups: --isolation none, or the machine does not allow them; see each run's isolation_note): durations, costs and the recommendation come from the modelled durations (the measured CPU time stretched to the memory size's vCPU share), not measured ones"})
	}
	out.Recommendation = recommend(out.Results, strategy)
	return out, nil
}

// point summarises one memory size.
func point(m int, res *Result, err error) TunePoint {
	p := TunePoint{MemoryMB: m, VCPU: pricing.VCPUForMemory(m), Status: "ok", CostBasis: "measured"}
	if res == nil {
		p.Status, p.Failure = "failed", err.Error()
		return p
	}
	s := res.Summary
	p.Run = res
	p.Invocations, p.Errors, p.Timeouts = s.Invocations, s.Errors, s.Timeouts
	p.DurationMs = s.WarmDurationMs
	if p.DurationMs.N == 0 {
		p.DurationMs = s.DurationMs
	}
	p.ColdDurationMs, p.InitDurationMs = s.ColdDurationMs, s.InitDurationMs
	p.MaxMemoryUsedMB = s.MaxMemoryUsedMB
	if s.CostPerInvocationUSD != nil && s.CostPerMillionUSD != nil {
		p.CostPerInvocationUSD, p.CostPerMillionUSD = *s.CostPerInvocationUSD, *s.CostPerMillionUSD
	}
	if res.CPUModel == CPUModelUnrestricted {
		md := s.ModelledWarmDurationMs
		if md == nil || md.N == 0 {
			md = s.ModelledDurationMs
		}
		p.ModelledDurationMs = md
		p.ModelledColdDurationMs, p.ModelledInitDurationMs = s.ModelledColdDurationMs, s.ModelledInitDurationMs
		if s.ModelledCostPerInvocationUSD != nil {
			p.MeasuredCostPerMillionUSD = s.CostPerMillionUSD
			p.CostPerInvocationUSD, p.CostPerMillionUSD = *s.ModelledCostPerInvocationUSD, *s.ModelledCostPerMillionUSD
			p.CostBasis = "modelled"
		}
	}
	switch {
	case err != nil:
		p.Status, p.Failure = "failed", err.Error()
	case s.Cost == nil:
		// A size that cannot be priced cannot be compared: it must not
		// pass for the cheapest at $0.
		p.Status, p.Failure = "failed", "cost unknown"
		for _, a := range s.Assumptions {
			if a.Field == "cost" {
				p.Failure = "cost unknown: " + a.Why
			}
		}
	case s.Errors+s.Timeouts > 0:
		p.Status = "failed"
		for _, inv := range res.Invocations {
			if inv.Error != nil {
				p.Failure = fmt.Sprintf("%d of %d invocations failed; first: %s (%s)", s.Errors+s.Timeouts, s.Invocations, inv.Error.Type, inv.Status)
				break
			}
		}
	}
	return p
}

// basisDuration is the duration a strategy compares: the modelled warm
// p50 when the CPU was unrestricted, else the measured warm p50.
func basisDuration(p TunePoint) float64 {
	if p.ModelledDurationMs != nil {
		return p.ModelledDurationMs.P50
	}
	return p.DurationMs.P50
}

// recommend picks among the sizes that did not fail:
//
//	cost      lowest cost per invocation (ties: faster)
//	speed     lowest warm p50 duration (ties: cheaper)
//	balanced  lowest w·ĉ + (1−w)·d̂, where ĉ and d̂ are cost and duration
//	          scaled to [0, 1] between the cheapest/fastest and the
//	          dearest/slowest size (ties: cheaper)
func recommend(points []TunePoint, s Strategy) *Recommendation {
	var ok []TunePoint
	for _, p := range points {
		if p.Status == "ok" {
			ok = append(ok, p)
		}
	}
	if len(ok) == 0 {
		return nil
	}
	cmin, cmax := math.Inf(1), math.Inf(-1)
	dmin, dmax := math.Inf(1), math.Inf(-1)
	for _, p := range ok {
		cmin, cmax = math.Min(cmin, p.CostPerInvocationUSD), math.Max(cmax, p.CostPerInvocationUSD)
		d := basisDuration(p)
		dmin, dmax = math.Min(dmin, d), math.Max(dmax, d)
	}
	norm := func(v, lo, hi float64) float64 {
		if hi <= lo {
			return 0
		}
		return (v - lo) / (hi - lo)
	}
	score := func(p TunePoint) (float64, float64) {
		c, d := p.CostPerInvocationUSD, basisDuration(p)
		switch s.Name {
		case StrategySpeed:
			return d, c
		case StrategyBalanced:
			return s.Weight*norm(c, cmin, cmax) + (1-s.Weight)*norm(d, dmin, dmax), c
		default:
			return c, d
		}
	}
	best := ok[0]
	b1, b2 := score(best)
	for _, p := range ok[1:] {
		s1, s2 := score(p)
		if s1 < b1 || (s1 == b1 && s2 < b2) {
			best, b1, b2 = p, s1, s2
		}
	}
	best, tied := tieBreak(ok, best, s)
	rec := &Recommendation{
		MemoryMB: best.MemoryMB, Strategy: s.Name, DurationMs: basisDuration(best), CostPerMillionUSD: best.CostPerMillionUSD,
		TiedWith: tied,
	}
	basis := "measured"
	if best.ModelledDurationMs != nil {
		basis = "modelled"
	}
	switch s.Name {
	case StrategySpeed:
		rec.Reason = fmt.Sprintf("fastest %s warm p50 (%.2f ms) of %d sizes that succeeded", basis, rec.DurationMs, len(ok))
	case StrategyBalanced:
		rec.Weight = s.Weight
		rec.Reason = fmt.Sprintf("best cost/speed balance (weight %.2f on cost) of %d sizes that succeeded", s.Weight, len(ok))
	default:
		rec.Reason = fmt.Sprintf("cheapest per invocation ($%.2f per million, %s) of %d sizes that succeeded", rec.CostPerMillionUSD, basis, len(ok))
	}
	if len(tied) > 0 {
		rec.Reason = strings.Replace(rec.Reason, "cheapest per invocation", "among the cheapest per invocation", 1)
		rec.Reason = strings.Replace(rec.Reason, "fastest", "among the fastest", 1)
		rec.Reason += tieReason(s, tied, best.MemoryMB)
	}
	if n := len(points) - len(ok); n > 0 {
		var failed []string
		for _, p := range points {
			if p.Status != "ok" {
				failed = append(failed, fmt.Sprintf("%d MB", p.MemoryMB))
			}
		}
		rec.Reason += "; skipped (failed): " + strings.Join(failed, ", ")
	}
	return rec
}
