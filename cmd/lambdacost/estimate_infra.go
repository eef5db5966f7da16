package main

import (
	"context"
	"io"
	"math"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/infra"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

// infraFlags are the `estimate` flags that price infrastructure code
// (package infra): a Terraform plan or templates, with a usage file or a
// dataset.
type infraFlags struct {
	Terraform    string
	Template     string
	BaseTemplate string
	Parameters   []string
	Dataset      string
	Scenarios    []string
	Tunes        []string
}

// infraOnlyFlags apply only with --terraform or --template.
var infraOnlyFlags = []string{"terraform", "template", "base-template", "parameter", "dataset", "scenario", "tune"}

func addInfraFlags(cmd *cobra.Command, l *infraFlags) {
	fs := cmd.Flags()
	fs.StringVar(&l.Terraform, "terraform", "", "price the Lambda functions of a Terraform JSON `FILE` (terraform show -json plan.tfplan): base, head and the diff")
	fs.StringVar(&l.Template, "template", "", "price the Lambda functions of a CloudFormation, SAM or CDK-synthesised template `FILE` (YAML or JSON)")
	fs.StringVar(&l.BaseTemplate, "base-template", "", "with --template: the template `FILE` before the change, to diff against")
	fs.StringArrayVar(&l.Parameters, "parameter", nil, "with --template: a parameter value `PARAM` written Key=Value (repeatable; else each parameter's Default)")
	fs.StringVar(&l.Dataset, "dataset", "", "with --terraform/--template: take each function's usage from this dataset `FILE` (collect/import), matched by function name")
	fs.StringArrayVar(&l.Scenarios, "scenario", nil, "with --terraform/--template: simulate a scenario `FILE` (matched by its function.name, or NAME=FILE) with each side's configuration for the function's usage: cold starts and provisioned concurrency priced with their effect (repeatable)")
	fs.StringArrayVar(&l.Tunes, "tune", nil, "with --scenario or --dataset: a tune -o json `FILE` (matched by its function, or NAME=FILE): each side's duration and INIT at its memory (repeatable)")
	_ = cmd.MarkFlagFilename("scenario", "yaml", "yml")
	_ = cmd.MarkFlagFilename("tune", "json")
	_ = cmd.MarkFlagFilename("terraform", "json")
	_ = cmd.MarkFlagFilename("template", "yaml", "yml", "json", "template")
	_ = cmd.MarkFlagFilename("base-template", "yaml", "yml", "json", "template")
	_ = cmd.MarkFlagFilename("dataset", "json")
}

func (l *infraFlags) on() bool {
	return l.Terraform != "" || l.Template != "" || l.BaseTemplate != "" || len(l.Parameters) > 0 || l.Dataset != "" || len(l.Scenarios) > 0 || len(l.Tunes) > 0
}

// estimateInfraRun prices infrastructure code: base vs head per function.
func estimateInfraRun(o *EstimateOptions) error {
	f := o.F
	for _, name := range append([]string{"requests", "duration", "memory", "arch", "ephemeral-storage", "cold-start-rate", "init-duration",
		"provisioned-concurrency", "provisioned-hours", "provisioned-requests", "provisioned-duration", "snapstart-hours", "snapstart-restores",
		"streamed-bytes-per-request", "log-bytes", "async-payload-bytes-per-request", "transfer-out-bytes-per-request", "streaming-free-tier-used", "api-gateway"}, lmiOnlyFlags...) {
		if o.changed(name) {
			return pricing.Inputf("--"+name, "cannot be combined with --terraform or --template (the configuration comes from the code, the usage from --usage, --dataset or --scenario)")
		}
	}
	if o.Assets != "" && o.HTML == "" {
		return pricing.Inputf("--assets", "only applies with --html")
	}
	if math.IsNaN(o.SavingsPlan) || o.SavingsPlan < 0 || o.SavingsPlan >= 1 {
		return pricing.Inputf("--savings-plan", "discount %v is outside [0, 1) (e.g. 0.17 for 17 %%)", o.SavingsPlan)
	}
	params, err := infra.ParseParameters("--parameter", o.Infra.Parameters)
	if err != nil {
		return err
	}
	src := infra.Source{Terraform: o.Infra.Terraform, Template: o.Infra.Template, BaseTemplate: o.Infra.BaseTemplate,
		Parameters: params, Usage: o.UsageFile, Dataset: o.Infra.Dataset, Scenarios: o.Infra.Scenarios, Tunes: o.Infra.Tunes}
	flagNames := map[string]string{"base_template": "--base-template", "parameters": "--parameter"}
	if err := src.Validate(func(k string) string {
		if n, ok := flagNames[k]; ok {
			return n
		}
		return "--" + k
	}); err != nil {
		return err
	}
	format, err := f.Format()
	if err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	override := o.changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != ""
	e, err := src.Estimate(ctx, prices, f.Region, override, pricing.Options{FreeTier: o.FreeTier, ComputeSavingsPlan: decimal.NewFromFloat(o.SavingsPlan)})
	if err != nil {
		return err
	}
	if e.RegionFallback {
		// Say where the estimate's region came from ($AWS_REGION, a
		// profile, the default).
		regionAssumption(f, o.changed, &e.Assumptions)
	}
	if o.HTML != "" {
		if err := writeHTML(f, o.HTML, o.Assets, func(w io.Writer, opts ...reports.HTMLOption) error {
			return reports.WriteInfraHTML(w, e, opts...)
		}); err != nil {
			return err
		}
	}
	switch format {
	case reports.JSON:
		return reports.WriteJSON(f.IO.Out, e)
	case reports.Markdown:
		if err := reports.WriteInfraSummary(f.IO.Out, e, ""); err != nil {
			return err
		}
	}
	if format == reports.CSV {
		return reports.WriteGrids(f.IO.Out, format, f.Style(), reports.InfraCSVGrids(e)...)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), reports.InfraGrids(e)...)
}
