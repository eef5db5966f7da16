package collector

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/collector/collectortest"
)

// genRecord is one generated invocation, kept to compute the expected
// statistics directly (not through any of the collector's code).
type genRecord struct {
	fn                  string
	durH, initH         int64 // hundredths of a ms; initH 0 = warm
	billed, mem, usedMB int64
	status              string // "", "timeout", "error"
}

// genLogs writes, for each function i of fns and each minute of w, as many
// REPORT records as the stub's metrics count invocations (1 + i mod 3),
// at random times within the minute, with random durations, cold starts
// (with Init Duration), memory used, timeouts and errors. text: Lambda's
// text format; else JSON platform.report records. In a custom group the
// stream names the function (YYYY/MM/DD/NAME[$LATEST]GUID).
func genLogs(rng *rand.Rand, w Window, fn string, i int, custom, text bool, out *[]collectortest.LogEvent) []genRecord {
	var recs []genRecord
	stream := "2026/11/20/[$LATEST]0123456789abcdef0123456789abcdef"
	if custom {
		stream = "2026/11/20/" + fn + "[$LATEST]0123456789abcdef0123456789abcdef"
	}
	mem := int64(128 * (1 + i%8))
	n := 0
	for t := w.Start; t.Before(w.End); t = t.Add(time.Minute) {
		for range 1 + i%3 {
			n++
			r := genRecord{fn: fn, durH: 100 + rng.Int64N(200_000), mem: mem, usedMB: 40 + rng.Int64N(mem-40)}
			if rng.IntN(20) == 0 {
				r.initH = 10_000 + rng.Int64N(90_000)
			}
			switch rng.IntN(100) {
			case 0:
				r.status = "timeout"
			case 1, 2:
				r.status = "error"
			}
			// Since 2025-08-01 Billed Duration includes INIT.
			r.billed = (r.durH + r.initH + 99) / 100
			ts := t.UnixMilli() + rng.Int64N(60_000)
			id := fmt.Sprintf("%08x-1111-4222-8333-%012x", i, n)
			h := func(v int64) string { return fmt.Sprintf("%d.%02d", v/100, v%100) }
			var msg string
			if text {
				msg = fmt.Sprintf("REPORT RequestId: %s\tDuration: %s ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t", id, h(r.durH), r.billed, mem, r.usedMB)
				if r.initH > 0 {
					msg += "Init Duration: " + h(r.initH) + " ms\t"
				}
				switch r.status {
				case "timeout":
					msg += "Status: timeout\n"
					*out = append(*out, collectortest.LogEvent{Timestamp: ts - 1, Stream: stream, Message: time.UnixMilli(ts-1).UTC().Format("2006-01-02T15:04:05.000Z") + " " + id + " Task timed out after 3.00 seconds\n\n"})
				case "error":
					msg += "Status: error\tError Type: Runtime.ExitError\n"
				default:
					msg += "\n"
				}
			} else {
				status := r.status
				if status == "" {
					status = "success"
				}
				init := ""
				if r.initH > 0 {
					init = `,"initDurationMs":` + h(r.initH)
				}
				msg = fmt.Sprintf(`{"time":"%s","type":"platform.report","record":{"requestId":"%s","status":"%s","metrics":{"durationMs":%s,"billedDurationMs":%d,"memorySizeMB":%d,"maxMemoryUsedMB":%d%s}}}`,
					time.UnixMilli(ts).UTC().Format("2006-01-02T15:04:05.000Z"), id, status, h(r.durH), r.billed, mem, r.usedMB, init)
			}
			// START and END lines around it, scanned but not matched.
			*out = append(*out,
				collectortest.LogEvent{Timestamp: ts - 2, Stream: stream, Message: "START RequestId: " + id + " Version: $LATEST\n"},
				collectortest.LogEvent{Timestamp: ts, Stream: stream, Message: "END RequestId: " + id + "\n"},
				collectortest.LogEvent{Timestamp: ts, Stream: stream, Message: msg})
			recs = append(recs, r)
		}
	}
	return recs
}

// Logs Insights through the real SDK (StartQuery, GetQueryResults through
// Scheduled/Running/Complete, statistics) against the stub, which runs the
// collector's queries on the stored events. The statistics are checked
// against the exact ones computed from the generated records: counts, cold
// starts, billed sums per memory size, largest memory used, timeouts, INIT
// average and p99 (nearest rank). fn-002 and fn-003 share a custom log
// group (fn-003 in the JSON format) with another function's records and
// some that no stream attributes; fn-000 has no log group.
func TestCollectInsightsExact(t *testing.T) {
	for _, limit := range []int{InsightsMaxRows, 40} {
		t.Run(fmt.Sprint("rows=", limit), func(t *testing.T) {
			old := insightsRowLimit
			insightsRowLimit = limit
			t.Cleanup(func() { insightsRowLimit = old })
			testCollectInsightsExact(t, limit)
		})
	}
}

