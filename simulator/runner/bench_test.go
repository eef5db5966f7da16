package runner

import (
	"context"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// trivialEvent makes the test handler return "ok" and do nothing else:
// what is measured is the runner and the aws-lambda-go runtime around it.
var trivialEvent = []byte(`{"action":"noop"}`)

// benchIsolations are the modes benchmarked: none, and cgroup when allowed.
func benchIsolations() []Isolation {
	if cg, _ := cachedCgroups(); cg != nil {
		if probeNamespaces() == "" {
			return []Isolation{IsolationNone, IsolationCgroup, IsolationNamespaces}
		}
		return []Isolation{IsolationNone, IsolationCgroup}
	}
	return []Isolation{IsolationNone}
}

// BenchmarkWarmInvocation measures what one warm invocation of a trivial
// aws-lambda-go handler costs end to end through the runner: dispatch, the
// Runtime API round trip (GET /next reply, POST /response), CPU and memory
// readings and the record. Reported, p50 and p99: the latency per
// invocation; the part of it outside the reported duration (outside-*);
// and of that part the runner's own (runner-*: the reply, readings,
// record and dispatch), the rest being the wait for the runtime's next
// GET /next after its previous response (wait-p50: the runtime's own
// turnaround, which Lambda has too).
// Memory 3008 MB (1.7 vCPU) so that a CPU quota does not throttle.
func BenchmarkWarmInvocation(b *testing.B) {
	for _, iso := range benchIsolations() {
		b.Run("isolation="+string(iso), func(b *testing.B) {
			cfg := Config{Handler: testFn, Isolation: iso, DiscardResponses: true,
				Function: pricing.FunctionConfig{MemoryMB: 3008, Timeout: pricing.Duration(10 * time.Second)}}
			r, err := newRunner(cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer r.shutdown()
			ctx := context.Background()
			event := trivialEvent
			for i := 0; i < 20; i++ { // cold start and warm-up
				if _, err := r.invoke(ctx, event); err != nil {
					b.Fatal(err)
				}
			}
			lat := make([]float64, 0, b.N)
			over := make([]float64, 0, b.N)
			own := make([]float64, 0, b.N)
			waits := make([]float64, 0, b.N)
			var asked time.Time
			r.probe = func(c *call) { asked = c.asked }
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				inv, err := r.invoke(ctx, event)
				if err != nil || inv.Status != "success" || inv.Cold {
					b.Fatalf("%v %+v", err, inv)
				}
				wall := float64(time.Since(t0).Nanoseconds()) / 1e3
				lat = append(lat, wall)
				// What the runner adds outside the duration it reports
				// (event handed out → response received).
				out := wall - inv.DurationMs*1e3
				over = append(over, out)
				// Of which the runner's own part: without the time spent
				// waiting for the runtime's GET /next to reach the handler.
				wait := max(0, float64(asked.Sub(t0).Nanoseconds())/1e3)
				own = append(own, out-wait)
				waits = append(waits, wait)
			}
			b.StopTimer()
			slices.Sort(lat)
			slices.Sort(over)
			slices.Sort(own)
			b.ReportMetric(Quantile(lat, 0.5), "p50-µs")
			b.ReportMetric(Quantile(lat, 0.99), "p99-µs")
			b.ReportMetric(Quantile(over, 0.5), "outside-p50-µs")
			b.ReportMetric(Quantile(over, 0.99), "outside-p99-µs")
			b.ReportMetric(Quantile(own, 0.5), "runner-p50-µs")
			b.ReportMetric(Quantile(own, 0.99), "runner-p99-µs")
			slices.Sort(waits)
			b.ReportMetric(Quantile(waits, 0.5), "wait-p50-µs")
		})
	}
}

// BenchmarkThroughput runs b.N invocations of the trivial handler at
// concurrency 1 and 4 through Run and reports invocations per second.
func BenchmarkThroughput(b *testing.B) {
	for _, iso := range benchIsolations() {
		for _, c := range []int{1, 4} {
			b.Run("isolation="+string(iso)+"/concurrency="+strconv.Itoa(c), func(b *testing.B) {
				cfg := Config{Handler: testFn, Isolation: iso, Concurrency: c, DiscardResponses: true,
					Function: pricing.FunctionConfig{MemoryMB: 3008, Timeout: pricing.Duration(10 * time.Second)}}
				// Start the environments outside the timing.
				events := [][]byte{trivialEvent}
				if _, err := Run(context.Background(), cfg, events, c); err != nil {
					b.Fatal(err)
				}
				b.ResetTimer()
				cpu0, kids0 := selfCPU(), childCPU()
				t0 := time.Now()
				res, err := Run(context.Background(), cfg, events, b.N)
				el := time.Since(t0)
				cpu1, kids1 := selfCPU(), childCPU()
				b.StopTimer()
				if err != nil || res.Summary.Successes != b.N {
					b.Fatalf("%v: %d of %d succeeded", err, res.Summary.Successes, b.N)
				}
				var fnCPU float64
				for _, inv := range res.Invocations {
					fnCPU += inv.CPUTimeMs
				}
				b.ReportMetric(float64(b.N)/el.Seconds(), "inv/s")
				// CPU per invocation, independent of how busy the machine is:
				// the runner's own, and the handler processes'.
				b.ReportMetric(float64((cpu1-cpu0).Microseconds())/float64(b.N), "runner-cpu-µs/inv")
				b.ReportMetric(fnCPU*1000/float64(b.N), "handler-cpu-µs/inv")
				// All the handler processes' CPU (reaped when Run returns),
				// between invocations and their INIT included: with the
				// runner's, what an invocation costs the machine.
				b.ReportMetric(float64((kids1-kids0).Microseconds())/float64(b.N), "handler-total-cpu-µs/inv")
			})
		}
	}
}

// selfCPU is this process's CPU time (user + system).
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// childCPU is the CPU time (user + system) of this process's reaped
// children.
func childCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkReportLine formats one REPORT line.
func BenchmarkReportLine(b *testing.B) {
	r := Report{RequestID: "c793869b-ee49-115b-a5b6-4fd21e8dedac", DurationMs: 128.83, BilledDurationMs: 296, MemorySizeMB: 128, MaxMemoryUsedMB: 74, InitDurationMs: 166.62}
	buf := make([]byte, 0, 256)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = appendReport(buf[:0], r)
	}
}
