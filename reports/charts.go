package reports

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"github.com/lambdacost/lambdacost/pricing"
)

// Chart options are built with go-echarts' option model and rendered by our
// own page template (html.go), never by go-echarts' renderer, which writes
// the options unescaped (a series name could run script).

// palette is the colour cycle of every chart (echarts 5's, readable on white).
var palette = []string{"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}

// Named colours for things that mean the same on every page.
const (
	colorX86     = "#5470c6"
	colorARM     = "#3ba272"
	colorEC2     = "#fc8452"
	colorFargate = "#9a60b4"
	colorCold    = "#73c0de"
	colorThrottl = "#ee6666"
	colorMuted   = "#9ca3af"
)

// optionOf validates a go-echarts chart and returns its option object.
func optionOf(c interface {
	Validate()
	JSON() map[string]interface{}
}) map[string]any {
	c.Validate()
	o := generic(c.JSON())
	o["color"] = palette
	// No entry animation: a report is read, not watched, and the page is
	// complete (every chart's "finished" event fired) at its first frame.
	// Updates (legend toggles, zoom) still animate briefly.
	o["animation"] = false
	o["animationDurationUpdate"] = 300
	return o
}

// generic turns go-echarts' typed option tree into plain maps and slices
// (via JSON), so that options go-echarts does not model can be set.
func generic(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("reports: chart option does not encode: %v", err)) // our own option structs: a bug
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(err)
	}
	return m
}

// eachMap calls fn for every object in o[key] (an object or a list of them).
func eachMap(o map[string]any, key string, fn func(i int, m map[string]any)) {
	switch v := o[key].(type) {
	case map[string]any:
		fn(0, v)
	case []any:
		for i, x := range v {
			if m, ok := x.(map[string]any); ok {
				fn(i, m)
			}
		}
	}
}

func titleOpts(title, subtitle string) charts.GlobalOpts {
	return charts.WithTitleOpts(opts.Title{
		Title: title, Subtitle: subtitle, Left: "8", Top: "4",
		TitleStyle:    &opts.TextStyle{FontSize: 15, Color: "#1f2937"},
		SubtitleStyle: &opts.TextStyle{FontSize: 12, Color: "#6b7280"},
	})
}

// axisSpec describes an axis of an xy chart.
type axisSpec struct {
	Name string
	// Fmt names a page formatter for the tick labels (see Chart.Option).
	Fmt string
	// Type is "value" (default), "category" or "log".
	Type string
	// Data are the categories of a category axis.
	Data []string
	// Integer keeps ticks on whole numbers (counts).
	Integer bool
	// Min and Max force the axis range (nil: automatic; value axes start
	// at 0; "dataMax" ends the axis at the last value).
	Min, Max any
}

// seriesSpec is one series of an xy chart.
type seriesSpec struct {
	Name string
	// Kind is "line" (default) or "bar".
	Kind string
	// Values for a category x axis, or XY points for a value x axis.
	Values []float64
	XY     [][2]float64
	YAxis  int
	Stack  string
	Area   bool
	Step   bool
	Dashed bool
	Color  string
	// Symbols shows a marker at every point (lines with few points).
	Symbols bool
	// Markers draws only the markers, no line (e.g. p5/p95 across runs).
	Markers bool
	// Fmt names the tooltip formatter of this series' values.
	Fmt string
	// MarkX draws labelled vertical lines at these x values.
	MarkX []markLine
	// Labels prints each value on the chart with this formatter (bars).
	Labels string
}

type markLine struct {
	Name string
	X    float64
}

// xySpec is a cartesian chart: lines and/or bars over one x axis and one or
// two y axes.
type xySpec struct {
	ID, Title, Subtitle string
	Height              int
	Half                bool
	X                   axisSpec
	Y                   []axisSpec
	Series              []seriesSpec
	// Horizontal swaps the axes (bars grow to the right; X is then the
	// category axis drawn vertically).
	Horizontal bool
	// ZoomX adds a slider to zoom the x axis (long time series).
	ZoomX bool
}

func axisLabel(fmtName string) *opts.AxisLabel {
	l := &opts.AxisLabel{Show: opts.Bool(true), Color: "#4b5563"}
	if fmtName != "" {
		l.Formatter = types.FuncStr("fmt:" + fmtName)
	}
	return l
}

func (a axisSpec) typ() string {
	if a.Type == "" {
		return "value"
	}
	return a.Type
}

func (a axisSpec) x() opts.XAxis {
	x := opts.XAxis{Name: a.Name, Type: a.typ(), NameLocation: "middle", NameGap: 30, AxisLabel: axisLabel(a.Fmt), Min: a.Min, Max: a.Max}
	if a.Type == "category" {
		x.Data = a.Data
	}
	return x
}

