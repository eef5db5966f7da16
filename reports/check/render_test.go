package check

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/reports"
)

// Names come from the config: in a pull-request comment they print as
// written and cannot inject HTML, links or break the table.
func TestMarkdownEscapesNames(t *testing.T) {
	name := "<img src=x onerror=alert(1)>|*bold* [x](http://e.vil) `code`"
	r := &Report{Version: 1, Config: "c.yaml", PricesDate: "2026-11-26", Summary: Summary{Checks: 1, Thresholds: 1, FailedThresholds: 1, FailedChecks: 1},
		Checks: []CheckResult{{Name: name, Source: SourceEstimate, Metrics: map[string]float64{MonthlyCostUSD: 3},
			Thresholds: []ThresholdResult{{Metric: MonthlyCostUSD, Expression: "< 1", Value: 3, Position: "c.yaml:4"}}}},
		Diff: &Diff{Baseline: "b.json", Rows: []DiffRow{{Check: name, Metric: MonthlyCostUSD, After: ptr(3)}}, Added: []string{name}},
	}
	var b bytes.Buffer
	if err := Write(&b, reports.Markdown, reports.Style{}, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<img", "*bold*", "[x](", "`code`"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q unescaped:\n%s", bad, out)
		}
	}
	want := `&lt;img src=x onerror=alert(1)&gt;\|\*bold\* \[x\](http://e.vil) \` + "`code\\`"
	if !strings.Contains(out, want) {
		t.Errorf("markdown lacks the escaped name %s:\n%s", want, out)
	}
}
