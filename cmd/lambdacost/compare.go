package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdCompare(f, nil) }) }

// CompareOptions are the parsed flags of `lambdacost compare`.
type CompareOptions struct {
	F *Factory

	Scenario string
	Dataset  string
	Function string

	Requests int64
	Duration pricing.Duration
	MemoryMB int
	Arch     string
	PeakRPS  float64

	InstanceTypes         []string
	TargetUtilization     float64
	MinInstances          int
	CPUFraction           float64
	CPUTime               pricing.Duration
	RunFile               string
	MemoryPerRequestMB    float64
	BytesPerRequest       float64
	RequestsPerConnection float64
	Autoscale             bool
	ScaleOutLag           pricing.Duration
	EBSGB                 int
	NoLoadBalancer        bool
	EC2Discount           float64
	FargateDiscount       float64
	LambdaDiscount        float64
	APIGateway            string
	APIGatewayLambdaOnly  bool
	LogBytes              pricing.ByteSize
	FargateTask           string
	FreeTier              bool
	Seed                  uint64
	HTML                  string
	Assets                string
	// LMI holds the Lambda Managed Instances flags (compare_lmi.go).
	LMI compareLMIFlags

	changed func(string) bool
	ctx     context.Context
	// assumptions are each input's assumptions (compareInputs fills them).
	assumptions []pricing.Assumptions
	// scenario is the scenario compared (nil for a dataset or flags): its
	// billing: and compare: sections choose what no flag chose.
	scenario *simulator.Scenario
	// datasetSpan is the window of a --dataset (compareInputs sets it).
	datasetSpan time.Duration
}

