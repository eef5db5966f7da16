package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdSimulate(f, nil) }) }

// SimulateOptions are the parsed flags of `lambdacost simulate`.
type SimulateOptions struct {
	F *Factory

	Scenario string
	Seed     uint64
	Runs     int
	Workers  int
	Analytic bool
	HTML     string
	Assets   string
	Mode     string
	Warmup   string

	changed func(string) bool
	ctx     context.Context
}

// NewCmdSimulate builds `simulate`. runF replaces the run function in tests.
func NewCmdSimulate(f *Factory, runF func(*SimulateOptions) error) *cobra.Command {
	o := &SimulateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "simulate SCENARIO.yaml",
		Short: "Simulate traffic, scaling, keep-alive and cold starts over time",
		Long: `Simulates a Lambda function under the traffic of a scenario file, one event per
invocation: Poisson or even arrivals following k6-style stages, a sine (diurnal) or a replayed
trace; execution environments reused most-recently-used first and reclaimed after the idle
timeout; cold starts (INIT + duration, billed); the account/reserved concurrency limits, the
scaling rate (new environments per 10 s) and provisioned concurrency; throttles (429).

It prints counts and rates, latency percentiles (INIT included), busy concurrency and live
environments, the bill for the simulated span and projected to a 730-hour month. --runs N runs
Monte Carlo replicas on all cores and adds 5th/95th percentile bands. --analytic prints the
steady-state prediction of Mahmoudi & Khazaei's model next to the simulation (constant-rate
Poisson scenarios; it is an approximation, and the output says how far it was from the
simulation on the validation cases). The same seed gives the same result, byte for byte.

--mode fast aggregates invocations but keeps the pool level by level (about 10 s of CPU
for a year at 10k req/s; the first seconds run exact); --mode auto (the default is exact) picks it when the exact run would take more
than a minute. Every output says which mode produced it and the mode's validated error bound.
--discard-warmup D leaves the first D (rounded up to a timeline bucket) out of the statistics;
a scenario's concurrency.initial_environments or warm_start: steady starts with a warm pool.
Lambda's invocation-rate quota (10 × the concurrency quota, requests per second) throttles
separately from the concurrency limits. Interrupted (Ctrl-C), it prints what was simulated so far,
marked partial, and exits 130.`,
		Example: `  lambdacost simulate examples/checkout.yaml
  lambdacost simulate examples/spike.yaml --runs 20 -o json
  lambdacost simulate examples/steady.yaml --analytic --seed 7
  lambdacost simulate examples/quarter.yaml --mode auto
  lambdacost simulate examples/steady.yaml --discard-warmup 30m
  lambdacost simulate examples/spike.yaml --html spike.html
  lambdacost simulate examples/spike.yaml --html out/spike.html --assets out/assets`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Scenario = args[0]
			o.changed = cmd.Flags().Changed
			o.ctx = cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return simulateRun(o)
		},
	}
	fs := cmd.Flags()
	fs.Uint64Var(&o.Seed, "seed", 0, "random seed (overrides the scenario's)")
	fs.IntVar(&o.Runs, "runs", 1, "Monte Carlo replicas; results carry p5/p95 bands")
	fs.IntVar(&o.Workers, "workers", 0, "replicas run in parallel (default: all cores)")
	fs.BoolVar(&o.Analytic, "analytic", false, "also print the analytical model's steady-state prediction")
	fs.StringVar(&o.Mode, "mode", simulator.ModeExact, "exact, fast or auto (fast when the exact run would take more than a minute)")
	fs.StringVar(&o.Warmup, "discard-warmup", "", "leave the first DURATION (e.g. 30m) out of the statistics")
	fs.StringVar(&o.HTML, "html", "", "also write a self-contained HTML report to FILE")
	fs.StringVar(&o.Assets, "assets", "", "with --html: write echarts.min.js into DIR and load it from there instead of inlining it")
	_ = cmd.MarkFlagFilename("html", "html")
	_ = cmd.MarkFlagDirname("assets")
	return cmd
}

