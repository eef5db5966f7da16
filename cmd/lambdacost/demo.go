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
	m, err := planner.MeasuredSize("demo", tune)
	if err != nil {
		return err
	}
	point, d := m.Point, m.DurationMs

	// 2. Simulate a spike with the measurements.
	s, err := planner.SpikeScenario(tune.Function, tune.Architecture, m)
	if err != nil {
		return err
	}
	say("2/3 simulating a spike from %d to %d req/s at %d MB (p50 %s ms, p99 %s ms, INIT %s ms)…", planner.SpikeBaseRPS, planner.SpikePeakRPS, point.MemoryMB,
		reports.Numf(d.P50, 1), reports.Numf(d.P99, 1), reports.Numf(m.InitMs, 1))
	in, sim, err := planner.ScenarioInput(ctx, s, simulator.Options{Prices: prices, Region: f.Region})
	if err != nil {
		return err
	}

	// 3. Compare the same traffic with always-on servers, with the
	// measured CPU share and memory per request.
	planner.MeasuredWorkload(&in, s.Function.FunctionConfig.WithDefaults(), point)
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
