package runner

import (
	"context"
	"fmt"
	"time"
)

// Lambda's invoke phase does not end at the response: "the runtime and
// each extension indicate completion by sending a Next API request", and
// the function's timeout bounds the whole phase. A runtime that posts its
// response and keeps working (or never asks for more) is still running
// and still billed until it calls GET /next, or until the timeout, when
// the environment is reset. The runner models exactly that:
//
//   - duration (and so billed duration) runs from the hand-out of the event
//     to the runtime's next GET /next; the time after the response is also
//     reported on its own (post_response_ms) when it reaches a millisecond;
//   - if no GET /next comes within the function's timeout (counted from the
//     hand-out), the invocation is a timeout (Sandbox.Timedout, duration =
//     the timeout) although its response was delivered, and the
//     environment is shut down; the run goes on with a new one;
//   - if the process exits after its response instead, the phase ends at
//     the exit; the response stands and the environment is discarded.

// postResponseReport is the time after the response from which it is
// reported (post_response_ms) and the CPU clock is read again at GET /next.
const postResponseReport = time.Millisecond

// phaseEnd is when and how an invocation's invoke phase ended.
type phaseEnd struct {
	done     chan struct{} // closed by GET /next; nil when nobody waits
	at       time.Time
	cpu      time.Duration // CPU reading at the end (cpuOK: taken)
	cpuOK    bool
	timedOut bool // no GET /next within the timeout
	exited   bool // the process exited first
}

// endPhaseLocked ends the invoke phase of the last answered call: the
// runtime has asked for the next event. e.mu is held.
func (e *env) endPhaseLocked(now time.Time) {
	l := e.last
	if l == nil {
		return
	}
	e.last = nil
	l.phase.at = now
	if now.Sub(l.end) >= postResponseReport {
		l.phase.cpu, l.phase.cpuOK = e.cpuTime()
	}
	if l.phase.done != nil {
		close(l.phase.done)
	}
}

// awaitPhase waits, after c's response or error, for the end of its invoke
// phase: the runtime's next GET /next, the timeout (from the hand-out,
// e.timer still armed by dispatch), or the process's exit.
func (r *runner) awaitPhase(ctx context.Context, e *env, c *call) error {
	e.mu.Lock()
	failed, done, start := c.failure, c.phase.done, c.start
	e.mu.Unlock()
	limit := r.timeout - c.pre // a suppressed INIT used part of the timeout
	if failed || done == nil {
		return nil
	}
	for {
		select {
		case <-done:
			return nil
		case now := <-e.timer.C:
			if left := start.Add(limit).Sub(now); left > 0 {
				e.timer.Reset(left)
				continue
			}
			end := start.Add(limit)
			e.mu.Lock()
			timedOut := e.last == c
			if timedOut {
				e.last = nil
				c.phase.at, c.phase.timedOut, c.failure = end, true, true
			}
			e.mu.Unlock()
			if timedOut && r.logs.enabled() && r.logs.format == LogText {
				r.logs.line(TimeoutLine(end, c.id, r.timeout))
			}
			return nil
		case <-e.exited:
			e.mu.Lock()
			if e.last == c {
				e.last = nil
				c.phase.at, c.phase.exited = time.Now(), true
			}
			c.failure = true // the environment is gone
			e.mu.Unlock()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// applyPhase adjusts what record reports for c by the end of its invoke
// phase: the duration runs to it, CPU time too, and a phase that timed out
// after the response is a timeout. respEnd is when the response arrived.
// It returns the time worked after the response.
func (r *runner) applyPhase(c *call, ph phaseEnd, respEnd time.Time, dur *time.Duration, status, errType, errMsg *string, failure, cpuOK *bool) time.Duration {
	if ph.at.IsZero() || respEnd.IsZero() {
		return 0
	}
	post := max(ph.at.Sub(respEnd), 0)
	*dur = ph.at.Sub(c.start) + c.pre // c.pre: a suppressed INIT retried inside the invocation
	switch {
	case ph.cpuOK:
		// read at GET /next
	case ph.timedOut || ph.exited:
		*cpuOK = false // record reads the clock now
	}
	if ph.timedOut {
		*status, *errType, *failure = "timeout", "Sandbox.Timedout", true
		*errMsg = fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds (the response was posted %.2f ms after the event was handed out, but the runtime did not call /next within the timeout; Lambda's invoke phase, and its billing, end only then)",
			c.id, r.timeout.Seconds(), ms(respEnd.Sub(c.start)))
	}
	return post
}

// initInvocationStatus is the status of the invocation whose INIT failed
// with status ("error" or "timeout"): an INIT that timed out
// (Sandbox.Timedout) is a timeout, as Lambda counts it, not an error.
func initInvocationStatus(status string) string {
	if status == "timeout" {
		return "timeout"
	}
	return "error"
}
