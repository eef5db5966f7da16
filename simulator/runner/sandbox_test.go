package runner

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// needSandbox skips a test that needs namespaces where the machine does not
// allow them — except in CI as root (CI=true), which must support them.
func needSandbox(t *testing.T) {
	t.Helper()
	cg, why := cachedCgroups()
	if cg != nil {
		why = probeNamespaces()
	}
	if why == "" {
		return
	}
	if os.Getenv("CI") == "true" && os.Geteuid() == 0 {
		t.Fatalf("CI runs as root and must support the sandbox, but: %s", why)
	}
	t.Skipf("no sandbox here: %s", why)
}

func sandboxed(memory int, timeout time.Duration) Config {
	cfg := base(memory, timeout)
	cfg.Isolation = IsolationNamespaces
	return cfg
}

func assertIsolation(t *testing.T, res *Result, want string) {
	t.Helper()
	if res.Isolation != want {
		t.Fatalf("isolation = %q, want %q (notes %q)", res.Isolation, want, res.Notes)
	}
}

// loopsInUse lists the loop devices backed by a /tmp image of this process.
func loopsInUse(t *testing.T) []string {
	t.Helper()
	var out []string
	files, _ := filepath.Glob("/sys/block/loop*/loop/backing_file")
	for _, f := range files {
		if b, err := os.ReadFile(f); err == nil && strings.Contains(string(b), imagePrefix()) {
			out = append(out, f)
		}
	}
	return out
}

