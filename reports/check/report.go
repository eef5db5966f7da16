package check

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"strings"

	"github.com/lambdacost/lambdacost/infra"
	"github.com/lambdacost/lambdacost/pricing"
)

// ReportVersion is the version of the `check -o json` format.
const ReportVersion = 1

// Report is the result of `lambdacost check`. Its JSON form (`-o json`) is
// stable and is what --baseline reads back.
type Report struct {
	Version    int           `json:"version"`
	Config     string        `json:"config"`
	PricesDate string        `json:"prices_date"`
	Passed     bool          `json:"passed"`
	Summary    Summary       `json:"summary"`
	Checks     []CheckResult `json:"checks"`
	Diff       *Diff         `json:"diff,omitempty"`
}

// Summary counts the checks and thresholds evaluated and those that failed.
type Summary struct {
	Checks           int `json:"checks"`
	Thresholds       int `json:"thresholds"`
	FailedThresholds int `json:"failed_thresholds"`
	FailedChecks     int `json:"failed_checks"`
}

// CheckResult is one check's measured metrics and threshold outcomes.
type CheckResult struct {
	Name     string     `json:"name"`
	Source   SourceKind `json:"source"`
	File     string     `json:"file,omitempty"`     // scenario or dataset, as written in the config
	Function string     `json:"function,omitempty"` // selected dataset function
	Region   string     `json:"region,omitempty"`
	Passed   bool       `json:"passed"`
	// Metrics holds every metric the source provides (not only those with
	// thresholds), so that the next run can diff against all of them.
	Metrics    map[string]float64 `json:"metrics"`
	Cost       *pricing.Cost      `json:"monthly_cost,omitempty"` // the month's cost lines
	Thresholds []ThresholdResult  `json:"thresholds"`
	// Incomplete says which values the source's data lacks (every
	// threshold of the check then fails), or that the baseline's were
	// (its increase thresholds then fail).
	Incomplete string `json:"incomplete,omitempty"`
	// Assumptions lists the values the metrics depend on that were not
	// measured (defaults, the window → month extrapolation, …).
	Assumptions pricing.Assumptions `json:"assumptions"`
	// Infra is the priced change of a terraform or template source: every
	// function before and after, changed ones first.
	Infra *infra.Estimate `json:"infra,omitempty"`
}

// ThresholdResult is one evaluated expression.
type ThresholdResult struct {
	Metric     string `json:"metric"`
	Expression string `json:"expression"` // canonical: "< 250"
	// Value is the metric's value; for an increase metric the percentage
	// change against the baseline (+Inf when the baseline was 0: JSON null).
	Value float64 `json:"value"`
	// Before and After are the baseline and current values of an increase
	// metric's base metric.
	Before   *float64 `json:"before,omitempty"`
	After    *float64 `json:"after,omitempty"`
	Passed   bool     `json:"passed"`
	Position string   `json:"position"` // "lambdacost.yaml:12"
	// Incomplete is set when the threshold failed because the data it is
	// measured on is incomplete (whatever its value).
	Incomplete bool `json:"incomplete,omitempty"`
}

type thresholdJSON struct {
	Metric     string   `json:"metric"`
	Expression string   `json:"expression"`
	Value      *float64 `json:"value"`
	Before     *float64 `json:"before,omitempty"`
	After      *float64 `json:"after,omitempty"`
	Passed     bool     `json:"passed"`
	Position   string   `json:"position"`
	Incomplete bool     `json:"incomplete,omitempty"`
}

