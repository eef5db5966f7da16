package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// checkE2ERace is set when the tests are built with -race (check_race_test.go).
var checkE2ERace bool

// TestCheckEndToEnd builds the real binary once and runs `lambdacost check`
// as CI would: in the config's directory, reading stdout, stderr and the
// exit code. The table and Markdown outputs must be exactly the reviewed
// golden files of package reports/check.
func TestCheckEndToEnd(t *testing.T) {
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "lambdacost")
	args := []string{"build", "-o", bin}
	if checkE2ERace {
		args = append(args, "-race")
	}
	build := exec.Command("go", append(args, ".")...)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir, err := filepath.Abs(filepath.Join("..", "..", "testdata", "check"))
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(tmp, "home") // no price override file from the developer's machine
	lc := func(t *testing.T, args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = dir
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + home}
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var xe *exec.ExitError
		switch {
		case errors.As(err, &xe):
			code = xe.ExitCode()
		case err != nil:
			t.Fatal(err)
		}
		if strings.Contains(e.String(), "goroutine ") || strings.Contains(e.String(), "panic") {
			t.Errorf("a stack trace on stderr:\n%s", e.String())
		}
		return o.String(), e.String(), code
	}
	golden := func(t *testing.T, name, got string) {
		t.Helper()
		want, err := os.ReadFile(filepath.Join(dir, "golden", name))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(name, ".json") {
			// The golden is the check report; the CLI writes it as the
			// result of its -o json envelope.
			var env struct{ Command, Kind string }
			if err := json.Unmarshal([]byte(got), &env); err != nil || env.Command != "check" || env.Kind != "check" {
				t.Errorf("envelope command %q kind %q (%v), want check", env.Command, env.Kind, err)
			}
			var ind bytes.Buffer
			if err := json.Indent(&ind, resultOf(t, got), "", "  "); err != nil {
				t.Fatal(err)
			}
			got = ind.String() + "\n"
		}
		if got != string(want) {
			t.Errorf("output differs from golden/%s (regenerate with go test ./reports/check -update):\n--- got\n%s\n--- want\n%s", name, got, want)
		}
	}

	t.Run("passing", func(t *testing.T) {
		out, errOut, code := lc(t, "check", "--config", "passing.yaml")
		if code != 0 || errOut != "" {
			t.Fatalf("exit %d, stderr %q", code, errOut)
		}
		golden(t, "passing.txt", out)
	})

	t.Run("failing", func(t *testing.T) {
		out, errOut, code := lc(t, "check", "--config", "failing.yaml", "-o", "markdown")
		if code != 1 {
			t.Fatalf("exit %d, want 1; stderr %q", code, errOut)
		}
		if errOut != "" {
			t.Errorf("stderr %q: a failed check is a report, not an error", errOut)
		}
		golden(t, "failing.md", out)
		// The failing thresholds come first, each with its value.
		failing := strings.Index(out, "### Failing thresholds")
		costRow := strings.Index(out, "| ❌ | checkout-api | `monthly_cost_usd < 5` | **$9.60** |")
		p99Row := strings.Index(out, "| ❌ | orders-worker | `latency_p99_ms < 400` | **420 ms** |")
		passing := strings.Index(out, "2 thresholds passed")
		if failing < 0 || costRow < failing || p99Row < costRow || passing < p99Row {
			t.Errorf("failing thresholds are not listed first with their values:\n%s", out)
		}
		// The same result as a table, also exit 1.
		tbl, _, code := lc(t, "check", "--config", "failing.yaml")
		if code != 1 {
			t.Errorf("table: exit %d, want 1", code)
		}
		golden(t, "failing.txt", tbl)
		// A failed check still writes its JSON (usable as a baseline).
		js, _, code := lc(t, "check", "--config", "failing.yaml", "-o", "json")
		if code != 1 {
			t.Errorf("json: exit %d, want 1", code)
		}
		golden(t, "failing.json", js)
	})

	t.Run("broken config", func(t *testing.T) {
		out, errOut, code := lc(t, "check", "--config", "broken.yaml")
		if code != 2 || out != "" {
			t.Fatalf("exit %d, stdout %q; want 2 and nothing", code, out)
		}
		for _, want := range []string{
			"lambdacost: error: broken.yaml:5: api: estimate.memory_mb: memory 64 MB is outside",
			"lambdacost: error: broken.yaml:9: api: monthly_cost_usd: threshold \"< abc\"",
			"lambdacost: error: broken.yaml:10: api: an estimate source cannot provide latency_p99_ms",
			"lambdacost: error: broken.yaml:11: api: unknown metric \"cold_start_rat\" (did you mean cold_start_rate?)",
			"lambdacost: error: broken.yaml:12: check name \"api\" is already used at broken.yaml:3",
			"lambdacost: error: broken.yaml:13: api: dataset file datasets/missing.json: no such file",
			"lambdacost: error: broken.yaml:15: api: throttles: threshold \"= 0\" does not start with an operator",
		} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
		_, errOut, code = lc(t, "check", "--config", "unknown-key.yaml")
		if code != 2 || !strings.Contains(errOut, `unknown-key.yaml:4: unknown key "treshold"`) {
			t.Errorf("unknown key: exit %d, stderr %q", code, errOut)
		}
		_, errOut, code = lc(t, "check", "--config", "nope.yaml")
		if code != 2 || !strings.HasPrefix(errOut, "lambdacost: error: --config: open nope.yaml") {
			t.Errorf("missing config: exit %d, stderr %q", code, errOut)
		}
		_, errOut, code = lc(t, "check") // lambdacost.yaml by default
		if code != 2 || !strings.Contains(errOut, "--config: open lambdacost.yaml") {
			t.Errorf("default config: exit %d, stderr %q", code, errOut)
		}
	})

	t.Run("increase without baseline", func(t *testing.T) {
		out, errOut, code := lc(t, "check", "--config", "pr.yaml", "-o", "markdown")
		if code != 2 || out != "" {
			t.Fatalf("exit %d, stdout %q; want 2: an increase threshold never passes silently", code, out)
		}
		for _, want := range []string{"pr.yaml:11: checkout-api: threshold monthly_cost_increase_pct < 60 needs --baseline FILE", "pr.yaml:15: orders-worker: threshold latency_p99_increase_pct <= 0 needs --baseline"} {
			if !strings.Contains(errOut, want) {
				t.Errorf("stderr lacks %q:\n%s", want, errOut)
			}
		}
	})

	t.Run("baseline diff", func(t *testing.T) {
		// The main branch's result is the pull request's baseline.
		baseJSON, errOut, code := lc(t, "check", "--config", "base.yaml", "-o", "json")
		if code != 0 {
			t.Fatalf("base: exit %d, stderr %q", code, errOut)
		}
		base := filepath.Join(tmp, "base.json")
		if err := os.WriteFile(base, []byte(baseJSON), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code := lc(t, "check", "--config", "pr.yaml", "--baseline", base, "-o", "markdown")
		if code != 0 {
			t.Fatalf("pr: exit %d, stderr %q", code, errOut)
		}
		for _, want := range []string{
			"## ✅ lambdacost check passed",
			"Monthly cost increases by **$7.48 (+92.6%)**: $8.08 → $15.55.",
			"| ✅ | checkout-api | `monthly_cost_increase_pct < 60` | +50.0% ($6.40 → $9.60) |",
			"### Change against the baseline `" + base + "`",
			"| Check | Metric | Before | After | Change | % |",
			"| checkout-api | Monthly cost | $6.40 | $9.60 | +$3.20 | +50.0% |",
			"| fleet-thumbnailer | Monthly cost | – | $4.30 | new | new |",
			"| legacy-cron | Monthly cost | $0.02 | – | removed | removed |",
			"| Total monthly cost |  | $8.08 | $15.55 | +$7.48 | +92.6% |",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("markdown lacks %q:\n%s", want, out)
			}
		}

		// -o json with a baseline carries the diff, and is itself a baseline.
		prJSON, _, code := lc(t, "check", "--config", "pr.yaml", "--baseline", base, "-o", "json")
		var r struct {
			Passed bool `json:"passed"`
			Diff   struct {
				Rows []struct {
					Check     string   `json:"check"`
					Metric    string   `json:"metric"`
					Before    *float64 `json:"before"`
					After     *float64 `json:"after"`
					ChangePct *float64 `json:"change_pct"`
				} `json:"rows"`
				Added   []string `json:"added_checks"`
				Removed []string `json:"removed_checks"`
			} `json:"diff"`
		}
		if err := json.Unmarshal(resultOf(t, prJSON), &r); err != nil || code != 0 || !r.Passed {
			t.Fatalf("json: exit %d, %v\n%s", code, err, prJSON)
		}
		row := r.Diff.Rows[0]
		if row.Check != "checkout-api" || row.Metric != "monthly_cost_usd" || *row.Before != 6.400012 || *row.After != 9.600018 {
			t.Errorf("first diff row %+v", row)
		}
		if len(r.Diff.Added) != 1 || len(r.Diff.Removed) != 1 {
			t.Errorf("added %v removed %v", r.Diff.Added, r.Diff.Removed)
		}
		pr := filepath.Join(tmp, "pr.json")
		if err := os.WriteFile(pr, []byte(prJSON), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, errOut, code := lc(t, "check", "--config", "pr.yaml", "--baseline", pr); code != 0 {
			t.Errorf("a result with a diff as the next baseline: exit %d, %s", code, errOut)
		}

		// An increase beyond its threshold fails the build with exit 1.
		cfg := filepath.Join(tmp, "budget.yaml")
		if err := os.WriteFile(cfg, []byte(`checks:
  - name: checkout-api
    estimate: {memory_mb: 1536, requests: 3000000, duration: 120ms}
    thresholds:
      monthly_cost_increase_pct: ["< 10"]
`), 0o644); err != nil {
			t.Fatal(err)
		}
		out, errOut, code = lc(t, "check", "--config", cfg, "--baseline", base, "-o", "markdown")
		if code != 1 {
			t.Fatalf("budget: exit %d, want 1; stderr %q", code, errOut)
		}
		if want := "| ❌ | checkout-api | `monthly_cost_increase_pct < 10` | **+50.0% ($6.40 → $9.60)** |"; !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	})

	t.Run("bad baseline", func(t *testing.T) {
		_, errOut, code := lc(t, "check", "--config", "pr.yaml", "--baseline", "passing.yaml")
		if code != 2 || !strings.Contains(errOut, "--baseline: passing.yaml:offset") {
			t.Errorf("exit %d, stderr %q", code, errOut)
		}
		_, errOut, code = lc(t, "check", "--config", "pr.yaml", "--baseline", "datasets/orders.json")
		if code != 2 || !strings.Contains(errOut, "--baseline: datasets/orders.json: not a `lambdacost check -o json` result") {
			t.Errorf("a dataset as baseline: exit %d, stderr %q", code, errOut)
		}
	})

	t.Run("scenario", func(t *testing.T) {
		out, errOut, code := lc(t, "check", "--config", "scenario.yaml", "-o", "markdown")
		if code != 1 {
			t.Fatalf("exit %d, want 1 (the burst is throttled); stderr %q", code, errOut)
		}
		if !strings.Contains(out, "| ❌ | checkout-api | `throttles == 0` |") {
			t.Errorf("markdown does not name the throttles threshold:\n%s", out)
		}
	})
}
