package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestMain doubles as the helper process of the kill and permission
// tests: with OUTFILE_HELPER set it runs one write and exits.
func TestMain(m *testing.M) {
	switch os.Getenv("OUTFILE_HELPER") {
	case "slow":
		// Writes a first chunk, says so on stdout, then blocks inside
		// the content function until it is killed.
		path := os.Getenv("OUTFILE_PATH")
		err := Write("--out", path, func(w io.Writer) error {
			fmt.Fprint(w, strings.Repeat("new content ", 100000))
			if f, ok := w.(*bufio.Writer); ok {
				f.Flush()
			}
			fmt.Println("writing")
			select {}
		})
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	case "repeat":
		// Writes the file 10 times, each time 1 MiB of one letter.
		b := []byte(strings.Repeat(os.Getenv("OUTFILE_LETTER"), 1<<20))
		for range 10 {
			if err := WriteBytes("--out", os.Getenv("OUTFILE_PATH"), b); err != nil {
				fmt.Print(err)
				os.Exit(3)
			}
		}
		os.Exit(0)
	case "write":
		err := WriteBytes("--out", os.Getenv("OUTFILE_PATH"), []byte("x\n"))
		fmt.Print(err)
		if err != nil {
			var xe *pricing.ExternalError
			if errors.As(err, &xe) {
				os.Exit(3)
			}
			os.Exit(2)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// leftovers lists the temporary files left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		if strings.Contains(e.Name(), ".tmp-") || strings.Contains(e.Name(), ".check-") {
			out = append(out, e.Name())
		}
	}
	return out
}

func TestWriteReplacesAtomicallyAndKeepsTheMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ds.json")
	if err := WriteBytes("--out", p, []byte("one\n")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o644 || read(t, p) != "one\n" {
		t.Errorf("new file: mode %v, content %q", fi.Mode(), read(t, p))
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes("--out", p, []byte("two\n")); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 || read(t, p) != "two\n" {
		t.Errorf("replaced file: mode %v (want the old 0600), content %q", fi.Mode(), read(t, p))
	}
	// A failing content function leaves the old file and no temporary.
	boom := errors.New("render failed")
	err := Write("--out", p, func(w io.Writer) error {
		fmt.Fprint(w, "half")
		return boom
	})
	if !errors.Is(err, boom) || read(t, p) != "two\n" || len(leftovers(t, dir)) != 0 {
		t.Errorf("failed render: err %v, content %q, leftovers %v", err, read(t, p), leftovers(t, dir))
	}
}

// /dev/full answers every write with ENOSPC: the error is external (exit
// 3), names the path and the cause, and the device stays a device.
func TestWriteDevFull(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	err := WriteBytes("--html", "/dev/full", []byte(strings.Repeat("x", 200000)))
	var xe *pricing.ExternalError
	if !errors.As(err, &xe) || !strings.Contains(err.Error(), "/dev/full") || !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "no space left on device") {
		t.Errorf("err = %v, want an external error naming /dev/full and ENOSPC", err)
	}
	if fi, err := os.Lstat("/dev/full"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("/dev/full is no longer a character device: %v %v", fi.Mode(), err)
	}
	if err := Check("--html", "/dev/full"); err != nil {
		t.Errorf("Check(/dev/full) = %v; opening it works, only writes fail", err)
	}
}

// Character devices are written into, never replaced.
func TestWriteDevNull(t *testing.T) {
	if err := WriteBytes("--out", "/dev/null", []byte("x")); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat("/dev/null"); err != nil || fi.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/null is no longer a character device: %v %v", fi.Mode(), err)
	}
}

// A directory, a block device and a socket are refused as input errors
// (exit 2) that say what the path is; nothing is created.
func TestWriteRefusesNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "reports")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{sub: "is a directory"}
	blk := filepath.Join(dir, "blk")
	if err := syscall.Mknod(blk, syscall.S_IFBLK|0o600, 7<<8); err == nil { // loop device numbers
		cases[blk] = "is a block device"
	} else {
		t.Logf("no block device test: mknod: %v", err)
	}
	for p, want := range cases {
		for _, err := range []error{WriteBytes("--html", p, []byte("x")), Check("--html", p)} {
			if !pricing.IsInput(err) || !strings.Contains(err.Error(), "--html: cannot write "+p+": it "+want) {
				t.Errorf("%s: err = %v, want an input error saying it %s", p, err, want)
			}
		}
		if fi, _ := os.Lstat(p); fi.Mode().IsRegular() {
			t.Errorf("%s was replaced by a regular file", p)
		}
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("leftovers %v", l)
	}
}

