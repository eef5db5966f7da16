//go:build linux

package runner

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// The sandbox (isolation "namespaces+cgroup"): where the runner has
// CAP_SYS_ADMIN (root), each execution environment gets, besides its
// cgroup,
//
//   - its own network namespace, in which its Runtime API listener is
//     created (from an OS thread locked into the namespace): no process
//     outside the environment can connect to it;
//   - its own IPC namespace: System V IPC objects and POSIX message queues
//     are the environment's, and go with it;
//   - its own mount namespace: the code folder read-only at /var/task (the
//     only thing left under an empty /var), a /tmp of its own — an ext4
//     file system of the configured ephemeral-storage size on a loop
//     device, so writes past it fail with ENOSPC and its pages are page
//     cache, not the function's memory — and empty read-only folders over
//     the operator's home (/root, /home and $HOME) and over the machine's
//     other shared writable folders (/dev/shm, /run/lock: Lambda has no
//     /dev/shm);
//   - an unprivileged user of its own, with no capabilities (and an entry
//     of its own in the environment's /etc/passwd, userDB), so it cannot undo those mounts, read other
//     users' files or signal their processes. Its own, not a shared one
//     such as nobody: processes of the same user may signal one another
//     and read one another's files through /proc/PID/root (the other
//     environment's private /tmp included), and RLIMIT_NPROC counts
//     per user.
//
// The namespaces are made once per environment (cold path): the warm path
// is unchanged. A locked OS thread per environment holds them and forks the
// bootstrap; it is parked until the environment ends (a child's parent-
// death signal follows the thread that forked it), then exits, which frees
// the namespaces: /tmp is unmounted, its loop device detached and its image
// (already unlinked) gone.

// Sandboxed environments run as users of their own, picked at random in
// [sandboxUIDMin, sandboxUIDMax]: the range systemd's "Users, Groups, UIDs
// and GIDs" leaves unused (1879048192…2147483647, above the container
// ranges and below the 2^31 that some programs mishandle), skipping any
// uid /etc/passwd names or a running process has.
const (
	sandboxUIDMin = 1879048192
	sandboxUIDMax = 2147483647
)

// sharedWritable are the machine's folders, besides /tmp, that every user
// may write to: each is covered in the sandbox by an empty read-only
// folder (/var/tmp is under the sandbox's own /var).
var sharedWritable = []string{"/dev/shm", "/run/lock"}

// sandboxSys is what every sandboxed environment of a run shares.
type sandboxSys struct {
	storageMB int
	codeDir   string
	exeName   string
	hide      []string // the operator's home folders to cover
	cover     []string // the shared writable folders to cover (sharedWritable that exist)
	mkfs      string
	usable    atomic.Int64 // usable bytes of a /tmp (statfs of the last made)
}

// nsKinds are the namespaces each environment has of its own.
var nsKinds = []struct {
	name string // in /proc/PID/ns
	flag int
}{{"mnt", unix.CLONE_NEWNS}, {"net", unix.CLONE_NEWNET}, {"ipc", unix.CLONE_NEWIPC}}

// nsFlags unshares every one of nsKinds.
const nsFlags = unix.CLONE_NEWNS | unix.CLONE_NEWNET | unix.CLONE_NEWIPC

var (
	nsOnce sync.Once
	nsWhy  string
)

// probeNamespaces learns once whether this process may create mount,
// network and IPC namespaces (CAP_SYS_ADMIN), on a thread that is then discarded.
func probeNamespaces() string {
	nsOnce.Do(func() {
		if os.Geteuid() != 0 {
			nsWhy = "namespaces need root (CAP_SYS_ADMIN); the runner is not root"
			return
		}
		errc := make(chan error, 1)
		go func() {
			runtime.LockOSThread() // never unlocked: the thread is discarded
			errc <- unix.Unshare(nsFlags)
		}()
		if err := <-errc; err != nil {
			nsWhy = "cannot create mount, network and IPC namespaces: " + err.Error()
			return
		}
		if f, err := os.OpenFile("/dev/loop-control", os.O_RDWR, 0); err != nil {
			nsWhy = "no loop devices for a size-limited /tmp: " + err.Error()
			return
		} else {
			f.Close()
		}
	})
	return nsWhy
}

