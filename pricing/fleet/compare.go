package fleet

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// Input is everything a comparison needs.
type Input struct {
	Region string
	// Name labels the comparison (the scenario or function name).
	Name string
	// Function is the Lambda function; its architecture is the one
	// Result.Lambda.MonthlyCostUSD reports (both are always priced).
	Function pricing.FunctionConfig
	// Usage is the function's billed usage for one month at
	// Workload.MonthlyRequests (from the simulator or a dataset). Zero:
	// derived from the workload (every request Duration, rounded up to the ms).
	Usage pricing.BilledUsage
	// Months is the usage month by month (each projected to a whole
	// month) of a simulated span longer than a month: the Lambda side
	// bills each month on its own and takes their mean (LambdaMonthsCost);
	// nil: Usage is billed as one month.
	Months []pricing.MonthUsage
	// Workload is the traffic and per-request needs on a server.
	Workload Workload
	// MemoryNotMeasured says that the dataset's source does not measure
	// the memory the function used, so Workload.MemoryPerRequestMB is its
	// configured memory (DefaultMemoryPerRequestMB), not a measurement
	// (PerRequest.AssumedNotes says so).
	MemoryNotMeasured bool
	// InstanceTypes are the EC2 candidates; empty means every
	// non-burstable type priced in the region. The cheapest is chosen.
	InstanceTypes []string
	// FargateTask is the Fargate task size (zero: DefaultFargateTask).
	FargateTask FargateTask
	Options     Options
	// LMI configures the Lambda Managed Instances option (zero: AWS's
	// defaults, see LMIConfig); LMIInstanceTypes are its candidates (empty:
	// every c, m and r type priced in the region); NoLMI leaves it out.
	LMI              LMIConfig
	LMIInstanceTypes []string
	NoLMI            bool
	// CurvePointsPerDecade sets the curve's density (default 4).
	CurvePointsPerDecade int
}

// Result is a comparison of Lambda with always-on fleets for one workload
// (the `compare -o json` contract).
type Result struct {
	Name      string          `json:"name,omitempty"`
	Region    string          `json:"region"`
	PriceDate string          `json:"price_date"`
	Workload  WorkloadSummary `json:"workload"`
	Lambda    LambdaResult    `json:"lambda"`
	// EC2 is the cheapest EC2 fleet among the candidates; EC2Options all of them.
	EC2        FleetResult   `json:"ec2"`
	EC2Options []FleetResult `json:"ec2_options"`
	// Fargate is the cheaper architecture; FargateOptions both.
	Fargate        FleetResult   `json:"fargate"`
	FargateOptions []FleetResult `json:"fargate_options"`
	// LMI is Lambda Managed Instances on the cheapest allowed instance
	// type; LMIOptions all the types priced (when more than one).
	LMI        *LMIResult  `json:"lmi,omitempty"`
	LMIOptions []LMIResult `json:"lmi_options,omitempty"`
	// BreakevenRequestsPerMonth is where the function's own architecture
	// costs as much as the EC2 fleet; null when Lambda is cheaper at every
	// volume searched (up to MaxSearchRequests).
	BreakevenRequestsPerMonth *int64      `json:"breakeven_requests_per_month"`
	Breakevens                []Breakeven `json:"breakevens"`
	// PairBreakevens are the volumes at which LMI and each always-on
	// fleet swap places (see PairBreakeven); empty without LMI.
	PairBreakevens []PairBreakeven `json:"pair_breakevens,omitempty"`
	Curve          []CurvePoint    `json:"curve"`
	// Cheapest names the cheapest option at the current volume.
	Cheapest string `json:"cheapest"`
	// Saving is what the cheapest option saves against the current Lambda
	// bill at the current volume.
	Saving Saving   `json:"saving"`
	Notes  []string `json:"notes,omitempty"`
	// Assumptions lists the values the comparison depends on that were
	// not measured (filled by the caller that knows them: the dataset's
	// window → month extrapolation, unknown configuration, …).
	Assumptions pricing.Assumptions `json:"assumptions,omitempty"`
}

