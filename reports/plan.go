package reports

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// The views of `lambdacost plan`: a provisioned-concurrency plan (terminal
// tables, CSV curve, HTML page with the trade-off chart) and lists of
// recommendations. cmd/lambdacost only wires flags to these.

// colorTarget draws the target line of a plan (the constraint to meet).
const colorTarget = "#b91c1c"

// PlanTargetText describes a plan's target ("cold-start rate ≤ 0.001,
// p99 ≤ 400ms"), or "the cheapest level" when it has none.
func PlanTargetText(p *planner.Plan) string {
	var parts []string
	if r := p.Target.MaxColdStartRate; r != nil {
		// A fraction, not a percentage: go-pretty reads titles as formats.
		parts = append(parts, "cold-start rate ≤ "+Numf(*r, 6))
	}
	if p.Target.MaxP99Ms > 0 {
		parts = append(parts, "p99 ≤ "+time.Duration(p.Target.MaxP99Ms*float64(time.Millisecond)).String())
	}
	if t := p.Target.MaxThrottles; t != nil {
		parts = append(parts, fmt.Sprintf("throttles ≤ %d", *t))
	}
	if len(parts) == 0 {
		return "the cheapest level"
	}
	return strings.Join(parts, ", ")
}

func planTitle(p *planner.Plan) string {
	t := "Provisioned concurrency plan"
	if p.Scenario != "" {
		t += " · " + p.Scenario
	}
	return t
}

func isBest(p *planner.Plan, pt planner.Point) bool {
	return p.Best != nil && pt.Provisioned == p.Best.Provisioned
}

// PlanGrids renders a plan as terminal tables: the summary (current level,
// best level, the saving) and the trade-off curve of every level simulated.
func PlanGrids(p *planner.Plan) []Grid {
	s := Grid{Title: planTitle(p) + " · target: " + PlanTargetText(p), Header: []string{"", "Provisioned", "Monthly cost", "Cold start rate", "p99", "Throttles"},
		AlignRight: map[int]bool{1: true, 2: true, 3: true, 4: true, 5: true}}
	row := func(label string, pt planner.Point) []string {
		return []string{label, fmt.Sprint(pt.Provisioned), USD(pt.Total), Numf(pt.ColdStartRate*100, 4) + "%", Numf(pt.LatencyP99Ms, 1) + " ms", fmt.Sprint(pt.Throttles)}
	}
	s.Rows = append(s.Rows, row("Current", p.Current))
	if p.Best != nil {
		s.Rows = append(s.Rows, row("Best", *p.Best))
		if p.MonthlySavingsUSD >= 0 {
			s.Footer = []string{"Saving/month", "", USDf(p.MonthlySavingsUSD), "", "", ""}
		} else {
			s.Footer = []string{"Extra cost/month", "", USDf(-p.MonthlySavingsUSD), "", "", ""}
		}
	} else {
		s.Rows = append(s.Rows, []string{"Best", "none meets the target", "", "", "", ""})
	}
	c := Grid{Title: "Trade-off: every level simulated", Header: []string{"Provisioned", "Monthly cost", "Cold start rate", "Cold starts", "p99", "Throttles", "Meets target"},
		AlignRight: map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true, 5: true}}
	for _, pt := range p.Curve {
		meets := "no"
		if pt.MeetsTarget {
			meets = "yes"
		}
		if isBest(p, pt) {
			meets += " (best)"
		}
		c.Rows = append(c.Rows, []string{fmt.Sprint(pt.Provisioned), USD(pt.Total), Numf(pt.ColdStartRate*100, 4) + "%", fmt.Sprint(pt.ColdStarts),
			Numf(pt.LatencyP99Ms, 1) + " ms", fmt.Sprint(pt.Throttles), meets})
	}
	if p.LMI != nil {
		return []Grid{s, c, LMIOptionGrid(p.LMI)}
	}
	return []Grid{s, c}
}

// PlanCurveCSV is a plan's trade-off curve with plain numbers (rates as
// fractions, latency in ms, money in USD), for -o csv.
func PlanCurveCSV(p *planner.Plan) Grid {
	g := Grid{Header: []string{"provisioned", "monthly_cost_usd", "cold_start_rate", "cold_starts", "latency_p99_ms", "throttles", "meets_target", "best"}}
	for _, pt := range p.Curve {
		g.Rows = append(g.Rows, []string{fmt.Sprint(pt.Provisioned), pt.Total.String(), strconv.FormatFloat(pt.ColdStartRate, 'g', -1, 64),
			fmt.Sprint(pt.ColdStarts), strconv.FormatFloat(pt.LatencyP99Ms, 'g', -1, 64), fmt.Sprint(pt.Throttles), fmt.Sprint(pt.MeetsTarget), fmt.Sprint(isBest(p, pt))})
	}
	return g
}

