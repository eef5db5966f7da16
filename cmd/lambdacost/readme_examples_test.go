package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var shellBlock = regexp.MustCompile("(?s)```(?:sh|bash|shell)\n(.*?)```")

// readmeExamples reads the lambdacost command lines of README's shell
// blocks (a line continued with a backslash is one command). The rule for
// what runs: a line whose command starts with "lambdacost" runs as
// written; a line of the AWS CLI ("aws …") or of another tool (make, go)
// is left out and counted, and so is `lambdacost serve`, a server that
// runs until stopped; a trailing "# … exit N" comment is the exit
// code it must give (a line that needs AWS credentials says "exit 3").
// TestREADMEExamplesRun leaves out a line that is also a --help example
// (TestHelpExamplesRun runs it).
func readmeExamples(text string) (run []example, skipped int) {
	for _, m := range shellBlock.FindAllStringSubmatch(text, -1) {
		block := regexp.MustCompile(`[ \t]*\\\n\s*`).ReplaceAllString(m[1], " ")
		ex, s := parseExamples("README", block)
		skipped += s
		for _, e := range ex {
			// serve is a server: it runs until stopped (its own tests run it).
			if !strings.HasPrefix(e.line, "lambdacost ") || strings.HasPrefix(e.line, "lambdacost serve") {
				skipped++
				continue
			}
			run = append(run, e)
		}
	}
	return run, skipped
}

// TestREADMEExamplesRun runs README's examples as a reader would from the
// repository root: in a folder with a copy of examples/ and
// testdata/scenarios/ (the files README names), in order (a line may read
// what an earlier one wrote, e.g. check's baseline), without AWS
// credentials.
func TestREADMEExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the built binary on every README example")
	}
	text, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	all, skipped := readmeExamples(string(text))
	if len(all) < 30 {
		t.Fatalf("only %d README examples found", len(all))
	}
	// A line that is also a --help example runs in TestHelpExamplesRun.
	inHelp := map[string]bool{}
	help, _ := helpExamples()
	for _, ex := range help {
		inHelp[ex.line] = true
	}
	var run []example
	for _, ex := range all {
		if !inHelp[ex.line] {
			run = append(run, ex)
		}
	}
	dir, env := exampleSandbox(t)
	if err := os.CopyFS(filepath.Join(dir, "testdata", "scenarios"), os.DirFS(filepath.Join("..", "..", "testdata", "scenarios"))); err != nil {
		t.Fatal(err)
	}
	env = append(env, "GITHUB_STEP_SUMMARY="+filepath.Join(dir, "step-summary.md"))
	runExamples(t, dir, env, run)
	t.Logf("%d README examples run (%d more are --help examples, run by TestHelpExamplesRun), %d lines of other tools left out", len(run), len(all)-len(run), skipped)
}

// The README parser joins continued lines and keeps only lambdacost's.
func TestReadmeExamplesParse(t *testing.T) {
	md := "text lambdacost x\n```sh\nlambdacost a \\\n  --b c\nmake demo   # = bin/lambdacost demo\naws logs tail x | lambdacost import -\nlambdacost d   # needs AWS credentials (exit 3 without)\n```\n```console\n$ lambdacost e\n```\n"
	run, skipped := readmeExamples(md)
	if len(run) != 2 || run[0].line != "lambdacost a --b c" || run[1].line != "lambdacost d" || run[1].wantExit != 3 || skipped != 2 {
		t.Errorf("run %+v, skipped %d", run, skipped)
	}
}
