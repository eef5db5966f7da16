package runner

import (
	"os"
	"syscall"
)

// exitPeakRSS is the peak resident set of a reaped process (and of the
// descendants it waited for), from the rusage wait4(2) returned: the
// kernel keeps it after the process's memory is gone, so a crash or a
// failed INIT still reports what the process used. ru_maxrss is in KiB on
// Linux.
//
// It is not the process's own peak alone: at exec the kernel folds the
// peak of the memory the process had before (its parent's, shared by
// vfork, as Go starts commands) into ru_maxrss, so a 9 MB function started
// by a runner that once held 160 MB reports 160 MB. Only a value above
// the runner's own peak when the process was started (env.forkHWM) is
// the process's own; peakRSS ignores the rest.
func exitPeakRSS(ps *os.ProcessState) (int64, bool) {
	if ps == nil {
		return 0, false
	}
	ru, ok := ps.SysUsage().(*syscall.Rusage)
	if !ok || ru == nil || ru.Maxrss <= 0 {
		return 0, false
	}
	return int64(ru.Maxrss) << 10, true
}

// selfPeakRSS is this process's VmHWM in bytes (0 where unknown).
func selfPeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	kb, _ := statValue(b, "VmHWM")
	return kb << 10
}