// NewCmdCompare builds `compare`. runF replaces the run function in tests.
func NewCmdCompare(f *Factory, runF func(*CompareOptions) error) *cobra.Command {
	o := &CompareOptions{F: f}
	cmd := &cobra.Command{
		Use:   "compare [SCENARIO.yaml | --dataset FILE | --requests N --duration D]",
		Short: "Lambda against an always-on EC2 fleet and Fargate, with the break-even volume",
		Long: `Prices the same traffic on Lambda (x86_64 and arm64), on an always-on EC2 fleet behind an
Application Load Balancer, and on Fargate, and finds the monthly request volume at which the
fleet becomes cheaper (the break-even), with both cost curves across volumes.

The traffic comes from a scenario (simulated once: cold starts and INIT are billed), a dataset
(collect/import; --function picks functions), or flags (--requests, --duration, --memory,
--peak-rps). A scenario's compare: section chooses the EC2 types, the Fargate task and the
Managed Instances types as --instance-type, --fargate-task, --lmi-instance-type and --no-lmi
do (a flag wins over the file). The fleet is sized for the peak (or per interval with --autoscale): each server
handles vCPUs × --target-utilization / CPU time per request, limited by memory (in-flight
requests × --memory-per-request), with at least --min-instances. CPU time per request is the
duration × --cpu-fraction; by default the fraction is the vCPU share Lambda gives the memory
(1 vCPU at 1,769 MB, at most 1) and the memory per request is the function's (or the measured
maximum), i.e. each request gets on a server what it had on Lambda. Months are 730 hours.`,
		Example: `  lambdacost compare examples/checkout.yaml
  lambdacost compare --requests 100M --duration 120ms --memory 1024 --peak-rps 200 -o json
  lambdacost compare --dataset examples/prod.json --function checkout --instance-type m7g.large,c7g.large
  lambdacost compare examples/spike.yaml --autoscale --scale-out-lag 3m --ec2-discount 0.3 --api-gateway http`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.Scenario = args[0]
			}
			o.changed = cmd.Flags().Changed
			o.ctx = cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return compareRun(o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.Dataset, "dataset", "", "dataset file (collect/import) instead of a scenario")
	joinedNamesFlag(fs, &o.Function, "function", "function name", "dataset functions to compare (default: all)")
	countFlag(fs, &o.Requests, "requests", 0, "requests per month (without a scenario or dataset)")
	durationFlag(fs, &o.Duration, "duration", 0, "average duration per request (without a scenario or dataset)")
	memoryFlag(fs, &o.MemoryMB, "memory", 128, "Lambda memory in MB (without a scenario or dataset)")
	fs.StringVar(&o.Arch, "arch", "x86_64", "Lambda architecture: x86_64|arm64 (without a scenario or dataset)")
	fs.Float64Var(&o.PeakRPS, "peak-rps", 0, "peak requests per second (default: the mean rate; without a scenario or dataset)")
	namesFlag(fs, &o.InstanceTypes, "instance-type", "instance type", "EC2 instance types to consider (default: every non-burstable type priced)")
	fs.Float64Var(&o.TargetUtilization, "target-utilization", fleet.DefaultTargetUtilization, "share of each server's vCPUs and memory to plan for (0–1]")
	fs.IntVar(&o.MinInstances, "min-instances", fleet.DefaultMinInstances, "smallest fleet, for availability")
	fs.Float64Var(&o.CPUFraction, "cpu-fraction", 0, "share of the duration a request keeps one vCPU busy (default: Lambda's vCPU share of the memory, at most 1)")
	durationFlag(fs, &o.CPUTime, "cpu-time", 0, "measured CPU time per request (e.g. 12ms); sets the CPU fraction")
	fs.StringVar(&o.RunFile, "run", "", "`FILE` written by 'lambdacost run -o json': its mean CPU time per request sets the CPU fraction")
	fs.Float64Var(&o.MemoryPerRequestMB, "memory-per-request", 0, "MB one in-flight request needs on a server (default: measured max memory, else the function's memory)")
	fs.Float64Var(&o.BytesPerRequest, "bytes-per-request", fleet.DefaultBytesPerRequest, "request + response bytes through the load balancer")
	fs.Float64Var(&o.RequestsPerConnection, "requests-per-connection", fleet.DefaultRequestsPerConnection, "requests per client connection to the load balancer")
	fs.BoolVar(&o.Autoscale, "autoscale", false, "size the fleet per interval of the traffic profile instead of for the peak")
	durationFlag(fs, &o.ScaleOutLag, "scale-out-lag", 0, "with --autoscale: how long new capacity takes to serve (e.g. 3m)")
	fs.IntVar(&o.EBSGB, "ebs-gb", fleet.DefaultEBSGB, "gp3 volume per EC2 instance in GB (0: none)")
	fs.BoolVar(&o.NoLoadBalancer, "no-load-balancer", false, "leave the Application Load Balancer out of the fleet")
	fs.Float64Var(&o.EC2Discount, "ec2-discount", 0, "Savings Plan / reserved-instance discount on EC2 instance-hours (0–1, e.g. 0.37)")
	fs.Float64Var(&o.FargateDiscount, "fargate-discount", 0, "Compute Savings Plan discount on Fargate (0–1)")
	fs.Float64Var(&o.LambdaDiscount, "lambda-discount", 0, "Compute Savings Plan discount on Lambda duration and provisioned concurrency (0–1; default: a scenario's billing.compute_savings_plan)")
	fs.StringVar(&o.APIGateway, "api-gateway", "none", "API Gateway in front: none|rest|http (charged on both sides unless --api-gateway-lambda-only)")
	fs.BoolVar(&o.APIGatewayLambdaOnly, "api-gateway-lambda-only", false, "charge the API Gateway on the Lambda side only")
	fs.StringVar(&o.FargateTask, "fargate-task", "", "Fargate task size, e.g. 1vCPU:2GB or 0.5:1 (default: 1 vCPU with 2 GB, larger if one request needs it)")
	fs.BoolVar(&o.FreeTier, "free-tier", false, "apply Lambda's monthly free tier (default: a scenario's billing.free_tier)")
	fs.Var(&o.LogBytes, "log-bytes", "bytes of CloudWatch logs each Lambda invocation writes (e.g. 2KB), unless a dataset measured them: adds a 'logs' line on the Lambda side (default: a scenario's billing.log_bytes_per_request)")
	fs.Uint64Var(&o.Seed, "seed", 0, "random seed of the scenario's simulation (overrides the file)")
	addCompareLMIFlags(fs, &o.LMI)
	fs.StringVar(&o.HTML, "html", "", "also write an HTML report (charts: cost across volumes, break-even) to FILE")
	fs.StringVar(&o.Assets, "assets", "", "with --html: write echarts.min.js into DIR and load it from there instead of inlining it")
	_ = cmd.MarkFlagFilename("html", "html")
	_ = cmd.MarkFlagDirname("assets")
	_ = cmd.RegisterFlagCompletionFunc("api-gateway", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"none", "rest", "http"}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = cmd.MarkFlagFilename("dataset", "json")
	return cmd
}

