package infra

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Terraform resource types lambdacost reads.
const (
	tfFunction    = "aws_lambda_function"
	tfProvisioned = "aws_lambda_provisioned_concurrency_config"
	tfAlias       = "aws_lambda_alias"
	tfLogGroup    = "aws_cloudwatch_log_group"
	tfCapProvider = "aws_lambda_capacity_provider"
	// tfScaling is a Managed Instances function's scaling configuration
	// (function_scaling_config: min/max_execution_environments).
	tfScaling = "aws_lambda_function_scaling_config"
	// tfAutoScalingTarget is an Application Auto Scaling target; with
	// scalable_dimension lambda:function:ProvisionedConcurrency it scales
	// a function's provisioned concurrency.
	tfAutoScalingTarget = "aws_appautoscaling_target"
)

// billable are Lambda resource types that can add to the bill but that
// lambdacost does not price from a plan: they are named in the notes.
var billable = map[string]bool{
	"aws_lambda_event_source_mapping":  true, // provisioned pollers
	"aws_lambda_code_signing_config":   false,
	"aws_lambda_function_event_invoke": false,
}

// tfPlan is the part of Terraform's JSON plan representation
// (`terraform show -json plan.tfplan`, format_version 1.x) that prices
// Lambda functions. Unknown properties are ignored, as Terraform's
// compatibility promise asks of consumers.
type tfPlan struct {
	FormatVersion    string          `json:"format_version"`
	TerraformVersion string          `json:"terraform_version"`
	ResourceChanges  []tfChange      `json:"resource_changes"`
	PriorState       *tfState        `json:"prior_state"`
	Configuration    *tfConfig       `json:"configuration"`
	PlannedValues    json.RawMessage `json:"planned_values"`
	Values           json.RawMessage `json:"values"` // a state, not a plan
	// Variables are the root module's input variables' values.
	Variables map[string]struct {
		Value any `json:"value"`
	} `json:"variables"`
}

type tfChange struct {
	Address       string          `json:"address"`
	ModuleAddress string          `json:"module_address"`
	Mode          string          `json:"mode"`
	Type          string          `json:"type"`
	Name          string          `json:"name"`
	Index         json.RawMessage `json:"index"`
	Change        struct {
		Actions      []string       `json:"actions"`
		Before       map[string]any `json:"before"`
		After        map[string]any `json:"after"`
		AfterUnknown map[string]any `json:"after_unknown"`
	} `json:"change"`
}

type tfState struct {
	Values *struct {
		RootModule tfStateModule `json:"root_module"`
	} `json:"values"`
}

type tfStateModule struct {
	Address      string            `json:"address"`
	Resources    []tfStateResource `json:"resources"`
	ChildModules []tfStateModule   `json:"child_modules"`
}

type tfStateResource struct {
	Address string         `json:"address"`
	Mode    string         `json:"mode"`
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Values  map[string]any `json:"values"`
}

type tfConfig struct {
	ProviderConfig map[string]struct {
		Name          string         `json:"name"`
		ModuleAddress string         `json:"module_address"`
		Expressions   map[string]any `json:"expressions"`
	} `json:"provider_config"`
	RootModule tfConfigModule `json:"root_module"`
}

type tfConfigModule struct {
	Resources []struct {
		Address           string         `json:"address"`
		Mode              string         `json:"mode"`
		Type              string         `json:"type"`
		Name              string         `json:"name"`
		ProviderConfigKey string         `json:"provider_config_key"`
		Expressions       map[string]any `json:"expressions"`
	} `json:"resources"`
	ModuleCalls map[string]struct {
		Module tfConfigModule `json:"module"`
	} `json:"module_calls"`
}

// ReadTerraformPlan reads a Terraform JSON plan from path (see
// ParseTerraformPlan).
func ReadTerraformPlan(path string) (*Plan, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf("--terraform", "%v", err)
	}
	return ParseTerraformPlan(path, data)
}

