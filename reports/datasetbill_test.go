package reports

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// mixedPCReport prices the hand-computed mixed-memory, provisioned-
// concurrency dataset of pricing/datasetbill_test.go.
func mixedPCReport(t *testing.T) *DatasetReport {
	t.Helper()
	d, err := pricing.ReadDataset("../pricing/testdata/mixed-pc.dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewDatasetReport(d, pricing.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestMixedPCDatasetGolden keeps the table and JSON of the mixed-memory,
// PC-enabled dataset as goldens, and checks their key figures against the
// hand computation (pricing.TestDatasetBillMixedMemoryPC): orders $2.33 in
// the 73 h window and $23.29 a month, thumbs $0.05 and $0.55, legacy not
// billed, so the totals are "at least" $2.38 and $23.84.
func TestMixedPCDatasetGolden(t *testing.T) {
	r := mixedPCReport(t)
	var tb bytes.Buffer
	if err := WriteGrids(&tb, Table, Style{}, DatasetGrids(r)...); err != nil {
		t.Fatal(err)
	}
	golden(t, "mixed-pc.table.golden", tb.Bytes())
	table := tb.String()
	for _, want := range []string{
		"512/1024 (memory changed)", "$2.33 ", "$23.29 ", "$0.05 ", "$0.55 ",
		"legacy [incomplete]", "incomplete ", "at least $2.38", "at least $23.84",
		"legacy is incomplete and not billed", "functions[orders].provisioned_concurrency", "functions[thumbs].init_unbilled_ms",
	} {
		if !strings.Contains(table, want) {
			t.Errorf("table has no %q", want)
		}
	}
	if strings.Contains(table, "$0.00") {
		t.Errorf("an incomplete function is shown as $0.00:\n%s", table)
	}

	var jb bytes.Buffer
	if err := WriteJSON(&jb, r.JSON()); err != nil {
		t.Fatal(err)
	}
	golden(t, "mixed-pc.json.golden", jb.Bytes())
	var j struct {
		Monthly    *float64 `json:"monthly_cost_usd"`
		Window     float64  `json:"window_cost_usd"`
		Complete   bool     `json:"complete"`
		Incomplete int      `json:"incomplete_functions"`
		Functions  []struct {
			Name          string          `json:"name"`
			MemoryChanged bool            `json:"memory_changed"`
			Monthly       json.RawMessage `json:"monthly"`
			Summary       struct {
				Invocations *int64 `json:"invocations"`
				Errors      *int64 `json:"errors"`
			} `json:"summary"`
		} `json:"functions"`
		Assumptions []pricing.Assumption `json:"assumptions"`
	}
	if err := json.Unmarshal(jb.Bytes(), &j); err != nil {
		t.Fatal(err)
	}
	if j.Monthly == nil || math.Abs(*j.Monthly-23.838865731) > 1e-9 || math.Abs(j.Window-2.3835665715) > 1e-9 {
		t.Errorf("totals %v %v", j.Monthly, j.Window)
	}
	if j.Complete || j.Incomplete != 1 || len(j.Assumptions) < 5 {
		t.Errorf("complete %v incomplete %d assumptions %d", j.Complete, j.Incomplete, len(j.Assumptions))
	}
	if f := j.Functions[0]; f.Name != "orders" || !f.MemoryChanged {
		t.Errorf("first function %+v", f)
	}
	if f := j.Functions[2]; f.Name != "legacy" || string(f.Monthly) != "null" || f.Summary.Invocations != nil || f.Summary.Errors == nil {
		t.Errorf("legacy monthly = %s, invocations %v: want null (not collected), errors 0 (collected)", f.Monthly, f.Summary.Invocations)
	}
}

// TestDatasetNoWindow: without a window, the report bills the window and
// refuses a monthly figure, saying why (check refuses the same way).
func TestDatasetNoWindow(t *testing.T) {
	r := mixedPCReport(t)
	d := *r.Dataset
	d.Start, d.End = time.Time{}, time.Time{}
	r2, err := NewDatasetReport(&d, pricing.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	j := r2.JSON()
	if j.MonthlyCostUSD != nil || j.Functions[0].Monthly != nil {
		t.Errorf("a monthly figure without a window")
	}
	var b bytes.Buffer
	if err := WriteGrids(&b, Table, Style{}, DatasetGrids(r2)...); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "not projected") || !strings.Contains(b.String(), "no time window") {
		t.Errorf("table does not say the month is not projected:\n%s", b.String())
	}
}

// TestDatasetPageAssumptions: the HTML page lists the warnings at the top
// and an "Assumptions" section, shows memory changes and incomplete
// functions, and escapes what comes from the data.
func TestDatasetPageAssumptions(t *testing.T) {
	r := mixedPCReport(t)
	r.Dataset.Functions[2].Name = "<b>legacy</b>"
	r2, err := NewDatasetReport(r.Dataset, pricing.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	html := renderString(t, DatasetPage(r2), WithAssetsHref("echarts.min.js"))
	for _, want := range []string{
		`<div class="warnings" role="alert">`, `<h2>Assumptions</h2>`, "functions[orders].provisioned_concurrency",
		"512/1024 (memory changed)", "&lt;b&gt;legacy&lt;/b&gt; [incomplete]", "at least $23.84",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("page has no %q", want)
		}
	}
	if strings.Contains(html, "<b>legacy") {
		t.Error("a function name is not escaped")
	}
	if strings.Index(html, `class="warnings"`) > strings.Index(html, `class="facts"`) {
		t.Error("warnings are not above the facts")
	}
}
