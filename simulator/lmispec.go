package simulator

import (
	"errors"
	"math"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator/lmi"
)

// LMISpec is a scenario's optional `lmi:` section: the same traffic also
// run on Lambda Managed Instances (package simulator/lmi).
//
//	lmi:
//	  instance_type: m7g.xlarge
//	  runtime: nodejs22.x         # default max concurrency per vCPU
//	  cpu_time: 40ms              # or cpu_fraction: 0.2 (of the mean duration)
//	  env_vcpu: 1                 # memory_gib_per_vcpu: 2, max_concurrency, min_environments: 3,
//	  target_cpu: 0.5             # min_instances: 3, scale_out_lag: 5m, scale_in_delay: 5m,
//	  ec2_discount: 0             # cpu_oversubscription: 1
type LMISpec struct {
	InstanceType string
	Config       lmi.Config
	EC2Discount  float64
	// CPUAssumed is set when neither cpu_time nor cpu_fraction was given
	// (every request is then CPU-bound).
	CPUAssumed bool
}

type lmiFile struct {
	InstanceType        string           `yaml:"instance_type"`
	Runtime             string           `yaml:"runtime"`
	CPUTime             pricing.Duration `yaml:"cpu_time"`
	CPUFraction         float64          `yaml:"cpu_fraction"`
	EnvVCPU             float64          `yaml:"env_vcpu"`
	MemoryGiBPerVCPU    float64          `yaml:"memory_gib_per_vcpu"`
	MaxConcurrency      int              `yaml:"max_concurrency"`
	MinEnvironments     int              `yaml:"min_environments"`
	MinInstances        int              `yaml:"min_instances"`
	TargetCPU           float64          `yaml:"target_cpu"`
	ScaleOutLag         pricing.Duration `yaml:"scale_out_lag"`
	ScaleInDelay        pricing.Duration `yaml:"scale_in_delay"`
	CPUOversubscription float64          `yaml:"cpu_oversubscription"`
	EC2Discount         float64          `yaml:"ec2_discount"`
}

// lmiSpec reads the `lmi:` node (strict: unknown keys are errors); nil
// when the scenario has none. The requests' duration is the mean of
// function.duration.
func (p *parser) lmiSpec(n *yaml.Node, s *Scenario) *LMISpec {
	if n == nil || n.Kind == 0 {
		return nil
	}
	var f lmiFile
	if n.Kind != yaml.MappingNode {
		p.errf(p.at("lmi"), "lmi: want a mapping (instance_type, runtime, cpu_time, …)")
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i].Value
		known := map[string]bool{"instance_type": true, "runtime": true, "cpu_time": true, "cpu_fraction": true, "env_vcpu": true, "memory_gib_per_vcpu": true,
			"max_concurrency": true, "min_environments": true, "min_instances": true, "target_cpu": true, "scale_out_lag": true, "scale_in_delay": true,
			"cpu_oversubscription": true, "ec2_discount": true}
		if !known[k] {
			p.errf(p.at("lmi", k), "lmi.%s: unknown key", k)
		}
	}
	if err := n.Decode(&f); err != nil {
		p.errf(p.at("lmi"), "lmi: %v", err)
		return nil
	}
	if f.InstanceType == "" {
		p.errf(p.at("lmi"), "lmi.instance_type is required (the capacity provider's EC2 instance type, e.g. m7g.xlarge)")
	}
	if f.CPUTime != 0 && f.CPUFraction != 0 {
		p.errf(p.at("lmi", "cpu_fraction"), "lmi: give cpu_time or cpu_fraction, not both")
	}
	if math.IsNaN(f.CPUFraction) || f.CPUFraction < 0 || f.CPUFraction > 1 {
		p.errf(p.at("lmi", "cpu_fraction"), "lmi.cpu_fraction must be in [0, 1]")
	}
	if math.IsNaN(f.EC2Discount) || f.EC2Discount < 0 || f.EC2Discount >= 1 {
		p.errf(p.at("lmi", "ec2_discount"), "lmi.ec2_discount must be in [0, 1)")
	}
	d := time.Duration(0)
	if s.Function.Duration != nil {
		d = s.Function.Duration.Mean()
	}
	cpu := f.CPUTime.D()
	switch {
	case f.CPUFraction > 0:
		cpu = time.Duration(f.CPUFraction * float64(d))
	case f.CPUTime == 0:
		cpu = d // not given: CPU-bound (the most environments); listed by the output
	}
	if d > 0 && cpu > d {
		p.errf(p.at("lmi", "cpu_time"), "lmi.cpu_time %s exceeds the mean duration %s", cpu, d)
	}
	cfg := lmi.Config{
		LMIConfig: fleet.LMIConfig{InstanceType: f.InstanceType, Runtime: f.Runtime, EnvVCPU: f.EnvVCPU, MemoryGiBPerVCPU: f.MemoryGiBPerVCPU,
			MaxConcurrency: f.MaxConcurrency, MinEnvironments: f.MinEnvironments, MinInstances: f.MinInstances, TargetCPU: f.TargetCPU,
			ScaleOutLag: f.ScaleOutLag.D(), EC2Discount: f.EC2Discount},
		Duration: d, CPUTime: cpu, ScaleInDelay: f.ScaleInDelay.D(), CPUOversubscription: f.CPUOversubscription,
	}
	for _, e := range cfg.LMIConfig.WithDefaults().Validate() {
		if ie, ok := e.(*pricing.InputError); ok {
			p.errf(p.at("lmi"), "lmi: %s: %s", ie.Source, ie.Msg)
		}
	}
	return &LMISpec{InstanceType: f.InstanceType, Config: cfg, EC2Discount: f.EC2Discount, CPUAssumed: f.CPUTime == 0 && f.CPUFraction == 0}
}

