package collector

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

// faultKinds are the ways a GetMetricData call fails, as the stub makes
// them happen to the real SDK client, with what the problem must say.
var faultKinds = []struct {
	name    string
	status  int
	errType string
	says    *regexp.Regexp
}{
	{"HTTP 500", 500, "InternalServiceError", regexp.MustCompile(`InternalServiceError: stub says InternalServiceError \(gave up after 3 attempts\)`)},
	{"connection reset", collectortest.FaultReset, "", regexp.MustCompile(`connection reset by peer \(gave up after 3 attempts\)`)},
	{"truncated body", collectortest.FaultTruncate, "", regexp.MustCompile(`response body truncated after (\d+) of (\d+) bytes \(gave up after 3 attempts\)`)},
	{"throttling past retries", 400, "Throttling", regexp.MustCompile(`Throttling: stub says Throttling \(gave up after 3 attempts\)`)},
}

// Once: each fault on the first attempt only is retried by the SDK and
// leaves a complete dataset without problems.
func TestCollectRetriesEveryTransientFault(t *testing.T) {
	for _, fk := range faultKinds {
		t.Run(fk.name, func(t *testing.T) {
			s := newStub(t, 10)
			s.Fault = func(op string, attempt int, _ cbor.Map) (int, string) {
				if op == "GetMetricData" && attempt == 1 {
					return fk.status, fk.errType
				}
				return 0, ""
			}
			c := stubCollector(s)
			c.Concurrency = 1
			d, st, err := c.Collect(context.Background(), CollectOptions{All: true, Since: day})
			if err != nil {
				t.Fatal(err)
			}
			checkStubDataset(t, d, 10, 1440)
			if len(d.Problems) != 0 {
				t.Errorf("problems after a successful retry: %v", d.Problems)
			}
			if s.Calls("GetMetricData") != st.MinCalls+1 {
				t.Errorf("HTTP GetMetricData = %d, want %d", s.Calls("GetMetricData"), st.MinCalls+1)
			}
		})
	}
}

// query is one GetMetricData query as the stub saw it.
type query struct {
	fn, metric, stat string
	whole            bool
}

// pathsOf are the dataset values a query feeds (the dataset's contract:
// pricing.DatasetFunction.Missing), besides the billed GB-s and the
// average duration, which depend on several queries.
func pathsOf(q query) []string {
	switch q.metric + " " + q.stat {
	case "Invocations Sum":
		return []string{"summary.invocations", "series.invocations"}
	case "Errors Sum":
		return []string{"summary.errors", "series.errors"}
	case "Throttles Sum":
		return []string{"summary.throttles", "series.throttles"}
	case "ConcurrentExecutions Maximum":
		return []string{"summary.concurrency_max", "series.concurrency_max"}
	case "Duration Average":
		if q.whole {
			return nil
		}
		return []string{"series.duration_avg_ms"}
	case "Duration p50", "Duration p90", "Duration p99":
		return []string{"summary.duration_ms." + q.stat}
	case "Duration Maximum":
		return []string{"summary.duration_ms.max"}
	case "ProvisionedConcurrencyInvocations Sum":
		return []string{"summary.provisioned_invocations"}
	case "used_memory_max Maximum":
		return []string{"summary.max_memory_used_mb"}
	case "init_duration SampleCount":
		return []string{"summary.cold_starts"}
	case "init_duration Average":
		return []string{"summary.init_duration_ms.avg"}
	case "init_duration p99":
		return []string{"summary.init_duration_ms.p99"}
	case "ProvisionedConcurrentExecutions Maximum":
		return []string{"summary.provisioned_concurrent_executions_max", "series.provisioned_concurrent_executions"}
	case "ProvisionedConcurrencyUtilization Maximum":
		return []string{"summary.provisioned_utilization_max", "series.provisioned_concurrency_utilization"}
	case "ProvisionedConcurrencySpilloverInvocations Sum":
		return []string{"summary.provisioned_spillover_invocations"}
	case "PostRuntimeExtensionsDuration Average":
		return []string{"summary.post_runtime_extensions_duration_ms"}
	case "AsyncEventAge Maximum":
		return []string{"summary.async_event_age_max_ms"}
	case "AsyncEventsDropped Sum":
		return []string{"summary.async_events_dropped"}
	case "DeadLetterErrors Sum":
		return []string{"summary.dead_letter_errors"}
	case "IteratorAge Maximum":
		return []string{"summary.iterator_age_max_ms"}
	}
	return nil
}

