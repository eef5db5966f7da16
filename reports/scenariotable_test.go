package reports

import (
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/simulator"
)

// The scenario table names a provisioned-concurrency schedule, a monthly
// growth and the billing options, never a bare level the schedule changes.
func TestScenarioTableScheduleGrowthBilling(t *testing.T) {
	s, err := simulator.ParseScenario("s.yaml", []byte(`duration: 2h
function: {memory_mb: 512, duration: 50ms}
concurrency: {provisioned: 2, provisioned_schedule: [{at: 1h, level: 10}]}
traffic: {start_rate: 5, monthly_growth: 0.05}
billing: {free_tier: true, compute_savings_plan: 0.17}
`))
	if err != nil {
		t.Fatal(err)
	}
	var all []string
	for _, r := range scenarioTable(s).Rows {
		all = append(all, r[0].Text+": "+r[1].Text)
	}
	got := strings.Join(all, "\n")
	for _, w := range []string{
		"Provisioned concurrency: 2, 10 from 1h0m0s (schedule)",
		"Monthly growth: 5 % a month",
		"Billing: free tier true; Compute Savings Plan 17 %",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("table lacks %q:\n%s", w, got)
		}
	}
}
