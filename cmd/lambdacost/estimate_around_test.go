package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type estimateJSON struct {
	GBSeconds float64 `json:"gb_seconds"`
	Lines     []struct {
		Name     string  `json:"name"`
		Tier     int     `json:"tier"`
		Quantity float64 `json:"quantity"`
		Cost     float64 `json:"cost_usd"`
	} `json:"lines"`
	Assumptions []struct {
		Field string `json:"field"`
	} `json:"assumptions"`
	Total float64 `json:"total_usd"`
}

func (e estimateJSON) line(name string) float64 {
	s := 0.0
	for _, l := range e.Lines {
		if l.Name == name {
			s += l.Cost
		}
	}
	return s
}

// The streaming, logs, API Gateway and Savings Plan flags reach the bill.
// 1M requests × 7 MB streamed, streaming free tier used elsewhere: 1M × 1 MB
// = 976.5625 GB × $0.008 = $7.8125. Logs: 1M × 2 KB = 1.9073486328125 GB ×
// $0.50 = $0.95367431640625. HTTP API: 1M × $1.00/M = $1.00.
func TestEstimateAroundLambdaFlags(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "estimate", "--requests", "1000000", "--duration", "500ms", "--memory", "1536",
		"--free-tier", "--streaming-free-tier-used", "--streamed-bytes-per-request", "7MB", "--log-bytes", "2KB", "--api-gateway", "http", "--transfer-out-bytes-per-request", "10KB", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e estimateJSON
	if err := json.Unmarshal(soleItem(t, out, "estimates"), &e); err != nil {
		t.Fatal(err)
	}
	// Transfer out: 1M × 10 KB = 9.5367431640625 GB, inside the free 100 GB.
	for name, want := range map[string]float64{"streaming": 7.8125, "logs": 0.95367431640625, "api_gateway": 1, "data_transfer_out": 0} {
		if got := e.line(name); got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	fields := map[string]bool{}
	for _, a := range e.Assumptions {
		fields[a.Field] = true
	}
	if !fields["--streamed-bytes-per-request"] || !fields["logs"] {
		t.Errorf("assumptions %v should state the streaming average and the logs tiers", e.Assumptions)
	}

	// The usage-file keys do the same.
	dir := t.TempDir()
	uf := filepath.Join(dir, "u.yaml")
	os.WriteFile(uf, []byte("region: us-east-1\napi_gateway: http\ncompute_savings_plan: 0.17\nfunctions:\n  - name: ssr\n    memory_mb: 1536\n    requests: 1000000\n    duration: 500ms\n    streamed_bytes_per_request: 7MB\n    log_bytes_per_request: 2048\n"), 0o644)
	out, errOut, code = runCLI(t, nil, "estimate", "--usage", uf, "-o", "json")
	if code != 0 {
		t.Fatalf("usage file: exit %d: %s", code, errOut)
	}
	for _, line := range []string{"streaming", "logs", "api_gateway", "compute_savings_plan"} {
		if !strings.Contains(out, `"name": "`+line+`"`) {
			t.Errorf("usage-file bill has no %s line: %s", line, out)
		}
	}
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("api_gateway: websocket\nfunctions:\n  - name: f\n    requests: 1\n    duration: 1ms\n"), 0o644)
	if _, errOut, code := runCLI(t, nil, "estimate", "--usage", bad); code != 2 || !strings.Contains(errOut, "bad.yaml:1") {
		t.Errorf("bad api_gateway: exit %d, %s", code, errOut)
	}

	// With a 17 % Savings Plan the discount is a line and an assumption.
	out, _, code = runCLI(t, nil, "estimate", "--requests", "7440000", "--duration", "2s", "--memory", "1024", "--savings-plan", "0.17", "-o", "json")
	if code != 0 {
		t.Fatal(code)
	}
	e = estimateJSON{}
	json.Unmarshal(soleItem(t, out, "estimates"), &e)
	// duration 14,880,000 GB-s × 0.0000166667 = 248.000496; × 0.17 = 42.16008432.
	if got := e.line("compute_savings_plan"); round2(-got) != 42.16 {
		t.Errorf("savings plan line = %v, want -42.16", got)
	}
}

// Asynchronous events of 1 MB: 256 KB included, then (1,048,576 −
// 262,144) / 65,536 = 12 more chunks, so each event bills 13 requests:
// 1M events → 13M requests × $0.20/M = $2.60 (AWS's request rate).
func TestEstimateAsyncPayloadBytes(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "estimate", "--requests", "1000000", "--duration", "100ms", "--async-payload-bytes-per-request", "1MB", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e estimateJSON
	if err := json.Unmarshal(soleItem(t, out, "estimates"), &e); err != nil {
		t.Fatal(err)
	}
	if got := e.line("requests"); got != 2.6 {
		t.Errorf("requests = %v, want 2.6 (13M requests)", got)
	}
	found := false
	for _, a := range e.Assumptions {
		found = found || a.Field == "async_extra_requests"
	}
	if !found {
		t.Errorf("assumptions %v do not state the extra requests", e.Assumptions)
	}
}

func TestEstimateAroundLambdaBadInput(t *testing.T) {
	base := []string{"estimate", "--requests", "1000", "--duration", "100ms"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append(base, "--log-bytes", "lots"), "--log-bytes"},
		{append(base, "--streamed-bytes-per-request", "-1"), "--streamed-bytes-per-request"},
		{append(base, "--api-gateway", "websocket"), "--api-gateway"},
		{append(base, "--savings-plan", "1.5"), "--savings-plan"},
		{append(base, "--streaming-free-tier-used"), "--streaming-free-tier-used"},
		{append(base, "--log-bytes", "2KB", "--region", "eu-west-1"), "--log-bytes"},
		{append(base, "--region", "ap-east-2"), "--region"},
		// Lambda's asynchronous payload limit is 1 MB.
		{append(base, "--async-payload-bytes-per-request", "1025KB"), "--async-payload-bytes-per-request"},
		// int64 milliseconds overflow: refused, never wrapped (it printed 248 GB-s).
		{[]string{"estimate", "--requests", "20496382304122", "--duration", "15m", "--memory", "1024"}, "--requests"},
	} {
		out, errOut, code := runCLI(t, nil, c.args...)
		if code != 2 || !strings.Contains(errOut, c.want) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 naming %s", c.args, code, errOut, out, c.want)
		}
	}
}
