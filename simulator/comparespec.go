package simulator

import (
	"fmt"
	"regexp"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// CompareSpec is a scenario's optional `compare:` section: which always-on
// alternatives `lambdacost compare` prices the scenario's traffic on. It
// carries compare's --instance-type, --fargate-task, --lmi-instance-type
// and --no-lmi (a flag given on the command line wins over the file), so
// that a saved scenario reproduces a comparison without flags.
//
//	compare:
//	  instance_types: [m7g.large, c7g.large]  # EC2 candidates (default: every non-burstable type)
//	  fargate_task: 1vCPU:2GB                  # Fargate task size (default: 1 vCPU with 2 GB, larger if needed)
//	  lmi_instance_types: [m7g.xlarge]         # Managed Instances candidates (default: every c, m and r type)
//	  no_lmi: false                            # true leaves Managed Instances out
//
// The `lmi:` section is another thing: simulate's run of the traffic on one
// capacity provider; compare does not read it.
type CompareSpec struct {
	InstanceTypes    []string `json:"instance_types,omitempty"`
	FargateTask      string   `json:"fargate_task,omitempty"`
	LMIInstanceTypes []string `json:"lmi_instance_types,omitempty"`
	NoLMI            bool     `json:"no_lmi,omitempty"`

	// task is FargateTask parsed; the at fields are where the lists were
	// written (file:line), for messages about names without a price.
	task                          fleet.FargateTask
	instancesAt, lmiAt, fargateAt string
}

type compareFile struct {
	InstanceTypes    []string `yaml:"instance_types"`
	FargateTask      string   `yaml:"fargate_task"`
	LMIInstanceTypes []string `yaml:"lmi_instance_types"`
	NoLMI            bool     `yaml:"no_lmi"`
}

// maxCompareTypes bounds each list of instance types.
const maxCompareTypes = 50

// instanceTypeName is the shape of an instance type name (m7g.large).
var instanceTypeName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,39}$`)

// compareSpec reads and checks the compare: section (its keys are checked
// by the strict decoder).
func (p *parser) compareSpec(f compareFile) CompareSpec {
	c := CompareSpec{InstanceTypes: f.InstanceTypes, FargateTask: f.FargateTask, LMIInstanceTypes: f.LMIInstanceTypes, NoLMI: f.NoLMI,
		instancesAt: p.at("compare", "instance_types"), lmiAt: p.at("compare", "lmi_instance_types"),
		fargateAt: p.at("compare", "fargate_task")}
	names := func(key, at string, list []string) {
		if len(list) > maxCompareTypes {
			p.errf(at, "compare.%s: at most %d instance types, got %d", key, maxCompareTypes, len(list))
			return
		}
		for i, n := range list {
			if !instanceTypeName.MatchString(n) {
				p.errf(at, "compare.%s[%d]: %q is not an instance type name (such as m7g.large)", key, i, n)
			}
		}
	}
	names("instance_types", c.instancesAt, c.InstanceTypes)
	names("lmi_instance_types", c.lmiAt, c.LMIInstanceTypes)
	if c.FargateTask != "" {
		t, err := fleet.ParseFargateTask(c.FargateTask)
		if err != nil {
			msg := err.Error()
			if ie, ok := err.(*pricing.InputError); ok {
				msg = ie.Msg
			}
			p.errf(c.fargateAt, "compare.fargate_task: %s", msg)
		}
		c.task = t
	}
	if c.NoLMI && len(c.LMIInstanceTypes) > 0 {
		p.errf(p.at("compare", "no_lmi"), "compare: no_lmi leaves Managed Instances out; give no lmi_instance_types with it")
	}
	return c
}

// IsZero reports whether the section chooses nothing (compare's defaults).
func (c CompareSpec) IsZero() bool {
	return len(c.InstanceTypes) == 0 && c.FargateTask == "" && len(c.LMIInstanceTypes) == 0 && !c.NoLMI
}

// Apply sets the choices the section makes on in (the EC2 and Managed
// Instances candidates, the Fargate task, no Managed Instances), after
// checking that t prices every named instance type in in.Region; a name it
// does not price is an error naming the scenario's file and line. Choices
// the section does not make leave in as it is (a caller that lets a flag
// win clears that field of c first).
func (c CompareSpec) Apply(t *pricing.PriceTable, in *fleet.Input) error {
	var errs []error
	check := func(key, at string, list []string, lookup func(region, name string) (*pricing.InstanceType, error)) {
		for _, n := range list {
			if _, err := lookup(in.Region, n); err != nil {
				msg := err.Error()
				if ie, ok := err.(*pricing.InputError); ok {
					msg = ie.Msg
				}
				errs = append(errs, pricing.Inputf(at, "compare.%s: %s", key, msg))
			}
		}
	}
	check("instance_types", c.instancesAt, c.InstanceTypes, t.Instance)
	check("lmi_instance_types", c.lmiAt, c.LMIInstanceTypes, t.LMIInstance)
	if err := pricing.Errors(errs); err != nil {
		return err
	}
	if len(c.InstanceTypes) > 0 {
		in.InstanceTypes = c.InstanceTypes
	}
	if c.FargateTask != "" {
		task := c.task
		if task == (fleet.FargateTask{}) {
			// Built in code rather than parsed.
			var err error
			if task, err = fleet.ParseFargateTask(c.FargateTask); err != nil {
				return err
			}
		}
		in.FargateTask = task
	}
	if len(c.LMIInstanceTypes) > 0 {
		in.LMIInstanceTypes = c.LMIInstanceTypes
	}
	if c.NoLMI {
		in.NoLMI = true
	}
	return nil
}

// ApplyCompareSections applies s's billing: and compare: sections to a
// comparison's input in, as `lambdacost compare` on the scenario reads
// them: each choice is made unless compare's flag for it was given
// (given(name) reports that; nil: none was) — --free-tier,
// --lambda-discount and --log-bytes for the billing, --instance-type,
// --fargate-task, --lmi-instance-type and --no-lmi for the alternatives.
// It returns what the Lambda side's billing then assumes
// (CompareBillingAssumptions). Errors are CompareSpec.Apply's.
func (s *Scenario) ApplyCompareSections(t *pricing.PriceTable, in *fleet.Input, given func(flag string) bool) (pricing.Assumptions, error) {
	if given == nil {
		given = func(string) bool { return false }
	}
	b := s.Billing
	if b.FreeTier && !given("free-tier") {
		in.Options.FreeTier = true
	}
	if b.ComputeSavingsPlan > 0 && !given("lambda-discount") {
		in.Options.LambdaDiscount = b.ComputeSavingsPlan
	}
	if b.LogBytesPerRequest > 0 && !given("log-bytes") {
		in.Options.LogBytesPerRequest = b.LogBytesPerRequest
	}
	c := s.Compare
	if given("instance-type") {
		c.InstanceTypes = nil
	}
	if given("fargate-task") {
		c.FargateTask = ""
	}
	if given("lmi-instance-type") || given("no-lmi") {
		c.LMIInstanceTypes, c.NoLMI = nil, false
	}
	if err := c.Apply(t, in); err != nil {
		return nil, err
	}
	as := CompareBillingAssumptions(in.Options, given)
	if a, ok := CompareLogsNotPriced(*in); ok {
		as.Add(a)
	}
	return as, nil
}

// CompareLogsNotPriced is the assumption a comparison lists when its
// Lambda side has no log volume (none measured, no --log-bytes, no
// billing.log_bytes_per_request): the CloudWatch Logs ingestion of the
// function's logs is not in the Lambda cost, which a missing line would
// not say.
func CompareLogsNotPriced(in fleet.Input) (pricing.Assumption, bool) {
	if in.Usage.LogBytes > 0 || in.Options.LogBytesPerRequest > 0 {
		return pricing.Assumption{}, false
	}
	return pricing.Assumption{Field: "logs", Value: "not priced",
		Why: "no log bytes per invocation were given (--log-bytes, or a scenario's billing.log_bytes_per_request) nor measured: the CloudWatch Logs ingestion of the function's logs is not in the Lambda cost (nor the fleets' logs in theirs)"}, true
}

// CompareBillingAssumptions lists what a comparison's Lambda bill assumes
// from its billing options o: Lambda's free tier given to this function,
// a Compute Savings Plan discount on Lambda alone (the fleets get only
// their own discounts, although a Compute Savings Plan also covers EC2 and
// Fargate) and the log bytes of each invocation. Each is named by
// compare's flag when flag(name) reports it given, else by the scenario's
// billing: key; an option not used is not listed.
func CompareBillingAssumptions(o fleet.Options, flag func(name string) bool) pricing.Assumptions {
	if flag == nil {
		flag = func(string) bool { return false }
	}
	var as pricing.Assumptions
	if o.FreeTier {
		field := "billing.free_tier"
		if flag("free-tier") {
			field = "--free-tier"
		}
		as.Add(pricing.Assumption{Field: field, Value: "applied to the Lambda side",
			Why: "Lambda's monthly free tier (1M requests, 400,000 GB-s of on-demand duration) is given to this function alone; EC2, Fargate and Managed Instances get no free tier"})
	}
	if d := o.LambdaDiscount; d > 0 {
		field := "billing.compute_savings_plan"
		if flag("lambda-discount") {
			field = "--lambda-discount"
		}
		as.Add(pricing.Assumption{Field: field, Value: fmt.Sprintf("%g %% off Lambda", d*100),
			Why: fmt.Sprintf("a Compute Savings Plan discount on Lambda duration and provisioned concurrency (not requests); EC2 and Fargate are discounted only by --ec2-discount (%g %%) and --fargate-discount (%g %%), although a Compute Savings Plan covers them too", o.EC2Discount*100, o.FargateDiscount*100)})
	}
	if logs := LogBytesAssumption(o.LogBytesPerRequest, flag("log-bytes")); logs != nil {
		as.Add(*logs)
	}
	return as
}

// LogBytesAssumption is what a comparison's logs line assumes: lb bytes
// of CloudWatch logs per Lambda invocation whose logs were not measured,
// from --log-bytes (flag) or the scenario's billing.log_bytes_per_request;
// nil when lb is 0.
func LogBytesAssumption(lb pricing.ByteSize, flag bool) *pricing.Assumption {
	if lb <= 0 {
		return nil
	}
	field := "billing.log_bytes_per_request"
	if flag {
		field = "--log-bytes"
	}
	return &pricing.Assumption{Field: field, Value: lb.String() + " bytes",
		Why: "every Lambda invocation whose logs were not measured writes this much to CloudWatch Logs (a logs line on the Lambda side); the fleets' logs are not priced"}
}

// CompareFleetAssumptions lists the choices the EC2 and Fargate bills of a
// comparison rest on that the user did not make (flag reports whether a
// flag was given; nil: none was): the utilisation servers are sized to,
// the smallest fleet, the sizing for the peak, on-demand prices, the EBS
// volume and the load balancer's connections. compare and serve's
// comparison list them.
func CompareFleetAssumptions(in fleet.Input, flag func(name string) bool) pricing.Assumptions {
	if flag == nil {
		flag = func(string) bool { return false }
	}
	var as pricing.Assumptions
	add := func(name, value, why string) {
		if !flag(name) {
			as.Add(pricing.Assumption{Field: "--" + name, Value: value, Why: why})
		}
	}
	o := in.Options.Scaling.WithDefaults()
	add("target-utilization", fmt.Sprintf("%g %%", o.TargetUtilization*100),
		"not given: each EC2 instance and Fargate task is planned to use at most this share of its vCPUs and memory (headroom for bursts); pass --target-utilization")
	add("min-instances", fmt.Sprint(o.MinInstances),
		"not given: the smallest EC2 fleet and Fargate service, for availability; pass --min-instances")
	if !o.Autoscale {
		add("autoscale", "off: sized for the peak all month",
			"not given: the fleet runs at its peak size every hour (an upper bound for traffic that varies); pass --autoscale with a traffic profile")
	}
	if in.Options.EC2Discount == 0 {
		add("ec2-discount", "0 (on-demand)",
			"not given: EC2 instance-hours at on-demand Linux prices, no Savings Plan, reserved instance or Spot; pass --ec2-discount")
	}
	if in.Options.FargateDiscount == 0 {
		add("fargate-discount", "0 (on-demand)",
			"not given: Fargate at on-demand prices, no Savings Plan or Spot; pass --fargate-discount")
	}
	add("memory-per-request", fmt.Sprintf("%.0f MB", in.Workload.MemoryPerRequestMB),
		"not given: each in-flight request holds this much of a server's or task's memory (the measured maximum when known, else the function's memory), so memory can limit a server before its CPU; pass --memory-per-request")
	if in.FargateTask == (fleet.FargateTask{}) {
		add("fargate-task", "1 vCPU with 2 GB, larger if one request needs it",
			"not given: Fargate's smallest 1-vCPU task; pass --fargate-task")
	}
	if in.Options.EBSGB > 0 {
		add("ebs-gb", fmt.Sprintf("%d GB gp3 per instance", in.Options.EBSGB),
			"not given: an OS disk per EC2 instance (Fargate's 20 GB of task storage is included in its price); pass --ebs-gb")
	}
	if !in.Options.NoLoadBalancer {
		add("requests-per-connection", fmt.Sprint(in.Workload.RequestsPerConnection),
			"not given: every request opens a new connection to the Application Load Balancer (its LCUs count new connections, active connections and bytes); pass --requests-per-connection")
		add("bytes-per-request", fmt.Sprintf("%g", in.Workload.BytesPerRequest),
			"not given: request + response bytes through the load balancer; pass --bytes-per-request")
	}
	return as
}
