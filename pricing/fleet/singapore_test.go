package fleet

import (
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// The reference workload in Singapore, by hand from pricedata/facts.csv's
// ap-southeast-1 rows (EC2INSTANCES, SGP-PL-2026, SGP-EBS-2026); the
// sizing is us-east-1's (same type, same workload: 5 m7g.large, 9 tasks).
func TestCostsInSingapore(t *testing.T) {
	const sg = "ap-southeast-1"
	it, err := prices.Instance(sg, "m7g.large")
	if err != nil {
		t.Fatal(err)
	}
	// EC2: 5 × 730 h × $0.102 = $372.30; gp3 5 × 20 GB × $0.096 = $9.60;
	// ALB 730 h × $0.0252 = $18.396; 1,460 LCU-h × $0.008 = $11.68.
	// Total $411.976.
	s, c, err := EC2Cost(prices, sg, it, web(), 1, Options{EBSGB: 20})
	if err != nil {
		t.Fatal(err)
	}
	if s.Instances != 5 {
		t.Fatalf("%d instances, want 5", s.Instances)
	}
	checkLines(t, c, map[string]string{pricing.LineEC2Instances: "372.3", pricing.LineEBS: "9.6", pricing.LineALBHours: "18.396", pricing.LineALBLCU: "11.68"})
	if !c.Total.Equal(dec("411.976")) {
		t.Errorf("EC2 total = %s, want 411.976", c.Total)
	}
	// Fargate, 9 tasks × 730 h = 6,570 task-hours of 1 vCPU and 2 GB:
	// x86_64 6,570 × $0.05056 = $332.1792 and 13,140 GB-h × $0.00553 =
	// $72.6642; arm64 6,570 × $0.04045 = $265.7565 and 13,140 × $0.00442 =
	// $58.0788; plus the ALB, $18.396 + $11.68 = $30.076.
	for _, tc := range []struct {
		arch             pricing.Architecture
		vcpu, mem, total string
	}{
		{pricing.X86_64, "332.1792", "72.6642", "434.9194"},
		{pricing.ARM64, "265.7565", "58.0788", "353.9113"},
	} {
		_, c, err := FargateCost(prices, sg, DefaultFargateTask, tc.arch, web(), 1, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkLines(t, c, map[string]string{pricing.LineFargateVCPU: tc.vcpu, pricing.LineFargateMemory: tc.mem})
		if !c.Total.Equal(dec(tc.total)) {
			t.Errorf("%s Fargate total = %s, want %s", tc.arch, c.Total, tc.total)
		}
	}
}
