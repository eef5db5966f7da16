package runner

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// assumption returns the assumption named field, or fails.
func assumption(t *testing.T, as pricing.Assumptions, field string) pricing.Assumption {
	t.Helper()
	for _, a := range as {
		if a.Field == field {
			return a
		}
	}
	t.Fatalf("no %q assumption in %+v", field, as)
	return pricing.Assumption{}
}

// A run's cost per invocation and per million price its own mix of cold
// and warm invocations: 4 invocations one at a time in one environment
// are 1 cold start in 4 (the first; the environment is then reused), so
// the per-million cost bills 250,000 INITs, where production typically
// has under 1 % (AWS). Both that share and the free tier left out change
// the number, so the summary lists them: cold_start_rate 0.25 (1 of 4)
// and free_tier not applied.
func TestRunCostAssumptions(t *testing.T) {
	cfg := base(128, 5*time.Second)
	cfg.Isolation = IsolationNone
	res, _ := mustRun(t, cfg, ev(`{"action":"noop"}`), 4)
	if res.Summary.ColdStarts != 1 || res.Summary.Usage.ColdStarts != 1 {
		t.Fatalf("cold starts %d (usage %d), want 1", res.Summary.ColdStarts, res.Summary.Usage.ColdStarts)
	}
	a := assumption(t, res.Summary.Assumptions, "cold_start_rate")
	if !strings.HasPrefix(a.Value, "0.25 (1 of 4 invocations)") || !strings.Contains(a.Why, "cost_per_million_usd") {
		t.Errorf("cold_start_rate assumption %+v", a)
	}
	if a := assumption(t, res.Summary.Assumptions, "free_tier"); a.Value != "not applied" {
		t.Errorf("free_tier assumption %+v", a)
	}
	// Max Memory Used is the function's process memory, which reads lower
	// than Lambda's REPORT for the same code (this handler's kind, a
	// hello-world aws-lambda-go function: 9 MB here, 17 MB on Lambda in
	// maxday/lambda-perf's daily runs): the summary says so.
	if a := assumption(t, res.Summary.Assumptions, "max_memory_used_mb"); !strings.Contains(a.Why, "17 MB") {
		t.Errorf("max_memory_used_mb assumption %+v", a)
	}
}

// A sweep lists its own assumptions (they reach -o json's envelope, which
// does not look inside each size's run): the cold-start share its costs
// are weighted by (1/--count = 1/4 = 0.25 by default), the free tier left
// out, and — without cgroups — that durations and costs are modelled from
// CPU time rather than measured at Lambda's CPU share.
func TestTuneAssumptions(t *testing.T) {
	cfg := base(128, 5*time.Second)
	cfg.Isolation = IsolationNone
	res, err := Tune(context.Background(), cfg, []int{128, 256}, 4, Strategy{Name: StrategyCost}, ev(`{"action":"noop"}`))
	if err != nil {
		t.Fatal(err)
	}
	if a := assumption(t, res.Assumptions, "cold_start_rate"); a.Value != "0.25" || !strings.Contains(a.Why, "--count") {
		t.Errorf("cold_start_rate assumption %+v", a)
	}
	if a := assumption(t, res.Assumptions, "free_tier"); a.Value != "not applied" {
		t.Errorf("free_tier assumption %+v", a)
	}
	if a := assumption(t, res.Assumptions, "basis"); a.Value != "modelled" {
		t.Errorf("basis assumption %+v", a)
	}
	rate := 0.01
	res, err = Tune(context.Background(), cfg, []int{128}, 2, Strategy{Name: StrategyCost, ColdStartRate: &rate}, ev(`{"action":"noop"}`))
	if err != nil {
		t.Fatal(err)
	}
	if a := assumption(t, res.Assumptions, "cold_start_rate"); a.Value != "0.01" || !strings.Contains(a.Why, "--cold-start-rate") {
		t.Errorf("cold_start_rate assumption with --cold-start-rate 0.01: %+v", a)
	}
}
