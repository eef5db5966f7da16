package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdPlan(f, nil) }) }

// PlanOptions are the parsed flags of `lambdacost plan`.
type PlanOptions struct {
	F *Factory

	Scenario         string
	MaxColdStartRate float64
	MaxP99           pricing.Duration
	MaxThrottles     int64
	MaxProvisioned   int
	Seed             uint64
	Runs             int

	Dataset       string
	InstanceTypes []string

	Tune     string
	MemoryMB int
	Requests int64

	HTML   string
	Assets string

	changed func(string) bool
	ctx     context.Context
}

// NewCmdPlan builds `plan` (alias `recommend`). runF replaces the run function in tests.
func NewCmdPlan(f *Factory, runF func(*PlanOptions) error) *cobra.Command {
	o := &PlanOptions{F: f}
	cmd := &cobra.Command{
		Use:     "plan [SCENARIO.yaml | --dataset FILE | --tune FILE]",
		Aliases: []string{"recommend"},
		Short:   "Plan provisioned concurrency, and recommend memory, architecture, timeouts or a server",
		Long: `With a scenario, finds the provisioned-concurrency level that costs least while meeting a
target (--max-cold-start-rate, --max-p99, --max-throttles), by simulating the scenario at each level
considered (the same seed, so every level sees the same arrivals), and prints the trade-off curve.
Without a target it finds the cheapest level. Levels go up to the peak concurrency without
provisioned concurrency (or --max-provisioned); the search narrows from a coarse grid to single
levels around the best.

With --dataset, recommends per function: arm64 where it is cheaper, a smaller memory size when
little of it is used, timeouts (too tight or too loose), functions near the 15-minute limit,
throttles, errors, cold starts, and an always-on fleet where it would cost less.

With --tune (a tune -o json result), recommends the memory size: the cheapest and the fastest,
and the monthly saving against --memory at --requests a month.`,
		Example: `  lambdacost plan testdata/scenarios/checkout.yaml --max-cold-start-rate 0.001
  lambdacost plan spike.yaml --max-p99 400ms -o json
  lambdacost recommend --dataset prod.json
  lambdacost plan --tune tune.json --memory 1024 --requests 50000000`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Scenario = args[0]
			}
			o.changed = cmd.Flags().Changed
			o.ctx = cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return planRun(o)
		},
	}
	fs := cmd.Flags()
	fs.Float64Var(&o.MaxColdStartRate, "max-cold-start-rate", 0, "target: the highest acceptable share of cold invocations (0–1)")
	durationFlag(fs, &o.MaxP99, "max-p99", 0, "target: the highest acceptable p99 latency, INIT included (e.g. 500ms)")
	fs.Int64Var(&o.MaxThrottles, "max-throttles", 0, "target: the most throttled requests accepted")
	fs.IntVar(&o.MaxProvisioned, "max-provisioned", 0, "highest provisioned-concurrency level considered (default: the peak concurrency without it)")
	fs.Uint64Var(&o.Seed, "seed", 0, "random seed of the simulations (overrides the scenario's)")
	fs.IntVar(&o.Runs, "runs", 1, "Monte Carlo replicas per level (pooled: steadier rates for tight targets)")
	fs.StringVar(&o.Dataset, "dataset", "", "dataset file (collect/import): recommendations per function")
	fs.StringSliceVar(&o.InstanceTypes, "instance-type", nil, "EC2 instance types for the always-on check (default: every non-burstable type)")
	fs.StringVar(&o.Tune, "tune", "", "tune result (tune -o json): memory recommendations")
	fs.IntVar(&o.MemoryMB, "memory", 0, "with --tune: the current memory size in MB")
	fs.Int64Var(&o.Requests, "requests", 0, "with --tune: requests per month, for monthly savings")
	fs.StringVar(&o.HTML, "html", "", "also write an HTML report to FILE")
	fs.StringVar(&o.Assets, "assets", "", "with --html: write echarts.min.js into DIR and load it from there instead of inlining it")
	_ = cmd.MarkFlagFilename("dataset", "json")
	_ = cmd.MarkFlagFilename("tune", "json")
	_ = cmd.MarkFlagFilename("html", "html")
	_ = cmd.MarkFlagDirname("assets")
	return cmd
}

