//go:build linux

package runner

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// cfsPeriod is the CFS bandwidth period of the CPU quota: quota = vCPU ×
// period. 100 ms is the kernel's default; a handler can run unthrottled for
// vCPU × 100 ms of CPU in each period, as on Lambda's own CFS quotas.
const cfsPeriod = 100 * time.Millisecond

// cgroupSys is the cgroup hierarchy the runner may create environments in:
// either cgroup v1 (one directory per controller) or v2 (one unified
// directory). Children are created under the runner's own cgroup, so they
// stay inside whatever limits the runner itself runs under.
type cgroupSys struct {
	v2     bool
	v2pids bool // v2 children have the pids controller
	// parent per controller ("cpu", "cpuacct", "memory"; v2: "unified").
	parent map[string]string
	seq    atomic.Int64
}

// detectCgroups finds a writable cgroup hierarchy with the cpu and memory
// controllers. It returns nil and the reason when there is none.
func detectCgroups() (*cgroupSys, string) {
	own, err := readOwnCgroups()
	if err != nil {
		return nil, "cannot read /proc/self/cgroup: " + err.Error()
	}
	mounts, err := cgroupMounts()
	if err != nil {
		return nil, "cannot read /proc/self/mountinfo: " + err.Error()
	}
	// cgroup v1 (also the "hybrid" layout: v1 controllers plus an empty v2).
	v1 := map[string]string{}
	for _, ctrl := range []string{"cpu", "cpuacct", "memory", "pids"} {
		m, ok := mounts.v1[ctrl]
		if !ok {
			continue
		}
		p, ok := own.v1[ctrl]
		if !ok {
			continue
		}
		v1[ctrl] = filepath.Join(m.point, relTo(p, m.root))
	}
	if v1["cpu"] != "" && v1["memory"] != "" {
		s := &cgroupSys{parent: v1}
		s.removeStale()
		if reason := s.probe(); reason != "" {
			return nil, reason
		}
		return s, ""
	}
	if mounts.v2 != nil && own.v2 != "" {
		dir := filepath.Join(mounts.v2.point, relTo(own.v2, mounts.v2.root))
		ctrls, _ := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
		have := strings.Fields(string(ctrls))
		if !contains(have, "cpu") || !contains(have, "memory") {
			return nil, "cgroup v2: the cpu and memory controllers are not delegated to " + dir
		}
		// Children only get controllers listed in our subtree_control; a
		// non-root cgroup that holds processes cannot enable them (the
		// "no internal processes" rule), which then fails here.
		sub, _ := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control"))
		if !contains(strings.Fields(string(sub)), "cpu") || !contains(strings.Fields(string(sub)), "memory") {
			if err := os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+cpu +memory"), 0); err != nil {
				return nil, "cgroup v2: cannot enable cpu and memory for child cgroups of " + dir + ": " + err.Error()
			}
		}
		s := &cgroupSys{v2: true, parent: map[string]string{"unified": dir}}
		// The pids controller (Lambda's 1,024 processes/threads), where
		// it can be delegated.
		if contains(have, "pids") {
			if contains(strings.Fields(string(sub)), "pids") || os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+pids"), 0) == nil {
				s.v2pids = true
			}
		}
		s.removeStale()
		if reason := s.probe(); reason != "" {
			return nil, reason
		}
		return s, ""
	}
	return nil, "no cgroup hierarchy with the cpu and memory controllers is mounted"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// relTo returns the cgroup path p relative to a mount whose root is root.