// Saving compares the cheapest option with the function's current Lambda
// bill (its own architecture) for the month at the current volume.
type Saving struct {
	// Current names the current option ("lambda x86_64"), Cheapest the
	// cheapest (Result.Cheapest); both at the current volume.
	Current            string  `json:"current"`
	Cheapest           string  `json:"cheapest"`
	CurrentMonthlyUSD  float64 `json:"current_monthly_usd"`
	CheapestMonthlyUSD float64 `json:"cheapest_monthly_usd"`
	// MonthlyUSD is the current bill minus the cheapest (0 when the
	// current Lambda bill is the cheapest; never negative).
	MonthlyUSD float64 `json:"monthly_usd"`
	// Percent is MonthlyUSD as a percentage of the current bill; null when
	// the current bill is zero (e.g. within the free tier).
	Percent *float64 `json:"percent"`
}

// WorkloadSummary is the traffic the comparison is for.
type WorkloadSummary struct {
	MonthlyRequests    float64 `json:"monthly_requests"`
	MeanRPS            float64 `json:"mean_rps"`
	PeakRPS            float64 `json:"peak_rps"`
	DurationMs         float64 `json:"duration_ms"`
	CPUFraction        float64 `json:"cpu_fraction"`
	CPUMsPerRequest    float64 `json:"cpu_ms_per_request"`
	MemoryPerRequestMB float64 `json:"memory_per_request_mb"`
	BytesPerRequest    float64 `json:"bytes_per_request"`
	Autoscale          bool    `json:"autoscale"`
	TargetUtilization  float64 `json:"target_utilization"`
	MinInstances       int     `json:"min_instances"`
	APIGateway         string  `json:"api_gateway,omitempty"`
}

// LambdaResult is the Lambda bill for the month in both architectures.
type LambdaResult struct {
	// MonthlyCostUSD is the bill of the function's configured architecture.
	MonthlyCostUSD float64              `json:"monthly_cost_usd"`
	Architecture   pricing.Architecture `json:"architecture"`
	MemoryMB       int                  `json:"memory_mb"`
	X86            LambdaArch           `json:"x86_64"`
	ARM            LambdaArch           `json:"arm64"`
}

// Arch returns the bill of one architecture.
func (l LambdaResult) Arch(a pricing.Architecture) LambdaArch {
	if a == pricing.ARM64 {
		return l.ARM
	}
	return l.X86
}

// LambdaArch is one architecture's monthly Lambda bill.
type LambdaArch struct {
	MonthlyCostUSD float64         `json:"monthly_cost_usd"`
	Cost           pricing.Cost    `json:"cost"`
	Total          decimal.Decimal `json:"-"`
}

// FleetResult is one always-on fleet, sized and priced for the month.
type FleetResult struct {
	Kind         string               `json:"kind"` // "ec2" | "fargate"
	InstanceType string               `json:"instance_type"`
	Architecture pricing.Architecture `json:"architecture"`
	Sizing
	MonthlyCostUSD float64         `json:"monthly_cost_usd"`
	Cost           pricing.Cost    `json:"cost"`
	Total          decimal.Decimal `json:"-"`
	// Task is the Fargate task size (Fargate only).
	Task *FargateTask `json:"task,omitempty"`
}

// Breakeven is the monthly volume at which a Lambda architecture costs as
// much as a fleet: below it Lambda is cheaper.
type Breakeven struct {
	LambdaArchitecture pricing.Architecture `json:"lambda_architecture"`
	Fleet              string               `json:"fleet"` // "ec2" | "fargate"
	// RequestsPerMonth is the smallest volume at which the fleet costs no
	// more than Lambda; null when there is none up to MaxSearchRequests.
	RequestsPerMonth *int64  `json:"requests_per_month"`
	MeanRPS          float64 `json:"mean_rps,omitempty"`
	CostUSD          float64 `json:"cost_usd,omitempty"`
}

// CurvePoint is both bills at one monthly volume.
type CurvePoint struct {
	RequestsPerMonth int64   `json:"requests_per_month"`
	LambdaX86USD     float64 `json:"lambda_x86_64_usd"`
	LambdaARMUSD     float64 `json:"lambda_arm64_usd"`
	EC2USD           float64 `json:"ec2_usd"`
	EC2Instances     int     `json:"ec2_instances"`
	FargateUSD       float64 `json:"fargate_usd"`
	// LMIUSD and LMIInstances are Lambda Managed Instances (when compared).
	LMIUSD       float64 `json:"lmi_usd,omitempty"`
	LMIInstances int     `json:"lmi_instances,omitempty"`
	// Current marks the workload's own volume.
	Current bool `json:"current,omitempty"`
}

