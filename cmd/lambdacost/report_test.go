package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/reports"
)

const reportDataset = "../../reports/testdata/dataset.json"

func TestReportDatasetGolden(t *testing.T) {
	for _, o := range []string{"table", "markdown", "csv"} {
		out, errOut, code := runCLI(t, nil, "report", reportDataset, "-o", o)
		if code != 0 {
			t.Fatalf("-o %s: exit %d: %s", o, code, errOut)
		}
		golden(t, "report/dataset."+o, out)
	}
}

func TestReportWritesHTML(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "out", "r.html")
	if err := os.MkdirAll(filepath.Dir(html), 0o755); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runCLI(t, nil, "report", reportDataset, "--html", html)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(errOut, "wrote "+html) {
		t.Errorf("report HTML is missing the escaped function name, or stderr %q", errOut)
	}
	if !reports.HasEmbeddedAssets() {
		return
	}
	// --assets: the script is written once beside the reports and loaded
	// by a relative path.
	_, errOut, code = runCLI(t, nil, "report", reportDataset, "--html", html, "--assets", filepath.Join(dir, "shared assets"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, _ = os.ReadFile(html)
	if !strings.Contains(string(b), `<script src="../shared%20assets/echarts.min.js"></script>`) {
		t.Errorf("the report does not load ../shared assets/echarts.min.js")
	}
	if _, err := os.Stat(filepath.Join(dir, "shared assets", "echarts.min.js")); err != nil {
		t.Error(err)
	}
}

// TestReportReadsEveryResult: the JSON of estimate and simulate is read
// back, detected and reported.
func TestReportReadsEveryResult(t *testing.T) {
	dir := t.TempDir()
	scen := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(scen, []byte(`name: tiny
seed: 3
function: {memory_mb: 256, duration: 50ms, init_duration: 100ms}
traffic: {start_rate: 2, stages: [{duration: 2m, target: 20}]}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		produce  []string
		contains []string
	}{
		{"estimate", []string{"estimate", "--requests", "3000000", "--duration", "120ms", "--memory", "1536", "-o", "json"}, []string{"Lambda bill per month", "$0.60", "$9.00", "$9.60"}},
		{"estimates", []string{"estimate", "--requests", "3000000", "--duration", "120ms", "--memory", "1536", "--arch", "both", "-o", "json"}, []string{"x86_64", "arm64"}},
		{"simulation", []string{"simulate", scen, "-o", "json"}, []string{"Simulation: tiny", "Cold-start rate"}},
		{"compare", []string{"compare", "--requests", "100000000", "--duration", "120ms", "--memory", "1024", "--peak-rps", "200", "-o", "json"},
			[]string{"Lambda vs always-on servers", "Lambda x86_64", "Break-even"}},
		{"tune", []string{"tune", "--builtin", "cpu", "--memory", "256,512", "--count", "2", "-o", "json"}, []string{"Memory sweep · cpu", "recommended"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			js, errOut, code := runCLI(t, nil, c.produce...)
			if code != 0 {
				t.Fatalf("%v: exit %d: %s", c.produce, code, errOut)
			}
			path := filepath.Join(dir, c.name+".json")
			if err := os.WriteFile(path, []byte(js), 0o644); err != nil {
				t.Fatal(err)
			}
			html := filepath.Join(dir, c.name+".html")
			out, errOut, code := runCLI(t, nil, "report", path, "--html", html)
			if code != 0 {
				t.Fatalf("report: exit %d: %s", code, errOut)
			}
			for _, s := range c.contains {
				if !strings.Contains(out, s) {
					t.Errorf("report output lacks %q:\n%s", s, out)
				}
			}
			if fi, err := os.Stat(html); err != nil || fi.Size() < 2000 {
				t.Errorf("no HTML report: %v", err)
			}
		})
	}
}

func TestReportBadInput(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.json")
	os.WriteFile(junk, []byte(`{"hello": 1}`), 0o644)
	notJSON := filepath.Join(dir, "x.json")
	os.WriteFile(notJSON, []byte(`version: 1`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"report", filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"report", junk}, junk + ": not a dataset"},
		{[]string{"report", notJSON}, notJSON + ": not a lambdacost JSON object"},
		{[]string{"report", reportDataset, "--assets", dir}, "--assets: is only used with --html"},
		{[]string{"report", reportDataset, "--html", filepath.Join(dir, "no", "such", "dir", "r.html")}, "--html: cannot write"},
		{[]string{"report"}, "requires at least 1 arg"},
	} {
		_, errOut, code := runCLI(t, nil, c.args...)
		if code != ExitBadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %q", c.args, code, errOut, c.want)
		}
		if strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: stack trace", c.args)
		}
	}
}

func TestReportDatasetJSON(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "report", reportDataset, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Monthly   float64 `json:"monthly_cost_usd"`
		Window    float64 `json:"window_cost_usd"`
		Functions []struct {
			Name    string `json:"name"`
			Monthly struct {
				Total float64 `json:"total_usd"`
			} `json:"monthly"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(resultOf(t, out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Functions) != 4 || got.Functions[0].Name != "a__f__b" {
		t.Fatalf("functions = %+v", got.Functions)
	}
	sum := 0.0
	for _, f := range got.Functions {
		sum += f.Monthly.Total
	}
	// The parts add up to the total (tiers are shared pro rata), and the
	// month is 730/24 of the one-day window.
	if math.Abs(sum-got.Monthly) > 1e-6 || math.Abs(got.Monthly/got.Window-730.0/24) > 0.01 {
		t.Errorf("monthly %v, sum of functions %v, window %v", got.Monthly, sum, got.Window)
	}
}
