//go:build !linux

package runner

import (
	"syscall"

	"golang.org/x/sys/unix"
)

func rawPeek(fd uintptr, b *[1]byte) (int, syscall.Errno) {
	n, _, err := unix.Recvfrom(int(fd), b[:], unix.MSG_PEEK|unix.MSG_DONTWAIT)
	return max(n, 0), errnoOf(err)
}
