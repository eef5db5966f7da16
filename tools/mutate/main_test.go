package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestParseList(t *testing.T) {
	p := filepath.Join(t.TempDir(), "m.txt")
	list := "# comment\n\n=== a-01 pricing/lambda.go | a dropped term\n- x := a + b\n+ x := a\n" +
		"=== a-02 pricing/model.go | two lines | equivalent: cannot change anything\n- \tif y {\n- \t\treturn\n+ \tif !y {\n+ \t\treturn\n"
	if err := os.WriteFile(p, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	ms, err := parseList(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].id != "a-01" || ms[0].file != "pricing/lambda.go" || ms[0].from != "x := a + b" || ms[0].to != "x := a" || ms[0].equivalent != "" {
		t.Fatalf("first = %+v", ms[0])
	}
	if ms[1].from != "\tif y {\n\t\treturn" || ms[1].to != "\tif !y {\n\t\treturn" || ms[1].desc != "two lines" || ms[1].equivalent != "cannot change anything" {
		t.Fatalf("second = %+v", ms[1])
	}
	for _, bad := range []string{"=== a-01 f.go\n- x\n", "=== a-01 f.go | d\n", "=== a f.go | d\n- x\n=== a g.go | e\n- y\n", "- x\n"} {
		if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := parseList(p); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	// The project's own list parses.
	if _, err := parseList("mutants.txt"); err != nil {
		t.Error(err)
	}
}