// compareFieldFlags maps fleet.Workload fields to the flags that set them.
var compareFieldFlags = map[string]string{
	"monthly_requests": "--requests", "peak_rps": "--peak-rps", "duration": "--duration",
	"cpu_fraction": "--cpu-fraction", "memory_per_request_mb": "--memory-per-request",
	"bytes_per_request": "--bytes-per-request", "requests_per_connection": "--requests-per-connection",
	"memory_mb": "--memory", "architecture": "--arch",
}

// flagFromFile lists the workload fields a scenario or dataset sets.
var compareFileFields = map[string]bool{"monthly_requests": true, "peak_rps": true, "duration": true, "memory_mb": true, "architecture": true, "profile": true}

// mapCompareErrors names flags (or the input file and function) in
// validation errors.
func mapCompareErrors(err error, file, function string) error {
	if err == nil {
		return nil
	}
	if function != "" {
		function = "function " + function + ": "
	}
	var errs []error
	for _, e := range unjoin(err) {
		if ie, ok := e.(*pricing.InputError); ok {
			if file != "" && compareFileFields[ie.Source] {
				e = pricing.Inputf(file, "%s%s: %s", function, ie.Source, ie.Msg)
			} else if fl, ok := compareFieldFlags[ie.Source]; ok {
				e = &pricing.InputError{Source: fl, Msg: ie.Msg}
			}
		}
		errs = append(errs, e)
	}
	return pricing.Errors(errs)
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func (o *CompareOptions) fleetOptions() (fleet.Options, fleet.FargateTask, error) {
	var errs []error
	api := o.APIGateway
	if api == "none" {
		api = fleet.APIGatewayNone
	}
	fo := fleet.Options{
		Scaling: fleet.Scaling{TargetUtilization: o.TargetUtilization, MinInstances: o.MinInstances, Autoscale: o.Autoscale, ScaleOutLag: o.ScaleOutLag.D()},
		EBSGB:   o.EBSGB, NoLoadBalancer: o.NoLoadBalancer,
		EC2Discount: o.EC2Discount, FargateDiscount: o.FargateDiscount, LambdaDiscount: o.LambdaDiscount,
		APIGateway: api, APIGatewayLambdaOnly: o.APIGatewayLambdaOnly, FreeTier: o.FreeTier, LogBytesPerRequest: o.LogBytes,
	}
	errs = append(errs, fo.Validate()...)
	if o.ScaleOutLag > 0 && !o.Autoscale {
		errs = append(errs, pricing.Inputf("--scale-out-lag", "only applies with --autoscale"))
	}
	var task fleet.FargateTask
	if o.FargateTask != "" {
		t, err := fleet.ParseFargateTask(o.FargateTask)
		if err != nil {
			errs = append(errs, err)
		}
		task = t
	}
	return fo, task, pricing.Errors(errs)
}

// compareInputs builds one comparison input per function from the chosen
// source, each with its notes.
func (o *CompareOptions) compareInputs(prices *pricing.PriceTable) ([]fleet.Input, [][]string, error) {
	f := o.F
	sources := 0
	for _, set := range []bool{o.Scenario != "", o.Dataset != "", o.changed("requests")} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return nil, nil, pricing.Inputf("compare", "give exactly one of SCENARIO.yaml, --dataset FILE or --requests N (with --duration)")
	}
	var errs []error
	if o.Scenario != "" || o.Dataset != "" {
		for _, name := range []string{"duration", "memory", "arch", "peak-rps"} {
			if o.changed(name) {
				errs = append(errs, pricing.Inputf("--"+name, "describes flag-given traffic; it cannot be combined with a scenario or a dataset"))
			}
		}
	}
	cpuGiven := 0
	for _, name := range []string{"cpu-fraction", "cpu-time", "run"} {
		if o.changed(name) {
			cpuGiven++
		}
	}
	if cpuGiven > 1 {
		errs = append(errs, pricing.Inputf("--cpu-fraction", "give at most one of --cpu-fraction, --cpu-time and --run"))
	}
	if o.changed("cpu-time") && o.CPUTime <= 0 {
		errs = append(errs, pricing.Inputf("--cpu-time", "must be positive"))
	}
	if o.Dataset == "" && o.changed("function") {
		errs = append(errs, pricing.Inputf("--function", "only applies with --dataset"))
	}
	if o.HTML == "" && o.changed("assets") {
		errs = append(errs, pricing.Inputf("--assets", "only applies with --html"))
	}
	if o.Scenario == "" && o.changed("seed") {
		errs = append(errs, pricing.Inputf("--seed", "only applies to a scenario"))
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, nil, err
	}
	regionGiven := o.changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != ""
	switch {
	case o.Scenario != "":
		s, err := simulator.LoadScenario(o.Scenario)
		if err != nil {
			return nil, nil, err
		}
		opt := simulator.Options{Prices: prices, Workers: 1}
		if s.Region == "" || regionGiven {
			opt.Region = f.Region
		}
		if o.changed("seed") {
			opt.Seed = &o.Seed
		}
		ctx := o.ctx
		if ctx == nil {
			ctx = context.Background()
		}
		in, res, err := planner.ScenarioInput(ctx, s, opt)
		if err != nil {
			return nil, nil, err
		}
		o.scenario = s
		return []fleet.Input{in}, [][]string{planner.ScenarioNotes(res)}, nil
	case o.Dataset != "":
		d, err := pricing.ReadDataset(o.Dataset)
		if err != nil {
			return nil, nil, err
		}
		region := ""
		if regionGiven || d.Region == "" {
			region = f.Region
		}
		var functions []string
		if o.Function != "" {
			functions = strings.Split(o.Function, ",")
		}
		di, err := fleet.DatasetInputs(prices, d, o.Dataset, region, functions)
		if di != nil {
			for _, m := range di.Messages {
				fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s\n", m)
			}
		}
		if err != nil {
			return nil, nil, err
		}
		o.assumptions = append(o.assumptions, di.Assumptions...)
		o.datasetSpan = d.Span()
		return di.Inputs, di.Notes, nil
	default:
		a, err := pricing.ParseArchitecture(o.Arch)
		if err != nil {
			errs = append(errs, pricing.Inputf("--arch", "%v", err))
		}
		if !o.changed("duration") {
			errs = append(errs, pricing.Inputf("--duration", "is required with --requests (average duration per request, e.g. 120ms)"))
		}
		if o.Requests <= 0 {
			errs = append(errs, pricing.Inputf("--requests", "must be positive"))
		}
		if err := pricing.Errors(errs); err != nil {
			return nil, nil, err
		}
		fc := pricing.FunctionConfig{MemoryMB: o.MemoryMB, Architecture: a}
		var as pricing.Assumptions
		as.Add(pricing.Assumption{Field: "month", Value: fmt.Sprintf("%d h", pricing.HoursPerMonth), Why: "--requests is per 730-hour month"})
		if !o.changed("memory") {
			as.Add(pricing.Assumption{Field: "--memory", Value: fmt.Sprintf("%d MB", o.MemoryMB), Why: "not given: the flag's default; pass --memory"})
		}
		if !o.changed("arch") {
			as.Add(pricing.Assumption{Field: "--arch", Value: string(a), Why: "not given: the flag's default; pass --arch"})
		}
		if !o.changed("peak-rps") {
			as.Add(pricing.Assumption{Field: "--peak-rps", Value: "the mean rate", Why: "not given: servers are sized for flat traffic; pass --peak-rps"})
		}
		o.assumptions = append(o.assumptions, as)
		w := fleet.Workload{
			MonthlyRequests: float64(o.Requests), PeakRPS: o.PeakRPS, Duration: o.Duration.D(),
			CPUFraction: fleet.DefaultCPUFraction(o.MemoryMB), MemoryPerRequestMB: fleet.DefaultMemoryPerRequestMB(fc, 0),
		}
		return []fleet.Input{{Region: f.Region, Function: fc, Workload: w}}, [][]string{nil}, nil
	}
}

