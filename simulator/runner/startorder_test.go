package runner

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineWriter is a Config.Logs for tests that watch the log as it is
// written: it hands f every complete line, whatever the writes' boundaries
// (the log sink writes many lines at once when they accumulate while the
// destination is busy, and nothing promises one line per write).
type lineWriter struct {
	mu      sync.Mutex
	partial []byte
	writes  int
	f       func(line string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.writes++
	n := len(p)
	for {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			w.partial = append(w.partial, p...)
			return n, nil
		}
		line := p[:i]
		if len(w.partial) > 0 {
			line = append(w.partial, line...)
			w.partial = w.partial[:0]
		}
		w.f(string(line))
		p = p[i+1:]
	}
}

// A test watching the log must count lines, not writes: one write may
// carry several lines, and a line may (for another writer) span writes.
func TestLineWriter(t *testing.T) {
	var got []string
	w := &lineWriter{f: func(l string) { got = append(got, l) }}
	for _, s := range []string{"START RequestId: a\nSTART RequestId: b\n", "STA", "RT RequestId: c\nEND ", "RequestId: a\n"} {
		if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("Write(%q) = %d, %v", s, n, err)
		}
	}
	want := []string{"START RequestId: a", "START RequestId: b", "START RequestId: c", "END RequestId: a"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("lines %q, want %q", got, want)
	}
}

// allIsolations lists every isolation mode this machine offers, skipping
// (with the reason) those it lacks.
func allIsolations(t *testing.T, f func(t *testing.T, iso Isolation)) {
	for _, iso := range []Isolation{IsolationNone, IsolationCgroup, IsolationNamespaces} {
		t.Run(string(iso), func(t *testing.T) {
			cg, why := cachedCgroups()
			switch {
			case iso == IsolationNone:
			case cg == nil:
				t.Skipf("no cgroups here: %s", why)
			case iso == IsolationNamespaces:
				if why := probeNamespaces(); why != "" {
					if os.Getenv("CI") == "true" && os.Geteuid() == 0 {
						t.Fatalf("CI runs as root and must support the sandbox, but: %s", why)
					}
					t.Skipf("no sandbox here: %s", why)
				}
			}
			f(t, iso)
		})
	}
}

// At concurrency 3, three invocations that each outlast the timeout run
// at once: the three environments start together and each takes an event
// as soon as its INIT ends, so all three START lines are written before
// the first invocation times out, and every invocation begins within the
// timeout of the first (Invocation.Start, measured independently of the
// log). The log destination here is slow on its first write, so the lines
// written meanwhile (the second and third START) reach it in one write:
// counting writes that begin with "START " (as TestCancelLeavesNoProcess
// once did) then sees two STARTs and takes the third for held back until
// a timeout. Counted by line, all three are there.
func TestEveryStartBeforeFirstTimeout(t *testing.T) {
	allIsolations(t, func(t *testing.T, iso Isolation) {
		const timeout = time.Second
		cfg := base(128, timeout)
		cfg.Isolation, cfg.Concurrency = iso, 3
		var (
			mu    sync.Mutex
			order []string // START, END and timeout lines, in log order
		)
		var slowOnce sync.Once
		lw := &lineWriter{f: func(l string) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case strings.HasPrefix(l, "START RequestId: "), strings.HasPrefix(l, "END RequestId: "):
				order = append(order, l)
			case strings.Contains(l, "\tTask timed out after "):
				order = append(order, "TIMEOUT "+l)
			}
		}}
		cfg.Logs = writerFunc(func(p []byte) {
			// A destination busy for a while on its first write.
			slowOnce.Do(func() { time.Sleep(timeout / 2) })
			_, _ = lw.Write(p)
		})
		res, _ := mustRun(t, cfg, ev(`{"action":"sleep","ms":1500}`), 3)
		starts, first := 0, ""
		for _, l := range order {
			if strings.HasPrefix(l, "START ") {
				starts++
				continue
			}
			first = l
			break
		}
		if starts != 3 {
			t.Errorf("%d START lines before the first timeout or END (%q), want 3; log order:\n%s", starts, first, strings.Join(order, "\n"))
		}
		var earliest, latest time.Time
		for _, inv := range res.Invocations {
			if inv.Status != "timeout" {
				t.Errorf("invocation %s: status %s, want timeout (1.5 s sleep, 1 s timeout)", inv.RequestID, inv.Status)
			}
			if earliest.IsZero() || inv.Start.Before(earliest) {
				earliest = inv.Start
			}
			if inv.Start.After(latest) {
				latest = inv.Start
			}
		}
		if latest.Sub(earliest) >= timeout {
			t.Errorf("the invocations started %v apart: one began only after another had timed out (timeout %v)", latest.Sub(earliest), timeout)
		}
		if res.Summary.Environments != 3 {
			t.Errorf("%d environments, want 3", res.Summary.Environments)
		}
		t.Logf("%d writes carried the log (lines are coalesced while the destination is busy)", lw.writes)
	})
}

// startsSeen is a log that sends on started for every START line.
func startsSeen(started chan<- struct{}) *lineWriter {
	return &lineWriter{f: func(l string) {
		if strings.HasPrefix(l, "START ") {
			started <- struct{}{}
		}
	}}
}
