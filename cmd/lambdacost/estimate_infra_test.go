package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The acceptance test: a plan whose only change is memory_size
// 512 → 2048 fails monthly_cost_increase_pct < 10 with exit 1, and the
// Markdown PR summary names the function with before → after and why.
// By hand (us-east-1, x86_64, 10M requests × 120 ms): base 600,000 GB-s ×
// $0.0000166667 + $2 = $12.00002; head 2,400,000 GB-s → $40.00008 + $2 =
// $42.00008; +250.0 %.
func TestCheckTerraformMemoryIncreaseFails(t *testing.T) {
	cfg := filepath.Join("..", "..", "testdata", "iac", "lambdacost.yaml")
	out, errOut, code := runCLI(t, nil, "check", "--config", cfg, "-o", "markdown")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a threshold failed)\n%s\n%s", code, out, errOut)
	}
	for _, want := range []string{
		"❌ | checkout-api memory | `monthly_cost_increase_pct < 10` | **+250.0% ($12.00 → $42.00)**",
		"- **checkout-api (aws_lambda_function.api)** (changed): $12.00 → $42.00 (+$30.00/month): memory 512 MB → 2048 MB",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, nil, "check", "--config", cfg, "-o", "json")
	if code != 1 {
		t.Fatalf("json: exit %d", code)
	}
	var r struct {
		Checks []struct {
			Thresholds []struct {
				Metric string
				Value  float64
				Before *float64
				After  *float64
				Passed bool
			}
			Infra struct {
				Functions []struct {
					Address string
					Change  string
					Why     []string
				}
			}
		}
	}
	if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
		t.Fatal(err)
	}
	th := r.Checks[0].Thresholds[0]
	if th.Passed || th.Before == nil || *th.Before != 12.00002 || *th.After != 42.00008 {
		t.Errorf("threshold %+v", th)
	}
	fn := r.Checks[0].Infra.Functions[0]
	if fn.Address != "aws_lambda_function.api" || fn.Change != "changed" || fn.Why[0] != "memory 512 MB → 2048 MB" {
		t.Errorf("function %+v", fn)
	}
}

