package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/simulator"
)

// simMetric is one headline number of a simulation, with its band key.
type simMetric struct {
	name, key string
	v         float64
	kind      string // "n" count, "f2" 2 decimals, "ms", "pct", "usd"
}

func simMetrics(r *simulator.Result) []simMetric {
	m := []simMetric{
		{"Requests offered", "", float64(r.Arrivals), "n"},
		{"Invocations", "invocations", float64(r.Invocations), "n"},
		{"Cold starts", "cold_starts", float64(r.ColdStarts), "n"},
		{"Cold-start rate", "cold_start_rate", r.ColdStartRate, "pct"},
		{"Throttles (429)", "throttles", float64(r.Throttles), "n"},
		{"Throttle rate", "throttle_rate", r.ThrottleRate, "pct"},
		{"Errors (timeouts)", "errors", float64(r.Errors), "n"},
	}
	if r.ProvisionedInvocations > 0 {
		m = append(m, simMetric{"On provisioned concurrency", "", float64(r.ProvisionedInvocations), "n"},
			simMetric{"Spillover to on-demand", "", float64(r.SpilloverInvocations), "n"})
	}
	m = append(m,
		simMetric{"Peak concurrency", "peak_concurrency", float64(r.PeakConcurrency), "n"},
		simMetric{"Mean concurrency (busy)", "mean_concurrency", r.MeanConcurrency, "f2"},
		simMetric{"Mean environments (live)", "mean_environments", r.MeanEnvironments, "f2"},
		simMetric{"Environments created", "environments_created", float64(r.EnvironmentsCreated), "n"},
		simMetric{"Latency p50", "latency_ms.p50", r.LatencyMs.P50, "ms"},
		simMetric{"Latency p90", "latency_ms.p90", r.LatencyMs.P90, "ms"},
		simMetric{"Latency p99", "latency_ms.p99", r.LatencyMs.P99, "ms"},
		simMetric{"Latency max", "latency_ms.max", r.LatencyMs.Max, "ms"},
		simMetric{"Billed GB-s", "billed_gb_seconds", r.BilledGBSeconds, "f2"},
		simMetric{"Cost of the simulated span", "cost_usd", r.CostUSD, "usd"},
		simMetric{"Cost per million invocations", "cost_per_million_usd", r.CostPerMillionUSD, "usd"},
		simMetric{"Cost per month (730 h projection)", "monthly_cost_usd", r.MonthlyCostUSD, "usd"},
	)
	// Per-invocation values without an invocation, and the throttle rate
	// without a request: not defined (null in the JSON), never 0.
	for i := range m {
		switch m[i].key {
		case "cold_start_rate", "cost_per_million_usd", "latency_ms.p50", "latency_ms.p90", "latency_ms.p99", "latency_ms.max":
			if r.Invocations == 0 {
				m[i].v = math.NaN()
			}
		case "throttle_rate":
			if r.Arrivals == 0 {
				m[i].v = math.NaN()
			}
		}
	}
	return m
}

func (m simMetric) text(v float64) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	switch m.kind {
	case "n":
		return Numf(v, 0)
	case "f2":
		return Numf(v, 2)
	case "ms":
		return Numf(v, 1) + " ms"
	case "pct":
		return Numf(v*100, 3) + "%"
	case "usd":
		return USDf(v)
	}
	return Numf(v, 3)
}

func simTitle(r *simulator.Result) string {
	t := "Simulation"
	if r.Scenario != "" {
		t += ": " + r.Scenario
	}
	// Exact results keep their title; others say what produced them.
	if r.Mode != "" && r.Mode != simulator.ModeExact {
		t += fmt.Sprintf(" [%s mode, within %g %% of the exact engine on the validation set]", r.Mode, r.ModeErrorPct)
	}
	if r.Partial {
		t += " [PARTIAL: interrupted]"
	}
	return t
}

func simSubtitle(r *simulator.Result) string {
	s := fmt.Sprintf("%s simulated · %s · seed %d", humanSpan(time.Duration(r.SimulatedSeconds*float64(time.Second))), r.Region, r.Seed)
	if r.Runs > 1 {
		s += fmt.Sprintf(" · %d Monte Carlo runs (p5–p95 bands)", r.Runs)
	}
	return s
}

