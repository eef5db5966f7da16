package check

import (
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// A value the dataset's source does not measure (logs carry no
// throttles; CloudWatch metrics no cold starts without Lambda Insights) is
// null and listed in not_measured: a threshold on it is refused by name
// with its position (exit 2), never passed on a 0 (before: `throttles ==
// 0` passed on an imported log). orders' own cold-start rate is still
// known: 150 cold starts of 100,000 invocations = 0.0015.
func TestRunNotMeasuredRefused(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: orders throttles
    dataset: nm.json
    function: orders
    thresholds:
      throttles: ["== 0"]
  - name: thumbs cold
    dataset: nm.json
    function: thumbs
    thresholds:
      cold_start_rate: ["< 0.01"]
`)
	copyDataset(t, p, "nm.json", func(s string) string {
		s = strings.Replace(s, `"provisioned_concurrency": 2,`, `"provisioned_concurrency": 2,
   "not_measured": ["summary.throttles"],`, 1)
		s = strings.Replace(s, `"throttles": 0,`, `"throttles": null,`, 1)
		// thumbs: CloudWatch without Lambda Insights.
		s = strings.Replace(s, `"architecture": "arm64",`, `"architecture": "arm64",
   "not_measured": ["summary.cold_starts"],`, 1)
		return strings.Replace(s, `"cold_starts": 20,`, `"cold_starts": null,`, 1)
	})
	_, err := run(t, p, Options{})
	if !pricing.IsInput(err) {
		t.Fatalf("err = %v, want an input error", err)
	}
	for _, want := range []string{"throttles == 0 cannot be evaluated", "does not measure throttles for orders", "cold_start_rate < 0.01 cannot be evaluated", "does not measure cold_starts for thumbs"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}

	p = writeConfig(t, `
checks:
  - name: orders cold
    dataset: nm.json
    function: orders
    thresholds:
      cold_start_rate: ["< 0.002"]
`)
	copyDataset(t, p, "nm.json", func(s string) string {
		s = strings.Replace(s, `"architecture": "arm64",`, `"architecture": "arm64",
   "not_measured": ["summary.cold_starts"],`, 1)
		return strings.Replace(s, `"cold_starts": 20,`, `"cold_starts": null,`, 1)
	})
	r := mustRun(t, p, Options{})
	if c := r.Checks[0]; !c.Passed || !near(c.Metrics[ColdStartRate], 0.0015) {
		t.Errorf("orders: cold-start rate %v passed %v", c.Metrics[ColdStartRate], c.Passed)
	}
}
