package runner

import (
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"
)

// TestNoOrphans: a handler starts a grandchild in its own session (setsid:
// outside the environment's process group) that would run for 10 minutes;
// after the run it is gone (killed and reaped: not even a zombie), also
// without cgroups.
func TestNoOrphans(t *testing.T) {
	for _, iso := range []Isolation{IsolationNone, IsolationAuto} {
		t.Run(string(iso), func(t *testing.T) {
			cfg := base(256, 5*time.Second)
			cfg.Isolation = iso
			cfg.Concurrency = 2
			res, _ := mustRun(t, cfg, ev(`{"action":"spawn"}`), 4)
			if res.Summary.Successes != 4 {
				t.Fatalf("%+v", res.Invocations)
			}
			for _, inv := range res.Invocations {
				var pid int
				if err := json.Unmarshal(inv.Response, &pid); err != nil || pid <= 0 {
					t.Fatalf("response %s", inv.Response)
				}
				if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err == nil {
					st, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
					t.Errorf("the setsid'd grandchild %d outlived the run: %s", pid, st)
				}
			}
		})
	}
}
