package collector

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/lambdacost/lambdacost/pricing"
)

// CloudWatchAPI is the part of the CloudWatch client the collector uses
// (*cloudwatch.Client satisfies it).
type CloudWatchAPI interface {
	GetMetricData(context.Context, *cloudwatch.GetMetricDataInput, ...func(*cloudwatch.Options)) (*cloudwatch.GetMetricDataOutput, error)
	ListMetrics(context.Context, *cloudwatch.ListMetricsInput, ...func(*cloudwatch.Options)) (*cloudwatch.ListMetricsOutput, error)
}

// LambdaAPI is the part of the Lambda client the collector uses.
type LambdaAPI interface {
	ListFunctions(context.Context, *lambda.ListFunctionsInput, ...func(*lambda.Options)) (*lambda.ListFunctionsOutput, error)
	GetFunctionConfiguration(context.Context, *lambda.GetFunctionConfigurationInput, ...func(*lambda.Options)) (*lambda.GetFunctionConfigurationOutput, error)
	ListProvisionedConcurrencyConfigs(context.Context, *lambda.ListProvisionedConcurrencyConfigsInput, ...func(*lambda.Options)) (*lambda.ListProvisionedConcurrencyConfigsOutput, error)
}

// LogsAPI is the part of the CloudWatch Logs client the collector uses.
type LogsAPI interface {
	FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
	InsightsAPI
}

// Collector pulls function configuration from Lambda, metrics from
// CloudWatch and, optionally, REPORT lines from CloudWatch Logs.
type Collector struct {
	CloudWatch CloudWatchAPI
	Lambda     LambdaAPI
	Logs       LogsAPI
	Region     string
	// Account is the AWS account id the clients reach, recorded with each
	// function ("" when not known).
	Account string
	// Concurrency is how many API calls run at once (default 4).
	Concurrency int
	// RatePerSecond, when > 0, caps GetMetricData calls per second below
	// Quota's; < 0 means no pacing at all (tests).
	RatePerSecond float64
	// Quota paces GetMetricData by calls and datapoints per second (zero
	// fields: AWS's quotas, GetMetricDataTPS and GetMetricDataDPS, or
	// GetMetricDataDPSRecent for a window starting within 3 hours).
	// Throttling halves the pace and the call is made again (see pacer).
	Quota MetricQuota
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Progress, when set, is called after every API call.
	Progress func(Progress)
	// InsightsConcurrency is how many Logs Insights queries run at once
	// (default 10, at most InsightsMaxQueries: the account's 30 are shared
	// with dashboards and other users). InsightsPoll is the interval between
	// GetQueryResults polls (default 1 s; < 0 means none, for tests).
	InsightsConcurrency int
	InsightsPoll        time.Duration

	calls atomic.Int64
}

// New returns a collector using the SDK clients built from cfg (the
// standard credential chain and region; AWS_ENDPOINT_URL_CLOUDWATCH,
// AWS_ENDPOINT_URL_LAMBDA and AWS_ENDPOINT_URL_CLOUDWATCH_LOGS are honoured
// by the SDK). Throttled calls are retried up to 8 attempts; a response
// body cut short is retried too (CheckedHTTPClient).
func New(cfg aws.Config) *Collector {
	return &Collector{
		CloudWatch: cloudwatch.NewFromConfig(cfg, func(o *cloudwatch.Options) {
			if o.RetryMaxAttempts == 0 {
				o.RetryMaxAttempts = 8
			}
			o.HTTPClient = CheckedHTTPClient(o.HTTPClient)
		}),
		Lambda: lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.HTTPClient = CheckedHTTPClient(o.HTTPClient) }),
		Logs:   cloudwatchlogs.NewFromConfig(cfg, func(o *cloudwatchlogs.Options) { o.HTTPClient = CheckedHTTPClient(o.HTTPClient) }),
		Region: cfg.Region,
	}
}

