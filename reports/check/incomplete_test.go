package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyDataset puts the hand-computed mixed-memory, PC-enabled dataset
// (pricing/testdata/mixed-pc.dataset.json) next to the config, optionally
// edited.
func copyDataset(t *testing.T, cfg, name string, edit func(string) string) {
	t.Helper()
	b, err := os.ReadFile("../../pricing/testdata/mixed-pc.dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if edit != nil {
		s = edit(s)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(cfg), name), []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestRunDatasetExactBill: check bills a dataset as report does: orders
// ran at 512 and 1024 MB with provisioned concurrency 2, $23.292329715 a
// month by hand (pricing.TestDatasetBillMixedMemoryPC).
func TestRunDatasetExactBill(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: orders
    dataset: mixed.json
    function: orders
    thresholds:
      monthly_cost_usd: ["< 25"]
`)
	copyDataset(t, p, "mixed.json", nil)
	r := mustRun(t, p, Options{})
	c := r.Checks[0]
	if !near(c.Metrics[MonthlyCostUSD], 23.292329715) || !c.Passed || c.Incomplete != "" {
		t.Errorf("orders: %v passed %v incomplete %q", c.Metrics[MonthlyCostUSD], c.Passed, c.Incomplete)
	}
	found := false
	for _, a := range c.Assumptions {
		found = found || a.Field == "functions[orders].provisioned_concurrency"
	}
	if !found {
		t.Errorf("no provisioned-concurrency assumption in %v", c.Assumptions)
	}
}

// TestRunIncompleteRefusesToPass: a dataset with a function whose series
// were not collected fails every threshold, even one its known values meet.
func TestRunIncompleteRefusesToPass(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: all
    dataset: mixed.json
    thresholds:
      monthly_cost_usd: ["< 1000"]
      throttles: ["== 0"]
`)
	copyDataset(t, p, "mixed.json", nil)
	r := mustRun(t, p, Options{})
	c := r.Checks[0]
	if r.Passed || c.Passed || !strings.Contains(c.Incomplete, "legacy lacks summary.invocations") {
		t.Fatalf("passed %v, incomplete %q", r.Passed, c.Incomplete)
	}
	for _, tr := range c.Thresholds {
		if tr.Passed || !tr.Incomplete {
			t.Errorf("%s passed on incomplete data", tr.Metric)
		}
	}
	var b strings.Builder
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "incomplete data") || !strings.Contains(b.String(), "legacy lacks") {
		t.Errorf("markdown does not say the data is incomplete:\n%s", b.String())
	}
}

// TestRunNoWindow: without a window, check refuses a monthly threshold
// with the same reason report gives for not projecting.
func TestRunNoWindow(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: orders
    dataset: nowin.json
    function: orders
    thresholds:
      monthly_cost_usd: ["< 25"]
`)
	copyDataset(t, p, "nowin.json", func(s string) string {
		s = strings.Replace(s, `"start": "2026-11-01T00:00:00Z",`, "", 1)
		return strings.Replace(s, `"end": "2026-11-04T01:00:00Z",`, "", 1)
	})
	_, err := run(t, p, Options{})
	if err == nil || !strings.Contains(err.Error(), "no time window") {
		t.Fatalf("err = %v", err)
	}
}

// TestRunUnknownMemoryRefusesToPass: a function whose memory size the
// dataset does not know would be billed at 128 MB (6× too low for a
// 1024 MB function): no threshold passes on that.
func TestRunUnknownMemoryRefusesToPass(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: thumbs
    dataset: nomem.json
    function: thumbs
    thresholds:
      monthly_cost_usd: ["< 1000"]
`)
	copyDataset(t, p, "nomem.json", func(s string) string {
		return strings.Replace(s, `"memory_mb": 2048,`, "", 1)
	})
	r := mustRun(t, p, Options{})
	if c := r.Checks[0]; r.Passed || !strings.Contains(c.Incomplete, "memory size is not known") || !strings.Contains(c.Incomplete, "--memory") {
		t.Errorf("passed %v incomplete %q", r.Passed, c.Incomplete)
	}
}

// A check's dataset: may be a list or a glob pattern: the files are read
// as one dataset by dataset merge's rules (a function found twice is kept
// from the first file and the conflict is listed). orders-b is orders
// renamed, so it costs $23.292329715 a month too.
func TestRunSeveralDatasets(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: by-list
    dataset: [prod-a.json, prod-b.json]
    function: orders-b
    thresholds:
      monthly_cost_usd: ["< 25"]
  - name: by-glob
    dataset: prod-*.json
    function: orders
    thresholds:
      monthly_cost_usd: ["< 25"]
`)
	copyDataset(t, p, "prod-a.json", nil)
	copyDataset(t, p, "prod-b.json", func(s string) string {
		return strings.Replace(s, `"name": "orders"`, `"name": "orders-b"`, 1)
	})
	copyDataset(t, p, "prod-c.json", nil) // the same functions as prod-a: conflicts
	r := mustRun(t, p, Options{})
	for _, c := range r.Checks {
		if !near(c.Metrics[MonthlyCostUSD], 23.292329715) || !c.Passed {
			t.Errorf("%s: %v passed %v", c.Name, c.Metrics[MonthlyCostUSD], c.Passed)
		}
	}
	var conflicts int
	for _, a := range r.Checks[1].Assumptions {
		if strings.HasPrefix(a.Field, "dataset.conflicts[") && strings.Contains(a.Why, "kept ") {
			conflicts++
		}
	}
	if conflicts != 5 { // thumbs and legacy of prod-b; orders, thumbs and legacy of prod-c
		t.Errorf("%d conflicts listed: %v", conflicts, r.Checks[1].Assumptions)
	}

	// A pattern that matches nothing is refused when the config is read.
	q := writeConfig(t, `
checks:
  - name: none
    dataset: nothing-*.json
    thresholds:
      monthly_cost_usd: ["< 25"]
`)
	if _, err := LoadConfig(q); err == nil || !strings.Contains(err.Error(), "matches no file") || !strings.Contains(err.Error(), "lambdacost.yaml:4") {
		t.Errorf("no match: %v", err)
	}
}
