package collector

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/lambdacost/lambdacost/pricing"
)

// Logs Insights limits (StartQuery API reference, checked 2026-12): a
// query names up to 50 log groups, returns at most 10,000 rows (limit; the
// default is 1,000), runs for at most 60 minutes, and an account runs up
// to 30 queries at once (dashboards' included).
const (
	InsightsMaxLogGroups = 50
	InsightsMaxRows      = 10_000
	InsightsQueryTimeout = 60 * time.Minute
	InsightsMaxQueries   = 30
)

// InsightsPricePerGB is what CloudWatch Logs Insights bills per GB of log
// data scanned in us-east-1 (Standard log class; "Logs Insights queries:
// $0.005 per GB of data scanned", aws.amazon.com/cloudwatch/pricing).
// The price table has no CloudWatch prices, so this figure is typed in
// and printed with its source.
const InsightsPricePerGB = 0.005

// insightsRowLimit is the row limit the queries ask for and plan by (a
// variable so that tests can make the splitting happen with few rows).
var insightsRowLimit = InsightsMaxRows

// insightsBin is the time bin of the per-function statistics.
const insightsBin = time.Hour

// insightsFields turns Lambda's records (text REPORT lines, whose fields
// Logs Insights discovers: @duration, @billedDuration, @initDuration in ms,
// @memorySize and @maxMemoryUsed in bytes; JSON platform.report records,
// whose keys it flattens) into the same fields. The function comes from
// the log stream name in custom log groups shared by several functions
// (YYYY/MM/DD/<function_name>[<version>]<guid>); default groups' streams
// carry no name, and their group names the function.
const insightsFields = `filter @type = "REPORT" or type = "platform.report" or @message like "Task timed out"
| parse @logStream /^\d{4}\/\d{2}\/\d{2}\/(?<fn>[^\[]+)\[/
| fields coalesce(@billedDuration, record.metrics.billedDurationMs) as billed, coalesce(@duration, record.metrics.durationMs) as dur, coalesce(@initDuration, record.metrics.initDurationMs) as init, coalesce(@maxMemoryUsed / 1000000, record.metrics.maxMemoryUsedMB) as used, coalesce(@memorySize / 1000000, record.metrics.memorySizeMB) as size, strcontains(@message, "Status: timeout") + strcontains(@message, "\"status\":\"timeout\"") as tmo, strcontains(@message, "Status: error") + strcontains(@message, "\"status\":\"error\"") + strcontains(@message, "\"status\":\"failure\"") as err, strcontains(@message, "Task timed out") as tmoline
| fields ceil(init) as initceil, init * 0 + billed - ceil(dur) as initbilled`

// InsightsBinnedQuery computes, per log group, function, memory size and
// hour: invocations, cold starts, sums of billed/handler/INIT ms, the
// largest memory used, timeouts and errors.
const InsightsBinnedQuery = insightsFields + `
| stats count(billed) as n, count(init) as cold, sum(billed) as billed_ms, sum(dur) as dur_ms, sum(init) as init_ms, sum(initceil) as init_ceil_ms, sum(initbilled) as init_billed_ms, max(used) as used_mb, sum(tmo) as timeouts, sum(tmoline) as timeout_lines, sum(err) as errors by @log, fn, size, bin(1h)`

// InsightsPercentileQuery computes the window's percentiles per function
// (percentiles of bins cannot be combined).
const InsightsPercentileQuery = insightsFields + `
| stats pct(dur, 50) as p50, pct(dur, 90) as p90, pct(dur, 99) as p99, max(dur) as dmax, pct(init, 99) as init_p99 by @log, fn`

// InsightsAPI is the part of the CloudWatch Logs client Logs Insights uses.
type InsightsAPI interface {
	StartQuery(context.Context, *cloudwatchlogs.StartQueryInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.StartQueryOutput, error)
	GetQueryResults(context.Context, *cloudwatchlogs.GetQueryResultsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetQueryResultsOutput, error)
	StopQuery(context.Context, *cloudwatchlogs.StopQueryInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.StopQueryOutput, error)
}

