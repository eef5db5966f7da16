package reports

import (
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// DatasetReport is a dataset priced with a price table: each function's
// Lambda bill over the dataset's window and projected to a 730-hour month.
// The free tier is not applied (a dataset is a slice of an account).
type DatasetReport struct {
	Dataset   *pricing.Dataset
	Window    *pricing.Bill
	Monthly   *pricing.Bill
	PriceDate string
	// order lists function indexes by monthly cost, most expensive first.
	order []int
}

// NewDatasetReport prices every function of d in d's region.
func NewDatasetReport(d *pricing.Dataset, prices *pricing.PriceTable) (*DatasetReport, error) {
	region := d.Region
	if region == "" {
		region = "us-east-1"
	}
	var win, month []pricing.Item
	for i := range d.Functions {
		f := &d.Functions[i]
		win = append(win, pricing.Item{Function: f.FunctionConfig, Usage: f.BilledUsage()})
		month = append(month, pricing.Item{Function: f.FunctionConfig, Usage: d.MonthlyUsage(f)})
	}
	wb, err := prices.LambdaBill(region, win, pricing.Options{})
	if err != nil {
		return nil, err
	}
	mb, err := prices.LambdaBill(region, month, pricing.Options{})
	if err != nil {
		return nil, err
	}
	r := &DatasetReport{Dataset: d, Window: wb, Monthly: mb, PriceDate: prices.Date}
	r.order = make([]int, len(d.Functions))
	for i := range r.order {
		r.order[i] = i
	}
	sort.SliceStable(r.order, func(a, b int) bool {
		return mb.Functions[r.order[a]].Cost.Total.GreaterThan(mb.Functions[r.order[b]].Cost.Total)
	})
	return r, nil
}

func (r *DatasetReport) span() string {
	d := r.Dataset.Span()
	if d <= 0 {
		return "unknown window"
	}
	return humanSpan(d)
}

// humanSpan prints a window length as people say it: "14 days", "6 h 30 min".
func humanSpan(d time.Duration) string {
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%d days", d/(24*time.Hour))
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.1f days", d.Hours()/24)
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%d h", d/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%d h %d min", d/time.Hour, (d%time.Hour)/time.Minute)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%d min", d/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%d min %d s", d/time.Minute, (d%time.Minute)/time.Second)
	case d >= time.Second && d%time.Second == 0:
		return fmt.Sprintf("%d s", d/time.Second)
	default:
		return d.Round(time.Millisecond).String()
	}
}

