// Command mutate is a small mutation tester for lambdacost: it applies each
// mutant of a listed set (mutants.txt: one realistic bug per entry — an
// off-by-one, < for <=, a dropped term, a wrong unit) to its file, one at a
// time, and runs the tests of that file's package. A mutant whose tests
// still pass "survived": either the tests miss a bug users would hit, or
// the mutant cannot change behaviour (TESTING.md says which, and why).
//
// The source tree is never written: each mutant is handed to the compiler
// with `go test -overlay`, so an interrupted run leaves nothing behind and
// several runs may share a checkout.
//
//	go run ./tools/mutate [-list tools/mutate/mutants.txt] [-pkg pricing] [-id pricing-03] [-run REGEXP] [-v]
//
// -run passes a test filter to go test: it confirms quickly that given
// tests kill a mutant (a package whose tests take minutes). A mutant killed
// under a filter is killed by the whole package; one that survives a
// filter says nothing, so kill rates are measured without it.
//
// A mutant marked "equivalent" in the list (with the reason) cannot change
// behaviour; it is expected to survive, is left out of the kill rate, and
// fails the run if it is killed (the reason is then wrong).
//
// A mutant whose original text is not found exactly once in its file is
// reported as stale (the code moved on; update the list) and counted apart,
// as is one that does not compile. Exit status: 0 when every listed mutant
// was applied, 1 when some were stale or did not compile, 2 on bad usage.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

type mutant struct {
	id, file, desc string
	equivalent     string // why the mutant cannot change behaviour, when it cannot
	line           int    // in the list
	from, to       string
}

func main() {
	list := flag.String("list", "tools/mutate/mutants.txt", "the mutant list")
	pkgs := flag.String("pkg", "", "comma-separated package directories to mutate (default: all in the list), e.g. pricing,simulator/runner")
	only := flag.String("id", "", "run only this mutant")
	verbose := flag.Bool("v", false, "print the test output of survivors")
	timeout := flag.Duration("timeout", 5*time.Minute, "go test -timeout per mutant")
	run := flag.String("run", "", "go test -run `REGEXP`: only these tests (to confirm that they kill a mutant; not for kill rates)")
	flag.Parse()

	ms, err := parseList(*list)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(2)
	}
	want := map[string]bool{}
	for _, p := range strings.Split(*pkgs, ",") {
		if p = strings.Trim(strings.TrimSpace(p), "./"); p != "" {
			want[p] = true
		}
	}
	tmp, err := os.MkdirTemp("", "lambdacost-mutate")
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(2)
	}
	defer os.RemoveAll(tmp)

	type tally struct{ total, killed, survived, equivalent, stale, broken int }
	byPkg := map[string]*tally{}
	var survivors []string
	baselineOK := map[string]bool{}
	bad := false
	for _, m := range ms {
		pkg := filepath.Dir(m.file)
		if len(want) > 0 && !want[pkg] || *only != "" && m.id != *only {
			continue
		}
		t := byPkg[pkg]
		if t == nil {
			t = &tally{}
			byPkg[pkg] = t
		}
		if _, done := baselineOK[pkg]; !done {
			out, ok := goTest(pkg, "", *run, *timeout)
			baselineOK[pkg] = ok
			if !ok {
				fmt.Fprintf(os.Stderr, "mutate: the tests of ./%s fail without any mutant; fix them first\n%s\n", pkg, out)
				os.Exit(1)
			}
		}
		t.total++
		src, err := os.ReadFile(m.file)
		if err != nil {
			fmt.Printf("%-14s STALE     %s: %v\n", m.id, m.file, err)
			t.stale++
			bad = true
			continue
		}
		if n := bytes.Count(src, []byte(m.from)); n != 1 {
			fmt.Printf("%-14s STALE     %s: original text found %d times (list line %d)\n", m.id, m.file, n, m.line)
			t.stale++
			bad = true
			continue
		}
		mutated := bytes.Replace(src, []byte(m.from), []byte(m.to), 1)
		abs, _ := filepath.Abs(m.file)
		mf := filepath.Join(tmp, m.id+".go")
		ov := filepath.Join(tmp, m.id+".json")
		j, _ := json.Marshal(map[string]map[string]string{"Replace": {abs: mf}})
		if err := os.WriteFile(mf, mutated, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mutate:", err)
			os.Exit(2)
		}
		if err := os.WriteFile(ov, j, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "mutate:", err)
			os.Exit(2)
		}
		start := time.Now()
		out, ok := goTest(pkg, ov, *run, *timeout)
		el := time.Since(start).Round(100 * time.Millisecond)
		switch {
		case !ok && (strings.Contains(out, "[build failed]") || strings.Contains(out, "[setup failed]")):
			fmt.Printf("%-14s NO-BUILD  %s: %s\n", m.id, m.file, m.desc)
			t.broken++
			bad = true
		case !ok && m.equivalent != "":
			fmt.Printf("%-14s KILLED    %s: %s (%s) — but listed as equivalent (%s): the reason is wrong\n", m.id, m.file, m.desc, el, m.equivalent)
			t.killed++
			bad = true
		case !ok:
			fmt.Printf("%-14s killed    %s: %s (%s)\n", m.id, m.file, m.desc, el)
			t.killed++
		case m.equivalent != "":
			fmt.Printf("%-14s equiv.    %s: %s (%s): %s\n", m.id, m.file, m.desc, el, m.equivalent)
			t.equivalent++
		default:
			fmt.Printf("%-14s SURVIVED  %s: %s (%s)\n", m.id, m.file, m.desc, el)
			t.survived++
			survivors = append(survivors, m.id+" "+m.file+": "+m.desc)
			if *verbose {
				fmt.Println(out)
			}
		}
	}
	var names []string
	for p := range byPkg {
		names = append(names, p)
	}
	sort.Strings(names)
	fmt.Println()
	if *run != "" {
		fmt.Printf("only the tests matching -run %q were run: a survivor here may still be killed by the package's other tests; measure kill rates without -run\n", *run)
	}
	fmt.Println("kill rate = killed / (killed + survived); equivalent mutants (which cannot change behaviour) are left out")
	fmt.Println("package               mutants  killed  survived  equivalent  stale  no-build  kill rate")
	for _, p := range names {
		t := byPkg[p]
		rate := "-"
		if n := t.killed + t.survived; n > 0 {
			rate = fmt.Sprintf("%.0f %%", 100*float64(t.killed)/float64(n))
		}
		fmt.Printf("%-21s %7d %7d %9d %11d %6d %9d  %s\n", p, t.total, t.killed, t.survived, t.equivalent, t.stale, t.broken, rate)
	}
	if len(survivors) > 0 {
		fmt.Println("\nsurvivors:")
		for _, s := range survivors {
			fmt.Println("  " + s)
		}
	}
	if bad {
		os.Exit(1)
	}
}