// maxStepPoints is how many fleet steps the break-even search checks exactly.
const maxStepPoints = 250

// MaxSearchRequests bounds the break-even search: 10^15 requests a month
// (about 380 million requests per second).
const MaxSearchRequests = 1e15

// Compare prices the workload on Lambda (x86_64 and arm64), on the cheapest
// EC2 fleet among the candidates and on Fargate, finds the break-even
// volumes and draws the cost curves.
func Compare(t *pricing.PriceTable, in Input) (*Result, error) {
	in.Workload = in.Workload.WithDefaults()
	in.Options.Scaling = in.Options.Scaling.WithDefaults()
	if in.FargateTask == (FargateTask{}) {
		in.FargateTask = fittingTask(in.Workload, in.Options.Scaling.TargetUtilization)
	}
	if in.CurvePointsPerDecade <= 0 {
		in.CurvePointsPerDecade = 4
	}
	fc := in.Function.WithDefaults()
	var errs []error
	errs = append(errs, in.Workload.Validate()...)
	errs = append(errs, in.Options.Validate()...)
	errs = append(errs, fc.Validate("")...)
	if err := in.FargateTask.Validate(); err != nil {
		errs = append(errs, err)
	}
	if in.Options.Scaling.Autoscale && len(in.Workload.Profile) == 0 {
		errs = append(errs, pricing.Inputf("--autoscale", "needs a traffic profile (a scenario or a dataset with a series)"))
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	w := in.Workload
	if in.Options.Scaling.Autoscale {
		w.demand = newDemand(w.Profile, w.ProfileInterval, in.Options.Scaling.ScaleOutLag)
	}
	base := in.Usage
	if base.Requests == 0 {
		n := int64(math.Round(w.MonthlyRequests))
		base = pricing.BilledUsage{Requests: n, OnDemandMs: n * pricing.BilledMs(w.Duration)}
	}
	res := &Result{Name: in.Name, Region: in.Region, PriceDate: t.Date}
	res.Workload = WorkloadSummary{
		MonthlyRequests: w.MonthlyRequests, MeanRPS: w.MeanRPS(), PeakRPS: w.PeakRPS,
		DurationMs: float64(w.Duration) / 1e6, CPUFraction: w.CPUFraction, CPUMsPerRequest: w.CPUSeconds() * 1000,
		MemoryPerRequestMB: w.MemoryPerRequestMB, BytesPerRequest: w.BytesPerRequest,
		Autoscale: in.Options.Scaling.Autoscale, TargetUtilization: in.Options.Scaling.TargetUtilization,
		MinInstances: in.Options.Scaling.MinInstances, APIGateway: in.Options.APIGateway,
	}

	// Lambda, both architectures. The break-even searches and the curve
	// visit the same volumes for both fleets: price each once.
	type key struct {
		a pricing.Architecture
		v float64
	}
	memo := map[key]pricing.Cost{}
	lambdaAt := func(a pricing.Architecture, v float64) (pricing.Cost, error) {
		if c, ok := memo[key{a, v}]; ok {
			return c, nil
		}
		f := fc
		f.Architecture = a
		c, err := LambdaMonthsCost(t, in.Region, f, base, in.Months, v, in.Options)
		if err == nil {
			memo[key{a, v}] = c
		}
		return c, err
	}
	res.Lambda = LambdaResult{Architecture: fc.Architecture, MemoryMB: fc.MemoryMB}
	for _, a := range pricing.Architectures {
		c, err := lambdaAt(a, w.MonthlyRequests)
		if err != nil {
			return nil, err
		}
		la := LambdaArch{MonthlyCostUSD: c.TotalUSD(), Cost: c, Total: c.Total}
		if a == pricing.ARM64 {
			res.Lambda.ARM = la
		} else {
			res.Lambda.X86 = la
		}
	}
	res.Lambda.MonthlyCostUSD = res.Lambda.Arch(fc.Architecture).MonthlyCostUSD

	// EC2 candidates.
	types, notes, err := candidates(t, in.Region, in.InstanceTypes)
	if err != nil {
		return nil, err
	}
	res.Notes = append(res.Notes, notes...)
	var tooSmall []error
	for _, it := range types {
		sz, c, err := EC2Cost(t, in.Region, it, w, 1, in.Options)
		if err != nil {
			if pricing.IsInput(err) && len(types) > 1 {
				tooSmall = append(tooSmall, err)
				res.Notes = append(res.Notes, "skipped "+err.Error())
				continue
			}
			return nil, err
		}
		res.EC2Options = append(res.EC2Options, FleetResult{Kind: "ec2", InstanceType: it.Name, Architecture: it.Architecture, Sizing: sz, MonthlyCostUSD: c.TotalUSD(), Cost: c, Total: c.Total})
	}
	if len(res.EC2Options) == 0 {
		return nil, pricing.Errors(tooSmall)
	}
	sort.SliceStable(res.EC2Options, func(i, j int) bool { return res.EC2Options[i].Total.LessThan(res.EC2Options[j].Total) })
	res.EC2 = res.EC2Options[0]
	ec2Type, _ := t.Instance(in.Region, res.EC2.InstanceType)

	// Fargate, both architectures.
	for _, a := range pricing.Architectures {
		sz, c, err := FargateCost(t, in.Region, in.FargateTask, a, w, 1, in.Options)
		if err != nil {
			return nil, err
		}
		task := in.FargateTask
		res.FargateOptions = append(res.FargateOptions, FleetResult{Kind: "fargate", InstanceType: task.Server(a).Name, Architecture: a, Sizing: sz, MonthlyCostUSD: c.TotalUSD(), Cost: c, Total: c.Total, Task: &task})
	}
	sort.SliceStable(res.FargateOptions, func(i, j int) bool { return res.FargateOptions[i].Total.LessThan(res.FargateOptions[j].Total) })
	res.Fargate = res.FargateOptions[0]

	// Break-even volumes and curves.
	ec2At := func(v float64) (decimal.Decimal, int, error) {
		sz, c, err := EC2Cost(t, in.Region, ec2Type, w, scaleFor(w, v), in.Options)
		return c.Total, sz.Instances, err
	}
	fargateAt := func(v float64) (decimal.Decimal, error) {
		_, c, err := FargateCost(t, in.Region, in.FargateTask, res.Fargate.Architecture, w, scaleFor(w, v), in.Options)
		return c.Total, err
	}
	fleets := []struct {
		name string
		cost func(float64) (decimal.Decimal, error)
		step float64 // volume per server at the peak (peak sizing), 0 = unknown
		min  int
	}{
		{"ec2", func(v float64) (decimal.Decimal, error) { c, _, err := ec2At(v); return c, err }, stepVolume(w, res.EC2.CapacityRPS), in.Options.Scaling.MinInstances},
		{"fargate", fargateAt, stepVolume(w, res.Fargate.CapacityRPS), in.Options.Scaling.MinInstances},
	}
	if in.Options.Scaling.Autoscale {
		for i := range fleets {
			fleets[i].step = 0
		}
	}
	// The search and the curve stop where Lambda can no longer be priced
	// (a higher duration tier whose price the table lacks for the region).
	limit := float64(MaxSearchRequests)
	for _, a := range pricing.Architectures {
		if _, err := lambdaAt(a, limit); err != nil {
			l, err := pricedUpTo(func(v float64) error { _, err := lambdaAt(a, v); return err }, w.MonthlyRequests, limit)
			if err != nil {
				return nil, err
			}
			limit = l
			res.Notes = append(res.Notes, fmt.Sprintf("volumes above %s requests a month cannot be priced in %s (a higher Lambda duration tier's price is not known; run lambdacost pricing --update): the break-even search and the curve stop there", pricing.GroupThousands(int64(math.Round(limit))), in.Region))
		}
	}
	for _, a := range pricing.Architectures {
		for _, fl := range fleets {
			a := a
			diff := func(v float64) (float64, error) {
				l, err := lambdaAt(a, v)
				if err != nil {
					return 0, err
				}
				f, err := fl.cost(v)
				if err != nil {
					return 0, err
				}
				return l.Total.Sub(f).InexactFloat64(), nil
			}
			v, found, err := FindBreakeven(diff, fl.step, fl.min, limit)
			if err != nil {
				return nil, err
			}
			be := Breakeven{LambdaArchitecture: a, Fleet: fl.name}
			if found {
				be.RequestsPerMonth = &v
				be.MeanRPS = float64(v) / pricing.SecondsPerMonth
				if c, err := fl.cost(float64(v)); err == nil {
					be.CostUSD = c.InexactFloat64()
				}
			}
			res.Breakevens = append(res.Breakevens, be)
			if a == fc.Architecture && fl.name == "ec2" {
				res.BreakevenRequestsPerMonth = be.RequestsPerMonth
			}
		}
	}
	var lmiAt func(float64) (decimal.Decimal, int, error)
	if !in.NoLMI {
		if lmiAt, err = compareLMI(t, in, w, res, limit, lambdaAt); err != nil {
			return nil, err
		}
	}
	curve, err := buildCurve(res, w.MonthlyRequests, limit, in.CurvePointsPerDecade, lambdaAt, ec2At, fargateAt)
	if err != nil {
		return nil, err
	}
	res.Curve = curve
	if lmiAt != nil {
		if err := fillLMICurve(res, lmiAt); err != nil {
			return nil, err
		}
		ec2Cost := func(v float64) (decimal.Decimal, error) { c, _, err := ec2At(v); return c, err }
		lmiCost := func(v float64) (decimal.Decimal, error) { c, _, err := lmiAt(v); return c, err }
		hi := limit
		if n := len(res.Curve); n > 0 {
			hi = math.Min(hi, float64(res.Curve[n-1].RequestsPerMonth))
		}
		for _, p := range []struct {
			name string
			cost func(float64) (decimal.Decimal, error)
		}{{"ec2 " + res.EC2.InstanceType, ec2Cost}, {"fargate " + string(res.Fargate.Architecture), fargateAt}} {
			pb, err := pairBreakeven("lmi "+res.LMI.InstanceType, lmiCost, p.name, p.cost, hi)
			if err != nil {
				return nil, err
			}
			res.PairBreakevens = append(res.PairBreakevens, pb)
		}
	}
	var best decimal.Decimal
	res.Cheapest, best = cheapest(res)
	res.Saving = saving(res, best)
	if strings.HasPrefix(res.EC2.InstanceType, "t") {
		res.Notes = append(res.Notes, fmt.Sprintf("%s is burstable: sustained CPU above its baseline bills CPU credits ($0.05 per vCPU-hour), which this comparison does not include", res.EC2.InstanceType))
	}
	return res, nil
}

// pricedUpTo returns the largest whole volume in [from, to] that price
// accepts, by bisection (prices fail from some volume on, as higher tiers
// come into use). It fails when even from cannot be priced.
func pricedUpTo(price func(float64) error, from, to float64) (float64, error) {
	if err := price(from); err != nil {
		return 0, err
	}
	lo, hi := int64(from), int64(to)
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		if price(float64(mid)) == nil {
			lo = mid
		} else {
			hi = mid
		}
	}
	return float64(lo), nil
}

