package reports

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/lmi"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// A simulation page with the scenario's lmi: run shows the LMI fleet and
// traffic over time, the run's figures (the 60 s minimum among them) and
// the bill; the instance type, which comes from the scenario, is escaped.
// The run is the hand-computed burst of simulator/lmi's TestMinimumBilling:
// 960 instance-seconds, 40 of them the minimum.
func TestSimulationPageLMI(t *testing.T) {
	it, err := pricing.Embedded().LMIInstance("us-east-1", "m7g.xlarge")
	if err != nil {
		t.Fatal(err)
	}
	burst := func(t time.Duration) float64 {
		if t >= 100*time.Second && t < 105*time.Second {
			return 200
		}
		return 30
	}
	c := lmi.Config{LMIConfig: fleet.LMIConfig{Runtime: "nodejs22.x", TargetCPU: 0.5, ScaleOutLag: 10 * time.Second}, Duration: 40 * time.Millisecond, CPUTime: 40 * time.Millisecond, ScaleInDelay: 10 * time.Second}
	r, err := lmi.Simulate(burst, 300*time.Second, it, c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Bill(pricing.Embedded(), "us-east-1", "m7g.xlarge", 0)
	if err != nil {
		t.Fatal(err)
	}
	sim := &simulator.Result{Region: "us-east-1"}
	p := SimulationPage(sim, nil)
	p.AddLMISimulation("m7g.xlarge<script>", r, b)
	var buf bytes.Buffer
	if err := p.Render(&buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, want := range []string{`id="lmi-instances"`, `id="lmi-traffic"`, "Lambda Managed Instances · m7g.xlarge&lt;script&gt;", "of which the 60 s minimum (s)", "0.267", "LMI bill of the simulated span", "lmi.minimum_billing"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(html, "m7g.xlarge<script>") {
		t.Error("the instance type is not escaped")
	}
}

// The multi-workload page sums LMI over the workloads; the plan page has
// its LMI section.
func TestComparisonsAndPlanPagesLMI(t *testing.T) {
	var rs []*fleet.Result
	var sum float64
	for _, rps := range []float64{50, 200} {
		in := fleet.Input{Region: "us-east-1", Name: "w", Function: pricing.FunctionConfig{MemoryMB: 1024, Architecture: pricing.ARM64},
			Workload:         fleet.Workload{MonthlyRequests: rps * pricing.SecondsPerMonth, PeakRPS: rps, Duration: 40 * time.Millisecond, CPUFraction: 1, MemoryPerRequestMB: 10},
			InstanceTypes:    []string{"m7g.large"},
			LMI:              fleet.LMIConfig{Runtime: "nodejs", TargetCPU: 0.5},
			LMIInstanceTypes: []string{"m7g.xlarge"},
		}
		r, err := fleet.Compare(pricing.Embedded(), in)
		if err != nil {
			t.Fatal(err)
		}
		sum += r.LMI.MonthlyCostUSD
		rs = append(rs, r)
	}
	p := ComparisonsPage(rs)
	var found bool
	for _, f := range p.Facts {
		found = found || f.Label == "LMI, all workloads" && f.Value == USDf(sum)
	}
	if !found || !strings.Contains(p.Title, "LMI") {
		t.Errorf("title %q, facts %+v (want LMI %s)", p.Title, p.Facts, USDf(sum))
	}

	s, err := simulator.LoadScenario("../examples/steady.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s.Duration = pricing.Duration(time.Hour)
	plan, err := planner.PlanProvisioned(context.Background(), s, planner.PlanOptions{MaxLevel: 3, Workers: 1, Sim: simulator.Options{Prices: pricing.Embedded()}})
	if err != nil || plan.LMI == nil {
		t.Fatalf("plan: %v, LMI %v", err, plan)
	}
	var buf bytes.Buffer
	if err := WritePlanHTML(&buf, plan); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Lambda Managed Instances for the same traffic", "Throttle risk", plan.LMI.LMI.InstanceType} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("plan page lacks %q", want)
		}
	}
}