// SimulationGrids renders a simulation result as terminal tables: the
// headline metrics (with p5/p95 bands when it has several runs) and the
// monthly bill.
func SimulationGrids(r *simulator.Result) []Grid {
	banded := r.Runs > 1 && len(r.Bands) > 0
	g := Grid{Title: fmt.Sprintf("%s (%s, seed %d)", simTitle(r), humanSpan(time.Duration(r.SimulatedSeconds*float64(time.Second))), r.Seed), Header: []string{"Metric", "Value"}, AlignRight: map[int]bool{1: true, 2: true, 3: true}}
	if banded {
		g.Header = append(g.Header, "p5", "p95")
	}
	for _, m := range simMetrics(r) {
		row := []string{m.name, m.text(m.v)}
		if banded {
			if b, ok := r.Bands[m.key]; ok {
				row = append(row, m.text(b.P5), m.text(b.P95))
			} else {
				row = append(row, "", "")
			}
		}
		g.Rows = append(g.Rows, row)
	}
	grids := []Grid{g, linesGrid("Monthly bill ("+monthLabel(r)+", "+r.Region+")", r.MonthlyCost.Lines, r.MonthlyCost.Total)}
	if r.Retries > 0 || r.DroppedEvents > 0 || r.PendingRetries > 0 {
		grids = append(grids, asyncGrid(r))
	}
	if r.Analytic != nil {
		grids = append(grids, analyticGrid(r))
	}
	return grids
}

// asyncGrid shows what Lambda's retries of asynchronous events did.
func asyncGrid(r *simulator.Result) Grid {
	return Grid{Title: "Async invocations", Header: []string{"Metric", "Value"}, AlignRight: map[int]bool{1: true},
		Rows: [][]string{
			{"Retries", Numf(float64(r.Retries), 0)},
			{"Events dropped", Numf(float64(r.DroppedEvents), 0)},
			{"Retries pending at the end", Numf(float64(r.PendingRetries), 0)},
		}}
}

// analyticGrid puts the analytical model's prediction next to the simulation.
func analyticGrid(r *simulator.Result) Grid {
	a := r.Analytic
	return Grid{Title: "Analytical model: " + a.Model, Header: []string{"Metric", "Model", "Simulation"},
		AlignRight: map[int]bool{1: true, 2: true},
		Rows: [][]string{
			{"Cold-start rate", Numf(a.ColdStartRate*100, 4) + "%", Numf(r.ColdStartRate*100, 4) + "%"},
			{"Mean environments", Numf(a.MeanEnvironments, 3), Numf(r.MeanEnvironments, 3)},
			{"Mean concurrency", Numf(a.MeanConcurrency, 3), Numf(r.MeanConcurrency, 3)},
			{"Utilisation", Numf(a.Utilization*100, 2) + "%", Numf(r.Utilization*100, 2) + "%"},
			{"Mean latency", Numf(a.MeanLatencyMs, 1) + " ms", Numf(r.LatencyMs.Mean, 1) + " ms"},
			{"Throttle rate", Numf(a.ThrottleRate*100, 4) + "%", Numf(r.ThrottleRate*100, 4) + "%"},
		}}
}

