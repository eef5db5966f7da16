package fleet

import (
	"math"
	"os"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// LMIRequest is what `estimate --lmi` prices, from flags or a YAML file:
// requests and an instance type, with the capacity provider's fleet given
// as instance-hours, as a constant instance count, or derived from the
// traffic (duration, CPU time, peak rate; see SizeLMI).
//
//	region: us-east-1
//	instance_type: m7g.xlarge
//	requests: 100000000
//	instance_hours: 2000        # or instances: 3 (all month), or the traffic:
//	# duration: 200ms
//	# cpu_time: 40ms            # or cpu_fraction: 0.2
//	# peak_rps: 120
//	# runtime: nodejs22.x       # default max concurrency per vCPU
//	ec2_rate: 0.0457            # or ec2_discount: 0.72 (instance part only)
type LMIRequest struct {
	Region        string  `yaml:"region,omitempty" json:"region,omitempty"`
	InstanceType  string  `yaml:"instance_type" json:"instance_type"`
	Requests      int64   `yaml:"requests" json:"requests"`
	InstanceHours float64 `yaml:"instance_hours,omitempty" json:"instance_hours,omitempty"`
	Instances     int     `yaml:"instances,omitempty" json:"instances,omitempty"`
	EC2Discount   float64 `yaml:"ec2_discount,omitempty" json:"ec2_discount,omitempty"`
	// EC2Rate is the hourly instance rate paid (a published Savings Plan
	// or RI rate); 0 = on-demand less EC2Discount.
	EC2Rate float64 `yaml:"ec2_rate,omitempty" json:"ec2_rate,omitempty"`

	// Traffic, to size the fleet.
	Duration           pricing.Duration `yaml:"duration,omitempty" json:"duration,omitempty"`
	CPUTime            pricing.Duration `yaml:"cpu_time,omitempty" json:"cpu_time,omitempty"`
	CPUFraction        float64          `yaml:"cpu_fraction,omitempty" json:"cpu_fraction,omitempty"`
	PeakRPS            float64          `yaml:"peak_rps,omitempty" json:"peak_rps,omitempty"`
	MemoryPerRequestMB float64          `yaml:"memory_per_request_mb,omitempty" json:"memory_per_request_mb,omitempty"`
	Runtime            string           `yaml:"runtime,omitempty" json:"runtime,omitempty"`
	EnvVCPU            float64          `yaml:"env_vcpu,omitempty" json:"env_vcpu,omitempty"`
	MemoryGiBPerVCPU   float64          `yaml:"memory_gib_per_vcpu,omitempty" json:"memory_gib_per_vcpu,omitempty"`
	MaxConcurrency     int              `yaml:"max_concurrency,omitempty" json:"max_concurrency,omitempty"`
	MinEnvironments    int              `yaml:"min_environments,omitempty" json:"min_environments,omitempty"`
	MinInstances       int              `yaml:"min_instances,omitempty" json:"min_instances,omitempty"`
	TargetCPU          float64          `yaml:"target_cpu,omitempty" json:"target_cpu,omitempty"`
}

// LMIEstimate is an LMI bill with, when the fleet was sized from traffic,
// the sizing behind its instance-hours.
type LMIEstimate struct {
	*pricing.LMIBill
	Sizing *LMISizing `json:"sizing,omitempty"`
}

// ReadLMIRequest reads an `estimate --lmi --usage` file (strict YAML:
// unknown keys are errors, reported with file:line).
func ReadLMIRequest(path string) (*LMIRequest, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf("--usage", "%v", err)
	}
	var r LMIRequest
	if err := pricing.DecodeYAMLStrict(path, data, &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// EstimateLMI prices r in region. Sources of errors are field names
// (yaml keys); the CLI maps them to flags or file positions.
func EstimateLMI(t *pricing.PriceTable, region string, r LMIRequest) (*LMIEstimate, error) {
	var errs []error
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) || v < 0 }
	ways := 0
	if r.InstanceHours != 0 {
		ways++
	}
	if r.Instances != 0 {
		ways++
	}
	if r.Duration != 0 {
		ways++
	}
	if ways != 1 {
		errs = append(errs, pricing.Inputf("instance_hours", "give exactly one of the instance-hours, an instance count, or the traffic (duration, with cpu time and peak rate) to size the fleet"))
	}
	if bad(r.InstanceHours) {
		errs = append(errs, pricing.Inputf("instance_hours", "must be a number ≥ 0"))
	}
	if r.Instances < 0 {
		errs = append(errs, pricing.Inputf("instances", "must not be negative"))
	}
	if bad(r.EC2Rate) {
		errs = append(errs, pricing.Inputf("ec2_rate", "must be a number ≥ 0"))
	}
	if r.Duration == 0 {
		for name, set := range map[string]bool{"cpu_time": r.CPUTime != 0, "cpu_fraction": r.CPUFraction != 0, "peak_rps": r.PeakRPS != 0, "memory_per_request_mb": r.MemoryPerRequestMB != 0,
			"runtime": r.Runtime != "", "env_vcpu": r.EnvVCPU != 0, "memory_gib_per_vcpu": r.MemoryGiBPerVCPU != 0, "max_concurrency": r.MaxConcurrency != 0,
			"min_environments": r.MinEnvironments != 0, "min_instances": r.MinInstances != 0, "target_cpu": r.TargetCPU != 0} {
			if set {
				errs = append(errs, pricing.Inputf(name, "only applies when the fleet is sized from the traffic (give duration)"))
			}
		}
	}
	if r.CPUTime != 0 && r.CPUFraction != 0 {
		errs = append(errs, pricing.Inputf("cpu_time", "give cpu time or cpu fraction, not both"))
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	it, err := t.LMIInstance(region, r.InstanceType)
	if r.InstanceType == "" {
		return nil, pricing.Inputf("instance_type", "is required (the capacity provider's EC2 instance type, e.g. m7g.xlarge)")
	}
	if err != nil {
		return nil, err
	}
	u := pricing.LMIUsage{Requests: r.Requests, InstanceType: r.InstanceType, EC2Discount: decimal.NewFromFloat(r.EC2Discount)}
	if r.EC2Rate > 0 {
		rate := decimal.NewFromFloat(r.EC2Rate)
		u.EC2Rate = &rate
	}
	var sizing *LMISizing
	var extra pricing.Assumptions
	switch {
	case r.InstanceHours != 0:
		u.InstanceHours = decimal.NewFromFloat(r.InstanceHours)
	case r.Instances != 0:
		u.InstanceHours = decimal.NewFromInt(int64(r.Instances) * pricing.HoursPerMonth)
		extra.Add(pricing.Assumption{Field: "instances", Value: "all month (730 h)", Why: "a constant fleet; give instance_hours for another span"})
		if r.Instances < DefaultLMIMinInstances {
			extra.Add(pricing.Assumption{Field: "instances", Value: "fewer than 3", Why: "AWS starts 3 instances by default for AZ resiliency; fewer needs a lower minimum"})
		}
	default:
		w := Workload{MonthlyRequests: float64(r.Requests), PeakRPS: r.PeakRPS, Duration: r.Duration.D(), MemoryPerRequestMB: r.MemoryPerRequestMB}
		switch {
		case r.CPUTime != 0:
			w.CPUFraction = float64(r.CPUTime) / float64(r.Duration)
		case r.CPUFraction != 0:
			w.CPUFraction = r.CPUFraction
		default:
			w.CPUFraction = 1
			extra.Add(pricing.Assumption{Field: "cpu_time", Value: "the whole duration", Why: "CPU time per request not given: every request is assumed CPU-bound (the most instances); measure it with lambdacost run and give cpu_time"})
		}
		if w.MemoryPerRequestMB == 0 {
			w.MemoryPerRequestMB = 1
			extra.Add(pricing.Assumption{Field: "memory_per_request_mb", Value: "not limiting", Why: "memory per in-flight request not given: environments are sized by CPU and concurrency only"})
		}
		if r.PeakRPS == 0 {
			extra.Add(pricing.Assumption{Field: "peak_rps", Value: "the mean rate", Why: "no peak given: traffic is assumed flat all month"})
		}
		ws := w.WithDefaults()
		werrs := ws.Validate()
		if err := pricing.Errors(werrs); err != nil {
			return nil, err
		}
		cfg := LMIConfig{InstanceType: r.InstanceType, EnvVCPU: r.EnvVCPU, MemoryGiBPerVCPU: r.MemoryGiBPerVCPU, Runtime: r.Runtime, MaxConcurrency: r.MaxConcurrency,
			MinEnvironments: r.MinEnvironments, MinInstances: r.MinInstances, TargetCPU: r.TargetCPU, EC2Discount: r.EC2Discount}
		sz, err := SizeLMI(w, it, cfg, 1)
		if err != nil {
			return nil, err
		}
		sizing = &sz
		u.InstanceHours = sz.hours()
		extra = append(extra, sz.Assumptions...)
		sizing.Assumptions = nil // listed once, in the bill
	}
	b, err := t.LMIBill(region, u)
	if err != nil {
		return nil, err
	}
	for _, a := range extra {
		b.Assumptions.Add(a)
	}
	return &LMIEstimate{LMIBill: b, Sizing: sizing}, nil
}
