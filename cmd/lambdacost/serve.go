package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/whatif"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdServe(f, nil) }) }

// ServeOptions are the parsed flags of `lambdacost serve`.
type ServeOptions struct {
	F *Factory

	Scenario string
	Dataset  string
	Function string
	Addr     string

	ctx context.Context
	// ready, in tests, receives the URL once the server listens.
	ready func(url string)
}

// NewCmdServe builds `serve`. runF replaces the run function in tests.
func NewCmdServe(f *Factory, runF func(*ServeOptions) error) *cobra.Command {
	o := &ServeOptions{F: f}
	cmd := &cobra.Command{
		Use:   "serve [SCENARIO.yaml | --dataset FILE]",
		Short: "A local what-if page: change traffic, memory, concurrency or region and see the bill",
		Long: `Starts a local web server with one page on which a planning session changes a scenario —
the traffic (a multiplier, monthly growth, the start rate and the stages of the spike), memory,
architecture, provisioned concurrency (a level and a schedule), reserved concurrency, the
account limit, the region, the free tier, a Compute Savings Plan, the simulation mode — and
sees within a second the monthly bill by cost line, the cold-start rate, throttles by reason,
p50/p99 latency and concurrency over time, with the assumptions behind them.

The page has no model of its own: its JSON API (POST api/plan) runs the same simulator and
pricing engine as ` + "`lambdacost simulate`" + ` and answers with that command's -o json output (an
exact run streams its progress first). Its state is a scenario: "Download scenario" saves the
YAML, and the command the page shows (lambdacost simulate scenario.yaml -o json, with --mode
fast when the fast mode answered) reproduces its numbers exactly. Small runs use the exact
engine, larger ones the fast mode; a scenario too large for an interactive answer gets a
message and the command for the exact run. A change of region, architecture or billing alone
is priced from the last simulation without running it again. "Compare" prices EC2 (an instance
type of the session's choice, or the cheapest), Fargate (a task size) and Managed Instances for
the same month with the break-even volumes and the cheapest option's saving (POST api/compare:
lambdacost compare on the scenario, whose compare: section holds the choices); "Recommend" finds the cheapest provisioned-concurrency level meeting a
cold-start or p99 target and its monthly saving (POST api/recommend: lambdacost plan).

Without a scenario it starts from a built-in example; --dataset replays one function of a
dataset (its invocation series, duration and INIT statistics, memory and architecture).
It binds 127.0.0.1 on a free port and prints the URL. --addr binds elsewhere; beyond loopback
every URL must carry a random token, printed with the URL. Ctrl-C stops it. The page works
offline (echarts is served by the binary) under a strict Content-Security-Policy.

Examples (each serves until Ctrl-C, so they are not in the run-every-example list):

    lambdacost serve examples/checkout.yaml
    lambdacost serve --dataset examples/prod.json --function checkout
    lambdacost serve examples/spike.yaml --addr 0.0.0.0:8080`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return []string{"yaml", "yml"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Scenario = args[0]
			}
			o.ctx = cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return serveRun(o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Dataset, "dataset", "", "replay one function of a dataset (collect/import) instead of a scenario")
	fs.StringVar(&o.Function, "function", "", "with --dataset: the function to replay (needed when it has several)")
	fs.StringVar(&o.Addr, "addr", "", "listen address host:port (default 127.0.0.1 and a free port; beyond loopback a token is required)")
	_ = cmd.MarkFlagFilename("dataset", "json")
	return cmd
}

func serveRun(o *ServeOptions) error {
	f := o.F
	if o.Scenario != "" && o.Dataset != "" {
		return pricing.Inputf("serve", "give a SCENARIO.yaml or --dataset FILE, not both")
	}
	if o.Function != "" && o.Dataset == "" {
		return pricing.Inputf("--function", "only applies with --dataset")
	}
	var data []byte
	var err error
	path, name := filepath.Join(".", "starter.yaml"), "the built-in starter scenario"
	switch {
	case o.Scenario != "":
		path, name = o.Scenario, o.Scenario
		if data, err = os.ReadFile(o.Scenario); err != nil {
			return pricing.Inputf(o.Scenario, "%v", err)
		}
	case o.Dataset != "":
		path, name = o.Dataset, o.Dataset
		if data, err = simulator.ScenarioFromDataset(o.Dataset, o.Function); err != nil {
			return err
		}
	default:
		data = whatif.Starter
	}
	if data, err = whatif.Prepare(data, path, f.Region, f.RegionSource == "--region"); err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	token := ""
	if o.Addr != "" && !whatif.IsLoopback(o.Addr) {
		if token, err = whatif.NewToken(); err != nil {
			return err
		}
	}
	ln, err := whatif.Listen(o.Addr, token)
	if err != nil {
		return err
	}
	srv, err := whatif.New(whatif.Config{Scenario: data, Name: name, Dir: filepath.Dir(path), Prices: prices, Token: token,
		Logf: func(format string, args ...any) { fmt.Fprintf(f.IO.ErrOut, format+"\n", args...) }})
	if err != nil {
		ln.Close()
		return err
	}
	url := whatif.URL(ln, token)
	fmt.Fprintf(f.IO.Out, "lambdacost serve: open %s\n", url)
	if token != "" {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost serve: %s is not loopback: the URL carries a random token; requests without it are refused\n", o.Addr)
	}
	fmt.Fprintln(f.IO.ErrOut, "lambdacost serve: Ctrl-C stops the server")
	if o.ready != nil {
		o.ready(url)
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	return srv.Serve(ctx, ln)
}