// InsightsStats is what the Logs Insights queries did.
type InsightsStats struct {
	Queries        int     `json:"queries"`
	Splits         int     `json:"splits"` // slices split again because a result reached the row limit
	Polls          int     `json:"polls"`
	BytesScanned   float64 `json:"bytes_scanned"`
	RecordsScanned float64 `json:"records_scanned"`
	RecordsMatched float64 `json:"records_matched"`
}

// CostUSD is the queries' cost at InsightsPricePerGB (GB = 2³⁰ bytes).
func (s InsightsStats) CostUSD() float64 { return s.BytesScanned / (1 << 30) * InsightsPricePerGB }

// insAcc is one function's statistics from Logs Insights.
type insAcc struct {
	n, cold, billed, initCeil, tmo, tmoLines, errs int64
	durMs, initMs                                  float64
	usedMB                                         int64
	initUnbilledMs, initUnbilledN                  int64
	byMem                                          map[int64]*pricing.MemoryUsage
	pct                                            *pricing.DurationSet
	initP99                                        float64
	hasPct                                         bool
}

type insJob struct {
	groups     []string
	start, end time.Time // [start, end)
	pct        bool
}

type insightsRun struct {
	c       *Collector
	api     InsightsAPI
	fnsBy   map[string][]string // log group → collected functions in it
	mu      sync.Mutex
	accs    map[string]*insAcc
	st      InsightsStats
	probs   []string
	unnamed map[string]int64
}

// collectInsights runs the Logs Insights queries for fns over w and folds
// their statistics into d.
func (c *Collector) collectInsights(ctx context.Context, fns []FunctionInfo, w Window, d *pricing.Dataset, st *CollectStats) {
	api, ok := c.Logs.(InsightsAPI)
	if !ok {
		d.Problems = append(d.Problems, "logs: the CloudWatch Logs client cannot run Logs Insights queries; no log statistics")
		return
	}
	r := &insightsRun{c: c, api: api, fnsBy: map[string][]string{}, accs: map[string]*insAcc{}, unnamed: map[string]int64{}}
	var groups []string
	for _, f := range fns {
		if len(r.fnsBy[f.LogGroup]) == 0 {
			groups = append(groups, f.LogGroup)
		}
		r.fnsBy[f.LogGroup] = append(r.fnsBy[f.LogGroup], f.Config.Name)
	}
	sort.Strings(groups)
	// Chunks of ≤ 50 groups; slices of the window short enough that a
	// chunk's rows (functions × hours, one memory size each) stay within
	// half the row limit; a result that reaches it is split again.
	var jobs []insJob
	for len(groups) > 0 {
		k, nf := 0, 0
		for k < len(groups) && k < InsightsMaxLogGroups && nf+len(r.fnsBy[groups[k]]) <= insightsRowLimit/2 {
			nf += len(r.fnsBy[groups[k]])
			k++
		}
		k = max(k, 1)
		chunk := groups[:k]
		groups = groups[k:]
		nf = max(nf, 1)
		hours := max(int64(1), int64(insightsRowLimit/2/nf))
		step := time.Duration(hours) * insightsBin
		for s := w.Start; s.Before(w.End); {
			e := s.Truncate(insightsBin).Add(step)
			if e.After(w.End) || !e.After(s) {
				e = w.End
			}
			jobs = append(jobs, insJob{groups: chunk, start: s, end: e})
			s = e
		}
		jobs = append(jobs, insJob{groups: chunk, start: w.Start, end: w.End, pct: true})
	}
	workers := c.InsightsConcurrency
	if workers <= 0 {
		workers = 10
	}
	workers = min(workers, InsightsMaxQueries, len(jobs))
	queue := make(chan insJob, len(jobs))
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range queue {
				// A slice split in halves is run by the same worker.
				stack := []insJob{j}
				for len(stack) > 0 && ctx.Err() == nil {
					j := stack[len(stack)-1]
					stack = append(stack[:len(stack)-1], r.run(ctx, j)...)
				}
			}
		}()
	}
	wg.Wait()

	// Fold into the dataset.
	byName := map[string]int{}
	for i, f := range d.Functions {
		byName[f.Name] = i
	}
	names := make([]string, 0, len(r.accs))
	for n := range r.accs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		i, ok := byName[n]
		if !ok {
			continue
		}
		st.LogReports += r.accs[n].n
		ps := mergeInsights(&d.Functions[i], r.accs[n], &d.Assumptions)
		r.probs = append(r.probs, ps...)
	}
	for g, n := range r.unnamed {
		r.probs = append(r.probs, fmt.Sprintf("logs: %s: %d REPORT records whose log stream names no function, in a group shared by %s: not attributed", g, n, strings.Join(r.fnsBy[g], ", ")))
	}
	sort.Strings(r.probs)
	d.Problems = append(d.Problems, r.probs...)
	st.Insights = r.st
	d.Assumptions.Add(pricing.Assumption{Field: "logs", Value: "CloudWatch Logs Insights",
		Why: fmt.Sprintf("%d queries scanned %s (%.0f records); at $%.3f per GB scanned (us-east-1, aws.amazon.com/cloudwatch/pricing) about $%.4f. Cold starts are REPORTs with Init Duration (SnapStart restores and failed INITs are not counted: --logs-mode events reads them)",
			r.st.Queries, humanBytes(r.st.BytesScanned), r.st.RecordsScanned, InsightsPricePerGB, r.st.CostUSD())})
}

