package fleet

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// Lambda Managed Instances (LMI) sizing. A capacity provider runs execution
// environments of the function on EC2 instances; each environment serves
// many requests at once. What AWS documents (Lambda developer guide,
// "Lambda Managed Instances" chapters and API reference,
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances.html):
//
//   - an environment has at least 1 vCPU and 2 GB; its memory per vCPU
//     (ExecutionEnvironmentMemoryGiBPerVCpu) is 2–8 GiB;
//   - PerExecutionEnvironmentMaxConcurrency is 1–1600; the runtime default
//     is per vCPU: Node.js 64, Java and .NET 32, Python 16;
//   - on publishing a version Lambda starts 3 instances and 3 environments
//     (AZ resiliency), so there is a cost floor from that moment, with or
//     without traffic; the minimum of 3 environments can be changed;
//   - scaling is asynchronous, on CPU utilisation and multi-concurrency
//     saturation; the default target keeps headroom for traffic to double
//     within 5 minutes.
//
// What lambdacost assumes (and lists in every output): the default CPU
// target is 50 % (headroom to double); the whole instance (vCPUs and
// memory) is available to environments (the agent's own share is not
// documented); environments are bin-packed on instances by vCPU and
// memory; with a traffic profile each interval is sized for the highest
// rate within the scale-out lag either side of it (as the EC2 autoscaling
// model, newDemand); without one the fleet is sized for the peak all month.
//
// The model:
//
//	concurrency at rate r          r × Duration                          (Little's law)
//	environments for concurrency   ceil(r × Duration / MaxConcurrency)
//	environments for CPU           ceil(r × CPU time / (EnvVCPU × TargetCPU))
//	environments for memory        ceil(r × Duration × MemoryPerRequest / EnvMemory)
//	environments                   max(MinEnvironments, the three above)
//	environments per instance      min(floor(instance vCPU / EnvVCPU), floor(instance GiB / EnvGiB))
//	instances                      max(MinInstances, ceil(environments / per instance))

// LMI defaults.
const (
	DefaultLMITargetCPU       = 0.5
	DefaultLMIMinEnvironments = 3
	DefaultLMIMinInstances    = 3
	DefaultLMIEnvVCPU         = 1
	DefaultLMIMemoryPerVCPU   = 2 // GiB, the smallest ratio (and the smallest environment: 1 vCPU, 2 GB)
	LMIMaxConcurrency         = 1600
	LMIMinMemoryPerVCPU       = 2.0
	LMIMaxMemoryPerVCPU       = 8.0
)

// LMIRuntimeConcurrency is the documented default maximum concurrency per
// vCPU of an environment, by runtime family.
var LMIRuntimeConcurrency = map[string]int{"nodejs": 64, "java": 32, "dotnet": 32, "python": 16}

// LMIRuntimeFamily maps a Lambda runtime identifier ("nodejs22.x",
// "python3.13", "java21", "dotnet8") or a family name to its family; ""
// when LMI does not support it (documented: Java 21+, Python 3.13+,
// Node.js 22+, .NET 8+; Rust and other OS-only runtimes have no default).
func LMIRuntimeFamily(runtime string) string {
	r := strings.ToLower(strings.TrimSpace(runtime))
	for _, f := range []string{"nodejs", "java", "dotnet", "python"} {
		if strings.HasPrefix(r, f) {
			return f
		}
	}
	if r == "node" {
		return "nodejs"
	}
	return ""
}

