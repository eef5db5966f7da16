package pricing

import (
	"fmt"
	"strings"
)

// Cost line names of the always-on side of a comparison (pricing/fleet)
// and the options both sides share.
const (
	LineEC2Instances       = "ec2_instances"
	LineEC2Commitment      = "ec2_commitment_discount"
	LineEBS                = "ebs_gp3"
	LineALBHours           = "alb_hours"
	LineALBLCU             = "alb_lcu"
	LineFargateVCPU        = "fargate_vcpu"
	LineFargateMemory      = "fargate_memory"
	LineFargateCommitment  = "fargate_commitment_discount"
	LineLambdaSavingsPlans = "lambda_savings_plan_discount"
)

// lineLabels names every cost line for people, whatever the table or chart
// shows it: one name per line, clear beside the lines of other services.
var lineLabels = map[string]string{
	LineRequests:               "Requests",
	LineDuration:               "Duration",
	LineEphemeralStorage:       "Ephemeral storage",
	LineProvisionedConcurrency: "Provisioned concurrency",
	LineProvisionedDuration:    "Provisioned duration",
	LineSnapStartCache:         "SnapStart cache",
	LineSnapStartRestore:       "SnapStart restores",
	LineStreaming:              "Response streaming",
	LineLogs:                   "CloudWatch Logs",
	LineAPIGateway:             "API Gateway",
	LineComputeSavingsPlan:     "Compute Savings Plan discount",
	LineTransferOut:            "Data transfer out",
	LineDurableOperations:      "Durable operations",
	LineDurableWritten:         "Durable data written",
	LineDurableRetained:        "Durable data retained",
	LineTenantEnvironments:     "Tenant environments",
	LineESMProvisioned:         "Provisioned event source mapping",
	LineLMIRequests:            "LMI requests",
	LineLMIInstances:           "LMI EC2 instances",
	LineLMIManagementFee:       "LMI management fee (15% of on-demand)",
	LineEC2Instances:           "EC2 instances",
	LineEC2Commitment:          "EC2 Savings Plan / RI discount",
	LineEBS:                    "EBS gp3",
	LineALBHours:               "Load balancer (ALB)",
	LineALBLCU:                 "Load balancer capacity (LCU)",
	LineFargateVCPU:            "Fargate vCPU",
	LineFargateMemory:          "Fargate memory",
	LineFargateCommitment:      "Fargate Savings Plan discount",
	LineLambdaSavingsPlans:     "Lambda Savings Plan discount",
}

// LineLabel names the cost line name for people ("ebs_gp3" → "EBS gp3");
// a name it does not know is shown with spaces for its underscores,
// capitalised ("new_line" → "New line").
func LineLabel(name string) string {
	if l, ok := lineLabels[name]; ok {
		return l
	}
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Label names the line for people: LineLabel, with its tier when priced
// by tiers ("Duration (tier 2)").
func (l CostLine) Label() string {
	if l.Tier > 0 {
		return fmt.Sprintf("%s (tier %d)", LineLabel(l.Name), l.Tier)
	}
	return LineLabel(l.Name)
}
