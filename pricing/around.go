package pricing

import (
	"cmp"

	"github.com/shopspring/decimal"
)

// Cost lines around Lambda (added to a function's bill when its usage or
// the options ask for them).
const (
	LineStreaming          = "streaming"            // HTTP response streaming beyond 6 MB per response
	LineLogs               = "logs"                 // CloudWatch Logs ingestion of the function's logs
	LineAPIGateway         = "api_gateway"          // API Gateway requests in front of the function
	LineComputeSavingsPlan = "compute_savings_plan" // negative: the Savings Plan discount
	LineTransferOut        = "data_transfer_out"    // data sent to the internet
)

// API Gateway kinds for Options.APIGateway.
const (
	APIGatewayREST = "rest"
	APIGatewayHTTP = "http"
)

var dGiB = decimal.NewFromInt(GiB)

// LogEventOverheadBytes is what a log event weighs in CloudWatch Logs
// beyond its message: PutLogEvents counts a batch as "the sum of all
// event messages in UTF-8, plus 26 bytes for each log event".
// lambdacost takes a Lambda log event's billed ingestion to be that same
// size (an assumption every measured figure states: AWS's pricing page
// bills "data ingested" without giving a per-event rule).
const LogEventOverheadBytes = 26

// BytesToGB converts bytes into GB as AWS bills streaming and logs (1 GB =
// 2^30 bytes), exactly.
func BytesToGB(b int64) decimal.Decimal { return decimal.NewFromInt(b).Div(dGiB) }

// LambdaLogsCost prices logBytes of Lambda logs ingested into CloudWatch
// Logs (Standard class) in one month in region, over the volume tiers that
// apply to Lambda logs since May 2025. The tiers count the account's whole
// monthly volume of Lambda logs in the region, so pass the total. The
// CloudWatch free tier (5 GB shared by all logs of the account) is not
// applied. Other packages (simulate, report, compare, check) call this for
// their `logs` line.
func (t *PriceTable) LambdaLogsCost(region string, logBytes int64) (Cost, error) {
	if logBytes < 0 {
		return Cost{}, Inputf("--log-bytes", "must not be negative")
	}
	var c Cost
	if logBytes == 0 {
		return c, nil
	}
	lp, err := t.LogsFor(region)
	if err != nil {
		return c, err
	}
	qs := splitGBTiers(BytesToGB(logBytes), lp.LambdaStandard)
	for k, q := range qs {
		if q.IsPositive() {
			l := NewLine(LineLogs, "GB", q, lp.LambdaStandard[k].PerGB)
			l.Tier = k + 1
			c.Add(l)
		}
	}
	return c, nil
}

func splitGBTiers(q decimal.Decimal, tiers []GBTier) []decimal.Decimal {
	ts := make([]Tier, len(tiers))
	for i, t := range tiers {
		ts[i] = Tier{UpTo: t.UpToGB}
	}
	return splitTiers(q, ts)
}

// sharedSplit splits the sum of parts, less free, over tiers with the given
// cumulative upper bounds and gives every part its pro-rata share of each
// tier; the last positive part takes the remainder, so shares add up exactly.
func sharedSplit(parts []decimal.Decimal, free decimal.Decimal, bounds []Tier) [][]decimal.Decimal {
	total := decimal.Zero
	last := -1
	for i, p := range parts {
		total = total.Add(p)
		if p.IsPositive() {
			last = i
		}
	}
	net := total.Sub(decimal.Min(free, total))
	qs := splitTiers(net, bounds)
	out := make([][]decimal.Decimal, len(parts))
	used := make([]decimal.Decimal, len(qs))
	for i, p := range parts {
		out[i] = make([]decimal.Decimal, len(qs))
		if !p.IsPositive() {
			continue
		}
		for k, q := range qs {
			if i == last {
				out[i][k] = q.Sub(used[k])
			} else {
				out[i][k] = share(q, p, total)
				used[k] = used[k].Add(out[i][k])
			}
		}
	}
	return out
}