// The call carrying fn-030's Invocations fails for good, in each way: the
// collection goes on, the problems name the cause, the values those calls
// carried are missing (null in the JSON, never 0), and every function none
// of whose queries failed is complete and exact.
func TestCollectPartialFaults(t *testing.T) {
	for _, fk := range faultKinds {
		t.Run(fk.name, func(t *testing.T) {
			s := newStub(t, 40)
			var mu sync.Mutex
			failed := map[query]bool{}
			s.Fault = func(op string, _ int, in cbor.Map) (int, string) {
				if op != "GetMetricData" {
					return 0, ""
				}
				qs := in["MetricDataQueries"].(cbor.List)
				hit := slices.ContainsFunc(qs, func(v cbor.Value) bool {
					return strings.HasPrefix(collectortest.Str(v.(cbor.Map)["Label"]), "fn-030 Invocations")
				})
				if !hit {
					return 0, ""
				}
				mu.Lock()
				defer mu.Unlock()
				for _, v := range qs {
					ms := v.(cbor.Map)["MetricStat"].(cbor.Map)
					m := ms["Metric"].(cbor.Map)
					p, _ := cbor.AsInt64(ms["Period"])
					fn := "" // account-level metrics have no dimension
					if dims, _ := m["Dimensions"].(cbor.List); len(dims) > 0 {
						fn = collectortest.Str(dims[0].(cbor.Map)["Value"])
					}
					failed[query{fn, collectortest.Str(m["MetricName"]), collectortest.Str(ms["Stat"]), p == 86400}] = true
				}
				return fk.status, fk.errType
			}
			d, st, err := stubCollector(s).Collect(context.Background(), CollectOptions{All: true, Since: day})
			if err != nil {
				t.Fatal(err)
			}
			if st.Batches < 2 || len(d.Functions) != 40 {
				t.Fatalf("%d batches, %d functions", st.Batches, len(d.Functions))
			}
			// The problem names the cause; a truncated body says how much
			// of the promised body arrived (the stub sends half).
			var said []string
			for _, p := range d.Problems {
				if m := fk.says.FindStringSubmatch(p); m != nil && strings.Contains(p, "fn-030") {
					said = m
				}
			}
			if said == nil {
				t.Fatalf("no problem says %q for fn-030's call: %q", fk.says, d.Problems)
			}
			if len(said) == 3 && (said[1] == "0" || said[1] == said[2] || fmt.Sprint(atoi(said[2])/2) != said[1]) {
				t.Errorf("truncated after %s of %s bytes; the stub sends half", said[1], said[2])
			}
			for _, p := range d.Problems {
				if strings.Contains(p, "HTTP 0") || strings.Contains(p, "HTTP 200") {
					t.Errorf("problem without its cause: %s", p)
				}
			}
			if s.Calls("GetMetricData") != st.MinCalls+2 {
				t.Errorf("HTTP GetMetricData = %d, want %d (3 attempts of the failing call)", s.Calls("GetMetricData"), st.MinCalls+2)
			}

			byFn := map[string][]query{}
			for q := range failed {
				byFn[q.fn] = append(byFn[q.fn], q)
			}
			complete := 0
			for _, f := range d.Functions {
				qs := byFn[f.Name]
				if len(qs) == 0 {
					if f.Incomplete() {
						t.Errorf("%s: no call of it failed, but missing %v", f.Name, f.Missing)
					}
					complete++
					continue
				}
				want := map[string]bool{}
				for _, q := range qs {
					for _, p := range pathsOf(q) {
						want[p] = true
						if !slices.Contains(f.Missing, p) {
							t.Errorf("%s: %s failed but %s is not missing (%v)", f.Name, q.metric+" "+q.stat, p, f.Missing)
						}
					}
				}
				for _, p := range f.Missing {
					if !want[p] && p != "summary.billed_gb_seconds" && p != "summary.duration_ms.avg" {
						t.Errorf("%s: %s is missing though none of its sources failed", f.Name, p)
					}
				}
				if want["summary.invocations"] && (!slices.Contains(f.Missing, "summary.billed_gb_seconds") || f.Summary.Invocations != 0) {
					t.Errorf("%s: invocations failed: missing %v, invocations %d", f.Name, f.Missing, f.Summary.Invocations)
				}
			}
			if complete == 40 {
				t.Fatal("every function complete")
			}
			if fn := d.Functions[30]; !slices.Contains(fn.Missing, "summary.invocations") {
				t.Errorf("fn-030: missing %v", fn.Missing)
			}
			// Every value that is not missing is exactly the model's.
			for i, f := range d.Functions {
				checkModelValues(t, i, f)
			}

			// In the file: fn-030's invocations and GB-s are null, not 0.
			var buf bytes.Buffer
			if err := pricing.WriteDataset(&buf, d); err != nil {
				t.Fatal(err)
			}
			var js struct {
				Functions []struct {
					Name    string                     `json:"name"`
					Summary map[string]json.RawMessage `json:"summary"`
				} `json:"functions"`
			}
			if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
				t.Fatal(err)
			}
			f30 := js.Functions[30]
			if f30.Name != "fn-030" || string(f30.Summary["invocations"]) != "null" || string(f30.Summary["billed_gb_seconds"]) != "null" {
				t.Errorf("fn-030 in the file: invocations %s, billed_gb_seconds %s", f30.Summary["invocations"], f30.Summary["billed_gb_seconds"])
			}
			back, err := pricing.DecodeDataset("c.json", &buf)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(back.Functions[30].Missing, d.Functions[30].Missing) {
				t.Errorf("read back: %v, want %v", back.Functions[30].Missing, d.Functions[30].Missing)
			}
		})
	}
}

