package collector

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// metricPage is one `aws cloudwatch get-metric-data` result for
// checkout-api's Invocations (shaped as the CLI prints it).
func metricPage(times, values, status, next string) string {
	doc := `{"MetricDataResults": [{"Id": "inv", "Label": "checkout-api Invocations Sum",
  "Timestamps": [` + times + `], "Values": [` + values + `], "StatusCode": "` + status + `"`
	if status == "PartialData" {
		doc += `, "Messages": []`
	}
	doc += `}], "Messages": []`
	if next != "" {
		doc += `, "NextToken": "` + next + `"`
	}
	return doc + "}\n"
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Pages of one query: PartialData with a NextToken on the first page and
// Complete on the last is a complete series (no problem, nothing missing);
// pages the CLI merged into one document (the same Id twice) likewise. A
// last page still PartialData, or a NextToken whose page is not given, is
// a gap: a problem, and the values missing.
func TestImportMetricPages(t *testing.T) {
	p1 := metricPage(`"2026-11-02T10:00:00+00:00", "2026-11-02T10:01:00+00:00"`, "3.0, 7.0", "PartialData", "tok-2")
	p2 := metricPage(`"2026-11-02T10:02:00+00:00"`, "5.0", "Complete", "")
	merged := `{"MetricDataResults": [
 {"Id": "inv", "Label": "checkout-api Invocations Sum", "Timestamps": ["2026-11-02T10:00:00+00:00", "2026-11-02T10:01:00+00:00"], "Values": [3.0, 7.0], "StatusCode": "PartialData", "Messages": []},
 {"Id": "inv", "Label": "checkout-api Invocations Sum", "Timestamps": ["2026-11-02T10:02:00+00:00"], "Values": [5.0], "StatusCode": "Complete", "Messages": []}
], "Messages": []}`
	for name, in := range map[string]string{"two documents": p1 + p2, "merged by the CLI": merged} {
		d, _, err := ImportFiles([]string{writeTemp(t, "gmd.json", in)}, ImportOptions{Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		f := d.Functions[0]
		// 3 + 7 + 5 invocations over three minutes. Only Invocations was
		// queried: the duration to bill them is missing, nothing else.
		if len(d.Problems) != 0 || !slices.Equal(f.Missing, []string{"summary.duration_ms.avg", "summary.billed_gb_seconds"}) || f.Summary.Invocations != 15 || !slices.Equal(f.Series.Invocations, []float64{3, 7, 5}) {
			t.Errorf("%s: problems %q, missing %v, invocations %d, series %v", name, d.Problems, f.Missing, f.Summary.Invocations, f.Series.Invocations)
		}
	}

	for name, tc := range map[string]struct{ in, says string }{
		"next page not given": {p1, "status PartialData  (the page after its NextToken is not in the input)"},
		"last page partial":   {p1 + metricPage(`"2026-11-02T10:02:00+00:00"`, "5.0", "PartialData", ""), "checkout-api Invocations Sum: status PartialData"},
		"an error page":       {metricPage(`"2026-11-02T10:00:00+00:00"`, "3.0", "InternalError", "tok-2") + p2, "status InternalError"},
	} {
		d, _, err := ImportFiles([]string{writeTemp(t, "gmd.json", tc.in)}, ImportOptions{Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		f := d.Functions[0]
		if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], tc.says) || !slices.Contains(f.Missing, "summary.invocations") || f.Summary.Invocations != 0 {
			t.Errorf("%s: problems %q, missing %v, invocations %d", name, d.Problems, f.Missing, f.Summary.Invocations)
		}
	}
}

// A function in both logs and metrics keeps the log summary and takes
// the metric series, with their gaps: a series that ended PartialData is
// still missing after the merge.
func TestImportLogsWithPartialMetricSeries(t *testing.T) {
	log := writeTemp(t, "a.log", "REPORT RequestId: 3f0b4c1e-6a55-4d8e-9d0b-1a2b3c4d5e6f\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t\n")
	gmd := writeTemp(t, "gmd.json", metricPage(`"2026-11-02T10:00:00+00:00"`, "3.0", "PartialData", ""))
	d, _, err := ImportFiles([]string{log, gmd}, ImportOptions{Function: "checkout-api"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 1 {
		t.Fatalf("%d functions", len(d.Functions))
	}
	f := d.Functions[0]
	if f.Summary.Invocations != 1 || !slices.Contains(f.Missing, "series.invocations") || f.Series != nil && f.Series.Invocations != nil {
		t.Errorf("merged: %+v, missing %v, series %+v", f.Summary, f.Missing, f.Series)
	}
}
