//go:build unix

package collector

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/collector/collectortest"
)

// BenchmarkPack1000x8 plans 1,000 functions × 8 metrics at a 1-minute
// period over 14 days: 8,000 queries of 20,160 datapoints. Reported:
// calls (GetMetricData calls planned) and min_calls (the theoretical
// minimum, 161,280,000 datapoints / 100,800 per call = 1,600).
func BenchmarkPack1000x8(b *testing.B) {
	w, _ := ChooseWindow(stubNow, 14*day, 0)
	qs := benchQueries(1000, 8)
	var n int
	for b.Loop() {
		n = len(Pack(qs, w))
	}
	b.ReportMetric(float64(n), "calls")
	b.ReportMetric(float64(MinCalls(qs, w)), "min_calls")
}

// BenchmarkCollect1000Functions runs a whole `collect --all --since 14d`
// of 1,000 functions through the real SDK clients against the loopback
// stub (answering without datapoints, so that the benchmark measures the
// calls, not CBOR volume): ListFunctions pages, ListMetrics detection,
// provisioned-concurrency lookups and the packed GetMetricData calls.
func BenchmarkCollect1000Functions(b *testing.B) {
	s := collectortest.New(b, 1000)
	s.Empty = true
	var st CollectStats
	for b.Loop() {
		c := stubCollector(s)
		var err error
		_, st, err = c.Collect(context.Background(), CollectOptions{All: true, Since: 14 * day})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.GetMetricDataCalls), "calls")
	b.ReportMetric(float64(st.MinCalls), "min_calls")
	b.ReportMetric(float64(st.Queries), "queries")
	b.ReportMetric(float64(st.LambdaCalls+st.ListMetricsCalls), "other_calls")
}

// benchLogMB is the size of the generated log (LAMBDACOST_BENCH_LOG_MB,
// default 256; the BENCHMARKS.md figure uses 1024).
func benchLogMB() int64 {
	if v, err := strconv.Atoi(os.Getenv("LAMBDACOST_BENCH_LOG_MB")); err == nil && v > 0 {
		return int64(v)
	}
	return 256
}

// writeBenchLog writes a realistic Lambda log of about mb MB: per
// invocation START, an application line, END and REPORT (1 in 50 cold,
// 1 in 200 a timeout), every tenth invocation as JSON platform records
// instead, with CloudWatch's export timestamps.
func writeBenchLog(w io.Writer, mb int64) (int64, error) {
	bw := bufio.NewWriterSize(w, 1<<20)
	var n int64
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; n < mb<<20; i++ {
		ts := t0.Add(time.Duration(i) * 7 * time.Millisecond).Format("2006-01-02T15:04:05.000Z")
		id := fmt.Sprintf("%08x-17b8-4cdb-a46b-a8dbe79%05x", i, i%0xfffff)
		dur := float64(i%997) + float64(i%100)/100
		var line string
		if i%10 == 9 {
			line = fmt.Sprintf("%s {\"time\":\"%s\",\"type\":\"platform.start\",\"record\":{\"requestId\":\"%s\",\"version\":\"$LATEST\"}}\n"+
				"%s {\"timestamp\":\"%s\",\"level\":\"INFO\",\"requestId\":\"%s\",\"message\":\"processed order %d\"}\n"+
				"%s {\"time\":\"%s\",\"type\":\"platform.report\",\"record\":{\"requestId\":\"%s\",\"status\":\"success\",\"metrics\":{\"durationMs\":%.3f,\"billedDurationMs\":%d,\"memorySizeMB\":512,\"maxMemoryUsedMB\":%d}}}\n",
				ts, ts, id, ts, ts, id, i, ts, ts, id, dur, int(dur)+1, 60+i%40)
		} else {
			extra := ""
			billed := int(dur) + 1
			if i%50 == 0 {
				extra = "Init Duration: 212.34 ms\t"
				billed += 213
			}
			if i%200 == 1 {
				extra += "Status: timeout\t"
			}
			line = fmt.Sprintf("%s START RequestId: %s Version: $LATEST\n%s %s\t%s\tINFO\tprocessed order %d for customer c-%d\n%s END RequestId: %s\n%s REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 512 MB\tMax Memory Used: %d MB\t%s\n",
				ts, id, ts, ts, id, i, i%1000, ts, id, ts, id, dur, billed, 60+i%40, extra)
		}
		k, err := bw.WriteString(line)
		n += int64(k)
		if err != nil {
			return n, err
		}
	}
	return n, bw.Flush()
}

// BenchmarkImport streams a generated plain log through the importer.
func BenchmarkImport(b *testing.B) {
	benchImport(b, false)
}

// BenchmarkImportGzip does the same with a gzip-compressed file.
func BenchmarkImportGzip(b *testing.B) {
	benchImport(b, true)
}

