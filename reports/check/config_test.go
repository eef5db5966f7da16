package check

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

const testdata = "../../testdata/check"

func TestLoadConfig(t *testing.T) {
	path := filepath.Join(testdata, "passing.yaml")
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Region != "us-east-1" || len(cfg.Checks) != 2 {
		t.Fatalf("region %q, %d checks; want us-east-1 and 2", cfg.Region, len(cfg.Checks))
	}
	api, orders := cfg.Checks[0], cfg.Checks[1]
	if api.Name != "checkout-api" || api.Source != SourceEstimate || api.Estimate == nil ||
		api.Estimate.MemoryMB != 1536 || api.Estimate.Requests != 3_000_000 || api.Estimate.Duration.Ms() != 120 {
		t.Errorf("checkout-api = %+v", api)
	}
	if orders.Source != SourceDataset || orders.File != "datasets/orders.json" ||
		orders.Resolved != filepath.Join(testdata, "datasets/orders.json") {
		t.Errorf("orders-worker: source %s, file %q, resolved %q", orders.Source, orders.File, orders.Resolved)
	}
	// File order, one Threshold per expression, each at its own line; a
	// scalar expression is a list of one.
	var got []string
	for _, c := range cfg.Checks {
		for _, th := range c.Thresholds {
			got = append(got, th.Pos+" "+th.String())
		}
	}
	want := []string{
		path + ":10 monthly_cost_usd < 10",
		path + ":10 monthly_cost_usd >= 9",
		path + ":11 cost_per_million_usd <= 3.3",
		path + ":15 monthly_cost_usd < 2",
		path + ":16 latency_p99_ms < 800",
		path + ":17 throttles == 0",
		path + ":18 cold_start_rate < 0.01",
		path + ":19 peak_concurrency <= 50",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("thresholds:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Every problem of a broken file is reported at once, each at its line.
func TestLoadConfigReportsEveryProblem(t *testing.T) {
	path := filepath.Join(testdata, "broken.yaml")
	_, err := LoadConfig(path)
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		path + ":5: api: estimate.memory_mb: memory 64 MB is outside",
		path + ":9: api: monthly_cost_usd: threshold \"< abc\": \"abc\" is not a finite number",
		path + ":10: api: an estimate source cannot provide latency_p99_ms",
		path + ":11: api: unknown metric \"cold_start_rat\" (did you mean cold_start_rate?)",
		path + ":12: check name \"api\" is already used at " + path + ":3",
		path + ":13: api: dataset file datasets/missing.json: no such file",
		path + ":15: api: throttles: threshold \"= 0\" does not start with an operator",
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, lines[i], w)
		}
	}
	var ie *pricing.InputError
	if !errors.As(err, &ie) {
		t.Errorf("error is not an *InputError: %T", err)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       []string // each a substring of one problem, in order
	}{
		{"empty", "", []string{"c.yaml: file is empty"}},
		{"unknown key", "checks:\n  - name: a\n    estimate: {requests: 1, duration: 1ms}\n    treshold: {}\n",
			[]string{`c.yaml:4: unknown key "treshold"`}},
		{"unknown estimate key", "checks:\n  - name: a\n    estimate: {requests: 1, durration: 1ms}\n",
			[]string{`c.yaml:3: unknown key "durration"`}},
		{"no checks", "region: us-east-1\n", []string{"c.yaml:1: no checks"}},
		{"no source", "checks:\n  - name: a\n    thresholds: {throttles: '== 0'}\n", []string{"c.yaml:2: a: needs a source"}},
		{"no name", "checks:\n  - estimate: {requests: 1, duration: 1ms}\n", []string{"c.yaml:2: checks[0]: needs a name"}},
		{"two sources", "checks:\n  - name: a\n    estimate: {requests: 1, duration: 1ms}\n    dataset: datasets/orders.json\n",
			[]string{"c.yaml:2: a: has dataset and estimate; give exactly one source"}},
		{"function without dataset", "checks:\n  - name: a\n    estimate: {requests: 1, duration: 1ms}\n    function: x\n",
			[]string{"c.yaml:4: a: function: selects a function of a dataset"}},
		{"dataset is a directory", "checks:\n  - name: a\n    dataset: datasets\n", []string{"c.yaml:3: a: dataset datasets is a directory"}},
		{"thresholds not a map", "checks:\n  - name: a\n    estimate: {requests: 1, duration: 1ms}\n    thresholds: [a, b]\n",
			[]string{"c.yaml:4: a: thresholds must be a mapping"}},
		{"duplicate metric", "checks:\n  - name: a\n    estimate: {requests: 1, duration: 1ms}\n    thresholds:\n      monthly_cost_usd: '< 1'\n      monthly_cost_usd: '< 2'\n",
			[]string{"c.yaml:6: a: threshold metric monthly_cost_usd is already given at line 5"}},
		{"empty list and nested map", "checks:\n  - name: a\n    estimate: {requests: 1, duration: 1ms}\n    thresholds:\n      monthly_cost_usd: []\n      cold_start_rate: {x: 1}\n      cost_per_million_usd: [[1]]\n",
			[]string{"c.yaml:5: a: monthly_cost_usd has an empty list", "c.yaml:6: a: cold_start_rate must be an expression or a list", "c.yaml:7: a: cost_per_million_usd: each expression must be a string"}},
		{"estimate usage invalid", "checks:\n  - name: a\n    estimate:\n      requests: -1\n      duration: 1ms\n      cold_start_rate: 2\n",
			[]string{"c.yaml:4: a: estimate.requests: must not be negative", "c.yaml:6: a: estimate.cold_start_rate: must be between 0 and 1"}},
		{"estimate cannot provide throttles", "checks:\n  - name: a\n    estimate: {requests: 1, duration: 1ms}\n    thresholds:\n      throttles_increase_pct: ['< 1']\n",
			[]string{"c.yaml:5: a: an estimate source cannot provide throttles"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig(filepath.Join(testdata, "c.yaml"), []byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(lines), len(tc.want), err)
			}
			for i, w := range tc.want {
				w = filepath.Join(testdata, w)
				if !strings.Contains(lines[i], w) {
					t.Errorf("problem %d: %s\nwant it to contain %s", i, lines[i], w)
				}
			}
			if !pricing.IsInput(err) {
				t.Errorf("not an input error: %T", err)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	for in, want := range map[string]string{
		"cold_start_rat":               "cold_start_rate",
		"latency_p99":                  "latency_p99_ms",
		"monthly_cost":                 "monthly_cost_usd",
		"monthly_cost_increase":        "monthly_cost_increase_pct",
		"completely_unrelated_measure": "",
	} {
		if got := suggest(in, MetricNames()); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}
