package check

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/infra"
	"github.com/lambdacost/lambdacost/pricing"
)

// values are what one source measured: the metrics it provides, why the
// others are missing, and the monthly bill behind the money metrics.
type values struct {
	metrics map[string]float64
	missing map[string]string // metric → why the source cannot provide it
	cost    *pricing.Cost
	region  string
	// incomplete says which values the source's data lacks (functions of a
	// dataset whose series were not all collected): no threshold passes
	// on such data.
	incomplete  string
	assumptions pricing.Assumptions
	// before holds the base side's metrics of an infrastructure change:
	// increase thresholds compare with it (no --baseline needed).
	before map[string]float64
	// infra is the priced change of a terraform or template source.
	infra *infra.Estimate
}

func newValues(region string) values {
	return values{metrics: map[string]float64{}, missing: map[string]string{}, region: region}
}

func (v values) set(metric string, x float64) {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		v.missing[metric] = "the value is not a finite number"
		return
	}
	v.metrics[metric] = x
}

// env is what evaluating sources needs besides the check itself.
type env struct {
	prices   *pricing.PriceTable
	region   string // for sources that do not name their own
	freeTier bool
	// regionGiven: the region was given (--region or the config's), so it
	// wins over a Terraform plan's provider region.
	regionGiven bool
	// around holds the costs around Lambda every bill adds (Options.Bill).
	around pricing.Options
}

// options are the bill options: the costs around Lambda and the free tier.
func (e env) options() pricing.Options {
	o := e.around
	o.FreeTier = e.freeTier
	return o
}

func (e env) bill(c *Check, region string, items []pricing.Item) (*pricing.Bill, error) {
	b, err := e.prices.LambdaBill(region, items, e.options())
	if err != nil {
		return nil, pricing.Inputf(c.Pos, "%s: pricing the %s in %s: %v", c.Name, c.Source, region, err)
	}
	return b, nil
}

