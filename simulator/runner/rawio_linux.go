//go:build linux

package runner

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// The Runtime API's socket I/O and the per-invocation statistics reads are
// made as raw system calls, which do not tell the Go scheduler that the
// thread may block. A system call made the ordinary way that lasts longer
// than the scheduler monitor's 20 µs tick has its P (the right to run Go
// code) handed to another thread, which must be woken, and the caller
// then waits to get a P back. On loopback a write delivers the data and
// wakes the reader in the writer's context, which on the 2-vCPU micro-VM
// the benchmarks run on takes about that long: every write moved the
// runner between threads (BENCHMARKS.md, Runner: ~10 µs of CPU per
// invocation). These calls never block: the sockets are non-blocking
// (EAGAIN goes to the network poller as before) and procfs and cgroupfs
// reads are computed on the spot.

// rawRead reads from a non-blocking fd.
func rawRead(fd uintptr, b []byte) (int, syscall.Errno) { return rawIO(unix.SYS_READ, fd, b) }

// rawWrite writes to a non-blocking fd.
func rawWrite(fd uintptr, b []byte) (int, syscall.Errno) { return rawIO(unix.SYS_WRITE, fd, b) }

// rawIO makes read(2) or write(2) on b, again on EINTR.
func rawIO(sysno, fd uintptr, b []byte) (int, syscall.Errno) {
	if len(b) == 0 {
		return 0, 0
	}
	for {
		n, _, errno := unix.RawSyscall(sysno, fd, uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
		if errno != unix.EINTR {
			return int(n), errno
		}
	}
}

// rawPread reads a statistics file from offset 0.
func rawPread(fd int, b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for {
		n, _, errno := unix.RawSyscall6(unix.SYS_PREAD64, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)), 0, 0, 0)
		switch errno {
		case 0:
			return int(n), nil
		case unix.EINTR:
		default:
			return int(n), errno
		}
	}
}

// rawClockGettime reads a clock (such as another process's CPU clock,
// which the vDSO does not serve).
func rawClockGettime(clk int32, ts *unix.Timespec) error {
	_, _, errno := unix.RawSyscall(unix.SYS_CLOCK_GETTIME, uintptr(clk), uintptr(unsafe.Pointer(ts)), 0)
	if errno != 0 {
		return errno
	}
	return nil
}
