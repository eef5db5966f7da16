package infra

import (
	"testing"

	"github.com/shopspring/decimal"
)

// line returns the quantity and cost of the cost line name of a side.
func line(t *testing.T, s *Side, name string) (q, c decimal.Decimal) {
	t.Helper()
	if s == nil || s.Cost == nil {
		t.Fatalf("side has no known cost: %+v", s)
	}
	for _, l := range s.Cost.Lines {
		if l.Name == name {
			q, c = q.Add(l.Quantity), c.Add(l.Cost)
		}
	}
	return q, c
}

// TestScenarioCommonRandomNumbersMemory prices testdata/iac/plan-memory.json
// (checkout-api 512 → 2048 MB, nothing else) with a scenario of Poisson
// arrivals and lognormal durations and INIT
// (scenarios/checkout-api-poisson.yaml). Both sides are simulated with
// common random numbers and no tune result, so they see the same arrivals
// and the same duration and INIT per invocation: the requests are equal and
// the head's GB-s are exactly 2048 / 512 = 4 times the base's (same billed
// ms at 4 × the GB), at the same rate, so the head's duration cost is 4 ×
// the base's and the function's difference is 3 × the base's duration cost.
func TestScenarioCommonRandomNumbersMemory(t *testing.T) {
	e := priceScenario(t, "../testdata/iac/plan-memory.json", []string{"../testdata/iac/scenarios/checkout-api-poisson.yaml"}, nil)
	f := findFn(t, e, "aws_lambda_function.api")
	bq, bc := line(t, f.Base, "requests")
	hq, hc := line(t, f.Head, "requests")
	if bq.IsZero() || !bq.Equal(hq) || !bc.Equal(hc) {
		t.Errorf("requests base %s ($%s) ≠ head %s ($%s): the sides saw different arrivals", bq, bc, hq, hc)
	}
	four := decimal.NewFromInt(4)
	bgbs, bdur := line(t, f.Base, "duration")
	hgbs, hdur := line(t, f.Head, "duration")
	eq(t, "head GB-s", hgbs, bgbs.Mul(four))
	eq(t, "head duration cost", hdur, bdur.Mul(four))
	eq(t, "diff", f.Diff, bdur.Mul(decimal.NewFromInt(3)))
	if b, h := f.Base.Simulated, f.Head.Simulated; b == nil || h == nil || b.ColdStarts != h.ColdStarts {
		t.Errorf("cold starts base %+v head %+v: a memory change without a tune result changes no draw", b, h)
	}
	found := false
	for _, a := range e.Assumptions {
		found = found || a.Field == "aws_lambda_function.api.simulation" && a.Value == "common random numbers (seed 7)"
	}
	if !found {
		t.Errorf("common random numbers not stated: %+v", e.Assumptions)
	}
}

// TestScenarioCommonRandomNumbersProvisioned prices testdata/iac/plan-pc.json
// (orders gains provisioned concurrency 1) with Poisson arrivals and
// lognormal durations and INIT (scenarios/orders-poisson.yaml). The head
// has fewer cold starts, so fewer INIT draws; with one random stream that
// would shift every later arrival and duration (the requests of the two
// sides differed: 52,592,120 vs 52,607,450 a month). With common random
// numbers the arrivals are the same, so the requests are equal, and the
// head's cold starts are fewer than the base's.
func TestScenarioCommonRandomNumbersProvisioned(t *testing.T) {
	e := priceScenario(t, "../testdata/iac/plan-pc.json", []string{"../testdata/iac/scenarios/orders-poisson.yaml"}, nil)
	f := findFn(t, e, "aws_lambda_function.orders")
	bq, _ := line(t, f.Base, "requests")
	hq, _ := line(t, f.Head, "requests")
	if bq.IsZero() || !bq.Equal(hq) {
		t.Errorf("requests base %s ≠ head %s: the sides saw different arrivals", bq, hq)
	}
	if b, h := f.Base.Simulated, f.Head.Simulated; b == nil || h == nil || h.ColdStarts >= b.ColdStarts || h.ProvisionedShare == 0 {
		t.Errorf("simulated base %+v head %+v: want fewer cold starts with provisioned concurrency", b, h)
	}
}
