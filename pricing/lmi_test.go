package pricing

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// AWS's Lambda Managed Instances worked example (Lambda pricing page,
// "Lambda Managed Instances" example, https://aws.amazon.com/lambda/pricing/):
// 100M requests, m7g.xlarge at $0.1632/h on-demand, a 3-year Compute
// Savings Plan rate of $0.0457/h, ~2,000 instance-hours:
//
//	requests   100 × $0.20                 = $20.00
//	instances  2,000 × $0.0457             = $91.40
//	fee        2,000 × $0.1632 × 0.15      = $48.96
//	total                                    $160.36
func TestLMIBillAWSExample(t *testing.T) {
	rate := decimal.RequireFromString("0.0457")
	b, err := Embedded().LMIBill("us-east-1", LMIUsage{Requests: 100_000_000, InstanceType: "m7g.xlarge", InstanceHours: decimal.NewFromInt(2000), EC2Rate: &rate})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{LineLMIRequests: "20", LineLMIInstances: "91.4", LineLMIManagementFee: "48.96"}
	if len(b.Cost.Lines) != 3 {
		t.Fatalf("lines = %+v", b.Cost.Lines)
	}
	for _, l := range b.Cost.Lines {
		if got := RoundCents(l.Cost).String(); got != want[l.Name] {
			t.Errorf("%s = %s, want %s", l.Name, got, want[l.Name])
		}
		if l.Architecture != ARM64 {
			t.Errorf("%s architecture = %q", l.Name, l.Architecture)
		}
	}
	if got := RoundCents(b.Total).String(); got != "160.36" {
		t.Errorf("total = %s, want 160.36", got)
	}
	// No duration (GB-s) line: LMI bills no per-request compute.
	for _, l := range b.Cost.Lines {
		if l.Unit == "GB-s" {
			t.Errorf("unexpected GB-s line %+v", l)
		}
	}
	// Assumptions name the free tier and the billing granularity.
	var fields []string
	for _, a := range b.Assumptions {
		fields = append(fields, a.Field)
	}
	for _, f := range []string{"lmi.free_tier", "lmi.billing_granularity", "lmi.management_fee"} {
		if !strings.Contains(strings.Join(fields, ","), f) {
			t.Errorf("assumption %s missing: %v", f, fields)
		}
	}
}

// The same example from the 72 % discount instead of AWS's rounded rate:
// 0.1632 × 0.28 = 0.045696/h exactly, × 2,000 = $91.392, so the total is
// $160.352 (AWS rounds the rate to $0.0457 first). The fee is unchanged:
// it is always 15 % of on-demand.
func TestLMIBillDiscountOnInstancesOnly(t *testing.T) {
	b, err := Embedded().LMIBill("us-east-1", LMIUsage{Requests: 100_000_000, InstanceType: "m7g.xlarge", InstanceHours: decimal.NewFromInt(2000), EC2Discount: decimal.RequireFromString("0.72")})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Total.String(); got != "160.352" {
		t.Errorf("total = %s, want 160.352", got)
	}
	for _, l := range b.Cost.Lines {
		if l.Name == LineLMIManagementFee && l.Cost.String() != "48.96" {
			t.Errorf("fee = %s, want 48.96 (15%% of on-demand, not of the discounted rate)", l.Cost)
		}
	}
	found := false
	for _, a := range b.Assumptions {
		found = found || a.Field == "--ec2-discount"
	}
	if !found {
		t.Error("the discount is not listed as an assumption")
	}
}

// On-demand, no discount: 3 × m7g.large all month (AWS's default
// 3-instance floor) = 2,190 h × ($0.0816 + $0.01224) = $205.5096.
func TestLMIBillFloorOnDemand(t *testing.T) {
	b, err := Embedded().LMIBill("us-east-1", LMIUsage{InstanceType: "m7g.large", InstanceHours: decimal.NewFromInt(3 * HoursPerMonth)})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Total.String(); got != "205.5096" {
		t.Errorf("total = %s, want 205.5096", got)
	}
}

func TestLMIBillRefuses(t *testing.T) {
	tab := Embedded()
	neg := decimal.RequireFromString("-1")
	hi := decimal.RequireFromString("0.2")
	for _, c := range []struct {
		name string
		u    LMIUsage
		want string
	}{
		{"burstable", LMIUsage{InstanceType: "t3.medium", InstanceHours: decimal.NewFromInt(1)}, "--instance-type"},
		{"unknown type", LMIUsage{InstanceType: "x9.huge", InstanceHours: decimal.NewFromInt(1)}, "--instance-type"},
		{"no type", LMIUsage{InstanceHours: decimal.NewFromInt(1)}, "--instance-type"},
		{"negative hours", LMIUsage{InstanceType: "m7g.large", InstanceHours: neg}, "--instance-hours"},
		{"discount 1", LMIUsage{InstanceType: "m7g.large", EC2Discount: decimal.NewFromInt(1)}, "--ec2-discount"},
		{"rate and discount", LMIUsage{InstanceType: "m7g.large", EC2Rate: &hi, EC2Discount: decimal.RequireFromString("0.1")}, "--ec2-rate"},
		{"rate above on-demand", LMIUsage{InstanceType: "m7g.large", EC2Rate: &hi}, "--ec2-rate"},
	} {
		_, err := tab.LMIBill("us-east-1", c.u)
		if err == nil || !IsInput(err) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want an input error naming %s", c.name, err, c.want)
		}
	}
}

func TestLMIInstanceFamily(t *testing.T) {
	for name, want := range map[string]bool{"m7g.xlarge": true, "c8i.large": true, "r6g.large": true, "t3.medium": false, "t4g.large": false, "mac1.metal": false, "m": false} {
		if got := LMIInstanceFamily(name); got != want {
			t.Errorf("%s: %v, want %v", name, got, want)
		}
	}
}

// A Managed Instances bill has no logs line: its function's logs go to
// CloudWatch Logs like any Lambda function's, so the charges it leaves out
// name them (not a silent zero).
func TestLMIBillSaysLogsNotIncluded(t *testing.T) {
	b, err := Embedded().LMIBill("us-east-1", LMIUsage{Requests: 100_000_000, InstanceType: "m7g.xlarge", InstanceHours: decimal.NewFromInt(2000)})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range b.Assumptions {
		if a.Field == "lmi.other_charges" {
			if !strings.Contains(a.Why, "CloudWatch Logs") {
				t.Errorf("other charges %q do not name the logs", a.Why)
			}
			return
		}
	}
	t.Error("no lmi.other_charges assumption")
}
