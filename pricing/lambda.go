package pricing

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// Item is one function's configuration and billed usage over the span being priced.
type Item struct {
	Function FunctionConfig
	Usage    BilledUsage
}

// Options change how a bill is computed.
type Options struct {
	// FreeTier applies Lambda's monthly free tier (1M requests and 400,000
	// GB-s of on-demand duration, shared by both architectures). It never
	// applies to provisioned-concurrency charges.
	FreeTier bool
	// StreamingFreeTierUsed says the 100 GB response-streaming free tier is
	// already used by other functions of the account (AWS's streaming
	// example), so streamed bytes are all billed.
	StreamingFreeTierUsed bool
	// APIGateway adds API Gateway requests in front of every function:
	// "rest", "http" or "" (none).
	APIGateway string
	// ComputeSavingsPlan is a Compute Savings Plan discount (a fraction,
	// e.g. 0.17) on duration and provisioned concurrency; never on
	// requests. The bill lists it as an assumption.
	ComputeSavingsPlan decimal.Decimal
	// LogBytesPerRequest and TransferOutBytesPerRequest add usage per
	// invocation to a dataset's bill (DatasetBill only; LambdaBill's items
	// carry their own): bytes of CloudWatch logs for the functions whose
	// dataset did not measure them (summary.log_bytes), and bytes sent to
	// the internet.
	LogBytesPerRequest         ByteSize
	TransferOutBytesPerRequest ByteSize
	// LogsField is what an error about the logs (no CloudWatch Logs
	// prices in the region) names: where the log bytes came from, as the
	// user gave them (a usage file, a dataset's summary.log_bytes);
	// "--log-bytes" when empty.
	LogsField string
}

// Bill is the Lambda bill for a set of functions in one region. Duration
// tiers are applied to the aggregate GB-s of each architecture, as AWS does,
// and each function carries its pro-rata share of every tier, so the
// functions' totals add up exactly to the bill's total.
type Bill struct {
	Region    string         `json:"region"`
	FreeTier  bool           `json:"free_tier"`
	Functions []FunctionBill `json:"functions"`
	Cost      Cost           `json:"cost"`
	// Assumptions lists what the bill assumed (e.g. a Savings Plan discount).
	Assumptions Assumptions `json:"assumptions,omitempty"`
}

// FunctionBill is one function's part of a Bill.
type FunctionBill struct {
	Function FunctionConfig `json:"function"`
	Usage    BilledUsage    `json:"usage"`
	// GBSeconds is the on-demand compute (handler + INIT) before the free tier.
	GBSeconds decimal.Decimal `json:"-"`
	// InitGBSeconds is the part of GBSeconds spent in INIT.
	InitGBSeconds decimal.Decimal `json:"-"`
	// ProvisionedGBSeconds is compute run on provisioned environments.
	ProvisionedGBSeconds decimal.Decimal `json:"-"`
	Cost                 Cost            `json:"cost"`
}

var (
	dMillion  = decimal.NewFromInt(1_000_000)
	dMBmsToGB = decimal.NewFromInt(1024 * 1000) // MB·ms per GB-s
	d1024     = decimal.NewFromInt(1024)
	dZero     = decimal.Zero
)

// GBSeconds converts milliseconds of a function with memoryMB into GB-s,
// exactly (1 GB = 1024 MB).
func GBSeconds(ms int64, memoryMB int) decimal.Decimal {
	return decimal.NewFromInt(ms).Mul(decimal.NewFromInt(int64(memoryMB))).Div(dMBmsToGB)
}

