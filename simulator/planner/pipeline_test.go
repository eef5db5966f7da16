package planner

import (
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// MeasuredSize takes the recommended size's durations, the modelled ones
// when the runner could not restrict the CPU; every size failed is an
// external failure naming each.
func TestMeasuredSize(t *testing.T) {
	measured := runner.TunePoint{MemoryMB: 1024, DurationMs: runner.Percentiles{P50: 40, P99: 90}, InitDurationMs: runner.Percentiles{P50: 200}}
	modelled := measured
	modelled.ModelledDurationMs = &runner.Percentiles{P50: 80, P99: 180}
	modelled.ModelledInitDurationMs = &runner.Percentiles{P50: 300}
	other := runner.TunePoint{MemoryMB: 512, DurationMs: runner.Percentiles{P50: 1, P99: 2}}
	for _, c := range []struct {
		name         string
		t            runner.TuneResult
		p50, p99, in float64
		err          string
	}{
		{"measured", runner.TuneResult{Results: []runner.TunePoint{other, measured}, Recommendation: &runner.Recommendation{MemoryMB: 1024}}, 40, 90, 200, ""},
		{"modelled", runner.TuneResult{Results: []runner.TunePoint{modelled, other}, Recommendation: &runner.Recommendation{MemoryMB: 1024}}, 80, 180, 300, ""},
		{"all failed", runner.TuneResult{Results: []runner.TunePoint{{MemoryMB: 128, Failure: "out of memory"}, {MemoryMB: 256, Failure: "timed out"}}}, 0, 0, 0,
			"every memory size failed in the runner: 128 MB: out of memory; 256 MB: timed out"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m, err := MeasuredSize("demo", &c.t)
			if c.err != "" {
				var ee *pricing.ExternalError
				if !errors.As(err, &ee) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want an external error with %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m.Point.MemoryMB != 1024 || m.DurationMs.P50 != c.p50 || m.DurationMs.P99 != c.p99 || m.InitMs != c.in {
				t.Errorf("got %d MB, p50 %v, p99 %v, INIT %v; want 1024 MB, %v, %v, %v", m.Point.MemoryMB, m.DurationMs.P50, m.DurationMs.P99, m.InitMs, c.p50, c.p99, c.in)
			}
		})
	}
}

// SpikeScenario: 23 minutes at the measured size, durations lognormal
// through the p50 and p99, or fixed when they are within 0.1%.
func TestSpikeScenario(t *testing.T) {
	for _, c := range []struct {
		name     string
		p50, p99 float64
		wantDist string
	}{
		{"lognormal", 40, 90, "lognormal"},
		// 40.03 ≤ 40 × 1.001 = 40.04: one fixed duration.
		{"fixed", 40, 40.03, "40ms"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := &Measured{Point: runner.TunePoint{MemoryMB: 1769}, DurationMs: runner.Percentiles{P50: c.p50, P99: c.p99}, InitMs: 250}
			s, err := SpikeScenario("img", pricing.ARM64, m)
			if err != nil {
				t.Fatal(err)
			}
			fc := s.Function.FunctionConfig
			if s.Name != "img spike" || fc.Name != "img" || fc.MemoryMB != 1769 || fc.Architecture != pricing.ARM64 || s.Duration.D() != 23*time.Minute {
				t.Errorf("scenario %q: %+v, %s", s.Name, fc, s.Duration)
			}
			if got := s.Function.Duration.String(); !strings.Contains(got, c.wantDist) {
				t.Errorf("duration %s, want %s", got, c.wantDist)
			}
			// The median of the duration is the measured p50 (to the µs).
			if q := s.Function.Duration.Quantile(0.5); q.Round(time.Microsecond) != 40*time.Millisecond {
				t.Errorf("median %s, want 40ms", q)
			}
			if q := s.Function.InitDuration.Quantile(0.5); q != 250*time.Millisecond {
				t.Errorf("INIT %s, want 250ms", q)
			}
		})
	}
}

// MeasuredWorkload: the CPU share is CPU time over duration (the modelled
// duration when there is one), clamped to [0.01, 1]; memory per request is
// the measured maximum, else the configured memory.
func TestMeasuredWorkload(t *testing.T) {
	run := func(cpu, dur float64) *runner.Result {
		r := &runner.Result{}
		r.Summary.CPUTimeMs.Mean, r.Summary.DurationMs.Mean = cpu, dur
		return r
	}
	for _, c := range []struct {
		name    string
		p       runner.TunePoint
		wantCPU float64 // the default stays when the run measured nothing
		wantMem float64
	}{
		// 30 ms of CPU in 60 ms: half a vCPU; 300 MB measured.
		{"measured", runner.TunePoint{Run: run(30, 60), MaxMemoryUsedMB: 300}, 0.5, 300},
		// 30 ms of CPU over a 120 ms modelled duration: a quarter.
		{"modelled", runner.TunePoint{Run: run(30, 60), ModelledDurationMs: &runner.Percentiles{Mean: 120}}, 0.25, 512},
		// 0.1 / 100 = 0.001 → the floor 0.01; 90 / 60 = 1.5 → 1.
		{"floor", runner.TunePoint{Run: run(0.1, 100)}, 0.01, 512},
		{"ceiling", runner.TunePoint{Run: run(90, 60)}, 1, 512},
		{"no run", runner.TunePoint{}, 0.7, 512},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := fleet.Input{}
			in.Workload.CPUFraction = 0.7
			MeasuredWorkload(&in, pricing.FunctionConfig{MemoryMB: 512}, c.p)
			if math.Abs(in.Workload.CPUFraction-c.wantCPU) > 1e-12 || in.Workload.MemoryPerRequestMB != c.wantMem {
				t.Errorf("CPU %v, memory %v; want %v, %v", in.Workload.CPUFraction, in.Workload.MemoryPerRequestMB, c.wantCPU, c.wantMem)
			}
		})
	}
}