func planRun(o *PlanOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	var errs []error
	n := 0
	for _, set := range []bool{o.Scenario != "", o.Dataset != "", o.Tune != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		errs = append(errs, pricing.Inputf("plan", "give exactly one of SCENARIO.yaml, --dataset FILE or --tune FILE"))
	}
	scenarioOnly := []string{"max-cold-start-rate", "max-p99", "max-throttles", "max-provisioned", "seed", "runs"}
	if o.Scenario == "" {
		for _, name := range scenarioOnly {
			if o.changed(name) {
				errs = append(errs, pricing.Inputf("--"+name, "only applies to a scenario"))
			}
		}
	}
	if o.Dataset == "" && o.changed("instance-type") {
		errs = append(errs, pricing.Inputf("--instance-type", "only applies with --dataset"))
	}
	if o.Tune == "" {
		for _, name := range []string{"memory", "requests"} {
			if o.changed(name) {
				errs = append(errs, pricing.Inputf("--"+name, "only applies with --tune"))
			}
		}
	}
	if o.MaxColdStartRate < 0 || o.MaxColdStartRate > 1 || o.MaxColdStartRate != o.MaxColdStartRate {
		errs = append(errs, pricing.Inputf("--max-cold-start-rate", "must be between 0 and 1"))
	}
	if o.MaxP99 < 0 {
		errs = append(errs, pricing.Inputf("--max-p99", "must not be negative"))
	}
	if o.MaxThrottles < 0 {
		errs = append(errs, pricing.Inputf("--max-throttles", "must not be negative"))
	}
	if o.MaxProvisioned < 0 {
		errs = append(errs, pricing.Inputf("--max-provisioned", "must not be negative"))
	}
	if o.Requests < 0 {
		errs = append(errs, pricing.Inputf("--requests", "must not be negative"))
	}
	if o.HTML == "" && o.changed("assets") {
		errs = append(errs, pricing.Inputf("--assets", "only applies with --html"))
	}
	if o.Runs < 1 || o.Runs > 10_000 {
		errs = append(errs, pricing.Inputf("--runs", "must be between 1 and 10000"))
	}
	if o.changed("memory") && (o.MemoryMB < pricing.MinMemoryMB || o.MemoryMB > pricing.MaxMemoryMB) {
		errs = append(errs, pricing.Inputf("--memory", "must be between %d and %d MB", pricing.MinMemoryMB, pricing.MaxMemoryMB))
	}
	if err := pricing.Errors(errs); err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	regionGiven := o.changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != ""

	switch {
	case o.Scenario != "":
		s, err := simulator.LoadScenario(o.Scenario)
		if err != nil {
			return err
		}
		sim := simulator.Options{Prices: prices, Runs: o.Runs}
		if s.Region == "" || regionGiven {
			sim.Region = f.Region
		}
		if o.changed("seed") {
			sim.Seed = &o.Seed
		}
		po := planner.PlanOptions{MaxLevel: o.MaxProvisioned, Sim: sim}
		if o.changed("max-cold-start-rate") {
			r := o.MaxColdStartRate
			po.Target.MaxColdStartRate = &r
		}
		po.Target.MaxP99 = o.MaxP99.D()
		if o.changed("max-throttles") {
			t := o.MaxThrottles
			po.Target.MaxThrottles = &t
		}
		ctx := o.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		if f.IO.ErrTTY {
			po.Progress = func(n int) { fmt.Fprintf(f.IO.ErrOut, "\rsimulated %d provisioned-concurrency levels…", n) }
			defer fmt.Fprint(f.IO.ErrOut, "\r\033[K")
		}
		plan, err := planner.PlanProvisioned(ctx, s, po)
		if err != nil {
			return err
		}
		if o.HTML != "" {
			if err := writePlanHTML(o, planPage(plan)); err != nil {
				return err
			}
		}
		if format == reports.JSON {
			return reports.WriteJSON(f.IO.Out, plan)
		}
		grids := planGrids(plan)
		if format == reports.CSV {
			grids = []reports.Grid{planCurveCSV(plan)}
		}
		if err := reports.WriteGrids(f.IO.Out, format, f.Style(), grids...); err != nil {
			return err
		}
		if format != reports.CSV {
			return writeNotes(f.IO.Out, format, plan.Notes)
		}
		return nil

	case o.Dataset != "":
		d, err := pricing.ReadDataset(o.Dataset)
		if err != nil {
			return err
		}
		ro := planner.RecommendOptions{InstanceTypes: o.InstanceTypes, Compare: fleet.Options{EBSGB: 20}}
		if regionGiven || d.Region == "" {
			ro.Region = f.Region
		}
		recs, err := planner.RecommendDataset(prices, d, ro)
		if err != nil {
			return err
		}
		title := "Recommendations · " + o.Dataset
		if o.HTML != "" {
			if err := writePlanHTML(o, recommendationsPage(title, recs)); err != nil {
				return err
			}
		}
		return writeRecommendations(f.IO.Out, format, f.Style(), title, recs)

	default:
		tr, err := planner.ReadTuneResult(o.Tune)
		if err != nil {
			return err
		}
		recs := planner.RecommendTune(tr, o.MemoryMB, o.Requests)
		title := "Memory recommendations · " + o.Tune
		if o.HTML != "" {
			if err := writePlanHTML(o, recommendationsPage(title, recs)); err != nil {
				return err
			}
		}
		return writeRecommendations(f.IO.Out, format, f.Style(), title, recs)
	}
}