// LambdaBill prices items in region. Every function is validated; all
// problems are returned together.
func (t *PriceTable) LambdaBill(region string, items []Item, opt Options) (*Bill, error) {
	reg, err := t.LambdaRegion(region)
	if err != nil {
		return nil, err
	}
	if err := opt.validateAround(); err != nil {
		return nil, err
	}
	var errs []error
	fbs := make([]FunctionBill, len(items))
	agg := map[Architecture]decimal.Decimal{}
	var totalReq int64
	for i, it := range items {
		f := it.Function.WithDefaults()
		prefix := f.Name
		if prefix == "" && len(items) > 1 {
			prefix = fmt.Sprintf("functions[%d]", i)
		}
		errs = append(errs, f.Validate(prefix)...)
		u := it.Usage
		if u.Requests < 0 || u.AsyncExtraRequests < 0 || u.OnDemandMs < 0 || u.ProvisionedMs < 0 || u.ProvisionedEnvSeconds < 0 || u.SnapStartCacheMs < 0 || u.SnapStartRestores < 0 || u.StreamedBytes < 0 || u.LogBytes < 0 || u.TransferOutBytes < 0 ||
			u.DurableOperations < 0 || u.TenantEnvironments < 0 || !finiteNonNeg(u.DurableWrittenGB, u.DurableRetainedGBMonths, u.ESMKafkaEPUHours, u.ESMSQSEPUHours) {
			errs = append(errs, Inputf(prefix, "usage quantities must not be negative"))
		}
		fbs[i] = FunctionBill{
			Function:             f,
			Usage:                u,
			GBSeconds:            GBSeconds(u.OnDemandMs, f.MemoryMB),
			InitGBSeconds:        GBSeconds(u.InitMs, f.MemoryMB),
			ProvisionedGBSeconds: GBSeconds(u.ProvisionedMs, f.MemoryMB),
		}
		if f.LambdaEdge {
			// Lambda@Edge: own rates, outside the tiers and the free tier.
			if f.ProvisionedConcurrency > 0 || u.ProvisionedMs > 0 || u.SnapStartCacheMs > 0 {
				errs = append(errs, Inputf(prefix, "Lambda@Edge functions have no provisioned concurrency or SnapStart"))
			}
			if u.AsyncExtraRequests > 0 {
				errs = append(errs, Inputf(prefix, "Lambda@Edge functions are not invoked asynchronously: async_payload_bytes_per_request does not apply"))
			}
			continue
		}
		agg[f.Architecture] = agg[f.Architecture].Add(fbs[i].GBSeconds)
		billedReq, ok := AddInt64(max(u.Requests, 0), max(u.AsyncExtraRequests, 0))
		if t, ok2 := AddInt64(totalReq, billedReq); ok && ok2 {
			totalReq = t
		} else {
			errs = append(errs, Inputf(prefix, "the requests of all functions together exceed %d; price them in smaller groups", int64(math.MaxInt64)))
		}
	}
	if err := Errors(errs); err != nil {
		return nil, err
	}

	// Free tier: requests shared by all functions; GB-s applied to x86_64
	// first, then arm64 (AWS does not document an order; x86 first gives the
	// customer the larger saving since its rate is higher).
	free := map[Architecture]decimal.Decimal{}
	freeReq := dZero
	if opt.FreeTier {
		left := decimal.NewFromInt(t.FreeTier.GBSeconds)
		for _, a := range Architectures {
			use := decimal.Min(left, agg[a])
			free[a] = use
			left = left.Sub(use)
		}
		freeReq = decimal.NewFromInt(min(totalReq, t.FreeTier.Requests))
	}

	// Tier split of each architecture's net aggregate.
	type tierQ struct {
		q     decimal.Decimal
		price decimal.Decimal
	}
	split := map[Architecture][]tierQ{}
	for _, a := range Architectures {
		net := agg[a].Sub(free[a])
		if !net.IsPositive() {
			continue
		}
		ap := reg.Arch(a)
		if len(ap.DurationTiers) == 0 {
			return nil, Inputf("--region", "the %s duration price in %s is not known; run `lambdacost pricing --update` or price in another region", a, region)
		}
		qs := splitTiers(net, ap.DurationTiers)
		for k, q := range qs {
			if !q.IsPositive() {
				continue
			}
			if ap.DurationTiers[k].Price == nil {
				return nil, Inputf("--region", "the %s duration price for tier %d in %s is not known (see README, Prices not known); run `lambdacost pricing --update` or price in us-east-1", a, k+1, region)
			}
			split[a] = append(split[a], tierQ{q, *ap.DurationTiers[k].Price})
		}
		for len(split[a]) < len(qs) {
			split[a] = append(split[a], tierQ{})
		}
	}

	// Allocate shared quantities pro rata. The last function of each group
	// takes the remainder so that the parts add up exactly.
	lastOfArch := map[Architecture]int{}
	lastReq := -1
	for i, fb := range fbs {
		if fb.Function.LambdaEdge {
			continue
		}
		if fb.GBSeconds.IsPositive() {
			lastOfArch[fb.Function.Architecture] = i
		}
		if fb.Usage.Requests+fb.Usage.AsyncExtraRequests > 0 {
			lastReq = i
		}
	}
	usedFree := map[Architecture]decimal.Decimal{}
	usedTier := map[Architecture][]tierQ{}
	usedFreeReq := dZero

	bill := &Bill{Region: region, FreeTier: opt.FreeTier}
	for i := range fbs {
		fb := &fbs[i]
		f := fb.Function
		ap := reg.Arch(f.Architecture)
		var c Cost

		if f.LambdaEdge {
			if err := edgeLines(&c, fb, ap, region); err != nil {
				return nil, err
			}
		}
		// Requests, with the extra requests of asynchronous events over 256 KB.
		if fb.Usage.Requests+fb.Usage.AsyncExtraRequests > 0 && !f.LambdaEdge {
			if ap.RequestsPerMillion == nil {
				return nil, Inputf("--region", "the request price in %s is not known", region)
			}
			req := decimal.NewFromInt(fb.Usage.Requests + fb.Usage.AsyncExtraRequests)
			var fr decimal.Decimal
			if i == lastReq {
				fr = freeReq.Sub(usedFreeReq)
			} else {
				fr = share(freeReq, req, decimal.NewFromInt(totalReq))
				usedFreeReq = usedFreeReq.Add(fr)
			}
			c.Add(NewLine(LineRequests, "requests", req.Sub(fr), ap.RequestsPerMillion.Div(dMillion)))
		}

		// On-demand duration, tiered.
		a := f.Architecture
		if fb.GBSeconds.IsPositive() && len(split[a]) > 0 && !f.LambdaEdge {
			if usedTier[a] == nil {
				usedTier[a] = make([]tierQ, len(split[a]))
			}
			for k, tq := range split[a] {
				if !tq.q.IsPositive() {
					continue
				}
				var q decimal.Decimal
				if i == lastOfArch[a] {
					q = tq.q.Sub(usedTier[a][k].q)
				} else {
					q = share(tq.q, fb.GBSeconds, agg[a])
					usedTier[a][k].q = usedTier[a][k].q.Add(q)
				}
				l := NewLine(LineDuration, "GB-s", q, tq.price)
				if len(ap.DurationTiers) > 1 {
					l.Tier = k + 1
				}
				c.Add(l)
			}
		}
		if opt.FreeTier && fb.GBSeconds.IsPositive() && !f.LambdaEdge {
			if i == lastOfArch[a] {
				usedFree[a] = free[a]
			} else {
				usedFree[a] = usedFree[a].Add(share(free[a], fb.GBSeconds, agg[a]))
			}
		}

		// Ephemeral storage above 512 MB, for all compute time.
		if f.EphemeralStorageMB > FreeEphemeralMB {
			ms := fb.Usage.OnDemandMs + fb.Usage.ProvisionedMs
			if ms > 0 {
				if ap.Ephemeral == nil {
					return nil, Inputf("--region", "the %s ephemeral-storage price in %s is not known", a, region)
				}
				q := GBSeconds(ms, f.EphemeralStorageMB-FreeEphemeralMB)
				c.Add(NewLine(LineEphemeralStorage, "GB-s", q, *ap.Ephemeral))
			}
		}

		// Provisioned concurrency: configured GB-s and duration while provisioned.
		if fb.Usage.ProvisionedEnvSeconds > 0 {
			if ap.Provisioned == nil {
				return nil, Inputf("--region", "the %s provisioned-concurrency price in %s is not known", a, region)
			}
			q := decimal.NewFromInt(fb.Usage.ProvisionedEnvSeconds).Mul(decimal.NewFromInt(int64(f.MemoryMB))).Div(d1024)
			c.Add(NewLine(LineProvisionedConcurrency, "GB-s", q, *ap.Provisioned))
		}
		if fb.Usage.ProvisionedMs > 0 {
			if ap.ProvisionedDuration == nil {
				return nil, Inputf("--region", "the %s provisioned-duration price in %s is not known", a, region)
			}
			c.Add(NewLine(LineProvisionedDuration, "GB-s", fb.ProvisionedGBSeconds, *ap.ProvisionedDuration))
		}
		// SnapStart: the snapshot cache per GB-s of memory while the version
		// is active, and each restore per GB of memory restored.
		if fb.Usage.SnapStartCacheMs > 0 {
			if ap.SnapStartCache == nil {
				return nil, Inputf("--region", "the %s SnapStart cache price in %s is not known", a, region)
			}
			c.Add(NewLine(LineSnapStartCache, "GB-s", GBSeconds(fb.Usage.SnapStartCacheMs, f.MemoryMB), *ap.SnapStartCache))
		}
		if fb.Usage.SnapStartRestores > 0 {
			if ap.SnapStartRestore == nil {
				return nil, Inputf("--region", "the %s SnapStart restore price in %s is not known", a, region)
			}
			q := decimal.NewFromInt(fb.Usage.SnapStartRestores).Mul(decimal.NewFromInt(int64(f.MemoryMB))).Div(d1024)
			c.Add(NewLine(LineSnapStartRestore, "GB", q, *ap.SnapStartRestore))
		}
		if err := productLines(&c, fb, ap, region); err != nil {
			return nil, err
		}
		for k := range c.Lines {
			c.Lines[k].Architecture = a
		}
		fb.Cost = c
	}
	var extra int64
	for _, fb := range fbs {
		extra += fb.Usage.AsyncExtraRequests
	}
	if extra > 0 {
		bill.Assumptions.Add(Assumption{Field: "async_extra_requests", Value: fmt.Sprintf("%d requests", extra),
			Why: "asynchronous events over 256 KB bill one more request per further 64 KB chunk (a part-chunk counts whole; 1 KB = 1024 bytes), as AWS's pricing page states; they are in the requests line and share its free tier"})
	}
	if err := t.aroundLambda(region, reg, fbs, opt, bill); err != nil {
		return nil, err
	}
	if a, ok := logsNotPriced(fbs); ok {
		bill.Assumptions.Add(a)
	}
	bill.Functions = fbs
	costs := make([]Cost, len(fbs))
	for i := range fbs {
		costs[i] = fbs[i].Cost
	}
	bill.Cost = Sum(costs...)
	return bill, nil
}

