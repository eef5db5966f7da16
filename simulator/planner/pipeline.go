package planner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// Measured is the memory size a tune sweep recommends, with the durations
// a simulation of it uses: the modelled ones (Lambda's CPU share) when
// the runner could not restrict the CPU, else the measured ones.
type Measured struct {
	Point      runner.TunePoint
	DurationMs runner.Percentiles // warm duration
	InitMs     float64            // median INIT duration
}

// MeasuredSize picks the recommended size of t. Every size having failed
// is an external failure (the runner's), listing each size's failure.
func MeasuredSize(op string, t *runner.TuneResult) (*Measured, error) {
	rec := t.Recommendation
	if rec == nil {
		var out []string
		for _, p := range t.Results {
			if p.Failure != "" {
				out = append(out, fmt.Sprintf("%d MB: %s", p.MemoryMB, p.Failure))
			}
		}
		return nil, &pricing.ExternalError{Op: op, Err: fmt.Errorf("every memory size failed in the runner: %s", strings.Join(out, "; "))}
	}
	var m Measured
	for _, p := range t.Results {
		if p.MemoryMB == rec.MemoryMB {
			m.Point = p
		}
	}
	var init runner.Percentiles
	m.DurationMs, init = m.Point.BasisDurations()
	m.InitMs = init.P50
	return &m, nil
}

// spikeScenario is the traffic of SpikeScenario: a steady 20 req/s with a
// 3-minute spike to 300 req/s.
const spikeScenario = `name: %s
seed: 42
duration: 23m
function:
  name: %s
  memory_mb: %d
  architecture: %s
  timeout: 30s
  duration: %s
  init_duration: %s
concurrency: {account_limit: 1000, scaling_rate: 1000}
keep_alive: {idle_timeout: 10m}
traffic:
  arrivals: poisson
  start_rate: 20
  stages:
    - {duration: 10m, target: 20}
    - {duration: 10s, target: 300}
    - {duration: 3m, target: 300}
    - {duration: 10s, target: 20}
    - {duration: 9m40s, target: 20}
`

// The spike's rates (req/s), as said to people.
const (
	SpikeBaseRPS = 20
	SpikePeakRPS = 300
)

// SpikeScenario is a 23-minute scenario of fn at m's size: 20 req/s with
// a 3-minute spike to 300 req/s, durations lognormal through m's p50 and
// p99 (fixed at the p50 when the p99 is within 0.1% of it), INIT at m's
// median.
func SpikeScenario(fn string, arch pricing.Architecture, m *Measured) (*simulator.Scenario, error) {
	d := m.DurationMs
	dist := fmt.Sprintf("{distribution: lognormal, p50: %s, p99: %s}", scenarioMs(d.P50), scenarioMs(d.P99))
	if d.P99 <= d.P50*1.001 {
		dist = scenarioMs(d.P50)
	}
	y := fmt.Sprintf(spikeScenario, strconv.Quote(fn+" spike"), strconv.Quote(fn), m.Point.MemoryMB, arch, dist, scenarioMs(m.InitMs))
	return simulator.ParseScenario("demo-spike.yaml", []byte(y))
}

// scenarioMs writes ms as a scenario duration with µs precision (at least 1 µs).
func scenarioMs(ms float64) string {
	if ms < 0.001 {
		ms = 0.001
	}
	return strconv.FormatFloat(ms, 'f', 3, 64) + "ms"
}

// MeasuredWorkload sets in's server workload from the measured point p of
// a function configured as fc: the CPU share a request keeps busy (CPU
// time over duration, modelled duration when there is one, within
// [0.01, 1]) when the run measured it, and the memory per request.
func MeasuredWorkload(in *fleet.Input, fc pricing.FunctionConfig, p runner.TunePoint) {
	if run := p.Run; run != nil && run.Summary.DurationMs.Mean > 0 {
		frac := run.Summary.CPUTimeMs.Mean / run.Summary.DurationMs.Mean
		if p.ModelledDurationMs != nil && p.ModelledDurationMs.Mean > 0 {
			frac = run.Summary.CPUTimeMs.Mean / p.ModelledDurationMs.Mean
		}
		// CPU time per request over its duration: the share of one vCPU a
		// request keeps busy on a server (CPU seconds = duration × fraction).
		in.Workload.CPUFraction = min(1, max(0.01, frac))
	}
	in.Workload.MemoryPerRequestMB = fleet.DefaultMemoryPerRequestMB(fc, p.MaxMemoryUsedMB)
}