// LMIConfig is a capacity provider and the function's execution
// environment settings.
type LMIConfig struct {
	// InstanceType is the capacity provider's instance type.
	InstanceType string `json:"instance_type"`
	// EnvVCPU is the vCPUs of one execution environment (default 1).
	EnvVCPU float64 `json:"env_vcpu"`
	// MemoryGiBPerVCPU is ExecutionEnvironmentMemoryGiBPerVCpu (2–8, default 2).
	MemoryGiBPerVCPU float64 `json:"memory_gib_per_vcpu"`
	// Runtime picks the default MaxConcurrency ("nodejs", "python3.13", ...).
	Runtime string `json:"runtime,omitempty"`
	// MaxConcurrency is PerExecutionEnvironmentMaxConcurrency (1–1600;
	// default: the runtime's per-vCPU default × EnvVCPU).
	MaxConcurrency int `json:"max_concurrency"`
	// MinEnvironments is the function's minimum environments (default 3).
	MinEnvironments int `json:"min_environments"`
	// MinInstances is the capacity provider's smallest fleet (default 3, one per AZ).
	MinInstances int `json:"min_instances"`
	// TargetCPU is the CPU utilisation the scaler aims for (default 0.5).
	TargetCPU float64 `json:"target_cpu"`
	// ScaleOutLag widens each profile interval's sizing window (see newDemand).
	ScaleOutLag time.Duration `json:"-"`
	// EC2Discount is a Savings Plan / RI discount on the instance part.
	EC2Discount float64 `json:"ec2_discount,omitempty"`

	assumed pricing.Assumptions
}

// WithDefaults fills in zero fields and records each default as an assumption.
func (c LMIConfig) WithDefaults() LMIConfig {
	c.assumed = nil
	if c.EnvVCPU == 0 {
		c.EnvVCPU = DefaultLMIEnvVCPU
		c.assumed.Add(pricing.Assumption{Field: "lmi.env_vcpu", Value: "1", Why: "the smallest execution environment (1 vCPU, 2 GB); give the function's size"})
	}
	if c.MemoryGiBPerVCPU == 0 {
		c.MemoryGiBPerVCPU = DefaultLMIMemoryPerVCPU
		c.assumed.Add(pricing.Assumption{Field: "lmi.memory_gib_per_vcpu", Value: "2", Why: "AWS's smallest ratio; give ExecutionEnvironmentMemoryGiBPerVCpu"})
	}
	if c.MaxConcurrency == 0 {
		fam := LMIRuntimeFamily(c.Runtime)
		per, ok := LMIRuntimeConcurrency[fam]
		why := fmt.Sprintf("the %s runtime's documented default of %d per vCPU × %g vCPU", fam, per, c.EnvVCPU)
		if !ok {
			per = LMIRuntimeConcurrency["nodejs"]
			why = fmt.Sprintf("no runtime given: Node.js's default of %d per vCPU × %g vCPU (Java/.NET 32, Python 16); give the runtime or the maximum concurrency", per, c.EnvVCPU)
			if c.Runtime != "" {
				why = fmt.Sprintf("runtime %s has no documented default: Node.js's %d per vCPU × %g vCPU is assumed; give the maximum concurrency", c.Runtime, per, c.EnvVCPU)
			}
		}
		c.MaxConcurrency = min(LMIMaxConcurrency, max(1, int(math.Floor(float64(per)*c.EnvVCPU))))
		c.assumed.Add(pricing.Assumption{Field: "lmi.max_concurrency", Value: fmt.Sprint(c.MaxConcurrency), Why: why})
	}
	if c.MinEnvironments == 0 {
		c.MinEnvironments = DefaultLMIMinEnvironments
	}
	if c.MinInstances == 0 {
		c.MinInstances = DefaultLMIMinInstances
	}
	if c.TargetCPU == 0 {
		c.TargetCPU = DefaultLMITargetCPU
		c.assumed.Add(pricing.Assumption{Field: "lmi.target_cpu", Value: "50%", Why: "AWS's default target keeps headroom for traffic to double within 5 minutes; its value is not published"})
	}
	c.assumed.Add(pricing.Assumption{Field: "lmi.instance_capacity", Value: "all vCPUs and memory", Why: "the share of an instance the Lambda agent and OS keep is not documented"})
	return c
}

// Assumptions lists the defaults WithDefaults filled in.
func (c LMIConfig) Assumptions() pricing.Assumptions { return c.assumed }

