package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A metrics-only import has no memory size: without --memory the dataset
// says so (and stderr names the flag); with --memory/--arch/--timeout the
// configuration is the one given (ephemeral storage and provisioned
// concurrency stay unknown: no flag, log or metric gives them). Inputs
// without any record exit 2.
func TestImportConfigFlags(t *testing.T) {
	m := filepath.Join("..", "..", "testdata", "cloudwatch", "default-labels-ids.json")
	out, errOut, code := runCLI(t, nil, "import", m, "--function", "api", "-o", "json")
	if code != 0 || !strings.Contains(errOut, "functions[api].memory_mb = 128 MB") || !strings.Contains(errOut, "pass --memory") {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	var d struct {
		Functions []struct {
			MemoryMB      int      `json:"memory_mb"`
			Architecture  string   `json:"architecture"`
			Timeout       string   `json:"timeout"`
			ConfigUnknown []string `json:"config_unknown"`
		} `json:"functions"`
		Assumptions []struct{ Field, Value, Why string } `json:"assumptions"`
	}
	if err := json.Unmarshal(resultOf(t, out), &d); err != nil || len(d.Functions) != 1 || strings.Join(d.Functions[0].ConfigUnknown, ",") != "memory_mb,architecture,timeout,ephemeral_storage_mb,provisioned_concurrency" || len(d.Assumptions) < 3 {
		t.Errorf("%v %+v", err, d)
	}
	out, errOut, code = runCLI(t, nil, "import", m, "--function", "api", "--memory", "1024", "--arch", "arm64", "--timeout", "30s", "-o", "json")
	d.Functions = nil
	if err := json.Unmarshal(resultOf(t, out), &d); code != 0 || err != nil || d.Functions[0].MemoryMB != 1024 || d.Functions[0].Architecture != "arm64" || d.Functions[0].Timeout != "30s" || strings.Join(d.Functions[0].ConfigUnknown, ",") != "ephemeral_storage_mb,provisioned_concurrency" {
		t.Errorf("flags: exit %d %v %+v\n%s", code, err, d.Functions, errOut)
	}
	if _, errOut, code = runCLI(t, nil, "import", m, "--memory", "100000"); code != 2 || !strings.Contains(errOut, "--memory") {
		t.Errorf("--memory 100000: exit %d %s", code, errOut)
	}
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.log")
	os.WriteFile(empty, nil, 0o644)
	if _, errOut, code = runCLI(t, nil, "import", empty); code != 2 || !strings.Contains(errOut, "no Lambda records found") {
		t.Errorf("empty: exit %d %s", code, errOut)
	}
	emf := filepath.Join("..", "..", "testdata", "logs", "variants", "lambda-insights.log")
	if _, errOut, code = runCLI(t, nil, "import", emf); code != 2 || !strings.Contains(errOut, "Lambda Insights performance event") {
		t.Errorf("EMF: exit %d %s", code, errOut)
	}
}
