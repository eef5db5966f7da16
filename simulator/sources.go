package simulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lambdacost/lambdacost/pricing"
)

// Kind says what a distribution describes, which decides what an
// empirical source contributes (warm durations or INIT durations).
type Kind int

// The kinds of distribution a scenario has.
const (
	KindDuration Kind = iota // warm handler time
	KindInit                 // INIT time of a cold start
	KindIdle                 // idle keep-alive
)

type distCtx struct {
	field    string
	path     []string
	kind     Kind
	max      time.Duration
	memoryMB int
	required bool
	def      Distribution
}

var distKeys = map[string][]string{
	"fixed":       {"value"},
	"exponential": {"mean"},
	"uniform":     {"min", "max"},
	"lognormal":   {"p50", "p99", "mean"},
	"empirical":   {"file", "function", "values"},
	"cdf":         {"points"},
}

// dist reads a distribution: a plain duration (fixed) or a map with
// `distribution:` and its parameters.
func (p *parser) dist(n *yaml.Node, c distCtx) Distribution {
	fallback := c.def
	if fallback == nil {
		fallback = Fixed{0}
	}
	if n.Kind == 0 {
		if c.required {
			p.errf(p.at(c.path[:len(c.path)-1]...), "%s is required (a duration such as 120ms, or {distribution: lognormal, p50: 80ms, p99: 400ms})", c.field)
		}
		return fallback
	}
	here := fmt.Sprintf("%s:%d", p.path, n.Line)
	inRange := func(src, what string, d time.Duration) bool {
		if d < 0 {
			p.errf(src, "%s %s must not be negative", what, d)
			return false
		}
		if d > c.max {
			p.errf(src, "%s %s is beyond the maximum %s", what, d, c.max)
			return false
		}
		return true
	}
	switch n.Kind {
	case yaml.ScalarNode:
		d, err := pricing.ParseDuration(n.Value)
		if err != nil {
			p.errf(here, "%s: %v", c.field, err)
			return fallback
		}
		if !inRange(here, c.field, d.D()) {
			return fallback
		}
		return Fixed{d.D()}
	case yaml.MappingNode:
	default:
		p.errf(here, "%s: expected a duration or a map with a distribution: key", c.field)
		return fallback
	}

	keys := map[string]*yaml.Node{}
	keyLine := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		if _, dup := keys[k]; dup {
			p.errf(fmt.Sprintf("%s:%d", p.path, n.Content[i].Line), "%s: duplicate key %q", c.field, k)
		}
		keys[k] = n.Content[i+1]
		keyLine[k] = n.Content[i].Line
	}
	lineOf := func(k string) string { return fmt.Sprintf("%s:%d", p.path, keyLine[k]) }
	typNode, ok := keys["distribution"]
	if !ok {
		p.errf(here, "%s: missing distribution: (one of fixed, exponential, uniform, lognormal, empirical, cdf)", c.field)
		return fallback
	}
	typ := strings.ToLower(typNode.Value)
	allowed, ok := distKeys[typ]
	if !ok {
		p.errf(lineOf("distribution"), "%s: unknown distribution %q (want fixed, exponential, uniform, lognormal, empirical or cdf)", c.field, typNode.Value)
		return fallback
	}
	bad := false
	for k := range keys {
		if k != "distribution" && !contains(allowed, k) {
			p.errf(lineOf(k), "%s: unknown key %q for a %s distribution (allowed: %s)", c.field, k, typ, strings.Join(allowed, ", "))
			bad = true
		}
	}
	get := func(k string, need bool) (time.Duration, bool) {
		v, ok := keys[k]
		if !ok {
			if need {
				p.errf(here, "%s: a %s distribution needs %s:", c.field, typ, k)
				bad = true
			}
			return 0, false
		}
		d, err := pricing.ParseDuration(v.Value)
		if err != nil || v.Kind != yaml.ScalarNode {
			p.errf(lineOf(k), "%s.%s: expected a duration such as 120ms", c.field, k)
			bad = true
			return 0, false
		}
		if !inRange(lineOf(k), c.field+"."+k, d.D()) {
			bad = true
			return 0, false
		}
		return d.D(), true
	}
	var out Distribution
	switch typ {
	case "fixed":
		if v, ok := get("value", true); ok {
			out = Fixed{v}
		}
	case "exponential":
		if m, ok := get("mean", true); ok {
			out = Exponential{m}
		}
	case "uniform":
		lo, ok1 := get("min", true)
		hi, ok2 := get("max", true)
		if ok1 && ok2 {
			if hi < lo {
				p.errf(lineOf("max"), "%s: max %s is below min %s", c.field, hi, lo)
			} else {
				out = Uniform{lo, hi}
			}
		}
	case "lognormal":
		p99, ok99 := get("p99", true)
		_, has50 := keys["p50"]
		_, hasMean := keys["mean"]
		switch {
		case has50 && hasMean:
			p.errf(here, "%s: give p50 or mean with p99, not both", c.field)
		case has50:
			if p50, ok := get("p50", true); ok && ok99 {
				ln, err := LogNormalP50P99(p50, p99)
				if err != nil {
					p.errf(lineOf("p99"), "%s: %v", c.field, err)
				} else {
					out = ln
				}
			}
		case hasMean:
			if m, ok := get("mean", true); ok && ok99 {
				ln, err := LogNormalMeanP99(m, p99)
				if err != nil {
					p.errf(lineOf("p99"), "%s: %v", c.field, err)
				} else {
					out = ln
				}
			}
		default:
			p.errf(here, "%s: a lognormal distribution needs p50 (or mean) and p99", c.field)
		}
	case "cdf":
		pts, ok := keys["points"]
		if !ok || pts.Kind != yaml.SequenceNode || len(pts.Content) == 0 {
			p.errf(here, "%s: a cdf distribution needs points: [[duration, probability], ...]", c.field)
			break
		}
		var at []time.Duration
		var ps []float64
		for _, pt := range pts.Content {
			src := fmt.Sprintf("%s:%d", p.path, pt.Line)
			if pt.Kind != yaml.SequenceNode || len(pt.Content) != 2 {
				p.errf(src, "%s.points: each point is [duration, probability]", c.field)
				bad = true
				continue
			}
			d, err := pricing.ParseDuration(pt.Content[0].Value)
			pr, perr := strconv.ParseFloat(pt.Content[1].Value, 64)
			if err != nil || perr != nil {
				p.errf(src, "%s.points: each point is [duration, probability]", c.field)
				bad = true
				continue
			}
			if !inRange(src, c.field+".points[]", d.D()) {
				bad = true
			}
			at, ps = append(at, d.D()), append(ps, pr)
		}
		if bad {
			break
		}
		cdf, err := NewCDF(at, ps)
		if err != nil {
			p.errf(lineOf("points"), "%s: %v", c.field, err)
			break
		}
		out = cdf
	case "empirical":
		_, hasFile := keys["file"]
		vals, hasVals := keys["values"]
		fn := ""
		if v, ok := keys["function"]; ok {
			fn = v.Value
		}
		switch {
		case hasFile == hasVals:
			p.errf(here, "%s: an empirical distribution needs file: or values: (one of them)", c.field)
		case hasVals:
			if vals.Kind != yaml.SequenceNode || len(vals.Content) == 0 {
				p.errf(lineOf("values"), "%s.values: expected a list of durations", c.field)
				break
			}
			var ds []time.Duration
			for _, v := range vals.Content {
				d, err := pricing.ParseDuration(v.Value)
				src := fmt.Sprintf("%s:%d", p.path, v.Line)
				if err != nil || v.Kind != yaml.ScalarNode {
					p.errf(src, "%s.values: expected a duration such as 120ms", c.field)
					bad = true
					continue
				}
				if inRange(src, c.field+".values[]", d.D()) {
					ds = append(ds, d.D())
				} else {
					bad = true
				}
			}
			if !bad {
				e, err := NewEmpirical(ds, "inline")
				if err != nil {
					p.errf(lineOf("values"), "%s: %v", c.field, err)
				} else {
					out = e
				}
			}
		default:
			file := p.resolve(keys["file"].Value)
			d, err := LoadEmpirical(file, c.kind, c.memoryMB, fn)
			if err != nil {
				if ie, ok := err.(*pricing.InputError); ok && ie.Source == file {
					ie.Source = lineOf("file") + ": " + file
				}
				p.errs = append(p.errs, err)
				break
			}
			if e, ok := d.(*Empirical); ok && e.Quantile(1) > c.max {
				q := e.Quantile(1)
				p.errf(lineOf("file"), "%s: %s holds a duration of %s, beyond the maximum %s", c.field, file, q, c.max)
				break
			}
			out = d
		}
	}
	if out == nil || bad {
		return fallback
	}
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// LoadEmpirical reads a duration distribution from a file:
//   - text: one duration per line (Go syntax or milliseconds; # comments);
//   - a `lambdacost run -o json` result: warm durations from successful
//     warm invocations, INIT durations from cold ones (kind);
//   - a `lambdacost tune -o json` result: the entry for memoryMB (its
//     modelled durations when it has them: a sweep without cgroups), as a
//     QuantileFit keeping its mean, p50, p90 and p99 (a log-normal through
//     p50 and p99 when the mean is missing);
//   - a dataset (collect/import): the function's duration statistics
//     (mean, p50, p90, p99, max) as a QuantileFit that keeps them all, or
//     the INIT mean/p99 as a log-normal; function picks it when there are
//     several.
func LoadEmpirical(path string, kind Kind, memoryMB int, function string) (Distribution, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf(path, "cannot read: %v", err)
	}
	trim := bytes.TrimSpace(data)
	if len(trim) > 0 && trim[0] == '{' {
		return jsonDistribution(path, trim, kind, memoryMB, function)
	}
	return textDistribution(path, data)
}

