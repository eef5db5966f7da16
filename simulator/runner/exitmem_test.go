package runner

import (
	"runtime"
	"strconv"
	"testing"
	"time"
)

// TestMaxMemoryAfterCrash: Max Memory Used after a crash or a failed INIT
// is what the process used, not what was left to read after it was
// reaped. INIT touches more than the runner itself ever held (60 MB, or
// the runner's own peak + 40 MB when that is more, as under -race), so
// that its exit peak is its own (see exitPeakRSS); the crash follows an
// invocation that touched 60 MB.
func TestMaxMemoryAfterCrash(t *testing.T) {
	touch := max(60, int(selfPeakRSS()>>20)+40)
	for _, iso := range []Isolation{IsolationNone, IsolationAuto} {
		t.Run(string(iso)+"/init", func(t *testing.T) {
			cfg := base(touch+192, 5*time.Second)
			cfg.Isolation = iso
			cfg.Env = []string{"TESTFN_INIT_ALLOC=" + strconv.Itoa(touch)}
			res, _ := mustRun(t, cfg, nil, 1)
			inv := res.Invocations[0]
			if inv.InitStatus != "error" || inv.Error == nil || inv.Error.Type != "Runtime.ExitError" {
				t.Fatalf("want a failed INIT, got %+v", inv)
			}
			if inv.MaxMemoryUsedMB < touch || inv.MaxMemoryUsedMB > touch+140 {
				t.Fatalf("failed INIT after touching %d MB: Max Memory Used %d MB", touch, inv.MaxMemoryUsedMB)
			}
		})
		t.Run(string(iso)+"/crash", func(t *testing.T) {
			cfg := base(256, 5*time.Second)
			cfg.Isolation = iso
			res, _ := mustRun(t, cfg, ev(`{"action":"alloc","mb":60}`, `{"action":"exit"}`), 2)
			inv := res.Invocations[1]
			if inv.Status != "error" || inv.Error == nil || inv.Error.Type != "Runtime.ExitError" {
				t.Fatalf("want a crash, got %+v", inv)
			}
			if inv.MaxMemoryUsedMB < 60 || inv.MaxMemoryUsedMB > 200 {
				t.Fatalf("crash after touching 60 MB: Max Memory Used %d MB", inv.MaxMemoryUsedMB)
			}
		})
	}
}

// A small function that crashes reports its own memory, not the
// runner's: the kernel's exit peak (ru_maxrss) of a process started by
// vfork includes its parent's peak, here at least 64 MB (a ballast the
// test holds), while the test handler uses about 8 MB. Cold (the crash in
// the first invocation: INIT's reading) and warm (after a no-op
// invocation's reading), in every isolation mode.
func TestMaxMemoryAfterCrashIsTheFunctions(t *testing.T) {
	var ballast []byte
	if selfPeakRSS() < 64<<20 {
		ballast = make([]byte, 64<<20)
		for i := range ballast {
			ballast[i] = 1
		}
	}
	defer runtime.KeepAlive(ballast)
	if p := selfPeakRSS(); p < 64<<20 {
		t.Fatalf("the runner's own peak is %d MB, want at least 64 MB for this test", p>>20)
	}
	allIsolations(t, func(t *testing.T, iso Isolation) {
		for _, c := range []struct {
			name   string
			events [][]byte
		}{
			{"cold", ev(`{"action":"exit"}`)},
			{"warm", ev(`{"action":"noop"}`, `{"action":"exit"}`)},
		} {
			cfg := base(256, 5*time.Second)
			cfg.Isolation = iso
			res, _ := mustRun(t, cfg, c.events, len(c.events))
			inv := res.Invocations[len(c.events)-1]
			if inv.Status != "error" || inv.Error == nil || inv.Error.Type != "Runtime.ExitError" {
				t.Fatalf("%s: want a crash, got %+v", c.name, inv)
			}
			if inv.MaxMemoryUsedMB < 1 || inv.MaxMemoryUsedMB > 32 {
				t.Errorf("%s crash of a ~8 MB handler: Max Memory Used %d MB; want 1–32 MB (the runner holds %d MB)", c.name, inv.MaxMemoryUsedMB, selfPeakRSS()>>20)
			}
		}
	})
}