func relTo(p, root string) string {
	if root == "/" || root == "" {
		return p
	}
	if r, err := filepath.Rel(root, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// removeStale deletes the empty cgroups left by a runner that was killed
// (SIGKILL) before it could clean up: lambdacost-PID-N with PID gone.
func (s *cgroupSys) removeStale() {
	for _, parent := range s.parent {
		matches, _ := filepath.Glob(filepath.Join(parent, "lambdacost-*-*"))
		for _, m := range matches {
			parts := strings.Split(filepath.Base(m), "-")
			pid, err := strconv.Atoi(parts[1])
			if err != nil || pid == os.Getpid() {
				continue
			}
			if err := syscall.Kill(pid, 0); err == syscall.ESRCH {
				_ = os.Remove(m) // fails harmlessly if processes remain
			}
		}
	}
}

// probe creates a child cgroup, starts a shell in it that prints its own
// cgroups, and removes it, to learn whether the whole path works here.
func (s *cgroupSys) probe() string {
	cg, err := s.create(128, 1)
	if err != nil {
		return "cannot create cgroups: " + err.Error()
	}
	defer cg.remove()
	sh, err := exec.LookPath("sh")
	if err != nil {
		return "" // nothing to start a probe with; creating cgroups works
	}
	cmd := exec.Command(sh, "-c", "cat /proc/self/cgroup")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var out strings.Builder
	cmd.Stdout = &out
	if err := cg.start(cmd); err != nil {
		return "cannot start a process in a cgroup: " + err.Error()
	}
	if err := cmd.Wait(); err != nil {
		return "probe process failed: " + err.Error()
	}
	// Each hierarchy's line (id:controllers:path) must end in our cgroup.
	landed := map[string]bool{}
	for _, line := range strings.Split(out.String(), "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		ctrls := strings.Split(parts[1], ",")
		if parts[1] == "" {
			ctrls = []string{"unified"}
		}
		for _, c := range ctrls {
			if d, ok := cg.dirs[c]; ok && strings.HasSuffix(parts[2], "/"+filepath.Base(d)) {
				landed[c] = true
			}
		}
	}
	for ctrl := range cg.dirs {
		if !landed[ctrl] {
			return "a process started for a cgroup did not land in it (" + ctrl + ")"
		}
	}
	return ""
}

type ownCgroups struct {
	v1 map[string]string
	v2 string
}

func readOwnCgroups() (ownCgroups, error) {
	f, err := os.Open("/proc/self/cgroup")
	if err != nil {
		return ownCgroups{}, err
	}
	defer f.Close()
	out := ownCgroups{v1: map[string]string{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		parts := strings.SplitN(sc.Text(), ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			out.v2 = parts[2]
			continue
		}
		for _, c := range strings.Split(parts[1], ",") {
			out.v1[c] = parts[2]
		}
	}
	return out, sc.Err()
}

type cgMount struct{ point, root string }

type mountSet struct {
	v1 map[string]cgMount
	v2 *cgMount
}

func cgroupMounts() (mountSet, error) {
	f, err := os.Open("/proc/self/mountinfo")
	if err != nil {
		return mountSet{}, err
	}
	defer f.Close()
	out := mountSet{v1: map[string]cgMount{}}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// id parent maj:min root point opts [optional...] - fstype source superopts
		fields := strings.Fields(sc.Text())
		sep := -1
		for i, x := range fields {
			if x == "-" {
				sep = i
				break
			}
		}
		if sep < 0 || len(fields) < sep+4 || len(fields) < 5 {
			continue
		}
		root, point, fstype := fields[3], fields[4], fields[sep+1]
		switch fstype {
		case "cgroup2":
			out.v2 = &cgMount{point, root}
		case "cgroup":
			for _, o := range strings.Split(fields[sep+3], ",") {
				switch o {
				case "cpu", "cpuacct", "memory", "pids":
					out.v1[o] = cgMount{point, root}
				}
			}
		}
	}
	return out, sc.Err()
}

// cgroup is one environment's cgroup (a directory per v1 controller, or one
// v2 directory).
type cgroup struct {
	sys  *cgroupSys
	dirs map[string]string
}

// create makes a child cgroup limited to memMB of memory (no swap) and vcpu
// CPUs (CFS quota).
func (s *cgroupSys) create(memMB int, vcpu float64) (*cgroup, error) {
	name := fmt.Sprintf("lambdacost-%d-%d", os.Getpid(), s.seq.Add(1))
	cg := &cgroup{sys: s, dirs: map[string]string{}}
	made := map[string]bool{}
	for ctrl, parent := range s.parent {
		d := filepath.Join(parent, name)
		cg.dirs[ctrl] = d
		if made[d] {
			continue // co-mounted controllers (cpu,cpuacct) share a directory
		}
		if err := os.Mkdir(d, 0o755); err != nil {
			cg.remove()
			return nil, err
		}
		made[d] = true
	}
	limit := strconv.FormatInt(int64(memMB)<<20, 10)
	period := cfsPeriod.Microseconds()
	quota := int64(math.Max(1000, math.Round(vcpu*float64(period))))
	var err error
	if s.v2 {
		d := cg.dirs["unified"]
		err = errors.Join(
			writeFile(d, "memory.max", limit),
			writeFileOptional(d, "memory.swap.max", "0"),
			writeFile(d, "cpu.max", fmt.Sprintf("%d %d", quota, period)),
		)
		if s.v2pids {
			err = errors.Join(err, writeFile(d, "pids.max", strconv.Itoa(lambdaMaxTasks)))
		}
	} else {
		m, c := cg.dirs["memory"], cg.dirs["cpu"]
		err = errors.Join(
			writeFile(m, "memory.limit_in_bytes", limit),
			writeFileOptional(m, "memory.memsw.limit_in_bytes", limit),
			writeFile(c, "cpu.cfs_period_us", strconv.FormatInt(period, 10)),
			writeFile(c, "cpu.cfs_quota_us", strconv.FormatInt(quota, 10)),
		)
		if p, ok := cg.dirs["pids"]; ok {
			err = errors.Join(err, writeFile(p, "pids.max", strconv.Itoa(lambdaMaxTasks)))
		}
	}
	if err != nil {
		cg.remove()
		return nil, err
	}
	return cg, nil
}

func writeFile(dir, name, v string) error {
	if err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// writeFileOptional writes a setting that some kernels lack (swap accounting).
func writeFileOptional(dir, name, v string) error {
	err := os.WriteFile(filepath.Join(dir, name), []byte(v), 0)
	if err != nil && !errors.Is(err, os.ErrNotExist) && !errors.Is(err, os.ErrPermission) && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// start starts cmd inside the cgroup, so that every process it forks is
// limited from its first instruction.
//
// cgroup v2: clone(2) with CLONE_INTO_CGROUP (SysProcAttr.UseCgroupFD).
// cgroup v1 has no such flag, but it does place individual threads: the
// starting goroutine locks itself to an OS thread, moves that thread (by
// TID) into the environment's cgroups, forks the child from it (a child
// inherits the cgroups of the thread that forked it), and moves the thread
// back. Should moving back fail, the thread stays locked and is discarded
// when the goroutine ends.
func (cg *cgroup) start(cmd *exec.Cmd) error {
	if cg.sys.v2 {
		_, err := cg.startFromThread(cmd)
		return err
	}
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		back, err := cg.startFromThread(cmd)
		if back {
			runtime.UnlockOSThread()
		}
		errc <- err
	}()
	return <-errc
}

// startFromThread starts cmd in the cgroup from the calling thread, which
// must be locked to its goroutine under cgroup v1 (see start). It reports
// whether the thread is back in the runner's own cgroups; when it is not,
// the child is killed (its parent-death signal follows this thread, which
// must then be discarded) and an error returned.
func (cg *cgroup) startFromThread(cmd *exec.Cmd) (back bool, err error) {
	if cg.sys.v2 {
		fd, err := unix.Open(cg.dirs["unified"], unix.O_DIRECTORY|unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			return true, err
		}
		defer unix.Close(fd)
		cmd.SysProcAttr.UseCgroupFD = true
		cmd.SysProcAttr.CgroupFD = fd
		return true, cmd.Start()
	}
	tid := strconv.Itoa(unix.Gettid())
	for ctrl, d := range cg.dirs {
		if err = writeFile(d, "tasks", tid); err != nil {
			err = fmt.Errorf("moving into the %s cgroup: %w", ctrl, err)
			break
		}
	}
	if err == nil {
		err = cmd.Start()
	}
	back = true
	for ctrl := range cg.dirs {
		if writeFile(cg.sys.parent[ctrl], "tasks", tid) != nil {
			back = false
		}
	}
	if !back && err == nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		err = errors.New("cannot move the starting thread back out of the environment's cgroup")
	}
	return back, err
}

// cpuStat names the file holding the cgroup's CPU time, the key of the
// line to read ("" = the whole file is the number) and its unit.
func (cg *cgroup) cpuStat() (path, key string, unit time.Duration) {
	if cg.sys.v2 {
		return filepath.Join(cg.dirs["unified"], "cpu.stat"), "usage_usec", time.Microsecond
	}
	if d, ok := cg.dirs["cpuacct"]; ok {
		return filepath.Join(d, "cpuacct.usage"), "", time.Nanosecond
	}
	return "", "", 0
}

// peakStat names the file holding the cgroup's peak memory since it was
// created, in bytes (v2 needs Linux 5.19 for memory.peak).
func (cg *cgroup) peakStat() string {
	if cg.sys.v2 {
		return filepath.Join(cg.dirs["unified"], "memory.peak")
	}
	return filepath.Join(cg.dirs["memory"], "memory.max_usage_in_bytes")
}

// oomKilled reports whether the kernel's OOM killer acted in the cgroup.
func (cg *cgroup) oomKilled() bool {
	var name, key string
	var dir string
	if cg.sys.v2 {
		dir, name, key = cg.dirs["unified"], "memory.events", "oom_kill"
	} else {
		dir, name, key = cg.dirs["memory"], "memory.oom_control", "oom_kill"
	}
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+" "); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n > 0
		}
	}
	return false
}

