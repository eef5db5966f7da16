package pricing

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"time"
)

// pcSeriesFunction is a function whose provisioned concurrency changed
// during a window of n one-minute periods. Per minute, the collected
// ProvisionedConcurrentExecutions (busy) and ProvisionedConcurrencyUtilization:
//
//	minute      0    1    2     3  4  5    6    7…
//	busy        –    2    3     –  –  4    4    –
//	utilisation –    0.5  0.75  –  –  0.4  0.5  –
//	level       4←   4    4     4→ 4→ 10   8    8→
//
// (– no value: CloudWatch publishes neither metric without provisioned
// invocations; ← back-filled from the first measured minute, → carried.)
func pcSeriesFunction(n, configured int) DatasetFunction {
	busy := make([]float64, n)
	util := make([]float64, n)
	copy(busy, []float64{0, 2, 3, 0, 0, 4, 4})
	copy(util, []float64{0, 0.5, 0.75, 0, 0, 0.4, 0.5})
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	return DatasetFunction{
		FunctionConfig: FunctionConfig{Name: "pc", MemoryMB: 1024, Architecture: X86_64, Timeout: 3, ProvisionedConcurrency: configured},
		Series: &Series{PeriodS: 60, Start: start, Invocations: make([]float64, n),
			ProvisionedConcurrentExecutions: busy, ProvisionedConcurrencyUtilization: util},
	}
}

func TestProvisionedUseFromSeries(t *testing.T) {
	// 10 minutes: 4×5 + 10 + 8×4 = 62 level-minutes = 3,720 env-s; the
	// 600 s span is a multiple of 5 minutes.
	f := pcSeriesFunction(10, 8)
	pu := f.ProvisionedUse(10 * time.Minute)
	want := []int{4, 4, 4, 4, 4, 10, 8, 8, 8, 8}
	if pu.Source != PCFromSeries || pu.EnvSeconds != 3720 || !slices.Equal(pu.Levels, want) || pu.Measured != 4 || pu.Carried != 6 || pu.MinLevel != 4 || pu.MaxLevel != 10 {
		t.Errorf("10 min: %+v", pu)
	}
	// 11 minutes: 70 level-minutes = 4,200 env-s, and the 660 s span is
	// billed as 900 s: 240 s more at the last level 8 = 1,920 → 6,120.
	f = pcSeriesFunction(11, 8)
	if pu := f.ProvisionedUse(11 * time.Minute); pu.EnvSeconds != 6120 {
		t.Errorf("11 min: %d env-s, want 6120", pu.EnvSeconds)
	}
	// Without the utilisation series the level is not measured: the
	// configuration (5) for the whole 10-minute window, 3,000 env-s.
	f = pcSeriesFunction(10, 5)
	f.Series.ProvisionedConcurrencyUtilization = nil
	if pu := f.ProvisionedUse(10 * time.Minute); pu.Source != PCFromConfiguration || pu.EnvSeconds != 3000 {
		t.Errorf("no utilisation: %+v", pu)
	}
	// Neither measured nor configured: nothing.
	f.ProvisionedConcurrency = 0
	if pu := f.ProvisionedUse(10 * time.Minute); pu.Source != "" || pu.EnvSeconds != 0 {
		t.Errorf("nothing: %+v", pu)
	}
}

// The bill charges provisioned concurrency for the level and time the
// series measured, not the configuration read at collection (8 × 10 min
// would be 4,800 env-s), and also when the configuration no longer has
// any (removed before collection). 10 one-minute periods at 1024 MB x86:
//
//	window  3,720 GB-s × $0.0000041667 = $0.0155001240
//	month   × 730 h / 10 min = ×4,380: 16,293,600 GB-s × $0.0000041667 = $67.8905431200
func TestDatasetBillPCFromSeries(t *testing.T) {
	for _, configured := range []int{8, 0} {
		f := pcSeriesFunction(10, configured)
		d := &Dataset{Version: 1, Region: "us-east-1", Start: f.Series.Start, End: f.Series.Start.Add(10 * time.Minute), Functions: []DatasetFunction{f}}
		db, err := Embedded().DatasetBill(d, "", Options{})
		if err != nil {
			t.Fatal(err)
		}
		fb := db.Functions[0]
		if got, want := fb.Window.Total, dec("0.0155001240"); !got.Equal(want) {
			t.Errorf("configured %d: window %s, want %s", configured, got, want)
		}
		if got, want := fb.Monthly.Total, dec("67.89054312"); !got.Equal(want) {
			t.Errorf("configured %d: month %s, want %s", configured, got, want)
		}
		var why string
		for _, a := range db.Assumptions {
			if a.Field == "functions[pc].provisioned_concurrency" {
				why = a.Why
			}
		}
		if !strings.Contains(why, "level 4–10 billed from the collected series") || !strings.Contains(why, "0.1 h without provisioned invocations") {
			t.Errorf("configured %d: assumption %q", configured, why)
		}
		if configured == 8 && !strings.Contains(why, "configuration read at collection says 8") {
			t.Errorf("the configured level is not mentioned: %q", why)
		}
	}
}

// The utilisation series survives a write and a read.
func TestSeriesUtilizationRoundTrip(t *testing.T) {
	f := pcSeriesFunction(10, 8)
	d := &Dataset{Version: 1, Region: "us-east-1", Start: f.Series.Start, End: f.Series.Start.Add(10 * time.Minute), Functions: []DatasetFunction{f}}
	var b bytes.Buffer
	if err := WriteDataset(&b, d); err != nil {
		t.Fatal(err)
	}
	written := b.String()
	got, err := DecodeDataset("d.json", &b)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Functions[0].Series.ProvisionedConcurrencyUtilization, f.Series.ProvisionedConcurrencyUtilization) {
		t.Errorf("utilisation %v", got.Functions[0].Series.ProvisionedConcurrencyUtilization)
	}
	// Arrays of another length are refused.
	bad := strings.Replace(written, `"provisioned_concurrency_utilization": [`, `"provisioned_concurrency_utilization": [1,`, 1)
	if bad == written {
		t.Fatal("no utilisation array in the JSON")
	}
	if _, err := DecodeDataset("d.json", strings.NewReader(bad)); err == nil {
		t.Error("a utilisation array of another length was accepted")
	}
}

// usage init --dataset writes the measured provisioned concurrency as one
// level and its hours with the same env-seconds: 3,720 env-s in 10 minutes
// × 4,380 = 16,293,600 env-s a month = level 10 × 452.6 h.
func TestUsageFileProvisionedFromSeries(t *testing.T) {
	f := pcSeriesFunction(10, 8)
	f.Summary = FunctionSummary{Invocations: 100, DurationMs: DurationSet{Avg: 10}}
	d := &Dataset{Version: 1, Region: "us-east-1", Start: f.Series.Start, End: f.Series.Start.Add(10 * time.Minute), Functions: []DatasetFunction{f}}
	u, as, err := UsageFileFromDataset(d)
	if err != nil {
		t.Fatal(err)
	}
	e := u.Functions[0]
	if e.ProvisionedConcurrency != 10 || math.Abs(e.ProvisionedHours-16293600.0/10/3600) > 1e-9 || !hasField(as, "functions[pc].provisioned_hours") {
		t.Errorf("level %d, hours %v, assumptions %v", e.ProvisionedConcurrency, e.ProvisionedHours, as)
	}
}
