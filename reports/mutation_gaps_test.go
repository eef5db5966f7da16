package reports

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/infra"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/shopspring/decimal"
)

// Tests for the gaps a mutation run found in today's reports code; the
// expectations are derived by hand in the comments.

// TestComparePageLMIFactOrder: the LMI option is one more option, so its
// fact goes with the other options, before the two conclusions: the page's
// facts read Lambda, EC2, Fargate, the break-even, LMI, then "Cheapest now"
// and the saving last (mutant reports-03 put LMI between the two).
func TestComparePageLMIFactOrder(t *testing.T) {
	r := curveResult(true)
	p := ComparePage(r)
	want := []string{"Lambda " + string(r.Lambda.Architecture), "EC2", "Fargate", "Break-even vs EC2", "Lambda Managed Instances", "Cheapest now", "Saving vs " + r.Saving.Current}
	var got []string
	for _, f := range p.Facts {
		got = append(got, f.Label)
	}
	if len(got) != len(want) {
		t.Fatalf("facts %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("facts %q, want %q", got, want)
		}
	}
}

// TestInfraCSVRangedCells: a head whose architecture is unknown costs a
// range; the CSV grid gives its lowest and highest in two cells each, for
// the head and for the diff against the base (mutants reports-01, -02).
// Base $10.00; head $13.7334 to $17.0712 (the two architectures' bills;
// any two figures do): head lowest $13.73, head highest $17.07;
// diff lowest 13.7334 − 10 = +$3.73, diff highest 17.0712 − 10 = +$7.07.
// The footer's totals are the same single function's (its head is in the
// head range, not the known subtotal).
func TestInfraCSVRangedCells(t *testing.T) {
	d := decimal.RequireFromString
	rng := &infra.Range{Min: d("13.7334"), Max: d("17.0712")}
	e := &infra.Estimate{Region: "us-east-1", Path: "main.tf", HasBase: true,
		Functions: []infra.FunctionDiff{{Address: "aws_lambda_function.thumbnail", Change: infra.Changed,
			Base: &infra.Side{Cost: &pricing.Cost{Total: d("10")}},
			Head: &infra.Side{Range: rng}}},
		// As infra.Price totals it: the function is ranged, so it is in no
		// known subtotal and in the diff range at 13.7334 − 10 and 17.0712 − 10.
		Totals: infra.Totals{Base: d("10"), HeadRange: rng, DiffRange: &infra.Range{Min: d("3.7334"), Max: d("7.0712")}},
	}
	g := InfraCSVGrids(e)[0]
	if len(g.Rows) != 1 {
		t.Fatalf("rows %q", g.Rows)
	}
	want := []string{"$10.00", "$13.73", "$17.07", "+$3.73", "+$7.07"}
	if got := g.Rows[0][2:7]; !slices.Equal(got, want) {
		t.Errorf("row cells (base, head lowest, head highest, diff lowest, diff highest) = %q, want %q", got, want)
	}
	if got := g.Footer[2:7]; !slices.Equal(got, want) {
		t.Errorf("footer cells = %q, want %q", got, want)
	}
}

// TestDatasetReportWithLogBytes: the options given to the dataset report
// reach its bill (mutant reports-05 dropped them). The mixed-PC dataset
// does not measure log bytes; --log-bytes 1024 prices every invocation's
// 1,024 bytes: orders 100,000 + thumbs 5,000 invocations (legacy's are
// unknown) = 105,000 × 1,024 B = 107,520,000 B = 107,520,000 / 2^30 GB at
// $0.50 per GB (CloudWatch Logs standard ingestion, us-east-1, first
// tier) = $0.050067901611328125 in the window.
func TestDatasetReportWithLogBytes(t *testing.T) {
	d, err := pricing.ReadDataset("../pricing/testdata/mixed-pc.dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewDatasetReportWith(d, pricing.Embedded(), pricing.Options{LogBytesPerRequest: 1024})
	if err != nil {
		t.Fatal(err)
	}
	var logs *pricing.CostLine
	for i, l := range r.Bill.Window.Cost.Lines {
		if l.Name == pricing.LineLogs {
			logs = &r.Bill.Window.Cost.Lines[i]
		}
	}
	if logs == nil {
		t.Fatalf("no logs line in the window's bill: %+v", r.Bill.Window.Cost.Lines)
	}
	want := 105000.0 * 1024 / (1 << 30) * 0.5
	if got := logs.Cost.InexactFloat64(); math.Abs(got-want) > 1e-12 {
		t.Errorf("logs line $%s, want $%.12f", logs.Cost, want)
	}
}

// TestInfraSummaryHeadlineIncomplete: the pull-request headline gives the
// change of the functions known on both sides, the range the functions of
// unknown architecture span and how many functions have an unknown cost
// (it printed the known head subtotal − the whole base, +$8.33 in
// infra's TestTotalsDiffLikeForLike, with no word of what it left out).
// Totals as infra.Price gives them there: diff $16.8667 (+100 % of the
// $16.8667 base it covers), with d $30.4001 to $33.7334, a unknown.
func TestInfraSummaryHeadlineIncomplete(t *testing.T) {
	d := decimal.RequireFromString
	pct := 100.0
	e := &infra.Estimate{Region: "us-east-1", Path: "plan.json", HasBase: true,
		Totals: infra.Totals{Base: d("25.40005"), Head: d("33.7334"), Diff: d("16.8667"), IncreasePct: &pct,
			DiffRange: &infra.Range{Min: d("30.4001"), Max: d("33.7334")},
			Unknown:   []string{"a (head: memory_size known after apply)"}}}
	var b strings.Builder
	if err := WriteInfraSummary(&b, e, ""); err != nil {
		t.Fatal(err)
	}
	want := "### Lambda cost change: +$30.40 to +$33.73/month, without 1 function(s) of unknown cost (+100.0% on the functions known on both sides)\n"
	if got, _, _ := strings.Cut(b.String(), "\n"); got+"\n" != want {
		t.Errorf("headline %q, want %q", got, want)
	}
}