// ParseTerraformPlan reads the Lambda functions of a Terraform JSON plan
// (the output of `terraform show -json plan.tfplan`): aws_lambda_function
// with its provisioned-concurrency configurations, before (Base, from each
// resource change's `before` or the prior state) and after (Head). Module
// instances, count and for_each keep their full addresses. A value unknown
// until apply (after_unknown) is listed in Function.Unknown; an attribute
// the configuration does not set and the provider computes (architectures,
// ephemeral_storage) is Lambda's default, listed in Function.Defaults.
// Problems name the file and the JSON path.
func ParseTerraformPlan(path string, data []byte) (*Plan, error) {
	var p tfPlan
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&p); err != nil {
		return nil, jsonErr(path, data, err)
	}
	if dec.More() {
		off := dec.InputOffset()
		return nil, pricing.Inputf(posOf(path, data, off), "more than one JSON value in the file (want one `terraform show -json` document)")
	}
	if p.FormatVersion == "" {
		return nil, pricing.Inputf(path, "not a Terraform JSON plan: no format_version (make it with `terraform show -json plan.tfplan`)")
	}
	if major, _, _ := strings.Cut(p.FormatVersion, "."); major != "1" {
		return nil, pricing.Inputf(path+": format_version", "Terraform JSON format %s is not supported (this build reads 1.x)", p.FormatVersion)
	}
	if p.ResourceChanges == nil && p.PlannedValues == nil {
		if p.Values != nil {
			return nil, pricing.Inputf(path, "this is a Terraform state, not a plan: run `terraform plan -out plan.tfplan` then `terraform show -json plan.tfplan`")
		}
		return nil, pricing.Inputf(path, "not a Terraform JSON plan: no resource_changes or planned_values")
	}
	r := &tfReader{path: path, plan: &p, out: &Plan{Kind: Terraform, Path: path, HasBase: true}}
	r.read()
	if err := pricing.Errors(r.errs); err != nil {
		return nil, err
	}
	sortFunctions(r.out.Base)
	sortFunctions(r.out.Head)
	return r.out, nil
}

type tfReader struct {
	path string
	plan *tfPlan
	out  *Plan
	errs []error
	// lmiRefs: a Managed Instances function's reference to its capacity
	// provider in the configuration (function address → provider address).
	lmiRefs map[string]string
}

func (r *tfReader) errorf(jpath, format string, args ...any) {
	r.errs = append(r.errs, pricing.Inputf(r.path+": "+jpath, format, args...))
}

// pcRes is a provisioned-concurrency configuration not yet linked to its function.
type pcRes struct {
	pc           Provisioned
	functionName string // the function_name attribute (a name or an ARN)
	nameUnknown  bool
	module       string
	refs         []string // configuration references of function_name
	jpath        string
	// scaling: an aws_lambda_function_scaling_config, not a provisioned
	// concurrency: minEnv is its min_execution_environments.
	scaling    bool
	minEnv     int
	minUnknown bool
}

