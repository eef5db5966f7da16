package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// Recommendation kinds.
const (
	KindMemory        = "memory"
	KindArchitecture  = "architecture"
	KindAlwaysOn      = "always_on"
	KindDurationLimit = "duration_limit"
	KindTimeout       = "timeout"
	KindThrottles     = "throttles"
	KindErrors        = "errors"
	KindColdStarts    = "cold_starts"
	// KindIncomplete flags a function whose values were not all collected.
	KindIncomplete = "incomplete"
	// KindMemoryLimit is "raise memory": the function used all its memory.
	KindMemoryLimit = "memory_limit"
)

// Severities.
const (
	Info    = "info"
	Warning = "warning"
)

// Recommendation is one suggested change for one function.
type Recommendation struct {
	Function string `json:"function"`
	Kind     string `json:"kind"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	// MonthlySavingsUSD is what the change would save a month (0 when it
	// is about reliability rather than money); an upper bound where the
	// message says so.
	MonthlySavingsUSD float64 `json:"monthly_savings_usd,omitempty"`
	// Suggested is the suggested value, when there is one (MB, architecture, …).
	Suggested string `json:"suggested,omitempty"`
}

// Thresholds of the dataset rules.
const (
	nearLimitShare     = 0.8  // p99 or max above 80 % of 15 minutes
	nearTimeoutShare   = 0.8  // p99 above 80 % of the configured timeout
	oversizedTimeout   = 10.0 // timeout more than 10 × the max duration…
	minOversizedTO     = 30 * time.Second
	memoryHeadroom     = 1.5  // suggested memory: max used × 1.5
	underusedMemory    = 0.5  // max used below half of the configured memory
	errorRateWarning   = 0.01 // 1 % of invocations
	coldStartRateHint  = 0.01
	minMonthlySavings  = 0.01 // below a cent a month, stay quiet
	memoryGranularityM = 64
)

// RecommendOptions tune the dataset rules.
type RecommendOptions struct {
	Region string
	// Compare holds the fleet options used for the always-on check.
	Compare fleet.Options
	// InstanceTypes are the EC2 candidates of the always-on check.
	InstanceTypes []string
	// LMI and LMIInstanceTypes are the Lambda Managed Instances settings
	// and candidates (fleet.Input's); NoLMI leaves LMI out.
	LMI              fleet.LMIConfig
	LMIInstanceTypes []string
	NoLMI            bool
}

// RecommendDataset inspects every function of a dataset and returns the
// recommendations, most valuable first:
//
//   - architecture: an x86_64 function whose month would cost less on arm64
//     at the same duration;
//   - memory: the maximum memory used is below half the configured memory;
//     the month at max used × 1.5 (rounded up to 64 MB) and the same
//     duration is an upper bound of the saving, since CPU shrinks with memory;
//   - duration_limit: p99 or max above 80 % of Lambda's 15-minute limit;
//   - timeout: timeouts happened, p99 is above 80 % of the timeout, or the
//     timeout is more than 10 × the longest duration (a hung call bills it all);
//   - throttles and errors (above 1 %) seen in the window;
//   - cold_starts above 1 % (plan provisioned concurrency with `plan`);
//   - always_on: the cheapest always-on fleet for the function's traffic
//     costs less than Lambda (long durations at high utilisation);
//   - lmi: Lambda Managed Instances, sized and priced as `compare` does,
//     cost less than the function's Lambda bill at its measured traffic;
//     the message gives the fleet, the break-even volume and the throttle
//     risk of the traffic's shape (its series simulated on that fleet).
func RecommendDataset(t *pricing.PriceTable, d *pricing.Dataset, o RecommendOptions) ([]Recommendation, error) {
	r, err := RecommendDatasetFull(t, d, o)
	if err != nil {
		return nil, err
	}
	return r.Recommendations, nil
}

// DatasetRecommendations are the recommendations for a dataset and what
// they assume (`recommend --dataset -o json`).
type DatasetRecommendations struct {
	Recommendations []Recommendation    `json:"recommendations"`
	Assumptions     pricing.Assumptions `json:"assumptions"`
	Warnings        []string            `json:"warnings,omitempty"`
	// LMI is Lambda Managed Instances priced for each function with
	// traffic (cheaper or not): its sizing, bill, break-even and throttle
	// risk. A KindLMI recommendation is made where it is cheaper.
	LMI []LMIOption `json:"lmi,omitempty"`
}

// RecommendDatasetFull is RecommendDataset with the assumptions behind the
// figures: money comes from the dataset's one exact bill
// (pricing.DatasetBill: per memory size, provisioned concurrency), timeout
// advice needs the real timeout (none when the dataset does not know it),
// and incomplete functions are flagged as such.
func RecommendDatasetFull(t *pricing.PriceTable, d *pricing.Dataset, o RecommendOptions) (*DatasetRecommendations, error) {
	region := o.Region
	if region == "" {
		region = d.Region
	}
	db, err := t.DatasetBill(d, region, pricing.Options{})
	if err != nil {
		return nil, err
	}
	if !strings.Contains(db.Region, ",") {
		region = db.Region // else each function is priced in its own region
	}
	out := &DatasetRecommendations{Recommendations: []Recommendation{}, Assumptions: db.Assumptions, Warnings: db.Warnings}
	if db.Monthly == nil {
		out.Assumptions.Add(pricing.Assumption{Field: "monthly_savings", Value: "not computed", Why: "no money advice: " + db.NoMonthly})
	}
	for i := range d.Functions {
		f := &d.Functions[i]
		for _, nm := range notMeasuredAdvice {
			if !f.Measured(nm.path) && f.Summary.Invocations > 0 {
				out.Assumptions.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].%s", f.Name, nm.path), Value: "not measured",
					Why: "the dataset's source does not measure it (not_measured): " + nm.instead})
			}
		}
		if f.Unknown("timeout") {
			out.Assumptions.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].timeout", f.Name), Value: "unknown",
				Why: "not in the dataset: no timeout advice (collect the function configuration or import logs with --timeout)"})
		}
		recs, lo, err := recommendFunction(t, d, db, i, region, o)
		if err != nil {
			return nil, err
		}
		out.Recommendations = append(out.Recommendations, recs...)
		if lo != nil {
			out.LMI = append(out.LMI, *lo)
		}
	}
	for _, r := range out.Recommendations {
		if r.Kind == KindAlwaysOn {
			sc := o.Compare.Scaling.WithDefaults()
			out.Assumptions.Add(pricing.Assumption{Field: "always_on", Value: "compare's defaults",
				Why: fmt.Sprintf("the always-on fleet is priced as `lambdacost compare --dataset` prices it by default: servers planned to %g %% of their vCPUs and memory, at least %d, sized for the peak all month, on-demand prices (no Savings Plan, reserved instance or Spot), %d GB gp3 per EC2 instance, behind an Application Load Balancer with a new connection per request; run compare --dataset to change them",
					sc.TargetUtilization*100, sc.MinInstances, o.Compare.EBSGB)})
			break
		}
	}
	sortRecommendations(out.Recommendations)
	return out, nil
}

// notMeasuredAdvice is, for each value a dataset's source may not
// measure, what the advice does without it: none of its rules reads a
// value that is not measured as 0.
var notMeasuredAdvice = []struct{ path, instead string }{
	{"summary.throttles", "no throttle advice (CloudWatch's Throttles metric counts them; logs carry none)"},
	{"summary.errors", "no error-rate advice"},
	{"summary.cold_starts", "no cold-start advice, and the bill has no INIT for averages (collect --logs, Lambda Insights or the function's logs measure them)"},
	{"summary.max_memory_used_mb", "no memory advice, and an always-on fleet or LMI gives each in-flight request the configured memory"},
}

func sortRecommendations(rs []Recommendation) {
	rank := map[string]int{Warning: 0, Info: 1}
	sort.SliceStable(rs, func(i, j int) bool {
		if rs[i].MonthlySavingsUSD != rs[j].MonthlySavingsUSD {
			return rs[i].MonthlySavingsUSD > rs[j].MonthlySavingsUSD
		}
		return rank[rs[i].Severity] < rank[rs[j].Severity]
	})
}

func monthCost(t *pricing.PriceTable, region string, fc pricing.FunctionConfig, u pricing.BilledUsage) (decimal.Decimal, error) {
	b, err := t.LambdaBill(region, []pricing.Item{{Function: fc, Usage: u}}, pricing.Options{})
	if err != nil {
		return decimal.Zero, err
	}
	return b.Cost.Total, nil
}

func recommendFunction(t *pricing.PriceTable, d *pricing.Dataset, db *pricing.DatasetBill, k int, region string, o RecommendOptions) ([]Recommendation, *LMIOption, error) {
	f := &d.Functions[k]
	if f.Region != "" {
		region = f.Region // a merged dataset: the function's own region
	}
	fb := db.Functions[k]
	var out []Recommendation
	add := func(kind, sev, suggested string, savings decimal.Decimal, format string, args ...any) {
		out = append(out, Recommendation{Function: f.Name, Kind: kind, Severity: sev, Message: fmt.Sprintf(format, args...), MonthlySavingsUSD: savings.InexactFloat64(), Suggested: suggested})
	}
	fc := f.FunctionConfig.WithDefaults()
	s := f.Summary
	if !fb.Billed() {
		add(KindIncomplete, Warning, "", decimal.Zero, "incomplete: %s were not collected, so this function is neither billed nor advised on (its cost is unknown, not $0); collect it again", strings.Join(f.Missing, ", "))
		return out, nil, nil
	}
	if fb.Incomplete {
		add(KindIncomplete, Warning, "", decimal.Zero, "incomplete: %s were not collected; the advice below uses the values that were", strings.Join(f.Missing, ", "))
	}
	// Memory at its limit: raise it (an out-of-memory error kills the
	// invocation, and a full heap slows it down).
	limit := fc.MemoryMB
	for _, m := range fb.MemorySizes {
		limit = max(limit, m)
	}
	if used := s.MaxMemoryUsedMB; used > 0 && f.Measured("summary.max_memory_used_mb") && used >= limit && !f.Unknown("memory_mb") && limit < pricing.MaxMemoryMB {
		mb := min(pricing.MaxMemoryMB, int(math.Ceil(float64(limit)*memoryHeadroom/memoryGranularityM))*memoryGranularityM)
		add(KindMemoryLimit, Warning, fmt.Sprint(mb), decimal.Zero, "used %d of %d MB, all of its memory: invocations may fail with Runtime.OutOfMemory; raise memory to about %d MB and measure (lambdacost tune)", used, limit, mb)
	}
	if db.Monthly == nil {
		out = append(out, reliability(f, fc, s)...)
		return out, nil, nil
	}
	u := db.MonthlyUsageAt(k, fc.MemoryMB)
	now, err := monthCost(t, region, fc, u)
	if err != nil {
		return nil, nil, err
	}

	// Architecture.
	if fc.Architecture == pricing.X86_64 && u.Requests > 0 {
		arm := fc
		arm.Architecture = pricing.ARM64
		c, err := monthCost(t, region, arm, u)
		if err != nil {
			return nil, nil, err
		}
		if save := now.Sub(c); save.GreaterThan(decimal.NewFromFloat(minMonthlySavings)) {
			add(KindArchitecture, Info, string(pricing.ARM64), save, "arm64 (Graviton) bills duration about 20%% lower: the same month would cost %s instead of %s; check the duration on arm64 first (lambdacost tune)", usd(c), usd(now))
		}
	}

	// Memory.
	if used := s.MaxMemoryUsedMB; used > 0 && f.Measured("summary.max_memory_used_mb") && !f.Unknown("memory_mb") && !fb.MemoryChanged && float64(used) < underusedMemory*float64(fc.MemoryMB) && fc.MemoryMB > pricing.MinMemoryMB {
		mb := int(math.Ceil(float64(used)*memoryHeadroom/memoryGranularityM)) * memoryGranularityM
		mb = max(pricing.MinMemoryMB, mb)
		if mb < fc.MemoryMB {
			smaller := fc
			smaller.MemoryMB = mb
			c, err := monthCost(t, region, smaller, u)
			if err != nil {
				return nil, nil, err
			}
			add(KindMemory, Info, fmt.Sprint(mb), now.Sub(c), "uses at most %d MB of %d MB: at %d MB the same durations would cost %s instead of %s a month (an upper bound: CPU shrinks with memory, so a CPU-bound function runs longer; measure with lambdacost tune)", used, fc.MemoryMB, mb, usd(c), usd(now))
		}
	}

	out = append(out, reliability(f, fc, s)...)

	// Always-on.
	if s.Invocations > 0 && s.DurationMs.Avg > 0 {
		in, _ := fleet.DatasetInput(d, f, region)
		in.Usage = u // the exact bill, not one size × all billed ms
		in.InstanceTypes = o.InstanceTypes
		in.Options = o.Compare
		in.LMI, in.LMIInstanceTypes, in.NoLMI = o.LMI, o.LMIInstanceTypes, o.NoLMI
		r, err := fleet.Compare(t, in)
		if pricing.IsInput(err) {
			// The traffic cannot be served by the fleet model (e.g. a
			// request larger than every server): nothing to recommend.
			return out, nil, nil
		}
		if err != nil {
			return nil, nil, err
		}
		fl := r.EC2
		if r.Fargate.Total.LessThan(fl.Total) {
			fl = r.Fargate
		}
		lam := r.Lambda.Arch(fc.Architecture)
		if fl.Total.LessThan(lam.Total) {
			conc := float64(s.Invocations) * s.DurationMs.Avg / 1000 / math.Max(d.Span().Seconds(), 1)
			add(KindAlwaysOn, Info, fl.InstanceType, lam.Total.Sub(fl.Total), "busy %.1f environments on average (%s per call): an always-on %s fleet (%d × %s, %.0f%% mean CPU) would cost %s instead of %s a month",
				conc, msDur(s.DurationMs.Avg), fl.Kind, fl.Instances, fl.InstanceType, 100*fl.Utilization, usd(fl.Total), usd(lam.Total))
		}
		// Lambda Managed Instances, at the function's measured traffic.
		rate, span := ProfileRate(in.Workload.Profile, in.Workload.ProfileInterval)
		lo, err := LMIFromComparison(t, in, r, lam.Total, rate, span)
		if err != nil {
			return nil, nil, err
		}
		if lo != nil && lo.Cheaper && lo.MonthlySavingsUSD >= minMonthlySavings {
			add(KindLMI, Info, lo.LMI.InstanceType, lam.Total.Sub(lo.LMI.Total), "%s", lo.Message())
		}
		return out, lo, nil
	}
	return out, nil, nil
}

// reliability is the advice that needs no bill: the 15-minute limit, the
// timeout (only when the dataset knows it), throttles, errors and cold
// starts.
func reliability(f *pricing.DatasetFunction, fc pricing.FunctionConfig, s pricing.FunctionSummary) []Recommendation {
	var out []Recommendation
	add := func(kind, sev, suggested string, savings decimal.Decimal, format string, args ...any) {
		out = append(out, Recommendation{Function: f.Name, Kind: kind, Severity: sev, Message: fmt.Sprintf(format, args...), MonthlySavingsUSD: savings.InexactFloat64(), Suggested: suggested})
	}
	// The 15-minute limit and the timeout.
	limitMs := float64(pricing.MaxTimeout / time.Millisecond)
	longest := math.Max(s.DurationMs.P99, s.DurationMs.Max)
	if longest >= nearLimitShare*limitMs {
		add(KindDurationLimit, Warning, "", decimal.Zero, "runs up to %s, %.0f%% of Lambda's 15-minute limit: split the work (Step Functions, a queue) or move it to Fargate/EC2 before it is cut off", msDur(longest), 100*longest/limitMs)
	}
	timeoutMs := float64(fc.Timeout.D() / time.Millisecond)
	known := !f.Unknown("timeout")
	switch {
	case s.Timeouts > 0 && !known:
		add(KindTimeout, Warning, "", decimal.Zero, "%d invocations timed out (each bills the whole timeout, which the dataset does not know): raise the timeout or fix the slow path", s.Timeouts)
	case !known:
		// No timeout advice without the real timeout.
	case s.Timeouts > 0:
		add(KindTimeout, Warning, "", decimal.Zero, "%d invocations timed out at %s (each bills the whole timeout): raise the timeout or fix the slow path", s.Timeouts, fc.Timeout)
	case timeoutMs > 0 && s.DurationMs.P99 >= nearTimeoutShare*timeoutMs:
		add(KindTimeout, Warning, "", decimal.Zero, "p99 duration %s is %.0f%% of the %s timeout: timeouts are likely under load", msDur(s.DurationMs.P99), 100*s.DurationMs.P99/timeoutMs, fc.Timeout)
	case s.DurationMs.Max > 0 && timeoutMs > oversizedTimeout*s.DurationMs.Max && fc.Timeout.D() > minOversizedTO:
		sug := time.Duration(math.Ceil(3*s.DurationMs.Max/1000)) * time.Second
		add(KindTimeout, Info, sug.String(), decimal.Zero, "the timeout %s is over 10× the longest run (%s): a hung call bills the whole timeout; about %s would do", fc.Timeout, msDur(s.DurationMs.Max), sug)
	}

	// Throttles, errors, cold starts.
	if s.Throttles > 0 && f.Measured("summary.throttles") {
		add(KindThrottles, Warning, "", decimal.Zero, "%d requests were throttled (%.2f%% of %d): raise reserved concurrency or the account limit, or add provisioned concurrency for the peaks", s.Throttles, 100*ratio(s.Throttles, s.Invocations+s.Throttles), s.Invocations+s.Throttles)
	}
	if s.Invocations > 0 && f.Measured("summary.errors") && ratio(s.Errors, s.Invocations) > errorRateWarning {
		add(KindErrors, Warning, "", decimal.Zero, "%.2f%% of invocations failed (%d): failed invocations are billed too", 100*ratio(s.Errors, s.Invocations), s.Errors)
	}
	if s.Invocations > 0 && f.Measured("summary.cold_starts") && ratio(s.ColdStarts, s.Invocations) > coldStartRateHint {
		add(KindColdStarts, Info, "", decimal.Zero, "%.2f%% of invocations were cold (INIT %s on average, billed): find the cheapest provisioned concurrency for a target with lambdacost plan", 100*ratio(s.ColdStarts, s.Invocations), msDur(s.InitDurationMs.Avg))
	}

	return out
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func usd(d decimal.Decimal) string { return "$" + d.StringFixed(2) }

func msDur(ms float64) string {
	return time.Duration(ms * float64(time.Millisecond)).Round(time.Millisecond).String()
}

// ReadTuneResult reads a `tune -o json` file (runner.TuneResult); unknown
// fields are ignored so that richer results still load.
func ReadTuneResult(path string) (*runner.TuneResult, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, pricing.Inputf(path, "%v", err)
	}
	defer fh.Close()
	return DecodeTuneResult(path, fh)
}

// DecodeTuneResult decodes a tune result from r and keeps the memory sizes
// that succeeded (status "ok", or no status, with a cost).
func DecodeTuneResult(path string, r io.Reader) (*runner.TuneResult, error) {
	var tr runner.TuneResult
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, pricing.Inputf(path, "%v", err)
	}
	// `tune -o json` wraps the result in the envelope; older files are bare.
	data, env, err := pricing.UnwrapEnvelope(path, data)
	if err != nil {
		return nil, err
	}
	if env != nil && env.Kind != "tune" {
		return nil, pricing.Inputf(path, "not a tune result: the file holds a lambdacost %s result", env.Kind)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&tr); err != nil {
		return nil, pricing.Inputf(path, "not a tune result: %v", err)
	}
	if err := pricing.CheckJSONEnd(path, dec); err != nil {
		return nil, err
	}
	if tr.Partial {
		return nil, pricing.Inputf(path, "the tune result is partial (the sweep was interrupted after %d of its memory sizes): run tune again to completion", len(tr.Results))
	}
	var ok []runner.TunePoint
	for _, p := range tr.Results {
		if (p.Status == "" || p.Status == "ok") && p.MemoryMB > 0 && p.CostPerMillionUSD > 0 {
			ok = append(ok, p)
		}
	}
	if len(ok) == 0 {
		return nil, pricing.Inputf(path, "the tune result has no successful memory size")
	}
	tr.Results = ok
	return &tr, nil
}

// RecommendTune picks memory sizes from a tune result: the cheapest per
// million requests, the fastest (p99), and — when current > 0 — the
// monthly saving of the cheapest against the current size at
// monthlyRequests (0: savings per million requests).
func RecommendTune(tr *runner.TuneResult, current int, monthlyRequests int64) []Recommendation {
	name := tr.Function
	pts := tr.Results
	// The durations the sweep's costs were computed from: the modelled
	// ones when the CPU share was not enforced (the measured ones ran at
	// the machine's whole CPU whatever the memory size).
	p99 := func(p runner.TunePoint) float64 {
		d, _ := p.BasisDurations()
		return d.P99
	}
	cheap, fast := pts[0], pts[0]
	for _, p := range pts[1:] {
		if p.CostPerMillionUSD < cheap.CostPerMillionUSD {
			cheap = p
		}
		if p99(p) < p99(fast) {
			fast = p
		}
	}
	per := func(p runner.TunePoint) float64 {
		if monthlyRequests > 0 {
			return p.CostPerMillionUSD * float64(monthlyRequests) / 1e6
		}
		return p.CostPerMillionUSD
	}
	unit := "per million requests"
	if monthlyRequests > 0 {
		unit = fmt.Sprintf("a month at %d requests", monthlyRequests)
	}
	var out []Recommendation
	var cur *runner.TunePoint
	for i := range pts {
		if pts[i].MemoryMB == current {
			cur = &pts[i]
		}
	}
	r := Recommendation{Function: name, Kind: KindMemory, Severity: Info, Suggested: fmt.Sprint(cheap.MemoryMB)}
	if cur != nil && cur.MemoryMB != cheap.MemoryMB {
		save := per(*cur) - per(cheap)
		r.Message = fmt.Sprintf("%d MB is the cheapest size measured: $%.4f instead of $%.4f %s at %d MB (p99 %s instead of %s)", cheap.MemoryMB, per(cheap), per(*cur), unit, cur.MemoryMB, msDur(p99(cheap)), msDur(p99(*cur)))
		if monthlyRequests > 0 {
			r.MonthlySavingsUSD = save
		}
	} else {
		r.Message = fmt.Sprintf("%d MB is the cheapest size measured: $%.4f %s (p99 %s)", cheap.MemoryMB, per(cheap), unit, msDur(p99(cheap)))
	}
	out = append(out, r)
	if fast.MemoryMB != cheap.MemoryMB {
		out = append(out, Recommendation{Function: name, Kind: KindMemory, Severity: Info, Suggested: fmt.Sprint(fast.MemoryMB),
			Message: fmt.Sprintf("%d MB is the fastest (p99 %s vs %s) for $%.4f %s, %.0f%% more than the cheapest", fast.MemoryMB, msDur(p99(fast)), msDur(p99(cheap)), per(fast), unit, 100*(per(fast)/per(cheap)-1))})
	}
	if tr.Basis == "modelled" {
		for i := range out {
			out[i].Message += " (durations modelled from CPU time: the runner could not enforce the CPU share here)"
		}
	}
	if cur == nil && current > 0 {
		out = append(out, Recommendation{Function: name, Kind: KindMemory, Severity: Info, Message: fmt.Sprintf("the current size %d MB was not measured; add it to the tune sweep to see the saving", current)})
	}
	return out
}
