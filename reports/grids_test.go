package reports

import (
	"bytes"
	"io"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// Golden tables for results built by hand (not by the engines), so that
// they test this package's formatting only.

func handSimulation() *simulator.Result {
	lines := []pricing.CostLine{
		pricing.NewLine(pricing.LineRequests, "requests", decimal.NewFromInt(1_000_000), decimal.RequireFromString("0.0000002")),
		pricing.NewLine(pricing.LineDuration, "GB-s", decimal.NewFromInt(50_000), decimal.RequireFromString("0.0000133334")),
	}
	monthly := pricing.Cost{}
	for _, l := range lines {
		monthly.Add(l)
	}
	return &simulator.Result{
		Scenario: xssName, Region: "us-east-1", Seed: 42, Runs: 3, SimulatedSeconds: 7200,
		Arrivals: 10_500, Invocations: 10_000, ColdStarts: 125, ColdStartRate: 0.0125, Throttles: 500, ThrottleRate: 500.0 / 10_500,
		PeakConcurrency: 48, MeanConcurrency: 3.25, MeanEnvironments: 9.5, EnvironmentsCreated: 130,
		LatencyMs:       simulator.Latency{P50: 80, P90: 160, P99: 420.5, Max: 1900, Mean: 101},
		BilledGBSeconds: 1234.5, CostUSD: 0.0185, CostPerMillionUSD: 1.85,
		MonthlyCostUSD: monthly.TotalUSD(), MonthlyCost: monthly,
		Bands: map[string]simulator.Band{
			"invocations":    {P5: 9_800, P95: 10_200},
			"cold_starts":    {P5: 110, P95: 140},
			"latency_ms.p99": {P5: 400, P95: 450},
		},
	}
}

func handCompare() *fleet.Result {
	be := int64(40_285_374)
	return &fleet.Result{
		Name: markerFn, Region: "us-east-1", PriceDate: "2026-11-01",
		Workload: fleet.WorkloadSummary{MonthlyRequests: 131_400_000, MeanRPS: 50, PeakRPS: 100, DurationMs: 100},
		Lambda: fleet.LambdaResult{MonthlyCostUSD: 464.06, Architecture: pricing.X86_64, MemoryMB: 2048,
			X86: fleet.LambdaArch{MonthlyCostUSD: 464.06}, ARM: fleet.LambdaArch{MonthlyCostUSD: 376.47}},
		EC2:                       fleet.FleetResult{Kind: "ec2", InstanceType: "m7g.large", Architecture: pricing.ARM64, Sizing: fleet.Sizing{Instances: 2, Utilization: 0.25}, MonthlyCostUSD: 158.9},
		Fargate:                   fleet.FleetResult{Kind: "fargate", Architecture: pricing.ARM64, Sizing: fleet.Sizing{Instances: 4, Utilization: 0.3125}, MonthlyCostUSD: 201.33, Task: &fleet.FargateTask{VCPU: 1, MemoryGB: 2}},
		BreakevenRequestsPerMonth: &be,
		Breakevens: []fleet.Breakeven{
			{LambdaArchitecture: pricing.X86_64, Fleet: "ec2", RequestsPerMonth: &be, MeanRPS: 15.33, CostUSD: 158.9},
			{LambdaArchitecture: pricing.ARM64, Fleet: "fargate"},
		},
		Cheapest: "ec2",
	}
}

func handTune() *runner.TuneResult {
	return &runner.TuneResult{
		Function: markerFn, Region: "us-east-1", Architecture: pricing.ARM64, Count: 10, Strategy: "cost", Basis: "measured",
		Results: []runner.TunePoint{
			{MemoryMB: 128, VCPU: 128.0 / 1769, Status: "failed", Failure: "timeout"},
			{MemoryMB: 512, VCPU: 512.0 / 1769, Status: "ok", Invocations: 10,
				DurationMs:     runner.Percentiles{N: 9, P50: 400, P90: 420, P99: 431.5, Mean: 405},
				InitDurationMs: runner.Percentiles{N: 1, P50: 120}, MaxMemoryUsedMB: 61,
				CostPerInvocationUSD: 0.0000028667, CostPerMillionUSD: 2.8667},
			{MemoryMB: 1024, VCPU: 1024.0 / 1769, Status: "ok", Invocations: 10,
				DurationMs:     runner.Percentiles{N: 9, P50: 200, P90: 210, P99: 215, Mean: 202},
				InitDurationMs: runner.Percentiles{N: 1, P50: 110}, MaxMemoryUsedMB: 61,
				CostPerInvocationUSD: 0.0000028000, CostPerMillionUSD: 2.8},
		},
		Recommendation: &runner.Recommendation{MemoryMB: 1024, Strategy: "cost", DurationMs: 200, CostPerMillionUSD: 2.8},
	}
}

func TestResultGridsGolden(t *testing.T) {
	for name, grids := range map[string][]Grid{
		"simulation": SimulationGrids(handSimulation()),
		"compare":    CompareGrids(handCompare()),
		"tune":       TuneGrids(handTune()),
	} {
		for _, f := range []Format{Table, Markdown, CSV} {
			var b bytes.Buffer
			if err := writeAllGrids(&b, f, grids); err != nil {
				t.Fatal(err)
			}
			golden(t, name+"."+string(f)+".golden", b.Bytes())
		}
	}
}

// TestHandPagesRender: the pages of hand-built results render, and the
// hostile names land escaped.
func TestHandPagesRender(t *testing.T) {
	for name, p := range map[string]*Page{
		"simulation": SimulationPage(handSimulation(), nil),
		"compare":    ComparePage(handCompare()),
		"tune":       TunePage(handTune()),
		"pipeline":   PipelinePage("demo", handTune(), handSimulation(), nil, handCompare()),
	} {
		html := renderString(t, p)
		if bytes.Contains([]byte(html), []byte("<script>alert")) {
			t.Errorf("%s: raw markup from data", name)
		}
	}
}

// TestEmptyResultsRender: results with nothing in them still give tables
// and a page (no panic, no NaN in the options).
func TestEmptyResultsRender(t *testing.T) {
	d := &pricing.Dataset{Version: 1, Source: "logs", Region: "us-east-1"}
	r, err := NewDatasetReport(d, pricing.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	failed := &runner.TuneResult{Function: "f", Results: []runner.TunePoint{{MemoryMB: 128, Status: "failed", Failure: "out of memory"}}}
	empty := &simulator.Result{Region: "us-east-1"}
	cmp := &fleet.Result{Region: "us-east-1"}
	for name, p := range map[string]*Page{
		"dataset":    DatasetPage(r),
		"tune":       TunePage(failed),
		"simulation": SimulationPage(empty, nil),
		"compare":    ComparePage(cmp),
	} {
		var b bytes.Buffer
		if err := p.Render(&b); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, g := range [][]Grid{DatasetGrids(r), TuneGrids(failed), SimulationGrids(empty), CompareGrids(cmp)} {
		if err := WriteGrids(&bytes.Buffer{}, Table, Style{}, g...); err != nil {
			t.Error(err)
		}
	}
}

// TestLatencyChartShowsRunBands: with several runs the latency chart adds
// the p5 and p95 of each percentile across runs as markers.
func TestLatencyChartShowsRunBands(t *testing.T) {
	r := handSimulation()
	c := latencyPercentileChart("l", r, false)
	series := c.Option["series"].([]any)
	if len(series) != 3 {
		t.Fatalf("%d series, want bars + p5 + p95", len(series))
	}
	p95 := series[2].(map[string]any)["data"].([]any)
	// Bands["latency_ms.p99"] = {400, 450}: the p99 column's p95 marker.
	if v := p95[2].(map[string]any)["value"]; v != 450.0 {
		t.Errorf("p95 marker at p99 = %v, want 450", v)
	}
	r.Runs, r.Bands = 1, nil
	if n := len(latencyPercentileChart("l", r, false).Option["series"].([]any)); n != 1 {
		t.Errorf("one run: %d series, want 1", n)
	}
}

// The recommended row repeats the recommended size's own figures: the mean
// under "Mean ms" (202 in handTune), the p50 under "p50 ms" (200).
func TestTuneFooterColumns(t *testing.T) {
	g := TuneGrids(handTune())[0]
	col := map[string]int{}
	for i, h := range g.Header {
		col[h] = i
	}
	if got := g.Footer[col["Mean ms"]]; got != "202" {
		t.Errorf("Mean ms = %q, want 202 (the 1024 MB size's mean)", got)
	}
	if got := g.Footer[col["p50 ms"]]; got != "200" {
		t.Errorf("p50 ms = %q, want 200", got)
	}
}

// writeAllGrids writes every grid; CSV, one table per output, as each
// table after the other (what --out-dir writes as files).
func writeAllGrids(w io.Writer, f Format, grids []Grid) error {
	if f != CSV {
		return WriteGrids(w, f, Style{}, grids...)
	}
	for _, g := range grids {
		if err := WriteGrids(w, f, Style{}, g); err != nil {
			return err
		}
	}
	return nil
}
