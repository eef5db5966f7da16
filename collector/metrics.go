package collector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Metric names and statistics the collector reads.
const (
	nsLambda   = "AWS/Lambda"
	nsInsights = "LambdaInsights"

	mInvocations    = "Invocations"
	mErrors         = "Errors"
	mThrottles      = "Throttles"
	mDuration       = "Duration"
	mConcurrent     = "ConcurrentExecutions"
	mPCInvocations  = "ProvisionedConcurrencyInvocations"
	mPCSpillover    = "ProvisionedConcurrencySpilloverInvocations"
	mPCExecutions   = "ProvisionedConcurrentExecutions"
	mPCUtilization  = "ProvisionedConcurrencyUtilization"
	mUsedMemoryMax  = "used_memory_max"
	mMemUtilization = "memory_utilization"
	mInitDuration   = "init_duration"

	mPostRuntimeExt   = "PostRuntimeExtensionsDuration"
	mAsyncEventAge    = "AsyncEventAge"
	mAsyncDropped     = "AsyncEventsDropped"
	mDeadLetterErrors = "DeadLetterErrors"
	mIteratorAge      = "IteratorAge"
	mClaimedAccount   = "ClaimedAccountConcurrency"
	mUnreserved       = "UnreservedConcurrentExecutions"
)

// accountFn is the function name under which the metricSet keeps the
// account-level metrics (queries without a function dimension).
const accountFn = ""

// metricKey names one statistic of one metric, per period or (Whole) over
// the entire window.
type metricKey struct {
	Metric, Stat string
	Whole        bool
}

// metricSeries is what arrived for one (function, metric, statistic):
// timestamps (Unix seconds, any order) and values.
type metricSeries struct {
	period int64 // seconds; 0 = unknown (inferred from the timestamps)
	ts     []int64
	vals   []float64
}

// metricSet gathers GetMetricData results by function and turns them into
// dataset functions. Both `collect` and the import of get-metric-data JSON
// use it.
type metricSet struct {
	results map[string]map[metricKey]*metricSeries
	// missing holds the (function, statistic) results that did not arrive
	// whole: their call kept failing, or CloudWatch answered a status
	// other than Complete. What did arrive of them is not used: the values
	// they feed are listed in DatasetFunction.Missing and written as null.
	missing map[string]map[metricKey]bool
	// status is the StatusCode of each imported series' latest result:
	// pages of one query (several documents, or the CLI's merged pages
	// in one) are PartialData until the last one, so only the last
	// status counts; an error status on any page sticks.
	status     map[string]map[metricKey]*seriesStatus
	order      []string
	configs    map[string]pricing.FunctionConfig
	problems   []string
	start, end time.Time // the requested window, when known
	period     int64
}

func newMetricSet() *metricSet {
	return &metricSet{results: map[string]map[metricKey]*metricSeries{}, missing: map[string]map[metricKey]bool{}, configs: map[string]pricing.FunctionConfig{}}
}

// seriesStatus is what the pages of one imported series said.
type seriesStatus struct {
	partial string // the problem when the latest page said PartialData
	failed  string // the problem when any page said InternalError, Forbidden, …
}

// noteStatus records the status of one page of fn's series k; problem is
// what to report if it turns out to be the final word.
func (m *metricSet) noteStatus(fn string, k metricKey, code string, more bool, problem string) {
	if m.status == nil {
		m.status = map[string]map[metricKey]*seriesStatus{}
	}
	if m.status[fn] == nil {
		m.status[fn] = map[metricKey]*seriesStatus{}
	}
	st := m.status[fn][k]
	if st == nil {
		st = &seriesStatus{}
		m.status[fn][k] = st
	}
	switch code {
	case "", "Complete":
		st.partial = ""
	case "PartialData":
		st.partial = problem
		if more {
			st.partial += " (the page after its NextToken is not in the input)"
		}
	default:
		st.failed = problem
	}
}

