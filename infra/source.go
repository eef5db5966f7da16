package infra

import (
	"fmt"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
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
	// whose functions are matched by name.
	Usage   string
	Dataset string
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
	switch {
	case s.Usage != "" && s.Dataset != "":
		errs = append(errs, pricing.Inputf(flag("dataset"), "give either a usage file or a dataset, not both"))
	case s.Usage == "" && s.Dataset == "":
		errs = append(errs, pricing.Inputf(flag("usage"), "the functions' usage is required: an infracost usage file (monthly_requests, request_duration_ms) or a dataset from collect/import"))
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

// Load reads the code (region resolves AWS::Region in templates) and the
// usage source.
func (s Source) Load(region string) (*Plan, UsageSource, error) {
	var p *Plan
	var err error
	if s.Terraform != "" {
		p, err = ReadTerraformPlan(s.Terraform)
	} else {
		p, err = ReadTemplatePlan(s.Template, s.BaseTemplate, TemplateOptions{Parameters: s.Parameters, Region: region})
	}
	if err != nil {
		return nil, nil, err
	}
	if s.Usage != "" {
		u, err := ReadUsageFile(s.Usage)
		if err != nil {
			return nil, nil, err
		}
		if u.Ignored > 0 {
			p.Notes = append(p.Notes, fmt.Sprintf("%d usage entries of other resource types in %s are not priced (lambdacost prices Lambda)", u.Ignored, s.Usage))
		}
		return p, u, nil
	}
	d, err := pricing.ReadDataset(s.Dataset)
	if err != nil {
		return nil, nil, err
	}
	du, err := NewDatasetUsage(s.Dataset, d)
	if err != nil {
		return nil, nil, err
	}
	return p, du, nil
}

// Estimate loads the source and prices it. The region is the plan's (its
// aws provider's) unless override; else region.
func (s Source) Estimate(prices *pricing.PriceTable, region string, override bool, bill pricing.Options) (*Estimate, error) {
	p, src, err := s.Load(region)
	if err != nil {
		return nil, err
	}
	if p.Region != "" && !override {
		region = p.Region
	}
	if region == "" {
		region = "us-east-1"
	}
	e, err := Price(p, src, Options{Prices: prices, Region: region, Bill: bill})
	if err != nil {
		return nil, err
	}
	if du, ok := src.(*DatasetUsage); ok {
		for _, a := range du.Assumptions {
			e.Assumptions.Add(a)
		}
	}
	return e, nil
}