func savingFact(v float64) Fact {
	if v >= 0 {
		return Fact{Label: "Saving", Value: USDf(v), Detail: "per month"}
	}
	return Fact{Label: "Extra cost", Value: USDf(-v), Detail: "per month, to meet the target"}
}

// PlanPage builds the HTML page of a provisioned-concurrency plan: headline
// facts, the trade-off chart (monthly cost against the level, with the
// cold-start rate and/or p99 latency the target constrains, the current and
// best levels and the target marked), and the tables of PlanGrids.
func PlanPage(p *planner.Plan) *Page {
	page := &Page{Title: planTitle(p), Subtitle: "target: " + PlanTargetText(p) + " · " + p.Region, Notes: p.Notes, Assumptions: PlanAssumptions(p)}
	page.Facts = append(page.Facts, Fact{Label: "Current", Value: USD(p.Current.Total), Detail: fmt.Sprintf("%d provisioned, per month", p.Current.Provisioned)})
	if p.Best != nil {
		page.Facts = append(page.Facts,
			Fact{Label: "Best", Value: fmt.Sprint(p.Best.Provisioned), Detail: "provisioned environments"},
			Fact{Label: "Its cost", Value: USD(p.Best.Total), Detail: "per month"},
			savingFact(p.MonthlySavingsUSD))
	} else {
		page.Facts = append(page.Facts, Fact{Label: "Best", Value: "none", Detail: "no level meets the target"})
	}
	grids := PlanGrids(p)
	summary := TableFromGrid(grids[0])
	summary.Title = "Plan"
	curve := TableFromGrid(grids[1])
	curve.Sortable = true
	trade := Section{Title: "Trade-off",
		Text: "Every level simulated with the same arrivals: each provisioned environment adds a fixed monthly cost and removes cold starts and on-demand duration."}
	if len(p.Curve) > 0 {
		trade.Charts = []Chart{planTradeoffChart(p)}
	}
	trade.Tables = []HTMLTable{curve}
	page.Sections = []Section{{Title: "Plan", Tables: []HTMLTable{summary}}, trade}
	if p.LMI != nil {
		page.Facts = append(page.Facts, Fact{Label: "LMI", Value: USD(p.LMI.LMI.Total), Detail: fmt.Sprintf("per month on %d × %s; throttle risk %s", p.LMI.LMI.Instances, p.LMI.LMI.InstanceType, lmiRiskLevel(p.LMI))})
		page.AddLMIOption(p.LMI)
	}
	return page
}

// planAxes says which quality the trade-off chart shows on its right axis:
// what the target constrains (the cold-start rate by default).
func planAxes(p *planner.Plan) (rate, p99 bool) {
	p99 = p.Target.MaxP99Ms > 0
	rate = p.Target.MaxColdStartRate != nil || !p99
	return rate, p99
}