func (r *tfReader) read() {
	seen := map[string]bool{}
	var basePC, headPC []pcRes
	var baseLG, headLG []logGroup
	var baseCP, headCP []capacityProvider
	other := map[string]int{}
	var baseAS, headAS []scalingTarget
	for i, rc := range r.plan.ResourceChanges {
		jp := fmt.Sprintf("resource_changes[%d]", i)
		if rc.Mode == "data" {
			continue
		}
		seen[rc.Address] = true
		if rc.Type == tfAutoScalingTarget {
			acts := rc.Change.Actions
			if b := rc.Change.Before; b != nil {
				if st, ok := tfScalingTarget(rc.Address, b, nil); ok {
					baseAS = append(baseAS, st)
				}
			}
			if a := rc.Change.After; a != nil && !(containsStr(acts, "delete") && !containsStr(acts, "create")) && !containsStr(acts, "forget") {
				if st, ok := tfScalingTarget(rc.Address, a, rc.Change.AfterUnknown); ok {
					headAS = append(headAS, st)
				}
			}
			continue
		}
		if rc.Type == tfCapProvider {
			acts := rc.Change.Actions
			if b := rc.Change.Before; b != nil {
				baseCP = append(baseCP, tfCapacityProvider(rc.Address, b, nil))
			}
			if a := rc.Change.After; a != nil && !(containsStr(acts, "delete") && !containsStr(acts, "create")) && !containsStr(acts, "forget") {
				headCP = append(headCP, tfCapacityProvider(rc.Address, a, rc.Change.AfterUnknown))
			}
			continue
		}
		if rc.Type == tfLogGroup {
			acts := rc.Change.Actions
			if b := rc.Change.Before; b != nil {
				baseLG = append(baseLG, tfLogGroupOf(rc.Address, b, nil, nil))
			}
			if a := rc.Change.After; a != nil && !(containsStr(acts, "delete") && !containsStr(acts, "create")) && !containsStr(acts, "forget") {
				expr, _ := r.configResource(rc.ModuleAddress, rc.Type, rc.Name)
				headLG = append(headLG, tfLogGroupOf(rc.Address, a, rc.Change.AfterUnknown, expr))
			}
			continue
		}
		if rc.Type == "aws_lambda_function_url" {
			if a := rc.Change.After; a != nil && !containsStr(rc.Change.Actions, "delete") {
				if m, _ := a["invoke_mode"].(string); m == "RESPONSE_STREAM" {
					fn, _ := a["function_name"].(string)
					r.out.Notes = append(r.out.Notes, streamingNote(rc.Address, fn))
				}
			}
			continue
		}
		if rc.Type != tfFunction && rc.Type != tfProvisioned && rc.Type != tfScaling {
			if billable[rc.Type] {
				other[rc.Type]++
			}
			continue
		}
		if rc.Address == "" {
			r.errorf(jp+".address", "missing")
			continue
		}
		acts := rc.Change.Actions
		if len(acts) == 0 {
			r.errorf(jp+".change.actions", "missing (want e.g. [\"update\"])")
			continue
		}
		for _, a := range acts {
			switch a {
			case "no-op", "create", "read", "update", "delete", "forget":
			default:
				r.errorf(jp+".change.actions", "unknown action %q", a)
			}
		}
		before, after := rc.Change.Before, rc.Change.After
		if containsStr(acts, "delete") && !containsStr(acts, "create") || containsStr(acts, "forget") {
			after = nil
		}
		cfgExpr, pkey := r.configResource(rc.ModuleAddress, rc.Type, rc.Name)
		if before != nil {
			switch rc.Type {
			case tfFunction:
				if f, ok := r.function(jp+".change.before", rc.Address, before, nil, cfgExpr, pkey); ok {
					r.out.Base = append(r.out.Base, f)
				}
			case tfProvisioned:
				if pc, ok := r.provisioned(jp+".change.before", rc.Address, rc.ModuleAddress, before, nil, cfgExpr); ok {
					basePC = append(basePC, pc)
				}
			case tfScaling:
				if pc, ok := r.scaling(jp+".change.before", rc.Address, rc.ModuleAddress, before, nil, cfgExpr); ok {
					basePC = append(basePC, pc)
				}
			}
		}
		if after != nil {
			switch rc.Type {
			case tfFunction:
				if f, ok := r.function(jp+".change.after", rc.Address, after, rc.Change.AfterUnknown, cfgExpr, pkey); ok {
					r.out.Head = append(r.out.Head, f)
				}
			case tfProvisioned:
				if pc, ok := r.provisioned(jp+".change.after", rc.Address, rc.ModuleAddress, after, rc.Change.AfterUnknown, cfgExpr); ok {
					headPC = append(headPC, pc)
				}
			case tfScaling:
				if pc, ok := r.scaling(jp+".change.after", rc.Address, rc.ModuleAddress, after, rc.Change.AfterUnknown, cfgExpr); ok {
					headPC = append(headPC, pc)
				}
			}
		} else if !containsStr(acts, "delete") && !containsStr(acts, "forget") && rc.Change.AfterUnknown == nil {
			r.errorf(jp+".change.after", "missing for actions %v", acts)
		}
	}
	// Resources in the prior state but not in resource_changes (a
	// -target plan) are unchanged: both sides.
	if ps := r.plan.PriorState; ps != nil && ps.Values != nil {
		r.walkState(&ps.Values.RootModule, "prior_state.values.root_module", func(jp string, res tfStateResource, module string) {
			if res.Mode == "data" || seen[res.Address] {
				return
			}
			cfgExpr, pkey := r.configResource(module, res.Type, res.Name)
			switch res.Type {
			case tfFunction:
				if f, ok := r.function(jp+".values", res.Address, res.Values, nil, cfgExpr, pkey); ok {
					r.out.Base = append(r.out.Base, f)
					r.out.Head = append(r.out.Head, f)
				}
			case tfProvisioned:
				if pc, ok := r.provisioned(jp+".values", res.Address, module, res.Values, nil, cfgExpr); ok {
					basePC = append(basePC, pc)
					headPC = append(headPC, pc)
				}
			case tfScaling:
				if pc, ok := r.scaling(jp+".values", res.Address, module, res.Values, nil, cfgExpr); ok {
					basePC = append(basePC, pc)
					headPC = append(headPC, pc)
				}
			case tfLogGroup:
				g := tfLogGroupOf(res.Address, res.Values, nil, nil)
				baseLG, headLG = append(baseLG, g), append(headLG, g)
			case tfCapProvider:
				c := tfCapacityProvider(res.Address, res.Values, nil)
				baseCP, headCP = append(baseCP, c), append(headCP, c)
			case tfAutoScalingTarget:
				if st, ok := tfScalingTarget(res.Address, res.Values, nil); ok {
					baseAS, headAS = append(baseAS, st), append(headAS, st)
				}
			}
		})
	}
	linkLogs(r.out.Base, baseLG)
	linkLogs(r.out.Head, headLG)
	linkLMI(r.out.Base, baseCP, r.lmiRefs)
	linkLMI(r.out.Head, headCP, r.lmiRefs)
	r.link(r.out.Base, basePC, "base")
	r.link(r.out.Head, headPC, "head")
	r.out.Notes = append(r.out.Notes, linkScalingTargets(r.out.Base, baseAS, "base")...)
	r.out.Notes = append(r.out.Notes, linkScalingTargets(r.out.Head, headAS, "head")...)
	var types []string
	for t := range other {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		r.out.Notes = append(r.out.Notes, fmt.Sprintf("%d %s resource(s) in the plan are not priced (lambdacost prices aws_lambda_function and its provisioned concurrency; for Managed Instances use estimate --lmi, for a provisioned event source mapping a usage file's esm_epu_hours)", other[t], t))
	}
	r.out.Region = r.providerRegion()
}

