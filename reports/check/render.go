package check

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

// Write renders r in format f to w: JSON (the stable result, usable as the
// next --baseline), Markdown (a pull-request comment or
// $GITHUB_STEP_SUMMARY: failing thresholds first, then the diff), or
// table/CSV grids.
func Write(w io.Writer, f reports.Format, st reports.Style, r *Report) error {
	switch f {
	case reports.JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false) // expressions stay readable: "< 250"
		return enc.Encode(r)
	case reports.Markdown:
		return WriteMarkdown(w, r)
	}
	return reports.WriteGrids(w, f, st, Grids(r)...)
}

// Grids renders r as tables: every threshold in config order (k6's ✓/✗),
// then, with a baseline, the diff.
func Grids(r *Report) []reports.Grid {
	title := "lambdacost check · "
	if r.Passed {
		title += "passed · " + plural(r.Summary.Thresholds, "threshold")
	} else {
		title += fmt.Sprintf("FAILED · %d of %s", r.Summary.FailedThresholds, plural(r.Summary.Thresholds, "threshold"))
	}
	g := reports.Grid{
		Title:      title,
		Header:     []string{"", "Check", "Threshold", "Value"},
		AlignRight: map[int]bool{3: true},
	}
	for _, c := range r.Checks {
		if len(c.Thresholds) == 0 {
			g.Rows = append(g.Rows, []string{"·", c.Name, "(no thresholds)", ""})
		}
		for _, t := range c.Thresholds {
			mark := "✓"
			if !t.Passed {
				mark = "✗"
			}
			g.Rows = append(g.Rows, []string{mark, c.Name, t.Metric + " " + t.Expression, thresholdValue(t)})
		}
	}
	gs := []reports.Grid{g}
	for _, c := range r.Checks {
		if c.Incomplete != "" {
			gs = append(gs, reports.Grid{Title: c.Name + ": INCOMPLETE DATA", Header: []string{"Why its thresholds failed (all of them on incomplete data of this run; the increases on an incomplete baseline)"}, Rows: [][]string{{c.Incomplete}}})
		}
	}
	for _, c := range r.Checks {
		if c.Infra != nil {
			g := reports.InfraGrids(c.Infra)[0]
			g.Title = c.Name + ": " + g.Title
			gs = append(gs, g)
		}
	}
	if r.Diff != nil {
		g, _ := diffGrid(r.Diff, false)
		gs = append(gs, g)
	}
	if as := assumptions(r); len(as) > 0 {
		gs = append(gs, reports.AssumptionsGrid(as)...)
	}
	return gs
}

// assumptions lists every check's assumptions, each field qualified by
// the check's name when there are several checks.
func assumptions(r *Report) pricing.Assumptions {
	var out pricing.Assumptions
	for _, c := range r.Checks {
		for _, a := range c.Assumptions {
			if len(r.Checks) > 1 {
				a.Field = c.Name + ": " + a.Field
			}
			out.Add(a)
		}
	}
	return out
}

// thresholdValue is a threshold's value for people; increases also show
// the base metric before → after.
func thresholdValue(t ThresholdResult) string {
	if t.Incomplete {
		if math.IsNaN(t.Value) {
			return "incomplete data"
		}
		return FormatValue(t.Metric, t.Value) + " (incomplete data)"
	}
	s := FormatValue(t.Metric, t.Value)
	if e, err := ParseExpr(t.Metric, t.Expression); err == nil && t.Value != e.Value && s == FormatValue(t.Metric, e.Value) {
		// Rounded, the value would read as the bound itself, whichever
		// side of it it is: shown with the digits that decide.
		s = exactValue(t.Metric, t.Value)
	}
	if t.Before != nil && t.After != nil {
		base, _, _ := ParseMetric(t.Metric)
		s += fmt.Sprintf(" (%s → %s)", FormatValue(base, *t.Before), FormatValue(base, *t.After))
	}
	return s
}