// CollectOptions say what to collect.
type CollectOptions struct {
	Functions []string      // names (or ARNs) to collect
	All       bool          // discover every function in the region
	Since     time.Duration // how far back (default 14 days)
	Period    time.Duration // 0 = the finest CloudWatch keeps for Since
	Logs      bool          // also read REPORT lines from CloudWatch Logs
	// LogsMode is how --logs reads them: LogsInsights (the default:
	// statistics computed by CloudWatch Logs Insights) or LogsEvents (every
	// record through FilterLogEvents; exact but slow, capped at
	// MaxLogEventsPerFunction records per function).
	LogsMode string
	// Checkpoint, when set, is a file where the collection keeps each
	// GetMetricData call's results as it completes (see checkpoint.go);
	// it is removed when every call succeeded, and kept otherwise.
	Checkpoint string
	// Resume continues the collection kept in Checkpoint: its window and
	// functions, fetching only the calls that did not complete.
	Resume bool
}

// The ways --logs reads the logs (CollectOptions.LogsMode).
const (
	LogsInsights = "insights"
	LogsEvents   = "events"
)

// CollectStats counts the API calls made (operations; the SDK's retries
// of an operation are not counted separately).
type CollectStats struct {
	GetMetricDataCalls int `json:"get_metric_data_calls"`
	ListMetricsCalls   int `json:"list_metrics_calls"`
	LambdaCalls        int `json:"lambda_calls"`
	LogsCalls          int `json:"logs_calls"`
	Queries            int `json:"queries"`
	Batches            int `json:"batches"`
	MinCalls           int `json:"min_calls"` // theoretical minimum of GetMetricData calls
	Datapoints         int `json:"datapoints"`
	// Resumed counts the calls whose results came from the checkpoint;
	// Failed the calls that failed for good (kept for a resume).
	Resumed int `json:"resumed"`
	Failed  int `json:"failed"`
	// Throttles counts GetMetricData calls CloudWatch throttled past the
	// SDK's retries (each halved the pace and was made again).
	Throttles int `json:"throttles"`
	// LogReports counts the REPORT records read with --logs.
	LogReports int64 `json:"log_reports"`
	// Insights is what the Logs Insights queries did (LogsInsights mode).
	Insights InsightsStats `json:"insights"`
	// Window is the collected time range and base period.
	Window Window `json:"-"`
}