// writePlanHTML writes a plan or recommendations page (tables from the same
// grids as the terminal output) through reports.WriteHTMLFile.
func writePlanHTML(o *PlanOptions, p *reports.Page) error {
	return reports.WriteHTMLFile(o.HTML, o.Assets, p.Render)
}

func planPage(p *planner.Plan) *reports.Page {
	grids := planGrids(p)
	page := &reports.Page{Title: "Provisioned concurrency plan", Subtitle: "target: " + targetText(p) + " · " + p.Region, Notes: p.Notes}
	if p.Scenario != "" {
		page.Title += " · " + p.Scenario
	}
	page.Facts = append(page.Facts, reports.Fact{Label: "Current", Value: reports.USD(p.Current.Total), Detail: fmt.Sprintf("%d provisioned, per month", p.Current.Provisioned)})
	if p.Best != nil {
		page.Facts = append(page.Facts,
			reports.Fact{Label: "Best", Value: fmt.Sprint(p.Best.Provisioned), Detail: "provisioned environments"},
			reports.Fact{Label: "Its cost", Value: reports.USD(p.Best.Total), Detail: "per month"},
			savingFact(p.MonthlySavingsUSD))
	} else {
		page.Facts = append(page.Facts, reports.Fact{Label: "Best", Value: "none", Detail: "no level meets the target"})
	}
	page.Sections = []reports.Section{{Title: "Plan", Tables: []reports.HTMLTable{reports.TableFromGrid(grids[0])}},
		{Title: "Trade-off", Text: "Every level simulated with the same arrivals: cost rises with each provisioned environment, cold starts fall.", Tables: []reports.HTMLTable{reports.TableFromGrid(grids[1])}}}
	return page
}

func savingFact(v float64) reports.Fact {
	if v >= 0 {
		return reports.Fact{Label: "Saving", Value: reports.USDf(v), Detail: "per month"}
	}
	return reports.Fact{Label: "Extra cost", Value: reports.USDf(-v), Detail: "per month, to meet the target"}
}

func recommendationsPage(title string, recs []planner.Recommendation) *reports.Page {
	total := 0.0
	for _, r := range recs {
		total += r.MonthlySavingsUSD
	}
	page := &reports.Page{Title: "Recommendations", Subtitle: title,
		Facts: []reports.Fact{{Label: "Recommendations", Value: fmt.Sprint(len(recs))}, {Label: "Savings named", Value: reports.USDf(total), Detail: "per month, not all combinable"}}}
	page.Sections = []reports.Section{{Title: "By saving", Tables: []reports.HTMLTable{reports.TableFromGrid(recommendationsGrid(title, recs))}}}
	return page
}

func writeRecommendations(w io.Writer, format reports.Format, st reports.Style, title string, recs []planner.Recommendation) error {
	if recs == nil {
		recs = []planner.Recommendation{}
	}
	if format == reports.JSON {
		return reports.WriteJSON(w, struct {
			Recommendations []planner.Recommendation `json:"recommendations"`
		}{recs})
	}
	return reports.WriteGrids(w, format, st, recommendationsGrid(title, recs))
}