func TestCheckTemplateSources(t *testing.T) {
	cfg := filepath.Join("..", "..", "testdata", "iac", "lambdacost-sam.yaml")
	_, errOut, code := runCLI(t, nil, "check", "--config", cfg)
	// The second check names a function the template does not have: bad input.
	if code != 2 || !strings.Contains(errOut, `function "notifier-does-not-exist" is not in template.yaml`) {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	data, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	one := strings.Split(string(data), "  - name: notifier")[0]
	tmp := filepath.Join(t.TempDir(), "lambdacost.yaml")
	abs, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "iac"))
	one = strings.NewReplacer("template: ", "template: "+abs+"/", "base_template: ", "base_template: "+abs+"/", "usage: ", "usage: "+abs+"/").Replace(one)
	if err := os.WriteFile(tmp, []byte(one), 0o644); err != nil {
		t.Fatal(err)
	}
	// CheckoutFunction head = $205.152953 (infra's TestSAMTemplatePriced) ≥ 250? no: passes.
	out, errOut, code := runCLI(t, nil, "check", "--config", tmp)
	if code != 0 || !strings.Contains(out, "$205.15") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestEstimateTerraformOutputs(t *testing.T) {
	plan := filepath.Join("..", "..", "testdata", "iac", "plan.json")
	usage := filepath.Join("..", "..", "testdata", "iac", "usage.yml")
	// Totals by hand in infra's TestTerraformPlanPriced: base $23.67, head
	// (known) $133.72, diff +$110.05, range $147.46–$150.79.
	for _, format := range []string{"table", "csv", "markdown"} {
		out, errOut, code := runCLI(t, nil, "estimate", "--terraform", plan, "--usage", usage, "-o", format)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", format, code, errOut)
		}
		wants := []string{"$23.67", "$133.72", "+$110.05", "$147.46", "$150.79", "memory_size known after apply", "memory 512 MB → 1024 MB"}
		if format == "csv" { // money cells are plain numbers
			// One table per CSV output: the functions, then the totals table.
			// The head and the diff are two numeric cells each: equal for a
			// known cost; the thumbnail's arm64/x86_64 ends $13.7334 and
			// $17.0667 (infra's TestTerraformPlanPriced), a new function, so
			// its diff is the same range. The footer's ends are the totals'
			// range $147.46–$150.79, less the base $23.67: +$123.79 and +$127.12.
			wants = []string{"Total (known subtotal),,23.67,147.46,150.79,123.79,127.12,", "aws_lambda_function.api),changed,12.00,81.44,81.44,69.44,69.44,",
				",added,,13.73,17.07,13.73,17.07,", "memory_size known after apply"}
			totals, errOut, code := runCLI(t, nil, "estimate", "--terraform", plan, "--usage", usage, "-o", "csv", "--table", "totals")
			if code != 0 || !strings.Contains(totals, "Head lowest (architectures unknown),147.46") || !strings.Contains(totals, "Head highest (architectures unknown),150.79") || !strings.Contains(totals, "Diff (functions known on both sides),110.05") || !strings.Contains(totals, "Diff lowest (architectures unknown),123.79") || !strings.Contains(totals, "Base,23.67") {
				t.Errorf("csv --table totals: exit %d %s:\n%s", code, errOut, totals)
			}
		}
		for _, want := range wants {
			if !strings.Contains(out, want) {
				t.Errorf("%s output lacks %q:\n%s", format, want, out)
			}
		}
	}
	out, _, code := runCLI(t, nil, "estimate", "--terraform", plan, "--usage", usage, "-o", "json")
	var e struct {
		Totals struct {
			HeadUSD   float64 `json:"head_usd"`
			HeadRange struct {
				MaxUSD float64 `json:"max_usd"`
			} `json:"head_range"`
		}
	}
	if code != 0 || json.Unmarshal(resultOf(t, out), &e) != nil {
		t.Fatalf("json: exit %d\n%s", code, out)
	}
	if e.Totals.HeadUSD != 133.724698 || e.Totals.HeadRange.MaxUSD != 150.791398 {
		t.Errorf("json totals %+v", e.Totals)
	}
	html := filepath.Join(t.TempDir(), "r.html")
	_, errOut, code := runCLI(t, nil, "estimate", "--terraform", plan, "--usage", usage, "--html", html)
	b, _ := os.ReadFile(html)
	if code != 0 || !strings.Contains(string(b), "$69.44") || !strings.Contains(string(b), "memory 512 MB → 1024 MB") {
		t.Errorf("html: exit %d %s", code, errOut)
	}
}

func TestEstimateInfraBadInput(t *testing.T) {
	plan := filepath.Join("..", "..", "testdata", "iac", "plan.json")
	usage := filepath.Join("..", "..", "testdata", "iac", "usage.yml")
	bad := filepath.Join(t.TempDir(), "bad.json")
	_ = os.WriteFile(bad, []byte("{\"format_version\": \"1.2\",\n\"resource_changes\": [}"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--terraform", plan}, "--usage: the functions' usage is required"},
		{[]string{"--terraform", plan, "--usage", usage, "--memory", "512"}, "--memory: cannot be combined with --terraform"},
		{[]string{"--terraform", plan, "--template", plan, "--usage", usage}, "--template: give either"},
		{[]string{"--base-template", plan, "--usage", usage}, "--base-template: needs a template"},
		{[]string{"--terraform", bad, "--usage", usage}, "bad.json:2:22: not valid JSON"},
		{[]string{"--template", usage, "--parameter", "oops", "--usage", usage}, `--parameter: "oops": want Key=Value`},
	} {
		_, errOut, code := runCLI(t, nil, append([]string{"estimate"}, tc.args...)...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %q", tc.args, code, errOut, tc.want)
		}
	}
}

// --dataset: usage from a dataset spanning exactly 730 h, cold starts
// included (infra's TestDatasetUsage): $42.166747 at 2048 MB.
func TestEstimateTerraformDataset(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "iac")
	out, errOut, code := runCLI(t, nil, "estimate", "--terraform", filepath.Join(dir, "plan-memory.json"), "--dataset", filepath.Join(dir, "dataset-730h.json"), "-o", "json")
	var e struct {
		Totals struct {
			HeadUSD float64 `json:"head_usd"`
		}
	}
	if code != 0 || json.Unmarshal(resultOf(t, out), &e) != nil || e.Totals.HeadUSD != 42.166747 {
		t.Fatalf("exit %d %s\n%s", code, errOut, out)
	}
	_, errOut, code = runCLI(t, nil, "estimate", "--terraform", filepath.Join(dir, "plan-memory.json"), "--dataset", "x.json", "--usage", "y.yml")
	if code != 2 || !strings.Contains(errOut, "--dataset: give one usage source (a usage file, a dataset or scenarios), not usage and dataset") {
		t.Errorf("exit %d %s", code, errOut)
	}
}

