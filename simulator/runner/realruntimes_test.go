package runner

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

func handlerPath(t *testing.T, rel string) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("../../testdata/runner/handlers", rel))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// needTool skips when a runtime's interpreter is missing, except in CI
// (.ci/run installs it), where that is a failure.
func needTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not installed (.ci/run installs it)", name)
		}
		t.Skipf("%s is not installed", name)
	}
}

// TestPythonStdlibRuntime runs a custom runtime written with Python's
// standard library (urllib), the handler loaded from _HANDLER
// ("app.handler") as Lambda's runtimes do, at c=2: responses, a raised
// exception as a function error, and every printed line attributed to its
// request.
func TestPythonStdlibRuntime(t *testing.T) {
	needTool(t, "python3")
	cfg := Config{Handler: handlerPath(t, "python/bootstrap"), HandlerName: "app.handler", Concurrency: 2,
		Env: []string{"PYTHONDONTWRITEBYTECODE=1"}, Isolation: IsolationNone}
	res, logs := mustRun(t, cfg, ev(`{"lines":4}`, `{"lines":3}`, `{"fail":true}`), 9)
	if s := res.Summary; s.Successes != 6 || s.Errors != 3 || s.ColdStarts != 2 {
		t.Fatalf("summary %+v", s)
	}
	for _, inv := range res.Invocations {
		if inv.Status == "error" {
			if inv.Error.Type != "ValueError" || inv.Error.Message != "python says no" {
				t.Errorf("error %+v", inv.Error)
			}
			continue
		}
		var got struct {
			Python    bool   `json:"python"`
			Cold      bool   `json:"cold"`
			RequestID string `json:"request_id"`
			Handler   string `json:"handler"`
		}
		if err := json.Unmarshal(inv.Response, &got); err != nil || !got.Python || got.RequestID != inv.RequestID || got.Handler != "app.handler" {
			t.Errorf("response %s for %s", inv.Response, inv.RequestID)
		}
		if inv.Cold && inv.InitDurationMs <= 0 {
			t.Errorf("cold invocation without INIT: %+v", inv)
		}
	}
	checkAttributed(t, logs, `line \d+ of ([0-9a-f-]{36})`, 3*4+3*3) // three events of 4 lines, three of 3
}

// checkAttributed checks that every function line matching re names the
// request its prefix gives, and that want such lines were seen.
func checkAttributed(t *testing.T, logs, re string, want int) {
	t.Helper()
	rx := regexp.MustCompile(`^\d{4}-\d\d-\d\dT[\d:.]+Z\t([0-9a-f-]{36})\t` + re + `$`)
	n := 0
	for _, l := range strings.Split(logs, "\n") {
		if m := rx.FindStringSubmatch(l); m != nil {
			if m[1] != m[2] {
				t.Errorf("line of %s attributed to %s: %q", m[2], m[1], l)
			}
			n++
		}
	}
	if n != want {
		t.Errorf("%d attributed lines, want %d:\n%s", n, want, logs)
	}
}

// TestBashTutorialRuntime runs a runtime of the shape of AWS's bash
// tutorial (bootstrap sources "$LAMBDA_TASK_ROOT/<file>.sh" from _HANDLER
// "function.handler", curl for the Runtime API). Without the handler
// setting it fails INIT, as it would on Lambda with a wrong handler.
func TestBashTutorialRuntime(t *testing.T) {
	needTool(t, "bash")
	needTool(t, "curl")
	cfg := Config{Handler: handlerPath(t, "bashtutorial/bootstrap"), HandlerName: "function.handler", Isolation: IsolationNone}
	res, logs := mustRun(t, cfg, ev(`{"n":1}`, `{"n":2}`), 4)
	if res.Summary.Successes != 4 {
		t.Fatalf("%+v", res.Invocations)
	}
	for i, inv := range res.Invocations {
		var s string
		want := fmt.Sprintf(`Echoing request: '{"n":%d}'`, i%2+1)
		if err := json.Unmarshal(inv.Response, &s); err != nil || s != want {
			t.Errorf("response %s, want %q", inv.Response, want)
		}
	}
	// The event echoed to stderr, under its request id.
	if n := len(regexp.MustCompile(`(?m)^\S+Z\t[0-9a-f-]{36}\t\{"n":[12]\}$`).FindAllString(logs, -1)); n != 4 {
		t.Errorf("%d event lines in the logs, want 4:\n%s", n, logs)
	}

	cfg.HandlerName = ""
	res, _ = mustRun(t, cfg, nil, 1)
	if inv := res.Invocations[0]; inv.InitStatus != "error" || inv.Error.Type != "Runtime.ExitError" {
		t.Errorf("without _HANDLER: %+v", inv)
	}
}

// ricDir is where aws-lambda-ric is installed: $LAMBDACOST_RIC_DIR, else
// .ci/run's cache folder.
func ricDir() string {
	if d := os.Getenv("LAMBDACOST_RIC_DIR"); d != "" {
		return d
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(cache, "lambdacost", "aws-lambda-ric")
}

// TestNodeRICRuntime runs AWS's own Node.js Runtime Interface Client
// (npm aws-lambda-ric, with its native HTTP client) unmodified, handler
// "app.handler" from _HANDLER, at c=2. Its console.log lines carry its own
// "time⇥id⇥INFO⇥" prefix, which must be kept and not doubled, under the
// right request id.
func TestNodeRICRuntime(t *testing.T) {
	needTool(t, "node")
	dir := ricDir()
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "aws-lambda-ric", "dist", "rapid-client.node")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("aws-lambda-ric is not installed in %s (.ci/run installs it)", dir)
		}
		t.Skipf("aws-lambda-ric is not installed in %s (testdata/runner/handlers/noderic/install-ric.sh %s)", dir, dir)
	}
	cfg := Config{Handler: handlerPath(t, "noderic/bootstrap"), HandlerName: "app.handler", Concurrency: 2,
		Env: []string{"LAMBDACOST_RIC_DIR=" + dir}, Isolation: IsolationNone, Function: base(1024, 10*time.Second).Function}
	res, logs := mustRun(t, cfg, ev(`{"lines":3}`, `{"fail":true}`), 6)
	if s := res.Summary; s.Successes != 3 || s.Errors != 3 {
		t.Fatalf("summary %+v\n%s", s, logs)
	}
	for _, inv := range res.Invocations {
		if inv.Status == "error" {
			if inv.Error.Type != "TypeError" || inv.Error.Message != "node says no" {
				t.Errorf("error %+v", inv.Error)
			}
			continue
		}
		var got struct {
			Node      bool   `json:"node"`
			RequestID string `json:"requestId"`
			Handler   string `json:"handler"`
		}
		if err := json.Unmarshal(inv.Response, &got); err != nil || !got.Node || got.RequestID != inv.RequestID || got.Handler != "app.handler" {
			t.Errorf("response %s for %s", inv.Response, inv.RequestID)
		}
	}
	checkAttributed(t, logs, `INFO\tline \d+ of ([0-9a-f-]{36})`, 3*3)
	if strings.Contains(logs, "Z\tZ") || regexp.MustCompile(`\t[0-9a-f-]{36}\t\d{4}-\d\d-\d\dT`).MatchString(logs) {
		t.Errorf("a prefix was doubled:\n%s", logs)
	}
}