// taskLadder is the sequence of Fargate task sizes tried when none is given.
var taskLadder = []FargateTask{{1, 2}, {1, 4}, {1, 8}, {2, 16}, {4, 30}, {8, 60}, {16, 120}}

// fittingTask is the default task (1 vCPU, 2 GB) or, when one request
// needs more memory than it offers at target utilisation u, the smallest
// task of taskLadder that holds one.
func fittingTask(w Workload, u float64) FargateTask {
	for _, t := range taskLadder {
		if t.MemoryGB*1024*u >= w.MemoryPerRequestMB {
			return t
		}
	}
	return taskLadder[len(taskLadder)-1]
}

// scaleFor is the factor taking w to volume v.
func scaleFor(w Workload, v float64) float64 {
	if w.MonthlyRequests <= 0 {
		return 0
	}
	return v / w.MonthlyRequests
}

// stepVolume is the monthly volume one more server adds when the fleet is
// sized for the peak: the fleet has n servers up to n × step.
func stepVolume(w Workload, capRPS float64) float64 {
	if w.PeakRPS <= 0 || capRPS <= 0 || math.IsInf(capRPS, 0) {
		return 0
	}
	return capRPS * w.MonthlyRequests / w.PeakRPS
}

// candidates resolves the EC2 instance types to consider.
func candidates(t *pricing.PriceTable, region string, names []string) ([]*pricing.InstanceType, []string, error) {
	var notes []string
	if len(names) == 0 {
		var out []*pricing.InstanceType
		for _, it := range t.Instances(region) {
			if !strings.HasPrefix(it.Name, "t") {
				out = append(out, it)
			}
		}
		if len(out) == 0 {
			return nil, nil, pricing.Inputf("--region", "no EC2 prices for region %q", region)
		}
		notes = append(notes, "EC2 candidates: every non-burstable instance type priced in "+region+" (choose with --instance-type)")
		return out, notes, nil
	}
	var out []*pricing.InstanceType
	var errs []error
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		it, err := t.Instance(region, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, it)
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, nil, err
	}
	if len(out) == 0 {
		return nil, nil, pricing.Inputf("--instance-type", "no instance type given")
	}
	return out, notes, nil
}

