package fleet

import (
	"math"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// API Gateway flavours in front of the service.
const (
	APIGatewayNone = ""
	APIGatewayREST = "rest"
	APIGatewayHTTP = "http"
)

// Options are the prices-related choices of a comparison.
type Options struct {
	Scaling Scaling
	// EBSGB is the gp3 volume per EC2 instance (0 = none; DefaultEBSGB
	// in the CLI and the what-if page).
	EBSGB int
	// NoLoadBalancer leaves out the ALB (e.g. a fleet behind an existing one).
	NoLoadBalancer bool
	// EC2Discount is the share taken off on-demand instance-hours by an EC2
	// Instance Savings Plan or reserved instances (0–1; e.g. 0.37 is a 1-year
	// no-upfront t3.medium RI, see pricing-facts §6).
	EC2Discount float64
	// FargateDiscount is the share taken off Fargate by a Compute Savings Plan.
	FargateDiscount float64
	// LambdaDiscount is the share a Compute Savings Plan takes off Lambda
	// duration and provisioned concurrency (not requests; "up to 17%").
	LambdaDiscount float64
	// APIGateway puts an API Gateway (rest or http) in front of the function.
	APIGateway string
	// APIGatewayLambdaOnly charges the API Gateway on the Lambda side only;
	// by default it applies equally in front of the fleet's load balancer.
	APIGatewayLambdaOnly bool
	// FreeTier applies Lambda's monthly free tier.
	FreeTier bool
	// LogBytesPerRequest is how many bytes of CloudWatch logs each Lambda
	// invocation writes when the usage measured none (a dataset's
	// summary.log_bytes): the Lambda side gets a `logs` line. The fleets'
	// logs are not priced (where they go is the fleet's choice).
	LogBytesPerRequest pricing.ByteSize
}

// Validate returns every problem with o (sources name the flags).
func (o Options) Validate() []error {
	errs := o.Scaling.Validate()
	frac := func(v float64, flag string) {
		if math.IsNaN(v) || v < 0 || v >= 1 {
			errs = append(errs, pricing.Inputf(flag, "must be a fraction in [0, 1), e.g. 0.3 for 30%% off"))
		}
	}
	frac(o.EC2Discount, "--ec2-discount")
	frac(o.FargateDiscount, "--fargate-discount")
	frac(o.LambdaDiscount, "--lambda-discount")
	if o.EBSGB < 0 || o.EBSGB > 65536 {
		errs = append(errs, pricing.Inputf("--ebs-gb", "must be between 0 and 65536 GB"))
	}
	switch o.APIGateway {
	case APIGatewayNone, APIGatewayREST, APIGatewayHTTP:
	default:
		errs = append(errs, pricing.Inputf("--api-gateway", "unknown API Gateway %q (want none, rest or http)", o.APIGateway))
	}
	return errs
}

var (
	dHours   = decimal.NewFromInt(pricing.HoursPerMonth)
	dMillion = decimal.NewFromInt(1_000_000)
	dGiB     = float64(1 << 30)
)

// ALB LCU dimensions (pricing-facts §6): 25 new connections per second,
// 3,000 active connections (per minute), 1 GB processed per hour for
// EC2/container targets; rule evaluations are assumed within the 10 free rules.
const (
	lcuNewConnPerS = 25
	lcuActiveConns = 3000
	lcuGBPerHour   = 1
	secondsPerHour = 3600
)

// LCUs returns the load-balancer capacity units w uses at the given mean
// rate: the largest of its dimensions. Every dimension is proportional to
// the rate, so a month of LCU-hours is 730 × LCUs(mean rate).
func LCUs(w Workload, rps float64) float64 {
	w = w.WithDefaults()
	newConn := rps / w.RequestsPerConnection / lcuNewConnPerS
	// A connection carrying RequestsPerConnection requests is open for at
	// least their durations: rps/RPC connections × RPC × duration each.
	active := rps * w.Duration.Seconds() / lcuActiveConns
	gb := rps * w.BytesPerRequest * secondsPerHour / dGiB / lcuGBPerHour
	return math.Max(newConn, math.Max(active, gb))
}

// albCost is the load balancer for a month at the workload's mean rate × scale.
func albCost(p *pricing.ALBPrices, w Workload, scale float64) pricing.Cost {
	var c pricing.Cost
	c.Add(pricing.NewLine(pricing.LineALBHours, "hours", dHours, p.Hour))
	lcuHours := decimal.NewFromFloat(LCUs(w, w.MeanRPS()*scale) * pricing.HoursPerMonth).Round(6)
	c.Add(pricing.NewLine(pricing.LineALBLCU, "LCU-hours", lcuHours, p.LCUHour))
	return c
}

// APIGatewayCost prices requests through an API Gateway of kind (rest or
// http) with its tiers; an empty kind costs nothing.
func APIGatewayCost(t *pricing.PriceTable, region, kind string, requests int64) (pricing.Cost, error) {
	var c pricing.Cost
	if kind == APIGatewayNone || requests <= 0 {
		return c, nil
	}
	p, err := t.APIGatewayFor(region)
	if err != nil {
		return c, err
	}
	tiers := p.HTTP
	if kind == APIGatewayREST {
		tiers = p.REST
	}
	millions := decimal.NewFromInt(requests).Div(dMillion)
	for k, q := range pricing.SplitMillionTiers(millions, tiers) {
		if !q.IsPositive() {
			continue
		}
		l := pricing.NewLine(pricing.LineAPIGateway, "requests", q.Mul(dMillion), tiers[k].PerMillion.Div(dMillion))
		if len(tiers) > 1 {
			l.Tier = k + 1
		}
		c.Add(l)
	}
	return c, nil
}

// discountLine is a negative line taking share d off quantity × unitPrice.
func discountLine(name, unit string, quantity, unitPrice decimal.Decimal, d float64) pricing.CostLine {
	return pricing.NewLine(name, unit, quantity, unitPrice.Mul(decimal.NewFromFloat(d)).Neg())
}

// fleetAPIGateway adds the API Gateway to a fleet when it applies to both sides.
func fleetAPIGateway(t *pricing.PriceTable, region string, w Workload, scale float64, o Options, c *pricing.Cost) error {
	if o.APIGatewayLambdaOnly {
		return nil
	}
	api, err := APIGatewayCost(t, region, o.APIGateway, int64(math.Round(w.MonthlyRequests*scale)))
	if err != nil {
		return err
	}
	for _, l := range api.Lines {
		c.Add(l)
	}
	return nil
}

// EC2Cost sizes and prices a month of an EC2 fleet of instance type it
// serving w × scale: instance-hours (less any commitment discount), a gp3
// volume per instance, the ALB and, when chosen, the API Gateway.
func EC2Cost(t *pricing.PriceTable, region string, it *pricing.InstanceType, w Workload, scale float64, o Options) (Sizing, pricing.Cost, error) {
	sz, err := Size(w, EC2Server(it), o.Scaling, scale)
	if err != nil {
		return sz, pricing.Cost{}, err
	}
	var c pricing.Cost
	hours := sz.hours()
	c.Add(pricing.NewLine(pricing.LineEC2Instances, "hours", hours, it.Hourly))
	if o.EC2Discount > 0 {
		c.Add(discountLine(pricing.LineEC2Commitment, "hours", hours, it.Hourly, o.EC2Discount))
	}
	if o.EBSGB > 0 {
		ebs, err := t.EBSFor(region)
		if err != nil {
			return sz, c, err
		}
		gbMonths := hours.Mul(decimal.NewFromInt(int64(o.EBSGB))).Div(dHours)
		c.Add(pricing.NewLine(pricing.LineEBS, "GB-months", gbMonths, ebs.GP3GBMonth))
	}
	if err := frontCost(t, region, w, scale, o, &c); err != nil {
		return sz, c, err
	}
	return sz, c, nil
}

// frontCost adds what stands in front of a fleet to c: the ALB (unless
// o.NoLoadBalancer) and, when chosen, the API Gateway.
func frontCost(t *pricing.PriceTable, region string, w Workload, scale float64, o Options, c *pricing.Cost) error {
	if !o.NoLoadBalancer {
		alb, err := t.ALBFor(region)
		if err != nil {
			return err
		}
		for _, l := range albCost(alb, w.WithDefaults(), scale).Lines {
			c.Add(l)
		}
	}
	return fleetAPIGateway(t, region, w, scale, o, c)
}

// FargateCost sizes and prices a month of Fargate tasks of size task and
// architecture a serving w × scale: vCPU-hours and GB-hours (less any
// Savings Plan discount), the ALB and, when chosen, the API Gateway.
func FargateCost(t *pricing.PriceTable, region string, task FargateTask, a pricing.Architecture, w Workload, scale float64, o Options) (Sizing, pricing.Cost, error) {
	p, err := t.FargateFor(region, a)
	if err != nil {
		return Sizing{}, pricing.Cost{}, err
	}
	sz, err := Size(w, task.Server(a), o.Scaling, scale)
	if err != nil {
		return sz, pricing.Cost{}, err
	}
	var c pricing.Cost
	hours := sz.hours()
	vcpuH := hours.Mul(decimal.NewFromFloat(task.VCPU))
	gbH := hours.Mul(decimal.NewFromFloat(task.MemoryGB))
	c.Add(pricing.NewLine(pricing.LineFargateVCPU, "vCPU-hours", vcpuH, p.VCPUHour))
	c.Add(pricing.NewLine(pricing.LineFargateMemory, "GB-hours", gbH, p.GBHour))
	if o.FargateDiscount > 0 {
		c.Add(discountLine(pricing.LineFargateCommitment, "vCPU-hours", vcpuH, p.VCPUHour, o.FargateDiscount))
		c.Add(discountLine(pricing.LineFargateCommitment, "GB-hours", gbH, p.GBHour, o.FargateDiscount))
	}
	if err := frontCost(t, region, w, scale, o, &c); err != nil {
		return sz, c, err
	}
	return sz, c, nil
}

// LambdaMonthsCost is LambdaCost for a span longer than a month whose
// usage is known month by month (months: each month's usage projected to
// a whole month, and the seconds of the span it covers): every month is
// scaled to the volume as base is (volume ÷ base's requests) and billed on
// its own — Lambda's free tier and tiers are monthly — and the result is
// the mean of the months' bills (pricing.MeanMonthCost). With fewer than
// two months it is LambdaCost of base.
func LambdaMonthsCost(t *pricing.PriceTable, region string, fc pricing.FunctionConfig, base pricing.BilledUsage, months []pricing.MonthUsage, volume float64, o Options) (pricing.Cost, error) {
	if len(months) < 2 || base.Requests <= 0 {
		return LambdaCost(t, region, fc, base, volume, o)
	}
	f := volume / float64(base.Requests)
	parts := make([]pricing.MonthCost, len(months))
	for i, m := range months {
		c, err := LambdaCost(t, region, fc, m.Usage, float64(m.Usage.Requests)*f, o)
		if err != nil {
			return pricing.Cost{}, err
		}
		parts[i] = pricing.MonthCost{Cost: c, Seconds: m.Seconds}
	}
	return pricing.MeanMonthCost(parts), nil
}

// LambdaCost prices a month of the function at a monthly volume. base is
// the function's billed usage for one month at its observed volume; every
// per-request quantity (requests, billed ms including INIT, cold starts,
// provisioned ms) scales with the volume while the provisioned environments
// (a fixed monthly charge) stay as they are. A Compute Savings Plan
// discount and the API Gateway are added as their own lines.
func LambdaCost(t *pricing.PriceTable, region string, fc pricing.FunctionConfig, base pricing.BilledUsage, volume float64, o Options) (pricing.Cost, error) {
	u := base
	if base.Requests > 0 {
		u = base.Scale(volume / float64(base.Requests))
	}
	u.Requests = int64(math.Round(volume))
	u.ProvisionedEnvSeconds = base.ProvisionedEnvSeconds
	if u.LogBytes == 0 && o.LogBytesPerRequest > 0 {
		lb, ok := pricing.MulInt64(u.Requests, int64(o.LogBytesPerRequest))
		if !ok {
			return pricing.Cost{}, pricing.Inputf("--log-bytes", "%d requests × %d bytes exceed the largest volume lambdacost can bill exactly", u.Requests, o.LogBytesPerRequest)
		}
		u.LogBytes = lb
	}
	b, err := t.LambdaBill(region, []pricing.Item{{Function: fc, Usage: u}}, pricing.Options{FreeTier: o.FreeTier})
	if err != nil {
		return pricing.Cost{}, err
	}
	c := b.Cost
	out := pricing.Cost{Lines: append([]pricing.CostLine(nil), c.Lines...), Total: c.Total}
	if o.LambdaDiscount > 0 {
		covered := decimal.Zero
		for _, l := range c.Lines {
			switch l.Name {
			case pricing.LineDuration, pricing.LineProvisionedConcurrency, pricing.LineProvisionedDuration:
				covered = covered.Add(l.Cost)
			}
		}
		if covered.IsPositive() {
			out.Add(discountLine(pricing.LineLambdaSavingsPlans, "USD", covered, decimal.NewFromInt(1), o.LambdaDiscount))
		}
	}
	api, err := APIGatewayCost(t, region, o.APIGateway, u.Requests)
	if err != nil {
		return pricing.Cost{}, err
	}
	for _, l := range api.Lines {
		out.Add(l)
	}
	return out, nil
}

// DefaultEBSGB is the gp3 volume per EC2 instance when none is given
// (`compare --ebs-gb`'s default, the what-if page's): an OS disk.
const DefaultEBSGB = 20
