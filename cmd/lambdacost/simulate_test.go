package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
)

var checkoutScenario = filepath.Join("..", "..", "testdata", "scenarios", "checkout.yaml")

func TestSimulateJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "simulate", checkoutScenario, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var m map[string]any
	if err := json.Unmarshal(resultOf(t, out), &m); err != nil {
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
	if err := json.Unmarshal(resultOf(t, a), &m); err != nil {
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
	checkCheckoutByHand(t)

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
	dir := t.TempDir()
	path := filepath.Join(dir, "sim.html")
	_, errOut, code := runCLI(t, nil, "simulate", checkoutScenario, "--html", path, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "checkout-api") || !strings.Contains(string(b), `id="environments"`) {
		t.Error("the HTML report does not name the scenario or lacks its charts")
	}
	// Written through a temporary file and renamed: nothing else is left.
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("the report's folder holds %d entries, want only sim.html", len(ents))
	}

	// An unwritable destination: exit 2 naming --html, no stack trace.
	_, errOut, code = runCLI(t, nil, "simulate", checkoutScenario, "--html", filepath.Join(dir, "missing", "sim.html"))
	if code != 2 || !strings.Contains(errOut, "--html") || strings.Contains(errOut, "goroutine") {
		t.Errorf("--html into a missing folder: exit %d: %s", code, errOut)
	}
}

// TestSimulateHTMLAssets: --assets writes echarts beside the report, which
// loads it by a relative path instead of inlining it.
func TestSimulateHTMLAssets(t *testing.T) {
	if !reports.HasEmbeddedAssets() {
		t.Skip("echarts.min.js is not embedded: run `make assets`")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "out", "sim.html")
	if err := os.Mkdir(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, nil, "simulate", checkoutScenario, "--html", path, "--assets", filepath.Join(dir, "assets"), "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "assets", "echarts.min.js")); err != nil {
		t.Errorf("--assets did not write echarts.min.js: %v", err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `src="../assets/echarts.min.js"`) || len(b) > 200_000 {
		t.Errorf("the report does not load ../assets/echarts.min.js (%d bytes)", len(b))
	}
}

// TestSimulationGridsOneRenderer: the terminal tables are reports' own
// (the same as `report` prints for the JSON), then the async and analytic
// extras; a result without its scenario (nil) renders without a panic.
func TestSimulationGridsOneRenderer(t *testing.T) {
	dir := t.TempDir()
	async := filepath.Join(dir, "async.yaml")
	if err := os.WriteFile(async, []byte(`
name: queue
seed: 9
duration: 10m
function: {memory_mb: 512, duration: 200ms, init_duration: 300ms}
concurrency: {reserved: 2}
traffic: {invocation: async, start_rate: 20}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := simulator.LoadScenario(async)
	if err != nil {
		t.Fatal(err)
	}
	r, err := simulator.Run(context.Background(), s, simulator.Options{Prices: pricing.Embedded()})
	if err != nil {
		t.Fatal(err)
	}
	if r.Retries == 0 {
		t.Fatalf("20 req/s of 200 ms on 2 environments should throttle and retry: %+v", r.Retries)
	}
	text := func(gs []reports.Grid) string {
		var b strings.Builder
		if err := reports.WriteGrids(&b, reports.Markdown, reports.Style{}, gs...); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	base := text(reports.SimulationGrids(r))
	for name, sc := range map[string]*simulator.Scenario{"with scenario": s, "nil scenario": nil} {
		got := reports.SimulateGrids(r, sc, nil, false)
		if !strings.HasPrefix(text(got), base) {
			t.Errorf("%s: the tables do not start with reports.SimulationGrids", name)
		}
		if len(got) != 4 || got[2].Title != "Async invocations" || got[2].Rows[0][1] != reports.Numf(float64(r.Retries), 0) || got[3].Title != "Mode" {
			t.Errorf("%s: async grid = %+v", name, got[len(got)-1])
		}
	}
	// A sync result read back without its scenario: just reports' tables.
	r.Retries, r.DroppedEvents, r.PendingRetries = 0, 0, 0
	if got := reports.SimulateGrids(r, nil, nil, false); len(got) != 3 {
		t.Errorf("sync result, nil scenario: %d grids, want 2 and the mode", len(got))
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
	twoDocs := filepath.Join(dir, "two.yaml")
	if err := os.WriteFile(twoDocs, []byte("function: {duration: 10ms}\ntraffic: {start_rate: 1}\nduration: 1m\n---\nfunction: {duration: 20ms}\ntraffic: {start_rate: 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"simulate", bad}, []string{bad + `:4: unknown key "colour"`}},
		{[]string{"simulate", twoDocs}, []string{twoDocs + ":4: a second YAML document starts here"}},
		{[]string{"simulate", impossible}, []string{impossible + ":2: function.memory_mb", impossible + ":3: function.duration: p99 10ms is below p50 1s", impossible + ":4: traffic.start_rate"}},
		{[]string{"simulate", filepath.Join(dir, "missing.yaml")}, []string{"missing.yaml: cannot read scenario"}},
		{[]string{"simulate", checkoutScenario, "--runs", "0"}, []string{"--runs: must be between 1 and 100000"}},
		{[]string{"simulate", checkoutScenario, "--analytic"}, []string{"--analytic: the analytical model needs constant-rate Poisson traffic"}},
		{[]string{"simulate", checkoutScenario, "--seed", "x"}, []string{"invalid argument"}},
		{[]string{"simulate", checkoutScenario, "--assets", dir}, []string{"--assets: only applies with --html"}},
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

// Interrupted (the context SIGINT cancels), simulate prints what was
// simulated so far, marked partial, says so on stderr and exits 130.
func TestSimulateInterruptedPrintsPartial(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "long.yaml")
	if err := os.WriteFile(path, []byte(`
duration: 100h
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 2000}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	var out, errOut bytes.Buffer
	io := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" },
		Environ: func() []string { return nil }, Executable: os.Executable}
	start := time.Now()
	code := Main(ctx, []string{"simulate", path, "-o", "json"}, io)
	if el := time.Since(start); el > 5*time.Second {
		t.Errorf("took %s to stop", el)
	}
	if code != 130 {
		t.Fatalf("exit %d, want 130: %s", code, errOut.String())
	}
	var m map[string]any
	if err := json.Unmarshal(resultOf(t, out.String()), &m); err != nil {
		t.Fatalf("no JSON result: %v (%q)", err, out.String())
	}
	if m["partial"] != true || !(m["simulated_seconds"].(float64) < 360000) || !strings.Contains(errOut.String(), "partial") {
		t.Errorf("partial %v, simulated %v, stderr %q", m["partial"], m["simulated_seconds"], errOut.String())
	}
}