// saving compares the cheapest option (its monthly total best) with the
// function's own architecture on Lambda: exact decimal arithmetic, the
// percentage of the current bill.
func saving(r *Result, best decimal.Decimal) Saving {
	cur := r.Lambda.Arch(r.Lambda.Architecture).Total
	d := cur.Sub(best)
	sv := Saving{Current: "lambda " + string(r.Lambda.Architecture), Cheapest: r.Cheapest,
		CurrentMonthlyUSD: cur.InexactFloat64(), CheapestMonthlyUSD: best.InexactFloat64(), MonthlyUSD: d.InexactFloat64()}
	if cur.IsPositive() {
		p := d.Div(cur).Mul(decimal.NewFromInt(100)).InexactFloat64()
		sv.Percent = &p
	}
	return sv
}

// cheapest names the cheapest option at the workload's volume and
// returns its monthly total.
func cheapest(r *Result) (string, decimal.Decimal) {
	type opt struct {
		name string
		d    decimal.Decimal
	}
	opts := []opt{
		{"lambda x86_64", r.Lambda.X86.Total},
		{"lambda arm64", r.Lambda.ARM.Total},
		{"ec2 " + r.EC2.InstanceType, r.EC2.Total},
		{"fargate " + string(r.Fargate.Architecture), r.Fargate.Total},
	}
	if r.LMI != nil {
		opts = append(opts, opt{"lmi " + r.LMI.InstanceType, r.LMI.Total})
	}
	best := opts[0]
	for _, o := range opts[1:] {
		if o.d.LessThan(best.d) {
			best = o
		}
	}
	return best.name, best.d
}