// exactValue renders a metric value with up to 10 significant digits, in
// the unit FormatValue uses.
func exactValue(key string, v float64) string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 10, 64) }
	base, inc, _ := ParseMetric(key)
	if inc {
		sign := ""
		if v > 0 {
			sign = "+"
		}
		return sign + g(v) + "%"
	}
	m, _ := metricInfo(base)
	switch m.unit {
	case metricUnitUSD, metricUnitPerMil:
		return "$" + g(v)
	case metricUnitRate:
		return g(v*100) + "%"
	case metricUnitMs:
		return g(v) + " ms"
	}
	return g(v)
}

// diffGrid renders the diff; in Markdown (a PR comment) only the rows that
// changed, like infracost, and it reports how many it left out.
func diffGrid(d *Diff, md bool) (reports.Grid, int) {
	unchanged := 0
	g := reports.Grid{
		Header:     []string{"Check", "Metric", "Before", "After", "Change", "%"},
		AlignRight: map[int]bool{2: true, 3: true, 4: true, 5: true},
	}
	if !md {
		g.Title = "Against the baseline " + d.Baseline
	}
	name := func(s string) string {
		if md {
			return mdEscape(s)
		}
		return s
	}
	for _, row := range d.Rows {
		if md && row.Change != nil && *row.Change == 0 {
			unchanged++
			continue
		}
		before, after, change, pct := "–", "–", "", ""
		if row.Before != nil {
			before = FormatValue(row.Metric, *row.Before)
		}
		if row.After != nil {
			after = FormatValue(row.Metric, *row.After)
		}
		switch {
		case row.Change != nil:
			change = FormatChange(row.Metric, *row.Change)
			if row.ChangePct != nil {
				pct = FormatPct(*row.ChangePct)
			} else if *row.Change != 0 {
				pct = FormatPct(increasePct(0, *row.Change))
			} else {
				pct = FormatPct(0)
			}
		case row.Before == nil:
			change, pct = "new", "new"
		default:
			change, pct = "removed", "removed"
		}
		g.Rows = append(g.Rows, []string{name(row.Check), Label(row.Metric), before, after, change, pct})
	}
	total := func(v *float64) string {
		if v == nil {
			return "unknown"
		}
		return reports.USDf(*v)
	}
	g.Footer = []string{"Total monthly cost", "", total(d.MonthlyCostBefore), total(d.MonthlyCostAfter), "", ""}
	if d.MonthlyCostBefore != nil && d.MonthlyCostAfter != nil {
		g.Footer[4] = FormatChange(MonthlyCostUSD, *d.MonthlyCostAfter-*d.MonthlyCostBefore)
		g.Footer[5] = FormatPct(increasePct(*d.MonthlyCostBefore, *d.MonthlyCostAfter))
	}
	return g, unchanged
}