// goTest runs the package's tests (with the overlay when given; only those
// matching run when it is not empty) and says whether they passed.
func goTest(pkg, overlay, run string, timeout time.Duration) (string, bool) {
	args := []string{"test", "-count=1", "-timeout=" + timeout.String()}
	if overlay != "" {
		args = append(args, "-overlay="+overlay)
	}
	if run != "" {
		args = append(args, "-run="+run)
	}
	args = append(args, "./"+pkg+"/")
	cmd := exec.Command("go", args...)
	out, err := cmd.CombinedOutput()
	return string(out), err == nil
}

// parseList reads the mutant list:
//
//	=== ID path/to/file.go | what the mutant does (the bug it stands for) [| equivalent: why it cannot change behaviour]
//	- original line(s), exactly as in the file (leading tabs kept after "- ")
//	+ replacement line(s)
//
// Lines starting with # and blank lines between entries are ignored.
func parseList(path string) ([]mutant, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ms []mutant
	var cur *mutant
	var from, to []string
	flush := func() error {
		if cur == nil {
			return nil
		}
		if len(from) == 0 {
			return fmt.Errorf("%s:%d: mutant %s has no - line", path, cur.line, cur.id)
		}
		cur.from, cur.to = strings.Join(from, "\n"), strings.Join(to, "\n")
		ms = append(ms, *cur)
		cur, from, to = nil, nil, nil
		return nil
	}
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "#"), strings.TrimSpace(l) == "":
		case strings.HasPrefix(l, "=== "):
			if err := flush(); err != nil {
				return nil, err
			}
			head, desc, _ := strings.Cut(l[4:], " | ")
			desc, equiv, _ := strings.Cut(desc, " | equivalent: ")
			fs := strings.Fields(head)
			if len(fs) != 2 || desc == "" {
				return nil, fmt.Errorf("%s:%d: want \"=== ID path | description\"", path, n)
			}
			if seen[fs[0]] {
				return nil, fmt.Errorf("%s:%d: duplicate mutant id %s", path, n, fs[0])
			}
			seen[fs[0]] = true
			cur = &mutant{id: fs[0], file: fs[1], desc: desc, equivalent: equiv, line: n}
		case cur != nil && (strings.HasPrefix(l, "- ") || l == "-"):
			from = append(from, strings.TrimPrefix(strings.TrimPrefix(l, "-"), " "))
		case cur != nil && (strings.HasPrefix(l, "+ ") || l == "+"):
			to = append(to, strings.TrimPrefix(strings.TrimPrefix(l, "+"), " "))
		default:
			return nil, fmt.Errorf("%s:%d: unexpected line %q", path, n, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return ms, nil
}