// resolveStatuses turns the final statuses of imported series into
// problems and missing values.
func (m *metricSet) resolveStatuses() {
	for fn, byKey := range m.status {
		for k, st := range byKey {
			switch {
			case st.failed != "":
				m.problems = append(m.problems, st.failed)
				m.markMissing(fn, k)
			case st.partial != "":
				m.problems = append(m.problems, st.partial)
				m.markMissing(fn, k)
			}
		}
	}
	m.status = nil
	sort.Strings(m.problems)
}

// markMissing records that fn's statistic k did not arrive whole.
func (m *metricSet) markMissing(fn string, k metricKey) {
	m.ensure(fn)
	if m.missing[fn] == nil {
		m.missing[fn] = map[metricKey]bool{}
	}
	m.missing[fn][k] = true
}

func (m *metricSet) ensure(fn string) {
	if m.results[fn] == nil {
		m.results[fn] = map[metricKey]*metricSeries{}
		m.order = append(m.order, fn)
	}
}

func (m *metricSet) add(fn string, k metricKey, period int64, ts []int64, vals []float64) {
	m.ensure(fn)
	byKey := m.results[fn]
	s := byKey[k]
	if s == nil {
		s = &metricSeries{period: period}
		byKey[k] = s
	}
	n := min(len(ts), len(vals))
	s.ts = append(s.ts, ts[:n]...)
	s.vals = append(s.vals, vals[:n]...)
}

func (s *metricSeries) sum() float64 {
	var t float64
	for _, v := range s.vals {
		t += v
	}
	return t
}

func (s *metricSeries) max() float64 {
	var t float64
	for _, v := range s.vals {
		t = math.Max(t, v)
	}
	return t
}

// inferPeriod is the smallest gap between distinct timestamps.
func (s *metricSeries) inferPeriod() int64 {
	if s.period > 0 {
		return s.period
	}
	ts := append([]int64(nil), s.ts...)
	sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
	var p int64
	for i := 1; i < len(ts); i++ {
		if d := ts[i] - ts[i-1]; d > 0 && (p == 0 || d < p) {
			p = d
		}
	}
	return p
}

// inferPeriod is the period of get-metric-data JSON, which does not carry
// it: the smallest gap between timestamps of any series (CloudWatch omits
// zero datapoints, so a single series may show only multiples of it); 0
// when no series has two datapoints.
func (m *metricSet) inferPeriod() int64 {
	var period int64
	for _, fn := range m.order {
		for k, s := range m.results[fn] {
			if p := s.inferPeriod(); !k.Whole && p > 0 && (period == 0 || p < period) {
				period = p
			}
		}
	}
	return period
}

// markNotQueried lists in f.NotMeasured the summary values that an
// imported get-metric-data export did not query at all (no result for
// their metric, not even an empty one): its errors, throttles, cold
// starts (Lambda Insights init_duration) and memory used are then not
// known, not zero. A function with invocations but no Duration Average
// has no duration to bill: listed in f.Missing, so that its bill is not
// made of the requests alone.
func (m *metricSet) markNotQueried(f *pricing.DatasetFunction) {
	rs := m.results[f.Name]
	has := func(metric, stat string) bool {
		_, per := rs[metricKey{metric, stat, false}]
		_, whole := rs[metricKey{metric, stat, true}]
		return per || whole
	}
	if !has(mErrors, "Sum") {
		f.MarkNotMeasured("summary.errors")
	}
	if !has(mThrottles, "Sum") {
		f.MarkNotMeasured("summary.throttles")
	}
	if !has(mInitDuration, "SampleCount") {
		f.MarkNotMeasured("summary.cold_starts")
		f.MarkNotMeasured("summary.init_duration_ms")
	} else if !has(mInitDuration, "Average") {
		// The cold starts counted, their INIT not: its mean is not
		// known, not 0 ms (their INIT billed as nothing).
		f.MarkNotMeasured("summary.init_duration_ms")
	}
	if !has(mUsedMemoryMax, "Maximum") {
		f.MarkNotMeasured("summary.max_memory_used_mb")
	}
	if f.Summary.Invocations > 0 && !has(mDuration, "Average") {
		for _, p := range []string{"summary.duration_ms.avg", "summary.billed_gb_seconds"} {
			if !slices.Contains(f.Missing, p) {
				f.Missing = append(f.Missing, p)
			}
		}
		f.Summary.DurationMs.Avg = 0
	}
}

