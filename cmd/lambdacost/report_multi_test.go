package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// report and recommend read several datasets as one (files or a glob),
// by dataset merge's rules: the merged month is the sum of the two
// datasets' months (each function billed in its own region), a function
// found twice is a listed conflict, a pattern matching nothing exits 2.
func TestReportAndRecommendSeveralDatasets(t *testing.T) {
	monthly := func(args ...string) float64 {
		t.Helper()
		out, stderr, code := runCLI(t, nil, append([]string{"report", "-o", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("report %v: exit %d\n%s", args, code, stderr)
		}
		var v struct {
			MonthlyCostUSD float64 `json:"monthly_cost_usd"`
			Functions      []any   `json:"functions"`
		}
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		return v.MonthlyCostUSD
	}
	us, eu := "../../examples/prod.json", "../../examples/prod-eu.json"
	a, b := monthly(us), monthly(eu)
	if both := monthly(us, eu); math.Abs(both-(a+b)) > 1e-9 {
		t.Errorf("merged month $%v, want $%v + $%v", both, a, b)
	}
	if glob := monthly("../../examples/prod*.json"); math.Abs(glob-(a+b)) > 1e-9 {
		t.Errorf("glob month $%v, want $%v", glob, a+b)
	}

	dir := t.TempDir()
	data, err := os.ReadFile(us)
	if err != nil {
		t.Fatal(err)
	}
	again := filepath.Join(dir, "again.json")
	if err := os.WriteFile(again, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, nil, "report", us, again)
	if code != 0 || !strings.Contains(stderr, "conflict: function checkout") || !strings.Contains(stderr, "1 conflicts") || strings.Count(out, "checkout ") != 1 {
		t.Errorf("conflict: exit %d\n%s\n%s", code, stderr, out)
	}
	out, stderr, code = runCLI(t, nil, "recommend", "--dataset", us, "--dataset", eu)
	if code != 0 || !strings.Contains(out, "checkout-eu") || !strings.Contains(out, "checkout ") {
		t.Errorf("recommend: exit %d\n%s\n%s", code, stderr, out)
	}
	_, stderr, code = runCLI(t, nil, "report", filepath.Join(dir, "none-*.json"))
	if code != 2 || !strings.Contains(stderr, "matches no file") {
		t.Errorf("no match: exit %d\n%s", code, stderr)
	}
}
