package infra

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// Change says how a function differs between base and head.
type Change string

// The changes of a function.
const (
	Added     Change = "added"
	Removed   Change = "removed"
	Changed   Change = "changed"
	Unchanged Change = "unchanged"
)

// Estimate is the priced change of a Plan: every function's monthly bill
// before (base) and after (head), and the difference. It is the result of
// `estimate --terraform/--template` (its JSON form) and a check source.
type Estimate struct {
	Kind     Kind   `json:"kind"`
	Path     string `json:"path"`
	BasePath string `json:"base_path,omitempty"`
	HasBase  bool   `json:"has_base"`
	// Region is the region, or the regions (sorted, comma-separated),
	// the rows are priced in: each function's own, else the one given.
	Region     string `json:"region"`
	PricesDate string `json:"prices_date"`
	// Functions lists the changed, added and removed functions first
	// (largest cost change first), then the unchanged ones.
	Functions []FunctionDiff `json:"functions"`
	Totals    Totals         `json:"totals"`
	// Assumptions lists every value the numbers depend on that the code
	// and the usage did not give.
	Assumptions pricing.Assumptions `json:"assumptions"`
	// Notes are what the bill does not include (resources not priced,
	// unlinked configurations, SnapStart).
	Notes []string `json:"notes,omitempty"`
	// RegionFallback is true when some function, whose code names no
	// region, is priced in the estimate's region without --region.
	RegionFallback bool `json:"-"`
}

// FunctionDiff is one function before and after.
type FunctionDiff struct {
	Address string `json:"address"`
	Name    string `json:"name,omitempty"`
	Change  Change `json:"change"`
	// Why lists the configuration changes ("memory 512 → 2048 MB").
	Why  []string `json:"why,omitempty"`
	Base *Side    `json:"base,omitempty"`
	Head *Side    `json:"head,omitempty"`
	// DiffUSD is head − base; absent when either side's cost is unknown.
	DiffUSD *float64        `json:"diff_usd,omitempty"`
	Diff    decimal.Decimal `json:"-"`
	// MissingUsage lists usage values the source lacks: the cost they
	// would add is not included on either side.
	MissingUsage []string `json:"missing_usage,omitempty"`
	UsageFrom    string   `json:"usage_from,omitempty"`
}

// Side is a function's configuration and bill on one side.
type Side struct {
	Config pricing.FunctionConfig `json:"config"`
	// Region is the function's region when the code names it (else the
	// estimate's).
	Region      string        `json:"region,omitempty"`
	Provisioned []Provisioned `json:"provisioned,omitempty"`
	// Logs is where the function's logs go and the log group's class.
	Logs *Logs `json:"logs,omitempty"`
	// ManagedInstances is the function's Lambda Managed Instances
	// capacity provider (nil: Lambda's on-demand environments).
	ManagedInstances *ManagedInstances `json:"managed_instances,omitempty"`
	// Unknown lists the values known only after apply; with any but the
	// architecture the cost is unknown (Cost nil).
	Unknown []string `json:"unknown,omitempty"`
	// Cost is the month's bill (nil when unknown). With an unknown
	// architecture it is absent and Range gives both.
	Cost       *pricing.Cost `json:"cost,omitempty"`
	MonthlyUSD *float64      `json:"monthly_usd,omitempty"`
	Range      *Range        `json:"range,omitempty"`
	// Simulated is what the simulation of this side's configuration under
	// the function's scenario (or dataset traffic) observed.
	Simulated *Simulation `json:"simulated,omitempty"`
}

// Range is the cost of a function or total over the values an unknown
// architecture can take.
type Range struct {
	MinUSD float64         `json:"min_usd"`
	MaxUSD float64         `json:"max_usd"`
	Min    decimal.Decimal `json:"-"`
	Max    decimal.Decimal `json:"-"`
}

