package collector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

// get-metric-data JSON carries neither the query's period nor its window:
// both come from the gaps between timestamps. Results of one datapoint
// each (get-metric-data --period 1209600 over a fortnight) have no gap; a
// minute taken for the period put 1.4 M invocations into a 60 s window,
// which report then projected ×43,800 to a month. Refused, exit 2.
func TestImportMetricSinglePointRefused(t *testing.T) {
	path := filepath.Join("..", "testdata", "cloudwatch", "whole-window.json")
	_, _, err := ImportFiles([]string{path}, ImportOptions{MemoryMB: 1024})
	var ie *pricing.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "whole-window.json") || !strings.Contains(err.Error(), "--period") {
		t.Fatalf("want an input error naming the file and --period, got %v", err)
	}
}

// The window of get-metric-data results is an inference, and listed as
// one: points at 09:00 and 17:00 only (the hours between had no
// invocations, which CloudWatch omits) have one gap, 8 h = 28,800 s, taken
// for the period; the window is then 09:00 to the end of the last period,
// 17:00 + 8 h = 01:00 the next day, and the assumption says how it was
// found (the query's own window and period are not in the JSON).
func TestImportMetricWindowListed(t *testing.T) {
	path := filepath.Join("..", "testdata", "cloudwatch", "hourly-quiet-start.json")
	d, _, err := ImportFiles([]string{path}, ImportOptions{MemoryMB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	// 1,500 + 2,500 invocations.
	if d.Functions[0].Summary.Invocations != 4000 {
		t.Errorf("invocations %d, want 4000", d.Functions[0].Summary.Invocations)
	}
	if !hasAssumption(d, "window", "2026-11-03T09:00:00Z – 2026-11-04T01:00:00Z") {
		t.Errorf("window not listed as assumed: %+v", d.Assumptions)
	}
	found := false
	for _, a := range d.Assumptions {
		if a.Field == "window" && strings.Contains(a.Why, "28800 s period") && strings.Contains(a.Why, "carries neither") {
			found = true
		}
	}
	if !found {
		t.Errorf("the window's assumption does not say how it was inferred: %+v", d.Assumptions)
	}
}

// Logs carry no throttles: a throttled request runs no code and writes no
// line. An import of logs alone lists summary.throttles as not measured
// and writes it as null (before: 0, and `check throttles == 0` passed).
// With a get-metric-data export of the same function that has Throttles
// (2 at 10:01, nothing at 10:00), they are measured: 2.
func TestImportThrottlesNotInLogs(t *testing.T) {
	log := writeTemp(t, "orders.log", "2026-11-02T10:00:30.000Z REPORT RequestId: 3f0b4c1e-6a55-4d8e-9d0b-1a2b3c4d5e6f\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t\n")
	d, _, err := ImportFiles([]string{log}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, d, "orders")
	if f.Measured("summary.throttles") || f.Incomplete() {
		t.Errorf("logs alone: not_measured %v, missing %v; want throttles not measured, nothing missing", f.NotMeasured, f.Missing)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"throttles":null`) {
		t.Errorf("throttles not written as null: %s", b)
	}
	// Read back: still not measured, and not taken for a failed collection.
	var g pricing.DatasetFunction
	if err := json.Unmarshal(b, &g); err != nil || g.Measured("summary.throttles") || g.Incomplete() {
		t.Errorf("read back: %v, not_measured %v, missing %v", err, g.NotMeasured, g.Missing)
	}

	gmd := writeTemp(t, "gmd.json", `{"MetricDataResults": [
  {"Id": "t", "Label": "orders Throttles Sum", "Timestamps": ["2026-11-02T10:01:00+00:00"], "Values": [2.0], "StatusCode": "Complete"},
  {"Id": "i", "Label": "orders Invocations Sum", "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"], "Values": [0.0, 1.0], "StatusCode": "Complete"}
]}`)
	d, _, err = ImportFiles([]string{log, gmd}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f = findFn(t, d, "orders")
	if !f.Measured("summary.throttles") || f.Summary.Throttles != 2 {
		t.Errorf("logs + Throttles metric: throttles %d, not_measured %v; want 2, measured", f.Summary.Throttles, f.NotMeasured)
	}
}

// A get-metric-data export has only the metrics it queried: one with
// Invocations and Duration Average only does not know the errors,
// throttles, cold starts or memory used of the function (before: 0 each).
// One without Duration Average cannot bill its 10 invocations' duration:
// the bill's input is missing (before: billed at 0 ms, requests alone).
func TestImportMetricsNotQueried(t *testing.T) {
	gmd := writeTemp(t, "gmd.json", `{"MetricDataResults": [
  {"Id": "i", "Label": "orders Invocations Sum", "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"], "Values": [6.0, 4.0], "StatusCode": "Complete"},
  {"Id": "a", "Label": "orders Duration Average", "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"], "Values": [110.0, 90.0], "StatusCode": "Complete"},
  {"Id": "j", "Label": "cart Invocations Sum", "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"], "Values": [6.0, 4.0], "StatusCode": "Complete"},
  {"Id": "e", "Label": "cart Errors Sum", "Timestamps": [], "Values": [], "StatusCode": "Complete"}
]}`)
	d, _, err := ImportFiles([]string{gmd}, ImportOptions{MemoryMB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	orders := findFn(t, d, "orders")
	for _, p := range []string{"summary.errors", "summary.throttles", "summary.cold_starts", "summary.max_memory_used_mb"} {
		if orders.Measured(p) {
			t.Errorf("orders: %s taken as measured (not_measured %v)", p, orders.NotMeasured)
		}
	}
	// (4·90 + 6·110)/10 = 102 ms; 10 × 102 ms × 1 GB = 1.02 GB-s.
	if orders.Incomplete() || !near(orders.Summary.DurationMs.Avg, 102) || !near(orders.Summary.BilledGBSeconds, 1.02) {
		t.Errorf("orders: missing %v, avg %v, GB-s %v", orders.Missing, orders.Summary.DurationMs.Avg, orders.Summary.BilledGBSeconds)
	}
	cart := findFn(t, d, "cart")
	// An empty Errors result is a measured zero (CloudWatch omits zeros).
	if !cart.Measured("summary.errors") || cart.Summary.Errors != 0 {
		t.Errorf("cart: errors %d, not_measured %v", cart.Summary.Errors, cart.NotMeasured)
	}
	if !slices.Contains(cart.Missing, "summary.duration_ms.avg") || !slices.Contains(cart.BillMissing(), "summary.duration_ms.avg") {
		t.Errorf("cart without Duration: missing %v, bill missing %v", cart.Missing, cart.BillMissing())
	}
}

// CloudWatch's AWS/Lambda metrics have no cold-start count, INIT or memory
// used: of the stub's 8 functions only fn-000 (Lambda Insights metrics)
// and fn-007 (the Insights layer) have them, init_duration SampleCount 12
// each (the stub's model). The six others list them as not measured
// (before: 0 cold starts, and a report's total cold-start rate counted
// them as never cold).
func TestCollectColdStartsNotMeasuredWithoutInsights(t *testing.T) {
	s := newStub(t, 8)
	d, _, err := stubCollector(s).Collect(context.Background(), CollectOptions{All: true, Since: 60 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 8 {
		t.Fatalf("%d functions", len(d.Functions))
	}
	for _, f := range d.Functions {
		insights := f.Name == "fn-000" || f.Name == "fn-007"
		for _, p := range []string{"summary.cold_starts", "summary.init_duration_ms", "summary.max_memory_used_mb"} {
			if f.Measured(p) != insights {
				t.Errorf("%s: %s measured = %v, want %v (not_measured %v)", f.Name, p, f.Measured(p), insights, f.NotMeasured)
			}
		}
		if insights && f.Summary.ColdStarts != 12 {
			t.Errorf("%s: %d cold starts, want 12", f.Name, f.Summary.ColdStarts)
		}
		if f.Incomplete() {
			t.Errorf("%s: incomplete %v: not measuring is not a failed collection", f.Name, f.Missing)
		}
	}
}

// With --logs, the REPORT records measure cold starts: fn-001's log has
// one REPORT with an Init Duration, so 1 cold start, measured; fn-002's
// log group does not exist, so its cold starts stay not measured (before:
// 0, as if it never started cold).
func TestCollectLogsMeasureColdStarts(t *testing.T) {
	s := newStub(t, 3)
	since := time.Hour
	w, err := ChooseWindow(stubNow, since, 0)
	if err != nil {
		t.Fatal(err)
	}
	ts := w.Start.UnixMilli() + 30_000
	s.Events = map[string][]collectortest.LogEvent{"/aws/lambda/fn-001": {{Timestamp: ts, Stream: "2026/11/20/[$LATEST]abc",
		Message: "REPORT RequestId: 3f0b4c1e-6a55-4d8e-9d0b-1a2b3c4d5e6f\tDuration: 12.50 ms\tBilled Duration: 213 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\tInit Duration: 200.10 ms\t\n"}}}
	for _, mode := range []string{LogsInsights, LogsEvents} {
		d, _, err := stubCollector(s).Collect(context.Background(), CollectOptions{Functions: []string{"fn-001", "fn-002"}, Since: since, Logs: true, LogsMode: mode})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range d.Functions {
			switch f.Name {
			case "fn-001":
				if !f.Measured("summary.cold_starts") || f.Summary.ColdStarts != 1 {
					t.Errorf("%s: fn-001 cold starts %d, not_measured %v; want 1, measured", mode, f.Summary.ColdStarts, f.NotMeasured)
				}
			case "fn-002":
				if f.Measured("summary.cold_starts") {
					t.Errorf("%s: fn-002 has no log but its cold starts are taken as measured (%d)", mode, f.Summary.ColdStarts)
				}
			}
		}
	}
}

// A function whose memory changed in the window, with one REPORT more in
// its logs than CloudWatch counted (an invocation started before the
// window and ended in it): fn-003 (configured 512 MB, 1 invocation a
// minute, 60 in the hour) has 61 REPORTs, 30 at 512 MB and 31 at
// 1024 MB, each billed 100 ms. Before, the mismatch dropped the split and
// billed 60 × ⌈103 ms⌉ (its Duration average) at 512 MB = 3.09 GB-s,
// a third too low; now the split is scaled by 60/61 and said so:
// 512 MB: round(30 × 60/61) = 30 invocations, round(3,000 × 60/61) =
// 2,951 ms; 1024 MB (the rest): 30 invocations, round(6,100 × 60/61) −
// 2,951 = 3,049 ms; GB-s (2,951 × 512 + 3,049 × 1,024) / 1,024,000 =
// 4.5245.
func TestCollectLogsMemoryChangedWithEdgeMismatch(t *testing.T) {
	s := newStub(t, 4)
	since := time.Hour
	w, err := ChooseWindow(stubNow, since, 0)
	if err != nil {
		t.Fatal(err)
	}
	var evs []collectortest.LogEvent
	for k := range 61 {
		mem := 512
		if k >= 30 {
			mem = 1024
		}
		evs = append(evs, collectortest.LogEvent{Timestamp: w.Start.UnixMilli() + int64(k)*59_000, Stream: "2026/11/20/[$LATEST]abc",
			Message: fmt.Sprintf("REPORT RequestId: 3f0b4c1e-6a55-4d8e-9d0b-%012d\tDuration: 99.20 ms\tBilled Duration: 100 ms\tMemory Size: %d MB\tMax Memory Used: 70 MB\t\n", k, mem)})
	}
	s.Events = map[string][]collectortest.LogEvent{"/aws/lambda/fn-003": evs}
	for _, mode := range []string{LogsInsights, LogsEvents} {
		d, _, err := stubCollector(s).Collect(context.Background(), CollectOptions{Functions: []string{"fn-003"}, Since: since, Logs: true, LogsMode: mode})
		if err != nil {
			t.Fatal(err)
		}
		f := d.Functions[0]
		bm := f.Summary.ByMemory
		if f.Summary.Invocations != 60 || len(bm) != 2 ||
			bm[0] != (pricing.MemoryUsage{MemoryMB: 512, Invocations: 30, BilledDurationMs: 2951}) ||
			bm[1] != (pricing.MemoryUsage{MemoryMB: 1024, Invocations: 30, BilledDurationMs: 3049}) ||
			f.Summary.BilledDurationMs != 6000 || !near(f.Summary.BilledGBSeconds, 4.5245) {
			t.Errorf("%s: invocations %d, by memory %+v, billed %d ms, %v GB-s", mode, f.Summary.Invocations, bm, f.Summary.BilledDurationMs, f.Summary.BilledGBSeconds)
		}
		if !hasAssumption(d, "functions[fn-003].summary.by_memory", "CloudWatch counted 60 invocations, the logs 61 REPORT records") {
			t.Errorf("%s: the scaling is not listed: %+v", mode, d.Assumptions)
		}
	}
}

// A log given twice (or exports whose hours overlap) holds every record
// twice: before, checkout-api's 7 REPORT records were counted 14 times
// and billed 2 × 3,911 ms without a word. The same records (request id,
// time and numbers) are refused by name, exit 2. An asynchronous
// invocation's retry shares the request id only: both are counted.
func TestImportOverlapRefused(t *testing.T) {
	_, _, err := ImportFiles([]string{corpus("checkout-api.log"), corpus("checkout-api.log")}, ImportOptions{})
	var ie *pricing.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "checkout-api: 7 of its 14 REPORT records appear more than once") {
		t.Fatalf("a log given twice: %v", err)
	}
	retry := writeTemp(t, "async.log", "2026-11-02T10:00:00.120Z REPORT RequestId: 3f0b4c1e-6a55-4d8e-9d0b-1a2b3c4d5e6f\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\tStatus: error\tError Type: Runtime.ExitError\n"+
		"2026-11-02T10:01:00.500Z REPORT RequestId: 3f0b4c1e-6a55-4d8e-9d0b-1a2b3c4d5e6f\tDuration: 90.00 ms\tBilled Duration: 90 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\t\n")
	d, _, err := ImportFiles([]string{retry}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 100 + 90 billed ms.
	if s := d.Functions[0].Summary; s.Invocations != 2 || s.BilledDurationMs != 190 {
		t.Errorf("a retried invocation: %d invocations, %d ms; want 2, 190", s.Invocations, s.BilledDurationMs)
	}
}

// Logs and get-metric-data carry no ephemeral storage size and no
// provisioned concurrency, both billed: an import bills neither and says
// so (before: Lambda's 512 MB and none, silently).
func TestImportUnconfiguredBilling(t *testing.T) {
	log := writeTemp(t, "orders.log", "2026-11-02T10:00:30.000Z REPORT RequestId: 3f0b4c1e-6a55-4d8e-9d0b-1a2b3c4d5e6f\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\t\n")
	d, _, err := ImportFiles([]string{log}, ImportOptions{Architecture: pricing.ARM64, Timeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f := d.Functions[0]
	if !f.Unknown("ephemeral_storage_mb") || !f.Unknown("provisioned_concurrency") || !hasAssumption(d, "ephemeral_storage_mb, provisioned_concurrency", "the bill of orders has no ephemeral storage above 512 MB and no provisioned concurrency") {
		t.Errorf("config_unknown %v, assumptions %+v", f.ConfigUnknown, d.Assumptions)
	}
}

// A REPORT without a date (serverless logs print none) whose Billed
// Duration leaves out its INIT (4 ms for 3.17 + 150.01 ms) is not known to
// be from before 2025-08-01: the assumption says it is undated (before,
// "logs before 2025-08-01"), and its ⌈150.01⌉ = 151 ms are unbilled INIT.
func TestImportUndatedUnbilledInit(t *testing.T) {
	log := writeTemp(t, "api.log", "REPORT RequestId: 0f1e2d3c-0000-4000-8000-000000000001\tDuration: 3.17 ms\tBilled Duration: 4 ms\tMemory Size: 1024 MB\tMax Memory Used: 66 MB\tInit Duration: 150.01 ms\t\n")
	d, _, err := ImportFiles([]string{log}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Functions[0].Summary.InitUnbilledMs != 151 || !hasAssumption(d, "functions[api].summary.init_unbilled_ms", "1 of them in lines without a date") || hasAssumption(d, "functions[api].summary.init_unbilled_ms", "logs before 2025-08-01") {
		t.Errorf("init unbilled %d, assumptions %+v", d.Functions[0].Summary.InitUnbilledMs, d.Assumptions)
	}
}