// hasUsablePoints reports whether some per-period series has a datapoint
// that the dataset will use (its status is not PartialData or an error).
func (m *metricSet) hasUsablePoints() bool {
	for fn, byKey := range m.results {
		for k, s := range byKey {
			if k.Whole || len(s.ts) == 0 || m.missing[fn][k] {
				continue
			}
			if st := m.status[fn][k]; st != nil && (st.failed != "" || st.partial != "") {
				continue
			}
			return true
		}
	}
	return false
}

// dataset builds one dataset function per function that has results.
//
// Summary rules: counts (Invocations, Errors, Throttles) are the sums of
// their per-period Sum series, exact; concurrency is the maximum of the
// per-period Maximum; duration average, percentiles and maximum come from
// whole-window queries when present (CloudWatch computes them over every
// invocation), else from the per-period series: the average weighted by
// invocations (exact), the maximum of maxima (exact), and percentiles as
// the invocation-weighted mean of per-period percentiles (an approximation).
func (m *metricSet) dataset(region string) *pricing.Dataset {
	m.resolveStatuses()
	d := &pricing.Dataset{Version: pricing.DatasetVersion, Source: "cloudwatch", Region: region, Start: m.start, End: m.end}
	var minT, maxT int64
	for _, fn := range m.order {
		for _, s := range m.results[fn] {
			for _, t := range s.ts {
				if minT == 0 || t < minT {
					minT = t
				}
				if t > maxT {
					maxT = t
				}
			}
		}
	}
	if m.period == 0 {
		m.period = m.inferPeriod()
	}
	names := append([]string(nil), m.order...)
	sort.Strings(names)
	for _, fn := range names {
		if fn == accountFn {
			d.AccountConcurrency = append(d.AccountConcurrency, m.account(region))
			continue
		}
		d.Functions = append(d.Functions, m.function(fn, minT))
	}
	if d.Start.IsZero() && minT != 0 {
		d.Start = time.Unix(minT, 0).UTC()
		p := int64(60)
		for _, f := range d.Functions {
			if f.Series != nil {
				p = int64(f.Series.PeriodS)
				break
			}
		}
		d.End = time.Unix(maxT+p, 0).UTC()
	}
	d.Problems = m.problems
	return d
}