// SimulationPage builds the HTML page of a simulation. s, when known, adds
// the scenario's settings; a result read back from JSON has none.
func SimulationPage(r *simulator.Result, s *simulator.Scenario) *Page {
	p := &Page{
		Title:    simTitle(r),
		Subtitle: simSubtitle(r),
		Facts: []Fact{
			{Label: "Cost per month", Value: USDf(r.MonthlyCostUSD), Detail: fmt.Sprintf("%s per million invocations", USDf(r.CostPerMillionUSD))},
			{Label: "Invocations", Value: Numf(float64(r.Invocations), 0), Detail: fmt.Sprintf("of %s requests offered", Numf(float64(r.Arrivals), 0))},
			{Label: "Cold-start rate", Value: Numf(r.ColdStartRate*100, 2) + "%", Detail: Numf(float64(r.ColdStarts), 0) + " cold starts"},
			{Label: "Throttled", Value: Numf(float64(r.Throttles), 0), Detail: Numf(r.ThrottleRate*100, 2) + "% of requests"},
			{Label: "Peak concurrency", Value: Numf(float64(r.PeakConcurrency), 0), Detail: Numf(r.MeanEnvironments, 1) + " environments on average"},
			{Label: "Latency p99", Value: Numf(r.LatencyMs.P99, 0) + " ms", Detail: "p50 " + Numf(r.LatencyMs.P50, 0) + " ms, INIT included"},
		},
	}
	// Nothing per invocation is defined without one, nor a throttle rate
	// without a request (null in the JSON).
	for i := range p.Facts {
		f := &p.Facts[i]
		switch {
		case r.Invocations == 0 && f.Label == "Cost per month":
			f.Detail = "no invocation accepted"
		case r.Invocations == 0 && (f.Label == "Cold-start rate" || f.Label == "Latency p99"):
			f.Value, f.Detail = "n/a", "no invocation accepted"
		case r.Arrivals == 0 && f.Label == "Throttled":
			f.Detail = "no request offered"
		}
	}
	if len(r.Timeline) > 0 {
		p.Sections = append(p.Sections, Section{
			Title:  "Scaling over time",
			Text:   "How many execution environments Lambda keeps alive (busy or idle), how many are busy at once, and what traffic they face. A cold start happens when no idle environment is free; a request is throttled when the concurrency limit or the scaling rate is reached.",
			Charts: simulationTimeCharts(r),
		})
	}
	p.Sections = append(p.Sections, Section{
		Title: "Latency and cost",
		Charts: []Chart{
			latencyPercentileChart("latency-percentiles", r, true),
			costBreakdownChart("cost-breakdown", "Monthly cost by component", monthLabel(r)+", "+freeTierLabel(r, s), r.MonthlyCost, true),
		},
	})
	summary := TableFromGrid(SimulationGrids(r)[0])
	summary.Title = "Summary"
	summary.Half = true
	lines := TableFromGrid(linesGrid("Monthly bill ("+monthLabel(r)+")", r.MonthlyCost.Lines, r.MonthlyCost.Total))
	tables := []HTMLTable{summary}
	if s != nil {
		sc := scenarioTable(s)
		sc.Half = true
		tables = append(tables, sc)
	} else {
		lines.Half = true
	}
	tables = append(tables, lines)
	if a := r.Analytic; a != nil {
		tables = append(tables, HTMLTable{
			Title:  "Analytical model (" + a.Model + ") next to the simulation",
			Header: []string{"Metric", "Model", "Simulation"},
			Rows: [][]Cell{
				{TextCell("Cold-start rate"), NumCell(Numf(a.ColdStartRate*100, 4)+"%", a.ColdStartRate), NumCell(Numf(r.ColdStartRate*100, 4)+"%", r.ColdStartRate)},
				{TextCell("Mean environments"), NumCell(Numf(a.MeanEnvironments, 3), a.MeanEnvironments), NumCell(Numf(r.MeanEnvironments, 3), r.MeanEnvironments)},
				{TextCell("Mean concurrency"), NumCell(Numf(a.MeanConcurrency, 3), a.MeanConcurrency), NumCell(Numf(r.MeanConcurrency, 3), r.MeanConcurrency)},
				{TextCell("Mean latency"), NumCell(Numf(a.MeanLatencyMs, 1)+" ms", a.MeanLatencyMs), NumCell(Numf(r.LatencyMs.Mean, 1)+" ms", r.LatencyMs.Mean)},
				{TextCell("Throttle rate"), NumCell(Numf(a.ThrottleRate*100, 4)+"%", a.ThrottleRate), NumCell(Numf(r.ThrottleRate*100, 4)+"%", r.ThrottleRate)},
			},
		})
	}
	p.Sections = append(p.Sections, Section{Title: "Details", Tables: tables})
	p.Notes = []string{
		"Latency includes the INIT duration of cold invocations; throttled requests have no latency.",
		"The monthly figures project the simulated span's billed usage to a 730-hour month, without the free tier.",
	}
	if r.Runs > 1 {
		p.Notes = append(p.Notes, "With several runs, the headline numbers pool all runs; the timeline shows the mean of the runs per interval.")
	}
	return p
}

