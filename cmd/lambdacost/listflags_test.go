package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command that writes its result to a file names the flag
// --out-file; --out still works, says it is deprecated, and naming two
// different files with both is refused.
func TestOutFileEverywhere(t *testing.T) {
	prod := filepath.Join("..", "..", "examples", "prod.json")
	prodEU := filepath.Join("..", "..", "examples", "prod-eu.json")
	logs := filepath.Join("..", "..", "examples", "checkout-api.log.gz")
	for _, args := range [][]string{
		{"import", logs, "--function", "checkout"},
		{"dataset", "merge", prod, prodEU},
		{"usage", "init", "--dataset", prod},
	} {
		for _, flag := range []string{"--out-file", "--out"} {
			out := filepath.Join(t.TempDir(), "f.out")
			_, errOut, code := runCLI(t, nil, append(args, flag, out)...)
			if code != 0 {
				t.Fatalf("%v %s: exit %d: %s", args, flag, code, errOut)
			}
			if st, err := os.Stat(out); err != nil || st.Size() == 0 || !strings.Contains(errOut, "wrote "+out+" (") {
				t.Errorf("%v %s: the file is not written and announced (%v): %s", args, flag, err, errOut)
			}
			deprecated := strings.Contains(errOut, "--out is deprecated: use --out-file")
			if deprecated != (flag == "--out") {
				t.Errorf("%v %s: deprecation warning %v: %s", args, flag, deprecated, errOut)
			}
		}
		dir := t.TempDir()
		_, errOut, code := runCLI(t, nil, append(args, "--out-file", filepath.Join(dir, "a"), "--out", filepath.Join(dir, "b"))...)
		if code != 2 || !strings.Contains(errOut, "--out is the old name of --out-file") {
			t.Errorf("%v with --out-file a --out b: exit %d: %s", args, code, errOut)
		}
	}
	// The file's errors name --out-file, whichever name was typed.
	_, errOut, code := runCLI(t, nil, "import", logs, "--out", t.TempDir())
	if code != 2 || !strings.Contains(errOut, "--out-file: cannot write") {
		t.Errorf("a directory: exit %d: %s", code, errOut)
	}
}

// A list flag parses and refuses alike in every command that takes it:
// --function (collect, compare), --instance-type (compare, plan, pricing),
// --memory (tune, demo); a flag that takes one value says so when given
// a list.
func TestListFlagsAlike(t *testing.T) {
	prod := filepath.Join("..", "..", "examples", "prod.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"compare", "--dataset", prod, "--function", "checkout,,orders"}, `"checkout,,orders" has an empty function name: separate function names with single commas (a,b)`},
		{[]string{"collect", "--all", "--function", "checkout,,orders"}, `"checkout,,orders" has an empty function name: separate function names with single commas (a,b)`},
		{[]string{"compare", "--dataset", prod, "--function", "checkout", "--function", " checkout"}, `function name "checkout" is listed twice`},
		{[]string{"collect", "--function", "a,b", "--function", "a"}, `function name "a" is listed twice`},
		{[]string{"collect", "--all", "--regions", "eu-west-1,,us-east-1"}, `"eu-west-1,,us-east-1" has an empty region`},
		{[]string{"compare", "--dataset", prod, "--lmi-instance-type", "m7g.large,m7g.large"}, `instance type "m7g.large" is listed twice`},
		{[]string{"compare", "--dataset", prod, "--instance-type", "m7g.large,"}, `"m7g.large," has an empty instance type`},
		{[]string{"plan", "--dataset", prod, "--instance-type", "m7g.large,"}, `"m7g.large," has an empty instance type`},
		{[]string{"pricing", "--instance-type", "m7g.large,"}, `"m7g.large," has an empty instance type`},
		{[]string{"tune", "--builtin", "image-resize", "--memory", "512,,1024"}, `"512,,1024" has an empty memory size: separate memory sizes with single commas (a,b)`},
		{[]string{"demo", "--memory", "512,,1024"}, `"512,,1024" has an empty memory size: separate memory sizes with single commas (a,b)`},
		{[]string{"tune", "--builtin", "image-resize", "--memory", "512,1.5x"}, `"1.5x" is not a memory size`},
		{[]string{"estimate", "--requests", "1M", "--duration", "10ms", "--memory", "512,1024"}, `"512,1024" is a list: here it takes one memory size`},
		{[]string{"run", "--builtin", "image-resize", "--memory", "512,1024"}, `"512,1024" is a list: here it takes one memory size`},
		{[]string{"import", "x.log", "--function", "a,b"}, `"a,b" is a list: here it takes one name`},
	} {
		_, errOut, code := runCLI(t, nil, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, want 2 with %q:\n%s", tc.args, code, tc.want, errOut)
		}
	}
	// Lists: comma-separated and repeated are the same.
	ds := filepath.Join("..", "..", "testdata", "compare", "dataset.json")
	a, errA, codeA := runCLI(t, nil, "compare", "--dataset", ds, "--function", "api,report", "-o", "json")
	b, _, codeB := runCLI(t, nil, "compare", "--dataset", ds, "--function", "api", "--function", "report", "-o", "json")
	if codeA != 0 || codeB != 0 || a != b {
		t.Errorf("comma-separated and repeated --function differ (exit %d, %d): %s", codeA, codeB, errA)
	}
}
