package collector

import (
	"context"
	"testing"
	"time"
)

// GetMetricData is paced by calls and datapoints per second: against a
// stub that counts both over every second and throttles like CloudWatch,
// a collection at the stub's quota is never throttled and the quota is
// never exceeded; one whose quota is twice the stub's (other tools using
// the account's quota) is throttled, backs off and still completes.
//
// The quotas are scaled down (20,000 datapoints/s instead of 396,000) so
// that 3 calls of ~10,000 datapoints (100 functions × 1 h; 500 queries a
// call) cannot go out within one second.
func TestCollectPacesDatapoints(t *testing.T) {
	for _, tc := range []struct {
		name      string
		collector float64
		throttled bool
	}{
		{"at the quota", 20_000, false},
		{"twice the quota", 40_000, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Under -race on a loaded machine, encoding a 500-query
			// request takes a variable part of 100 ms: more margin.
			old := paceWindow
			paceWindow = 1500 * time.Millisecond
			t.Cleanup(func() { paceWindow = old })
			s := newStub(t, 100)
			s.Quota.TPS, s.Quota.DPS = 50, 20_000
			c := stubCollector(s)
			c.RatePerSecond = 0
			c.Quota = MetricQuota{CallsPerSecond: 50, PointsPerSecond: tc.collector}
			var last Progress
			c.Progress = func(p Progress) {
				if p.Phase == "metrics" {
					last = p
				}
			}
			began := time.Now()
			d, st, err := c.Collect(context.Background(), CollectOptions{All: true, Since: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			checkStubDataset(t, d, 100, 60)
			if len(d.Problems) != 0 {
				t.Errorf("problems: %v", d.Problems)
			}
			use := s.QuotaUse()
			if use.MaxPoints > 20_000 || use.MaxCalls > 50 {
				t.Errorf("quota exceeded: %+v", use)
			}
			if tc.throttled != (use.Throttled > 0) || (st.Throttles > 0) != tc.throttled {
				t.Errorf("throttled %d (collector saw %d), want throttling %v", use.Throttled, st.Throttles, tc.throttled)
			}
			// The datapoints asked for, at 20,000 a second, take at least
			// (points − 20,000) / 20,000 s after the first call.
			if min := time.Duration(float64(st.Datapoints-20_000) / 20_000 * float64(time.Second)); st.Datapoints > 20_000 && time.Since(began) < min {
				t.Errorf("%d datapoints in %s: faster than the quota allows", st.Datapoints, time.Since(began))
			}
			t.Logf("%d calls, %d datapoints asked for, %s, %+v", st.GetMetricDataCalls, last.PointsTotal, time.Since(began), use)
			if last.Done != int64(st.Batches) || last.PointsTotal == 0 || last.Points != last.PointsTotal {
				t.Errorf("last progress %+v, %d batches", last, st.Batches)
			}
		})
	}
}