func (m *metricSet) function(fn string, minT int64) pricing.DatasetFunction {
	rs := m.results[fn]
	miss := m.missing[fn]
	if len(miss) > 0 {
		// A statistic that did not arrive whole is not used at all.
		kept := make(map[metricKey]*metricSeries, len(rs))
		for k, v := range rs {
			if !miss[k] {
				kept[k] = v
			}
		}
		rs = kept
	}
	series := func(metric, stat string) *metricSeries { return rs[metricKey{metric, stat, false}] }
	whole := func(metric, stat string) (float64, bool) {
		if s := rs[metricKey{metric, stat, true}]; s != nil && len(s.vals) > 0 {
			return s.vals[0], true
		}
		return 0, false
	}
	// get prefers the whole-window value, else the per-period series.
	get := func(metric, stat string) *metricSeries {
		if s := rs[metricKey{metric, stat, true}]; s != nil && len(s.vals) > 0 {
			return s
		}
		return series(metric, stat)
	}
	cfg, ok := m.configs[fn]
	if !ok {
		cfg = pricing.FunctionConfig{Name: fn}
	}
	cfg = cfg.WithDefaults()
	cfg.Name = fn
	f := pricing.DatasetFunction{FunctionConfig: cfg}
	s := &f.Summary
	sumOf := func(metric string) int64 {
		if x := get(metric, "Sum"); x != nil {
			return int64(math.Round(x.sum()))
		}
		return 0
	}
	s.Invocations = sumOf(mInvocations)
	s.Errors = sumOf(mErrors)
	s.Throttles = sumOf(mThrottles)
	s.ProvisionedInvocations = sumOf(mPCInvocations)
	if c := get(mConcurrent, "Maximum"); c != nil {
		s.ConcurrencyMax = c.max()
	}

	// Per-period grid.
	inv := series(mInvocations, "Sum")
	period := m.period
	var start int64
	if !m.start.IsZero() {
		start = m.start.Unix()
	} else {
		start = minT
	}
	if period > 0 && (inv != nil || series(mDuration, "Average") != nil) {
		var end int64
		if !m.end.IsZero() {
			end = m.end.Unix()
		} else {
			for k, x := range rs {
				if k.Whole {
					continue
				}
				for _, t := range x.ts {
					end = max(end, t+period)
				}
			}
		}
		n := int((end - start + period - 1) / period)
		if n > 0 {
			grid := func(x *metricSeries) []float64 {
				out := make([]float64, n)
				if x == nil {
					return out
				}
				for i, t := range x.ts {
					j := (t - start) / period
					if j >= 0 && int(j) < n && i < len(x.vals) {
						out[j] = x.vals[i]
					}
				}
				return out
			}
			f.Series = &pricing.Series{
				PeriodS:        int(period),
				Start:          time.Unix(start, 0).UTC(),
				Invocations:    grid(inv),
				DurationAvgMs:  grid(series(mDuration, "Average")),
				ConcurrencyMax: grid(series(mConcurrent, "Maximum")),
			}
			// A metric not queried at all (an imported export without
			// it) has no series, not one of zeros.
			if x := series(mErrors, "Sum"); x != nil {
				f.Series.Errors = grid(x)
			}
			if x := series(mThrottles, "Sum"); x != nil {
				f.Series.Throttles = grid(x)
			}
			if pc := series(mPCExecutions, "Maximum"); pc != nil {
				f.Series.ProvisionedConcurrentExecutions = grid(pc)
			}
			if pu := series(mPCUtilization, "Maximum"); pu != nil {
				f.Series.ProvisionedConcurrencyUtilization = grid(pu)
			}
		}
	}

	// Durations: the per-period statistics weighted by the invocations of
	// the same period (periods without a duration point do not count).
	weighted := func(x *metricSeries) float64 {
		if x == nil {
			return 0
		}
		if inv == nil {
			var t float64
			for _, v := range x.vals {
				t += v
			}
			return t / float64(max(len(x.vals), 1))
		}
		w := make(map[int64]float64, len(inv.ts))
		for i, t := range inv.ts {
			w[t] += inv.vals[i]
		}
		var tw, tv float64
		for i, t := range x.ts {
			tw += w[t]
			tv += w[t] * x.vals[i]
		}
		if tw == 0 {
			return 0
		}
		return tv / tw
	}
	if v, ok := whole(mDuration, "Average"); ok {
		s.DurationMs.Avg = v
	} else {
		s.DurationMs.Avg = weighted(series(mDuration, "Average"))
	}
	pct := func(stat string) float64 {
		if v, ok := whole(mDuration, stat); ok {
			return v
		}
		return weighted(series(mDuration, stat))
	}
	s.DurationMs.P50 = pct("p50")
	s.DurationMs.P90 = pct("p90")
	s.DurationMs.P99 = pct("p99")
	if v, ok := whole(mDuration, "Maximum"); ok {
		s.DurationMs.Max = v
	} else if x := get(mDuration, "Maximum"); x != nil {
		s.DurationMs.Max = x.max()
	}

	// Features' metrics, present only where used.
	if x := get(mPCExecutions, "Maximum"); x != nil {
		s.ProvisionedConcurrentExecutionsMax = x.max()
	}
	if x := get(mPCUtilization, "Maximum"); x != nil {
		s.ProvisionedUtilizationMax = x.max()
	}
	s.ProvisionedSpilloverInvocations = sumOf(mPCSpillover)
	if v, ok := whole(mPostRuntimeExt, "Average"); ok {
		s.PostRuntimeExtensionsDurationMs = v
	} else {
		s.PostRuntimeExtensionsDurationMs = weighted(series(mPostRuntimeExt, "Average"))
	}
	if x := get(mAsyncEventAge, "Maximum"); x != nil {
		s.AsyncEventAgeMaxMs = x.max()
	}
	s.AsyncEventsDropped = sumOf(mAsyncDropped)
	s.DeadLetterErrors = sumOf(mDeadLetterErrors)
	if x := get(mIteratorAge, "Maximum"); x != nil {
		s.IteratorAgeMaxMs = x.max()
	}

	// Lambda Insights.
	if x := get(mUsedMemoryMax, "Maximum"); x != nil {
		s.MaxMemoryUsedMB = int(math.Ceil(x.max()))
	}
	if x := get(mInitDuration, "SampleCount"); x != nil {
		s.ColdStarts = int64(math.Round(x.sum()))
	}
	if v, ok := whole(mInitDuration, "Average"); ok {
		s.InitDurationMs.Avg = v
	}
	if v, ok := whole(mInitDuration, "p99"); ok {
		s.InitDurationMs.P99 = v
	}

	if len(miss) > 0 {
		f.Missing = missingPaths(rs, miss)
		clearMissing(&f)
	}
	u := f.BilledUsage()
	s.BilledGBSeconds = float64(u.OnDemandMs) * float64(cfg.MemoryMB) / (1024 * 1000)
	return f
}

