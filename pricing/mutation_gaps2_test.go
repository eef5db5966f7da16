package pricing

import (
	"math"
	"strings"
	"testing"
	"time"
)

// A series that starts after the window's start is placed at its own time
// (pricing-32). Window 1,460 h = two 730-hour months from S; one series
// period of 2,628,000 s (730 h) starting at S + 365 h covers 365 h of
// month 0 and 365 h of month 1: its 100 invocations (10 ms each) split
// 50/50, and each month's factor is its share × 1,460/730 = 1 for counts
// and milliseconds alike. Placed at S, all 100 would be month 0's
// (factors 2 and 0).
func TestMonthFactorsSeriesOffset(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Start: start, End: start.Add(1460 * time.Hour)}
	f := &DatasetFunction{Summary: FunctionSummary{Invocations: 100},
		Series: &Series{PeriodS: 2_628_000, Start: start.Add(365 * time.Hour), Invocations: []float64{100}, DurationAvgMs: []float64{10}}}
	_, req, ms, ok := d.MonthFactors(f)
	if !ok || len(req) != 2 {
		t.Fatalf("not split: %v %v", req, ok)
	}
	for m := range 2 {
		if math.Abs(req[m]-1) > 1e-12 || math.Abs(ms[m]-1) > 1e-12 {
			t.Errorf("month %d: req ×%v, ms ×%v, want ×1 and ×1", m, req[m], ms[m])
		}
	}
}

// A function without invocations keeps its usage in every month
// (pricing-33): failed INITs bill milliseconds without any invocation.
// 2,000,000 ms at 1024 MB (x86_64, us-east-1, no free tier) over 1,460 h
// is 1,000,000 ms a 730-hour month = 1,000 GB-s × $0.0000166667 =
// $0.0166667, in each of the window's two months: mean $0.0166667.
func TestDatasetMonthsWithoutInvocations(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(1460 * time.Hour), Functions: []DatasetFunction{{
		FunctionConfig: FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: X86_64},
		Summary:        FunctionSummary{BilledDurationMs: 2_000_000}}}}
	db, err := Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Months != 2 {
		t.Errorf("billed as %d months, want 2", db.Months)
	}
	if got := db.Monthly.Cost.Total.String(); got != "0.0166667" {
		t.Errorf("monthly $%s, want $0.0166667", got)
	}
}

// ScaleMonth takes counts × req and milliseconds × ms, and keeps the
// provisioned environment seconds (the configuration's, the same every
// month) (pricing-34, pricing-35): ×2 and ×0.5 of 100 requests, 10 cold
// starts, 1,000 ms (200 of them INIT), 500 provisioned ms and 3,600
// environment seconds are 200 requests, 20 cold starts, 500 ms (100
// INIT), 250 provisioned ms and 3,600 environment seconds.
func TestScaleMonth(t *testing.T) {
	got := BilledUsage{Requests: 100, ColdStarts: 10, OnDemandMs: 1000, InitMs: 200, ProvisionedMs: 500, ProvisionedEnvSeconds: 3600}.ScaleMonth(2, 0.5)
	want := BilledUsage{Requests: 200, ColdStarts: 20, OnDemandMs: 500, InitMs: 100, ProvisionedMs: 250, ProvisionedEnvSeconds: 3600}
	if got != want {
		t.Errorf("%+v, want %+v", got, want)
	}
}

// Each month's bill takes the counts' factor for requests and the
// milliseconds' for duration (pricing-36). 1,460 h, one series point per
// 730-hour month: 525,600 invocations of 400 ms, then 2,102,400 of 100
// ms (210,240,000 ms each month), 1024 MB x86_64 in us-east-1 with the
// free tier (1M requests, 400,000 GB-s). The average month: 1,314,000
// requests, 210,240,000 ms. Month factors: requests 0.2 × 2 = 0.4 and
// 0.8 × 2 = 1.6; ms 0.5 × 2 = 1 and 1.
//
//	month 0: 525,600 requests, 210,240 GB-s: free, $0
//	month 1: 2,102,400 requests → 1,102,400 × $0.0000002 = $0.22048;
//	         210,240 GB-s free
//	mean: $0.11024
//
// With the factors swapped each month would have 1,314,000 requests
// ($0.0628) and be $0.0628.
func TestDatasetBillMonthsDurationsDiffer(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(1460 * time.Hour), Functions: []DatasetFunction{{
		FunctionConfig: FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: X86_64},
		Summary:        FunctionSummary{Invocations: 2_628_000, BilledDurationMs: 420_480_000},
		Series:         &Series{PeriodS: 2_628_000, Start: start, Invocations: []float64{525_600, 2_102_400}, DurationAvgMs: []float64{400, 100}, ConcurrencyMax: []float64{1, 1}}}}}
	db, err := Embedded().DatasetBill(d, "", Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Monthly.Cost.Total.String(); got != "0.11024" || db.Functions[0].Monthly.Total.String() != "0.11024" {
		t.Errorf("monthly $%s (function $%s), want $0.11024", got, db.Functions[0].Monthly.Total)
	}
}

