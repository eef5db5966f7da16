package collector

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Tests for the gaps a mutation run found (issue 25); expectations by hand.

// TestPackFillsACallToExactlyTheLimit: GetMetricData takes at most 500
// queries per call (CloudWatch API reference, MetricDataQueries: "maximum
// of 500"). Equal queries spread evenly and never reach the limit, so these
// plans are built to fill a call to exactly 500:
//
//   - 500 one-point queries: 1 call of 500;
//   - 1,000 one-point queries: 2 calls of 500 each;
//   - one 20,160-point series and 501 one-point queries: 20,661 points fit
//     one call but 502 queries do not, so 2 calls; the series goes first
//     into one call and the one-point queries to the other (the most free
//     points) until it holds exactly 500, then the last one joins the series.
func TestPackFillsACallToExactlyTheLimit(t *testing.T) {
	w, err := ChooseWindow(stubNow, 14*day, 0) // 1-minute period: 20,160 points
	if err != nil {
		t.Fatal(err)
	}
	if w.Points() != 20160 {
		t.Fatalf("window has %d points, want 14 × 1,440 = 20,160", w.Points())
	}
	whole := func(n int) []MetricQuery {
		var qs []MetricQuery
		for i := range n {
			qs = append(qs, MetricQuery{Function: fmt.Sprintf("fn-%04d", i), Namespace: nsLambda, Metric: mDuration, Stat: "p99", Whole: true})
		}
		return qs
	}
	series := MetricQuery{Function: "big", Namespace: nsLambda, Metric: mInvocations, Stat: "Sum"}
	for _, tc := range []struct {
		name  string
		qs    []MetricQuery
		sizes []int // queries per call, sorted
	}{
		{"500 one-point", whole(500), []int{500}},
		{"1000 one-point", whole(1000), []int{500, 500}},
		{"501 one-point", whole(501), []int{250, 251}},
		{"series + 501 one-point", append([]MetricQuery{series}, whole(501)...), []int{2, 500}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := Pack(tc.qs, w)
			var sizes []int
			n := 0
			for _, c := range calls {
				sizes = append(sizes, len(c))
				n += len(c)
				pts := 0
				for _, q := range c {
					pts += q.points(w)
				}
				if len(c) > MaxQueriesPerCall || pts > MaxDatapointsPerCall {
					t.Errorf("a call of %d queries, %d points", len(c), pts)
				}
			}
			slices.Sort(sizes)
			if n != len(tc.qs) || !slices.Equal(sizes, tc.sizes) {
				t.Errorf("calls of %v queries (%d in all), want %v (%d)", sizes, n, tc.sizes, len(tc.qs))
			}
			if got := MinCalls(tc.qs, w); got != len(tc.sizes) {
				t.Errorf("MinCalls = %d, want %d", got, len(tc.sizes))
			}
		})
	}
	if MaxQueriesPerCall != 500 || MaxDatapointsPerCall != 100_800 {
		t.Errorf("limits %d queries, %d points; AWS's are 500 and 100,800", MaxQueriesPerCall, MaxDatapointsPerCall)
	}
}

