package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator/runner"
	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdTune(f, nil) }) }

// TuneOptions are the parsed flags of `lambdacost tune`.
type TuneOptions struct {
	F   *Factory
	Ctx context.Context
	FunctionFlags
	Memories []int
	Count    int
	Strategy string
	Weight   float64
	// ColdStartRate weights costs (negative: 1/--count).
	ColdStartRate float64
	HTML          string
	Assets        string
}

// NewCmdTune builds `tune`. runF replaces the run function in tests.
func NewCmdTune(f *Factory, runF func(*TuneOptions) error) *cobra.Command {
	o := &TuneOptions{F: f}
	cmd := &cobra.Command{
		Use:   "tune (--handler PATH | --builtin NAME) --memory 128,256,... [flags] [-- ARGS...]",
		Short: "Find the memory size with the best cost or speed by running the function at each",
		Long: `Runs the function --count times (the first cold) at each memory size, with Lambda's CPU share
for that size (1 vCPU at 1,769 MB, enforced by a cgroup quota where this machine allows; otherwise
modelled from measured CPU time and reported as such), and prints warm duration percentiles, cold
start and INIT, and the cost per invocation and per million (request fee and INIT included, for a
cold-start rate of --cold-start-rate, by default the measured mix of one cold start per --count
invocations), with a 95% Student-t interval of the mean warm duration and cost per size.

Strategies: cost (cheapest), speed (fastest warm p50), balanced (cost and duration scaled to [0,1]
across the sizes, weighted by --weight on cost). Sizes whose intervals overlap the best one's are
tied (within run-to-run noise): cost then picks the fastest of them, speed the cheapest. A size whose invocations fail or time out (e.g. out
of memory) is reported and skipped; it never stops the sweep.`,
		Example: `  lambdacost tune --builtin image-resize --memory 128,256,512,1024,1769,3008
  lambdacost tune --handler examples/bootstrap --event examples/event.json --count 20 --strategy balanced --weight 0.7 -o json   # make examples builds it`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && cmd.ArgsLenAtDash() != 0 {
				return pricing.Inputf("", "unexpected argument %q (handler arguments go after --)", args[0])
			}
			o.Args, o.Ctx = args, cmd.Context()
			if !cmd.Flags().Changed("logs") && o.Logs == "" {
				o.Logs = "none"
			}
			if runF != nil {
				return runF(o)
			}
			return tuneRun(o)
		},
	}
	fs := cmd.Flags()
	o.FunctionFlags.register(fs)
	memoryListFlag(fs, &o.Memories, "memory", []int{128, 256, 512, 1024, 1769, 3008}, "memory sizes in MB to try")
	fs.IntVar(&o.Count, "count", 10, "invocations per memory size (the first is cold)")
	fs.StringVar(&o.Strategy, "strategy", runner.StrategyCost, "cost|speed|balanced")
	fs.Float64Var(&o.Weight, "weight", 0.5, "balanced: weight of cost against speed, 0–1")
	fs.Float64Var(&o.ColdStartRate, "cold-start-rate", -1, "fraction of invocations that are cold (0–1) that costs are weighted by (default 1/--count, the measured mix)")
	fs.StringVar(&o.HTML, "html", "", "also write an HTML report (cost and duration vs memory) to FILE")
	fs.StringVar(&o.Assets, "assets", "", "with --html: write echarts.min.js into DIR and load it from there instead of inlining it")
	_ = cmd.MarkFlagFilename("html", "html")
	_ = cmd.MarkFlagDirname("assets")
	_ = cmd.RegisterFlagCompletionFunc("strategy", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{runner.StrategyCost, runner.StrategySpeed, runner.StrategyBalanced}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.RegisterFlagCompletionFunc("builtin", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return builtin.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func tuneRun(o *TuneOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	first := 0
	if len(o.Memories) > 0 {
		first = o.Memories[0]
	}
	cfg, errs := o.config(f, first)
	events, evErrs := o.ReadEvents(f.IO.In)
	errs = append(errs, evErrs...)
	strategy := runner.Strategy{Name: o.Strategy, Weight: o.Weight}
	if o.ColdStartRate != -1 {
		rate := o.ColdStartRate
		strategy.ColdStartRate = &rate
	}
	errs = append(errs, runner.ValidateTune(cfg, o.Memories, o.Count, strategy)...)
	if o.Assets != "" && o.HTML == "" {
		errs = append(errs, pricing.Inputf("--assets", "only applies with --html"))
	}
	if err := pricing.Errors(errs); err != nil {
		return err
	}
	// A report path we cannot write is found before the measurements.
	if err := outfile.CheckAll(map[string]string{"--html": o.HTML}); err != nil {
		return err
	}
	logs, closeLogs, err := o.logWriter(f, format)
	if err != nil {
		return err
	}
	defer closeLogs()
	cfg.Logs = logs
	res, err := runner.Tune(o.Ctx, cfg, o.Memories, o.Count, strategy, events)
	if err != nil && (res == nil || pricing.IsInput(err)) {
		return err
	}
	if res.Partial {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: interrupted after %d of %d memory sizes: the result is marked partial\n", len(res.Results), len(o.Memories))
	}
	if o.HTML != "" && res != nil {
		if werr := writeHTML(f, o.HTML, o.Assets, func(w io.Writer, opts ...reports.HTMLOption) error {
			return reports.WriteTuneHTML(w, res, opts...)
		}); werr != nil {
			return werr
		}
	}
	if format == reports.JSON {
		if werr := reports.WriteJSON(f.IO.Out, res); werr != nil {
			return werr
		}
		return err
	}
	if werr := reports.WriteGrids(f.IO.Out, format, f.Style(), reports.TuneGrids(res)...); werr != nil {
		return werr
	}
	return err
}