func (a axisSpec) y(i int) opts.YAxis {
	y := opts.YAxis{Name: a.Name, Type: a.typ(), AxisLabel: axisLabel(a.Fmt), Min: a.Min}
	if a.Integer {
		y.MinInterval = 1
	}
	if a.Type == "category" {
		y.Data = a.Data
		y.Inverse = opts.Bool(true) // first category on top
	}
	if i > 0 {
		y.SplitLine = &opts.SplitLine{Show: opts.Bool(false)}
	}
	return y
}

// xyChart builds a cartesian chart from spec.
func xyChart(spec xySpec) Chart {
	c := charts.NewLine()
	tooltip := opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}
	if len(spec.Series) > 0 && spec.Series[0].Fmt != "" {
		tooltip.ValueFormatter = types.FuncStr("fmt:" + spec.Series[0].Fmt)
	}
	g := []charts.GlobalOpts{
		titleOpts(spec.Title, spec.Subtitle),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Bottom: "0"}),
		charts.WithTooltipOpts(tooltip),
		charts.WithGridOpts(opts.Grid{Left: "16", Right: "28", Top: "64", Bottom: "36", ContainLabel: opts.Bool(true)}),
	}
	if spec.ZoomX {
		g = append(g, charts.WithDataZoomOpts(opts.DataZoom{Type: "inside"}))
	}
	ys := spec.Y
	if len(ys) == 0 {
		ys = []axisSpec{{}}
	}
	if spec.Horizontal {
		// Categories on the vertical axis, values along the horizontal one.
		g = append(g, charts.WithYAxisOpts(spec.X.y(0)), charts.WithXAxisOpts(opts.XAxis{
			Name: ys[0].Name, Type: ys[0].typ(), NameLocation: "middle", NameGap: 28, AxisLabel: axisLabel(ys[0].Fmt),
		}))
	} else {
		g = append(g, charts.WithXAxisOpts(spec.X.x()), charts.WithYAxisOpts(ys[0].y(0)))
	}
	c.SetGlobalOptions(g...)
	if !spec.Horizontal {
		for i, y := range ys[1:] {
			c.ExtendYAxis(y.y(i + 1))
		}
	}
	if spec.X.Type == "category" && !spec.Horizontal {
		c.SetXAxis(spec.X.Data)
	}
	for _, s := range spec.Series {
		data := make([]opts.LineData, 0, max(len(s.Values), len(s.XY)))
		for _, v := range s.Values {
			data = append(data, opts.LineData{Value: finite(v)})
		}
		for _, p := range s.XY {
			data = append(data, opts.LineData{Value: []float64{finite(p[0]), finite(p[1])}})
		}
		s := s
		c.AddSeries(s.Name, data, charts.WithSeriesOpts(func(ss *charts.SingleSeries) {
			if s.Kind == "bar" {
				ss.Type = types.ChartBar
				ss.BarMaxWidth = "48"
			} else {
				ss.ShowSymbol = opts.Bool(s.Symbols)
				ss.Symbol = "circle"
				if s.Step {
					ss.Step = "end"
				}
				ls := &opts.LineStyle{Width: 2}
				if s.Dashed {
					ls.Type = "dashed"
				}
				if s.Markers {
					ls.Opacity = opts.Float(0)
					ss.ShowSymbol = opts.Bool(true)
					ss.Symbol = "diamond"
					ss.SymbolSize = 11
				}
				ss.LineStyle = ls
			}
			ss.YAxisIndex = s.YAxis
			ss.Stack = s.Stack
			if s.Color != "" {
				ss.ItemStyle = &opts.ItemStyle{Color: s.Color}
				if ss.LineStyle != nil {
					ss.LineStyle.Color = s.Color
				}
			}
			if s.Area {
				ss.AreaStyle = &opts.AreaStyle{Opacity: opts.Float(0.18)}
			}
			if s.Fmt != "" {
				ss.SeriesTooltip = &opts.SeriesTooltip{ValueFormatter: types.FuncStr("fmt:" + s.Fmt)}
			}
			if s.Labels != "" {
				ss.Label = &opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "fmt:" + s.Labels, Color: "#374151"}
			}
			if len(s.MarkX) > 0 {
				items := make([]opts.MarkLineNameXAxisItem, len(s.MarkX))
				for i, m := range s.MarkX {
					items[i] = opts.MarkLineNameXAxisItem{Name: m.Name, XAxis: finite(m.X)}
				}
				ss.MarkLines = &opts.MarkLines{}
				charts.WithMarkLineNameXAxisItemOpts(items...)(ss)
				charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
					Symbol:    []string{"none", "none"},
					Label:     &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Color: "#111827"},
					LineStyle: &opts.LineStyle{Color: "#111827", Type: "dashed", Width: 1.5},
				})(ss)
			}
		}))
	}
	o := optionOf(c)
	// Axis names: y names start at their axis (a long name is not cut at the
	// chart's edge); a named bottom axis gets room between ticks and legend.
	eachMap(o, "yAxis", func(i int, m map[string]any) {
		if m["type"] == "category" {
			return
		}
		align := "left"
		if i > 0 {
			align = "right"
		}
		m["nameTextStyle"] = map[string]any{"align": align, "color": "#4b5563"}
	})
	// Long series: lines draw about one point per pixel, keeping the peaks.
	eachMap(o, "series", func(_ int, m map[string]any) {
		if d, ok := m["data"].([]any); ok && len(d) > 600 {
			switch m["type"] {
			case "line":
				m["sampling"] = "lttb"
			case "bar":
				m["large"] = true // one path for all bars
			}
		}
	})
	grid := o["grid"].([]any)[0].(map[string]any)
	if spec.Horizontal {
		o["tooltip"] = map[string]any{"show": true, "trigger": "axis", "axisPointer": map[string]any{"type": "shadow"}, "valueFormatter": tooltip.ValueFormatter}
		eachMap(o, "xAxis", func(_ int, m map[string]any) {
			m["nameLocation"] = "end"
			m["nameTextStyle"] = map[string]any{"align": "left", "verticalAlign": "top", "padding": []int{8, 0, 0, -4}, "color": "#4b5563"}
		})
		grid["right"] = "56"
	} else if spec.X.Name != "" {
		grid["bottom"] = "44"
		eachMap(o, "xAxis", func(_ int, m map[string]any) { m["nameTextStyle"] = map[string]any{"color": "#4b5563"} })
	}
	return Chart{ID: spec.ID, Title: spec.Title, Height: spec.Height, Half: spec.Half, Option: o}
}

