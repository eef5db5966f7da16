package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// DatasetReport is a dataset priced with a price table: each function's
// exact Lambda bill over the dataset's window (one line per memory size,
// provisioned concurrency from the configuration) and projected to a
// 730-hour month (pricing.DatasetBill). The free tier is not applied (a
// dataset is a slice of an account). Functions whose values were not all
// collected are shown as incomplete, never as $0.
type DatasetReport struct {
	Dataset   *pricing.Dataset
	Bill      *pricing.DatasetBill
	PriceDate string
	// order lists function indexes by monthly cost (window cost without a
	// window), most expensive first, unbilled functions last.
	order []int
	// labels names the functions for people (pricing.Dataset.Labels).
	labels []string
}

// NewDatasetReport prices every function of d in d's region.
func NewDatasetReport(d *pricing.Dataset, prices *pricing.PriceTable) (*DatasetReport, error) {
	return NewDatasetReportWith(d, prices, pricing.Options{})
}

// NewDatasetReportWith prices every function of d in d's region with opt:
// the costs around Lambda it asks for (logs, data transfer out, API
// Gateway, a Savings Plan). The free tier stays off (a dataset is a slice
// of an account) unless opt applies it.
func NewDatasetReportWith(d *pricing.Dataset, prices *pricing.PriceTable, opt pricing.Options) (*DatasetReport, error) {
	db, err := prices.DatasetBill(d, "", opt)
	if err != nil {
		return nil, err
	}
	r := &DatasetReport{Dataset: d, Bill: db, PriceDate: prices.Date, labels: d.Labels()}
	r.order = make([]int, len(d.Functions))
	for i := range r.order {
		r.order[i] = i
	}
	key := func(i int) decimal.Decimal {
		f := db.Functions[i]
		if !f.Billed() {
			return decimal.NewFromInt(-1)
		}
		if db.Monthly != nil {
			return f.Monthly.Total
		}
		return f.Window.Total
	}
	sort.SliceStable(r.order, func(a, b int) bool { return key(r.order[a]).GreaterThan(key(r.order[b])) })
	return r, nil
}

// costText formats one function's cost: "incomplete" when it could not be
// billed, a marker when some of its values are missing.
func (r *DatasetReport) costText(i int, monthly bool) string {
	f := r.Bill.Functions[i]
	switch {
	case !f.Billed():
		return "incomplete"
	case monthly && r.Bill.Monthly == nil:
		return "not projected"
	}
	c := f.Window.Total
	if monthly {
		c = f.Monthly.Total
	}
	if f.Incomplete {
		return USD(c) + " (incomplete)"
	}
	return USD(c)
}

// totalText formats a total: "at least" when some functions are not billed.
func (r *DatasetReport) totalText(monthly bool) string {
	if monthly && r.Bill.Monthly == nil {
		return "not projected"
	}
	b := r.Bill.Window
	if monthly {
		b = r.Bill.Monthly
	}
	if _, unbilled := r.Bill.Incomplete(); unbilled > 0 {
		return "at least " + USD(b.Cost.Total)
	}
	return USD(b.Cost.Total)
}

// memoryText is the memory size, or the sizes a function ran at.
func (r *DatasetReport) memoryText(i int) string {
	f := r.Bill.Functions[i]
	if f.MemoryChanged {
		s := ""
		for k, m := range f.MemorySizes {
			if k > 0 {
				s += "/"
			}
			s += fmt.Sprint(m)
		}
		return s + " (memory changed)"
	}
	mb := r.Dataset.Functions[i].MemoryMB
	if len(f.MemorySizes) == 1 {
		mb = f.MemorySizes[0]
	}
	if r.Dataset.Functions[i].Unknown("memory_mb") && len(r.Dataset.Functions[i].Summary.ByMemory) == 0 {
		return fmt.Sprintf("%d? (unknown)", mb)
	}
	return fmt.Sprint(mb)
}