func humanBytes(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.2f GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.1f KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f bytes", b)
}

// run runs one query; it returns the halves of a slice whose result
// reached the row limit or timed out.
func (r *insightsRun) run(ctx context.Context, j insJob) []insJob {
	q := InsightsBinnedQuery
	if j.pct {
		q = InsightsPercentileQuery
	}
	rows, stats, err := r.query(ctx, j, q)
	r.mu.Lock()
	defer r.mu.Unlock()
	if stats != nil {
		r.st.BytesScanned += stats.BytesScanned
		r.st.RecordsScanned += stats.RecordsScanned
		r.st.RecordsMatched += stats.RecordsMatched
	}
	var split bool
	var te *queryStatusError
	var nf *logtypes.ResourceNotFoundException
	switch {
	case errors.As(err, &nf) && len(j.groups) > 1:
		// A group that does not exist fails the whole query: find it.
		h := len(j.groups) / 2
		a, b := j, j
		a.groups, b.groups = j.groups[:h], j.groups[h:]
		return []insJob{a, b}
	case errors.As(err, &nf):
		r.probs = append(r.probs, fmt.Sprintf("logs: log group %s of %s not found", j.groups[0], strings.Join(r.fnsBy[j.groups[0]], ", ")))
		return nil
	case err == nil && len(rows) >= insightsRowLimit && !j.pct:
		split = true
	case errors.As(err, &te) && te.status == logtypes.QueryStatusTimeout && !j.pct:
		split = true
	case err != nil:
		what := "their statistics"
		if j.pct {
			what = "their percentiles"
		}
		r.probs = append(r.probs, fmt.Sprintf("logs: Logs Insights query of %s over %s – %s: %v (%s are missing)", strings.Join(j.groups, ", "), j.start.Format(time.RFC3339), j.end.Format(time.RFC3339), err, what))
		return nil
	}
	if split {
		mid := j.start.Add(j.end.Sub(j.start) / 2).Truncate(insightsBin)
		if !mid.After(j.start) || !mid.Before(j.end) {
			r.probs = append(r.probs, fmt.Sprintf("logs: Logs Insights query of %s over %s – %s returned %d rows (the limit) in one hour: results may be cut", strings.Join(j.groups, ", "), j.start.Format(time.RFC3339), j.end.Format(time.RFC3339), len(rows)))
		} else {
			r.st.Splits++
			return []insJob{{groups: j.groups, start: j.start, end: mid}, {groups: j.groups, start: mid, end: j.end}}
		}
	}
	for _, row := range rows {
		r.fold(row, j.pct)
	}
	return nil
}