// A symlink stays a symlink: the file it points to (relative to the
// link's folder, through a second link) is replaced, with the temporary
// file in the target's folder. A dangling link creates its target.
func TestWriteThroughSymlinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	links := filepath.Join(dir, "links")
	for _, d := range []string{real, links} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := filepath.Join(real, "report.html")
	mustWrite(t, target, "old")
	if err := os.Symlink("../real/report.html", filepath.Join(links, "hop")); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(links, "report.html")
	if err := os.Symlink("hop", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes("--html", link, []byte("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{link, filepath.Join(links, "hop")} {
		if fi, err := os.Lstat(l); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink", l)
		}
	}
	if read(t, target) != "new" {
		t.Errorf("target = %q", read(t, target))
	}

	dangling := filepath.Join(links, "next.json")
	if err := os.Symlink("../real/next.json", dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes("--out", dangling, []byte("created")); err != nil {
		t.Fatal(err)
	}
	if read(t, filepath.Join(real, "next.json")) != "created" {
		t.Error("the dangling link's target was not created")
	}
	if fi, _ := os.Lstat(dangling); fi.Mode()&fs.ModeSymlink == 0 {
		t.Error("the dangling link was replaced")
	}

	loop := filepath.Join(dir, "loop")
	if err := os.Symlink("loop", loop); err != nil {
		t.Fatal(err)
	}
	var xe *pricing.ExternalError
	if err := WriteBytes("--out", loop, nil); !errors.As(err, &xe) || !strings.Contains(err.Error(), "too many levels of symbolic links") {
		t.Errorf("a symlink loop: %v", err)
	}
}

// A symlink into a directory is refused like the directory.
func TestWriteSymlinkToDirectory(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "out")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes("--out", link, nil); !pricing.IsInput(err) || !strings.Contains(err.Error(), "it is a directory") {
		t.Errorf("err = %v", err)
	}
}

// helper runs this test binary as the helper process (mode) writing path;
// as root it drops to nobody, so that folder permissions apply.
func helper(t *testing.T, mode, path string, asNobody bool) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	if asNobody {
		// The test binary lives in a folder only root may enter: copy it.
		d, err := os.MkdirTemp("", "outfile-helper-")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(exe)
		if err != nil {
			t.Fatal(err)
		}
		exe = filepath.Join(d, "helper")
		if err := os.WriteFile(exe, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), "OUTFILE_HELPER="+mode, "OUTFILE_PATH="+path)
	if asNobody {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
	return cmd
}

