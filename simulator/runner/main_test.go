package runner

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

// testFn is the path of the aws-lambda-go test handler, built once per test
// binary (testdata/runner/handlers/testfn).
var testFn string

// shellFn is the shell-script custom runtime.
var shellFn string

// nodeFn is the Node.js (fetch) custom runtime.
var nodeFn string

// builtinsFn starts the built-in functions (testdata/runner/handlers/builtins).
var builtinsFn string

func TestMain(m *testing.M) {
	// The test binary doubles as the bootstrap of the built-in functions.
	builtin.MaybeRun()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "lambdacost-runner-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Sandboxed environments run as unprivileged users: the code folder must be
	// readable by others, as a deployment package is.
	_ = os.Chmod(dir, 0o755)
	root, err := filepath.Abs("../..")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	testFn = filepath.Join(dir, "bootstrap")
	builtinsFn = filepath.Join(dir, "builtins")
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	cmd := exec.Command(goBin, "build", "-o", dir+string(filepath.Separator), "./testdata/runner/handlers/testfn", "./testdata/runner/handlers/builtins")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the test handler: %v\n%s", err, out)
		return 1
	}
	if err := os.Rename(filepath.Join(dir, "testfn"), testFn); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	shellFn = filepath.Join(root, "testdata/runner/handlers/shell/bootstrap")
	nodeFn = filepath.Join(root, "testdata/runner/handlers/node/bootstrap")
	return m.Run()
}

// base returns a Config for the test handler.
func base(memory int, timeout time.Duration) Config {
	return Config{
		Handler:  testFn,
		Function: pricing.FunctionConfig{Name: "testfn", MemoryMB: memory, Timeout: pricing.Duration(timeout)},
	}
}

// ev is the events given as JSON text.
func ev(ss ...string) [][]byte {
	out := make([][]byte, len(ss))
	for i, s := range ss {
		out[i] = []byte(s)
	}
	return out
}

// mustRun runs and checks the invariants every run must keep: every
// invocation is accounted for and no process group survives.
func mustRun(t *testing.T, cfg Config, events [][]byte, count int) (*Result, string) {
	t.Helper()
	var logs bytes.Buffer
	if cfg.Logs == nil {
		cfg.Logs = &logs
	}
	res, pgids, err := run(context.Background(), cfg, events, count)
	if err != nil {
		t.Fatalf("run: %v\nlogs:\n%s", err, logs.String())
	}
	assertAccounted(t, res, count)
	assertNoProcesses(t, pgids)
	return res, logs.String()
}

func assertAccounted(t *testing.T, res *Result, count int) {
	t.Helper()
	s := res.Summary
	if len(res.Invocations) != count || s.Invocations != count || s.Successes+s.Errors+s.Timeouts != count {
		t.Fatalf("accounting: %d invocations recorded, summary %d = %d success + %d error + %d timeout; want %d",
			len(res.Invocations), s.Invocations, s.Successes, s.Errors, s.Timeouts, count)
	}
}

func assertNoProcesses(t *testing.T, pgids []int) {
	t.Helper()
	if len(pgids) == 0 {
		t.Fatalf("no process group recorded")
	}
	for _, pg := range pgids {
		if groupAlive(pg) {
			t.Errorf("process group %d is still alive after Run returned", pg)
		}
	}
}

func decode[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	return v
}

// isolations lists the isolation modes to test: none always, cgroup when
// this machine allows it.
func isolations(t *testing.T) []Isolation {
	modes := []Isolation{IsolationNone}
	if cg, why := cachedCgroups(); cg != nil {
		modes = append(modes, IsolationCgroup)
	} else {
		t.Logf("cgroups unavailable here (%s): testing isolation none only", why)
	}
	return modes
}

func countLines(logs, prefix string) int {
	n := 0
	for _, l := range strings.Split(logs, "\n") {
		if strings.HasPrefix(l, prefix) {
			n++
		}
	}
	return n
}

func lookPath(name string) (string, error) { return exec.LookPath(name) }

// writerFunc is an io.Writer that hands each write to f.
type writerFunc func(p []byte)

func (f writerFunc) Write(p []byte) (int, error) { f(p); return len(p), nil }

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
