package infra

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// us-east-1 arm64 prices used below: duration $0.0000133334/GB-s, PC
// $0.0000033334/GB-s, PC duration $0.0000077778/GB-s; requests $0.20/M;
// ephemeral storage $0.0000000309/GB-s above 512 MB.
func priceTemplates(t *testing.T, head, base, usage string, opt TemplateOptions) *Estimate {
	t.Helper()
	p, err := ReadTemplatePlan(head, base, opt)
	if err != nil {
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
	return e
}

// TestSAMTemplatePriced prices testdata/iac/template.yaml (SAM: Globals,
// !FindInMap, !If on a condition, !Ref parameters with defaults,
// AutoPublishAlias with provisioned concurrency, an !ImportValue memory)
// against template-base.yaml.
func TestSAMTemplatePriced(t *testing.T) {
	e := priceTemplates(t, "../testdata/iac/template.yaml", "../testdata/iac/template-base.yaml", "../testdata/iac/template-usage.yml", TemplateOptions{Region: "us-east-1"})

	// CheckoutFunction: arm64 from Globals; memory from StageConfig.prod.
	// base 1024 MB: 20M × 0.15 s × 1 GB = 3,000,000 GB-s × 0.0000133334 = 40.0002 + 4 = 44.0002
	// head 1536 MB: 20M × 0.15 × 1.5 = 4,500,000 GB-s → 60.0003 + 4 = 64.0003
	//   + PC 10 (IsProd) on alias live: 10 × 1.5 GB × 2,628,000 s = 39,420,000 GB-s × 0.0000033334 = 131.402628
	//   + 5M × 0.15 × 1.5 = 1,125,000 GB-s × 0.0000077778 = 8.750025; + 5M requests = 1
	//   = 205.152953
	c := findFn(t, e, "CheckoutFunction")
	eq(t, "checkout base", sideTotal(t, c.Base), d("44.0002"))
	eq(t, "checkout head", sideTotal(t, c.Head), d("205.152953"))
	if c.Name != "checkout-prod" || c.Head.Config.Architecture != pricing.ARM64 || c.Head.Provisioned[0].Address != "CheckoutFunctionAliaslive" {
		t.Errorf("checkout: %+v", c)
	}
	if strings.Join(c.Why, "; ") != "memory 1024 MB → 1536 MB; provisioned concurrency none → 10 on live" {
		t.Errorf("why %q", c.Why)
	}
	// WorkerFunction: !Ref WorkerMemory (Default 1024), arm64, 2048 MB storage:
	// 1M × 2 s × 1 GB = 2,000,000 GB-s × 0.0000133334 = 26.6668 + 0.2
	// + 1.5 GB × 1M × 2 s = 3,000,000 GB-s × 0.0000000309 = 0.0927 → 26.9595
	w := findFn(t, e, "WorkerFunction")
	eq(t, "worker", sideTotal(t, w.Head), d("26.9595"))
	if w.Head.Config.Timeout.D().Seconds() != 120 {
		t.Errorf("worker timeout %s (its own wins over Globals)", w.Head.Config.Timeout)
	}
	// NotifierFunction inherits Globals: 512 MB arm64, 10 s.
	// 3M × 0.05 s × 0.5 GB = 75,000 GB-s × 0.0000133334 = 1.000005 + 0.6 = 1.600005
	n := findFn(t, e, "NotifierFunction")
	eq(t, "notifier", sideTotal(t, n.Head), d("1.600005"))
	// ReportFunction: MemorySize !ImportValue → unknown, named.
	r := findFn(t, e, "ReportFunction")
	if r.Head.Cost != nil || !strings.Contains(strings.Join(e.Totals.Unknown, " "), "ReportFunction") {
		t.Errorf("report must be unknown: %+v / %v", r.Head, e.Totals.Unknown)
	}
	// Totals: base 44.0002 + 26.9595 + 1.600005 = 72.559705;
	// head 205.152953 + 26.9595 + 1.600005 = 233.712458; diff 161.152753.
	eq(t, "base", e.Totals.Base, d("72.559705"))
	eq(t, "head", e.Totals.Head, d("233.712458"))
	eq(t, "diff", e.Totals.Diff, d("161.152753"))
}

// Parameter values override Defaults: Stage=dev → ApiMemory 256, PC 1.
func TestTemplateParameters(t *testing.T) {
	fns, _, err := ReadTemplate("../testdata/iac/template.yaml", TemplateOptions{Parameters: map[string]string{"Stage": "dev", "WorkerMemory": "3008"}})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Function{}
	for _, f := range fns {
		got[f.Address] = f
	}
	c := got["CheckoutFunction"]
	if c.Config.MemoryMB != 256 || c.Config.Name != "checkout-dev" || len(c.Provisioned) != 1 || c.Provisioned[0].Concurrency != 1 {
		t.Errorf("checkout with Stage=dev: %+v", c)
	}
	if got["WorkerFunction"].Config.MemoryMB != 3008 {
		t.Errorf("worker memory %d", got["WorkerFunction"].Config.MemoryMB)
	}
	_, _, err = ReadTemplate("../testdata/iac/template.yaml", TemplateOptions{Parameters: map[string]string{"Stage": "qa"}})
	if err == nil || !strings.Contains(err.Error(), "AllowedValues") {
		t.Errorf("a value outside AllowedValues: %v", err)
	}
	_, _, err = ReadTemplate("../testdata/iac/template.yaml", TemplateOptions{Parameters: map[string]string{"Stag": "dev"}})
	if err == nil || !strings.Contains(err.Error(), `no parameter "Stag"`) {
		t.Errorf("an unknown parameter: %v", err)
	}
}

// TestCDKTemplatePriced prices a CDK-synthesised template (JSON, Fn::
// long forms, an alias with provisioned concurrency, a function without
// MemorySize) alone: every function is new.
func TestCDKTemplatePriced(t *testing.T) {
	e := priceTemplates(t, "../testdata/iac/cdk.out/CheckoutStack.template.json", "", "../testdata/iac/cdk-usage.yml", TemplateOptions{Region: "us-east-1"})
	// Handler886CB40B: 2048 MB arm64.
	// 5M × 0.04 s × 2 GB = 400,000 GB-s × 0.0000133334 = 5.33336; 5M requests = 1
	// PC 4 (alias live): 4 × 2 GB × 2,628,000 s = 21,024,000 GB-s × 0.0000033334 = 70.0814016
	// 1M × 0.04 × 2 = 80,000 GB-s × 0.0000077778 = 0.622224; 1M requests = 0.2
	// = 77.2369856
	h := findFn(t, e, "Handler886CB40B")
	eq(t, "handler", sideTotal(t, h.Head), d("77.2369856"))
	if h.Change != Added || h.Base != nil {
		t.Errorf("without a base every function is new: %+v", h)
	}
	// Worker6C9A4F5E: no MemorySize → 128 MB (listed), x86_64 (listed), 10240 MB storage.
	// 1M × 0.1 s × 0.125 GB = 12,500 GB-s × 0.0000166667 = 0.20833375; requests 0.2
	// storage 9.5 GB × 1M × 0.1 s = 950,000 GB-s × 0.0000000309 = 0.029355 → 0.43768875
	eq(t, "worker", sideTotal(t, findFn(t, e, "Worker6C9A4F5E").Head), d("0.43768875"))
	eq(t, "head", e.Totals.Head, d("77.67467435"))
	var fields []string
	for _, a := range e.Assumptions {
		fields = append(fields, a.Field)
	}
	for _, want := range []string{"Worker6C9A4F5E.MemorySize", "Worker6C9A4F5E.Architectures"} {
		if !strings.Contains(strings.Join(fields, " "), want) {
			t.Errorf("default %s not listed: %v", want, fields)
		}
	}
}

func TestTemplateBadInput(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"no resources", "AWSTemplateFormatVersion: '2010-09-09'\n", "no Resources"},
		{"yaml", "Resources:\n  A: [\n", "t.yaml:2: not a valid YAML or JSON template"}, // the line the unclosed list opens
		{"globals list", "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    Architectures: [arm64]\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Architectures: [x86_64]\n",
			"t.yaml:9: F: Architectures (Globals' list followed by the function's, as SAM merges lists) has 2 entries"},
		{"memory", "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: lots\n", `t.yaml:5: F.MemorySize: want a whole number, got "lots"`},
		{"memory range", "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: 64\n", "F: memory 64 MB is outside"},
		{"arch", "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Architectures: [sparc]\n", `t.yaml:5: F: unknown architecture "sparc"`},
		{"mapping", "Mappings:\n  M:\n    a:\n      b: 1\nResources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: !FindInMap [M, a, c]\n", "t.yaml:9: Fn::FindInMap: Mappings has no M.a.c"},
		{"pc without alias", "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      ProvisionedConcurrencyConfig:\n        ProvisionedConcurrentExecutions: 2\n", "needs AutoPublishAlias"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := ParseTemplate("t.yaml", []byte(tc.data), TemplateOptions{})
			if err == nil || !pricing.IsInput(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// An unknown architecture in a template (a parameter without a value) is a
// range, as in a plan.
func TestTemplateUnknownArchitecture(t *testing.T) {
	tpl := "Parameters:\n  Arch:\n    Type: String\nResources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: 1024\n      Architectures: [!Ref Arch]\n"
	fns, _, err := ParseTemplate("t.yaml", []byte(tpl), TemplateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fns) != 1 || !fns[0].IsUnknown(AttrArchitecture) {
		t.Fatalf("want an unknown architecture: %+v", fns)
	}
	fns, _, err = ParseTemplate("t.yaml", []byte(tpl), TemplateOptions{Parameters: map[string]string{"Arch": "arm64"}})
	if err != nil || fns[0].IsUnknown(AttrArchitecture) || fns[0].Config.Architecture != pricing.ARM64 {
		t.Fatalf("with Arch=arm64: %+v %v", fns, err)
	}
}

// SAM Globals may carry AutoPublishAlias and ProvisionedConcurrencyConfig;
// a function's own mapping is merged over the global one.
func TestSAMGlobalsProvisioned(t *testing.T) {
	tpl := `Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
    ProvisionedConcurrencyConfig:
      ProvisionedConcurrentExecutions: 2
    EphemeralStorage:
      Size: 1024
Resources:
  A:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.handler
  B:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: prod
      ProvisionedConcurrencyConfig:
        ProvisionedConcurrentExecutions: 7
      EphemeralStorage: !Ref AWS::NoValue
`
	fns, _, err := ParseTemplate("t.yaml", []byte(tpl), TemplateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(fns) != 2 {
		t.Fatalf("%d functions", len(fns))
	}
	a, b := fns[0], fns[1]
	if len(a.Provisioned) != 1 || a.Provisioned[0].Address != "AAliaslive" || a.Provisioned[0].Concurrency != 2 || a.Config.EphemeralStorageMB != 1024 {
		t.Errorf("A: %+v", a)
	}
	if len(b.Provisioned) != 1 || b.Provisioned[0].Address != "BAliasprod" || b.Provisioned[0].Concurrency != 7 {
		t.Errorf("B: %+v", b)
	}
}

// TestTemplateProvisionedAutoScaling: AWS's SAM pattern for scaling
// provisioned concurrency, an AWS::ApplicationAutoScaling::ScalableTarget
// with ResourceId !Sub function:${Fn}:live (the function has no
// FunctionName, so only the reference names it) and the JSON form with
// Fn::Join and Ref. The bill takes the configured 10 on live all month,
// and says that a scaling target moves it between 10 and 100 (it was
// silent).
func TestTemplateProvisionedAutoScaling(t *testing.T) {
	for name, rid := range map[string]string{
		"sub":  `!Sub function:${Checkout}:live`,
		"join": `{"Fn::Join": [":", ["function", {"Ref": "Checkout"}, "live"]]}`,
		// CDK's alias.addAutoScaling: the function's name split out of
		// the alias's ARN (SAM's alias is CheckoutAliaslive).
		"alias": `{"Fn::Join": ["", ["function:", {"Fn::Select": [6, {"Fn::Split": [":", {"Ref": "CheckoutAliaslive"}]}]}, ":live"]]}`,
	} {
		t.Run(name, func(t *testing.T) {
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
  CheckoutScaling:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    DependsOn: CheckoutAliaslive
    Properties:
      MinCapacity: 10
      MaxCapacity: 100
      ResourceId: ` + rid + `
      ScalableDimension: lambda:function:ProvisionedConcurrency
      ServiceNamespace: lambda
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
			var got pricing.Assumption
			for _, a := range e.Assumptions {
				if a.Field == "Checkout.provisioned_concurrency" {
					got = a
				}
			}
			if got.Value != "10 on live all month" || !strings.Contains(got.Why, "CheckoutScaling scales it between 10 and 100 environments") {
				t.Errorf("assumption %+v", got)
			}
		})
	}
}

// A function URL that streams (InvokeMode RESPONSE_STREAM) can add the
// response-streaming charge, which no usage key of the code gives: it is
// named in the notes, for templates (AWS::Lambda::Url, SAM's
// FunctionUrlConfig) and plans (aws_lambda_function_url), never left out
// silently.
func TestFunctionURLStreamingNoted(t *testing.T) {
	tpl := "Resources:\n  D:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: 1024\n  DUrl:\n    Type: AWS::Lambda::Url\n    Properties:\n      AuthType: NONE\n      InvokeMode: RESPONSE_STREAM\n      TargetFunctionArn: !GetAtt D.Arn\n"
	path := filepath.Join(t.TempDir(), "t.yaml")
	if err := os.WriteFile(path, []byte(tpl), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := ReadTemplatePlan(path, "", TemplateOptions{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	plan := `{"format_version":"1.2","resource_changes":[
	 {"address":"aws_lambda_function_url.d","mode":"managed","type":"aws_lambda_function_url","name":"d","change":{"actions":["create"],"before":null,"after":{"function_name":"d","invoke_mode":"RESPONSE_STREAM","authorization_type":"NONE"},"after_unknown":{}}}]}`
	tp, err := ParseTerraformPlan("plan.json", []byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	sam := "Transform: AWS::Serverless-2016-10-31\nResources:\n  D:\n    Type: AWS::Serverless::Function\n    Properties:\n      MemorySize: 1024\n      FunctionUrlConfig:\n        AuthType: NONE\n        InvokeMode: RESPONSE_STREAM\n"
	fns, _, err := ParseTemplate("sam.yaml", []byte(sam), TemplateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for what, notes := range map[string][]string{"template": p.Notes, "plan": tp.Notes, "SAM FunctionUrlConfig": fns[0].Notes} {
		if len(notes) != 1 || !strings.Contains(notes[0], "streams the responses of") || !strings.Contains(notes[0], "beyond its first 6 MB") {
			t.Errorf("%s notes %q", what, notes)
		}
	}
}

// TestTemplateMacroNoted: a macro in Transform (besides SAM's and
// AWS::LanguageExtensions) rewrites the template before deployment, so
// what is priced may not be what is deployed: said in the notes (it was
// ignored silently).
func TestTemplateMacroNoted(t *testing.T) {
	for _, tr := range []string{"[AWS::Serverless-2016-10-31, CompanyMacro]", "CompanyMacro"} {
		tpl := "Transform: " + tr + "\nResources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      MemorySize: 1024\n"
		_, notes, err := ParseTemplate("t.yaml", []byte(tpl), TemplateOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 1 || !strings.HasPrefix(notes[0], "Transform CompanyMacro (line 1) is not run") {
			t.Errorf("Transform: %s: notes %q", tr, notes)
		}
	}
}

// TestTemplateNestedStackNoted: a nested stack's functions are in another
// template (CDK writes a NestedStack to cdk.out/*.nested.template.json):
// named in the notes, not left out silently.
func TestTemplateNestedStackNoted(t *testing.T) {
	tpl := "Resources:\n  Workers:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: https://example.com/workers.json\n  Sar:\n    Type: AWS::Serverless::Application\n    Properties:\n      Location: {ApplicationId: arn:aws:serverlessrepo:us-east-1:1:applications/x, SemanticVersion: 1.0.0}\n"
	_, notes, err := ParseTemplate("t.yaml", []byte(tpl), TemplateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || !strings.HasPrefix(notes[0], "Workers (AWS::CloudFormation::Stack) is a nested stack") || !strings.HasPrefix(notes[1], "Sar (AWS::Serverless::Application) is a nested stack") {
		t.Errorf("notes %q", notes)
	}
}
