//go:build linux

package runner

import (
	"bytes"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// Without cgroups, a process that leaves the environment's process group
// (setsid, a daemon's double fork) escapes killGroup and, once its parent
// dies, would be re-parented to init and outlive the run. The runner makes
// itself a child subreaper (PR_SET_CHILD_SUBREAPER): orphans of its
// environments are re-parented to the runner instead, where they can be
// found and killed, and their exit reaped. An environment's processes are
// found as the descendants of its bootstrap (parent links in /proc) plus
// the runner's orphans that carry the environment's own
// AWS_LAMBDA_RUNTIME_API address (inherited by every process it starts).

var subreaperOnce sync.Once

// becomeSubreaper marks this process a child subreaper (once).
func becomeSubreaper() {
	subreaperOnce.Do(func() { _ = unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) })
}

// procTable maps every pid to its parent.
func procTable() map[int]int {
	out := map[int]int{}
	eachProcStat(func(pid int, fields [][]byte) bool {
		if len(fields) >= 2 {
			ppid, _ := strconv.Atoi(string(fields[1]))
			out[pid] = ppid
		}
		return true
	})
	return out
}

// hasEnv reports whether process pid's environment holds kv.
func hasEnv(pid int, kv string) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/environ")
	if err != nil {
		return false
	}
	for _, v := range bytes.Split(b, []byte{0}) {
		if string(v) == kv {
			return true
		}
	}
	return false
}

// envProcesses lists the processes of the environment whose bootstrap is
// leader and whose Runtime API address is apiAddr, leader excluded.
func envProcesses(leader int, apiAddr string) []int {
	table := procTable()
	self := os.Getpid()
	children := map[int][]int{}
	var roots []int
	for pid, ppid := range table {
		children[ppid] = append(children[ppid], pid)
		if ppid == self && pid != leader && hasEnv(pid, "AWS_LAMBDA_RUNTIME_API="+apiAddr) {
			roots = append(roots, pid)
		}
	}
	var out []int
	seen := map[int]bool{leader: true}
	queue := append(children[leader], roots...)
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
		queue = append(queue, children[p]...)
	}
	return out
}

// killEscaped kills every process of the environment outside its process
// group, before the leader is killed (while parent links still lead to
// it), and returns them for reapEscaped.
func killEscaped(leader int, apiAddr string) []int {
	var all []int
	for round := 0; round < 3; round++ {
		ps := envProcesses(leader, apiAddr)
		if len(ps) == 0 {
			break
		}
		for _, p := range ps {
			_ = syscall.Kill(p, syscall.SIGKILL)
		}
		all = append(all, ps...)
	}
	return all
}

// reapEscaped collects the exit of killed processes re-parented to the
// runner (a subreaper), so none is left as a zombie; processes that are
// not the runner's children are not touched (ECHILD).
func reapEscaped(pids []int) {
	deadline := time.Now().Add(2 * time.Second)
	for _, p := range pids {
		for {
			var ws syscall.WaitStatus
			got, err := syscall.Wait4(p, &ws, syscall.WNOHANG, nil)
			if got == p || err != nil {
				break // reaped, or not (or no longer) our child
			}
			if time.Now().After(deadline) {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
}
