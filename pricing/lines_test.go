package pricing

import "testing"

// One label per cost line, the tier added where there is one, and a line
// not in the table still readable.
func TestLineLabel(t *testing.T) {
	for _, c := range []struct {
		line CostLine
		want string
	}{
		{CostLine{Name: LineRequests}, "Requests"},
		{CostLine{Name: LineDuration, Tier: 2}, "Duration (tier 2)"},
		{CostLine{Name: LineLogs, Tier: 1}, "CloudWatch Logs (tier 1)"},
		{CostLine{Name: LineAPIGateway}, "API Gateway"},
		{CostLine{Name: LineComputeSavingsPlan}, "Compute Savings Plan discount"},
		{CostLine{Name: LineEBS}, "EBS gp3"},
		{CostLine{Name: LineALBHours}, "Load balancer (ALB)"},
		{CostLine{Name: LineFargateCommitment}, "Fargate Savings Plan discount"},
		{CostLine{Name: LineLambdaSavingsPlans}, "Lambda Savings Plan discount"},
		{CostLine{Name: LineLMIManagementFee}, "LMI management fee (15% of on-demand)"},
		{CostLine{Name: "brand_new_line"}, "Brand new line"},
		{CostLine{Name: ""}, ""},
	} {
		if got := c.line.Label(); got != c.want {
			t.Errorf("%+v: %q, want %q", c.line, got, c.want)
		}
	}
}

// Every cost line the program writes has its own label (none falls back
// to its name), and no two lines share one.
func TestEveryLineLabelled(t *testing.T) {
	names := []string{LineRequests, LineDuration, LineEphemeralStorage, LineProvisionedConcurrency, LineProvisionedDuration,
		LineSnapStartCache, LineSnapStartRestore, LineStreaming, LineLogs, LineAPIGateway, LineComputeSavingsPlan, LineTransferOut,
		LineDurableOperations, LineDurableWritten, LineDurableRetained, LineTenantEnvironments, LineESMProvisioned,
		LineLMIRequests, LineLMIInstances, LineLMIManagementFee, LineEC2Instances, LineEC2Commitment, LineEBS, LineALBHours,
		LineALBLCU, LineFargateVCPU, LineFargateMemory, LineFargateCommitment, LineLambdaSavingsPlans}
	seen := map[string]string{}
	for _, n := range names {
		l, ok := lineLabels[n]
		if !ok {
			t.Errorf("%s has no label", n)
		}
		if other, dup := seen[l]; dup {
			t.Errorf("%s and %s are both %q", n, other, l)
		}
		seen[l] = n
	}
	if len(lineLabels) != len(names) {
		t.Errorf("%d labels for %d lines", len(lineLabels), len(names))
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 1234567: "1,234,567", -1234: "-1,234", 100000: "100,000"} {
		if got := GroupThousands(n); got != want {
			t.Errorf("GroupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}
