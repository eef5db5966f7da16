package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportCommand(t *testing.T) {
	logs := filepath.Join("..", "..", "testdata", "logs")
	out, errOut, code := runCLI(t, nil, "import", filepath.Join(logs, "checkout-api.log"), filepath.Join(logs, "orders.json.log"), "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var d struct {
		Functions []struct {
			Name    string `json:"name"`
			Summary struct {
				Invocations      int64 `json:"invocations"`
				BilledDurationMs int64 `json:"billed_duration_ms"`
			} `json:"summary"`
		} `json:"functions"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal(resultOf(t, out), &d); err != nil {
		t.Fatalf("stdout is not a dataset: %v\n%s", err, out)
	}
	if len(d.Functions) != 3 || d.Functions[0].Name != "checkout-api" || d.Functions[0].Summary.BilledDurationMs != 3911 {
		t.Errorf("dataset = %+v", d.Functions)
	}
	if !strings.Contains(errOut, "checkout-api.log:17:") || !strings.Contains(errOut, "4 malformed line(s)") {
		t.Errorf("stderr lacks the malformed lines:\n%s", errOut)
	}

	// Standard input, with the architecture given.
	var stdin bytes.Buffer
	stdin.WriteString("2026-11-02T10:00:00.000Z REPORT RequestId: a\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 2048 MB\tMax Memory Used: 99 MB\t\n")
	out, errOut, code = runCLIWithStdin(t, &stdin, "import", "-", "--function", "piped", "--arch", "arm64", "-o", "json")
	if code != 0 || !strings.Contains(out, `"name": "piped"`) || !strings.Contains(out, `"architecture": "arm64"`) || !strings.Contains(out, `"billed_duration_ms": 2`) {
		t.Errorf("stdin import: exit %d\n%s\n%s", code, out, errOut)
	}
	// An S3 export's 000000.gz names nothing: a hint says so.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "000000"), []byte("REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 9 MB\n"), 0o644)
	_, errOut, code = runCLI(t, nil, "import", filepath.Join(dir, "000000"))
	if code != 0 || !strings.Contains(errOut, "name it with --function") {
		t.Errorf("numeric name: exit %d, %s", code, errOut)
	}
	_, errOut, code = runCLI(t, nil, "import", "x.log", "--arch", "sparc")
	if code != 2 || !strings.Contains(errOut, "--arch") {
		t.Errorf("--arch sparc: exit %d, %s", code, errOut)
	}

	_, errOut, code = runCLI(t, nil, "import", "missing.log")
	if code != 2 || !strings.Contains(errOut, "missing.log") || strings.Contains(errOut, "goroutine") {
		t.Errorf("missing file: exit %d, %s", code, errOut)
	}
	_, _, code = runCLI(t, nil, "import")
	if code != 2 {
		t.Errorf("no files: exit %d, want 2", code)
	}
}

func runCLIWithStdin(t *testing.T, in io.Reader, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	streams := &IO{In: in, Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }, Environ: func() []string { return nil }, Executable: os.Executable}
	code = Main(context.Background(), args, streams)
	return out.String(), errOut.String(), code
}

// import's table output ends with the dataset's assumptions, not only its
// JSON: a log whose handler errors leave no Status says so in the table
// (the REPORT of testdata/logs/real/node-invoke-error.log, 0 errors
// counted), and the INIT its Billed Duration left out (⌈189.88⌉ = 190 ms).
func TestImportTableListsAssumptions(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "import", filepath.Join("..", "..", "testdata", "logs", "real", "node-invoke-error.log"), "--arch", "arm64", "--timeout", "3s", "--region", "us-east-1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Assumptions", "functions[node-invoke-error].summary.errors", "0 (timeouts and runtime failures only)", "functions[node-invoke-error].summary.init_unbilled_ms", "190 ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q:\n%s", want, out)
		}
	}
}
