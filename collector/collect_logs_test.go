package collector

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

// `collect --logs` through the real CloudWatch Logs SDK client against a
// stub serving events byte for byte as CloudWatch stores them (REPORT
// ending in "\t\n", X-Ray on a second line, platform and handler lines,
// JSON-format records), filtered by the collector's own filter pattern.
// Expected totals are worked out by hand in collectortest/logs.go.
func TestCollectLogsRealShapes(t *testing.T) {
	for _, mode := range []string{LogsInsights, LogsEvents} {
		t.Run(mode, func(t *testing.T) { testCollectLogsRealShapes(t, mode) })
	}
}

func testCollectLogsRealShapes(t *testing.T, mode string) {
	s := newStub(t, 3)
	w, err := ChooseWindow(stubNow, 2*time.Minute, 0)
	if err != nil {
		t.Fatal(err)
	}
	s.Events = map[string][]collectortest.LogEvent{
		"/aws/lambda/fn-001": collectortest.TextFormatEvents(w.Start),
		"/aws/lambda/fn-002": collectortest.JSONFormatEvents(w.Start),
	}
	c := stubCollector(s)
	d, st, err := c.Collect(context.Background(), CollectOptions{Functions: []string{"fn-001", "fn-002"}, Since: 2 * time.Minute, Logs: true, LogsMode: mode})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Problems {
		t.Errorf("problem: %s", p)
	}
	want := map[string]struct {
		inv, cold, billed, timeouts int64
		maxMem, mem                 int
	}{
		// fn-001: 2 invocations a minute (stub model) = 4 REPORTs.
		"fn-001": {inv: 4, cold: 1, billed: 3486, timeouts: 1, maxMem: 80, mem: 256},
		// fn-002: 3 a minute = 6 platform.report records.
		"fn-002": {inv: 6, cold: 1, billed: 3554, timeouts: 1, maxMem: 95, mem: 384},
	}
	if st.LogReports != 10 {
		t.Errorf("log reports %d, want 10", st.LogReports)
	}
	for _, f := range d.Functions {
		w, ok := want[f.Name]
		if !ok {
			continue
		}
		s := f.Summary
		if s.Invocations != w.inv || s.ColdStarts != w.cold || s.BilledDurationMs != w.billed || s.Timeouts != w.timeouts || s.MaxMemoryUsedMB != w.maxMem {
			t.Errorf("%s: invocations %d cold %d billed %d timeouts %d max mem %d; want %+v", f.Name, s.Invocations, s.ColdStarts, s.BilledDurationMs, s.Timeouts, s.MaxMemoryUsedMB, w)
		}
		if !near(s.BilledGBSeconds, float64(w.billed)*float64(w.mem)/1024000) {
			t.Errorf("%s: GB-s %v", f.Name, s.BilledGBSeconds)
		}
		if len(s.ByMemory) != 1 || s.ByMemory[0] != (pricing.MemoryUsage{MemoryMB: w.mem, Invocations: w.inv, ColdStarts: 1, BilledDurationMs: w.billed, // INIT part: Billed − ⌈Duration⌉.
			InitBilledMs: map[string]int64{"fn-001": 419 - 103, "fn-002": 431 - 251}[f.Name]}) {
			t.Errorf("%s: by memory %+v", f.Name, s.ByMemory)
		}
	}
}

// --logs-mode events over the cap reads the window in 24 slices, each up
// to its share of the cap: a sample spread over the window (a record in
// the last hour is read), and the problems say the cap was hit.
func TestCollectLogsEventsCapSamplesWholeWindow(t *testing.T) {
	old := MaxLogEventsPerFunction
	MaxLogEventsPerFunction = 48 // 2 a slice: one stub page
	t.Cleanup(func() { MaxLogEventsPerFunction = old })
	s := newStub(t, 2)
	w, err := ChooseWindow(stubNow, day, 0)
	if err != nil {
		t.Fatal(err)
	}
	var evs []collectortest.LogEvent
	for k := range 1440 {
		used := 70
		if k == 23*60 { // the first record of the last slice
			used = 99
		}
		evs = append(evs, collectortest.LogEvent{Timestamp: w.Start.Add(time.Duration(k)*time.Minute + time.Second).UnixMilli(), Stream: "2026/11/20/[$LATEST]ab",
			Message: fmt.Sprintf("REPORT RequestId: r%d\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\tMax Memory Used: %d MB\t\n", k, used)})
	}
	s.Events = map[string][]collectortest.LogEvent{"/aws/lambda/fn-001": evs}
	c := stubCollector(s)
	d, st, err := c.Collect(context.Background(), CollectOptions{Functions: []string{"fn-001"}, Since: day, Logs: true, LogsMode: LogsEvents})
	if err != nil {
		t.Fatal(err)
	}
	// 24 slices × one page of 2 records.
	if st.LogsCalls != 24 || st.LogReports != 48 {
		t.Errorf("%d calls, %d records; want 24, 48", st.LogsCalls, st.LogReports)
	}
	if got := d.Functions[0].Summary.MaxMemoryUsedMB; got != 99 {
		t.Errorf("max memory used %d: the last hour was not read", got)
	}
	if !strings.Contains(strings.Join(d.Problems, "\n"), "cap of 48 REPORT records reached (24 of 24 slices") {
		t.Errorf("problems: %q", d.Problems)
	}
}

// `collect --logs` (events) reads what import reads: a handler's log line
// quoting a REPORT (which the filter pattern lets through) is no
// invocation. (Errors come from the Errors metric, which counts crashes.)
func TestCollectLogsQuotedLines(t *testing.T) {
	s := newStub(t, 2)
	w, err := ChooseWindow(stubNow, 2*time.Minute, 0)
	if err != nil {
		t.Fatal(err)
	}
	at := func(ms int64) int64 { return w.Start.UnixMilli() + ms }
	st := "2026/11/20/[$LATEST]ab"
	s.Events = map[string][]collectortest.LogEvent{"/aws/lambda/fn-001": {
		{Timestamp: at(1000), Stream: st, Message: "REPORT RequestId: c1\tDuration: 3296.38 ms\tBilled Duration: 3297 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\t\n"},
		{Timestamp: at(2000), Stream: st, Message: "2026-11-20T10:00:02.000Z\tc2\tINFO\tforwarding REPORT RequestId: x\tDuration: 100.00 ms\tBilled Duration: 100 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\n"},
		{Timestamp: at(2001), Stream: st, Message: "REPORT RequestId: c2\tDuration: 5.17 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 51 MB\t\n"},
		{Timestamp: at(61000), Stream: st, Message: "REPORT RequestId: c3\tDuration: 0.90 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 51 MB\t\n"},
		{Timestamp: at(62000), Stream: st, Message: "REPORT RequestId: c4\tDuration: 0.80 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 51 MB\t\n"},
	}}
	d, cs, err := stubCollector(s).Collect(context.Background(), CollectOptions{Functions: []string{"fn-001"}, Since: 2 * time.Minute, Logs: true, LogsMode: LogsEvents})
	if err != nil {
		t.Fatal(err)
	}
	// Four REPORTs (the stub's 2 invocations a minute), 3297 + 6 + 1 + 1
	// ms; the quoted line's 100 ms is not among them.
	if sm := d.Functions[0].Summary; cs.LogReports != 4 || sm.BilledDurationMs != 3305 {
		t.Errorf("reports %d billed %d; problems %q", cs.LogReports, sm.BilledDurationMs, d.Problems)
	}
}
