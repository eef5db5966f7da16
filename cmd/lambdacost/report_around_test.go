package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// aroundDataset is one x86_64 1024 MB function over a 365-hour window (the
// month is ×2): 1,000,000 invocations, 100,000,000 billed ms, no log bytes
// measured.
const aroundDataset = `{"version": 1, "source": "logs", "region": "us-east-1",
 "start": "2026-11-01T00:00:00Z", "end": "2026-11-16T05:00:00Z",
 "functions": [{"name": "api", "memory_mb": 1024, "architecture": "x86_64",
  "summary": {"invocations": 1000000, "errors": 0, "throttles": 0, "cold_starts": 0,
   "duration_ms": {"avg": 100, "p50": 100, "p90": 100, "p99": 100, "max": 100},
   "init_duration_ms": {"avg": 0, "p99": 0}, "max_memory_used_mb": 100,
   "billed_duration_ms": 100000000, "billed_gb_seconds": 100000}}]}`

func writeAroundDataset(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "api.json")
	if err := os.WriteFile(p, []byte(aroundDataset), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// report adds the costs around Lambda to a dataset's bill when asked. By
// hand (us-east-1), per month (×2): 2,000,000 invocations × 1 KB of logs =
// 2,048,000,000 bytes = 1.9073486328125 GB × $0.50 = $0.95367431640625;
// HTTP API 2M × $1.00/M = $2.00; duration 200,000 GB-s × $0.0000166667 =
// $3.33334, less 17 % = −$0.5666678; requests 2M × $0.20/M = $0.40.
// Monthly total 3.33334 + 0.4 + 0.95367431640625 + 2 − 0.5666678 =
// 6.12034651640625.
func TestReportDatasetAroundLambda(t *testing.T) {
	ds := writeAroundDataset(t)
	out, errOut, code := runCLI(t, nil, "report", ds, "--log-bytes", "1KB", "--api-gateway", "http", "--savings-plan", "0.17", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Monthly   float64 `json:"monthly_cost_usd"`
		Functions []struct {
			Monthly struct {
				Lines []struct {
					Name string  `json:"name"`
					Cost float64 `json:"cost_usd"`
				} `json:"lines"`
			} `json:"monthly"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, l := range r.Functions[0].Monthly.Lines {
		got[l.Name] += l.Cost
	}
	for name, want := range map[string]float64{"logs": 0.95367431640625, "api_gateway": 2, "compute_savings_plan": -0.5666678, "requests": 0.4} {
		if round6(got[name]) != round6(want) {
			t.Errorf("monthly %s = %v, want %v", name, got[name], want)
		}
	}
	if round6(r.Monthly) != round6(6.12034651640625) {
		t.Errorf("monthly total = %v, want 6.12034651640625", r.Monthly)
	}
	// Without --log-bytes the report says the logs are not priced.
	out, _, code = runCLI(t, nil, "report", ds)
	if code != 0 || !strings.Contains(out, "not priced") {
		t.Errorf("exit %d; the report should list the logs as not priced:\n%s", code, out)
	}
	// The flags price a dataset only; bad values are refused.
	for _, args := range [][]string{
		{"report", ds, "--api-gateway", "websocket"},
		{"report", ds, "--savings-plan", "1"},
		{"report", "../../examples/tune.json", "--log-bytes", "1KB"},
	} {
		if _, errOut, code := runCLI(t, nil, args...); code != 2 || !strings.Contains(errOut, "--") {
			t.Errorf("%v: exit %d, %s; want 2", args, code, errOut)
		}
	}
}

// check prices a dataset source with the same flags: monthly_cost_usd of
// the dataset above with --log-bytes 1KB is 3.33334 + 0.4 +
// 0.95367431640625 = 4.68701431640625, so "< 4.6" fails and "< 4.7" holds.
func TestCheckDatasetLogBytes(t *testing.T) {
	ds := writeAroundDataset(t)
	dir := filepath.Dir(ds)
	for limit, wantCode := range map[string]int{"4.6": 1, "4.7": 0} {
		cfg := filepath.Join(dir, "lambdacost-"+limit+".yaml")
		os.WriteFile(cfg, []byte("checks:\n  - name: api\n    dataset: api.json\n    thresholds:\n      monthly_cost_usd: [\"< "+limit+"\"]\n"), 0o644)
		out, errOut, code := runCLI(t, nil, "check", "--config", cfg, "--log-bytes", "1KB", "-o", "json")
		if code != wantCode {
			t.Errorf("< %s: exit %d, want %d: %s %s", limit, code, wantCode, errOut, out)
		}
		if !strings.Contains(out, "4.687014316") {
			t.Errorf("< %s: monthly cost 4.68701431640625 not in the output:\n%.2000s", limit, out)
		}
	}
}

func round6(x float64) float64 { return float64(int64(x*1e6+0.5)) / 1e6 }

// compare --log-bytes puts the logs on the Lambda side: 1,000,000 requests ×
// 2 KB = 1.9073486328125 GB × $0.50 = $0.95367431640625 (us-east-1).
func TestCompareLogBytes(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "compare", "--requests", "1000000", "--duration", "100ms", "--memory", "128", "--instance-type", "t3.medium", "--log-bytes", "2KB", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	res := string(resultOf(t, out))
	if !strings.Contains(res, `"name": "logs"`) || !strings.Contains(res, "0.95367431640625") || !strings.Contains(res, `"field": "--log-bytes"`) {
		t.Errorf("no logs line of $0.95367431640625 or no --log-bytes assumption:\n%.3000s", res)
	}
}
