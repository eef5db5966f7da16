package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// envelopeAssumptions returns the JSON envelope's assumptions.
func envelopeAssumptions(t *testing.T, out string) map[string]string {
	t.Helper()
	var env struct {
		Assumptions []struct{ Field, Value string } `json:"assumptions"`
	}
	if err := json.Unmarshal([]byte(out), &env); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	m := map[string]string{}
	for _, a := range env.Assumptions {
		m[a.Field] = a.Value
	}
	return m
}

// Without log bytes the CloudWatch Logs ingestion of a function's logs is
// not in the bill: every bill says so (logs = not priced) rather than show
// a bill without a logs line as if the logs cost nothing; with them the
// logs line's assumption replaces it.
func TestLogsNotPricedListed(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // the logs assumption's value
	}{
		{"estimate", []string{"estimate", "--requests", "1M", "--duration", "100ms"}, "not priced"},
		{"estimate --usage", []string{"estimate", "--usage", "../../examples/functions.yaml"}, "not priced"},
		{"estimate --terraform", []string{"estimate", "--terraform", "../../examples/plan.json", "--usage", "../../examples/infracost-usage.yml"}, "not priced"},
		{"compare", []string{"compare", "--requests", "100M", "--duration", "120ms", "--memory", "1024", "--peak-rps", "200"}, "not priced"},
		{"estimate --log-bytes", []string{"estimate", "--requests", "1M", "--duration", "100ms", "--log-bytes", "1KB"}, "CloudWatch Logs Standard class, Lambda-log volume tiers"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, nil, append(tc.args, "-o", "json")...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if got := envelopeAssumptions(t, out)["logs"]; got != tc.want {
				t.Errorf("logs assumption = %q, want %q", got, tc.want)
			}
		})
	}
}

// An error about log bytes names what the user gave: check's --log-bytes
// (not the scenario's billing.log_bytes_per_request, which it did not
// write), a usage file, a dataset's measured summary.log_bytes. CloudWatch
// Logs prices are known only in us-east-1 (README, Prices not known), so
// eu-west-1 refuses every logs line.
func TestLogsErrorNamesWhatWasGiven(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	abs, err := filepath.Abs("../../examples/steady.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg := write("check.yaml", "checks:\n  - name: s\n    scenario: "+abs+"\n    thresholds:\n      monthly_cost_usd: [\"< 1000\"]\n")
	usage := write("u.yaml", "region: eu-west-1\nfunctions:\n  - name: a\n    memory_mb: 512\n    requests: 1000000\n    duration: 100ms\n    log_bytes_per_request: 1KB\n")
	var d map[string]any
	raw, err := os.ReadFile("../../examples/prod.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	d["region"] = "eu-west-1"
	for _, f := range d["functions"].([]any) {
		f.(map[string]any)["summary"].(map[string]any)["log_bytes"] = 123456789
	}
	ds, _ := json.Marshal(d)
	dataset := write("prod-eu.json", string(ds))
	for _, tc := range []struct {
		name      string
		args      []string
		want, not string
	}{
		{"check --log-bytes on a scenario", []string{"check", "--config", cfg, "--log-bytes", "1KB", "--region", "eu-west-1"}, "--log-bytes", "billing.log_bytes_per_request"},
		{"estimate --usage", []string{"estimate", "--usage", usage}, usage, "--log-bytes"},
		{"report of measured logs", []string{"report", dataset}, "functions[checkout].summary.log_bytes", "--log-bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, nil, tc.args...)
			if code != 2 || !strings.Contains(errOut, tc.want) || strings.Contains(errOut, tc.not) || !strings.Contains(errOut, "eu-west-1") {
				t.Errorf("exit %d, stderr %q: want exit 2 naming %q (not %q) and the region", code, errOut, tc.want, tc.not)
			}
		})
	}
}
