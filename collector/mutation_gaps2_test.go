package collector

import (
	"testing"
	"time"
)

// An export that queried init_duration's SampleCount (the cold starts)
// but not its Average (the INIT time) measures the cold starts, 1 + 2 =
// 3, but not their INIT: its mean is not known, not 0 ms (which would
// bill the 3 cold starts' INIT as nothing). Before, the INIT mean was
// read as a measured 0. (collector-31: the cold starts marked not
// measured when the Average is the statistic looked for.)
func TestImportMetricsInitAverageNotQueried(t *testing.T) {
	gmd := writeTemp(t, "gmd.json", `{"MetricDataResults": [
  {"Id": "i", "Label": "orders Invocations Sum", "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"], "Values": [6.0, 4.0], "StatusCode": "Complete"},
  {"Id": "a", "Label": "orders Duration Average", "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"], "Values": [110.0, 90.0], "StatusCode": "Complete"},
  {"Id": "c", "Label": "orders init_duration SampleCount", "Timestamps": ["2026-11-02T10:01:00+00:00", "2026-11-02T10:00:00+00:00"], "Values": [2.0, 1.0], "StatusCode": "Complete"}
]}`)
	d, _, err := ImportFiles([]string{gmd}, ImportOptions{MemoryMB: 1024})
	if err != nil {
		t.Fatal(err)
	}
	orders := findFn(t, d, "orders")
	if !orders.Measured("summary.cold_starts") || orders.Summary.ColdStarts != 3 {
		t.Errorf("cold starts %d, measured %v (not_measured %v); want 3, measured", orders.Summary.ColdStarts, orders.Measured("summary.cold_starts"), orders.NotMeasured)
	}
	if orders.Measured("summary.init_duration_ms") {
		t.Errorf("the INIT mean, not queried, taken as measured (%v ms; not_measured %v)", orders.Summary.InitDurationMs.Avg, orders.NotMeasured)
	}
}

// A timed-out REPORT's Duration is the timeout, a whole number of seconds,
// taken to the nearest second (collector-40): a Duration of 2999.98 ms
// (billed 3000 ms) is a 3 s timeout, not 2 s (rounded down).
func TestImportTimeoutReportNearestSecond(t *testing.T) {
	log := writeTemp(t, "fn.log", "REPORT RequestId: 069c8528-5926-43e2-a016-66ceeb943a46\tDuration: 2999.98 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout\n")
	d, _, err := ImportFiles([]string{log}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f := d.Functions[0]; f.Timeout.D() != 3*time.Second {
		t.Errorf("timeout %s, want 3s", f.Timeout)
	}
}
