// Package outfile writes the files lambdacost produces (datasets, results,
// price files, HTML reports) so that a crash, a kill or a full disk never
// leaves a truncated file that looks valid, and a failed write is never
// reported as written.
//
// A regular file (or a path that does not exist yet) is replaced
// atomically: the content goes to a temporary file in the same folder as
// the final file (the symlink's target when the path is a symlink, so the
// link stays a link), is flushed and fsynced, and is renamed onto the
// target; two processes writing the same path each leave one whole file.
// A character device or a named pipe (/dev/stdout, /dev/null, a shell's
// >(…)) is written into directly and never replaced. Anything else (a
// directory, a block device, a socket) is refused.
package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"

	"github.com/lambdacost/lambdacost/pricing"
)

// maxLinks bounds symlink resolution (Linux's own limit is 40).
const maxLinks = 40

// Target resolves path through its symlinks (also a dangling one: the
// file it names is created) and returns the file that a write replaces,
// and its current mode (nil when it does not exist yet).
func Target(path string) (string, fs.FileInfo, error) {
	p := path
	for range maxLinks {
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return p, nil, nil
		}
		if err != nil {
			return p, nil, err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			return p, fi, nil
		}
		link, err := os.Readlink(p)
		if err != nil {
			return p, nil, err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(p), link)
		}
		p = link
	}
	return p, nil, fmt.Errorf("too many levels of symbolic links")
}

// name is how errors name the file: the path given, and the target when a
// symlink led elsewhere.
func name(path, target string) string {
	if target == path {
		return path
	}
	return fmt.Sprintf("%s (→ %s)", path, target)
}

// kind describes a non-regular file for the refusal message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeDevice != 0 && m&fs.ModeCharDevice == 0:
		return "a block device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeIrregular != 0:
		return "an irregular file"
	}
	return "not a regular file"
}

// direct reports whether a file of mode m is written into rather than
// replaced: character devices and named pipes.
func direct(m fs.FileMode) bool {
	return m&fs.ModeCharDevice != 0 || m&fs.ModeNamedPipe != 0
}

// check classifies the target: an *pricing.InputError (exit 2) for a
// file that must not be replaced, else nil.
func check(flag, path, target string, fi fs.FileInfo) error {
	if fi == nil || fi.Mode().IsRegular() || direct(fi.Mode()) {
		return nil
	}
	return pricing.Inputf(flag, "cannot write %s: it is %s; give a file path", name(path, target), kind(fi.Mode()))
}

// Check finds out, before any long work, whether Write(path) can succeed:
// the path is not a directory or other non-regular file, and its folder
// exists and lets us create a file there (probed with a temporary file
// that is removed at once). flag names the option in errors ("--out").
// A path that must not be replaced, or in a folder that does not exist, is
// an *pricing.InputError; a folder we may not write into is an
// *pricing.ExternalError naming the path.
func Check(flag, path string) error {
	target, fi, err := Target(path)
	if err != nil {
		return &pricing.ExternalError{Op: "write " + name(path, target), Err: err}
	}
	if err := check(flag, path, target, fi); err != nil {
		return err
	}
	if fi != nil && direct(fi.Mode()) {
		fh, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return &pricing.ExternalError{Op: "write " + name(path, target), Err: unwrapPath(err)}
		}
		return fh.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".check-*")
	if err != nil {
		return createErr(flag, path, target, err)
	}
	tmp.Close()
	return os.Remove(tmp.Name())
}

// createErr classifies a failure to create the temporary file: a folder
// that does not exist (or a path through a regular file) is the user's
// input, an *pricing.InputError; anything else (permissions, a read-only
// or full file system) is an *pricing.ExternalError.
func createErr(flag, path, target string, err error) error {
	switch {
	case errors.Is(err, syscall.ENOTDIR):
		return pricing.Inputf(flag, "cannot write %s: %s is not a folder", name(path, target), filepath.Dir(target))
	case errors.Is(err, fs.ErrNotExist):
		return pricing.Inputf(flag, "cannot write %s: the folder %s does not exist", name(path, target), filepath.Dir(target))
	}
	return &pricing.ExternalError{Op: "write " + name(path, target), Err: unwrapPath(err)}
}

// CheckAll runs Check for each flag → path given (empty paths are
// skipped), in flag order, and returns the first failure.
func CheckAll(paths map[string]string) error {
	flags := make([]string, 0, len(paths))
	for f := range paths {
		flags = append(flags, f)
	}
	sort.Strings(flags)
	for _, f := range flags {
		if p := paths[f]; p != "" {
			if err := Check(f, p); err != nil {
				return err
			}
		}
	}
	return nil
}

// unwrapPath drops a *fs.PathError's own (temporary) path: the message
// names the user's path instead.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// errWriter records the first write error, so that an I/O failure is told
// apart from the content function's own errors.
type errWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.n += int64(n)
	if err != nil {
		e.err = err
	}
	return n, err
}

// Write writes the content produced by content to path (see the package
// comment for how). flag names the option in errors ("--html"). I/O
// failures (a full disk, a folder we may not write into) are an
// *pricing.ExternalError naming the path (exit 3); a path that must not be
// replaced is an *pricing.InputError (exit 2); content's own errors are
// returned as they are. On any error the previous file is left as it was.
func Write(flag, path string, content func(io.Writer) error) error {
	target, fi, err := Target(path)
	if err != nil {
		return &pricing.ExternalError{Op: "write " + name(path, target), Err: err}
	}
	if err := check(flag, path, target, fi); err != nil {
		return err
	}
	fail := func(err error) error {
		return &pricing.ExternalError{Op: "write " + name(path, target), Err: unwrapPath(err)}
	}
	if fi != nil && direct(fi.Mode()) {
		fh, err := os.OpenFile(target, os.O_WRONLY, 0)
		if err != nil {
			return fail(err)
		}
		ew := &errWriter{w: fh}
		bw := bufio.NewWriterSize(ew, 64<<10)
		cerr := content(bw)
		if cerr == nil {
			cerr = bw.Flush()
		}
		closeErr := fh.Close()
		switch {
		case ew.err != nil:
			return fail(ew.err)
		case cerr != nil:
			return cerr
		case closeErr != nil:
			return fail(closeErr)
		}
		return nil
	}

	dir := filepath.Dir(target)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return createErr(flag, path, target, err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	ew := &errWriter{w: tmp}
	bw := bufio.NewWriterSize(ew, 64<<10)
	if err := content(bw); err != nil {
		if ew.err != nil {
			return fail(ew.err)
		}
		return err
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	mode := fs.FileMode(0o644)
	if fi != nil {
		mode = fi.Mode().Perm()
	}
	if err := tmp.Chmod(mode); err != nil {
		return fail(err)
	}
	// fsync before the rename: after a crash the name points at the old
	// content or the whole new content, never at a file whose blocks
	// were not written yet.
	if err := tmp.Sync(); err != nil {
		return fail(err)
	}
	if err := tmp.Close(); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return fail(err)
	}
	committed = true
	// The rename itself is durable once the folder is synced; a folder
	// that cannot be synced (some network file systems) is no failure of
	// the write.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// WriteBytes writes b to path like Write.
func WriteBytes(flag, path string, b []byte) error {
	return Write(flag, path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