// Collect gathers a dataset. Partial failures (a batch that kept failing,
// a result with PartialData or an error status, a log group that could not
// be read) are listed in the dataset's Problems, and what arrived is kept.
// It returns an *pricing.ExternalError when nothing could be collected,
// and an *pricing.InputError for bad options or unknown functions.
func (c *Collector) Collect(ctx context.Context, o CollectOptions) (*pricing.Dataset, CollectStats, error) {
	var st CollectStats
	c.calls.Store(0)
	switch o.LogsMode {
	case "":
		o.LogsMode = LogsInsights
	case LogsInsights, LogsEvents:
	default:
		return nil, st, pricing.Inputf("--logs-mode", "must be %s or %s, not %q", LogsInsights, LogsEvents, o.LogsMode)
	}
	if !o.All && len(o.Functions) == 0 {
		return nil, st, pricing.Inputf("--function", "give --function NAME (repeatable) or --all")
	}
	if o.All && len(o.Functions) > 0 {
		return nil, st, pricing.Inputf("--all", "cannot be combined with --function")
	}
	if o.Since == 0 {
		o.Since = 14 * 24 * time.Hour
	}
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	var (
		w     Window
		fns   []FunctionInfo
		probs []string
		cp    *checkpoint
		err   error
	)
	if o.Resume {
		// The checkpoint's window and functions, not fetched again.
		if o.Checkpoint == "" {
			return nil, st, pricing.Inputf("--resume", "needs the checkpoint of an earlier collection (give the same --out-file)")
		}
		var h checkpointHeader
		if cp, h, err = openCheckpoint(o.Checkpoint, o); err != nil {
			return nil, st, err
		}
		defer func() { cp.finish(false) }() // finish(true) below removes it when complete
		w = Window{Start: h.Start, End: h.End, Period: time.Duration(h.PeriodS) * time.Second}
		if err := CheckRetention(now(), w); err != nil {
			return nil, st, err
		}
		switch {
		case c.Region == "":
			c.Region = h.Region
		case h.Region != "" && h.Region != c.Region:
			return nil, st, pricing.Inputf("--resume", "the checkpoint %s is of region %s, not %s; resume it in the same region", o.Checkpoint, h.Region, c.Region)
		}
		for _, in := range h.Infos {
			fns = append(fns, FunctionInfo{Config: in.Config, Insights: in.Insights, Provisioned: in.Provisioned, LogGroup: in.LogGroup})
		}
		probs = h.Problems
	} else {
		if w, err = ChooseWindow(now(), o.Since, o.Period); err != nil {
			return nil, st, err
		}
		// Functions and what they have enabled.
		if fns, probs, err = c.functions(ctx, o, &st); err != nil {
			return nil, st, err
		}
	}
	st.Window = w
	qs := PlanQueries(fns)
	batches := Pack(qs, w)
	st.Queries, st.Batches, st.MinCalls = len(qs), len(batches), MinCalls(qs, w)
	if o.Checkpoint != "" && !o.Resume {
		h := checkpointHeader{All: o.All, Region: c.Region, Start: w.Start, End: w.End, PeriodS: int(w.Period / time.Second), Problems: probs, Batches: len(batches)}
		h.Functions = append(h.Functions, o.Functions...)
		sort.Strings(h.Functions)
		h.Functions = slices.Compact(h.Functions)
		for _, f := range fns {
			h.Infos = append(h.Infos, cpInfo{Config: f.Config, Insights: f.Insights, Provisioned: f.Provisioned, LogGroup: f.LogGroup})
		}
		if cp, err = createCheckpoint(o.Checkpoint, h); err != nil {
			return nil, st, err
		}
		defer func() { cp.finish(false) }()
	}

	ms := newMetricSet()
	ms.start, ms.end, ms.period = w.Start, w.End, int64(w.Period/time.Second)
	for _, f := range fns {
		ms.configs[f.Config.Name] = f.Config
		ms.ensure(f.Config.Name) // every function appears, even without data
	}
	ms.problems = append(ms.problems, probs...)
	failed, err := c.fetch(ctx, batches, w, ms, &st, cp)
	st.Failed = failed
	if err != nil {
		return nil, st, err
	}
	if cp != nil && failed == 0 {
		if err := cp.finish(true); err != nil {
			ms.problems = append(ms.problems, err.Error())
		}
	}
	if len(batches) > 0 && failed == len(batches) {
		return nil, st, &pricing.ExternalError{Op: "cloudwatch GetMetricData", Err: errors.New(strings.Join(ms.problems, "; "))}
	}
	d := ms.dataset(c.Region)
	for i := range d.Functions {
		d.Functions[i].Region = c.Region
		d.Functions[i].Account = c.Account
	}
	for i := range d.AccountConcurrency {
		d.AccountConcurrency[i].Account = c.Account
	}
	// CloudWatch has no datapoint for a period without invocations (Lambda
	// publishes Invocations only when there were some): such a period is
	// read as none. The window is within the retention of its period
	// (ChooseWindow, CheckRetention), so an absent datapoint is not data
	// CloudWatch has aged out.
	d.Assumptions.Add(pricing.Assumption{Field: "series.invocations", Value: "0 where CloudWatch has no datapoint",
		Why: fmt.Sprintf("AWS/Lambda publishes Invocations, Errors and Throttles only for periods in which there were some: a %s period without a datapoint is read as none; the window starts within the %s retention of %s data, so no datapoint is missing for age, and a query that failed or came back PartialData is listed in the function's missing, not read as 0", w.Period, retentionOf(w.Period), w.Period)})
	withInsights := 0
	insights := map[string]bool{}
	for _, f := range fns {
		if f.Insights {
			withInsights++
			insights[f.Config.Name] = true
		}
	}
	// Without Lambda Insights, only the function's REPORT records (--logs,
	// below: mergeLogs, mergeInsights) measure them: null, not 0.
	for i := range d.Functions {
		if f := &d.Functions[i]; !insights[f.Name] {
			for _, p := range logMeasured {
				f.MarkNotMeasured(p)
			}
		}
	}
	if !o.Logs && len(fns) > 0 {
		// The metrics carry no memory size: the configuration read now is
		// applied to the whole window.
		d.Assumptions.Add(pricing.Assumption{Field: "functions.memory_mb", Value: "each function's configuration at collection, for the whole window",
			Why: "CloudWatch's AWS/Lambda metrics do not carry the memory size or architecture, and the FunctionName dimension sums every version and alias: GB-s are the window's durations × the memory configured now (of $LATEST), so a change within the window, or published versions of another size still serving traffic, is billed at today's size; collect --logs reads each invocation's Memory Size from its REPORT line"})
	}
	if !o.Logs {
		why := "CloudWatch's AWS/Lambda metrics have no INIT duration and no cold-start count (Duration excludes INIT): "
		switch {
		case withInsights == len(fns):
			why += "every function has Lambda Insights, whose init_duration gives them"
		case withInsights > 0:
			why += fmt.Sprintf("%d of %d functions have Lambda Insights, whose init_duration gives them; for the others they are not measured (null, listed in each function's not_measured), so their INIT is not in the bill: collect --logs measures them", withInsights, len(fns))
		default:
			why += "they are not measured (null, listed in each function's not_measured), so INIT is not in the bill; collect --logs measures them"
		}
		d.Assumptions.Add(pricing.Assumption{Field: "summary.cold_starts", Value: "from Lambda Insights or not measured", Why: why})
	}
	switch {
	case o.Logs && o.LogsMode == LogsEvents:
		c.collectLogs(ctx, fns, w, d, &st)
	case o.Logs:
		c.collectInsights(ctx, fns, w, d, &st)
	}
	st.GetMetricDataCalls = int(c.calls.Load())
	return d, st, nil
}