// measureAll measures every check, several at a time (a scenario check
// runs a simulation; datasets are read from disk); results keep the
// config's order, so the report does not depend on scheduling.
func (e env) measureAll(ctx context.Context, checks []Check, progress func(string, int, int)) ([]values, []error) {
	vs := make([]values, len(checks))
	errs := make([]error, len(checks))
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for i := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			vs[i], errs[i] = e.measure(ctx, &checks[i])
			if progress != nil {
				mu.Lock()
				done++
				progress(checks[i].Name, done, len(checks))
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return vs, errs
}

func (e env) measure(ctx context.Context, c *Check) (values, error) {
	switch c.Source {
	case SourceEstimate:
		return e.estimate(c)
	case SourceDataset:
		return e.dataset(c)
	case SourceScenario:
		return e.scenario(ctx, c)
	case SourceTerraform, SourceTemplate:
		return e.infra(ctx, c)
	}
	return values{}, pricing.Inputf(c.Pos, "%s: no source", c.Name)
}

// estimate prices the inline usage: a month of averages. It provides the
// money metrics and the cold-start rate (cold starts ÷ requests); traffic
// shape (latency, throttles, concurrency) needs a scenario or a dataset.
func (e env) estimate(c *Check) (values, error) {
	v := newValues(e.region)
	given := c.Estimate.FunctionConfig
	f := given.WithDefaults()
	v.assumptions.Add(pricing.Assumption{Field: "month", Value: "as given", Why: "an estimate's usage is taken as one month's"})
	for _, a := range c.Estimate.Assumptions("estimate") {
		v.assumptions.Add(a)
	}
	if e.freeTier {
		v.assumptions.Add(pricing.Assumption{Field: "free_tier", Value: "applied", Why: "--free-tier or free_tier: true in the config"})
	} else {
		v.assumptions.Add(pricing.Assumption{Field: "free_tier", Value: "not applied", Why: "pass --free-tier or set free_tier: true when nothing else in the account uses it"})
	}
	u := c.Estimate.Usage.Billed(f.ProvisionedConcurrency)
	// --log-bytes and --transfer-out-bytes-per-request stand for an
	// estimate that gives none of its own, as for a dataset.
	if lb := e.around.LogBytesPerRequest; lb > 0 && u.LogBytes == 0 {
		n, ok := pricing.MulInt64(u.Requests, int64(lb))
		if !ok {
			return v, pricing.Inputf("--log-bytes", "%s: %d invocations × %d bytes exceed the largest volume lambdacost can bill exactly", c.Name, u.Requests, lb)
		}
		u.LogBytes = n
		v.assumptions.Add(pricing.Assumption{Field: "log_bytes_per_request", Value: lb.String() + " bytes", Why: "--log-bytes: the estimate gives no log bytes of its own"})
	}
	if tb := e.around.TransferOutBytesPerRequest; tb > 0 && u.TransferOutBytes == 0 {
		n, ok := pricing.MulInt64(u.Requests, int64(tb))
		if !ok {
			return v, pricing.Inputf("--transfer-out-bytes-per-request", "%s: %d invocations × %d bytes exceed the largest volume lambdacost can bill exactly", c.Name, u.Requests, tb)
		}
		u.TransferOutBytes = n
	}
	b, err := e.bill(c, v.region, []pricing.Item{{Function: f, Usage: u}})
	if err != nil {
		return v, err
	}
	for _, a := range b.Assumptions {
		v.assumptions.Add(a)
	}
	v.cost = &b.Cost
	v.set(MonthlyCostUSD, b.Cost.TotalUSD())
	if u.Requests > 0 {
		v.set(CostPerMillion, pricing.CostPerMillion(b.Cost.Total, u.Requests).InexactFloat64())
		v.set(ColdStartRate, float64(u.ColdStarts)/float64(u.Requests))
	} else {
		v.missing[CostPerMillion] = "the estimate has no requests"
		v.missing[ColdStartRate] = "the estimate has no requests"
	}
	for _, m := range []string{Throttles, ThrottleRate, LatencyP50Ms, LatencyP90Ms, LatencyP99Ms, PeakConcurrency} {
		v.missing[m] = "an estimate has no traffic shape; use a scenario or a dataset"
	}
	return v, nil
}

// dataset reads a collected or imported dataset. Money is the dataset
// window's usage scaled to a 730-hour month (Dataset.MonthlyUsage) and
// priced; throttles are counted over the window; latency percentiles and
// peak concurrency come from the summary of one function (name it with
// function: when the dataset has several).
func (e env) dataset(c *Check) (values, error) {
	files := c.ResolvedFiles
	if len(files) == 0 {
		files = []string{c.Resolved}
	}
	d, _, conflicts, err := pricing.ReadDatasets(files)
	if err != nil {
		return values{}, err
	}
	region := d.Region
	if region == "" {
		region = e.region
	}
	v := newValues(region)
	fns := d.Functions
	if c.Function != "" {
		fns = nil
		var names []string
		for _, f := range d.Functions {
			names = append(names, f.Name)
			if f.Name == c.Function || f.Region+"/"+f.Name == c.Function || f.Account+"/"+f.Region+"/"+f.Name == c.Function {
				fns = append(fns, f)
			}
		}
		if len(fns) == 0 {
			return v, pricing.Inputf(c.Pos, "%s: function %q is not in dataset %s (it has: %s)", c.Name, c.Function, c.File, strings.Join(names, ", "))
		}
	}
	if len(fns) == 0 {
		return v, pricing.Inputf(c.Pos, "%s: dataset %s has no functions", c.Name, c.File)
	}

	var inv, cold, thr int64
	var incomplete []string
	for i := range fns {
		s := fns[i].Summary
		inv += s.Invocations
		cold += s.ColdStarts
		thr += s.Throttles
		if fns[i].Incomplete() {
			incomplete = append(incomplete, fmt.Sprintf("%s lacks %s", fns[i].Name, strings.Join(fns[i].Missing, ", ")))
		}
		if fns[i].Unknown("memory_mb") && len(s.ByMemory) == 0 && s.Invocations > 0 {
			incomplete = append(incomplete, fmt.Sprintf("%s's memory size is not known (re-import or collect with --memory)", fns[i].Name))
		}
	}
	if len(incomplete) > 0 {
		v.incomplete = "the dataset is incomplete (" + strings.Join(incomplete, "; ") + "): a threshold cannot pass on values that were not collected"
	}

	// The one bill of a dataset (pricing.DatasetBill), as `report` shows it.
	sub := *d
	sub.Functions = fns
	db, err := e.prices.DatasetBill(&sub, region, e.options())
	if err != nil {
		return v, pricing.Inputf(c.Pos, "%s: pricing the dataset %s in %s: %v", c.Name, c.File, region, err)
	}
	v.assumptions = db.Assumptions
	for i, cf := range conflicts {
		v.assumptions.Add(pricing.Assumption{Field: fmt.Sprintf("dataset.conflicts[%d]", i), Value: "first file kept", Why: cf + " (as dataset merge does)"})
	}
	if db.Monthly == nil {
		v.missing[MonthlyCostUSD] = db.NoMonthly
		v.missing[CostPerMillion] = db.NoMonthly
	} else {
		v.cost = &db.Monthly.Cost
		v.set(MonthlyCostUSD, db.Monthly.Cost.TotalUSD())
		var monthlyReq int64
		for _, fb := range db.Functions {
			monthlyReq += fb.MonthlyUsage.Requests
		}
		if monthlyReq > 0 {
			v.set(CostPerMillion, pricing.CostPerMillion(db.Monthly.Cost.Total, monthlyReq).InexactFloat64())
		} else {
			v.missing[CostPerMillion] = "the dataset has no invocations"
		}
	}

	// A value some function's source does not measure (logs carry no
	// throttles; CloudWatch metrics no cold starts without Lambda Insights)
	// is not known: counted as 0 it would pass any threshold.
	notMeasured := func(path string) string {
		var names []string
		for _, f := range fns {
			if !f.Measured(path) {
				names = append(names, f.Name)
			}
		}
		if len(names) == 0 {
			return ""
		}
		return fmt.Sprintf("the dataset's source does not measure %s for %s (listed in not_measured)", strings.TrimPrefix(path, "summary."), strings.Join(names, ", "))
	}
	switch why := notMeasured("summary.throttles"); {
	case why != "":
		why += " (logs carry none: a throttled request writes no line); CloudWatch's Throttles metric counts them (collect, or import get-metric-data with Throttles)"
		v.missing[Throttles], v.missing[ThrottleRate] = why, why
	case inv+thr > 0:
		v.set(Throttles, float64(thr))
		v.set(ThrottleRate, float64(thr)/float64(inv+thr))
	default:
		v.set(Throttles, float64(thr))
		v.missing[ThrottleRate] = "the dataset has no invocations"
	}
	noColdData := d.Source == "cloudwatch" && cold == 0
	for _, f := range fns {
		if f.Summary.InitDurationMs.Avg > 0 {
			noColdData = false
		}
	}
	switch why := notMeasured("summary.cold_starts"); {
	case why != "":
		v.missing[ColdStartRate] = why + ": CloudWatch's AWS/Lambda metrics have no cold-start count; collect with --logs or Lambda Insights, or import the function's logs"
	case inv == 0:
		v.missing[ColdStartRate] = "the dataset has no invocations"
	case noColdData:
		v.missing[ColdStartRate] = "the dataset (from CloudWatch metrics) has no cold-start data; collect with Lambda Insights or import the function's logs"
	default:
		v.set(ColdStartRate, float64(cold)/float64(inv))
	}

	perFunction := []string{LatencyP50Ms, LatencyP90Ms, LatencyP99Ms, PeakConcurrency}
	if len(fns) > 1 {
		var names []string
		for _, f := range fns {
			names = append(names, f.Name)
		}
		for _, m := range perFunction {
			v.missing[m] = fmt.Sprintf("dataset %s has %d functions (%s); choose one with function: NAME", c.File, len(fns), strings.Join(names, ", "))
		}
		return v, nil
	}
	s := fns[0].Summary
	for m, x := range map[string]float64{LatencyP50Ms: s.DurationMs.P50, LatencyP90Ms: s.DurationMs.P90, LatencyP99Ms: s.DurationMs.P99} {
		if x == 0 && s.Invocations > 0 {
			v.missing[m] = "the dataset has no such duration percentile"
			continue
		}
		v.set(m, x)
	}
	peak := s.ConcurrencyMax
	if se := fns[0].Series; se != nil {
		for _, x := range se.ConcurrencyMax {
			peak = math.Max(peak, x)
		}
	}
	if peak == 0 && s.Invocations > 0 {
		v.missing[PeakConcurrency] = "the dataset has no concurrency data"
	} else {
		v.set(PeakConcurrency, peak)
	}
	return v, nil
}

// infra prices a Terraform plan or templates: monthly_cost_usd is the
// head's cost (of all functions, or of the one named by function:), and
// the base's cost is the "before" of monthly_cost_increase_pct. A head
// whose architecture is known only after apply counts at its dearest; a
// cost that is unknown (another value known only after apply) or usage
// that is missing makes the data incomplete: no threshold passes on it.
func (e env) infra(ctx context.Context, c *Check) (values, error) {
	est, err := c.Infra.Estimate(ctx, e.prices, e.region, e.regionGiven, e.options())
	if err != nil {
		return values{}, err
	}
	v := newValues(est.Region)
	v.infra = est
	v.assumptions = append(pricing.Assumptions{}, est.Assumptions...)
	var base, head decimal.Decimal
	var unknown []string
	worst := false
	if c.Function == "" {
		base, head = est.Totals.Base, est.Totals.Head
		if r := est.Totals.HeadRange; r != nil {
			head, worst = r.Max, true
		}
		unknown = append(append(unknown, est.Totals.Unknown...), est.Totals.MissingUsage...)
	} else {
		var f *infra.FunctionDiff
		var names []string
		for i := range est.Functions {
			names = append(names, est.Functions[i].Address)
			if est.Functions[i].Address == c.Function || est.Functions[i].Name == c.Function {
				f = &est.Functions[i]
				break
			}
		}
		if f == nil {
			return v, pricing.Inputf(c.Pos, "%s: function %q is not in %s (it has: %s)", c.Name, c.Function, c.File, strings.Join(names, ", "))
		}
		for side, s := range map[string]*infra.Side{"base": f.Base, "head": f.Head} {
			switch {
			case s == nil:
			case s.Cost != nil:
				if side == "base" {
					base = s.Cost.Total
				} else {
					head = s.Cost.Total
				}
			case s.Range != nil && side == "head":
				head, worst = s.Range.Max, true
			default:
				unknown = append(unknown, fmt.Sprintf("%s (%s: %s)", f.Address, side, infra.UnknownText(s.Unknown, est.Kind)))
			}
		}
		if len(f.MissingUsage) > 0 {
			unknown = append(unknown, fmt.Sprintf("%s (usage missing: %s)", f.Address, strings.Join(f.MissingUsage, ", ")))
		}
	}
	// The month's cost lines of the head (the known part), for the diff
	// against a --baseline and the JSON.
	var costs []pricing.Cost
	for i := range est.Functions {
		f := &est.Functions[i]
		if (c.Function == "" || f.Address == c.Function || f.Name == c.Function) && f.Head != nil && f.Head.Cost != nil {
			costs = append(costs, *f.Head.Cost)
		}
	}
	sum := pricing.Sum(costs...)
	v.cost = &sum
	sort.Strings(unknown)
	if len(unknown) > 0 {
		v.incomplete = "the cost of " + strings.Join(unknown, "; ") + " is not known: a threshold cannot pass on it"
	}
	if worst {
		v.assumptions.Add(pricing.Assumption{Field: "architecture", Value: "the dearest", Why: "an architecture known only after apply: thresholds take the head's highest cost of the two"})
	}
	v.set(MonthlyCostUSD, head.InexactFloat64())
	v.before = map[string]float64{MonthlyCostUSD: base.InexactFloat64()}
	for _, m := range []string{CostPerMillion, ColdStartRate, Throttles, ThrottleRate, LatencyP50Ms, LatencyP90Ms, LatencyP99Ms, PeakConcurrency} {
		v.missing[m] = "infrastructure code gives configuration, not traffic; use a scenario or a dataset check for it"
	}
	return v, nil
}
