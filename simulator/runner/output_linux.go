//go:build linux

package runner

import (
	"os"

	"golang.org/x/sys/unix"
)

// pipeAvail is the number of bytes waiting to be read in pipe fd.
func pipeAvail(fd uintptr) int {
	n, err := unix.IoctlGetInt(int(fd), unix.TIOCINQ) // = FIONREAD
	if err != nil {
		return 0
	}
	return n
}

// growPipe raises the pipe's capacity to 1 MiB (the default
// /proc/sys/fs/pipe-max-size) from 64 KiB, so that a burst of output does
// not block the function while the reader is scheduled; failure is
// harmless.
func growPipe(f *os.File) {
	if rc, err := f.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) { _, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, 1<<20) })
	}
}
