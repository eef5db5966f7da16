package runner

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// bootstrapsOf finds the processes of function name's environments (by
// their AWS_LAMBDA_FUNCTION_NAME), as any process of the machine could.
func bootstrapsOf(name string) []int {
	var pids []int
	files, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil || !bytes.Contains(b, []byte("\x00AWS_LAMBDA_FUNCTION_NAME="+name+"\x00")) {
			continue
		}
		if pid, err := strconv.Atoi(strings.Split(f, "/")[2]); err == nil {
			pids = append(pids, pid)
		}
	}
	return pids
}

// asUser runs a shell command as uid (gid the same, no groups), as a
// process of another environment would.
func asUser(uid uint32, script string) (string, error) {
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uid, Gid: uid}}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Two sandboxed environments of one run must be as apart as two Lambda
// environments: each runs as its own user, so a process of one (here a
// shell running as that environment's user, while both sleep in INIT)
// can neither signal the other's bootstrap nor list the other's private
// /tmp through /proc/PID/root — while the other's own user can (the
// control: the kernel lets a user at its own processes, so the test
// fails where the two share a user, as they did as nobody). Each has its
// own IPC namespace (not the runner's, not the other's), and the machine's
// shared /dev/shm is not writable (Lambda has none): nothing is left
// behind in it.
func TestSandboxEnvironmentsApart(t *testing.T) {
	needSandbox(t)
	cfg := sandboxed(128, 10*time.Second)
	cfg.Concurrency = 2
	cfg.Function.Name = "apart-" + randHex(8)
	cfg.Env = []string{"TESTFN_INIT_SLEEP=2000"}
	shm := "/dev/shm/lambdacost-" + cfg.Function.Name
	defer os.Remove(shm)
	type probe struct {
		pids  []int
		uids  []uint32
		ipc   []string
		tries []string
	}
	got := make(chan probe, 1)
	go func() {
		var p probe
		defer func() { got <- p }()
		deadline := time.Now().Add(1500 * time.Millisecond)
		for len(p.pids) < 2 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
			p.pids = bootstrapsOf(cfg.Function.Name)
		}
		if len(p.pids) != 2 {
			return
		}
		for _, pid := range p.pids {
			var st syscall.Stat_t
			if err := syscall.Stat("/proc/"+strconv.Itoa(pid), &st); err != nil {
				return
			}
			p.uids = append(p.uids, st.Uid)
			l, _ := os.Readlink("/proc/" + strconv.Itoa(pid) + "/ns/ipc")
			p.ipc = append(p.ipc, l)
		}
		other := strconv.Itoa(p.pids[1])
		for _, try := range []struct {
			uid    uint32
			script string
		}{
			{p.uids[0], "ls /proc/" + other + "/root/tmp"},
			{p.uids[0], "kill -0 " + other},
			{p.uids[1], "ls /proc/" + other + "/root/tmp"}, // the control
		} {
			_, err := asUser(try.uid, try.script)
			p.tries = append(p.tries, strconv.FormatBool(err == nil))
		}
	}()
	res, _ := mustRun(t, cfg, ev(`{"action":"writefile","path":"`+shm+`","mb":1}`, `{"action":"readfile","path":"/etc/passwd"}`), 2)
	p := <-got
	assertIsolation(t, res, IsolatedNamespaces)
	if len(p.pids) != 2 || len(p.tries) != 3 {
		t.Fatalf("found %d environments' processes (want 2) and made %d of 3 tries", len(p.pids), len(p.tries))
	}
	self, _ := os.Readlink("/proc/self/ns/ipc")
	if p.uids[0] == p.uids[1] || p.uids[0] == 0 || p.uids[1] == 0 {
		t.Errorf("the environments run as uids %v: want two different unprivileged users", p.uids)
	}
	if p.ipc[0] == p.ipc[1] || p.ipc[0] == self || p.ipc[1] == self {
		t.Errorf("IPC namespaces %q, the runner's %q: want one per environment", p.ipc, self)
	}
	if want := "false false true"; strings.Join(p.tries, " ") != want {
		t.Errorf("another environment's user listing the /tmp of, and signalling, the second; the second's own user listing its /tmp: succeeded %v, want %s", p.tries, want)
	}
	if w := decode[map[string]any](t, res.Invocations[0].Response); w["written"].(float64) != 0 || !strings.Contains(w["error"].(string), "read-only file system") {
		t.Errorf("writing to the machine's /dev/shm: %v; want EROFS", w)
	}
	// The environment's user has an entry (runtimes look it up), its own.
	passwd := decode[map[string]any](t, res.Invocations[1].Response)["content"].(string)
	entry := func(uid uint32) bool {
		return strings.Contains(passwd, "\nsbx_user1051:x:"+strconv.FormatUint(uint64(uid), 10)+":")
	}
	if entry(p.uids[0]) == entry(p.uids[1]) || !strings.HasPrefix(passwd, "root:") {
		t.Errorf("the environment's /etc/passwd does not name exactly its own user (one of %v):\n%s", p.uids, passwd)
	}
	if _, err := os.Stat(shm); err == nil {
		t.Errorf("%s was left on the machine", shm)
	}
}
