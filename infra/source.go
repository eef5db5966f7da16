package infra

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// Source names the infrastructure code and the usage to price: the inputs
// of `estimate --terraform/--template` and of a check's terraform:/template:
// source.
type Source struct {
	// Terraform is a JSON plan; or Template (and BaseTemplate, the
	// template before the change) a CloudFormation/SAM/CDK template.
	Terraform    string
	Template     string
	BaseTemplate string
	// Parameters are template parameter values.
	Parameters map[string]string
	// Usage is an infracost usage file; or Dataset a lambdacost dataset
	// whose functions are matched by name; or Scenarios lambdacost
	// scenario files (FILE, matched by function.name, or KEY=FILE),
	// simulated with each side's configuration.
	Usage     string
	Dataset   string
	Scenarios []string
	// Tunes are `tune -o json` results (FILE or KEY=FILE): with a
	// scenario or a dataset, each side's duration and INIT at its memory.
	Tunes []string
	// FlagNames maps a field's key (scenario, tune) to how the user wrote
	// it, for errors; missing: --key.
	FlagNames map[string]string
}

// Validate reports a source that names no code, both kinds, or both
// usages. flag maps a field to the name the user wrote it with.
func (s Source) Validate(flag func(string) string) error {
	var errs []error
	switch {
	case s.Terraform == "" && s.Template == "":
		errs = append(errs, pricing.Inputf(flag("terraform"), "give a Terraform JSON plan or a template"))
	case s.Terraform != "" && s.Template != "":
		errs = append(errs, pricing.Inputf(flag("template"), "give either a Terraform plan or a template, not both"))
	}
	if s.BaseTemplate != "" && s.Template == "" {
		errs = append(errs, pricing.Inputf(flag("base_template"), "needs a template (the head to compare with)"))
	}
	if len(s.Parameters) > 0 && s.Template == "" {
		errs = append(errs, pricing.Inputf(flag("parameters"), "template parameters need a template"))
	}
	var usages []string
	for _, u := range []struct {
		key string
		set bool
	}{{"usage", s.Usage != ""}, {"dataset", s.Dataset != ""}, {"scenario", len(s.Scenarios) > 0}} {
		if u.set {
			usages = append(usages, u.key)
		}
	}
	switch {
	case len(usages) > 1:
		errs = append(errs, pricing.Inputf(flag(usages[1]), "give one usage source (a usage file, a dataset or scenarios), not %s", strings.Join(usages, " and ")))
	case len(usages) == 0:
		errs = append(errs, pricing.Inputf(flag("usage"), "the functions' usage is required: an infracost usage file (monthly_requests, request_duration_ms), a dataset from collect/import, or scenarios"))
	}
	if len(s.Tunes) > 0 && s.Usage != "" {
		errs = append(errs, pricing.Inputf(flag("tune"), "a tune result gives the times of a scenario or a dataset; an infracost usage file's request_duration_ms is the usage as written"))
	}
	return pricing.Errors(errs)
}

// ParseParameters reads template parameter values written Key=Value.
func ParseParameters(flag string, kvs []string) (map[string]string, error) {
	if len(kvs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	var errs []error
	for _, kv := range kvs {
		k, v, ok := strings.Cut(kv, "=")
		k = strings.TrimSpace(k)
		switch {
		case !ok || k == "":
			errs = append(errs, pricing.Inputf(flag, "%q: want Key=Value", kv))
		case out[k] != "":
			errs = append(errs, pricing.Inputf(flag, "parameter %s is given twice", k))
		default:
			out[k] = v
		}
	}
	return out, pricing.Errors(errs)
}

// Load reads the code (region resolves AWS::Region in templates).
func (s Source) Load(region string) (*Plan, error) {
	if s.Terraform != "" {
		return ReadTerraformPlan(s.Terraform)
	}
	return ReadTemplatePlan(s.Template, s.BaseTemplate, TemplateOptions{Parameters: s.Parameters, Region: region})
}

// usage reads the usage source of p, priced in region.
func (s Source) usage(ctx context.Context, p *Plan, prices *pricing.PriceTable, region string) (UsageSource, error) {
	var tunes *Tunes
	if len(s.Tunes) > 0 {
		t, err := ReadTunes(s.flag("tune"), s.Tunes)
		if err != nil {
			return nil, err
		}
		tunes = t
	}
	switch {
	case s.Usage != "":
		u, err := ReadUsageFile(s.Usage)
		if err != nil {
			return nil, err
		}
		if u.Ignored > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("%d usage entries of other resource types in %s are not priced (lambdacost prices Lambda)", u.Ignored, s.Usage))
		}
		return u, nil
	case len(s.Scenarios) > 0:
		sc, err := ReadScenarios(s.flag("scenario"), s.Scenarios)
		if err != nil {
			return nil, err
		}
		su := NewScenarioUsage(ctx, sc, tunes, prices, region)
		p.Notes = append(p.Notes, su.Unmatched(p)...)
		return su, nil
	}
	d, err := pricing.ReadDataset(s.Dataset)
	if err != nil {
		return nil, err
	}
	du, err := NewDatasetUsage(s.Dataset, d)
	if err != nil {
		return nil, err
	}
	du.Tunes = tunes
	du.Simulate(ctx, p, prices, region)
	return du, nil
}