// logMeasured are the summary values CloudWatch's AWS/Lambda metrics do
// not have: Lambda Insights or the function's REPORT records measure them.
var logMeasured = []string{"summary.cold_starts", "summary.init_duration_ms", "summary.max_memory_used_mb"}

// functions resolves the functions to collect with their configuration.
func (c *Collector) functions(ctx context.Context, o CollectOptions, st *CollectStats) ([]FunctionInfo, []string, error) {
	var fns []FunctionInfo
	var problems []string
	if o.All {
		var marker *string
		for {
			out, err := c.Lambda.ListFunctions(ctx, &lambda.ListFunctionsInput{Marker: marker, MaxItems: aws.Int32(50)})
			st.LambdaCalls++
			if err != nil {
				return nil, nil, &pricing.ExternalError{Op: "lambda ListFunctions", Err: err}
			}
			for _, f := range out.Functions {
				fns = append(fns, functionInfo(f))
			}
			c.progress("functions", int64(len(fns)), 0)
			if out.NextMarker == nil || *out.NextMarker == "" {
				break
			}
			marker = out.NextMarker
		}
	} else {
		var errs []error
		seen := map[string]bool{}
		for _, name := range o.Functions {
			if seen[name] {
				continue
			}
			seen[name] = true
			fn, qualifier, region := splitFunctionRef(name)
			if qualifier != "" {
				// CloudWatch's FunctionName dimension sums every version
				// and alias; the configuration would be the qualifier's.
				errs = append(errs, pricing.Inputf("--function", "%q names a version or alias (%s): collect reads a function's metrics over all its versions and aliases (CloudWatch's FunctionName dimension), so give the function, %q", name, qualifier, fn))
				continue
			}
			if region != "" && c.Region != "" && region != c.Region {
				errs = append(errs, pricing.Inputf("--function", "%q is a function of region %s, but the collection is of %s: give --region %s (or --regions)", name, region, c.Region, region))
				continue
			}
			out, err := c.Lambda.GetFunctionConfiguration(ctx, &lambda.GetFunctionConfigurationInput{FunctionName: aws.String(name)})
			st.LambdaCalls++
			var nf *lambdatypes.ResourceNotFoundException
			switch {
			case errors.As(err, &nf):
				errs = append(errs, pricing.Inputf("--function", "function %q not found in region %s", name, c.Region))
				continue
			case err != nil:
				return nil, nil, &pricing.ExternalError{Op: "lambda GetFunctionConfiguration " + name, Err: err}
			}
			fns = append(fns, functionInfo(lambdatypes.FunctionConfiguration{
				FunctionName: out.FunctionName, MemorySize: out.MemorySize, Architectures: out.Architectures,
				Timeout: out.Timeout, EphemeralStorage: out.EphemeralStorage, Layers: out.Layers, LoggingConfig: out.LoggingConfig,
			}))
		}
		if err := pricing.Errors(errs); err != nil {
			return nil, nil, err
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Config.Name < fns[j].Config.Name })

	// Which functions have provisioned concurrency or Lambda Insights:
	// one ListMetrics listing each instead of a call per function.
	pc, err := c.listMetricFunctions(ctx, nsLambda, mPCExecutions, "FunctionName", st)
	if err != nil {
		problems = append(problems, fmt.Sprintf("cloudwatch ListMetrics %s: %v (provisioned concurrency not detected)", mPCExecutions, err))
	}
	ins, err := c.listMetricFunctions(ctx, nsInsights, mUsedMemoryMax, "function_name", st)
	if err != nil {
		problems = append(problems, fmt.Sprintf("cloudwatch ListMetrics %s: %v (Lambda Insights not detected)", mUsedMemoryMax, err))
	}
	for i := range fns {
		f := &fns[i]
		name := f.Config.Name
		f.Insights = f.Insights || ins[name]
		if !pc[name] {
			continue
		}
		f.Provisioned = true
		var marker *string
		for {
			out, err := c.Lambda.ListProvisionedConcurrencyConfigs(ctx, &lambda.ListProvisionedConcurrencyConfigsInput{FunctionName: aws.String(name), Marker: marker})
			st.LambdaCalls++
			if err != nil {
				problems = append(problems, fmt.Sprintf("lambda ListProvisionedConcurrencyConfigs %s: %v", name, err))
				break
			}
			for _, p := range out.ProvisionedConcurrencyConfigs {
				f.Config.ProvisionedConcurrency += int(aws.ToInt32(p.RequestedProvisionedConcurrentExecutions))
			}
			if out.NextMarker == nil || *out.NextMarker == "" {
				break
			}
			marker = out.NextMarker
		}
	}
	return fns, problems, nil
}

