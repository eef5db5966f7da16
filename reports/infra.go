package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/infra"
)

// signedUSD formats a change of money with its sign ("+$69.44", "-$0.20").
func signedUSD(d decimal.Decimal) string {
	if d.IsPositive() && d.Round(2).IsPositive() {
		return "+" + USD(d)
	}
	return USD(d)
}

// sideCell renders one side of a function: its monthly cost, its range
// when only the architecture is unknown, or what is unknown.
func sideCell(s *infra.Side, k infra.Kind) string {
	switch {
	case s == nil:
		return "—"
	case s.Cost != nil:
		return USD(s.Cost.Total)
	case s.Range != nil:
		return USD(s.Range.Min) + "–" + USD(s.Range.Max)
	}
	return "unknown (" + infra.UnknownText(s.Unknown, k) + ")"
}

func diffCell(f infra.FunctionDiff) string {
	lo, hi, ok := diffRange(f)
	switch {
	case !ok:
		return "unknown"
	case f.DiffUSD != nil:
		return signedUSD(lo)
	}
	return signedUSD(lo) + " to " + signedUSD(hi)
}

func fnLabel(f infra.FunctionDiff, region string) string {
	label := f.Address
	if f.Name != "" && f.Name != f.Address {
		label = f.Name + " (" + f.Address + ")"
	}
	s := f.Head
	if s == nil {
		s = f.Base
	}
	if s != nil && s.Region != "" && s.Region != region {
		label += " · " + s.Region
	}
	return label
}

func whyCell(f infra.FunctionDiff) string {
	why := strings.Join(f.Why, "; ")
	if c := coldCell(f); c != "" {
		if why != "" {
			why += "; "
		}
		why += c
	}
	if len(f.MissingUsage) > 0 {
		if why != "" {
			why += "; "
		}
		why += "usage missing: " + strings.Join(f.MissingUsage, ", ")
	}
	return why
}

// coldCell says how the simulated cold starts change ("cold starts
// 1,460 → 730/month (simulated)"); empty without a simulation.
func coldCell(f infra.FunctionDiff) string {
	side := func(s *infra.Side) string {
		switch {
		case s == nil:
			return "—"
		case s.Simulated == nil:
			return "?"
		}
		return groupThousands(strconv.FormatInt(s.Simulated.ColdStarts, 10))
	}
	if (f.Base == nil || f.Base.Simulated == nil) && (f.Head == nil || f.Head.Simulated == nil) {
		return ""
	}
	b, h := side(f.Base), side(f.Head)
	if b == h {
		return "cold starts " + h + "/month (simulated)"
	}
	return "cold starts " + b + " → " + h + "/month (simulated)"
}

// InfraGrids renders a priced infrastructure change: the functions (changed
// first) with base, head and the difference, the totals, the assumptions
// and notes.
func InfraGrids(e *infra.Estimate) []Grid {
	base := "Base"
	if !e.HasBase {
		base = "Base (none)"
	}
	g := Grid{
		Title:      fmt.Sprintf("Lambda cost per month · %s · base vs head (%s)", e.Region, e.Path),
		Header:     []string{"Function", "Change", base, "Head", "Diff", "Why"},
		AlignRight: map[int]bool{2: true, 3: true, 4: true},
	}
	for _, f := range e.Functions {
		g.Rows = append(g.Rows, []string{fnLabel(f, e.Region), string(f.Change), sideCell(f.Base, e.Kind), sideCell(f.Head, e.Kind), diffCell(f), whyCell(f)})
	}
	head := USD(e.Totals.Head)
	if !e.Totals.Complete {
		head += " (known)"
	}
	g.Footer = []string{"Total", "", USD(e.Totals.Base), head, signedUSD(e.Totals.Diff), increaseText(e.Totals)}
	return infraGrids(e, g)
}

