package main

import (
	"context"
	"io"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdEstimate(f, nil) }) }

// EstimateOptions are the parsed flags of `lambdacost estimate`.
type EstimateOptions struct {
	F *Factory
	// regionFromFile is set when the usage file's region: is the one priced.
	regionFromFile bool

	Requests               int64
	Duration               pricing.Duration
	MemoryMB               int
	Arch                   string
	FreeTier               bool
	EphemeralMB            int
	ColdStartRate          float64
	InitDuration           pricing.Duration
	ProvisionedConcurrency int
	ProvisionedHours       float64
	ProvisionedRequests    int64
	ProvisionedDuration    pricing.Duration
	SnapStartHours         float64
	SnapStartRestores      int64
	StreamedBytes          pricing.ByteSize
	LogBytes               pricing.ByteSize
	AsyncPayloadBytes      pricing.ByteSize
	TransferOutBytes       pricing.ByteSize
	StreamingFreeTierUsed  bool
	APIGateway             string
	SavingsPlan            float64
	UsageFile              string
	HTML                   string
	Assets                 string
	// LMI holds the --lmi flags (Lambda Managed Instances; estimate_lmi.go).
	LMI lmiFlags
	// Infra holds the infrastructure-code flags (estimate_infra.go).
	Infra infraFlags

	changed func(string) bool
	ctx     context.Context
}

