package reports

import (
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Values a function's source does not measure are "n/a", and so is a
// total over them: api (logs: 1,000 invocations, 10 cold starts, no
// throttles measured) and jobs (CloudWatch without Lambda Insights: 3
// throttles, no cold starts measured). Before, the total cold-start rate
// was 10 / 1,500 = 0.67 %, jobs counted as never cold, and the throttles
// total 3 counted api as never throttled.
func TestDatasetNotMeasuredIsNotZero(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d := &pricing.Dataset{Version: 1, Source: "logs", Region: "us-east-1", Start: start, End: start.Add(24 * time.Hour),
		Functions: []pricing.DatasetFunction{
			{FunctionConfig: pricing.FunctionConfig{Name: "api", MemoryMB: 512}.WithDefaults(), NotMeasured: []string{"summary.throttles"},
				Summary: pricing.FunctionSummary{Invocations: 1000, ColdStarts: 10, DurationMs: pricing.DurationSet{Avg: 100}}},
			{FunctionConfig: pricing.FunctionConfig{Name: "jobs", MemoryMB: 1024}.WithDefaults(), NotMeasured: []string{"summary.cold_starts", "summary.init_duration_ms"},
				Summary: pricing.FunctionSummary{Invocations: 500, Throttles: 3, DurationMs: pricing.DurationSet{Avg: 200}}},
		}}
	r, err := NewDatasetReport(d, pricing.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	g := DatasetGrids(r)[0]
	cold := 5 // "Cold starts" column
	if g.Header[cold] != "Cold starts" {
		t.Fatalf("header %v", g.Header)
	}
	for _, row := range g.Rows {
		// api: 10 / 1,000 = 1%; jobs: not measured.
		want := map[string]string{"api": "1%", "jobs": "n/a"}[row[0]]
		if row[cold] != want {
			t.Errorf("%s: cold starts %q, want %q", row[0], row[cold], want)
		}
	}
	if g.Footer[cold] != "n/a" {
		t.Errorf("total cold-start rate %q, want n/a", g.Footer[cold])
	}

	s := DatasetSummaryGrid(d)
	// Columns: Errors 4, Throttles 5, Cold starts 6.
	if s.Rows[0][5] != "n/a" || s.Rows[1][6] != "n/a" || s.Rows[1][5] != "3" || s.Rows[0][6] != "10" {
		t.Errorf("summary rows %v", s.Rows)
	}
	if s.Footer[5] != "n/a" || s.Footer[6] != "n/a" || s.Footer[4] != "0" {
		t.Errorf("summary totals %v", s.Footer)
	}
}

// A merged dataset's two functions named api (eu-west-1, us-west-2) are
// two rows a reader can tell apart (before: "api" twice).
func TestDatasetRowsNameTheRegion(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	fn := func(region string) pricing.DatasetFunction {
		return pricing.DatasetFunction{FunctionConfig: pricing.FunctionConfig{Name: "api", MemoryMB: 512}.WithDefaults(), Region: region,
			Summary: pricing.FunctionSummary{Invocations: 1000, DurationMs: pricing.DurationSet{Avg: 100}}}
	}
	d := &pricing.Dataset{Version: 1, Source: "cloudwatch", Start: start, End: start.Add(24 * time.Hour),
		Functions: []pricing.DatasetFunction{fn("eu-west-1"), fn("us-west-2")}}
	r, err := NewDatasetReport(d, pricing.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, row := range DatasetGrids(r)[0].Rows {
		names[row[0]] = true
	}
	for _, row := range DatasetSummaryGrid(d).Rows {
		names["summary "+row[0]] = true
	}
	for _, want := range []string{"eu-west-1/api", "us-west-2/api", "summary eu-west-1/api", "summary us-west-2/api"} {
		if !names[want] {
			t.Errorf("no row %q in %v", want, names)
		}
	}
}
