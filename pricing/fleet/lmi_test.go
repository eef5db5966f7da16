package fleet

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func lmiType(t *testing.T, name string) *pricing.InstanceType {
	t.Helper()
	it, err := pricing.Embedded().LMIInstance("us-east-1", name)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// The example, by hand: 2,000 req/s × 40 ms of CPU on m7g.xlarge
// (4 vCPU, 16 GiB), 64 concurrency per vCPU (Node.js), CPU target 50 %.
//
//	one 1-vCPU environment at 50 %: 0.5 / 0.040 s = 12.5 req/s (CPU-bound;
//	concurrency allows 64 / 0.040 = 1,600 req/s)
//	environments 2,000 / 12.5 = 160; per instance min(4/1, 16/2) = 4
//	instances 160 / 4 = 40, all month: 29,200 instance-hours
//	requests  2,000 × 2,628,000 s = 5,256,000,000 × $0.20/M = $1,051.20
//	instances 29,200 × $0.1632 = $4,765.44; fee 29,200 × $0.02448 = $714.816
//	total $6,531.456
func TestSizeLMIIssueExample(t *testing.T) {
	w := Workload{MonthlyRequests: 2000 * pricing.SecondsPerMonth, PeakRPS: 2000, Duration: 40 * time.Millisecond, CPUFraction: 1, MemoryPerRequestMB: 10}
	c := LMIConfig{Runtime: "nodejs22.x", TargetCPU: 0.5}
	sz, b, err := LMICost(pricing.Embedded(), "us-east-1", lmiType(t, "m7g.xlarge"), w, c, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sz.Environments != 160 || sz.EnvsPerInstance != 4 || sz.Instances != 40 || sz.LimitedBy != "cpu" || sz.MaxConcurrency != 64 {
		t.Errorf("sizing = %+v", sz)
	}
	if sz.EnvCapacityRPS != 12.5 {
		t.Errorf("env capacity = %v, want 12.5", sz.EnvCapacityRPS)
	}
	if sz.InstanceHours != 29200 {
		t.Errorf("instance-hours = %v", sz.InstanceHours)
	}
	if got := b.Total.String(); got != "6531.456" {
		t.Errorf("total = %s, want 6531.456", got)
	}
	// At 8 GiB per vCPU an instance holds min(4, 16/8) = 2 environments: 80 instances.
	c.MemoryGiBPerVCPU = 8
	sz, err = SizeLMI(w, lmiType(t, "m7g.xlarge"), c, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sz.EnvsPerInstance != 2 || sz.Instances != 80 {
		t.Errorf("8 GiB/vCPU: %d per instance, %d instances; want 2, 80", sz.EnvsPerInstance, sz.Instances)
	}
}

// I/O-bound Python: 100 req/s of 1 s with 10 ms CPU. Python's default is
// 16 per vCPU: 100 in flight need ceil(100/16) = 7 environments (CPU needs
// only 100 × 0.01 / 0.5 = 2); m7g.large holds min(2/1, 8/2) = 2 per
// instance: 4 instances.
func TestSizeLMIConcurrencyBound(t *testing.T) {
	w := Workload{MonthlyRequests: 100 * pricing.SecondsPerMonth, PeakRPS: 100, Duration: time.Second, CPUFraction: 0.01, MemoryPerRequestMB: 50}
	sz, err := SizeLMI(w, lmiType(t, "m7g.large"), LMIConfig{Runtime: "python3.13"}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sz.LimitedBy != "concurrency" || sz.MaxConcurrency != 16 || sz.Environments != 7 || sz.Instances != 4 {
		t.Errorf("sizing = %+v", sz)
	}
}

// Little traffic: the 3-environment, 3-instance floor holds all month.
func TestSizeLMIFloor(t *testing.T) {
	w := Workload{MonthlyRequests: 1e6, Duration: 50 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128}
	sz, err := SizeLMI(w, lmiType(t, "c7g.large"), LMIConfig{}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sz.Environments != 3 || sz.Instances != 3 || sz.InstanceHours != 3*730 {
		t.Errorf("sizing = %+v", sz)
	}
	var fields []string
	for _, a := range sz.Assumptions {
		fields = append(fields, a.Field)
	}
	for _, f := range []string{"lmi.max_concurrency", "lmi.target_cpu", "lmi.profile", "lmi.instance_capacity"} {
		if !strings.Contains(strings.Join(fields, ","), f) {
			t.Errorf("assumption %s missing: %v", f, fields)
		}
	}
}

// With a profile every interval is sized: hourly rates 10, 2,000, 10, 10
// (the issue example's traffic for one hour of four) need 3, 40, 3, 3
// instances: 49 instance-intervals of 4, a mean of 12.25, 8,942.5 h.
func TestSizeLMIProfile(t *testing.T) {
	w := Workload{MonthlyRequests: 1, Profile: []float64{10, 2000, 10, 10}, ProfileInterval: time.Hour, Duration: 40 * time.Millisecond, CPUFraction: 1, MemoryPerRequestMB: 10}
	w.MonthlyRequests = 507.5 * pricing.SecondsPerMonth // the profile's mean rate
	sz, err := SizeLMI(w, lmiType(t, "m7g.xlarge"), LMIConfig{Runtime: "nodejs", TargetCPU: 0.5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if !sz.PerInterval || sz.Instances != 40 || sz.MeanInstances != 12.25 || sz.InstanceHours != 8942.5 {
		t.Errorf("sizing = %+v", sz)
	}
	// A 1-hour scale-out lag provisions each hour for its neighbours' peak:
	// 40, 40, 40, 3 → mean 30.75.
	sz, err = SizeLMI(w, lmiType(t, "m7g.xlarge"), LMIConfig{Runtime: "nodejs", TargetCPU: 0.5, ScaleOutLag: time.Hour}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if sz.MeanInstances != 30.75 {
		t.Errorf("with lag: mean %v, want 30.75", sz.MeanInstances)
	}
	got, err := LMIInstancesOverTime(w, lmiType(t, "m7g.xlarge"), LMIConfig{Runtime: "nodejs", TargetCPU: 0.5, ScaleOutLag: time.Hour})
	if err != nil || fmt.Sprint(got) != "[40 40 40 3]" {
		t.Errorf("over time with lag = %v, %v; want [40 40 40 3]", got, err)
	}
	got, _ = LMIInstancesOverTime(w, lmiType(t, "m7g.xlarge"), LMIConfig{Runtime: "nodejs", TargetCPU: 0.5})
	if fmt.Sprint(got) != "[3 40 3 3]" {
		t.Errorf("over time = %v, want [3 40 3 3]", got)
	}
}

func TestLMIConfigRefuses(t *testing.T) {
	w := Workload{MonthlyRequests: 1e6, Duration: 50 * time.Millisecond, CPUFraction: 0.5, MemoryPerRequestMB: 128}
	for _, c := range []struct {
		cfg  LMIConfig
		want string
	}{
		{LMIConfig{MemoryGiBPerVCPU: 1}, "--lmi-memory-per-vcpu"},
		{LMIConfig{MemoryGiBPerVCPU: 9}, "--lmi-memory-per-vcpu"},
		{LMIConfig{MaxConcurrency: 1601}, "--lmi-max-concurrency"},
		{LMIConfig{EnvVCPU: 1.5}, "--lmi-env-vcpu"},
		{LMIConfig{TargetCPU: 1.5}, "--lmi-target-cpu"},
		{LMIConfig{EnvVCPU: 4, MemoryGiBPerVCPU: 8}, "--instance-type"}, // 32 GiB on an 8 GiB m7g.large
	} {
		_, err := SizeLMI(w, lmiType(t, "m7g.large"), c.cfg, 1)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err = %v, want %s", c.cfg, err, c.want)
		}
	}
	big := w
	big.MemoryPerRequestMB = 4096
	if _, err := SizeLMI(big, lmiType(t, "m7g.large"), LMIConfig{}, 1); err == nil || !strings.Contains(err.Error(), "--memory-per-request") {
		t.Errorf("4 GB request in a 2 GiB environment: %v", err)
	}
}

func TestLMIRuntimeFamily(t *testing.T) {
	for in, want := range map[string]string{"nodejs22.x": "nodejs", "python3.13": "python", "java21": "java", "dotnet8": "dotnet", "provided.al2023": "", "Node": "nodejs"} {
		if got := LMIRuntimeFamily(in); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// LMI in a comparison, by hand: 100M requests/month of 200 ms (40 ms CPU,
// 64 MB each), peak 100 req/s, Lambda x86_64 at 1,024 MB, LMI on
// m7g.xlarge with Node.js defaults.
//
//	LMI: CPU needs 100 × 0.04 / 0.5 = 8 environments, 2 instances → the
//	3-instance floor: 2,190 h × $0.1632 × 1.15 = $411.0192, + $20 requests
//	Lambda x86_64: 100M × (0.2 GB-s × $0.0000166667 + $0.0000002) = $353.334
//	break-even: Lambda − LMI = n × 0.2 × 0.0000166667 − 411.0192 ≥ 0 from
//	n = 411.0192 / 0.00000333334 = 123,305,513.39 → 123,305,514 (the peak there, 123.3 req/s, still fits 3 instances:
//	12 environments × 12.5 req/s = 150 req/s)
func TestCompareLMI(t *testing.T) {
	in := Input{
		Region:   "us-east-1",
		Function: pricing.FunctionConfig{MemoryMB: 1024, Architecture: pricing.X86_64},
		Workload: Workload{MonthlyRequests: 100e6, PeakRPS: 100, Duration: 200 * time.Millisecond, CPUFraction: 0.2, MemoryPerRequestMB: 64},
		LMI:      LMIConfig{Runtime: "nodejs22.x"}, LMIInstanceTypes: []string{"m7g.xlarge"},
		Options: Options{NoLoadBalancer: true},
	}
	r, err := Compare(pricing.Embedded(), in)
	if err != nil {
		t.Fatal(err)
	}
	if r.LMI == nil || r.LMI.InstanceType != "m7g.xlarge" || r.LMI.Instances != 3 || r.LMI.Environments != 8 {
		t.Fatalf("lmi = %+v", r.LMI)
	}
	if got := r.LMI.Total.String(); got != "431.0192" {
		t.Errorf("LMI total = %s, want 431.0192", got)
	}
	var be *Breakeven
	for i, b := range r.Breakevens {
		if b.Fleet == "lmi" && b.LambdaArchitecture == pricing.X86_64 {
			be = &r.Breakevens[i]
		}
	}
	if be == nil || be.RequestsPerMonth == nil || *be.RequestsPerMonth != 123_305_514 {
		t.Fatalf("break-even = %+v", be)
	}
	cur := false
	for _, p := range r.Curve {
		if p.LMIUSD <= 0 || p.LMIInstances < 3 {
			t.Errorf("curve point without LMI: %+v", p)
		}
		cur = cur || (p.Current && math.Abs(p.LMIUSD-431.0192) < 1e-6)
	}
	if !cur {
		t.Error("the curve's current point does not carry the LMI bill")
	}
	// NoLMI leaves it out.
	in.NoLMI = true
	r, err = Compare(pricing.Embedded(), in)
	if err != nil || r.LMI != nil {
		t.Errorf("NoLMI: %v, %+v", err, r.LMI)
	}
}

// LMI against an EC2 fleet of the same type without a load balancer, at
// the same 50 % target and the same 3-instance floor: both need
// max(3, ceil(peak / 50 req/s)) m7g.xlarge (4 vCPU × 0.5 / 0.04 s = 50 req/s
// per instance; LMI: 4 environments of 12.5 req/s), so LMI always costs the
// 15 % fee and the request fee more: EC2 is cheaper at every volume and
// the pair has no break-even.
func TestComparePairBreakeven(t *testing.T) {
	in := Input{
		Region:   "us-east-1",
		Function: pricing.FunctionConfig{MemoryMB: 1024, Architecture: pricing.X86_64},
		Workload: Workload{MonthlyRequests: 100e6, PeakRPS: 100, Duration: 200 * time.Millisecond, CPUFraction: 0.2, MemoryPerRequestMB: 64},
		LMI:      LMIConfig{Runtime: "nodejs22.x"}, LMIInstanceTypes: []string{"m7g.xlarge"}, InstanceTypes: []string{"m7g.xlarge"},
		Options: Options{NoLoadBalancer: true, Scaling: Scaling{TargetUtilization: 0.5, MinInstances: 3}},
	}
	r, err := Compare(pricing.Embedded(), in)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.PairBreakevens) != 2 {
		t.Fatalf("pairs = %+v", r.PairBreakevens)
	}
	p := r.PairBreakevens[0]
	if p.CheaperBelow != "ec2 m7g.xlarge" || p.Other != "lmi m7g.xlarge" || p.RequestsPerMonth != nil {
		t.Errorf("ec2/lmi pair = %+v", p)
	}
	if r.EC2.Instances != r.LMI.Instances {
		t.Errorf("instances: ec2 %d, lmi %d", r.EC2.Instances, r.LMI.Instances)
	}
	// The fleets' difference is exactly LMI's fee and request charge.
	fee := r.LMI.Total.Sub(r.EC2.Total).InexactFloat64()
	want := float64(r.LMI.Instances)*730*0.1632*0.15 + 100e6*0.2e-6
	if math.Abs(fee-want) > 1e-6 {
		t.Errorf("LMI − EC2 = %v, want %v", fee, want)
	}
}
