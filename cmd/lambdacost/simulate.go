package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

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
Poisson scenarios). The same seed gives the same result, byte for byte.`,
		Example: `  lambdacost simulate testdata/scenarios/checkout.yaml
  lambdacost simulate spike.yaml --runs 20 -o json
  lambdacost simulate steady.yaml --analytic --seed 7
  lambdacost simulate spike.yaml --html spike.html`,
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
	fs.StringVar(&o.HTML, "html", "", "also write a self-contained HTML report to FILE")
	_ = cmd.MarkFlagFilename("html", "html")
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
	if err := pricing.Errors(errs); err != nil {
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
	opt := simulator.Options{Runs: o.Runs, Workers: o.Workers, Prices: prices, Analytic: o.Analytic}
	if o.changed("seed") {
		opt.Seed = &o.Seed
	}
	if s.Region == "" || o.changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != "" {
		opt.Region = f.Region
	}
	if f.IO.ErrTTY {
		bar := newProgressBar(f.IO.ErrOut, time.Second)
		defer bar.finish()
		opt.Progress = bar.update
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	res, err := simulator.Run(ctx, s, opt)
	if err != nil {
		return err
	}
	if o.HTML != "" {
		if err := writeSimulationHTML(o.HTML, res, s); err != nil {
			return err
		}
	}
	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, res)
	}
	grids := simulationGrids(res, s)
	if format == reports.CSV {
		grids = append(grids, timelineGrid(res))
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), grids...)
}

func writeSimulationHTML(path string, res *simulator.Result, s *simulator.Scenario) error {
	fh, err := os.Create(path)
	if err != nil {
		return pricing.Inputf("--html", "%v", err)
	}
	if err := reports.WriteSimulationHTML(fh, res, s); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return pricing.Inputf("--html", "%v", err)
	}
	return nil
}

// simulationGrids are the human views of a result: the summary, the bill
// and, with --analytic, the model next to the simulation.
func simulationGrids(r *simulator.Result, s *simulator.Scenario) []reports.Grid {
	title := "Simulation"
	if r.Scenario != "" {
		title += ": " + r.Scenario
	}
	title += fmt.Sprintf(" (%s simulated, seed %d", time.Duration(r.SimulatedSeconds*float64(time.Second)), r.Seed)
	if r.Runs > 1 {
		title += fmt.Sprintf(", %d runs", r.Runs)
	}
	title += ")"
	banded := r.Runs > 1
	header := []string{"Metric", "Value"}
	if banded {
		header = append(header, "p5", "p95")
	}
	g := reports.Grid{Title: title, Header: header, AlignRight: map[int]bool{1: true, 2: true, 3: true}}
	row := func(name, key string, v float64, prec int32, unit string) {
		cells := []string{name, reports.Numf(v, prec) + unit}
		if b, ok := r.Bands[key]; ok {
			cells = append(cells, reports.Numf(b.P5, prec)+unit, reports.Numf(b.P95, prec)+unit)
		} else if banded {
			cells = append(cells, "", "")
		}
		g.Rows = append(g.Rows, cells)
	}
	pct := func(name, key string, v float64) {
		cells := []string{name, reports.Numf(v*100, 3) + " %"}
		if banded {
			b := r.Bands[key]
			cells = append(cells, reports.Numf(b.P5*100, 3)+" %", reports.Numf(b.P95*100, 3)+" %")
		}
		g.Rows = append(g.Rows, cells)
	}
	usd := func(name, key string, v float64) {
		cells := []string{name, reports.USDf(v)}
		if banded {
			b := r.Bands[key]
			cells = append(cells, reports.USDf(b.P5), reports.USDf(b.P95))
		}
		g.Rows = append(g.Rows, cells)
	}
	row("Requests offered", "", float64(r.Arrivals), 0, "")
	row("Invocations", "invocations", float64(r.Invocations), 0, "")
	row("Cold starts", "cold_starts", float64(r.ColdStarts), 0, "")
	pct("Cold start rate", "cold_start_rate", r.ColdStartRate)
	row("Throttles (429)", "throttles", float64(r.Throttles), 0, "")
	row("Errors (timeouts)", "errors", float64(r.Errors), 0, "")
	if s.Traffic.Invocation == simulator.Async {
		row("Async retries", "", float64(r.Retries), 0, "")
		row("Async events dropped", "", float64(r.DroppedEvents), 0, "")
	}
	if s.Concurrency.Provisioned > 0 {
		row("On provisioned concurrency", "", float64(r.ProvisionedInvocations), 0, "")
		row("Spillover to on-demand", "", float64(r.SpilloverInvocations), 0, "")
	}
	row("Peak concurrency", "peak_concurrency", float64(r.PeakConcurrency), 0, "")
	row("Mean concurrency (busy)", "mean_concurrency", r.MeanConcurrency, 2, "")
	row("Mean environments (live)", "mean_environments", r.MeanEnvironments, 2, "")
	row("Latency p50", "latency_ms.p50", r.LatencyMs.P50, 1, " ms")
	row("Latency p90", "latency_ms.p90", r.LatencyMs.P90, 1, " ms")
	row("Latency p99", "latency_ms.p99", r.LatencyMs.P99, 1, " ms")
	row("Latency max", "latency_ms.max", r.LatencyMs.Max, 1, " ms")
	row("Billed GB-s", "billed_gb_seconds", r.BilledGBSeconds, 2, "")
	usd("Cost (simulated span)", "cost_usd", r.CostUSD)
	usd("Cost per million invocations", "cost_per_million_usd", r.CostPerMillionUSD)
	usd("Monthly cost (730 h projection)", "monthly_cost_usd", r.MonthlyCostUSD)
	grids := []reports.Grid{g}

	c := reports.Grid{Title: "Monthly bill (projected to 730 h, " + r.Region + ")",
		Header: []string{"Line", "Quantity", "Unit", "Unit price", "Cost"}, AlignRight: map[int]bool{1: true, 3: true, 4: true}}
	for _, l := range r.MonthlyCost.Lines {
		name := l.Name
		if l.Tier > 0 {
			name += fmt.Sprintf(" (tier %d)", l.Tier)
		}
		c.Rows = append(c.Rows, []string{name, reports.Num(l.Quantity, 2), l.Unit, reports.UnitPrice(l.UnitPrice), reports.USD(l.Cost)})
	}
	c.Footer = []string{"Total", "", "", "", reports.USD(r.MonthlyCost.Total)}
	grids = append(grids, c)

	if a := r.Analytic; a != nil {
		ag := reports.Grid{Title: "Analytical model: " + a.Model, Header: []string{"Metric", "Model", "Simulation"},
			AlignRight: map[int]bool{1: true, 2: true}}
		ag.Rows = [][]string{
			{"Cold start rate", reports.Numf(a.ColdStartRate*100, 4) + " %", reports.Numf(r.ColdStartRate*100, 4) + " %"},
			{"Mean environments", reports.Numf(a.MeanEnvironments, 3), reports.Numf(r.MeanEnvironments, 3)},
			{"Mean concurrency", reports.Numf(a.MeanConcurrency, 3), reports.Numf(r.MeanConcurrency, 3)},
			{"Utilisation", reports.Numf(a.Utilization*100, 2) + " %", reports.Numf(r.Utilization*100, 2) + " %"},
			{"Mean latency", reports.Numf(a.MeanLatencyMs, 1) + " ms", reports.Numf(r.LatencyMs.Mean, 1) + " ms"},
			{"Throttle rate", reports.Numf(a.ThrottleRate*100, 4) + " %", reports.Numf(r.ThrottleRate*100, 4) + " %"},
		}
		grids = append(grids, ag)
	}
	return grids
}

// timelineGrid is the timeline as a table (for CSV).
func timelineGrid(r *simulator.Result) reports.Grid {
	g := reports.Grid{Title: "Timeline", Header: []string{"t_s", "arrivals", "cold_starts", "throttles", "concurrency_max", "environments"}}
	f := func(v float64) string { return fmt.Sprint(v) }
	for _, b := range r.Timeline {
		g.Rows = append(g.Rows, []string{f(b.TS), f(b.Arrivals), f(b.ColdStarts), f(b.Throttles), f(b.ConcurrencyMax), f(b.Environments)})
	}
	return g
}

// progressBar draws a one-line bar on a terminal once a run has lasted
// longer than delay; finish erases it.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	delay time.Duration
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, delay time.Duration) *progressBar {
	return &progressBar{w: w, start: time.Now(), delay: delay}
}

func (p *progressBar) update(done, total int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < p.delay || now.Sub(p.last) < 100*time.Millisecond || total <= 0 {
		return
	}
	p.last = now
	frac := float64(done) / float64(total)
	const width = 30
	n := int(frac * width)
	fmt.Fprintf(p.w, "\r[%s%s] %5.1f%%  %s", strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, now.Sub(p.start).Round(time.Second))
	p.drawn = true
}

func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 50))
	}
}
