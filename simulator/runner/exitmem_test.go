package runner

import (
	"testing"
	"time"
)

// TestMaxMemoryAfterCrash: Max Memory Used after a crash or a failed INIT
// is what the process used (it touched 60 MB), not what was left to read
// after it was reaped.
func TestMaxMemoryAfterCrash(t *testing.T) {
	for _, iso := range []Isolation{IsolationNone, IsolationAuto} {
		t.Run(string(iso)+"/init", func(t *testing.T) {
			cfg := base(256, 5*time.Second)
			cfg.Isolation = iso
			cfg.Env = []string{"TESTFN_INIT_ALLOC=60"}
			res, _ := mustRun(t, cfg, nil, 1)
			inv := res.Invocations[0]
			if inv.InitStatus != "error" || inv.Error == nil || inv.Error.Type != "Runtime.ExitError" {
				t.Fatalf("want a failed INIT, got %+v", inv)
			}
			if inv.MaxMemoryUsedMB < 60 || inv.MaxMemoryUsedMB > 200 {
				t.Fatalf("failed INIT after touching 60 MB: Max Memory Used %d MB", inv.MaxMemoryUsedMB)
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
