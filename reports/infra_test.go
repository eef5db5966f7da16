package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/infra"
	"github.com/lambdacost/lambdacost/pricing"
)

// A function name from a template is data: the HTML report and the
// Markdown summary show it, never run or render it.
func TestInfraReportEscapes(t *testing.T) {
	tpl := "Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: \"</script><script>alert(1)</script>|x\"\n      MemorySize: 512\n"
	fns, _, err := infra.ParseTemplate("t.yaml", []byte(tpl), infra.TemplateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	u, err := infra.ParseUsageFile("u.yml", []byte("version: 0.1\nresource_usage:\n  F:\n    monthly_requests: 1000000\n    request_duration_ms: 100\n"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := infra.Price(&infra.Plan{Kind: infra.CloudFormation, Path: "t.yaml", Head: fns}, u, infra.Options{Prices: pricing.Embedded(), Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	var h bytes.Buffer
	if err := WriteInfraHTML(&h, e); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(h.String(), "<script>alert(1)") {
		t.Error("the HTML report runs a function name")
	}
	var m bytes.Buffer
	if err := WriteInfraSummary(&m, e, ""); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.String(), "<script>") || !strings.Contains(m.String(), `\|x`) {
		t.Errorf("markdown summary does not escape the name:\n%s", m.String())
	}
	// 1M × 0.1 s × 0.5 GB = 50,000 GB-s × 0.0000166667 = 0.833335 + 0.2 = $1.03.
	if !strings.Contains(m.String(), "— → $1.03 (+$1.03/month): new function") {
		t.Errorf("summary:\n%s", m.String())
	}
}