// TestCollectOverFiveHundredQueriesTakeTwoCalls: against the stub (which,
// like AWS, refuses a call of more than 500 queries), 32 functions are 15
// queries each (5 series, 5 whole-window duration statistics, and 5 feature
// metrics: extensions, async age and drops, dead-letter errors, iterator
// age), plus 4 for each provisioned function (fn-000, 010, 020, 030: 1
// invocations query and 3 provisioned series) and 4 for each function with
// Lambda Insights (fn-000, 007 by its layer, 020), and 2 account-level
// queries: 480 + 16 + 12 + 2 = 510 queries over one hour, fewer than
// 100,800 points: ⌈510/500⌉ = 2 calls, never one of 510. (The packer's own
// test fills a call to exactly 500 and splits 501.)
func TestCollectOverFiveHundredQueriesTakeTwoCalls(t *testing.T) {
	s := newStub(t, 32)
	c := stubCollector(s)
	_, st, err := c.Collect(context.Background(), CollectOptions{All: true, Since: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if st.Queries != 510 || st.MinCalls != 2 || st.GetMetricDataCalls != 2 || s.Calls("GetMetricData") != 2 {
		t.Errorf("queries %d, min calls %d, calls %d (stub saw %d); want 510, 2, 2", st.Queries, st.MinCalls, st.GetMetricDataCalls, s.Calls("GetMetricData"))
	}
}

// TestImportDefaultLabelDuration: `aws cloudwatch get-metric-data` without
// a Label returns CloudWatch's default label, the metric name ("Duration").
// Duration may have been queried as Average, p99 or Maximum, so:
//
//   - with an Id that names no statistic ("m2") the import is refused with
//     an input error saying how to label it — never read as some statistic;
//   - with an Id that does ("duration_avg") it is the Average: the summary
//     is invocation-weighted, (3·80 + 7·100 + 5·120)/15 = 1,540/15 ms, and
//     the series 80, 100, 120 (timestamps come newest first). Read as the
//     Maximum the maximum would be 120 and the average missing.
func TestImportDefaultLabelDuration(t *testing.T) {
	doc := func(durID string) string {
		return `{
    "MetricDataResults": [
        {
            "Id": "m1",
            "Label": "Invocations",
            "Timestamps": ["2026-11-02T10:02:00+00:00", "2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"],
            "Values": [5.0, 7.0, 3.0],
            "StatusCode": "Complete"
        },
        {
            "Id": "` + durID + `",
            "Label": "Duration",
            "Timestamps": ["2026-11-02T10:02:00+00:00", "2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"],
            "Values": [120.0, 100.0, 80.0],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}
`
	}
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	_, _, err := ImportFiles([]string{write("bare.json", doc("m2"))}, ImportOptions{Function: "checkout-api", Region: "us-east-1"})
	if err == nil || !pricing.IsInput(err) || !strings.Contains(err.Error(), "statistic of Duration is not known") {
		t.Errorf("a Duration result that does not say its statistic: %v, want an input error about its statistic", err)
	}
	d, _, err := ImportFiles([]string{write("avg.json", doc("duration_avg"))}, ImportOptions{Function: "checkout-api", Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, d, "checkout-api")
	s := f.Summary
	if s.Invocations != 15 || !near(s.DurationMs.Avg, 1540.0/15) {
		t.Errorf("invocations %d, duration avg %v; want 15, %v", s.Invocations, s.DurationMs.Avg, 1540.0/15)
	}
	if s.DurationMs.Max == 120 {
		t.Errorf("the Duration series was read as the Maximum: %+v", s.DurationMs)
	}
	if f.Series == nil || !slices.Equal(f.Series.DurationAvgMs, []float64{80, 100, 120}) {
		t.Errorf("duration series = %+v", f.Series)
	}
	// 15 × ⌈102.67⌉ = 103 ms × 128 MB (Lambda's default memory).
	if !near(s.BilledGBSeconds, 15*103*128/1024000.0) {
		t.Errorf("GB-s = %v, want %v", s.BilledGBSeconds, 15*103*128/1024000.0)
	}
}

// TestImportInsightsMemoryRoundsUp: Lambda Insights' used_memory_max is in
// MB and may be fractional (e.g. 200.3); the dataset's MaxMemoryUsedMB is
// a whole MB that must not understate the peak (a right-sizing advice
// built on a rounded-down peak can pick a size that runs out of memory):
// max(180, 200.3) → 201.
func TestImportInsightsMemoryRoundsUp(t *testing.T) {
	doc := `{
    "MetricDataResults": [
        {
            "Id": "inv",
            "Label": "orders Invocations Sum",
            "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"],
            "Values": [4.0, 2.0],
            "StatusCode": "Complete"
        },
        {
            "Id": "mem",
            "Label": "orders used_memory_max Maximum",
            "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"],
            "Values": [180.0, 200.3],
            "StatusCode": "Complete"
        }
    ],
    "Messages": []
}
`
	path := filepath.Join(t.TempDir(), "insights.json")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _, err := ImportFiles([]string{path}, ImportOptions{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if f := findFn(t, d, "orders"); f.Summary.Invocations != 6 || f.Summary.MaxMemoryUsedMB != 201 {
		t.Errorf("invocations %d, max memory %d MB; want 6, 201", f.Summary.Invocations, f.Summary.MaxMemoryUsedMB)
	}
}

// TestCrashLineOfATimedOutInvocation: an old-format invocation (its REPORT
// has no Status) that timed out has both a "Task timed out" line and the
// runtime's "RequestId: ID Error: Runtime exited …" line. It is one
// invocation, one timeout and one error (a timeout is an error): the crash
// line names the request id the timeout line already counted, so it adds
// no second error (mutant collector-17 counted it again: 2 errors).
func TestCrashLineOfATimedOutInvocation(t *testing.T) {
	const id = "c2000000-0000-4000-8000-000000000001"
	log := "2024-06-01T08:00:00.000Z START RequestId: " + id + " Version: $LATEST\n" +
		"2024-06-01T08:00:03.010Z " + id + " Task timed out after 3.01 seconds\n" +
		"2024-06-01T08:00:03.011Z RequestId: " + id + " Error: Runtime exited with error: signal: killed\n" +
		"2024-06-01T08:00:03.012Z END RequestId: " + id + "\n" +
		"2024-06-01T08:00:03.012Z REPORT RequestId: " + id + "\tDuration: 3007.55 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 57 MB\t\n"
	p := filepath.Join(t.TempDir(), "timeout-crash.log")
	if err := os.WriteFile(p, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _, err := ImportFiles([]string{p}, ImportOptions{Function: "fn"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 1 {
		t.Fatalf("functions %+v", d.Functions)
	}
	s := d.Functions[0].Summary
	if s.Invocations != 1 || s.Timeouts != 1 || s.Errors != 1 {
		t.Errorf("invocations %d, timeouts %d, errors %d; want 1, 1, 1", s.Invocations, s.Timeouts, s.Errors)
	}
}