// account returns the account-level concurrency metrics.
func (m *metricSet) account(region string) pricing.AccountConcurrency {
	a := pricing.AccountConcurrency{Region: region}
	rs, miss := m.results[accountFn], m.missing[accountFn]
	if x := rs[metricKey{mClaimedAccount, "Maximum", true}]; x != nil && !miss[metricKey{mClaimedAccount, "Maximum", true}] {
		a.ClaimedMax = x.max()
	} else if miss[metricKey{mClaimedAccount, "Maximum", true}] {
		a.Missing = append(a.Missing, "claimed_max")
	}
	if x := rs[metricKey{mUnreserved, "Minimum", true}]; x != nil && len(x.vals) > 0 && !miss[metricKey{mUnreserved, "Minimum", true}] {
		a.UnreservedMin = x.vals[0]
	} else if miss[metricKey{mUnreserved, "Minimum", true}] {
		a.Missing = append(a.Missing, "unreserved_min")
	}
	return a
}

// valueSource names the metric and statistic a dataset value (a JSON
// path) comes from.
type valueSource struct {
	path         string
	metric, stat string
}

// summarySources names, for each summary value, the statistic it comes
// from (whole-window or per period).
var summarySources = []valueSource{
	{"summary.invocations", mInvocations, "Sum"},
	{"summary.errors", mErrors, "Sum"},
	{"summary.throttles", mThrottles, "Sum"},
	{"summary.cold_starts", mInitDuration, "SampleCount"},
	{"summary.duration_ms.p50", mDuration, "p50"},
	{"summary.duration_ms.p90", mDuration, "p90"},
	{"summary.duration_ms.p99", mDuration, "p99"},
	{"summary.duration_ms.max", mDuration, "Maximum"},
	{"summary.init_duration_ms.avg", mInitDuration, "Average"},
	{"summary.init_duration_ms.p99", mInitDuration, "p99"},
	{"summary.max_memory_used_mb", mUsedMemoryMax, "Maximum"},
	{"summary.concurrency_max", mConcurrent, "Maximum"},
	{"summary.provisioned_invocations", mPCInvocations, "Sum"},
	{"summary.provisioned_concurrent_executions_max", mPCExecutions, "Maximum"},
	{"summary.provisioned_utilization_max", mPCUtilization, "Maximum"},
	{"summary.provisioned_spillover_invocations", mPCSpillover, "Sum"},
	{"summary.post_runtime_extensions_duration_ms", mPostRuntimeExt, "Average"},
	{"summary.async_event_age_max_ms", mAsyncEventAge, "Maximum"},
	{"summary.async_events_dropped", mAsyncDropped, "Sum"},
	{"summary.dead_letter_errors", mDeadLetterErrors, "Sum"},
	{"summary.iterator_age_max_ms", mIteratorAge, "Maximum"},
}

