package planner

import (
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func kindsOf(recs []Recommendation) map[string]Recommendation {
	m := map[string]Recommendation{}
	for _, r := range recs {
		m[r.Function+"/"+r.Kind] = r
	}
	return m
}

// TestRecommendRealTimeoutAndMemoryLimit: a timeout the dataset does not
// know gives no timeout advice (the default 3 s would call a 2.9 s p99
// "near the timeout"); a function that used 1024 of 1024 MB gets "raise
// memory"; an incomplete function is flagged and not advised on.
func TestRecommendRealTimeoutAndMemoryLimit(t *testing.T) {
	const ds = `{"version":1,"source":"logs","region":"us-east-1","start":"2026-11-01T00:00:00Z","end":"2026-11-02T00:00:00Z","functions":[
 {"name":"nocfg","memory_mb":1024,"architecture":"arm64","summary":{"invocations":1000,"errors":0,"throttles":0,"cold_starts":1,
  "duration_ms":{"avg":2500,"p50":2400,"p90":2800,"p99":2900,"max":2950},"init_duration_ms":{"avg":100,"p99":100},"max_memory_used_mb":1024,
  "billed_duration_ms":2500100,"billed_gb_seconds":2500.1}},
 {"name":"gone","memory_mb":512,"architecture":"arm64","timeout":"30s","summary":{"invocations":null,"errors":0,"throttles":0,"cold_starts":0,
  "duration_ms":null,"init_duration_ms":{"avg":0,"p99":0},"max_memory_used_mb":0,"billed_gb_seconds":null},
  "missing":["summary.invocations","summary.duration_ms","summary.billed_gb_seconds"]}]}`
	d, err := pricing.DecodeDataset("ds.json", strings.NewReader(ds))
	if err != nil {
		t.Fatal(err)
	}
	r, err := RecommendDatasetFull(pricing.Embedded(), d, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	k := kindsOf(r.Recommendations)
	if _, ok := k["nocfg/timeout"]; ok {
		t.Errorf("timeout advice without a known timeout: %+v", k["nocfg/timeout"])
	}
	if m, ok := k["nocfg/memory_limit"]; !ok || m.Suggested != "1536" || !strings.Contains(m.Message, "1024 of 1024 MB") {
		t.Errorf("memory limit: %+v", m)
	}
	if _, ok := k["nocfg/memory"]; ok {
		t.Error("memory-reduction advice for a function at its limit")
	}
	if g, ok := k["gone/incomplete"]; !ok || !strings.Contains(g.Message, "summary.invocations") || len(r.Recommendations) != 2 {
		t.Errorf("incomplete: %+v (all: %+v)", g, r.Recommendations)
	}
	found := false
	for _, a := range r.Assumptions {
		found = found || a.Field == "functions[nocfg].timeout" && a.Value == "unknown"
	}
	if !found {
		t.Errorf("no timeout assumption in %v", r.Assumptions)
	}

	// With the timeout known (3 s), the p99 of 2.9 s is 97 % of it.
	d.Functions[0].ConfigUnknown = nil
	d.Functions[0].Timeout = pricing.Duration(3 * time.Second)
	r, err = RecommendDatasetFull(pricing.Embedded(), d, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if to, ok := kindsOf(r.Recommendations)["nocfg/timeout"]; !ok || !strings.Contains(to.Message, "97%") {
		t.Errorf("timeout: %+v", to)
	}
}

// TestRecommendArchitectureExactBill: the arm64 saving of a function whose
// memory changed is computed on its exact bill. x86_64, 73 h window (×10):
// 512 MB × 1,000,000 ms + 1024 MB × 1,000,000 ms = 500 + 1,000 GB-s in
// the window → 15,000 GB-s a month; arm64 saves 15,000 × (0.0000166667 −
// 0.0000133334) = $0.0499995. (The old bill, 1024 MB × all ms, would
// have said 20,000 GB-s → $0.066666.)
func TestRecommendArchitectureExactBill(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d := &pricing.Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(73 * time.Hour), Functions: []pricing.DatasetFunction{{
		FunctionConfig: pricing.FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: pricing.X86_64, Timeout: pricing.Duration(10 * time.Second)},
		Summary: pricing.FunctionSummary{Invocations: 20000, BilledDurationMs: 2_000_000, DurationMs: pricing.DurationSet{Avg: 100, P99: 200, Max: 300}, MaxMemoryUsedMB: 400,
			ByMemory: []pricing.MemoryUsage{{MemoryMB: 512, Invocations: 10000, BilledDurationMs: 1_000_000}, {MemoryMB: 1024, Invocations: 10000, BilledDurationMs: 1_000_000}}},
	}}}
	recs, err := RecommendDataset(pricing.Embedded(), d, RecommendOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, ok := kindsOf(recs)["f/architecture"]
	if !ok || a.MonthlySavingsUSD < 0.0499994 || a.MonthlySavingsUSD > 0.0499996 {
		t.Errorf("architecture saving %+v, want $0.0499995", a)
	}
}

// TestRecommendNotMeasured: a function read from logs (throttles not
// measured) and one from CloudWatch metrics without Lambda Insights (cold
// starts, INIT and memory used not measured). Their nulls are read as 0,
// so no rule fires on them; each value the advice could not use is listed
// as not measured with what the advice did instead (before, nothing said
// that "no throttle advice" meant "throttles unknown").
func TestRecommendNotMeasured(t *testing.T) {
	const ds = `{"version":2,"source":"cloudwatch","region":"us-east-1","start":"2026-11-01T00:00:00Z","end":"2026-11-02T00:00:00Z","functions":[
 {"name":"logs","memory_mb":512,"architecture":"arm64","timeout":"30s","summary":{"invocations":1000,"errors":0,"throttles":null,"cold_starts":1,
  "duration_ms":{"avg":50,"p50":50,"p90":50,"p99":50,"max":50},"init_duration_ms":{"avg":100,"p99":100},"max_memory_used_mb":300,
  "billed_duration_ms":50100,"billed_gb_seconds":25.05},"not_measured":["summary.throttles"]},
 {"name":"cw","memory_mb":512,"architecture":"arm64","timeout":"30s","summary":{"invocations":1000,"errors":0,"throttles":0,"cold_starts":null,
  "duration_ms":{"avg":50,"p50":50,"p90":50,"p99":50,"max":50},"init_duration_ms":null,"max_memory_used_mb":null,"billed_gb_seconds":25},
  "not_measured":["summary.cold_starts","summary.init_duration_ms","summary.max_memory_used_mb"]}]}`
	d, err := pricing.DecodeDataset("ds.json", strings.NewReader(ds))
	if err != nil {
		t.Fatal(err)
	}
	r, err := RecommendDatasetFull(pricing.Embedded(), d, RecommendOptions{NoLMI: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, a := range r.Assumptions {
		if a.Value == "not measured" {
			got[a.Field] = a.Why
		}
	}
	for field, why := range map[string]string{
		"functions[logs].summary.throttles":        "no throttle advice",
		"functions[cw].summary.cold_starts":        "no cold-start advice",
		"functions[cw].summary.max_memory_used_mb": "no memory advice",
	} {
		if !strings.Contains(got[field], why) {
			t.Errorf("%s: %q, want %q (all: %v)", field, got[field], why, got)
		}
	}
	if len(got) != 3 {
		t.Errorf("not measured: %v, want the 3 above", got)
	}
	for _, rec := range r.Recommendations {
		if rec.Function == "cw" && (rec.Kind == KindMemory || rec.Kind == KindColdStarts) || rec.Kind == KindThrottles {
			t.Errorf("advice on a value not measured: %+v", rec)
		}
	}
}
