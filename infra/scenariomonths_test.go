package infra

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestScenarioMonthByMonth prices testdata/iac/plan-pc.json ("orders",
// 1024 MB x86_64; the head adds a provisioned-concurrency config of 1)
// with a scenario of two 730-hour months (2,628,000 s each): 0.2 req/s
// of even arrivals growing 300 % a month, 200 ms (0.2 GB-s) each, no
// INIT, with the free tier. Every month is billed on its own with its
// free tier (1M requests, 400,000 GB-s; never on provisioned charges) and
// the monthly figure is the mean of the two (us-east-1 x86_64: $0.20 per
// million requests, $0.0000166667 per GB-s on demand, $0.0000097222 per
// provisioned GB-s, $0.0000041667 per provisioned-concurrency GB-s).
//
// Base, on demand (TestFreeTierPerMonthOfSpan's figures):
//
//	month 0: 525,600 requests, 105,120 GB-s: under the free tier, $0
//	month 1: 2,102,400 requests → 1,102,400 × $0.0000002 = $0.22048;
//	         420,480 GB-s → 20,480 × $0.0000166667 = $0.341334016
//	mean: $0.280907008 (the average month billed once, as before:
//	1,314,000 − 1M = 314,000 requests = $0.0628, 262,800 GB-s free)
//
// Head, every invocation on the provisioned environment (200 ms every
// 5 s, then 1.25 s: never two at once):
//
//	month 0: requests free; 105,120 × $0.0000097222 = $1.021997664;
//	         1 × 1 GB × 2,628,000 s × $0.0000041667 = $10.9500876
//	month 1: $0.22048 + 420,480 × $0.0000097222 = $4.087990656 + $10.9500876
//	mean: (11.972085264 + 15.258558256) / 2 = $13.61532176
func TestScenarioMonthByMonth(t *testing.T) {
	dir := t.TempDir()
	sc := filepath.Join(dir, "orders.yaml")
	if err := os.WriteFile(sc, []byte("name: orders-growing\nregion: us-east-1\nduration: 1460h\n"+
		"function: {name: orders, memory_mb: 1024, architecture: x86_64, duration: {distribution: fixed, value: 200ms}}\n"+
		"traffic: {arrivals: even, start_rate: 0.2, monthly_growth: 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := Source{Terraform: "../testdata/iac/plan-pc.json", Scenarios: []string{sc}}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, e, "aws_lambda_function.orders")
	eq(t, "base", sideTotal(t, f.Base), d("0.280907008"))
	eq(t, "head", sideTotal(t, f.Head), d("13.61532176"))
	var month *pricing.Assumption
	for i, a := range e.Assumptions {
		if a.Field == "aws_lambda_function.orders.month" {
			month = &e.Assumptions[i]
		}
		if strings.Contains(a.Why, "average month") {
			t.Errorf("an average month is still stated: %+v", a)
		}
	}
	if month == nil || month.Value != "the mean of 2 months' bills" {
		t.Errorf("month assumption = %+v", month)
	}
}

// Two functions whose scenarios span different months (2 and 1.5
// 730-hour months): no month is the same month of both, so each is billed
// on its simulation's average month, and the assumptions say so for both,
// naming the spans.
func TestScenarioMonthsDifferentSpans(t *testing.T) {
	dir := t.TempDir()
	var scs []string
	for _, s := range []struct{ name, span string }{{"audit", "1460h"}, {"billing", "1095h"}} {
		p := filepath.Join(dir, s.name+".yaml")
		if err := os.WriteFile(p, []byte("name: "+s.name+"\nregion: us-east-1\nduration: "+s.span+"\n"+
			"function: {name: "+s.name+", memory_mb: 128, architecture: x86_64, duration: {distribution: fixed, value: 100ms}}\n"+
			"traffic: {arrivals: even, start_rate: 0.05}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		scs = append(scs, p)
	}
	e, err := Source{Terraform: "../testdata/iac/plan-logs.json", Scenarios: scs}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []string{"aws_lambda_function.audit", "aws_lambda_function.billing"} {
		found := false
		for _, a := range e.Assumptions {
			if a.Field == addr+".month" {
				found = a.Value == "the average month" && strings.Contains(a.Why, "aws_lambda_function.audit: 1460 h") && strings.Contains(a.Why, "aws_lambda_function.billing: 1095 h")
				if !found {
					t.Errorf("%s: %+v", addr, a)
				}
			}
		}
		if !found {
			t.Errorf("%s: no month assumption in %v", addr, e.Assumptions)
		}
	}
}

// estimate --terraform --dataset over a 1,460-hour window whose series has
// one point per 730-hour month (525,600 then 2,102,400 invocations of
// 200 ms, no cold start) bills each month on its own with the free tier
// (1M requests, 400,000 GB-s; $0.20 per million, $0.0000166667 per GB-s,
// us-east-1 x86_64). testdata/iac/plan-memory.json takes checkout-api
// 512 → 2048 MB (the dataset's times on both sides):
//
//	base, 0.1 GB-s each: month 0 free (52,560 GB-s); month 1 1,102,400
//	      requests = $0.22048, 210,240 GB-s free: mean $0.11024
//	head, 0.4 GB-s each: month 0 free (210,240 GB-s); month 1 $0.22048 +
//	      440,960 GB-s × $0.0000166667 = $7.349548032: mean $3.784914016
//
// (the average month, as before: 314,000 requests = $0.0628 on both
// sides, and 131,400 or 525,600 GB-s: base $0.0628, head $0.0628 +
// 125,600 × $0.0000166667 = $2.15613752).
func TestDatasetMonthByMonth(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	ds := &pricing.Dataset{Source: "logs", Region: "us-east-1", Start: start, End: start.Add(1460 * time.Hour), Functions: []pricing.DatasetFunction{{
		FunctionConfig: pricing.FunctionConfig{Name: "checkout-api", MemoryMB: 512, Architecture: pricing.X86_64, Timeout: pricing.Duration(30 * time.Second)},
		Summary:        pricing.FunctionSummary{Invocations: 2_628_000, BilledDurationMs: 2_628_000 * 200, DurationMs: pricing.DurationSet{Avg: 200, P50: 200, P90: 200, P99: 200, Max: 200}},
		Series:         &pricing.Series{PeriodS: 2_628_000, Start: start, Invocations: []float64{525_600, 2_102_400}, DurationAvgMs: []float64{200, 200}, ConcurrencyMax: []float64{1, 1}}}}}
	path := writeDatasetFile(t, ds)
	e, err := Source{Terraform: "../testdata/iac/plan-memory.json", Dataset: path}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, e, "aws_lambda_function.api")
	eq(t, "base", sideTotal(t, f.Base), d("0.11024"))
	eq(t, "head", sideTotal(t, f.Head), d("3.784914016"))
	said := map[string]string{}
	for _, a := range e.Assumptions {
		said[a.Field] += a.Value + ";"
	}
	if said["aws_lambda_function.api.month"] != "the mean of 2 months' bills;" || !strings.Contains(said["free_tier"], "applied to each month of the window;") || strings.Contains(said["free_tier"], "average") {
		t.Errorf("assumptions: month %q, free tier %q", said["aws_lambda_function.api.month"], said["free_tier"])
	}
}

// writeDatasetFile writes ds to a dataset file in the test's directory.
func writeDatasetFile(t *testing.T, ds *pricing.Dataset) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "d.json")
	fh, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := pricing.WriteDataset(fh, ds); err != nil {
		t.Fatal(err)
	}
	return path
}
