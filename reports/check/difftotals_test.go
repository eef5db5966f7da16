package check

import (
	"path/filepath"
	"strings"
	"testing"
)

// The diff's total monthly cost adds every check's cost. When a check's
// cost is not known on one side (a dataset without a usable window, data
// not all collected), that side's total is not known either: JSON null,
// the checks named, and the headline says so — it summed the known costs
// only, so a check whose cost became unknown looked like a saving of its
// whole cost. Here the baseline's orders-worker has no cost: the total
// before is unknown; the total after is known (TestRunBaseline's
// checkout3M + orders + thumbnail).
func TestDiffTotalWithUnknownCost(t *testing.T) {
	base := baselineOf(t, filepath.Join(testdata, "base.yaml"))
	if base.Checks[1].Name != "orders-worker" {
		t.Fatalf("baseline's second check %s", base.Checks[1].Name)
	}
	base.Checks[1].Cost = nil
	delete(base.Checks[1].Metrics, MonthlyCostUSD)
	r := mustRun(t, filepath.Join(testdata, "pr.yaml"), Options{Baseline: base, BaselinePath: "base.json"})
	d := r.Diff
	if d.MonthlyCostBefore != nil {
		t.Errorf("total before %v, want null: orders-worker's cost is not known there", *d.MonthlyCostBefore)
	}
	after := dec(checkout3M) + dec(ordersMonthly) + dec(thumbnailMonthly)
	if d.MonthlyCostAfter == nil || !near(*d.MonthlyCostAfter, after) {
		t.Errorf("total after %v, want %v", d.MonthlyCostAfter, after)
	}
	if strings.Join(d.MonthlyCostUnknown, ",") != "orders-worker (baseline)" {
		t.Errorf("unknown %q", d.MonthlyCostUnknown)
	}
	var md strings.Builder
	if err := WriteMarkdown(&md, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "orders-worker (baseline)") || strings.Contains(md.String(), "Monthly cost increases") || strings.Contains(md.String(), "Monthly cost decreases") {
		t.Errorf("markdown headline:\n%s", strings.SplitN(md.String(), "###", 2)[0])
	}
}
