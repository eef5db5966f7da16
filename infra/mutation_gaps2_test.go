package infra

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// The header's regions (pricedRegions) count a side only where its region
// is known before apply. Function a's head is priced in af-south-1; b's
// region is known only after apply (AttrRegion in Unknown), so b is
// priced in no region the header can name; c names none and is priced in
// the region given (eu-west-1). Header: af-south-1 and eu-west-1 from a
// and c, nothing from b: "af-south-1, eu-west-1" without c, "af-south-1"
// with only a and b. Counting b's unknown region as the fallback would
// add eu-west-1 to the second (infra-12).
func TestPricedRegionsSkipsUnknownRegion(t *testing.T) {
	a := FunctionDiff{Address: "a", Head: &Side{Region: "af-south-1"}}
	b := FunctionDiff{Address: "b", Head: &Side{Unknown: []string{AttrRegion}}}
	c := FunctionDiff{Address: "c", Base: &Side{}, Head: &Side{}}
	for _, tc := range []struct {
		fs   []FunctionDiff
		want string
	}{
		{[]FunctionDiff{a, b}, "af-south-1"},
		{[]FunctionDiff{a, b, c}, "af-south-1, eu-west-1"},
		{[]FunctionDiff{b}, "eu-west-1"}, // no side counted: the region given
	} {
		if got := pricedRegions(tc.fs, "eu-west-1"); got != tc.want {
			t.Errorf("%d functions: %q, want %q", len(tc.fs), got, tc.want)
		}
	}
}

// The template's ExecutionEnvironmentMemoryGiBPerVCpu sizes each
// environment (infra-13, infra-18: read, then used). template-lmi-scaling
// with MemorySize 4096 and a ratio of 4: each environment is 4096 MB / 4
// GiB per vCPU = 1 vCPU and 4 GiB; MinExecutionEnvironments 8 (the
// traffic, 10M requests of 100 ms, needs 1) → 8 vCPUs and 32 GiB, two
// environments per m7g.large (2 vCPU, 8 GiB) → 4 instances × 730 h =
// 2,920 h × $0.0816 = $238.272, the 15 % fee 2,920 × $0.01224 = $35.7408,
// requests 10 × $0.20 = $2 → $276.0128. At AWS's default ratio of 2 each
// environment would take 2 vCPUs, one per m7g.large: 8 instances, $550.0256.
func TestTemplateManagedInstancesMemoryPerVCPU(t *testing.T) {
	src, err := os.ReadFile("../testdata/iac/template-lmi-scaling.yaml")
	if err != nil {
		t.Fatal(err)
	}
	y := strings.Replace(string(src), "MemorySize: 2048", "MemorySize: 4096", 1)
	y = strings.Replace(y, "ExecutionEnvironmentMemoryGiBPerVCpu: 2", "ExecutionEnvironmentMemoryGiBPerVCpu: 4", 1)
	if y == string(src) || strings.Count(y, "4096")+strings.Count(y, "GiBPerVCpu: 4") < 2 {
		t.Fatal("fixture changed: MemorySize 2048 or the ratio 2 not found")
	}
	path := filepath.Join(t.TempDir(), "template.yaml")
	if err := os.WriteFile(path, []byte(y), 0o644); err != nil {
		t.Fatal(err)
	}
	e := priceTemplates(t, path, "", "../testdata/iac/template-lmi-usage.yml", TemplateOptions{Region: "us-east-1"})
	f := findFn(t, e, "StreamWorker")
	if m := f.Head.ManagedInstances; m == nil || m.MemoryGiBPerVCPU != 4 {
		t.Fatalf("managed instances %+v", f.Head.ManagedInstances)
	}
	eq(t, "head", sideTotal(t, f.Head), d("276.0128"))
}

