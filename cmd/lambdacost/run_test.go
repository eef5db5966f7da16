package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// These tests run the built-in functions through the whole CLI: the test
// binary re-executes itself as their bootstrap (bootstrap.go's init hook).

func TestRunBuiltinJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "run", "--builtin", "http-echo", "--count", "3", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res map[string]any
	if err := json.Unmarshal(resultOf(t, out), &res); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	invs := res["invocations"].([]any)
	if len(invs) != 3 {
		t.Fatalf("%d invocations", len(invs))
	}
	for i, x := range invs {
		inv := x.(map[string]any)
		for _, k := range []string{"request_id", "status", "cold", "duration_ms", "billed_duration_ms", "init_duration_ms", "max_memory_used_mb", "response"} {
			if _, ok := inv[k]; !ok {
				t.Errorf("invocation %d lacks %q", i, k)
			}
		}
		if inv["status"] != "success" || inv["cold"] != (i == 0) {
			t.Errorf("invocation %d: %v cold=%v", i, inv["status"], inv["cold"])
		}
	}
	sum := res["summary"].(map[string]any)
	if sum["invocations"] != 3.0 || sum["cost_per_million_usd"].(float64) <= 0.2 {
		t.Errorf("summary %v", sum)
	}
	if m := res["cpu_model"]; m != "cgroup" && m != "unrestricted" {
		t.Errorf("cpu_model %v", m)
	}
	if strings.Contains(out, "REPORT RequestId") {
		t.Errorf("-o json must not mix log lines into stdout")
	}
}

func TestRunTableShowsLambdaLogs(t *testing.T) {
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"ms":5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "run", "--builtin", "sleep", "--event", event, "--count", "2", "--memory", "256", "--isolation", "none")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if n := len(regexp.MustCompile(`(?m)^REPORT RequestId: \S+\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t`).FindAllString(out, -1)); n != 2 {
		t.Errorf("%d REPORT lines, want 2:\n%s", n, out)
	}
	for _, want := range []string{"START RequestId: ", "END RequestId: ", "sleep — 256 MB", "cost per million", "unrestricted", "modelled warm duration"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestRunBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"run"}, []string{"--handler: give a handler executable"}},
		{[]string{"run", "--builtin", "nope", "--memory", "64", "--count", "0", "--env", "AWS_REGION=x", "--log-format", "xml"},
			[]string{"--builtin: unknown built-in", "--memory:", "--count: must be at least 1", "--env: AWS_REGION is reserved", "--log-format:"}},
		{[]string{"run", "--handler", "/nonexistent/bootstrap"}, []string{"--handler:"}},
		{[]string{"run", "--builtin", "sleep", "--event", "/nonexistent.json"}, []string{"--event:"}},
		{[]string{"run", "--builtin", "sleep", "stray"}, []string{"unexpected argument \"stray\""}},
		{[]string{"tune", "--builtin", "sleep", "--memory", "64,256,256", "--strategy", "fastest"}, []string{"64 MB is outside", "listed twice", "--strategy"}},
	}
	for _, c := range cases {
		_, errOut, code := runCLI(t, nil, c.args...)
		if code != ExitBadInput {
			t.Errorf("%v: exit %d, want 2 (%s)", c.args, code, errOut)
		}
		for _, w := range c.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, w, errOut)
			}
		}
		if strings.Contains(errOut, "goroutine ") {
			t.Errorf("%v: stack trace on bad input", c.args)
		}
	}
}

func TestRunFlagsParse(t *testing.T) {
	f := &Factory{IO: &IO{Getenv: func(string) string { return "" }}}
	var got *RunOptions
	cmd := NewCmdRun(f, func(o *RunOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--handler", "./bootstrap", "--env", "A=1", "--env", "B=2", "--pass-env", "--concurrency", "4", "--timeout", "250ms", "--", "--flag", "x"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Handler != "./bootstrap" || strings.Join(got.Env, ",") != "A=1,B=2" || !got.PassEnv || got.Concurrency != 4 ||
		got.Timeout.String() != "250ms" || strings.Join(got.Args, " ") != "--flag x" {
		t.Errorf("parsed %+v", got.FunctionFlags)
	}
}

func TestTuneJSON(t *testing.T) {
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	if err := os.WriteFile(event, []byte(`{"ms":2}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "tune", "--builtin", "sleep", "--memory", "256,128", "--count", "2", "--event", event, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Results []struct {
			MemoryMB    int                `json:"memory_mb"`
			DurationMs  map[string]float64 `json:"duration_ms"`
			PerInv      *float64           `json:"cost_per_invocation_usd"`
			PerMillion  *float64           `json:"cost_per_million_usd"`
			Status      string             `json:"status"`
			Invocations int                `json:"invocations"`
		} `json:"results"`
		Recommendation struct {
			MemoryMB int    `json:"memory_mb"`
			Strategy string `json:"strategy"`
		} `json:"recommendation"`
	}
	if err := json.Unmarshal(resultOf(t, out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(res.Results) != 2 || res.Results[0].MemoryMB != 128 || res.Results[1].MemoryMB != 256 {
		t.Fatalf("results %+v", res.Results)
	}
	for _, p := range res.Results {
		for _, k := range []string{"p50", "p90", "p99", "mean"} {
			if _, ok := p.DurationMs[k]; !ok {
				t.Errorf("%d MB: duration_ms lacks %s", p.MemoryMB, k)
			}
		}
		if p.PerInv == nil || p.PerMillion == nil || *p.PerMillion <= 0.2 || p.Status != "ok" || p.Invocations != 2 {
			t.Errorf("%d MB: %+v", p.MemoryMB, p)
		}
	}
	if res.Recommendation.Strategy != "cost" || (res.Recommendation.MemoryMB != 128 && res.Recommendation.MemoryMB != 256) {
		t.Errorf("recommendation %+v", res.Recommendation)
	}
}

func TestTuneHTML(t *testing.T) {
	dir := t.TempDir()
	page := filepath.Join(dir, "tune.html")
	_, errOut, code := runCLI(t, nil, "tune", "--builtin", "sleep", "--memory", "128,256", "--count", "2", "--html", page, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<html") || !strings.Contains(string(b), "256") {
		t.Errorf("tune page lacks the sweep: %.300s", b)
	}
	_, errOut, code = runCLI(t, nil, "tune", "--builtin", "sleep", "--memory", "128", "--assets", dir)
	if code != 2 || !strings.Contains(errOut, "--assets") {
		t.Errorf("--assets without --html: exit %d %s", code, errOut)
	}
}
