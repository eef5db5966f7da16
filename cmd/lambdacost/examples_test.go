package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
)

// example is one command line from a command's --help or README.
type example struct {
	where, line string
	wantExit    int
}

var exitComment = regexp.MustCompile(`exit (\d)`)

// parseExamples reads example lines: each line with "lambdacost" is one
// example run by sh; a trailing "# … exit N …" comment documents its exit
// code (a collection without AWS credentials exits 3). Lines of the AWS CLI
// (starting with "aws ") need the AWS CLI and an account and are left out.
func parseExamples(where, text string) (out []example, skipped int) {
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if !strings.Contains(l, "lambdacost") || strings.HasPrefix(l, "#") {
			continue
		}
		if strings.HasPrefix(l, "aws ") {
			skipped++
			continue
		}
		ex := example{where: where, line: l}
		if i := strings.Index(l, "  #"); i >= 0 {
			comment := l[i:]
			ex.line = strings.TrimSpace(l[:i])
			if m := exitComment.FindStringSubmatch(comment); m != nil {
				ex.wantExit = int(m[1][0] - '0')
			}
		}
		out = append(out, ex)
	}
	return out, skipped
}

// TestHelpExamplesRun runs every example of every command's --help, as
// written, from a copy of the repository's examples: each must exit 0 (or
// the exit code its comment documents).
func TestHelpExamplesRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the built binary on every example")
	}
	all, skipped := helpExamples()
	if len(all) < 30 {
		t.Fatalf("only %d examples found", len(all))
	}

	dir, env := exampleSandbox(t)
	runExamples(t, dir, env, all)
	t.Logf("%d examples run, %d AWS CLI lines left out", len(all), skipped)
}

// The parser reads exit comments and skips AWS CLI lines.
func TestParseExamples(t *testing.T) {
	ex, skipped := parseExamples("x", "  lambdacost a\n  aws logs tail x | lambdacost import -\n  lambdacost b   # needs AWS credentials (exit 3 without)\n  # lambdacost c\n")
	if skipped != 1 || len(ex) != 2 || ex[0].line != "lambdacost a" || ex[0].wantExit != 0 || ex[1].line != "lambdacost b" || ex[1].wantExit != 3 {
		t.Errorf("parsed %+v, skipped %d", ex, skipped)
	}
}

// exampleSandbox builds lambdacost into a temporary folder's bin/, copies
// examples/ there (with the handler `make examples` builds) and returns the
// folder and an environment without AWS credentials, instance metadata or
// an endpoint off this machine, so that examples needing an account fail
// fast with exit 3.
func exampleSandbox(t *testing.T) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	repo, _ := filepath.Abs(filepath.Join("..", ".."))
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	build := func(out, pkg string) {
		cmd := exec.Command(goBin, "build", "-o", out, pkg)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, b)
		}
	}
	build(filepath.Join(bin, "lambdacost"), "./cmd/lambdacost")
	if err := os.CopyFS(filepath.Join(dir, "examples"), os.DirFS(filepath.Join(repo, "examples"))); err != nil {
		t.Fatal(err)
	}
	build(filepath.Join(dir, "examples", "bootstrap"), "./testdata/runner/handlers/testfn") // make examples
	if err := os.MkdirAll(filepath.Join(dir, "home"), 0o755); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(dir, 0o755)
	_ = os.Chmod(filepath.Join(dir, "examples"), 0o755)

	// No AWS credentials, no instance metadata, no endpoint off this
	// machine: the examples that need an account fail fast with exit 3.
	var env []string
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") || strings.HasPrefix(k, "LAMBDACOST_") || k == "HOME" || k == "PATH" || k == "GITHUB_STEP_SUMMARY" {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "PATH="+bin+":"+os.Getenv("PATH"), "HOME="+filepath.Join(dir, "home"),
		"AWS_EC2_METADATA_DISABLED=true", "AWS_ENDPOINT_URL=http://127.0.0.1:9", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")

	return dir, env
}

// runExamples runs each example with sh in dir, in order (a later line may
// read what an earlier one wrote), and checks its exit code.
func runExamples(t *testing.T, dir string, env []string, all []example) {
	t.Helper()
	for _, ex := range all {
		t.Run(ex.where+": "+ex.line, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "sh", "-c", ex.line)
			cmd.Dir = dir
			cmd.Env = env
			out, err := cmd.CombinedOutput()
			code := 0
			if ee, ok := err.(*exec.ExitError); ok {
				code = ee.ExitCode()
			} else if err != nil {
				t.Fatalf("%v", err)
			}
			if code != ex.wantExit {
				tail := string(out)
				if len(tail) > 2000 {
					tail = "…" + tail[len(tail)-2000:]
				}
				t.Errorf("exit %d, want %d\n%s", code, ex.wantExit, tail)
			}
		})
	}
}

// helpExamples returns the examples of every command's --help, and how
// many AWS CLI lines were left out.
func helpExamples() (all []example, skipped int) {
	root := NewRootCmd(&Factory{IO: &IO{Getenv: func(string) string { return "" }}})
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		if c.Example != "" {
			ex, s := parseExamples(c.CommandPath()+" --help", c.Example)
			all, skipped = append(all, ex...), skipped+s
		}
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(root)
	return all, skipped
}
