package reports

import (
	"fmt"

	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// colorLMI is Lambda Managed Instances in comparison charts.
const colorLMI = "#ea7ccc"

// lmiOption is Lambda Managed Instances as a comparison option, shaped as
// a fleet (its instances, utilisation and bill); nil when not compared.
func lmiOption(r *fleet.Result) *compareOption {
	if r.LMI == nil {
		return nil
	}
	l := r.LMI
	f := &fleet.FleetResult{Kind: "lmi", InstanceType: l.InstanceType, Architecture: l.Architecture, Sizing: l.Sizing, MonthlyCostUSD: l.MonthlyCostUSD, Cost: l.Cost, Total: l.Total}
	return &compareOption{fmt.Sprintf("LMI %s × %d", l.InstanceType, l.Instances), l.MonthlyCostUSD, l.Cost, colorLMI, f}
}

// lmiCurveSeries is LMI's line on the cost curve, with its break-even marks.
func lmiCurveSeries(r *fleet.Result) (seriesSpec, bool) {
	if r.LMI == nil {
		return seriesSpec{}, false
	}
	xy := make([][2]float64, 0, len(r.Curve))
	for _, c := range r.Curve {
		if c.RequestsPerMonth <= 0 || c.LMIUSD <= 0 {
			continue
		}
		xy = append(xy, [2]float64{float64(c.RequestsPerMonth), c.LMIUSD})
	}
	var marks []markLine
	for _, b := range r.Breakevens {
		if b.Fleet == "lmi" && b.RequestsPerMonth != nil && *b.RequestsPerMonth > 0 {
			marks = append(marks, markLine{Name: fmt.Sprintf("%s = LMI at %s", b.LambdaArchitecture, shortBreakeven(b.RequestsPerMonth)), X: float64(*b.RequestsPerMonth)})
		}
	}
	return seriesSpec{Name: "LMI (" + r.LMI.InstanceType + ")", XY: xy, Fmt: "usd", Color: colorLMI, Step: true, MarkX: marks}, true
}
