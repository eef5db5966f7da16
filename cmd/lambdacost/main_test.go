package main

import (
	"bytes"
	"context"
	"flag"
	"github.com/lambdacost/lambdacost/internal/goldennumbers"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runCLI runs the CLI in-process with buffers and the given environment.
func runCLI(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := &IO{
		In:         strings.NewReader(""),
		Out:        &out,
		ErrOut:     &errOut,
		Getenv:     func(k string) string { return env[k] },
		Environ:    func() []string { return nil },
		Executable: os.Executable,
	}
	code = Main(context.Background(), args, io)
	return out.String(), errOut.String(), code
}

// golden compares got with testdata/golden/<name>, rewriting it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("..", "..", "testdata", "golden", name)
	goldennumbers.Check(t, path, []byte(got))
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from golden file:\n--- want\n%s\n--- got\n%s", name, want, got)
	}
}