type queryStatusError struct{ status logtypes.QueryStatus }

func (e *queryStatusError) Error() string { return "query status " + string(e.status) }

// query starts one query and polls it to its end.
func (r *insightsRun) query(ctx context.Context, j insJob, q string) ([][]logtypes.ResultField, *logtypes.QueryStatistics, error) {
	c := r.c
	in := &cloudwatchlogs.StartQueryInput{
		LogGroupNames: j.groups,
		StartTime:     aws.Int64(j.start.Unix()),
		EndTime:       aws.Int64(j.end.Unix() - 1), // inclusive, in seconds
		QueryString:   aws.String(q),
		Limit:         aws.Int32(int32(insightsRowLimit)),
	}
	var id string
	for attempt := 0; ; attempt++ {
		out, err := r.api.StartQuery(ctx, in)
		var le *logtypes.LimitExceededException
		if errors.As(err, &le) && attempt < 20 {
			// Other queries (dashboards, other users) hold the account's
			// 30 slots: wait and try again.
			if serr := sleepCtx(ctx, c.insightsPoll()*time.Duration(1+attempt)); serr != nil {
				return nil, nil, serr
			}
			continue
		}
		var nf *logtypes.ResourceNotFoundException
		if errors.As(err, &nf) {
			return nil, nil, err
		}
		if err != nil {
			return nil, nil, describeAPIError(err)
		}
		id = aws.ToString(out.QueryId)
		r.mu.Lock()
		r.st.Queries++
		r.mu.Unlock()
		break
	}
	began := time.Now()
	stop := func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		r.api.StopQuery(sctx, &cloudwatchlogs.StopQueryInput{QueryId: aws.String(id)})
	}
	for {
		out, err := r.api.GetQueryResults(ctx, &cloudwatchlogs.GetQueryResultsInput{QueryId: aws.String(id)})
		r.mu.Lock()
		r.st.Polls++
		r.mu.Unlock()
		if err != nil {
			stop()
			return nil, nil, describeAPIError(err)
		}
		switch out.Status {
		case logtypes.QueryStatusComplete:
			return out.Results, out.Statistics, nil
		case logtypes.QueryStatusScheduled, logtypes.QueryStatusRunning:
		default:
			return nil, out.Statistics, &queryStatusError{out.Status}
		}
		if time.Since(began) > InsightsQueryTimeout+time.Minute {
			stop()
			return nil, out.Statistics, &queryStatusError{logtypes.QueryStatusTimeout}
		}
		if err := sleepCtx(ctx, c.insightsPoll()); err != nil {
			stop()
			return nil, nil, err
		}
	}
}

