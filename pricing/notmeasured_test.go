package pricing

import (
	"strings"
	"testing"
	"time"
)

// notMeasuredDataset is a CloudWatch dataset of averages over 73 h (×10 to
// a 730-hour month): "cw" without Lambda Insights (cold starts and INIT
// not measured), "ins" with it (5 cold starts of 200 ms INIT).
func notMeasuredDataset() *Dataset {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sum := FunctionSummary{Invocations: 1000, DurationMs: DurationSet{Avg: 100, P50: 100, P90: 100, P99: 100, Max: 100}}
	ins := sum
	ins.ColdStarts, ins.InitDurationMs = 5, InitSet{Avg: 200, P99: 200}
	return &Dataset{Version: 2, Source: "cloudwatch", Region: "us-east-1", Start: start, End: start.Add(73 * time.Hour), Functions: []DatasetFunction{
		{FunctionConfig: FunctionConfig{Name: "cw", MemoryMB: 1024, Architecture: X86_64, Timeout: Duration(3 * time.Second)}, Summary: sum,
			NotMeasured: []string{"summary.cold_starts", "summary.init_duration_ms", "summary.max_memory_used_mb"}},
		{FunctionConfig: FunctionConfig{Name: "ins", MemoryMB: 1024, Architecture: X86_64, Timeout: Duration(3 * time.Second)}, Summary: ins},
	}}
}

func findAssumption(as Assumptions, field string) (Assumption, bool) {
	for _, a := range as {
		if a.Field == field {
			return a, true
		}
	}
	return Assumption{}, false
}

// A bill of averages without measured cold starts has no INIT, and says
// so for that function only: cw bills 1,000 × 100 ms = 100,000 ms and no
// INIT; ins bills 1,000 × 100 + 5 × 200 = 101,000 ms, 1,000 of them INIT.
// Before, cw's bill silently had no INIT (cold starts read as 0).
func TestDatasetBillSaysINITNotMeasured(t *testing.T) {
	db, err := Embedded().DatasetBill(notMeasuredDataset(), "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ ms, init int64 }{{100_000, 0}, {101_000, 1_000}} {
		if u := db.Functions[i].WindowUsage; u.OnDemandMs != want.ms || u.InitMs != want.init {
			t.Errorf("%s: %d ms (%d INIT), want %d (%d)", db.Functions[i].Name, u.OnDemandMs, u.InitMs, want.ms, want.init)
		}
	}
	if a, ok := findAssumption(db.Assumptions, "functions[cw].init"); !ok || a.Value != "not billed" || !strings.Contains(a.Why, "not_measured") {
		t.Errorf("cw: no 'INIT not billed' assumption in %v", db.Assumptions)
	}
	if a, ok := findAssumption(db.Assumptions, "functions[ins].init"); ok {
		t.Errorf("ins measures its cold starts, yet: %v", a)
	}
}

// The usage file written from a dataset gives cw no cold-start rate and
// says its INIT is not priced (not measured), where before it wrote the
// rate as if 0 had been observed; ins gets 5 / 1,000 = 0.005.
func TestUsageFileFromDatasetNotMeasured(t *testing.T) {
	u, as, err := UsageFileFromDataset(notMeasuredDataset())
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Functions) != 2 || u.Functions[0].ColdStartRate != 0 || u.Functions[1].ColdStartRate != 0.005 {
		t.Fatalf("entries %+v", u.Functions)
	}
	if a, ok := findAssumption(as, "functions[cw].cold_start_rate"); !ok || a.Value != "not measured" || !strings.Contains(a.Why, "INIT") {
		t.Errorf("cw: no 'cold start rate not measured' assumption in %v", as)
	}
	if a, ok := findAssumption(as, "functions[ins].cold_start_rate"); ok {
		t.Errorf("ins measures its cold starts, yet: %v", a)
	}
}
