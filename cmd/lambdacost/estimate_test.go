package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEstimateE1JSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "estimate", "--requests", "3000000", "--duration", "120ms", "--memory", "1536", "--free-tier", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e struct {
		Region    string  `json:"region"`
		Arch      string  `json:"architecture"`
		Memory    int     `json:"memory_mb"`
		Requests  int64   `json:"requests"`
		GBSeconds float64 `json:"gb_seconds"`
		Lines     []struct {
			Name      string  `json:"name"`
			Quantity  float64 `json:"quantity"`
			Unit      string  `json:"unit"`
			UnitPrice float64 `json:"unit_price_usd"`
			Cost      float64 `json:"cost_usd"`
		} `json:"lines"`
		Total float64 `json:"total_usd"`
	}
	if err := json.Unmarshal(soleItem(t, out, "estimates"), &e); err != nil {
		t.Fatal(err)
	}
	if e.Region != "us-east-1" || e.Arch != "x86_64" || e.Memory != 1536 || e.Requests != 3_000_000 || e.GBSeconds != 540000 {
		t.Errorf("header = %+v", e)
	}
	if got := round2(e.Total); got != 2.73 {
		t.Errorf("total_usd = %v, want 2.73", e.Total)
	}
	if e.Lines[0].Name != "requests" || e.Lines[0].Quantity != 2_000_000 || e.Lines[0].UnitPrice != 2e-7 || e.Lines[0].Cost != 0.4 {
		t.Errorf("requests line = %+v", e.Lines[0])
	}
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

func TestEstimateOutputs(t *testing.T) {
	args := []string{"estimate", "--requests", "3000000", "--duration", "120ms", "--memory", "1536", "--free-tier"}
	for _, f := range []string{"table", "markdown", "csv"} {
		out, errOut, code := runCLI(t, nil, append(args, "-o", f)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errOut)
		}
		golden(t, "estimate/e1."+f, out)
	}
	out, _, code := runCLI(t, nil, "estimate", "--requests", "10000000", "--duration", "80ms", "--memory", "512", "--arch", "both", "-o", "json")
	if code != 0 {
		t.Fatal(code)
	}
	var both struct {
		Estimates []struct {
			Arch  string  `json:"architecture"`
			Total float64 `json:"total_usd"`
		} `json:"estimates"`
	}
	if err := json.Unmarshal(resultOf(t, out), &both); err != nil || len(both.Estimates) != 2 {
		t.Fatalf("%v: %s", err, out)
	}
	// 10M × 80 ms × 0.5 GB = 400,000 GB-s; x86 × 0.0000166667 = 6.66668 + $2
	// requests; arm64 × 0.0000133334 = 5.33336 + $2.
	if both.Estimates[0].Arch != "x86_64" || round2(both.Estimates[0].Total) != 8.67 || both.Estimates[1].Arch != "arm64" || round2(both.Estimates[1].Total) != 7.33 {
		t.Errorf("estimates = %+v", both.Estimates)
	}
}

func TestEstimateUsageFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "usage.yaml")
	os.WriteFile(p, []byte(`region: us-east-1
functions:
  - name: api
    memory_mb: 1536
    requests: 3000000
    duration: 120ms
  - name: worker
    memory_mb: 1024
    architecture: arm64
    requests: 7440000
    duration: 2s
`), 0o644)
	out, errOut, code := runCLI(t, nil, "estimate", "--usage", p, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var b struct {
		Functions []struct {
			Name  string  `json:"name"`
			Total float64 `json:"total_usd"`
		} `json:"functions"`
		Total float64 `json:"total_usd"`
	}
	if err := json.Unmarshal(resultOf(t, out), &b); err != nil {
		t.Fatal(err)
	}
	// api: 540,000 GB-s × 0.0000166667 = 9.000018 + 0.6 requests = 9.600018.
	// worker: 14,880,000 GB-s × 0.0000133334 = 198.400992 + 1.488 = 199.888992.
	if len(b.Functions) != 2 || b.Functions[0].Name != "api" || round2(b.Functions[0].Total) != 9.60 || round2(b.Functions[1].Total) != 199.89 || round2(b.Total) != 209.49 {
		t.Errorf("bill = %+v", b)
	}
	out, _, code = runCLI(t, nil, "estimate", "--usage", p)
	if code != 0 || !strings.Contains(out, "worker") || !strings.Contains(out, "$209.49") {
		t.Errorf("table:\n%s", out)
	}
}

func TestEstimateBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("functions:\n  - name: a\n    memory_mb: 512\n    colour: blue\n"), 0o644)
	base := []string{"estimate", "--requests", "1000", "--duration", "100ms"}
	cases := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"memory too small", append(base, "--memory", "100"), nil, "--memory"},
		{"memory too large", append(base, "--memory", "20000"), nil, "--memory"},
		{"arch", append(base, "--arch", "sparc"), nil, "--arch"},
		{"region", append(base, "--region", "mars-1"), nil, "--region"},
		{"negative duration", []string{"estimate", "--requests", "1000", "--duration", "-1s"}, nil, "--duration"},
		{"duration above 900s", []string{"estimate", "--requests", "1000", "--duration", "901s"}, nil, "--duration"},
		{"negative requests", []string{"estimate", "--requests", "-5", "--duration", "1s"}, nil, "--requests"},
		{"non-integer requests", []string{"estimate", "--requests", "1.5", "--duration", "1s"}, nil, "--requests"},
		{"garbage duration", []string{"estimate", "--requests", "1", "--duration", "fast"}, nil, "--duration"},
		{"missing requests", []string{"estimate", "--duration", "1s"}, nil, "--requests"},
		{"unknown key in usage", []string{"estimate", "--usage", bad}, nil, "bad.yaml:4"},
		{"missing usage file", []string{"estimate", "--usage", filepath.Join(dir, "nope.yaml")}, nil, "--usage"},
		{"bad output", append(base, "-o", "xml"), nil, "--output"},
		{"bad env", base, map[string]string{"LAMBDACOST_MEMORY": "lots"}, "LAMBDACOST_MEMORY"},
		{"unknown flag", append(base, "--colour"), nil, "unknown flag"},
		{"unknown command", []string{"estimat"}, nil, "unknown command"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, c.env, c.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2; stderr %q", code, errOut)
			}
			if !strings.Contains(errOut, c.want) {
				t.Errorf("stderr %q does not name %q", errOut, c.want)
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "Usage:") {
				t.Errorf("stderr has a stack trace or usage dump: %q", errOut)
			}
			if out != "" {
				t.Errorf("stdout not empty: %q", out)
			}
		})
	}
}

func TestEnvOverrides(t *testing.T) {
	env := map[string]string{"LAMBDACOST_REQUESTS": "3000000", "LAMBDACOST_DURATION": "120ms", "LAMBDACOST_MEMORY": "1536", "LAMBDACOST_FREE_TIER": "true", "LAMBDACOST_OUTPUT": "json"}
	out, errOut, code := runCLI(t, env, "estimate")
	if code != 0 || !strings.Contains(out, `"total_usd": 2.733338`) {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	// A flag on the command line wins over the environment.
	out, _, _ = runCLI(t, env, "estimate", "--memory", "128", "-o", "json")
	if !strings.Contains(out, `"memory_mb": 128`) {
		t.Errorf("flag did not win: %s", out)
	}
	// AWS_REGION is the default region.
	_, errOut, code = runCLI(t, map[string]string{"AWS_REGION": "mars-1"}, "estimate", "--requests", "1", "--duration", "1ms")
	if code != 2 || !strings.Contains(errOut, "mars-1") {
		t.Errorf("AWS_REGION not used: %d %s", code, errOut)
	}
}

func TestCompletion(t *testing.T) {
	out, _, code := runCLI(t, nil, "completion", "bash")
	if code != 0 || !strings.Contains(out, "bash completion") {
		t.Errorf("completion: %d %q", code, out[:min(len(out), 200)])
	}
	out, _, _ = runCLI(t, nil, "__complete", "estimate", "--arch", "")
	if !strings.Contains(out, "arm64") {
		t.Errorf("dynamic completion: %q", out)
	}
}

func TestEstimateHTML(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "bill.html")
	_, errOut, code := runCLI(t, nil, "estimate", "--requests", "3000000", "--duration", "120ms", "--memory", "1536", "--arch", "both", "--html", page)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(page)
	if err != nil || !strings.Contains(string(b), "arm64") || !strings.Contains(string(b), "<html") {
		t.Fatalf("page: %v %.200s", err, b)
	}
	_, errOut, code = runCLI(t, nil, "estimate", "--requests", "1", "--duration", "1ms", "--assets", dir)
	if code != 2 || !strings.Contains(errOut, "--assets") {
		t.Errorf("--assets without --html: exit %d %s", code, errOut)
	}
}

// TestEstimateSnapStart reproduces AWS's SnapStart example (S1) through the CLI:
// $1.49 requests + $248.00 compute + $4.03 cache + $10.40 restores = $263.92.
func TestEstimateSnapStart(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "estimate", "--requests", "7440000", "--duration", "2s", "--memory", "1024",
		"--snapstart-hours", "744", "--snapstart-restores", "74400", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e struct {
		Total float64 `json:"total_usd"`
	}
	if err := json.Unmarshal(soleItem(t, out, "estimates"), &e); err != nil || round2(e.Total) != 263.92 {
		t.Errorf("total %v (%v): %s", e.Total, err, out)
	}
	_, errOut, code = runCLI(t, nil, "estimate", "--requests", "1", "--duration", "1s", "--snapstart-restores", "5")
	if code != 2 || !strings.Contains(errOut, "--snapstart-hours") {
		t.Errorf("restores without hours: exit %d %s", code, errOut)
	}
}