// buildCurve evaluates every bill at log-spaced volumes (pointsPerDecade per
// decade, rounded to three significant digits) from a hundredth of the
// smaller of the current volume and the break-even to a hundred times the
// larger, plus the current volume itself.
func buildCurve(r *Result, current, limit float64, perDecade int,
	lambdaAt func(pricing.Architecture, float64) (pricing.Cost, error),
	ec2At func(float64) (decimal.Decimal, int, error),
	fargateAt func(float64) (decimal.Decimal, error)) ([]CurvePoint, error) {
	lo, hi := current, current
	for _, b := range r.Breakevens {
		if b.RequestsPerMonth != nil && *b.RequestsPerMonth > 0 {
			lo = math.Min(lo, float64(*b.RequestsPerMonth))
			hi = math.Max(hi, float64(*b.RequestsPerMonth))
		}
	}
	if lo < 1 {
		lo = 1e6
	}
	if hi < lo {
		hi = lo
	}
	from := int(math.Floor(math.Log10(lo/100) * float64(perDecade)))
	to := int(math.Ceil(math.Log10(hi*100) * float64(perDecade)))
	from = max(from, 3*perDecade) // at least 1,000 requests
	var vols []int64
	for i := from; i <= to; i++ {
		v := math.Pow(10, float64(i)/float64(perDecade))
		vols = append(vols, roundSig(v, 3))
	}
	cur := int64(math.Round(current))
	if cur > 0 {
		vols = append(vols, cur)
	}
	sort.Slice(vols, func(i, j int) bool { return vols[i] < vols[j] })
	var out []CurvePoint
	for i, v := range vols {
		if i > 0 && v == vols[i-1] {
			if v == cur {
				out[len(out)-1].Current = true
			}
			continue
		}
		fv := float64(v)
		if fv > limit {
			break
		}
		x, err := lambdaAt(pricing.X86_64, fv)
		if err != nil {
			return nil, err
		}
		a, err := lambdaAt(pricing.ARM64, fv)
		if err != nil {
			return nil, err
		}
		e, n, err := ec2At(fv)
		if err != nil {
			return nil, err
		}
		f, err := fargateAt(fv)
		if err != nil {
			return nil, err
		}
		out = append(out, CurvePoint{RequestsPerMonth: v, LambdaX86USD: x.TotalUSD(), LambdaARMUSD: a.TotalUSD(), EC2USD: e.InexactFloat64(), EC2Instances: n, FargateUSD: f.InexactFloat64(), Current: v == cur})
	}
	return out, nil
}

