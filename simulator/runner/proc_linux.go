//go:build linux

package runner

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// processCPU is the CPU time used so far by every thread of process pid
// (its process-wide CPU clock, CPUCLOCK_SCHED; nanosecond precision; the
// CPU of child processes is not included).
func processCPU(pid int) (time.Duration, bool) {
	// clock_getcpuclockid(3): ((~pid) << 3) | CPUCLOCK_SCHED (2).
	clk := int32((^pid)<<3 | 2)
	var ts unix.Timespec
	if err := rawClockGettime(clk, &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}

// sysProcAttr puts the environment in its own process group and has the
// kernel kill it should the runner die.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// killGroup sends SIGKILL to process group pgid.
func killGroup(pgid int) { _ = syscall.Kill(-pgid, syscall.SIGKILL) }

// groupAlive reports whether any process of group pgid is still running.
// Zombies (dead, waiting for their parent to reap them) do not count: a
// killed grandchild is reparented to init, which reaps it on its own time.
func groupAlive(pgid int) bool {
	if err := syscall.Kill(-pgid, 0); err == syscall.ESRCH {
		return false
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		return true // cannot tell: assume it is
	}
	alive := false
	eachProcStat(func(_ int, fields [][]byte) bool {
		if len(fields) < 3 {
			return true
		}
		if pg, _ := strconv.Atoi(string(fields[2])); pg == pgid && fields[0][0] != 'Z' && fields[0][0] != 'X' {
			alive = true
			return false
		}
		return true
	})
	return alive
}

// eachProcStat calls fn with each process's pid and the fields of its
// /proc/PID/stat after the command name (state, ppid, pgrp, ...; the
// name may contain spaces, so fields start after its closing parenthesis),
// until fn returns false. The fields alias a buffer reused for the next
// process.
func eachProcStat(fn func(pid int, fields [][]byte) bool) {
	dir, err := os.Open("/proc")
	if err != nil {
		return
	}
	defer dir.Close()
	names, _ := dir.Readdirnames(-1)
	var buf [512]byte
	for _, n := range names {
		if n[0] < '0' || n[0] > '9' {
			continue
		}
		pid, err := strconv.Atoi(n)
		if err != nil {
			continue
		}
		f, err := os.Open("/proc/" + n + "/stat")
		if err != nil {
			continue
		}
		k, _ := f.Read(buf[:])
		f.Close()
		b := buf[:k]
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := bytes.Fields(b[i+1:])
		if len(fields) == 0 {
			continue
		}
		if !fn(pid, fields) {
			return
		}
	}
}
