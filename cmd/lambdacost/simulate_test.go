package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var checkoutScenario = filepath.Join("..", "..", "testdata", "scenarios", "checkout.yaml")

func TestSimulateJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "simulate", checkoutScenario, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(out), &m); err != nil {
		t.Fatal(err)
	}
	// The SPEC's fields.
	for _, k := range []string{"invocations", "cold_starts", "cold_start_rate", "throttles", "errors",
		"peak_concurrency", "mean_concurrency", "mean_environments", "latency_ms", "billed_gb_seconds",
		"cost", "timeline", "monthly_cost_usd", "monthly_cost"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	lat := m["latency_ms"].(map[string]any)
	for _, k := range []string{"p50", "p90", "p99", "max"} {
		if _, ok := lat[k]; !ok {
			t.Errorf("latency_ms lacks %q", k)
		}
	}
	tl := m["timeline"].([]any)
	b0 := tl[0].(map[string]any)
	for _, k := range []string{"t_s", "arrivals", "cold_starts", "throttles", "concurrency_max", "environments"} {
		if _, ok := b0[k]; !ok {
			t.Errorf("timeline bucket lacks %q", k)
		}
	}
	if m["seed"].(float64) != 42 || m["region"] != "us-east-1" {
		t.Errorf("seed %v region %v", m["seed"], m["region"])
	}
	// Deterministic: byte-identical on a second run; --seed changes it.
	again, _, _ := runCLI(t, nil, "simulate", checkoutScenario, "-o", "json")
	if again != out {
		t.Error("a second run with the same seed differs")
	}
	other, _, _ := runCLI(t, nil, "simulate", checkoutScenario, "-o", "json", "--seed", "43")
	if other == out || !strings.Contains(other, `"seed": 43`) {
		t.Error("--seed did not change the run")
	}
}

func TestSimulateRunsBands(t *testing.T) {
	spike := filepath.Join(t.TempDir(), "spike.yaml")
	if err := os.WriteFile(spike, []byte(`
name: spike
seed: 5
function: {memory_mb: 256, duration: {distribution: lognormal, p50: 50ms, p99: 400ms}, init_duration: 200ms}
concurrency: {scaling_rate: 5}
traffic: {start_rate: 5, stages: [{duration: 5m, target: 5}, {duration: 10s, target: 200}, {duration: 2m, target: 200}, {duration: 10s, target: 5}, {duration: 3m, target: 5}]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	a, errOut, code := runCLI(t, nil, "simulate", spike, "-o", "json", "--runs", "4", "--workers", "1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, _, _ := runCLI(t, nil, "simulate", spike, "-o", "json", "--runs", "4", "--workers", "2")
	if a != b {
		t.Error("--workers changes the result")
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(a), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"cold_start_rate_p5", "cold_start_rate_p95", "monthly_cost_usd_p5", "peak_concurrency_p95"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if p5, p95 := m["cold_starts_p5"].(float64), m["cold_starts_p95"].(float64); p5 > p95 {
		t.Errorf("p5 %v > p95 %v", p5, p95)
	}
	if m["throttles"].(float64) == 0 || m["throttles_p95"].(float64) < m["throttles_p5"].(float64) {
		t.Errorf("the spike beyond the scaling rate should throttle: %v (p5 %v, p95 %v)", m["throttles"], m["throttles_p5"], m["throttles_p95"])
	}
	if m["latency_ms"].(map[string]any)["p99_p95"] == nil {
		t.Error("latency_ms lacks p99_p95")
	}
}

func TestSimulateTable(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "simulate", checkoutScenario)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "simulate/checkout.txt", out)

	dir := t.TempDir()
	steady := filepath.Join(dir, "steady.yaml")
	if err := os.WriteFile(steady, []byte(`
name: steady
seed: 3
duration: 20000s
function: {memory_mb: 128, timeout: 900s, duration: {distribution: exponential, mean: 1991ms}, init_duration: 253ms}
keep_alive: {idle_timeout: 600s}
traffic: {start_rate: 0.9}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runCLI(t, nil, "simulate", steady, "--analytic", "-o", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden(t, "simulate/steady-analytic.md", out)
}

func TestSimulateHTML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sim.html")
	_, errOut, code := runCLI(t, nil, "simulate", checkoutScenario, "--html", path, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "checkout-api") {
		t.Error("the HTML report does not name the scenario")
	}
}

func TestSimulateBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("function:\n  memory_mb: 99999\n  duration: 10ms\n  colour: red\ntraffic: {start_rate: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	impossible := filepath.Join(dir, "impossible.yaml")
	if err := os.WriteFile(impossible, []byte("function:\n  memory_mb: 99999\n  duration: {distribution: lognormal, p50: 1s, p99: 10ms}\ntraffic: {start_rate: -1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"simulate", bad}, []string{bad + `:4: unknown key "colour"`}},
		{[]string{"simulate", impossible}, []string{impossible + ":2: function.memory_mb", impossible + ":3: function.duration: p99 10ms is below p50 1s", impossible + ":4: traffic.start_rate"}},
		{[]string{"simulate", filepath.Join(dir, "missing.yaml")}, []string{"missing.yaml: cannot read scenario"}},
		{[]string{"simulate", checkoutScenario, "--runs", "0"}, []string{"--runs: must be between 1 and 100000"}},
		{[]string{"simulate", checkoutScenario, "--analytic"}, []string{"--analytic: the analytical model needs constant-rate Poisson traffic"}},
		{[]string{"simulate", checkoutScenario, "--seed", "x"}, []string{"invalid argument"}},
		{[]string{"simulate"}, []string{"accepts 1 arg(s)"}},
	} {
		out, errOut, code := runCLI(t, nil, tc.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tc.args, code, errOut)
		}
		if out != "" {
			t.Errorf("%v: stdout %q", tc.args, out)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", tc.args, w, errOut)
			}
		}
		if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
			t.Errorf("%v: stack trace on stderr", tc.args)
		}
	}
}
