package collector

import (
	"container/heap"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"math"
	"sort"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// GetMetricData limits (per call).
const (
	MaxQueriesPerCall    = 500
	MaxDatapointsPerCall = 100_800
)

// Retention of CloudWatch metrics: how old data can be for each period
// (research §3.3). Regular (not high-resolution) metrics.
var retention = []struct {
	period time.Duration
	keep   time.Duration
}{
	{time.Minute, 15 * 24 * time.Hour},
	{5 * time.Minute, 63 * 24 * time.Hour},
	{time.Hour, 455 * 24 * time.Hour},
}

// Window is the time range and base period of a collection. Start and End
// are aligned to Period, so every query has exactly Points() datapoints.
type Window struct {
	Start, End time.Time
	Period     time.Duration
}

// Points is the number of base-period datapoints in the window.
func (w Window) Points() int {
	return int(w.End.Sub(w.Start) / w.Period)
}

// ChooseWindow picks the window ending at the last complete period before
// now and reaching back since, with the finest period CloudWatch keeps for
// data as old as the window's start (1 min up to 15 days, 5 min up to 63
// days, 1 h up to 455 days, less RetentionMargin for the collection's own
// time) — or period when given, which must be a
// multiple of 60 s and not finer than retention allows. The age that
// counts is the start's, not since: the end is the last complete period,
// so a 15-day window that does not end on the current minute starts more
// than 15 days ago, where GetMetricData returns no datapoint at a 1-minute
// period (its API reference: "Start time between 15 and 63 days ago - Use
// a multiple of 300 seconds", "or no data points in that time range is
// returned"). Errors name the flag.
func ChooseWindow(now time.Time, since, period time.Duration) (Window, error) {
	if since <= 0 {
		return Window{}, pricing.Inputf("--since", "must be positive (e.g. 14d, 36h)")
	}
	// window is the one of period p: its end the last complete period.
	window := func(p time.Duration) Window {
		end := now.UTC().Truncate(p)
		return Window{Start: end.Add(-since).Truncate(p), End: end, Period: p}
	}
	var finest time.Duration
	for _, r := range retention {
		if now.Sub(window(r.period).Start)+RetentionMargin <= r.keep {
			finest = r.period
			break
		}
	}
	if finest == 0 {
		return Window{}, pricing.Inputf("--since", "%s reaches further back than CloudWatch keeps Lambda metrics (455 days)", fmtDays(since))
	}
	p := finest
	if period != 0 {
		if period < time.Minute || period%time.Minute != 0 {
			return Window{}, pricing.Inputf("--period", "%s is not a multiple of 60s (Lambda metrics are per minute)", period)
		}
		if period < finest {
			return Window{}, pricing.Inputf("--period", "CloudWatch keeps %s data only at %s or coarser (retention: 1m for 15 days, 5m for 63 days, 1h for 455 days, counted from the window's start)", fmtDays(since), finest)
		}
		if period%finest != 0 {
			return Window{}, pricing.Inputf("--period", "%s must be a multiple of %s for data %s old", period, finest, fmtDays(since))
		}
		p = period
	}
	w := window(p)
	if since < p || !w.Start.Before(w.End) {
		return Window{}, pricing.Inputf("--since", "%s is shorter than one period (%s)", since, p)
	}
	return w, nil
}

// retentionOf is how long CloudWatch keeps datapoints of period p (p a
// multiple of 60 s), in days.
func retentionOf(p time.Duration) string {
	var keep time.Duration
	for _, r := range retention {
		if p%r.period == 0 {
			keep = max(keep, r.keep)
		}
	}
	return fmtDays(keep)
}

// RetentionMargin is how much older than at planning the window's start
// may be when its last GetMetricData call is made: a collection of
// thousands of functions, paced under the account's quotas, takes minutes,
// and a window planned at the edge of a retention would lose its first
// minutes on the later calls.
const RetentionMargin = time.Hour

// CheckRetention refuses a window whose start has grown older than
// CloudWatch keeps data at its period (a checkpoint resumed days later):
// GetMetricData would return no datapoint there, and the missing minutes
// would read as no invocations.
func CheckRetention(now time.Time, w Window) error {
	for _, r := range retention {
		if w.Period%r.period != 0 {
			continue
		}
		if age := now.Sub(w.Start); age+RetentionMargin <= r.keep {
			return nil
		}
	}
	return pricing.Inputf("--resume", "the checkpoint's window starts %s ago (%s), but CloudWatch keeps %s datapoints only %s: they would come back empty, as if there were no invocations; start the collection again without --resume",
		now.Sub(w.Start).Round(time.Minute), w.Start.Format(time.RFC3339), w.Period, retentionOf(w.Period))
}

func fmtDays(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// MetricQuery is one statistic of one metric of one function. Whole
// queries ask for a single datapoint over the entire window (CloudWatch
// computes percentiles over every invocation of the window that way);
// others ask for one datapoint per base period.
type MetricQuery struct {
	Function  string
	Namespace string
	Metric    string
	Stat      string
	Whole     bool
}

func (q MetricQuery) dimension() string {
	if q.Namespace == nsInsights {
		return "function_name"
	}
	return "FunctionName"
}

// dimensions are the query's metric dimensions: the function's, none for
// the account-level metrics.
func (q MetricQuery) dimensions() []cwtypes.Dimension {
	if q.Function == accountFn {
		return []cwtypes.Dimension{}
	}
	return []cwtypes.Dimension{{Name: aws.String(q.dimension()), Value: aws.String(q.Function)}}
}

// period returns the query's period in seconds.
func (q MetricQuery) period(w Window) int32 {
	if q.Whole {
		return int32(w.End.Sub(w.Start) / time.Second)
	}
	return int32(w.Period / time.Second)
}

// points is how many datapoints the query can return.
func (q MetricQuery) points(w Window) int {
	if q.Whole {
		return 1
	}
	return w.Points()
}

// FunctionInfo is a function to collect and what it has enabled.
type FunctionInfo struct {
	Config      pricing.FunctionConfig
	Insights    bool // Lambda Insights publishes metrics for it
	Provisioned bool // it has provisioned concurrency
	LogGroup    string
}

// seriesMetrics are queried per base period: they make the dataset's series.
var seriesMetrics = []metricKey{
	{Metric: mInvocations, Stat: "Sum"}, {Metric: mDuration, Stat: "Average"}, {Metric: mConcurrent, Stat: "Maximum"}, {Metric: mErrors, Stat: "Sum"}, {Metric: mThrottles, Stat: "Sum"},
}

// wholeMetrics are queried once over the window: exact window statistics,
// and the metrics a function publishes only when it uses a feature
// (extensions, asynchronous invocation, dead-letter queues, streams).
var wholeMetrics = []metricKey{
	{Metric: mDuration, Stat: "Average"}, {Metric: mDuration, Stat: "p50"}, {Metric: mDuration, Stat: "p90"}, {Metric: mDuration, Stat: "p99"}, {Metric: mDuration, Stat: "Maximum"},
	{Metric: mPostRuntimeExt, Stat: "Average"}, {Metric: mAsyncEventAge, Stat: "Maximum"}, {Metric: mAsyncDropped, Stat: "Sum"}, {Metric: mDeadLetterErrors, Stat: "Sum"}, {Metric: mIteratorAge, Stat: "Maximum"},
}

// accountMetrics are the account-level metrics (no function dimension),
// queried once per collection over the window.
var accountMetrics = []metricKey{
	{Metric: mClaimedAccount, Stat: "Maximum"}, {Metric: mUnreserved, Stat: "Minimum"},
}

// PlanQueries lists the queries for functions: the per-period series
// (Invocations, Duration average, ConcurrentExecutions, Errors, Throttles),
// the whole-window duration statistics, provisioned-concurrency invocations
// where provisioned, and Lambda Insights memory and INIT where present.
func PlanQueries(fns []FunctionInfo) []MetricQuery {
	var qs []MetricQuery
	for _, f := range fns {
		name := f.Config.Name
		for _, k := range seriesMetrics {
			qs = append(qs, MetricQuery{Function: name, Namespace: nsLambda, Metric: k.Metric, Stat: k.Stat})
		}
		for _, k := range wholeMetrics {
			qs = append(qs, MetricQuery{Function: name, Namespace: nsLambda, Metric: k.Metric, Stat: k.Stat, Whole: true})
		}
		if f.Provisioned {
			qs = append(qs,
				MetricQuery{Function: name, Namespace: nsLambda, Metric: mPCInvocations, Stat: "Sum", Whole: true},
				MetricQuery{Function: name, Namespace: nsLambda, Metric: mPCExecutions, Stat: "Maximum"},
				MetricQuery{Function: name, Namespace: nsLambda, Metric: mPCUtilization, Stat: "Maximum"},
				MetricQuery{Function: name, Namespace: nsLambda, Metric: mPCSpillover, Stat: "Sum", Whole: true},
			)
		}
		if f.Insights {
			qs = append(qs,
				MetricQuery{Function: name, Namespace: nsInsights, Metric: mUsedMemoryMax, Stat: "Maximum", Whole: true},
				MetricQuery{Function: name, Namespace: nsInsights, Metric: mInitDuration, Stat: "SampleCount", Whole: true},
				MetricQuery{Function: name, Namespace: nsInsights, Metric: mInitDuration, Stat: "Average", Whole: true},
				MetricQuery{Function: name, Namespace: nsInsights, Metric: mInitDuration, Stat: "p99", Whole: true},
			)
		}
	}
	if len(fns) > 0 {
		for _, k := range accountMetrics {
			qs = append(qs, MetricQuery{Function: accountFn, Namespace: nsLambda, Metric: k.Metric, Stat: k.Stat, Whole: true})
		}
	}
	return qs
}

// Pack groups queries into GetMetricData calls of at most 500 queries and
// 100,800 datapoints. It opens MinCalls batches up front and places
// queries, largest first, into the batch with the most free datapoints
// that still has a free query slot (worst-fit decreasing), opening a new
// batch only when none can take the query. Equal-size queries thus spread
// evenly and leave room for the one-point whole-window queries, and the
// plan usually meets the theoretical minimum (it does for the collector's
// own plans; see the tests). A query larger than 100,800 points gets a
// batch of its own and is paginated.
func Pack(qs []MetricQuery, w Window) [][]MetricQuery {
	idx := make([]int, len(qs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return qs[idx[a]].points(w) > qs[idx[b]].points(w) })
	// Worst-fit with n batches opened up front; when it needs more than n,
	// open more up front and try again (a few tries reach the optimum for
	// mixes of long series and one-point queries).
	lo := MinCalls(qs, w)
	best := packInto(qs, idx, w, lo)
	for n := lo + 1; n < len(best) && n < lo+64; n++ {
		if b := packInto(qs, idx, w, n); len(b) < len(best) {
			best = b
			if len(b) == n {
				break
			}
		}
	}
	return best
}

func packInto(qs []MetricQuery, idx []int, w Window, n int) [][]MetricQuery {
	h := &binHeap{}
	var bins []*bin
	for range n {
		b := &bin{}
		bins = append(bins, b)
		heap.Push(h, b)
	}
	for _, i := range idx {
		q := qs[i]
		p := q.points(w)
		if h.Len() > 0 {
			top := (*h)[0]
			if top.points+p <= MaxDatapointsPerCall {
				top.qs = append(top.qs, q)
				top.points += p
				if len(top.qs) == MaxQueriesPerCall {
					heap.Pop(h)
				} else {
					heap.Fix(h, 0)
				}
				continue
			}
		}
		b := &bin{qs: []MetricQuery{q}, points: p}
		bins = append(bins, b)
		if p < MaxDatapointsPerCall {
			heap.Push(h, b)
		}
	}
	out := make([][]MetricQuery, 0, len(bins))
	for _, b := range bins {
		if len(b.qs) > 0 {
			out = append(out, b.qs)
		}
	}
	return out
}

type bin struct {
	qs     []MetricQuery
	points int
}

// binHeap orders open batches by free datapoints, most free first.
type binHeap []*bin

func (h binHeap) Len() int           { return len(h) }
func (h binHeap) Less(i, j int) bool { return h[i].points < h[j].points }
func (h binHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *binHeap) Push(x any)        { *h = append(*h, x.(*bin)) }
func (h *binHeap) Pop() any {
	old := *h
	b := old[len(old)-1]
	*h = old[:len(old)-1]
	return b
}

// MinCalls is the theoretical minimum number of GetMetricData calls for
// qs: enough calls for the datapoints at 100,800 per call, and for the
// queries at 500 per call.
func MinCalls(qs []MetricQuery, w Window) int {
	var points int
	for _, q := range qs {
		points += q.points(w)
	}
	byPoints := int(math.Ceil(float64(points) / MaxDatapointsPerCall))
	byQueries := int(math.Ceil(float64(len(qs)) / MaxQueriesPerCall))
	return max(byPoints, byQueries)
}
