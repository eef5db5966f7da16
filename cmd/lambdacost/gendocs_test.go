package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docs/cli is generated from the commands: it must match what they say now
// (go test ./cmd/lambdacost -run TestCLIDocsInSync -update rewrites it).
func TestCLIDocsInSync(t *testing.T) {
	want := filepath.Join("..", "..", "docs", "cli")
	tmp := t.TempDir()
	root := NewRootCmd(&Factory{IO: &IO{Getenv: func(string) string { return "" }}})
	if err := GenDocs(root, tmp, false); err != nil {
		t.Fatal(err)
	}
	got, _ := filepath.Glob(filepath.Join(tmp, "*.md"))
	if len(got) < 10 {
		t.Fatalf("only %d pages generated", len(got))
	}
	if *update {
		_ = os.RemoveAll(want)
		if err := os.MkdirAll(want, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			b, _ := os.ReadFile(g)
			if err := os.WriteFile(filepath.Join(want, filepath.Base(g)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	have, _ := filepath.Glob(filepath.Join(want, "*.md"))
	names := map[string]bool{}
	for _, h := range have {
		names[filepath.Base(h)] = true
	}
	for _, g := range got {
		name := filepath.Base(g)
		b, _ := os.ReadFile(g)
		h, err := os.ReadFile(filepath.Join(want, name))
		if err != nil {
			t.Errorf("docs/cli/%s is missing (regenerate: go test ./cmd/lambdacost -run TestCLIDocsInSync -update)", name)
			continue
		}
		if string(h) != string(b) {
			t.Errorf("docs/cli/%s is out of date (regenerate: go test ./cmd/lambdacost -run TestCLIDocsInSync -update)", name)
		}
		delete(names, name)
	}
	for n := range names {
		t.Errorf("docs/cli/%s documents no command (regenerate with -update)", n)
	}
	// The hidden generator documents itself nowhere; every visible command has a page.
	for _, c := range root.Commands() {
		if c.Hidden || !c.IsAvailableCommand() {
			continue
		}
		page := filepath.Join(tmp, "lambdacost_"+strings.ReplaceAll(c.Name(), "-", "_")+".md")
		if _, err := os.Stat(page); err != nil {
			t.Errorf("no page for %s", c.Name())
		}
	}
}

// Man pages generate from the same tree.
func TestManPages(t *testing.T) {
	tmp := t.TempDir()
	root := NewRootCmd(&Factory{IO: &IO{Getenv: func(string) string { return "" }}})
	if err := GenDocs(root, tmp, true); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(tmp, "lambdacost-estimate.1"))
	if err != nil || !strings.Contains(string(b), ".TH \"LAMBDACOST\" \"1\"") {
		t.Errorf("estimate man page: %v\n%.300s", err, b)
	}
}
