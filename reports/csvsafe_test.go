package reports

import (
	"bytes"
	"strings"
	"testing"
)

// Cells from data, as -o csv writes them. Formulas (OWASP's CSV injection
// list: a leading = + - @ tab or CR) are prefixed with ' unless the cell is
// a number; control characters (ESC sequences that retitle or clear the
// terminal the CSV is printed to, a CR that overwrites the line) become
// U+FFFD, while tabs and newlines stay (quoted, as RFC 4180 allows).
func TestCSVCellsFromData(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=HYPERLINK(\"http://x\")", `"'=HYPERLINK(""http://x"")"`},
		{"+cmd", "'+cmd"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"-1.5", "-1.5"},
		{"$1,234.50", "1234.50"},
		{"evil\x1b]0;pwned\x07\x1b[2Jname", "evil\uFFFD]0;pwned\uFFFD\uFFFD[2Jname"},
		{"api\rfake", "api\uFFFDfake"},
		{"\u009b31m", "\uFFFD31m"},
		{"two\nlines", "\"two\nlines\""},
		{"\r=1+1", "\uFFFD=1+1"},
	} {
		var b bytes.Buffer
		if err := writeCSV(&b, Grid{Header: []string{"h"}, Rows: [][]string{{c.in}}}); err != nil {
			t.Fatal(err)
		}
		if got, want := b.String(), "h\r\n"+c.want+"\r\n"; got != want {
			t.Errorf("%q: wrote %q, want %q", c.in, got, want)
		}
	}
}

// The same cells in a terminal table and in Markdown: nothing that drives
// the terminal is printed (the name was printed raw before).
func TestTableCellsFromData(t *testing.T) {
	g := Grid{Title: "fn \x1b]0;t\x07", Header: []string{"Function"}, Rows: [][]string{{"evil\x1b[2J\x1b]0;pwned\x07\rx"}}, Footer: []string{"\x1b[31mtotal"}}
	for _, f := range []Format{Table, Markdown} {
		for _, color := range []bool{false, true} {
			var b bytes.Buffer
			if err := WriteGrids(&b, f, Style{Color: color}, g); err != nil {
				t.Fatal(err)
			}
			out := b.String()
			if color && f == Table {
				// go-pretty's own colours for the title: the data's ESC
				// sequences are what must be gone, so look for them.
				for _, seq := range []string{"\x1b[2J", "\x1b]0;", "\x07", "\r", "\x1b[31mtotal"} {
					if strings.Contains(out, seq) {
						t.Errorf("%s colour: %q printed: %q", f, seq, out)
					}
				}
				continue
			}
			if strings.ContainsAny(out, "\x1b\x07\r") {
				t.Errorf("%s: control characters printed: %q", f, out)
			}
			if !strings.Contains(out, "evil\uFFFD[2J\uFFFD]0;pwned\uFFFD\uFFFDx") {
				t.Errorf("%s: the name is not shown with its controls replaced: %q", f, out)
			}
		}
	}
}