// /tmp is the environment's own, of the configured size: Lambda's default
// ephemeral storage is 512 MB, so writing 700 MB fails with ENOSPC after
// at most 512 MiB (and at least 490 MiB: ext4 without a journal or
// reserved blocks keeps under 3% for inode tables and bitmaps, one 256-byte
// inode per 16 KiB = 1.6%). The file stays for the next (warm) invocation
// of the same environment, as on Lambda; it never appears in the machine's
// /tmp; after the run no loop device backs an image of the runner.
func TestSandboxTmpLimitAndCleanup(t *testing.T) {
	needSandbox(t)
	name := "/tmp/lambdacost-sandbox-" + randHex(8)
	res, _ := mustRun(t, sandboxed(256, 60*time.Second), ev(
		`{"action":"writefile","path":"`+name+`","mb":700}`,
		`{"action":"listdir","path":"/tmp"}`,
	), 2)
	assertIsolation(t, res, IsolatedNamespaces)
	w := decode[map[string]any](t, res.Invocations[0].Response)
	written := int64(w["written"].(float64))
	if !strings.Contains(w["error"].(string), "no space left on device") || written > 512<<20 || written < 490<<20 {
		t.Errorf("writing 700 MB to a 512 MB /tmp: %v; want ENOSPC after 490–512 MiB", w)
	}
	l := decode[map[string]any](t, res.Invocations[1].Response)
	if res.Invocations[1].Cold || !slicesContains(toStrings(l["names"]), filepath.Base(name)) {
		t.Errorf("the warm invocation does not see its environment's /tmp file: %v", l)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the function's /tmp file is on the machine's /tmp: %v", err)
	}
	if loops := loopsInUse(t); len(loops) > 0 {
		t.Errorf("loop devices still attached after the run: %v", loops)
	}
	// With --ephemeral-storage 1024 the same 700 MB fit.
	cfg := sandboxed(256, 60*time.Second)
	cfg.Function.EphemeralStorageMB = 1024
	res, _ = mustRun(t, cfg, ev(`{"action":"writefile","path":"/tmp/big","mb":700}`), 1)
	if w := decode[map[string]any](t, res.Invocations[0].Response); w["error"] != "" || int64(w["written"].(float64)) != 700<<20 {
		t.Errorf("700 MB into a 1024 MB /tmp: %v; want all written", w)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// /tmp is storage, not memory: the handler writes 300 MB through a 1 MB
// buffer at 256 MB of memory. Lambda counts none of /tmp as memory, so the
// write succeeds and Max Memory Used stays that of a small Go process (its
// binary, runtime and the 1 MB buffer: well under 64 MB), not 256 MB.
func TestSandboxPageCacheIsNotMemory(t *testing.T) {
	needSandbox(t)
	res, logs := mustRun(t, sandboxed(256, 60*time.Second), ev(`{"action":"writefile","path":"/tmp/f","mb":300}`), 1)
	inv := res.Invocations[0]
	if w := decode[map[string]any](t, inv.Response); w["error"] != "" || int64(w["written"].(float64)) != 300<<20 {
		t.Fatalf("writing 300 MB: %v (%+v)", w, inv.Error)
	}
	if inv.MaxMemoryUsedMB >= 64 || inv.MemoryExceeded {
		t.Errorf("Max Memory Used = %d MB after writing 300 MB to /tmp; want the process's own (< 64 MB)\n%s", inv.MaxMemoryUsedMB, logs)
	}
}

// Lambda allows 1,024 processes and threads per environment. Starting
// 1,100 "sleep" processes from the handler must fail past the limit: the
// bootstrap itself holds at least one of the 1,024 (its threads count
// too), so at most 1,023 start and at least 77 fail, with EAGAIN
// ("resource temporarily unavailable"), as a fork on Lambda does.
func TestProcessLimit(t *testing.T) {
	modes := []Isolation{}
	if cg, _ := cachedCgroups(); cg != nil && cg.countsTasks() {
		modes = append(modes, IsolationCgroup)
		if probeNamespaces() == "" {
			modes = append(modes, IsolationNamespaces)
		}
	}
	if len(modes) == 0 {
		if os.Getenv("CI") == "true" && os.Geteuid() == 0 {
			t.Fatal("CI runs as root and must have the cgroup pids controller")
		}
		t.Skip("no cgroup pids controller here")
	}
	for _, iso := range modes {
		t.Run(string(iso), func(t *testing.T) {
			cfg := base(512, 60*time.Second)
			cfg.Isolation = iso
			res, _ := mustRun(t, cfg, ev(`{"action":"fork","n":1100}`), 1)
			f := decode[map[string]any](t, res.Invocations[0].Response)
			started, failed := int(f["started"].(float64)), int(f["failed"].(float64))
			if started > 1023 || failed < 77 || started+failed != 1100 || !strings.Contains(f["error"].(string), "resource temporarily unavailable") {
				t.Errorf("1,100 forks: %v; want at most 1,023 started and the rest failing with EAGAIN", f)
			}
			if !strings.Contains(strings.Join(res.Notes, "\n"), "pids.max") {
				t.Errorf("notes do not say how processes were limited: %q", res.Notes)
			}
		})
	}
}

// Lambda allows 1,024 file descriptors: opening /dev/null 1,100 times
// fails with EMFILE ("too many open files") before 1,024 are open (stdin,
// stdout, stderr and the runtime's own are among them), in every mode.
func TestFileDescriptorLimit(t *testing.T) {
	for _, iso := range isolations(t) {
		t.Run(string(iso), func(t *testing.T) {
			cfg := base(256, 30*time.Second)
			cfg.Isolation = iso
			res, _ := mustRun(t, cfg, ev(`{"action":"fds","n":1100}`), 1)
			f := decode[map[string]any](t, res.Invocations[0].Response)
			if opened := int(f["opened"].(float64)); opened >= 1021 || opened < 900 || !strings.Contains(f["error"].(string), "too many open files") {
				t.Errorf("1,100 opens: %v; want EMFILE before 1,021 are open", f)
			}
		})
	}
}

// The function must not read the operator's files: a fake
// ~/.aws/credentials (world-readable, so that only the sandbox can stop
// it) is read by absolute path. Sandboxed: not found, the home folders
// are empty, the code is read-only at /var/task (LAMBDA_TASK_ROOT). The
// same read without namespaces succeeds (isolation none), which is what
// the sandbox is for.
func TestSandboxHidesOperatorHome(t *testing.T) {
	needSandbox(t)
	home := t.TempDir()
	if err := os.Chmod(home, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("HOME", home)
	creds := filepath.Join(home, ".aws", "credentials")
	if err := os.MkdirAll(filepath.Dir(creds), 0o755); err != nil {
		t.Fatal(err)
	}
	secret := "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
	if err := os.WriteFile(creds, []byte(secret), 0o644); err != nil {
		t.Fatal(err)
	}
	events := ev(
		`{"action":"readfile","path":"`+creds+`"}`,
		`{"action":"listdir","path":"/root"}`,
		`{"action":"writefile","path":"/var/task/x","mb":1}`,
		`{"action":"env"}`,
	)
	res, _ := mustRun(t, sandboxed(128, 10*time.Second), events, 4)
	assertIsolation(t, res, IsolatedNamespaces)
	if r := decode[map[string]any](t, res.Invocations[0].Response); r["content"] != "" || !strings.Contains(r["error"].(string), "no such file") {
		t.Errorf("the function read the operator's credentials: %v", r)
	}
	if r := decode[map[string]any](t, res.Invocations[1].Response); len(r["names"].([]any)) != 0 {
		t.Errorf("/root is visible: %v", r)
	}
	if r := decode[map[string]any](t, res.Invocations[2].Response); !strings.Contains(r["error"].(string), "read-only file system") {
		t.Errorf("/var/task is writable: %v", r)
	}
	if env := decode[map[string]string](t, res.Invocations[3].Response); env["LAMBDA_TASK_ROOT"] != "/var/task" {
		t.Errorf("LAMBDA_TASK_ROOT = %q, want /var/task", env["LAMBDA_TASK_ROOT"])
	}
	// Without the sandbox the same read succeeds: the test can fail.
	cfg := base(128, 10*time.Second)
	cfg.Isolation = IsolationNone
	res, _ = mustRun(t, cfg, events[:1], 1)
	assertIsolation(t, res, IsolatedNone)
	if r := decode[map[string]any](t, res.Invocations[0].Response); r["content"] != secret {
		t.Errorf("without namespaces the read should succeed (control): %v", r)
	}
}

// runtimeAPIOf finds, as an attacker with the same rights would, the
// Runtime API address of the environment of function name.
func runtimeAPIOf(name string) string {
	dirs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, f := range dirs {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(b, []byte("AWS_LAMBDA_FUNCTION_NAME="+name+"\x00")) {
			continue
		}
		for _, kv := range bytes.Split(b, []byte{0}) {
			if v, ok := bytes.CutPrefix(kv, []byte("AWS_LAMBDA_RUNTIME_API=")); ok {
				return string(v)
			}
		}
	}
	return ""
}

// Another local process must not reach an environment's Runtime API: while
// the function sleeps 3 s in INIT, a process of the machine finds the
// address and asks GET /next. Sandboxed, the listener is in the
// environment's network namespace: the connection fails, and the
// invocation is the function's own (its response carries the runner's
// request id). Without the namespace (isolation cgroup) the same
// connection succeeds: the control that shows the test can fail.
func TestSandboxRuntimeAPIUnreachable(t *testing.T) {
	needSandbox(t)
	for _, iso := range []Isolation{IsolationNamespaces, IsolationCgroup} {
		t.Run(string(iso), func(t *testing.T) {
			cfg := base(128, 10*time.Second)
			cfg.Isolation = iso
			cfg.Function.Name = "api-" + randHex(8)
			cfg.Env = []string{"TESTFN_INIT_SLEEP=3000"}
			type attempt struct {
				addr string
				err  error
			}
			got := make(chan attempt, 1)
			go func() {
				deadline := time.Now().Add(2500 * time.Millisecond)
				for time.Now().Before(deadline) {
					if addr := runtimeAPIOf(cfg.Function.Name); addr != "" {
						if iso == IsolationCgroup {
							// Connect only: do not steal the event.
							c, err := net.DialTimeout("tcp", addr, time.Second)
							if err == nil {
								c.Close()
							}
							got <- attempt{addr, err}
							return
						}
						cl := http.Client{Timeout: time.Second}
						resp, err := cl.Get("http://" + addr + "/2018-06-01/runtime/invocation/next")
						if err == nil {
							resp.Body.Close()
						}
						got <- attempt{addr, err}
						return
					}
					time.Sleep(20 * time.Millisecond)
				}
				got <- attempt{}
			}()
			res, _ := mustRun(t, cfg, ev(`{"action":"echo"}`), 1)
			a := <-got
			if a.addr == "" {
				t.Fatal("the attacker did not find the environment's address")
			}
			inv := res.Invocations[0]
			if inv.Status != "success" || decode[map[string]any](t, inv.Response)["request_id"] != inv.RequestID {
				t.Errorf("invocation %+v: not the function's own response", inv)
			}
			if iso == IsolationNamespaces && a.err == nil {
				t.Errorf("another process reached the Runtime API at %s", a.addr)
			}
			if iso == IsolationCgroup && a.err != nil {
				t.Errorf("control: without the namespace the port should be reachable: %v", a.err)
			}
		})
	}
}
