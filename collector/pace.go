package collector

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/aws/smithy-go"
)

// GetMetricData's quotas per account and region (CloudWatch service
// quotas; "CloudWatch GetMetricData API" knowledge-center article,
// checked 2026-12): 50 transactions per second, and 180,000 datapoints per
// second when the request's StartTime is within the last 3 hours, 396,000
// when it is older.
const (
	GetMetricDataTPS       = 50
	GetMetricDataDPSRecent = 180_000
	GetMetricDataDPS       = 396_000
)

// MetricQuota is the pace of GetMetricData calls: calls and datapoints
// (those the call asks for: each query's points in the window) in any
// second. Zero fields take AWS's quotas.
type MetricQuota struct {
	CallsPerSecond  float64
	PointsPerSecond float64
}

// paceWindow is the span the pacer counts over: a little more than the
// quota's second, so that calls released just over a second apart cannot
// arrive within one second at CloudWatch after network jitter. At a full
// quota the effective pace is 1/1.1 of it (91 %); the account's quota is
// also shared with dashboards and other tools, which the adaptive back-off
// leaves room for.
var paceWindow = 1100 * time.Millisecond

// pacer releases GetMetricData calls so that in any paceWindow no more
// than the quota's calls and datapoints go out (a sliding log of the
// releases), scaled by an adaptive factor: halved when CloudWatch
// throttles, grown back 10 % after every 50 calls without throttling.
type pacer struct {
	mu      sync.Mutex
	quota   MetricQuota
	factor  float64
	okCalls int
	log     []paceEntry
	// Throttles counts the throttled responses seen.
	throttles int
	now       func() time.Time
}

type paceEntry struct {
	at     time.Time
	points float64
}

func newPacer(q MetricQuota) *pacer {
	return &pacer{quota: q, factor: 1, now: time.Now}
}

// wait blocks until a call of points datapoints may go out, and books it.
func (p *pacer) wait(ctx context.Context, points int) error {
	if p == nil {
		return ctx.Err()
	}
	for {
		p.mu.Lock()
		now := p.now()
		cut := 0
		for cut < len(p.log) && now.Sub(p.log[cut].at) >= paceWindow {
			cut++
		}
		p.log = p.log[cut:]
		maxCalls := max(1, p.quota.CallsPerSecond*p.factor)
		maxPoints := p.quota.PointsPerSecond * p.factor
		var sum float64
		for _, e := range p.log {
			sum += e.points
		}
		pts := float64(points)
		// A call larger than the whole budget goes out alone.
		fits := float64(len(p.log)+1) <= maxCalls && (sum+pts <= maxPoints || len(p.log) == 0)
		if fits {
			p.log = append(p.log, paceEntry{now, pts})
			p.mu.Unlock()
			return ctx.Err()
		}
		// Wait until enough of the log has aged out.
		need := sum + pts - maxPoints
		until := p.log[0].at.Add(paceWindow)
		if float64(len(p.log)+1) <= maxCalls {
			var freed float64
			for _, e := range p.log {
				freed += e.points
				until = e.at.Add(paceWindow)
				if freed >= need {
					break
				}
			}
		}
		p.mu.Unlock()
		if err := sleepCtx(ctx, until.Sub(now)); err != nil {
			return err
		}
	}
}

// done records a call's outcome: throttled halves the pace (down to 1/64
// of the quota); 50 calls in a row without throttling grow it 10 %.
func (p *pacer) done(throttled bool) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if throttled {
		p.throttles++
		p.factor = max(p.factor/2, 1.0/64)
		p.okCalls = 0
		return
	}
	p.okCalls++
	if p.okCalls >= 50 && p.factor < 1 {
		p.factor = min(1, p.factor*1.1)
		p.okCalls = 0
	}
}

// isThrottle reports whether err is CloudWatch throttling the call.
func isThrottle(err error) bool {
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.ErrorCode() {
	case "Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException":
		return true
	}
	return false
}
