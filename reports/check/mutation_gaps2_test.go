package check

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// A check over a whole dataset (no function:) whose functions' sources
// differ: orders measures its cold starts (150), thumbs does not (listed
// in not_measured). The dataset's cold-start rate is not known — orders'
// 150 over both functions' invocations would count thumbs' as none — so
// the threshold is refused naming thumbs (check-11: refused only when
// every function lacks it). legacy, incomplete (its invocations missing),
// is cut from the dataset: it would fail every threshold first.
func TestRunNotMeasuredOneOfTwo(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: all cold
    dataset: nm.json
    thresholds:
      cold_start_rate: ["< 0.5"]
`)
	copyDataset(t, p, "nm.json", func(s string) string {
		s = strings.Replace(s, `"architecture": "arm64",`, `"architecture": "arm64",
   "not_measured": ["summary.cold_starts"],`, 1)
		s = strings.Replace(s, `"cold_starts": 20,`, `"cold_starts": null,`, 1)
		i := strings.Index(s, `,
  {
   "name": "legacy"`)
		if i < 0 {
			t.Fatal("fixture changed: no legacy function")
		}
		return s[:i] + "\n ]\n}\n"
	})
	_, err := run(t, p, Options{})
	if !pricing.IsInput(err) || !strings.Contains(err.Error(), "does not measure cold_starts for thumbs") {
		t.Fatalf("err = %v, want the cold-start rate refused for thumbs", err)
	}
}

// A baseline check measured on incomplete data keeps its cost, but that
// cost is not the check's (values not collected): the total before is
// not known (check-14: summed as if complete), and the baseline's check
// is named. (The run's orders-worker is marked incomplete too, its
// increase thresholds against that baseline cannot pass, so the total
// after is not given either; no change is computed.)
func TestDiffTotalWithIncompleteBaseline(t *testing.T) {
	base := baselineOf(t, filepath.Join(testdata, "base.yaml"))
	if base.Checks[1].Name != "orders-worker" || base.Checks[1].Cost == nil {
		t.Fatalf("baseline's second check %s (cost %v)", base.Checks[1].Name, base.Checks[1].Cost)
	}
	base.Checks[1].Incomplete = "the dataset is incomplete (orders lacks summary.invocations)"
	r := mustRun(t, filepath.Join(testdata, "pr.yaml"), Options{Baseline: base, BaselinePath: "base.json"})
	d := r.Diff
	if d.MonthlyCostBefore != nil {
		t.Errorf("total before %v, want null: orders-worker's baseline is incomplete", *d.MonthlyCostBefore)
	}
	if len(d.MonthlyCostUnknown) == 0 || d.MonthlyCostUnknown[0] != "orders-worker (baseline)" {
		t.Errorf("unknown %q, want orders-worker (baseline) first", d.MonthlyCostUnknown)
	}
}

// The diff's total after is not known when a check's cost is not known
// in this run, whatever the others' (check-15: their sum shown): the
// baseline of testdata/base.yaml against itself with orders-worker's
// cost unknown now. The total before, every check's cost known, is the
// sum of the baseline's costs.
func TestDiffTotalAfterUnknown(t *testing.T) {
	old := baselineOf(t, filepath.Join(testdata, "base.yaml"))
	cur := baselineOf(t, filepath.Join(testdata, "base.yaml"))
	if cur.Checks[1].Name != "orders-worker" {
		t.Fatalf("second check %s", cur.Checks[1].Name)
	}
	cur.Checks[1].Cost = nil
	d := diff("base.json", old, cur)
	if d.MonthlyCostAfter != nil {
		t.Errorf("total after %v, want null: orders-worker's cost is not known", *d.MonthlyCostAfter)
	}
	var before float64
	for _, c := range old.Checks {
		before += c.Cost.TotalUSD()
	}
	if d.MonthlyCostBefore == nil || !near(*d.MonthlyCostBefore, before) {
		t.Errorf("total before %v, want %v", d.MonthlyCostBefore, before)
	}
	if strings.Join(d.MonthlyCostUnknown, ",") != "orders-worker" {
		t.Errorf("unknown %q", d.MonthlyCostUnknown)
	}
}