// nameText marks incomplete functions in the name column.
func (r *DatasetReport) nameText(i int) string {
	name := r.Dataset.Functions[i].Name
	if i < len(r.labels) {
		name = r.labels[i] // REGION/NAME when a merged dataset has the name twice
	}
	if r.Bill.Functions[i].Incomplete {
		return name + " [incomplete]"
	}
	return name
}

// Warnings returns what a reader must not miss: the bill's warnings and
// the functions with values that were not collected.
func (r *DatasetReport) Warnings() []string {
	w := append([]string(nil), r.Bill.Warnings...)
	for i, f := range r.Bill.Functions {
		if !f.Incomplete {
			continue
		}
		miss := r.Dataset.Functions[i].Missing
		if f.Billed() {
			w = append(w, fmt.Sprintf("%s is incomplete: %s were not collected", f.Name, strings.Join(miss, ", ")))
		} else {
			w = append(w, fmt.Sprintf("%s is incomplete and not billed: %s were not collected (its cost is unknown, not $0)", f.Name, strings.Join(miss, ", ")))
		}
	}
	return w
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
	case d >= 48*time.Hour && d%time.Hour == 0 && d < 14*24*time.Hour:
		return fmt.Sprintf("%d h (%.1f days)", d/time.Hour, d.Hours()/24)
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
// function, most expensive first, with totals; then the assumptions.
func DatasetGrids(r *DatasetReport) []Grid {
	d := r.Dataset
	g := Grid{
		Title: fmt.Sprintf("Lambda functions · %s dataset over %s · %s · month = 730 h · prices of %s", d.Source, r.span(),
			r.Bill.Region, r.PriceDate),
		Header:     []string{"Function", "Arch", "Memory MB", "Invocations", "Errors", "Cold starts", "p50 ms", "p99 ms", "GB-s", "Cost in window", "Cost per month"},
		AlignRight: map[int]bool{2: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true},
	}
	var inv, errs, cold int64
	var gbs decimal.Decimal
	for _, i := range r.order {
		f := d.Functions[i]
		s := f.Summary
		fb := r.Bill.Functions[i]
		gb := "–"
		if fb.Billed() {
			inv += s.Invocations
			errs += s.Errors
			cold += s.ColdStarts
			gbs = gbs.Add(fb.WindowGBSeconds)
			gb = Num(fb.WindowGBSeconds, 1)
		}
		g.Rows = append(g.Rows, []string{
			r.nameText(i), string(f.Architecture), r.memoryText(i), r.count(i, "summary.invocations", s.Invocations),
			r.count(i, "summary.errors", s.Errors), r.coldText(i),
			msText(s.DurationMs.P50), msText(s.DurationMs.P99), gb,
			r.costText(i, false), r.costText(i, true),
		})
	}
	g.Footer = []string{"Total (" + Count(len(d.Functions), "function") + ")", "", "", Num(decimal.NewFromInt(inv), 0),
		r.total(errs, "summary.errors"), r.coldTotal(cold, inv), "", "", Num(gbs, 1), r.totalText(false), r.totalText(true)}
	out := []Grid{g}
	if w := r.Warnings(); len(w) > 0 {
		wg := Grid{Title: "Warnings", Header: []string{"Warning"}}
		for _, x := range w {
			wg.Rows = append(wg.Rows, []string{x})
		}
		out = append(out, wg)
	}
	return append(out, AssumptionsGrid(r.Bill.Assumptions)...)
}

// missing reports whether the function's value at path was not collected.
func (r *DatasetReport) missing(i int, path string) bool {
	if !r.Dataset.Functions[i].Measured(path) {
		return true // its source does not measure it (not_measured)
	}
	for _, m := range r.Dataset.Functions[i].Missing {
		if m == path || strings.HasPrefix(path, m+".") {
			return true
		}
	}
	return false
}

// total formats the total of a summary count, or "n/a" when some
// function's source does not measure it (the total would count it as 0).
func (r *DatasetReport) total(v int64, path string) string {
	if !allMeasured(r.Dataset.Functions, path) {
		return "n/a"
	}
	return Num(decimal.NewFromInt(v), 0)
}

// coldTotal formats the cold-start rate of all functions, or "n/a" when
// some function's cold starts are not measured.
func (r *DatasetReport) coldTotal(cold, inv int64) string {
	if !allMeasured(r.Dataset.Functions, "summary.cold_starts") {
		return "n/a"
	}
	return pct(rate(cold, inv))
}

// count formats a summary count, or "n/a" when it was not collected.
func (r *DatasetReport) count(i int, path string, v int64) string {
	if r.missing(i, path) {
		return "n/a"
	}
	return Num(decimal.NewFromInt(v), 0)
}

func (r *DatasetReport) coldText(i int) string {
	s := r.Dataset.Functions[i].Summary
	if r.missing(i, "summary.cold_starts") || r.missing(i, "summary.invocations") {
		return "n/a"
	}
	return pct(rate(s.ColdStarts, s.Invocations))
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
	monthDetail := "730-hour month, no free tier"
	switch {
	case r.Bill.Monthly == nil:
		monthDetail = r.Bill.NoMonthly
	case r.Bill.Months > 1 && r.Bill.Monthly.FreeTier:
		monthDetail = fmt.Sprintf("mean of %d 730-hour months, free tier in each month", r.Bill.Months)
	case r.Bill.Months > 1:
		monthDetail = fmt.Sprintf("mean of %d 730-hour months, no free tier", r.Bill.Months)
	case r.Bill.Monthly.FreeTier:
		monthDetail = "730-hour month, free tier applied"
	}
	p := &Page{
		Title:    fmt.Sprintf("Lambda usage and cost · %s · %s", Count(len(d.Functions), "function"), r.Bill.Region),
		Subtitle: fmt.Sprintf("Dataset from %s over %s%s · AWS list prices of %s", d.Source, r.span(), when, r.PriceDate),
		Facts: []Fact{
			{Label: "Projected cost per month", Value: r.totalText(true), Detail: monthDetail},
			{Label: "Cost in the window", Value: r.totalText(false), Detail: r.span()},
			{Label: "Invocations", Value: Num(decimal.NewFromInt(inv), 0), Detail: fmt.Sprintf("%s errors · %s throttles", r.total(errs, "summary.errors"), r.total(thr, "summary.throttles"))},
			{Label: "Cold-start rate", Value: r.coldTotal(cold, inv), Detail: r.total(cold, "summary.cold_starts") + " cold starts"},
		},
		Warnings:    r.Warnings(),
		Assumptions: r.Bill.Assumptions,
	}
	bill, costOf := r.Bill.Monthly, func(f pricing.DatasetFunctionBill) pricing.Cost { return f.Monthly }
	what := "projected monthly"
	if bill == nil {
		bill, costOf, what = r.Bill.Window, func(f pricing.DatasetFunctionBill) pricing.Cost { return f.Window }, "window's"
	}

	// Functions that could not be billed are left out of the cost charts
	// (their cost is unknown, not $0); the table and warnings name them.
	var names []string
	var costs []pricing.Cost
	for _, i := range r.order {
		if !r.Bill.Functions[i].Billed() {
			continue
		}
		names = append(names, d.Functions[i].Name)
		costs = append(costs, costOf(r.Bill.Functions[i]))
	}
	const top = 20
	sub := "most expensive first"
	if len(names) > top {
		sub = fmt.Sprintf("the %d most expensive of %d functions", top, len(names))
	}
	costSec := Section{
		Title: "Where the money goes",
		Text:  "Each function's " + what + " Lambda bill, split into requests, compute (GB-s) and the other billed components. Duration tiers are applied to the aggregate GB-s of each architecture, as AWS does.",
		Charts: []Chart{
			costByFunctionChart("cost-by-function", "Cost by function", sub, names, costs, top),
			costBreakdownChart("cost-breakdown", "Cost by component", "all functions", bill.Cost, true),
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
		"Each function is billed one line per memory size it ran at; provisioned concurrency is billed from the function's configuration.",
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
		fb := r.Bill.Functions[i]
		mc, wc := -1.0, -1.0
		if fb.Billed() {
			inv += s.Invocations
			errs += s.Errors
			thr += s.Throttles
			cold += s.ColdStarts
			gbs = gbs.Add(fb.WindowGBSeconds)
			wc = fb.Window.Total.InexactFloat64()
			if r.Bill.Monthly != nil {
				mc = fb.Monthly.Total.InexactFloat64()
			}
		}
		cr := rate(s.ColdStarts, s.Invocations)
		t.Rows = append(t.Rows, []Cell{
			TextCell(r.nameText(i)), TextCell(string(f.Architecture)), NumCell(r.memoryText(i), float64(f.MemoryMB)),
			NumCell(r.costText(i, true), mc),
			NumCell(r.costText(i, false), wc),
			NumCell(r.count(i, "summary.invocations", s.Invocations), float64(s.Invocations)),
			NumCell(r.count(i, "summary.errors", s.Errors), float64(s.Errors)),
			NumCell(r.count(i, "summary.throttles", s.Throttles), float64(s.Throttles)),
			NumCell(r.coldText(i), cr),
			NumCell(msText(s.DurationMs.P50), s.DurationMs.P50), NumCell(msText(s.DurationMs.P90), s.DurationMs.P90),
			NumCell(msText(s.DurationMs.P99), s.DurationMs.P99),
			NumCell(r.count(i, "summary.max_memory_used_mb", int64(s.MaxMemoryUsedMB)), float64(s.MaxMemoryUsedMB)),
			NumCell(Num(fb.WindowGBSeconds, 1), fb.WindowGBSeconds.InexactFloat64()),
		})
	}
	t.Footer = []Cell{TextCell(fmt.Sprintf("Total (%d)", len(d.Functions))), {}, {},
		NumCell(r.totalText(true), 0), NumCell(r.totalText(false), 0),
		NumCell(Num(decimal.NewFromInt(inv), 0), 0), NumCell(r.total(errs, "summary.errors"), 0), NumCell(r.total(thr, "summary.throttles"), 0),
		NumCell(r.coldTotal(cold, inv), 0), {}, {}, {}, {}, NumCell(Num(gbs, 1), 0)}
	return t
}

// latencyChart shows p50/p90/p99 handler durations of the busiest functions.
func latencyChart(r *DatasetReport, half bool) Chart {
	d := r.Dataset
	var idx []int
	for i := range d.Functions {
		if !r.missing(i, "summary.duration_ms.p50") && !r.missing(i, "summary.invocations") {
			idx = append(idx, i)
		}
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
// DATASET.json -o json`): the exact bill over the dataset's window and
// projected to a 730-hour month, per function (most expensive first) and in
// total. monthly_cost_usd is null when the dataset has no window; a
// function that could not be billed has null costs and "incomplete": true.
type DatasetReportJSON struct {
	Source         string    `json:"source"`
	Region         string    `json:"region"`
	Start          time.Time `json:"start"`
	End            time.Time `json:"end"`
	PriceDate      string    `json:"price_date"`
	WindowCostUSD  float64   `json:"window_cost_usd"`
	MonthlyCostUSD *float64  `json:"monthly_cost_usd"`
	// MonthlyFactor is the window → month scale (null without a window).
	MonthlyFactor *float64 `json:"monthly_factor"`
	// Complete is false when some function's values were not collected;
	// the totals then leave out the functions that could not be billed.
	Complete            bool                  `json:"complete"`
	IncompleteFunctions int                   `json:"incomplete_functions"`
	Functions           []DatasetFunctionJSON `json:"functions"`
	Problems            []string              `json:"problems,omitempty"`
	Warnings            []string              `json:"warnings,omitempty"`
	Assumptions         pricing.Assumptions   `json:"assumptions"`
}

// DatasetFunctionJSON is one function of DatasetReportJSON.
type DatasetFunctionJSON struct {
	Name       string   `json:"name"`
	Incomplete bool     `json:"incomplete,omitempty"`
	Missing    []string `json:"missing,omitempty"`
	// NotMeasured lists the summary values the function's source does
	// not measure (null in Summary; pricing.DatasetFunction.NotMeasured).
	NotMeasured   []string `json:"not_measured,omitempty"`
	MemorySizesMB []int    `json:"memory_sizes_mb,omitempty"`
	MemoryChanged bool     `json:"memory_changed,omitempty"`
	// Summary is the dataset's summary, with the values that were not
	// collected as null (never 0).
	Summary json.RawMessage  `json:"summary"`
	Window  *DatasetCostJSON `json:"window"`
	Monthly *DatasetCostJSON `json:"monthly"`
}

// DatasetCostJSON is one function's bill over a span: its usage, cost
// lines, total and one estimate per billed item (memory size, and the
// provisioned-concurrency item).
type DatasetCostJSON struct {
	TotalUSD float64             `json:"total_usd"`
	Usage    pricing.BilledUsage `json:"usage"`
	Lines    []pricing.CostLine  `json:"lines"`
	Items    []pricing.Estimate  `json:"items"`
}

func costJSON(c pricing.Cost, u pricing.BilledUsage, b *pricing.Bill, idx []int) *DatasetCostJSON {
	lines := c.Lines
	if lines == nil {
		lines = []pricing.CostLine{}
	}
	est := b.Estimates()
	out := &DatasetCostJSON{TotalUSD: c.TotalUSD(), Usage: u, Lines: lines, Items: []pricing.Estimate{}}
	for _, j := range idx {
		out.Items = append(out.Items, est[j])
	}
	return out
}

// JSON returns the JSON view of r.
func (r *DatasetReport) JSON() DatasetReportJSON {
	d, db := r.Dataset, r.Bill
	inc, _ := db.Incomplete()
	out := DatasetReportJSON{Source: d.Source, Region: db.Region, Start: d.Start, End: d.End, PriceDate: r.PriceDate,
		WindowCostUSD: db.Window.Cost.TotalUSD(), Complete: inc == 0, IncompleteFunctions: inc,
		Functions: []DatasetFunctionJSON{}, Problems: d.Problems, Warnings: r.Warnings(), Assumptions: db.Assumptions}
	if out.Assumptions == nil {
		out.Assumptions = pricing.Assumptions{}
	}
	if db.Monthly != nil {
		m, f := db.Monthly.Cost.TotalUSD(), db.Factor
		out.MonthlyCostUSD, out.MonthlyFactor = &m, &f
	}
	for _, i := range r.order {
		fb := db.Functions[i]
		fj := DatasetFunctionJSON{Name: fb.Name, Incomplete: fb.Incomplete, Missing: d.Functions[i].Missing, NotMeasured: d.Functions[i].NotMeasured,
			MemorySizesMB: fb.MemorySizes, MemoryChanged: fb.MemoryChanged, Summary: summaryJSON(&d.Functions[i])}
		if fb.Billed() {
			fj.Window = costJSON(fb.Window, fb.WindowUsage, db.Window, fb.WindowItems)
			if db.Monthly != nil {
				fj.Monthly = costJSON(fb.Monthly, fb.MonthlyUsage, db.Monthly, fb.MonthlyItems)
			}
		}
		out.Functions = append(out.Functions, fj)
	}
	return out
}

// summaryJSON writes f's summary with every value listed in f.Missing or
// f.NotMeasured ("summary.invocations", "summary.duration_ms") as null.
func summaryJSON(f *pricing.DatasetFunction) json.RawMessage {
	b, err := json.Marshal(f.Summary)
	if err != nil || len(f.Missing)+len(f.NotMeasured) == 0 {
		return b
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return b
	}
	for _, p := range slices.Concat(f.Missing, f.NotMeasured) {
		path, ok := strings.CutPrefix(p, "summary.")
		if !ok {
			continue
		}
		keys := strings.Split(path, ".")
		obj := m
		for _, k := range keys[:len(keys)-1] {
			next, ok := obj[k].(map[string]any)
			if !ok {
				obj = nil
				break
			}
			obj = next
		}
		if obj != nil {
			obj[keys[len(keys)-1]] = nil
		}
	}
	out, err := json.Marshal(m)
	if err != nil {
		return b
	}
	return out
}

// Count formats n with word in the singular or plural ("1 function",
// "2 functions").
func Count(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
