package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// handPlan is a provisioned-concurrency plan built by hand (not by the
// search): five levels, the scenario at 2, the target a cold-start rate of
// at most 0.1 %, first met at level 4; its scenario name is hostile.
func handPlan() *planner.Plan {
	pt := func(level int, cost string, rate float64, cold int64, p99 float64) planner.Point {
		d := decimal.RequireFromString(cost)
		return planner.Point{Provisioned: level, Total: d, MonthlyCostUSD: d.InexactFloat64(), ColdStartRate: rate, ColdStarts: cold,
			LatencyP99Ms: p99, MeetsTarget: rate <= 0.001}
	}
	p := &planner.Plan{Scenario: xssName, Region: "us-east-1"}
	r := 0.001
	p.Target.MaxColdStartRate = &r
	p.Curve = []planner.Point{
		pt(0, "90.75", 0.004, 40, 612.5),
		pt(2, "95.10", 0.0025, 25, 540),
		pt(4, "99.20", 0.0008, 8, 410.25),
		pt(6, "103.60", 0.0002, 2, 398),
		pt(8, "108.00", 0, 0, 397.5),
	}
	p.Current = p.Curve[1]
	best := p.Curve[2]
	p.Best = &best
	p.MonthlySavingsUSD = -4.10 // 95.10 − 99.20
	return p
}

func TestPlanGridsGolden(t *testing.T) {
	p := handPlan()
	for _, f := range []Format{Table, Markdown} {
		var b bytes.Buffer
		if err := WriteGrids(&b, f, Style{}, PlanGrids(p)...); err != nil {
			t.Fatal(err)
		}
		golden(t, "plan."+string(f)+".golden", b.Bytes())
	}
	var b bytes.Buffer
	if err := WriteGrids(&b, CSV, Style{}, PlanCurveCSV(p)); err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.csv.golden", b.Bytes())
}

// planChart returns the trade-off chart of PlanPage(p), as the JSON the
// browser receives (so the test reads what echarts reads).
func planChart(t *testing.T, p *planner.Plan) map[string]any {
	t.Helper()
	var found *Chart
	for _, s := range PlanPage(p).Sections {
		for i := range s.Charts {
			if s.Charts[i].ID == "plan-tradeoff" {
				found = &s.Charts[i]
			}
		}
	}
	if found == nil {
		t.Fatal("the plan page has no plan-tradeoff chart")
	}
	b, err := json.Marshal(found.Option)
	if err != nil {
		t.Fatal(err)
	}
	var o map[string]any
	if err := json.Unmarshal(b, &o); err != nil {
		t.Fatal(err)
	}
	return o
}

type planSeries struct {
	Name  string
	YAxis int
	XY    [][2]float64
	// MarkX are the vertical lines (name → x), MarkY the horizontal ones.
	MarkX, MarkY map[string]float64
}

func planSeriesOf(t *testing.T, o map[string]any) []planSeries {
	t.Helper()
	var out []planSeries
	for _, x := range o["series"].([]any) {
		m := x.(map[string]any)
		s := planSeries{Name: m["name"].(string)}
		if v, ok := m["yAxisIndex"].(float64); ok {
			s.YAxis = int(v)
		}
		for _, d := range m["data"].([]any) {
			v := d.(map[string]any)["value"].([]any)
			s.XY = append(s.XY, [2]float64{v[0].(float64), v[1].(float64)})
		}
		if ml, ok := m["markLine"].(map[string]any); ok {
			for _, d := range ml["data"].([]any) {
				dm := d.(map[string]any)
				if x, ok := dm["xAxis"].(float64); ok {
					if s.MarkX == nil {
						s.MarkX = map[string]float64{}
					}
					s.MarkX[dm["name"].(string)] = x
				}
				if y, ok := dm["yAxis"].(float64); ok {
					if s.MarkY == nil {
						s.MarkY = map[string]float64{}
					}
					s.MarkY[dm["name"].(string)] = y
				}
			}
		}
		out = append(out, s)
	}
	return out
}

