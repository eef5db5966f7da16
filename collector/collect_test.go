package collector

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

var stubNow = time.Date(2026, 11, 20, 12, 34, 56, 0, time.UTC)

// newStub starts the loopback AWS (its data model is documented on
// collectortest.Stub).
func newStub(t *testing.T, n int) *collectortest.Stub { return collectortest.New(t, n) }

// stubCollector returns a collector whose real SDK clients talk to s with
// anonymous credentials, the standard retryer without backoff sleeps, and
// a fixed clock.
func stubCollector(s *collectortest.Stub) *Collector {
	retryer := func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = 3
			o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
			o.RateLimiter = ratelimit.None
		})
	}
	ep := aws.String(s.URL)
	anon := aws.AnonymousCredentials{}
	return &Collector{
		CloudWatch:    cloudwatch.New(cloudwatch.Options{Region: "us-east-1", BaseEndpoint: ep, Credentials: anon, Retryer: retryer(), HTTPClient: CheckedHTTPClient(nil)}),
		Lambda:        lambda.New(lambda.Options{Region: "us-east-1", BaseEndpoint: ep, Credentials: anon, Retryer: retryer()}),
		Logs:          cloudwatchlogs.New(cloudwatchlogs.Options{Region: "us-east-1", BaseEndpoint: ep, Credentials: anon, Retryer: retryer()}),
		Region:        "us-east-1",
		RatePerSecond: -1,
		Concurrency:   4,
		Now:           func() time.Time { return stubNow },
		InsightsPoll:  -1,
	}
}

const day = 24 * time.Hour