func testCollectInsightsExact(t *testing.T, limit int) {
	s := newStub(t, 4)
	since := 20 * time.Hour
	w, err := ChooseWindow(stubNow, since, 0)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(17, 4))
	var single, shared []collectortest.LogEvent
	want := map[string][]genRecord{}
	want["fn-001"] = genLogs(rng, w, "fn-001", 1, false, true, &single)
	want["fn-002"] = genLogs(rng, w, "fn-002", 2, true, true, &shared)
	want["fn-003"] = genLogs(rng, w, "fn-003", 3, true, false, &shared)
	genLogs(rng, Window{Start: w.Start, End: w.Start.Add(20 * time.Minute)}, "other", 5, true, true, &shared) // not collected
	// Ten other functions in the shared group, over the whole window.
	for k := range 10 {
		for ts := w.Start.UnixMilli() + int64(k)*1000; ts < w.End.UnixMilli(); ts += 600_000 {
			shared = append(shared, collectortest.LogEvent{Timestamp: ts, Stream: fmt.Sprintf("2026/11/20/other-%d[$LATEST]feed", k),
				Message: "REPORT RequestId: o\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\t\n"})
		}
	}
	for k := range 3 { // streams without a function name
		shared = append(shared, collectortest.LogEvent{Timestamp: w.Start.UnixMilli() + int64(k)*1000, Stream: "2026/11/20/[$LATEST]feed",
			Message: "REPORT RequestId: x\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\t\n"})
	}
	// Events outside the window are not scanned.
	single = append(single, collectortest.LogEvent{Timestamp: w.End.UnixMilli() + 5, Stream: "s", Message: "REPORT RequestId: late\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 256 MB\tMax Memory Used: 999 MB\t\n"})
	s.Events = map[string][]collectortest.LogEvent{"/aws/lambda/fn-001": single, "/app/shared": shared}
	s.LogGroups = map[string]string{"fn-002": "/app/shared", "fn-003": "/app/shared"}
	var bytes float64
	for _, evs := range s.Events {
		for _, e := range evs {
			if e.Timestamp >= w.Start.UnixMilli() && e.Timestamp < w.End.UnixMilli() {
				bytes += float64(len(e.Message))
			}
		}
	}

	c := stubCollector(s)
	d, st, err := c.Collect(context.Background(), CollectOptions{Functions: []string{"fn-000", "fn-001", "fn-002", "fn-003"}, Since: since, Logs: true})
	if err != nil {
		t.Fatal(err)
	}
	probs := strings.Join(d.Problems, "\n")
	if !strings.Contains(probs, "log group /aws/lambda/fn-000 of fn-000 not found") ||
		!strings.Contains(probs, "/app/shared: 3 REPORT records whose log stream names no function") {
		t.Errorf("problems:\n%s", probs)
	}
	for _, f := range d.Functions {
		recs, ok := want[f.Name]
		if !ok {
			if f.Summary.BilledDurationMs != 0 || len(f.Summary.ByMemory) != 0 {
				t.Errorf("%s has no logs but %+v", f.Name, f.Summary)
			}
			continue
		}
		var inv, cold, billed, timeouts, used int64
		var initSum float64
		var inits []float64
		for _, r := range recs {
			inv++
			billed += r.billed
			used = max(used, r.usedMB)
			if r.initH > 0 {
				cold++
				initSum += float64(r.initH) / 100
				inits = append(inits, float64(r.initH)/100)
			}
			if r.status == "timeout" {
				timeouts++
			}
		}
		sort.Float64s(inits)
		p99 := inits[int(math.Ceil(0.99*float64(len(inits))))-1]
		sm := f.Summary
		if sm.Invocations != inv || sm.ColdStarts != cold || sm.BilledDurationMs != billed || sm.Timeouts != timeouts || int64(sm.MaxMemoryUsedMB) != used {
			t.Errorf("%s: invocations %d cold %d billed %d timeouts %d max used %d; want %d %d %d %d %d", f.Name,
				sm.Invocations, sm.ColdStarts, sm.BilledDurationMs, sm.Timeouts, sm.MaxMemoryUsedMB, inv, cold, billed, timeouts, used)
		}
		if math.Abs(sm.InitDurationMs.Avg-initSum/float64(cold)) > 1e-6 || sm.InitDurationMs.P99 != p99 {
			t.Errorf("%s: init %+v, want avg %v p99 %v", f.Name, sm.InitDurationMs, initSum/float64(cold), p99)
		}
		mem := recs[0].mem
		if len(sm.ByMemory) != 1 || sm.ByMemory[0].MemoryMB != int(mem) || sm.ByMemory[0].BilledDurationMs != billed || sm.ByMemory[0].ColdStarts != cold {
			t.Errorf("%s: by memory %+v", f.Name, sm.ByMemory)
		}
		if math.Abs(sm.BilledGBSeconds-float64(billed*mem)/1024000) > 1e-9 {
			t.Errorf("%s: GB-s %v, want %v", f.Name, sm.BilledGBSeconds, float64(billed*mem)/1024000)
		}
	}
	ins := s.Insights()
	if ins.MaxActive > collectortest.MaxInsightsConcurrent || ins.MaxActive > 10 {
		t.Errorf("%d queries at once", ins.MaxActive)
	}
	for _, g := range ins.Groups {
		if len(g) > InsightsMaxLogGroups {
			t.Errorf("a query of %d log groups", len(g))
		}
	}
	if st.Insights.Queries != ins.Started || st.Insights.BytesScanned != ins.BytesScanned {
		t.Errorf("stats %+v, stub %+v", st.Insights, ins)
	}
	if limit == InsightsMaxRows {
		// Each event in the window is scanned once by the binned queries
		// and once by the percentile query, plus the first query of both
		// groups, which failed (fn-000's group does not exist).
		if st.Insights.BytesScanned != 2*bytes || st.Insights.Splits != 0 {
			t.Errorf("bytes scanned %v, want %v; splits %d", st.Insights.BytesScanned, 2*bytes, st.Insights.Splits)
		}
	} else if st.Insights.Splits == 0 {
		t.Errorf("a %d-row limit split no query", limit)
	}
	// The stub answers Scheduled, Running, then Complete.
	if st.Insights.Polls != 3*st.Insights.Queries || ins.Polls != st.Insights.Polls {
		t.Errorf("%d polls (stub %d) for %d queries: Scheduled and Running not polled through", st.Insights.Polls, ins.Polls, st.Insights.Queries)
	}
}
