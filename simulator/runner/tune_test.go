package runner

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func TestTuneSkipsFailedSizes(t *testing.T) {
	for _, iso := range isolations(t) {
		t.Run(string(iso), func(t *testing.T) {
			cfg := base(0, 10*time.Second)
			cfg.Isolation = iso
			cfg.DiscardResponses = true
			// 140 MB does not fit in 128 MB: that size fails and is skipped.
			res, err := Tune(context.Background(), cfg, []int{3008, 128, 1769}, 2, Strategy{Name: StrategyCost}, ev(`{"action":"alloc","mb":150}`))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Results) != 3 || res.Results[0].MemoryMB != 128 || res.Results[1].MemoryMB != 1769 || res.Results[2].MemoryMB != 3008 {
				t.Fatalf("results not sorted by memory: %+v", res.Results)
			}
			if p := res.Results[0]; p.Status != "failed" || !strings.Contains(p.Failure, "Runtime.OutOfMemory") {
				t.Errorf("128 MB = %s %q; want failed with Runtime.OutOfMemory", p.Status, p.Failure)
			}
			wantBasis := map[Isolation]string{IsolationNone: "modelled", IsolationCgroup: "measured"}[iso]
			if res.Basis != wantBasis {
				t.Errorf("basis %q, want %q", res.Basis, wantBasis)
			}
			cheapest := 0
			for _, p := range res.Results[1:] {
				if p.Status != "ok" || p.Invocations != 2 || p.CostPerInvocationUSD <= 0 || p.CostBasis != wantBasis {
					t.Fatalf("point %+v", p)
				}
				if p.Run == nil || len(p.Run.Invocations) != 2 || !p.Run.Invocations[0].Cold {
					t.Errorf("every data point must be in the result, the first cold")
				}
				if cheapest == 0 || p.CostPerInvocationUSD < res.Results[cheapest].CostPerInvocationUSD {
					cheapest = map[int]int{1769: 1, 3008: 2}[p.MemoryMB]
				}
				// Cost per million = 1e6 × the batch's cost per invocation
				// (tier 1 throughout).
				if !near(p.CostPerMillionUSD, p.CostPerInvocationUSD*1e6, 1e-6) {
					t.Errorf("%d MB: per million %.9g vs per invocation %.9g", p.MemoryMB, p.CostPerMillionUSD, p.CostPerInvocationUSD)
				}
			}
			if r := res.Recommendation; r == nil || r.MemoryMB != res.Results[cheapest].MemoryMB || !strings.Contains(r.Reason, "skipped (failed): 128 MB") {
				t.Errorf("recommendation %+v, want the cheapest ok size %d MB", r, res.Results[cheapest].MemoryMB)
			}
			if _, err := json.Marshal(res); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTuneRejectsBadInput(t *testing.T) {
	_, err := Tune(context.Background(), base(0, time.Second), []int{64, 256, 256}, 0, Strategy{Name: "fastest", Weight: 2}, nil)
	msg := err.Error()
	for _, want := range []string{"64 MB is outside", "256 MB is listed twice", "--count", "--strategy", "--weight"} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in %v", want, msg)
		}
	}
	if !pricing.IsInput(err) {
		t.Errorf("not an input error: %v", err)
	}
}

func TestRecommend(t *testing.T) {
	pt := func(mb int, cost, p50 float64, status string) TunePoint {
		return TunePoint{MemoryMB: mb, CostPerInvocationUSD: cost, CostPerMillionUSD: cost * 1e6, DurationMs: Percentiles{P50: p50}, Status: status}
	}
	points := []TunePoint{
		pt(128, 2.0e-6, 800, "ok"),
		pt(256, 1.8e-6, 380, "ok"),
		pt(512, 2.4e-6, 190, "ok"),
		pt(1024, 4.0e-6, 100, "ok"),
		pt(2048, 1.0e-6, 50, "failed"), // never chosen
	}
	// balanced, w = 0.5: cost scaled over [1.8, 4.0]e-6, duration over [100, 800]:
	//   128: 0.5·(0.2/2.2) + 0.5·(700/700) = 0.5455
	//   256: 0.5·0        + 0.5·(280/700) = 0.2
	//   512: 0.5·(0.6/2.2) + 0.5·(90/700) = 0.2006
	//  1024: 0.5·1        + 0.5·0         = 0.5
	// w = 0.2: 256 → 0.8·0.4 = 0.32; 512 → 0.2·0.2727 + 0.8·0.1286 = 0.1574 → 512.
	cases := []struct {
		s    Strategy
		want int
	}{
		{Strategy{Name: StrategyCost}, 256},
		{Strategy{Name: StrategySpeed}, 1024},
		{Strategy{Name: StrategyBalanced, Weight: 0.5}, 256},
		{Strategy{Name: StrategyBalanced, Weight: 0.2}, 512},
		{Strategy{Name: StrategyBalanced, Weight: 1}, 256},
		{Strategy{Name: StrategyBalanced, Weight: 0}, 1024},
	}
	for _, c := range cases {
		if r := recommend(points, c.s); r == nil || r.MemoryMB != c.want {
			t.Errorf("%+v: got %+v, want %d MB", c.s, r, c.want)
		}
	}
	if r := recommend([]TunePoint{pt(128, 1, 1, "failed")}, Strategy{Name: StrategyCost}); r != nil {
		t.Errorf("no size succeeded, yet recommended %+v", r)
	}
}

func TestReportLine(t *testing.T) {
	cases := []struct {
		name string
		r    Report
		want string
	}{
		{"warm", Report{RequestID: "c793869b-ee49-115b-a5b6-4fd21e8dedac", DurationMs: 128.83, BilledDurationMs: 129, MemorySizeMB: 128, MaxMemoryUsedMB: 74},
			"REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 128.83 ms\tBilled Duration: 129 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\t"},
		{"cold", Report{RequestID: "c793869b-ee49-115b-a5b6-4fd21e8dedac", DurationMs: 128.83, BilledDurationMs: 296, MemorySizeMB: 128, MaxMemoryUsedMB: 74, InitDurationMs: 166.62},
			"REPORT RequestId: c793869b-ee49-115b-a5b6-4fd21e8dedac\tDuration: 128.83 ms\tBilled Duration: 296 ms\tMemory Size: 128 MB\tMax Memory Used: 74 MB\tInit Duration: 166.62 ms\t"},
		{"timeout", Report{RequestID: "r1", DurationMs: 3000, BilledDurationMs: 3000, MemorySizeMB: 1024, MaxMemoryUsedMB: 45, Status: "timeout"},
			"REPORT RequestId: r1\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 1024 MB\tMax Memory Used: 45 MB\tStatus: timeout\t"},
		{"crash", Report{RequestID: "r2", DurationMs: 5.5, BilledDurationMs: 6, MemorySizeMB: 128, MaxMemoryUsedMB: 128, Status: "error", ErrorType: "Runtime.OutOfMemory"},
			"REPORT RequestId: r2\tDuration: 5.50 ms\tBilled Duration: 6 ms\tMemory Size: 128 MB\tMax Memory Used: 128 MB\tStatus: error\tError Type: Runtime.OutOfMemory\t"},
	}
	for _, c := range cases {
		if got := ReportLine(c.r); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	if got, want := StartLine("r1", "$LATEST"), "START RequestId: r1 Version: $LATEST"; got != want {
		t.Errorf("START %q", got)
	}
	if got, want := EndLine("r1"), "END RequestId: r1"; got != want {
		t.Errorf("END %q", got)
	}
	if got, want := InitReportLine(154.03, "error", "Runtime.ExitError"), "INIT_REPORT Init Duration: 154.03 ms\tPhase: init\tStatus: error\tError Type: Runtime.ExitError"; got != want {
		t.Errorf("INIT_REPORT %q", got)
	}
	at := time.Date(2026, 11, 26, 18, 0, 3, 3_000_000, time.UTC)
	if got, want := TimeoutLine(at, "r1", 3*time.Second), "2026-11-26T18:00:03.003Z\tr1\tTask timed out after 3.00 seconds"; got != want {
		t.Errorf("timeout line %q", got)
	}
	init := 174.06
	got := ReportJSONLine(at, Report{RequestID: "4b14", DurationMs: 11.64, BilledDurationMs: 186, MemorySizeMB: 128, MaxMemoryUsedMB: 67, InitDurationMs: init}, false)
	want := `{"time":"2026-11-26T18:00:03.003Z","type":"platform.report","record":{"requestId":"4b14","status":"success","metrics":{"durationMs":11.64,"billedDurationMs":186,"memorySizeMB":128,"maxMemoryUsedMB":67,"initDurationMs":174.06}}}`
	if got != want {
		t.Errorf("JSON report:\n got %s\nwant %s", got, want)
	}
}

func TestModelDuration(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name      string
		wall, cpu time.Duration
		vcpu      float64
		want      time.Duration
	}{
		{"sleep only: no CPU, unchanged", 100 * ms, 0, 0.0724, 100 * ms},
		{"CPU-bound at 1/4 vCPU: 4× slower", 50 * ms, 50 * ms, 0.25, 200 * ms},
		{"mixed: 30 ms waiting + 20 ms CPU at 0.5 vCPU", 50 * ms, 20 * ms, 0.5, 70 * ms},
		{"1 vCPU: as measured", 50 * ms, 50 * ms, 1, 50 * ms},
		{"2 vCPU, single thread: not faster", 50 * ms, 50 * ms, 2, 50 * ms},
		{"parallel (CPU > wall) at 1 vCPU: CPU time", 50 * ms, 100 * ms, 1, 100 * ms},
		{"parallel at 4 vCPU: as measured", 50 * ms, 100 * ms, 4, 50 * ms},
	}
	for _, c := range cases {
		if got := ModelDuration(c.wall, c.cpu, c.vcpu); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestQuantile(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	// Nearest rank ⌈10q⌉: p50 → 5th, p90 → 9th, p99 → ⌈9.9⌉ = 10th, p0 → the first.
	for q, want := range map[float64]float64{0: 1, 0.05: 1, 0.5: 5, 0.51: 6, 0.9: 9, 0.99: 10, 1: 10} {
		if got := Quantile(xs, q); !near(got, want, 1e-9) {
			t.Errorf("q%.2f = %v, want %v", q, got, want)
		}
	}
	s := Summarize([]float64{3, 1, 2})
	if s.N != 3 || s.Min != 1 || s.Max != 3 || s.P50 != 2 || s.Mean != 2 {
		t.Errorf("summary %+v", s)
	}
}

func TestStatValue(t *testing.T) {
	status := []byte("Name:\tbootstrap\nVmPeak:\t  1234 kB\nVmHWM:\t   20480 kB\nVmRSS:\t 10 kB\n")
	cases := []struct {
		b    []byte
		key  string
		want int64
		ok   bool
	}{
		{status, "VmHWM", 20480, true},
		{status, "VmRSS", 10, true},
		{status, "VmSwap", 0, false},
		{[]byte("2032239472889\n"), "", 2032239472889, true},
		{[]byte("usage_usec 1500\nuser_usec 1000\n"), "usage_usec", 1500, true},
		{[]byte("usage_usec_x 9\n"), "usage_usec", 0, false},
		{nil, "", 0, false},
	}
	for _, c := range cases {
		if got, ok := statValue(c.b, c.key); got != c.want || ok != c.ok {
			t.Errorf("statValue(%q, %q) = %d %v, want %d %v", c.b, c.key, got, ok, c.want, c.ok)
		}
	}
}