func (c *Collector) insightsPoll() time.Duration {
	if c.InsightsPoll != 0 {
		return max(c.InsightsPoll, 0)
	}
	return time.Second
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// fold adds one result row (under r.mu).
func (r *insightsRun) fold(row []logtypes.ResultField, pct bool) {
	v := map[string]string{}
	for _, f := range row {
		v[aws.ToString(f.Field)] = aws.ToString(f.Value)
	}
	group := v["@log"]
	if i := strings.IndexByte(group, ':'); i >= 0 && !strings.HasPrefix(group, "/") {
		group = group[i+1:] // "account:group"
	}
	fn := v["fn"]
	var name string
	in := r.fnsBy[group]
	switch {
	case fn != "":
		for _, n := range in {
			if n == fn {
				name = n
			}
		}
		if name == "" {
			return // another function's records in a shared group: not ours
		}
	case len(in) == 1:
		name = in[0]
	default:
		if !pct {
			r.unnamed[group] += num(v["n"])
		}
		return
	}
	a := r.accs[name]
	if a == nil {
		a = &insAcc{byMem: map[int64]*pricing.MemoryUsage{}}
		r.accs[name] = a
	}
	if pct {
		if _, ok := v["p50"]; !ok {
			return
		}
		a.hasPct = true
		a.pct = &pricing.DurationSet{P50: fnum(v["p50"]), P90: fnum(v["p90"]), P99: fnum(v["p99"]), Max: fnum(v["dmax"])}
		a.initP99 = fnum(v["init_p99"])
		return
	}
	n, cold, billed := num(v["n"]), num(v["cold"]), num(v["billed_ms"])
	a.n += n
	a.cold += cold
	a.billed += billed
	a.durMs += fnum(v["dur_ms"])
	a.initMs += fnum(v["init_ms"])
	a.initCeil += num(v["init_ceil_ms"])
	a.usedMB = max(a.usedMB, num(v["used_mb"]))
	a.tmo += num(v["timeouts"])
	a.tmoLines += num(v["timeout_lines"])
	a.errs += num(v["errors"])
	if bin, err := time.Parse("2006-01-02 15:04:05.000", v["bin(1h)"]); err == nil && bin.UnixMilli() < initBillingChange {
		a.initUnbilledMs += num(v["init_ceil_ms"])
		a.initUnbilledN += cold
	}
	if n > 0 {
		size := num(v["size"])
		m := a.byMem[size]
		if m == nil {
			m = &pricing.MemoryUsage{MemoryMB: int(size)}
			a.byMem[size] = m
		}
		m.Invocations += n
		m.ColdStarts += cold
		m.BilledDurationMs += billed
		m.InitBilledMs += num(v["init_billed_ms"])
	}
}

func fnum(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func num(s string) int64 {
	f, _ := strconv.ParseFloat(s, 64)
	return int64(f + 0.5)
}

// sizes returns a's split by memory size, smallest first.
func (a *insAcc) sizes() []pricing.MemoryUsage {
	keys := make([]int64, 0, len(a.byMem))
	for k := range a.byMem {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	out := make([]pricing.MemoryUsage, 0, len(keys))
	for _, k := range keys {
		out = append(out, *a.byMem[k])
	}
	return out
}

// mergeInsights folds one function's Logs Insights statistics into its
// metric summary and returns the problems.
func mergeInsights(f *pricing.DatasetFunction, a *insAcc, as *pricing.Assumptions) []string {
	if a.n > 0 {
		for _, p := range logMeasured {
			f.MarkMeasured(p)
		}
	}
	s := &f.Summary
	s.ColdStarts = a.cold
	if a.cold > 0 {
		s.InitDurationMs = pricing.InitSet{Avg: a.initMs / float64(a.cold), P99: a.initP99}
	}
	// Old-format REPORTs carry no Status: their timeouts are the
	// "Task timed out" lines; new-format logs have both, counted once.
	s.Timeouts = max(a.tmo, a.tmoLines)
	s.MaxMemoryUsedMB = max(s.MaxMemoryUsedMB, int(a.usedMB))
	if a.n != s.Invocations {
		x, scaled := scaledByMemory(f, a.sizes(), a.n)
		if scaled {
			as.Add(x)
		}
		return []string{mismatch(f.Name, a.n, s.Invocations, scaled)}
	}
	s.BilledDurationMs = a.billed
	s.InitUnbilledMs = a.initUnbilledMs
	var mbMs int64
	keys := make([]int64, 0, len(a.byMem))
	for k := range a.byMem {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	s.ByMemory = nil
	for _, k := range keys {
		m := *a.byMem[k]
		mbMs += m.BilledDurationMs * k
		s.ByMemory = append(s.ByMemory, m)
	}
	s.BilledGBSeconds = float64(mbMs) / (1024 * 1000)
	if a.initUnbilledN > 0 {
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.init_unbilled_ms", f.Name), Value: fmt.Sprintf("%d ms", a.initUnbilledMs),
			Why: fmt.Sprintf("%d INIT phase(s) were not in Billed Duration (logs before 2025-08-01, when AWS did not bill INIT on managed runtimes); at today's rules they are billed", a.initUnbilledN)})
	}
	return nil
}
