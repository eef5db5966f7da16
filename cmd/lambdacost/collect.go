package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/smithy-go/logging"
	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/collector"
	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdCollect(f, nil) }) }

// CollectOptions are the parsed flags of `lambdacost collect`.
type CollectOptions struct {
	F *Factory

	// Debug shows the AWS SDK's own error chain (e.g. every credential
	// provider it tried) instead of one line saying what to do.
	Debug bool

	Functions    []string
	All          bool
	Since        string
	Period       string
	Logs         bool
	LogsMode     string
	Out          string
	Concurrency  int
	AllowPartial bool
	Resume       bool
	// The regions, profiles and accounts collected.
	collector.TargetSpec

	ctx     context.Context
	changed func(string) bool
}

// NewCmdCollect builds `collect`. runF replaces the run function in tests.
func NewCmdCollect(f *Factory, runF func(*CollectOptions) error) *cobra.Command {
	o := &CollectOptions{F: f}
	cmd := &cobra.Command{
		Use:   "collect (--function NAME... | --all)",
		Short: "Pull Lambda metrics and configuration from CloudWatch into a dataset",
		Long: `Pulls AWS/Lambda metrics (Invocations, Duration average/p50/p90/p99/max, Errors, Throttles,
ConcurrentExecutions; provisioned-concurrency invocations where provisioned) and, where Lambda
Insights is enabled, memory and INIT metrics, with each function's configuration (memory,
architecture, timeout, ephemeral storage, provisioned concurrency), into a dataset.

Credentials and region come from the standard AWS chain (environment, profiles, SSO); the
standard endpoint variables (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_CLOUDWATCH, _LAMBDA,
_CLOUDWATCH_LOGS) are honoured. Queries are packed into as few GetMetricData calls as the API's
limits allow (500 queries, 100,800 datapoints per call), at the finest period CloudWatch keeps
for data as old as the window's start (1m up to 15 days, 5m up to 63 days, 1h up to 455 days, less
an hour for the collection's own time: GetMetricData returns nothing at a finer period, which
would read as no invocations; --resume refuses a checkpoint whose window has since aged past it).

--logs also reads the REPORT lines from CloudWatch Logs for cold starts, INIT durations, memory
used and the exact billed duration. By default (--logs-mode insights) CloudWatch Logs Insights
computes the statistics server-side (per function and hour; billed per GB scanned, printed);
--logs-mode events reads every record with FilterLogEvents (exact, slow, capped per function). Partial failures are listed on stderr and in the dataset's
"problems"; what arrived is kept. A value that was not collected (its calls kept failing,
or CloudWatch marked it PartialData) is written as null, never 0, and listed in the function's
"missing"; collect then exits 3 after writing the dataset, unless --allow-partial is given
(exit 0, still listing what is missing). The --out-file path is checked before the collection
starts, and the file is written atomically (a temporary file in the same folder, renamed).

With --out-file, each GetMetricData call's results are kept in FILE.checkpoint as the call completes;
a collection that was interrupted (Ctrl-C, network loss) or whose calls kept failing continues
with --resume: same functions, the checkpoint's window, and only the calls that did not complete
are made (function listing and detection are not repeated; --logs is read again). The checkpoint
is removed once every call succeeded.

--organization lists the accounts of the AWS organization (Organizations ListAccounts, with the
management account's or a delegated administrator's credentials), assumes --role-name
(OrganizationAccountAccessRole by default, the role AWS creates in the accounts it creates) in
each active account with STS AssumeRole (--external-id if the role needs one), collects each
(in every --regions region) and merges them into one dataset keyed by account. The caller's own
account is collected with its own credentials; suspended or closed accounts are left out and
listed. An account whose role cannot be assumed, or whose collection fails, is reported on stderr
by id and name and in the dataset's problems, and the other accounts are kept: the dataset is
written, then collect exits 3 naming the accounts missing, or 0 with --allow-partial.`,
		Example: `  lambdacost collect --function checkout-api --since 14d --out-file checkout.json    # needs AWS credentials (exit 3 without)
  lambdacost collect --all --since 30d --region eu-west-1 -o json > dataset.json  # needs AWS credentials (exit 3 without)
  AWS_PROFILE=prod lambdacost collect --all --logs --since 2d                     # needs AWS credentials (exit 3 without)
  lambdacost collect --all --organization --regions us-east-1,eu-west-1 --out-file org.json  # needs AWS credentials (exit 3 without)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ctx = cmd.Context()
			o.changed = cmd.Flags().Changed
			if runF != nil {
				return runF(o)
			}
			return collectRun(o)
		},
	}
	fs := cmd.Flags()
	namesFlag(fs, &o.Functions, "function", "function name", "functions to collect, by name or ARN (not a version or alias: the metrics are the whole function's)")
	fs.BoolVar(&o.All, "all", false, "every function in the region")
	fs.StringVar(&o.Since, "since", "14d", "how far back: days (14d) or a Go duration (36h)")
	fs.StringVar(&o.Period, "period", "auto", "datapoint period (1m, 5m, 1h); auto = the finest CloudWatch keeps for --since")
	fs.BoolVar(&o.Logs, "logs", false, "also read REPORT lines from CloudWatch Logs (cold starts, INIT, memory, exact billing)")
	fs.StringVar(&o.LogsMode, "logs-mode", collector.LogsInsights, "how --logs reads them: insights (statistics computed by CloudWatch Logs Insights, billed per GB scanned) or events (every record through FilterLogEvents; exact, slow, capped)")
	outFileFlag(f, cmd, &o.Out, "write the dataset (JSON, without the -o json envelope) to `FILE`")
	fs.IntVar(&o.Concurrency, "concurrency", 4, "API calls in flight at once")
	fs.BoolVar(&o.Debug, "debug", false, "show the AWS SDK's full error chain (e.g. every credential source tried)")
	fs.BoolVar(&o.Resume, "resume", false, "continue the interrupted or partly failed collection kept next to --out-file (FILE.checkpoint), fetching only what did not arrive")
	fs.BoolVar(&o.AllowPartial, "allow-partial", false, "exit 0 when some values could not be collected (they are null in the dataset and listed on stderr)")
	namesFlag(fs, &o.Regions, "regions", "region", "collect these regions in parallel and merge them; each function records its region")
	fs.BoolVar(&o.AllRegions, "all-regions", false, "collect every commercial region where Lambda runs (regions that refuse are reported)")
	namesFlag(fs, &o.Profiles, "profile", "profile", "AWS profiles, one account each, collected and merged")
	fs.StringVar(&o.RoleARN, "role-arn", "", "IAM role to assume (STS AssumeRole) in each of --accounts: an ARN, whose account part is replaced, or a role name")
	namesFlag(fs, &o.Accounts, "accounts", "account id", "account ids to assume --role-arn in")
	fs.StringVar(&o.ExternalID, "external-id", "", "external id for --role-arn or --role-name (never written anywhere)")
	fs.BoolVar(&o.Organization, "organization", false, "collect every active account of the AWS organization (Organizations ListAccounts), through --role-name, and merge them")
	fs.StringVar(&o.RoleName, "role-name", collector.DefaultOrgRole, "with --organization: the role to assume in each account (a name, or an ARN whose account part is replaced)")
	return cmd
}

func collectRun(o *CollectOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	var errs []error
	since, err := collector.ParseSince(o.Since)
	if err != nil {
		errs = append(errs, pricing.Inputf("--since", "%v", err))
	}
	var period time.Duration
	if o.Period != "auto" && o.Period != "" {
		p, err := time.ParseDuration(o.Period)
		if err != nil {
			errs = append(errs, pricing.Inputf("--period", "invalid duration %q (use 1m, 5m or 1h, or auto)", o.Period))
		}
		period = p
	}
	if o.LogsMode != collector.LogsInsights && o.LogsMode != collector.LogsEvents {
		errs = append(errs, pricing.Inputf("--logs-mode", "must be insights or events, not %q", o.LogsMode))
	}
	if o.AllRegions && len(o.Regions) > 0 {
		errs = append(errs, pricing.Inputf("--all-regions", "cannot be combined with --regions"))
	}
	if (o.RoleARN == "") != (len(o.Accounts) == 0) {
		errs = append(errs, pricing.Inputf("--role-arn", "--role-arn and --accounts go together"))
	}
	if o.RoleARN != "" && len(o.Profiles) > 1 {
		errs = append(errs, pricing.Inputf("--profile", "with --role-arn, give at most one --profile (the credentials that assume the role)"))
	}
	if o.Organization && (o.RoleARN != "" || len(o.Accounts) > 0 || len(o.Profiles) > 1) {
		errs = append(errs, pricing.Inputf("--organization", "lists the accounts itself: it cannot be combined with --role-arn, --accounts or several --profile"))
	}
	if !o.Organization && o.changed("role-name") {
		errs = append(errs, pricing.Inputf("--role-name", "only applies with --organization (use --role-arn with --accounts)"))
	}
	for _, a := range o.Accounts {
		if len(a) != 12 || strings.Trim(a, "0123456789") != "" {
			errs = append(errs, pricing.Inputf("--accounts", "%q is not a 12-digit account id", a))
		}
	}
	if o.Concurrency < 1 || o.Concurrency > 32 {
		errs = append(errs, pricing.Inputf("--concurrency", "must be between 1 and 32"))
	}
	var names []string
	for _, n := range o.Functions {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	if err := pricing.Errors(errs); err != nil {
		return err
	}
	// A path we cannot write is found now, not after a long collection.
	if o.Out != "" {
		if err := outfile.Check("--out-file", o.Out); err != nil {
			return err
		}
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}

	// The standard chain decides the region unless it was given to us.
	// The SDK's own log lines (e.g. "falling back to IMDSv1") are not ours to
	// print: failures reach the user as one error line.
	loadOpts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if o.changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != "" {
		loadOpts = append(loadOpts, config.WithRegion(f.Region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, loadOpts...)
	if err != nil {
		return &pricing.ExternalError{Op: "load AWS configuration", Err: err}
	}
	if cfg.Region == "" {
		cfg.Region = f.Region
	}
	multi := len(o.Regions) > 0 || o.AllRegions || len(o.Profiles) > 0 || o.RoleARN != "" || o.Organization
	if multi {
		return collectTargets(ctx, o, cfg, loadOpts, names, since, period, format)
	}
	c := collector.New(cfg)
	c.Concurrency = o.Concurrency
	var bar *collectProgress
	if f.IO.ErrTTY {
		bar = &collectProgress{w: f.IO.ErrOut, start: time.Now()}
		c.Progress = bar.update
	}
	co := o.collectOptions(names, since, period)
	if o.Out != "" {
		co.Checkpoint = o.Out + ".checkpoint"
		if _, err := os.Stat(co.Checkpoint); err == nil && !o.Resume {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: warning: starting over; the checkpoint %s of an earlier collection is replaced (--resume continues it)\n", co.Checkpoint)
		}
	}
	if o.Resume && (o.changed("since") || o.changed("period")) {
		return pricing.Inputf("--resume", "continues the checkpoint's window; --since and --period cannot change it")
	}
	d, st, err := c.Collect(ctx, co)
	bar.finish() // cleared before anything else is printed
	if err != nil && errors.Is(err, context.Canceled) && co.Checkpoint != "" {
		return fmt.Errorf("interrupted: what arrived is kept in %s; run the same command with --resume to continue: %w", co.Checkpoint, err)
	}
	if err != nil {
		var xe *pricing.ExternalError
		if errors.As(err, &xe) && strings.Contains(xe.Error(), "get credentials") {
			// Like the AWS CLI's "Unable to locate credentials": what to
			// do first, in one line; the SDK's chain with --debug.
			msg := "unable to locate AWS credentials: set AWS_PROFILE (after `aws sso login` or `aws configure`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; collect needs read-only access (cloudwatch:GetMetricData, lambda:List*/Get*, logs:StartQuery/GetQueryResults/FilterLogEvents); --debug shows every source the SDK tried"
			if o.Debug {
				return &pricing.ExternalError{Op: xe.Op, Err: fmt.Errorf("%s: %w", msg, xe.Err)}
			}
			return &pricing.ExternalError{Op: "collect", Err: errors.New(msg)}
		}
		if _, serr := os.Stat(co.Checkpoint); errors.As(err, &xe) && co.Checkpoint != "" && serr == nil {
			return &pricing.ExternalError{Op: xe.Op, Err: fmt.Errorf("%w (the functions found are kept in %s: run the same command with --resume to retry without listing them again)", xe.Err, co.Checkpoint)}
		}
		return err
	}
	writeProblems(f, d.Problems)
	fmt.Fprintf(f.IO.ErrOut, "lambdacost: %d functions, %d queries in %d GetMetricData calls (minimum %d), %d datapoints, period %s\n",
		len(d.Functions), st.Queries, st.GetMetricDataCalls, st.MinCalls, st.Datapoints, st.Window.Period)
	if st.Throttles > 0 {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: CloudWatch throttled %d GetMetricData calls past the SDK's retries; the collection slowed down and made them again\n", st.Throttles)
	}
	if o.Logs && o.LogsMode == collector.LogsInsights {
		in := st.Insights
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: Logs Insights: %d queries scanned %.0f bytes (%.0f records, %.0f REPORT records matched): about $%.4f at $%.3f per GB scanned (us-east-1 list price, aws.amazon.com/cloudwatch/pricing; GB = 2^30 bytes)\n",
			in.Queries, in.BytesScanned, in.RecordsScanned, in.RecordsMatched, in.CostUSD(), collector.InsightsPricePerGB)
	}
	incomplete := 0
	for _, fn := range d.Functions {
		if fn.Incomplete() {
			incomplete++
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: incomplete: %s: not collected: %s\n", fn.Name, strings.Join(fn.Missing, ", "))
		}
	}
	if err := writeDataset(f, format, o.Out, d); err != nil {
		return err
	}
	if incomplete == 0 {
		return nil
	}
	where := "the dataset"
	if o.Out != "" {
		where = o.Out
	}
	msg := fmt.Sprintf("%d of %d functions are incomplete: %s keeps what arrived, with the values not collected as null", incomplete, len(d.Functions), where)
	if o.AllowPartial {
		if st.Failed > 0 && co.Checkpoint != "" {
			msg += fmt.Sprintf("; --resume fetches the %d calls that failed (kept in %s)", st.Failed, co.Checkpoint)
		}
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: warning: %s (--allow-partial)\n", msg)
		return nil
	}
	again := "run again"
	if st.Failed > 0 && co.Checkpoint != "" {
		again = fmt.Sprintf("run the same command with --resume to fetch only the %d calls that failed (kept in %s)", st.Failed, co.Checkpoint)
	}
	return &pricing.ExternalError{Op: "collect", Err: fmt.Errorf("%s; %s, or pass --allow-partial to accept a partial dataset", msg, again)}
}

// collectOptions is what each collection collects: the functions, the
// window and the logs.
func (o *CollectOptions) collectOptions(names []string, since, period time.Duration) collector.CollectOptions {
	return collector.CollectOptions{Functions: names, All: o.All, Since: since, Period: period, Logs: o.Logs, LogsMode: o.LogsMode, Resume: o.Resume}
}

// collectProgress draws the metrics phase on a terminal: calls,
// datapoints and the estimated time left, at most 5 times a second.
type collectProgress struct {
	w     io.Writer
	start time.Time
	last  time.Time
	drawn bool
}

func (p *collectProgress) update(pr collector.Progress) {
	if pr.Phase != "metrics" || pr.Total <= 0 {
		return
	}
	now := time.Now()
	if now.Sub(p.last) < 200*time.Millisecond && pr.Done < pr.Total {
		return
	}
	p.last = now
	fmt.Fprintf(p.w, "\rGetMetricData: %d/%d calls, %s/%s datapoints, %s elapsed, ETA %s   ",
		pr.Done, pr.Total, siCount(pr.Points), siCount(pr.PointsTotal), now.Sub(p.start).Round(time.Second), pr.ETA.Round(time.Second))
	p.drawn = true
}

func (p *collectProgress) finish() {
	if p != nil && p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 100))
	}
}

func siCount(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.2fG", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}

// collectTargets collects several regions, profiles or accounts and
// merges them (collector.CollectTargets).
func collectTargets(ctx context.Context, o *CollectOptions, cfg aws.Config, loadOpts []func(*config.LoadOptions) error, names []string, since, period time.Duration, format reports.Format) error {
	f := o.F
	targets, org, err := collector.PlanTargets(ctx, cfg, o.TargetSpec, func(ctx context.Context, p string) (aws.Config, error) {
		return config.LoadDefaultConfig(ctx, append(loadOpts, config.WithSharedConfigProfile(p))...)
	})
	if err != nil {
		return err
	}
	if org != nil {
		for _, a := range org.Skipped {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s: left out: the account is %s\n", a.Label(), a.State)
		}
	}
	co := o.collectOptions(names, since, period)
	if o.Out != "" {
		co.Checkpoint = o.Out + ".checkpoint"
	}
	d, res, err := collector.CollectTargets(ctx, targets, co, func(c *collector.Collector) { c.Concurrency = o.Concurrency })
	for _, r := range res {
		where := org.TargetName(r)
		if r.Err != nil {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s: not collected: %v\n", where, r.Err)
			continue
		}
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s: %d GetMetricData calls, %d datapoints\n", where, r.Stats.GetMetricDataCalls, r.Stats.Datapoints)
	}
	if err != nil {
		return err
	}
	if org != nil {
		d.Assumptions.Add(org.Assumption)
	}
	writeProblems(f, d.Problems)
	incomplete := 0
	for _, fn := range d.Functions {
		if fn.Incomplete() {
			incomplete++
		}
	}
	if err := writeDataset(f, format, o.Out, d); err != nil {
		return err
	}
	if failed := collector.FailedTargets(res, org.AccountsByID()); org != nil && len(failed) > 0 {
		msg := fmt.Sprintf("%d of %d accounts × regions not collected (%s); the dataset keeps the others", len(failed), len(res), strings.Join(failed, "; "))
		if !o.AllowPartial {
			return &pricing.ExternalError{Op: "collect --organization", Err: fmt.Errorf("%s; fix their role or pass --allow-partial to accept the dataset", msg)}
		}
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: warning: %s (--allow-partial)\n", msg)
	}
	if incomplete > 0 && !o.AllowPartial {
		return &pricing.ExternalError{Op: "collect", Err: fmt.Errorf("%d of %d functions are incomplete (null in the dataset); run again, or pass --allow-partial", incomplete, len(d.Functions))}
	}
	return nil
}