// seriesSources names the per-period statistic of each series.
var seriesSources = []valueSource{
	{"series.invocations", mInvocations, "Sum"},
	{"series.duration_avg_ms", mDuration, "Average"},
	{"series.concurrency_max", mConcurrent, "Maximum"},
	{"series.errors", mErrors, "Sum"},
	{"series.throttles", mThrottles, "Sum"},
	{"series.provisioned_concurrent_executions", mPCExecutions, "Maximum"},
	{"series.provisioned_concurrency_utilization", mPCUtilization, "Maximum"},
}

// missingPaths lists the dataset values (JSON paths) that cannot be
// computed because a statistic they need did not arrive whole (miss) and
// no other source for them did (rs holds what arrived whole).
func missingPaths(rs map[metricKey]*metricSeries, miss map[metricKey]bool) []string {
	has := func(metric, stat string) bool {
		return rs[metricKey{metric, stat, false}] != nil || rs[metricKey{metric, stat, true}] != nil
	}
	failed := func(metric, stat string) bool {
		return miss[metricKey{metric, stat, false}] || miss[metricKey{metric, stat, true}]
	}
	var out []string
	add := func(p string) { out = append(out, p) }
	for _, x := range summarySources {
		if x.path == "summary.duration_ms.p50" {
			// The average: CloudWatch's whole-window Average, or the
			// per-period averages weighted by the per-period invocations.
			whole := rs[metricKey{mDuration, "Average", true}] != nil
			perPeriod := rs[metricKey{mDuration, "Average", false}] != nil && rs[metricKey{mInvocations, "Sum", false}] != nil
			if !whole && !perPeriod && (failed(mDuration, "Average") || failed(mInvocations, "Sum")) {
				add("summary.duration_ms.avg")
			}
		}
		if !has(x.metric, x.stat) && failed(x.metric, x.stat) {
			add(x.path)
		}
	}
	for _, x := range seriesSources {
		if miss[metricKey{x.metric, x.stat, false}] {
			add(x.path)
		}
	}
	// The billed GB-s need the invocations, the average duration and,
	// when cold starts are counted, the INIT average.
	for _, p := range out {
		switch p {
		case "summary.invocations", "summary.duration_ms.avg", "summary.cold_starts", "summary.init_duration_ms.avg":
			return append(out, "summary.billed_gb_seconds")
		}
	}
	return out
}