func textDistribution(path string, data []byte) (Distribution, error) {
	var ds []time.Duration
	var errs []error
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(s, '#'); i >= 0 {
			s = strings.TrimSpace(s[:i])
		}
		if s == "" {
			continue
		}
		d, err := pricing.ParseDuration(s)
		if err != nil || d < 0 {
			if len(errs) < 10 {
				errs = append(errs, pricing.Inputf(fmt.Sprintf("%s:%d", path, line), "expected a duration such as 120ms, got %q", s))
			}
			continue
		}
		ds = append(ds, d.D())
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	e, err := NewEmpirical(ds, path)
	if err != nil {
		return nil, pricing.Inputf(path, "no durations in the file")
	}
	return e, nil
}

type runnerFile struct {
	Invocations []struct {
		Status         string  `json:"status"`
		Cold           bool    `json:"cold"`
		DurationMs     float64 `json:"duration_ms"`
		InitDurationMs float64 `json:"init_duration_ms"`
	} `json:"invocations"`
}

type tuneFile struct {
	Results []struct {
		MemoryMB   int       `json:"memory_mb"`
		DurationMs tuneDurs  `json:"duration_ms"`
		Modelled   *tuneDurs `json:"modelled_duration_ms"`
	} `json:"results"`
}

type tuneDurs struct {
	P50, P90, P99, Mean float64
}