// InfraCSVGrids are InfraGrids with every money cell of the functions
// table a number: the head and the diff are two columns each, lowest and
// highest, equal for a known cost and the two ends of the range for a
// function whose architecture is unknown ("unknown" when neither).
func InfraCSVGrids(e *infra.Estimate) []Grid {
	g := Grid{
		Title:      fmt.Sprintf("Lambda cost per month · %s · base vs head (%s)", e.Region, e.Path),
		Header:     []string{"Function", "Change", "Base", "Head lowest", "Head highest", "Diff lowest", "Diff highest", "Why"},
		AlignRight: map[int]bool{2: true, 3: true, 4: true, 5: true, 6: true},
	}
	for _, f := range e.Functions {
		base := "" // no side: an empty cell, not a number
		if f.Base != nil {
			base = sideCell(f.Base, e.Kind)
			if f.Base.Cost != nil {
				base = USD(f.Base.Cost.Total)
			}
		}
		hlo, hhi := "", ""
		if s := f.Head; s != nil {
			hlo, hhi = sideCell(s, e.Kind), sideCell(s, e.Kind)
			switch {
			case s.Cost != nil:
				hlo, hhi = USD(s.Cost.Total), USD(s.Cost.Total)
			case s.Range != nil:
				hlo, hhi = USD(s.Range.Min), USD(s.Range.Max)
			}
		}
		dlo, dhi := "unknown", "unknown"
		if lo, hi, ok := diffRange(f); ok {
			dlo, dhi = signedUSD(lo), signedUSD(hi)
		}
		g.Rows = append(g.Rows, []string{fnLabel(f, e.Region), string(f.Change), base, hlo, hhi, dlo, dhi, whyCell(f)})
	}
	hi := e.Totals.Head
	if r := e.Totals.HeadRange; r != nil {
		hi = r.Max
	}
	lo := e.Totals.Head
	if r := e.Totals.HeadRange; r != nil {
		lo = r.Min
	}
	label := "Total"
	if !e.Totals.Complete {
		label = "Total (known subtotal)"
	}
	dlo, dhi := e.Totals.Diff, e.Totals.Diff
	if r := e.Totals.DiffRange; r != nil {
		dlo, dhi = r.Min, r.Max
	}
	g.Footer = []string{label, "", USD(e.Totals.Base), USD(lo), USD(hi), signedUSD(dlo), signedUSD(dhi), increaseText(e.Totals)}
	return infraGrids(e, g)
}

// diffRange is a function's head − base: one value, or the range of an
// unknown architecture; ok is false when unknown.
func diffRange(f infra.FunctionDiff) (lo, hi decimal.Decimal, ok bool) {
	switch {
	case f.DiffUSD != nil:
		return f.Diff, f.Diff, true
	case f.Head != nil && f.Head.Range != nil:
		base := decimal.Zero
		if f.Base != nil && f.Base.Cost != nil {
			base = f.Base.Cost.Total
		} else if f.Base != nil {
			return lo, hi, false
		}
		return f.Head.Range.Min.Sub(base), f.Head.Range.Max.Sub(base), true
	}
	return lo, hi, false
}

