package reports

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestGridName(t *testing.T) {
	for _, tc := range []struct {
		g    Grid
		want string
	}{
		{Grid{Title: "Lambda bill per month · us-east-1 · arm64"}, "lambda-bill-per-month"},
		{Grid{Title: "Dataset (cloudwatch, us-east-1)"}, "dataset"},
		{Grid{Title: "Assumptions"}, "assumptions"},
		{Grid{Title: "Monthly bill: 730 h"}, "monthly-bill"},
		{Grid{Name: "curve", Title: "Cost curve"}, "curve"},
		{Grid{Title: "—"}, "table-3"},
	} {
		if got := GridName(tc.g, 2); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.g.Title, got, tc.want)
		}
	}
}

// CSV is one table per output: the first by default (saying which others
// exist), the named one with Table, every one as a file with Dir.
func TestCSVOneTablePerOutput(t *testing.T) {
	grids := []Grid{
		{Title: "Bill · us-east-1", Header: []string{"Line", "Cost"}, Rows: [][]string{{"Requests", "$1,234.50"}}},
		{Title: "Assumptions", Header: []string{"Field", "Value"}, Rows: [][]string{{"month", "730 h"}}},
		{Title: "Assumptions", Header: []string{"Field", "Value"}, Rows: [][]string{{"free_tier", "no"}}},
	}
	var notes []string
	var b bytes.Buffer
	if err := WriteGrids(&b, CSV, Style{CSV: CSVOptions{Note: func(m string) { notes = append(notes, m) }}}, grids...); err != nil {
		t.Fatal(err)
	}
	if b.String() != "Line,Cost\r\nRequests,1234.50\r\n" {
		t.Errorf("default: %q", b.String())
	}
	if len(notes) != 1 || !strings.Contains(notes[0], `this is "bill"; the others (assumptions, assumptions-2) with --table NAME`) {
		t.Errorf("notes %q", notes)
	}

	b.Reset()
	if err := WriteGrids(&b, CSV, Style{CSV: CSVOptions{Table: "assumptions-2"}}, grids...); err != nil || b.String() != "Field,Value\r\nfree_tier,no\r\n" {
		t.Errorf("--table assumptions-2: %v %q", err, b.String())
	}
	err := WriteGrids(&b, CSV, Style{CSV: CSVOptions{Table: "costs"}}, grids...)
	if err == nil || err.Error() != `--table: no table "costs" in this output; its tables: bill, assumptions, assumptions-2` {
		t.Errorf("unknown table: %v", err)
	}

	dir := filepath.Join(t.TempDir(), "tables")
	var wrote []string
	b.Reset()
	if err := WriteGrids(&b, CSV, Style{CSV: CSVOptions{Dir: dir, Wrote: func(p string) { wrote = append(wrote, filepath.Base(p)) }}}, grids...); err != nil {
		t.Fatal(err)
	}
	if b.Len() != 0 || strings.Join(wrote, " ") != "bill.csv assumptions.csv assumptions-2.csv" {
		t.Errorf("--out-dir: stdout %q, wrote %v", b.String(), wrote)
	}
	if got, err := os.ReadFile(filepath.Join(dir, "assumptions.csv")); err != nil || string(got) != "Field,Value\r\nmonth,730 h\r\n" {
		t.Errorf("assumptions.csv: %v %q", err, got)
	}
}
