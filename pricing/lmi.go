package pricing

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Lambda Managed Instances (LMI): Lambda functions running on EC2 instances
// of the user's account, managed by Lambda through a capacity provider.
// AWS's pricing page (https://aws.amazon.com/lambda/pricing/, section
// "Lambda Managed Instances")
// bills three things and nothing else:
//
//	requests         $0.20 per million (us-east-1)
//	EC2 instances    the instances' standard EC2 price; Savings Plans and
//	                 reserved instances apply to this part only
//	management fee   15 % of the instance's ON-DEMAND price per hour, also
//	                 when a Savings Plan or RI discounts the instance part
//
// There is no per-request duration (GB-s) charge.

// Cost line names of an LMI bill.
const (
	LineLMIRequests      = "lmi_requests"
	LineLMIInstances     = "lmi_instances"
	LineLMIManagementFee = "lmi_management_fee"
)

// LMIManagementFeeRate is the compute management fee as a share of the
// instance type's on-demand hourly price ("15% premium on the EC2 on-demand
// instance price", AWS Lambda pricing page).
var LMIManagementFeeRate = decimal.RequireFromString("0.15")

// LMIUsage is a month (or any span) of a function on Lambda Managed
// Instances: its requests and the instance-hours of its capacity provider.
type LMIUsage struct {
	// Requests is the number of invocations.
	Requests int64 `json:"requests" yaml:"requests"`
	// InstanceType is the EC2 instance type of the capacity provider.
	InstanceType string `json:"instance_type" yaml:"instance_type"`
	// InstanceHours is the instance-hours the capacity provider ran.
	InstanceHours decimal.Decimal `json:"instance_hours" yaml:"-"`
	// EC2Discount is the share a Savings Plan or reserved instances take
	// off the instance part (0 ≤ d < 1; e.g. 0.72 for a 3-year Compute
	// Savings Plan on m7g). Never applied to the management fee.
	EC2Discount decimal.Decimal `json:"ec2_discount,omitempty" yaml:"-"`
	// EC2Rate, when set, is the hourly instance rate actually paid (a
	// published Savings Plan or RI rate, e.g. $0.0457 for m7g.xlarge on a
	// 3-year Compute Savings Plan); it replaces the on-demand price less
	// EC2Discount. The fee stays 15 % of on-demand.
	EC2Rate *decimal.Decimal `json:"ec2_rate_usd_per_hour,omitempty" yaml:"-"`
}

// LMIBill is the bill of one function (or one capacity provider) on Lambda
// Managed Instances (the `estimate --lmi -o json` contract).
type LMIBill struct {
	Region         string       `json:"region"`
	InstanceType   string       `json:"instance_type"`
	Architecture   Architecture `json:"architecture"`
	VCPU           int          `json:"vcpu"`
	MemoryGiB      float64      `json:"memory_gib"`
	Requests       int64        `json:"requests"`
	InstanceHours  float64      `json:"instance_hours"`
	OnDemandHourly float64      `json:"on_demand_usd_per_hour"`
	// InstanceHourly is the rate the instance part is billed at (on-demand
	// less the discount, or the given rate).
	InstanceHourly float64 `json:"instance_usd_per_hour"`
	// FeeHourly is the management fee per instance-hour (15 % of on-demand).
	FeeHourly   float64         `json:"management_fee_usd_per_hour"`
	EC2Discount float64         `json:"ec2_discount,omitempty"`
	Cost        Cost            `json:"cost"`
	Assumptions Assumptions     `json:"assumptions,omitempty"`
	TotalUSD    float64         `json:"total_usd"`
	Total       decimal.Decimal `json:"-"`
}

// LMIInstanceFamilies are the EC2 families a capacity provider can use that
// lambdacost prices: general purpose (m), compute (c) and memory (r)
// optimised. AWS documents "current-generation" instances and a 2 GB /
// 1 vCPU smallest environment matching the c family's 2:1 ratio; GPU
// instances are not supported; burstable (t) types are not among the
// documented choices, so they are refused rather than guessed.
var LMIInstanceFamilies = []string{"c", "m", "r"}

// LMIInstance returns an instance type a capacity provider can use, or an
// input error naming --instance-type.
func (t *PriceTable) LMIInstance(region, name string) (*InstanceType, error) {
	it, err := t.Instance(region, name)
	if err != nil {
		return nil, err
	}
	if !LMIInstanceFamily(name) {
		return nil, Inputf("--instance-type", "%s cannot run Lambda Managed Instances in lambdacost's model: capacity providers use current-generation c, m and r instances (not burstable t types); pick e.g. m7g.large", name)
	}
	return it, nil
}

// LMIInstanceFamily reports whether an instance type name is of a family in
// LMIInstanceFamilies ("m7g.xlarge" → m).
func LMIInstanceFamily(name string) bool {
	fam, _, _ := strings.Cut(name, ".")
	for _, f := range LMIInstanceFamilies {
		if strings.HasPrefix(fam, f) && len(fam) > len(f) && fam[len(f)] >= '0' && fam[len(f)] <= '9' {
			return true
		}
	}
	return false
}

