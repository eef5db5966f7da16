package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A dataset whose function name carries terminal escape sequences (a
// clear-screen, a window title) and is incomplete: report printed the name
// raw in its table and its stderr warning. Nothing that drives a terminal
// reaches stdout or stderr now; the name is shown with U+FFFD in their place.
func TestDataCannotDriveTheTerminal(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "examples", "prod.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	fn := d["functions"].([]any)[0].(map[string]any)
	fn["name"] = "evil\x1b[2J\x1b]0;pwned\x07"
	fn["missing"] = []string{"summary.errors"}
	fn["summary"].(map[string]any)["errors"] = nil
	path := filepath.Join(t.TempDir(), "evil.json")
	b, _ := json.Marshal(d)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"report", path}, {"report", path, "-o", "markdown"}, {"report", path, "-o", "csv"}} {
		out, errOut, code := runCLI(t, nil, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		if strings.ContainsAny(out+errOut, "\x1b\x07") {
			t.Errorf("%v: escape sequences printed:\nstdout %q\nstderr %q", args, out, errOut)
		}
		if !strings.Contains(out, "evil\uFFFD[2J\uFFFD]0;pwned\uFFFD") {
			t.Errorf("%v: the name is not shown: %q", args, out)
		}
	}
	_, errOut, _ := runCLI(t, nil, "report", path)
	if !strings.Contains(errOut, "warning: evil\uFFFD[2J\uFFFD]0;pwned\uFFFD is incomplete") {
		t.Errorf("stderr: %q", errOut)
	}
}
