package reports

import (
	"reflect"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func TestDatasetSummaryGrid(t *testing.T) {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	d := &pricing.Dataset{Source: "logs", Region: "us-east-1", Start: start, End: start.Add(time.Hour), Functions: []pricing.DatasetFunction{
		{FunctionConfig: pricing.FunctionConfig{Name: "a", MemoryMB: 1024, Architecture: pricing.ARM64},
			Summary: pricing.FunctionSummary{Invocations: 1500, Errors: 2, ColdStarts: 3, DurationMs: pricing.DurationSet{P50: 12.5, P99: 80, Max: 120.25}, MaxMemoryUsedMB: 70, BilledGBSeconds: 20.5}},
		{FunctionConfig: pricing.FunctionConfig{Name: "b", MemoryMB: 128, Architecture: pricing.X86_64}, ConfigUnknown: []string{"memory_mb", "architecture"},
			Summary: pricing.FunctionSummary{Invocations: 500, Throttles: 4, BilledGBSeconds: 1.25}, Missing: []string{"summary.errors", "summary.duration_ms.p99"}},
	}}
	g := DatasetSummaryGrid(d)
	if g.Title != "Dataset (logs, us-east-1, 2026-11-02T10:00:00Z – 2026-11-02T11:00:00Z)" {
		t.Errorf("title %q", g.Title)
	}
	want := [][]string{
		{"a", "1024", "arm64", "1,500", "2", "0", "3", "12.5", "80", "120.25", "70", "20.5"},
		{"b (incomplete)", "128 (assumed)", "x86_64 (assumed)", "500", "missing", "4", "0", "–", "missing", "–", "–", "1.25"},
	}
	if !reflect.DeepEqual(g.Rows, want) {
		t.Errorf("rows\n got %q\nwant %q", g.Rows, want)
	}
	// Totals: 2,000 invocations, 2 errors, 4 throttles, 3 cold starts, 21.75 GB-s.
	if wantF := []string{"Total of what arrived (1 incomplete)", "", "", "2,000", "2", "4", "3", "", "", "", "", "21.75"}; !reflect.DeepEqual(g.Footer, wantF) {
		t.Errorf("footer %q, want %q", g.Footer, wantF)
	}
	d.Start = time.Time{}
	if g := DatasetSummaryGrid(d); g.Title != "Dataset (logs, us-east-1)" {
		t.Errorf("title without a window %q", g.Title)
	}
}
