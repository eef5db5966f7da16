package pricing

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// TinyWindow is the dataset window below which a monthly projection is
// flagged loudly: a few minutes of traffic say little about a month.
const TinyWindow = time.Hour

// DatasetBill is the exact Lambda bill of a dataset: over its window and,
// when the dataset has one, projected to a 730-hour month. It is the one
// bill of a dataset that `report`, `compare`, `check` and `recommend` all
// show. Each function is billed one item per memory size it ran at (a
// function whose memory changed bills each invocation at its own size),
// plus its provisioned concurrency from the configuration.
type DatasetBill struct {
	Region string
	// Window bills the usage counted in the window; its Functions are the
	// items (several per dataset function when its memory changed).
	Window *Bill
	// Monthly projects the window to a 730-hour month; nil when the
	// dataset has no window (then NoMonthly says why).
	Monthly   *Bill
	NoMonthly string
	// Factor is the window → month scale (0 without a window).
	Factor float64
	// Months is how many 730-hour months of a window longer than a month
	// were billed one by one, Monthly's costs the mean of their bills (0:
	// Monthly is the window projected to one month).
	Months int
	// Functions follow the dataset's order.
	Functions []DatasetFunctionBill
	// Assumptions lists every value the bill depends on that was not
	// measured: defaults, the extrapolation, unknown configuration.
	Assumptions Assumptions
	// Warnings are the assumptions a user must not miss (a tiny window
	// projected to a month, a memory size that is not known).
	Warnings []string
}

// DatasetFunctionBill is one dataset function's part of a DatasetBill.
type DatasetFunctionBill struct {
	Name string
	// MemorySizes lists the sizes it ran at, in the order billed.
	MemorySizes []int
	// MemoryChanged is set when it ran at more than one memory size.
	MemoryChanged bool
	// Missing lists the inputs of the bill that were not collected: the
	// function is then not billed (its costs are zero and must be shown
	// as unknown, never as $0).
	Missing []string
	// Incomplete is set when any of the function's values were not
	// collected (DatasetFunction.Incomplete), billed or not.
	Incomplete bool
	// WindowItems and MonthlyItems index the function's items in
	// DatasetBill.Window.Functions and .Monthly.Functions.
	WindowItems, MonthlyItems []int
	Window, Monthly           Cost
	WindowUsage, MonthlyUsage BilledUsage
	// WindowGBSeconds is the on-demand and provisioned compute in the window.
	WindowGBSeconds decimal.Decimal
	// Provisioned is the provisioned concurrency billed and where its
	// level and hours come from.
	Provisioned ProvisionedUse
}

// Billed reports whether the function could be billed (no bill input missing).
func (f *DatasetFunctionBill) Billed() bool { return len(f.Missing) == 0 }

// MonthlyFactor returns the scale from the dataset window to a 730-hour
// month, and false when the dataset has no window.
func (d *Dataset) MonthlyFactor() (float64, bool) {
	span := d.Span().Seconds()
	if d.Start.IsZero() || d.End.IsZero() || span <= 0 {
		return 0, false
	}
	return float64(SecondsPerMonth) / span, true
}

// NoWindowReason is the one message every command gives for a dataset
// without a time window when a monthly projection is asked for.
const NoWindowReason = "the dataset has no time window (start/end), so it cannot be projected to a month; re-import it with its time range or read the window's own bill"

// billInputs are the summary values a bill is computed from: the exact
// per-memory split, else the exact billed ms, else the averages.
func billInputs(f *DatasetFunction) []string {
	s := f.Summary
	switch {
	case len(s.ByMemory) > 0:
		return []string{"summary.invocations", "summary.by_memory"}
	case s.BilledDurationMs > 0:
		return []string{"summary.invocations", "summary.billed_duration_ms"}
	}
	return []string{"summary.invocations", "summary.duration_ms.avg", "summary.cold_starts", "summary.init_duration_ms.avg"}
}