// WriteMarkdown writes r as a pull-request comment: a headline, the failing
// thresholds with their values, the passing ones folded away, and the diff
// against the baseline like infracost's (before, after, change, %).
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	if r.Passed {
		fmt.Fprintf(&b, "## ✅ lambdacost check passed\n\n%s in %s passed.\n\n", capital(plural(r.Summary.Thresholds, "threshold")), plural(r.Summary.Checks, "check"))
	} else {
		fmt.Fprintf(&b, "## ❌ lambdacost check failed\n\n%d of %s failed in %d of %s.\n\n", r.Summary.FailedThresholds, plural(r.Summary.Thresholds, "threshold"), r.Summary.FailedChecks, plural(r.Summary.Checks, "check"))
	}
	if d := r.Diff; d != nil && (d.MonthlyCostBefore == nil || d.MonthlyCostAfter == nil) {
		fmt.Fprintf(&b, "Monthly cost: not compared, the cost of %s is not known.\n\n", mdEscape(strings.Join(d.MonthlyCostUnknown, ", ")))
	} else if d != nil {
		before, after := *d.MonthlyCostBefore, *d.MonthlyCostAfter
		change := after - before
		verb := "is unchanged at"
		switch {
		case change > 0.005:
			verb = "increases by"
		case change < -0.005:
			verb = "decreases by"
		}
		if verb == "is unchanged at" {
			fmt.Fprintf(&b, "Monthly cost %s **%s**.\n\n", verb, reports.USDf(after))
		} else {
			fmt.Fprintf(&b, "Monthly cost %s **%s (%s)**: %s → %s.\n\n", verb, strings.TrimLeft(FormatChange(MonthlyCostUSD, change), "+-"),
				FormatPct(increasePct(before, after)), reports.USDf(before), reports.USDf(after))
		}
	}

	failed, passed := thresholdGrid(), thresholdGrid()
	for _, c := range r.Checks {
		for _, t := range c.Thresholds {
			row := []string{"", mdEscape(c.Name), "`" + t.Metric + " " + t.Expression + "`", thresholdValue(t)}
			if t.Passed {
				row[0] = "✅"
				passed.Rows = append(passed.Rows, row)
			} else {
				row[0] = "❌"
				row[3] = "**" + row[3] + "**"
				failed.Rows = append(failed.Rows, row)
			}
		}
	}
	if len(failed.Rows) > 0 {
		b.WriteString("### Failing thresholds\n\n")
		if err := reports.WriteGrids(&b, reports.Markdown, reports.Style{}, failed); err != nil {
			return err
		}
		b.WriteString("\n")
	}
	if len(passed.Rows) > 0 {
		if len(failed.Rows) > 0 {
			fmt.Fprintf(&b, "<details><summary>%s passed</summary>\n\n", capital(plural(len(passed.Rows), "threshold")))
		} else {
			b.WriteString("### Thresholds\n\n")
		}
		if err := reports.WriteGrids(&b, reports.Markdown, reports.Style{}, passed); err != nil {
			return err
		}
		if len(failed.Rows) > 0 {
			b.WriteString("\n</details>\n")
		}
		b.WriteString("\n")
	}
	for _, c := range r.Checks {
		if c.Infra != nil {
			if err := reports.WriteInfraSummary(&b, c.Infra, c.Name); err != nil {
				return err
			}
		}
	}
	if d := r.Diff; d != nil {
		fmt.Fprintf(&b, "### Change against the baseline `%s`\n\n", strings.ReplaceAll(d.Baseline, "`", "'"))
		g, unchanged := diffGrid(d, true)
		if err := reports.WriteGrids(&b, reports.Markdown, reports.Style{}, g); err != nil {
			return err
		}
		b.WriteString("\n")
		if unchanged > 0 {
			fmt.Fprintf(&b, "%s unchanged (not shown).\n\n", capital(plural(unchanged, "metric")))
		}
		if len(d.Added) > 0 {
			fmt.Fprintf(&b, "New checks: %s.\n\n", mdList(d.Added))
		}
		if len(d.Removed) > 0 {
			fmt.Fprintf(&b, "Removed checks: %s.\n\n", mdList(d.Removed))
		}
	}
	for _, c := range r.Checks {
		if c.Incomplete != "" {
			fmt.Fprintf(&b, "> [!WARNING]\n> **%s**: %s.\n\n", mdEscape(c.Name), mdEscape(c.Incomplete))
		}
	}
	if as := assumptions(r); len(as) > 0 {
		b.WriteString("<details><summary>Assumptions</summary>\n\n")
		for _, a := range as {
			fmt.Fprintf(&b, "- `%s` = %s: %s\n", strings.ReplaceAll(a.Field, "`", "'"), mdEscape(a.Value), mdEscape(a.Why))
		}
		b.WriteString("\n</details>\n\n")
	}
	fmt.Fprintf(&b, "<sub>`lambdacost check` · %s · prices of %s · months of 730 hours</sub>\n", strings.ReplaceAll(r.Config, "`", "'"), r.PricesDate)
	_, err := io.WriteString(w, b.String())
	return err
}

func thresholdGrid() reports.Grid {
	return reports.Grid{Header: []string{"", "Check", "Threshold", "Value"}, AlignRight: map[int]bool{3: true}}
}

// mdEscape neutralises Markdown and HTML in a name from the config, so a
// check called "<b>x</b>" or "*x*" prints as written. ("|" is escaped by
// the table renderer.)
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
		"<", "&lt;", ">", "&gt;", "&", "&amp;", "#", `\#`, "\n", " ").Replace(s)
}

func mdList(names []string) string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = mdEscape(n)
	}
	return strings.Join(out, ", ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
