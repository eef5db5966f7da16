package pricing

import (
	"math"
	"strings"
	"testing"
	"time"
)

// A 1,095-hour window is 1.5 730-hour months (2,628,000 s and 1,314,000
// s). A series of two 547.5-hour periods: the first in month 0, the
// second 182.5 h in month 0 and 365 h in month 1. Invocations 100 and
// 300 (durations 10 and 40 ms):
//
//	invocations: month 0 = 100 + 300 × 182.5/547.5 = 200, month 1 = 200
//	ms:          month 0 = 1,000 + 12,000/3 = 5,000, month 1 = 8,000
//
// From the monthly projection (window × 730/1,095) to each month's own
// (month × 730 h / its hours): × share × 1,095/730 = × 1.5 for month 0,
// × 1,095/365 = × 3 for month 1. Counts: 0.5 × 1.5 = 0.75, 0.5 × 3 = 1.5;
// ms: 5/13 × 1.5 = 15/26, 8/13 × 3 = 24/13.
func TestMonthFactors(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Start: start, End: start.Add(1095 * time.Hour)}
	f := &DatasetFunction{Summary: FunctionSummary{Invocations: 400},
		Series: &Series{PeriodS: 1_971_000, Start: start, Invocations: []float64{100, 300}, DurationAvgMs: []float64{10, 40}}}
	sec, req, ms, ok := d.MonthFactors(f)
	if !ok {
		t.Fatal("not split")
	}
	want := [][]float64{{2_628_000, 1_314_000}, {0.75, 1.5}, {15.0 / 26, 24.0 / 13}}
	for i, got := range [][]float64{sec, req, ms} {
		for m := range want[i] {
			if len(got) != 2 || math.Abs(got[m]-want[i][m]) > 1e-12 {
				t.Errorf("%d: %v, want %v", i, got, want[i])
				break
			}
		}
	}
	// Totals only: not split; a month or less: nothing to split.
	if _, _, _, ok := d.MonthFactors(&DatasetFunction{Summary: FunctionSummary{Invocations: 400}}); ok {
		t.Error("a function without a series was split")
	}
	d.End = start.Add(730 * time.Hour)
	if _, _, _, ok := d.MonthFactors(f); ok || d.WindowMonths() != nil {
		t.Error("a one-month window was split")
	}
}

// A 1,460-hour dataset (two 730-hour months) whose series has one point
// per month, 525,600 and 2,102,400 invocations of 200 ms at 1024 MB
// (x86_64, us-east-1: $0.20 per million requests, $0.0000166667 per
// GB-s), with the free tier (1M requests, 400,000 GB-s a month):
//
//	month 0: 525,600 requests, 105,120 GB-s: under the free tier, $0
//	month 1: 2,102,400 requests → 1,102,400 × $0.0000002 = $0.22048;
//	         420,480 GB-s → 20,480 × $0.0000166667 = $0.341334016
//	mean month: $0.280907008
//
// The average month billed once (before; and still for a dataset of
// totals only, which says so): 1,314,000 − 1M = 314,000 requests =
// $0.0628, 262,800 GB-s under the free tier. Without the free tier the
// months add linearly: (1.857123504 + 7.428494016) / 2 = $4.64280876, the
// average month's 0.2628 + 4.38000876.
func TestDatasetBillMonthByMonth(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	fn := DatasetFunction{FunctionConfig: FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: X86_64},
		Summary: FunctionSummary{Invocations: 2_628_000, BilledDurationMs: 2_628_000 * 200},
		Series:  &Series{PeriodS: 2_628_000, Start: start, Invocations: []float64{525_600, 2_102_400}, DurationAvgMs: []float64{200, 200}, ConcurrencyMax: []float64{1, 1}}}
	totals := fn
	totals.Series = nil
	for _, tc := range []struct {
		name     string
		fn       DatasetFunction
		freeTier bool
		want     string
		months   bool
	}{
		{"series, free tier", fn, true, "0.280907008", true},
		{"totals only, free tier", totals, true, "0.0628", false},
		{"series, no free tier", fn, false, "4.64280876", true},
	} {
		d := &Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(1460 * time.Hour), Functions: []DatasetFunction{tc.fn}}
		db, err := Embedded().DatasetBill(d, "", Options{FreeTier: tc.freeTier})
		if err != nil {
			t.Fatal(err)
		}
		if got := db.Monthly.Cost.Total.String(); got != tc.want || db.Functions[0].Monthly.Total.String() != tc.want {
			t.Errorf("%s: monthly $%s (function $%s), want $%s", tc.name, got, db.Functions[0].Monthly.Total, tc.want)
		}
		a, ok := findAssumption(db.Assumptions, "months")
		if ok != tc.months || ok && a.Value != "the mean of 2 months' bills" || tc.months != (db.Months == 2) {
			t.Errorf("%s: months assumption %v %+v", tc.name, ok, a)
		}
		if ft, _ := findAssumption(db.Assumptions, "free_tier"); tc.freeTier && strings.Contains(ft.Why, "average month") == tc.months {
			t.Errorf("%s: free tier %+v", tc.name, ft)
		}
		// The window's own bill is unchanged: 2,628,000 − 1M requests
		// = $0.3256, 525,600 − 400,000 GB-s = 125,600 × $0.0000166667 =
		// $2.09333752 with the free tier.
		if tc.freeTier && db.Window.Cost.Total.String() != "2.41893752" {
			t.Errorf("%s: window $%s", tc.name, db.Window.Cost.Total)
		}
	}
}
