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

// lmiFleetChart draws the LMI capacity provider's instances in each
// interval of the traffic profile (one profile period, as sized); false
// when there is no profile.
func lmiFleetChart(r *fleet.Result, suffix string) (Chart, bool) {
	l := r.LMI
	if l == nil || len(l.InstancesOverTime) == 0 || l.IntervalSeconds <= 0 {
		return Chart{}, false
	}
	xy := make([][2]float64, 0, len(l.InstancesOverTime)+1)
	for i, n := range l.InstancesOverTime {
		xy = append(xy, [2]float64{float64(i) * l.IntervalSeconds / 3600, float64(n)})
	}
	// The last interval lasts until its end.
	xy = append(xy, [2]float64{float64(len(l.InstancesOverTime)) * l.IntervalSeconds / 3600, float64(l.InstancesOverTime[len(l.InstancesOverTime)-1])})
	return xyChart(xySpec{
		ID: "lmi-fleet" + suffix, Title: "Lambda Managed Instances: instances over the traffic profile",
		Subtitle: fmt.Sprintf("%s instances per %s interval (at least %d), sized at %s%% target CPU", l.InstanceType, Numf(l.IntervalSeconds/60, 0)+"-minute", l.MinInstances, Numf(l.TargetCPU*100, 0)),
		Height:   320, ZoomX: len(xy) > 200,
		X:      axisSpec{Name: "hours since the start of the profile", Fmt: "numAxis", Min: 0, Max: "dataMax"},
		Y:      []axisSpec{{Name: "instances", Fmt: "numAxis", Integer: true}},
		Series: []seriesSpec{{Name: "LMI instances (" + l.InstanceType + ")", XY: xy, Step: true, Area: true, Fmt: "num", Color: colorLMI}},
	}), true
}
