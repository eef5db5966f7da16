package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/collector/collectortest"
)

// End to end: a collection that lost fn-001's invocations (each way the
// network and the service fail), then `report` and `check` on what it
// wrote: report shows fn-001 as incomplete, never priced at $0.00, and
// check refuses to pass a threshold on it.
func TestPartialCollectionReportAndCheck(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		errType string
	}{
		{"HTTP 500", 500, "InternalServiceError"},
		{"connection reset", collectortest.FaultReset, ""},
		{"truncated body", collectortest.FaultTruncate, ""},
		{"throttling past retries", 400, "Throttling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := collectortest.New(t, 40)
			awsEnv(t, s.URL)
			failInvocationsOf(s, "fn-001", tc.status, tc.errType)
			dir := t.TempDir()
			out := filepath.Join(dir, "c.json")
			if _, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1d", "--out-file", out); code != 3 {
				t.Fatalf("collect: exit %d\n%s", code, stderr)
			}

			stdout, stderr, code := runCLI(t, nil, "report", out)
			if code != 0 {
				t.Fatalf("report: exit %d\n%s", code, stderr)
			}
			var row string
			for _, l := range strings.Split(stdout, "\n") {
				if strings.Contains(l, "fn-001") {
					row = l
					break
				}
			}
			if !strings.Contains(strings.ToLower(stdout+stderr), "incomplete") || row == "" || regexp.MustCompile(`\$0\.00\b`).MatchString(row) {
				t.Errorf("report does not show fn-001 as incomplete (row %q):\n%s\n%s", row, stdout, stderr)
			}

			cfg := filepath.Join(dir, "check.yaml")
			os.WriteFile(cfg, []byte("region: us-east-1\nchecks:\n  - name: fn-001\n    dataset: c.json\n    function: fn-001\n    thresholds:\n      monthly_cost_usd: [\"< 100000\"]\n"), 0o644)
			stdout, stderr, code = runCLI(t, nil, "check", "--config", cfg)
			if code != 1 || !strings.Contains(strings.ToLower(stdout+stderr), "incomplete") {
				t.Errorf("check on incomplete data: exit %d (want 1)\n%s\n%s", code, stdout, stderr)
			}
		})
	}
}