// simulationTimeCharts draws the timeline: environments and concurrency, and
// traffic with cold starts and throttles.
func simulationTimeCharts(r *simulator.Result) []Chart {
	w := r.BucketSeconds
	if w <= 0 && len(r.Timeline) > 1 {
		w = r.Timeline[1].TS - r.Timeline[0].TS
	}
	if w <= 0 {
		w = 1
	}
	n := len(r.Timeline)
	env, conc, rps := make([][2]float64, n), make([][2]float64, n), make([][2]float64, n)
	for i, b := range r.Timeline {
		x := b.TS / 60
		env[i] = [2]float64{x, b.Environments}
		conc[i] = [2]float64{x, b.ConcurrencyMax}
		rps[i] = [2]float64{x, b.Arrivals / w}
	}
	// Counts are summed into at most maxBars bars, wide enough to see (a
	// burst of cold starts in one second is otherwise a hairline).
	const maxBars = 120
	k := (n + maxBars - 1) / maxBars
	if k < 1 {
		k = 1
	}
	var cold, thr [][2]float64
	for i := 0; i < n; i += k {
		var c, t float64
		for _, b := range r.Timeline[i:min(i+k, n)] {
			c += b.ColdStarts
			t += b.Throttles
		}
		x := r.Timeline[i].TS / 60
		cold = append(cold, [2]float64{x, c})
		thr = append(thr, [2]float64{x, t})
	}
	per := humanSpan(time.Duration(float64(k) * w * float64(time.Second)))
	xAxis := axisSpec{Name: "time since start (minutes)", Fmt: "minutes", Min: 0, Max: "dataMax"}
	return []Chart{
		xyChart(xySpec{
			ID: "environments", Title: "Execution environments, concurrency and cold starts", Subtitle: "live environments (time average) and busy ones (maximum) per " + humanSpan(time.Duration(w*float64(time.Second))) + "; cold starts per " + per, ZoomX: true,
			X: xAxis, Y: []axisSpec{{Name: "environments", Fmt: "numAxis", Integer: true}, {Name: "cold starts per " + per, Fmt: "numAxis", Integer: true}},
			Series: []seriesSpec{
				{Name: "Live environments (busy + idle)", XY: env, Area: true, Fmt: "num", Color: colorX86},
				{Name: "Concurrency (busy, max)", XY: conc, Fmt: "num", Color: colorEC2},
				{Name: "Cold starts", Kind: "bar", XY: cold, YAxis: 1, Fmt: "num", Color: colorCold},
			},
		}),
		xyChart(xySpec{
			ID: "traffic", Title: "Traffic and throttles", Subtitle: "offered requests per second; requests throttled (429) per " + per, ZoomX: true,
			X: xAxis, Y: []axisSpec{{Name: "requests per second", Fmt: "numAxis"}, {Name: "throttled per " + per, Fmt: "numAxis", Integer: true}},
			Series: []seriesSpec{
				{Name: "Requests per second", XY: rps, Fmt: "num", Color: colorMuted, Area: true},
				{Name: "Throttles", Kind: "bar", XY: thr, YAxis: 1, Fmt: "num", Color: colorThrottl},
			},
		}),
	}
}

// latencyPercentileChart shows the latency distribution's percentiles.
func latencyPercentileChart(id string, r *simulator.Result, half bool) Chart {
	names := []string{"p50", "p90", "p99", "max"}
	vals := []float64{r.LatencyMs.P50, r.LatencyMs.P90, r.LatencyMs.P99, r.LatencyMs.Max}
	series := []seriesSpec{{Name: "Latency", Kind: "bar", Values: vals, Fmt: "ms", Color: colorX86}}
	sub := "INIT included for cold invocations"
	if r.Runs > 1 && len(r.Bands) > 0 {
		lo, hi := make([]float64, len(names)), make([]float64, len(names))
		for i, n := range names {
			b := r.Bands["latency_ms."+n]
			lo[i], hi[i] = b.P5, b.P95
		}
		series = append(series,
			seriesSpec{Name: "p5 of runs", Values: lo, Fmt: "ms", Color: "#111827", Markers: true},
			seriesSpec{Name: "p95 of runs", Values: hi, Fmt: "ms", Color: colorThrottl, Markers: true})
		sub += fmt.Sprintf("; markers: spread across %d runs", r.Runs)
	}
	c := xyChart(xySpec{
		ID: id, Title: "Latency percentiles", Subtitle: sub, Height: 340,
		X: axisSpec{Type: "category", Data: names}, Y: []axisSpec{{Name: "ms", Fmt: "numAxis"}},
		Series: series,
	})
	c.Half = half
	return c
}

func distText(d simulator.Distribution) string {
	if d == nil {
		return "–"
	}
	return fmt.Sprint(d)
}

