package runner

import (
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestSuppressedInit: an INIT longer than the INIT limit (10 s on Lambda,
// 250 ms here) is retried inside the first invocation under the function
// timeout. The invocation succeeds; its Duration includes the retried INIT
// (≥ 500 ms of sleep); the timed-out INIT is its init_duration_ms and is
// billed; the logs are INIT_REPORT (Phase: init, Status: timeout), then
// START, END and a REPORT without Init Duration.
func TestSuppressedInit(t *testing.T) {
	cfg := base(128, 3*time.Second)
	cfg.Env = []string{"TESTFN_INIT_SLEEP=500"}
	cfg.InitTimeout = 250 * time.Millisecond
	res, logs := mustRun(t, cfg, ev(`{"action":"noop"}`), 2)
	first, second := res.Invocations[0], res.Invocations[1]
	if first.Status != "success" || !first.Cold || !first.SuppressedInit || first.InitDurationMs != 250 || first.InitStatus != "" {
		t.Fatalf("first invocation = %+v %+v", first, first.Error)
	}
	if first.DurationMs < 500 || first.DurationMs > 2500 {
		t.Errorf("duration %.1f ms: want the retried INIT (≥ 500 ms) inside it", first.DurationMs)
	}
	want := pricing.BilledMs(time.Duration((first.DurationMs + 250) * float64(time.Millisecond)))
	if d := first.BilledDurationMs - want; d < -1 || d > 1 {
		t.Errorf("billed %d ms, want ⌈duration + 250 ms⌉ = %d", first.BilledDurationMs, want)
	}
	if second.Cold || second.Status != "success" {
		t.Errorf("the retried environment serves the next invocation warm: %+v", second)
	}
	s := res.Summary
	if s.ColdStarts != 1 || s.Usage.InitMs != 250 {
		t.Errorf("summary: %d cold starts, %d INIT ms billed; want 1 and 250", s.ColdStarts, s.Usage.InitMs)
	}
	lines := strings.Split(logs, "\n")
	var order []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "INIT_REPORT"):
			if l != "INIT_REPORT Init Duration: 250.00 ms\tPhase: init\tStatus: timeout" {
				t.Errorf("INIT_REPORT line %q", l)
			}
			order = append(order, "INIT_REPORT")
		case strings.HasPrefix(l, "START "), strings.HasPrefix(l, "END "):
			order = append(order, strings.Fields(l)[0])
		case strings.HasPrefix(l, "REPORT "):
			order = append(order, "REPORT")
			if strings.Contains(l, "Init Duration") {
				t.Errorf("REPORT after a suppressed INIT has an Init Duration: %q", l)
			}
		}
	}
	if got := strings.Join(order, " "); got != "INIT_REPORT START END REPORT START END REPORT" {
		t.Errorf("log order %s\n%s", got, logs)
	}
}