// TestPlanTradeoffSeries: the chart plots the plan's own numbers, typed in
// here from handPlan: cost in USD on the left axis, the cold-start rate in
// percent on the right one, the current and best levels as vertical lines
// and the target as a horizontal line on the rate's axis.
func TestPlanTradeoffSeries(t *testing.T) {
	o := planChart(t, handPlan())
	got := planSeriesOf(t, o)
	want := []planSeries{
		{Name: "Monthly cost", YAxis: 0, XY: [][2]float64{{0, 90.75}, {2, 95.10}, {4, 99.20}, {6, 103.60}, {8, 108}},
			MarkX: map[string]float64{"best: 4": 4, "current: 2": 2}},
		{Name: "Cold-start rate (%)", YAxis: 1, XY: [][2]float64{{0, 0.4}, {2, 0.25}, {4, 0.08}, {6, 0.02}, {8, 0}},
			MarkY: map[string]float64{"target ≤ 0.1%": 0.1}},
	}
	if len(got) != len(want) {
		t.Fatalf("series = %+v, want %+v", got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Name != w.Name || g.YAxis != w.YAxis || !reflect.DeepEqual(g.MarkX, w.MarkX) || !reflect.DeepEqual(g.MarkY, w.MarkY) {
			t.Errorf("series %d = %+v, want %+v", i, g, w)
		}
		if len(g.XY) != len(w.XY) {
			t.Fatalf("series %d has %d points, want %d", i, len(g.XY), len(w.XY))
		}
		for j := range w.XY {
			// Rates are multiplied by 100 in float: equal to 1e-12.
			if g.XY[j][0] != w.XY[j][0] || abs(g.XY[j][1]-w.XY[j][1]) > 1e-12 {
				t.Errorf("series %s point %d = %v, want %v", g.Name, j, g.XY[j], w.XY[j])
			}
		}
	}
	ys := o["yAxis"].([]any)
	if len(ys) != 2 || ys[0].(map[string]any)["name"] != "USD per month" || ys[1].(map[string]any)["name"] != "cold-start rate (%)" {
		t.Errorf("y axes = %v", ys)
	}
	x := o["xAxis"].([]any)[0].(map[string]any)
	if x["type"] != "value" || x["min"] != 0.0 || x["max"] != 8.0 || x["minInterval"] != 1.0 {
		t.Errorf("x axis = %v, want a value axis 0..8 on whole levels", x)
	}
	// The rate's data reach 0.4 %, above the 0.1 % target: no forced max.
	if _, ok := ys[1].(map[string]any)["max"]; ok {
		t.Errorf("the rate axis has a max although the data exceed the target: %v", ys[1])
	}
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// TestPlanTradeoffAxes: which qualities the right axes show follows the
// target; a target above every value stretches its axis to show its line.
func TestPlanTradeoffAxes(t *testing.T) {
	names := func(p *planner.Plan) []string {
		var n []string
		for _, s := range planSeriesOf(t, planChart(t, p)) {
			n = append(n, s.Name)
		}
		return n
	}

	// p99 only: cost and p99, the target at 500 ms on the p99 axis.
	p := handPlan()
	p.Target.MaxColdStartRate = nil
	p.Target.MaxP99Ms = 500
	if got, want := names(p), []string{"Monthly cost", "p99 latency (ms)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("p99 target: series %v, want %v", got, want)
	}
	s := planSeriesOf(t, planChart(t, p))[1]
	if s.YAxis != 1 || !reflect.DeepEqual(s.MarkY, map[string]float64{"target p99 ≤ 500 ms": 500}) || s.XY[2] != [2]float64{4, 410.25} {
		t.Errorf("p99 series = %+v", s)
	}

	// Both: a third axis to the right of the second.
	r := 0.001
	p.Target.MaxColdStartRate = &r
	o := planChart(t, p)
	if got, want := names(p), []string{"Monthly cost", "Cold-start rate (%)", "p99 latency (ms)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("two targets: series %v, want %v", got, want)
	}
	ys := o["yAxis"].([]any)
	if len(ys) != 3 || ys[2].(map[string]any)["offset"] != 64.0 || ys[2].(map[string]any)["position"] != "right" {
		t.Errorf("third axis = %v", ys)
	}
	if ps := planSeriesOf(t, o); ps[2].YAxis != 2 || ps[1].YAxis != 1 {
		t.Errorf("series axes = %d, %d; want 1, 2", ps[1].YAxis, ps[2].YAxis)
	}

	// No target: the cheapest level, the cold-start rate shown, no target line.
	p = handPlan()
	p.Target.MaxColdStartRate = nil
	ps := planSeriesOf(t, planChart(t, p))
	if len(ps) != 2 || ps[1].Name != "Cold-start rate (%)" || ps[1].MarkY != nil {
		t.Errorf("no target: %+v", ps)
	}

	// A target of 5 % above the 0.4 % maximum: the axis reaches 5.5 → 6.
	p = handPlan()
	r = 0.05
	p.Target.MaxColdStartRate = &r
	ys = planChart(t, p)["yAxis"].([]any)
	if ys[1].(map[string]any)["max"] != 6.0 {
		t.Errorf("rate axis max = %v, want 6 (above the 5 %% target)", ys[1].(map[string]any)["max"])
	}
}

func TestNiceCeil(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{
		{0.11, 0.12}, {1, 1}, {1.1, 1.2}, {5.5, 6}, {7, 8}, {8.5, 10}, {1100, 1200}, {2.1, 2.5}, {0, 1}, {-3, 1},
	} {
		if got := niceCeil(tc.in); abs(got-tc.want) > 1e-9*tc.want {
			t.Errorf("niceCeil(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// TestPlanPage: facts, marks and tables of the page; a plan no level meets
// and a plan with no curve render without a panic.
func TestPlanPage(t *testing.T) {
	p := handPlan()
	page := PlanPage(p)
	var facts []string
	for _, f := range page.Facts {
		facts = append(facts, f.Label+"="+f.Value)
	}
	if want := []string{"Current=$95.10", "Best=4", "Its cost=$99.20", "Extra cost=$4.10"}; !reflect.DeepEqual(facts, want) {
		t.Errorf("facts = %v, want %v", facts, want)
	}
	html := renderString(t, page)
	if strings.Contains(html, "<script>alert") {
		t.Error("the hostile scenario name is not escaped")
	}
	for _, w := range []string{"yes (best)", "0.08%", "$108.00"} {
		if !strings.Contains(html, w) {
			t.Errorf("the page lacks %q", w)
		}
	}

	// Nothing meets the target: only the current level is marked.
	p.Best = nil
	for i := range p.Curve {
		p.Curve[i].MeetsTarget = false
	}
	p.Notes = []string{"no provisioned-concurrency level up to 8 meets the target"}
	ps := planSeriesOf(t, planChart(t, p))
	if !reflect.DeepEqual(ps[0].MarkX, map[string]float64{"current: 2": 2}) {
		t.Errorf("no best: marks %v", ps[0].MarkX)
	}
	html = renderString(t, PlanPage(p))
	if !strings.Contains(html, "none meets the target") || !strings.Contains(html, "no level meets the target") {
		t.Error("a plan without a best level does not say so")
	}

	// The current level is the best: one mark says both.
	p = handPlan()
	p.Current = *p.Best
	if ps := planSeriesOf(t, planChart(t, p)); !reflect.DeepEqual(ps[0].MarkX, map[string]float64{"current = best: 4": 4}) {
		t.Errorf("current = best: marks %v", ps[0].MarkX)
	}

	// No curve at all: tables, no chart.
	empty := &planner.Plan{Region: "us-east-1"}
	var b bytes.Buffer
	if err := WritePlanHTML(&b, empty); err != nil {
		t.Fatal(err)
	}
	for _, s := range PlanPage(empty).Sections {
		if len(s.Charts) > 0 {
			t.Error("a plan with no curve has a chart")
		}
	}
}

// TestPlanAssumptionsShown: a plan's assumptions (its simulations' and its
// Managed Instances option's) are on its page and in its table output, as
// in its JSON; the page and the tables listed none.
func TestPlanAssumptionsShown(t *testing.T) {
	p := handPlan()
	p.Assumptions = pricing.Assumptions{{Field: "month", Value: "730 h", Why: "WARNING: the simulated 10m0s is scaled ×4380 <b>"}}
	html := renderString(t, PlanPage(p))
	if !strings.Contains(html, "<code>month</code> = 730 h · WARNING: the simulated 10m0s is scaled ×4380 &lt;b&gt;") {
		t.Error("the page does not list the plan's assumptions (escaped)")
	}
	var b strings.Builder
	if err := WritePlan(&b, Markdown, Style{}, p); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "| month | 730 h | WARNING: the simulated 10m0s is scaled ×4380") {
		t.Errorf("the markdown does not list the plan's assumptions:\n%s", b.String())
	}
}

// TestRecommendationsAssumptionsLMI: the Managed Instances options of a
// dataset's recommendations carry their own assumptions (the 50 % target,
// the default concurrency...), which the tables and the page now list
// with the recommendations' own, once each.
func TestRecommendationsAssumptionsLMI(t *testing.T) {
	rr := &planner.DatasetRecommendations{Assumptions: pricing.Assumptions{{Field: "month", Value: "730 h"}}}
	o := planner.LMIOption{Assumptions: pricing.Assumptions{{Field: "lmi.scale_out_lag", Value: "5m0s"}}}
	o.LMI.Assumptions = pricing.Assumptions{{Field: "lmi.target_cpu", Value: "50%"}, {Field: "month", Value: "730 h"}}
	rr.LMI = []planner.LMIOption{o, o}
	var got []string
	for _, a := range RecommendationsAssumptions(rr) {
		got = append(got, a.Field+"="+a.Value)
	}
	if want := []string{"month=730 h", "lmi.scale_out_lag=5m0s", "lmi.target_cpu=50%"}; !reflect.DeepEqual(got, want) {
		t.Errorf("assumptions %q, want %q", got, want)
	}
}