// scenarioTable lists a scenario's settings.
func scenarioTable(s *simulator.Scenario) HTMLTable {
	f := s.Function.FunctionConfig
	rows := [][]string{
		{"Memory", fmt.Sprintf("%d MB (%.2f vCPU)", f.MemoryMB, f.VCPU())},
		{"Architecture", string(f.Architecture)},
		{"Timeout", f.Timeout.String()},
		{"Handler duration", distText(s.Function.Duration)},
		{"INIT duration", distText(s.Function.InitDuration)},
		{"Concurrency limit", fmt.Sprintf("%d (account %d, reserved %d)", s.Concurrency.Cap(), s.Concurrency.AccountLimit, s.Concurrency.Reserved)},
		{"Provisioned concurrency", fmt.Sprint(s.Concurrency.Provisioned)},
		{"Scaling rate", fmt.Sprintf("%d new environments per 10 s", s.Concurrency.ScalingRate)},
		{"Idle timeout", distText(s.KeepAlive.IdleTimeout)},
		{"Traffic", trafficText(s)},
	}
	if sch := s.Concurrency.ProvisionedSchedule; len(sch) > 0 {
		txt := fmt.Sprint(s.Concurrency.Provisioned)
		for _, st := range sch {
			txt += fmt.Sprintf(", %d from %s", st.Level, st.At)
		}
		rows[6][1] = txt + " (schedule)"
	}
	if g := s.Traffic.MonthlyGrowth; g != 0 {
		rows = append(rows, []string{"Monthly growth", fmt.Sprintf("%g %% a month, compounded per 730-hour month", g*100)})
	}
	if b := s.Billing; b.FreeTier || b.ComputeSavingsPlan > 0 {
		rows = append(rows, []string{"Billing", fmt.Sprintf("free tier %v; Compute Savings Plan %g %%", b.FreeTier, b.ComputeSavingsPlan*100)})
	}
	t := HTMLTable{Title: "Scenario", Header: []string{"Setting", "Value"}}
	for _, r := range rows {
		t.Rows = append(t.Rows, []Cell{TextCell(r[0]), TextCell(r[1])})
	}
	return t
}

func trafficText(s *simulator.Scenario) string {
	tr := s.Traffic
	var b strings.Builder
	fmt.Fprintf(&b, "%s arrivals", tr.Arrivals)
	switch {
	case tr.Trace != "":
		fmt.Fprintf(&b, ", replaying %s", tr.Trace)
	case tr.Diurnal != nil:
		fmt.Fprintf(&b, ", diurnal mean %g ± %g req/s over %s", tr.Diurnal.Mean, tr.Diurnal.Amplitude, tr.Diurnal.Period)
	default:
		fmt.Fprintf(&b, ", from %g req/s", tr.StartRate)
		for _, st := range tr.Stages {
			fmt.Fprintf(&b, " → %g over %s", st.Target, st.Duration)
		}
	}
	return b.String()
}

// WriteSimulationHTML writes the HTML report of a simulation. s may be nil.
func WriteSimulationHTML(w io.Writer, r *simulator.Result, s *simulator.Scenario, opts ...HTMLOption) error {
	return SimulationPage(r, s).Render(w, opts...)
}

// DecodeSimulationResult reads `simulate -o json` output back, including
// the `_p5`/`_p95` band siblings of a multi-run result.
func DecodeSimulationResult(data []byte) (*simulator.Result, error) {
	// null (not measured) leaves the field as it is: NaN, as written.
	r := simulator.Result{MeanEnvironmentLifetimeS: math.NaN()}
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, err
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	bands := map[string]simulator.Band{}
	collect := func(prefix string, m map[string]json.RawMessage) {
		for k, v := range m {
			base, isP5 := strings.CutSuffix(k, "_p5")
			base95, isP95 := strings.CutSuffix(k, "_p95")
			if !isP5 && !isP95 {
				continue
			}
			f := math.NaN() // null stays NaN
			if json.Unmarshal(v, &f) != nil {
				continue
			}
			if isP95 {
				base = base95
			}
			b := bands[prefix+base]
			if isP5 {
				b.P5 = f
			} else {
				b.P95 = f
			}
			bands[prefix+base] = b
		}
	}
	collect("", raw)
	if lat, ok := raw["latency_ms"]; ok {
		var m map[string]json.RawMessage
		if json.Unmarshal(lat, &m) == nil {
			collect("latency_ms.", m)
		}
	}
	if len(bands) > 0 {
		r.Bands = bands
	}
	// Totals are exact in memory but floats in JSON: keep them consistent.
	if r.MonthlyCost.Total.IsZero() && r.MonthlyCostUSD != 0 {
		r.MonthlyCost.Total = decimal.NewFromFloat(r.MonthlyCostUSD)
	}
	return &r, nil
}

// monthLabel says what a simulation's monthly bill is: the span projected
// to a 730-hour month, or the mean of its months' bills (Result.Months).
func monthLabel(r *simulator.Result) string {
	if len(r.Months) > 1 {
		return fmt.Sprintf("mean of %d 730-hour months", len(r.Months))
	}
	return "730-hour projection"
}

// freeTierLabel says whether the monthly bill has the free tier (the
// scenario's billing.free_tier), per month when it is billed by month.
func freeTierLabel(r *simulator.Result, s *simulator.Scenario) string {
	switch {
	case s == nil || !s.Billing.FreeTier:
		return "no free tier"
	case len(r.Months) > 1:
		return "free tier in each month"
	}
	return "free tier applied"
}
