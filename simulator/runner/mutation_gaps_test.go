package runner

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Tests for the gaps a mutation run found (issue 25); expectations by hand.

// TestTimeoutFiresOnTime: a handler that sleeps 60 s with a 300 ms
// timeout. The reported duration is set to the timeout whatever happens, so
// the bound that matters is the wall time of the whole run: it cannot end
// before INIT + 300 ms, and with a timer on time it ends within INIT +
// 300 ms + the time to kill and reap one process (a few ms; 800 ms of
// slack here, for a loaded machine). A timer a second late fails.
func TestTimeoutFiresOnTime(t *testing.T) {
	cfg := base(128, 300*time.Millisecond)
	t0 := time.Now()
	res, _ := mustRun(t, cfg, [][]byte{[]byte(`{"action":"sleep","ms":60000}`)}, 1)
	wall := time.Since(t0)
	inv := res.Invocations[0]
	if inv.Status != "timeout" {
		t.Fatalf("status %q, want timeout", inv.Status)
	}
	initD := time.Duration(inv.InitDurationMs * float64(time.Millisecond))
	if lo, hi := initD+300*time.Millisecond, initD+1100*time.Millisecond; wall < lo || wall > hi {
		t.Errorf("run took %v with INIT %v: want between %v (INIT + timeout) and %v", wall, initD, lo, hi)
	}
	// Billed: INIT + 300 ms, rounded up to the ms (by hand, not by pricing).
	if want := billedByHand(300 + inv.InitDurationMs); inv.BilledDurationMs != want {
		t.Errorf("billed %d ms, want ⌈300 + %.6f⌉ = %d", inv.BilledDurationMs, inv.InitDurationMs, want)
	}
}

// billedByHand rounds a duration in ms (reported to the nanosecond, as a
// float) up to the next whole ms, as AWS bills: "rounded up to the nearest
// 1 ms". The 1e-7 ms (0.1 ns) absorbs the float error of a sum of whole
// nanoseconds, so an exact 300 ms bills 300 and 300.000001 ms bills 301.
func billedByHand(ms float64) int64 { return int64(math.Ceil(ms - 1e-7)) }