// pieSlice is one slice of a donut chart.
type pieSlice struct {
	Name  string
	Value float64
}

// donutChart draws shares of a total (e.g. a bill by cost line).
func donutChart(id, title, subtitle string, slices []pieSlice, half bool) Chart {
	c := charts.NewPie()
	c.SetGlobalOptions(
		titleOpts(title, subtitle),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Bottom: "0"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", ValueFormatter: "fmt:usd"}),
	)
	data := make([]opts.PieData, len(slices))
	for i, s := range slices {
		data[i] = opts.PieData{Name: s.Name, Value: finite(s.Value)}
	}
	c.AddSeries("Cost", data, charts.WithPieChartOpts(opts.PieChart{Radius: []string{"42%", "68%"}, Center: []string{"50%", "54%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "fmt:labelPct", Color: "#374151"}),
		charts.WithItemStyleOpts(opts.ItemStyle{BorderColor: "#fff", BorderWidth: 2}))
	return Chart{ID: id, Title: title, Height: 340, Half: half, Option: optionOf(c)}
}

// costSlices groups a bill's lines by component (tiers of one line merged).
func costSlices(c pricing.Cost) []pieSlice {
	var out []pieSlice
	idx := map[string]int{}
	for _, l := range c.Lines {
		name := pricing.LineLabel(l.Name)
		if i, ok := idx[name]; ok {
			out[i].Value += l.Cost.InexactFloat64()
			continue
		}
		idx[name] = len(out)
		out = append(out, pieSlice{name, l.Cost.InexactFloat64()})
	}
	return out
}

// costBreakdownChart is a donut of a bill's total by cost component.
func costBreakdownChart(id, title, subtitle string, c pricing.Cost, half bool) Chart {
	return donutChart(id, title, subtitle, costSlices(c), half)
}

// costByFunctionChart stacks each function's cost by component as
// horizontal bars, most expensive first (at most limit functions).
func costByFunctionChart(id, title, subtitle string, names []string, costs []pricing.Cost, limit int) Chart {
	if len(names) > limit {
		names, costs = names[:limit], costs[:limit]
	}
	var comps []string
	seen := map[string]bool{}
	for _, c := range costs {
		for _, l := range c.Lines {
			n := pricing.LineLabel(l.Name)
			if !seen[n] {
				seen[n] = true
				comps = append(comps, n)
			}
		}
	}
	var series []seriesSpec
	for _, comp := range comps {
		vals := make([]float64, len(names))
		for i, c := range costs {
			for _, s := range costSlices(c) {
				if s.Name == comp {
					vals[i] = s.Value
				}
			}
		}
		series = append(series, seriesSpec{Name: comp, Kind: "bar", Values: vals, Stack: "cost", Fmt: "usd"})
	}
	h := 120 + 34*len(names)
	if h < 300 {
		h = 300
	}
	return xyChart(xySpec{
		ID: id, Title: title, Subtitle: subtitle, Height: h, Horizontal: true,
		X:      axisSpec{Type: "category", Data: names},
		Y:      []axisSpec{{Name: "USD", Fmt: "usdAxis"}},
		Series: series,
	})
}
