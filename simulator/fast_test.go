package simulator

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"
	"time"
)

// The fast mode's validation set (issue 15): exact runs are feasible, so
// the fast mode is checked against the exact engine on them. The short
// ones run in every `go test`; LAMBDACOST_FAST_VALIDATE=1 runs all and
// prints the table recorded in BENCHMARKS.md.
type fastCase struct {
	name  string
	short bool
	yaml  string
	// runs is the exact side's replicas (--runs, the seed's streams
	// 0…runs−1; 0 = one run). The fast mode's start is the mean of the
	// first seconds of up to 8 of those replicas (exactStarts): where the
	// start decides a figure (the step's throttles all fall in its first
	// seconds), one exact run is one sample of it (401 throttles with
	// stream 0; 407 the mean of 4, 414 of 8).
	runs int
}

var fastCases = []fastCase{
	{"step 0→3k req/s (10 min, 2-min keep-alive)", true, `
duration: 10m
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
concurrency: {account_limit: 3000, scaling_rate: 500}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 0, stages: [{duration: 0s, target: 3000}, {duration: 10m, target: 3000}]}
`, 4},
	{"trace with gaps, 1-min CSV (1 h, 2-min keep-alive)", true, `
duration: 1h
function: {memory_mb: 256, duration: {distribution: lognormal, p50: 40ms, p99: 250ms}, init_duration: 180ms}
keep_alive: {idle_timeout: 2m}
traffic: {trace: testdata/gaps.csv}
`, 0},
	{"day at 10k req/s with a 5× spike", false, `
duration: 24h
function: {memory_mb: 1024, duration: {distribution: lognormal, p50: 50ms, p99: 250ms}, init_duration: 300ms}
concurrency: {account_limit: 10000, scaling_rate: 1000}
traffic:
  start_rate: 10000
  stages: [{duration: 12h, target: 10000}, {duration: 5m, target: 50000}, {duration: 20m, target: 50000}, {duration: 5m, target: 10000}, {duration: 11h30m, target: 10000}]
`, 0},
	{"week at 1k req/s, diurnal", false, `
duration: 168h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 80ms, p99: 400ms}, init_duration: 250ms}
traffic: {diurnal: {mean: 1000, amplitude: 700, period: 24h}}
`, 0},
}

type fastMetric struct {
	name string
	get  func(*Result) float64
}

var fastMetrics = []fastMetric{
	{"cold starts", func(r *Result) float64 { return float64(r.ColdStarts) }},
	{"mean environments", func(r *Result) float64 { return r.MeanEnvironments }},
	{"billed GB-s", func(r *Result) float64 { return r.BilledGBSeconds }},
	{"cost", func(r *Result) float64 { return r.CostUSD }},
	{"throttles", func(r *Result) float64 { return float64(r.Throttles) }},
	{"p99 latency", func(r *Result) float64 { return r.LatencyMs.P99 }},
}

// relErr is |fast − exact| / exact, in %; below 100 (a handful of cold
// starts or throttles) the difference is taken relative to 100.
func relErr(fast, exact, _ float64) float64 {
	return 100 * math.Abs(fast-exact) / math.Max(math.Abs(exact), 100)
}

func TestFastMatchesExact(t *testing.T) {
	all := os.Getenv("LAMBDACOST_FAST_VALIDATE") != "" && os.Getenv("LAMBDACOST_FAST_SHORT") == ""
	if testing.Short() && !all {
		t.Skip("-short")
	}
	worst := 0.0
	for _, tc := range fastCases {
		if !tc.short && !all {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			s := parse(t, tc.yaml)
			s.Path = "testdata/x.yaml"
			t0 := time.Now()
			runs := max(1, tc.runs)
			if n, err := strconv.Atoi(os.Getenv("LAMBDACOST_FAST_RUNS")); err == nil && n > 1 && tc.short {
				runs = n // more exact replicas of the short cases for the table in BENCHMARKS.md
			}
			ex := run(t, s, Options{Mode: ModeExact, Runs: runs})
			te := time.Since(t0)
			t0 = time.Now()
			fa := run(t, s, Options{Mode: ModeFast})
			tf := time.Since(t0)
			if fa.Mode != ModeFast || ex.Mode != ModeExact || fa.ModeErrorPct != FastValidatedErrorPct {
				t.Errorf("modes: %s %s %v", ex.Mode, fa.Mode, fa.ModeErrorPct)
			}
			line := fmt.Sprintf("| %s | %d | %.1f s | %.2f s |", tc.name, ex.Invocations, te.Seconds(), tf.Seconds())
			for _, m := range fastMetrics {
				e := relErr(m.get(fa), m.get(ex), float64(ex.Arrivals))
				worst = math.Max(worst, e)
				line += fmt.Sprintf(" %.4g / %.4g (%.1f %%) |", m.get(ex), m.get(fa), e)
				if e > FastValidatedErrorPct {
					t.Errorf("%s: exact %.6g, fast %.6g: %.2f %% > the stated bound %.1f %%", m.name, m.get(ex), m.get(fa), e, FastValidatedErrorPct)
				}
			}
			t.Log(line)
		})
	}
	t.Logf("worst error %.2f %%", worst)
}
