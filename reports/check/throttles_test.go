package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// logsDataset is a dataset as `lambdacost import` writes it from a
// function's logs alone: 1,000 invocations of 100 ms at 128 MB over an
// hour, one cold start, and no throttles counted — Lambda writes no log
// line for a throttled request (it is refused before any environment runs
// it: no START, no REPORT), so the logs cannot tell 0 throttles from
// 10,000, and import lists summary.throttles as not measured. throttles
// is the extra series member a CloudWatch Throttles metric adds (import
// with get-metric-data JSON, or collect), which measures it.
func logsDataset(throttles string) string {
	notMeasured, count := `,
  "not_measured": ["summary.throttles"]`, "null"
	if throttles != "" {
		notMeasured, count = "", "0"
	}
	return `{
 "version": 1, "source": "logs", "region": "us-east-1",
 "start": "2026-11-01T00:00:00Z", "end": "2026-11-01T01:00:00Z",
 "functions": [{
  "name": "api", "memory_mb": 128, "architecture": "x86_64",
  "summary": {"invocations": 1000, "errors": 0, "throttles": ` + count + `, "cold_starts": 1,
   "duration_ms": {"avg": 100, "p50": 100, "p90": 100, "p99": 100, "max": 100},
   "init_duration_ms": {"avg": 200, "p99": 200}, "max_memory_used_mb": 40,
   "billed_gb_seconds": 12.5, "concurrency_max": 1},
  "series": {"period_s": 3600, "start": "2026-11-01T00:00:00Z", "invocations": [1000],
   "duration_avg_ms": [100], "concurrency_max": [1]` + throttles + `}` + notMeasured + `
 }]
}`
}

// A dataset read from logs alone does not provide throttles or
// throttle_rate: a threshold on them cannot be evaluated (exit 2 with its
// file:line), where it passed as "throttles == 0 ✓" on a count nobody
// made. With the Throttles metric in the dataset (a "throttles" series),
// its 0 is measured and the threshold holds. The other metrics of the
// logs-only dataset are unaffected (latency p99 100 ms as recorded).
func TestRunLogsDatasetThrottlesNotMeasured(t *testing.T) {
	cfg := `
checks:
  - name: api
    dataset: api.json
    thresholds:
      latency_p99_ms: ["< 200"]
      throttles: ["== 0"]
      throttle_rate: ["< 0.001"]
`
	for _, tc := range []struct {
		name, series string
		measured     bool
	}{
		{"logs only", "", false},
		{"logs and the Throttles metric", `, "throttles": [0]`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeConfig(t, cfg)
			if err := os.WriteFile(filepath.Join(filepath.Dir(p), "api.json"), []byte(logsDataset(tc.series)), 0o644); err != nil {
				t.Fatal(err)
			}
			r, err := run(t, p, Options{})
			if tc.measured {
				if err != nil {
					t.Fatal(err)
				}
				c := r.Checks[0]
				if !c.Passed || c.Metrics[Throttles] != 0 || c.Metrics[ThrottleRate] != 0 || c.Metrics[LatencyP99Ms] != 100 {
					t.Errorf("passed %v, metrics %v", c.Passed, c.Metrics)
				}
				return
			}
			if err == nil {
				t.Fatalf("throttles of a logs-only dataset were evaluated: %+v", r.Checks[0].Thresholds)
			}
			if !pricing.IsInput(err) {
				t.Errorf("not an input error: %T %v", err, err)
			}
			lines := strings.Split(err.Error(), "\n")
			want := []string{
				p + ":7: api: threshold throttles == 0 cannot be evaluated: api (a dataset source) does not provide throttles: ",
				p + ":8: api: threshold throttle_rate < 0.001 cannot be evaluated: api (a dataset source) does not provide throttle_rate: ",
			}
			if len(lines) != len(want) {
				t.Fatalf("%d problems, want %d:\n%v", len(lines), len(want), err)
			}
			for i, w := range want {
				if !strings.HasPrefix(lines[i], w) || !strings.Contains(lines[i], "logs") {
					t.Errorf("problem %d:\n got %s\nwant %s… (saying why: the logs)", i, lines[i], w)
				}
			}
		})
	}
}