// Totals are the monthly totals. HeadUSD is the known subtotal: functions
// whose cost is unknown are named in Unknown; those with an unknown
// architecture add HeadRange.
type Totals struct {
	BaseUSD float64 `json:"base_usd"`
	HeadUSD float64 `json:"head_usd"`
	// DiffUSD is head − base over the functions whose cost is known on
	// both sides (a side a function does not have costs nothing): a
	// function whose head (or base) is unknown or a range is in neither
	// side of it, so that its known base never reads as a saving. When
	// Complete it is HeadUSD − BaseUSD.
	DiffUSD float64 `json:"diff_usd"`
	// IncreasePct is DiffUSD ÷ the base of those same functions × 100;
	// absent when that base is 0.
	IncreasePct *float64 `json:"increase_pct,omitempty"`
	// DiffRange is DiffUSD with the functions whose only unknown is their
	// head's architecture (Ranged) added at their cheapest and dearest;
	// absent when there are none.
	DiffRange *Range `json:"diff_range,omitempty"`
	// HeadRange is the head total with the functions whose only unknown is
	// their architecture (Ranged) priced on each: the known subtotal plus
	// each one's cheapest and dearest. Functions in Unknown are in neither.
	HeadRange *Range `json:"head_range,omitempty"`
	// Complete is false when a function's cost is unknown (not in the
	// totals) or its usage is missing.
	Complete bool `json:"complete"`
	// Ranged names the functions whose architecture is known only after
	// apply: not in HeadUSD, in HeadRange.
	Ranged []string `json:"ranged,omitempty"`
	// Unknown names the functions whose cost is unknown (another value is
	// known only after apply): in no total.
	Unknown []string `json:"unknown,omitempty"`
	// MissingUsage names the functions priced without (part of) their usage.
	MissingUsage []string `json:"missing_usage,omitempty"`

	Base, Head, Diff decimal.Decimal `json:"-"`
}

// Options are what Price needs besides the plan and the usage.
type Options struct {
	Prices *pricing.PriceTable
	Region string
	Bill   pricing.Options
}