// statusWith writes a /proc/PID/status-shaped file whose VmHWM line is kb.
func statusWith(t *testing.T, kb string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "status")
	body := "Name:\tbootstrap\nVmPeak:\t  999999 kB\nVmSize:\t  888888 kB\nVmHWM:\t  " + kb + " kB\nVmRSS:\t    1234 kB\n"
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPeakMemoryUnits: /proc/PID/status gives VmHWM in kB (KiB: "kB" in
// proc(5) is 1,024 bytes) and cgroup memory.peak in bytes; Lambda's "Max
// Memory Used" is in MB (MiB), and the runner rounds up. By hand:
//
//	VmHWM 131,072 kB = 128 MiB exactly → 128
//	VmHWM 131,073 kB → 128.001 MiB → 129 (×1000 would give 125.0 → 126)
//	VmHWM  51,200 kB = 50 MiB → 50 (×1000 would give 48.8 → 49)
//	cgroup (v1) memory.stat rss 104,857,600 + mapped_file 52,428,800 +
//	  shmem 52,428,800 = 209,715,200 B = 200 MiB → 200; + 1 B → 201 (the
//	  page cache, "cache", is not the function's memory); the larger of
//	  that and VmHWM counts.
func TestPeakMemoryUnits(t *testing.T) {
	r := &runner{}
	for _, c := range []struct {
		kb   string
		want int
	}{{"131072", 128}, {"131073", 129}, {"51200", 50}, {"1", 1}} {
		e := &env{statusF: openStatFile(statusWith(t, c.kb))}
		if got := r.memoryMB(e); got != c.want {
			t.Errorf("VmHWM %s kB: %d MB, want %d", c.kb, got, c.want)
		}
		e.statusF.close()
	}
	for _, c := range []struct {
		peak, kb string
		want     int
	}{
		{"cache 999999999\nrss 104857600\nmapped_file 52428800\nshmem 52428800\n", "1024", 200},
		{"cache 999999999\nrss 104857601\nmapped_file 52428800\nshmem 52428800\n", "1024", 201},
		{"cache 0\nrss 1048576\nmapped_file 0\nshmem 0\n", "51200", 50},
	} {
		p := filepath.Join(t.TempDir(), "memory.stat")
		if err := os.WriteFile(p, []byte(c.peak), 0o644); err != nil {
			t.Fatal(err)
		}
		e := &env{statusF: openStatFile(statusWith(t, c.kb)), peakF: openStatFile(p)}
		if got := r.memoryMB(e); got != c.want {
			t.Errorf("memory.stat %q, VmHWM %s kB: %d MB, want %d", c.peak, c.kb, got, c.want)
		}
		e.statusF.close()
		e.peakF.close()
	}
}

// TestOutOfMemoryBoundary: without a cgroup nothing stops a function from
// using more than its memory size, so the runner flags it after the fact.
// Lambda stops a function when it needs more than its size: a peak of
// exactly 128 MB in a 128 MB function is a success (REPORT shows "Max
// Memory Used: 128 MB"); 1 kB more is Runtime.OutOfMemory.
func TestOutOfMemoryBoundary(t *testing.T) {
	for _, c := range []struct {
		kb     string
		mem    int
		oom    bool
		status string
	}{{"131072", 128, false, "success"}, {"131073", 129, true, "error"}, {"100000", 98, false, "success"}} {
		r := &runner{
			cfg:     Config{Function: pricing.FunctionConfig{Name: "f", MemoryMB: 128, Timeout: pricing.Duration(3 * time.Second)}},
			timeout: 3 * time.Second,
			vcpu:    128.0 / 1769,
		}
		e := &env{statusF: openStatFile(statusWith(t, c.kb))}
		now := time.Now()
		cl := &call{id: "8f5e1c3a-0000-4000-8000-000000000001", start: now, end: now.Add(20 * time.Millisecond), status: "success", cpuEndOK: true}
		inv := r.record(e, cl, false, 0, 0)
		e.statusF.close()
		if inv.MaxMemoryUsedMB != c.mem || inv.MemoryExceeded != c.oom || inv.Status != c.status {
			t.Errorf("peak %s kB in 128 MB: used %d MB, exceeded %v, status %s; want %d, %v, %s", c.kb, inv.MaxMemoryUsedMB, inv.MemoryExceeded, inv.Status, c.mem, c.oom, c.status)
		}
		if c.oom && (inv.Error == nil || inv.Error.Type != "Runtime.OutOfMemory") {
			t.Errorf("peak %s kB: error %+v, want Runtime.OutOfMemory", c.kb, inv.Error)
		}
		// 20 ms warm: billed 20 ms.
		if inv.BilledDurationMs != 20 {
			t.Errorf("billed %d ms for 20 ms", inv.BilledDurationMs)
		}
	}
	// Killed for memory (enforced: the runtime exits as the cgroup's OOM
	// killer strikes) with a last reading below the size — the kill frees
	// the memory before it is read: Lambda's REPORT then shows the memory
	// size as Max Memory Used, 128 MB here, not the 98 MB read.
	r := &runner{
		cfg:     Config{Function: pricing.FunctionConfig{Name: "f", MemoryMB: 128, Timeout: pricing.Duration(3 * time.Second)}},
		timeout: 3 * time.Second,
		vcpu:    128.0 / 1769,
	}
	e := &env{statusF: openStatFile(statusWith(t, "100000"))}
	defer e.statusF.close()
	now := time.Now()
	cl := &call{id: "8f5e1c3a-0000-4000-8000-000000000002", start: now, end: now.Add(20 * time.Millisecond), status: "error", failure: true,
		errType: "Runtime.OutOfMemory", errMsg: "Runtime exited with error: signal: killed", cpuEndOK: true}
	if inv := r.record(e, cl, false, 0, 0); inv.MaxMemoryUsedMB != 128 || !inv.MemoryExceeded || inv.Error == nil || inv.Error.Type != "Runtime.OutOfMemory" {
		t.Errorf("OOM-killed at 98 MB read: %+v %+v; want max memory 128 MB, exceeded, Runtime.OutOfMemory", inv, inv.Error)
	}
}

// TestResponseLimitExact: the synchronous response limit is 6 MB, enforced
// as the Runtime Interface Emulator does: 6 × 1,048,576 + 100 = 6,291,556
// bytes are accepted, 6,291,557 are refused with 413 and the invocation
// fails with Function.ResponseSizeTooLarge. (A limit of 6,000,000 bytes —
// MB read as 10^6 — would refuse the first.)
func TestResponseLimitExact(t *testing.T) {
	e := newTestEnv(t)
	for i, c := range []struct {
		n    int
		code int
	}{{6_291_556, 202}, {6_291_557, 413}} {
		cl := &call{id: []string{"limit-ok", "limit-over"}[i], event: []byte(`{}`), done: make(chan struct{})}
		handOut(t, e, cl)
		w := do(t, e, "POST", "/2018-06-01/runtime/invocation/"+cl.id+"/response", strings.Repeat("x", c.n), nil)
		<-cl.done
		if w.Code != c.code {
			t.Errorf("%d bytes: %d, want %d", c.n, w.Code, c.code)
		}
		if over := c.code == 413; over != (cl.errType == "Function.ResponseSizeTooLarge") || !over && cl.status != "success" {
			t.Errorf("%d bytes: status %s, error type %q", c.n, cl.status, cl.errType)
		}
	}
}
