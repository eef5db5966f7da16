package fleet

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// DatasetInputSet is the comparison inputs of a dataset's functions, built
// by DatasetInputs.
type DatasetInputSet struct {
	// Inputs are one per compared function, in dataset order; Notes[i] and
	// Assumptions[i] belong to Inputs[i].
	Inputs      []Input
	Notes       [][]string
	Assumptions []pricing.Assumptions
	// Messages are what the user must read even when nothing fails, in
	// order: the bill's warnings, then each function left out and why.
	Messages []string
}

// DatasetInputs builds one comparison input per function of d (only those
// named in functions, when any are; each must exist). The Lambda side of
// each input is the dataset's one exact bill (prices.DatasetBill: per
// memory size, provisioned concurrency from the configuration), as `report`
// shows it, at the function's configured memory. Functions with data that
// was not collected, and functions without invocations in the window, are
// left out with a message. region overrides the dataset's when not empty;
// source names the dataset in errors (its file). Each input's assumptions
// are the bill's that concern the whole dataset or that function.
//
// When a function named is missing or none is left to compare, the error
// comes with the set built so far, whose Messages still say what was left
// out and why.
func DatasetInputs(prices *pricing.PriceTable, d *pricing.Dataset, source, region string, functions []string) (*DatasetInputSet, error) {
	want := map[string]bool{}
	for _, n := range functions {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	db, err := prices.DatasetBill(d, region, pricing.Options{})
	if err != nil {
		return nil, err
	}
	if db.Monthly == nil {
		return nil, pricing.Inputf(source, "%s", db.NoMonthly)
	}
	out := &DatasetInputSet{Messages: append([]string(nil), db.Warnings...)}
	for i := range d.Functions {
		fn := &d.Functions[i]
		if len(want) > 0 && !want[fn.Name] {
			continue
		}
		delete(want, fn.Name)
		fb := db.Functions[i]
		if !fb.Billed() {
			out.Messages = append(out.Messages, fmt.Sprintf("%s is incomplete (%s were not collected): not compared", fn.Name, strings.Join(fn.Missing, ", ")))
			continue
		}
		in, n := DatasetInput(d, fn, region)
		if in.Workload.MonthlyRequests == 0 {
			out.Messages = append(out.Messages, fmt.Sprintf("%s: no invocations in the dataset window; skipped", fn.Name))
			continue
		}
		in.Usage = db.MonthlyUsageAt(i, in.Function.WithDefaults().MemoryMB)
		// A window longer than a month that its series split: the
		// Lambda side bills each month on its own, as the dataset's bill.
		in.Months = d.MonthUsages(fn, in.Usage)
		if fb.MemoryChanged {
			n = append(n, fmt.Sprintf("memory changed during the window (%v MB): Lambda is billed at each size, shown as the equivalent GB-s at %d MB", fb.MemorySizes, in.Function.WithDefaults().MemoryMB))
		}
		if fb.Incomplete {
			n = append(n, fmt.Sprintf("INCOMPLETE: %s were not collected; the comparison uses the values that were", strings.Join(fn.Missing, ", ")))
		}
		var as pricing.Assumptions
		prefix := fmt.Sprintf("functions[%s]", fn.Name)
		for _, a := range db.Assumptions {
			if !strings.HasPrefix(a.Field, "functions[") || strings.HasPrefix(a.Field, prefix) {
				as.Add(a)
			}
		}
		out.Assumptions = append(out.Assumptions, as)
		out.Inputs = append(out.Inputs, in)
		out.Notes = append(out.Notes, n)
	}
	var errs []error
	for n := range want {
		errs = append(errs, pricing.Inputf("--function", "no function %q in %s", n, source))
	}
	if err := pricing.Errors(errs); err != nil {
		return out, err
	}
	if len(out.Inputs) == 0 {
		return out, pricing.Inputf(source, "no function with invocations to compare")
	}
	return out, nil
}

// DatasetFreeTier is what a dataset comparison assumes when its Lambda
// side gets the free tier (--free-tier): the dataset's bill said
// "free_tier: not applied" (it prices none), which no longer holds, and a
// window longer than a 730-hour month gets it month by month when its
// series split it (byMonth: Input.Months), else it holds only its totals,
// so the free tier is taken once off the average month, not off each
// calendar month as AWS gives it — said, not silent.
func DatasetFreeTier(as pricing.Assumptions, window time.Duration, byMonth bool) pricing.Assumptions {
	out := slices.DeleteFunc(append(pricing.Assumptions(nil), as...), func(a pricing.Assumption) bool {
		return a.Field == "free_tier" && a.Value == "not applied"
	})
	switch months := window.Seconds() / pricing.SecondsPerMonth; {
	case months > 1 && byMonth:
		out.Add(pricing.Assumption{Field: "free_tier", Value: "applied to each month of the window",
			Why: fmt.Sprintf("the dataset's window covers %.3g 730-hour months, which its series split: Lambda's free tier is given to each month's bill, as AWS gives it, and the monthly Lambda bill is the mean of the months'", months)})
	case months > 1:
		out.Add(pricing.Assumption{Field: "free_tier", Value: "off the window's average month",
			Why: fmt.Sprintf("the dataset's window covers %.3g 730-hour months but holds only its totals, so Lambda's free tier is taken once off the average month, not off each calendar month as AWS gives it: where the months' traffic differs and a month uses less than the free tier, the mean of the months' bills is higher", months)})
	}
	return out
}