// roundSig rounds v to digits significant digits, exactly in integers
// (17,782,794.1 → 17,800,000).
func roundSig(v float64, digits int) int64 {
	if v < 1 {
		return 0
	}
	exp := int(math.Floor(math.Log10(v))) - digits + 1
	if exp <= 0 {
		return int64(math.Round(v))
	}
	pow := int64(1)
	for range exp {
		pow *= 10
	}
	return int64(math.Round(v/float64(pow))) * pow
}

// FindBreakeven finds the smallest monthly volume v in [0, hi] at which
// diff(v) = Lambda(v) − fleet(v) ≥ 0, i.e. the fleet is no dearer.
//
// Lambda's bill rises almost linearly with volume; the fleet's is a step
// function (one more server every step requests when it is sized for the
// peak) plus the linear load-balancer LCUs. Within one step the difference
// therefore only rises (Lambda's marginal cost per request — at least its
// $0.20 per million request fee — is above the ALB's, $0.089 per million at
// 25 new connections per second per LCU), and it drops by a server's price
// at each step. So the first crossing lies inside the first step at whose
// end the difference is ≥ 0. The search:
//
//  1. evaluates diff at 0, at log-spaced volumes (5 % apart) and at the end
//     of each of the first maxStepPoints steps (step > 0), in increasing
//     order, and stops at the first point with diff ≥ 0;
//  2. bisects the bracket between that point and the one before it down to a
//     single request (diff rises within the bracket, which holds no step).
//
// With autoscaling (step = 0), or beyond maxStepPoints servers, the result
// is the first crossing found on the 5 % grid, refined by bisection: a
// crossing that lasts less than 5 % of the volume between two grid points
// may be missed (there, the fleet and Lambda cost the same within a server).
func FindBreakeven(diff func(float64) (float64, error), step float64, minServers int, hi float64) (int64, bool, error) {
	pts := []float64{0}
	for v := 100.0; v <= hi; v *= 1.05 {
		pts = append(pts, math.Round(v))
	}
	if step > 0 {
		for k := max(minServers, 1); k < minServers+maxStepPoints; k++ {
			v := math.Floor(float64(k) * step)
			if v > hi {
				break
			}
			pts = append(pts, v)
		}
	}
	sort.Float64s(pts)
	prev := -1.0
	for _, v := range pts {
		if v == prev {
			continue
		}
		d, err := diff(v)
		if err != nil {
			return 0, false, err
		}
		if d >= 0 {
			if prev < 0 {
				return int64(v), true, nil
			}
			lo, up := int64(prev), int64(v)
			for up-lo > 1 {
				mid := lo + (up-lo)/2
				dm, err := diff(float64(mid))
				if err != nil {
					return 0, false, err
				}
				if dm >= 0 {
					up = mid
				} else {
					lo = mid
				}
			}
			return up, true, nil
		}
		prev = v
	}
	return 0, false, nil
}
