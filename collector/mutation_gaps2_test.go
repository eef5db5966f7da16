package collector

import "testing"

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