func compareRun(o *CompareOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	fo, task, err := o.fleetOptions()
	if err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	ins, notes, err := o.compareInputs(prices)
	if err != nil {
		return err
	}
	file := o.Scenario
	if file == "" {
		file = o.Dataset
	}
	cpuTime := o.CPUTime.D()
	cpuSource := "--cpu-time"
	if o.RunFile != "" {
		if cpuTime, err = planner.CPUTimeFromRun(o.RunFile); err != nil {
			return err
		}
		cpuSource = o.RunFile
	}
	pr := fleet.PerRequest{CPUTime: cpuTime, CPUTimeSource: cpuSource, BytesPerRequest: o.BytesPerRequest, RequestsPerConnection: o.RequestsPerConnection}
	if o.changed("cpu-fraction") {
		pr.CPUFraction = &o.CPUFraction
	}
	if o.changed("memory-per-request") {
		pr.MemoryPerRequestMB = &o.MemoryPerRequestMB
	}
	var results []*fleet.Result
	for i, in := range ins {
		in.Options = fo
		in.FargateTask = task
		in.InstanceTypes = o.InstanceTypes
		notes[i] = append(notes[i], pr.Apply(&in)...)
		o.LMI.apply(&in)
		// A scenario's billing: and compare: sections choose what no flag
		// chose.
		billing := simulator.CompareBillingAssumptions(in.Options, func(string) bool { return true })
		if a, ok := simulator.CompareLogsNotPriced(in); ok {
			billing.Add(a)
		}
		if o.scenario != nil {
			if billing, err = o.scenario.ApplyCompareSections(prices, &in, o.changed); err != nil {
				return err
			}
		}
		r, err := fleet.Compare(prices, in)
		if err != nil {
			return mapCompareErrors(err, file, in.Name)
		}
		r.Notes = append(notes[i], r.Notes...)
		if i < len(o.assumptions) {
			r.Assumptions = o.assumptions[i]
		}
		for _, a := range billing {
			r.Assumptions.Add(a)
		}
		if in.Options.FreeTier && o.Dataset != "" {
			r.Assumptions = fleet.DatasetFreeTier(r.Assumptions, o.datasetSpan, len(in.Months) > 1)
		}
		for _, a := range simulator.CompareFleetAssumptions(in, o.changed) {
			r.Assumptions.Add(a)
		}
		r.Notes = append(r.Notes, pr.AssumedNotes(in, r)...)
		results = append(results, r)
	}
	if o.HTML != "" {
		if err := writeCompareHTML(f, o.HTML, o.Assets, results); err != nil {
			return err
		}
	}
	return reports.WriteComparisons(f.IO.Out, format, f.Style(), results)
}

// writeCompareHTML writes the comparison page (several comparisons share
// one page) through writeHTML: self-contained, or loading
// echarts from --assets DIR.
func writeCompareHTML(f *Factory, path, assets string, rs []*fleet.Result) error {
	return writeHTML(f, path, assets, func(w io.Writer, opts ...reports.HTMLOption) error {
		if len(rs) == 1 {
			return reports.WriteCompareHTML(w, rs[0], opts...)
		}
		return reports.WriteComparisonsHTML(w, rs, opts...)
	})
}