// splitFunctionRef reads the forms Lambda accepts as a function name —
// NAME, NAME:QUALIFIER, ACCOUNT:function:NAME[:QUALIFIER] and
// arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] — into the
// name, the version or alias (if any) and the ARN's region (if any).
// Function names cannot contain ':'.
func splitFunctionRef(ref string) (name, qualifier, region string) {
	parts := strings.Split(ref, ":")
	switch {
	case len(parts) >= 7 && parts[0] == "arn" && parts[5] == "function":
		region, parts = parts[3], parts[6:]
	case len(parts) >= 3 && parts[1] == "function":
		parts = parts[2:]
	}
	name = parts[0]
	if len(parts) > 1 {
		qualifier = strings.Join(parts[1:], ":")
	}
	return name, qualifier, region
}

func functionInfo(f lambdatypes.FunctionConfiguration) FunctionInfo {
	cfg := pricing.FunctionConfig{
		Name:     aws.ToString(f.FunctionName),
		MemoryMB: int(aws.ToInt32(f.MemorySize)),
		Timeout:  pricing.Duration(time.Duration(aws.ToInt32(f.Timeout)) * time.Second),
	}
	cfg.Architecture = pricing.X86_64
	if len(f.Architectures) > 0 && f.Architectures[0] == lambdatypes.ArchitectureArm64 {
		cfg.Architecture = pricing.ARM64
	}
	if f.EphemeralStorage != nil {
		cfg.EphemeralStorageMB = int(aws.ToInt32(f.EphemeralStorage.Size))
	}
	info := FunctionInfo{Config: cfg, LogGroup: "/aws/lambda/" + cfg.Name}
	if f.LoggingConfig != nil && aws.ToString(f.LoggingConfig.LogGroup) != "" {
		info.LogGroup = aws.ToString(f.LoggingConfig.LogGroup)
	}
	for _, l := range f.Layers {
		if strings.Contains(aws.ToString(l.Arn), "LambdaInsightsExtension") {
			info.Insights = true
		}
	}
	return info
}