// clearMissing sets the values listed in f.Missing to zero (their Go
// value; they are written as null) and drops series that are missing.
func clearMissing(f *pricing.DatasetFunction) {
	s := &f.Summary
	for _, p := range f.Missing {
		switch p {
		case "summary.invocations":
			s.Invocations = 0
		case "summary.errors":
			s.Errors = 0
		case "summary.throttles":
			s.Throttles = 0
		case "summary.cold_starts":
			s.ColdStarts = 0
		case "summary.duration_ms.avg":
			s.DurationMs.Avg = 0
		case "summary.duration_ms.p50":
			s.DurationMs.P50 = 0
		case "summary.duration_ms.p90":
			s.DurationMs.P90 = 0
		case "summary.duration_ms.p99":
			s.DurationMs.P99 = 0
		case "summary.duration_ms.max":
			s.DurationMs.Max = 0
		case "summary.init_duration_ms.avg":
			s.InitDurationMs.Avg = 0
		case "summary.init_duration_ms.p99":
			s.InitDurationMs.P99 = 0
		case "summary.max_memory_used_mb":
			s.MaxMemoryUsedMB = 0
		case "summary.concurrency_max":
			s.ConcurrencyMax = 0
		case "summary.provisioned_invocations":
			s.ProvisionedInvocations = 0
		case "summary.provisioned_concurrent_executions_max":
			s.ProvisionedConcurrentExecutionsMax = 0
		case "summary.provisioned_utilization_max":
			s.ProvisionedUtilizationMax = 0
		case "summary.provisioned_spillover_invocations":
			s.ProvisionedSpilloverInvocations = 0
		case "summary.post_runtime_extensions_duration_ms":
			s.PostRuntimeExtensionsDurationMs = 0
		case "summary.async_event_age_max_ms":
			s.AsyncEventAgeMaxMs = 0
		case "summary.async_events_dropped":
			s.AsyncEventsDropped = 0
		case "summary.dead_letter_errors":
			s.DeadLetterErrors = 0
		case "summary.iterator_age_max_ms":
			s.IteratorAgeMaxMs = 0
		}
		if sr := f.Series; sr != nil {
			switch p {
			case "series.invocations":
				sr.Invocations = nil
			case "series.duration_avg_ms":
				sr.DurationAvgMs = nil
			case "series.concurrency_max":
				sr.ConcurrencyMax = nil
			case "series.errors":
				sr.Errors = nil
			case "series.throttles":
				sr.Throttles = nil
			case "series.provisioned_concurrent_executions":
				sr.ProvisionedConcurrentExecutions = nil
			case "series.provisioned_concurrency_utilization":
				sr.ProvisionedConcurrencyUtilization = nil
			}
		}
	}
	if sr := f.Series; sr != nil && sr.Invocations == nil && sr.DurationAvgMs == nil && sr.ConcurrencyMax == nil && sr.Errors == nil && sr.Throttles == nil {
		f.Series = nil
	}
}

// ---- `aws cloudwatch get-metric-data` JSON ----

var metricDataKey = []byte(`"MetricDataResults"`)

func isMetricDataJSON(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	return len(t) > 0 && t[0] == '{' && bytes.Contains(head, metricDataKey)
}

type cliMetricData struct {
	MetricDataResults []struct {
		ID         string            `json:"Id"`
		Label      string            `json:"Label"`
		Timestamps []json.RawMessage `json:"Timestamps"`
		Values     []float64         `json:"Values"`
		StatusCode string            `json:"StatusCode"`
		Messages   []struct {
			Code  string `json:"Code"`
			Value string `json:"Value"`
		} `json:"Messages"`
	} `json:"MetricDataResults"`
	Messages []struct {
		Code  string `json:"Code"`
		Value string `json:"Value"`
	} `json:"Messages"`
	NextToken string `json:"NextToken"`
}

