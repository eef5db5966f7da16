package collector

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
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
)

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
	results    map[string]map[metricKey]*metricSeries
	order      []string
	configs    map[string]pricing.FunctionConfig
	problems   []string
	start, end time.Time // the requested window, when known
	period     int64
}

func newMetricSet() *metricSet {
	return &metricSet{results: map[string]map[metricKey]*metricSeries{}, configs: map[string]pricing.FunctionConfig{}}
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
		// get-metric-data JSON carries no period: the smallest gap between
		// timestamps of any series (CloudWatch omits zero datapoints, so a
		// single series may show only multiples of it).
		for _, fn := range m.order {
			for k, s := range m.results[fn] {
				if p := s.inferPeriod(); !k.Whole && p > 0 && (m.period == 0 || p < m.period) {
					m.period = p
				}
			}
		}
	}
	names := append([]string(nil), m.order...)
	sort.Strings(names)
	for _, fn := range names {
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
				Errors:         grid(series(mErrors, "Sum")),
				Throttles:      grid(series(mThrottles, "Sum")),
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

	u := f.BilledUsage()
	s.BilledGBSeconds = float64(u.OnDemandMs) * float64(cfg.MemoryMB) / (1024 * 1000)
	return f
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
			if res.StatusCode != "" && res.StatusCode != "Complete" {
				msgs := make([]string, 0, len(res.Messages))
				for _, m := range res.Messages {
					msgs = append(msgs, m.Code+": "+m.Value)
				}
				im.metrics.problems = append(im.metrics.problems, fmt.Sprintf("%s: %s %s %s: status %s %s", name, fn, metric, stat, res.StatusCode, strings.Join(msgs, "; ")))
			}
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

// parseLabel splits "FUNCTION METRIC [STAT]" (or "METRIC [STAT]" with a
// default function).
func parseLabel(label, defFn string) (fn, metric, stat string, ok bool) {
	f := strings.Fields(label)
	if n := len(f); n > 0 && isStat(f[n-1]) {
		stat = f[n-1]
		if stat[0] == 'P' {
			stat = "p" + stat[1:]
		}
		f = f[:n-1]
	}
	switch len(f) {
	case 1:
		fn, metric = defFn, f[0]
	case 2:
		fn, metric = f[0], f[1]
	default:
		return "", "", "", false
	}
	if stat == "" {
		stat = defaultStat[metric]
	}
	_, known := defaultStat[metric]
	return fn, metric, stat, fn != "" && known && stat != ""
}