// MarkNotMeasured does not list a value that is in Missing (pricing-40):
// it failed to arrive, which Missing says (the function is incomplete);
// listing it in not_measured too would say the source cannot measure it
// and make the dataset version 2, which version-1 builds refuse, for a
// value that version 1 holds. A value not in Missing is listed once.
func TestMarkNotMeasuredKeepsMissing(t *testing.T) {
	f := DatasetFunction{Missing: []string{"summary.throttles"}}
	f.MarkNotMeasured("summary.throttles")
	f.MarkNotMeasured("summary.cold_starts")
	f.MarkNotMeasured("summary.cold_starts")
	if len(f.NotMeasured) != 1 || f.NotMeasured[0] != "summary.cold_starts" {
		t.Errorf("not_measured %v, want [summary.cold_starts]", f.NotMeasured)
	}
	g := DatasetFunction{Missing: []string{"summary.throttles"}}
	g.MarkNotMeasured("summary.throttles")
	if d := (&Dataset{Functions: []DatasetFunction{g}}); d.FormatVersion() != 1 {
		t.Errorf("format version %d, want 1", d.FormatVersion())
	}
}

// A value listed in not_measured that holds a number is refused naming
// the list it is in (pricing-45): with nothing in missing, the first
// not_measured path is index 0 of the two lists joined, = len(missing),
// and belongs to "not_measured".
func TestDecodeNotMeasuredHoldingValue(t *testing.T) {
	in := `{"version":2,"source":"logs","start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z","functions":[{"name":"a","memory_mb":128,"summary":{"invocations":7,"throttles":5},"not_measured":["summary.throttles"]}]}`
	_, err := DecodeDataset("nm.json", strings.NewReader(in))
	if !IsInput(err) || !strings.Contains(err.Error(), `summary.throttles is listed in "not_measured" but holds the value 5`) {
		t.Errorf("contradiction: %v", err)
	}
}

// An averaged bill whose source measured INIT but not the cold starts
// has no INIT either (cold starts × mean INIT, with the count unknown),
// and says so (pricing-46): notMeasuredDataset's cw with only
// summary.cold_starts not measured.
func TestDatasetBillColdStartsAloneNotMeasured(t *testing.T) {
	d := notMeasuredDataset()
	d.Functions[0].NotMeasured = []string{"summary.cold_starts"}
	d.Functions[0].Summary.InitDurationMs = InitSet{Avg: 200, P99: 200}
	db, err := Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := findAssumption(db.Assumptions, "functions[cw].init"); !ok || a.Value != "not billed" {
		t.Errorf("cw: no 'INIT not billed' assumption in %v", db.Assumptions)
	}
}

// Log bytes a dataset measured, in a region whose CloudWatch Logs prices
// are not known (only us-east-1's are: README, Prices not known), are
// refused naming the dataset's field, not --log-bytes, which was not
// given (pricing-51).
func TestDatasetBillLogsErrorNamesField(t *testing.T) {
	if _, err := Embedded().LogsFor("eu-west-1"); err == nil {
		t.Skip("the table now knows eu-west-1's CloudWatch Logs prices")
	}
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Version: 1, Region: "eu-west-1", Start: start, End: start.Add(730 * time.Hour), Functions: []DatasetFunction{{
		FunctionConfig: FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: X86_64},
		Summary:        FunctionSummary{Invocations: 1000, BilledDurationMs: 100_000, LogBytes: 123_456}}}}
	_, err := Embedded().DatasetBill(d, "", Options{})
	if !IsInput(err) || !strings.Contains(err.Error(), "functions[f].summary.log_bytes") || strings.Contains(err.Error(), "--log-bytes") {
		t.Errorf("err = %v, want an input error naming functions[f].summary.log_bytes", err)
	}
}

// Measured: a path is not measured when it, or an object holding it, is
// listed (pricing-39). "series" listed covers series.errors; a listed
// member, summary.init_duration_ms, covers its own members (….avg) but
// not the object holding it (summary), nor a key that only starts with
// the same letters (summary.init_duration).
func TestMeasuredObjects(t *testing.T) {
	f := DatasetFunction{NotMeasured: []string{"series", "summary.init_duration_ms"}}
	for path, want := range map[string]bool{
		"series": false, "series.errors": false,
		"summary.init_duration_ms": false, "summary.init_duration_ms.avg": false,
		"summary": true, "summary.init_duration": true, "summary.errors": true,
	} {
		if got := f.Measured(path); got != want {
			t.Errorf("Measured(%q) = %v, want %v", path, got, want)
		}
	}
}