// NewCmdEstimate builds `estimate`. runF replaces the run function in tests.
func NewCmdEstimate(f *Factory, runF func(*EstimateOptions) error) *cobra.Command {
	o := &EstimateOptions{F: f}
	cmd := &cobra.Command{
		Use:   "estimate",
		Short: "The Lambda bill for a month of usage",
		Long: `Prices a month of Lambda usage exactly as AWS bills it: requests, duration rounded up to
the millisecond per invocation, x86_64/arm64 tiers on aggregated GB-s, the free tier (--free-tier),
ephemeral storage above 512 MB, provisioned concurrency, SnapStart (cache and restores), and INIT
billed on cold starts.
Months are 730 hours when hours are projected.`,
		Example: `  lambdacost estimate --requests 3M --duration 120ms --memory 1536 --free-tier
  lambdacost estimate --requests 10M --duration 80ms --memory 512 --arch both -o json
  lambdacost estimate --usage examples/functions.yaml -o markdown
  lambdacost estimate --lmi --requests 100M --instance-type m7g.xlarge --instance-hours 2000 --ec2-rate 0.0457
  lambdacost estimate --lmi --requests 5.256B --duration 40ms --peak-rps 2000 --instance-type m7g.xlarge --runtime nodejs22.x
  lambdacost estimate --terraform examples/plan.json --usage examples/infracost-usage.yml -o markdown
  lambdacost estimate --template examples/template.yaml --base-template examples/template-base.yaml --usage examples/template-usage.yml
  lambdacost estimate --terraform examples/plan-pc.json --scenario examples/orders.yaml -o markdown`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.changed = cmd.Flags().Changed
			o.ctx = cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return estimateRun(o)
		},
	}
	fs := cmd.Flags()
	countFlag(fs, &o.Requests, "requests", 0, "requests per month (total)")
	durationFlag(fs, &o.Duration, "duration", 0, "average billed handler time per invocation (e.g. 120ms)")
	memoryFlag(fs, &o.MemoryMB, "memory", 128, "memory in MB (128–10240)")
	fs.StringVar(&o.Arch, "arch", "x86_64", "architecture: x86_64|arm64|both")
	fs.BoolVar(&o.FreeTier, "free-tier", false, "apply the monthly free tier (1M requests + 400,000 GB-s)")
	fs.IntVar(&o.EphemeralMB, "ephemeral-storage", 512, "ephemeral storage in MB (512–10240)")
	fs.Float64Var(&o.ColdStartRate, "cold-start-rate", 0, "share of on-demand invocations that are cold (0–1)")
	durationFlag(fs, &o.InitDuration, "init-duration", 0, "INIT duration of a cold start, billed since 2025-08-01")
	fs.IntVar(&o.ProvisionedConcurrency, "provisioned-concurrency", 0, "provisioned concurrency (environments)")
	fs.Float64Var(&o.ProvisionedHours, "provisioned-hours", 0, "hours per month provisioned concurrency is enabled")
	countFlag(fs, &o.ProvisionedRequests, "provisioned-requests", 0, "how many of --requests run on provisioned environments")
	durationFlag(fs, &o.ProvisionedDuration, "provisioned-duration", 0, "average duration of provisioned requests (default --duration)")
	fs.Float64Var(&o.SnapStartHours, "snapstart-hours", 0, "hours per month a SnapStart version is active (cache billed, at least 3 h)")
	countFlag(fs, &o.SnapStartRestores, "snapstart-restores", 0, "environments resumed from the SnapStart snapshot (billed per GB restored)")
	fs.Var(&o.StreamedBytes, "streamed-bytes-per-request", "average size of a streamed response (e.g. 7MB; the first 6 MB of each are free; 1 MB = 1024 KB)")
	fs.Var(&o.AsyncPayloadBytes, "async-payload-bytes-per-request", "size of each asynchronous event (e.g. 1MB, at most 1 MB): each 64 KB beyond the first 256 KB bills one more request")
	fs.Var(&o.LogBytes, "log-bytes", "bytes of CloudWatch logs each invocation writes (e.g. 2KB): adds a 'logs' cost line")
	fs.Var(&o.TransferOutBytes, "transfer-out-bytes-per-request", "bytes each invocation sends to the internet (e.g. 10KB): adds a 'data_transfer_out' cost line")
	fs.BoolVar(&o.StreamingFreeTierUsed, "streaming-free-tier-used", false, "with --free-tier: the 100 GB response-streaming free tier is already used elsewhere")
	fs.StringVar(&o.APIGateway, "api-gateway", "", "add API Gateway requests in front of the function: rest|http")
	fs.Float64Var(&o.SavingsPlan, "savings-plan", 0, "Compute Savings Plan discount on duration and provisioned concurrency, as a fraction (e.g. 0.17)")
	fs.StringVar(&o.UsageFile, "usage", "", "YAML file with many functions' configuration and usage (with --terraform/--template: an infracost usage file)")
	fs.StringVar(&o.HTML, "html", "", "also write an HTML report (cost breakdown) to FILE")
	fs.StringVar(&o.Assets, "assets", "", "with --html: write echarts.min.js into DIR and load it from there instead of inlining it")
	addLMIFlags(fs, &o.LMI)
	addInfraFlags(cmd, &o.Infra)
	_ = cmd.MarkFlagFilename("html", "html")
	_ = cmd.MarkFlagDirname("assets")
	_ = cmd.RegisterFlagCompletionFunc("arch", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"x86_64", "arm64", "both"}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.MarkFlagFilename("usage", "yaml", "yml")
	return cmd
}

// flagErrors maps validation errors on model fields to the flags that set them.
var estimateFieldFlags = map[string]string{
	"memory_mb": "--memory", "architecture": "--arch", "ephemeral_storage_mb": "--ephemeral-storage",
	"timeout": "--timeout", "provisioned_concurrency": "--provisioned-concurrency",
	"requests": "--requests", "duration": "--duration", "cold_start_rate": "--cold-start-rate",
	"init_duration": "--init-duration", "provisioned_hours": "--provisioned-hours",
	"provisioned_requests": "--provisioned-requests", "provisioned_duration": "--provisioned-duration",
	"snapstart_hours": "--snapstart-hours", "snapstart_restores": "--snapstart-restores",
	"streamed_bytes_per_request": "--streamed-bytes-per-request", "log_bytes_per_request": "--log-bytes",
	"async_payload_bytes_per_request": "--async-payload-bytes-per-request",
	"transfer_out_bytes_per_request":  "--transfer-out-bytes-per-request",
}

func toFlagErrors(errs []error) []error {
	for i, e := range errs {
		if ie, ok := e.(*pricing.InputError); ok {
			if fl, ok := estimateFieldFlags[ie.Source]; ok {
				errs[i] = &pricing.InputError{Source: fl, Msg: ie.Msg}
			}
		}
	}
	return errs
}

