// Package reports renders lambdacost results for people and machines:
// terminal tables (go-pretty), Markdown, CSV, JSON and self-contained HTML
// pages with charts. Every format is a view of the same result values; the
// package never computes money itself.
package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"
	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/internal/termsafe"
)

// Format is an output format of the -o/--output flag.
type Format string

// The output formats.
const (
	Table    Format = "table"
	JSON     Format = "json"
	CSV      Format = "csv"
	Markdown Format = "markdown"
)

// Formats lists every output format.
var Formats = []Format{Table, JSON, CSV, Markdown}

// ParseFormat validates an output format name.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case Table, JSON, CSV, Markdown:
		return f, nil
	case "md":
		return Markdown, nil
	}
	return "", fmt.Errorf("unknown output format %q (want table, json, csv or markdown)", s)
}

// Grid is a titled table of cells: a header, rows and an optional footer
// (totals). Renderers turn it into a terminal table, Markdown or CSV.
type Grid struct {
	// Name is the table's name for --table and --out-dir; "" derives it
	// from the title (see GridName).
	Name   string
	Title  string
	Header []string
	Rows   [][]string
	Footer []string
	// AlignRight marks numeric columns by index.
	AlignRight map[int]bool
}

// termSafe returns a copy of g whose strings have their control
// characters replaced (termsafe.String).
func (g Grid) termSafe() Grid {
	row := func(r []string) []string {
		if r == nil {
			return nil
		}
		out := make([]string, len(r))
		for i, c := range r {
			out[i] = termsafe.String(c)
		}
		return out
	}
	g.Title = termsafe.String(g.Title)
	g.Header, g.Footer = row(g.Header), row(g.Footer)
	rows := make([][]string, len(g.Rows))
	for i, r := range g.Rows {
		rows[i] = row(r)
	}
	g.Rows = rows
	return g
}

// Style controls terminal rendering.
type Style struct {
	// Color enables ANSI colours and box drawing (a TTY); otherwise plain text.
	Color bool
	// Width is the terminal's width in columns: a table wider than it has
	// its widest columns wrapped at word boundaries until it fits. 0 means
	// no limit (output to a pipe or a file).
	Width int
	// CSV says which table CSV output writes, and where the others go.
	CSV CSVOptions
}

