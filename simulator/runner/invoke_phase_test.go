package runner

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// shellRuntime writes a custom runtime in POSIX shell + curl (the loop of
// AWS's custom-runtime tutorial) whose body after each response is after;
// it returns the path of its bootstrap.
func shellRuntime(t *testing.T, after string) string {
	t.Helper()
	if _, err := lookPath("curl"); err != nil {
		t.Skip("curl not installed (.ci/run installs it)")
	}
	dir := t.TempDir()
	// A sandboxed environment runs as an unprivileged user: the code
	// folder must be readable by it, as a deployment package is.
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	script := `#!/bin/sh
set -eu
API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
while true; do
  ID=$(curl -sS -i "$API/invocation/next" | tr -d '\r' | sed -n 's/^[Ll]ambda-[Rr]untime-[Aa]ws-[Rr]equest-[Ii]d: *//p')
  curl -sS -X POST "$API/invocation/$ID/response" -d '"done"' >/dev/null
  ` + after + `
done
`
	p := filepath.Join(dir, "bootstrap")
	if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// A runtime that posts its response and never calls /next again: Lambda's
// timeout bounds the whole invoke phase, so each invocation ends at the
// timeout (1 s) as a timeout, its environment is shut down, and the run
// goes on with a new one. Expected by hand: 2 invocations, 2 cold
// environments, each Duration exactly 1000 ms, Sandbox.Timedout, the
// response "done" delivered all the same.
func TestResponseWithoutNextIsBoundedByTimeout(t *testing.T) {
	cfg := Config{Handler: shellRuntime(t, "exec sleep 3600")}
	cfg.Function.MemoryMB = 128
	cfg.Function.Timeout = pricing.Duration(time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	done := make(chan struct{})
	var res *Result
	var pg []int
	var err error
	go func() {
		defer close(done)
		res, pg, err = run(ctx, cfg, nil, 2)
	}()
	select {
	case <-done:
	case <-time.After(25 * time.Second):
		t.Fatal("run hangs on a runtime that never calls /next after its response")
	}
	if err != nil {
		t.Fatal(err)
	}
	assertAccounted(t, res, 2)
	assertNoProcesses(t, pg)
	if res.Summary.Timeouts != 2 || res.Summary.Environments != 2 {
		t.Fatalf("summary %+v; want 2 timeouts in 2 environments", res.Summary)
	}
	for i, inv := range res.Invocations {
		if inv.Status != "timeout" || !inv.Cold || inv.DurationMs != 1000 || inv.Error == nil || inv.Error.Type != "Sandbox.Timedout" {
			t.Errorf("invocation %d = %+v %+v; want a cold timeout of exactly 1000 ms", i, inv, inv.Error)
		}
		if string(inv.Response) != `"done"` {
			t.Errorf("invocation %d: the posted response %q is lost", i, inv.Response)
		}
		if inv.PostResponseMs <= 0 || inv.PostResponseMs >= 1000 {
			t.Errorf("invocation %d: post_response_ms = %v, want within (0, 1000)", i, inv.PostResponseMs)
		}
	}
}

// Work after the response, before the next /next (sleep 0.3 s), is part of
// Lambda's invoke phase: billed. Expected by hand: every Duration ≥ 300 ms
// (the sleep) and post_response_ms ≥ 300 ms, billed = ⌈duration⌉ (+INIT
// for the cold one), status success, one environment.
func TestPostResponseWorkIsBilled(t *testing.T) {
	cfg := Config{Handler: shellRuntime(t, "sleep 0.3")}
	cfg.Function.MemoryMB = 128
	cfg.Function.Timeout = pricing.Duration(3 * time.Second)
	res, logs := mustRun(t, cfg, nil, 3)
	if res.Summary.Successes != 3 || res.Summary.Environments != 1 {
		t.Fatalf("summary %+v; want 3 successes in 1 environment", res.Summary)
	}
	for i, inv := range res.Invocations {
		if inv.DurationMs < 300 || inv.PostResponseMs < 300 || inv.PostResponseMs > inv.DurationMs {
			t.Errorf("invocation %d: duration %.2f ms, post-response %.2f ms; want both ≥ 300 (the sleep after the response)", i, inv.DurationMs, inv.PostResponseMs)
		}
		if min := int64(inv.DurationMs + inv.InitDurationMs); inv.BilledDurationMs < min {
			t.Errorf("invocation %d: billed %d ms < duration %.2f + INIT %.2f", i, inv.BilledDurationMs, inv.DurationMs, inv.InitDurationMs)
		}
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "after posting their response") {
		t.Errorf("the result does not say what was billed after the response: %q", res.Notes)
	}
	if n := countLines(logs, "REPORT "); n != 3 {
		t.Errorf("%d REPORT lines, want 3", n)
	}
}