func (r *tfReader) walkState(m *tfStateModule, jp string, fn func(string, tfStateResource, string)) {
	for i, res := range m.Resources {
		fn(fmt.Sprintf("%s.resources[%d]", jp, i), res, m.Address)
	}
	for i := range m.ChildModules {
		r.walkState(&m.ChildModules[i], fmt.Sprintf("%s.child_modules[%d]", jp, i), fn)
	}
}

// providerRegion is the default aws provider's region when the
// configuration gives it as a constant.
func (r *tfReader) providerRegion() string { return r.providerRegionOf("aws") }

var moduleKeyRe = regexp.MustCompile(`\[[^\]]*\]`)

// configExpressions returns the configuration block of a resource (its
// expressions), or nil when the plan has no configuration for it. The
// module address's instance keys are dropped: configuration is per
// module call, not per instance.
func (r *tfReader) configExpressions(module, typ, name string) map[string]any {
	e, _ := r.configResource(module, typ, name)
	return e
}

// configResource returns a resource's configuration expressions and its
// provider configuration key ("aws", "aws.eu").
func (r *tfReader) configResource(module, typ, name string) (map[string]any, string) {
	if r.plan.Configuration == nil {
		return nil, ""
	}
	m := &r.plan.Configuration.RootModule
	if module != "" {
		for _, part := range strings.Split(moduleKeyRe.ReplaceAllString(module, ""), ".") {
			if part == "module" || part == "" {
				continue
			}
			call, ok := m.ModuleCalls[part]
			if !ok {
				return nil, ""
			}
			m = &call.Module
		}
	}
	for _, res := range m.Resources {
		if res.Mode != "data" && res.Type == typ && res.Name == name {
			if res.Expressions == nil {
				return map[string]any{}, res.ProviderConfigKey
			}
			return res.Expressions, res.ProviderConfigKey
		}
	}
	return nil, ""
}

// providerRegionOf is the constant region of a provider configuration key
// ("aws", "aws.eu"), or "".
func (r *tfReader) providerRegionOf(key string) string {
	if r.plan.Configuration == nil || key == "" {
		return ""
	}
	pc, ok := r.plan.Configuration.ProviderConfig[key]
	if !ok {
		return ""
	}
	e, ok := pc.Expressions["region"].(map[string]any)
	if !ok {
		return ""
	}
	if s, ok := e["constant_value"].(string); ok {
		return s
	}
	// region = var.NAME in the root module's provider block: the plan
	// carries the root variables' values (`variables`).
	refs := references(pc.Expressions, "region")
	if len(refs) == 1 && !strings.Contains(key, ":") && pc.ModuleAddress == "" {
		if name, ok := strings.CutPrefix(refs[0], "var."); ok {
			if v, ok := r.plan.Variables[name]; ok {
				if s, ok := v.Value.(string); ok && s != "" {
					return s
				}
			}
		}
	}
	what := "an expression"
	if len(refs) > 0 {
		what = strings.Join(refs, ", ")
	}
	note := fmt.Sprintf("provider %s: region = %s, which the plan does not resolve to a value", key, what)
	if !slices.Contains(r.out.RegionUnresolved, note) {
		r.out.RegionUnresolved = append(r.out.RegionUnresolved, note)
	}
	return ""
}