// logsNotPriced is the assumption a bill lists when functions that were
// invoked have no log bytes: their CloudWatch Logs ingestion is not in the
// bill, which a zero would not say. It names them when others have logs.
func logsNotPriced(fbs []FunctionBill) (Assumption, bool) {
	var without []string
	any := false
	for i, fb := range fbs {
		if fb.Usage.LogBytes > 0 {
			any = true
			continue
		}
		if fb.Usage.Requests > 0 {
			name := fb.Function.Name
			if name == "" {
				name = fmt.Sprintf("functions[%d]", i)
			}
			without = append(without, name)
		}
	}
	if len(without) == 0 {
		return Assumption{}, false
	}
	who := "the functions' logs are"
	if any {
		who = "the logs of " + strings.Join(without, ", ") + " are"
	} else if len(fbs) == 1 {
		who = "the function's logs are"
	}
	return Assumption{Field: "logs", Value: "not priced",
		Why: "no log volume was given (log bytes per invocation, a dataset's measured log bytes or a log group's ingested GB): " + who + " not in the bill (CloudWatch Logs ingestion)"}, true
}

// finiteNonNeg reports whether every v is a finite number ≥ 0.
func finiteNonNeg(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			return false
		}
	}
	return true
}

// share returns whole × part / of, computed to 24 decimal places.
func share(whole, part, of decimal.Decimal) decimal.Decimal {
	if of.IsZero() {
		return dZero
	}
	return whole.Mul(part).DivRound(of, 24)
}

// splitTiers splits a cumulative quantity over tiers with cumulative upper
// bounds (nil = unbounded): with x86 bounds 6e9/15e9/∞, 20e9 GB-s splits
// into 6e9, 9e9 and 5e9.
func splitTiers(q decimal.Decimal, tiers []Tier) []decimal.Decimal {
	out := make([]decimal.Decimal, len(tiers))
	lower := dZero
	for k, t := range tiers {
		if !q.GreaterThan(lower) {
			break
		}
		if t.UpTo == nil {
			out[k] = q.Sub(lower)
			break
		}
		out[k] = decimal.Min(q, *t.UpTo).Sub(lower)
		lower = *t.UpTo
	}
	return out
}

// SplitMillionTiers splits a request count in millions over API Gateway
// style tiers and returns the quantity (in millions) in each.
func SplitMillionTiers(millions decimal.Decimal, tiers []MillionTier) []decimal.Decimal {
	ts := make([]Tier, len(tiers))
	for i, t := range tiers {
		ts[i] = Tier{UpTo: t.UpToMillions}
	}
	return splitTiers(millions, ts)
}