func atoi(s string) int {
	var n int
	fmt.Sscan(s, &n)
	return n
}

// Pages: PartialData on every page that has a NextToken is CloudWatch
// saying "more follows"; when the last page completes the series there is
// no problem and nothing is missing.
func TestCollectPagedPartialDataIsNoProblem(t *testing.T) {
	s := newStub(t, 3)
	s.PageSize = 500
	d, st, err := stubCollector(s).Collect(context.Background(), CollectOptions{All: true, Since: 6 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if st.GetMetricDataCalls < 3 {
		t.Fatalf("%d pages; the test needs several", st.GetMetricDataCalls)
	}
	checkStubDataset(t, d, 3, 360)
	if len(d.Problems) != 0 {
		t.Errorf("problems: %v", d.Problems)
	}
}

// checkModelValues compares the values of function i that are not
// missing with the stub's model (collectortest.Stub), over one day.
func checkModelValues(t *testing.T, i int, f pricing.DatasetFunction) {
	t.Helper()
	fi := float64(i)
	has := func(p string) bool { return !slices.Contains(f.Missing, p) }
	s := f.Summary
	want := map[string][2]float64{
		"summary.invocations":     {float64(s.Invocations), float64(int64(1+i%3) * 1440)},
		"summary.errors":          {float64(s.Errors), 144},
		"summary.concurrency_max": {s.ConcurrencyMax, 7},
		"summary.duration_ms.avg": {s.DurationMs.Avg, 100 + fi},
		"summary.duration_ms.p50": {s.DurationMs.P50, 90 + fi},
		"summary.duration_ms.p90": {s.DurationMs.P90, 150 + fi},
		"summary.duration_ms.p99": {s.DurationMs.P99, 300 + fi},
		"summary.duration_ms.max": {s.DurationMs.Max, 900 + fi},
		// The feature metrics, where the model publishes them (else 0).
		"summary.post_runtime_extensions_duration_ms":   {s.PostRuntimeExtensionsDurationMs, map[bool]float64{true: 12.5}[i%4 == 1]},
		"summary.async_event_age_max_ms":                {s.AsyncEventAgeMaxMs, map[bool]float64{true: 1500}[i%5 == 2]},
		"summary.async_events_dropped":                  {float64(s.AsyncEventsDropped), map[bool]float64{true: 3}[i%5 == 2]},
		"summary.dead_letter_errors":                    {float64(s.DeadLetterErrors), map[bool]float64{true: 1}[i%5 == 2]},
		"summary.iterator_age_max_ms":                   {s.IteratorAgeMaxMs, map[bool]float64{true: 60000}[i%5 == 3]},
		"summary.provisioned_concurrent_executions_max": {s.ProvisionedConcurrentExecutionsMax, map[bool]float64{true: 5}[i%10 == 0]},
		"summary.provisioned_utilization_max":           {s.ProvisionedUtilizationMax, map[bool]float64{true: 1}[i%10 == 0]},
		"summary.provisioned_spillover_invocations":     {float64(s.ProvisionedSpilloverInvocations), map[bool]float64{true: 7}[i%10 == 0]},
	}
	for p, v := range want {
		if has(p) && v[0] != v[1] {
			t.Errorf("fn-%03d %s = %v, want %v", i, p, v[0], v[1])
		} else if !has(p) && v[0] != 0 {
			t.Errorf("fn-%03d %s is missing but %v in Go", i, p, v[0])
		}
	}
	if sr := f.Series; sr != nil {
		if has("series.invocations") && (len(sr.Invocations) != 1440 || sr.Invocations[77] != float64(1+i%3)) {
			t.Errorf("fn-%03d invocations series wrong", i)
		}
		if !has("series.invocations") && sr.Invocations != nil {
			t.Errorf("fn-%03d invocations series missing but present", i)
		}
		if has("series.duration_avg_ms") && (len(sr.DurationAvgMs) != 1440 || sr.DurationAvgMs[5] != 100+fi) {
			t.Errorf("fn-%03d duration series wrong", i)
		}
	}
}