// function reads an aws_lambda_function's values. unknown is the change's
// after_unknown (nil for known values); expr is its configuration (nil when
// the plan has none).
func (r *tfReader) function(jp, addr string, v, unknown map[string]any, expr map[string]any, providerKey string) (Function, bool) {
	n := len(r.errs)
	f := Function{Address: addr, Type: tfFunction}
	// The region: the resource's own (AWS provider v6 has a region
	// argument on every resource), else its provider configuration's.
	_, regionSet := expr["region"]
	switch reg, _ := v["region"].(string); {
	case isUnknown(unknown, "region") && regionSet:
		f.unknown(AttrRegion)
	case reg != "" && !isUnknown(unknown, "region"):
		f.Region = reg
	default:
		f.Region = r.providerRegionOf(providerKey)
	}
	f.Config.Name, _ = v["function_name"].(string)
	if isUnknown(unknown, "function_name") {
		f.Config.Name = ""
	}
	// computed reports whether attr is unknown because the configuration
	// does not set it and the provider fills it in at apply (Lambda's
	// default): not a value the code chose.
	computed := func(attr string) bool {
		if expr == nil {
			return false
		}
		_, set := expr[attr]
		return !set
	}
	switch {
	case isUnknown(unknown, "memory_size"):
		f.unknown(AttrMemory)
		f.Config.MemoryMB = pricing.MinMemoryMB
	case v["memory_size"] == nil:
		f.Config.MemoryMB = pricing.MinMemoryMB
		f.Defaults.Add(pricing.Assumption{Field: addr + ".memory_size", Value: "128 MB", Why: "not set: Lambda's default"})
	default:
		f.Config.MemoryMB = r.intAttr(jp+".memory_size", v["memory_size"])
	}
	switch {
	case isUnknown(unknown, "architectures") && computed("architectures"):
		f.Config.Architecture = pricing.X86_64
		f.Defaults.Add(pricing.Assumption{Field: addr + ".architectures", Value: "x86_64", Why: "not set in the configuration: Lambda's default"})
	case isUnknown(unknown, "architectures"):
		f.unknown(AttrArchitecture)
		f.Config.Architecture = pricing.X86_64
	default:
		f.Config.Architecture = r.archAttr(jp+".architectures", v["architectures"], &f, addr)
	}
	switch {
	case isUnknown(unknown, "ephemeral_storage") && computed("ephemeral_storage"), v["ephemeral_storage"] == nil && !isUnknown(unknown, "ephemeral_storage"):
		f.Config.EphemeralStorageMB = pricing.MinEphemeralMB
	case isUnknown(unknown, "ephemeral_storage"):
		f.unknown(AttrEphemeral)
		f.Config.EphemeralStorageMB = pricing.MinEphemeralMB
	default:
		f.Config.EphemeralStorageMB = r.blockInt(jp+".ephemeral_storage", v["ephemeral_storage"], "size", pricing.MinEphemeralMB)
	}
	switch {
	case isUnknown(unknown, "timeout"):
		f.unknown(AttrTimeout)
	case v["timeout"] == nil:
		f.Config.Timeout = pricing.Duration(pricing.DefaultTimeout)
	default:
		f.Config.Timeout = pricing.Duration(time.Duration(r.intAttr(jp+".timeout", v["timeout"])) * time.Second)
	}
	if rc := v["reserved_concurrent_executions"]; rc != nil && !isUnknown(unknown, "reserved_concurrent_executions") {
		if n := r.intAttr(jp+".reserved_concurrent_executions", rc); n > 0 {
			f.Config.ReservedConcurrency = n // -1: unreserved
		} else if n == 0 {
			f.Notes = append(f.Notes, "reserved_concurrent_executions = 0: the function is throttled (never invoked)")
		}
	}
	if ss, ok := v["snap_start"].([]any); ok && len(ss) > 0 {
		if m, ok := ss[0].(map[string]any); ok {
			if on, _ := m["apply_on"].(string); on != "" && on != "None" {
				runtime, _ := v["runtime"].(string)
				f.Notes = append(f.Notes, snapStartNote(on, runtime))
			}
		}
	}
	r.managedInstances(jp, &f, v, unknown, expr)
	// Logs: logging_config's format and log group (Lambda's defaults Text
	// and /aws/lambda/<name> when the configuration does not set them).
	switch {
	case isUnknown(unknown, "logging_config") && !computed("logging_config"):
		f.Notes = append(f.Notes, "logging_config is known only after apply: its log group, and so its logs' price, is not known")
	case f.Config.Name != "":
		l := &Logs{Format: "Text", Group: "/aws/lambda/" + f.Config.Name, Class: LogClassStandard}
		if lc, ok := v["logging_config"].([]any); ok && len(lc) > 0 && !isUnknown(unknown, "logging_config") {
			if m, ok := lc[0].(map[string]any); ok {
				if s, _ := m["log_format"].(string); s != "" {
					l.Format = s
				}
				if s, _ := m["log_group"].(string); s != "" {
					l.Group = s
				}
			}
		}
		f.Logs = l
	}
	if len(r.errs) > n {
		return f, false
	}
	for _, e := range f.Config.Validate("") {
		var ie *pricing.InputError
		if errors.As(e, &ie) {
			r.errorf(jp, "%s: %s", addr, ie.Msg)
		}
	}
	return f, len(r.errs) == n
}