// A read-only folder: the write fails with the path and "permission
// denied" (exit 3), and Check finds it up front. Root ignores folder
// permissions, so as root the write runs in a helper process as nobody.
func TestWriteReadOnlyFolder(t *testing.T) {
	base, err := os.MkdirTemp("", "outfile-ro-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(base) })
	if err := os.Chmod(base, 0o755); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(base, "ro")
	if err := os.Mkdir(ro, 0o555); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(ro, "ds.json")
	if os.Geteuid() != 0 {
		var xe *pricing.ExternalError
		for _, err := range []error{WriteBytes("--out", p, []byte("x")), Check("--out", p)} {
			if !errors.As(err, &xe) || !strings.Contains(err.Error(), "write "+p+": permission denied") {
				t.Errorf("err = %v", err)
			}
		}
		return
	}
	out, err := helper(t, "write", p, true).Output()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 3 || string(out) != "write "+p+": permission denied" {
		t.Errorf("as nobody: %v, output %q; want exit 3 and the path with permission denied", err, out)
	}
	if _, err := os.Stat(p); err == nil {
		t.Error("a file was written")
	}
}

// SIGKILL in the middle of a write leaves the previous file whole.
func TestWriteKilledMidway(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ds.json")
	mustWrite(t, p, "previous dataset\n")
	cmd := helper(t, "slow", p, false)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "writing\n" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("helper said %q, %v", line, err)
	}
	// Over a megabyte is in the temporary file by now.
	if l := leftovers(t, dir); len(l) != 1 {
		t.Errorf("temporary files while writing: %v", l)
	} else if fi, _ := os.Stat(filepath.Join(dir, l[0])); fi.Size() < 1<<20 {
		t.Errorf("temporary file has %d bytes", fi.Size())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	if got := read(t, p); got != "previous dataset\n" {
		t.Errorf("after SIGKILL the file holds %d bytes %q…", len(got), got[:min(len(got), 30)])
	}
}

// Writers racing on one path: every version a reader sees is one whole
// write, never a mix.
func TestConcurrentWritersDoNotInterleave(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.json")
	contents := []string{strings.Repeat("a", 300000), strings.Repeat("b", 200000)}
	var wg sync.WaitGroup
	for _, c := range contents {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				if err := WriteBytes("--out", p, []byte(c)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	for reads := 0; ; reads++ {
		select {
		case <-done:
			got := read(t, p)
			if got != contents[0] && got != contents[1] {
				t.Fatalf("final file is a mix (%d bytes)", len(got))
			}
			return
		default:
		}
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if s := string(b); s != contents[0] && s != contents[1] {
			t.Fatalf("read %d saw a mixed or partial file of %d bytes", reads, len(s))
		}
	}
}

// Check: a missing folder and a path under a regular file fail up front,
// as input errors naming the flag and the folder.
func TestCheck(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "file")
	mustWrite(t, f, "x")
	for p, why := range map[string]string{filepath.Join(dir, "nope", "ds.json"): "the folder " + filepath.Join(dir, "nope") + " does not exist", filepath.Join(f, "ds.json"): f + " is not a folder"} {
		for _, err := range []error{Check("--out", p), WriteBytes("--out", p, nil)} {
			if want := "--out: cannot write " + p + ": " + why; !pricing.IsInput(err) || err.Error() != want {
				t.Errorf("%s: %v, want %q", p, err, want)
			}
		}
	}
	if err := Check("--out", filepath.Join(dir, "new.json")); err != nil {
		t.Error(err)
	}
	if err := Check("--out", f); err != nil || read(t, f) != "x" {
		t.Errorf("Check of an existing file: %v, content %q", err, read(t, f))
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("leftovers %v", l)
	}
}

// A full file system (a 64 KiB tmpfs, when we may mount one): the write
// fails with ENOSPC naming the path, the previous file stays whole and
// the temporary file is removed.
func TestWriteFullDisk(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k"); err != nil {
		t.Skipf("cannot mount a small tmpfs here: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, 0) })
	p := filepath.Join(dir, "ds.json")
	mustWrite(t, p, "previous\n")
	err := WriteBytes("--out", p, make([]byte, 1<<20))
	var xe *pricing.ExternalError
	if !errors.As(err, &xe) || !errors.Is(err, syscall.ENOSPC) || err.Error() != "write "+p+": no space left on device" {
		t.Errorf("err = %v", err)
	}
	if got := read(t, p); got != "previous\n" {
		t.Errorf("the previous file became %d bytes", len(got))
	}
	if l := leftovers(t, dir); len(l) != 0 {
		t.Errorf("leftovers %v", l)
	}
}

// Two processes writing the same path: a reader only ever sees one
// process's whole file.
func TestTwoProcessesDoNotInterleave(t *testing.T) {
	p := filepath.Join(t.TempDir(), "out.json")
	var cmds []*exec.Cmd
	for _, letter := range []string{"a", "b"} {
		c := helper(t, "repeat", p, false)
		c.Env = append(c.Env, "OUTFILE_LETTER="+letter)
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		cmds = append(cmds, c)
	}
	done := make(chan error, 2)
	for _, c := range cmds {
		go func() { done <- c.Wait() }()
	}
	check := func() {
		b, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if len(b) != 1<<20 || strings.Count(string(b), string(b[0])) != len(b) {
			t.Fatalf("a reader saw %d bytes that are not one whole write", len(b))
		}
	}
	for finished := 0; finished < 2; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished++
		default:
			check()
		}
	}
	check()
}
