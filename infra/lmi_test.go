package infra

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestTerraformManagedInstances prices testdata/iac/plan-lmi.json: the
// function stream-worker (arm64, 2048 MB, nodejs22.x) moves from Lambda's
// on-demand environments to a new capacity provider whose one allowed
// instance type is m7g.large (2 vCPU, 8 GiB, $0.0816/h in us-east-1),
// with testdata/iac/usage-lmi.yml: 10M requests of 100 ms.
//
//	base: 10M × 100 ms × 2 GB = 2,000,000 GB-s × $0.0000133334 = $26.6668
//	      + 10M × $0.20/M = $2 → $28.6668
//	head: an environment of 2048 MB at 2 GiB per vCPU is 1 vCPU; at the
//	      50 % CPU target a CPU-bound 100 ms request gives 0.5 / 0.1 = 5
//	      req/s per environment (Node.js's 64 concurrent requests per vCPU
//	      would allow 640); the mean 10M / 2,628,000 s = 3.8 req/s needs 1,
//	      AWS's floor is 3 environments; 2 fit on an m7g.large (2 vCPU,
//	      4 × 2 GiB by memory), so 2 instances, raised to the floor of 3:
//	      3 × 730 h = 2,190 instance-hours × $0.0816 = $178.704, the 15 %
//	      fee 2,190 × $0.01224 = $26.8056, requests $2 → $207.5096.
func TestTerraformManagedInstances(t *testing.T) {
	e := priceFixture(t, "../testdata/iac/plan-lmi.json", "../testdata/iac/usage-lmi.yml")
	f := findFn(t, e, "aws_lambda_function.worker")
	if f.Change != Changed || len(f.Why) != 1 || f.Why[0] != "compute Lambda (on demand) → Managed Instances (m7g.large on aws_lambda_capacity_provider.workers)" {
		t.Errorf("change %s why %v", f.Change, f.Why)
	}
	eq(t, "base", sideTotal(t, f.Base), d("28.6668"))
	eq(t, "head", sideTotal(t, f.Head), d("207.5096"))
	eq(t, "diff", f.Diff, d("178.8428"))
	lines := map[string]string{}
	for _, l := range f.Head.Cost.Lines {
		lines[l.Name] = l.Quantity.String() + " " + l.Cost.String()
	}
	if lines["lmi_instances"] != "2190 178.704" || lines["lmi_management_fee"] != "2190 26.8056" || lines["lmi_requests"] != "10000000 2" {
		t.Errorf("head lines %v", lines)
	}

	// A provider that lets Lambda choose among several types: the head's
	// cost is unknown, named, never priced at one of them.
	data, err := os.ReadFile("../testdata/iac/plan-lmi.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	cp := raw["resource_changes"].([]any)[0].(map[string]any)["change"].(map[string]any)["after"].(map[string]any)
	cp["instance_requirements"].([]any)[0].(map[string]any)["allowed_instance_types"] = []any{"m7g.large", "c7g.large"}
	data, _ = json.Marshal(raw)
	p, err := ParseTerraformPlan("plan-lmi.json", data)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ReadUsageFile("../testdata/iac/usage-lmi.yml")
	e, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	f = findFn(t, e, "aws_lambda_function.worker")
	if f.Head.Cost != nil || len(e.Totals.Unknown) != 1 || !strings.Contains(e.Totals.Unknown[0], "capacity_provider.instance_type chosen by Lambda") {
		t.Errorf("head %+v, unknown %v", f.Head.Cost, e.Totals.Unknown)
	}
	eq(t, "known head", e.Totals.Head, d("0"))
}

// TestTemplateManagedInstances: testdata/iac/template-lmi.yaml runs
// stream-worker on AWS::Lambda::CapacityProvider WorkersProvider (one
// allowed type, m7g.large); with 10M requests of 100 ms it is the head of
// TestTerraformManagedInstances: $207.5096.
func TestTemplateManagedInstances(t *testing.T) {
	e := priceTemplates(t, "../testdata/iac/template-lmi.yaml", "", "../testdata/iac/template-lmi-usage.yml", TemplateOptions{Region: "us-east-1"})
	f := findFn(t, e, "StreamWorker")
	if m := f.Head.ManagedInstances; m == nil || m.Provider != "WorkersProvider" || m.InstanceType != "m7g.large" || m.MemoryGiBPerVCPU != 2 {
		t.Fatalf("managed instances %+v", f.Head.ManagedInstances)
	}
	eq(t, "head", sideTotal(t, f.Head), d("207.5096"))
	for _, n := range e.Notes {
		if strings.Contains(n, "CapacityProvider") {
			t.Errorf("the capacity provider is priced now; note %q", n)
		}
	}
}

// TestTerraformManagedInstancesScaling prices testdata/iac/plan-lmi-scaling.json:
// the move of TestTerraformManagedInstances (stream-worker to m7g.large,
// 10M requests of 100 ms: 1 environment needed by CPU) plus an
// aws_lambda_function_scaling_config for the function with
// min_execution_environments 8 (the provider's max_vcpu_count is 64).
//
//	head: max(8, 1) = 8 environments of 1 vCPU, 2 per m7g.large → 4
//	      instances × 730 h = 2,920 instance-hours × $0.0816 = $238.272,
//	      the 15 % fee 2,920 × $0.01224 = $35.7408, requests $2 →
//	      $276.0128.
//
// With the provider's max_vcpu_count lowered to 4, the fleet is capped at
// 4 / 2 = 2 m7g.large: 1,460 h × $0.0816 = $119.136, plus the fee 1,460 ×
// $0.01224 = $17.8704, plus requests $2 → $139.0064 (the traffic the
// capped fleet cannot serve is throttled, listed). A max_vcpu_count of 5
// allows no third instance (floor(5 / 2) = 2 whole m7g.large, 4 vCPUs;
// a third would make 6 > 5): the same $139.0064.
func TestTerraformManagedInstancesScaling(t *testing.T) {
	e := priceFixture(t, "../testdata/iac/plan-lmi-scaling.json", "../testdata/iac/usage-lmi.yml")
	f := findFn(t, e, "aws_lambda_function.worker")
	if m := f.Head.ManagedInstances; m == nil || m.MinEnvironments != 8 || m.MaxVCPU != 64 {
		t.Fatalf("managed instances %+v", f.Head.ManagedInstances)
	}
	eq(t, "head", sideTotal(t, f.Head), d("276.0128"))

	data, err := os.ReadFile("../testdata/iac/plan-lmi-scaling.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, maxVCPU := range []int{4, 5} {
		var raw map[string]any
		if err := json.Unmarshal(data, &raw); err != nil {
			t.Fatal(err)
		}
		cp := raw["resource_changes"].([]any)[0].(map[string]any)["change"].(map[string]any)["after"].(map[string]any)
		cp["capacity_provider_scaling_config"].([]any)[0].(map[string]any)["max_vcpu_count"] = maxVCPU
		mod, _ := json.Marshal(raw)
		p, err := ParseTerraformPlan("plan-lmi-scaling.json", mod)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := ReadUsageFile("../testdata/iac/usage-lmi.yml")
		e, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		f = findFn(t, e, "aws_lambda_function.worker")
		eq(t, fmt.Sprintf("head capped at %d vCPUs", maxVCPU), sideTotal(t, f.Head), d("139.0064"))
		capped := false
		for _, a := range e.Assumptions {
			capped = capped || a.Field == "aws_lambda_function.worker.managed_instances.max_vcpu_count" && strings.HasPrefix(a.Value, "2 instances (4 vCPUs)")
		}
		if !capped {
			t.Errorf("max_vcpu_count %d: the cap is not stated: %+v", maxVCPU, e.Assumptions)
		}
	}
}

// TestTemplateManagedInstancesScaling: testdata/iac/template-lmi-scaling.yaml
// is template-lmi.yaml with the function's FunctionScalingConfig
// MinExecutionEnvironments 8 (its provider's MaxVCpuCount 64 is read, and
// does not bind): the head of TestTerraformManagedInstancesScaling,
// $276.0128.
func TestTemplateManagedInstancesScaling(t *testing.T) {
	e := priceTemplates(t, "../testdata/iac/template-lmi-scaling.yaml", "", "../testdata/iac/template-lmi-usage.yml", TemplateOptions{Region: "us-east-1"})
	f := findFn(t, e, "StreamWorker")
	if m := f.Head.ManagedInstances; m == nil || m.MinEnvironments != 8 || m.MaxVCPU != 64 {
		t.Fatalf("managed instances %+v", f.Head.ManagedInstances)
	}
	eq(t, "head", sideTotal(t, f.Head), d("276.0128"))
}

// TestWhyManagedInstancesScaling: a change of only the minimum
// environments or the provider's vCPU cap is a change, said as such.
func TestWhyManagedInstancesScaling(t *testing.T) {
	for _, c := range []struct {
		base, head ManagedInstances
		want       string
	}{
		{ManagedInstances{Provider: "p", InstanceType: "m7g.large"}, ManagedInstances{Provider: "p", InstanceType: "m7g.large", MinEnvironments: 8}, "min execution environments 3 (AWS's default) → 8"},
		{ManagedInstances{Provider: "p", InstanceType: "m7g.large", MaxVCPU: 64}, ManagedInstances{Provider: "p", InstanceType: "m7g.large", MaxVCPU: 4}, "capacity provider max vCPUs 64 → 4"},
	} {
		b, h := Function{LMI: &c.base}, Function{LMI: &c.head}
		if got := Why(&b, &h); len(got) != 1 || got[0] != c.want {
			t.Errorf("why = %v, want [%s]", got, c.want)
		}
	}
}

// TestTerraformManagedInstancesEnvironmentSettings: the function's own
// execution_environment_memory_gib_per_vcpu and
// per_execution_environment_max_concurrency are read from the plan (they
// are JSON numbers; the reader took them as absent, so AWS's default 2
// GiB per vCPU sized the environments). plan-lmi.json with the function at
// 8192 MB and 8 GiB per vCPU, max concurrency 4, on m7g.xlarge (4 vCPU, 16
// GiB, $0.1632/h; the provider's max_vcpu_count raised from 64 to 400 so
// that it does not bind), 1,000M requests of 100 ms:
//
//	environment: 8192 MB / 8 GiB per vCPU = 1 vCPU, 8 GiB
//	rate 1e9 / 2,628,000 s = 380.518 req/s; at the 50 % target a CPU-bound
//	100 ms request gives 1 × 0.5 / 0.1 = 5 req/s per environment (the
//	concurrency 4 allows 4 / 0.1 = 40) → ceil(76.10) = 77 environments;
//	per instance min(4 / 1, 16 / 8) = 2 → ceil(77 / 2) = 39 instances
//	39 × 730 h = 28,470 h × $0.1632 = $4,646.304, the fee 28,470 ×
//	$0.02448 = $696.9456, requests 1,000 × $0.20 = $200 → $5,543.2496.
//
// (At AWS's default 2 GiB per vCPU the environment would be 4 vCPU: 20
// of them, one per instance, $2,940.128 — the old, wrong figure.)
func TestTerraformManagedInstancesEnvironmentSettings(t *testing.T) {
	data, err := os.ReadFile("../testdata/iac/plan-lmi.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	for _, rc := range raw["resource_changes"].([]any) {
		c := rc.(map[string]any)
		after := c["change"].(map[string]any)["after"].(map[string]any)
		switch c["type"] {
		case "aws_lambda_capacity_provider":
			after["instance_requirements"].([]any)[0].(map[string]any)["allowed_instance_types"] = []any{"m7g.xlarge"}
			after["capacity_provider_scaling_config"].([]any)[0].(map[string]any)["max_vcpu_count"] = 400
		case "aws_lambda_function":
			after["memory_size"] = 8192
			lmi := after["capacity_provider_config"].([]any)[0].(map[string]any)["lambda_managed_instances_capacity_provider_config"].([]any)[0].(map[string]any)
			lmi["execution_environment_memory_gib_per_vcpu"] = 8
			lmi["per_execution_environment_max_concurrency"] = 4
		}
	}
	mod, _ := json.Marshal(raw)
	p, err := ParseTerraformPlan("plan-lmi.json", mod)
	if err != nil {
		t.Fatal(err)
	}
	usage := t.TempDir() + "/usage.yml"
	if err := os.WriteFile(usage, []byte("version: 0.1\nresource_usage:\n  aws_lambda_function.worker:\n    monthly_requests: 1000000000\n    request_duration_ms: 100\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	u, err := ReadUsageFile(usage)
	if err != nil {
		t.Fatal(err)
	}
	e, err := Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, e, "aws_lambda_function.worker")
	if m := f.Head.ManagedInstances; m == nil || m.MemoryGiBPerVCPU != 8 || m.MaxConcurrency != 4 {
		t.Fatalf("managed instances %+v", f.Head.ManagedInstances)
	}
	eq(t, "head", sideTotal(t, f.Head), d("5543.2496"))

	// A value that is not a number is refused at its JSON path.
	bad := strings.Replace(string(mod), `"per_execution_environment_max_concurrency":4`, `"per_execution_environment_max_concurrency":"many"`, 1)
	if _, err := ParseTerraformPlan("plan-lmi.json", []byte(bad)); err == nil || !strings.Contains(err.Error(), "lambda_managed_instances_capacity_provider_config[0].per_execution_environment_max_concurrency: want a whole number") {
		t.Errorf("err = %v", err)
	}
}

// TestManagedInstancesArchitectureMismatch: a capacity provider runs only
// instances of its instance requirements' one architecture (the API's
// InstanceRequirements.Architectures); plan-lmi.json's provider is arm64,
// and allowing only m7i.large (x86_64) there is a configuration AWS does
// not run, refused by name — it was priced as if the m7i.large ran
// ($255.86 a month).
func TestManagedInstancesArchitectureMismatch(t *testing.T) {
	data, err := os.ReadFile("../testdata/iac/plan-lmi.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	cp := raw["resource_changes"].([]any)[0].(map[string]any)["change"].(map[string]any)["after"].(map[string]any)
	ir := cp["instance_requirements"].([]any)[0].(map[string]any)
	if a := ir["architectures"].([]any); len(a) != 1 || a[0] != "arm64" {
		t.Fatalf("fixture architectures %v", a)
	}
	ir["allowed_instance_types"] = []any{"m7i.large"}
	mod, _ := json.Marshal(raw)
	p, err := ParseTerraformPlan("plan-lmi.json", mod)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ReadUsageFile("../testdata/iac/usage-lmi.yml")
	_, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err == nil || !pricing.IsInput(err) || !strings.Contains(err.Error(), "allows only m7i.large, a x86_64 type, but its instance requirements' architecture is arm64") {
		t.Errorf("err = %v", err)
	}
}

// TestManagedInstancesSmallMemory: a Managed Instances function of 1024
// MB at AWS's default 2 GiB per vCPU would have a 0.5-vCPU environment,
// below LMI's 1 vCPU and 2 GB: refused naming the function's memory_size
// (it named --lmi-env-vcpu, a flag of estimate --lmi the user never gave).
func TestManagedInstancesSmallMemory(t *testing.T) {
	data, err := os.ReadFile("../testdata/iac/plan-lmi.json")
	if err != nil {
		t.Fatal(err)
	}
	mod := strings.Replace(string(data), `"memory_size": 2048`, `"memory_size": 1024`, -1)
	p, err := ParseTerraformPlan("plan-lmi.json", []byte(mod))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ReadUsageFile("../testdata/iac/usage-lmi.yml")
	_, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err == nil || !strings.Contains(err.Error(), "aws_lambda_function.worker.memory_size: Lambda Managed Instances: 1024 MB at 2 GiB per vCPU is an execution environment of 0.5 vCPU") || strings.Contains(err.Error(), "--lmi-env-vcpu") {
		t.Errorf("err = %v", err)
	}
}

// TestManagedInstancesCPUTimeHint: the CPU-bound assumption of a Managed
// Instances function priced from code points at what the user can do
// (estimate --lmi --cpu-time), not at a cpu_time key the infracost usage
// file does not have.
func TestManagedInstancesCPUTimeHint(t *testing.T) {
	e := priceFixture(t, "../testdata/iac/plan-lmi.json", "../testdata/iac/usage-lmi.yml")
	for _, a := range e.Assumptions {
		if a.Field == "aws_lambda_function.worker.cpu_time" {
			if strings.Contains(a.Why, "give cpu_time") || !strings.Contains(a.Why, "estimate --lmi --cpu-time") {
				t.Errorf("cpu_time: %q", a.Why)
			}
			return
		}
	}
	t.Errorf("no cpu_time assumption in %+v", e.Assumptions)
}