// managedInstances reads a function's capacity_provider_config: the
// capacity provider (its ARN, or the configuration's reference to an
// aws_lambda_capacity_provider) and the environment settings.
func (r *tfReader) managedInstances(jp string, f *Function, v, unknown, expr map[string]any) {
	cfg, ok := firstBlock(v["capacity_provider_config"])
	if !ok {
		return
	}
	lmi, ok := firstBlock(cfg["lambda_managed_instances_capacity_provider_config"])
	if !ok {
		return
	}
	m := &ManagedInstances{}
	m.Provider, _ = lmi["capacity_provider_arn"].(string)
	// The plan is decoded with UseNumber: numbers are json.Number (a
	// float64 assertion never matched, so a set ratio or concurrency was
	// silently AWS's default).
	bp := jp + ".capacity_provider_config[0].lambda_managed_instances_capacity_provider_config[0]."
	if x := lmi["execution_environment_memory_gib_per_vcpu"]; x != nil {
		num, ok := x.(json.Number)
		g, err := num.Float64()
		if !ok || err != nil {
			r.errorf(bp+"execution_environment_memory_gib_per_vcpu", "want a number, got %s", describe(x))
		} else {
			m.MemoryGiBPerVCPU = g
		}
	}
	if x := lmi["per_execution_environment_max_concurrency"]; x != nil {
		m.MaxConcurrency = r.intAttr(bp+"per_execution_environment_max_concurrency", x)
	}
	m.Runtime, _ = v["runtime"].(string)
	// The reference, from the configuration's nested blocks.
	if ec, ok := firstBlock(expr["capacity_provider_config"]); ok {
		if el, ok := firstBlock(ec["lambda_managed_instances_capacity_provider_config"]); ok {
			if a, ok := el["capacity_provider_arn"].(map[string]any); ok {
				refs, _ := a["references"].([]any)
				for _, x := range refs {
					ref, _ := x.(string)
					if strings.HasPrefix(ref, tfCapProvider+".") && strings.Count(ref, ".") == 1 {
						if r.lmiRefs == nil {
							r.lmiRefs = map[string]string{}
						}
						target := ref
						if mod := moduleOf(f.Address); mod != "" {
							target = mod + "." + ref
						}
						r.lmiRefs[f.Address] = target
					}
				}
			}
		}
	}
	f.LMI = m
}

// moduleOf is the module part of a resource address ("module.a.module.b"
// of "module.a.module.b.aws_lambda_function.f[0]"), or "".
func moduleOf(addr string) string {
	parts := strings.Split(addr, ".")
	n := 0
	for n+1 < len(parts) && parts[n] == "module" {
		n += 2
	}
	return strings.Join(parts[:n], ".")
}

// firstBlock is the first element of a nested block list ([{...}]).
func firstBlock(v any) (map[string]any, bool) {
	l, ok := v.([]any)
	if !ok || len(l) == 0 {
		return nil, false
	}
	m, ok := l[0].(map[string]any)
	return m, ok
}

// tfCapacityProvider reads an aws_lambda_capacity_provider: its ARN and
// instance_requirements' allowed_instance_types.
func tfCapacityProvider(addr string, v, unknown map[string]any) capacityProvider {
	c := capacityProvider{address: addr}
	if !isUnknown(unknown, "arn") {
		c.arn, _ = v["arn"].(string)
	}
	if isUnknown(unknown, "capacity_provider_scaling_config") {
		c.maxVCPUUnknown = true
	} else if sc, ok := firstBlock(v["capacity_provider_scaling_config"]); ok {
		if num, ok := sc["max_vcpu_count"].(json.Number); ok {
			if x, err := num.Int64(); err == nil && x > 0 {
				c.maxVCPU = int(x)
			}
		}
	}
	if isUnknown(unknown, "instance_requirements") {
		c.typesUnknown = true
		return c
	}
	if ir, ok := firstBlock(v["instance_requirements"]); ok {
		if archs, _ := ir["architectures"].([]any); len(archs) == 1 {
			c.arch, _ = archs[0].(string)
		}
		types, _ := ir["allowed_instance_types"].([]any)
		for _, t := range types {
			if s, ok := t.(string); ok {
				c.instanceTypes = append(c.instanceTypes, s)
			}
		}
	}
	return c
}

// tfLogGroupOf reads an aws_cloudwatch_log_group's name and class
// (log_group_class; STANDARD when not set).
func tfLogGroupOf(addr string, v, unknown, expr map[string]any) logGroup {
	g := logGroup{address: addr, class: LogClassStandard}
	if _, set := expr["log_group_class"]; expr != nil && !set {
		unknown = nil // computed: the provider's default, STANDARD
	}
	if !isUnknown(unknown, "name") {
		g.name, _ = v["name"].(string)
	}
	switch c, _ := v["log_group_class"].(string); {
	case isUnknown(unknown, "log_group_class"):
		g.classUnknown = true
	case c != "":
		g.class = c
	}
	return g
}

