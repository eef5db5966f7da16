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