// flag is how errors name a source field: FlagNames' entry, else --key.
func (s Source) flag(key string) string {
	if n, ok := s.FlagNames[key]; ok {
		return n
	}
	return "--" + key
}

// Estimate loads the source and prices it. The region is the plan's (its
// aws provider's) unless override; else region. Scenarios are simulated
// under ctx.
func (s Source) Estimate(ctx context.Context, prices *pricing.PriceTable, region string, override bool, bill pricing.Options) (*Estimate, error) {
	p, err := s.Load(region)
	if err != nil {
		return nil, err
	}
	// fromCode: the region is the Terraform configuration's default aws
	// provider's (a template's Region is the one it was read with).
	fromCode := false
	if p.Region != "" && !override {
		fromCode = p.Kind == Terraform && p.Region != region
		region = p.Region
	}
	if region == "" {
		region = "us-east-1"
	}
	src, err := s.usage(ctx, p, prices, region)
	if err != nil {
		return nil, err
	}
	e, err := Price(p, src, Options{Prices: prices, Region: region, Bill: bill})
	if err != nil {
		return nil, err
	}
	if du, ok := src.(*DatasetUsage); ok {
		for _, a := range du.Assumptions {
			e.Assumptions.Add(a)
		}
		if bill.FreeTier {
			// A window of several months holds only its totals: the free
			// tier goes to the average month, which is said.
			e.Assumptions = fleet.DatasetFreeTier(e.Assumptions, du.Window, du.ByMonth())
		}
	}
	if fb := fallbackRegionFunctions(e.Functions); len(fb) > 0 && !override {
		// Nothing in the code names these functions' region: never the
		// estimate's region silently.
		what := "the code does not name their region"
		if p.Kind == CloudFormation {
			what = "a template does not name the region it is deployed to"
		}
		if len(p.RegionUnresolved) > 0 {
			what = strings.Join(p.RegionUnresolved, "; ")
		}
		names := fb
		if len(names) > 3 {
			names = append(names[:3:3], fmt.Sprintf("%d more", len(fb)-3))
		}
		where := "the estimate's region"
		if fromCode || p.Kind == Terraform && p.Region == region {
			// A resource no longer in the configuration (removed) has no
			// provider configuration to read.
			where = "the default aws provider's region"
		} else {
			e.RegionFallback = true
		}
		e.Assumptions.Add(pricing.Assumption{Field: "region", Value: region,
			Why: fmt.Sprintf("%s (%s): priced in %s; pass --region (a check config: region:) to choose", what, strings.Join(names, ", "), where)})
	}
	if override && e.Region != region {
		// The code's own regions win over the one given: say where the
		// rows are priced, not only the region asked for.
		e.Assumptions.Add(pricing.Assumption{Field: "region", Value: region,
			Why: fmt.Sprintf("given (--region, $LAMBDACOST_REGION or a check config's region:), but the code names the region of its functions: each is priced in its own (%s); the region given prices only functions whose code names none", e.Region)})
	}
	return e, nil
}

// fallbackRegionFunctions lists the functions with a side priced in the
// estimate's region because the code names none for it (a region known
// only after apply is unknown, not a fallback).
func fallbackRegionFunctions(fs []FunctionDiff) []string {
	var out []string
	for _, f := range fs {
		for _, s := range []*Side{f.Base, f.Head} {
			if s != nil && s.Region == "" && !slices.Contains(s.Unknown, AttrRegion) {
				out = append(out, f.Address)
				break
			}
		}
	}
	return out
}