// Price prices both sides of p with the usage of src and returns the
// change, function by function.
func Price(p *Plan, src UsageSource, opt Options) (*Estimate, error) {
	if opt.Prices == nil {
		return nil, fmt.Errorf("infra: Options.Prices is required")
	}
	e := &Estimate{Kind: p.Kind, Path: p.Path, BasePath: p.BasePath, HasBase: p.HasBase, Region: opt.Region, PricesDate: opt.Prices.Date,
		Notes: append([]string(nil), p.Notes...), Assumptions: pricing.Assumptions{}}
	if pp, ok := src.(interface{ prepare(*Plan) }); ok {
		pp.prepare(p)
	}
	usage := map[string]FunctionUsage{}
	var errs []error
	// Each side asks for its own usage (a side's provisioned concurrency
	// can change how the usage splits); what is reported per function
	// merges both sides'.
	get := func(f *Function) FunctionUsage {
		u := src.Usage(f)
		prev, seen := usage[f.Address]
		merged := u
		merged.Assumptions = append(pricing.Assumptions(nil), prev.Assumptions...)
		for _, a := range u.Assumptions {
			merged.Assumptions.Add(a)
		}
		if seen {
			merged.Missing = prev.Missing
			for _, m := range u.Missing {
				if !containsStr(merged.Missing, m) {
					merged.Missing = append(merged.Missing, m)
				}
			}
		}
		usage[f.Address] = merged
		return u
	}
	base, err := priceSide(p.Base, get, opt)
	if err != nil {
		errs = append(errs, err)
	}
	head, err := priceSide(p.Head, get, opt)
	if err != nil {
		errs = append(errs, err)
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	for _, ps := range []*pricedSide{base, head} {
		for _, a := range ps.assumptions {
			e.Assumptions.Add(a)
		}
	}
	addrs := map[string]bool{}
	var order []string
	for _, f := range p.Base {
		if !addrs[f.Address] {
			addrs[f.Address] = true
			order = append(order, f.Address)
		}
	}
	for _, f := range p.Head {
		if !addrs[f.Address] {
			addrs[f.Address] = true
			order = append(order, f.Address)
		}
	}
	complete := true
	var rangeLo, rangeHi decimal.Decimal
	hasRange := false
	// diff and cmpBase are over the functions known on both sides;
	// diffLo/diffHi add the ranged ones' ends.
	var diff, cmpBase, diffLo, diffHi decimal.Decimal
	hasDiffRange := false
	for _, a := range order {
		bf, bs := base.find(a)
		hf, hs := head.find(a)
		d := FunctionDiff{Address: a, Base: bs, Head: hs, Why: why(bf, hf, UnknownPhrase(p.Kind))}
		var f *Function
		switch {
		case bf == nil:
			d.Change, f = Added, hf
		case hf == nil:
			d.Change, f = Removed, bf
		default:
			f = hf
			d.Change = Unchanged
			if len(d.Why) > 0 {
				d.Change = Changed
			}
		}
		d.Name = f.Config.Name
		u := usage[a]
		d.MissingUsage, d.UsageFrom = u.Missing, u.From
		for _, as := range u.Assumptions {
			e.Assumptions.Add(as)
		}
		if len(u.Missing) > 0 {
			complete = false
			e.Totals.MissingUsage = append(e.Totals.MissingUsage, fmt.Sprintf("%s (%s)", a, strings.Join(u.Missing, ", ")))
		}
		for _, s := range []*Function{bf, hf} {
			if s != nil {
				for _, as := range s.Defaults {
					e.Assumptions.Add(as)
				}
			}
		}
		for _, s := range []*Function{hf, bf} {
			if s != nil {
				for _, n := range s.Notes {
					e.Notes = append(e.Notes, a+": "+n)
				}
				break
			}
		}
		bc, bok := sideCost(bs)
		hc, hok := sideCost(hs)
		if bok && hok {
			d.Diff = hc.Sub(bc)
			v := d.Diff.InexactFloat64()
			d.DiffUSD = &v
			diff, cmpBase = diff.Add(d.Diff), cmpBase.Add(bc)
		} else if bok && hs != nil && hs.Range != nil {
			diffLo, diffHi = diffLo.Add(hs.Range.Min.Sub(bc)), diffHi.Add(hs.Range.Max.Sub(bc))
			hasDiffRange = true
		}
		if bok {
			e.Totals.Base = e.Totals.Base.Add(bc)
		}
		if hok {
			e.Totals.Head = e.Totals.Head.Add(hc)
			rangeLo, rangeHi = rangeLo.Add(hc), rangeHi.Add(hc)
		}
		if hs != nil && hs.Range != nil {
			hasRange = true
			rangeLo, rangeHi = rangeLo.Add(hs.Range.Min), rangeHi.Add(hs.Range.Max)
		}
		for _, x := range []struct {
			side string
			s    *Side
		}{{"base", bs}, {"head", hs}} {
			if x.s == nil || x.s.Cost != nil {
				continue
			}
			complete = false
			what := fmt.Sprintf("%s (%s: %s)", a, x.side, UnknownText(x.s.Unknown, p.Kind))
			if x.s.Range != nil {
				e.Totals.Ranged = append(e.Totals.Ranged, what)
			} else {
				e.Totals.Unknown = append(e.Totals.Unknown, what)
			}
		}
		e.Functions = append(e.Functions, d)
	}
	if hasRange {
		e.Totals.HeadRange = newRange(rangeLo, rangeHi)
	}
	rank := func(c Change) int {
		if c == Unchanged {
			return 1
		}
		return 0
	}
	sort.SliceStable(e.Functions, func(i, j int) bool {
		a, b := e.Functions[i], e.Functions[j]
		if rank(a.Change) != rank(b.Change) {
			return rank(a.Change) < rank(b.Change)
		}
		return a.Diff.Abs().GreaterThan(b.Diff.Abs())
	})
	e.Totals.Diff = diff
	if hasDiffRange {
		e.Totals.DiffRange = newRange(diff.Add(diffLo), diff.Add(diffHi))
	}
	e.Totals.BaseUSD, e.Totals.HeadUSD, e.Totals.DiffUSD = e.Totals.Base.InexactFloat64(), e.Totals.Head.InexactFloat64(), e.Totals.Diff.InexactFloat64()
	if !cmpBase.IsZero() {
		v := e.Totals.Diff.Div(cmpBase).Mul(decimal.NewFromInt(100)).InexactFloat64()
		e.Totals.IncreasePct = &v
	}
	e.Totals.Complete = complete
	e.Region = pricedRegions(e.Functions, opt.Region)
	e.Assumptions.Add(pricing.Assumption{Field: "month", Value: fmt.Sprintf("%d h", pricing.HoursPerMonth), Why: "usage is per month, as the usage source gives it"})
	if ts, ok := src.(interface{ TimesPerSide() bool }); !ok || !ts.TimesPerSide() {
		e.Assumptions.Add(pricing.Assumption{Field: "duration", Value: "the same on both sides", Why: "the usage prices base and head alike: a memory or architecture change that makes the handler faster or slower is not modelled"})
	}
	if opt.Bill.FreeTier {
		e.Assumptions.Add(pricing.Assumption{Field: "free_tier", Value: "applied", Why: "--free-tier: the account's monthly free tier goes to these functions"})
	} else {
		e.Assumptions.Add(pricing.Assumption{Field: "free_tier", Value: "not applied", Why: "as infracost does; pass --free-tier when nothing else in the account uses it"})
	}
	return e, nil
}

// UnknownText says which values are unknown and why ("memory_size known
// after apply"; a Managed Instances instance type is chosen by Lambda).
func UnknownText(attrs []string, k Kind) string {
	var known, chosen []string
	for _, a := range attrs {
		if a == AttrInstanceType {
			chosen = append(chosen, a+" chosen by Lambda")
		} else {
			known = append(known, a)
		}
	}
	var parts []string
	if len(known) > 0 {
		parts = append(parts, strings.Join(known, ", ")+" "+UnknownPhrase(k))
	}
	return strings.Join(append(parts, chosen...), "; ")
}

func newRange(lo, hi decimal.Decimal) *Range {
	return &Range{Min: lo, Max: hi, MinUSD: lo.InexactFloat64(), MaxUSD: hi.InexactFloat64()}
}

func sideCost(s *Side) (decimal.Decimal, bool) {
	if s == nil {
		return decimal.Zero, true // absent: costs nothing
	}
	if s.Cost == nil {
		return decimal.Zero, false
	}
	return s.Cost.Total, true
}

type pricedSide struct {
	fns   []Function
	sides []*Side
	// assumptions are the bills' (the logs line's tiers).
	assumptions pricing.Assumptions
}

func (p *pricedSide) find(addr string) (*Function, *Side) {
	for i := range p.fns {
		if p.fns[i].Address == addr {
			return &p.fns[i], p.sides[i]
		}
	}
	return nil, nil
}

// priceSide bills one side: the functions whose configuration is known in
// one bill; those with only an unknown architecture once per architecture.
func priceSide(fns []Function, usage func(*Function) FunctionUsage, opt Options) (*pricedSide, error) {
	ps := &pricedSide{fns: fns, sides: make([]*Side, len(fns))}
	type owned struct {
		fn    int
		items []pricing.Item
		// months, for usage longer than a month (a simulation, a
		// dataset's window split by its series), are its items month by
		// month (FunctionUsage.Months), seconds what of the span each
		// covers.
		months  [][]pricing.Item
		seconds []float64
	}
	var known, archOnly []owned
	var errs []error
	for i := range fns {
		f := &fns[i]
		s := &Side{Config: shown(f), Region: f.Region, Provisioned: f.Provisioned, Logs: f.Logs, ManagedInstances: f.LMI, Unknown: f.Unknown}
		ps.sides[i] = s
		u := usage(f)
		if u.Err != nil {
			errs = append(errs, u.Err)
			continue
		}
		s.Simulated = u.Sim
		if f.LMI != nil {
			if len(costUnknowns(f)) == 0 {
				c, as, err := lmiCost(f, u, opt)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				v := c.Total.InexactFloat64()
				s.Cost, s.MonthlyUSD = &c, &v
				for _, a := range as {
					ps.assumptions.Add(a)
				}
			}
			continue
		}
		items, err := itemsOf(f, u)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		o := owned{fn: i, items: items}
		if len(u.Months) > 1 {
			for _, m := range u.Months {
				mu := u
				b := m.Usage
				mu.Billed, mu.Months = &b, nil
				mi, err := itemsOf(f, mu)
				if err != nil {
					errs = append(errs, err)
					break
				}
				o.months = append(o.months, mi)
				o.seconds = append(o.seconds, m.Seconds)
			}
		}
		switch priced := costUnknowns(f); {
		case len(priced) == 0:
			known = append(known, o)
		case len(priced) == 1 && priced[0] == AttrArchitecture:
			archOnly = append(archOnly, o)
		}
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	if opt.Bill.FreeTier {
		// The free tier is one account's, shared by its regions: one
		// bill per region would give it to each.
		var regions []string
		for _, o := range append(append([]owned(nil), known...), archOnly...) {
			if r := cmp.Or(fns[o.fn].Region, opt.Region); !slices.Contains(regions, r) {
				regions = append(regions, r)
			}
		}
		if len(regions) > 1 {
			sort.Strings(regions)
			return nil, pricing.Inputf("free tier", "the functions run in %d regions (%s); the free tier is one account's, shared by its regions, so it cannot be given to each: price them without it", len(regions), strings.Join(regions, ", "))
		}
		if len(known) > 0 && len(archOnly) > 0 {
			ps.assumptions.Add(pricing.Assumption{Field: "free_tier", Value: "also given to the functions of unknown architecture",
				Why: "the functions whose architecture is known only after apply are priced on each architecture in a bill of their own, which gets the whole free tier too: their range is low by up to the free tier's worth"})
		}
	}
	// billMonth prices a group in one bill per region (tiers aggregate
	// per region and architecture), each function its share: month m of
	// the functions simulated month by month (their usage in every month
	// for the others), or, for m < 0, every function's one month.
	billMonth := func(group []owned, arch pricing.Architecture, month int) ([]pricing.Cost, error) {
		costs := make([]pricing.Cost, len(group))
		var regions []string
		byRegion := map[string][]int{}
		for k, o := range group {
			reg := fns[o.fn].Region
			if reg == "" {
				reg = opt.Region
			}
			if _, ok := byRegion[reg]; !ok {
				regions = append(regions, reg)
			}
			byRegion[reg] = append(byRegion[reg], k)
		}
		for _, reg := range regions {
			var items []pricing.Item
			var owner []int
			for _, k := range byRegion[reg] {
				its := group[k].items
				if month >= 0 && group[k].months != nil {
					its = group[k].months[month]
				}
				for _, it := range its {
					if arch != "" {
						it.Function.Architecture = arch
					}
					items = append(items, it)
					owner = append(owner, k)
				}
			}
			b, err := opt.Prices.LambdaBill(reg, items, opt.Bill)
			var ie *pricing.InputError
			if errors.As(err, &ie) && ie.Source == "--log-bytes" {
				return nil, pricing.Inputf("monthly_data_ingested_gb", "%s", ie.Msg)
			}
			if err != nil {
				return nil, err
			}
			for _, a := range b.Assumptions {
				ps.assumptions.Add(a)
			}
			for j, fb := range b.Functions {
				k := owner[j]
				costs[k] = pricing.Sum(costs[k], fb.Cost)
			}
		}
		return costs, nil
	}
	// bill prices a group month by month when some of its functions'
	// usage is known month by month over more than a month (billMonth for each month, every
	// function's cost the mean of its months': pricing.MeanMonthCost),
	// else as one month.
	bill := func(group []owned, arch pricing.Architecture) ([]pricing.Cost, error) {
		var seconds []float64
		var spans, simulated []string
		same := true
		for _, o := range group {
			if o.months == nil {
				continue
			}
			simulated = append(simulated, fns[o.fn].Address)
			var span float64
			for _, x := range o.seconds {
				span += x
			}
			spans = append(spans, fmt.Sprintf("%s: %s h", fns[o.fn].Address, strconv.FormatFloat(span/3600, 'f', -1, 64)))
			if seconds == nil {
				seconds = o.seconds
			} else if !slices.Equal(seconds, o.seconds) {
				same = false
			}
		}
		if seconds == nil {
			return billMonth(group, arch, -1)
		}
		if !same {
			for _, a := range simulated {
				ps.assumptions.Add(pricing.Assumption{Field: a + ".month", Value: "the average month",
					Why: fmt.Sprintf("the functions' usages (simulated scenarios, a dataset's window) span different 730-hour months (%s), so no month is the same month for all of them: each is billed on its average month (with the other functions, which share the tiers), so the free tier (--free-tier) and the tiers apply to that average month, not to each month as AWS applies them; where the months' traffic differs and a month uses less than the free tier, the mean of the months' bills is higher (lambdacost simulate bills each month)", strings.Join(spans, "; "))})
			}
			return billMonth(group, arch, -1)
		}
		for _, a := range simulated {
			ps.assumptions.Add(pricing.Assumption{Field: a + ".month", Value: fmt.Sprintf("the mean of %d months' bills", len(seconds)),
				Why: fmt.Sprintf("the usage spans %d 730-hour months (a scenario's simulation, or a dataset's window split by its series; from the start, a part-month scaled to a month): each month is billed on its own, with the other functions (which share the tiers) and their own usage in it, the free tier (when given) and the tiers applied to each month as AWS applies them; the monthly figure is the mean of the months' bills, weighted by how much of the span each covers, as simulate bills them", len(seconds))})
		}
		monthly := make([][]pricing.MonthCost, len(group))
		for m := range seconds {
			costs, err := billMonth(group, arch, m)
			if err != nil {
				return nil, err
			}
			for k, c := range costs {
				monthly[k] = append(monthly[k], pricing.MonthCost{Cost: c, Seconds: seconds[m]})
			}
		}
		costs := make([]pricing.Cost, len(group))
		for k := range group {
			costs[k] = pricing.MeanMonthCost(monthly[k])
		}
		return costs, nil
	}
	costs, err := bill(known, "")
	if err != nil {
		return nil, err
	}
	for k, o := range known {
		c := costs[k]
		v := c.Total.InexactFloat64()
		ps.sides[o.fn].Cost, ps.sides[o.fn].MonthlyUSD = &c, &v
	}
	if len(archOnly) > 0 {
		x86, err := bill(archOnly, pricing.X86_64)
		if err != nil {
			return nil, err
		}
		arm, err := bill(archOnly, pricing.ARM64)
		if err != nil {
			return nil, err
		}
		for k, o := range archOnly {
			lo, hi := x86[k].Total, arm[k].Total
			if hi.LessThan(lo) {
				lo, hi = hi, lo
			}
			ps.sides[o.fn].Range = newRange(lo, hi)
		}
	}
	return ps, nil
}

// itemsOf turns a function and its usage into pricing items: one for the
// on-demand invocations and one per provisioned-concurrency configuration.
func itemsOf(f *Function, u FunctionUsage) ([]pricing.Item, error) {
	cfg := f.Config
	cfg.ProvisionedConcurrency = 0
	if cfg.Name == "" {
		cfg.Name = f.Address
	}
	var errs []error
	check := func(label string, c pricing.FunctionConfig, us pricing.Usage) {
		for _, e := range us.Validate("", c.ProvisionedConcurrency) {
			var ie *pricing.InputError
			if errors.As(e, &ie) {
				errs = append(errs, pricing.Inputf(u.From, "%s: usage %s: %s", label, ie.Source, ie.Msg))
			}
		}
	}
	var items []pricing.Item
	if u.Billed != nil {
		c := cfg
		for i, p := range f.Provisioned {
			if i < len(u.Provisioned) && u.Provisioned[i].Simulated {
				c.ProvisionedConcurrency = p.Concurrency
			}
		}
		items = append(items, pricing.Item{Function: c, Usage: *u.Billed})
	} else {
		check(f.Address, cfg, u.OnDemand)
		items = append(items, pricing.Item{Function: cfg, Usage: u.OnDemand.Billed(0)})
	}
	items[0].Usage.LogBytes += u.LogBytes
	for i, p := range f.Provisioned {
		if p.Unknown || i >= len(u.Provisioned) || u.Provisioned[i].Simulated {
			continue
		}
		pu := u.Provisioned[i]
		c := cfg
		c.ProvisionedConcurrency = p.Concurrency
		us := pricing.Usage{Requests: pu.Requests, Duration: pu.Duration, ProvisionedRequests: pu.Requests, ProvisionedDuration: pu.Duration, ProvisionedHours: pu.Hours}
		check(p.Address, c, us)
		items = append(items, pricing.Item{Function: c, Usage: us.Billed(c.ProvisionedConcurrency)})
	}
	return items, pricing.Errors(errs)
}

// lmiCost prices a Lambda Managed Instances function with pricing/fleet's
// LMI model (fleet.EstimateLMI): its requests, and the instance-hours of
// a fleet of its provider's instance type sized for its traffic (the
// usage's requests and duration; the peak is the mean rate, every
// request CPU-bound: listed), plus the 15 % management fee. The
// provider's fleet is sized for this function alone.
func lmiCost(f *Function, u FunctionUsage, opt Options) (pricing.Cost, pricing.Assumptions, error) {
	m := f.LMI
	region := f.Region
	if region == "" {
		region = opt.Region
	}
	ratio := m.MemoryGiBPerVCPU
	if ratio == 0 {
		ratio = 2 // AWS's default ExecutionEnvironmentMemoryGiBPerVCpu
	}
	// The environment's vCPUs are the function's memory at its GiB per
	// vCPU: a whole number from 1 to 16 (AWS: at least 1 vCPU and 2 GB).
	// Said in the code's terms, not as a flag the user did not give.
	if v := float64(f.Config.MemoryMB) / 1024 / ratio; v != math.Trunc(v) || v < 1 || v > 16 {
		return pricing.Cost{}, nil, pricing.Inputf(f.Address+".memory_size", "Lambda Managed Instances: %d MB at %g GiB per vCPU is an execution environment of %g vCPU; it must be a whole number of vCPUs from 1 to 16 (memory a multiple of %g MB, at least %g MB)",
			f.Config.MemoryMB, ratio, v, ratio*1024, ratio*1024)
	}
	req := fleet.LMIRequest{InstanceType: m.InstanceType, Requests: u.OnDemand.Requests, Runtime: m.Runtime,
		EnvVCPU: float64(f.Config.MemoryMB) / 1024 / ratio, MemoryGiBPerVCPU: ratio, MaxConcurrency: m.MaxConcurrency,
		MinEnvironments: m.MinEnvironments}
	var as pricing.Assumptions
	if b := u.Billed; b != nil && b.Requests > 0 {
		// A simulation's month: its requests and their mean warm duration
		// (Managed Instances have no cold starts to bill).
		req.Requests = b.Requests
		ms := float64(b.OnDemandMs-b.InitMs+b.ProvisionedMs) / float64(b.Requests)
		req.Duration = msDuration(ms)
		as.Add(pricing.Assumption{Field: f.Address + ".managed_instances.traffic", Value: fmt.Sprintf("%d requests of %s on average", b.Requests, req.Duration),
			Why: "the simulated month's requests and mean duration size the fleet; its cold starts do not apply to Managed Instances"})
	}
	if req.Duration == 0 && u.OnDemand.Requests > 0 {
		req.Duration = u.OnDemand.Duration
	}
	if req.Requests == 0 || req.Duration == 0 {
		req.Instances = fleet.DefaultLMIMinInstances
		req.Runtime, req.EnvVCPU, req.MemoryGiBPerVCPU, req.MaxConcurrency, req.MinEnvironments = "", 0, 0, 0, 0
		why := "no traffic to size the fleet: the capacity provider's floor (AWS starts three instances for AZ resiliency)"
		if m.MinEnvironments != 0 {
			why += fmt.Sprintf("; the function's min_execution_environments %d is not applied without traffic to size its environments", m.MinEnvironments)
		}
		as.Add(pricing.Assumption{Field: f.Address + ".managed_instances", Value: fmt.Sprintf("%d instances all month", fleet.DefaultLMIMinInstances), Why: why})
	}
	if m.MinEnvironments != 0 && req.Instances == 0 {
		as.Add(pricing.Assumption{Field: f.Address + ".min_execution_environments", Value: fmt.Sprint(m.MinEnvironments),
			Why: "the function's scaling configuration: at least this many execution environments all month (AWS's default is 3)"})
	}
	if m.providerArch != "" {
		// A capacity provider runs instances of its one architecture
		// (InstanceRequirements.Architectures): a type of the other is
		// a configuration AWS refuses, not a bill.
		it, err := opt.Prices.LMIInstance(region, m.InstanceType)
		if err != nil {
			return pricing.Cost{}, nil, err
		}
		if string(it.Architecture) != m.providerArch {
			return pricing.Cost{}, nil, pricing.Inputf(f.Address, "Lambda Managed Instances: the capacity provider %s allows only %s, a %s type, but its instance requirements' architecture is %s", m.Provider, m.InstanceType, it.Architecture, m.providerArch)
		}
	}
	est, err := fleet.EstimateLMI(opt.Prices, region, req)
	if err == nil && m.MaxVCPU > 0 {
		// The capacity provider never runs more than max_vcpu_count vCPUs:
		// a fleet sized above it is capped (whole instances), and the
		// traffic it cannot serve is throttled.
		it, ierr := opt.Prices.LMIInstance(region, m.InstanceType)
		if ierr != nil {
			return pricing.Cost{}, nil, ierr
		}
		need := req.Instances
		if est.Sizing != nil {
			need = est.Sizing.Instances
		}
		if capN := m.MaxVCPU / it.VCPU; need*it.VCPU > m.MaxVCPU {
			if capN < 1 {
				return pricing.Cost{}, nil, pricing.Inputf(f.Address, "Lambda Managed Instances: the capacity provider's max_vcpu_count %d is less than one %s (%d vCPUs)", m.MaxVCPU, m.InstanceType, it.VCPU)
			}
			as.Add(pricing.Assumption{Field: f.Address + ".managed_instances.max_vcpu_count", Value: fmt.Sprintf("%d instances (%d vCPUs) all month, capped from %d", capN, capN*it.VCPU, need),
				Why: fmt.Sprintf("the capacity provider's max_vcpu_count %d allows %d %s: the fleet the traffic needs is larger, so requests beyond what the capped fleet serves are throttled (every request is still billed here: an upper bound on the requests line)", m.MaxVCPU, capN, m.InstanceType)})
			req.Instances = capN
			req.Runtime, req.EnvVCPU, req.MemoryGiBPerVCPU, req.MaxConcurrency, req.MinEnvironments, req.Duration = "", 0, 0, 0, 0, 0
			est, err = fleet.EstimateLMI(opt.Prices, region, req)
		}
	}
	if err != nil {
		var ie *pricing.InputError
		if errors.As(err, &ie) {
			return pricing.Cost{}, nil, pricing.Inputf(f.Address, "Lambda Managed Instances on %s: %s: %s", m.InstanceType, ie.Source, ie.Msg)
		}
		return pricing.Cost{}, nil, err
	}
	for _, a := range est.Assumptions {
		if a.Field == "cpu_time" {
			// estimate --lmi's hint names its own flag and usage key; the
			// code's usage (infracost's keys) has no CPU time.
			a.Why = "CPU time per request is in no usage key of the code: every request is assumed CPU-bound (the most instances, an upper bound); measure it with lambdacost run and price the function with lambdacost estimate --lmi --cpu-time"
		}
		a.Field = f.Address + "." + a.Field
		as.Add(a)
	}
	if est.Sizing != nil {
		as.Add(pricing.Assumption{Field: f.Address + ".managed_instances", Value: fmt.Sprintf("%g instance-hours of %s", est.InstanceHours, m.InstanceType),
			Why: fmt.Sprintf("%d environments of %g vCPU at the peak on %d instances; the capacity provider is sized for this function alone", est.Sizing.Environments, est.Sizing.EnvVCPU, est.Sizing.Instances)})
	}
	return est.Cost, as, nil
}

// costUnknowns are f's unknown values that the bill depends on (a timeout
// known only after apply does not change the cost).
func costUnknowns(f *Function) []string {
	var out []string
	for _, u := range f.Unknown {
		if u != AttrTimeout {
			out = append(out, u)
		}
	}
	return out
}

// shown is f's configuration as the output shows it: values known only
// after apply are empty (never a default that looks known).
func shown(f *Function) pricing.FunctionConfig {
	c := f.Config
	if f.IsUnknown(AttrMemory) {
		c.MemoryMB = 0
	}
	if f.IsUnknown(AttrArchitecture) {
		c.Architecture = ""
	}
	if f.IsUnknown(AttrEphemeral) {
		c.EphemeralStorageMB = 0
	}
	if f.IsUnknown(AttrTimeout) {
		c.Timeout = 0
	}
	return c
}

// pricedRegions is the region, or the regions (sorted, comma-separated),
// the functions' sides are priced in: each side's own region (the code
// names it), else fallback; a side whose region is known only after apply
// counts none. With no side at all it is fallback.
func pricedRegions(fs []FunctionDiff, fallback string) string {
	var out []string
	for _, f := range fs {
		for _, s := range []*Side{f.Base, f.Head} {
			if s == nil || slices.Contains(s.Unknown, AttrRegion) {
				continue
			}
			r := s.Region
			if r == "" {
				r = fallback
			}
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	if len(out) == 0 {
		return fallback
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}
