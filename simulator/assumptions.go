package simulator

import (
	"fmt"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// MonthlyAssumptions lists what a simulation's monthly figures assume that
// the scenario does not say: the simulated span repeated to fill a
// 730-hour month (a warning when the span is too short for that),
// provisioned concurrency enabled all month, the free tier (the
// scenario's billing.free_tier; off by default), a Compute Savings Plan
// and a monthly growth when the scenario has them. Every consumer of a
// Result's monthly figures (simulate, check, serve) lists them.
func MonthlyAssumptions(s *Scenario, r *Result) pricing.Assumptions {
	var as pricing.Assumptions
	if r.SimulatedSeconds > 0 {
		k := float64(pricing.SecondsPerMonth) / r.SimulatedSeconds
		span := time.Duration(r.SimulatedSeconds * float64(time.Second))
		why := fmt.Sprintf("the simulated %s is scaled ×%.4g to a 730-hour month, as if the traffic repeated", span, k)
		if len(r.Months) > 1 {
			why = fmt.Sprintf("the simulated %s covers %d 730-hour months (from the span's start; a part-month is scaled to a month, as a shorter span is): each month is billed on its own and the monthly figures are the mean of their bills, weighted by how much of the span each covers", span, len(r.Months))
		}
		if span < pricing.TinyWindow {
			why = "WARNING: " + why + "; a span this short makes the monthly figures a guess"
		}
		as.Add(pricing.Assumption{Field: "month", Value: fmt.Sprintf("%d h", pricing.HoursPerMonth), Why: why})
	}
	if len(s.Concurrency.ProvisionedSchedule) > 0 {
		as.Add(pricing.Assumption{Field: "concurrency.provisioned_schedule", Value: "repeated",
			Why: "the month repeats the span's schedule as it repeats the traffic: its provisioned concurrency × seconds are scaled with the span"})
	} else if pc := s.Function.ProvisionedConcurrency; pc > 0 {
		as.Add(pricing.Assumption{Field: "function.provisioned_concurrency", Value: fmt.Sprint(pc), Why: "enabled for the whole month"})
	}
	if s.Billing.FreeTier {
		why := "the scenario gives this function the account's whole monthly free tier (1M requests, 400,000 GB-s of on-demand duration; never provisioned concurrency); the bill of the simulated span is before it"
		value := "applied to the monthly bill"
		if len(r.Months) > 1 {
			// AWS gives the allowance per calendar month: each 730-hour
			// month of the span gets its own, and a month that uses less
			// wastes the rest.
			value = "applied to each month of the span"
			why += fmt.Sprintf("; the span covers %d 730-hour months and each gets its own allowance, as AWS gives it per month (a month that uses less than the allowance does not pass the rest on); the monthly bill is the mean of the months' bills", len(r.Months))
		} else if months := r.SimulatedSeconds / float64(pricing.SecondsPerMonth); months > 1 {
			// This engine does not keep the usage month by month: the
			// allowance is taken off the average month, which is not the
			// average of the months' bills when a month uses less than
			// the allowance.
			why += fmt.Sprintf("; the span is %.4g months and this engine (%s) does not split its usage by month, so the allowance is taken once off its average month, not off each month: where traffic differs between months (monthly_growth, stages) and a month uses less than the allowance, the mean of the months' bills is higher than this (the exact and fast engines bill each month)", months, r.Mode)
		}
		as.Add(pricing.Assumption{Field: "billing.free_tier", Value: value, Why: why})
	} else {
		as.Add(pricing.Assumption{Field: "free_tier", Value: "not applied", Why: "a simulation prices one function, not the account"})
	}
	if sp := s.Billing.ComputeSavingsPlan; sp > 0 {
		as.Add(pricing.Assumption{Field: "billing.compute_savings_plan", Value: fmt.Sprintf("%g %%", sp*100),
			Why: "a Compute Savings Plan discount, as given, on duration and provisioned concurrency (not on requests or ephemeral storage), on both bills; the plan's hourly commitment is assumed to cover this usage"})
	}
	if lb := s.Billing.LogBytesPerRequest; lb > 0 {
		as.Add(pricing.Assumption{Field: "billing.log_bytes_per_request", Value: lb.String() + " bytes",
			Why: "every invocation is taken to write this much to CloudWatch Logs (its own lines and Lambda's START/END/REPORT lines), billed as log ingestion on both bills over the Lambda-log volume tiers, counting only this function's logs; CloudWatch's 5 GB monthly free tier (shared by all logs of the account: ingestion, archive storage and Logs Insights scans) is not applied, with or without billing.free_tier; storage after ingestion is not priced"})
	} else {
		as.Add(pricing.Assumption{Field: "logs", Value: "not priced",
			Why: "the scenario gives no billing.log_bytes_per_request: the CloudWatch Logs ingestion of the function's logs is not in the bill"})
	}
	if g := s.Traffic.MonthlyGrowth; g != 0 {
		as.Add(pricing.Assumption{Field: "traffic.monthly_growth", Value: fmt.Sprintf("%g %% a month", g*100),
			Why: "compounded per 730-hour month of the span: month k's rate is (1 + growth)^k × the shape's; a span of one month or less is not affected, and the monthly bill is the mean of the span's months' bills"})
	}
	return as
}
