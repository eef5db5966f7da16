package collector

import (
	"context"
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
	d, st, err := c.Collect(context.Background(), CollectOptions{Functions: []string{"fn-001", "fn-002"}, Since: 2 * time.Minute, Logs: true})
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