func rate(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

func pct(f float64) string { return Numf(f*100, 2) + "%" }

func msText(v float64) string {
	if v == 0 {
		return "–"
	}
	return Numf(v, 1)
}

// DatasetGrids renders the dataset report as terminal tables: one row per
// function, most expensive first, with totals.
func DatasetGrids(r *DatasetReport) []Grid {
	d := r.Dataset
	g := Grid{
		Title: fmt.Sprintf("Lambda functions · %s dataset over %s · %s · month = 730 h · prices of %s", d.Source, r.span(),
			r.Window.Region, r.PriceDate),
		Header:     []string{"Function", "Arch", "Memory MB", "Invocations", "Errors", "Cold starts", "p50 ms", "p99 ms", "GB-s", "Cost in window", "Cost per month"},
		AlignRight: map[int]bool{2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true},
	}
	var inv, errs, cold int64
	var gbs decimal.Decimal
	for _, i := range r.order {
		f := d.Functions[i]
		s := f.Summary
		wf := r.Window.Functions[i]
		inv += s.Invocations
		errs += s.Errors
		cold += s.ColdStarts
		gbs = gbs.Add(wf.GBSeconds)
		g.Rows = append(g.Rows, []string{
			f.Name, string(f.Architecture), fmt.Sprint(f.MemoryMB), Num(decimal.NewFromInt(s.Invocations), 0),
			Num(decimal.NewFromInt(s.Errors), 0), pct(rate(s.ColdStarts, s.Invocations)),
			msText(s.DurationMs.P50), msText(s.DurationMs.P99), Num(wf.GBSeconds, 1),
			USD(wf.Cost.Total), USD(r.Monthly.Functions[i].Cost.Total),
		})
	}
	g.Footer = []string{fmt.Sprintf("Total (%d functions)", len(d.Functions)), "", "", Num(decimal.NewFromInt(inv), 0),
		Num(decimal.NewFromInt(errs), 0), pct(rate(cold, inv)), "", "", Num(gbs, 1), USD(r.Window.Cost.Total), USD(r.Monthly.Cost.Total)}
	return []Grid{g}
}

// DatasetPage builds the HTML page of a dataset report.
func DatasetPage(r *DatasetReport) *Page {
	d := r.Dataset
	var inv, cold, errs, thr int64
	for _, f := range d.Functions {
		inv += f.Summary.Invocations
		cold += f.Summary.ColdStarts
		errs += f.Summary.Errors
		thr += f.Summary.Throttles
	}
	when := ""
	if !d.Start.IsZero() {
		when = fmt.Sprintf(" · %s to %s", d.Start.UTC().Format("2006-01-02 15:04"), d.End.UTC().Format("2006-01-02 15:04 UTC"))
	}
	p := &Page{
		Title:    fmt.Sprintf("Lambda usage and cost · %d functions · %s", len(d.Functions), r.Window.Region),
		Subtitle: fmt.Sprintf("Dataset from %s over %s%s · AWS list prices of %s", d.Source, r.span(), when, r.PriceDate),
		Facts: []Fact{
			{Label: "Projected cost per month", Value: USD(r.Monthly.Cost.Total), Detail: "730-hour month, no free tier"},
			{Label: "Cost in the window", Value: USD(r.Window.Cost.Total), Detail: r.span()},
			{Label: "Invocations", Value: Num(decimal.NewFromInt(inv), 0), Detail: fmt.Sprintf("%s errors · %s throttles", Num(decimal.NewFromInt(errs), 0), Num(decimal.NewFromInt(thr), 0))},
			{Label: "Cold-start rate", Value: pct(rate(cold, inv)), Detail: Num(decimal.NewFromInt(cold), 0) + " cold starts"},
		},
	}

	names := make([]string, len(r.order))
	costs := make([]pricing.Cost, len(r.order))
	for k, i := range r.order {
		names[k] = d.Functions[i].Name
		costs[k] = r.Monthly.Functions[i].Cost
	}
	const top = 20
	sub := "most expensive first"
	if len(names) > top {
		sub = fmt.Sprintf("the %d most expensive of %d functions", top, len(names))
	}
	costSec := Section{
		Title: "Where the money goes",
		Text:  "Each function's projected monthly Lambda bill, split into requests, compute (GB-s) and the other billed components. Duration tiers are applied to the aggregate GB-s of each architecture, as AWS does.",
		Charts: []Chart{
			costByFunctionChart("cost-by-function", "Monthly cost by function", sub, names, costs, top),
			costBreakdownChart("cost-breakdown", "Monthly cost by component", "all functions", r.Monthly.Cost, true),
			latencyChart(r, true),
		},
	}
	p.Sections = append(p.Sections, costSec)
	if ts := datasetTimeCharts(r); len(ts) > 0 {
		p.Sections = append(p.Sections, Section{
			Title:  "Traffic over time",
			Text:   "Invocations and peak concurrency per period, as collected (the busiest functions).",
			Charts: ts,
		})
	}
	p.Sections = append(p.Sections, Section{
		Title:  "Functions",
		Text:   "Click a column header to sort. Durations are handler time; cold starts also bill their INIT duration.",
		Tables: []HTMLTable{datasetTable(r)},
	})
	p.Notes = append(p.Notes,
		fmt.Sprintf("Monthly figures scale the window's usage (%s) to a 730-hour month; the free tier is not applied.", r.span()),
		"Billed duration is rounded up to the millisecond per invocation; where only averages are known (CloudWatch), the average is rounded up.",
	)
	for _, pr := range d.Problems {
		p.Notes = append(p.Notes, "Collection problem: "+pr)
	}
	return p
}

func datasetTable(r *DatasetReport) HTMLTable {
	d := r.Dataset
	t := HTMLTable{
		Header:   []string{"Function", "Arch", "Memory MB", "Cost per month", "Cost in window", "Invocations", "Errors", "Throttles", "Cold-start rate", "p50 ms", "p90 ms", "p99 ms", "Max mem MB", "GB-s in window"},
		Sortable: true,
		SortedBy: 4,
	}
	var inv, errs, thr, cold int64
	var gbs decimal.Decimal
	for _, i := range r.order {
		f := d.Functions[i]
		s := f.Summary
		wf := r.Window.Functions[i]
		mc := r.Monthly.Functions[i].Cost.Total
		inv += s.Invocations
		errs += s.Errors
		thr += s.Throttles
		cold += s.ColdStarts
		gbs = gbs.Add(wf.GBSeconds)
		cr := rate(s.ColdStarts, s.Invocations)
		t.Rows = append(t.Rows, []Cell{
			TextCell(f.Name), TextCell(string(f.Architecture)), NumCell(fmt.Sprint(f.MemoryMB), float64(f.MemoryMB)),
			NumCell(USD(mc), mc.InexactFloat64()),
			NumCell(USD(wf.Cost.Total), wf.Cost.Total.InexactFloat64()),
			NumCell(Num(decimal.NewFromInt(s.Invocations), 0), float64(s.Invocations)),
			NumCell(Num(decimal.NewFromInt(s.Errors), 0), float64(s.Errors)),
			NumCell(Num(decimal.NewFromInt(s.Throttles), 0), float64(s.Throttles)),
			NumCell(pct(cr), cr),
			NumCell(msText(s.DurationMs.P50), s.DurationMs.P50), NumCell(msText(s.DurationMs.P90), s.DurationMs.P90),
			NumCell(msText(s.DurationMs.P99), s.DurationMs.P99),
			NumCell(fmt.Sprint(s.MaxMemoryUsedMB), float64(s.MaxMemoryUsedMB)),
			NumCell(Num(wf.GBSeconds, 1), wf.GBSeconds.InexactFloat64()),
		})
	}
	t.Footer = []Cell{TextCell(fmt.Sprintf("Total (%d)", len(d.Functions))), {}, {},
		NumCell(USD(r.Monthly.Cost.Total), 0), NumCell(USD(r.Window.Cost.Total), 0),
		NumCell(Num(decimal.NewFromInt(inv), 0), 0), NumCell(Num(decimal.NewFromInt(errs), 0), 0), NumCell(Num(decimal.NewFromInt(thr), 0), 0),
		NumCell(pct(rate(cold, inv)), 0), {}, {}, {}, {}, NumCell(Num(gbs, 1), 0)}
	return t
}

// latencyChart shows p50/p90/p99 handler durations of the busiest functions.
func latencyChart(r *DatasetReport, half bool) Chart {
	d := r.Dataset
	idx := make([]int, len(d.Functions))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return d.Functions[idx[a]].Summary.Invocations > d.Functions[idx[b]].Summary.Invocations
	})
	const top = 12
	if len(idx) > top {
		idx = idx[:top]
	}
	names := make([]string, len(idx))
	p50, p90, p99 := make([]float64, len(idx)), make([]float64, len(idx)), make([]float64, len(idx))
	for k, i := range idx {
		s := d.Functions[i].Summary.DurationMs
		names[k] = d.Functions[i].Name
		p50[k], p90[k], p99[k] = s.P50, s.P90, s.P99
	}
	c := xyChart(xySpec{
		ID: "latency", Title: "Handler duration percentiles", Subtitle: "the busiest functions · logarithmic scale", Horizontal: true,
		Height: max(340, 110+30*len(names)),
		X:      axisSpec{Type: "category", Data: names},
		Y:      []axisSpec{{Name: "ms", Fmt: "numAxis", Type: "log"}},
		Series: []seriesSpec{
			{Name: "p50", Kind: "bar", Values: p50, Fmt: "ms", Color: "#91cc75"},
			{Name: "p90", Kind: "bar", Values: p90, Fmt: "ms", Color: "#fac858"},
			{Name: "p99", Kind: "bar", Values: p99, Fmt: "ms", Color: "#ee6666"},
		},
	})
	c.Half = half
	return c
}