// Validate returns every problem with c (sources name the flags).
func (c LMIConfig) Validate() []error {
	var errs []error
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	if bad(c.EnvVCPU) || c.EnvVCPU < 1 || c.EnvVCPU > 16 || c.EnvVCPU != math.Trunc(c.EnvVCPU) {
		errs = append(errs, pricing.Inputf("--lmi-env-vcpu", "an execution environment has a whole number of vCPUs from 1 to 16, not %g", c.EnvVCPU))
	}
	if bad(c.MemoryGiBPerVCPU) || c.MemoryGiBPerVCPU < LMIMinMemoryPerVCPU || c.MemoryGiBPerVCPU > LMIMaxMemoryPerVCPU {
		errs = append(errs, pricing.Inputf("--lmi-memory-per-vcpu", "ExecutionEnvironmentMemoryGiBPerVCpu is 2–8 GiB, not %g", c.MemoryGiBPerVCPU))
	}
	if c.MaxConcurrency < 1 || c.MaxConcurrency > LMIMaxConcurrency {
		errs = append(errs, pricing.Inputf("--lmi-max-concurrency", "PerExecutionEnvironmentMaxConcurrency is 1–1600, not %d", c.MaxConcurrency))
	}
	if c.MinEnvironments < 0 || c.MinEnvironments > 15000 {
		errs = append(errs, pricing.Inputf("--lmi-min-environments", "must be 0–15000"))
	}
	if c.MinInstances < 1 {
		errs = append(errs, pricing.Inputf("--lmi-min-instances", "must be at least 1"))
	}
	if bad(c.TargetCPU) || c.TargetCPU <= 0 || c.TargetCPU > 1 {
		errs = append(errs, pricing.Inputf("--lmi-target-cpu", "must be in (0, 1]"))
	}
	if c.ScaleOutLag < 0 {
		errs = append(errs, pricing.Inputf("--lmi-scale-out-lag", "must not be negative"))
	}
	if math.IsNaN(c.EC2Discount) || c.EC2Discount < 0 || c.EC2Discount >= 1 {
		errs = append(errs, pricing.Inputf("--ec2-discount", "must be a fraction in [0, 1)"))
	}
	return errs
}

// LMISizing is how many environments and instances a workload needs.
type LMISizing struct {
	// Sizing holds the instance fleet: Instances at the peak, the mean,
	// the instance-hours of the month and the CPU utilisation.
	Sizing
	// EnvVCPU, EnvMemoryGiB and MaxConcurrency describe one environment.
	EnvVCPU        float64 `json:"env_vcpu"`
	EnvMemoryGiB   float64 `json:"env_memory_gib"`
	MaxConcurrency int     `json:"max_concurrency"`
	// EnvsPerInstance is how many environments fit on one instance.
	EnvsPerInstance int `json:"environments_per_instance"`
	// EnvCapacityRPS is what one environment sustains, and LimitedBy
	// ("cpu", "concurrency" or "memory") which limit sets it.
	EnvCapacityRPS float64 `json:"capacity_rps_per_environment"`
	// Environments is the environments at the peak.
	Environments int `json:"environments"`
	// MinEnvironments and MinInstances are the floors applied.
	MinEnvironments int `json:"min_environments"`
	MinInstances    int `json:"min_instances"`
	// TargetCPU is the scaler's CPU target used.
	TargetCPU float64 `json:"target_cpu"`
	// PerInterval is true when a traffic profile sized each interval.
	PerInterval bool `json:"per_interval"`
	// Assumptions lists the defaults the sizing used.
	Assumptions pricing.Assumptions `json:"assumptions,omitempty"`
}

