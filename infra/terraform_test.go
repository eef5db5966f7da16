package infra

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// us-east-1 list prices the hand computations below use (pricing/prices.json):
//
//	requests                 $0.20 per million
//	x86_64 duration          $0.0000166667 per GB-s (first 6B GB-s)
//	arm64 duration           $0.0000133334 per GB-s (first 7.5B GB-s)
//	ephemeral storage        $0.0000000309 per GB-s above 512 MB
//	x86_64 PC                $0.0000041667 per GB-s
//	x86_64 PC duration       $0.0000097222 per GB-s
func priceFixture(t *testing.T, plan, usage string) *Estimate {
	t.Helper()
	p, err := ReadTerraformPlan(plan)
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

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func findFn(t *testing.T, e *Estimate, addr string) FunctionDiff {
	t.Helper()
	for _, f := range e.Functions {
		if f.Address == addr {
			return f
		}
	}
	t.Fatalf("no function %s in %v", addr, e.Functions)
	return FunctionDiff{}
}

func sideTotal(t *testing.T, s *Side) decimal.Decimal {
	t.Helper()
	if s == nil || s.Cost == nil {
		t.Fatalf("side has no known cost: %+v", s)
	}
	return s.Cost.Total
}

func eq(t *testing.T, what string, got, want decimal.Decimal) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

// TestTerraformPlanPriced prices testdata/iac/plan.json (a root module, a
// module with count, for_each instances, an unknown memory size, an
// unknown architecture, a deleted function and a new provisioned
// concurrency config) with testdata/iac/usage.yml, every number by hand.
func TestTerraformPlanPriced(t *testing.T) {
	e := priceFixture(t, "../testdata/iac/plan.json", "../testdata/iac/usage.yml")

	// aws_lambda_function.api (checkout-api), 10M requests × 120 ms, x86_64.
	// base 512 MB:  10e6 × 0.120 s × 0.5 GB = 600,000 GB-s × 0.0000166667 = 10.00002
	//               + 10M × $0.20/M = 2                                    = 12.00002
	// head 1024 MB: 1,200,000 GB-s × 0.0000166667 = 20.00004; requests 2  = 22.00004
	//   + PC api_live: 5 × 1 GB × 730 h × 3600 s = 13,140,000 GB-s × 0.0000041667 = 54.750438
	//     its 4M requests × 100 ms × 1 GB = 400,000 GB-s × 0.0000097222           =  3.88888
	//     4M requests × $0.20/M                                                    =  0.8
	//   head = 22.00004 + 54.750438 + 3.88888 + 0.8                               = 81.439358
	api := findFn(t, e, "aws_lambda_function.api")
	eq(t, "api base", sideTotal(t, api.Base), d("12.00002"))
	eq(t, "api head", sideTotal(t, api.Head), d("81.439358"))
	eq(t, "api diff", api.Diff, d("69.439338"))
	if api.Change != Changed || strings.Join(api.Why, "; ") != "memory 512 MB → 1024 MB; provisioned concurrency none → 5 on live" {
		t.Errorf("api change %s why %q", api.Change, api.Why)
	}

	// module.workers...worker[0] and [1] (count), unchanged, matched by the
	// wildcard worker[*]: 2M × 800 ms × 0.25 GB = 400,000 GB-s arm64
	//   × 0.0000133334 = 5.33336 + 2M × $0.20/M = 0.4 → 5.73336 each side.
	for _, a := range []string{"module.workers.aws_lambda_function.worker[0]", "module.workers.aws_lambda_function.worker[1]"} {
		w := findFn(t, e, a)
		eq(t, a+" base", sideTotal(t, w.Base), d("5.73336"))
		eq(t, a+" head", sideTotal(t, w.Head), d("5.73336"))
		if w.Change != Unchanged {
			t.Errorf("%s: change %s", a, w.Change)
		}
	}

	// for_each, new, 2048 MB, architecture not configured (Lambda's
	// x86_64), 1024 MB ephemeral storage (0.5 GB billed):
	// ["eu"] exact key: 1M × 0.3 s × 2 GB = 600,000 GB-s × 0.0000166667 = 10.00002
	//        + 0.2 requests + 1M × 0.3 s × 0.5 GB = 150,000 × 0.0000000309 = 0.004635 → 10.204655
	// ["us"] via fanout[*]: 3M × 0.3 × 2 = 1,800,000 GB-s → 30.00006 + 0.6
	//        + 450,000 × 0.0000000309 = 0.013905                              → 30.613965
	eq(t, "fanout eu", sideTotal(t, findFn(t, e, `aws_lambda_function.fanout["eu"]`).Head), d("10.204655"))
	eq(t, "fanout us", sideTotal(t, findFn(t, e, `aws_lambda_function.fanout["us"]`).Head), d("30.613965"))

	// legacy (deleted), 128 MB: 500,000 × 0.1 s × 0.125 GB = 6,250 GB-s
	//   × 0.0000166667 = 0.104166875 + 0.1 = 0.204166875.
	legacy := findFn(t, e, "aws_lambda_function.legacy")
	eq(t, "legacy diff", legacy.Diff, d("-0.204166875"))
	if legacy.Head != nil || legacy.Change != Removed {
		t.Errorf("legacy: %+v", legacy)
	}

	// thumbnail: architecture known after apply → a range, never a guess:
	// 2M × 0.5 s × 1 GB = 1,000,000 GB-s: x86 16.6667 + 0.4 = 17.0667;
	// arm64 13.3334 + 0.4 = 13.7334.
	th := findFn(t, e, "aws_lambda_function.thumbnail")
	if th.Head.Cost != nil || th.Head.Range == nil || th.DiffUSD != nil {
		t.Fatalf("thumbnail must have a range and no cost: %+v", th.Head)
	}
	eq(t, "thumbnail min", th.Head.Range.Min, d("13.7334"))
	eq(t, "thumbnail max", th.Head.Range.Max, d("17.0667"))
	if th.Head.Config.Architecture != "" {
		t.Errorf("an unknown architecture is shown as %q", th.Head.Config.Architecture)
	}

	// report: memory known after apply → unknown, in no total.
	rep := findFn(t, e, "aws_lambda_function.report")
	if rep.Head.Cost != nil || rep.Head.Range != nil || rep.Head.Config.MemoryMB != 0 {
		t.Errorf("report must be unknown: %+v", rep.Head)
	}

	// Totals: base = 12.00002 + 2 × 5.73336 + 0.204166875 = 23.670906875
	// head (known) = 81.439358 + 11.46672 + 10.204655 + 30.613965 = 133.724698
	// range = 133.724698 + [13.7334, 17.0667] = [147.458098, 150.791398]
	eq(t, "base total", e.Totals.Base, d("23.670906875"))
	eq(t, "head total", e.Totals.Head, d("133.724698"))
	eq(t, "diff total", e.Totals.Diff, d("110.053791125"))
	if e.Totals.HeadRange == nil {
		t.Fatal("no head range")
	}
	eq(t, "range min", e.Totals.HeadRange.Min, d("147.458098"))
	eq(t, "range max", e.Totals.HeadRange.Max, d("150.791398"))
	if e.Totals.Complete || len(e.Totals.Unknown) != 1 || !strings.Contains(e.Totals.Unknown[0], "report") || len(e.Totals.Ranged) != 1 {
		t.Errorf("totals must name the unknown and ranged functions: %+v", e.Totals)
	}

	// Changed functions first, largest change first; unchanged last.
	if e.Functions[0].Address != "aws_lambda_function.api" || e.Functions[len(e.Functions)-1].Change != Unchanged {
		t.Errorf("order: %s first, %s last", e.Functions[0].Address, e.Functions[len(e.Functions)-1].Change)
	}
	// Defaults are listed, never silent.
	found := false
	for _, a := range e.Assumptions {
		if a.Field == `aws_lambda_function.fanout["us"].architectures` && a.Value == "x86_64" {
			found = true
		}
	}
	if !found {
		t.Errorf("the default architecture of fanout is not listed: %v", e.Assumptions)
	}
	if e.Region != "us-east-1" {
		t.Errorf("region %q", e.Region)
	}
}

// TestMemoryOnlyPlan: 512 → 2048 MB, 10M × 120 ms.
// base 12.00002 (above); head 10e6 × 0.12 × 2 = 2,400,000 GB-s × 0.0000166667
// = 40.00008 + 2 = 42.00008; +30.00006, i.e. 30.00006 ÷ 12.00002 = +250.0000833 %.
func TestMemoryOnlyPlan(t *testing.T) {
	e := priceFixture(t, "../testdata/iac/plan-memory.json", "../testdata/iac/usage-memory.yml")
	eq(t, "base", e.Totals.Base, d("12.00002"))
	eq(t, "head", e.Totals.Head, d("42.00008"))
	if e.Totals.IncreasePct == nil || math.Abs(*e.Totals.IncreasePct-250.0000833) > 1e-6 {
		t.Errorf("increase %v, want 250.0000833", e.Totals.IncreasePct)
	}
	if !e.Totals.Complete {
		t.Errorf("complete plan reported incomplete: %+v", e.Totals)
	}
}

func TestTerraformPlanBadInput(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
	}{
		{"syntax", "{\n \"format_version\": \"1.2\",\n \"resource_changes\": [\n}", "plan.json:4:1: not valid JSON"},
		// A file cut short (a download interrupted): where it ends, not a bare "unexpected EOF".
		{"truncated", "{\n \"format_version\": \"1.2\",\n \"resource_changes\": [", "plan.json:3:23: not valid JSON: the file ends inside its JSON value"},
		{"state", `{"format_version":"1.0","values":{"root_module":{}}}`, "a Terraform state, not a plan"},
		{"not a plan", `{"foo":1}`, "no format_version"},
		{"major", `{"format_version":"2.0","resource_changes":[]}`, "format 2.0 is not supported"},
		{"memory type", `{"format_version":"1.2","resource_changes":[{"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":"big"},"after_unknown":{}}}]}`,
			`plan.json: resource_changes[0].change.after.memory_size: want a whole number, got "big"`},
		{"memory range", `{"format_version":"1.2","resource_changes":[{"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":20000},"after_unknown":{}}}]}`,
			"resource_changes[0].change.after: aws_lambda_function.a: memory 20000 MB is outside"},
		{"two archs", `{"format_version":"1.2","resource_changes":[{"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":128,"architectures":["x86_64","arm64"]},"after_unknown":{}}}]}`,
			"change.after.architectures: Lambda takes one architecture"},
		{"action", `{"format_version":"1.2","resource_changes":[{"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["explode"],"before":null,"after":{}}}]}`,
			`unknown action "explode"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTerraformPlan("plan.json", []byte(tc.data))
			if err == nil || !pricing.IsInput(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want an input error with %q", err, tc.want)
			}
		})
	}
}

func TestUsageFileBadInput(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"unknown key", "version: 0.1\nresource_usage:\n  aws_lambda_function.a:\n    monthly_request: 5\n", `usage.yml:4: aws_lambda_function.a: unknown usage key "monthly_request"`},
		{"fraction", "version: 0.1\nresource_usage:\n  aws_lambda_function.a:\n    monthly_requests: 1.5\n", "usage.yml:4: aws_lambda_function.a: monthly_requests: want a whole number"},
		{"negative", "version: 0.1\nresource_usage:\n  aws_lambda_function.a:\n    request_duration_ms: -3\n", "usage.yml:4:"},
		{"version", "version: 0.2\nresource_usage: {}\n", `usage.yml:1: usage file version "0.2"`},
		{"no version", "resource_usage: {}\n", "no version"},
		{"top key", "version: 0.1\nresources: {}\n", `usage.yml:2: unknown key "resources"`},
		{"lambdacost's format", "functions:\n  - name: a\n", `usage.yml:1: "functions" is a key of lambdacost's own usage file`},
		{"hours", "version: 0.1\nresource_usage:\n  aws_lambda_provisioned_concurrency_config.p:\n    monthly_duration_hrs: 800\n", "more than a month"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseUsageFile("usage.yml", []byte(tc.data))
			if err == nil || !pricing.IsInput(err) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
	// Other resource types' usage is allowed and left out.
	u, err := ParseUsageFile("usage.yml", []byte("version: 0.1\nresource_usage:\n  aws_s3_bucket.b:\n    storage_gb: 5\n  module.m[\"x\"].aws_dynamodb_table.t:\n    monthly_write_request_units: 3\n"))
	if err != nil || u.Ignored != 2 {
		t.Errorf("other types: %v, ignored %d", err, u.Ignored)
	}
}

// A function without usage is priced without it and named, never defaulted.
func TestMissingUsageReported(t *testing.T) {
	data, err := os.ReadFile("../testdata/iac/plan-memory.json")
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParseTerraformPlan("plan-memory.json", data)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseUsageFile("u.yml", []byte("version: 0.1\nresource_usage:\n  aws_lambda_function.other:\n    monthly_requests: 1\n    request_duration_ms: 1\n"))
	e, err := Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Totals.Complete || len(e.Totals.MissingUsage) != 1 || !strings.Contains(e.Totals.MissingUsage[0], "monthly_requests") {
		t.Errorf("missing usage not reported: %+v", e.Totals)
	}
	if !e.Totals.Head.IsZero() {
		t.Errorf("a function without usage was priced at %s", e.Totals.Head)
	}
}

// TestDatasetUsage takes the usage from a dataset, matched by function
// name, cold starts included. testdata/iac/dataset-730h.json spans exactly
// 730 hours (no projection): checkout-api made 10M invocations of 120 ms on
// average, 10,000 of them cold with 500 ms of INIT (billed since
// 2025-08-01), so both sides bill
//
//	9,990,000 × 120 ms + 10,000 × (120 + 500) ms = 1,205,000,000 ms
//	base 512 MB:  602,500 GB-s × 0.0000166667 = 10.04168675 + 2 = 12.04168675
//	head 2048 MB: 2,410,000 GB-s × 0.0000166667 = 40.166747 + 2 = 42.166747
//
// (the INIT time itself is the dataset's at both sizes: listed). A
// function the dataset does not have is named, not priced.
func TestDatasetUsage(t *testing.T) {
	d, err := pricing.ReadDataset("../testdata/iac/dataset-730h.json")
	if err != nil {
		t.Fatal(err)
	}
	du, err := NewDatasetUsage("dataset-730h.json", d)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadTerraformPlan("../testdata/iac/plan-memory.json")
	if err != nil {
		t.Fatal(err)
	}
	e, err := Price(p, du, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "base", e.Totals.Base, d2("12.04168675"))
	eq(t, "head", e.Totals.Head, d2("42.166747"))
	p.Head[0].Config.Name, p.Base[0].Config.Name = "renamed", "renamed"
	e, err = Price(p, du, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if e.Totals.Complete || !strings.Contains(strings.Join(e.Functions[0].MissingUsage, " "), `no function named "renamed"`) {
		t.Errorf("unmatched function: %+v", e.Functions[0])
	}
}

func d2(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// A timeout known only after apply does not make the cost unknown.
func TestUnknownTimeoutStillPriced(t *testing.T) {
	plan := `{"format_version":"1.2","resource_changes":[{"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a",
	 "change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":1024,"architectures":["arm64"]},"after_unknown":{"timeout":true}}}]}`
	p, err := ParseTerraformPlan("plan.json", []byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseUsageFile("u.yml", []byte("version: 0.1\nresource_usage:\n  aws_lambda_function.a:\n    monthly_requests: 1000000\n    request_duration_ms: 1000\n"))
	e, err := Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	// 1M × 1 s × 1 GB = 1,000,000 GB-s × 0.0000133334 = 13.3334 + 0.2 = 13.5334
	eq(t, "head", e.Totals.Head, d2("13.5334"))
}

// A function's region comes from its own region argument (AWS provider
// v6) or its provider configuration (an alias), else the estimate's; each
// region is billed at its prices. af-south-1: requests $0.27/M, x86_64
// duration $0.0000221/GB-s; us-east-1: $0.20/M, $0.0000166667/GB-s.
func TestTerraformRegions(t *testing.T) {
	plan := `{"format_version":"1.2","resource_changes":[
	 {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":1024},"after_unknown":{}}},
	 {"address":"aws_lambda_function.b","mode":"managed","type":"aws_lambda_function","name":"b","change":{"actions":["create"],"before":null,"after":{"function_name":"b","memory_size":1024,"region":"af-south-1"},"after_unknown":{}}},
	 {"address":"aws_lambda_function.c","mode":"managed","type":"aws_lambda_function","name":"c","change":{"actions":["create"],"before":null,"after":{"function_name":"c","memory_size":1024},"after_unknown":{}}}],
	 "configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"us-east-1"}}},"aws.cpt":{"name":"aws","alias":"cpt","expressions":{"region":{"constant_value":"af-south-1"}}}},
	  "root_module":{"resources":[
	   {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","provider_config_key":"aws.cpt","expressions":{"memory_size":{"constant_value":1024}}},
	   {"address":"aws_lambda_function.b","mode":"managed","type":"aws_lambda_function","name":"b","provider_config_key":"aws","expressions":{"region":{"constant_value":"af-south-1"}}},
	   {"address":"aws_lambda_function.c","mode":"managed","type":"aws_lambda_function","name":"c","provider_config_key":"aws","expressions":{}}]}}}`
	p, err := ParseTerraformPlan("plan.json", []byte(plan))
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseUsageFile("u.yml", []byte("version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000000\n    request_duration_ms: 1000\n"))
	e, err := Price(p, u, Options{Prices: pricing.Embedded(), Region: p.Region})
	if err != nil {
		t.Fatal(err)
	}
	// a, b: 1M × 1 s × 1 GB = 1,000,000 GB-s × 0.0000221 = 22.1 + 0.27 = 22.37
	// c:    1,000,000 GB-s × 0.0000166667 = 16.6667 + 0.2 = 16.8667
	eq(t, "a (provider alias)", sideTotal(t, findFn(t, e, "aws_lambda_function.a").Head), d2("22.37"))
	eq(t, "b (region argument)", sideTotal(t, findFn(t, e, "aws_lambda_function.b").Head), d2("22.37"))
	eq(t, "c (default provider)", sideTotal(t, findFn(t, e, "aws_lambda_function.c").Head), d2("16.8667"))
	eq(t, "total", e.Totals.Head, d2("61.6067"))
}

// Provisioned concurrency with a dataset's usage: 20 environments cover the
// dataset's peak concurrency of 12, so every invocation runs provisioned
// and none starts cold; 5 do not, so the invocations stay on demand (with
// their cold starts) and only the environments are added.
//
//	base (no PC): 12.04168675 (TestDatasetUsage)
//	PC 20 at 512 MB: 20 × 0.5 GB × 2,628,000 s = 26,280,000 GB-s × 0.0000041667 = 109.500876
//	  10M × 120 ms × 0.5 GB = 600,000 GB-s × 0.0000097222 = 5.83332; requests 2 → 117.334196
//	PC 5: 5 × 0.5 × 2,628,000 = 6,570,000 GB-s × 0.0000041667 = 27.375219
//	  + the on-demand 12.04168675 → 39.41690575
func TestDatasetUsageProvisioned(t *testing.T) {
	d, err := pricing.ReadDataset("../testdata/iac/dataset-730h.json")
	if err != nil {
		t.Fatal(err)
	}
	du, err := NewDatasetUsage("dataset-730h.json", d)
	if err != nil {
		t.Fatal(err)
	}
	fn := Function{Address: "aws_lambda_function.api", Type: tfFunction, Config: pricing.FunctionConfig{Name: "checkout-api", MemoryMB: 512, Architecture: pricing.X86_64}}
	for _, tc := range []struct {
		pc   int
		want string
	}{{20, "117.334196"}, {5, "39.41690575"}} {
		head := fn
		head.Provisioned = []Provisioned{{Address: "aws_lambda_provisioned_concurrency_config.live", Qualifier: "live", Concurrency: tc.pc}}
		e, err := Price(&Plan{Kind: Terraform, HasBase: true, Base: []Function{fn}, Head: []Function{head}}, du, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		eq(t, fmt.Sprintf("base (pc %d)", tc.pc), e.Totals.Base, d2("12.04168675"))
		eq(t, fmt.Sprintf("head (pc %d)", tc.pc), e.Totals.Head, d2(tc.want))
	}
}

// Each side gets its own usage: PC 5 → 20 on a function with a dataset
// peak of 12 prices base with on-demand invocations and head with all of
// them provisioned (TestDatasetUsageProvisioned's numbers).
func TestDatasetUsagePerSide(t *testing.T) {
	d, err := pricing.ReadDataset("../testdata/iac/dataset-730h.json")
	if err != nil {
		t.Fatal(err)
	}
	du, _ := NewDatasetUsage("dataset-730h.json", d)
	fn := Function{Address: "aws_lambda_function.api", Type: tfFunction, Config: pricing.FunctionConfig{Name: "checkout-api", MemoryMB: 512, Architecture: pricing.X86_64}}
	base, head := fn, fn
	base.Provisioned = []Provisioned{{Address: "aws_lambda_provisioned_concurrency_config.live", Concurrency: 5}}
	head.Provisioned = []Provisioned{{Address: "aws_lambda_provisioned_concurrency_config.live", Concurrency: 20}}
	e, err := Price(&Plan{Kind: Terraform, HasBase: true, Base: []Function{base}, Head: []Function{head}}, du, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "base", e.Totals.Base, d2("39.41690575"))
	eq(t, "head", e.Totals.Head, d2("117.334196"))
}

// The estimate's region (its header) is where its rows are priced: each
// function's own region when the code names it, else the region given.
// --region eu-west-1 on a plan whose functions all name theirs (a by its
// provider alias af-south-1, b by its region argument af-south-1, c by the
// default provider us-east-1) prices nothing in eu-west-1: the header
// says "af-south-1, us-east-1" and an assumption says the region given
// was not used. A plan that names no region is priced in the one given.
func TestTerraformHeaderRegion(t *testing.T) {
	named := `{"format_version":"1.2","resource_changes":[
	 {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":1024},"after_unknown":{}}},
	 {"address":"aws_lambda_function.b","mode":"managed","type":"aws_lambda_function","name":"b","change":{"actions":["create"],"before":null,"after":{"function_name":"b","memory_size":1024,"region":"af-south-1"},"after_unknown":{}}},
	 {"address":"aws_lambda_function.c","mode":"managed","type":"aws_lambda_function","name":"c","change":{"actions":["create"],"before":null,"after":{"function_name":"c","memory_size":1024},"after_unknown":{}}}],
	 "configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"us-east-1"}}},"aws.cpt":{"name":"aws","alias":"cpt","expressions":{"region":{"constant_value":"af-south-1"}}}},
	  "root_module":{"resources":[
	   {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","provider_config_key":"aws.cpt","expressions":{"memory_size":{"constant_value":1024}}},
	   {"address":"aws_lambda_function.b","mode":"managed","type":"aws_lambda_function","name":"b","provider_config_key":"aws","expressions":{"region":{"constant_value":"af-south-1"}}},
	   {"address":"aws_lambda_function.c","mode":"managed","type":"aws_lambda_function","name":"c","provider_config_key":"aws","expressions":{}}]}}}`
	unnamed := `{"format_version":"1.2","resource_changes":[
	 {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":1024},"after_unknown":{}}}]}`
	dir := t.TempDir()
	usage := filepath.Join(dir, "u.yml")
	if err := os.WriteFile(usage, []byte("version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000000\n    request_duration_ms: 1000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, plan string
		override   bool
		want       string
		note       bool // the region given is named as not used
	}{
		{"named, --region given", named, true, "af-south-1, us-east-1", true},
		{"named, no --region", named, false, "af-south-1, us-east-1", false},
		{"unnamed, --region given", unnamed, true, "eu-west-1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := filepath.Join(dir, "plan.json")
			if err := os.WriteFile(plan, []byte(tc.plan), 0o644); err != nil {
				t.Fatal(err)
			}
			e, err := Source{Terraform: plan, Usage: usage}.Estimate(context.Background(), pricing.Embedded(), "eu-west-1", tc.override, pricing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if e.Region != tc.want {
				t.Errorf("region %q, want %q", e.Region, tc.want)
			}
			var a pricing.Assumption
			ok := false
			for _, x := range e.Assumptions {
				if x.Field == "region" {
					a, ok = x, true
				}
			}
			if ok != tc.note || (ok && (a.Value != "eu-west-1" || !strings.Contains(a.Why, "af-south-1, us-east-1"))) {
				t.Errorf("region assumption %+v (present %v, want %v)", a, ok, tc.note)
			}
		})
	}
}

// The free tier is one account's, shared by its regions: a plan whose
// functions run in af-south-1 and us-east-1 billed one bill per region
// would give each region the whole 1M requests and 400,000 GB-s (2M and
// 800,000 here), so --free-tier is refused, naming the regions; in one
// region it applies once: 1M × 1 s × 1 GB = 1,000,000 GB-s − 400,000 =
// 600,000 × $0.0000166667 = $10.00002, requests all free.
func TestTerraformFreeTierOneAccount(t *testing.T) {
	two := `{"format_version":"1.2","resource_changes":[
	 {"address":"aws_lambda_function.b","mode":"managed","type":"aws_lambda_function","name":"b","change":{"actions":["create"],"before":null,"after":{"function_name":"b","memory_size":1024,"region":"af-south-1"},"after_unknown":{}}},
	 {"address":"aws_lambda_function.c","mode":"managed","type":"aws_lambda_function","name":"c","change":{"actions":["create"],"before":null,"after":{"function_name":"c","memory_size":1024,"region":"us-east-1"},"after_unknown":{}}}]}`
	u, _ := ParseUsageFile("u.yml", []byte("version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000000\n    request_duration_ms: 1000\n"))
	p, err := ParseTerraformPlan("plan.json", []byte(two))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1", Bill: pricing.Options{FreeTier: true}})
	if err == nil || !strings.Contains(err.Error(), "af-south-1, us-east-1") {
		t.Errorf("two regions with the free tier: err = %v, want a refusal naming both", err)
	}
	p.Head = p.Head[1:]
	e, err := Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1", Bill: pricing.Options{FreeTier: true}})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "one region", e.Totals.Head, d2("10.00002"))
}

// A dataset's window of two 730-hour months (1,460 h) holds only its
// totals: with --free-tier the estimate takes the free tier off the
// average month and says so; over one month (730 h) it says nothing more.
func TestDatasetFreeTierLongWindowSaid(t *testing.T) {
	raw, err := os.ReadFile("../testdata/iac/dataset-730h.json")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		end  string
		said bool
	}{{"2027-01-01T20:00:00Z", true}, {"2026-12-01T10:00:00Z", false}} {
		d["end"] = tc.end
		b, _ := json.Marshal(d)
		ds := filepath.Join(dir, "d.json")
		if err := os.WriteFile(ds, b, 0o644); err != nil {
			t.Fatal(err)
		}
		e, err := Source{Terraform: "../testdata/iac/plan.json", Dataset: ds}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{FreeTier: true})
		if err != nil {
			t.Fatal(err)
		}
		said := false
		for _, a := range e.Assumptions {
			said = said || a.Field == "free_tier" && a.Value == "off the window's average month"
		}
		if said != tc.said {
			t.Errorf("end %s: said %v, want %v (%v)", tc.end, said, tc.said, e.Assumptions)
		}
	}
}

// The most common provider block, `provider "aws" { region = var.region }`
// (AWS provider v5: the resources carry no region attribute), names the
// region through a root variable, whose value the plan carries under
// `variables`. region = "af-south-1": 1M × 1 s × 1 GB = 1,000,000 GB-s ×
// $0.0000221 = $22.1 + 1M × $0.27/M = $22.37 (it was priced at the
// estimate's us-east-1: $16.6667 + $0.20 = $16.8667, without a word). A
// region the plan cannot resolve (a local value) is priced in the
// estimate's region, and an assumption names the expression and the
// function: never the estimate's region silently.
func TestTerraformProviderRegionVariable(t *testing.T) {
	plan := func(region string) string {
		return `{"format_version":"1.2","variables":{"region":{"value":"af-south-1"}},"resource_changes":[
	 {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","provider_name":"registry.terraform.io/hashicorp/aws","change":{"actions":["create"],"before":null,"after":{"function_name":"a","memory_size":1024},"after_unknown":{}}}],
	 "configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","expressions":{"region":` + region + `}}},
	  "root_module":{"resources":[
	   {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","provider_config_key":"aws","expressions":{"memory_size":{"constant_value":1024}}}],
	   "variables":{"region":{}}}}}`
	}
	dir := t.TempDir()
	usage := filepath.Join(dir, "u.yml")
	if err := os.WriteFile(usage, []byte("version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000000\n    request_duration_ms: 1000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, expr, region, total string
		assumed                   string // in the region assumption's why; "" none
	}{
		{"var.region", `{"references":["var.region"]}`, "af-south-1", "22.37", ""},
		{"local.region", `{"references":["local.region"]}`, "us-east-1", "16.8667", "provider aws: region = local.region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, "plan.json")
			if err := os.WriteFile(path, []byte(plan(tc.expr)), 0o644); err != nil {
				t.Fatal(err)
			}
			e, err := Source{Terraform: path, Usage: usage}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", false, pricing.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if e.Region != tc.region {
				t.Errorf("region %q, want %q", e.Region, tc.region)
			}
			eq(t, "head", e.Totals.Head, d2(tc.total))
			var why string
			for _, a := range e.Assumptions {
				if a.Field == "region" {
					why = a.Why
				}
			}
			if tc.assumed == "" && why != "" || !strings.Contains(why, tc.assumed) || tc.assumed != "" && (!strings.Contains(why, "aws_lambda_function.a") || !e.RegionFallback) {
				t.Errorf("region assumption %q (fallback %v), want one with %q", why, e.RegionFallback, tc.assumed)
			}
		})
	}
}

// A template never names the region it is deployed to: without --region
// its functions are priced in the estimate's region, and that is listed.
func TestTemplateRegionAssumed(t *testing.T) {
	for _, override := range []bool{false, true} {
		e, err := Source{Template: "../testdata/iac/template.yaml", Usage: "../testdata/iac/template-usage.yml"}.Estimate(context.Background(), pricing.Embedded(), "us-east-1", override, pricing.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var why string
		for _, a := range e.Assumptions {
			if a.Field == "region" {
				why = a.Why
			}
		}
		if override != (why == "") || override == e.RegionFallback {
			t.Errorf("--region given %v: region assumption %q, fallback %v", override, why, e.RegionFallback)
		}
	}
}

// An aws_appautoscaling_target on lambda:function:ProvisionedConcurrency
// scales a function's provisioned concurrency between its min and max
// capacity: the level over the month is in no plan, so pricing the
// configured provisioned_concurrent_executions all month is an
// assumption, said with the target and its bounds (it was silent); a
// target whose function is not in the plan is a note.
func TestTerraformProvisionedAutoScaling(t *testing.T) {
	data, err := os.ReadFile("../testdata/iac/plan-pc.json")
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := json.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	target := func(addr, id string) map[string]any {
		return map[string]any{"address": addr, "mode": "managed", "type": "aws_appautoscaling_target", "name": "t",
			"change": map[string]any{"actions": []any{"create"}, "before": nil, "after_unknown": map[string]any{"arn": true, "id": true},
				"after": map[string]any{"resource_id": id, "scalable_dimension": "lambda:function:ProvisionedConcurrency", "service_namespace": "lambda", "min_capacity": 1, "max_capacity": 20}}}
	}
	raw["resource_changes"] = append(raw["resource_changes"].([]any), target("aws_appautoscaling_target.orders", "function:orders:live"), target("aws_appautoscaling_target.other", "function:elsewhere:live"))
	mod, _ := json.Marshal(raw)
	p, err := ParseTerraformPlan("plan-pc.json", mod)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseUsageFile("u.yml", []byte("version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000000\n    request_duration_ms: 100\n"))
	e, err := Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	var got pricing.Assumption
	for _, a := range e.Assumptions {
		if a.Field == "aws_lambda_function.orders.provisioned_concurrency" {
			got = a
		}
	}
	if got.Value != "1 on live all month" || !strings.Contains(got.Why, "aws_appautoscaling_target.orders scales it between 1 and 20 environments") {
		t.Errorf("assumption %+v", got)
	}
	note := false
	for _, n := range e.Notes {
		note = note || strings.Contains(n, "aws_appautoscaling_target.other (head) scales the provisioned concurrency of function:elsewhere:live between 1 and 20 environments, a function not found")
	}
	if !note {
		t.Errorf("notes %q", e.Notes)
	}

	// A target whose min_capacity 5 is above the configured 1: registering
	// it moves the level into [5, 20] (RegisterScalableTarget), so 5 run.
	// orders, 1024 MB x86_64, 1M requests of 100 ms (the default usage):
	//   provisioned 5 × 1 GB × 2,628,000 s = 13,140,000 GB-s × $0.0000041667 = $54.750438
	//   on demand 100,000 GB-s × $0.0000166667 = $1.66667 + requests $0.20
	//   → $56.617108 (at the configured 1 it was $10.9500876 + $1.86667 = $12.8167576)
	var raw2 map[string]any
	if err := json.Unmarshal(data, &raw2); err != nil {
		t.Fatal(err)
	}
	tg := target("aws_appautoscaling_target.orders", "function:orders:live")
	tg["change"].(map[string]any)["after"].(map[string]any)["min_capacity"] = 5
	raw2["resource_changes"] = append(raw2["resource_changes"].([]any), tg)
	mod, _ = json.Marshal(raw2)
	if p, err = ParseTerraformPlan("plan-pc.json", mod); err != nil {
		t.Fatal(err)
	}
	if e, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"}); err != nil {
		t.Fatal(err)
	}
	f := findFn(t, e, "aws_lambda_function.orders")
	eq(t, "head at min_capacity 5", sideTotal(t, f.Head), d2("56.617108"))
	for _, a := range e.Assumptions {
		if a.Field == "aws_lambda_function.orders.provisioned_concurrency" && (a.Value != "5 on live all month" || !strings.Contains(a.Why, "the configured 1 is outside [5, 20], and registering the target moves it to 5")) {
			t.Errorf("assumption %+v", a)
		}
	}
}

// SnapStart's cache and restore charges do not apply to Java managed
// runtimes (AWS's pricing page: "SnapStart pricing does not apply to
// supported Java managed runtimes"), only to Python and .NET: a Java
// function's note said its charges were left out of the bill.
func TestTerraformSnapStartNote(t *testing.T) {
	for runtime, want := range map[string]string{
		"java21":     "on java21: no cache or restore charge",
		"python3.12": "its cache and restore charges need snapstart_hours",
	} {
		plan := `{"format_version":"1.2","resource_changes":[
	 {"address":"aws_lambda_function.a","mode":"managed","type":"aws_lambda_function","name":"a","change":{"actions":["create"],"before":null,
	  "after":{"function_name":"a","memory_size":1024,"runtime":"` + runtime + `","snap_start":[{"apply_on":"PublishedVersions"}]},"after_unknown":{}}}]}`
		p, err := ParseTerraformPlan("plan.json", []byte(plan))
		if err != nil {
			t.Fatal(err)
		}
		if n := p.Head[0].Notes; len(n) != 1 || !strings.Contains(n[0], want) {
			t.Errorf("%s: notes %q, want one with %q", runtime, n, want)
		}
	}
}

// The total change compares like with like: a function whose head is
// unknown (memory known after apply) is in neither side of the diff, so
// its known base is not read as a saving. 1M requests of 1 s a month each,
// us-east-1 x86_64 ($0.0000166667/GB-s, $0.20/M), arm64 $0.0000133334:
//
//	a: 512 MB → unknown      base 500,000 GB-s → $8.33335 + $0.2 = $8.53335
//	b: added, 1024 MB        1,000,000 GB-s → $16.6667 + $0.2 = $16.8667
//	c: unchanged, 1024 MB    $16.8667 both sides, diff 0
//	d: added, architecture unknown, 1024 MB: x86 $16.8667, arm64
//	   $13.3334 + $0.2 = $13.5334
//
// diff = b + c = $16.8667 (it was the known head $33.7334 − the base
// $25.40005 = $8.33335, a's base taken as a saving); increase = 16.8667 /
// c's base 16.8667 = 100 %; with d: $30.4001 to $33.7334.
func TestTotalsDiffLikeForLike(t *testing.T) {
	fn := func(addr string, mb int) Function {
		return Function{Address: addr, Type: tfFunction, Config: pricing.FunctionConfig{Name: addr, MemoryMB: mb, Architecture: pricing.X86_64}}
	}
	a, c := fn("a", 512), fn("c", 1024)
	aHead := fn("a", 512)
	aHead.Unknown = []string{AttrMemory}
	d := fn("d", 1024)
	d.Unknown = []string{AttrArchitecture}
	u, _ := ParseUsageFile("u.yml", []byte("version: 0.1\nresource_type_default_usage:\n  aws_lambda_function:\n    monthly_requests: 1000000\n    request_duration_ms: 1000\n"))
	e, err := Price(&Plan{Kind: Terraform, HasBase: true, Base: []Function{a, c}, Head: []Function{aHead, fn("b", 1024), c, d}}, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "base", e.Totals.Base, d2("25.40005"))
	eq(t, "head (known subtotal)", e.Totals.Head, d2("33.7334"))
	eq(t, "diff", e.Totals.Diff, d2("16.8667"))
	if p := e.Totals.IncreasePct; p == nil || *p != 100 {
		t.Errorf("increase %v, want 100", p)
	}
	if r := e.Totals.DiffRange; r == nil {
		t.Fatal("no diff range")
	} else {
		eq(t, "diff lowest", r.Min, d2("30.4001"))
		eq(t, "diff highest", r.Max, d2("33.7334"))
	}
}
