//go:build !linux

package runner

import (
	"syscall"

	"golang.org/x/sys/unix"
)

// Elsewhere the ordinary system calls are used (see rawio_linux.go).

func rawRead(fd uintptr, b []byte) (int, syscall.Errno) {
	n, err := syscall.Read(int(fd), b)
	return max(n, 0), errnoOf(err)
}

func rawWrite(fd uintptr, b []byte) (int, syscall.Errno) {
	n, err := syscall.Write(int(fd), b)
	return max(n, 0), errnoOf(err)
}

func rawPread(fd int, b []byte) (int, error) { return unix.Pread(fd, b, 0) }

func errnoOf(err error) syscall.Errno {
	if err == nil {
		return 0
	}
	if e, ok := err.(syscall.Errno); ok {
		return e
	}
	return syscall.EIO
}