// listMetricFunctions returns the functions (values of dim) that publish
// metric in namespace.
func (c *Collector) listMetricFunctions(ctx context.Context, namespace, metric, dim string, st *CollectStats) (map[string]bool, error) {
	out := map[string]bool{}
	var token *string
	for {
		res, err := c.CloudWatch.ListMetrics(ctx, &cloudwatch.ListMetricsInput{Namespace: aws.String(namespace), MetricName: aws.String(metric), NextToken: token})
		st.ListMetricsCalls++
		if err != nil {
			return out, err
		}
		for _, m := range res.Metrics {
			for _, d := range m.Dimensions {
				if aws.ToString(d.Name) == dim {
					out[aws.ToString(d.Value)] = true
				}
			}
		}
		if res.NextToken == nil || *res.NextToken == "" {
			return out, nil
		}
		token = res.NextToken
	}
}

// fetch runs the batches concurrently under the rate limit and returns how
// many failed for good.
func (c *Collector) fetch(ctx context.Context, batches [][]MetricQuery, w Window, ms *metricSet, st *CollectStats, cp *checkpoint) (int, error) {
	workers := c.Concurrency
	if workers <= 0 {
		workers = 4
	}
	pace := c.pacer(w)
	var totalPoints, donePoints int64
	for _, b := range batches {
		totalPoints += int64(batchPoints(b, w))
	}
	began := time.Now()
	var (
		mu     sync.Mutex
		failed int
		done   int64
		wg     sync.WaitGroup
		next   atomic.Int64
	)
	// Batches kept in the checkpoint are not fetched again.
	skip := make([]bool, len(batches))
	if cp != nil {
		for i, rec := range cp.done {
			if i >= len(batches) || rec.Key != batchKey(batches[i]) {
				continue
			}
			skip[i] = true
			st.Resumed++
			for _, r := range rec.Results {
				k := metricKey{r.Q.Metric, r.Q.Stat, r.Q.Whole}
				ms.add(r.Q.Function, k, int64(r.Q.period(w)), r.Ts, r.Vals)
				st.Datapoints += len(r.Vals)
				if r.Incomplete {
					ms.markMissing(r.Q.Function, k)
				}
			}
			ms.problems = append(ms.problems, rec.Problems...)
		}
	}
	total := int64(len(batches) - st.Resumed)
	for range min(workers, len(batches)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(batches) || ctx.Err() != nil {
					return
				}
				if skip[i] {
					continue
				}
				res, probs, err := c.fetchBatch(ctx, pace, batches[i], w)
				mu.Lock()
				if cp != nil && err == nil {
					if cerr := cp.record(i, batches[i], res, probs); cerr != nil {
						ms.problems = append(ms.problems, cerr.Error()+" (a resume would fetch this call again)")
					}
				}
				for _, r := range res {
					k := metricKey{r.q.Metric, r.q.Stat, r.q.Whole}
					ms.add(r.q.Function, k, int64(r.q.period(w)), r.ts, r.vals)
					st.Datapoints += len(r.vals)
					if r.incomplete || err != nil {
						ms.markMissing(r.q.Function, k)
					}
				}
				ms.problems = append(ms.problems, probs...)
				if err != nil {
					failed++
					ms.problems = append(ms.problems, fmt.Sprintf("cloudwatch GetMetricData for %s: %v (their values in this call are missing)", batchFunctions(batches[i]), err))
				}
				done++
				donePoints += int64(batchPoints(batches[i], w))
				if c.Progress != nil { // serialised by mu
					p := Progress{Phase: "metrics", Done: done, Total: total, Unit: "calls", Points: donePoints, PointsTotal: totalPoints}
					if donePoints > 0 {
						el := time.Since(began)
						p.ETA = time.Duration(float64(el) * float64(totalPoints-donePoints) / float64(donePoints))
					}
					c.Progress(p)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if pace != nil {
		st.Throttles = pace.throttles
	}
	if err := ctx.Err(); err != nil {
		return failed, err
	}
	sort.Strings(ms.problems)
	return failed, nil
}

func batchFunctions(b []MetricQuery) string {
	var names []string
	seen := map[string]bool{}
	for _, q := range b {
		if !seen[q.Function] {
			seen[q.Function] = true
			name := q.Function
			if name == accountFn {
				name = "(account)"
			}
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

type queryResult struct {
	q    MetricQuery
	ts   []int64
	vals []float64
	// status is the query's StatusCode on the last page that listed it,
	// final whether that page was the last one; failed keeps an error
	// status (InternalError, Forbidden) from any page.
	status cwtypes.StatusCode
	final  bool
	msgs   string
	failed string
	// incomplete: the values did not all arrive (set when the pages end).
	incomplete bool
}

// fetchBatch runs one GetMetricData request and its pages.
func (c *Collector) fetchBatch(ctx context.Context, pace *pacer, b []MetricQuery, w Window) ([]queryResult, []string, error) {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(w.Start), EndTime: aws.Time(w.End),
		ScanBy:        cwtypes.ScanByTimestampAscending,
		MaxDatapoints: aws.Int32(MaxDatapointsPerCall),
	}
	byID := map[string]int{}
	for i, q := range b {
		id := "q" + strconv.Itoa(i)
		byID[id] = i
		in.MetricDataQueries = append(in.MetricDataQueries, cwtypes.MetricDataQuery{
			Id:    aws.String(id),
			Label: aws.String(strings.TrimSpace(q.Function + " " + q.Metric + " " + q.Stat)),
			MetricStat: &cwtypes.MetricStat{
				Metric: &cwtypes.Metric{
					Namespace:  aws.String(q.Namespace),
					MetricName: aws.String(q.Metric),
					Dimensions: q.dimensions(),
				},
				Period: aws.Int32(q.period(w)),
				Stat:   aws.String(q.Stat),
			},
			ReturnData: aws.Bool(true),
		})
	}
	res := make([]queryResult, len(b))
	for i, q := range b {
		res[i].q = q
	}
	var problems []string
	throttled := 0
	for page := 1; ; page++ {
		// The call's datapoints are booked on its first page.
		points := 0
		if page == 1 {
			points = batchPoints(b, w)
		}
		if err := pace.wait(ctx, points); err != nil {
			return res, problems, err
		}
		out, err := c.CloudWatch.GetMetricData(ctx, in)
		c.calls.Add(1)
		if pace != nil && isThrottle(err) && throttled < 10 {
			// Past the SDK's own retries: slow the whole collection down
			// and make the call again.
			throttled++
			pace.done(true)
			page--
			continue
		}
		pace.done(false)
		if err != nil {
			return res, problems, describeAPIError(err)
		}
		for _, m := range out.Messages {
			problems = append(problems, fmt.Sprintf("cloudwatch: %s: %s", aws.ToString(m.Code), aws.ToString(m.Value)))
		}
		for _, r := range out.MetricDataResults {
			i, ok := byID[aws.ToString(r.Id)]
			if !ok {
				problems = append(problems, fmt.Sprintf("cloudwatch returned an unknown query id %q", aws.ToString(r.Id)))
				continue
			}
			for k, t := range r.Timestamps {
				if k < len(r.Values) {
					res[i].ts = append(res[i].ts, t.Unix())
					res[i].vals = append(res[i].vals, r.Values[k])
				}
			}
			last := out.NextToken == nil || *out.NextToken == ""
			res[i].status, res[i].final, res[i].msgs = r.StatusCode, last, messages(r.Messages)
			switch r.StatusCode {
			case cwtypes.StatusCodeComplete, cwtypes.StatusCodePartialData, "":
			default:
				res[i].failed = fmt.Sprintf("status %s%s", r.StatusCode, messages(r.Messages))
			}
		}
		if out.NextToken == nil || *out.NextToken == "" {
			break
		}
		in.NextToken = out.NextToken
	}
	// PartialData on a page followed by a NextToken only says "more on
	// the next pages"; it is a gap only when the last page still says so.
	for i := range res {
		r := &res[i]
		q := r.q
		switch {
		case r.failed != "":
			r.incomplete = true
			problems = append(problems, fmt.Sprintf("%s %s %s: %s", q.Function, q.Metric, q.Stat, r.failed))
		case r.status == cwtypes.StatusCodePartialData && r.final:
			r.incomplete = true
			problems = append(problems, fmt.Sprintf("%s %s %s: partial data%s", q.Function, q.Metric, q.Stat, r.msgs))
		}
	}
	return res, problems, nil
}

func messages(ms []cwtypes.MessageData) string {
	if len(ms) == 0 {
		return ""
	}
	var s []string
	for _, m := range ms {
		s = append(s, aws.ToString(m.Code)+": "+aws.ToString(m.Value))
	}
	return " (" + strings.Join(s, "; ") + ")"
}

func (c *Collector) progress(phase string, done, total int64) {
	if c.Progress != nil {
		c.Progress(Progress{Phase: phase, Done: done, Total: total, Unit: "calls"})
	}
}

// batchPoints is how many datapoints a call of b asks for.
func batchPoints(b []MetricQuery, w Window) int {
	n := 0
	for _, q := range b {
		n += q.points(w)
	}
	return n
}

// pacer returns the GetMetricData pacer for a window (nil: no pacing).
func (c *Collector) pacer(w Window) *pacer {
	if c.RatePerSecond < 0 {
		return nil
	}
	q := c.Quota
	if q.CallsPerSecond <= 0 {
		q.CallsPerSecond = GetMetricDataTPS
	}
	if c.RatePerSecond > 0 {
		q.CallsPerSecond = min(q.CallsPerSecond, c.RatePerSecond)
	}
	if q.PointsPerSecond <= 0 {
		q.PointsPerSecond = GetMetricDataDPS
		now := time.Now
		if c.Now != nil {
			now = c.Now
		}
		if now().Sub(w.Start) <= 3*time.Hour {
			q.PointsPerSecond = GetMetricDataDPSRecent
		}
	}
	return newPacer(q)
}

// limiter spaces calls at least 1/rate apart (no bursts); rate < 0 is
// unlimited.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newLimiter(rate float64) *limiter {
	if rate < 0 {
		return &limiter{}
	}
	return &limiter{interval: time.Duration(float64(time.Second) / rate)}
}

func (l *limiter) wait(ctx context.Context) error {
	if l.interval == 0 {
		return ctx.Err()
	}
	l.mu.Lock()
	now := time.Now()
	at := l.next
	if at.Before(now) {
		at = now
	}
	l.next = at.Add(l.interval)
	l.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return ctx.Err()
}
