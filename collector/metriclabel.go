package collector

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/lambdacost/lambdacost/pricing"
)

// labelInfo is what one get-metric-data result measures.
type labelInfo struct {
	fn, metric, stat string
	// skip, when set, says why the result cannot be attributed (a
	// problem; the import goes on without it).
	skip string
}

// labelAdvice says how to make get-metric-data results readable; the
// --function part only where the function is what is missing and
// --function was not given (it names the function, never a statistic).
const labelAdvice = `give each query a Label "${PROP('Dim.FunctionName')} ${PROP('MetricName')} ${PROP('Stat')}" (or end its Id in the statistic, e.g. duration_p99)`

const functionAdvice = labelAdvice + `, or name the function with --function`

// countMetrics are the metrics whose only sensible statistic is Sum: a
// label without a statistic is read as Sum, and the dataset says so.
var countMetrics = map[string]bool{mInvocations: true, mErrors: true, mThrottles: true, mPCInvocations: true, mPCSpillover: true}

// resolveLabels tells the function, metric and statistic of each result of
// one get-metric-data output, from its Label ("FUNCTION METRIC STAT",
// "METRIC STAT", or just "METRIC", the CLI's default) and its Id (a
// statistic word in it: duration_p99, durMax, inv_sum). Results that
// cannot be told apart are never merged: when the statistic of a result is
// unknown and another result of the same metric exists, or the metric is
// not a count (Duration may be Average, p99 or Maximum), the import stops
// with an input error saying which label or flag to use.
func (im *Importer) resolveLabels(name string, ids, labels []string) ([]labelInfo, error) {
	out := make([]labelInfo, len(labels))
	statFromLabel := make([]bool, len(labels))
	for i, label := range labels {
		f := strings.Fields(label)
		if n := len(f); n > 0 && isStat(f[n-1]) {
			out[i].stat = normStat(f[n-1])
			statFromLabel[i] = true
			f = f[:n-1]
		}
		switch len(f) {
		case 1:
			out[i].fn, out[i].metric = im.opts.Function, f[0]
		case 2:
			out[i].fn, out[i].metric = f[0], f[1]
		default:
			out[i].skip = fmt.Sprintf("%s: MetricDataResults[%d] (Id %q, Label %q): cannot tell function, metric and statistic; %s", name, i, ids[i], label, labelAdvice)
			continue
		}
		if _, known := defaultStat[out[i].metric]; !known {
			out[i].skip = fmt.Sprintf("%s: MetricDataResults[%d] (Id %q, Label %q): cannot tell function, metric and statistic: metric %q is not one lambdacost reads; %s", name, i, ids[i], label, out[i].metric, labelAdvice)
			continue
		}
		if out[i].fn == "" {
			out[i].skip = fmt.Sprintf("%s: MetricDataResults[%d] (Id %q, Label %q): cannot tell function, metric and statistic: the label does not name the function; %s", name, i, ids[i], label, functionAdvice)
			continue
		}
		if out[i].stat == "" {
			out[i].stat = statOfID(ids[i])
		}
	}
	for i := range out {
		if out[i].stat != "" || out[i].skip != "" {
			continue
		}
		for j := range out {
			if j != i && out[j].skip == "" && out[j].fn == out[i].fn && out[j].metric == out[i].metric {
				return nil, im.ambiguousPair(name, min(i, j), max(i, j), ids, labels, out[i])
			}
		}
		if !countMetrics[out[i].metric] {
			return nil, pricing.Inputf(name, "MetricDataResults[%d] (Id %q, Label %q): the statistic of %s is not known (Average, p99, Maximum…); %s", i, ids[i], labels[i], out[i].metric, labelAdvice)
		}
		out[i].stat = "Sum"
		im.metricNotes.Add(pricing.Assumption{Field: fmt.Sprintf("%s: %s %s", name, out[i].fn, out[i].metric), Value: "Sum",
			Why: fmt.Sprintf("the result (Id %q, Label %q) does not say its statistic; Sum is the only one that counts %s", ids[i], labels[i], out[i].metric)})
	}
	return out, nil
}

// ambiguousPair is the error for results a and b that measure the same
// function's metric without saying their statistics. It says what tells
// them apart: a statistic in each Label or Id, or leaving one out — not
// --function, which names a function (and, when given, is what made a
// label without a function read as this one's).
func (im *Importer) ambiguousPair(name string, a, b int, ids, labels []string, li labelInfo) error {
	pair := fmt.Sprintf("MetricDataResults[%d] and [%d] (Ids %q and %q) are both labelled %q", a, b, ids[a], ids[b], labels[a])
	if labels[a] != labels[b] {
		desc := func(k int) string {
			d := fmt.Sprintf("Id %q, Label %q", ids[k], labels[k])
			if len(strings.Fields(labels[k])) == 1 && im.opts.Function != "" {
				d += fmt.Sprintf(", read as function %s by --function", im.opts.Function)
			}
			return d
		}
		pair = fmt.Sprintf("MetricDataResults[%d] (%s) and [%d] (%s) both measure %s %s", a, desc(a), b, desc(b), li.fn, li.metric)
	}
	stat, may := "p99", "Average, p99 and Maximum"
	if countMetrics[li.metric] {
		stat, may = "sum", "Sum and SampleCount"
	}
	return pricing.Inputf(name, "%s and neither says its statistic: they may be %s, and will not be merged into one series; say each one's statistic in its Label (\"${PROP('Dim.FunctionName')} ${PROP('MetricName')} ${PROP('Stat')}\") or at the end of its Id (e.g. %s_%s and %s_%s), or leave out the query that repeats the other",
		pair, may, ids[a], stat, ids[b], stat)
}

func normStat(s string) string {
	if s[0] == 'P' {
		return "p" + s[1:]
	}
	return s
}

// statOfID finds a statistic word in a query Id ("duration_p99", "durP99",
// "inv_sum", "dMax"); "" if none.
func statOfID(id string) string {
	var words []string
	cur := []rune{}
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	for _, r := range id {
		switch {
		case r == '_' || r == '-' || r == '.':
			flush()
		case unicode.IsUpper(r):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	found := ""
	for _, w := range words {
		var st string
		switch w {
		case "sum":
			st = "Sum"
		case "avg", "average", "mean":
			st = "Average"
		case "max", "maximum":
			st = "Maximum"
		case "min", "minimum":
			st = "Minimum"
		case "samplecount", "count":
			st = "SampleCount"
		default:
			if len(w) >= 2 && w[0] == 'p' && isStat(w) {
				st = w
			}
		}
		if st != "" {
			if found != "" && found != st {
				return "" // ambiguous
			}
			found = st
		}
	}
	return found
}
