package runner

import (
	"bytes"
	"os"
	"strconv"
)

// statFile is a kernel statistics file (procfs, cgroupfs) kept open and
// re-read with pread at offset 0, which regenerates its content: one
// system call per reading instead of open, read and close.
type statFile struct {
	f  *os.File
	fd int
}

func openStatFile(path string) *statFile {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil
	}
	return &statFile{f: f, fd: int(f.Fd())}
}

// read fills buf with the file's current content.
func (s *statFile) read(buf []byte) []byte {
	if s == nil {
		return nil
	}
	n, err := rawPread(s.fd, buf)
	if err != nil || n <= 0 {
		return nil
	}
	return buf[:n]
}

func (s *statFile) close() {
	if s != nil {
		_ = s.f.Close()
	}
}

// statusFile opens /proc/PID/status, whose VmHWM line is the peak resident
// set size of the process (tracked by the kernel, exact for that process).
func statusFile(pid int) *statFile { return openStatFile("/proc/" + strconv.Itoa(pid) + "/status") }

// statValue parses the number in b: the whole content when key is empty,
// else the value on the line starting with key (followed by ':' or ' ').
func statValue(b []byte, key string) (int64, bool) {
	if key != "" {
		for len(b) > 0 {
			line := b
			if i := bytes.IndexByte(b, '\n'); i >= 0 {
				line, b = b[:i], b[i+1:]
			} else {
				b = nil
			}
			if len(line) > len(key) && string(line[:len(key)]) == key && (line[len(key)] == ':' || line[len(key)] == ' ') {
				return parseLeadingInt(line[len(key)+1:])
			}
		}
		return 0, false
	}
	return parseLeadingInt(b)
}

func parseLeadingInt(b []byte) (int64, bool) {
	b = bytes.TrimLeft(b, " \t")
	var v int64
	n := 0
	for n < len(b) && b[n] >= '0' && b[n] <= '9' {
		v = v*10 + int64(b[n]-'0')
		n++
	}
	return v, n > 0
}