func estimateRun(o *EstimateOptions) error {
	if o.LMI.On {
		return estimateLMIRun(o)
	}
	if o.Infra.on() {
		return estimateInfraRun(o)
	}
	for _, name := range lmiOnlyFlags {
		if o.changed(name) {
			return pricing.Inputf("--"+name, "only applies with --lmi")
		}
	}
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	if o.Assets != "" && o.HTML == "" {
		return pricing.Inputf("--assets", "only applies with --html")
	}
	region := f.Region
	freeTier := o.FreeTier
	if o.StreamingFreeTierUsed && !o.FreeTier && o.UsageFile == "" {
		return pricing.Inputf("--streaming-free-tier-used", "only applies with --free-tier")
	}
	if math.IsNaN(o.SavingsPlan) || o.SavingsPlan < 0 || o.SavingsPlan >= 1 {
		return pricing.Inputf("--savings-plan", "discount %v is outside [0, 1) (e.g. 0.17 for 17 %%)", o.SavingsPlan)
	}
	// fileAssumptions are the usage file's entries' defaults.
	var fileAssumptions pricing.Assumptions
	// assume lists what the flags imply but the bill cannot see.
	assume := func(b *pricing.Bill) {
		for _, a := range fileAssumptions {
			b.Assumptions.Add(a)
		}
		if o.StreamedBytes > 0 {
			b.Assumptions.Add(pricing.Assumption{Field: "--streamed-bytes-per-request", Value: o.StreamedBytes.String() + " bytes",
				Why: "every streamed response has this size; with mixed sizes the bytes beyond 6 MB per response differ from the average's (use a --usage file with one entry per size class)"})
		}
	}
	opts := func() pricing.Options {
		logs := ""
		if o.UsageFile != "" {
			logs = o.UsageFile + " (log_bytes_per_request)"
		}
		return pricing.Options{FreeTier: freeTier, StreamingFreeTierUsed: o.StreamingFreeTierUsed, APIGateway: strings.ToLower(o.APIGateway),
			ComputeSavingsPlan: decimal.NewFromFloat(o.SavingsPlan), LogsField: logs}
	}
	var items []pricing.Item
	multi := false
	if o.UsageFile != "" {
		for _, name := range []string{"requests", "duration", "memory", "arch", "ephemeral-storage", "cold-start-rate", "init-duration", "provisioned-concurrency", "provisioned-hours", "provisioned-requests", "provisioned-duration", "snapstart-hours", "snapstart-restores", "streamed-bytes-per-request", "log-bytes", "transfer-out-bytes-per-request", "async-payload-bytes-per-request"} {
			if o.changed(name) {
				return pricing.Inputf("--"+name, "cannot be combined with --usage (put it in the usage file)")
			}
		}
		u, err := pricing.ReadUsageFile(o.UsageFile)
		if err != nil {
			return err
		}
		if u.Region != "" && !o.changed("region") && f.IO.Getenv("LAMBDACOST_REGION") == "" {
			region = u.Region
			o.regionFromFile = true
		}
		freeTier = freeTier || u.FreeTier
		if !o.changed("streaming-free-tier-used") {
			o.StreamingFreeTierUsed = u.StreamingFreeTierUsed
		}
		if !o.changed("api-gateway") {
			o.APIGateway = u.APIGateway
		}
		if !o.changed("savings-plan") {
			o.SavingsPlan = u.ComputeSavingsPlan
		}
		items = u.Items()
		fileAssumptions = u.Assumptions()
		multi = true
	} else {
		var errs []error
		if !o.changed("requests") {
			errs = append(errs, pricing.Inputf("--requests", "is required (or give --usage FILE)"))
		}
		if !o.changed("duration") && o.Requests > 0 {
			errs = append(errs, pricing.Inputf("--duration", "is required (average billed handler time, e.g. 120ms)"))
		}
		archs := []pricing.Architecture{}
		if o.Arch == "both" {
			archs = pricing.Architectures
		} else if a, err := pricing.ParseArchitecture(o.Arch); err != nil {
			errs = append(errs, pricing.Inputf("--arch", "unknown architecture %q (want x86_64, arm64 or both)", o.Arch))
		} else {
			archs = append(archs, a)
		}
		u := pricing.Usage{
			Requests: o.Requests, Duration: o.Duration, ColdStartRate: o.ColdStartRate, InitDuration: o.InitDuration,
			ProvisionedHours: o.ProvisionedHours, ProvisionedRequests: o.ProvisionedRequests, ProvisionedDuration: o.ProvisionedDuration,
			SnapStartHours: o.SnapStartHours, SnapStartRestores: o.SnapStartRestores,
			StreamedBytesPerRequest: o.StreamedBytes, LogBytesPerRequest: o.LogBytes, TransferOutBytesPerRequest: o.TransferOutBytes,
			AsyncPayloadBytesPerRequest: o.AsyncPayloadBytes,
		}
		fc := pricing.FunctionConfig{MemoryMB: o.MemoryMB, Architecture: pricing.X86_64, EphemeralStorageMB: o.EphemeralMB, ProvisionedConcurrency: o.ProvisionedConcurrency}
		errs = append(errs, toFlagErrors(fc.Validate(""))...)
		errs = append(errs, toFlagErrors(u.Validate("", o.ProvisionedConcurrency))...)
		if o.ProvisionedConcurrency > 0 && o.ProvisionedHours == 0 {
			errs = append(errs, pricing.Inputf("--provisioned-hours", "is required with --provisioned-concurrency (hours per month it is enabled, at most %d)", pricing.MaxHoursInMonth))
		}
		if err := pricing.Errors(errs); err != nil {
			return err
		}
		for _, a := range archs {
			fc.Architecture = a
			items = append(items, pricing.Item{Function: fc, Usage: u.Billed(fc.ProvisionedConcurrency)})
		}
	}

	if !multi && len(items) > 1 {
		// --arch both: two independent single-function bills.
		var ests []pricing.Estimate
		for _, it := range items {
			b, err := prices.LambdaBill(region, []pricing.Item{it}, opts())
			if err != nil {
				return err
			}
			assume(b)
			ests = append(ests, b.Estimates()...)
		}
		for i := range ests {
			for _, a := range estimateAssumptions(o, region, freeTier) {
				ests[i].Assumptions.Add(a)
			}
		}
		if err := o.writeEstimatesHTML(ests, prices.Date); err != nil {
			return err
		}
		return reports.WriteEstimates(f.IO.Out, format, f.Style(), ests, prices.Date)
	}

	b, err := prices.LambdaBill(region, items, opts())
	if err != nil {
		return err
	}
	assume(b)
	if !multi {
		e := b.Estimates()[0]
		for _, a := range estimateAssumptions(o, region, freeTier) {
			e.Assumptions.Add(a)
		}
		if err := o.writeEstimatesHTML([]pricing.Estimate{e}, prices.Date); err != nil {
			return err
		}
		return reports.WriteEstimates(f.IO.Out, format, f.Style(), []pricing.Estimate{e}, prices.Date)
	}
	if o.HTML != "" {
		if err := writeHTML(f, o.HTML, o.Assets, func(w io.Writer, opts ...reports.HTMLOption) error {
			return reports.WriteBillHTML(w, b, prices.Date, opts...)
		}); err != nil {
			return err
		}
	}
	bj := reports.NewBillJSON(b)
	bj.Assumptions = append(pricing.Assumptions(nil), b.Assumptions...)
	for _, a := range estimateAssumptions(o, region, freeTier) {
		bj.Assumptions.Add(a)
	}
	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, bj)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), append(reports.BillGrids(b, prices.Date), reports.AssumptionsGrid(bj.Assumptions)...)...)
}

func (o *EstimateOptions) writeEstimatesHTML(ests []pricing.Estimate, priceDate string) error {
	if o.HTML == "" {
		return nil
	}
	return writeHTML(o.F, o.HTML, o.Assets, func(w io.Writer, opts ...reports.HTMLOption) error {
		return reports.WriteEstimatesHTML(w, ests, priceDate, opts...)
	})
}