func recommendationsGrid(title string, recs []planner.Recommendation) reports.Grid {
	g := reports.Grid{Title: title, Header: []string{"Function", "Kind", "Severity", "Saving/month", "Recommendation"}, AlignRight: map[int]bool{3: true}}
	for _, r := range recs {
		save := ""
		if r.MonthlySavingsUSD != 0 {
			save = reports.USDf(r.MonthlySavingsUSD)
		}
		g.Rows = append(g.Rows, []string{r.Function, r.Kind, r.Severity, save, r.Message})
	}
	if len(recs) == 0 {
		g.Rows = append(g.Rows, []string{"", "", "", "", "nothing to recommend"})
	}
	return g
}

func targetText(p *planner.Plan) string {
	var parts []string
	if r := p.Target.MaxColdStartRate; r != nil {
		// A fraction, not a percentage: go-pretty reads titles as formats.
		parts = append(parts, "cold-start rate ≤ "+reports.Numf(*r, 6))
	}
	if p.Target.MaxP99Ms > 0 {
		parts = append(parts, "p99 ≤ "+time.Duration(p.Target.MaxP99Ms*float64(time.Millisecond)).String())
	}
	if t := p.Target.MaxThrottles; t != nil {
		parts = append(parts, fmt.Sprintf("throttles ≤ %d", *t))
	}
	if len(parts) == 0 {
		return "the cheapest level"
	}
	return strings.Join(parts, ", ")
}

// planCurveCSV is the trade-off curve with plain numbers (rates as
// fractions, latency in ms, money in USD).
func planCurveCSV(p *planner.Plan) reports.Grid {
	g := reports.Grid{Header: []string{"provisioned", "monthly_cost_usd", "cold_start_rate", "cold_starts", "latency_p99_ms", "throttles", "meets_target", "best"}}
	for _, pt := range p.Curve {
		best := p.Best != nil && pt.Provisioned == p.Best.Provisioned
		g.Rows = append(g.Rows, []string{fmt.Sprint(pt.Provisioned), pt.Total.String(), strconv.FormatFloat(pt.ColdStartRate, 'g', -1, 64),
			fmt.Sprint(pt.ColdStarts), strconv.FormatFloat(pt.LatencyP99Ms, 'g', -1, 64), fmt.Sprint(pt.Throttles), fmt.Sprint(pt.MeetsTarget), fmt.Sprint(best)})
	}
	return g
}

// planGrids are the plan's summary and its trade-off curve.
func planGrids(p *planner.Plan) []reports.Grid {
	title := "Provisioned concurrency plan"
	if p.Scenario != "" {
		title += " · " + p.Scenario
	}
	title += " · target: " + targetText(p)
	s := reports.Grid{Title: title, Header: []string{"", "Provisioned", "Monthly cost", "Cold start rate", "p99", "Throttles"}, AlignRight: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true}}
	row := func(label string, pt planner.Point) []string {
		return []string{label, fmt.Sprint(pt.Provisioned), reports.USD(pt.Total), reports.Numf(pt.ColdStartRate*100, 4) + "%", reports.Numf(pt.LatencyP99Ms, 1) + " ms", fmt.Sprint(pt.Throttles)}
	}
	s.Rows = append(s.Rows, row("Current", p.Current))
	if p.Best != nil {
		s.Rows = append(s.Rows, row("Best", *p.Best))
		if p.MonthlySavingsUSD >= 0 {
			s.Footer = []string{"Saving/month", "", reports.USDf(p.MonthlySavingsUSD), "", "", ""}
		} else {
			s.Footer = []string{"Extra cost/month", "", reports.USDf(-p.MonthlySavingsUSD), "", "", ""}
		}
	} else {
		s.Rows = append(s.Rows, []string{"Best", "none meets the target", "", "", "", ""})
	}
	c := reports.Grid{Title: "Trade-off: every level simulated", Header: []string{"Provisioned", "Monthly cost", "Cold start rate", "Cold starts", "p99", "Throttles", "Meets target"},
		AlignRight: map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true, 5: true}}
	for _, pt := range p.Curve {
		meets := "no"
		if pt.MeetsTarget {
			meets = "yes"
		}
		if p.Best != nil && pt.Provisioned == p.Best.Provisioned {
			meets += " (best)"
		}
		c.Rows = append(c.Rows, []string{fmt.Sprint(pt.Provisioned), reports.USD(pt.Total), reports.Numf(pt.ColdStartRate*100, 4) + "%", fmt.Sprint(pt.ColdStarts), reports.Numf(pt.LatencyP99Ms, 1) + " ms", fmt.Sprint(pt.Throttles), meets})
	}
	return []reports.Grid{s, c}
}
