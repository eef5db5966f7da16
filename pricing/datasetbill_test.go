package pricing

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// TestDatasetBillMixedMemoryPC checks the exact bill of a dataset whose
// function ran at two memory sizes with provisioned concurrency, against
// figures computed by hand from the us-east-1 list prices
// (pricing-facts.md §1). The window is 73 h, so the month is exactly ×10.
//
// orders (x86_64, PC 2 at 1024 MB, 20,000 of 100,000 invocations provisioned):
//
//	512 MB:  6,000,000 billed ms, 30,000 of them INIT; handler 5,970,000;
//	         20 % provisioned = 1,194,000 ms; on demand 4,806,000 ms
//	1024 MB: 4,800,000 billed ms, 20,000 INIT; handler 4,780,000;
//	         provisioned 956,000 ms; on demand 3,844,000 ms
//	on-demand GB-s 4,806,000×0.5/1000 + 3,844,000×1/1000 = 2,403 + 3,844 = 6,247
//	  × 0.0000166667 = 0.1041168749
//	provisioned duration 597 + 956 = 1,553 GB-s × 0.0000097222 = 0.0150985766
//	PC 2 × 73 h × 3,600 s × 1 GB = 525,600 GB-s × 0.0000041667 = 2.19001752
//	requests 100,000 × 0.0000002 = 0.02
//	window 2.3292329715
//
// thumbs (arm64, 2048 MB, 2,000,000 billed ms, 12,000 ms INIT unbilled):
//
//	requests 5,000 → 0.001; 4,000 GB-s × 0.0000133334 = 0.0533336;
//	window 0.0543336
//	month: 50,000 → 0.01; (20,000,000 + 120,000) ms × 2 GB = 40,240 GB-s
//	  × 0.0000133334 = 0.536536016; month 0.546536016
//
// orders month: 62,470 × 0.0000166667 = 1.041168749; 15,530 ×
// 0.0000097222 = 0.150985766; PC 2 × 730 h × 3,600 = 5,256,000 GB-s ×
// 0.0000041667 = 21.9001752; requests 1M → 0.20; month 23.292329715.
func TestDatasetBillMixedMemoryPC(t *testing.T) {
	d, err := ReadDataset("testdata/mixed-pc.dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	db, err := Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Factor != 10 {
		t.Fatalf("factor = %v, want 10 (73 h window)", db.Factor)
	}
	want := []struct {
		name           string
		window, month  string
		sizes          []int
		changed, known bool
	}{
		{"orders", "2.3292329715", "23.292329715", []int{512, 1024}, true, true},
		{"thumbs", "0.0543336", "0.546536016", []int{2048}, false, true},
		{"legacy", "0", "0", nil, false, false},
	}
	for i, w := range want {
		f := db.Functions[i]
		if f.Name != w.name || !f.Window.Total.Equal(dec(w.window)) || !f.Monthly.Total.Equal(dec(w.month)) {
			t.Errorf("%s: window %s month %s, want %s and %s", f.Name, f.Window.Total, f.Monthly.Total, w.window, w.month)
		}
		if f.MemoryChanged != w.changed || len(f.MemorySizes) != len(w.sizes) || f.Billed() != w.known {
			t.Errorf("%s: sizes %v changed %v billed %v", f.Name, f.MemorySizes, f.MemoryChanged, f.Billed())
		}
	}
	if !db.Window.Cost.Total.Equal(dec("2.3835665715")) || !db.Monthly.Cost.Total.Equal(dec("23.838865731")) {
		t.Errorf("totals window %s month %s", db.Window.Cost.Total, db.Monthly.Cost.Total)
	}
	if got := RoundCents(db.Monthly.Cost.Total).String(); got != "23.84" {
		t.Errorf("monthly total rounds to %s, want 23.84", got)
	}
	if m := db.Functions[2].Missing; strings.Join(m, ",") != "summary.duration_ms,summary.invocations" {
		t.Errorf("legacy missing %v", m)
	}
	// The old "last size × all billed ms" bill would have been
	// 10,800,000 ms × 1 GB = 10,800 GB-s: the exact one is 6,247 + 1,553.
	if gbs := db.Functions[0].WindowGBSeconds; !gbs.Equal(dec("7800")) {
		t.Errorf("orders window GB-s %s, want 7,800", gbs)
	}
	for _, field := range []string{"month", "free_tier", "functions[orders].provisioned_concurrency", "functions[thumbs].init_unbilled_ms", "functions[legacy].missing"} {
		if !hasField(db.Assumptions, field) {
			t.Errorf("no assumption %q in %v", field, db.Assumptions)
		}
	}
}

