package infra

import (
	"context"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

func priceScenario(t *testing.T, plan string, scenarios, tunes []string) *Estimate {
	t.Helper()
	e, err := Source{Terraform: plan, Scenarios: scenarios, Tunes: tunes}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestScenarioProvisionedConcurrency prices testdata/iac/plan-pc.json (the
// function "orders", 1024 MB x86_64, unchanged; a provisioned-concurrency
// config of 1 on "live" created) with testdata/iac/scenarios/orders.yaml:
// one hour of evenly spaced arrivals at 20 req/s (the n-th at
// (n − ½)/20 s: 25 ms, 75 ms, ...; 72,000 in the hour), 80 ms each, 10 ms
// INIT, projected ×730 to a month.
func TestScenarioProvisionedConcurrency(t *testing.T) {
	e := priceScenario(t, "../testdata/iac/plan-pc.json", []string{"../testdata/iac/scenarios/orders.yaml"}, nil)
	f := findFn(t, e, "aws_lambda_function.orders")
	if f.Change != Changed || len(f.Why) != 1 || f.Why[0] != "provisioned concurrency none → 1 on live" {
		t.Fatalf("change = %s %v", f.Change, f.Why)
	}
	// Base, no PC: the arrival at 25 ms starts A cold (busy 25–115 ms:
	// 10 + 80), the one at 75 ms finds A busy and starts B cold (75–165);
	// from then on A and B alternate warm (A is free at 115 for 125, B at
	// 165 for 175, ...). 2 cold starts an hour: billed ms = 72,000 × 80 +
	// 2 × 10 = 5,760,020 an hour, ×730 = 4,204,814,600 ms a month, at 1 GB
	// = 4,204,814.6 GB-s × $0.0000166667 = $70.08038349382; requests
	// 72,000 × 730 = 52,560,000 × $0.20/M = $10.512.
	// Total $80.59238349382.
	eq(t, "base", sideTotal(t, f.Base), d("80.59238349382"))
	if s := f.Base.Simulated; s == nil || s.ColdStarts != 1460 || s.PeakConcurrency != 2 {
		t.Errorf("base simulated = %+v, want 2 × 730 = 1460 cold starts, peak 2", s)
	}
	// Head, PC 1: Lambda routes to the provisioned environment P first.
	// P serves 25 ms (until 105), the arrival at 75 spills over to B, cold
	// (75–165); 125 → P again (free at 105), 175 → B (free at 165), ...: odd
	// arrivals on P, even ones on B, 1 cold start an hour.
	//   on demand: 36,000 × 80 + 10 = 2,880,010 ms/h × 730 = 2,102,407,300 ms
	//     = 2,102,407.3 GB-s × $0.0000166667 = $35.04019174691
	//   provisioned duration: 36,000 × 80 × 730 = 2,102,400,000 ms
	//     = 2,102,400 GB-s × $0.0000097222 = $20.43995328
	//   provisioned concurrency: 1 × 1 GB × 2,628,000 s (730 h)
	//     = 2,628,000 GB-s × $0.0000041667 = $10.9500876
	//   requests $10.512
	// Total $76.94223262691: PC below the peak (2) removes half of the
	// on-demand GB-s and costs less than it saves here.
	eq(t, "head", sideTotal(t, f.Head), d("76.94223262691"))
	if s := f.Head.Simulated; s == nil || s.ColdStarts != 730 || s.ProvisionedShare != 0.5 {
		t.Errorf("head simulated = %+v, want 730 cold starts, half the invocations provisioned", s)
	}
	// Diff 76.94223262691 − 80.59238349382.
	eq(t, "diff", f.Diff, d("-3.65015086691"))
	eq(t, "total diff", e.Totals.Diff, d("-3.65015086691"))
	if !e.Totals.Complete {
		t.Errorf("totals incomplete: %+v", e.Totals)
	}
	for _, a := range e.Assumptions {
		if a.Field == "duration" {
			t.Errorf("a scenario states its times per function; got the global %+v", a)
		}
	}
	// The simulated function's configuration is the plan's: the scenario
	// file gives no timeout, yet its default (3 s) is not listed as
	// simulated; what it leaves out of the traffic is (account_limit).
	limit := false
	for _, a := range e.Assumptions {
		if strings.HasSuffix(a.Field, ".function.timeout") && strings.HasPrefix(a.Why, "not given") {
			t.Errorf("the scenario's default listed for the plan's function: %+v", a)
		}
		limit = limit || strings.HasSuffix(a.Field, ".concurrency.account_limit")
	}
	if !limit {
		t.Errorf("the scenario's default account limit is not listed: %+v", e.Assumptions)
	}
}

// TestScenarioTunedMemory prices testdata/iac/plan-memory.json
// (checkout-api 512 → 2048 MB) with the scenario
// testdata/iac/scenarios/checkout-api.yaml (the even 20 req/s hour of
// TestScenarioProvisionedConcurrency, 80 ms and 10 ms INIT at 512 MB).
func TestScenarioTunedMemory(t *testing.T) {
	sc := []string{"../testdata/iac/scenarios/checkout-api.yaml"}
	// Without a tune result both sides keep the scenario's times: 2 cold
	// starts an hour, 4,204,814,600 ms a month (see above); at 512 MB =
	// 2,102,407.3 GB-s × $0.0000166667 = $35.04019174691 + $10.512 =
	// $45.55219174691; at 2048 MB 4 × the GB-s: 8,409,629.2 GB-s =
	// $140.16076698764 + $10.512 = $150.67276698764.
	e := priceScenario(t, "../testdata/iac/plan-memory.json", sc, nil)
	f := findFn(t, e, "aws_lambda_function.api")
	eq(t, "base", sideTotal(t, f.Base), d("45.55219174691"))
	eq(t, "head", sideTotal(t, f.Head), d("150.67276698764"))
	said := false
	for _, a := range e.Assumptions {
		said = said || a.Field == "aws_lambda_function.api.duration@2048" && strings.Contains(a.Why, "not modelled")
	}
	if !said {
		t.Errorf("the untuned memory change is not listed: %+v", e.Assumptions)
	}
	// The scenario is keyed by the function's name (checkout-api, the name
	// of aws_lambda_function.api), not its address: it matched, so no note
	// may call it unmatched.
	for _, n := range e.Notes {
		if strings.Contains(n, "matches no function") {
			t.Errorf("a scenario matched by the function's name is noted as unmatched: %q", n)
		}
	}

	// With testdata/iac/tune/checkout-api.json (512 MB: 80 ms, INIT 10 ms;
	// 2048 MB: 20 ms, INIT 4 ms, every invocation alike): the base is as
	// above; the head's 20 + 4 ms never overlap at 50 ms spacing, so one
	// environment, 1 cold start an hour: 72,000 × 20 + 4 = 1,440,004 ms/h
	// × 730 = 1,051,202,920 ms × 2 GB = 2,102,405.84 GB-s ×
	// $0.0000166667 = $35.040167413528 + $10.512 = $45.552167413528.
	e = priceScenario(t, "../testdata/iac/plan-memory.json", sc, []string{"../testdata/iac/tune/checkout-api.json"})
	f = findFn(t, e, "aws_lambda_function.api")
	eq(t, "tuned base", sideTotal(t, f.Base), d("45.55219174691"))
	eq(t, "tuned head", sideTotal(t, f.Head), d("45.552167413528"))
	if s := f.Head.Simulated; s == nil || s.ColdStarts != 730 || s.PeakConcurrency != 1 {
		t.Errorf("tuned head simulated = %+v, want 730 cold starts, peak 1", s)
	}
}

// TestScenarioMissing: a function without a scenario is named with its
// missing usage, never defaulted; a scenario that matches nothing is noted.
func TestScenarioMissing(t *testing.T) {
	e := priceScenario(t, "../testdata/iac/plan-memory.json", []string{"../testdata/iac/scenarios/orders.yaml"}, nil)
	f := findFn(t, e, "aws_lambda_function.api")
	if len(f.MissingUsage) != 1 || !strings.Contains(f.MissingUsage[0], `no scenario for function "checkout-api"`) {
		t.Errorf("missing usage = %v", f.MissingUsage)
	}
	if e.Totals.Complete {
		t.Error("totals complete without usage")
	}
	noted := false
	for _, n := range e.Notes {
		noted = noted || strings.Contains(n, "orders.yaml (orders) matches no function")
	}
	if !noted {
		t.Errorf("notes = %v", e.Notes)
	}
	// KEY=FILE matches by address; two scenarios for one key are refused.
	e = priceScenario(t, "../testdata/iac/plan-memory.json", []string{"aws_lambda_function.api=../testdata/iac/scenarios/orders.yaml"}, nil)
	if f := findFn(t, e, "aws_lambda_function.api"); len(f.MissingUsage) != 0 || f.Head.Cost == nil {
		t.Errorf("keyed scenario not used: %+v", f)
	}
	_, err := Source{Terraform: "../testdata/iac/plan-memory.json", Scenarios: []string{"../testdata/iac/scenarios/checkout-api.yaml", "checkout-api=../testdata/iac/scenarios/orders.yaml"}}.
		Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{})
	if err == nil || !pricing.IsInput(err) || !strings.Contains(err.Error(), "two scenarios for checkout-api") {
		t.Errorf("err = %v", err)
	}
}

// TestDatasetSimulatesProvisionedChange: plan-pc.json adds provisioned
// concurrency 1 to "orders", whose dataset traffic
// (testdata/iac/dataset-series.json: 600 invocations a minute for an hour,
// 100 ms on average, a peak of 3 busy environments) the single environment
// cannot cover. The dataset's traffic is replayed through the simulator on
// both sides (Poisson arrivals within each minute, a duration distribution
// fitted to its statistics: the counts are sampled, so the test holds what
// is certain).
func TestDatasetSimulatesProvisionedChange(t *testing.T) {
	e, err := Source{Terraform: "../testdata/iac/plan-pc.json", Dataset: "../testdata/iac/dataset-series.json"}.
		Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, e, "aws_lambda_function.orders")
	if !strings.Contains(f.UsageFrom, "(its traffic simulated)") || f.Base.Simulated == nil || f.Head.Simulated == nil {
		t.Fatalf("not simulated: %+v", f)
	}
	// Base: no provisioned environment serves anything.
	if s := f.Base.Simulated; s.ProvisionedShare != 0 || s.ColdStarts == 0 {
		t.Errorf("base simulated = %+v", s)
	}
	// Head: the one provisioned environment serves some invocations but not
	// all (busy environments reach 3 at 10 req/s × 100 ms), the rest spill
	// over on demand; before, the whole head was priced on demand (an upper
	// bound).
	if s := f.Head.Simulated; !(s.ProvisionedShare > 0 && s.ProvisionedShare < 1) {
		t.Errorf("head simulated = %+v, want a share of the invocations on the provisioned environment", s)
	}
	// The environment bills all month: 1 × 1 GB × 2,628,000 s =
	// 2,628,000 GB-s × $0.0000041667 = $10.9500876.
	found := false
	for _, l := range f.Head.Cost.Lines {
		if l.Name == "provisioned_concurrency" {
			found = true
			eq(t, "pc quantity", l.Quantity, d("2628000"))
			eq(t, "pc cost", l.Cost, d("10.9500876"))
		}
	}
	if !found {
		t.Errorf("no provisioned_concurrency line: %+v", f.Head.Cost.Lines)
	}
	for _, a := range e.Assumptions {
		if strings.Contains(a.Value, "upper bound") {
			t.Errorf("a simulated change is still priced as an upper bound: %+v", a)
		}
	}

	// A dataset without an invocation series cannot be replayed: the
	// observed usage stays, and the reason is listed.
	e, err = Source{Terraform: "../testdata/iac/plan-pc.json", Dataset: "../testdata/iac/dataset-730h.json"}.
		Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// (dataset-730h.json has no function "orders": missing, named.)
	if f := findFn(t, e, "aws_lambda_function.orders"); len(f.MissingUsage) != 1 {
		t.Errorf("missing usage = %v", f.MissingUsage)
	}
}

// TestDatasetTuned: dataset-730h.json's checkout-api (10M invocations,
// 10,000 cold: a cold-start rate of 0.001) priced at 512 → 2048 MB
// (plan-memory.json) with the times of tune/checkout-api.json (512 MB:
// 80 ms, INIT 10 ms; 2048 MB: 20 ms, INIT 4 ms); the window is exactly
// 730 h, so no projection.
//
//	base: 9,990,000 × 80 + 10,000 × (80 + 10) = 800,100,000 ms × 0.5 GB
//	      = 400,050 GB-s × $0.0000166667 = $6.667513335 + $2 requests
//	head: 9,990,000 × 20 + 10,000 × (20 + 4) = 200,040,000 ms × 2 GB
//	      = 400,080 GB-s × $0.0000166667 = $6.668013336 + $2
func TestDatasetTuned(t *testing.T) {
	e, err := Source{Terraform: "../testdata/iac/plan-memory.json", Dataset: "../testdata/iac/dataset-730h.json", Tunes: []string{"../testdata/iac/tune/checkout-api.json"}}.
		Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, e, "aws_lambda_function.api")
	eq(t, "base", sideTotal(t, f.Base), d("8.667513335"))
	eq(t, "head", sideTotal(t, f.Head), d("8.668013336"))
	for _, a := range e.Assumptions {
		if a.Field == "duration" {
			t.Errorf("tuned times are per side; got the global %+v", a)
		}
	}
	// A tune result without the side's memory keeps the dataset's times, said.
	e, err = Source{Terraform: "../testdata/iac/plan.json", Dataset: "../testdata/iac/dataset-730h.json", Tunes: []string{"../testdata/iac/tune/checkout-api.json"}}.
		Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	said := false
	for _, a := range e.Assumptions {
		said = said || strings.Contains(a.Why, "has no 1024 MB entry (it has 512, 2048 MB)")
	}
	if !said {
		t.Errorf("the tune's missing size is not listed: %+v", e.Assumptions)
	}
}