// MarshalJSON writes a non-finite value (an increase from zero) as null.
func (t ThresholdResult) MarshalJSON() ([]byte, error) {
	j := thresholdJSON{t.Metric, t.Expression, nil, t.Before, t.After, t.Passed, t.Position, t.Incomplete}
	if !math.IsInf(t.Value, 0) && !math.IsNaN(t.Value) {
		v := t.Value
		j.Value = &v
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes (null is +Inf).
func (t *ThresholdResult) UnmarshalJSON(b []byte) error {
	var j thresholdJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = ThresholdResult{Metric: j.Metric, Expression: j.Expression, Value: math.Inf(1), Before: j.Before, After: j.After, Passed: j.Passed, Position: j.Position, Incomplete: j.Incomplete}
	if j.Value != nil {
		t.Value = *j.Value
	}
	return nil
}

// Failed returns the failed thresholds of all checks, in check order, each
// with its check's name.
func (r *Report) Failed() []NamedThreshold {
	var out []NamedThreshold
	for _, c := range r.Checks {
		for _, t := range c.Thresholds {
			if !t.Passed {
				out = append(out, NamedThreshold{c.Name, t})
			}
		}
	}
	return out
}

// NamedThreshold is a threshold result with its check's name.
type NamedThreshold struct {
	Check string
	ThresholdResult
}

// Options are what Run needs besides the config.
type Options struct {
	// Prices is the price table (required).
	Prices *pricing.PriceTable
	// Region prices estimate sources (and datasets without a region) when
	// the config names none; RegionOverride makes it win over the config's.
	Region         string
	RegionOverride bool
	// FreeTier applies the monthly free tier (or set free_tier in the config).
	FreeTier bool
	// Bill adds the costs around Lambda to every dataset and estimate bill
	// (pricing.Options: API Gateway, a Savings Plan, and for datasets log
	// bytes not measured and data transfer out); its FreeTier is ignored.
	Bill pricing.Options
	// Baseline is a previous report (ReadBaseline); increase metrics and the
	// diff need it. BaselinePath names it in messages and output.
	Baseline     *Report
	BaselinePath string
	// Progress, when set, is called after each check is measured, with how
	// many are done; calls are serialised.
	Progress func(check string, done, total int)
}

// Run measures every check of cfg and evaluates its thresholds. A threshold
// that cannot be evaluated (a metric its source does not provide, an
// increase without a baseline or whose check or metric is not in it) is a
// *pricing.InputError naming the threshold's file:line: never a silent
// pass. All such problems of all checks are returned together, and no
// report then.
func Run(ctx context.Context, cfg *Config, opt Options) (*Report, error) {
	if opt.Prices == nil {
		return nil, fmt.Errorf("check: Options.Prices is required")
	}
	e := env{prices: opt.Prices, region: opt.Region, freeTier: opt.FreeTier || cfg.FreeTier, regionGiven: opt.RegionOverride || cfg.Region != "", around: opt.Bill}
	if cfg.Region != "" && !opt.RegionOverride {
		if _, ok := opt.Prices.Lambda[cfg.Region]; !ok {
			return nil, pricing.Inputf(cfg.regionPos, "no Lambda prices for region %q (known: %s)", cfg.Region, strings.Join(opt.Prices.Regions(), ", "))
		}
		e.region = cfg.Region
	}
	if e.region == "" {
		e.region = "us-east-1"
	}
	var base map[string]*CheckResult
	if opt.Baseline != nil {
		base = map[string]*CheckResult{}
		for i := range opt.Baseline.Checks {
			base[opt.Baseline.Checks[i].Name] = &opt.Baseline.Checks[i]
		}
	}
	bpath := opt.BaselinePath
	if bpath == "" {
		bpath = "the baseline"
	}

	r := &Report{Version: ReportVersion, Config: cfg.Path, PricesDate: opt.Prices.Date, Passed: true}
	measured, merrs := e.measureAll(ctx, cfg.Checks, opt.Progress)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var errs []error
	for i := range cfg.Checks {
		c := &cfg.Checks[i]
		v := measured[i]
		if merrs[i] != nil {
			errs = append(errs, merrs[i])
			continue
		}
		cr := CheckResult{Name: c.Name, Source: c.Source, File: c.File, Function: c.Function, Region: v.region, Passed: true, Metrics: v.metrics, Cost: v.cost,
			Incomplete: v.incomplete, Assumptions: v.assumptions, Infra: v.infra}
		if cr.Assumptions == nil {
			cr.Assumptions = pricing.Assumptions{}
		}
		cr.Thresholds = []ThresholdResult{}
		for _, t := range c.Thresholds {
			tr, err := evaluate(c, t, v, base, bpath)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if tr.Incomplete && v.incomplete == "" && cr.Incomplete == "" {
				cr.Incomplete = bpath + " measured this check on incomplete data (" + base[c.Name].Incomplete + "): an increase against it cannot pass"
			}
			if !tr.Passed {
				cr.Passed = false
				r.Summary.FailedThresholds++
			}
			cr.Thresholds = append(cr.Thresholds, tr)
		}
		if opt.Baseline != nil && opt.Baseline.PricesDate != "" && opt.Baseline.PricesDate != opt.Prices.Date && base[c.Name] != nil {
			cr.Assumptions.Add(pricing.Assumption{Field: "baseline.prices_date", Value: opt.Baseline.PricesDate + " (this run: " + opt.Prices.Date + ")",
				Why: bpath + " was priced with other prices than this run: the increases and the diff against it include the prices' own change, not only the change under review; regenerate the baseline with this lambdacost and price table"})
		}
		r.Summary.Thresholds += len(cr.Thresholds)
		if !cr.Passed {
			r.Summary.FailedChecks++
			r.Passed = false
		}
		r.Checks = append(r.Checks, cr)
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	r.Summary.Checks = len(r.Checks)
	if opt.Baseline != nil {
		r.Diff = diff(opt.BaselinePath, opt.Baseline, r)
	}
	return r, nil
}

func evaluate(c *Check, t Threshold, v values, base map[string]*CheckResult, bpath string) (ThresholdResult, error) {
	tr := ThresholdResult{Metric: t.Metric, Expression: t.Expr.String(), Position: t.Pos}
	after, ok := v.metrics[t.Base]
	if v.incomplete != "" {
		// Refuse to pass on data that was not all collected: the value (if
		// any) is shown, the threshold fails.
		tr.Value, tr.Incomplete = math.NaN(), true
		if ok && !t.Increase {
			tr.Value = after
		}
		return tr, nil
	}
	if !ok {
		why := v.missing[t.Base]
		if why == "" {
			why = "the source does not measure it"
		}
		return tr, pricing.Inputf(t.Pos, "%s: threshold %s cannot be evaluated: %s (a %s source) does not provide %s: %s", c.Name, t, c.Name, c.Source, t.Base, why)
	}
	if !t.Increase {
		tr.Value = after
		tr.Passed = t.Expr.Holds(after)
		return tr, nil
	}
	if before, ok := v.before[t.Base]; ok {
		// Infrastructure code carries its own base (the plan's before).
		tr.Before, tr.After = &before, &after
		tr.Value = increasePct(before, after)
		tr.Passed = t.Expr.Holds(tr.Value)
		return tr, nil
	}
	if base == nil {
		return tr, pricing.Inputf(t.Pos, "%s: threshold %s needs --baseline FILE (a previous `lambdacost check -o json`) to compare against", c.Name, t)
	}
	bc, ok := base[c.Name]
	if !ok {
		return tr, pricing.Inputf(t.Pos, "%s: threshold %s cannot be evaluated: check %q is not in %s (a new check: regenerate the baseline, or add the increase threshold once it is there)", c.Name, t, c.Name, bpath)
	}
	before, ok := bc.Metrics[t.Base]
	if !ok {
		return tr, pricing.Inputf(t.Pos, "%s: threshold %s cannot be evaluated: %s has no %s for check %q", c.Name, t, bpath, t.Base, c.Name)
	}
	tr.Before, tr.After = &before, &after
	if bc.Incomplete != "" {
		// The baseline's value was measured on data not all collected: no
		// increase against it can pass (nor be trusted to fail).
		tr.Value, tr.Incomplete = math.NaN(), true
		return tr, nil
	}
	tr.Value = increasePct(before, after)
	tr.Passed = t.Expr.Holds(tr.Value)
	return tr, nil
}

// increasePct is (after − before) ÷ before × 100. From a baseline of 0 it
// is 0 when still 0, else +Inf (or −Inf for a negative value).
func increasePct(before, after float64) float64 {
	if before == 0 {
		switch {
		case after > 0:
			return math.Inf(1)
		case after < 0:
			return math.Inf(-1)
		}
		return 0
	}
	return (after - before) / math.Abs(before) * 100
}

// Diff compares a report with its baseline, metric by metric (infracost's
// diff: before, after, change, %).
type Diff struct {
	Baseline string    `json:"baseline"`
	Rows     []DiffRow `json:"rows"`
	// Added lists checks not in the baseline; Removed, baseline checks no
	// longer configured.
	Added   []string `json:"added_checks"`
	Removed []string `json:"removed_checks"`
	// MonthlyCostBefore/After are the total monthly cost of all checks in
	// the baseline and now: null when a check's cost on that side is not
	// known (MonthlyCostUnknown names it), never the sum of the others.
	MonthlyCostBefore  *float64 `json:"monthly_cost_before_usd"`
	MonthlyCostAfter   *float64 `json:"monthly_cost_after_usd"`
	MonthlyCostUnknown []string `json:"monthly_cost_unknown,omitempty"`
}

// DiffRow is one metric of one check before and after. Before is nil for a
// new check, After for a removed one; ChangePct is nil when Before is 0 or
// either side is missing.
type DiffRow struct {
	Check     string   `json:"check"`
	Metric    string   `json:"metric"`
	Before    *float64 `json:"before"`
	After     *float64 `json:"after"`
	Change    *float64 `json:"change"`
	ChangePct *float64 `json:"change_pct"`
}

func ptr(f float64) *float64 { return &f }

func diff(path string, old, cur *Report) *Diff {
	d := &Diff{Baseline: path, Added: []string{}, Removed: []string{}, Rows: []DiffRow{}}
	oldBy := map[string]*CheckResult{}
	for i := range old.Checks {
		oldBy[old.Checks[i].Name] = &old.Checks[i]
	}
	curNames := map[string]bool{}
	var before, after []pricing.Cost
	beforeKnown, afterKnown := true, true
	for _, c := range old.Checks {
		if c.Cost != nil && c.Incomplete == "" {
			before = append(before, *c.Cost)
		} else {
			beforeKnown = false
			d.MonthlyCostUnknown = append(d.MonthlyCostUnknown, c.Name+" (baseline)")
		}
	}
	for _, c := range cur.Checks {
		curNames[c.Name] = true
		if c.Cost != nil && c.Incomplete == "" {
			after = append(after, *c.Cost)
		} else {
			afterKnown = false
			d.MonthlyCostUnknown = append(d.MonthlyCostUnknown, c.Name)
		}
		o := oldBy[c.Name]
		if o == nil {
			d.Added = append(d.Added, c.Name)
			if a, ok := c.Metrics[MonthlyCostUSD]; ok {
				d.Rows = append(d.Rows, DiffRow{Check: c.Name, Metric: MonthlyCostUSD, After: ptr(a)})
			}
			continue
		}
		for _, m := range Metrics {
			a, okA := c.Metrics[m.Name]
			b, okB := o.Metrics[m.Name]
			switch {
			case okA && okB:
				row := DiffRow{Check: c.Name, Metric: m.Name, Before: ptr(b), After: ptr(a), Change: ptr(a - b)}
				if b != 0 {
					row.ChangePct = ptr(increasePct(b, a))
				}
				d.Rows = append(d.Rows, row)
			case okA:
				d.Rows = append(d.Rows, DiffRow{Check: c.Name, Metric: m.Name, After: ptr(a)})
			case okB:
				d.Rows = append(d.Rows, DiffRow{Check: c.Name, Metric: m.Name, Before: ptr(b)})
			}
		}
	}
	for _, c := range old.Checks {
		if !curNames[c.Name] {
			d.Removed = append(d.Removed, c.Name)
			if b, ok := c.Metrics[MonthlyCostUSD]; ok {
				d.Rows = append(d.Rows, DiffRow{Check: c.Name, Metric: MonthlyCostUSD, Before: ptr(b)})
			}
		}
	}
	if beforeKnown {
		d.MonthlyCostBefore = ptr(pricing.Sum(before...).TotalUSD())
	}
	if afterKnown {
		d.MonthlyCostAfter = ptr(pricing.Sum(after...).TotalUSD())
	}
	return d
}

// ReadBaseline reads a previous `check -o json` result. Problems name
// --baseline and the file.
func ReadBaseline(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf("--baseline", "%v", err)
	}
	return ParseBaseline(path, data)
}

// ParseBaseline decodes a previous report read from path. Unknown fields are
// allowed (a newer lambdacost may add some); the version must be known.
func ParseBaseline(path string, data []byte) (*Report, error) {
	var r Report
	// `check -o json` wraps the report in the envelope; older baselines are bare.
	data, _, err := pricing.UnwrapEnvelope(path, data)
	if err != nil {
		return nil, pricing.Inputf("--baseline", "%v", err)
	}
	if err := json.Unmarshal(data, &r); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, pricing.Inputf("--baseline", "%s:offset %d: not valid JSON (want the output of `lambdacost check -o json`): %v", path, se.Offset, err)
		}
		return nil, pricing.Inputf("--baseline", "%s: not a `lambdacost check -o json` result: %v", path, err)
	}
	if r.Version == 0 || r.Checks == nil {
		return nil, pricing.Inputf("--baseline", "%s: not a `lambdacost check -o json` result (no version or checks)", path)
	}
	if r.Version != ReportVersion {
		return nil, pricing.Inputf("--baseline", "%s: check result version %d is not supported (this build reads version %d)", path, r.Version, ReportVersion)
	}
	var errs []error
	for i, c := range r.Checks {
		if c.Name == "" {
			errs = append(errs, pricing.Inputf("--baseline", "%s: checks[%d] has no name", path, i))
		}
		for m, v := range c.Metrics {
			if _, inc, ok := ParseMetric(m); !ok || inc {
				errs = append(errs, pricing.Inputf("--baseline", "%s: check %q: unknown metric %q", path, c.Name, m))
			} else if math.IsNaN(v) || math.IsInf(v, 0) {
				errs = append(errs, pricing.Inputf("--baseline", "%s: check %q: metric %s is not a finite number", path, c.Name, m))
			}
		}
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	return &r, nil
}