// envCapacity is the requests per second one environment sustains and the
// limit that sets it.
func envCapacity(w Workload, c LMIConfig) (float64, string, error) {
	capRPS, limit := math.Inf(1), ""
	if cpu := w.CPUSeconds(); cpu > 0 {
		capRPS, limit = c.EnvVCPU*c.TargetCPU/cpu, "cpu"
	}
	d := w.Duration.Seconds()
	if d > 0 {
		if conc := float64(c.MaxConcurrency) / d; conc < capRPS {
			capRPS, limit = conc, "concurrency"
		}
		if w.MemoryPerRequestMB > 0 {
			fit := math.Floor(c.EnvVCPU*c.MemoryGiBPerVCPU*1024/w.MemoryPerRequestMB + 1e-9)
			if fit < 1 {
				return 0, "memory", pricing.Inputf("--memory-per-request", "one request needs %.0f MB, more than an environment of %g vCPU × %g GiB holds; raise --lmi-memory-per-vcpu or --lmi-env-vcpu", w.MemoryPerRequestMB, c.EnvVCPU, c.MemoryGiBPerVCPU)
			}
			if mem := fit / d; mem < capRPS {
				capRPS, limit = mem, "memory"
			}
		}
	}
	if math.IsInf(capRPS, 0) {
		return 0, "", pricing.Inputf("duration", "needs a positive duration to size environments")
	}
	return capRPS, limit, nil
}

// LMIPacking is how the execution environments of a capacity provider
// fill its instances: as many per instance as its vCPUs and memory hold,
// and never fewer instances than the floor. Sizing (SizeLMI) and the
// simulation of the scaler (simulator/lmi) pack alike.
type LMIPacking struct {
	PerInstance  int // environments one instance holds
	MinInstances int
}

// NewLMIPacking packs environments of c (with its defaults) onto instance
// type it; an instance that cannot hold one environment is refused.
func NewLMIPacking(it *pricing.InstanceType, c LMIConfig) (LMIPacking, error) {
	envMem := c.EnvVCPU * c.MemoryGiBPerVCPU
	per := int(math.Min(math.Floor(float64(it.VCPU)/c.EnvVCPU+1e-9), math.Floor(it.MemoryGiB/envMem+1e-9)))
	if per < 1 {
		return LMIPacking{}, pricing.Inputf("--instance-type", "%s (%d vCPU, %g GiB) cannot hold one execution environment of %g vCPU and %g GiB", it.Name, it.VCPU, it.MemoryGiB, c.EnvVCPU, envMem)
	}
	return LMIPacking{PerInstance: per, MinInstances: c.MinInstances}, nil
}

// Instances is the instances envs environments need.
func (p LMIPacking) Instances(envs int) int {
	return max(p.MinInstances, (envs+p.PerInstance-1)/p.PerInstance)
}

// lmiPlan is the per-rate sizing of a capacity provider: environments and
// instances for a request rate (before scale).
type lmiPlan struct {
	perInst   int
	capRPS    float64
	limit     string
	envs      func(rate float64) int
	instances func(rate float64) int
}

// newLMIPlan checks that an environment fits the instance type and one
// request fits an environment, and returns the sizing functions. c must
// have its defaults.
func newLMIPlan(w Workload, it *pricing.InstanceType, c LMIConfig, scale float64) (lmiPlan, error) {
	pack, err := NewLMIPacking(it, c)
	if err != nil {
		return lmiPlan{}, err
	}
	capRPS, limit, err := envCapacity(w, c)
	if err != nil {
		return lmiPlan{}, err
	}
	pl := lmiPlan{perInst: pack.PerInstance, capRPS: capRPS, limit: limit}
	pl.envs = func(rate float64) int { return max(c.MinEnvironments, ceilCount(rate*scale/capRPS)) }
	pl.instances = func(rate float64) int { return pack.Instances(pl.envs(rate)) }
	return pl, nil
}

// LMIInstancesOverTime is the capacity provider's instances in each
// interval of w's profile (sized as SizeLMI does), in time order; nil
// without a profile.
func LMIInstancesOverTime(w Workload, it *pricing.InstanceType, c LMIConfig) ([]int, error) {
	w = w.WithDefaults()
	c = c.WithDefaults()
	if len(w.Profile) == 0 {
		return nil, nil
	}
	pl, err := newLMIPlan(w, it, c, 1)
	if err != nil {
		return nil, err
	}
	peaks := windowPeaks(w.Profile, w.ProfileInterval, c.ScaleOutLag)
	out := make([]int, len(peaks))
	for i, r := range peaks {
		out[i] = pl.instances(r)
	}
	return out, nil
}

