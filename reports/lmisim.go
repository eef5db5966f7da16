package reports

import (
	"fmt"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/lmi"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// AddLMISimulation adds a scenario's run on Lambda Managed Instances (its
// `lmi:` section, simulator/lmi) to a simulation page: facts, the fleet
// and the traffic over time (instances, environments, CPU; offered and
// accepted rates with throttles by reason), and the bill of the span.
// Nothing is added when r is nil.
func (p *Page) AddLMISimulation(instanceType string, r *lmi.Result, b *pricing.LMIBill) {
	if r == nil {
		return
	}
	share := 0.0
	if r.Requests > 0 {
		share = r.Throttles / r.Requests
	}
	p.Facts = append(p.Facts,
		Fact{Label: "LMI throttles", Value: Numf(r.Throttles, 0), Detail: fmt.Sprintf("%s%% of requests on %s (%s concurrency, %s CPU)", Numf(share*100, 3), instanceType, Numf(r.ConcurrencyThrottles, 0), Numf(r.CPUThrottles, 0))},
		Fact{Label: "LMI instances", Value: fmt.Sprint(r.MaxInstances), Detail: fmt.Sprintf("at most; %s instance-hours over %s", Numf(r.InstanceHours, 3), humanSpan(r.Span))},
	)
	sec := Section{
		Title: "Lambda Managed Instances · " + instanceType,
		Text: "The same traffic on a Managed Instances capacity provider: no cold starts; the scaler adds environments (and the instances under them) after its lag when CPU or concurrency passes the target, " +
			"and requests that find no free slot or no free vCPU are throttled. Instances are billed per second from their start, at least 60 s each time one starts.",
	}
	if n := len(r.Series); n > 0 {
		inst, envs, cpu := make([][2]float64, n), make([][2]float64, n), make([][2]float64, n)
		offered, accepted := make([][2]float64, n), make([][2]float64, n)
		concThr, cpuThr := make([][2]float64, n), make([][2]float64, n)
		for i, pt := range r.Series {
			x := pt.T.Minutes()
			inst[i] = [2]float64{x, float64(pt.Instances)}
			envs[i] = [2]float64{x, float64(pt.Environments)}
			cpu[i] = [2]float64{x, pt.CPUUtilization * 100}
			offered[i] = [2]float64{x, pt.OfferedRPS}
			accepted[i] = [2]float64{x, pt.AcceptedRPS}
			concThr[i] = [2]float64{x, pt.ConcurrencyThrottles}
			cpuThr[i] = [2]float64{x, pt.CPUThrottles}
		}
		per := humanSpan(lmiInterval(r))
		xAxis := axisSpec{Name: "time since start (minutes)", Fmt: "minutes", Min: 0, Max: "dataMax"}
		sec.Charts = []Chart{
			xyChart(xySpec{
				ID: "lmi-instances", Title: "LMI: instances, environments and CPU", Subtitle: "at the end of each " + per + "; CPU is the environments' mean vCPU utilisation", ZoomX: n > 200,
				X: xAxis, Y: []axisSpec{{Name: "count", Fmt: "numAxis", Integer: true}, {Name: "CPU %", Fmt: "numAxis"}},
				Series: []seriesSpec{
					{Name: "Instances", XY: inst, Step: true, Area: true, Fmt: "num", Color: colorLMI},
					{Name: "Environments", XY: envs, Step: true, Fmt: "num", Color: colorX86},
					{Name: "CPU utilisation %", XY: cpu, YAxis: 1, Fmt: "num", Color: colorMuted, Dashed: true},
				},
			}),
			xyChart(xySpec{
				ID: "lmi-traffic", Title: "LMI: traffic and throttles by reason", Subtitle: "offered and accepted requests per second; throttled requests per " + per, ZoomX: n > 200,
				X: xAxis, Y: []axisSpec{{Name: "requests per second", Fmt: "numAxis"}, {Name: "throttled per " + per, Fmt: "numAxis", Integer: true}},
				Series: []seriesSpec{
					{Name: "Offered req/s", XY: offered, Area: true, Fmt: "num", Color: colorMuted},
					{Name: "Accepted req/s", XY: accepted, Fmt: "num", Color: colorLMI},
					{Name: "Concurrency throttles", Kind: "bar", Stack: "thr", XY: concThr, YAxis: 1, Fmt: "num", Color: colorThrottl},
					{Name: "CPU throttles", Kind: "bar", Stack: "thr", XY: cpuThr, YAxis: 1, Fmt: "num", Color: colorCold},
				},
			}),
		}
	}
	summary := HTMLTable{Title: "LMI run", Header: []string{"Metric", "Value"}, Half: true}
	row := func(k, v string, n float64) { summary.Rows = append(summary.Rows, []Cell{TextCell(k), NumCell(v, n)}) }
	row("Requests offered", Numf(r.Requests, 0), r.Requests)
	row("Accepted", Numf(r.Accepted, 0), r.Accepted)
	row("Throttles (concurrency)", Numf(r.ConcurrencyThrottles, 0), r.ConcurrencyThrottles)
	row("Throttles (CPU)", Numf(r.CPUThrottles, 0), r.CPUThrottles)
	row("Mean duration (ms)", Numf(float64(r.MeanDuration)/float64(time.Millisecond), 1), float64(r.MeanDuration)/float64(time.Millisecond))
	row("Max instances", fmt.Sprint(r.MaxInstances), float64(r.MaxInstances))
	row("Instances started", fmt.Sprint(r.InstanceStarts), float64(r.InstanceStarts))
	row("Instance-hours", Numf(r.InstanceHours, 3), r.InstanceHours)
	row("of which the 60 s minimum (s)", Numf(r.MinimumChargeSeconds, 0), r.MinimumChargeSeconds)
	row("Mean CPU utilisation (%)", Numf(r.MeanCPUUtilization*100, 1), r.MeanCPUUtilization*100)
	sec.Tables = append(sec.Tables, summary)
	if b != nil {
		bill := TableFromGrid(linesGrid("LMI bill of the simulated span", b.Cost.Lines, b.Cost.Total))
		bill.Half = true
		sec.Tables = append(sec.Tables, bill)
		for _, a := range b.Assumptions {
			p.Assumptions.Add(a)
		}
	}
	for _, a := range r.Assumptions {
		p.Assumptions.Add(a)
	}
	p.Sections = append(p.Sections, sec)
}

// lmiInterval is the report interval of an LMI run's series.
func lmiInterval(r *lmi.Result) time.Duration {
	if len(r.Series) > 1 {
		return r.Series[1].T - r.Series[0].T
	}
	return lmi.DefaultReportInterval
}

// AddLMIOption adds Lambda Managed Instances priced as an option (plan,
// recommend) to a page as a table; nothing when o is nil.
func (p *Page) AddLMIOption(o *planner.LMIOption) {
	if o == nil {
		return
	}
	t := TableFromGrid(LMIOptionGrid(o))
	p.Sections = append(p.Sections, Section{Title: "Lambda Managed Instances", Tables: []HTMLTable{t}})
}