// A dataset month's milliseconds are split by invocations × the month's
// mean duration, not by invocations (infra-15). TestDatasetMonthByMonth's
// window (1,460 h, one series point per 730-hour month, checkout-api 512
// → 2048 MB by testdata/iac/plan-memory.json, free tier) with 525,600
// invocations of 400 ms, then 2,102,400 of 100 ms: 210,240,000 ms in
// each month, a mean of 420,480,000 / 2,628,000 = 160 ms. The average
// month: 1,314,000 requests of 160 ms = 210,240,000 ms. Month by month:
// requests × 0.2 × 2 = 525,600 and × 0.8 × 2 = 2,102,400; ms × 0.5 × 2 =
// 210,240,000 in each.
//
//	base (0.5 GB): 105,120 GB-s a month, free; month 1's 1,102,400
//	      requests over the free million = $0.22048: mean $0.11024
//	head (2 GB): 420,480 GB-s a month, 20,480 over the free 400,000 =
//	      $0.341334016 each month; + $0.22048 in month 1: mean
//	      (0.341334016 + 0.561814016) / 2 = $0.451574016
//
// Split by invocations, head's month 0 (168,192 GB-s) would be free and
// month 1 (672,768 GB-s) $4.546 more.
func TestDatasetMonthByMonthDurations(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	ds := &pricing.Dataset{Source: "logs", Region: "us-east-1", Start: start, End: start.Add(1460 * time.Hour), Functions: []pricing.DatasetFunction{{
		FunctionConfig: pricing.FunctionConfig{Name: "checkout-api", MemoryMB: 512, Architecture: pricing.X86_64, Timeout: pricing.Duration(30 * time.Second)},
		Summary:        pricing.FunctionSummary{Invocations: 2_628_000, BilledDurationMs: 420_480_000, DurationMs: pricing.DurationSet{Avg: 160, P50: 100, P90: 400, P99: 400, Max: 400}},
		Series:         &pricing.Series{PeriodS: 2_628_000, Start: start, Invocations: []float64{525_600, 2_102_400}, DurationAvgMs: []float64{400, 100}, ConcurrencyMax: []float64{1, 1}}}}}
	path := writeDatasetFile(t, ds)
	e, err := Source{Terraform: "../testdata/iac/plan-memory.json", Dataset: path}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, e, "aws_lambda_function.api")
	eq(t, "base", sideTotal(t, f.Base), d("0.11024"))
	eq(t, "head", sideTotal(t, f.Head), d("0.451574016"))
}

// Provisioned environments that cover a dataset's peak serve every
// invocation in every month: the months' on-demand usage goes with the
// average month's (infra-16). TestDatasetMonthByMonthDurations' dataset
// (1,460 h, peak concurrency 1; a month of 1,314,000 requests of 160 ms
// at 512 MB = 105,120 GB-s), no free tier, us-east-1 x86_64:
//
//	base, on demand: $0.2628 + 105,120 × $0.0000166667 = $1.752003504
//	      → $2.014803504
//	head, 20 provisioned (≥ the peak of 1): 20 × 0.5 GB × 2,628,000 s =
//	      26,280,000 GB-s × $0.0000041667 = $109.500876, the invocations'
//	      105,120 GB-s × $0.0000097222 = $1.021997664, requests $0.2628 →
//	      $110.785673664 (no on-demand duration)
func TestDatasetMonthsProvisionedCoversPeak(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	ds := &pricing.Dataset{Version: 1, Source: "logs", Region: "us-east-1", Start: start, End: start.Add(1460 * time.Hour), Functions: []pricing.DatasetFunction{{
		FunctionConfig: pricing.FunctionConfig{Name: "checkout-api", MemoryMB: 512, Architecture: pricing.X86_64, Timeout: pricing.Duration(30 * time.Second)},
		Summary:        pricing.FunctionSummary{Invocations: 2_628_000, BilledDurationMs: 420_480_000, DurationMs: pricing.DurationSet{Avg: 160, P50: 100, P90: 400, P99: 400, Max: 400}},
		Series:         &pricing.Series{PeriodS: 2_628_000, Start: start, Invocations: []float64{525_600, 2_102_400}, DurationAvgMs: []float64{400, 100}, ConcurrencyMax: []float64{1, 1}}}}}
	du, err := NewDatasetUsage("d.json", ds)
	if err != nil {
		t.Fatal(err)
	}
	fn := Function{Address: "aws_lambda_function.api", Type: tfFunction, Config: pricing.FunctionConfig{Name: "checkout-api", MemoryMB: 512, Architecture: pricing.X86_64}}
	head := fn
	head.Provisioned = []Provisioned{{Address: "aws_lambda_provisioned_concurrency_config.live", Qualifier: "live", Concurrency: 20}}
	e, err := Price(&Plan{Kind: Terraform, HasBase: true, Base: []Function{fn}, Head: []Function{head}}, du, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "base", e.Totals.Base, d("2.014803504"))
	eq(t, "head", e.Totals.Head, d("110.785673664"))
}

