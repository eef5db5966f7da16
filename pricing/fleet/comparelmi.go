package fleet

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// LMIResult is Lambda Managed Instances sized and priced for the month: the
// capacity provider's instance type, its sizing and its bill (requests,
// instance-hours, management fee; API Gateway when one is in front).
type LMIResult struct {
	InstanceType string               `json:"instance_type"`
	Architecture pricing.Architecture `json:"architecture"`
	LMISizing
	MonthlyCostUSD float64         `json:"monthly_cost_usd"`
	Cost           pricing.Cost    `json:"cost"`
	Total          decimal.Decimal `json:"-"`
	// InstancesOverTime is the fleet in each interval of the traffic
	// profile (IntervalSeconds wide), when there is one.
	IntervalSeconds   float64 `json:"interval_seconds,omitempty"`
	InstancesOverTime []int   `json:"instances_over_time,omitempty"`
}

// lmiCompareCost prices LMI on instance type it for w × scale: the LMI
// bill plus the API Gateway in front when there is one (LMI functions are
// invoked like any Lambda function, so the gateway applies to them even
// with APIGatewayLambdaOnly).
func lmiCompareCost(t *pricing.PriceTable, region string, it *pricing.InstanceType, w Workload, c LMIConfig, scale float64, o Options) (LMISizing, pricing.Cost, pricing.Assumptions, error) {
	sz, b, err := LMICost(t, region, it, w, c, scale)
	if err != nil {
		return sz, pricing.Cost{}, nil, err
	}
	out := pricing.Cost{Lines: append([]pricing.CostLine(nil), b.Cost.Lines...), Total: b.Cost.Total}
	api, err := APIGatewayCost(t, region, o.APIGateway, int64(math.Round(w.MonthlyRequests*scale)))
	if err != nil {
		return sz, out, nil, err
	}
	for _, l := range api.Lines {
		out.Add(l)
	}
	return sz, out, b.Assumptions, nil
}

// fitLMIConfig widens the environment until one request's memory fits:
// the memory per vCPU doubles up to 8 GiB, then the vCPUs double up to 16.
// It returns a note when it changed anything.
func fitLMIConfig(w Workload, c LMIConfig) (LMIConfig, string) {
	c0 := c.WithDefaults()
	cc := c0
	for cc.EnvVCPU*cc.MemoryGiBPerVCPU*1024 < w.MemoryPerRequestMB {
		switch {
		case cc.MemoryGiBPerVCPU < LMIMaxMemoryPerVCPU:
			cc.MemoryGiBPerVCPU = math.Min(LMIMaxMemoryPerVCPU, cc.MemoryGiBPerVCPU*2)
		case cc.EnvVCPU < 16:
			cc.EnvVCPU = math.Min(16, cc.EnvVCPU*2)
		default:
			return c, ""
		}
	}
	if cc.EnvVCPU == c0.EnvVCPU && cc.MemoryGiBPerVCPU == c0.MemoryGiBPerVCPU {
		return c, ""
	}
	c.EnvVCPU, c.MemoryGiBPerVCPU = cc.EnvVCPU, cc.MemoryGiBPerVCPU
	return c, fmt.Sprintf("LMI: one request's %.0f MB needs an execution environment of %g vCPU × %g GiB/vCPU", w.MemoryPerRequestMB, cc.EnvVCPU, cc.MemoryGiBPerVCPU)
}

