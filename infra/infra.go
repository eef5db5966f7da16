// Package infra reads Lambda functions from infrastructure code — Terraform
// JSON plans (`terraform show -json`), CloudFormation and SAM templates
// (YAML with intrinsic-function tags, or JSON) and CDK's synthesised
// templates — and prices the change they make: the base (what runs now),
// the head (what the code deploys) and the difference, per function.
//
// Every function is described with the one configuration model,
// pricing.FunctionConfig; the usage that multiplies it comes from an
// infracost usage file (UsageFile) or a dataset (DatasetUsage). A value the
// code leaves unknown until apply is reported with the function, never
// guessed: the totals give the known subtotal and, for an unknown
// architecture, the range of both.
package infra

import (
	"fmt"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
)

// Kind names the infrastructure code a Plan was read from.
type Kind string

// The kinds of infrastructure code.
const (
	Terraform      Kind = "terraform"
	CloudFormation Kind = "cloudformation" // also SAM and CDK output
)

// Attribute names of unknown values, as the infrastructure code names them.
const (
	AttrMemory       = "memory_size"
	AttrArchitecture = "architectures"
	AttrEphemeral    = "ephemeral_storage"
	AttrTimeout      = "timeout"
	AttrProvisioned  = "provisioned_concurrent_executions"
	AttrFunctionName = "function_name"
	AttrRegion       = "region"
	// AttrInstanceType is a Managed Instances function's instance type,
	// unknown when its capacity provider lets Lambda choose among several.
	AttrInstanceType = "capacity_provider.instance_type"
	// AttrMaxVCPU is a capacity provider's max_vcpu_count.
	AttrMaxVCPU = "capacity_provider.max_vcpu_count"
	// AttrMinEnvironments is a Managed Instances function's minimum
	// execution environments.
	AttrMinEnvironments = "min_execution_environments"
)

// Function is one Lambda function on one side of a change (base or head).
type Function struct {
	// Address identifies the function across base and head: a Terraform
	// resource address (module.api.aws_lambda_function.handler["eu"]) or a
	// CloudFormation logical id.
	Address string `json:"address"`
	// Type is the resource type (aws_lambda_function, AWS::Serverless::Function).
	Type string `json:"type"`
	// Region is where the function runs when the code says (a Terraform
	// resource's region argument or its provider's region); empty: the
	// estimate's region.
	Region string `json:"region,omitempty"`
	// Config is the function's configuration. Fields listed in Unknown
	// hold Lambda's default and must not be priced as known.
	Config pricing.FunctionConfig `json:"config"`
	// Unknown lists the attributes whose values are known only after apply
	// (Terraform) or could not be resolved (a template's parameter without
	// a value, an import): AttrMemory, AttrArchitecture, ...
	Unknown []string `json:"unknown,omitempty"`
	// Provisioned lists the provisioned-concurrency configurations of the
	// function (per alias or version).
	Provisioned []Provisioned `json:"provisioned,omitempty"`
	// Defaults lists the configuration values the code does not set and
	// Lambda's default fills in.
	Defaults pricing.Assumptions `json:"defaults,omitempty"`
	// Notes are facts about the function that the bill cannot price (a
	// SnapStart setting without its usage).
	Notes []string `json:"notes,omitempty"`
	// Logs is where the function's logs go (logging_config, LoggingConfig)
	// and the class of that log group, which prices their ingestion; nil
	// when the function's name (and so its default log group) is unknown.
	Logs *Logs `json:"logs,omitempty"`
	// LMI is the function's Lambda Managed Instances capacity provider;
	// nil for a function on Lambda's own (on-demand) environments.
	LMI *ManagedInstances `json:"managed_instances,omitempty"`
}

