package planner

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
)

// Target is what a provisioned-concurrency plan must achieve. Zero fields
// are not constrained; with no constraint at all the plan is simply the
// cheapest level.
type Target struct {
	// MaxColdStartRate is the highest acceptable share of cold invocations.
	MaxColdStartRate *float64 `json:"max_cold_start_rate,omitempty"`
	// MaxP99 is the highest acceptable p99 latency (INIT included).
	MaxP99 time.Duration `json:"-"`
	// MaxThrottles is the most throttled requests accepted (nil: not constrained).
	MaxThrottles *int64 `json:"max_throttles,omitempty"`
}

// MaxP99Ms is MaxP99 in milliseconds (0 = unconstrained), for JSON.
func (t Target) MaxP99Ms() float64 { return float64(t.MaxP99) / float64(time.Millisecond) }

// Meets reports whether a point satisfies the target.
func (t Target) Meets(p Point) bool {
	if t.MaxColdStartRate != nil && p.ColdStartRate > *t.MaxColdStartRate {
		return false
	}
	if t.MaxP99 > 0 && p.LatencyP99Ms > t.MaxP99Ms() {
		return false
	}
	if t.MaxThrottles != nil && p.Throttles > *t.MaxThrottles {
		return false
	}
	return true
}

// Point is one provisioned-concurrency level, simulated.
type Point struct {
	Provisioned     int             `json:"provisioned"`
	ColdStartRate   float64         `json:"cold_start_rate"`
	ColdStarts      int64           `json:"cold_starts"`
	Throttles       int64           `json:"throttles"`
	LatencyP99Ms    float64         `json:"latency_p99_ms"`
	Spillover       int64           `json:"spillover_invocations"`
	PeakConcurrency int             `json:"peak_concurrency"`
	MonthlyCostUSD  float64         `json:"monthly_cost_usd"`
	MonthlyCost     pricing.Cost    `json:"monthly_cost"`
	Total           decimal.Decimal `json:"-"`
	MeetsTarget     bool            `json:"meets_target"`
	// assumptions are the simulation's (the month's projection, the free
	// tier, logs, the region, the durations' fit): the plan lists the
	// current level's.
	assumptions pricing.Assumptions
}

// Evaluator simulates one level. PlanProvisioned uses the simulator; tests
// may pass a closed-form model.
type Evaluator func(ctx context.Context, provisioned int) (Point, error)

// PlanOptions tune the search.
type PlanOptions struct {
	Target Target
	// MaxLevel is the highest level considered (default: the peak
	// concurrency of a run without provisioned concurrency).
	MaxLevel int
	// Levels evaluated per round of the search (default 12).
	Width int
	// Workers evaluate levels in parallel (default GOMAXPROCS).
	Workers int
	// Sim are the simulator options of every run (seed, region, prices).
	Sim simulator.Options
	// Progress, if set, is called after each level is simulated with the
	// number done so far (calls are serialised).
	Progress func(levels int)
	// NoLMI leaves out Lambda Managed Instances (Plan.LMI, PlanLMI),
	// which are otherwise priced when Sim has prices.
	NoLMI bool
}

// Plan is the outcome of a provisioned-concurrency search: every level
// evaluated (the trade-off curve) and the cheapest one meeting the target.
type Plan struct {
	Scenario string `json:"scenario,omitempty"`
	Region   string `json:"region"`
	Target   struct {
		MaxColdStartRate *float64 `json:"max_cold_start_rate,omitempty"`
		MaxP99Ms         float64  `json:"max_p99_ms,omitempty"`
		MaxThrottles     *int64   `json:"max_throttles,omitempty"`
	} `json:"target"`
	// Current is the scenario's own level.
	Current Point `json:"current"`
	// Best is the cheapest level meeting the target; nil when none does.
	Best *Point `json:"best"`
	// MonthlySavingsUSD is Current − Best (negative: meeting the target costs more).
	MonthlySavingsUSD float64 `json:"monthly_savings_usd"`
	// Curve holds every level evaluated, by level.
	Curve []Point `json:"curve"`
	// LMI is Lambda Managed Instances priced for the scenario's traffic
	// against the best level (PlanLMI); nil when not asked for or when
	// LMI cannot run it (Notes say why).
	LMI   *LMIOption `json:"lmi,omitempty"`
	Notes []string   `json:"notes,omitempty"`
	// Assumptions are what every level's simulation assumed (those of the
	// current level's run: the levels differ only in provisioned
	// concurrency), e.g. a short span projected to a 730-hour month.
	Assumptions pricing.Assumptions `json:"assumptions,omitempty"`
}

// SimulatorEvaluator evaluates levels by simulating s with that many
// provisioned environments (the scenario's seed, so every level sees the
// same arrivals) and pricing the month.
func SimulatorEvaluator(s *simulator.Scenario, opt simulator.Options) Evaluator {
	return func(ctx context.Context, pc int) (Point, error) {
		sc := *s
		sc.Concurrency.Provisioned = pc
		sc.Function.FunctionConfig.ProvisionedConcurrency = pc
		o := opt
		o.Runs = max(o.Runs, 1)
		o.Workers = 1
		o.Progress = nil
		r, err := simulator.Run(ctx, &sc, o)
		if err != nil {
			return Point{}, err
		}
		return Point{
			Provisioned: pc, ColdStartRate: r.ColdStartRate, ColdStarts: r.ColdStarts, Throttles: r.Throttles,
			LatencyP99Ms: r.LatencyMs.P99, Spillover: r.SpilloverInvocations, PeakConcurrency: r.PeakConcurrency,
			MonthlyCostUSD: r.MonthlyCost.TotalUSD(), MonthlyCost: r.MonthlyCost, Total: r.MonthlyCost.Total,
			assumptions: append(append(pricing.Assumptions{}, r.Assumptions...), simulator.MonthlyAssumptions(s, r)...),
		}, nil
	}
}