// killAll sends SIGKILL to every process in the cgroup (also those that left
// the environment's process group).
func (cg *cgroup) killAll() {
	for _, d := range cg.dirs {
		b, err := os.ReadFile(filepath.Join(d, "cgroup.procs"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(b)) {
			if pid, err := strconv.Atoi(f); err == nil && pid > 0 {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	}
}

// remove deletes the cgroup directories, waiting briefly for killed
// processes to leave them.
func (cg *cgroup) remove() {
	for ctrl, d := range cg.dirs {
		for i := 0; i < 200; i++ {
			err := os.Remove(d)
			if err == nil || errors.Is(err, os.ErrNotExist) {
				break
			}
			if !errors.Is(err, syscall.EBUSY) {
				break
			}
			cg.killAll()
			time.Sleep(5 * time.Millisecond)
		}
		delete(cg.dirs, ctrl)
	}
}

// countsTasks reports whether environments' cgroups limit processes and
// threads (pids.max = 1,024).
func (s *cgroupSys) countsTasks() bool {
	if s == nil {
		return false
	}
	if s.v2 {
		return s.v2pids
	}
	_, ok := s.parent["pids"]
	return ok
}

// setCPU changes the cgroup's CPU quota to vcpu CPUs (used when INIT, which
// ran with the burst quota, ends).
func (cg *cgroup) setCPU(vcpu float64) error {
	period := cfsPeriod.Microseconds()
	quota := int64(math.Max(1000, math.Round(vcpu*float64(period))))
	if cg.sys.v2 {
		return writeFile(cg.dirs["unified"], "cpu.max", fmt.Sprintf("%d %d", quota, period))
	}
	return writeFile(cg.dirs["cpu"], "cpu.cfs_quota_us", strconv.FormatInt(quota, 10))
}