func infraGrids(e *infra.Estimate, g Grid) []Grid {
	grids := []Grid{g}
	t := Grid{Title: "Totals", Header: []string{"", "Per month"}, AlignRight: map[int]bool{1: true}}
	diffLabel := "Diff"
	if len(e.Totals.Unknown) > 0 || len(e.Totals.Ranged) > 0 {
		diffLabel = "Diff (functions known on both sides)"
	}
	t.Rows = append(t.Rows, []string{"Base", USD(e.Totals.Base)}, []string{"Head (known subtotal)", USD(e.Totals.Head)},
		[]string{diffLabel, signedUSD(e.Totals.Diff)})
	// One value per cell, so that CSV cells are numbers.
	if p := e.Totals.IncreasePct; p != nil {
		t.Rows = append(t.Rows, []string{"Change %", strconv.FormatFloat(*p, 'f', 1, 64)})
	}
	if r := e.Totals.HeadRange; r != nil {
		t.Rows = append(t.Rows, []string{"Head lowest (architectures unknown)", USD(r.Min)},
			[]string{"Head highest (architectures unknown)", USD(r.Max)})
	}
	if r := e.Totals.DiffRange; r != nil {
		t.Rows = append(t.Rows, []string{"Diff lowest (architectures unknown)", signedUSD(r.Min)},
			[]string{"Diff highest (architectures unknown)", signedUSD(r.Max)})
	}
	for _, u := range e.Totals.Ranged {
		t.Rows = append(t.Rows, []string{"Ranged (architecture unknown)", u})
	}
	for _, u := range e.Totals.Unknown {
		t.Rows = append(t.Rows, []string{"Not in any total (unknown)", u})
	}
	for _, u := range e.Totals.MissingUsage {
		t.Rows = append(t.Rows, []string{"Usage missing", u})
	}
	grids = append(grids, t)
	grids = append(grids, AssumptionsGrid(e.Assumptions)...)
	if len(e.Notes) > 0 {
		n := Grid{Title: "Not priced", Header: []string{"Note"}}
		for _, s := range e.Notes {
			n.Rows = append(n.Rows, []string{s})
		}
		grids = append(grids, n)
	}
	return grids
}

// changeText is the total change: one amount, or the range the functions
// of unknown architecture span, and the number of functions whose cost is
// unknown and so in neither (their known side is left out too, never read
// as a saving or an increase).
func changeText(t infra.Totals) string {
	s := signedUSD(t.Diff) + "/month"
	if r := t.DiffRange; r != nil {
		s = signedUSD(r.Min) + " to " + signedUSD(r.Max) + "/month"
	}
	if n := unknownFunctions(t); n > 0 {
		s += fmt.Sprintf(", without %d function(s) of unknown cost", n)
	}
	return s
}

// unknownFunctions counts the functions with a side of unknown cost (an
// entry of Totals.Unknown is "ADDRESS (side: …)").
func unknownFunctions(t infra.Totals) int {
	seen := map[string]bool{}
	for _, u := range t.Unknown {
		a, _, _ := strings.Cut(u, " (")
		seen[a] = true
	}
	return len(seen)
}

func increaseText(t infra.Totals) string {
	if t.IncreasePct == nil {
		if t.Diff.IsZero() {
			return ""
		}
		return "(new)"
	}
	if t.DiffRange != nil || len(t.Unknown) > 0 {
		return fmt.Sprintf("(%+.1f%% on the functions known on both sides)", *t.IncreasePct)
	}
	return fmt.Sprintf("(%+.1f%%)", *t.IncreasePct)
}

// WriteInfraSummary writes the Markdown pull-request summary of a change:
// a headline with the total change (prefixed by title when not empty),
// then the changed functions first, each with before → after and why.
func WriteInfraSummary(w io.Writer, e *infra.Estimate, title string) error {
	var b strings.Builder
	if title != "" {
		title = escapeMarkdown(title) + ": "
	}
	fmt.Fprintf(&b, "### %sLambda cost change: %s %s\n\n", title, changeText(e.Totals), increaseText(e.Totals))
	fmt.Fprintf(&b, "%s → %s per month", USD(e.Totals.Base), USD(e.Totals.Head))
	if !e.Totals.Complete {
		b.WriteString(" (known subtotal)")
	}
	if r := e.Totals.HeadRange; r != nil {
		fmt.Fprintf(&b, "; with the unknown architectures: %s–%s", USD(r.Min), USD(r.Max))
	}
	fmt.Fprintf(&b, " · %s · `%s`\n\n", e.Region, escapeMarkdown(e.Path))
	changed := 0
	for _, f := range e.Functions {
		if f.Change == infra.Unchanged && len(f.MissingUsage) == 0 {
			continue
		}
		changed++
		fmt.Fprintf(&b, "- **%s** (%s): %s → %s", escapeMarkdown(fnLabel(f, e.Region)), f.Change, sideCell(f.Base, e.Kind), sideCell(f.Head, e.Kind))
		if dc := diffCell(f); dc != "unknown" {
			fmt.Fprintf(&b, " (%s/month)", dc)
		}
		if why := whyCell(f); why != "" {
			fmt.Fprintf(&b, ": %s", escapeMarkdown(why))
		}
		b.WriteString("\n")
	}
	if changed == 0 {
		b.WriteString("No Lambda function changed.\n")
	}
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	return nil
}