// SizeLMI sizes the capacity provider of instance type it for w × scale.
// With a traffic profile every interval is sized (LMI always scales); else
// the fleet is sized for the peak all month.
func SizeLMI(w Workload, it *pricing.InstanceType, c LMIConfig, scale float64) (LMISizing, error) {
	w = w.WithDefaults()
	c = c.WithDefaults()
	if err := pricing.Errors(c.Validate()); err != nil {
		return LMISizing{}, err
	}
	srv := EC2Server(it)
	envMem := c.EnvVCPU * c.MemoryGiBPerVCPU
	pl, err := newLMIPlan(w, it, c, scale)
	if err != nil {
		return LMISizing{}, err
	}
	perInst, capRPS, limit, envs, need := pl.perInst, pl.capRPS, pl.limit, pl.envs, pl.instances
	sz := LMISizing{
		EnvVCPU: c.EnvVCPU, EnvMemoryGiB: envMem, MaxConcurrency: c.MaxConcurrency, EnvsPerInstance: perInst,
		EnvCapacityRPS: capRPS, MinEnvironments: c.MinEnvironments, MinInstances: c.MinInstances, TargetCPU: c.TargetCPU,
		Assumptions: c.assumed,
	}
	sz.Server, sz.LimitedBy = srv, limit
	sz.CapacityRPS = capRPS * float64(perInst)
	sz.Environments = envs(w.PeakRPS)
	sz.Instances = need(w.PeakRPS)
	sz.units, sz.intervals = int64(sz.Instances), 1
	if len(w.Profile) > 0 {
		d := w.demandFor(c.ScaleOutLag)
		sz.units, sz.intervals = d.units(need), d.n
		sz.PerInterval = true
	} else {
		sz.Assumptions.Add(pricing.Assumption{Field: "lmi.profile", Value: "none: sized for the peak all month", Why: "without a traffic profile the scaling of the capacity provider cannot be followed"})
	}
	sz.settle(w, scale)
	return sz, nil
}

// LMICost sizes and prices a month of the capacity provider of instance
// type it serving w × scale with pricing.PriceTable.LMIBill; the bill's
// assumptions include the sizing's.
func LMICost(t *pricing.PriceTable, region string, it *pricing.InstanceType, w Workload, c LMIConfig, scale float64) (LMISizing, *pricing.LMIBill, error) {
	sz, err := SizeLMI(w, it, c, scale)
	if err != nil {
		return sz, nil, err
	}
	b, err := t.LMIBill(region, pricing.LMIUsage{
		Requests: int64(math.Round(w.MonthlyRequests * scale)), InstanceType: it.Name,
		InstanceHours: sz.hours(), EC2Discount: decimal.NewFromFloat(c.EC2Discount),
	})
	if err != nil {
		return sz, nil, err
	}
	for _, a := range sz.Assumptions {
		b.Assumptions.Add(a)
	}
	return sz, b, nil
}

// LMICandidates lists the instance types of a region a capacity provider
// can use (c, m, r families), or the given names, checked.
func LMICandidates(t *pricing.PriceTable, region string, names []string) ([]*pricing.InstanceType, error) {
	if len(names) > 0 {
		var out []*pricing.InstanceType
		var errs []error
		for _, n := range names {
			it, err := t.LMIInstance(region, strings.TrimSpace(n))
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, it)
		}
		return out, pricing.Errors(errs)
	}
	var out []*pricing.InstanceType
	for _, it := range t.Instances(region) {
		if pricing.LMIInstanceFamily(it.Name) {
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return nil, pricing.Inputf("--region", "no EC2 prices of c, m or r instance types for region %q", region)
	}
	return out, nil
}
