package runner

import (
	"errors"
	"fmt"
	"net"
	"os"
	"sort"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
)

// Isolation levels reported in results (Result.Isolation).
const (
	// IsolatedNamespaces: cgroup limits, plus each environment in its own
	// mount and network namespaces, as an unprivileged user, with a
	// size-limited /tmp of its own.
	IsolatedNamespaces = "namespaces+cgroup"
	// IsolatedCgroup: cgroup limits (memory, CPU, processes) only.
	IsolatedCgroup = "cgroup"
	// IsolatedNone: nothing enforced but the timeout and payload limits.
	IsolatedNone = "none"
)

// isolationName is the isolation the run's environments had.
func (r *runner) isolationName() string {
	switch {
	case r.cgroups != nil && r.sandbox != nil:
		return IsolatedNamespaces
	case r.cgroups != nil:
		return IsolatedCgroup
	}
	return IsolatedNone
}

// notes lists what the run enforced or could not, and billing facts the
// numbers alone do not say.
func (r *runner) notes(invs []Invocation) []string {
	var out []string
	out = append(out, r.sandboxNotes()...)
	var n int
	var post float64
	for _, inv := range invs {
		if inv.PostResponseMs > 0 {
			n++
			post += inv.PostResponseMs
		}
	}
	r.mu.Lock()
	calls := make([]string, 0, len(r.unserved))
	for k, v := range r.unserved {
		calls = append(calls, fmt.Sprintf("%s ×%d", k, v))
	}
	r.mu.Unlock()
	if len(calls) > 0 {
		sort.Strings(calls)
		out = append(out, "the function called Lambda APIs lambdacost run does not serve (answered 404): "+strings.Join(calls, ", ")+
			"; an extension's own INIT, invoke and shutdown time and memory, which Lambda bills within the function's, are not measured, and what the function does when the call fails (the Lambda Web Adapter registers itself as an extension) is not what it does on Lambda")
	}
	if n > 0 {
		out = append(out, fmt.Sprintf("%d invocation(s) kept working after posting their response (%.2f ms in all, post_response_ms): billed, because Lambda's invoke phase ends only when the runtime calls /next for the next event (and the timeout bounds it)", n, post))
	}
	return out
}

// Lambda's per-environment limits ("Lambda quotas": file descriptors
// 1,024; execution processes/threads 1,024).
const (
	lambdaMaxFDs   = 1024
	lambdaMaxTasks = 1024
)

// taskRoot is where the code folder appears in the sandbox, as on Lambda.
const taskRoot = "/var/task"

// initSandbox decides whether environments get namespaces (after the
// cgroups are decided) and adapts the environment variables to them.
func (r *runner) initSandbox() error {
	switch r.cfg.Isolation {
	case IsolationNone, IsolationCgroup:
		r.sbNote = "namespaces not used (isolation " + string(r.cfg.Isolation) + ")"
		return nil
	}
	var sb *sandboxSys
	why := ""
	if r.cgroups == nil {
		why = "no namespaces without cgroups (" + r.cgNote + ")"
	} else {
		sb, why = newSandbox(r)
	}
	if sb == nil {
		if r.cfg.Isolation == IsolationNamespaces {
			return &pricing.ExternalError{Op: "namespaces", Err: errors.New(why)}
		}
		r.sbNote = why
		return nil
	}
	r.sandbox = sb
	for i, kv := range r.baseEnv {
		k, _, _ := strings.Cut(kv, "=")
		if k == "LAMBDA_TASK_ROOT" || k == "LAMBDA_RUNTIME_DIR" {
			r.baseEnv[i] = k + "=" + taskRoot
		}
	}
	return nil
}

// listen makes a new environment's Runtime API listener on 127.0.0.1: in
// its own namespaces when sandboxed.
func (r *runner) listen() (net.Listener, *envBox, error) {
	if r.sandbox != nil {
		b, err := r.sandbox.prepare()
		if err != nil {
			return nil, nil, &pricing.ExternalError{Op: "preparing the environment's sandbox", Err: err}
		}
		return b.ln, b, nil
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, &pricing.ExternalError{Op: "listening on 127.0.0.1", Err: err}
	}
	return ln, nil, nil
}

// sandboxNotes says what the isolation of this run guaranteed and what not.
func (r *runner) sandboxNotes() []string {
	var out []string
	if r.sandbox != nil {
		out = append(out, "isolation namespaces+cgroup: "+r.sandbox.describe())
	} else {
		out = append(out, fmt.Sprintf("isolation %s (%s): the function runs as this machine's user %d with its file system and network: "+
			"/tmp is the machine's (not private, not limited to the %d MB of ephemeral storage, not cleaned up), the operator's home is readable, "+
			"and the Runtime API port on 127.0.0.1 is reachable by every local user", r.isolationName(), r.sbNote, os.Geteuid(), r.cfg.Function.EphemeralStorageMB))
	}
	switch {
	case r.cgroups != nil && r.cgroups.countsTasks():
		out = append(out, "processes/threads: at most 1,024 per environment (cgroup pids.max), as on Lambda; a fork past it fails with EAGAIN inside the function")
	case r.sandbox != nil:
		out = append(out, "processes/threads: RLIMIT_NPROC 1,024 on the bootstrap (no cgroup pids controller here): it counts the processes of the environment's own user, so per environment, as on Lambda")
	default:
		out = append(out, "processes/threads: not limited (no cgroup pids controller; RLIMIT_NPROC would count all of the user's processes on this machine and does not bind root)")
	}
	out = append(out, "file descriptors: 1,024 per process of the environment (RLIMIT_NOFILE, soft and hard, set on the bootstrap and inherited); Lambda counts 1,024 for the whole environment")
	return out
}
