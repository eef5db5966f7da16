package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every file a command writes is announced on stderr with its size.
func TestFilesAnnounced(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "bill.html")
	_, errOut, code := runCLI(t, nil, "estimate", "--requests", "1M", "--duration", "100ms", "--html", html)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	fi, err := os.Stat(html)
	if err != nil {
		t.Fatal(err)
	}
	if want := "wrote " + html + " (" + humanBytes(fi.Size()) + ")"; !strings.Contains(errOut, want) {
		t.Errorf("stderr %q lacks %q", errOut, want)
	}
	for _, tc := range []struct {
		n    int64
		want string
	}{{0, "0 B"}, {999, "999 B"}, {1000, "1.0 kB"}, {1_234_567, "1.2 MB"}, {2_500_000_000, "2.5 GB"}} {
		if got := humanBytes(tc.n); got != tc.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// usage init writes a usage file that estimate reads back.
func TestUsageInitRoundTrip(t *testing.T) {
	p := filepath.Join(t.TempDir(), "functions.yaml")
	_, errOut, code := runCLI(t, nil, "usage", "init", "--dataset", filepath.Join("..", "..", "examples", "prod.json"), "--out-file", p)
	if code != 0 || !strings.Contains(errOut, "wrote "+p) {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out, errOut, code := runCLI(t, nil, "estimate", "--usage", p, "-o", "json")
	if code != 0 || !strings.Contains(out, `"name": "checkout"`) {
		t.Errorf("estimate of the generated file: exit %d %s\n%s", code, errOut, out)
	}
}