// LMIBill prices u in region: requests at the region's Lambda request
// rate, instance-hours at the discounted or given rate, and the management
// fee at 15 % of the on-demand rate. Every assumption it makes is listed in
// the bill.
func (t *PriceTable) LMIBill(region string, u LMIUsage) (*LMIBill, error) {
	var errs []error
	if u.Requests < 0 {
		errs = append(errs, Inputf("--requests", "must not be negative"))
	}
	if u.InstanceHours.IsNegative() {
		errs = append(errs, Inputf("--instance-hours", "must not be negative"))
	}
	if u.EC2Discount.IsNegative() || u.EC2Discount.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		errs = append(errs, Inputf("--ec2-discount", "discount %s is outside [0, 1) (e.g. 0.72 for 72 %% off)", u.EC2Discount))
	}
	if u.EC2Rate != nil && u.EC2Rate.IsNegative() {
		errs = append(errs, Inputf("--ec2-rate", "must not be negative"))
	}
	if u.EC2Rate != nil && u.EC2Discount.IsPositive() {
		errs = append(errs, Inputf("--ec2-rate", "give either --ec2-rate or --ec2-discount, not both"))
	}
	if u.InstanceType == "" {
		errs = append(errs, Inputf("--instance-type", "is required (the capacity provider's EC2 instance type, e.g. m7g.xlarge)"))
	}
	if err := Errors(errs); err != nil {
		return nil, err
	}
	it, err := t.LMIInstance(region, u.InstanceType)
	if err != nil {
		return nil, err
	}
	if u.EC2Rate != nil && u.EC2Rate.GreaterThan(it.Hourly) {
		return nil, Inputf("--ec2-rate", "$%s/h is above %s's on-demand price $%s/h", u.EC2Rate, it.Name, it.Hourly)
	}
	reg, err := t.LambdaRegion(region)
	if err != nil {
		return nil, err
	}
	ap := reg.Arch(it.Architecture)
	b := &LMIBill{
		Region: region, InstanceType: it.Name, Architecture: it.Architecture, VCPU: it.VCPU, MemoryGiB: it.MemoryGiB,
		Requests: u.Requests, InstanceHours: u.InstanceHours.InexactFloat64(), OnDemandHourly: it.Hourly.InexactFloat64(),
		EC2Discount: u.EC2Discount.InexactFloat64(),
	}
	if u.Requests > 0 {
		if ap.RequestsPerMillion == nil {
			return nil, Inputf("--region", "the request price in %s is not known", region)
		}
		b.Cost.Add(NewLine(LineLMIRequests, "requests", decimal.NewFromInt(u.Requests), ap.RequestsPerMillion.Div(dMillion)))
	}
	rate := it.Hourly.Mul(decimal.NewFromInt(1).Sub(u.EC2Discount))
	if u.EC2Rate != nil {
		rate = *u.EC2Rate
	}
	fee := it.Hourly.Mul(LMIManagementFeeRate)
	b.InstanceHourly, b.FeeHourly = rate.InexactFloat64(), fee.InexactFloat64()
	if u.InstanceHours.IsPositive() {
		b.Cost.Add(NewLine(LineLMIInstances, "instance-hours", u.InstanceHours, rate))
		b.Cost.Add(NewLine(LineLMIManagementFee, "instance-hours", u.InstanceHours, fee))
	}
	for i := range b.Cost.Lines {
		b.Cost.Lines[i].Architecture = it.Architecture
	}
	b.Total, b.TotalUSD = b.Cost.Total, b.Cost.Total.InexactFloat64()

	b.Assumptions.Add(Assumption{Field: "lmi.free_tier", Value: "not applied",
		Why: "AWS does not say whether Lambda's 1M free requests apply to Managed Instances requests; every request is billed"})
	b.Assumptions.Add(Assumption{Field: "lmi.billing_granularity", Value: "instance-hours as given",
		Why: "EC2 bills per second (60 s minimum per instance); the management fee's granularity is not documented, so both are billed on the same instance-hours"})
	b.Assumptions.Add(Assumption{Field: "lmi.management_fee", Value: fmt.Sprintf("15%% of on-demand = $%s/h", fee),
		Why: "AWS's per-type fee table was not captured; the pricing page's rule (15% premium on the EC2 on-demand price) is applied to the price table's on-demand rate, also under a Savings Plan or RI"})
	if region != "us-east-1" {
		b.Assumptions.Add(Assumption{Field: "lmi.requests", Value: "the region's Lambda request rate",
			Why: "AWS publishes the LMI request price ($0.20 per million) for US East (N. Virginia); elsewhere the region's Lambda request rate is assumed"})
	}
	if u.EC2Discount.IsPositive() {
		b.Assumptions.Add(Assumption{Field: "--ec2-discount", Value: u.EC2Discount.String(),
			Why: fmt.Sprintf("the instance rate is on-demand × (1 − discount) = $%s/h unrounded; AWS's published Savings Plan rates are rounded (give --ec2-rate for the exact rate)", rate)})
	}
	b.Assumptions.Add(Assumption{Field: "lmi.other_charges", Value: "not included",
		Why: "the instances' EBS root volumes, data transfer, NAT/VPC endpoints and the CloudWatch Logs ingestion of the function's logs are billed at standard rates outside this bill"})
	return b, nil
}