// A check's terraform: source with dataset: as its usage (infra's
// TestDatasetUsage): $12.04168675 → $42.166747, +250.2 %.
func TestCheckTerraformWithDataset(t *testing.T) {
	abs, _ := filepath.Abs(filepath.Join("..", "..", "testdata", "iac"))
	cfg := filepath.Join(t.TempDir(), "lambdacost.yaml")
	_ = os.WriteFile(cfg, []byte("checks:\n  - name: api\n    terraform: "+abs+"/plan-memory.json\n    dataset: "+abs+"/dataset-730h.json\n    function: checkout-api\n    thresholds:\n      monthly_cost_usd: [\"< 50\"]\n      monthly_cost_increase_pct: [\"< 300\"]\n"), 0o644)
	out, errOut, code := runCLI(t, nil, "check", "--config", cfg)
	if code != 0 || !strings.Contains(out, "+250.2% ($12.04 → $42.17)") {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
}

// --scenario: the usage simulated per side (infra's
// TestScenarioProvisionedConcurrency derives the numbers): base $80.59,
// head $76.94, diff -$3.65; cold starts 2 → 1 an hour, ×730 a month.
func TestEstimateTerraformScenario(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "iac")
	out, errOut, code := runCLI(t, nil, "estimate", "--terraform", filepath.Join(dir, "plan-pc.json"), "--scenario", filepath.Join(dir, "scenarios", "orders.yaml"), "-o", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"$80.59 → $76.94 (-$3.65/month)", "cold starts 1,460 → 730/month (simulated)"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	// The check: head $76.94 < 80 and -4.53 % (−3.65015 ÷ 80.59238) < 0 pass.
	out, errOut, code = runCLI(t, nil, "check", "--config", filepath.Join(dir, "lambdacost-scenario.yaml"))
	if code != 0 || !strings.Contains(out, "$76.94") {
		t.Fatalf("check: exit %d\n%s\n%s", code, out, errOut)
	}
	// Scenarios are a usage source of their own: not with --usage; --tune
	// needs a scenario or a dataset.
	_, errOut, code = runCLI(t, nil, "estimate", "--terraform", filepath.Join(dir, "plan-pc.json"), "--scenario", filepath.Join(dir, "scenarios", "orders.yaml"), "--usage", filepath.Join(dir, "usage.yml"))
	if code != 2 || !strings.Contains(errOut, "not usage and scenario") {
		t.Errorf("exit %d %s", code, errOut)
	}
	_, errOut, code = runCLI(t, nil, "estimate", "--terraform", filepath.Join(dir, "plan-pc.json"), "--usage", filepath.Join(dir, "usage.yml"), "--tune", filepath.Join(dir, "tune", "checkout-api.json"))
	if code != 2 || !strings.Contains(errOut, "--tune: a tune result gives the times of a scenario or a dataset") {
		t.Errorf("exit %d %s", code, errOut)
	}
}