// planTradeoffChart draws monthly cost (left axis) and the constrained
// quality (right axis) against the provisioned-concurrency level.
func planTradeoffChart(p *planner.Plan) Chart {
	showRate, showP99 := planAxes(p)
	n := len(p.Curve)
	cost, rate, p99 := make([][2]float64, n), make([][2]float64, n), make([][2]float64, n)
	maxLevel := 0
	for i, pt := range p.Curve {
		x := float64(pt.Provisioned)
		cost[i] = [2]float64{x, pt.Total.InexactFloat64()}
		rate[i] = [2]float64{x, pt.ColdStartRate * 100}
		p99[i] = [2]float64{x, pt.LatencyP99Ms}
		maxLevel = max(maxLevel, pt.Provisioned)
	}
	var marks []markLine
	cur := p.Current.Provisioned
	switch {
	case p.Best != nil && p.Best.Provisioned == cur:
		marks = append(marks, markLine{Name: fmt.Sprintf("current = best: %d", cur), X: float64(cur)})
	case p.Best != nil:
		marks = append(marks, markLine{Name: fmt.Sprintf("best: %d", p.Best.Provisioned), X: float64(p.Best.Provisioned)},
			markLine{Name: fmt.Sprintf("current: %d", cur), X: float64(cur)})
	default:
		marks = append(marks, markLine{Name: fmt.Sprintf("current: %d", cur), X: float64(cur)})
	}
	ys := []axisSpec{{Name: "USD per month", Fmt: "usdAxis"}}
	series := []seriesSpec{{Name: "Monthly cost", XY: cost, Fmt: "usd", Color: colorX86, Symbols: true, MarkX: marks}}
	type target struct {
		series     int
		name       string
		y, dataMax float64
	}
	var targets []target
	if showRate {
		ys = append(ys, axisSpec{Name: "cold-start rate (%)", Fmt: "numAxis"})
		series = append(series, seriesSpec{Name: "Cold-start rate (%)", XY: rate, YAxis: len(ys) - 1, Fmt: "numAxis", Color: colorCold, Symbols: true})
		if r := p.Target.MaxColdStartRate; r != nil {
			targets = append(targets, target{len(series) - 1, "target ≤ " + Numf(*r*100, 4) + "%", *r * 100, maxY(rate)})
		}
	}
	if showP99 {
		ys = append(ys, axisSpec{Name: "p99 latency (ms)", Fmt: "numAxis"})
		series = append(series, seriesSpec{Name: "p99 latency (ms)", XY: p99, YAxis: len(ys) - 1, Fmt: "ms", Color: colorEC2, Symbols: true})
		targets = append(targets, target{len(series) - 1, "target p99 ≤ " + Numf(p.Target.MaxP99Ms, 1) + " ms", p.Target.MaxP99Ms, maxY(p99)})
	}
	sub := "each level simulated with the same arrivals; dashed: the current level"
	if p.Best != nil {
		sub = "each level simulated with the same arrivals; dashed: the current and the best level"
	}
	if len(targets) > 0 {
		sub += "; dotted: the target"
	}
	title := "Monthly cost and cold-start rate by provisioned concurrency"
	switch {
	case showRate && showP99:
		title = "Monthly cost, cold-start rate and p99 latency by provisioned concurrency"
	case showP99:
		title = "Monthly cost and p99 latency by provisioned concurrency"
	}
	c := xyChart(xySpec{
		ID: "plan-tradeoff", Title: title, Subtitle: sub, Height: 420,
		X:      axisSpec{Name: "provisioned concurrency (environments)", Fmt: "numAxis", Min: 0, Max: max(1, maxLevel)},
		Y:      ys,
		Series: series,
	})
	eachMap(c.Option, "xAxis", func(_ int, m map[string]any) { m["minInterval"] = 1 })
	eachMap(c.Option, "yAxis", func(i int, m map[string]any) {
		if i == 2 {
			// A third axis stands right of the second one, its name
			// beyond it.
			m["position"] = "right"
			m["offset"] = 64
			m["nameTextStyle"] = map[string]any{"align": "left", "color": "#4b5563"}
		}
		for _, t := range targets {
			if series[t.series].YAxis == i && t.y >= t.dataMax {
				// A target above every value: the axis reaches it, so
				// that its line is drawn.
				m["max"] = niceCeil(t.y * 1.1)
			}
		}
	})
	if len(ys) > 2 {
		c.Option["grid"].([]any)[0].(map[string]any)["right"] = "120"
	}
	eachMap(c.Option, "series", func(i int, m map[string]any) {
		if i == 0 {
			// Level labels run along their lines, inside the plot, clear
			// of the axis names.
			if ml, ok := m["markLine"].(map[string]any); ok {
				if l, ok := ml["label"].(map[string]any); ok {
					l["position"] = "insideEndTop"
				}
			}
		}
		for ti, t := range targets {
			if t.series != i {
				continue
			}
			// Two targets: labels at opposite ends, in case the lines meet.
			pos := "insideEndTop"
			if ti == 1 {
				pos = "insideMiddleTop"
			}
			m["markLine"] = map[string]any{
				"symbol": []string{"none", "none"}, "silent": true,
				"label":     map[string]any{"show": true, "formatter": "{b}", "position": pos, "color": colorTarget},
				"lineStyle": map[string]any{"color": colorTarget, "type": "dotted", "width": 1.5},
				"data":      []any{map[string]any{"name": t.name, "yAxis": finite(t.y)}},
			}
		}
	})
	return c
}

func maxY(xy [][2]float64) float64 {
	m := 0.0
	for _, p := range xy {
		m = max(m, p[1])
	}
	return m
}

// niceCeil rounds v > 0 up to a round number (1, 1.2, 1.5, 2, 2.5, 3, 4,
// 5, 6 or 8 times a power of ten).
func niceCeil(v float64) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*e >= v*(1-1e-12) {
			return m * e
		}
	}
	return 10 * e
}

// PlanAssumptions are a plan's assumptions: its simulations' and, when
// Managed Instances were priced, theirs (the JSON lists both too).
func PlanAssumptions(p *planner.Plan) pricing.Assumptions {
	var as pricing.Assumptions
	for _, a := range p.Assumptions {
		as.Add(a)
	}
	if p.LMI != nil {
		for _, a := range p.LMI.Assumptions {
			as.Add(a)
		}
		for _, a := range p.LMI.LMI.Assumptions {
			as.Add(a)
		}
	}
	return as
}

