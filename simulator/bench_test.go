package simulator

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
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

// distuvDist samples durations with gonum's distuv (issue 24's comparison
// with the hand-written samplers of the run loop).
type distuvDist struct {
	exp *distuv.Exponential
	ln  *distuv.LogNormal
}

func (d distuvDist) Sample(*rand.Rand) time.Duration {
	if d.exp != nil {
		return clampDur(d.exp.Rand())
	}
	return clampDur(d.ln.Rand())
}
func (d distuvDist) Mean() time.Duration            { return 0 }
func (d distuvDist) Quantile(float64) time.Duration { return 0 }
func (d distuvDist) String() string                 { return "distuv" }

// BenchmarkSimulate measures the engine: ns per simulated invocation.
func BenchmarkSimulate(b *testing.B) {
	for _, c := range []struct{ name, dur string }{
		{"exponential", ""},
		{"lognormal", "{distribution: lognormal, p50: 60ms, p99: 300ms}"},
		{"fixed", "80ms"},
		{"exponential-distuv", ""},
		{"lognormal-distuv", "{distribution: lognormal, p50: 60ms, p99: 300ms}"},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := benchReplica(b, c.dur)
			switch c.name { // issue 24: gonum's samplers on the same stream, through the interface
			case "exponential-distuv":
				r.dur, r.durKind = distuvDist{exp: &distuv.Exponential{Rate: 1 / 80e6, Src: r.rng}}, durOther
			case "lognormal-distuv":
				ln := r.dur.(LogNormal)
				r.dur, r.durKind = distuvDist{ln: &distuv.LogNormal{Mu: ln.Mu, Sigma: ln.Sigma, Src: r.rng}}, durOther
			}
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

// TestReleaseFastMatchesRelease checks the fused completion path (wheel
// walked straight onto the idle ring) against the general one (collect,
// sort, complete) on scenarios that exercise shared wheel slots (fixed
// durations, even arrivals), the overflow heap (ends beyond the wheel's
// horizon), gaps of more than a wheel revolution and idle reclaims: both
// must give the same counters, timeline and histogram, exactly.
func TestReleaseFastMatchesRelease(t *testing.T) {
	for _, tc := range []struct{ name, yaml string }{
		{"poisson exponential", `
duration: 60s
function: {memory_mb: 512, duration: {distribution: exponential, mean: 80ms}, init_duration: 200ms}
keep_alive: {idle_timeout: 2s}
traffic: {start_rate: 400, stages: [{duration: 30s, target: 1500}, {duration: 30s, target: 20}]}
`},
		{"even fixed (ties)", `
duration: 30s
function: {memory_mb: 512, duration: 80ms, init_duration: 200ms}
keep_alive: {idle_timeout: 1s}
traffic: {arrivals: even, start_rate: 1000, stages: [{duration: 10s, target: 3000}, {duration: 20s, target: 50}]}
`},
		{"heavy tail (overflow heap)", `
duration: 600s
function: {memory_mb: 128, timeout: 900s, duration: {distribution: lognormal, p50: 50ms, p99: 60s}, init_duration: 1s}
keep_alive: {idle_timeout: 30s}
traffic: {start_rate: 50}
`},
		{"sparse (gaps beyond a revolution)", `
duration: 48h
function: {memory_mb: 128, duration: {distribution: exponential, mean: 2s}, init_duration: 250ms}
keep_alive: {idle_timeout: 10m}
traffic: {start_rate: 0.01, stages: [{duration: 24h, target: 0.01}, {duration: 24h, target: 2}]}
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			compareReleasePaths(t, tc.yaml)
		})
	}
	// Random shapes: rates from sparse to dense, all duration forms, idle
	// timeouts from 0 to the span.
	rng := rand.New(rand.NewPCG(42, 7))
	durs := []string{"30ms", "{distribution: exponential, mean: 150ms}",
		"{distribution: lognormal, p50: 40ms, p99: 4s}", "{distribution: uniform, min: 1ms, max: 900ms}"}
	for i := 0; i < 24; i++ {
		r0, r1 := math.Exp(rng.Float64()*9-5), math.Exp(rng.Float64()*9-5) // 0.007–55/s
		y := fmt.Sprintf(`
duration: 100s
function: {memory_mb: 128, duration: %s, init_duration: %dms}
keep_alive: {idle_timeout: %dms}
traffic: {arrivals: %s, start_rate: %.4f, stages: [{duration: 50s, target: %.4f}, {duration: 50s, target: %.4f}]}
`, durs[rng.IntN(len(durs))], rng.IntN(500), rng.IntN(100000), []string{"poisson", "even"}[rng.IntN(2)], r0, r1, r0)
		t.Run(fmt.Sprintf("random %d", i), func(t *testing.T) { compareReleasePaths(t, y) })
	}
}

// compareReleasePaths runs a scenario with and without releaseFast (three
// seeds) and fails unless counters, timeline and histogram are identical.
func compareReleasePaths(t *testing.T, yaml string) {
	t.Helper()
	s, err := ParseScenario("t.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	bw := int64(BucketWidth(s.Span()))
	var arrivals int64
	for seed := uint64(1); seed <= 3; seed++ {
		fast := newReplica(s, seed, 0, bw)
		slow := newReplica(s, seed, 0, bw)
		if !fast.fast {
			t.Fatal("scenario does not take the fast path")
		}
		slow.fast = false
		fast.run(nil)
		slow.run(nil)
		if fast.st != slow.st {
			t.Fatalf("seed %d: stats differ:\nfast %+v\nslow %+v", seed, fast.st, slow.st)
		}
		for i := range fast.buckets {
			if fast.buckets[i] != slow.buckets[i] {
				t.Fatalf("seed %d: bucket %d differs: %+v vs %+v", seed, i, fast.buckets[i], slow.buckets[i])
			}
		}
		if *fast.hist != *slow.hist {
			t.Fatalf("seed %d: histograms differ", seed)
		}
		arrivals += fast.st.Arrivals
	}
	if arrivals == 0 {
		t.Fatal("nothing simulated")
	}
}

// BenchmarkCalibrateLevels is the fast mode's level calibration (the
// busy-count run of calibrateLevels) with log-normal p50 60 ms / p99
// 300 ms durations (mean 76 ms); one op = one simulated arrival. "1k-30s":
// the validation set's steady 1k req/s case (mean busy ≈ 76, 30-s
// keep-alive: calibrated at its own rate); "263-10m": the what-if page's
// month at 1k req/s (10-min keep-alive: calibrated at 263 req/s, mean busy
// 20).
func BenchmarkCalibrateLevels(b *testing.B) {
	for _, c := range []struct {
		name           string
		rate, idle, g0 float64
	}{
		{"1k-30s", 1000, 30, 1.52},
		{"263-10m", 263, 600, 1.52},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, err := ParseScenario("bench.yaml", []byte(`
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
traffic: {start_rate: 1000}
`))
			if err != nil {
				b.Fatal(err)
			}
			dur := c.idle + 10 + float64(max(b.N, 1000))/c.rate // the counting starts after idle + 10 s
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			cal := calibrateLevels(context.Background(), s, 1, c.rate, dur, c.g0, c.idle)
			cpu := processCPU() - cpu0
			b.StopTimer()
			if cal == nil && b.N >= 1e6 {
				b.Fatal("no calibration")
			}
			// CPU time of the process (the calibration may use more than
			// one goroutine): robust to other processes sharing the cores.
			b.ReportMetric(float64(cpu)/(c.rate*dur), "cpu-ns/arrival")
		})
	}
}

// processCPU is the CPU time used by the whole process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
