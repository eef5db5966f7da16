package infra

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// ScenarioUsage gives functions the usage that lambdacost scenarios
// (simulator.Scenario, the files `simulate` runs) produce when simulated
// with each side's configuration from the code: memory, architecture,
// ephemeral storage, timeout, reserved and provisioned concurrency replace
// the scenario's; its traffic, durations, INIT, keep-alive and account
// limits stay. Each side is simulated (simulator.Run) and its billed usage
// projected to a 730-hour month (planner.MonthlyUsage): cold starts, INIT,
// the invocations provisioned environments serve and those that spill
// over to on-demand ones are the simulation's, so provisioned concurrency
// below the peak is priced with its effect. A scenario is matched to a
// function by its function.name (or the KEY of KEY=FILE).
type ScenarioUsage struct {
	byKey  map[string]*simulator.Scenario
	tunes  *Tunes
	prices *pricing.PriceTable
	region string
	ctx    context.Context
	cache  map[string]simulated
}

type simulated struct {
	billed  pricing.BilledUsage
	months  []pricing.MonthUsage
	res     *simulator.Result
	as      pricing.Assumptions
	missing string
	err     error
}

// ReadScenarios reads scenario files written FILE (matched by the
// scenario's function.name) or KEY=FILE (KEY: a function name, a Terraform
// address or a CloudFormation logical id).
func ReadScenarios(flag string, specs []string) (map[string]*simulator.Scenario, error) {
	out := map[string]*simulator.Scenario{}
	var errs []error
	for _, spec := range specs {
		key, path := SplitKeyFile(spec)
		s, err := simulator.LoadScenario(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if key == "" {
			key = s.Function.Name
		}
		if key == "" {
			errs = append(errs, pricing.Inputf(flag, "scenario %s has no function.name to match a function of the code by: add it, or write %s NAME=%s", path, flag, path))
			continue
		}
		if prev, dup := out[key]; dup {
			errs = append(errs, pricing.Inputf(flag, "two scenarios for %s: %s and %s", key, prev.Path, path))
			continue
		}
		out[key] = s
	}
	return out, pricing.Errors(errs)
}

// NewScenarioUsage simulates the scenarios in region (a function's own
// region wins) with prices; tunes may be nil.
func NewScenarioUsage(ctx context.Context, scenarios map[string]*simulator.Scenario, tunes *Tunes, prices *pricing.PriceTable, region string) *ScenarioUsage {
	return &ScenarioUsage{byKey: scenarios, tunes: tunes, prices: prices, region: region, ctx: ctx, cache: map[string]simulated{}}
}

// TimesPerSide reports that each side's times are its own (a tune result)
// or stated per function.
func (su *ScenarioUsage) TimesPerSide() bool { return true }

// Unmatched lists the scenarios no function of p matched.
func (su *ScenarioUsage) Unmatched(p *Plan) []string {
	used := map[string]bool{}
	for _, fs := range [][]Function{p.Base, p.Head} {
		for i := range fs {
			used[fs[i].Address], used[fs[i].Config.Name] = true, true
		}
	}
	var out []string
	for k, s := range su.byKey {
		if !used[k] {
			out = append(out, fmt.Sprintf("scenario %s (%s) matches no function of the code", s.Path, k))
		}
	}
	sort.Strings(out)
	return out
}

func (su *ScenarioUsage) lookup(f *Function) *simulator.Scenario {
	if s, ok := su.byKey[f.Address]; ok {
		return s
	}
	if f.Config.Name != "" {
		return su.byKey[f.Config.Name]
	}
	return nil
}

// Usage simulates f's scenario with f's configuration.
func (su *ScenarioUsage) Usage(f *Function) FunctionUsage {
	s := su.lookup(f)
	if s == nil {
		var keys []string
		for k := range su.byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		why := fmt.Sprintf("no scenario for function %q (scenarios are for %s)", f.Config.Name, strings.Join(keys, ", "))
		if f.Config.Name == "" {
			why = fmt.Sprintf("the function's name is not known and no scenario is keyed by its address (scenarios are for %s)", strings.Join(keys, ", "))
		}
		return FunctionUsage{From: "scenarios", Missing: []string{why}}
	}
	fu := FunctionUsage{From: "scenario " + s.Path}
	for _, a := range []string{AttrMemory, AttrEphemeral, AttrRegion} {
		if f.IsUnknown(a) {
			return fu // the cost is unknown (named) whatever the usage: nothing to simulate
		}
	}
	// The provisioned concurrency simulated: the function's one known
	// configuration. With several, how the traffic splits between their
	// qualifiers is not known: the invocations are simulated on demand
	// (an upper bound) and each configuration bills its hours.
	pc, sim := 0, -1
	known := 0
	for i, p := range f.Provisioned {
		if !p.Unknown {
			known++
			pc, sim = p.Concurrency, i
		}
	}
	if known > 1 {
		pc, sim = 0, -1
		fu.Assumptions.Add(pricing.Assumption{Field: f.Address + ".provisioned", Value: "serves no invocation (an upper bound)",
			Why: fmt.Sprintf("the function has %d provisioned-concurrency configurations and the scenario does not say how its traffic splits between their qualifiers: simulated on demand, each configuration billed for the month", known)})
	}
	for i, p := range f.Provisioned {
		fu.Provisioned = append(fu.Provisioned, ProvisionedUsage{Hours: pricing.HoursPerMonth, Simulated: i == sim})
		if !p.Unknown {
			fu.Assumptions.Add(pricing.Assumption{Field: p.Address, Value: fmt.Sprintf("%d h", pricing.HoursPerMonth), Why: "provisioned concurrency bills for as long as it is configured: a 730-hour month"})
		}
	}
	region := f.Region
	if region == "" {
		region = su.region
	}
	cfg := f.Config
	arch := cfg.Architecture
	if f.IsUnknown(AttrArchitecture) {
		arch = pricing.X86_64 // priced on both by the caller; the usage is the same
	}
	tt, tuned, tuneWhy := su.tunes.times(f)
	key := fmt.Sprintf("%s|%d|%s|%d|%s|%d|%d|%s|%t", s.Path, cfg.MemoryMB, arch, cfg.EphemeralStorageMB, cfg.Timeout, cfg.ReservedConcurrency, pc, region, tuned)
	out, ok := su.cache[key]
	if !ok {
		out = su.simulate(s, f, arch, pc, region, tt, tuned, tuneWhy)
		su.cache[key] = out
	}
	if out.err != nil {
		fu.Err = out.err
		return fu
	}
	if out.missing != "" {
		fu.Missing = append(fu.Missing, out.missing)
		return fu
	}
	for _, a := range out.as {
		fu.Assumptions.Add(a)
	}
	b := out.billed
	fu.Billed = &b
	fu.Months = out.months
	fu.Sim = &Simulation{ColdStarts: b.ColdStarts, PeakConcurrency: out.res.PeakConcurrency, ColdStartRate: out.res.ColdStartRate,
		ProvisionedShare: ratio(out.res.ProvisionedInvocations, out.res.Invocations), Throttles: out.res.Throttles, Mode: out.res.Mode}
	return fu
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// simulate runs s with f's configuration and returns its month.
func (su *ScenarioUsage) simulate(s *simulator.Scenario, f *Function, arch pricing.Architecture, pc int, region string, tt tunedTimes, tuned bool, tuneWhy string) simulated {
	sc := *s
	sc.LMI = nil
	fc := f.Config
	fc.Architecture = arch
	fc.Name = s.Function.Name
	fc.ProvisionedConcurrency = pc
	fc = fc.WithDefaults()
	sc.Function.FunctionConfig = fc
	// The configuration is the infrastructure code's, not the scenario
	// file's defaults.
	sc.Defaults = sc.Defaults.Without("function.memory_mb", "function.architecture", "function.timeout")
	sc.Concurrency.Provisioned = pc
	sc.Concurrency.Reserved = fc.ReservedConcurrency
	if c := sc.Concurrency.Reserved; c > sc.Concurrency.AccountLimit {
		return simulated{missing: fmt.Sprintf("reserved concurrency %d exceeds scenario %s's account_limit %d", c, s.Path, sc.Concurrency.AccountLimit)}
	}
	if pc > sc.Concurrency.Cap() {
		return simulated{missing: fmt.Sprintf("provisioned concurrency %d exceeds the concurrency limit %d (scenario %s, reserved concurrency)", pc, sc.Concurrency.Cap(), s.Path)}
	}
	if sc.Concurrency.InitialEnvironments+pc > sc.Concurrency.Cap() {
		sc.Concurrency.InitialEnvironments = max(0, sc.Concurrency.Cap()-pc)
	}
	var as pricing.Assumptions
	switch {
	case tuned:
		if dp := tt.point.DurationMs; dp.N > 0 && dp.Min == dp.Max {
			// Every measured invocation took the same time: a point mass.
			sc.Function.Duration = simulator.Fixed{Value: msDuration(dp.Mean).D()}
		} else {
			d, err := simulator.LoadEmpirical(tt.path, simulator.KindDuration, fc.MemoryMB, "")
			if err != nil {
				return simulated{err: err}
			}
			sc.Function.Duration = d
		}
		init := "the scenario's INIT (the tune result has no INIT at this size)"
		if tt.hasInit {
			ip := tt.point.InitDurationMs
			var id simulator.Distribution = simulator.Fixed{Value: msDuration(ip.Mean).D()}
			if ip.P99 > ip.Mean {
				if ln, err := simulator.LogNormalMeanP99(msDuration(ip.Mean).D(), msDuration(ip.P99).D()); err == nil {
					id = ln
				}
			}
			sc.Function.InitDuration = id
			sc.Defaults = sc.Defaults.Without("function.init_duration")
			init = fmt.Sprintf("INIT mean %s", msDuration(ip.Mean).D())
		}
		as.Add(pricing.Assumption{Field: f.Address + ".duration@" + fmt.Sprint(fc.MemoryMB), Value: fmt.Sprintf("tune %s at %d MB: duration mean %s, %s", tt.path, fc.MemoryMB, msDuration(tt.point.DurationMs.Mean).D(), init),
			Why: "the function's times at this side's memory are the tune result's, replacing the scenario's" + tt.archNote})
	case tuneWhy != "":
		as.Add(pricing.Assumption{Field: f.Address + ".duration@" + fmt.Sprint(fc.MemoryMB), Value: fmt.Sprintf("scenario %s's times (measured at %d MB)", s.Path, s.Function.MemoryMB),
			Why: tuneWhy + ": a memory change's effect on duration and INIT is not modelled at this size"})
	case fc.MemoryMB != s.Function.MemoryMB:
		as.Add(pricing.Assumption{Field: f.Address + ".duration@" + fmt.Sprint(fc.MemoryMB), Value: fmt.Sprintf("scenario %s's times (written for %d MB)", s.Path, s.Function.MemoryMB),
			Why: "no tune result for the function (--tune): a memory change's effect on duration and INIT is not modelled, both sides keep the scenario's times"})
	}
	res, err := simulator.Run(su.ctx, &sc, simulator.Options{Prices: su.prices, Region: region, Mode: simulator.ModeAuto, CommonRandomNumbers: true})
	if err != nil {
		return simulated{err: err}
	}
	month := planner.MonthlyUsage(&sc, res)
	for _, a := range simulator.MonthlyAssumptions(&sc, res) {
		if a.Field == "free_tier" || a.Field == "billing.free_tier" || a.Field == "function.provisioned_concurrency" || a.Field == "month" && len(res.Months) > 1 {
			continue // the estimate states its own (the months: priceSide)
		}
		a.Field = f.Address + "." + a.Field
		as.Add(a)
	}
	if _, fixed := sc.Function.Duration.(simulator.Fixed); sc.Traffic.Arrivals != simulator.Even || !fixed {
		if res.Mode == simulator.ModeExact {
			as.Add(pricing.Assumption{Field: f.Address + ".simulation", Value: fmt.Sprintf("common random numbers (seed %d)", sc.Seed),
				Why: "arrivals and durations are random and drawn from streams of their own, so base and head see the same arrivals and the n-th accepted invocation the same duration draw (from a distribution the change alters — a tune result's at another memory — the draw maps to a different time); what differs is the configuration's effect. Throttles or retries that differ between the sides shift the duration draws after them"})
		} else {
			as.Add(pricing.Assumption{Field: f.Address + ".simulation", Value: fmt.Sprintf("sampled (seed %d, %s mode)", sc.Seed, res.Mode),
				Why: "arrivals or durations are random and the scenario is long enough for the fast mode, which does not share its random draws between runs: each side's simulation is its own sample of the scenario's traffic, so a small difference between base and head can be sampling noise, not the change"})
		}
	}
	if res.Throttles > 0 {
		as.Add(pricing.Assumption{Field: f.Address + ".throttles", Value: fmt.Sprintf("%d in the simulated %s", res.Throttles, time.Duration(res.SimulatedSeconds*float64(time.Second))),
			Why: "throttled requests are not billed: the concurrency limits of this side's configuration and the scenario refuse them"})
	}
	for _, a := range res.Assumptions {
		a.Field = f.Address + "." + a.Field
		as.Add(a)
	}
	return simulated{billed: month, months: simulator.MonthlyUsages(&sc, res), res: res, as: as}
}