// SimulateLMI runs the scenario's traffic on its `lmi:` capacity provider
// (fluid model, see package simulator/lmi) and prices the span.
func SimulateLMI(s *Scenario, t *pricing.PriceTable, region string) (*lmi.Result, *pricing.LMIBill, error) {
	if s.LMI == nil {
		return nil, nil, nil
	}
	it, err := t.LMIInstance(region, s.LMI.InstanceType)
	if err != nil {
		var ie *pricing.InputError
		if errors.As(err, &ie) && s.Path != "" {
			return nil, nil, pricing.Inputf(s.Path, "lmi.instance_type: %s", ie.Msg)
		}
		return nil, nil, err
	}
	r, err := lmi.Simulate(s.Rate, s.Span(), it, s.LMI.Config)
	if err != nil {
		return nil, nil, err
	}
	if s.LMI.CPUAssumed {
		r.Assumptions.Add(pricing.Assumption{Field: "lmi.cpu_time", Value: "the whole duration", Why: "not given: every request is assumed CPU-bound (the most environments); measure it with lambdacost run and set lmi.cpu_time"})
	}
	r.Assumptions.Add(pricing.Assumption{Field: "lmi.duration", Value: s.LMI.Config.Duration.String(), Why: "the mean of function.duration: the fluid model runs every request at the mean"})
	b, err := r.Bill(t, region, it.Name, s.LMI.EC2Discount)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range r.Assumptions {
		b.Assumptions.Add(a)
	}
	return r, b, nil
}

// LMIRun is a scenario's `lmi:` run and its bill: the "lmi" member of
// `simulate -o json` (and of the what-if page's answer).
type LMIRun struct {
	InstanceType string           `json:"instance_type"`
	Simulation   *lmi.Result      `json:"simulation"`
	Bill         *pricing.LMIBill `json:"bill"`
}

// RunLMI runs the scenario's `lmi:` section with SimulateLMI; nil when the
// scenario has none.
func RunLMI(s *Scenario, t *pricing.PriceTable, region string) (*LMIRun, error) {
	if s.LMI == nil {
		return nil, nil
	}
	r, b, err := SimulateLMI(s, t, region)
	if err != nil {
		return nil, err
	}
	return &LMIRun{InstanceType: s.LMI.InstanceType, Simulation: r, Bill: b}, nil
}