// datasetTimeCharts draws invocations and concurrency over time for the
// busiest functions that have series.
func datasetTimeCharts(r *DatasetReport) []Chart {
	d := r.Dataset
	var idx []int
	for i, f := range d.Functions {
		if f.Series != nil && len(f.Series.Invocations) > 0 && f.Series.PeriodS > 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return nil
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return d.Functions[idx[a]].Summary.Invocations > d.Functions[idx[b]].Summary.Invocations
	})
	const top = 6
	if len(idx) > top {
		idx = idx[:top]
	}
	var inv, conc []seriesSpec
	period := 0
	for _, i := range idx {
		f := d.Functions[i]
		s := f.Series
		period = s.PeriodS
		start := s.Start
		if start.IsZero() {
			start = d.Start
		}
		pts := func(v []float64) [][2]float64 {
			v = downsampleMax(v, 1500)
			step := float64(s.PeriodS) * float64(len(s.Invocations)) / float64(max(1, len(v)))
			out := make([][2]float64, len(v))
			for k, x := range v {
				out[k] = [2]float64{float64(start.UnixMilli()) + float64(k)*step*1000, x}
			}
			return out
		}
		inv = append(inv, seriesSpec{Name: f.Name, XY: pts(s.Invocations), Fmt: "num"})
		if len(s.ConcurrencyMax) > 0 {
			conc = append(conc, seriesSpec{Name: f.Name, XY: pts(s.ConcurrencyMax), Fmt: "num", Step: true})
		}
	}
	out := []Chart{xyChart(xySpec{
		ID: "invocations-over-time", Title: "Invocations per period", Subtitle: fmt.Sprintf("per %s", time.Duration(period)*time.Second), ZoomX: true,
		X: axisSpec{Type: "time"}, Y: []axisSpec{{Name: "invocations", Fmt: "numAxis"}}, Series: inv,
	})}
	if len(conc) > 0 {
		out = append(out, xyChart(xySpec{
			ID: "concurrency-over-time", Title: "Peak concurrent executions per period", ZoomX: true,
			X: axisSpec{Type: "time"}, Y: []axisSpec{{Name: "concurrent executions", Fmt: "numAxis"}}, Series: conc,
		}))
	}
	return out
}

