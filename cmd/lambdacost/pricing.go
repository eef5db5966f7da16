package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/pricelist"
	"github.com/lambdacost/lambdacost/reports"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdPricing(f, nil) }) }

// PricingOptions are the parsed flags of `lambdacost pricing`.
type PricingOptions struct {
	F   *Factory
	Ctx context.Context

	Update        bool
	PriceFile     string
	AllRegions    bool
	InstanceTypes []string

	// RegionGiven is true when --region (or LAMBDACOST_REGION) was set, as
	// opposed to the $AWS_REGION / us-east-1 default.
	RegionGiven bool
}

// NewCmdPricing builds `pricing`. runF replaces the run function in tests.
func NewCmdPricing(f *Factory, runF func(*PricingOptions) error) *cobra.Command {
	o := &PricingOptions{F: f}
	cmd := &cobra.Command{
		Use:   "pricing",
		Short: "Show the price table in use, or refresh it from the AWS Price List API",
		Long: `Prints the prices lambdacost uses for a region: Lambda per architecture (requests, the three
duration tiers with their GB-s boundaries, ephemeral storage, provisioned concurrency, SnapStart,
response streaming, Lambda@Edge, Durable Functions, tenant isolation, provisioned event source
mappings) and, where the table has them, EC2 on-demand Linux instances, Fargate, ALB, API Gateway,
EBS, CloudWatch Logs ingestion of Lambda logs and data transfer out — with the table's date and
sources (-o json adds the source and date of every price). A price the table does not know is
shown as "not known"; lambdacost never guesses one.

The table in use is the one embedded in the binary, with the override file merged over it: the
file named by $LAMBDACOST_PRICE_FILE, else the default override path, when it exists.

--update refreshes the Lambda and EC2 prices from the AWS Price List API (GetProducts, service
codes AWSLambda and AmazonEC2; credentials from the standard AWS chain, allowed
pricing:GetProducts; AWS_ENDPOINT_URL_PRICING is honoured) and writes them to the override
file (--price-file, else $LAMBDACOST_PRICE_FILE, else the default path). It refreshes every
region in the table, or only --region when given. Prices the API does not return keep their
previous value and source, and are listed on stderr.`,
		Example: `  lambdacost pricing
  lambdacost pricing --region eu-west-1 -o markdown
  lambdacost pricing --all-regions -o json > prices.json
  lambdacost pricing --update                                                    # needs AWS credentials (exit 3 without)
  lambdacost pricing --update --region ap-south-1 --price-file ./prices.json      # needs AWS credentials (exit 3 without)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Ctx = cmd.Context()
			o.RegionGiven = cmd.Flags().Changed("region") || f.IO.Getenv("LAMBDACOST_REGION") != ""
			if runF != nil {
				return runF(o)
			}
			return pricingRun(o)
		},
	}
	fs := cmd.Flags()
	fs.BoolVar(&o.Update, "update", false, "refresh Lambda and EC2 prices from the AWS Price List API into the override file")
	fs.StringVar(&o.PriceFile, "price-file", "", "override file to read (and, with --update, write); default $LAMBDACOST_PRICE_FILE, else lambdacost/prices.json in the user config directory (~/.config on Linux)")
	fs.BoolVar(&o.AllRegions, "all-regions", false, "show every region in the table")
	fs.StringSliceVar(&o.InstanceTypes, "instance-type", nil, "EC2 instance types to refresh with --update (default: those in the table)")
	_ = cmd.MarkFlagFilename("price-file", "json")
	return cmd
}

// overridePath is the file --update writes and the display reads.
func (o *PricingOptions) overridePath() string {
	if o.PriceFile != "" {
		return o.PriceFile
	}
	if p := o.F.IO.Getenv(pricing.EnvPriceFile); p != "" {
		return p
	}
	return pricing.DefaultOverridePath()
}

func (o *PricingOptions) table() (*pricing.PriceTable, error) {
	if o.PriceFile != "" {
		return pricelist.LoadFile(o.PriceFile)
	}
	return o.F.Prices()
}

func pricingRun(o *PricingOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	if o.AllRegions && o.RegionGiven {
		return pricing.Inputf("--all-regions", "cannot be combined with --region")
	}
	if o.Update {
		if err := pricingUpdate(o); err != nil {
			return err
		}
		if o.PriceFile == "" {
			// Show what was just written, whatever Load would pick.
			o.PriceFile = o.overridePath()
		}
	} else if len(o.InstanceTypes) > 0 {
		return pricing.Inputf("--instance-type", "only applies with --update")
	}
	t, err := o.table()
	if err != nil {
		return err
	}
	regions := t.Regions()
	if !o.AllRegions {
		if _, err := t.LambdaRegion(f.Region); err != nil {
			return err
		}
		regions = []string{f.Region}
	}
	view := tableView(t, regions)
	switch format {
	case reports.JSON:
		return reports.WriteJSON(f.IO.Out, view)
	case reports.CSV:
		return reports.WriteGrids(f.IO.Out, format, f.Style(), priceCSV(view, regions))
	default:
		return reports.WriteGrids(f.IO.Out, format, f.Style(), priceGrids(view, regions)...)
	}
}

func pricingUpdate(o *PricingOptions) error {
	f := o.F
	ctx := o.Ctx
	if ctx == nil {
		ctx = context.Background()
	}
	path := o.overridePath()
	// Start from the table the file will be merged into: embedded + the
	// override file at path when it exists.
	base := pricing.Embedded()
	if t, err := pricelist.LoadFile(path); err == nil {
		base = t
	} else if !isNotExist(path) {
		return err
	}
	regions := base.Regions()
	if o.RegionGiven {
		regions = []string{f.Region}
	}
	var bad []error
	for _, r := range regions {
		if !pricelist.RegionCodePattern.MatchString(r) {
			bad = append(bad, pricing.Inputf("--region", "%q is not an AWS region code (e.g. us-east-1)", r))
		}
	}
	for _, it := range o.InstanceTypes {
		if !strings.Contains(it, ".") || strings.ContainsAny(it, " ,") {
			bad = append(bad, pricing.Inputf("--instance-type", "%q is not an EC2 instance type (e.g. m7g.large)", it))
		}
	}
	if err := pricing.Errors(bad); err != nil {
		return err
	}
	client, err := pricelist.NewClient(ctx)
	if err != nil {
		return err
	}
	opts := pricelist.Options{Regions: regions, InstanceTypes: o.InstanceTypes, Base: base}
	if f.IO.ErrTTY {
		opts.Progress = func(done, total int) {
			fmt.Fprintf(f.IO.ErrOut, "\rfetching prices %d/%d\x1b[K", done, total)
		}
	}
	res, err := pricelist.Fetch(ctx, client, opts)
	if opts.Progress != nil {
		fmt.Fprint(f.IO.ErrOut, "\r\x1b[K")
	}
	var xe *pricing.ExternalError
	if errors.As(err, &xe) && strings.Contains(xe.Error(), "get credentials") {
		return &pricing.ExternalError{Op: xe.Op, Err: fmt.Errorf("%w (--update needs AWS credentials allowed pricing:GetProducts, e.g. AWS_PROFILE; showing the table needs none)", xe.Err)}
	}
	if err != nil {
		return err
	}
	if err := pricelist.WriteOverride(path, res.Table); err != nil {
		return err
	}
	announce(f, path)
	for _, n := range res.Notes {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: note: %s\n", n)
	}
	nTypes := 0
	for _, m := range res.Table.EC2 {
		nTypes += len(m)
	}
	pub := ""
	if res.Publication != "" {
		pub = ", publication " + res.Publication
	}
	fmt.Fprintf(f.IO.ErrOut, "lambdacost: updated Lambda prices of %d region(s) and %d EC2 instance price(s) from the AWS Price List API (%d products, %d calls%s) into %s\n",
		len(res.Table.Lambda), nTypes, res.Products, res.Calls, pub, path)
	if used := f.IO.Getenv(pricing.EnvPriceFile); (used != "" && used != path) || (used == "" && path != pricing.DefaultOverridePath()) {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: to use it, set %s=%s\n", pricing.EnvPriceFile, path)
	}
	return nil
}

func isNotExist(path string) bool {
	_, err := os.Stat(path)
	return errors.Is(err, os.ErrNotExist)
}

// tableView is the part of t that concerns regions, in the table's own JSON
// form (which `--price-file` and $LAMBDACOST_PRICE_FILE accept back).
func tableView(t *pricing.PriceTable, regions []string) *pricing.PriceTable {
	v := pricing.NewPriceTable()
	v.Date, v.Currency, v.Description, v.Origin = t.Date, t.Currency, t.Description, t.Origin
	v.Sources, v.FreeTier = uniqueSources(t.Sources), t.FreeTier
	want := map[string]bool{}
	for _, r := range regions {
		want[r] = true
	}
	for k, p := range t.Provenance {
		if parts := strings.SplitN(k, "/", 3); len(parts) < 2 || want[parts[1]] || parts[0] == "free_tier" {
			v.Provenance[k] = p
		}
	}
	for _, r := range regions {
		if x := t.Logs[r]; x != nil {
			v.Logs[r] = x
		}
		if x := t.TransferOut[r]; x != nil {
			v.TransferOut[r] = x
		}
		if x := t.Lambda[r]; x != nil {
			v.Lambda[r] = x
		}
		if x := t.EC2[r]; x != nil {
			v.EC2[r] = x
		}
		if x := t.Fargate[r]; x != nil {
			v.Fargate[r] = x
		}
		if x := t.ALB[r]; x != nil {
			v.ALB[r] = x
		}
		if x := t.APIGateway[r]; x != nil {
			v.APIGateway[r] = x
		}
		if x := t.EBS[r]; x != nil {
			v.EBS[r] = x
		}
	}
	return v
}

// uniqueSources drops repeated source IDs (Merge appends the override
// file's sources, which may repeat the embedded ones); the last one wins.
func uniqueSources(in []pricing.Source) []pricing.Source {
	at := map[string]int{}
	var out []pricing.Source
	for _, s := range in {
		if i, ok := at[s.ID]; ok {
			out[i] = s
			continue
		}
		at[s.ID] = len(out)
		out = append(out, s)
	}
	return out
}

const notKnown = "not known"

// priceCell formats a unit price with all its digits (at least cents).
func priceCell(p *pricing.Price) string {
	if p == nil {
		return notKnown
	}
	s := p.String()
	if _, frac, _ := strings.Cut(s, "."); len(frac) < 2 {
		s = p.StringFixed(2)
	}
	return "$" + s
}

// priceNum is priceCell for CSV: the bare number.
func priceNum(p *pricing.Price) string {
	if p == nil {
		return notKnown
	}
	return p.String()
}

func tierCount(r *pricing.LambdaRegion) int {
	return max(len(r.X86.DurationTiers), len(r.ARM.DurationTiers))
}

// tierRange describes tier i of tiers in GB-s per month.
func tierRange(tiers []pricing.Tier, i int) string {
	if i >= len(tiers) {
		return notKnown
	}
	var from *pricing.Price
	if i > 0 {
		from = tiers[i-1].UpTo
	}
	to := tiers[i].UpTo
	switch {
	case i == 0 && to == nil:
		return "all"
	case i == 0:
		return "first " + reports.Num(*to, 0)
	case to == nil && from != nil:
		return "over " + reports.Num(*from, 0)
	case from != nil && to != nil:
		return "next " + reports.Num(to.Sub(*from), 0)
	}
	return notKnown
}

func tierPrice(tiers []pricing.Tier, i int) *pricing.Price {
	if i >= len(tiers) {
		return nil
	}
	return tiers[i].Price
}

type lambdaRow struct {
	label, unit string
	get         func(*pricing.ArchPrices) *pricing.Price
}

var lambdaRows = []lambdaRow{
	{"Ephemeral storage above 512 MB", "per GB-s", func(a *pricing.ArchPrices) *pricing.Price { return a.Ephemeral }},
	{"Provisioned concurrency", "per GB-s configured", func(a *pricing.ArchPrices) *pricing.Price { return a.Provisioned }},
	{"Duration while provisioned", "per GB-s", func(a *pricing.ArchPrices) *pricing.Price { return a.ProvisionedDuration }},
	{"SnapStart cache", "per GB-s", func(a *pricing.ArchPrices) *pricing.Price { return a.SnapStartCache }},
	{"SnapStart restore", "per GB restored", func(a *pricing.ArchPrices) *pricing.Price { return a.SnapStartRestore }},
	{"Response streaming", "per GB beyond 6 MB per request", func(a *pricing.ArchPrices) *pricing.Price { return a.Streaming }},
	{"Lambda@Edge requests", "per 1M requests", func(a *pricing.ArchPrices) *pricing.Price { return a.EdgeRequestsPerMillion }},
	{"Lambda@Edge duration", "per GB-s", func(a *pricing.ArchPrices) *pricing.Price { return a.EdgeDuration }},
	{"Durable Functions operations", "per 1M operations", func(a *pricing.ArchPrices) *pricing.Price { return a.DurableOperationsPerMillion }},
	{"Durable Functions data written", "per GB", func(a *pricing.ArchPrices) *pricing.Price { return a.DurableWrittenPerGB }},
	{"Durable Functions data retained", "per GB-month", func(a *pricing.ArchPrices) *pricing.Price { return a.DurableRetainedPerGBMonth }},
	{"Tenant isolation", "per environment created per GB", func(a *pricing.ArchPrices) *pricing.Price { return a.TenantEnvironmentPerGB }},
	{"Provisioned ESM, Kafka", "per EPU-hour", func(a *pricing.ArchPrices) *pricing.Price { return a.ESMKafkaEPUHour }},
	{"Provisioned ESM, SQS", "per EPU-hour", func(a *pricing.ArchPrices) *pricing.Price { return a.ESMSQSEPUHour }},
}

// priceGrids renders the table and markdown views: per region a Lambda grid,
// an EC2 grid and an other-services grid; then the sources.
func priceGrids(t *pricing.PriceTable, regions []string) []reports.Grid {
	var gs []reports.Grid
	origin := t.Origin
	if origin == "" {
		origin = "embedded"
	}
	for _, code := range regions {
		r := t.Lambda[code]
		g := reports.Grid{
			Title:      fmt.Sprintf("Lambda prices · %s · %s · table of %s, %s", code, r.Name, t.Date, origin),
			Header:     []string{"Item", "Unit", string(pricing.X86_64), string(pricing.ARM64)},
			AlignRight: map[int]bool{2: true, 3: true},
		}
		g.Rows = append(g.Rows, []string{"Requests", "per 1M requests", priceCell(r.X86.RequestsPerMillion), priceCell(r.ARM.RequestsPerMillion)})
		n := tierCount(r)
		for i := 0; i < n; i++ {
			g.Rows = append(g.Rows, []string{fmt.Sprintf("Duration, tier %d", i+1), "per GB-s", priceCell(tierPrice(r.X86.DurationTiers, i)), priceCell(tierPrice(r.ARM.DurationTiers, i))})
		}
		for i := 0; i < n; i++ {
			g.Rows = append(g.Rows, []string{fmt.Sprintf("  tier %d covers", i+1), "GB-s per month", tierRange(r.X86.DurationTiers, i), tierRange(r.ARM.DurationTiers, i)})
		}
		for _, row := range lambdaRows {
			g.Rows = append(g.Rows, []string{row.label, row.unit, priceCell(row.get(r.X86)), priceCell(row.get(r.ARM))})
		}
		g.Rows = append(g.Rows, []string{"Free tier", "per month", fmt.Sprintf("%s requests + %s GB-s", reports.Num(decimal.NewFromInt(t.FreeTier.Requests), 0), reports.Num(decimal.NewFromInt(t.FreeTier.GBSeconds), 0)), "(shared)"})
		gs = append(gs, g)

		if its := t.Instances(code); len(its) > 0 {
			eg := reports.Grid{
				Title:      "EC2 on-demand Linux · " + code,
				Header:     []string{"Instance type", "Architecture", "vCPU", "Memory (GiB)", "Per hour"},
				AlignRight: map[int]bool{2: true, 3: true, 4: true},
			}
			for _, it := range its {
				h := it.Hourly
				eg.Rows = append(eg.Rows, []string{it.Name, string(it.Architecture), fmt.Sprint(it.VCPU), reports.Numf(it.MemoryGiB, 3), priceCell(&h)})
			}
			gs = append(gs, eg)
		}
		gs = append(gs, servicesGrid(t, code))
	}
	src := reports.Grid{Title: "Sources · prices of " + t.Date, Header: []string{"ID", "Title", "URL"}}
	for _, s := range t.Sources {
		src.Rows = append(src.Rows, []string{s.ID, s.Title, s.URL})
	}
	for _, code := range regions {
		if s := t.Lambda[code].Source; s != "" {
			src.Rows = append(src.Rows, []string{"lambda " + code, s, ""})
		}
	}
	return append(gs, src)
}

// serviceRow is one price of a non-Lambda service in a region.
type serviceRow struct {
	service, item, unit string
	price               *pricing.Price
}

// serviceRows lists the region's Fargate, ALB, API Gateway and EBS prices;
// a service the table lacks is one row with a nil price.
func serviceRows(t *pricing.PriceTable, code string) []serviceRow {
	var rows []serviceRow
	p := func(v pricing.Price) *pricing.Price { return &v }
	if m := t.Fargate[code]; len(m) > 0 {
		for _, a := range pricing.Architectures {
			if fp := m[a]; fp != nil {
				rows = append(rows,
					serviceRow{"Fargate " + string(a), "vCPU", "per vCPU-hour", p(fp.VCPUHour)},
					serviceRow{"Fargate " + string(a), "memory", "per GB-hour", p(fp.GBHour)})
			} else {
				rows = append(rows, serviceRow{"Fargate " + string(a), "", "", nil})
			}
		}
	} else {
		rows = append(rows, serviceRow{"Fargate", "", "", nil})
	}
	if a := t.ALB[code]; a != nil {
		rows = append(rows,
			serviceRow{"ALB", "load balancer", "per hour", p(a.Hour)},
			serviceRow{"ALB", "LCU", "per LCU-hour", p(a.LCUHour)})
	} else {
		rows = append(rows, serviceRow{"ALB", "", "", nil})
	}
	if g := t.APIGateway[code]; g != nil {
		for _, kind := range []struct {
			name  string
			tiers []pricing.MillionTier
		}{{"API Gateway REST", g.REST}, {"API Gateway HTTP", g.HTTP}} {
			if len(kind.tiers) == 0 {
				rows = append(rows, serviceRow{kind.name, "", "", nil})
			}
			for i, tier := range kind.tiers {
				rows = append(rows, serviceRow{kind.name, millionTierRange(kind.tiers, i), "per million requests", p(tier.PerMillion)})
			}
		}
	} else {
		rows = append(rows, serviceRow{"API Gateway", "", "", nil})
	}
	if e := t.EBS[code]; e != nil {
		rows = append(rows,
			serviceRow{"EBS gp3", "storage", "per GB-month", p(e.GP3GBMonth)},
			serviceRow{"EBS gp3", "IOPS above 3,000", "per IOPS-month", p(e.GP3IOPSMonth)},
			serviceRow{"EBS gp3", "throughput above 125 MB/s", "per MB/s-month", p(e.GP3MBpsMonth)},
			serviceRow{"EBS gp2", "storage", "per GB-month", p(e.GP2GBMonth)})
	} else {
		rows = append(rows, serviceRow{"EBS", "", "", nil})
	}
	gbTiers := func(service, item string, ts []pricing.GBTier) {
		if len(ts) == 0 {
			rows = append(rows, serviceRow{service, "", "", nil})
		}
		for i, tier := range ts {
			lo := "0"
			if i > 0 && ts[i-1].UpToGB != nil {
				lo = ts[i-1].UpToGB.String()
			}
			hi := "∞"
			if tier.UpToGB != nil {
				hi = tier.UpToGB.String()
			}
			rows = append(rows, serviceRow{service, item + " " + lo + "–" + hi + " GB", "per GB", p(tier.PerGB)})
		}
	}
	var logs []pricing.GBTier
	if l := t.Logs[code]; l != nil {
		logs = l.LambdaStandard
	}
	gbTiers("CloudWatch Logs (Lambda logs)", "ingestion", logs)
	gbTiers("Data transfer out", "to the internet", t.TransferOut[code])
	return rows
}

func servicesGrid(t *pricing.PriceTable, code string) reports.Grid {
	g := reports.Grid{
		Title:      "Other services · " + code,
		Header:     []string{"Service", "Item", "Unit", "Price"},
		AlignRight: map[int]bool{3: true},
	}
	for _, r := range serviceRows(t, code) {
		g.Rows = append(g.Rows, []string{r.service, r.item, r.unit, priceCell(r.price)})
	}
	return g
}

func millionTierRange(tiers []pricing.MillionTier, i int) string {
	to := tiers[i].UpToMillions
	switch {
	case i == 0 && to == nil:
		return "all requests"
	case i == 0:
		return "first " + reports.Num(*to, 0) + "M"
	case to == nil:
		return "over " + reports.Num(*tiers[i-1].UpToMillions, 0) + "M"
	default:
		return "next " + reports.Num(to.Sub(*tiers[i-1].UpToMillions), 0) + "M"
	}
}

// priceCSV is one tidy row per price: region, service, architecture, item,
// unit, tier bounds (GB-s for Lambda duration, millions for API Gateway),
// vCPU and memory for EC2, the USD price ("not known" when unknown) and the
// table's date.
func priceCSV(t *pricing.PriceTable, regions []string) reports.Grid {
	g := reports.Grid{Header: []string{"region", "service", "architecture", "item", "unit", "tier_from", "tier_to", "vcpu", "memory_gib", "usd", "table_date"}}
	add := func(cells ...string) { g.Rows = append(g.Rows, append(cells, t.Date)) }
	dstr := func(p *pricing.Price) string {
		if p == nil {
			return ""
		}
		return p.String()
	}
	for _, code := range regions {
		r := t.Lambda[code]
		for _, a := range pricing.Architectures {
			ap := r.Arch(a)
			add(code, "lambda", string(a), "requests", "per 1M requests", "", "", "", "", priceNum(ap.RequestsPerMillion))
			for i, tier := range ap.DurationTiers {
				from := "0"
				if i > 0 {
					from = dstr(ap.DurationTiers[i-1].UpTo)
				}
				add(code, "lambda", string(a), fmt.Sprintf("duration_tier_%d", i+1), "per GB-s", from, dstr(tier.UpTo), "", "", priceNum(tier.Price))
			}
			for _, row := range lambdaRows {
				add(code, "lambda", string(a), csvItem(row.label), row.unit, "", "", "", "", priceNum(row.get(ap)))
			}
		}
		for _, it := range t.Instances(code) {
			h := it.Hourly
			add(code, "ec2", string(it.Architecture), it.Name, "per hour", "", "", fmt.Sprint(it.VCPU), fmt.Sprint(it.MemoryGiB), priceNum(&h))
		}
		for _, s := range serviceRows(t, code) {
			add(code, csvItem(s.service), "", csvItem(s.item), s.unit, "", "", "", "", priceNum(s.price))
		}
	}
	return g
}

func csvItem(s string) string {
	return strings.ToLower(strings.NewReplacer(" ", "_", ",", "", "/", "_").Replace(strings.TrimSpace(s)))
}