// compareLMI adds Lambda Managed Instances to a comparison: every allowed
// instance type (or the given ones) is sized and priced, the cheapest is
// res.LMI, and the break-even volumes against Lambda are added. It returns
// the LMI bill at any volume, for the curve (fillLMICurve).
func compareLMI(t *pricing.PriceTable, in Input, w Workload, res *Result, limit float64, lambdaAt func(pricing.Architecture, float64) (pricing.Cost, error)) (func(float64) (decimal.Decimal, int, error), error) {
	c := in.LMI
	c.EC2Discount = in.Options.EC2Discount
	if c.ScaleOutLag == 0 {
		c.ScaleOutLag = in.Options.Scaling.ScaleOutLag
	}
	if c.Runtime != "" && LMIRuntimeFamily(c.Runtime) == "" {
		if !strings.HasPrefix(c.Runtime, "provided") {
			res.Notes = append(res.Notes, fmt.Sprintf("LMI left out: Lambda Managed Instances support Java 21+, Python 3.13+, Node.js 22+, .NET 8+ and OS-only runtimes, not %s", c.Runtime))
			return nil, nil
		}
		if c.MaxConcurrency == 0 {
			return nil, pricing.Inputf("--lmi-max-concurrency", "is needed for the OS-only runtime %s (it has no documented default concurrency)", c.Runtime)
		}
	}
	if err := pricing.Errors(c.WithDefaults().Validate()); err != nil {
		return nil, err
	}
	c, note := fitLMIConfig(w, c)
	if note != "" {
		res.Notes = append(res.Notes, note)
	}
	if len(w.Profile) > 0 {
		w.demand = newDemand(w.Profile, w.ProfileInterval, c.ScaleOutLag)
	}
	types, err := LMICandidates(t, in.Region, in.LMIInstanceTypes)
	if err != nil {
		if len(in.LMIInstanceTypes) == 0 && pricing.IsInput(err) {
			// Not asked for by name: the comparison goes on without it.
			res.Notes = append(res.Notes, "LMI left out: "+err.Error())
			return nil, nil
		}
		return nil, err
	}
	var opts []LMIResult
	var skipped []error
	for _, it := range types {
		sz, cost, as, err := lmiCompareCost(t, in.Region, it, w, c, 1, in.Options)
		if err != nil {
			if pricing.IsInput(err) && len(types) > 1 {
				skipped = append(skipped, err)
				continue
			}
			return nil, err
		}
		sz.Assumptions = as
		opts = append(opts, LMIResult{InstanceType: it.Name, Architecture: it.Architecture, LMISizing: sz, MonthlyCostUSD: cost.TotalUSD(), Cost: cost, Total: cost.Total})
	}
	if len(opts) == 0 {
		if len(in.LMIInstanceTypes) == 0 {
			res.Notes = append(res.Notes, "LMI left out: "+pricing.Errors(skipped).Error())
			return nil, nil
		}
		return nil, pricing.Errors(skipped)
	}
	sort.SliceStable(opts, func(i, j int) bool { return opts[i].Total.LessThan(opts[j].Total) })
	best := opts[0]
	res.LMI = &best
	if len(opts) > 1 {
		res.LMIOptions = opts
	}
	it, err := t.LMIInstance(in.Region, best.InstanceType)
	if err != nil {
		return nil, err
	}
	if len(w.Profile) > 0 {
		if best.InstancesOverTime, err = LMIInstancesOverTime(w, it, c); err != nil {
			return nil, err
		}
		best.IntervalSeconds = w.ProfileInterval.Seconds()
		res.LMI = &best
	}
	lmiAt := func(v float64) (decimal.Decimal, int, error) {
		sz, cost, _, err := lmiCompareCost(t, in.Region, it, w, c, scaleFor(w, v), in.Options)
		return cost.Total, sz.Instances, err
	}
	step := 0.0
	if len(w.Profile) == 0 {
		step = stepVolume(w, best.CapacityRPS)
	}
	for _, a := range pricing.Architectures {
		diff := func(v float64) (float64, error) {
			l, err := lambdaAt(a, v)
			if err != nil {
				return 0, err
			}
			f, _, err := lmiAt(v)
			if err != nil {
				return 0, err
			}
			return l.Total.Sub(f).InexactFloat64(), nil
		}
		v, found, err := FindBreakeven(diff, step, best.MinInstances, limit)
		if err != nil {
			return nil, err
		}
		be := Breakeven{LambdaArchitecture: a, Fleet: "lmi"}
		if found {
			be.RequestsPerMonth = &v
			be.MeanRPS = float64(v) / pricing.SecondsPerMonth
			if c, _, err := lmiAt(float64(v)); err == nil {
				be.CostUSD = c.InexactFloat64()
			}
		}
		res.Breakevens = append(res.Breakevens, be)
	}
	return lmiAt, nil
}

// fillLMICurve adds the LMI bill to every point of the curve.
func fillLMICurve(res *Result, lmiAt func(float64) (decimal.Decimal, int, error)) error {
	for i := range res.Curve {
		p := &res.Curve[i]
		cost, n, err := lmiAt(float64(p.RequestsPerMonth))
		if err != nil {
			return err
		}
		p.LMIUSD, p.LMIInstances = cost.InexactFloat64(), n
	}
	return nil
}

// PairBreakeven is where two options that are both paid by the hour swap
// places: CheaperBelow costs less than Other up to RequestsPerMonth
// (exclusive), and no less from there; null when it stays cheaper over the
// curve's range. Both bills are step functions of the volume, so the
// crossing is the first one found on FindBreakeven's 5 % grid, refined by
// bisection: a crossing narrower than the grid may be missed.
type PairBreakeven struct {
	CheaperBelow     string  `json:"cheaper_below"`
	Other            string  `json:"other"`
	RequestsPerMonth *int64  `json:"requests_per_month"`
	MeanRPS          float64 `json:"mean_rps,omitempty"`
}

// pairBreakeven finds where a and b swap places below hi requests a month;
// the one cheaper at the smallest volume (1,000 requests) is CheaperBelow.
func pairBreakeven(aName string, a func(float64) (decimal.Decimal, error), bName string, b func(float64) (decimal.Decimal, error), hi float64) (PairBreakeven, error) {
	ca, err := a(1000)
	if err != nil {
		return PairBreakeven{}, err
	}
	cb, err := b(1000)
	if err != nil {
		return PairBreakeven{}, err
	}
	lo, loName, up, upName := a, aName, b, bName
	if cb.LessThan(ca) {
		lo, loName, up, upName = b, bName, a, aName
	}
	diff := func(v float64) (float64, error) {
		l, err := lo(v)
		if err != nil {
			return 0, err
		}
		u, err := up(v)
		if err != nil {
			return 0, err
		}
		return l.Sub(u).InexactFloat64(), nil
	}
	pb := PairBreakeven{CheaperBelow: loName, Other: upName}
	v, found, err := FindBreakeven(func(v float64) (float64, error) {
		if v < 1000 {
			return -1, nil // below the reference volume the order is as at 1,000
		}
		return diff(v)
	}, 0, 0, hi)
	if err != nil {
		return pb, err
	}
	if found {
		pb.RequestsPerMonth = &v
		pb.MeanRPS = float64(v) / pricing.SecondsPerMonth
	}
	return pb, nil
}