// A provisioned level outside its scaling target's [min_capacity,
// max_capacity] is priced at the bound registering the target moves it to
// (RegisterScalableTarget), above the max as below the min, and at a
// target whose min and max are equal (infra-19, -20, -21; the existing
// test had only a level below the min). testdata/iac/plan-pc.json's
// orders (1024 MB x86_64, provisioned on live) with 1M requests of 100 ms
// (on demand: 100,000 GB-s × $0.0000166667 = $1.66667 + requests $0.20 =
// $1.86667), us-east-1, provisioned at $0.0000041667 per GB-s over
// 2,628,000 s:
//
//	configured 30, target [1, 20] → 20: 52,560,000 GB-s = $219.001752
//	      → $220.868422 (at 30: $328.502628 + $1.86667)
//	configured 1, target [3, 3] → 3: 7,884,000 GB-s = $32.8502628
//	      → $34.7169328 (at 1: $12.8167576)
func TestTerraformAutoScalingBounds(t *testing.T) {
	data, err := os.ReadFile("../testdata/iac/plan-pc.json")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseUsageFile("u.yml", []byte("version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000000\n    request_duration_ms: 100\n"))
	for _, tc := range []struct {
		configured, min, max int
		want                 string
	}{{30, 1, 20, "220.868422"}, {1, 3, 3, "34.7169328"}} {
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatal(err)
		}
		set := false
		for _, rc := range raw["resource_changes"].([]any) {
			rc := rc.(map[string]any)
			if rc["type"] == "aws_lambda_provisioned_concurrency_config" {
				rc["change"].(map[string]any)["after"].(map[string]any)["provisioned_concurrent_executions"] = tc.configured
				set = true
			}
		}
		if !set {
			t.Fatal("fixture changed: no provisioned concurrency config")
		}
		raw["resource_changes"] = append(raw["resource_changes"].([]any), map[string]any{"address": "aws_appautoscaling_target.orders", "mode": "managed", "type": "aws_appautoscaling_target", "name": "orders",
			"change": map[string]any{"actions": []any{"create"}, "before": nil, "after_unknown": map[string]any{"arn": true, "id": true},
				"after": map[string]any{"resource_id": "function:orders:live", "scalable_dimension": "lambda:function:ProvisionedConcurrency", "service_namespace": "lambda", "min_capacity": tc.min, "max_capacity": tc.max}}})
		mod, _ := json.Marshal(raw)
		p, err := ParseTerraformPlan("plan-pc.json", mod)
		if err != nil {
			t.Fatal(err)
		}
		e, err := Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, fmt.Sprintf("configured %d, target [%d, %d]", tc.configured, tc.min, tc.max), sideTotal(t, findFn(t, e, "aws_lambda_function.orders").Head), d(tc.want))
	}
}

// An LMI environment must be a whole number of vCPUs, above 1 as below it
// (infra-24): 3072 MB at AWS's default 2 GiB per vCPU is 3072 / 1024 / 2
// = 1.5 vCPU, refused naming the function's memory_size
// (TestManagedInstancesSmallMemory has 1024 MB, 0.5 vCPU, which the lower
// bound refuses too).
func TestManagedInstancesFractionalVCPU(t *testing.T) {
	data, err := os.ReadFile("../testdata/iac/plan-lmi.json")
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(string(data), `"memory_size": 2048`, `"memory_size": 3072`, -1)
	if mod == string(data) {
		t.Fatal("fixture changed: no memory_size 2048")
	}
	p, err := ParseTerraformPlan("plan-lmi.json", []byte(mod))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ReadUsageFile("../testdata/iac/usage-lmi.yml")
	_, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err == nil || !strings.Contains(err.Error(), "aws_lambda_function.worker.memory_size: Lambda Managed Instances: 3072 MB at 2 GiB per vCPU is an execution environment of 1.5 vCPU") {
		t.Errorf("err = %v", err)
	}
}

// A scalable target of another service (a DynamoDB table's read capacity)
// is not a function's provisioned concurrency: it is neither linked to a
// function nor noted as scaling one that is not found (infra-30: any
// ScalableDimension taken as lambda:function:ProvisionedConcurrency).
func TestTemplateOtherScalableTargetIgnored(t *testing.T) {
	tpl := `Transform: AWS::Serverless-2016-10-31
Resources:
  Checkout:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      MemorySize: 1024
      AutoPublishAlias: live
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 10
  TableScaling:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      MinCapacity: 5
      MaxCapacity: 50
      ResourceId: table/orders
      ScalableDimension: dynamodb:table:ReadCapacityUnits
      ServiceNamespace: dynamodb
`
	dir := t.TempDir()
	path := filepath.Join(dir, "template.yaml")
	usage := filepath.Join(dir, "usage.yml")
	if err := os.WriteFile(path, []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(usage, []byte("version: 0.1\nresource_usage:\n  Checkout:\n    monthly_requests: 1000000\n    request_duration_ms: 100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	e := priceTemplates(t, path, "", usage, TemplateOptions{Region: "us-east-1"})
	for _, n := range e.Notes {
		if strings.Contains(n, "TableScaling") {
			t.Errorf("note %q", n)
		}
	}
	for _, a := range e.Assumptions {
		if strings.Contains(a.Why, "TableScaling") {
			t.Errorf("assumption %+v", a)
		}
	}
}

// The functions said to be priced in the fallback region are those whose
// code names no region (a), not one whose region is known only after
// apply (b: unknown, said as such) nor one that names its own (c)
// (infra-29).
func TestFallbackRegionFunctions(t *testing.T) {
	fs := []FunctionDiff{
		{Address: "a", Head: &Side{}},
		{Address: "b", Head: &Side{Unknown: []string{AttrRegion}}},
		{Address: "c", Base: &Side{Region: "eu-west-1"}, Head: &Side{Region: "eu-west-1"}},
	}
	if got := fallbackRegionFunctions(fs); len(got) != 1 || got[0] != "a" {
		t.Errorf("%q, want [a]", got)
	}
}
