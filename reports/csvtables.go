package reports

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
)

// CSVOptions say what CSV output does when a result has several tables:
// CSV is one table per output, so stdout gets one table (the first, or the
// one named by Table) and Dir, when set, gets every table as its own file.
type CSVOptions struct {
	// Table names the table to write to stdout (the --table flag); "" is
	// the first. An unknown name is an input error listing the names.
	Table string
	// Dir, when set (the --out-dir flag), receives every table as
	// DIR/NAME.csv, and stdout gets nothing unless Table is set.
	Dir string
	// Wrote is told each file written in Dir (to announce it).
	Wrote func(path string)
	// Note is told what was left out of stdout (to say it on stderr).
	Note func(msg string)
}

// GridName is the name of the i-th table of an output, as --table and the
// files of --out-dir know it: the grid's Name, else its title's first part
// (before " · " or " (") in lower case with dashes ("Lambda bill per
// month · us-east-1" → "lambda-bill-per-month"), else "table-N".
func GridName(g Grid, i int) string {
	if g.Name != "" {
		return g.Name
	}
	t := g.Title
	for _, sep := range []string{" · ", " (", ": "} {
		if k := strings.Index(t, sep); k > 0 {
			t = t[:k]
		}
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(t) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	if b.Len() == 0 {
		return fmt.Sprintf("table-%d", i+1)
	}
	return b.String()
}

// gridNames names every grid, unique within the output (a repeated name
// gets -2, -3…).
func gridNames(grids []Grid) []string {
	names := make([]string, len(grids))
	seen := map[string]int{}
	for i, g := range grids {
		n := GridName(g, i)
		seen[n]++
		if seen[n] > 1 {
			n = fmt.Sprintf("%s-%d", n, seen[n])
		}
		names[i] = n
	}
	return names
}

// writeCSVGrids writes one table to w (see CSVOptions) and, with a Dir,
// every table to its own file.
func writeCSVGrids(w io.Writer, o CSVOptions, grids []Grid) error {
	if len(grids) == 0 {
		return nil
	}
	names := gridNames(grids)
	pick := -1
	if o.Table != "" {
		for i, n := range names {
			if n == o.Table {
				pick = i
			}
		}
		if pick < 0 {
			return pricing.Inputf("--table", "no table %q in this output; its tables: %s", o.Table, strings.Join(names, ", "))
		}
	}
	if o.Dir != "" {
		if fi, err := os.Stat(o.Dir); err != nil || !fi.IsDir() {
			if err := os.MkdirAll(o.Dir, 0o755); err != nil {
				return pricing.Inputf("--out-dir", "cannot create the folder %s: %v", o.Dir, err)
			}
		}
		for i, g := range grids {
			path := filepath.Join(o.Dir, names[i]+".csv")
			if err := outfile.Write("--out-dir", path, func(f io.Writer) error { return writeCSV(f, g) }); err != nil {
				return err
			}
			if o.Wrote != nil {
				o.Wrote(path)
			}
		}
		if pick < 0 {
			return nil
		}
	}
	if pick < 0 {
		pick = 0
		if len(grids) > 1 && o.Note != nil {
			o.Note(fmt.Sprintf("CSV is one table per output: this is %q; the others (%s) with --table NAME, or every one as a file with --out-dir DIR",
				names[0], strings.Join(names[1:], ", ")))
		}
	}
	return writeCSV(w, grids[pick])
}