// findMkfs finds mkfs.ext4 (often in /sbin, outside a user's PATH).
func findMkfs() (string, error) {
	if p, err := exec.LookPath("mkfs.ext4"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4"} {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errors.New("mkfs.ext4 not found (Debian: e2fsprogs)")
}

// newSandbox decides whether r's environments can be sandboxed; it
// returns nil and the reason when they cannot.
func newSandbox(r *runner) (*sandboxSys, string) {
	if why := probeNamespaces(); why != "" {
		return nil, why
	}
	mkfs, err := findMkfs()
	if err != nil {
		return nil, err.Error()
	}
	// The unprivileged user must be able to run the code, as Lambda's
	// does from a deployment package (folders 755, files 644/755).
	if st, err := os.Stat(r.dir); err != nil || st.Mode().Perm()&0o005 != 0o005 {
		return nil, fmt.Sprintf("the code folder %s is not readable by other users (the sandbox runs the function as an unprivileged user); chmod o+rx it to sandbox it", r.dir)
	}
	if st, err := os.Stat(r.path); err != nil || st.Mode().Perm()&0o005 != 0o005 {
		return nil, fmt.Sprintf("%s is not readable and executable by other users (the sandbox runs the function as an unprivileged user); chmod o+rx it to sandbox it", r.path)
	}
	s := &sandboxSys{storageMB: r.cfg.Function.EphemeralStorageMB, codeDir: r.dir, exeName: filepath.Base(r.path), mkfs: mkfs}
	seen := map[string]bool{}
	homes := []string{"/root", "/home", os.Getenv("HOME")}
	if h, err := os.UserHomeDir(); err == nil {
		homes = append(homes, h)
	}
	for _, h := range homes {
		if h == "" || h == "/" || !filepath.IsAbs(h) || seen[filepath.Clean(h)] {
			continue
		}
		h = filepath.Clean(h)
		if st, err := os.Stat(h); err == nil && st.IsDir() {
			seen[h] = true
			s.hide = append(s.hide, h)
		}
	}
	for _, d := range sharedWritable {
		if st, err := os.Stat(d); err == nil && st.IsDir() && !seen[d] {
			s.cover = append(s.cover, d)
		}
	}
	return s, ""
}

// envBox is one environment's namespaces, held by a parked OS thread.
type envBox struct {
	ln      net.Listener
	uid     uint32 // the user its processes run as (pickSandboxUID)
	loopDev string // the loop device of its /tmp
	image   string // its image (unlinked once attached)
	tmpFD   int    // an O_PATH descriptor of its /tmp (statfs), -1 if none
	// For memory.go: the cgroup's peak usage and /tmp's lifetime writes.
	cgPeakF, lifeF *statFile
	// /tmp's lifetime writes and used bytes when mounted (mkfs's metadata).
	life0, used0 int64
	tmpSize      int64 // usable bytes of its /tmp (statfs)
	req          chan func() error
	res          chan error
	quit         chan struct{}
	gone         chan struct{}
	once         sync.Once
}

// prepare makes an environment's namespaces, its /tmp and its Runtime API
// listener.
func (s *sandboxSys) prepare() (*envBox, error) {
	// Picked here, before INIT's clock starts: it scans the process table.
	uid, err := pickSandboxUID()
	if err != nil {
		return nil, err
	}
	img, err := os.CreateTemp("", imagePrefix()+"*.ext4")
	if err != nil {
		return nil, err
	}
	imgPath := img.Name()
	defer os.Remove(imgPath) // the loop device keeps it open; unlinked it is freed with it
	err = img.Truncate(int64(s.storageMB) << 20)
	img.Close()
	if err != nil {
		return nil, err
	}
	// No journal and no reserved blocks: the space is the function's.
	// One inode per 16 KiB as mke2fs's default.
	if out, err := exec.Command(s.mkfs, "-q", "-F", "-m", "0", "-O", "^has_journal", "-i", "16384", "-E", "nodiscard", imgPath).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("mkfs.ext4: %v: %s", err, strings.TrimSpace(string(out)))
	}
	stage, err := os.MkdirTemp("", "lambdacost-task-*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(stage)
	b := &envBox{uid: uid, image: imgPath, tmpFD: -1, req: make(chan func() error), res: make(chan error), quit: make(chan struct{}), gone: make(chan struct{})}
	ready := make(chan error, 1)
	go b.hold(s, imgPath, stage, ready)
	if err := <-ready; err != nil {
		<-b.gone
		return nil, err
	}
	s.usable.Store(b.tmpSize)
	return b, nil
}

// hold runs on its own OS thread for the environment's life.
func (b *envBox) hold(s *sandboxSys, img, stage string, ready chan<- error) {
	defer close(b.gone)
	// Never unlocked: the thread's namespaces are the environment's, and
	// it ends with the goroutine.
	runtime.LockOSThread()
	// Go does not end the main thread (it parks it for good) should this
	// goroutine run on it: so the thread returns to the runner's
	// namespaces before it ends, lest it keep the environment's alive.
	var back []int // the runner's namespaces, in the order of nsKinds
	defer func() {
		for i, fd := range back {
			_ = unix.Setns(fd, nsKinds[i].flag)
			unix.Close(fd)
		}
	}()
	for _, k := range nsKinds {
		fd, err := unix.Open("/proc/thread-self/ns/"+k.name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			ready <- err
			return
		}
		back = append(back, fd)
	}
	if err := b.setup(s, img, stage); err != nil {
		if b.ln != nil {
			b.ln.Close()
		}
		ready <- err
		return
	}
	ready <- nil
	for {
		select {
		case fn := <-b.req:
			b.res <- fn()
		case <-b.quit:
			// The environment's processes are gone: delete its files
			// first, which drops their dirty pages, rather than have the
			// unmount write them back to an image about to be freed.
			if ents, err := os.ReadDir("/tmp"); err == nil {
				for _, e := range ents {
					_ = os.RemoveAll(filepath.Join("/tmp", e.Name()))
				}
			}
			return
		}
	}
}

func (b *envBox) setup(s *sandboxSys, img, stage string) error {
	if err := unix.Unshare(nsFlags); err != nil {
		return fmt.Errorf("unshare: %w", err)
	}
	if err := loopbackUp(); err != nil {
		return fmt.Errorf("bringing up the loopback interface: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	b.ln = ln
	// /tmp's image on a loop device that detaches itself when unmounted
	// (attached first: TMPDIR may be under a folder covered below).
	dev, lfd, err := attachLoop(img)
	if err != nil {
		return err
	}
	// Autoclear detaches the device at its last close: keep it open
	// until /tmp is mounted (the mount then holds it).
	defer unix.Close(lfd)
	b.loopDev = dev
	// Nothing mounted here propagates to the machine.
	if err := unix.Mount("", "/", "", unix.MS_REC|unix.MS_PRIVATE, ""); err != nil {
		return fmt.Errorf("making mounts private: %w", err)
	}
	// The code folder, read-only at /var/task under an otherwise empty /var.
	if err := unix.Mount(s.codeDir, stage, "", unix.MS_BIND|unix.MS_REC, ""); err != nil {
		return fmt.Errorf("binding the code folder: %w", err)
	}
	if err := unix.Mount("tmpfs", "/var", "tmpfs", unix.MS_NOSUID|unix.MS_NODEV, "size=1m,mode=755"); err != nil {
		return fmt.Errorf("mounting /var: %w", err)
	}
	if err := os.Mkdir(taskRoot, 0o755); err != nil {
		return err
	}
	if err := unix.Mount(stage, taskRoot, "", unix.MS_MOVE, ""); err != nil {
		return fmt.Errorf("moving the code folder to %s: %w", taskRoot, err)
	}
	if err := unix.Mount("", taskRoot, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, ""); err != nil {
		return fmt.Errorf("making %s read-only: %w", taskRoot, err)
	}
	if err := b.userDB(); err != nil {
		return fmt.Errorf("the environment's user database: %w", err)
	}
	if err := unix.Mount("", "/var", "", unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, "size=1m,mode=755"); err != nil {
		return fmt.Errorf("making /var read-only: %w", err)
	}
	// The operator's home folders and the shared writable ones: covered
	// by empty read-only folders.
	for _, h := range append(s.hide[:len(s.hide):len(s.hide)], s.cover...) {
		if err := unix.Mount("tmpfs", h, "tmpfs", unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV|unix.MS_NOEXEC, "size=4k,mode=755"); err != nil {
			return fmt.Errorf("covering %s: %w", h, err)
		}
	}
	if err := unix.Mount(dev, "/tmp", "ext4", unix.MS_NOSUID|unix.MS_NODEV, ""); err != nil {
		return fmt.Errorf("mounting /tmp: %w", err)
	}
	if err := os.Chmod("/tmp", 0o1777); err != nil {
		return err
	}
	_ = os.Remove("/tmp/lost+found")
	if fd, err := unix.Open("/tmp", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
		b.tmpFD = fd
		b.life0, b.used0 = b.tmpWrites()
	}
	var st unix.Statfs_t
	if unix.Statfs("/tmp", &st) == nil {
		b.tmpSize = int64(st.Bavail) * st.Bsize
	}
	return nil
}

// loopbackUp brings up lo in the thread's network namespace (127.0.0.1).
func loopbackUp() error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	ifr, err := unix.NewIfreq("lo")
	if err != nil {
		return err
	}
	if err := unix.IoctlIfreq(fd, unix.SIOCGIFFLAGS, ifr); err != nil {
		return err
	}
	ifr.SetUint16(ifr.Uint16() | unix.IFF_UP)
	return unix.IoctlIfreq(fd, unix.SIOCSIFFLAGS, ifr)
}

// attachLoop attaches img to a free loop device with autoclear and returns
// the device's path and an open descriptor of it.
func attachLoop(img string) (string, int, error) {
	ctl, err := unix.Open("/dev/loop-control", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", -1, err
	}
	defer unix.Close(ctl)
	f, err := unix.Open(img, unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return "", -1, err
	}
	defer unix.Close(f)
	for try := 0; try < 20; try++ {
		n, err := unix.IoctlRetInt(ctl, unix.LOOP_CTL_GET_FREE)
		if err != nil {
			return "", -1, fmt.Errorf("finding a free loop device: %w", err)
		}
		dev := "/dev/loop" + strconv.Itoa(n)
		lfd, err := unix.Open(dev, unix.O_RDWR|unix.O_CLOEXEC, 0)
		if err != nil {
			return "", -1, err
		}
		err = unix.IoctlSetInt(lfd, unix.LOOP_SET_FD, f)
		if err == unix.EBUSY {
			unix.Close(lfd) // taken meanwhile by someone else
			continue
		}
		if err == nil {
			info := unix.LoopInfo64{Flags: unix.LO_FLAGS_AUTOCLEAR}
			copy(info.File_name[:], "lambdacost-tmp")
			if err = unix.IoctlLoopSetStatus64(lfd, &info); err != nil {
				_ = unix.IoctlSetInt(lfd, unix.LOOP_CLR_FD, 0)
			}
		}
		if err != nil {
			unix.Close(lfd)
			return "", -1, fmt.Errorf("attaching %s: %w", dev, err)
		}
		return dev, lfd, nil
	}
	return "", -1, errors.New("no free loop device")
}

// run runs fn on the environment's thread (in its namespaces).
func (b *envBox) run(fn func() error) error {
	select {
	case b.req <- fn:
		return <-b.res
	case <-b.gone:
		return errors.New("the sandbox thread has ended")
	}
}

// close ends the thread (and so, once the environment's processes are
// gone, its namespaces, /tmp and loop device).
func (b *envBox) close() {
	if b == nil {
		return
	}
	b.once.Do(func() {
		close(b.quit)
		// Nothing of the runner may hold the file system: it would outlive
		// the namespace.
		if b.tmpFD >= 0 {
			unix.Close(b.tmpFD)
		}
		b.cgPeakF.close()
		b.lifeF.close()
	})
	<-b.gone
	// The kernel unmounts /tmp and detaches its loop device once the
	// namespace's last holder is gone, shortly after: wait for it, so
	// that an environment's storage is gone when it is.
	if b.loopDev == "" {
		return
	}
	f := "/sys/block/" + filepath.Base(b.loopDev) + "/loop/backing_file"
	for i := 0; i < 5000; i++ {
		bf, err := os.ReadFile(f)
		if err != nil || !strings.HasPrefix(string(bf), b.image) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

// startSandboxed starts cmd in the box as the environment's user, in cg (if
// any), with the code at /var/task.
func (s *sandboxSys) startSandboxed(b *envBox, cmd *exec.Cmd, cg *cgroup) error {
	cmd.Path = taskRoot + "/" + s.exeName
	cmd.Args[0] = cmd.Path
	cmd.Dir = taskRoot
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: b.uid, Gid: b.uid}
	if cg != nil {
		b.cgPeakF = openStatFile(cg.peakStat())
	}
	b.lifeF = openStatFile("/sys/fs/ext4/" + filepath.Base(b.loopDev) + "/lifetime_write_kbytes")
	return b.run(func() error {
		if cg == nil {
			return cmd.Start()
		}
		return cg.startHere(cmd)
	})
}

// startHere starts cmd in the cgroup from the calling (locked) thread:
// v2 with CLONE_INTO_CGROUP; v1 by moving the thread in, forking, and
// moving it back (else the runner itself would be in the environment's
// cgroup, and killed with it).
func (cg *cgroup) startHere(cmd *exec.Cmd) error {
	_, err := cg.startFromThread(cmd)
	return err
}

// describe says what the sandbox gives each environment.
func (s *sandboxSys) describe() string {
	return fmt.Sprintf("each environment has its own mount, network and IPC namespaces and runs as an unprivileged user of its own (a uid in %d…%d unused on this machine, named %s in its /etc/passwd) without capabilities, "+
		"so no other environment can signal it or read its files: the code folder read-only at %s, "+
		"a /tmp of its own (ext4 of %d MB on a loop device, %.1f MiB usable after file-system metadata; writes past it fail with ENOSPC; removed when the environment ends), "+
		"%s covered by empty read-only folders; its Runtime API listens inside its network namespace, unreachable from any other process, "+
		"and the function has no network but its own loopback (use --isolation cgroup to give it this machine's network)",
		sandboxUIDMin, sandboxUIDMax, sandboxUserName, taskRoot, s.storageMB, float64(s.usable.Load())/(1<<20), strings.Join(append(s.hide[:len(s.hide):len(s.hide)], s.cover...), ", "))
}

// limitProcess applies Lambda's 1,024 file descriptors to a new
// environment's bootstrap (soft and hard limit: it cannot raise them), and
// where the cgroup cannot count processes, RLIMIT_NPROC.
func limitProcess(pid int, nproc bool) {
	lim := unix.Rlimit{Cur: lambdaMaxFDs, Max: lambdaMaxFDs}
	_ = unix.Prlimit(pid, unix.RLIMIT_NOFILE, &lim, nil)
	if nproc {
		lim = unix.Rlimit{Cur: lambdaMaxTasks, Max: lambdaMaxTasks}
		_ = unix.Prlimit(pid, unix.RLIMIT_NPROC, &lim, nil)
	}
}

// memStat names the cgroup's memory.stat (memory.go).
func (cg *cgroup) memStat() string {
	if cg.sys.v2 {
		return filepath.Join(cg.dirs["unified"], "memory.stat")
	}
	return filepath.Join(cg.dirs["memory"], "memory.stat")
}

func (cg *cgroup) v2() bool { return cg != nil && cg.sys.v2 }

// imagePrefix names this process's /tmp images (and so its loop devices'
// backing files): lambdacost-tmp-PID-.
func imagePrefix() string { return "lambdacost-tmp-" + strconv.Itoa(os.Getpid()) + "-" }

// processPeak bounds the environment's peak process memory from below
// with the cgroup's peak usage less all the page cache /tmp can have held:
// every /tmp page was written during the environment's life, so its cache
// is at most what was written back to the device (ext4's lifetime writes)
// plus what is still in files (statfs). Without /tmp writes that is the
// cgroup's peak, short-lived child processes included (memory.go).
func (b *envBox) processPeak() (int64, bool) {
	var buf [64]byte
	peak, ok := statValue(b.cgPeakF.read(buf[:]), "")
	if !ok || b.tmpFD < 0 {
		return 0, false
	}
	life, used := b.tmpWrites()
	if life < 0 || used < 0 {
		return 0, false
	}
	return peak - max(life-b.life0, 0) - max(used-b.used0, 0), true
}

// tmpWrites reads /tmp's lifetime writes and used bytes (-1: unknown).
func (b *envBox) tmpWrites() (life, used int64) {
	life, used = -1, -1
	f := b.lifeF
	if f == nil {
		f = openStatFile("/sys/fs/ext4/" + filepath.Base(b.loopDev) + "/lifetime_write_kbytes")
		defer f.close()
	}
	var buf [64]byte
	if v, ok := statValue(f.read(buf[:]), ""); ok {
		life = v << 10
	}
	var st unix.Statfs_t
	if b.tmpFD >= 0 && unix.Fstatfs(b.tmpFD, &st) == nil {
		used = int64(st.Blocks-st.Bfree) * st.Bsize
	}
	return life, used
}

// pickSandboxUID picks an environment's user: a random uid of
// [sandboxUIDMin, sandboxUIDMax] that neither /etc/passwd nor a running
// process has (two runs at once drawing the same uid among 2^28 is
// left to chance: about n²/2^29 for n environments alive at once).
func pickSandboxUID() (uint32, error) {
	known := passwdUIDs()
	for try := 0; try < 32; try++ {
		var b [4]byte
		if _, err := rand.Read(b[:]); err != nil {
			return 0, err
		}
		uid := uint32(sandboxUIDMin + uint64(binary.LittleEndian.Uint32(b[:]))%(sandboxUIDMax-sandboxUIDMin+1))
		if known[uid] || uidRunning(uid) {
			continue
		}
		return uid, nil
	}
	return 0, errors.New("no unused uid found for the environment")
}

// passwdUIDs are the uids /etc/passwd names.
func passwdUIDs() map[uint32]bool {
	out := map[uint32]bool{}
	b, err := os.ReadFile("/etc/passwd")
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Split(line, ":")
		if len(f) < 3 {
			continue
		}
		if n, err := strconv.ParseUint(f[2], 10, 32); err == nil {
			out[uint32(n)] = true
		}
	}
	return out
}

// uidRunning reports whether a process of the machine runs as uid (the
// owner of /proc/PID is the process's effective uid).
func uidRunning(uid uint32) bool {
	d, err := os.Open("/proc")
	if err != nil {
		return false
	}
	defer d.Close()
	names, _ := d.Readdirnames(-1)
	for _, n := range names {
		if n[0] < '0' || n[0] > '9' {
			continue
		}
		var st unix.Stat_t
		if unix.Stat("/proc/"+n, &st) == nil && st.Uid == uid {
			return true
		}
	}
	return false
}

// sandboxUserName names every environment's user, as Lambda's runtimes
// know theirs.
const sandboxUserName = "sbx_user1051"

// userDB gives the environment's user an entry in its /etc/passwd and
// /etc/group (the machine's, bound read-only over them with one more
// line, from the sandbox's /var): runtimes look their user up (Node's
// os.homedir() and os.userInfo() throw for a user without one, Python's
// getpass.getuser() raises), as Lambda's user has an entry. Its home is
// /nonexistent, as nobody's. Called in the environment's mount namespace
// while /var is still writable.
func (b *envBox) userDB() error {
	dir := "/var/.lambdacost"
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	for _, f := range []struct{ name, line string }{
		{"passwd", fmt.Sprintf("%s:x:%d:%d::/nonexistent:/usr/sbin/nologin", sandboxUserName, b.uid, b.uid)},
		{"group", fmt.Sprintf("%s:x:%d:", sandboxUserName, b.uid)},
	} {
		target := "/etc/" + f.name
		host, err := os.ReadFile(target)
		if err != nil {
			continue // no such database here: nothing to extend
		}
		if len(host) > 0 && host[len(host)-1] != '\n' {
			host = append(host, '\n')
		}
		src := filepath.Join(dir, f.name)
		if err := writeSandboxFile(src, append(host, f.line+"\n"...), 0o644); err != nil {
			return err
		}
		if err := unix.Mount(src, target, "", unix.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding %s: %w", target, err)
		}
		if err := unix.Mount("", target, "", unix.MS_BIND|unix.MS_REMOUNT|unix.MS_RDONLY|unix.MS_NOSUID|unix.MS_NODEV, ""); err != nil {
			return fmt.Errorf("making %s read-only: %w", target, err)
		}
	}
	return nil
}

// writeSandboxFile writes a file of the sandbox's /var while it is still
// writable (it is remounted read-only afterwards), holding off every fork
// of this process meanwhile (syscall.ForkLock, which os/exec takes for
// writing around each fork): a child forked by another goroutine (another
// environment's bootstrap or mkfs.ext4, at concurrency 2 or more) holds a
// copy of the runner's descriptors until it execs, and a copy of this
// file, open for writing, would make the read-only remount fail with
// EBUSY.
func writeSandboxFile(name string, data []byte, perm os.FileMode) error {
	syscall.ForkLock.RLock()
	defer syscall.ForkLock.RUnlock()
	return os.WriteFile(name, data, perm)
}