// ManagedInstances is a function's Lambda Managed Instances capacity
// provider (capacity_provider_config, CapacityProviderConfig): the
// function runs on the provider's EC2 instances, billed per instance-hour
// with a 15 % management fee (pricing/fleet's LMI model), and its requests;
// no duration charge.
type ManagedInstances struct {
	// Provider is the capacity provider's address (or logical id) in the
	// code, else its ARN.
	Provider string `json:"provider"`
	// InstanceType is the provider's one allowed instance type; empty when
	// Lambda chooses among several (the cost is then unknown: Why).
	InstanceType string `json:"instance_type,omitempty"`
	Why          string `json:"why,omitempty"`
	// MemoryGiBPerVCPU (ExecutionEnvironmentMemoryGiBPerVCpu) and
	// MaxConcurrency (PerExecutionEnvironmentMaxConcurrency) size the
	// function's execution environments; 0: AWS's defaults.
	MemoryGiBPerVCPU float64 `json:"memory_gib_per_vcpu,omitempty"`
	MaxConcurrency   int     `json:"max_concurrency,omitempty"`
	// MaxVCPU is the capacity provider's max_vcpu_count
	// (CapacityProviderScalingConfig.MaxVCpuCount): the fleet never has
	// more vCPUs; 0: no limit set.
	MaxVCPU int `json:"max_vcpu_count,omitempty"`
	// MinEnvironments is the function's minimum execution environments
	// (aws_lambda_function_scaling_config, FunctionScalingConfig
	// MinExecutionEnvironments); 0: AWS's default, 3.
	MinEnvironments int `json:"min_execution_environments,omitempty"`
	// Runtime picks the default maximum concurrency per vCPU.
	Runtime string `json:"runtime,omitempty"`
	// providerArch is the provider's instance_requirements architecture
	// ("" when not set): its one allowed type must be of it.
	providerArch string
}

func lmiString(m *ManagedInstances) string {
	switch {
	case m == nil:
		return "Lambda (on demand)"
	case m.InstanceType == "":
		return "Managed Instances (" + m.Provider + ", instance type chosen by Lambda)"
	}
	return "Managed Instances (" + m.InstanceType + " on " + m.Provider + ")"
}

// capacityProvider is a Lambda Managed Instances capacity provider of the code.
type capacityProvider struct {
	address, arn  string
	instanceTypes []string
	typesUnknown  bool
	// maxVCPU is max_vcpu_count (0: none); maxVCPUUnknown: known only
	// after apply.
	maxVCPU        int
	maxVCPUUnknown bool
	// arch is instance_requirements' architectures (one; "" when not
	// set: x86_64, or arm64 only where the instance types say so).
	arch string
}

// linkLMI gives each Managed Instances function its provider's instance
// type: the provider is found by ARN or by the function's reference.
func linkLMI(fns []Function, providers []capacityProvider, refs map[string]string) {
	for i := range fns {
		m := fns[i].LMI
		if m == nil {
			continue
		}
		var p *capacityProvider
		for k := range providers {
			if (m.Provider != "" && providers[k].arn == m.Provider) || refs[fns[i].Address] == providers[k].address {
				p = &providers[k]
			}
		}
		switch {
		case p == nil:
			m.Why = "its capacity provider " + m.Provider + " is not in the code, so its instance type is not known"
		case p.typesUnknown:
			m.Provider = p.address
			m.Why = "the capacity provider's allowed instance types are not known"
		case len(p.instanceTypes) != 1:
			m.Provider = p.address
			m.Why = fmt.Sprintf("the capacity provider allows %d instance types (%s) and Lambda chooses among them: give it one (allowed_instance_types) to price it", len(p.instanceTypes), strings.Join(p.instanceTypes, ", "))
			if len(p.instanceTypes) == 0 {
				m.Why = "the capacity provider lets Lambda choose any compatible instance type: give it one (allowed_instance_types / AllowedInstanceTypes) to price it"
			}
		default:
			m.Provider, m.InstanceType, m.Why = p.address, p.instanceTypes[0], ""
			m.providerArch = p.arch
		}
		if p != nil {
			m.MaxVCPU = p.maxVCPU
			if p.maxVCPUUnknown {
				fns[i].unknown(AttrMaxVCPU)
			}
		}
		if m.InstanceType == "" {
			fns[i].unknown(AttrInstanceType)
			fns[i].Notes = append(fns[i].Notes, "Lambda Managed Instances: "+m.Why)
		}
	}
}