func hasField(as Assumptions, f string) bool {
	for _, a := range as {
		if a.Field == f {
			return true
		}
	}
	return false
}

func TestDatasetBillWindows(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fn := DatasetFunction{FunctionConfig: FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: X86_64},
		Summary: FunctionSummary{Invocations: 3, BilledDurationMs: 300}}
	// 11 s and 3 invocations: 730 h / 11 s = 238,909.09… → 716,727 requests.
	d := &Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(11 * time.Second), Functions: []DatasetFunction{fn}}
	db, err := Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Warnings) != 1 || !strings.Contains(db.Warnings[0], "11 s") || !strings.Contains(db.Warnings[0], "238,909") {
		t.Errorf("warnings %q: want the window and the factor", db.Warnings)
	}
	if r := db.Monthly.Functions[0].Usage.Requests; r != 716727 {
		t.Errorf("monthly requests %d, want 716,727", r)
	}

	// No window: the window bill only, and the reason.
	d.Start, d.End = time.Time{}, time.Time{}
	db, err = Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if db.Monthly != nil || db.NoMonthly != NoWindowReason || !db.Window.Cost.Total.IsPositive() {
		t.Errorf("no window: monthly %v reason %q", db.Monthly, db.NoMonthly)
	}

	// Unknown memory: billed at the default, said as an assumption naming the flag, and a warning.
	d.Functions[0].MemoryMB = 128
	d.Functions[0].ConfigUnknown = []string{"memory_mb"}
	db, err = Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(db.Warnings) == 0 || !strings.Contains(db.Warnings[0], "--memory") || !hasField(db.Assumptions, "functions[f].memory_mb") {
		t.Errorf("unknown memory: warnings %q assumptions %v", db.Warnings, db.Assumptions)
	}
}

// TestDatasetBillPCFromPeak: with PC 5 and a peak concurrency of 4, every
// invocation ran on a provisioned environment; with a peak of 9 the split is
// not known and the on-demand rate (the upper bound) is used.
func TestDatasetBillPCFromPeak(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fn := DatasetFunction{FunctionConfig: FunctionConfig{Name: "f", MemoryMB: 2048, Architecture: X86_64, ProvisionedConcurrency: 5},
		Summary: FunctionSummary{Invocations: 1000, BilledDurationMs: 500000, ConcurrencyMax: 4}}
	// A 7-minute window bills 10 minutes of PC (rounded up to 5 minutes).
	d := &Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(7 * time.Minute), Functions: []DatasetFunction{fn}}
	db, err := Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	u := db.Functions[0].WindowUsage
	if u.ProvisionedMs != 500000 || u.OnDemandMs != 0 || u.ProvisionedEnvSeconds != 5*600 {
		t.Errorf("peak ≤ PC: %+v", u)
	}
	// 5 × 600 s × 2 GB × 0.0000041667 + 1,000 GB-s × 0.0000097222 + 1,000 × 0.0000002
	want := dec("6000").Mul(dec("0.0000041667")).Add(dec("1000").Mul(dec("0.0000097222"))).Add(dec("0.0002"))
	if got := db.Functions[0].Window.Total; !got.Equal(want) {
		t.Errorf("window %s, want %s", got, want)
	}
	d.Functions[0].Summary.ConcurrencyMax = 9
	db, err = Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if u := db.Functions[0].WindowUsage; u.ProvisionedMs != 0 || u.OnDemandMs != 500000 {
		t.Errorf("peak > PC: %+v", u)
	}
}

// A dataset holds window totals, not each calendar month's usage: over a
// 1,460-hour window (two 730-hour months) the free tier can only be taken
// off the average month, and the assumption says so instead of implying a
// per-month allowance; a one-month window says nothing of the kind.
func TestDatasetBillFreeTierLongWindowSaid(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	fn := DatasetFunction{FunctionConfig: FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: X86_64},
		Summary: FunctionSummary{Invocations: 2_628_000, BilledDurationMs: 2_628_000 * 200}}
	for _, tc := range []struct {
		hours int
		said  bool
	}{{1460, true}, {730, false}} {
		d := &Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(time.Duration(tc.hours) * time.Hour), Functions: []DatasetFunction{fn}}
		db, err := Embedded().DatasetBill(d, "", Options{FreeTier: true})
		if err != nil {
			t.Fatal(err)
		}
		said := false
		for _, a := range db.Assumptions {
			said = said || a.Field == "free_tier" && strings.Contains(a.Why, "covers 2 730-hour months") && strings.Contains(a.Why, "taken once off the average month")
		}
		if said != tc.said {
			t.Errorf("%d h: the free tier's assumption says it is taken off the average month: %v, want %v (%v)", tc.hours, said, tc.said, db.Assumptions)
		}
	}
}
