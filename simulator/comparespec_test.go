package simulator

import (
	"reflect"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

const compareHead = "duration: 1h\nfunction: {memory_mb: 128, duration: 10ms}\ntraffic: {start_rate: 1}\n"

// The compare: section's choices reach a comparison input; what it does
// not choose stays as the input had it.
func TestCompareSpecApply(t *testing.T) {
	for _, tc := range []struct {
		name, yaml string
		want       fleet.Input
	}{
		{"none", "", fleet.Input{Region: "us-east-1", InstanceTypes: []string{"keep"}}},
		{"all", "compare:\n  instance_types: [m7g.large, c7g.large]\n  fargate_task: 0.5vCPU:1GB\n  lmi_instance_types: [m7g.xlarge]\n",
			fleet.Input{Region: "us-east-1", InstanceTypes: []string{"m7g.large", "c7g.large"}, FargateTask: fleet.FargateTask{VCPU: 0.5, MemoryGB: 1},
				LMIInstanceTypes: []string{"m7g.xlarge"}}},
		{"no lmi", "compare: {no_lmi: true}\n", fleet.Input{Region: "us-east-1", InstanceTypes: []string{"keep"}, NoLMI: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseScenario("test.yaml", []byte(compareHead+tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			in := fleet.Input{Region: "us-east-1", InstanceTypes: []string{"keep"}}
			if err := s.Compare.Apply(pricing.Embedded(), &in); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(in, tc.want) {
				t.Errorf("input = %+v, want %+v", in, tc.want)
			}
			if s.Compare.IsZero() != (tc.yaml == "") {
				t.Errorf("IsZero = %t", s.Compare.IsZero())
			}
		})
	}
}

// Bad choices are refused at their line, in the parser's words; a name
// without a price is refused by Apply at its line too.
func TestCompareSpecErrors(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"compare: {instance_types: [\"m7g.large --html x\"]}\n", `test.yaml:4: compare.instance_types[0]: "m7g.large --html x" is not an instance type name`},
		{"compare: {fargate_task: lots}\n", `test.yaml:4: compare.fargate_task: want VCPU:GB such as 1vCPU:2GB, not "lots"`},
		{"compare:\n  lmi_instance_types: [m7g.large]\n  no_lmi: true\n", "test.yaml:6: compare: no_lmi leaves Managed Instances out"},
		{"compare: {ec2: m7g.large}\n", `test.yaml:4: unknown key "ec2"`},
		{"compare: {instance_types: m7g.large}\n", "test.yaml:4"},
	} {
		_, err := ParseScenario("test.yaml", []byte(compareHead+tc.yaml))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
	s, err := ParseScenario("test.yaml", []byte(compareHead+"compare:\n  instance_types: [m7g.large]\n  lmi_instance_types: [t4g.large]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s.Compare.InstanceTypes = []string{"m9z.huge"}
	err = s.Compare.Apply(pricing.Embedded(), &fleet.Input{Region: "us-east-1"})
	for _, w := range []string{`test.yaml:5: compare.instance_types: no price for EC2 instance type "m9z.huge" in us-east-1`,
		"test.yaml:6: compare.lmi_instance_types: t4g.large cannot run Lambda Managed Instances"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("Apply: error %v, want %q", err, w)
		}
	}
}

// A comparison lists every billing choice its Lambda side used, named by
// the flag when one was given, else by the scenario's billing: key: a
// free tier or a Lambda-only Savings Plan discount used without being
// listed made compare's saving silently favour Lambda.
func TestCompareBillingAssumptions(t *testing.T) {
	all := func(string) bool { return true }
	for _, tc := range []struct {
		name string
		o    fleet.Options
		flag func(string) bool
		// want is the fields and values listed, in order.
		want []string
	}{
		{"nothing used lists nothing", fleet.Options{}, nil, nil},
		// 0.17 × 100 = 17 %; 2KB = 2 × 1024 = 2048 bytes.
		{"the scenario's section", fleet.Options{FreeTier: true, LambdaDiscount: 0.17, LogBytesPerRequest: 2048}, nil,
			[]string{"billing.free_tier=applied to the Lambda side", "billing.compute_savings_plan=17 % off Lambda", "billing.log_bytes_per_request=2048 bytes"}},
		{"the flags", fleet.Options{FreeTier: true, LambdaDiscount: 0.3}, all,
			[]string{"--free-tier=applied to the Lambda side", "--lambda-discount=30 % off Lambda"}},
		{"a discount alone", fleet.Options{LambdaDiscount: 0.05}, nil, []string{"billing.compute_savings_plan=5 % off Lambda"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, a := range CompareBillingAssumptions(tc.o, tc.flag) {
				got = append(got, a.Field+"="+a.Value)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// The discount's note states the fleets' own discounts: 0.2 → 20 %, 0.1 → 10 %.
	as := CompareBillingAssumptions(fleet.Options{LambdaDiscount: 0.17, EC2Discount: 0.2, FargateDiscount: 0.1}, nil)
	if len(as) != 1 || !strings.Contains(as[0].Why, "--ec2-discount (20 %) and --fargate-discount (10 %)") {
		t.Errorf("assumptions = %+v", as)
	}
}