// BillMissing returns the values f's bill needs that were not collected.
func (f *DatasetFunction) BillMissing() []string {
	var out []string
	for _, need := range billInputs(f) {
		for _, m := range f.Missing {
			if m == need || strings.HasPrefix(need, m+".") || strings.HasPrefix(m, need+".") || strings.HasPrefix(m, need+"[") {
				out = append(out, m)
			}
		}
	}
	sort.Strings(out)
	return dedupe(out)
}

func dedupe(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// windowItems returns f's exact usage over the window, one item per memory
// size, with provisioned invocations moved to the provisioned rate.
func windowItems(d *Dataset, f *DatasetFunction, fq string, as *Assumptions, averaged *[]string, opt Options) ([]Item, error) {
	fc := f.FunctionConfig.WithDefaults()
	s := f.Summary
	var items []Item
	if len(s.ByMemory) > 0 {
		var n int64
		for _, m := range s.ByMemory {
			c := fc
			c.MemoryMB = m.MemoryMB
			items = append(items, Item{Function: c, Usage: BilledUsage{Requests: m.Invocations, OnDemandMs: m.BilledDurationMs, InitMs: m.InitBilledMs, ColdStarts: m.ColdStarts}})
			n += m.Invocations
		}
		if n != s.Invocations {
			as.Add(Assumption{Field: fq + ".summary.by_memory", Value: fmt.Sprintf("%d invocations", n),
				Why: fmt.Sprintf("the per-memory split counts %d invocations, the summary %d; the bill uses the split (it has the billed ms)", n, s.Invocations)})
		}
	} else {
		u := f.BilledUsage()
		if s.BilledDurationMs == 0 && s.Invocations > 0 {
			*averaged = append(*averaged, f.Name)
			if !f.Measured("summary.cold_starts") || !f.Measured("summary.init_duration_ms") {
				// Averages bill INIT as cold starts × mean INIT: neither
				// measured, the bill has none (not a measured zero).
				as.Add(Assumption{Field: fq + ".init", Value: "not billed",
					Why: "the dataset's source does not measure cold starts or INIT (not_measured: CloudWatch's AWS/Lambda metrics without Lambda Insights, a get-metric-data export without init_duration), so the bill has no INIT, which Lambda bills since 2025-08-01: it is low by every cold start's INIT; collect --logs, Lambda Insights or the function's logs measure them"})
			}
		}
		items = append(items, Item{Function: fc, Usage: u})
		for _, field := range []string{"memory_mb", "architecture"} {
			if f.Unknown(field) {
				flag := map[string]string{"memory_mb": "--memory", "architecture": "--arch"}[field]
				val := map[string]string{"memory_mb": fmt.Sprintf("%d MB", fc.MemoryMB), "architecture": string(fc.Architecture)}[field]
				as.Add(Assumption{Field: fq + "." + field, Value: val,
					Why: fmt.Sprintf("not known to the dataset: Lambda's default is used; re-import or collect with %s", flag)})
			}
		}
	}

	// Provisioned concurrency: invocations served by provisioned
	// environments bill their handler time at the provisioned rate.
	if pc := fc.ProvisionedConcurrency; (pc > 0 || s.ProvisionedInvocations > 0) && s.Invocations > 0 {
		p := s.ProvisionedInvocations
		switch {
		case p > 0:
			as.Add(Assumption{Field: fq + ".provisioned_ms", Value: fmt.Sprintf("%d of %d invocations", p, s.Invocations),
				Why: "the handler time of provisioned invocations is their share of the billed ms (pro rata by count)"})
		case s.ConcurrencyMax > 0 && s.ConcurrencyMax <= float64(pc):
			p = s.Invocations
			as.Add(Assumption{Field: fq + ".provisioned_invocations", Value: "all",
				Why: fmt.Sprintf("peak concurrency %g never exceeded the provisioned concurrency %d, so every invocation ran on a provisioned environment", s.ConcurrencyMax, pc)})
		default:
			as.Add(Assumption{Field: fq + ".provisioned_invocations", Value: "0",
				Why: fmt.Sprintf("which invocations ran on the %d provisioned environments is not known: all are billed at the on-demand duration rate (an upper bound)", pc)})
		}
		if p > s.Invocations {
			p = s.Invocations
		}
		if p > 0 {
			var total int64
			for _, it := range items {
				total += it.Usage.Requests
			}
			for k := range items {
				u := &items[k].Usage
				handler := u.OnDemandMs - u.InitMs
				moved := int64(math.Round(float64(handler) * float64(p) / float64(max(total, 1))))
				moved = min(moved, handler)
				u.ProvisionedMs = moved
				u.OnDemandMs -= moved
			}
		}
	}
	return items, perRequestBytes(items, f, opt)
}

// perRequestBytes adds the bytes around Lambda to a dataset function's
// items: the log bytes it measured (split pro rata by invocations, the
// last item taking the remainder), else opt's log bytes per invocation;
// opt's bytes sent to the internet per invocation.
func perRequestBytes(items []Item, f *DatasetFunction, opt Options) error {
	var total int64
	for _, it := range items {
		total += it.Usage.Requests
	}
	left := f.Summary.LogBytes
	for k := range items {
		u := &items[k].Usage
		if f.Summary.LogBytes > 0 {
			share := left
			if k < len(items)-1 && total > 0 {
				share = int64(math.Round(float64(f.Summary.LogBytes) * float64(u.Requests) / float64(total)))
				share = min(share, left)
			}
			u.LogBytes, left = share, left-share
		} else if opt.LogBytesPerRequest > 0 {
			b, ok := MulInt64(u.Requests, int64(opt.LogBytesPerRequest))
			if !ok {
				return Inputf("--log-bytes", "%s: %d invocations × %d bytes exceed the largest volume lambdacost can bill exactly", f.Name, u.Requests, opt.LogBytesPerRequest)
			}
			u.LogBytes = b
		}
		if opt.TransferOutBytesPerRequest > 0 {
			b, ok := MulInt64(u.Requests, int64(opt.TransferOutBytesPerRequest))
			if !ok {
				return Inputf("--transfer-out-bytes-per-request", "%s: %d invocations × %d bytes exceed the largest volume lambdacost can bill exactly", f.Name, u.Requests, opt.TransferOutBytesPerRequest)
			}
			u.TransferOutBytes = b
		}
	}
	return nil
}

// addUnbilledInit adds INIT that AWS did not bill at the time (pre-August
// 2025 logs) to the items, pro rata to their cold starts.
func addUnbilledInit(items []Item, ms int64) {
	var cold int64
	for _, it := range items {
		cold += it.Usage.ColdStarts
	}
	left := ms
	for k := range items {
		var add int64
		if k == len(items)-1 {
			add = left
		} else if cold > 0 {
			add = ms * items[k].Usage.ColdStarts / cold
		}
		left -= add
		items[k].Usage.OnDemandMs += add
		items[k].Usage.InitMs += add
	}
}

// DatasetBill prices every function of d: its window exactly as counted and
// its projection to a 730-hour month. region is used when the dataset
// names none (then "us-east-1" when empty too). The free tier is applied
// only when opt asks (a dataset is usually a slice of an account).
func (t *PriceTable) DatasetBill(d *Dataset, region string, opt Options) (*DatasetBill, error) {
	db := &DatasetBill{}
	as := &db.Assumptions
	for _, a := range d.Assumptions {
		as.Add(a)
	}
	ownRegions := len(d.Functions) > 0
	for i := range d.Functions {
		ownRegions = ownRegions && d.Functions[i].Region != ""
	}
	switch {
	case d.Region != "":
		region = d.Region
	case ownRegions:
		// A merged dataset: every function is billed in its own region.
		if region == "" {
			region = d.Functions[0].Region
		}
	case region != "":
		as.Add(Assumption{Field: "region", Value: region, Why: "the dataset names no region; the region given (--region or the config) is used"})
	default:
		region = "us-east-1"
		as.Add(Assumption{Field: "region", Value: region, Why: "neither the dataset nor the command names a region; pass --region"})
	}
	db.Region = region
	// A window longer than a month is billed month by month when every
	// billed function's series splits its usage by month (MonthFactors);
	// a function of totals only leaves the average month.
	seconds := d.WindowMonths()
	var totalsOnly []string
	if seconds != nil {
		labels := d.Labels()
		for i := range d.Functions {
			f := &d.Functions[i]
			if len(f.BillMissing()) > 0 {
				continue
			}
			if _, _, _, ok := d.MonthFactors(f); !ok {
				totalsOnly = append(totalsOnly, labels[i])
			}
		}
	}
	byMonth := seconds != nil && len(totalsOnly) == 0
	if opt.FreeTier {
		why := "the account's whole monthly free tier is given to these functions"
		switch months := d.Span().Seconds() / SecondsPerMonth; {
		case byMonth:
			why += fmt.Sprintf("; the window covers %.3g 730-hour months and each month gets its own allowance, as AWS gives it per month (the window's own bill gets one)", months)
		case months > 1:
			// A dataset holds window totals, not the usage of each
			// calendar month: the allowance cannot be given month by month.
			why += fmt.Sprintf("; the window covers %.3g 730-hour months but the dataset holds only its totals for %s (no series), so the allowance is taken once off the average month (and once off the window's own bill), not off each calendar month as AWS gives it: where the months' traffic differs and a month uses less than the allowance, the mean of the months' bills is higher than this", months, strings.Join(totalsOnly, ", "))
		}
		as.Add(Assumption{Field: "free_tier", Value: "applied", Why: why})
	} else {
		as.Add(Assumption{Field: "free_tier", Value: "not applied", Why: "a dataset is usually a slice of an account, whose free tier other functions may use"})
	}

	factor, hasWindow := d.MonthlyFactor()
	span := d.Span()
	if hasWindow {
		db.Factor = factor
		as.Add(Assumption{Field: "month", Value: fmt.Sprintf("%d h", HoursPerMonth),
			Why: fmt.Sprintf("the %s window is scaled ×%s to a 730-hour month, as if the traffic repeated", humanWindow(span), fmtFactor(factor))})
		if span < TinyWindow {
			w := fmt.Sprintf("WARNING: the dataset covers only %s; projecting it to a month multiplies every count by %s, so the monthly figures are a guess", humanWindow(span), fmtFactor(factor))
			db.Warnings = append(db.Warnings, w)
			as.Add(Assumption{Field: "window", Value: humanWindow(span), Why: w})
		}
	} else {
		db.NoMonthly = NoWindowReason
		as.Add(Assumption{Field: "month", Value: "not projected", Why: NoWindowReason})
	}

	var win, month []Item
	var winAt, monthAt []billGroup
	// monthShare[j] are month[j]'s factors per month of the window
	// (MonthFactors; nil: the same every month, provisioned concurrency).
	var monthShare [][2][]float64
	var averaged, measuredLogs, givenLogs, noLogs []string
	labels := d.Labels()
	for i := range d.Functions {
		f := &d.Functions[i]
		fq := fmt.Sprintf("functions[%s]", labels[i])
		fb := DatasetFunctionBill{Name: f.Name, Incomplete: f.Incomplete(), Missing: f.BillMissing()}
		if len(fb.Missing) > 0 {
			db.Functions = append(db.Functions, fb)
			continue
		}
		items, err := windowItems(d, f, fq, as, &averaged, opt)
		if err != nil {
			return nil, err
		}
		switch {
		case f.Summary.LogBytes > 0:
			measuredLogs = append(measuredLogs, labels[i])
		case opt.LogBytesPerRequest > 0:
			givenLogs = append(givenLogs, labels[i])
		case f.Summary.Invocations > 0:
			noLogs = append(noLogs, labels[i])
		}
		g := billGroup{account: f.Account, region: f.Region}
		if g.region == "" {
			g.region = region
		}
		for _, it := range items {
			fb.MemorySizes = append(fb.MemorySizes, it.Function.MemoryMB)
		}
		fb.MemoryChanged = len(items) > 1
		if f.Unknown("memory_mb") && len(f.Summary.ByMemory) == 0 && f.Summary.Invocations > 0 {
			db.Warnings = append(db.Warnings, fmt.Sprintf("%s: the memory size is not known; billed at Lambda's default %d MB (pass --memory to import or collect)", labels[i], items[0].Function.MemoryMB))
		}
		if r := f.Summary.Restores; r > 0 {
			as.Add(Assumption{Field: fq + ".snapstart", Value: fmt.Sprintf("%d restores, cache and restore charges not billed", r),
				Why: "the dataset does not say the runtime: SnapStart's cache and per-GB restore charges apply to Python and .NET functions, not to Java managed runtimes; price them with estimate --snapstart-hours/--snapstart-restores"})
		}
		// Provisioned concurrency is billed for the level and the time it
		// was configured: from the collected series where they measure it,
		// else from the configuration (enabled for the whole window).
		pu := f.ProvisionedUse(span)
		fb.Provisioned = pu
		pcItem := func(envSeconds int64) Item {
			return Item{Function: f.FunctionConfig.WithDefaults(), Usage: BilledUsage{ProvisionedEnvSeconds: envSeconds}}
		}
		wItems := append([]Item(nil), items...)
		switch {
		case pu.Source != "":
			wItems = append(wItems, pcItem(pu.EnvSeconds))
			as.Add(Assumption{Field: fq + ".provisioned_concurrency", Value: pu.Value(), Why: pu.Describe()})
		case f.ProvisionedConcurrency > 0:
			as.Add(Assumption{Field: fq + ".provisioned_concurrency", Value: fmt.Sprint(f.ProvisionedConcurrency),
				Why: "configured, but the dataset has no window to bill its hours: the window's bill leaves them out"})
		case f.Series != nil && len(f.Series.ProvisionedConcurrentExecutions) > 0 && len(f.Series.ProvisionedConcurrencyUtilization) == 0 && f.Summary.ProvisionedConcurrentExecutionsMax > 0:
			as.Add(Assumption{Field: fq + ".provisioned_concurrency", Value: "not billed",
				Why: "provisioned environments served invocations in the window, but neither the configuration nor a ProvisionedConcurrencyUtilization series says the level configured: re-collect with this version of lambdacost"})
		}
		for _, it := range wItems {
			fb.WindowItems = append(fb.WindowItems, len(win))
			win = append(win, it)
			winAt = append(winAt, g)
		}
		if hasWindow {
			mItems := make([]Item, len(items))
			for k, it := range items {
				if !it.Usage.ScaleFits(factor) {
					return nil, Inputf(fq, "projecting the %s window ×%s to a 730-hour month exceeds the largest volume lambdacost can bill exactly; read a longer window", humanWindow(span), fmtFactor(factor))
				}
				mItems[k] = Item{Function: it.Function, Usage: it.Usage.Scale(factor)}
			}
			share := [2][]float64{}
			if byMonth {
				_, share[0], share[1], _ = d.MonthFactors(f)
				for m := range seconds {
					for _, it := range mItems {
						if k := math.Max(share[0][m], share[1][m]); !it.Usage.ScaleFits(k) {
							return nil, Inputf(fq, "projecting month %d of the %s window ×%s to a 730-hour month exceeds the largest volume lambdacost can bill exactly", m+1, humanWindow(span), fmtFactor(k))
						}
					}
				}
			}
			for range mItems {
				monthShare = append(monthShare, share)
			}
			if ms := f.Summary.InitUnbilledMs; ms > 0 {
				addUnbilledInit(mItems, int64(math.Round(float64(ms)*factor)))
				as.Add(Assumption{Field: fq + ".init_unbilled_ms", Value: fmt.Sprintf("%d ms", ms),
					Why: "INIT that these logs' REPORT lines left out of Billed Duration (AWS's rule before 2025-08-01) is billed in the monthly projection, at today's rules; the window's bill is as the logs billed it"})
			}
			switch pu.Source {
			case PCFromSeries:
				mItems = append(mItems, pcItem(int64(math.Round(float64(pu.EnvSeconds)*factor))))
				monthShare = append(monthShare, [2][]float64{})
			case PCFromConfiguration:
				mItems = append(mItems, pcItem(int64(pu.Configured)*SecondsPerMonth))
				monthShare = append(monthShare, [2][]float64{})
			}
			for _, it := range mItems {
				fb.MonthlyItems = append(fb.MonthlyItems, len(month))
				month = append(month, it)
				monthAt = append(monthAt, g)
			}
		} else if f.Summary.InitUnbilledMs > 0 {
			as.Add(Assumption{Field: fq + ".init_unbilled_ms", Value: fmt.Sprintf("%d ms", f.Summary.InitUnbilledMs),
				Why: "INIT that these logs' REPORT lines left out of Billed Duration (AWS's rule before 2025-08-01) is not in the window's bill"})
		}
		db.Functions = append(db.Functions, fb)
	}
	if len(measuredLogs) > 0 {
		as.Add(Assumption{Field: "logs", Value: "measured", Why: "the log bytes the dataset measured (" + strings.Join(measuredLogs, ", ") + ") are billed as CloudWatch Logs ingestion"})
	}
	if len(givenLogs) > 0 {
		as.Add(Assumption{Field: "log_bytes_per_request", Value: opt.LogBytesPerRequest.String() + " bytes",
			Why: "not measured by the dataset: every invocation of " + strings.Join(givenLogs, ", ") + " is taken to write this much to CloudWatch Logs (--log-bytes)"})
	}
	if len(noLogs) > 0 {
		as.Add(Assumption{Field: "logs", Value: "not priced",
			Why: "the dataset does not measure the log bytes (summary.log_bytes) of " + strings.Join(noLogs, ", ") + ": their CloudWatch Logs ingestion is not in the bill; report, check and compare take --log-bytes"})
	}
	if opt.TransferOutBytesPerRequest > 0 {
		as.Add(Assumption{Field: "transfer_out_bytes_per_request", Value: opt.TransferOutBytesPerRequest.String() + " bytes",
			Why: "given (--transfer-out-bytes-per-request): every invocation is taken to send this much to the internet"})
	}
	if len(averaged) > 0 {
		as.Add(Assumption{Field: "billed_duration_ms", Value: "invocations × average duration",
			Why: "only averages were collected (" + strings.Join(averaged, ", ") + "): each invocation is billed the average duration rounded up to the ms, and each cold start the average INIT"})
	}
	for i, fb := range db.Functions {
		if fb.Incomplete {
			as.Add(Assumption{Field: fmt.Sprintf("functions[%s].missing", fb.Name), Value: strings.Join(d.Functions[i].Missing, ", "),
				Why: "these values were not collected: the function is incomplete" + map[bool]string{true: " and not billed", false: ""}[!fb.Billed()]})
		}
	}

	if len(measuredLogs) > 0 && opt.LogsField == "" {
		// The log bytes a dataset measured: an error about them names
		// the dataset's field, not --log-bytes, which was not given.
		opt.LogsField = fmt.Sprintf("functions[%s].summary.log_bytes", measuredLogs[0])
	}
	var err error
	if db.Window, err = t.groupedBill(region, win, winAt, opt); err != nil {
		return nil, err
	}
	if hasWindow {
		if db.Monthly, err = t.groupedBill(region, month, monthAt, opt); err != nil {
			return nil, err
		}
		if byMonth {
			if err := t.billByMonth(db, region, month, monthAt, monthShare, seconds, opt); err != nil {
				return nil, err
			}
		}
	}
	// What the bills themselves assumed (the logs' tiers, a Savings Plan).
	for _, b := range []*Bill{db.Window, db.Monthly} {
		if b != nil {
			for _, a := range b.Assumptions {
				as.Add(a)
			}
		}
	}
	if gs := groupsOf(winAt); len(gs) > 1 {
		var names []string
		for _, g := range gs {
			names = append(names, where(g.account, g.region))
		}
		db.Region = strings.Join(regionsOf(gs), ", ")
		as.Add(Assumption{Field: "tiers", Value: fmt.Sprintf("%d accounts × regions", len(gs)),
			Why: "each function is billed at its own region's prices, and the duration tiers are counted per account and region (" + strings.Join(names, "; ") + ")"})
	}
	for k := range db.Functions {
		fb := &db.Functions[k]
		var wc, mc []Cost
		for _, j := range fb.WindowItems {
			b := db.Window.Functions[j]
			wc = append(wc, b.Cost)
			fb.WindowUsage = addUsage(fb.WindowUsage, b.Usage)
			fb.WindowGBSeconds = fb.WindowGBSeconds.Add(b.GBSeconds).Add(b.ProvisionedGBSeconds)
		}
		fb.Window = Sum(wc...)
		if db.Monthly != nil {
			for _, j := range fb.MonthlyItems {
				b := db.Monthly.Functions[j]
				mc = append(mc, b.Cost)
				fb.MonthlyUsage = addUsage(fb.MonthlyUsage, b.Usage)
			}
			fb.Monthly = Sum(mc...)
		}
	}
	return db, nil
}

func addUsage(a, b BilledUsage) BilledUsage { return a.Add(b) }

// billByMonth replaces the costs of db.Monthly (the average month of a
// window longer than a month) with the mean of the window's months'
// bills (MeanMonthCost): each month's items are month's, each scaled by
// its share of that month (share[j]: MonthFactors; nil: the same every
// month), billed on their own with the month's free tier and tiers. The
// monthly usage stays the average month's.
func (t *PriceTable) billByMonth(db *DatasetBill, region string, month []Item, at []billGroup, share [][2][]float64, seconds []float64, opt Options) error {
	total := make([]MonthCost, len(seconds))
	items := make([][]MonthCost, len(month))
	for m := range seconds {
		mi := make([]Item, len(month))
		for j, it := range month {
			mi[j] = it
			if share[j][0] != nil {
				mi[j].Usage = it.Usage.ScaleMonth(share[j][0][m], share[j][1][m])
			}
		}
		b, err := t.groupedBill(region, mi, at, opt)
		if err != nil {
			return err
		}
		for _, a := range b.Assumptions {
			db.Monthly.Assumptions.Add(a)
		}
		total[m] = MonthCost{Cost: b.Cost, Seconds: seconds[m]}
		for j := range month {
			items[j] = append(items[j], MonthCost{Cost: b.Functions[j].Cost, Seconds: seconds[m]})
		}
	}
	db.Months = len(seconds)
	db.Monthly.Cost = MeanMonthCost(total)
	for j := range month {
		db.Monthly.Functions[j].Cost = MeanMonthCost(items[j])
	}
	db.Assumptions.Add(Assumption{Field: "months", Value: fmt.Sprintf("the mean of %d months' bills", len(seconds)),
		Why: fmt.Sprintf("the window covers %d 730-hour months from its start (a part-month projected to a month, as a shorter window is): each function's series splits its usage by month (its invocations for requests, cold starts and bytes; invocations × the period's mean duration for milliseconds), each month is billed on its own with its free tier (when given) and tiers, and the monthly figures are the mean of the months' bills, weighted by the seconds each covers (as simulate bills a span); provisioned concurrency is the same every month", len(seconds))})
	return nil
}

// Incomplete counts the functions with values not collected, and those of
// them that could not be billed at all.
func (db *DatasetBill) Incomplete() (incomplete, unbilled int) {
	for _, f := range db.Functions {
		if f.Incomplete {
			incomplete++
		}
		if !f.Billed() {
			unbilled++
		}
	}
	return
}

func fmtFactor(f float64) string {
	switch {
	case f >= 100:
		return GroupThousands(int64(math.Round(f)))
	case f >= 10:
		return fmt.Sprintf("%.1f", f)
	}
	return fmt.Sprintf("%.3g", f)
}

// GroupThousands writes n with commas between groups of three digits
// (1234567 → "1,234,567").
func GroupThousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// humanWindow prints a window length for people ("11 s", "14 days").
func humanWindow(d time.Duration) string {
	switch {
	case d >= 48*time.Hour:
		return fmt.Sprintf("%.4g days", d.Hours()/24)
	case d >= 2*time.Hour:
		return fmt.Sprintf("%.4g h", d.Hours())
	case d >= 2*time.Minute:
		return fmt.Sprintf("%.4g min", d.Minutes())
	}
	return fmt.Sprintf("%.4g s", d.Seconds())
}

// MonthlyUsageAt returns the function's monthly usage expressed at one
// memory size: each item's milliseconds are converted so that its GB-s
// (and so its duration cost, tiers included) are unchanged. It lets a
// model with one configuration (the EC2/Fargate comparison) price a
// function whose memory changed exactly, to within a millisecond.
func (db *DatasetBill) MonthlyUsageAt(k int, memoryMB int) BilledUsage {
	var u BilledUsage
	if db.Monthly == nil || memoryMB <= 0 {
		return u
	}
	conv := func(ms int64, mb int) int64 {
		return int64(math.Round(float64(ms) * float64(mb) / float64(memoryMB)))
	}
	for _, j := range db.Functions[k].MonthlyItems {
		it := db.Monthly.Functions[j]
		mb := it.Function.MemoryMB
		x := it.Usage
		x.OnDemandMs, x.InitMs, x.ProvisionedMs = conv(x.OnDemandMs, mb), conv(x.InitMs, mb), conv(x.ProvisionedMs, mb)
		x.ProvisionedEnvSeconds = conv(x.ProvisionedEnvSeconds, mb)
		u = addUsage(u, x)
	}
	return u
}

// billGroup is an account and region: its functions are billed together
// (prices of the region; duration tiers counted per account and region).
type billGroup struct{ account, region string }

func groupsOf(at []billGroup) []billGroup {
	seen := map[billGroup]bool{}
	var out []billGroup
	for _, g := range at {
		if !seen[g] {
			seen[g] = true
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].account != out[j].account {
			return out[i].account < out[j].account
		}
		return out[i].region < out[j].region
	})
	return out
}