func msDur(ms float64) time.Duration {
	return time.Duration(math.Round(ms * float64(time.Millisecond)))
}

func jsonDistribution(path string, data []byte, kind Kind, memoryMB int, function string) (Distribution, error) {
	// A run, tune or dataset result of -o json is inside the envelope.
	data, _, err := pricing.UnwrapEnvelope(path, data)
	if err != nil {
		return nil, err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, pricing.Inputf(path, "invalid JSON: %v", err)
	}
	what := map[Kind]string{KindDuration: "durations", KindInit: "INIT durations", KindIdle: "idle timeouts"}[kind]
	if kind == KindIdle {
		return nil, pricing.Inputf(path, "a run, tune or dataset file holds no idle timeouts; use a text file with one duration per line")
	}
	switch {
	case keys["invocations"] != nil:
		var rf runnerFile
		if err := json.Unmarshal(data, &rf); err != nil {
			return nil, pricing.Inputf(path, "not a `lambdacost run -o json` result: %v", err)
		}
		var ds []time.Duration
		for _, iv := range rf.Invocations {
			switch {
			case kind == KindDuration && iv.Status == "success" && !iv.Cold:
				ds = append(ds, msDur(iv.DurationMs))
			case kind == KindInit && iv.Cold && iv.InitDurationMs > 0:
				ds = append(ds, msDur(iv.InitDurationMs))
			}
		}
		if len(ds) == 0 {
			return nil, pricing.Inputf(path, "the run result has no %s (warm successes give durations, cold starts give INIT)", what)
		}
		return NewEmpirical(ds, path)
	case keys["results"] != nil:
		if kind == KindInit {
			return nil, pricing.Inputf(path, "a tune result has no INIT durations; use a run result or a dataset")
		}
		var tf tuneFile
		if err := json.Unmarshal(data, &tf); err != nil {
			return nil, pricing.Inputf(path, "not a `lambdacost tune -o json` result: %v", err)
		}
		var have []string
		for _, r := range tf.Results {
			if r.MemoryMB == memoryMB {
				// The durations the sweep's costs use: the modelled ones
				// when the CPU share was not enforced (runner.TunePoint's
				// BasisDurations).
				d := r.DurationMs
				if r.Modelled != nil && r.Modelled.P50 > 0 {
					d = *r.Modelled
				}
				if d.Mean > 0 && d.P50 > 0 && d.P99 >= d.P50 {
					// Keep the tune result's mean, p50, p90 and p99 (it has no max).
					if fit, err := FitQuantiles(FitTarget{Mean: msDur(d.Mean), P50: msDur(d.P50), P90: msDur(d.P90), P99: msDur(d.P99)},
						fmt.Sprintf("%s, %d MB", path, memoryMB)); err == nil {
						return fit, nil
					}
				}
				return fromQuantiles(path, d.Mean, d.P50, d.P99)
			}
			have = append(have, strconv.Itoa(r.MemoryMB))
		}
		return nil, pricing.Inputf(path, "the tune result has no entry for %d MB (it has %s)", memoryMB, strings.Join(have, ", "))
	case keys["functions"] != nil:
		ds, err := pricing.DecodeDataset(path, bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		f, err := datasetFunction(path, ds, function)
		if err != nil {
			return nil, err
		}
		if kind == KindInit {
			s := f.Summary.InitDurationMs
			if !f.Measured("summary.init_duration_ms") {
				return nil, pricing.Inputf(path, "function %q: the dataset's source does not measure INIT (not_measured)", f.Name)
			}
			if s.Avg <= 0 {
				return nil, pricing.Inputf(path, "function %q has no INIT durations in the dataset", f.Name)
			}
			if s.P99 > s.Avg {
				if ln, err := LogNormalMeanP99(msDur(s.Avg), msDur(s.P99)); err == nil {
					return ln, nil
				}
			}
			return Fixed{msDur(s.Avg)}, nil
		}
		s := f.Summary.DurationMs
		if s.Avg > 0 && s.P50 > 0 {
			fit, err := FitQuantiles(FitTarget{Mean: msDur(s.Avg), P50: msDur(s.P50), P90: msDur(s.P90), P99: msDur(s.P99), Max: msDur(s.Max)},
				fmt.Sprintf("%s, function %s", path, f.Name))
			if err != nil {
				return nil, pricing.Inputf(path, "function %q: duration statistics: %v", f.Name, err)
			}
			return fit, nil
		}
		return fromQuantiles(path, s.Avg, s.P50, s.P99)
	}
	return nil, pricing.Inputf(path, "unrecognised JSON: expected a run result (invocations), a tune result (results) or a dataset (functions)")
}

// fromQuantiles builds a log-normal through p50 and p99 when both are known,
// else a fixed mean.
func fromQuantiles(path string, mean, p50, p99 float64) (Distribution, error) {
	if p50 > 0 && p99 >= p50 {
		return LogNormalP50P99(msDur(p50), msDur(p99))
	}
	if mean > 0 {
		return Fixed{msDur(mean)}, nil
	}
	if p50 > 0 {
		return Fixed{msDur(p50)}, nil
	}
	return nil, pricing.Inputf(path, "no duration statistics")
}

func datasetFunction(path string, ds *pricing.Dataset, name string) (*pricing.DatasetFunction, error) {
	var names []string
	for i := range ds.Functions {
		if name == "" && len(ds.Functions) == 1 || ds.Functions[i].Name == name {
			return &ds.Functions[i], nil
		}
		names = append(names, ds.Functions[i].Name)
	}
	if name == "" {
		return nil, pricing.Inputf(path, "the dataset has %d functions; pick one with function: (one of %s)", len(ds.Functions), strings.Join(names, ", "))
	}
	return nil, pricing.Inputf(path, "the dataset has no function %q (it has %s)", name, strings.Join(names, ", "))
}

// loadTrace reads per-interval request counts: a CSV of timestamp,count
// (timestamps in RFC 3339 or seconds) or a dataset's invocation series.
// It returns counts and interval widths in seconds, and how many periods
// a CSV left out.
//
// A CSV's period is the smallest step between two rows; each row covers
// one period. A longer step is a gap: CloudWatch and most exporters omit
// periods with no requests, so the periods in a gap are zero traffic (an
// interval of count 0), never the previous count stretched over the gap.
// filled is the number of periods so filled (gaps that are not a whole
// number of periods count their rounded length).
func loadTrace(path, function, src string) (counts, widths []float64, filled int, err error) {
	data, rerr := os.ReadFile(path)
	if rerr != nil {
		return nil, nil, 0, pricing.Inputf(src, "cannot read trace: %v", rerr)
	}
	trim := bytes.TrimSpace(data)
	if len(trim) > 0 && trim[0] == '{' {
		ds, err := pricing.DecodeDataset(path, bytes.NewReader(trim))
		if err != nil {
			return nil, nil, 0, err
		}
		f, err := datasetFunction(path, ds, function)
		if err != nil {
			return nil, nil, 0, err
		}
		if f.Series == nil || len(f.Series.Invocations) == 0 {
			return nil, nil, 0, pricing.Inputf(path, "function %q has no invocation series to replay", f.Name)
		}
		w := float64(f.Series.PeriodS)
		for _, c := range f.Series.Invocations {
			if !(c >= 0) || math.IsInf(c, 0) {
				return nil, nil, 0, pricing.Inputf(path, "function %q: invocation counts must be non-negative numbers", f.Name)
			}
			counts = append(counts, c)
			widths = append(widths, w)
		}
		return counts, widths, 0, nil
	}
	var times []float64
	var errs []error
	line := 0
	// Spreadsheets (Excel's "CSV UTF-8") start the file with a byte-order mark.
	data = bytes.TrimPrefix(data, []byte("\uFEFF"))
	header := true // the first row may be a header
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		at := fmt.Sprintf("%s:%d", path, line)
		ts, cs, ok := strings.Cut(s, ",")
		if !ok {
			errs = append(errs, pricing.Inputf(at, "expected timestamp,count"))
			continue
		}
		ts, cs = strings.TrimSpace(ts), strings.TrimSpace(cs)
		c, cerr := strconv.ParseFloat(cs, 64)
		first := header
		header = false
		var t float64
		if tt, err := time.Parse(time.RFC3339, ts); err == nil {
			t = float64(tt.UnixNano()) / 1e9
		} else if v, err := strconv.ParseFloat(ts, 64); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
			t = v
			if v >= maxTraceSeconds {
				// Grafana, CloudWatch's API and most JavaScript tools
				// export epoch milliseconds: read as seconds they would
				// stretch every period 1,000 times.
				errs = append(errs, pricing.Inputf(at, "timestamp %s read as seconds is after the year 5000: milliseconds since the epoch? give seconds (%.10g) or RFC 3339", ts, v/1000))
				continue
			}
		} else {
			if first {
				continue // a header row: its first field is not a time
			}
			errs = append(errs, pricing.Inputf(at, "timestamp %q is neither RFC 3339 nor seconds", ts))
			continue
		}
		if cerr != nil || !(c >= 0) || math.IsInf(c, 0) {
			errs = append(errs, pricing.Inputf(at, "count %q must be a non-negative number", cs))
			continue
		}
		if n := len(times); n > 0 && t <= times[n-1] {
			msg := "timestamps must increase"
			switch {
			case t == times[n-1]:
				msg += " (the same time as the row before: a duplicate row?)"
			case n == 1 && len(errs) == 0:
				// aws cloudwatch get-metric-data's default ScanBy.
				msg += " (newest first? sort the rows oldest first: get-metric-data returns TimestampDescending unless --scan-by TimestampAscending)"
			}
			errs = append(errs, pricing.Inputf(at, "%s", msg))
			continue
		}
		times = append(times, t)
		counts = append(counts, c)
		if len(errs) > 10 {
			break
		}
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, nil, 0, err
	}
	if len(counts) == 0 {
		return nil, nil, 0, pricing.Inputf(path, "the trace has no rows (expected timestamp,count)")
	}
	if len(counts) == 1 {
		// A row's period is the step to the next one: a lone row's count
		// could be a minute's or an hour's.
		return nil, nil, 0, pricing.Inputf(path, "the trace has one row: how long its count lasts (the period, the step between rows) cannot be told; give two rows or more")
	}
	var period float64
	for i := 1; i < len(times); i++ {
		if d := times[i] - times[i-1]; i == 1 || d < period {
			period = d
		}
	}
	rows := counts
	counts = make([]float64, 0, len(rows))
	widths = make([]float64, 0, len(rows))
	for i, c := range rows {
		counts, widths = append(counts, c), append(widths, period)
		if i+1 < len(times) {
			if gap := times[i+1] - times[i] - period; gap > 1e-9*period {
				counts, widths = append(counts, 0), append(widths, gap)
				filled += max(1, int(math.Round(gap/period)))
			}
		}
	}
	return counts, widths, filled, nil
}

// maxTraceSeconds bounds a trace's numeric timestamps: 1e11 seconds after
// the epoch is the year 5138, while epoch milliseconds of today are about
// 1.8e12, so a larger value is refused as milliseconds, not read as seconds.
const maxTraceSeconds = 1e11

// isDatasetTrace reports whether a trace file is a JSON dataset (not a CSV).
func isDatasetTrace(path string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	trim := bytes.TrimSpace(data)
	return len(trim) > 0 && trim[0] == '{'
}