// WriteGrids writes grids in format f (table, markdown or csv). JSON is not
// a grid format: callers encode their result with WriteJSON.
//
// CSV is one table per output: the first table, or the one st.CSV names;
// st.CSV.Dir receives every table as its own file (see CSVOptions).
func WriteGrids(w io.Writer, f Format, st Style, grids ...Grid) error {
	if f == CSV {
		return writeCSVGrids(w, st.CSV, grids)
	}
	for i, g := range grids {
		if i > 0 && f != CSV {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := writeGrid(w, f, st, g); err != nil {
			return err
		}
	}
	return nil
}

func writeGrid(w io.Writer, f Format, st Style, g Grid) error {
	// Cells come from data (function names, log groups, file names): none
	// may drive the terminal the table is printed to.
	g = g.termSafe()
	switch f {
	case CSV:
		return writeCSV(w, g)
	case Markdown:
		t := newTable(g)
		if g.Title != "" {
			if _, err := fmt.Fprintf(w, "### %s\n\n", escapeMarkdown(g.Title)); err != nil {
				return err
			}
		}
		t.SetTitle("")
		_, err := io.WriteString(w, t.RenderMarkdown()+"\n")
		return err
	default:
		t := newTable(g)
		if !fitWidth(t, g, st.Width) {
			return writeRecords(w, g, st.Width)
		}
		if st.Color {
			t.SetStyle(table.StyleRounded)
			t.Style().Title.Colors = text.Colors{text.Bold}
		} else {
			t.SetStyle(table.StyleLight)
			t.Style().Format.Header = text.FormatDefault
			t.Style().Format.Footer = text.FormatDefault
			t.Style().Format.FooterAlign = text.AlignRight
		}
		_, err := io.WriteString(w, t.Render()+"\n")
		return err
	}
}

// fitWidth makes a table at most width columns wide: the widest columns are
// narrowed (their cells wrapped at word boundaries, never inside a word)
// one at a time until the table fits. It reports false when even then the
// table is too wide (too many columns), and the caller prints records.
func fitWidth(t table.Writer, g Grid, width int) bool {
	if width <= 0 {
		width = math.MaxInt // a pipe: no limit, but the title still wraps between words
	}
	n := len(g.Header)
	if n == 0 {
		return true
	}
	w := make([]int, n)     // natural width: the longest line
	least := make([]int, n) // narrowest without splitting a word
	measure := func(cells []string) {
		for i := 0; i < n && i < len(cells); i++ {
			for _, line := range strings.Split(cells[i], "\n") {
				w[i] = max(w[i], text.RuneWidthWithoutEscSequences(line))
				for _, word := range strings.Fields(line) {
					least[i] = max(least[i], text.RuneWidthWithoutEscSequences(word))
				}
			}
		}
	}
	measure(g.Header)
	for _, r := range g.Rows {
		measure(r)
	}
	measure(g.Footer)
	// A box-drawn row is "│ c1 │ c2 │": 3 columns per cell and 1 more.
	total := func() int {
		s := 1
		for _, c := range w {
			s += c + 3
		}
		return s
	}
	natural := append([]int(nil), w...)
	for total() > width {
		widest, room := -1, 0
		for i := range w {
			if r := w[i] - least[i]; r > 0 && (widest < 0 || w[i] > w[widest]) {
				widest, room = i, r
			}
		}
		if widest < 0 {
			return false
		}
		w[widest] -= min(room, total()-width)
	}
	var cfg []table.ColumnConfig
	for i := range w {
		c := table.ColumnConfig{Number: i + 1}
		if g.AlignRight[i] {
			c.Align, c.AlignFooter, c.AlignHeader = text.AlignRight, text.AlignRight, text.AlignRight
		}
		if w[i] < natural[i] {
			c.WidthMax = w[i]
			c.WidthMaxEnforcer = text.WrapSoft
		}
		cfg = append(cfg, c)
	}
	t.SetColumnConfigs(cfg)
	if g.Title != "" {
		t.SetTitle("%s", text.WrapSoft(g.Title, total()-4))
	}
	return true
}

// writeRecords prints a grid too wide for the terminal as one block per
// row, "Header: value" per line, values wrapped at word boundaries, as
// kubectl describe and gh do for wide data.
func writeRecords(w io.Writer, g Grid, width int) error {
	var b strings.Builder
	if g.Title != "" {
		b.WriteString(text.WrapSoft(g.Title, width))
		b.WriteString("\n")
		b.WriteString(strings.Repeat("─", min(width, text.RuneWidthWithoutEscSequences(g.Title))))
		b.WriteString("\n")
	}
	key := 0
	for _, h := range g.Header {
		key = max(key, text.RuneWidthWithoutEscSequences(h))
	}
	block := func(cells []string) {
		b.WriteString("\n")
		for i, h := range g.Header {
			if i >= len(cells) || cells[i] == "" {
				continue
			}
			label := h
			if label == "" {
				label = "–"
			}
			val := text.WrapSoft(cells[i], max(10, width-key-2))
			pad := strings.Repeat(" ", key+2)
			b.WriteString(text.Pad(label+":", key+2, ' '))
			b.WriteString(strings.ReplaceAll(val, "\n", "\n"+pad))
			b.WriteString("\n")
		}
	}
	for _, r := range g.Rows {
		block(r)
	}
	if len(g.Footer) > 0 {
		block(g.Footer)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func newTable(g Grid) table.Writer {
	t := table.NewWriter()
	if g.Title != "" {
		t.SetTitle("%s", g.Title)
	}
	t.AppendHeader(toRow(g.Header))
	for _, r := range g.Rows {
		t.AppendRow(toRow(r))
	}
	if len(g.Footer) > 0 {
		t.AppendFooter(toRow(g.Footer))
	}
	var cfg []table.ColumnConfig
	for i := range g.Header {
		if g.AlignRight[i] {
			cfg = append(cfg, table.ColumnConfig{Number: i + 1, Align: text.AlignRight, AlignFooter: text.AlignRight, AlignHeader: text.AlignRight})
		}
	}
	t.SetColumnConfigs(cfg)
	return t
}

func toRow(cells []string) table.Row {
	r := make(table.Row, len(cells))
	for i, c := range cells {
		r[i] = c
	}
	return r
}

func escapeMarkdown(s string) string {
	r := strings.NewReplacer("|", `\|`, "<", "&lt;", ">", "&gt;", "\n", " ")
	return r.Replace(s)
}

// writeCSV writes the grid as RFC 4180 CSV, neutralising cells that a
// spreadsheet would run as a formula (leading = + - @ tab or CR, unless the
// cell is a plain number).
func writeCSV(w io.Writer, g Grid) error {
	var b strings.Builder
	row := func(cells []string) {
		for i, c := range cells {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(csvCell(c))
		}
		b.WriteString("\r\n")
	}
	row(g.Header)
	for _, r := range g.Rows {
		row(r)
	}
	if len(g.Footer) > 0 {
		row(g.Footer)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// SafeCSVCell neutralises a cell that a spreadsheet would evaluate.
func SafeCSVCell(c string) string {
	if c == "" {
		return c
	}
	switch c[0] {
	case '=', '+', '-', '@', '\t', '\r':
		if _, err := strconv.ParseFloat(c, 64); err != nil {
			return "'" + c
		}
	}
	return c
}

var formattedNumber = regexp.MustCompile(`^[-+]?\$?-?[0-9][0-9,]*(\.[0-9]+)?$`)

func csvCell(c string) string {
	// Numbers and money are written plain (no $ or thousands separators) so
	// that spreadsheets and scripts read them as numbers.
	if formattedNumber.MatchString(c) {
		c = strings.NewReplacer("$", "", ",", "", "+", "").Replace(c) // "+$1.50" (a change) is 1.50
	}
	c = SafeCSVCell(termsafe.String(c))
	if strings.ContainsAny(c, ",\"\r\n") {
		return `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
	}
	return c
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// USD formats money for tables: rounded half-up to cents, thousands separated.
func USD(d decimal.Decimal) string {
	s := d.StringFixed(2)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	out := groupThousands(intPart) + "." + frac
	if neg {
		return "-$" + out
	}
	return "$" + out
}

// USDf formats a float amount like USD.
func USDf(f float64) string { return USD(decimal.NewFromFloat(f)) }

// Num formats a quantity with thousands separators and up to prec decimals
// (trailing zeros trimmed).
func Num(d decimal.Decimal, prec int32) string {
	s := d.Round(prec).String()
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	out := groupThousands(intPart)
	if hasFrac {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// Numf formats a float like Num.
func Numf(f float64, prec int32) string { return Num(decimal.NewFromFloat(f), prec) }

// UnitPrice formats a unit price with all its significant digits.
func UnitPrice(d decimal.Decimal) string { return "$" + d.String() }

func groupThousands(s string) string {
	if len(s) <= 3 {
		return s
	}
	var b strings.Builder
	pre := len(s) % 3
	if pre > 0 {
		b.WriteString(s[:pre])
	}
	for i := pre; i < len(s); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(s[i : i+3])
	}
	return b.String()
}
