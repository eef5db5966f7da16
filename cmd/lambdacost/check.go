package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/reports/check"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdCheck(f, nil) }) }

// CheckOptions are the parsed flags of `lambdacost check`.
type CheckOptions struct {
	F   *Factory
	Ctx context.Context

	Config   string
	Baseline string
	FreeTier bool
	// Bill holds the costs around Lambda every bill adds (billflags.go).
	Bill billFlags

	changed func(string) bool
}

// NewCmdCheck builds `check`. runF replaces the run function in tests.
func NewCmdCheck(f *Factory, runF func(*CheckOptions) error) *cobra.Command {
	o := &CheckOptions{F: f}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "CI cost checks: thresholds on cost, cold starts and latency, with a baseline diff",
		Long: `Evaluates the checks of a lambdacost.yaml and exits 1 when any threshold fails, so that CI
fails a pull request that would break the budget or the latency target.

Each check has one source (a scenario to simulate, a dataset from collect/import, an inline
estimate: the same fields as an estimate --usage entry, or infrastructure code: a Terraform JSON
plan or a CloudFormation/SAM/CDK template with an infracost usage file) and k6-style thresholds: an operator
(<, <=, >, >=, ==, !=) and a number; a list means all must hold. Paths are relative to the
config file. dataset: takes a file, a glob pattern (datasets/prod-*.json) or a list of them,
read as one dataset by the rules of 'dataset merge' (a function in two files: the first kept and
the conflict listed; different windows refused); function: is a name, or REGION/NAME or
ACCOUNT/REGION/NAME when several accounts or regions have a function of that name.

  checks:
    - name: checkout-api
      scenario: scenarios/checkout.yaml     # or dataset: FILE [function: NAME] / estimate: {...}
      thresholds:
        monthly_cost_usd: ["< 250"]
        cold_start_rate: ["< 0.01"]
        latency_p99_ms: ["< 800"]
        throttles: ["== 0"]
        monthly_cost_increase_pct: ["< 10"]  # needs --baseline
    - name: lambda change
      terraform: plan.json                  # terraform show -json plan.tfplan > plan.json
      usage: infracost-usage.yml            # or template: FILE [base_template: FILE] [parameters: {K: V}]
      thresholds:
        monthly_cost_increase_pct: ["< 10"]  # head vs the plan's own base: no --baseline

Metrics: monthly_cost_usd, cost_per_million_usd, cold_start_rate, throttles, throttle_rate,
latency_p50_ms, latency_p90_ms, latency_p99_ms, peak_concurrency, and each one's change in
percent against --baseline (a previous 'check -o json'), named without the _usd/_ms unit:
monthly_cost_increase_pct, latency_p99_increase_pct, throttles_increase_pct, ...
Rates are fractions (0.01 = 1%).
A threshold that cannot be evaluated (an unknown metric, an increase without a baseline, a metric
the source does not provide) is an error, never a pass.

-o markdown writes a pull-request comment (or $GITHUB_STEP_SUMMARY): failing thresholds first
with their values, then the diff against the baseline. -o json is stable and is the next
--baseline.

Exit codes: 0 all thresholds hold · 1 a threshold failed · 2 bad config (file:line).`,
		Example: `  lambdacost check --config examples/lambdacost.yaml
  lambdacost check --config examples/lambdacost.yaml -o json > lambdacost-base.json
  lambdacost check --config examples/lambdacost.yaml --baseline lambdacost-base.json -o markdown
  lambdacost check --config examples/lambdacost-terraform.yaml -o markdown   # exit 1`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.changed = cmd.Flags().Changed
			o.Ctx = cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return checkRun(o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Config, "config", check.DefaultConfig, "the `FILE` with the checks to run (YAML)")
	fs.StringVar(&o.Baseline, "baseline", "", "a `FILE` written by a previous check -o json, to diff against (needed by *_increase_pct)")
	fs.BoolVar(&o.FreeTier, "free-tier", false, "apply the monthly free tier to every bill (or free_tier: true in the config)")
	addBillFlags(fs, &o.Bill)
	_ = cmd.MarkFlagFilename("config", "yaml", "yml")
	_ = cmd.MarkFlagFilename("baseline", "json")
	return cmd
}

func checkRun(o *CheckOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	cfg, err := check.LoadConfig(o.Config)
	if err != nil {
		return err
	}
	bill, err := o.Bill.options(false)
	if err != nil {
		return err
	}
	opt := check.Options{
		Bill:           bill,
		Region:         f.Region,
		RegionOverride: o.changed != nil && o.changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != "",
		FreeTier:       o.FreeTier,
	}
	if o.Baseline != "" {
		b, err := check.ReadBaseline(o.Baseline)
		if err != nil {
			return err
		}
		opt.Baseline, opt.BaselinePath = b, o.Baseline
	}
	if opt.Prices, err = f.Prices(); err != nil {
		return err
	}
	if f.IO.ErrTTY && len(cfg.Checks) > 1 {
		opt.Progress = func(name string, done, n int) {
			fmt.Fprintf(f.IO.ErrOut, "\rchecked %d/%d: %s\x1b[K", done, n, name)
		}
	}
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	r, err := check.Run(ctx, cfg, opt)
	if opt.Progress != nil {
		fmt.Fprint(f.IO.ErrOut, "\r\x1b[K")
	}
	if err != nil {
		return err
	}
	if err := check.Write(f.IO.Out, format, f.Style(), r); err != nil {
		return err
	}
	if !r.Passed {
		return &ExitError{Code: ExitFailed}
	}
	return nil
}
