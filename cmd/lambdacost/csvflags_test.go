package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -o csv writes one table; --table chooses it; --out-dir writes every
// table as a file, each announced with its size; both need -o csv.
func TestCSVTablesFlags(t *testing.T) {
	args := []string{"estimate", "--requests", "3M", "--duration", "120ms", "--memory", "1536", "--free-tier", "-o", "csv"}
	out, errOut, code := runCLI(t, nil, args...)
	if code != 0 || strings.Count(out, "Field,Value,Why") != 0 || !strings.HasPrefix(out, "Line,Quantity,Unit,Unit price,Cost\r\n") ||
		!strings.Contains(errOut, `this is "lambda-bill-per-month"; the others (assumptions) with --table NAME`) {
		t.Errorf("default: exit %d\n%s\n%s", code, out, errOut)
	}
	out, _, code = runCLI(t, nil, append(args, "--table", "assumptions")...)
	if code != 0 || !strings.HasPrefix(out, "Field,Value,Why\r\n") || strings.Contains(out, "Line,Quantity") {
		t.Errorf("--table assumptions: exit %d\n%s", code, out)
	}
	dir := filepath.Join(t.TempDir(), "csv")
	out, errOut, code = runCLI(t, nil, append(args, "--out-dir", dir)...)
	if code != 0 || out != "" {
		t.Fatalf("--out-dir: exit %d, stdout %q: %s", code, out, errOut)
	}
	for _, name := range []string{"lambda-bill-per-month.csv", "assumptions.csv"} {
		p := filepath.Join(dir, name)
		st, err := os.Stat(p)
		if err != nil || !strings.Contains(errOut, "wrote "+p+" (") {
			t.Errorf("%s: %v, not announced:\n%s", name, err, errOut)
			continue
		}
		if b, _ := os.ReadFile(p); int64(len(b)) != st.Size() || strings.Count(string(b), "\r\n") < 2 {
			t.Errorf("%s: %q", name, b)
		}
	}
	for _, bad := range [][]string{
		{"report", filepath.Join("..", "..", "examples", "prod.json"), "--table", "bill"},
		{"report", filepath.Join("..", "..", "examples", "prod.json"), "-o", "json", "--out-dir", dir},
	} {
		if _, errOut, code := runCLI(t, nil, bad...); code != 2 || !strings.Contains(errOut, "applies only with -o csv") {
			t.Errorf("%v: exit %d: %s", bad, code, errOut)
		}
	}
	if _, errOut, code := runCLI(t, nil, append(args, "--table", "nope")...); code != 2 || !strings.Contains(errOut, `--table: no table "nope" in this output; its tables: lambda-bill-per-month, assumptions`) {
		t.Errorf("--table nope: exit %d: %s", code, errOut)
	}
}
