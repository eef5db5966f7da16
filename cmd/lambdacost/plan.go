package main

import (
	"context"
	"fmt"
	"io"
	"strings"

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

	Dataset       string   // the --dataset values, joined (for messages and titles)
	Datasets      []string // each --dataset: a file or a glob pattern
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
levels around the best. Lambda Managed Instances are priced for the same traffic against the best
level: the cheapest instance type's fleet, the break-even volume and the throttle risk of the
scenario's traffic on that fleet.

With --dataset, recommends per function: arm64 where it is cheaper, a smaller memory size when
little of it is used, timeouts (too tight or too loose), functions near the 15-minute limit,
throttles, errors, cold starts, and an always-on fleet or Lambda Managed Instances where they would
cost less (LMI with its fleet, break-even and the throttle risk of the function's measured traffic).

With --tune (a tune -o json result), recommends the memory size: the cheapest and the fastest,
and the monthly saving against --memory at --requests a month.`,
		Example: `  lambdacost plan examples/checkout.yaml --max-cold-start-rate 0.001
  lambdacost plan examples/spike.yaml --max-p99 400ms -o json
  lambdacost recommend --dataset examples/prod.json
  lambdacost recommend --dataset examples/prod.json --dataset examples/prod-eu.json
  lambdacost plan --tune examples/tune.json --memory 1024 --requests 50M`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Scenario = args[0]
			}
			o.changed = cmd.Flags().Changed
			o.Dataset = strings.Join(o.Datasets, ", ")
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
	countFlag(fs, &o.MaxThrottles, "max-throttles", 0, "target: the most throttled requests accepted")
	fs.IntVar(&o.MaxProvisioned, "max-provisioned", 0, "highest provisioned-concurrency level considered (default: the peak concurrency without it)")
	fs.Uint64Var(&o.Seed, "seed", 0, "random seed of the simulations (overrides the scenario's)")
	fs.IntVar(&o.Runs, "runs", 1, "Monte Carlo replicas per level (pooled: steadier rates for tight targets)")
	fs.StringArrayVar(&o.Datasets, "dataset", nil, "dataset file (collect/import) or glob pattern: recommendations per function; repeat it to read several as one (merged as dataset merge does)")
	namesFlag(fs, &o.InstanceTypes, "instance-type", "instance type", "EC2 instance types for the always-on check (default: every non-burstable type)")
	fs.StringVar(&o.Tune, "tune", "", "tune result (tune -o json): memory recommendations")
	memoryFlag(fs, &o.MemoryMB, "memory", 0, "with --tune: the current memory size in MB")
	countFlag(fs, &o.Requests, "requests", 0, "with --tune: requests per month, for monthly savings")
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
		if s.Region == "" {
			regionAssumption(f, o.changed, &plan.Assumptions)
		}
		if o.HTML != "" {
			render := func(w io.Writer, opts ...reports.HTMLOption) error { return reports.WritePlanHTML(w, plan, opts...) }
			if err := writeHTML(f, o.HTML, o.Assets, render); err != nil {
				return err
			}
		}
		return reports.WritePlan(f.IO.Out, format, f.Style(), plan)

	case o.Dataset != "":
		d, _, conflicts, err := pricing.ReadDatasets(o.Datasets)
		if err != nil {
			return err
		}
		for _, c := range conflicts {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: conflict: %s\n", c)
		}
		ro := planner.RecommendOptions{InstanceTypes: o.InstanceTypes, Compare: fleet.Options{EBSGB: 20}}
		if regionGiven || d.Region == "" {
			ro.Region = f.Region
		}
		rr, err := planner.RecommendDatasetFull(prices, d, ro)
		if err != nil {
			return err
		}
		for _, w := range rr.Warnings {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s\n", warningLine(w))
		}
		title := "Recommendations · " + o.Dataset
		if o.HTML != "" {
			page := reports.RecommendationsPage(title, rr.Recommendations)
			page.Warnings, page.Assumptions = rr.Warnings, reports.RecommendationsAssumptions(rr)
			if err := writeHTML(f, o.HTML, o.Assets, page.Render); err != nil {
				return err
			}
		}
		if format == reports.JSON {
			return reports.WriteJSON(f.IO.Out, rr)
		}
		grids := append([]reports.Grid{reports.RecommendationsGrid(title, rr.Recommendations)}, reports.AssumptionsGrid(reports.RecommendationsAssumptions(rr))...)
		return reports.WriteGrids(f.IO.Out, format, f.Style(), grids...)

	default:
		tr, err := planner.ReadTuneResult(o.Tune)
		if err != nil {
			return err
		}
		recs := planner.RecommendTune(tr, o.MemoryMB, o.Requests)
		title := "Memory recommendations · " + o.Tune
		if o.HTML != "" {
			if err := writeHTML(f, o.HTML, o.Assets, reports.RecommendationsPage(title, recs).Render); err != nil {
				return err
			}
		}
		return reports.WriteRecommendations(f.IO.Out, format, f.Style(), title, recs)
	}
}
