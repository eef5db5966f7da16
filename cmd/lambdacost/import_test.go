package main

import (
	"encoding/json"
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
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("stdout is not a dataset: %v\n%s", err, out)
	}
	if len(d.Functions) != 3 || d.Functions[0].Name != "checkout-api" || d.Functions[0].Summary.BilledDurationMs != 3911 {
		t.Errorf("dataset = %+v", d.Functions)
	}
	if !strings.Contains(errOut, "checkout-api.log:17:") || !strings.Contains(errOut, "4 malformed line(s)") {
		t.Errorf("stderr lacks the malformed lines:\n%s", errOut)
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
