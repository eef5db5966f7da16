package reports

import (
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"
)

func TestTableFitsWidth(t *testing.T) {
	g := Grid{Title: "A title that is much longer than the terminal is wide",
		Header: []string{"Name", "Why"},
		Rows:   [][]string{{"free_tier", "a dataset is usually a slice of an account whose free tier other functions may use"}}}
	var b strings.Builder
	if err := WriteGrids(&b, Table, Style{Width: 40}, g); err != nil {
		t.Fatal(err)
	}
	words := map[string]bool{}
	for _, w := range strings.Fields(g.Title + " " + g.Rows[0][1]) {
		words[w] = true
	}
	for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		if n := text.RuneWidthWithoutEscSequences(line); n > 40 {
			t.Errorf("line %q is %d wide", line, n)
		}
	}
	// No word was split: every word of the cell and title appears whole.
	for w := range words {
		if !strings.Contains(b.String(), w) {
			t.Errorf("word %q was split:\n%s", w, b.String())
		}
	}
	// Too many columns for the width: one record per row instead.
	wide := Grid{Header: []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo"}, Rows: [][]string{{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd", "eeeeeeeeee"}}}
	b.Reset()
	if err := WriteGrids(&b, Table, Style{Width: 30}, wide); err != nil {
		t.Fatal(err)
	}
	want := "\nAlpha:   aaaaaaaaaa\nBravo:   bbbbbbbbbb\nCharlie: cccccccccc\nDelta:   dddddddddd\nEcho:    eeeeeeeeee\n"
	if b.String() != want {
		t.Errorf("records:\n%q\nwant\n%q", b.String(), want)
	}
	// Without a width (a pipe), nothing is wrapped.
	b.Reset()
	_ = WriteGrids(&b, Table, Style{}, g)
	if !strings.Contains(b.String(), g.Rows[0][1]) {
		t.Errorf("piped table wrapped a cell:\n%s", b.String())
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 functions", 1: "1 function", 2: "2 functions"} {
		if got := Count(n, "function"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
