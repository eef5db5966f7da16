package infra

import (
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestTerraformLogs prices testdata/iac/plan-logs.json with
// testdata/iac/usage-logs.yml. us-east-1 Lambda logs, Standard class:
// $0.50/GB up to 10 TB (pricing/prices.json, README).
//
//	audit:   1M × 100 ms × 1 GB = 100,000 GB-s × $0.0000166667 = $1.66667
//	         + 1M requests $0.20 = $1.86667; its log group is replaced
//	         STANDARD → INFREQUENT_ACCESS, whose price is not known: its
//	         20 GB are priced on neither side (missing, named).
//	billing: 2M × 50 ms × 0.5 GB = 50,000 GB-s × $0.0000166667 = $0.833335
//	         + $0.40 = $1.233335; logs 100 GB × $0.50 = $50 → $51.233335.
func TestTerraformLogs(t *testing.T) {
	e := priceFixture(t, "../testdata/iac/plan-logs.json", "../testdata/iac/usage-logs.yml")
	audit := findFn(t, e, "aws_lambda_function.audit")
	want := []string{"log format Text → JSON", "log group class STANDARD → INFREQUENT_ACCESS"}
	if strings.Join(audit.Why, "; ") != strings.Join(want, "; ") {
		t.Errorf("why = %v, want %v", audit.Why, want)
	}
	eq(t, "audit base", sideTotal(t, audit.Base), d("1.86667"))
	eq(t, "audit head", sideTotal(t, audit.Head), d("1.86667"))
	if len(audit.MissingUsage) != 1 || !strings.Contains(audit.MissingUsage[0], "INFREQUENT_ACCESS class's ingestion price") {
		t.Errorf("missing = %v", audit.MissingUsage)
	}
	billing := findFn(t, e, "aws_lambda_function.billing")
	eq(t, "billing base", sideTotal(t, billing.Base), d("51.233335"))
	eq(t, "billing head", sideTotal(t, billing.Head), d("51.233335"))
	logs := false
	for _, l := range billing.Head.Cost.Lines {
		if l.Name == pricing.LineLogs {
			logs = true
			eq(t, "logs GB", l.Quantity, d("100"))
			eq(t, "logs cost", l.Cost, d("50"))
		}
	}
	if !logs {
		t.Errorf("no logs line: %+v", billing.Head.Cost.Lines)
	}
	// 1.86667 + 51.233335 on both sides; incomplete (audit's logs).
	eq(t, "base", e.Totals.Base, d("53.100005"))
	eq(t, "head", e.Totals.Head, d("53.100005"))
	if e.Totals.Complete {
		t.Error("complete with audit's logs unpriced")
	}

	// Had audit's log group stayed STANDARD, its 20 GB × $0.50 = $10 would
	// be on both sides: $11.86667.
	p, err := ReadTerraformPlan("../testdata/iac/plan-logs.json")
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Head {
		if p.Head[i].Logs != nil {
			p.Head[i].Logs.Class = LogClassStandard
		}
	}
	u, _ := ReadUsageFile("../testdata/iac/usage-logs.yml")
	e, err = Price(p, u, Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	audit = findFn(t, e, "aws_lambda_function.audit")
	eq(t, "standard audit head", sideTotal(t, audit.Head), d("11.86667"))
	eq(t, "standard total", e.Totals.Head, d("63.100005"))
	if !e.Totals.Complete {
		t.Errorf("incomplete: %+v", e.Totals)
	}
}

// TestTemplateLogs reads LoggingConfig and AWS::Logs::LogGroup from
// testdata/iac/template-logs.yaml: IngestFunction logs to !Ref IngestLogs
// (Standard), ReportFunction to its default group, which the template
// creates as !Sub /aws/lambda/${ReportFunction} in the Infrequent Access
// class.
//
//	IngestFunction: $1.86667 (1M × 100 ms × 1 GB, as above)
//	                + 30 GB × $0.50 = $15 → $16.86667
//	ReportFunction: $1.233335; its 5 GB are not priced (missing)
func TestTemplateLogs(t *testing.T) {
	e := priceTemplates(t, "../testdata/iac/template-logs.yaml", "", "../testdata/iac/template-logs-usage.yml", TemplateOptions{Region: "us-east-1"})
	ingest := findFn(t, e, "IngestFunction")
	eq(t, "ingest", sideTotal(t, ingest.Head), d("16.86667"))
	report := findFn(t, e, "ReportFunction")
	eq(t, "report", sideTotal(t, report.Head), d("1.233335"))
	if len(report.MissingUsage) != 1 || !strings.Contains(report.MissingUsage[0], "ReportFunctionLogs: the INFREQUENT_ACCESS class") {
		t.Errorf("report missing = %v", report.MissingUsage)
	}
	if l := ingest.Head; l == nil {
		t.Fatal("no head")
	}
	eq(t, "total", e.Totals.Head, d("18.100005"))
}

// TestTerraformSharedLogGroup prices testdata/iac/plan-shared-logs.json:
// ingest and enrich (unchanged) and notify (added), all 1024 MB x86_64,
// all writing to one log group, aws_cloudwatch_log_group.orders
// (/app/orders, Standard), with testdata/iac/usage-shared-logs.yml: each
// function 1M requests × 100 ms, the group 90 GB a month. Each function's
// compute: 100,000 GB-s × $0.0000166667 = $1.66667 + 1M × $0.20/M =
// $1.86667. The group is billed once a side, split evenly among its
// writers, at $0.50/GB (us-east-1 Lambda logs, first 10 TB):
//
//	base: 2 writers, 45 GB each = $22.50 → ingest, enrich $24.36667
//	head: 3 writers, 30 GB each = $15    → each $16.86667
//	totals: base 2 × 24.36667 = $48.73334 (logs $45, not 2 × $45);
//	        head 3 × 16.86667 = $50.60001 (logs $45, not 3 × $45);
//	        diff = notify's compute $1.86667.
func TestTerraformSharedLogGroup(t *testing.T) {
	e := priceFixture(t, "../testdata/iac/plan-shared-logs.json", "../testdata/iac/usage-shared-logs.yml")
	for _, a := range []string{"aws_lambda_function.ingest", "aws_lambda_function.enrich"} {
		f := findFn(t, e, a)
		eq(t, a+" base", sideTotal(t, f.Base), d("24.36667"))
		eq(t, a+" head", sideTotal(t, f.Head), d("16.86667"))
	}
	n := findFn(t, e, "aws_lambda_function.notify")
	eq(t, "notify head", sideTotal(t, n.Head), d("16.86667"))
	eq(t, "base", e.Totals.Base, d("48.73334"))
	eq(t, "head", e.Totals.Head, d("50.60001"))
	eq(t, "diff", e.Totals.Diff, d("1.86667"))
	stated := 0
	for _, a := range e.Assumptions {
		if a.Field == "aws_cloudwatch_log_group.orders.shared@base" && strings.HasPrefix(a.Value, "2 functions") ||
			a.Field == "aws_cloudwatch_log_group.orders.shared@head" && strings.HasPrefix(a.Value, "3 functions") {
			stated++
		}
	}
	if stated != 2 {
		t.Errorf("the split is not stated per side: %+v", e.Assumptions)
	}
}

// TestSplit: even shares of a group's bytes add up to the total, the
// first taking the remainder (10 bytes among 3: 4, 3, 3).
func TestSplit(t *testing.T) {
	for k, want := range []int64{4, 3, 3} {
		if got := split(10, k, 3); got != want {
			t.Errorf("split(10, %d, 3) = %d, want %d", k, got, want)
		}
	}
}