func simulateRun(o *SimulateOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	var errs []error
	if o.Runs < 1 || o.Runs > 100_000 {
		errs = append(errs, pricing.Inputf("--runs", "must be between 1 and 100000"))
	}
	if o.Workers < 0 {
		errs = append(errs, pricing.Inputf("--workers", "must not be negative"))
	}
	if o.HTML == "" && o.changed("assets") {
		errs = append(errs, pricing.Inputf("--assets", "only applies with --html"))
	}
	switch o.Mode {
	case simulator.ModeExact, simulator.ModeFast, simulator.ModeAuto:
	default:
		errs = append(errs, pricing.Inputf("--mode", "%q is not exact, fast or auto", o.Mode))
	}
	var warmup time.Duration
	if o.Warmup != "" {
		d, err := pricing.ParseDuration(o.Warmup)
		if err != nil || d < 0 {
			errs = append(errs, pricing.Inputf("--discard-warmup", "expected a duration such as 30m, got %q", o.Warmup))
		} else {
			warmup = d.D()
		}
	}
	if err := pricing.Errors(errs); err != nil {
		return err
	}
	// A report path we cannot write is found before the simulation.
	if err := outfile.CheckAll(map[string]string{"--html": o.HTML}); err != nil {
		return err
	}
	s, err := simulator.LoadScenario(o.Scenario)
	if err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	opt := simulator.Options{Runs: o.Runs, Workers: o.Workers, Prices: prices, Analytic: o.Analytic, Mode: o.Mode, DiscardWarmup: warmup}
	if o.changed("seed") {
		opt.Seed = &o.Seed
	}
	if s.Region == "" || o.changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != "" {
		opt.Region = f.Region
	}
	var bar *progressBar
	if f.IO.ErrTTY {
		bar = newProgressBar(f.IO.ErrOut, time.Second)
		opt.Progress = bar.update
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := simulator.Run(ctx, s, opt)
	if bar != nil {
		bar.finish()
	}
	if err != nil && (res == nil || !res.Partial) {
		return err
	}
	if res.Partial {
		// Interrupted: print what was simulated, marked partial, and exit 130.
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: interrupted: partial result for the first %s simulated\n", time.Duration(res.SimulatedSeconds*float64(time.Second)))
		if werr := writeSimulation(o, f, format, res, s, nil); werr != nil {
			return werr
		}
		return &ExitError{Code: 130}
	}
	// The scenario's lmi: section: the same traffic on Managed Instances.
	region := s.Region
	if opt.Region != "" || region == "" {
		region = f.Region
	}
	lmiRun, err := simulator.RunLMI(s, prices, region)
	if err != nil {
		return err
	}
	return writeSimulation(o, f, format, res, s, lmiRun)
}

func writeSimulation(o *SimulateOptions, f *Factory, format reports.Format, res *simulator.Result, s *simulator.Scenario, lmiRun *simulator.LMIRun) error {
	// One list: the simulator's own (quotas, the fast mode's regime) and
	// the command's (month, free tier, region).
	as := append(pricing.Assumptions(nil), res.Assumptions...)
	for _, a := range simulateAssumptions(f, o.changed, s, res) {
		as.Add(a)
	}
	if o.HTML != "" {
		// Atomic: a failed render never leaves half a report behind.
		render := func(w io.Writer, opts ...reports.HTMLOption) error {
			page := reports.SimulationPage(res, s)
			page.Assumptions = as
			if lmiRun != nil {
				page.AddLMISimulation(lmiRun.InstanceType, lmiRun.Simulation, lmiRun.Bill)
			}
			return page.Render(w, opts...)
		}
		if err := writeHTML(f, o.HTML, o.Assets, render); err != nil {
			return err
		}
	}
	if format == reports.JSON {
		v, err := reports.WithAssumptions(res, as)
		if err != nil {
			return err
		}
		return reports.WriteSimulationJSON(f.IO.Out, v, lmiRun)
	}
	grids := reports.SimulateGrids(res, s, as, format == reports.CSV)
	if lmiRun != nil {
		grids = append(grids, reports.LMISimulationGrids(lmiRun.InstanceType, lmiRun.Simulation, lmiRun.Bill, format == reports.CSV)...)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), grids...)
}