// readMetricData reads one or more concatenated get-metric-data outputs.
// Each result's Label must name the function, the metric and the statistic
// ("checkout-api Duration p99" — the dynamic label
// "${PROP('Dim.FunctionName')} ${PROP('MetricName')} ${PROP('Stat')}"
// produces it); a bare metric name is accepted with ImportOptions.Function.
func (im *Importer) readMetricData(name string, r *bufio.Reader) error {
	dec := json.NewDecoder(r)
	for doc := 1; ; doc++ {
		var out cliMetricData
		err := dec.Decode(&out)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var se *json.SyntaxError
			if ok := asSyntax(err, &se); ok {
				im.problem(fmt.Sprintf("%s: offset %d: invalid get-metric-data JSON: %v (rest of file skipped)", name, se.Offset, err))
			} else {
				im.problem(fmt.Sprintf("%s: invalid get-metric-data JSON (document %d): %v (rest of file skipped)", name, doc, err))
			}
			im.stats.Malformed++
			return nil
		}
		for _, msg := range out.Messages {
			im.metrics.problems = append(im.metrics.problems, fmt.Sprintf("%s: CloudWatch message %s: %s", name, msg.Code, msg.Value))
		}
		ids := make([]string, len(out.MetricDataResults))
		labels := make([]string, len(out.MetricDataResults))
		for i, res := range out.MetricDataResults {
			ids[i], labels[i] = res.ID, res.Label
		}
		resolved, err := im.resolveLabels(name, ids, labels)
		if err != nil {
			return err
		}
		for i, res := range out.MetricDataResults {
			im.stats.MetricResults++
			fn, metric, stat := resolved[i].fn, resolved[i].metric, resolved[i].stat
			if resolved[i].skip != "" {
				im.stats.Malformed++
				im.problem(resolved[i].skip)
				continue
			}
			msgs := make([]string, 0, len(res.Messages))
			for _, m := range res.Messages {
				msgs = append(msgs, m.Code+": "+m.Value)
			}
			im.metrics.noteStatus(fn, metricKey{Metric: metric, Stat: stat}, res.StatusCode, out.NextToken != "",
				fmt.Sprintf("%s: %s %s %s: status %s %s", name, fn, metric, stat, res.StatusCode, strings.Join(msgs, "; ")))
			ts := make([]int64, 0, len(res.Timestamps))
			for j, raw := range res.Timestamps {
				t, err := parseCLITime(raw)
				if err != nil {
					im.stats.Malformed++
					im.problem(fmt.Sprintf("%s: MetricDataResults[%d].Timestamps[%d]: %v", name, i, j, err))
					t = math.MinInt64
				}
				ts = append(ts, t)
			}
			var kt []int64
			var kv []float64
			for j := range ts {
				if ts[j] != math.MinInt64 && j < len(res.Values) {
					kt = append(kt, ts[j])
					kv = append(kv, res.Values[j])
				}
			}
			if len(res.Timestamps) != len(res.Values) {
				im.stats.Malformed++
				im.problem(fmt.Sprintf("%s: MetricDataResults[%d]: %d timestamps but %d values", name, i, len(res.Timestamps), len(res.Values)))
			}
			im.metrics.add(fn, metricKey{Metric: metric, Stat: stat}, 0, kt, kv)
		}
	}
}

func asSyntax(err error, se **json.SyntaxError) bool {
	e, ok := err.(*json.SyntaxError)
	if ok {
		*se = e
	}
	return ok
}

func parseCLITime(raw json.RawMessage) (int64, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if ms, ok := parseRFC3339Ms([]byte(s)); ok {
			return floorDiv(ms, 1000), nil
		}
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return 0, fmt.Errorf("invalid timestamp %q", s)
		}
		return t.Unix(), nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, fmt.Errorf("invalid timestamp %s", raw)
	}
	return int64(f), nil
}

// defaultStat is the statistic assumed when a label names only the metric.
var defaultStat = map[string]string{
	mInvocations: "Sum", mErrors: "Sum", mThrottles: "Sum", mDuration: "Average", mConcurrent: "Maximum",
	mPCInvocations: "Sum", mPCSpillover: "Sum", mPCExecutions: "Maximum", mPCUtilization: "Maximum",
	mUsedMemoryMax: "Maximum", mMemUtilization: "Maximum", mInitDuration: "Average",
}

func isStat(s string) bool {
	switch s {
	case "Sum", "Average", "Maximum", "Minimum", "SampleCount":
		return true
	}
	if len(s) >= 2 && (s[0] == 'p' || s[0] == 'P') {
		for _, c := range s[1:] {
			if (c < '0' || c > '9') && c != '.' {
				return false
			}
		}
		return true
	}
	return false
}