// validateAround checks the options that add lines around Lambda.
func (o Options) validateAround() error {
	var errs []error
	switch o.APIGateway {
	case "", APIGatewayREST, APIGatewayHTTP:
	default:
		errs = append(errs, Inputf("--api-gateway", "unknown API Gateway kind %q (want rest or http)", o.APIGateway))
	}
	if o.ComputeSavingsPlan.IsNegative() || o.ComputeSavingsPlan.GreaterThanOrEqual(decimal.NewFromInt(1)) {
		errs = append(errs, Inputf("--savings-plan", "discount %s is outside [0, 1) (e.g. 0.17 for 17 %%)", o.ComputeSavingsPlan))
	}
	return Errors(errs)
}

// aroundLambda adds the lines around Lambda to each function's cost:
// streaming, logs, API Gateway and the Savings Plan discount. Tiers and
// free tiers are shared by all functions of the bill, as AWS applies them
// per account and region.
func (t *PriceTable) aroundLambda(region string, reg *LambdaRegion, fbs []FunctionBill, opt Options, bill *Bill) error {
	n := len(fbs)
	anyStream, anyBytes := false, false
	for _, fb := range fbs {
		u := fb.Usage
		anyStream = anyStream || u.StreamedBytes > 0
		anyBytes = anyBytes || u.StreamedBytes > 0 || u.LogBytes > 0 || u.TransferOutBytes > 0
	}
	if !anyBytes && opt.APIGateway == "" && !opt.ComputeSavingsPlan.IsPositive() {
		return nil // nothing around Lambda: the common case allocates nothing
	}
	// Response streaming: per architecture price; the 100 GB free tier is
	// shared by all functions.
	var stream [][]decimal.Decimal
	if anyStream {
		streamed := make([]decimal.Decimal, n)
		for i, fb := range fbs {
			streamed[i] = BytesToGB(fb.Usage.StreamedBytes)
		}
		free := decimal.Zero
		if opt.FreeTier && !opt.StreamingFreeTierUsed {
			free = decimal.NewFromInt(t.FreeTier.StreamingGB)
		}
		stream = sharedSplit(streamed, free, []Tier{{}})
	}
	// Logs: the region's volume tiers over all functions' logs.
	logs := make([]decimal.Decimal, n)
	anyLogs := false
	for i, fb := range fbs {
		logs[i] = BytesToGB(fb.Usage.LogBytes)
		anyLogs = anyLogs || fb.Usage.LogBytes > 0
	}
	var logTiers []GBTier
	var logShares [][]decimal.Decimal
	if anyLogs {
		lp, err := t.LogsFor(region)
		if err != nil {
			return Inputf(cmp.Or(opt.LogsField, "--log-bytes"), "CloudWatch Logs prices for %s are not known (see README, Prices not known); the logs line cannot be priced there", region)
		}
		logTiers = lp.LambdaStandard
		bounds := make([]Tier, len(logTiers))
		for k, lt := range logTiers {
			bounds[k] = Tier{UpTo: lt.UpToGB}
		}
		logShares = sharedSplit(logs, decimal.Zero, bounds)
		bill.Assumptions.Add(Assumption{Field: "logs", Value: "CloudWatch Logs Standard class, Lambda-log volume tiers",
			Why: "only these functions' logs count towards the tiers; CloudWatch's 5 GB free tier (shared by all logs of the account) is not applied; storage after ingestion is not priced"})
	}
	// Data transfer out to the internet: the region's tiers over all
	// functions; the free 100 GB (account-wide) with the free tier.
	out := make([]decimal.Decimal, n)
	anyOut := false
	for i, fb := range fbs {
		out[i] = BytesToGB(fb.Usage.TransferOutBytes)
		anyOut = anyOut || fb.Usage.TransferOutBytes > 0
	}
	var outTiers []GBTier
	var outShares [][]decimal.Decimal
	if anyOut {
		outTiers = t.TransferOut[region]
		if len(outTiers) == 0 {
			return Inputf("--transfer-out-bytes-per-request", "data-transfer-out prices for %s are not known (see README, Prices not known)", region)
		}
		bounds := make([]Tier, len(outTiers))
		for k, ot := range outTiers {
			bounds[k] = Tier{UpTo: ot.UpToGB}
		}
		freeOut := decimal.Zero
		if opt.FreeTier {
			freeOut = decimal.NewFromInt(t.FreeTier.TransferOutGB)
		}
		outShares = sharedSplit(out, freeOut, bounds)
		bill.Assumptions.Add(Assumption{Field: "data_transfer_out", Value: "to the internet, the region's volume tiers",
			Why: "only these functions' transfer counts towards the tiers; the 100 GB monthly free transfer applies with the free tier only and is shared by all services of the account"})
	}
	// API Gateway: every request of every function, tiers in millions.
	var gwTiers []MillionTier
	var gwShares [][]decimal.Decimal
	if opt.APIGateway != "" {
		gp, err := t.APIGatewayFor(region)
		if err != nil {
			return Inputf("--api-gateway", "API Gateway prices for %s are not known (see README, Prices not known)", region)
		}
		gwTiers = gp.HTTP
		if opt.APIGateway == APIGatewayREST {
			gwTiers = gp.REST
		}
		reqs := make([]decimal.Decimal, n)
		for i, fb := range fbs {
			reqs[i] = decimal.NewFromInt(fb.Usage.Requests).Div(dMillion)
		}
		bounds := make([]Tier, len(gwTiers))
		for k, gt := range gwTiers {
			bounds[k] = Tier{UpTo: gt.UpToMillions}
		}
		gwShares = sharedSplit(reqs, decimal.Zero, bounds)
		why := "every invocation is one REST API request; only these functions' requests count towards the tiers; API Gateway's 12-month free tier, caching and data transfer are not priced"
		if opt.APIGateway == APIGatewayHTTP {
			why = "every invocation is one HTTP API request (AWS meters HTTP API requests in 512 KB increments: one whose request or response exceeds 512 KB counts more, not priced here); only these functions' requests count towards the tiers; API Gateway's 12-month free tier and data transfer are not priced"
		}
		bill.Assumptions.Add(Assumption{Field: "api_gateway", Value: opt.APIGateway + " API, one request per invocation", Why: why})
	}
	sp := opt.ComputeSavingsPlan
	if sp.IsPositive() {
		bill.Assumptions.Add(Assumption{Field: "compute_savings_plan", Value: sp.Mul(decimal.NewFromInt(100)).String() + " %",
			Why: "a Compute Savings Plan discount, as given, on duration and provisioned concurrency (not on requests, ephemeral storage, SnapStart or streaming); AWS quotes up to 17 % for Lambda"})
	}
	for i := range fbs {
		fb := &fbs[i]
		a := fb.Function.Architecture
		c := &fb.Cost
		var extra []CostLine
		if stream != nil && stream[i][0].IsPositive() {
			q := stream[i][0]
			p := reg.Arch(a).Streaming
			if p == nil {
				return Inputf("--streamed-bytes-per-request", "the %s response-streaming price in %s is not known (see README, Prices not known)", a, region)
			}
			extra = append(extra, NewLine(LineStreaming, "GB", q, *p))
		}
		for k := range logTiers {
			if q := logShares[i][k]; q.IsPositive() {
				l := NewLine(LineLogs, "GB", q, logTiers[k].PerGB)
				l.Tier = k + 1
				extra = append(extra, l)
			}
		}
		for k := range outTiers {
			if q := outShares[i][k]; q.IsPositive() {
				l := NewLine(LineTransferOut, "GB", q, outTiers[k].PerGB)
				l.Tier = k + 1
				extra = append(extra, l)
			}
		}
		for k := range gwTiers {
			if q := gwShares[i][k]; q.IsPositive() {
				l := NewLine(LineAPIGateway, "requests", q.Mul(dMillion), gwTiers[k].PerMillion.Div(dMillion))
				if len(gwTiers) > 1 {
					l.Tier = k + 1
				}
				extra = append(extra, l)
			}
		}
		if sp.IsPositive() {
			eligible := decimal.Zero
			for _, l := range c.Lines {
				switch l.Name {
				case LineDuration, LineProvisionedConcurrency, LineProvisionedDuration:
					eligible = eligible.Add(l.Cost)
				}
			}
			if eligible.IsPositive() {
				extra = append(extra, NewLine(LineComputeSavingsPlan, "USD", eligible, sp.Neg()))
			}
		}
		for _, l := range extra {
			if l.Name == LineStreaming || l.Name == LineComputeSavingsPlan {
				l.Architecture = a
			}
			c.Add(l)
		}
	}
	return nil
}
