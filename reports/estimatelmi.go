package reports

import (
	"fmt"

	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// LMIEstimateGrids are the human views of a Lambda Managed Instances
// estimate: the bill (prices of priceDate), the capacity provider's sizing
// when there is one, and the assumptions.
func LMIEstimateGrids(e *fleet.LMIEstimate, priceDate string) []Grid {
	b := e.LMIBill
	title := fmt.Sprintf("Lambda Managed Instances · %s · %s (%s, %d vCPU, %g GiB) · %s requests · %s instance-hours · prices of %s",
		b.Region, b.InstanceType, b.Architecture, b.VCPU, b.MemoryGiB, Numf(float64(b.Requests), 0), Numf(b.InstanceHours, 2), priceDate)
	g := CostLinesGrid(title, b.Cost)
	grids := []Grid{g}
	if s := e.Sizing; s != nil {
		mode := "sized for the peak all month"
		if s.PerInterval {
			mode = fmt.Sprintf("sized per profile interval, mean %s", Numf(s.MeanInstances, 2))
		}
		sg := Grid{Title: "Capacity provider sizing", Header: []string{"Quantity", "Value"}, AlignRight: map[int]bool{1: true}}
		sg.Rows = [][]string{
			{"Execution environment", fmt.Sprintf("%g vCPU, %g GiB, max concurrency %d", s.EnvVCPU, s.EnvMemoryGiB, s.MaxConcurrency)},
			{"Req/s per environment", fmt.Sprintf("%s (%s-bound, CPU target %s)", Numf(s.EnvCapacityRPS, 2), s.LimitedBy, Percent(s.TargetCPU))},
			{"Environments at the peak", fmt.Sprintf("%d (at least %d)", s.Environments, s.MinEnvironments)},
			{"Environments per instance", fmt.Sprint(s.EnvsPerInstance)},
			{"Instances at the peak", fmt.Sprintf("%d (at least %d; %s)", s.Instances, s.MinInstances, mode)},
			{"CPU utilisation", fmt.Sprintf("%s mean / %s peak", Percent(s.Utilization), Percent(s.PeakUtilization))},
		}
		grids = append(grids, sg)
	}
	return append(grids, AssumptionsGrid(b.Assumptions)...)
}
