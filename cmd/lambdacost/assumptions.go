package main

import (
	"fmt"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
)

// regionAssumption says where the region came from when the user did not
// name it with --region: the environment, the profile or the default.
func regionAssumption(f *Factory, changed func(string) bool, as *pricing.Assumptions) {
	if changed != nil && changed("region") || f.RegionSource == "--region" || f.IO.Getenv("LAMBDACOST_REGION") != "" {
		return
	}
	src := f.RegionSource
	why := "from " + src + "; pass --region to choose"
	if src == "" || src == "default" {
		why = "not given (nor $AWS_REGION, nor a profile's region): the default region's prices; pass --region"
	}
	as.Add(pricing.Assumption{Field: "--region", Value: f.Region, Why: why})
}

// freeTierAssumption states whether the monthly free tier was applied.
func freeTierAssumption(applied bool, as *pricing.Assumptions) {
	if applied {
		as.Add(pricing.Assumption{Field: "free_tier", Value: "applied", Why: "the account's whole monthly free tier (1M requests, 400,000 GB-s) is given to these functions"})
		return
	}
	as.Add(pricing.Assumption{Field: "free_tier", Value: "not applied", Why: "pass --free-tier when nothing else in the account uses it"})
}

// flagDefault records that a flag's default value was used.
func flagDefault(changed func(string) bool, as *pricing.Assumptions, flag, value, why string) {
	if changed != nil && changed(flag) {
		return
	}
	as.Add(pricing.Assumption{Field: "--" + flag, Value: value, Why: why})
}

// estimateAssumptions lists what `estimate` assumed: flag defaults, the
// region, the free tier, and that the usage given is one month.
func estimateAssumptions(o *EstimateOptions, region string, freeTier bool) pricing.Assumptions {
	var as pricing.Assumptions
	as.Add(pricing.Assumption{Field: "month", Value: "as given", Why: "the usage is taken as one month's; monthly figures elsewhere use a 730-hour month"})
	if o.UsageFile == "" {
		flagDefault(o.changed, &as, "memory", fmt.Sprintf("%d MB", o.MemoryMB), "not given: the flag's default (Lambda's minimum); pass --memory")
		flagDefault(o.changed, &as, "arch", o.Arch, "not given: the flag's default; pass --arch")
		if o.Requests > 0 {
			flagDefault(o.changed, &as, "cold-start-rate", "0", "not given: no INIT is billed (since August 2025 every cold start bills its INIT); pass --cold-start-rate and --init-duration")
		}
	}
	if region == o.F.Region && !o.regionFromFile {
		regionAssumption(o.F, o.changed, &as)
	}
	freeTierAssumption(freeTier, &as)
	return as
}

// simulateAssumptions lists what a simulation's monthly figures assume
// (simulator.MonthlyAssumptions) and, when the scenario names none, where
// the region came from.
func simulateAssumptions(f *Factory, changed func(string) bool, s *simulator.Scenario, r *simulator.Result) pricing.Assumptions {
	as := simulator.MonthlyAssumptions(s, r)
	if s.Region == "" {
		regionAssumption(f, changed, &as)
	}
	return as
}
