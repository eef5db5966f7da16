package reports

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// notKnown stands for a price the table does not have: lambdacost never
// guesses one.
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
		return "first " + Num(*to, 0)
	case to == nil && from != nil:
		return "over " + Num(*from, 0)
	case from != nil && to != nil:
		return "next " + Num(to.Sub(*from), 0)
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

// PriceGrids are the table and Markdown views of the prices of regions
// (each must be in t.Lambda): per region a Lambda grid, an EC2 grid (when
// the table prices instances there) and an other-services grid; then the
// sources. A price the table lacks reads "not known".
func PriceGrids(t *pricing.PriceTable, regions []string) []Grid {
	var gs []Grid
	origin := t.Origin
	if origin == "" {
		origin = "embedded"
	}
	for _, code := range regions {
		r := t.Lambda[code]
		g := Grid{
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
		g.Rows = append(g.Rows, []string{"Free tier", "per month", fmt.Sprintf("%s requests + %s GB-s", Num(decimal.NewFromInt(t.FreeTier.Requests), 0), Num(decimal.NewFromInt(t.FreeTier.GBSeconds), 0)), "(shared)"})
		gs = append(gs, g)

		if its := t.Instances(code); len(its) > 0 {
			eg := Grid{
				Title:      "EC2 on-demand Linux · " + code,
				Header:     []string{"Instance type", "Architecture", "vCPU", "Memory (GiB)", "Per hour"},
				AlignRight: map[int]bool{2: true, 3: true, 4: true},
			}
			for _, it := range its {
				h := it.Hourly
				eg.Rows = append(eg.Rows, []string{it.Name, string(it.Architecture), fmt.Sprint(it.VCPU), Numf(it.MemoryGiB, 3), priceCell(&h)})
			}
			gs = append(gs, eg)
		}
		gs = append(gs, servicesGrid(t, code))
	}
	src := Grid{Title: "Sources · prices of " + t.Date, Header: []string{"ID", "Title", "URL"}}
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

func servicesGrid(t *pricing.PriceTable, code string) Grid {
	g := Grid{
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
		return "first " + Num(*to, 0) + "M"
	case to == nil:
		return "over " + Num(*tiers[i-1].UpToMillions, 0) + "M"
	default:
		return "next " + Num(to.Sub(*tiers[i-1].UpToMillions), 0) + "M"
	}
}

// PriceCSV is one tidy row per price: region, service, architecture, item,
// unit, tier bounds (GB-s for Lambda duration, millions for API Gateway),
// vCPU and memory for EC2, the USD price ("not known" when unknown) and the
// table's date.
func PriceCSV(t *pricing.PriceTable, regions []string) Grid {
	g := Grid{Header: []string{"region", "service", "architecture", "item", "unit", "tier_from", "tier_to", "vcpu", "memory_gib", "usd", "table_date"}}
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