// The plans meet the theoretical minimum of calls, whichever limit binds.
//
// 40 functions over one day at 1-minute period: per function 5 series
// queries of 1,440 points and 5 whole-window queries; 4 functions with
// provisioned concurrency add 1 query, 3 with Lambda Insights (fn-000,
// fn-020 and fn-007 by its layer) add 4: 416 queries and
// 200·1,440 + 216 = 288,216 datapoints, so at least
// max(⌈288,216 / 100,800⌉, ⌈416 / 500⌉) = max(3, 1) = 3 calls — before the
// feature metrics: 5 more whole-window queries a function (extensions,
// async age and drops, dead-letter errors, iterator age), 3 per
// provisioned function (executions and utilisation per minute, spillover)
// and 2 for the account make 416 + 200 + 12 + 2 = 630 queries and
// 288,216 + 4·(2·1,440 + 1) + 200 + 2 = 299,942 datapoints: still
// max(⌈299,942 / 100,800⌉, ⌈630 / 500⌉) = 3 calls.
//
// 120 functions over two hours: 1,200 + 12 + 7·4 = 1,240 queries, + 600 +
// 12·3 + 2 = 1,878, and 600·120 + 640 + 12·(2·120 + 1) + 600 + 12 + 2 =
// 76,146 datapoints: max(1, ⌈1,878 / 500⌉) = 4 calls.
func TestCollectBatchesToTheMinimum(t *testing.T) {
	for _, tc := range []struct {
		n, minutes, queries, calls, listFunctions, pc int
	}{
		{40, 1440, 630, 3, 1, 4},
		{120, 120, 1878, 4, 3, 12},
	} {
		s := newStub(t, tc.n)
		c := stubCollector(s)
		var progress []Progress
		c.Progress = func(p Progress) { progress = append(progress, p) }
		d, st, err := c.Collect(context.Background(), CollectOptions{All: true, Since: time.Duration(tc.minutes) * time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		if st.Queries != tc.queries || st.MinCalls != tc.calls || st.GetMetricDataCalls != tc.calls || len(s.Pages()) != tc.calls {
			t.Errorf("%d functions: queries %d, min calls %d, calls %d (stub saw %d); want %d, %d", tc.n, st.Queries, st.MinCalls, st.GetMetricDataCalls, len(s.Pages()), tc.queries, tc.calls)
		}
		// ListFunctions at 50 per page; one ListProvisionedConcurrencyConfigs
		// per provisioned function; one ListMetrics per detection (2).
		if s.Calls("ListFunctions") != tc.listFunctions || s.Calls("ListProvisionedConcurrencyConfigs") != tc.pc || s.Calls("ListMetrics") != 2 || s.Calls("GetMetricData") != tc.calls {
			t.Errorf("HTTP calls: ListFunctions %d, ListProvisionedConcurrencyConfigs %d, ListMetrics %d, GetMetricData %d", s.Calls("ListFunctions"), s.Calls("ListProvisionedConcurrencyConfigs"), s.Calls("ListMetrics"), s.Calls("GetMetricData"))
		}
		checkStubDataset(t, d, tc.n, tc.minutes)
		if len(d.Problems) != 0 {
			t.Errorf("problems: %v", d.Problems)
		}
		wantEnd := time.Date(2026, 11, 20, 12, 34, 0, 0, time.UTC)
		if !d.End.Equal(wantEnd) || !d.Start.Equal(wantEnd.Add(-time.Duration(tc.minutes)*time.Minute)) {
			t.Errorf("window %s – %s, want back from the last complete minute", d.Start, d.End)
		}
		last := progress[len(progress)-1]
		if last.Done != int64(tc.calls) || last.Total != int64(tc.calls) || last.Phase != "metrics" {
			t.Errorf("last progress = %+v", last)
		}
	}
}

// checkStubDataset checks the numbers of the stub's data model (see
// awsStub), computed here from the model, not from the collector.
func checkStubDataset(t *testing.T, d *pricing.Dataset, n, minutes int) {
	t.Helper()
	if d.Source != "cloudwatch" || d.Region != "us-east-1" || len(d.Functions) != n {
		t.Fatalf("dataset %s %s with %d functions, want %d", d.Source, d.Region, len(d.Functions), n)
	}
	for i, f := range d.Functions {
		name := fmt.Sprintf("fn-%03d", i)
		s := f.Summary
		if len(f.Missing) != 0 {
			t.Errorf("%s: missing %v", name, f.Missing)
		}
		wantArch := pricing.X86_64
		if i%2 == 1 {
			wantArch = pricing.ARM64
		}
		if f.Name != name || f.MemoryMB != 128*(1+i%8) || f.Architecture != wantArch || f.Timeout.D() != 30*time.Second || f.EphemeralStorageMB != 512 {
			t.Errorf("%s config = %+v", name, f.FunctionConfig)
		}
		perMin := int64(1 + i%3)
		wantThr := int64(0)
		if i == 1 {
			wantThr = 2
		}
		if s.Invocations != perMin*int64(minutes) || s.Errors != int64((minutes+9)/10) || s.Throttles != wantThr || s.ConcurrencyMax != 7 {
			t.Errorf("%s counts: %d inv, %d errors, %d throttles, %v concurrency", name, s.Invocations, s.Errors, s.Throttles, s.ConcurrencyMax)
		}
		fi := float64(i)
		if s.DurationMs != (pricing.DurationSet{Avg: 100 + fi, P50: 90 + fi, P90: 150 + fi, P99: 300 + fi, Max: 900 + fi}) {
			t.Errorf("%s durations = %+v", name, s.DurationMs)
		}
		wantPC, wantPCInv := 0, int64(0)
		if i%10 == 0 {
			wantPC, wantPCInv = 5, 1000
		}
		if f.ProvisionedConcurrency != wantPC || s.ProvisionedInvocations != wantPCInv {
			t.Errorf("%s provisioned = %d, invocations %d", name, f.ProvisionedConcurrency, s.ProvisionedInvocations)
		}
		if i%20 == 0 || i == 7 {
			if s.MaxMemoryUsedMB != 200 || s.ColdStarts != 12 || s.InitDurationMs != (pricing.InitSet{Avg: 250.5, P99: 480}) {
				t.Errorf("%s insights: mem %d cold %d init %+v", name, s.MaxMemoryUsedMB, s.ColdStarts, s.InitDurationMs)
			}
		} else if s.MaxMemoryUsedMB != 0 || s.ColdStarts != 0 {
			t.Errorf("%s has insights numbers it should not have", name)
		}
		// On-demand GB-s from averages: invocations × (100+i) ms, plus
		// cold starts × ⌈250.5⌉ ms INIT, × memory / 1,024,000.
		ms := float64(s.Invocations) * (100 + fi)
		if s.ColdStarts > 0 {
			ms += float64(s.ColdStarts) * 251
		}
		if want := ms * float64(f.MemoryMB) / 1024000; !near(s.BilledGBSeconds, want) {
			t.Errorf("%s GB-s = %v, want %v", name, s.BilledGBSeconds, want)
		}
		sr := f.Series
		if sr == nil || sr.PeriodS != 60 || len(sr.Invocations) != minutes || len(sr.ConcurrencyMax) != minutes || len(sr.DurationAvgMs) != minutes {
			t.Fatalf("%s series = %+v", name, sr)
		}
		for k := 0; k < minutes; k += 97 {
			if sr.Invocations[k] != float64(perMin) || sr.ConcurrencyMax[k] != float64(1+k%7) || sr.DurationAvgMs[k] != 100+fi {
				t.Fatalf("%s series at %d: %v %v %v", name, k, sr.Invocations[k], sr.ConcurrencyMax[k], sr.DurationAvgMs[k])
			}
		}
	}
	// fn-000 by hand: 1,440 invocations × 100 ms × 128 MB + 12 × 251 ms × 128 MB.
	if minutes == 1440 && !near(d.Functions[0].Summary.BilledGBSeconds, (1440*100+12*251)*128/1024000.0) {
		t.Errorf("fn-000 GB-s = %v", d.Functions[0].Summary.BilledGBSeconds)
	}
}

// Pages: the stub returns at most 10,000 datapoints per response, so each
// call is followed through its NextToken pages and the pieces reassemble.
func TestCollectPaginates(t *testing.T) {
	s := newStub(t, 10)
	s.PageSize = 3000
	d, st, err := stubCollector(s).Collect(context.Background(), CollectOptions{All: true, Since: day})
	if err != nil {
		t.Fatal(err)
	}
	checkStubDataset(t, d, 10, 1440)
	// One batch (50 series queries of 1,440 points + 55 one-point queries
	// ≤ 100,800). The stub emits, per function, 1,440 Invocations, 1,440
	// Duration, 1,440 ConcurrentExecutions and 144 Errors points plus 5
	// whole-window points, fn-001 one Throttles point, fn-000 one
	// provisioned and four Insights points, fn-007 four Insights points:
	// 10·4,469 + 1 + 5 + 4 = 44,700 points; then fn-000's provisioned
	// executions and utilisation (2·1,440) with its spillover (1),
	// PostRuntimeExtensionsDuration of fn-001/005/009 (3), the three async
	// metrics of fn-002/007 (6), IteratorAge of fn-003/008 (2) and the two
	// account metrics: 44,700 + 2,894 = 47,594 points, sent 3,000 per page:
	// 16 pages.
	if st.Batches != 1 || st.GetMetricDataCalls != 16 || len(s.Pages()) != 16 {
		t.Errorf("%d calls for %d batches (stub saw %d); want 16 pages of one batch", st.GetMetricDataCalls, st.Batches, len(s.Pages()))
	}
	for _, c := range s.Pages() {
		if c.Points > 3000 {
			t.Errorf("page with %d points", c.Points)
		}
	}
}

// Throttling, then a 5xx, then success: the SDK's retryer handles both,
// the data is complete, and the only extra requests are the two retries.
func TestCollectRetriesThrottlingAnd5xx(t *testing.T) {
	s := newStub(t, 10)
	s.Fault = func(op string, attempt int, _ cbor.Map) (int, string) {
		if op != "GetMetricData" {
			return 0, ""
		}
		switch attempt {
		case 1:
			return 400, "Throttling"
		case 2:
			return 503, "ServiceUnavailable"
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
		t.Errorf("problems after successful retries: %v", d.Problems)
	}
	if st.GetMetricDataCalls != st.MinCalls || s.Calls("GetMetricData") != st.MinCalls+2 {
		t.Errorf("operations %d (min %d), HTTP requests %d; want min and min+2", st.GetMetricDataCalls, st.MinCalls, s.Calls("GetMetricData"))
	}
}

// A batch that keeps failing is reported; the other batches' data stays.
// When every batch fails, Collect is an external error.
func TestCollectPartialFailure(t *testing.T) {
	s := newStub(t, 40)
	s.Fault = func(op string, _ int, in cbor.Map) (int, string) {
		if op != "GetMetricData" {
			return 0, ""
		}
		for _, q := range in["MetricDataQueries"].(cbor.List) {
			if strings.HasPrefix(collectortest.Str(q.(cbor.Map)["Label"]), "fn-030 Invocations") {
				return 500, "InternalServiceError"
			}
		}
		return 0, ""
	}
	d, st, err := stubCollector(s).Collect(context.Background(), CollectOptions{All: true, Since: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 40 {
		t.Fatalf("functions = %d", len(d.Functions))
	}
	if !slices.ContainsFunc(d.Problems, func(p string) bool {
		return strings.Contains(p, "fn-030") && strings.Contains(p, "InternalServiceError")
	}) {
		t.Errorf("problems do not name the failed batch: %v", d.Problems)
	}
	ok := 0
	for _, f := range d.Functions {
		if f.Summary.Invocations > 0 {
			ok++
		}
	}
	if ok == 0 || ok == 40 || d.Functions[30].Summary.Invocations != 0 {
		t.Errorf("%d functions have data; want the other batches' data kept", ok)
	}
	// 3 attempts for the failing batch.
	if s.Calls("GetMetricData") != st.MinCalls+2 {
		t.Errorf("HTTP GetMetricData = %d, want %d", s.Calls("GetMetricData"), st.MinCalls+2)
	}

	s2 := newStub(t, 3)
	s2.Fault = func(op string, _ int, _ cbor.Map) (int, string) {
		if op == "GetMetricData" {
			return 403, "AccessDenied"
		}
		return 0, ""
	}
	_, _, err = stubCollector(s2).Collect(context.Background(), CollectOptions{All: true, Since: day})
	var xe *pricing.ExternalError
	if !errors.As(err, &xe) || !strings.Contains(err.Error(), "AccessDenied") {
		t.Errorf("all batches failing: err = %v, want an ExternalError naming AccessDenied", err)
	}
}

// PartialData on the last page is reported with CloudWatch's message; the
// p99 that arrived only in part is missing (null), never a number computed
// from part of the window; every other value is complete.
func TestCollectPartialData(t *testing.T) {
	s := newStub(t, 2)
	s.Partial = true
	d, _, err := stubCollector(s).Collect(context.Background(), CollectOptions{Functions: []string{"fn-001", "fn-000"}, Since: day})
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Functions {
		f := &d.Functions[i]
		if !slices.Equal(f.Missing, []string{"summary.duration_ms.p99"}) || f.Summary.DurationMs.P99 != 0 {
			t.Errorf("%s: missing %v, p99 %v; want only the p99, as 0 in Go", f.Name, f.Missing, f.Summary.DurationMs.P99)
		}
		f.Summary.DurationMs.P99 = 300 + float64(i) // the model's, to check the rest
		f.Missing = nil
	}
	checkStubDataset(t, d, 2, 1440)
	if len(d.Problems) != 2 || !strings.Contains(d.Problems[0], "fn-000 Duration p99: partial data (MaxQueryTimeRangeExceed: stub: only part of the range)") {
		t.Errorf("problems = %q", d.Problems)
	}
	if s.Calls("GetFunctionConfiguration") != 2 || s.Calls("ListFunctions") != 0 {
		t.Errorf("lambda calls %d %d", s.Calls("GetFunctionConfiguration"), s.Calls("ListFunctions"))
	}
}

func TestCollectInputErrors(t *testing.T) {
	s := newStub(t, 2)
	c := stubCollector(s)
	for _, tc := range []struct {
		o    CollectOptions
		want string
	}{
		{CollectOptions{Functions: []string{"fn-000", "nope", "fn-999"}}, `--function: function "nope" not found`},
		{CollectOptions{}, "--function"},
		{CollectOptions{All: true, Functions: []string{"x"}}, "--all"},
		{CollectOptions{All: true, Since: 500 * day}, "--since"},
		{CollectOptions{All: true, Since: 30 * day, Period: time.Minute}, "--period"},
	} {
		_, _, err := c.Collect(context.Background(), tc.o)
		if !pricing.IsInput(err) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want input error with %q", tc.o, err, tc.want)
		}
	}
	_, _, err := c.Collect(context.Background(), CollectOptions{Functions: []string{"nope", "fn-999"}})
	if err == nil || !strings.Contains(err.Error(), "fn-999") {
		t.Errorf("every unknown function is listed: %v", err)
	}
}

// --logs: REPORT records from CloudWatch Logs (JSON 1.1, paginated) add
// cold starts, INIT and memory; with as many records as invocations the
// billed duration becomes exact.
func TestCollectLogs(t *testing.T) {
	s := newStub(t, 2)
	// fn-001 over 2 minutes: 2 invocations per minute = 4 invocations.
	s.Logs["/aws/lambda/fn-001"] = []string{
		"REPORT RequestId: a\tDuration: 101.20 ms\tBilled Duration: 402 ms\tMemory Size: 256 MB\tMax Memory Used: 77 MB\tInit Duration: 300.10 ms\t",
		"START RequestId: b Version: $LATEST",
		"REPORT RequestId: b\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 256 MB\tMax Memory Used: 79 MB\t",
		`{"time":"2026-11-20T12:33:00.000Z","type":"platform.report","record":{"requestId":"c","status":"timeout","metrics":{"durationMs":30000.0,"billedDurationMs":30000,"memorySizeMB":256,"maxMemoryUsedMB":81}}}`,
		"REPORT RequestId: d\tDuration: 99.50 ms\tBilled Duration: 100 ms\tMemory Size: 256 MB\tMax Memory Used: 78 MB\t",
		"REPORT RequestId: e\tDuration: x ms",
	}
	c := stubCollector(s)
	d, st, err := c.Collect(context.Background(), CollectOptions{Functions: []string{"fn-000", "fn-001"}, Since: 2 * time.Minute, Logs: true, LogsMode: LogsEvents})
	if err != nil {
		t.Fatal(err)
	}
	f := d.Functions[1].Summary
	if f.Invocations != 4 || f.ColdStarts != 1 || f.Timeouts != 1 || f.MaxMemoryUsedMB != 81 || f.BilledDurationMs != 402+100+30000+100 {
		t.Errorf("fn-001 with logs = %+v", f)
	}
	// (402+100+30000+100) ms × 256 MB / 1,024,000
	if !near(f.BilledGBSeconds, 30602*256/1024000.0) || !near(f.InitDurationMs.Avg, 300.1) {
		t.Errorf("fn-001 GB-s %v init %+v", f.BilledGBSeconds, f.InitDurationMs)
	}
	// 6 messages at 2 per page = 3 calls; fn-000 has no log group: 1 call.
	if st.LogsCalls != 4 || s.Calls("FilterLogEvents") != 4 || st.LogReports != 4 {
		t.Errorf("logs calls %d (HTTP %d), reports %d", st.LogsCalls, s.Calls("FilterLogEvents"), st.LogReports)
	}
	joined := strings.Join(d.Problems, "\n")
	if !strings.Contains(joined, "log group /aws/lambda/fn-000 of fn-000 not found") || !strings.Contains(joined, "5: REPORT field Duration") {
		t.Errorf("problems:\n%s", joined)
	}
}

func TestChooseWindow(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 34, 56, 0, time.UTC)
	for _, tc := range []struct {
		since, period time.Duration
		wantPeriod    time.Duration
		wantPoints    int
		err           string
	}{
		{14 * day, 0, time.Minute, 20160, ""},
		// The age that counts is the start's (GetMetricData: "Start time
		// between 15 and 63 days ago - Use a multiple of 300 seconds", else
		// no data points), plus RetentionMargin (1 h) for the collection's
		// own time. At 12:34:56 a 15-day window at 1 min would start at
		// 12:34:00 15 days earlier, 15 d 56 s ago: past 15 days, so 5 min,
		// ending 12:30:00, 15 × 288 = 4,320 points (it was 1 min, 21,600
		// points that CloudWatch returns empty).
		{15 * day, 0, 5 * time.Minute, 4320, ""},
		// 14 d 23 h: 14 d 23 h 0 min 56 s + 1 h > 15 d → 5 min: 14 d 23 h
		// from 12:30:00, 4,308 points; 14 d 22 h 59 min: 14 d 22 h 59 min
		// 56 s + 1 h ≤ 15 d → 1 min, 14 × 1,440 + 22 × 60 + 59 = 21,539
		// points.
		{15*day - time.Hour, 0, 5 * time.Minute, 4308, ""},
		{15*day - time.Hour - time.Minute, 0, time.Minute, 21539, ""},
		{15 * day, time.Minute, 0, 0, "--period"},
		{16 * day, 0, 5 * time.Minute, 4608, ""},
		// 63 days at 5 min would start 63 d 4 min 56 s ago: past 63 days,
		// so 1 h: 63 × 24 = 1,512 points (it was 5 min, 18,144 points).
		{63 * day, 0, time.Hour, 1512, ""},
		{62 * day, 0, 5 * time.Minute, 62 * 288, ""},
		{90 * day, 0, time.Hour, 2160, ""},
		// 455 days at 1 h would start 455 d 34 min 56 s ago, past the
		// 455 days CloudWatch keeps hourly data: refused; 454 days is
		// 454 × 24 = 10,896 points.
		{455 * day, 0, 0, 0, "--since"},
		{454 * day, 0, time.Hour, 10896, ""},
		{456 * day, 0, 0, 0, "--since"},
		{14 * day, 5 * time.Minute, 5 * time.Minute, 4032, ""},
		{30 * day, time.Minute, 0, 0, "--period"},
		{30 * day, 7 * time.Minute, 0, 0, "--period"},
		{day, 90 * time.Second, 0, 0, "--period"},
		{30 * time.Second, 0, 0, 0, "--since"},
		{0, 0, 0, 0, "--since"},
	} {
		w, err := ChooseWindow(now, tc.since, tc.period)
		if tc.err != "" {
			if !pricing.IsInput(err) || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("since %s period %s: err %v, want %s", tc.since, tc.period, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("since %s: %v", tc.since, err)
			continue
		}
		if w.Period != tc.wantPeriod || w.Points() != tc.wantPoints || w.End.After(now) || w.End.Unix()%int64(w.Period/time.Second) != 0 || w.Start.Unix()%int64(w.Period/time.Second) != 0 {
			t.Errorf("since %s: %+v (%d points), %v; want period %s, %d points", tc.since, w, w.Points(), err, tc.wantPeriod, tc.wantPoints)
		}
	}
}

// The benchmark's scenario as a plan: 1,000 functions × 8 metrics at a
// 1-minute period over 14 days are 8,000 queries of 20,160 points, 5 per
// call: 1,600 calls, which is also the datapoint bound
// 161,280,000 / 100,800.
func TestPackThousandFunctions(t *testing.T) {
	w, _ := ChooseWindow(stubNow, 14*day, 0)
	qs := benchQueries(1000, 8)
	b := Pack(qs, w)
	if MinCalls(qs, w) != 1600 || len(b) != 1600 {
		t.Errorf("min %d, batches %d; want 1600", MinCalls(qs, w), len(b))
	}
	n := 0
	for _, x := range b {
		n += len(x)
		if len(x)*20160 > MaxDatapointsPerCall || len(x) > MaxQueriesPerCall {
			t.Fatalf("batch of %d queries", len(x))
		}
	}
	if n != 8000 {
		t.Errorf("%d queries packed", n)
	}
	// The collector's own plan for 1,000 plain functions: 5,000 series
	// queries of 20,160 points (5 fill a call) and 10,002 one-point queries
	// (10 a function, 2 for the account). With a calls holding 5 series, b
	// holding 4 (room for 496 one-point queries) and c holding only
	// one-point queries: 5a + 4b = 5,000 and 496b + 500c ≥ 10,002; calls =
	// 1,000 + b/5 + c ≥ 1,000 + 10,002/(5·496) = 1,004.03, so at least
	// 1,005 — which b = 25, c = 0 reaches. The naive bound MinCalls (1,001)
	// is not reachable here.
	var fns []FunctionInfo
	for i := range 1000 {
		fns = append(fns, FunctionInfo{Config: pricing.FunctionConfig{Name: fmt.Sprintf("f%d", i)}})
	}
	qs = PlanQueries(fns)
	if got := len(Pack(qs, w)); got != 1005 || MinCalls(qs, w) != 1001 {
		t.Errorf("own plan: %d batches (want the optimum 1005), naive minimum %d", got, MinCalls(qs, w))
	}
}

func benchQueries(nfn, nmetric int) []MetricQuery {
	metrics := []metricKey{{Metric: mInvocations, Stat: "Sum"}, {Metric: mErrors, Stat: "Sum"}, {Metric: mThrottles, Stat: "Sum"}, {Metric: mDuration, Stat: "Average"},
		{Metric: mDuration, Stat: "p99"}, {Metric: mDuration, Stat: "Maximum"}, {Metric: mConcurrent, Stat: "Maximum"}, {Metric: mPCInvocations, Stat: "Sum"}}
	var qs []MetricQuery
	for i := range nfn {
		for _, m := range metrics[:nmetric] {
			qs = append(qs, MetricQuery{Function: fmt.Sprintf("fn-%04d", i), Namespace: nsLambda, Metric: m.Metric, Stat: m.Stat})
		}
	}
	return qs
}

// The rate limiter spaces calls: at one call an hour, the first call goes
// at once and the second waits — here until its context is cancelled.
func TestLimiter(t *testing.T) {
	l := newLimiter(1.0 / 3600)
	if err := l.wait(context.Background()); err != nil {
		t.Fatalf("first call waited: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- l.wait(ctx) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("second call: %v, want it to wait until cancelled", err)
	}
	if err := newLimiter(-1).wait(context.Background()); err != nil {
		t.Errorf("unlimited: %v", err)
	}
}

// What an absent datapoint means is said: AWS/Lambda publishes Invocations
// only for periods with invocations (the stub emits no Errors zeros, as
// CloudWatch does), so a period without one is read as none, and a 1-day
// window at 1 min is within the 15 days CloudWatch keeps 1-minute data.
func TestCollectSaysAbsentDatapointsAreNone(t *testing.T) {
	d, _, err := stubCollector(newStub(t, 2)).Collect(context.Background(), CollectOptions{All: true, Since: day})
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(d.Assumptions, func(a pricing.Assumption) bool { return a.Field == "series.invocations" })
	if i < 0 || d.Assumptions[i].Value != "0 where CloudWatch has no datapoint" || !strings.Contains(d.Assumptions[i].Why, "within the 15d retention of 1m0s data") {
		t.Errorf("assumptions %+v", d.Assumptions)
	}
	// The metrics carry no memory size (a version of another size, a change
	// within the window): today's configuration is said to be applied.
	if !slices.ContainsFunc(d.Assumptions, func(a pricing.Assumption) bool {
		return a.Field == "functions.memory_mb" && strings.Contains(a.Why, "collect --logs reads each invocation's Memory Size")
	}) {
		t.Errorf("the memory size's assumption is missing: %+v", d.Assumptions)
	}
}

// --function with a version or alias: CloudWatch's FunctionName dimension
// (the one collect queries) sums every version and alias of the function
// (Lambda's metrics documentation: Resource is the dimension of a version
// or alias), so "fn-001:live" would have been collected as the whole
// function with the alias's configuration; it is refused by name, as is
// an ARN of another region than the collection's (its metrics are not in
// this region's CloudWatch). A plain ARN is the function.
func TestCollectFunctionRefs(t *testing.T) {
	for _, c := range []struct{ ref, want string }{
		{"fn-001:live", `--function: "fn-001:live" names a version or alias (live)`},
		{"arn:aws:lambda:us-east-1:123456789012:function:fn-001:7", `names a version or alias (7)`},
		{"123456789012:function:fn-001:$LATEST", `names a version or alias ($LATEST)`},
		{"arn:aws:lambda:eu-west-1:123456789012:function:fn-001", `is a function of region eu-west-1, but the collection is of us-east-1`},
	} {
		s := newStub(t, 2)
		_, _, err := stubCollector(s).Collect(context.Background(), CollectOptions{Functions: []string{c.ref}, Since: day})
		if !pricing.IsInput(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want an input error with %q", c.ref, err, c.want)
		}
		if n := s.Calls("GetFunctionConfiguration") + s.Calls("GetMetricData"); n != 0 {
			t.Errorf("%s: %d calls made", c.ref, n)
		}
	}
	d, _, err := stubCollector(newStub(t, 2)).Collect(context.Background(), CollectOptions{Functions: []string{"arn:aws:lambda:us-east-1:123456789012:function:fn-001"}, Since: day})
	if err != nil || len(d.Functions) != 1 || d.Functions[0].Name != "fn-001" {
		t.Fatalf("by ARN: %v", err)
	}
	// fn-001 invokes 1 + 1 mod 3 = 2 times a minute: 2 × 1,440 in a day.
	if got := d.Functions[0].Summary.Invocations; got != 2880 {
		t.Errorf("invocations %d, want 2880", got)
	}
}