// InfraPage builds the HTML report of a priced infrastructure change: the
// totals as facts, unknown values as warnings, and the function table with
// base, head and the difference.
func InfraPage(e *infra.Estimate) *Page {
	p := &Page{
		Title:    "Lambda cost change · " + e.Region,
		Subtitle: fmt.Sprintf("%s · %d function(s) · AWS list prices of %s", e.Path, len(e.Functions), e.PricesDate),
		Facts: []Fact{
			{Label: "Base per month", Value: USD(e.Totals.Base)},
			{Label: "Head per month", Value: USD(e.Totals.Head), Detail: map[bool]string{true: "all functions", false: "known subtotal"}[e.Totals.Complete]},
			{Label: "Change", Value: changeText(e.Totals), Detail: increaseText(e.Totals)},
		},
		Assumptions: e.Assumptions,
		Notes:       e.Notes,
	}
	if r := e.Totals.HeadRange; r != nil {
		p.Facts = append(p.Facts, Fact{Label: "Head with unknown architectures", Value: USD(r.Min) + "–" + USD(r.Max)})
	}
	for _, u := range e.Totals.Unknown {
		p.Warnings = append(p.Warnings, "Not in any total, a value is unknown: "+u)
	}
	for _, u := range e.Totals.Ranged {
		p.Warnings = append(p.Warnings, "Architecture unknown (priced as a range): "+u)
	}
	for _, u := range e.Totals.MissingUsage {
		p.Warnings = append(p.Warnings, "Usage missing (its cost is not included): "+u)
	}
	t := HTMLTable{Header: []string{"Function", "Change", "Base", "Head", "Diff", "Why"}, Sortable: len(e.Functions) > 1}
	num := func(s string, v *decimal.Decimal) Cell {
		if v == nil {
			return TextCell(s)
		}
		return NumCell(s, v.InexactFloat64())
	}
	costOf := func(s *infra.Side) *decimal.Decimal {
		if s == nil || s.Cost == nil {
			return nil
		}
		return &s.Cost.Total
	}
	for _, f := range e.Functions {
		var dv *decimal.Decimal
		if f.DiffUSD != nil {
			dv = &f.Diff
		}
		t.Rows = append(t.Rows, []Cell{TextCell(fnLabel(f, e.Region)), TextCell(string(f.Change)), num(sideCell(f.Base, e.Kind), costOf(f.Base)),
			num(sideCell(f.Head, e.Kind), costOf(f.Head)), num(diffCell(f), dv), TextCell(whyCell(f))})
	}
	t.Footer = []Cell{TextCell("Total"), {}, NumCell(USD(e.Totals.Base), 0), NumCell(USD(e.Totals.Head), 0), NumCell(signedUSD(e.Totals.Diff), 0), TextCell(increaseText(e.Totals))}
	p.Sections = []Section{{Title: "Functions, base vs head", Text: "Changed functions first, largest change first.", Tables: []HTMLTable{t}}}
	return p
}

// WriteInfraHTML writes the HTML report of a priced infrastructure change.
func WriteInfraHTML(w io.Writer, e *infra.Estimate, opts ...HTMLOption) error {
	return InfraPage(e).Render(w, opts...)
}