func (r *tfReader) provisioned(jp, addr, module string, v, unknown map[string]any, expr map[string]any) (pcRes, bool) {
	n := len(r.errs)
	p := pcRes{pc: Provisioned{Address: addr}, module: module, jpath: jp}
	p.functionName, _ = v["function_name"].(string)
	p.nameUnknown = isUnknown(unknown, "function_name") || p.functionName == ""
	p.pc.Qualifier, _ = v["qualifier"].(string)
	if isUnknown(unknown, "provisioned_concurrent_executions") {
		p.pc.Unknown = true
	} else {
		p.pc.Concurrency = r.intAttr(jp+".provisioned_concurrent_executions", v["provisioned_concurrent_executions"])
		if p.pc.Concurrency < 1 && len(r.errs) == n {
			r.errorf(jp+".provisioned_concurrent_executions", "%s: must be at least 1", addr)
		}
	}
	p.refs = references(expr, "function_name")
	return p, len(r.errs) == n
}

// scaling reads an aws_lambda_function_scaling_config: the function it
// applies to (linked as a provisioned-concurrency configuration is) and
// function_scaling_config[0].min_execution_environments (absent: AWS's
// default of 3).
func (r *tfReader) scaling(jp, addr, module string, v, unknown map[string]any, expr map[string]any) (pcRes, bool) {
	n := len(r.errs)
	p := pcRes{pc: Provisioned{Address: addr}, module: module, jpath: jp, scaling: true}
	p.functionName, _ = v["function_name"].(string)
	p.nameUnknown = isUnknown(unknown, "function_name") || p.functionName == ""
	p.pc.Qualifier, _ = v["qualifier"].(string)
	if isUnknown(unknown, "function_scaling_config") {
		p.minUnknown = true
	} else if sc, ok := firstBlock(v["function_scaling_config"]); ok && sc["min_execution_environments"] != nil {
		p.minEnv = r.intAttr(jp+".function_scaling_config[0].min_execution_environments", sc["min_execution_environments"])
		if (p.minEnv < 0 || p.minEnv > 15000) && len(r.errs) == n {
			r.errorf(jp+".function_scaling_config[0].min_execution_environments", "%s: %d is outside Lambda's 0–15000", addr, p.minEnv)
		}
	}
	p.refs = references(expr, "function_name")
	return p, len(r.errs) == n
}

// references lists the addresses the plan's configuration expression of
// attr refers to (configuration.…expressions[attr].references).
func references(expr map[string]any, attr string) []string {
	e, _ := expr[attr].(map[string]any)
	refs, _ := e["references"].([]any)
	var out []string
	for _, x := range refs {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// link attaches provisioned-concurrency configurations to their functions:
// by function_name (a name or an ARN), else by the configuration's
// reference to an aws_lambda_function of the same module instance.
func (r *tfReader) link(fns []Function, pcs []pcRes, side string) {
	for _, p := range pcs {
		idx := -1
		if !p.nameUnknown {
			name := p.functionName
			if i := strings.Index(name, ":function:"); i >= 0 {
				name = name[i+len(":function:"):]
				name, _, _ = strings.Cut(name, ":")
			}
			for i := range fns {
				if fns[i].Config.Name != "" && fns[i].Config.Name == name {
					idx = i
					break
				}
			}
		}
		if idx < 0 {
			for _, ref := range p.refs {
				if !strings.HasPrefix(ref, tfFunction+".") {
					continue
				}
				target := ref
				if p.module != "" {
					target = p.module + "." + ref
				}
				var hits []int
				for i := range fns {
					if fns[i].Address == target || strings.HasPrefix(target, fns[i].Address+".") {
						hits = append(hits, i)
					}
				}
				if len(hits) == 1 {
					idx = hits[0]
					break
				}
			}
		}
		if idx < 0 {
			what := p.functionName
			if p.nameUnknown {
				what = "(known after apply)"
			}
			if p.scaling {
				r.out.Notes = append(r.out.Notes, fmt.Sprintf("%s (%s): its function %s is not in the plan, so its scaling configuration is not applied", p.pc.Address, side, what))
				continue
			}
			r.out.Notes = append(r.out.Notes, fmt.Sprintf("%s (%s): its function %s is not in the plan, so its provisioned concurrency is not priced", p.pc.Address, side, what))
			continue
		}
		if p.scaling {
			f := &fns[idx]
			if f.LMI == nil {
				r.out.Notes = append(r.out.Notes, fmt.Sprintf("%s (%s): %s does not run on a capacity provider, so its scaling configuration does not apply", p.pc.Address, side, f.Address))
				continue
			}
			m := *f.LMI // a copy: an unchanged function's base and head share one
			m.MinEnvironments = p.minEnv
			f.LMI = &m
			if p.minUnknown {
				f.unknown(AttrMinEnvironments)
			}
			continue
		}
		fns[idx].Provisioned = append(fns[idx].Provisioned, p.pc)
		if p.pc.Unknown {
			fns[idx].unknown(AttrProvisioned)
		}
	}
}

// isUnknown reports whether after_unknown marks attr (or any part of it) as
// unknown.
func isUnknown(unknown map[string]any, attr string) bool {
	if unknown == nil {
		return false
	}
	return anyTrue(unknown[attr])
}

func anyTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case []any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	case map[string]any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}

func (r *tfReader) intAttr(jp string, v any) int {
	num, ok := v.(json.Number)
	if !ok {
		r.errorf(jp, "want a whole number, got %s", describe(v))
		return 0
	}
	f, err := num.Float64()
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		r.errorf(jp, "want a whole number, got %s", num)
		return 0
	}
	return int(f)
}

