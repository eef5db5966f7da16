package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jedib0t/go-pretty/v6/text"
)

// runTTY runs the CLI as if stdout were a terminal of the given width.
func runTTY(t *testing.T, width int, args ...string) (string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, OutTTY: true, Width: width,
		Getenv: func(string) string { return "" }, Environ: func() []string { return nil }, Executable: os.Executable}
	code := Main(context.Background(), args, io)
	if code != 0 {
		t.Logf("stderr: %s", errOut.String())
	}
	return out.String(), code
}

// Every table command fits an 80-column terminal; titles wrap between words.
func TestTablesFit80Columns(t *testing.T) {
	ds := filepath.Join("..", "..", "testdata", "compare", "dataset.json")
	for _, args := range [][]string{
		{"estimate", "--requests", "10M", "--duration", "120ms", "--memory", "1024", "--arch", "both"},
		{"simulate", checkoutScenario},
		{"report", ds},
		{"compare", "--requests", "100M", "--duration", "120ms", "--memory", "1024", "--peak-rps", "200"},
		{"pricing"},
		{"recommend", "--dataset", ds},
		{"plan", filepath.Join("..", "..", "testdata", "compare", "steady.yaml"), "--max-cold-start-rate", "0.01"},
	} {
		out, code := runTTY(t, 80, args...)
		if code != 0 {
			t.Errorf("%v: exit %d", args, code)
			continue
		}
		for i, line := range strings.Split(out, "\n") {
			if n := text.RuneWidthWithoutEscSequences(line); n > 80 {
				t.Errorf("%v: line %d is %d columns wide:\n%s", args, i+1, n, line)
				break
			}
		}
		// Piped output is plain text, one row per line, not wrapped.
		plain, _, _ := runCLI(t, nil, args...)
		if plain == "" || strings.Contains(plain, "\x1b[") {
			t.Errorf("%v: piped output empty or coloured", args)
		}
	}
}