func regionsOf(gs []billGroup) []string {
	var out []string
	for _, g := range gs {
		if !slices.Contains(out, g.region) {
			out = append(out, g.region)
		}
	}
	sort.Strings(out)
	return out
}

// groupedBill bills items (at[i] is item i's account and region): one
// LambdaBill per account and region, combined into one Bill whose
// Functions follow items' order. With one group it is LambdaBill itself.
// The free tier is an account's, shared by its regions, so a bill of
// several accounts or regions with the free tier is refused.
func (t *PriceTable) groupedBill(region string, items []Item, at []billGroup, opt Options) (*Bill, error) {
	gs := groupsOf(at)
	if len(gs) <= 1 {
		if len(gs) == 1 {
			region = gs[0].region
		}
		return t.LambdaBill(region, items, opt)
	}
	if opt.FreeTier {
		return nil, Inputf("free tier", "the dataset holds functions of %d accounts or regions; the free tier is one account's, shared by its regions, so it cannot be given to each: price them without it", len(gs))
	}
	out := &Bill{Region: strings.Join(regionsOf(gs), ", "), FreeTier: opt.FreeTier, Functions: make([]FunctionBill, len(items))}
	var costs []Cost
	for _, g := range gs {
		var sub []Item
		var idx []int
		for i, it := range items {
			if at[i] == g {
				sub = append(sub, it)
				idx = append(idx, i)
			}
		}
		b, err := t.LambdaBill(g.region, sub, opt)
		if err != nil {
			return nil, err
		}
		for k, i := range idx {
			out.Functions[i] = b.Functions[k]
		}
		costs = append(costs, b.Cost)
		for _, a := range b.Assumptions {
			out.Assumptions.Add(a)
		}
	}
	out.Cost = Sum(costs...)
	return out, nil
}