// RecommendationsAssumptions are a dataset's recommendations' assumptions
// and those of the Managed Instances options priced for its functions
// (the JSON lists both; the tables and the page listed only the first).
func RecommendationsAssumptions(rr *planner.DatasetRecommendations) pricing.Assumptions {
	var as pricing.Assumptions
	for _, a := range rr.Assumptions {
		as.Add(a)
	}
	for _, o := range rr.LMI {
		for _, a := range o.Assumptions {
			as.Add(a)
		}
		for _, a := range o.LMI.Assumptions {
			as.Add(a)
		}
	}
	return as
}

// WritePlanHTML writes the HTML report of a provisioned-concurrency plan.
func WritePlanHTML(w io.Writer, p *planner.Plan, opts ...HTMLOption) error {
	return PlanPage(p).Render(w, opts...)
}

// RecommendationsGrid lists recommendations (plan --dataset or --tune) as
// a table.
func RecommendationsGrid(title string, recs []planner.Recommendation) Grid {
	g := Grid{Title: title, Header: []string{"Function", "Kind", "Severity", "Saving/month", "Recommendation"}, AlignRight: map[int]bool{3: true}}
	for _, r := range recs {
		save := ""
		if r.MonthlySavingsUSD != 0 {
			save = USDf(r.MonthlySavingsUSD)
		}
		g.Rows = append(g.Rows, []string{r.Function, r.Kind, r.Severity, save, r.Message})
	}
	if len(recs) == 0 {
		g.Rows = append(g.Rows, []string{"", "", "", "", "nothing to recommend"})
	}
	return g
}

// RecommendationsPage builds the HTML page of a list of recommendations.
func RecommendationsPage(title string, recs []planner.Recommendation) *Page {
	total := 0.0
	for _, r := range recs {
		total += r.MonthlySavingsUSD
	}
	page := &Page{Title: "Recommendations", Subtitle: title,
		Facts: []Fact{{Label: "Recommendations", Value: fmt.Sprint(len(recs))}, {Label: "Savings named", Value: USDf(total), Detail: "per month, not all combinable"}}}
	page.Sections = []Section{{Title: "By saving", Tables: []HTMLTable{TableFromGrid(RecommendationsGrid(title, recs))}}}
	return page
}

// LMIOptionGrid shows Lambda Managed Instances as an option: the fleet,
// its bill against Lambda's, the break-even and the throttle risk.
func LMIOptionGrid(o *planner.LMIOption) Grid {
	l := o.LMI
	g := Grid{Title: "Lambda Managed Instances for the same traffic", Header: []string{"", "Value"}}
	saving := "saves " + USDf(o.MonthlySavingsUSD)
	if o.MonthlySavingsUSD < 0 {
		saving = "costs " + USDf(-o.MonthlySavingsUSD) + " more"
	}
	g.Rows = [][]string{
		{"Instance type", l.InstanceType + " (" + string(l.Architecture) + ")"},
		{"Fleet", fmt.Sprintf("%d instances for the peak, %d environments of %g vCPU × %d concurrent (%s-bound)", l.Instances, l.Environments, l.EnvVCPU, l.MaxConcurrency, l.LimitedBy)},
		{"Monthly cost", USD(l.Total) + " against " + USDf(o.LambdaMonthlyUSD) + " on Lambda: " + saving},
	}
	be := "none up to the volumes searched"
	if b := o.BreakevenRequestsPerMonth; b != nil {
		be = Numf(float64(*b), 0) + " requests/month (" + Numf(o.BreakevenMeanRPS, 2) + " req/s)"
	}
	g.Rows = append(g.Rows, []string{"Break-even with Lambda", be})
	if tr := o.ThrottleRisk; tr != nil {
		v := fmt.Sprintf("%s: %s of %s requests throttled over %s (%s concurrency, %s CPU)", tr.Level, Numf(tr.Throttles, 0), Numf(tr.Requests, 0), tr.Span, Numf(tr.ConcurrencyThrottles, 0), Numf(tr.CPUThrottles, 0))
		if tr.MaxRise5Min > 0 {
			v += fmt.Sprintf("; steepest rise ×%s within 5 minutes", Numf(tr.MaxRise5Min, 1))
		}
		g.Rows = append(g.Rows, []string{"Throttle risk", v})
	}
	for _, n := range o.Notes {
		g.Rows = append(g.Rows, []string{"Note", n})
	}
	return g
}

func lmiRiskLevel(o *planner.LMIOption) string {
	if o.ThrottleRisk == nil {
		return "not simulated"
	}
	return o.ThrottleRisk.Level
}
