package runner

import (
	"context"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Suppressed INIT. An on-demand INIT is limited to 10 s; when it does not
// finish, Lambda writes INIT_REPORT … Phase: init Status: timeout, and
// "retries the Init phase at the time of the first function invocation
// with the configured function timeout" (AWS Lambda developer guide,
// execution environment lifecycle). The runner does the same: the timed-out
// environment is killed, a new one starts inside the invocation, and the
// invocation's Duration and timeout run from that start (its Duration
// includes the retried INIT; its REPORT has no Init Duration field, which
// Lambda writes only for an INIT of the init phase). The timed-out INIT is
// billed (INIT is billed for on-demand functions since 1 August 2025) and
// reported as the invocation's init_duration_ms, with suppressed_init set.
// Should the retry fail, INIT_REPORT says Phase: invoke.
func (r *runner) suppressedInit(ctx context.Context, c *call, first Invocation) (Invocation, error) {
	r.mu.Lock()
	r.nextEnv++
	id := r.nextEnv
	r.mu.Unlock()
	e, err := r.startEnv(id)
	if err != nil {
		return Invocation{}, err
	}
	firstInit := time.Duration(first.InitDurationMs * float64(time.Millisecond))
	inv, ok, err := r.awaitInitPhase(ctx, e, c, r.timeout, "invoke")
	if err != nil || !ok {
		e.kill()
		if err == nil {
			inv.SuppressedInit = true
			inv.InitDurationMs += first.InitDurationMs
			inv.BilledDurationMs += first.BilledDurationMs
			if inv.InitStatus == "timeout" {
				inv.Status = "timeout"
			}
		}
		return inv, err
	}
	e.mu.Lock()
	c.pre = e.initEnd.Sub(e.started)
	e.mu.Unlock()
	c.billedInit = firstInit
	retry, err := r.dispatch(ctx, e, c)
	if err != nil || retry {
		e.kill()
		if err != nil {
			return Invocation{}, err
		}
		return r.invoke(ctx, c.event)
	}
	inv = r.record(e, c, false, 0, 0)
	inv.Cold, inv.SuppressedInit, inv.InitDurationMs = true, true, first.InitDurationMs
	if inv.ModelledBilledDurationMs != nil {
		fi := ms(firstInit)
		inv.ModelledInitMs = &fi
		b := *inv.ModelledBilledDurationMs + pricing.BilledMs(firstInit)
		inv.ModelledBilledDurationMs = &b
	}
	if c.failure || inv.MemoryExceeded {
		e.kill()
	} else {
		r.release(e)
	}
	return inv, nil
}