// Logs is a function's CloudWatch Logs destination.
type Logs struct {
	// Format is the log format, Text (Lambda's default) or JSON.
	Format string `json:"format"`
	// Group is the log group's name: the configured one, else Lambda's
	// default /aws/lambda/<function name>.
	Group string `json:"group"`
	// GroupAddress is the log-group resource of the code that has this
	// name (its usage-file key); empty when the code does not create it.
	GroupAddress string `json:"group_address,omitempty"`
	// Class is the log group's class: STANDARD (also when the code does
	// not create the group: Lambda creates it so) or INFREQUENT_ACCESS.
	Class string `json:"class"`
	// ClassUnknown: the class is known only after apply.
	ClassUnknown bool `json:"class_unknown,omitempty"`
}

// Log group classes (CloudWatch Logs LogGroupClass).
const (
	LogClassStandard = "STANDARD"
	LogClassIA       = "INFREQUENT_ACCESS"
)

// logGroup is a CloudWatch log group resource of the code.
type logGroup struct {
	address, name string
	class         string
	classUnknown  bool
}

// linkLogs gives each function the class of the log group its logs go to.
func linkLogs(fns []Function, groups []logGroup) {
	for i := range fns {
		l := fns[i].Logs
		if l == nil {
			continue
		}
		for _, g := range groups {
			if g.name != "" && g.name == l.Group {
				l.GroupAddress, l.Class, l.ClassUnknown = g.address, g.class, g.classUnknown
			}
		}
	}
}

// Provisioned is one provisioned-concurrency configuration.
type Provisioned struct {
	// Address is the resource that configures it (a Terraform
	// aws_lambda_provisioned_concurrency_config, or the function's own
	// address and alias in SAM).
	Address string `json:"address"`
	// Qualifier is the alias or version it applies to.
	Qualifier string `json:"qualifier,omitempty"`
	// Concurrency is the number of environments kept initialised.
	Concurrency int `json:"concurrency"`
	// Unknown is true when Concurrency is known only after apply.
	Unknown bool `json:"unknown,omitempty"`
}

// IsUnknown reports whether attr is unknown.
func (f *Function) IsUnknown(attr string) bool {
	for _, u := range f.Unknown {
		if u == attr {
			return true
		}
	}
	return false
}

func (f *Function) unknown(attr string) {
	if !f.IsUnknown(attr) {
		f.Unknown = append(f.Unknown, attr)
	}
}

// Plan is the functions of a piece of infrastructure code before and after
// the change. A template read alone has no base (HasBase false): every
// function is new.
type Plan struct {
	Kind Kind   `json:"kind"`
	Path string `json:"path"`
	// BasePath is the base template of a template comparison.
	BasePath string     `json:"base_path,omitempty"`
	HasBase  bool       `json:"has_base"`
	Base     []Function `json:"base"`
	Head     []Function `json:"head"`
	// Region is the region the code deploys to, when it says (a Terraform
	// provider's region); empty otherwise.
	Region string `json:"region,omitempty"`
	// RegionUnresolved says which provider regions the reader could not
	// resolve (an expression other than a constant or a root variable):
	// the functions of those providers are priced in the estimate's region.
	RegionUnresolved []string `json:"-"`
	// Notes are facts about the code that the bill does not include
	// (resources lambdacost does not price, unlinked configurations).
	Notes []string `json:"notes,omitempty"`
}

// UnknownPhrase is how outputs say a value is not known for code of kind k:
// Terraform knows it after apply; a template's value depends on something
// only a deployment resolves.
func UnknownPhrase(k Kind) string {
	if k == CloudFormation {
		return "unresolved in the template"
	}
	return "known after apply"
}

// Why describes how a function's configuration changed between base and
// head, one item per attribute ("memory 512 → 2048 MB").
func Why(base, head *Function) []string {
	return why(base, head, UnknownPhrase(Terraform))
}