func benchImport(b *testing.B, gz bool) {
	path := filepath.Join(b.TempDir(), "bench.log")
	fh, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	var w io.Writer = fh
	var zw *gzip.Writer
	mb := benchLogMB()
	if gz {
		mb /= 4
		zw, _ = gzip.NewWriterLevel(fh, gzip.BestSpeed)
		w = zw
	}
	size, err := writeBenchLog(w, mb)
	if err == nil && zw != nil {
		err = zw.Close()
	}
	if err2 := fh.Close(); err == nil {
		err = err2
	}
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size) // uncompressed bytes
	b.ResetTimer()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		_, st, err := ImportFiles([]string{path}, ImportOptions{})
		if err != nil || st.Malformed != 0 || st.Bytes != size {
			b.Fatalf("import: %v, %+v (size %d)", err, st, size)
		}
		n++
	}
	// The machine is shared: MB per CPU-second (user + system time of this
	// process, GC included) is the figure that does not depend on how busy
	// the other cores are.
	if cpu := (cpuTime() - cpu0).Seconds(); cpu > 0 {
		b.ReportMetric(float64(size)*float64(n)/1e6/cpu, "MB/cpu-s")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCollect1000FunctionsAtQuota is `collect --all --since 14d` of
// 1,000 functions paced at GetMetricData's real quotas (50 calls/s,
// 396,000 datapoints/s for a window older than 3 hours) against the stub,
// which enforces the same quotas over every second (and answers without
// datapoints: the datapoints asked for are what the quota counts).
// Reported: calls, datapoints asked for, throttled calls, and the most
// datapoints the stub admitted in one second. Takes ≈ 5 minutes.
func BenchmarkCollect1000FunctionsAtQuota(b *testing.B) {
	s := collectortest.New(b, 1000)
	s.Empty = true
	s.Quota.TPS, s.Quota.DPS = GetMetricDataTPS, GetMetricDataDPS
	var st CollectStats
	var points int64
	for b.Loop() {
		c := stubCollector(s)
		c.RatePerSecond = 0
		c.Progress = func(p Progress) {
			if p.Phase == "metrics" {
				points = p.PointsTotal
			}
		}
		var err error
		_, st, err = c.Collect(context.Background(), CollectOptions{All: true, Since: 14 * day})
		if err != nil {
			b.Fatal(err)
		}
	}
	use := s.QuotaUse()
	b.ReportMetric(float64(st.GetMetricDataCalls), "calls")
	b.ReportMetric(float64(points), "points")
	b.ReportMetric(float64(use.Throttled), "throttled")
	b.ReportMetric(float64(use.MaxPoints), "max_points_per_s")
	b.ReportMetric(float64(use.MaxCalls), "max_calls_per_s")
}

// BenchmarkLogsModes reads one function's day of logs — N invocations
// (LAMBDACOST_BENCH_INVOCATIONS, default 50,000), each a START, an END and
// a text REPORT line (1 in 20 cold) — with --logs-mode events (stub pages
// of up to 10,000 events / 1 MB, as CloudWatch's) and with Logs Insights.
// Reported per mode: API calls, bytes (events: FilterLogEvents response
// bytes; insights: bytes scanned), REPORT records.
func BenchmarkLogsModes(b *testing.B) {
	n := 50_000
	if v, err := strconv.Atoi(os.Getenv("LAMBDACOST_BENCH_INVOCATIONS")); err == nil && v > 0 {
		n = v
	}
	s := collectortest.New(b, 1)
	s.LogPageEvents = 10_000
	w, _ := ChooseWindow(stubNow, day, 0)
	evs := make([]collectortest.LogEvent, 0, 3*n)
	step := w.End.Sub(w.Start).Milliseconds() / int64(n)
	const stream = "2026/11/20/[$LATEST]0123456789abcdef0123456789abcdef"
	for i := range n {
		ts := w.Start.UnixMilli() + int64(i)*step
		id := fmt.Sprintf("%08x-17b8-4cdb-a46b-a8dbe7918%03x", i, i%0xfff)
		rep := fmt.Sprintf("REPORT RequestId: %s\tDuration: %d.%02d ms\tBilled Duration: %d ms\tMemory Size: 128 MB\tMax Memory Used: 71 MB\t", id, 20+i%200, i%100, 21+i%200)
		if i%20 == 0 {
			rep += "Init Duration: 180.25 ms\t"
		}
		evs = append(evs,
			collectortest.LogEvent{Timestamp: ts, Stream: stream, Message: "START RequestId: " + id + " Version: $LATEST\n"},
			collectortest.LogEvent{Timestamp: ts + 1, Stream: stream, Message: "END RequestId: " + id + "\n"},
			collectortest.LogEvent{Timestamp: ts + 1, Stream: stream, Message: rep + "\n"})
	}
	s.Events = map[string][]collectortest.LogEvent{"/aws/lambda/fn-000": evs}
	for _, mode := range []string{LogsEvents, LogsInsights} {
		b.Run(mode, func(b *testing.B) {
			var st CollectStats
			var bytes0 int64
			for b.Loop() {
				bytes0 = s.LogBytes()
				c := stubCollector(s)
				var err error
				_, st, err = c.Collect(context.Background(), CollectOptions{Functions: []string{"fn-000"}, Since: day, Logs: true, LogsMode: mode})
				if err != nil {
					b.Fatal(err)
				}
			}
			if mode == LogsEvents {
				b.ReportMetric(float64(st.LogsCalls), "calls")
				b.ReportMetric(float64(s.LogBytes()-bytes0), "bytes")
			} else {
				b.ReportMetric(float64(st.Insights.Queries+st.Insights.Polls), "calls")
				b.ReportMetric(st.Insights.BytesScanned, "bytes")
			}
			b.ReportMetric(float64(st.LogReports), "reports")
		})
	}
}
