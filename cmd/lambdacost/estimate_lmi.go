package main

import (
	"os"

	"github.com/spf13/pflag"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// lmiFlags are the `estimate --lmi` flags (Lambda Managed Instances).
type lmiFlags struct {
	On                 bool
	InstanceType       string
	InstanceHours      float64
	Instances          int
	EC2Discount        float64
	EC2Rate            float64
	CPUTime            pricing.Duration
	RunFile            string
	CPUFraction        float64
	PeakRPS            float64
	MemoryPerRequestMB float64
	lmiCapacityFlags
}

func addLMIFlags(fs *pflag.FlagSet, l *lmiFlags) {
	fs.BoolVar(&l.On, "lmi", false, "price the function on Lambda Managed Instances (requests + EC2 instance-hours + 15% management fee) instead of Lambda on-demand")
	fs.StringVar(&l.InstanceType, "instance-type", "", "with --lmi: the capacity provider's EC2 instance type (c, m or r family, e.g. m7g.xlarge)")
	fs.Float64Var(&l.InstanceHours, "instance-hours", 0, "with --lmi: instance-hours the capacity provider ran in the month")
	fs.IntVar(&l.Instances, "instances", 0, "with --lmi: a constant number of instances all month (730 h each)")
	fs.Float64Var(&l.EC2Discount, "ec2-discount", 0, "with --lmi: Savings Plan / RI discount on the instance part only (0–1, e.g. 0.72); never on the management fee")
	fs.Float64Var(&l.EC2Rate, "ec2-rate", 0, "with --lmi: the hourly instance rate paid (a published Savings Plan or RI rate, e.g. 0.0457)")
	durationFlag(fs, &l.CPUTime, "cpu-time", 0, "with --lmi and --duration: CPU time per request (e.g. 40ms; default: the whole duration)")
	fs.StringVar(&l.RunFile, "run", "", "with --lmi and --duration: `FILE` written by 'lambdacost run -o json'; its mean CPU time per request is the CPU time")
	fs.Float64Var(&l.CPUFraction, "cpu-fraction", 0, "with --lmi and --duration: share of the duration a request keeps one vCPU busy")
	fs.Float64Var(&l.PeakRPS, "peak-rps", 0, "with --lmi and --duration: peak requests per second (default: the mean rate)")
	fs.Float64Var(&l.MemoryPerRequestMB, "memory-per-request", 0, "with --lmi and --duration: MB one in-flight request needs in an environment")
	l.lmiCapacityFlags.add(fs, "with --lmi and --duration: ")
}

// lmiFieldFlags maps fleet.LMIRequest fields to their flags.
var lmiFieldFlags = map[string]string{
	"instance_type": "--instance-type", "instance_hours": "--instance-hours", "instances": "--instances", "requests": "--requests",
	"ec2_discount": "--ec2-discount", "ec2_rate": "--ec2-rate", "duration": "--duration", "cpu_time": "--cpu-time", "cpu_fraction": "--cpu-fraction",
	"peak_rps": "--peak-rps", "monthly_requests": "--requests", "memory_per_request_mb": "--memory-per-request", "runtime": "--runtime",
	"env_vcpu": "--lmi-env-vcpu", "memory_gib_per_vcpu": "--lmi-memory-per-vcpu", "max_concurrency": "--lmi-max-concurrency",
	"min_environments": "--lmi-min-environments", "min_instances": "--lmi-min-instances", "target_cpu": "--lmi-target-cpu",
}

// lmiOnlyFlags are the flags that only apply with --lmi.
var lmiOnlyFlags = []string{"instance-type", "instance-hours", "instances", "ec2-discount", "ec2-rate", "cpu-time", "run", "cpu-fraction", "peak-rps", "memory-per-request", "runtime",
	"lmi-env-vcpu", "lmi-memory-per-vcpu", "lmi-max-concurrency", "lmi-min-environments", "lmi-min-instances", "lmi-target-cpu"}

// mapLMIErrors names flags (or file:line positions) in errors about fields.
func mapLMIErrors(err error, file string, data []byte) error {
	if err == nil {
		return nil
	}
	var errs []error
	for _, e := range unjoin(err) {
		if ie, ok := e.(*pricing.InputError); ok {
			if fl, known := lmiFieldFlags[ie.Source]; known {
				if file != "" {
					e = pricing.Inputf(pricing.At(file, pricing.YAMLRoot(data), ie.Source), "%s: %s", ie.Source, ie.Msg)
				} else {
					e = &pricing.InputError{Source: fl, Msg: ie.Msg}
				}
			}
		}
		errs = append(errs, e)
	}
	return pricing.Errors(errs)
}

func estimateLMIRun(o *EstimateOptions) error {
	f := o.F
	l := o.LMI
	format, err := f.Format()
	if err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	for _, name := range []string{"memory", "arch", "free-tier", "ephemeral-storage", "cold-start-rate", "init-duration", "provisioned-concurrency", "provisioned-hours",
		"provisioned-requests", "provisioned-duration", "snapstart-hours", "snapstart-restores", "streamed-bytes-per-request", "log-bytes", "async-payload-bytes-per-request",
		"transfer-out-bytes-per-request", "streaming-free-tier-used", "api-gateway", "savings-plan", "html", "assets"} {
		if o.changed(name) {
			return pricing.Inputf("--"+name, "does not apply with --lmi (Managed Instances bill requests, instance-hours and the management fee only)")
		}
	}
	region := f.Region
	var req fleet.LMIRequest
	var data []byte
	if o.UsageFile != "" {
		for _, name := range append([]string{"requests", "duration"}, lmiOnlyFlags...) {
			if o.changed(name) {
				return pricing.Inputf("--"+name, "cannot be combined with --usage (put it in the usage file)")
			}
		}
		r, err := fleet.ReadLMIRequest(o.UsageFile)
		if err != nil {
			return err
		}
		if data, err = os.ReadFile(o.UsageFile); err != nil {
			return pricing.Inputf("--usage", "%v", err)
		}
		req = *r
		if req.Region != "" && !o.changed("region") && f.IO.Getenv("LAMBDACOST_REGION") == "" {
			region = req.Region
		}
	} else {
		if !o.changed("requests") {
			return pricing.Inputf("--requests", "is required with --lmi (or give --usage FILE)")
		}
		if l.RunFile != "" {
			if o.changed("cpu-time") {
				return pricing.Inputf("--run", "give --run or --cpu-time, not both")
			}
			d, err := planner.CPUTimeFromRun(l.RunFile)
			if err != nil {
				return err
			}
			l.CPUTime = pricing.Duration(d)
		}
		req = fleet.LMIRequest{
			InstanceType: l.InstanceType, Requests: o.Requests, InstanceHours: l.InstanceHours, Instances: l.Instances,
			EC2Discount: l.EC2Discount, EC2Rate: l.EC2Rate, Duration: o.Duration, CPUTime: l.CPUTime, CPUFraction: l.CPUFraction,
			PeakRPS: l.PeakRPS, MemoryPerRequestMB: l.MemoryPerRequestMB, Runtime: l.Runtime, EnvVCPU: l.EnvVCPU,
			MemoryGiBPerVCPU: l.MemoryGiBPerVCPU, MaxConcurrency: l.MaxConcurrency, MinEnvironments: l.MinEnvironments,
			MinInstances: l.MinInstances, TargetCPU: l.TargetCPU,
		}
	}
	est, err := fleet.EstimateLMI(prices, region, req)
	if err != nil {
		return mapLMIErrors(err, o.UsageFile, data)
	}
	if l.RunFile != "" && o.UsageFile == "" {
		est.Assumptions.Add(pricing.Assumption{Field: "--run", Value: l.CPUTime.String() + " of CPU per request",
			Why: "the mean measured by lambdacost run on this machine; the capacity provider's instance type may run it faster or slower"})
	}
	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, est)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), reports.LMIEstimateGrids(est, prices.Date)...)
}