// downsampleMax shrinks v to at most n points, keeping each bucket's maximum
// (peaks matter more than averages on these charts).
func downsampleMax(v []float64, n int) []float64 {
	if len(v) <= n {
		return v
	}
	k := int(math.Ceil(float64(len(v)) / float64(n)))
	out := make([]float64, 0, (len(v)+k-1)/k)
	for i := 0; i < len(v); i += k {
		m := v[i]
		for _, x := range v[i:min(i+k, len(v))] {
			m = max(m, x)
		}
		out = append(out, m)
	}
	return out
}

// WriteDatasetHTML prices d and writes its HTML report.
func WriteDatasetHTML(w io.Writer, d *pricing.Dataset, prices *pricing.PriceTable, opts ...HTMLOption) error {
	r, err := NewDatasetReport(d, prices)
	if err != nil {
		return err
	}
	return DatasetPage(r).Render(w, opts...)
}

// DatasetReportJSON is the JSON view of a priced dataset (`report
// DATASET.json -o json`): the bill over the dataset's window and projected
// to a 730-hour month, per function (most expensive first) and in total.
type DatasetReportJSON struct {
	Source         string                `json:"source"`
	Region         string                `json:"region"`
	Start          time.Time             `json:"start"`
	End            time.Time             `json:"end"`
	PriceDate      string                `json:"price_date"`
	WindowCostUSD  float64               `json:"window_cost_usd"`
	MonthlyCostUSD float64               `json:"monthly_cost_usd"`
	Functions      []DatasetFunctionJSON `json:"functions"`
	Problems       []string              `json:"problems,omitempty"`
}

// DatasetFunctionJSON is one function of DatasetReportJSON.
type DatasetFunctionJSON struct {
	Name    string                  `json:"name"`
	Summary pricing.FunctionSummary `json:"summary"`
	Window  pricing.Estimate        `json:"window"`
	Monthly pricing.Estimate        `json:"monthly"`
}

// JSON returns the JSON view of r.
func (r *DatasetReport) JSON() DatasetReportJSON {
	d := r.Dataset
	out := DatasetReportJSON{Source: d.Source, Region: r.Window.Region, Start: d.Start, End: d.End, PriceDate: r.PriceDate,
		WindowCostUSD: r.Window.Cost.TotalUSD(), MonthlyCostUSD: r.Monthly.Cost.TotalUSD(), Functions: []DatasetFunctionJSON{}, Problems: d.Problems}
	win, month := r.Window.Estimates(), r.Monthly.Estimates()
	for _, i := range r.order {
		out.Functions = append(out.Functions, DatasetFunctionJSON{Name: d.Functions[i].Name, Summary: d.Functions[i].Summary, Window: win[i], Monthly: month[i]})
	}
	return out
}
