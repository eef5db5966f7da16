package reports

import (
	"github.com/lambdacost/lambdacost/pricing"

	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"
)

// Page is one self-contained HTML report: headline facts, then sections of
// charts and tables. Build it with DatasetPage, BillPage, SimulationPage,
// TunePage, ComparePage or PipelinePage (or by hand) and write it with
// Render or WriteHTMLFile. Every string is data: the page template escapes it
// for the context it lands in (HTML text, attribute, or the JSON of a chart
// option inside a script), so a function named
// `</script><script>alert(1)</script>` is shown literally and runs nothing.
type Page struct {
	Title    string
	Subtitle string
	Facts    []Fact
	Sections []Section
	// Notes are caveats, printed under the sections.
	Notes []string
	// Warnings are shown at the top, before the facts: what a reader must
	// not miss (a tiny window projected to a month, an unknown memory size,
	// incomplete data).
	Warnings []string
	// Assumptions are listed in their own "Assumptions" section: every
	// value the numbers depend on that was not measured or given.
	Assumptions pricing.Assumptions
}

// Fact is a headline number shown in a card at the top of the page.
type Fact struct {
	Label  string
	Value  string
	Detail string
}

// Section is a titled group of charts and tables.
type Section struct {
	Title  string
	Text   string
	Charts []Chart
	Tables []HTMLTable
}

// Chart is one echarts chart: an option object (built with go-echarts'
// option model, see optionOf) drawn into a div with a fixed id.
type Chart struct {
	// ID names the chart's div; unique in the page, stable across runs.
	ID string
	// Title is the chart's title (also drawn inside the chart by its option);
	// used in the placeholder when charts are not available.
	Title string
	// Height in CSS pixels (default 380).
	Height int
	// Half lays the chart out at half width next to another half chart.
	Half bool
	// Option is the echarts option object. Formatter fields may name one of
	// the page's own constant JavaScript formatters with a "fmt:" prefix
	// (fmt:usd, fmt:usdAxis, fmt:ms, fmt:num, fmt:numAxis, fmt:pct, fmt:mb,
	// fmt:minutes, fmt:labelUsd, fmt:labelPct); any other name is dropped;
	// no JavaScript is ever built from data.
	Option map[string]any
}

// HTMLTable is a table of a report, optionally sortable by clicking a header.
type HTMLTable struct {
	Title    string
	Header   []string
	Rows     [][]Cell
	Footer   []Cell
	Sortable bool
	// SortedBy is the 1-based column the rows are already sorted by,
	// largest first (marked in the header); 0 when unsorted.
	SortedBy int
	// Caption is a short note printed under the table.
	Caption string
	// Half lays the table out at half width next to another half table.
	Half bool
}

// NumCol reports whether column i holds numbers (right-aligned).
func (t HTMLTable) NumCol(i int) bool {
	for _, r := range t.Rows {
		if i < len(r) {
			return r[i].Num
		}
	}
	return false
}

// AriaSort is the header's aria-sort state for column i.
func (t HTMLTable) AriaSort(i int) string {
	if t.SortedBy == i+1 {
		return "descending"
	}
	return "none"
}

// Cell is a table cell: its text and, for numbers, the value to sort by.
type Cell struct {
	Text string
	// Num marks a numeric cell (right-aligned, sorted by Key).
	Num bool
	Key float64
}

// TextCell returns a text cell.
func TextCell(s string) Cell { return Cell{Text: s} }

// NumCell returns a numeric cell showing text and sorting by key.
func NumCell(text string, key float64) Cell { return Cell{Text: text, Num: true, Key: finite(key)} }

// TableFromGrid converts a terminal grid into an HTML table; cells of
// right-aligned columns are numeric and sort by their parsed value.
func TableFromGrid(g Grid) HTMLTable {
	t := HTMLTable{Title: g.Title, Header: g.Header}
	conv := func(cells []string) []Cell {
		out := make([]Cell, len(cells))
		for i, c := range cells {
			if g.AlignRight[i] {
				out[i] = NumCell(c, parseLooseNumber(c))
			} else {
				out[i] = TextCell(c)
			}
		}
		return out
	}
	for _, r := range g.Rows {
		t.Rows = append(t.Rows, conv(r))
	}
	if len(g.Footer) > 0 {
		t.Footer = conv(g.Footer)
	}
	return t
}

// parseLooseNumber reads "$1,234.50", "12.5%", "-3" as a number (0 if none).
func parseLooseNumber(s string) float64 {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' || r == '.' || r == '-' || r == 'e' || r == 'E' {
			b.WriteRune(r)
		}
	}
	var f float64
	if _, err := fmt.Sscan(b.String(), &f); err != nil {
		return 0
	}
	return f
}

// HTMLOption changes how a page is rendered.
type HTMLOption func(*htmlConfig)

type htmlConfig struct {
	scriptHref string
	now        func() time.Time
}

// WithAssetsHref makes the page load echarts from href (a path relative to
// the report, e.g. "assets/echarts.min.js", written by WriteAssets) instead
// of inlining it: many reports then share one copy of the script.
func WithAssetsHref(href string) HTMLOption { return func(c *htmlConfig) { c.scriptHref = href } }

// WithGeneratedAt fixes the "generated at" time printed in the footer (for
// reproducible output and golden files).
func WithGeneratedAt(t time.Time) HTMLOption {
	return func(c *htmlConfig) { c.now = func() time.Time { return t } }
}

//go:embed page.html.tmpl
var pageTemplateText string

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"chartHeight": func(c Chart) int {
		if c.Height <= 0 {
			return 380
		}
		return c.Height
	},
}).Parse(pageTemplateText))

type chartSpec struct {
	ID     string         `json:"id"`
	Option map[string]any `json:"option"`
}

type pageData struct {
	*Page
	Specs          []chartSpec
	HasCharts      bool
	InlineJS       template.JS
	ScriptHref     string
	EchartsVersion string
	Generated      string
}

// Render writes p as one HTML document. By default echarts is inlined from
// the binary (no network, no extra files); with WithAssetsHref the page loads
// it from that path. A binary built without echarts writes a page whose
// tables are complete and whose chart areas say how to get the charts.
func (p *Page) Render(w io.Writer, opts ...HTMLOption) error {
	cfg := htmlConfig{now: time.Now}
	for _, o := range opts {
		o(&cfg)
	}
	d := pageData{Page: p, EchartsVersion: EchartsVersion, Generated: cfg.now().UTC().Format("2006-01-02 15:04 UTC")}
	seen := map[string]bool{}
	for _, s := range p.Sections {
		for _, c := range s.Charts {
			if c.ID == "" || seen[c.ID] {
				return fmt.Errorf("reports: chart id %q is empty or repeated", c.ID)
			}
			seen[c.ID] = true
			d.Specs = append(d.Specs, chartSpec{ID: c.ID, Option: c.Option})
		}
	}
	// html/template JSON-encodes the specs inside the script (escaping <, >
	// and & as \u003c…); encode once here to surface errors (NaN, cycles)
	// instead of the template's silent "null".
	if _, err := json.Marshal(d.Specs); err != nil {
		return fmt.Errorf("reports: chart options: %w", err)
	}
	d.HasCharts = len(d.Specs) > 0
	if d.HasCharts {
		if cfg.scriptHref != "" {
			d.ScriptHref = cfg.scriptHref
		} else if js := embeddedEcharts(); js != nil {
			// Trusted: our pinned, checksummed build, checked for "</script".
			d.InlineJS = template.JS(js)
		}
	}
	return pageTemplate.Execute(w, d)
}

// finite maps NaN and ±Inf to 0 so that options always encode as JSON.
func finite(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}
