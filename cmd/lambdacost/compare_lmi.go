package main

import (
	"github.com/spf13/pflag"

	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// compareLMIFlags are compare's Lambda Managed Instances flags.
type compareLMIFlags struct {
	No            bool
	InstanceTypes []string
	lmiCapacityFlags
	ScaleOutLag float64
}

// lmiCapacityFlags are the capacity provider's settings, the same flags in
// compare and estimate --lmi (fleet.LMIConfig's fields).
type lmiCapacityFlags struct {
	Runtime          string
	EnvVCPU          float64
	MemoryGiBPerVCPU float64
	MaxConcurrency   int
	MinEnvironments  int
	MinInstances     int
	TargetCPU        float64
}

// add registers the flags; when is prepended to each help text ("with
// --lmi and --duration: ").
func (l *lmiCapacityFlags) add(fs *pflag.FlagSet, when string) {
	fs.StringVar(&l.Runtime, "runtime", "", when+"runtime (nodejs22.x, python3.13, java21, dotnet8): LMI's default concurrency per vCPU (default: Node.js's 64, listed as an assumption)")
	fs.Float64Var(&l.EnvVCPU, "lmi-env-vcpu", 0, when+"vCPUs of one LMI execution environment (default 1, more when one request's memory needs it)")
	fs.Float64Var(&l.MemoryGiBPerVCPU, "lmi-memory-per-vcpu", 0, when+"LMI ExecutionEnvironmentMemoryGiBPerVCpu, 2–8 (default 2, more when one request's memory needs it)")
	fs.IntVar(&l.MaxConcurrency, "lmi-max-concurrency", 0, when+"LMI PerExecutionEnvironmentMaxConcurrency, 1–1600 (default: the runtime's per-vCPU default × vCPUs)")
	fs.IntVar(&l.MinEnvironments, "lmi-min-environments", 0, when+"LMI minimum execution environments (default 3)")
	fs.IntVar(&l.MinInstances, "lmi-min-instances", 0, when+"LMI minimum instances (default 3, one per AZ)")
	fs.Float64Var(&l.TargetCPU, "lmi-target-cpu", 0, when+"LMI capacity provider's target CPU utilisation (0–1], default 0.5")
}

func addCompareLMIFlags(fs *pflag.FlagSet, l *compareLMIFlags) {
	fs.BoolVar(&l.No, "no-lmi", false, "leave Lambda Managed Instances out of the comparison")
	namesFlag(fs, &l.InstanceTypes, "lmi-instance-type", "instance type", "LMI capacity provider instance types to consider (default: every c, m and r type priced)")
	l.lmiCapacityFlags.add(fs, "")
}

// apply sets the LMI part of a comparison input.
func (l compareLMIFlags) apply(in *fleet.Input) {
	in.NoLMI = l.No
	in.LMIInstanceTypes = l.InstanceTypes
	in.LMI = fleet.LMIConfig{Runtime: l.Runtime, EnvVCPU: l.EnvVCPU, MemoryGiBPerVCPU: l.MemoryGiBPerVCPU, MaxConcurrency: l.MaxConcurrency,
		MinEnvironments: l.MinEnvironments, MinInstances: l.MinInstances, TargetCPU: l.TargetCPU}
}
