package reports

import (
	"reflect"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

func TestLMIEstimateGrids(t *testing.T) {
	bill := &pricing.LMIBill{Region: "us-east-1", InstanceType: "m7g.xlarge", Architecture: pricing.ARM64, VCPU: 4, MemoryGiB: 16, Requests: 100_000_000, InstanceHours: 2000}
	bill.Assumptions.Add(pricing.Assumption{Field: "lmi.free_tier", Value: "not applied", Why: "x"})
	for _, c := range []struct {
		name   string
		sizing *fleet.LMISizing
		grids  int
		rows   map[string]string
	}{
		{"bill only", nil, 2, nil},
		{"sized per interval", &fleet.LMISizing{Sizing: fleet.Sizing{Instances: 3, MeanInstances: 2.5, LimitedBy: "cpu", Utilization: 0.25, PeakUtilization: 0.5},
			EnvVCPU: 1, EnvMemoryGiB: 2, MaxConcurrency: 64, EnvsPerInstance: 4, EnvCapacityRPS: 12.345, Environments: 9, MinEnvironments: 3, MinInstances: 3, TargetCPU: 0.5, PerInterval: true},
			3, map[string]string{
				"Execution environment":     "1 vCPU, 2 GiB, max concurrency 64",
				"Req/s per environment":     "12.35 (cpu-bound, CPU target 50%)",
				"Environments at the peak":  "9 (at least 3)",
				"Environments per instance": "4",
				"Instances at the peak":     "3 (at least 3; sized per profile interval, mean 2.5)",
				"CPU utilisation":           "25% mean / 50% peak",
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			gs := LMIEstimateGrids(&fleet.LMIEstimate{LMIBill: bill, Sizing: c.sizing}, "2026-11-01")
			if len(gs) != c.grids {
				t.Fatalf("%d grids, want %d", len(gs), c.grids)
			}
			if want := "Lambda Managed Instances · us-east-1 · m7g.xlarge (arm64, 4 vCPU, 16 GiB) · 100,000,000 requests · 2,000 instance-hours · prices of 2026-11-01"; gs[0].Title != want {
				t.Errorf("title %q\nwant  %q", gs[0].Title, want)
			}
			if c.rows == nil {
				return
			}
			got := map[string]string{}
			for _, r := range gs[1].Rows {
				got[r[0]] = r[1]
			}
			if !reflect.DeepEqual(got, c.rows) {
				t.Errorf("sizing\n got %q\nwant %q", got, c.rows)
			}
		})
	}
}