func (r *tfReader) blockInt(jp string, v any, key string, dflt int) int {
	list, ok := v.([]any)
	if !ok {
		r.errorf(jp, "want a list of one block, got %s", describe(v))
		return dflt
	}
	if len(list) == 0 {
		return dflt
	}
	m, ok := list[0].(map[string]any)
	if !ok {
		r.errorf(jp+"[0]", "want an object, got %s", describe(list[0]))
		return dflt
	}
	if m[key] == nil {
		return dflt
	}
	return r.intAttr(jp+"[0]."+key, m[key])
}

func (r *tfReader) archAttr(jp string, v any, f *Function, addr string) pricing.Architecture {
	if v == nil {
		f.Defaults.Add(pricing.Assumption{Field: addr + ".architectures", Value: "x86_64", Why: "not set: Lambda's default"})
		return pricing.X86_64
	}
	list, ok := v.([]any)
	if !ok {
		r.errorf(jp, "want a list such as [\"arm64\"], got %s", describe(v))
		return pricing.X86_64
	}
	if len(list) == 0 {
		f.Defaults.Add(pricing.Assumption{Field: addr + ".architectures", Value: "x86_64", Why: "empty: Lambda's default"})
		return pricing.X86_64
	}
	if len(list) > 1 {
		r.errorf(jp, "Lambda takes one architecture, got %d", len(list))
		return pricing.X86_64
	}
	s, _ := list[0].(string)
	a := pricing.Architecture(s)
	if !a.Valid() {
		r.errorf(jp+"[0]", "unknown architecture %s (want x86_64 or arm64)", describe(list[0]))
		return pricing.X86_64
	}
	return a
}

func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprint(v)
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortFunctions(fs []Function) {
	sort.SliceStable(fs, func(i, j int) bool { return fs[i].Address < fs[j].Address })
}

// jsonErr turns a decoding error into file:line:col.
func jsonErr(path string, data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return pricing.Inputf(posOf(path, data, se.Offset-1), "not valid JSON: %v", err)
	case errors.As(err, &te):
		return pricing.Inputf(posOf(path, data, te.Offset)+": "+te.Field, "want %s, got a JSON %s", te.Type, te.Value)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return pricing.Inputf(posOf(path, data, int64(len(data))), "not valid JSON: the file ends inside its JSON value (cut short?)")
	}
	return pricing.Inputf(path, "not valid JSON: %v", err)
}

// posOf is "path:line:col" of a byte offset.
func posOf(path string, data []byte, off int64) string {
	if off < 0 {
		off = 0
	}
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("%s:%d:%d", path, line, col)
}

// tfScalingTarget reads an aws_appautoscaling_target that scales a
// function's provisioned concurrency (false for any other target).
func tfScalingTarget(addr string, v, unknown map[string]any) (scalingTarget, bool) {
	if d, _ := v["scalable_dimension"].(string); d != pcDimension {
		return scalingTarget{}, false
	}
	st := scalingTarget{address: addr, min: -1, max: -1}
	if !isUnknown(unknown, "resource_id") {
		st.resourceID, _ = v["resource_id"].(string)
	}
	for _, c := range []struct {
		key string
		to  *int
	}{{"min_capacity", &st.min}, {"max_capacity", &st.max}} {
		if num, ok := v[c.key].(json.Number); ok && !isUnknown(unknown, c.key) {
			if x, err := num.Int64(); err == nil {
				*c.to = int(x)
			}
		}
	}
	return st, true
}
