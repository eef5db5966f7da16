package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/reports"
)

var compareData = filepath.Join("..", "..", "testdata", "compare")

// TestPlanSteady: 10 requests always in flight; 10 provisioned environments
// serve all of them warm and, at 95 % busy, cost less than on-demand
// (0.0000041667 + 0.95 × 0.0000097222 per GB-s against 0.95 ×
// 0.0000166667), so 10 is the cheapest level and the cheapest without cold
// starts.
func TestPlanSteady(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, nil, "plan", filepath.Join(compareData, "steady.yaml"), "--max-cold-start-rate", "0", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var p struct {
		Best *struct {
			Provisioned   int     `json:"provisioned"`
			ColdStartRate float64 `json:"cold_start_rate"`
		} `json:"best"`
		Current struct {
			Provisioned int `json:"provisioned"`
		} `json:"current"`
		Savings float64 `json:"monthly_savings_usd"`
		Curve   []struct {
			Provisioned int  `json:"provisioned"`
			Meets       bool `json:"meets_target"`
		} `json:"curve"`
	}
	if err := json.Unmarshal(resultOf(t, out), &p); err != nil {
		t.Fatal(err)
	}
	if p.Best == nil || p.Best.Provisioned != 10 || p.Best.ColdStartRate != 0 || p.Savings <= 0 {
		t.Fatalf("plan = %s", out)
	}
	for _, c := range p.Curve {
		if c.Meets != (c.Provisioned >= 10) {
			t.Errorf("level %d meets=%v", c.Provisioned, c.Meets)
		}
	}
	for _, f := range []string{"table", "markdown", "csv"} {
		out, errOut, code := runCLI(t, nil, "plan", filepath.Join(compareData, "steady.yaml"), "--max-cold-start-rate", "0", "-o", f)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		compareGolden(t, "plan-steady."+f, out)
	}
}

func TestRecommendDatasetCLI(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, nil, "recommend", "--dataset", filepath.Join(compareData, "dataset.json"), "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Recs []struct {
			Function string  `json:"function"`
			Kind     string  `json:"kind"`
			Savings  float64 `json:"monthly_savings_usd"`
		} `json:"recommendations"`
	}
	if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, x := range r.Recs {
		got[x.Function+"/"+x.Kind] = true
	}
	for _, k := range []string{"api/memory", "api/architecture", "report/always_on", "report/duration_limit", "report/timeout"} {
		if !got[k] {
			t.Errorf("missing %s: %s", k, out)
		}
	}
	out, _, code = runCLI(t, nil, "plan", "--dataset", filepath.Join(compareData, "dataset.json"), "-o", "markdown")
	if code != 0 {
		t.Fatal(code)
	}
	compareGolden(t, "recommend-dataset.markdown", out)
}

func TestRecommendTuneCLI(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, nil, "plan", "--tune", filepath.Join(compareData, "tune.json"), "--memory", "1024", "--requests", "10000000", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// 512 MB: 10 × $1.50 = $15 against 10 × $1.90 = $19 at 1,024 MB.
	if !strings.Contains(out, `"suggested": "512"`) || !strings.Contains(out, `"monthly_savings_usd": 4`) {
		t.Errorf("tune recommendations = %s", out)
	}
}

func TestPlanBadInput(t *testing.T) {
	t.Parallel()
	ds := filepath.Join(compareData, "dataset.json")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no source", []string{"plan"}, []string{"exactly one of"}},
		{"scenario flags with dataset", []string{"plan", "--dataset", ds, "--max-p99", "1s", "--memory", "512"}, []string{"--max-p99", "--memory"}},
		{"bad target", []string{"plan", filepath.Join(compareData, "steady.yaml"), "--max-cold-start-rate", "2"}, []string{"--max-cold-start-rate"}},
		{"negative count", []string{"plan", filepath.Join(compareData, "steady.yaml"), "--max-throttles", "-1"}, []string{`"--max-throttles"`, `"-1" is negative`}},
		{"not a tune result", []string{"plan", "--tune", ds}, []string{"dataset.json", "no successful memory size"}},
		{"missing dataset", []string{"recommend", "--dataset", "nope.json"}, []string{"nope.json"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errOut, code := runCLI(t, nil, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not mention %q", errOut, w)
				}
			}
		})
	}
}

func TestPlanHTML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"plan", filepath.Join(compareData, "steady.yaml"), "--max-cold-start-rate", "0"},
		{"recommend", "--dataset", filepath.Join(compareData, "dataset.json")},
		{"plan", "--tune", filepath.Join(compareData, "tune.json")},
	} {
		page := filepath.Join(dir, "page.html")
		if _, errOut, code := runCLI(t, nil, append(args, "--html", page)...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		b, err := os.ReadFile(page)
		if err != nil || !strings.Contains(string(b), "<html") {
			t.Fatalf("%v: %v %.100s", args, err, b)
		}
		if args[0] == "plan" && args[1] != "--tune" && (!strings.Contains(string(b), "yes (best)") || !strings.Contains(string(b), `id="plan-tradeoff"`)) {
			t.Errorf("plan page lacks the trade-off table or chart")
		}
	}
}

// TestPlanHTMLAssets: plan --html --assets loads echarts from the assets
// folder; --assets alone is an input error.
func TestPlanHTMLAssets(t *testing.T) {
	t.Parallel()
	steady := filepath.Join(compareData, "steady.yaml")
	dir := t.TempDir()
	_, errOut, code := runCLI(t, nil, "plan", steady, "--assets", dir)
	if code != 2 || !strings.Contains(errOut, "--assets: only applies with --html") {
		t.Errorf("--assets without --html: exit %d: %s", code, errOut)
	}
	if !reports.HasEmbeddedAssets() {
		t.Skip("echarts.min.js is not embedded: run `make assets`")
	}
	page := filepath.Join(dir, "plan.html")
	if _, errOut, code := runCLI(t, nil, "plan", steady, "--max-cold-start-rate", "0", "--html", page, "--assets", filepath.Join(dir, "assets"), "-o", "json"); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `src="assets/echarts.min.js"`) || !strings.Contains(string(b), `id="plan-tradeoff"`) {
		t.Errorf("the plan page does not load assets/echarts.min.js or lacks its chart (%d bytes)", len(b))
	}
	if _, err := os.Stat(filepath.Join(dir, "assets", "echarts.min.js")); err != nil {
		t.Error(err)
	}
}
