package simulator

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// threadCPU is the CPU time used by the calling OS thread (the goroutine
// must be locked to it).
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// The benchmark scenario: steady Poisson traffic at 1,250 req/s of
// exponential 80 ms invocations — 100 busy environments on average and
// ≈ 130 live ones — one op = one simulated invocation.
const benchScenario = `
duration: %ds
function: {memory_mb: 512, duration: {distribution: exponential, mean: 80ms}, init_duration: 200ms}
keep_alive: {idle_timeout: 10m}
traffic: {start_rate: 1250}
`

func benchReplica(b *testing.B, dur string) *replica {
	b.Helper()
	secs := max(1, b.N/1250)
	s, err := ParseScenario("bench.yaml", []byte(fmt.Sprintf(benchScenario, secs)))
	if err != nil {
		b.Fatal(err)
	}
	if dur != "" {
		s2, err := ParseScenario("bench.yaml", []byte(fmt.Sprintf(`
duration: %ds
function: {memory_mb: 512, duration: %s, init_duration: 200ms}
keep_alive: {idle_timeout: 10m}
traffic: {start_rate: 1250}
`, secs, dur)))
		if err != nil {
			b.Fatal(err)
		}
		s = s2
	}
	return newReplica(s, 1, 0, int64(BucketWidth(s.Span())))
}

// BenchmarkSimulate measures the engine: ns per simulated invocation.
func BenchmarkSimulate(b *testing.B) {
	for _, c := range []struct{ name, dur string }{
		{"exponential", ""},
		{"lognormal", "{distribution: lognormal, p50: 60ms, p99: 300ms}"},
		{"fixed", "80ms"},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := benchReplica(b, c.dur)
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := threadCPU()
			r.run(nil)
			cpu := threadCPU() - cpu0
			b.StopTimer()
			n := float64(r.st.Arrivals)
			// CPU time of this thread: robust to other processes sharing the cores.
			b.ReportMetric(float64(cpu)/n, "cpu-ns/invocation")
			b.ReportMetric(n/cpu.Seconds()/1e6, "Minvocations/cpu-s")
			b.ReportMetric(r.st.EnvNs/float64(r.span), "environments")
			b.ReportMetric(r.st.BusyNs/float64(r.span), "busy")
		})
	}
}

// BenchmarkFloor draws the same random numbers as each BenchmarkSimulate
// case and does nothing else: one Exp(1) for the arrival and one duration
// sample per invocation (the INIT draws of the few cold starts are left
// out). The engine's overhead is the ratio of the two.
func BenchmarkFloor(b *testing.B) {
	ln, _ := LogNormalP50P99(60*time.Millisecond, 300*time.Millisecond)
	for _, c := range []struct {
		name string
		d    Distribution
	}{
		{"exponential", Exponential{80 * time.Millisecond}},
		{"lognormal", ln},
		{"fixed", Fixed{80 * time.Millisecond}},
	} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 0))
			d := c.d
			var x float64
			var t time.Duration
			b.ReportAllocs()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			b.ResetTimer()
			cpu0 := threadCPU()
			for i := 0; i < b.N; i++ {
				x += rng.ExpFloat64()
				t += d.Sample(rng)
			}
			cpu := threadCPU() - cpu0
			b.StopTimer()
			b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/invocation")
			if x < 0 || t < 0 {
				b.Fatal("impossible")
			}
		})
	}
}

// BenchmarkHistogramRecord is the latency histogram's per-invocation cost.
func BenchmarkHistogramRecord(b *testing.B) {
	h := new(Histogram)
	v := 80 * time.Millisecond
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		h.Record(v + time.Duration(i&1023))
	}
}
