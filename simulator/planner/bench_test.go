package planner

import (
	"context"
	"testing"
)

// BenchmarkPlanSteady plans provisioned concurrency for the steady scenario
// (6,000 invocations per level; about ten levels simulated).
func BenchmarkPlanSteady(b *testing.B) {
	s, err := loadSteadyB()
	if err != nil {
		b.Fatal(err)
	}
	zero := 0.0
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PlanProvisioned(context.Background(), s, PlanOptions{Target: Target{MaxColdStartRate: &zero}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchSynthetic is the search alone over 201 levels with a
// closed-form evaluator.
func BenchmarkSearchSynthetic(b *testing.B) {
	rate := 0.05
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Search(context.Background(), synthetic, 0, PlanOptions{Target: Target{MaxColdStartRate: &rate}, MaxLevel: 200, Workers: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