// PlanProvisioned finds the cheapest provisioned-concurrency level for
// scenario s that meets the target, by simulation. The highest level worth
// considering is the peak concurrency without provisioned concurrency (more
// environments than ever run at once cannot remove another cold start).
func PlanProvisioned(ctx context.Context, s *simulator.Scenario, o PlanOptions) (*Plan, error) {
	if len(s.Concurrency.ProvisionedSchedule) > 0 {
		return nil, pricing.Inputf(s.Path, "concurrency.provisioned_schedule: plan searches one provisioned level for the whole span; remove the schedule to plan")
	}
	eval := SimulatorEvaluator(s, o.Sim)
	if o.MaxLevel <= 0 {
		p0, err := eval(ctx, 0)
		if err != nil {
			return nil, err
		}
		o.MaxLevel = max(1, p0.PeakConcurrency)
	}
	if c := s.Concurrency.Cap(); o.MaxLevel > c {
		o.MaxLevel = c
	}
	plan, err := Search(ctx, eval, s.Concurrency.Provisioned, o)
	if err != nil {
		return nil, err
	}
	plan.Scenario = s.Name
	plan.Assumptions = plan.Current.assumptions
	plan.Assumptions.Add(pricing.Assumption{Field: "provisioned_concurrency", Value: "each level all month",
		Why: "every level considered is configured for the whole month and simulated with the scenario's arrivals; the other assumptions are the current level's simulation's"})
	plan.Region = o.Sim.Region
	if plan.Region == "" {
		plan.Region = s.Region
	}
	if !o.NoLMI && o.Sim.Prices != nil {
		sim := o.Sim
		sim.Progress = nil
		if plan.LMI, err = PlanLMI(ctx, o.Sim.Prices, s, sim, plan); err != nil {
			if !pricing.IsInput(err) {
				return nil, err
			}
			plan.Notes = append(plan.Notes, "LMI left out: "+err.Error())
		}
	}
	return plan, nil
}

// Search evaluates levels 0..o.MaxLevel and returns the plan. It is a
// coarse-to-fine grid search: each round evaluates about Width evenly
// spaced levels over the current range, then narrows the range to one
// spacing either side of the cheapest feasible level, until the spacing is
// one. Every evaluation is kept in the curve. The current level is always
// evaluated.
//
// The search assumes the cost is roughly unimodal in the level (provisioned
// environments cost a fixed amount each; every one added removes on-demand
// duration and cold starts), which is what the simulated curve shows; the
// full curve is printed so the trade-off can be checked.
func Search(ctx context.Context, eval Evaluator, current int, o PlanOptions) (*Plan, error) {
	if o.Width < 3 {
		o.Width = 12
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxLevel < 0 {
		return nil, pricing.Inputf("--max-provisioned", "must not be negative")
	}
	seen := map[int]Point{}
	var mu sync.Mutex
	done := 0
	evalAll := func(levels []int) error {
		var todo []int
		for _, l := range levels {
			if _, ok := seen[l]; !ok {
				todo = append(todo, l)
				seen[l] = Point{}
			}
		}
		pts := make([]Point, len(todo))
		g, gctx := errgroup.WithContext(ctx)
		g.SetLimit(o.Workers)
		for i, l := range todo {
			g.Go(func() error {
				p, err := eval(gctx, l)
				if err != nil {
					return err
				}
				p.Provisioned = l
				p.MeetsTarget = o.Target.Meets(p)
				pts[i] = p
				if o.Progress != nil {
					mu.Lock()
					done++
					o.Progress(done)
					mu.Unlock()
				}
				return nil
			})
		}
		if err := g.Wait(); err != nil {
			return err
		}
		for i, l := range todo {
			seen[l] = pts[i]
		}
		return nil
	}
	best := func() (int, bool) {
		bl, found := -1, false
		for l, p := range seen {
			if !p.MeetsTarget {
				continue
			}
			if !found || p.Total.LessThan(seen[bl].Total) || (p.Total.Equal(seen[bl].Total) && l < bl) {
				bl, found = l, true
			}
		}
		return bl, found
	}

	lo, hi := 0, o.MaxLevel
	levels := []int{current}
	for {
		spacing := max(1, int(math.Ceil(float64(hi-lo)/float64(o.Width-1))))
		for l := lo; l <= hi; l += spacing {
			levels = append(levels, l)
		}
		levels = append(levels, hi)
		if err := evalAll(levels); err != nil {
			return nil, err
		}
		levels = nil
		if spacing == 1 {
			break
		}
		b, ok := best()
		if !ok {
			// Nothing meets the target yet: look harder near the top, where
			// cold starts are fewest.
			b = hi
		}
		lo, hi = max(0, b-spacing), min(o.MaxLevel, b+spacing)
	}

	plan := &Plan{}
	plan.Target.MaxColdStartRate = o.Target.MaxColdStartRate
	plan.Target.MaxP99Ms = o.Target.MaxP99Ms()
	plan.Target.MaxThrottles = o.Target.MaxThrottles
	for _, p := range seen {
		plan.Curve = append(plan.Curve, p)
	}
	sort.Slice(plan.Curve, func(i, j int) bool { return plan.Curve[i].Provisioned < plan.Curve[j].Provisioned })
	plan.Current = seen[current]
	if b, ok := best(); ok {
		bp := seen[b]
		plan.Best = &bp
		plan.MonthlySavingsUSD = plan.Current.Total.Sub(bp.Total).InexactFloat64()
	} else {
		plan.Notes = append(plan.Notes, fmt.Sprintf("no provisioned-concurrency level up to %d meets the target", o.MaxLevel))
	}
	return plan, nil
}