func why(base, head *Function, phrase string) []string {
	switch {
	case base == nil && head == nil:
		return nil
	case base == nil:
		return []string{"new function"}
	case head == nil:
		return []string{"function removed"}
	}
	var out []string
	b, h := base.Config, head.Config
	val := func(f *Function, attr, known string) string {
		if f.IsUnknown(attr) {
			return "(" + phrase + ")"
		}
		return known
	}
	add := func(attr, label, bv, hv string) {
		bv, hv = val(base, attr, bv), val(head, attr, hv)
		if bv != hv {
			out = append(out, fmt.Sprintf("%s %s → %s", label, bv, hv))
		}
	}
	add(AttrRegion, "region", regionOr(base.Region), regionOr(head.Region))
	add(AttrMemory, "memory", fmt.Sprintf("%d MB", b.MemoryMB), fmt.Sprintf("%d MB", h.MemoryMB))
	add(AttrArchitecture, "architecture", string(b.Architecture), string(h.Architecture))
	add(AttrEphemeral, "ephemeral storage", fmt.Sprintf("%d MB", b.EphemeralStorageMB), fmt.Sprintf("%d MB", h.EphemeralStorageMB))
	add(AttrTimeout, "timeout", b.Timeout.String(), h.Timeout.String())
	if bp, hp := pcString(base, phrase), pcString(head, phrase); bp != hp {
		out = append(out, fmt.Sprintf("provisioned concurrency %s → %s", bp, hp))
	}
	if b.ReservedConcurrency != h.ReservedConcurrency {
		out = append(out, fmt.Sprintf("reserved concurrency %s → %s", reserved(b.ReservedConcurrency), reserved(h.ReservedConcurrency)))
	}
	if bm, hm := lmiString(base.LMI), lmiString(head.LMI); bm != hm {
		out = append(out, fmt.Sprintf("compute %s → %s", bm, hm))
	}
	if bm, hm := base.LMI, head.LMI; bm != nil && hm != nil {
		if bm.MinEnvironments != hm.MinEnvironments {
			out = append(out, fmt.Sprintf("min execution environments %s → %s", minEnvs(bm.MinEnvironments), minEnvs(hm.MinEnvironments)))
		}
		if bm.MaxVCPU != hm.MaxVCPU {
			out = append(out, fmt.Sprintf("capacity provider max vCPUs %s → %s", reserved(bm.MaxVCPU), reserved(hm.MaxVCPU)))
		}
	}
	if bl, hl := base.Logs, head.Logs; bl != nil && hl != nil {
		if bl.Format != hl.Format {
			out = append(out, fmt.Sprintf("log format %s → %s", bl.Format, hl.Format))
		}
		if bl.Group != hl.Group {
			out = append(out, fmt.Sprintf("log group %s → %s", bl.Group, hl.Group))
		}
		bc, hc := bl.Class, hl.Class
		if bl.ClassUnknown {
			bc = "(" + phrase + ")"
		}
		if hl.ClassUnknown {
			hc = "(" + phrase + ")"
		}
		if bc != hc {
			out = append(out, fmt.Sprintf("log group class %s → %s", bc, hc))
		}
	}
	return out
}

func minEnvs(n int) string {
	if n == 0 {
		return "3 (AWS's default)"
	}
	return fmt.Sprint(n)
}

func reserved(n int) string {
	if n == 0 {
		return "none"
	}
	return fmt.Sprint(n)
}

func pcString(f *Function, phrase string) string {
	if len(f.Provisioned) == 0 {
		return "none"
	}
	var parts []string
	for _, p := range f.Provisioned {
		v := fmt.Sprint(p.Concurrency)
		if p.Unknown {
			v = "(" + phrase + ")"
		}
		if p.Qualifier != "" {
			v += " on " + p.Qualifier
		}
		parts = append(parts, v)
	}
	return strings.Join(parts, ", ")
}

func regionOr(r string) string {
	if r == "" {
		return "(the estimate's)"
	}
	return r
}

// pcDimension is the Application Auto Scaling dimension of a Lambda
// alias's or version's provisioned concurrency.
const pcDimension = "lambda:function:ProvisionedConcurrency"

// scalingTarget is an Application Auto Scaling target of a function's
// provisioned concurrency: resource ID "function:NAME:QUALIFIER", its
// minimum and maximum capacity (-1 when not known).
type scalingTarget struct {
	address    string
	resourceID string
	// function is the function's address when the code links the target
	// to it by reference (a template's !Ref or ${Function}); else the
	// resource ID's name is matched.
	function string
	min, max int
}

