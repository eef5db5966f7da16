package simulator

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// More of the fast mode's validation: steady Poisson traffic at several
// rates, a spike, a compressed diurnal cycle and a pool near the account
// limit. The exact side is the mean of several replicas (seeds 1…R), so
// that its standard error, sd/√R over the replicas, can be stated next to
// each difference.
var fastMoreCases = []struct {
	name string
	runs int
	yaml string
}{
	{"steady 1k req/s, 30-s keep-alive", 4, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 30s}
traffic: {start_rate: 1000, stages: [{duration: 1h, target: 1000}]}
`},
	{"steady 200 req/s, 30-s keep-alive", 4, `
duration: 2h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 30s}
traffic: {start_rate: 200, stages: [{duration: 2h, target: 200}]}
`},
	{"steady 1k req/s, 1-min keep-alive", 4, `
duration: 2h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 1m}
traffic: {start_rate: 1000, stages: [{duration: 2h, target: 1000}]}
`},
	{"steady 5k req/s, 2-min keep-alive", 4, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: exponential, mean: 50ms}, init_duration: 300ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 5000, stages: [{duration: 1h, target: 5000}]}
`},
	{"spike 1k→5k req/s for 5 min, 2-min keep-alive", 4, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1000, stages: [{duration: 20m, target: 1000}, {duration: 1m, target: 5000}, {duration: 5m, target: 5000}, {duration: 1m, target: 1000}, {duration: 33m, target: 1000}]}
`},
	{"diurnal 1k ± 700 req/s, 1-h period, 2-min keep-alive", 4, `
duration: 4h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 80ms, p99: 400ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {diurnal: {mean: 1000, amplitude: 700, period: 1h}}
`},
	{"near the account limit: 1.8k req/s × 102 ms against 200", 4, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 80ms, p99: 400ms}, init_duration: 250ms}
concurrency: {account_limit: 200}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1800, stages: [{duration: 1h, target: 1800}]}
`},
}

func TestFastMoreValidation(t *testing.T) {
	if os.Getenv("LAMBDACOST_FAST_VALIDATE") == "" {
		t.Skip("LAMBDACOST_FAST_VALIDATE=1 runs it")
	}
	only := os.Getenv("LAMBDACOST_FAST_ONLY")
	for _, tc := range fastMoreCases {
		if only != "" && !strings.Contains(tc.name, only) {
			continue
		}
		s := parse(t, tc.yaml)
		s.Path = "testdata/x.yaml"
		vals := make([][]float64, len(fastMetrics))
		runs := tc.runs
		if n, err := strconv.Atoi(os.Getenv("LAMBDACOST_FAST_RUNS")); err == nil && n > 1 {
			runs = n // more exact replicas for the table in BENCHMARKS.md
		}
		for i := 0; i < runs; i++ {
			seed := uint64(i + 1)
			ex := run(t, s, Options{Mode: ModeExact, Seed: &seed})
			for j, m := range fastMetrics {
				vals[j] = append(vals[j], m.get(ex))
			}
		}
		seed := uint64(1)
		fa := run(t, s, Options{Mode: ModeFast, Seed: &seed})
		line := fmt.Sprintf("| %s | %d |", tc.name, runs)
		for j, m := range fastMetrics {
			mean, se := meanSE(vals[j])
			line += fmt.Sprintf(" %.4g ± %.2g / %.4g (%.1f %%) |", mean, se, m.get(fa), relErr(m.get(fa), mean, 0))
		}
		t.Log(line)
		for _, a := range fa.Assumptions {
			if a.Field == "mode.fast.regime" || a.Field == "mode.fast.calibration" {
				t.Log(a.Field, a.Value)
			}
		}
	}
}

func meanSE(x []float64) (mean, se float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	if len(x) < 2 {
		return mean, math.NaN()
	}
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(ss / float64(len(x)-1) / float64(len(x)))
}

// TestFastSteadyReplicas runs one steady case of the validation set in
// every `go test`: the fast mode against the mean of R exact replicas
// (seeds 1…R). The exact side's standard error is SE = sd/√R, sd the
// sample standard deviation over the replicas; the check is
// |fast − mean| ≤ 2 %·mean + 2·SE, so a failure is a model error beyond
// the stated bound, not the exact side's sampling noise (SE is logged: at
// these sizes it is under 1 % for cold starts).
func TestFastSteadyReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	tc := fastMoreCases[0]
	s := parse(t, tc.yaml)
	s.Path = "testdata/x.yaml"
	vals := make([][]float64, len(fastMetrics))
	for i := 0; i < tc.runs; i++ {
		seed := uint64(i + 1)
		ex := run(t, s, Options{Mode: ModeExact, Seed: &seed})
		for j, m := range fastMetrics {
			vals[j] = append(vals[j], m.get(ex))
		}
	}
	seed := uint64(1)
	fa := run(t, s, Options{Mode: ModeFast, Seed: &seed})
	for j, m := range fastMetrics {
		mean, se := meanSE(vals[j])
		got := m.get(fa)
		t.Logf("%s: exact %.5g ± %.2g (SE, %d replicas), fast %.5g", m.name, mean, se, tc.runs, got)
		if math.Abs(got-mean) > 0.02*math.Max(mean, 100)+2*se {
			t.Errorf("%s: fast %.5g, exact %.5g ± %.2g: beyond 2 %% + 2 SE", m.name, got, mean, se)
		}
	}
}
