//go:build linux

package runner

import (
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// rawPeek peeks at one byte of a socket without waiting or consuming it
// (recv with MSG_PEEK|MSG_DONTWAIT), without allocating: since the invoke
// phase ends at GET /next, that request usually waits for its event, and
// peerGone runs on every invocation.
func rawPeek(fd uintptr, b *[1]byte) (int, syscall.Errno) {
	for {
		n, _, errno := unix.RawSyscall6(unix.SYS_RECVFROM, fd, uintptr(unsafe.Pointer(&b[0])), 1, unix.MSG_PEEK|unix.MSG_DONTWAIT, 0, 0)
		if errno != unix.EINTR {
			return int(n), errno
		}
	}
}