// linkScalingTargets states, for each function whose provisioned
// concurrency an Application Auto Scaling target scales, that the bill
// takes the configured level all month (the level the scaling gives over
// the month is not in the code): an assumption of that function, never a
// silent constant. A target whose function is not found is a note.
func linkScalingTargets(fns []Function, targets []scalingTarget, side string) []string {
	var notes []string
	for _, st := range targets {
		name, qual := "", ""
		if rest, ok := strings.CutPrefix(st.resourceID, "function:"); ok {
			name, qual, _ = strings.Cut(rest, ":")
		}
		idx := -1
		for i := range fns {
			if st.function != "" && fns[i].Address == st.function || st.function == "" && name != "" && fns[i].Config.Name == name {
				idx = i
				break
			}
		}
		bounds := "between min_capacity and max_capacity"
		if st.min >= 0 && st.max >= 0 {
			bounds = fmt.Sprintf("between %d and %d environments", st.min, st.max)
		}
		if idx < 0 {
			what := st.resourceID
			if what == "" {
				what = "(known after apply)"
			}
			notes = append(notes, fmt.Sprintf("%s (%s) scales the provisioned concurrency of %s %s, a function not found in the code: its scaling is not priced", st.address, side, what, bounds))
			continue
		}
		f := &fns[idx]
		level := "no provisioned concurrency configuration"
		clamped := ""
		for i, p := range f.Provisioned {
			if qual == "" || p.Qualifier == "" || p.Qualifier == qual {
				// Registering the target moves the current level into
				// [min, max] (Application Auto Scaling's
				// RegisterScalableTarget): a configured level outside it
				// is never what runs.
				if !p.Unknown && st.min >= 0 && st.max >= st.min && (p.Concurrency < st.min || p.Concurrency > st.max) {
					to := min(max(p.Concurrency, st.min), st.max)
					clamped = fmt.Sprintf("; the configured %d is outside [%d, %d], and registering the target moves it to %d", p.Concurrency, st.min, st.max, to)
					pcs := append([]Provisioned(nil), f.Provisioned...) // base and head may share one
					pcs[i].Concurrency = to
					f.Provisioned = pcs
					p = pcs[i]
				}
				level = fmt.Sprintf("%d all month", p.Concurrency)
				if p.Qualifier != "" {
					level = fmt.Sprintf("%d on %s all month", p.Concurrency, p.Qualifier)
				}
				break
			}
		}
		f.Defaults.Add(pricing.Assumption{Field: f.Address + ".provisioned_concurrency", Value: level,
			Why: fmt.Sprintf("%s scales it %s (Application Auto Scaling): the level over the month is not in the code, so the bill takes the configured level (and the usage's hours)%s; a level that rises or falls bills more or less", st.address, bounds, clamped)})
	}
	return notes
}

// snapStartNote says what SnapStart (on apply) adds to a function of
// runtime: nothing on a Java managed runtime ("SnapStart pricing does not
// apply to supported Java managed runtimes", AWS's pricing page); a cache
// and restore charge on the others (Python, .NET), which the code's usage
// does not give.
func snapStartNote(on, runtime string) string {
	if strings.HasPrefix(runtime, "java") {
		return "SnapStart is on (" + on + "), on " + runtime + ": no cache or restore charge (SnapStart pricing does not apply to Java managed runtimes)"
	}
	return "SnapStart is on (" + on + "): its cache and restore charges need snapstart_hours and snapstart_restores (`lambdacost estimate --usage`); they are not included"
}

// streamingNote says that a function URL streaming its responses can add
// the response-streaming charge (bytes beyond each response's first 6 MB),
// which the code's usage does not give.
func streamingNote(url, function string) string {
	if function == "" {
		function = "its function"
	}
	return url + " streams the responses of " + function + " (RESPONSE_STREAM): the bytes of each response beyond its first 6 MB are billed per GB, not included (`lambdacost estimate --streamed-bytes-per-request` prices them)"
}
