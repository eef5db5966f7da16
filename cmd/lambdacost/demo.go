package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/planner"
	"github.com/lambdacost/lambdacost/simulator/runner"
	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdDemo(f, nil) }) }

// DemoOptions are the parsed flags of `lambdacost demo`.
type DemoOptions struct {
	F *Factory

	HTML    string // --html FILE (default lambdacost-report.html)
	Assets  string // --assets DIR
	Memory  []int  // --memory sizes to measure
	Count   int    // --count invocations per size
	Builtin string // --builtin function to measure

	ctx context.Context
}

// NewCmdDemo builds `demo`. runF replaces the run function in tests.
func NewCmdDemo(f *Factory, runF func(*DemoOptions) error) *cobra.Command {
	o := &DemoOptions{F: f}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "The whole pipeline on built-in defaults: measure, simulate a spike, compare with EC2",
		Long: `Runs the whole pipeline with no AWS account:

 1. the local runner measures the built-in image-resize function (an S3 put event: decode a
    JPEG, resize, encode) at a few memory sizes and picks the cheapest;
 2. a traffic spike is simulated with those measured durations and INIT times (cold starts,
    scaling, throttles, latency, the bill);
 3. the same traffic is priced on Lambda (x86_64 and arm64), an EC2 fleet and Fargate,
    with the break-even volume.

It prints the tables and writes one self-contained HTML report (lambdacost-report.html).`,
		Example: `  lambdacost demo
  lambdacost demo --html demo.html -o markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ctx = cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return demoRun(o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.HTML, "html", "lambdacost-report.html", "write the HTML report to FILE (\"\" for none)")
	fs.StringVar(&o.Assets, "assets", "", "write echarts.min.js into DIR and load it from there instead of inlining it")
	memoryListFlag(fs, &o.Memory, "memory", []int{512, 1024, 1769}, "memory sizes (MB) to measure")
	fs.IntVar(&o.Count, "count", 5, "invocations per memory size (the first is cold)")
	fs.StringVar(&o.Builtin, "builtin", "image-resize", "built-in function to measure")
	_ = cmd.RegisterFlagCompletionFunc("builtin", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return builtin.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.MarkFlagFilename("html", "html")
	_ = cmd.MarkFlagDirname("assets")
	return cmd
}

// demoSpike is the simulated traffic: a steady 20 req/s with a 3-minute
// spike to 300 req/s, the durations measured by the runner.
const demoSpike = `name: %s
seed: 42
duration: 23m
function:
  name: %s
  memory_mb: %d
  architecture: %s
  timeout: 30s
  duration: %s
  init_duration: %s
concurrency: {account_limit: 1000, scaling_rate: 1000}
keep_alive: {idle_timeout: 10m}
traffic:
  arrivals: poisson
  start_rate: 20
  stages:
    - {duration: 10m, target: 20}
    - {duration: 10s, target: 300}
    - {duration: 3m, target: 300}
    - {duration: 10s, target: 20}
    - {duration: 9m40s, target: 20}
`

func msDur(ms float64) string {
	if ms < 0.001 {
		ms = 0.001
	}
	return strconv.FormatFloat(ms, 'f', 3, 64) + "ms"
}

// demoScenario builds the spike scenario from the recommended size's
// durations (lognormal through the measured p50 and p99).
func demoScenario(fn string, arch pricing.Architecture, p runner.TunePoint, d runner.Percentiles, initMs float64) (*simulator.Scenario, error) {
	dist := fmt.Sprintf("{distribution: lognormal, p50: %s, p99: %s}", msDur(d.P50), msDur(d.P99))
	if d.P99 <= d.P50*1.001 {
		dist = msDur(d.P50)
	}
	y := fmt.Sprintf(demoSpike, strconv.Quote(fn+" spike"), strconv.Quote(fn), p.MemoryMB, arch, dist, msDur(initMs))
	return simulator.ParseScenario("demo-spike.yaml", []byte(y))
}

func demoRun(o *DemoOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	// A report path we cannot write is found before the measurements.
	if err := outfile.CheckAll(map[string]string{"--html": o.HTML}); err != nil {
		return err
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	start := time.Now()
	say := func(format string, a ...any) { fmt.Fprintf(f.IO.ErrOut, format+"\n", a...) }

	// 1. Measure.
	sizes := make([]string, len(o.Memory))
	for i, m := range o.Memory {
		sizes[i] = strconv.Itoa(m)
	}
	say("1/3 measuring the built-in %s in the local runner at %s MB (%d invocations each)…", o.Builtin, strings.Join(sizes, ", "), o.Count)
	cfg := runner.Config{
		Builtin:          o.Builtin,
		Function:         pricing.FunctionConfig{Name: o.Builtin, Architecture: pricing.X86_64, Timeout: pricing.Duration(30 * time.Second)},
		Region:           f.Region,
		Prices:           prices,
		DiscardResponses: true,
	}
	if f.IO.Executable != nil {
		if exe, err := f.IO.Executable(); err == nil {
			cfg.Executable = exe
		}
	}
	tune, err := runner.Tune(ctx, cfg, o.Memory, o.Count, runner.Strategy{Name: runner.StrategyCost}, nil)
	if err != nil {
		return err
	}
	rec := tune.Recommendation
	if rec == nil {
		return &pricing.ExternalError{Op: "demo", Err: fmt.Errorf("every memory size failed in the runner: %s", tuneFailures(tune))}
	}
	var point runner.TunePoint
	for _, p := range tune.Results {
		if p.MemoryMB == rec.MemoryMB {
			point = p
		}
	}
	d := point.DurationMs
	initMs := point.InitDurationMs.P50
	if point.ModelledDurationMs != nil {
		d = *point.ModelledDurationMs
	}
	if point.ModelledInitDurationMs != nil {
		initMs = point.ModelledInitDurationMs.P50
	}

	// 2. Simulate a spike with the measurements.
	s, err := demoScenario(tune.Function, tune.Architecture, point, d, initMs)
	if err != nil {
		return err
	}
	say("2/3 simulating a spike from 20 to 300 req/s at %d MB (p50 %s ms, p99 %s ms, INIT %s ms)…", point.MemoryMB,
		reports.Numf(d.P50, 1), reports.Numf(d.P99, 1), reports.Numf(initMs, 1))
	in, sim, err := planner.ScenarioInput(ctx, s, simulator.Options{Prices: prices, Region: f.Region})
	if err != nil {
		return err
	}

	// 3. Compare the same traffic with always-on servers, with the
	// measured CPU share and memory per request.
	fc := s.Function.FunctionConfig.WithDefaults()
	if run := point.Run; run != nil && run.Summary.DurationMs.Mean > 0 {
		frac := run.Summary.CPUTimeMs.Mean / run.Summary.DurationMs.Mean
		if point.ModelledDurationMs != nil && point.ModelledDurationMs.Mean > 0 {
			frac = run.Summary.CPUTimeMs.Mean / point.ModelledDurationMs.Mean
		}
		// CPU time per request over its duration: the share of one vCPU a
		// request keeps busy on a server (CPU seconds = duration × fraction).
		in.Workload.CPUFraction = min(1, max(0.01, frac))
	}
	in.Workload.MemoryPerRequestMB = fleet.DefaultMemoryPerRequestMB(fc, point.MaxMemoryUsedMB)
	say("3/3 comparing %s requests a month with EC2 and Fargate…", reports.Numf(in.Workload.MonthlyRequests, 0))
	cmp, err := fleet.Compare(prices, in)
	if err != nil {
		return err
	}

	if o.HTML != "" {
		page := reports.PipelinePage("lambdacost demo: "+tune.Function+" measured, simulated and compared", tune, sim, s, cmp)
		if err := writeHTML(f, o.HTML, o.Assets, page.Render); err != nil {
			return err
		}
	}
	say("done in %s", time.Since(start).Round(100*time.Millisecond))

	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, struct {
			Tune       *runner.TuneResult `json:"tune"`
			Simulation *simulator.Result  `json:"simulation"`
			Compare    *fleet.Result      `json:"compare"`
		}{tune, sim, cmp})
	}
	var grids []reports.Grid
	grids = append(grids, reports.TuneGrids(tune)...)
	grids = append(grids, reports.SimulationGrids(sim)...)
	grids = append(grids, reports.CompareGrids(cmp)...)
	return reports.WriteGrids(f.IO.Out, format, f.Style(), grids...)
}

func tuneFailures(t *runner.TuneResult) string {
	var out []string
	for _, p := range t.Results {
		if p.Failure != "" {
			out = append(out, fmt.Sprintf("%d MB: %s", p.MemoryMB, p.Failure))
		}
	}
	return strings.Join(out, "; ")
}
