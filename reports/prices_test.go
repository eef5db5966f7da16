package reports

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

func dp(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }

func TestPriceCell(t *testing.T) {
	for _, c := range []struct {
		in        *pricing.Price
		cell, num string
	}{
		{nil, "not known", "not known"},
		{dp("0.2"), "$0.20", "0.2"},
		{dp("3"), "$3.00", "3"},
		{dp("0.0000166667"), "$0.0000166667", "0.0000166667"},
		{dp("0.13"), "$0.13", "0.13"},
	} {
		if got := priceCell(c.in); got != c.cell {
			t.Errorf("priceCell(%v) = %q, want %q", c.in, got, c.cell)
		}
		if got := priceNum(c.in); got != c.num {
			t.Errorf("priceNum(%v) = %q, want %q", c.in, got, c.num)
		}
	}
}

func TestTierRanges(t *testing.T) {
	// AWS's published duration tiers: first 6 billion GB-s, next 9 billion,
	// over 15 billion (https://aws.amazon.com/lambda/pricing/).
	tiers := []pricing.Tier{{UpTo: dp("6000000000")}, {UpTo: dp("15000000000")}, {}}
	for i, want := range []string{"first 6,000,000,000", "next 9,000,000,000", "over 15,000,000,000", "not known"} {
		if got := tierRange(tiers, i); got != want {
			t.Errorf("tierRange(%d) = %q, want %q", i, got, want)
		}
	}
	if got := tierRange([]pricing.Tier{{}}, 0); got != "all" {
		t.Errorf("single unbounded tier: %q", got)
	}
	// API Gateway REST: first 333 million, next 667 million, next 19
	// billion, over 20 billion.
	m := []pricing.MillionTier{{UpToMillions: dp("333")}, {UpToMillions: dp("1000")}, {UpToMillions: dp("20000")}, {}}
	for i, want := range []string{"first 333M", "next 667M", "next 19,000M", "over 20,000M"} {
		if got := millionTierRange(m, i); got != want {
			t.Errorf("millionTierRange(%d) = %q, want %q", i, got, want)
		}
	}
	if got := millionTierRange([]pricing.MillionTier{{}}, 0); got != "all requests" {
		t.Errorf("single unbounded request tier: %q", got)
	}
}

func TestCSVItem(t *testing.T) {
	for in, want := range map[string]string{
		"Provisioned ESM, Kafka":         "provisioned_esm_kafka",
		" API Gateway REST ":             "api_gateway_rest",
		"Savings Plan / RI":              "savings_plan___ri",
		"CloudWatch Logs (Lambda logs)":  "cloudwatch_logs_(lambda_logs)",
		"throughput above 125 MB/s":      "throughput_above_125_mb_s",
		"Ephemeral storage above 512 MB": "ephemeral_storage_above_512_mb",
	} {
		if got := csvItem(in); got != want {
			t.Errorf("csvItem(%q) = %q, want %q", in, got, want)
		}
	}
}

// handPrices is one region with only what a test names: Lambda x86_64
// requests and two duration tiers, arm64 without prices, one EC2 type,
// an ALB, and no Fargate, API Gateway, EBS, logs or transfer prices.
func handPrices() *pricing.PriceTable {
	t := pricing.NewPriceTable()
	t.Date, t.Origin = "2026-11-01", ""
	t.FreeTier = pricing.FreeTier{Requests: 1_000_000, GBSeconds: 400_000}
	t.Sources = []pricing.Source{{ID: "lambda", Title: "AWS Lambda pricing", URL: "https://aws.amazon.com/lambda/pricing/"}}
	t.Lambda["xx-test-1"] = &pricing.LambdaRegion{Name: "Test", X86: &pricing.ArchPrices{
		RequestsPerMillion: dp("0.2"),
		DurationTiers:      []pricing.Tier{{UpTo: dp("6000000000"), Price: dp("0.0000166667")}, {Price: dp("0.000015")}},
	}, ARM: &pricing.ArchPrices{}}
	t.EC2["xx-test-1"] = map[string]*pricing.InstanceType{"m7g.large": {Name: "m7g.large", VCPU: 2, MemoryGiB: 8, Hourly: *dp("0.0816"), Architecture: pricing.ARM64}}
	t.ALB["xx-test-1"] = &pricing.ALBPrices{Hour: *dp("0.0225"), LCUHour: *dp("0.008")}
	return t
}

func TestPriceGrids(t *testing.T) {
	gs := PriceGrids(handPrices(), []string{"xx-test-1"})
	if len(gs) != 4 {
		t.Fatalf("%d grids, want Lambda, EC2, other services, sources", len(gs))
	}
	if want := "Lambda prices · xx-test-1 · Test · table of 2026-11-01, embedded"; gs[0].Title != want {
		t.Errorf("title %q, want %q", gs[0].Title, want)
	}
	rows := map[string][]string{}
	for _, r := range gs[0].Rows {
		rows[r[0]] = r
	}
	for label, want := range map[string][]string{
		"Requests":         {"Requests", "per 1M requests", "$0.20", "not known"},
		"Duration, tier 2": {"Duration, tier 2", "per GB-s", "$0.000015", "not known"},
		"  tier 1 covers":  {"  tier 1 covers", "GB-s per month", "first 6,000,000,000", "not known"},
		"  tier 2 covers":  {"  tier 2 covers", "GB-s per month", "over 6,000,000,000", "not known"},
		"SnapStart cache":  {"SnapStart cache", "per GB-s", "not known", "not known"},
		"Free tier":        {"Free tier", "per month", "1,000,000 requests + 400,000 GB-s", "(shared)"},
	} {
		if !reflect.DeepEqual(rows[label], want) {
			t.Errorf("row %q = %q, want %q", label, rows[label], want)
		}
	}
	if want := [][]string{{"m7g.large", "arm64", "2", "8", "$0.0816"}}; !reflect.DeepEqual(gs[1].Rows, want) {
		t.Errorf("EC2 rows %q, want %q", gs[1].Rows, want)
	}
	svc := map[string]string{}
	for _, r := range gs[2].Rows {
		svc[r[0]+"|"+r[1]] = r[3]
	}
	for k, want := range map[string]string{"Fargate|": "not known", "ALB|load balancer": "$0.0225", "ALB|LCU": "$0.008", "API Gateway|": "not known",
		"EBS|": "not known", "CloudWatch Logs (Lambda logs)|": "not known", "Data transfer out|": "not known"} {
		if svc[k] != want {
			t.Errorf("service %q = %q, want %q (all: %v)", k, svc[k], want, svc)
		}
	}
	if gs[3].Rows[0][2] != "https://aws.amazon.com/lambda/pricing/" {
		t.Errorf("sources %q", gs[3].Rows)
	}
}

func TestPriceCSV(t *testing.T) {
	g := PriceCSV(handPrices(), []string{"xx-test-1"})
	if len(g.Header) != 11 || g.Header[9] != "usd" {
		t.Fatalf("header %q", g.Header)
	}
	find := func(service, arch, item string) []string {
		for _, r := range g.Rows {
			if r[1] == service && r[2] == arch && r[3] == item {
				return r
			}
		}
		return nil
	}
	for _, c := range []struct {
		service, arch, item string
		want                []string
	}{
		{"lambda", "x86_64", "duration_tier_1", []string{"xx-test-1", "lambda", "x86_64", "duration_tier_1", "per GB-s", "0", "6000000000", "", "", "0.0000166667", "2026-11-01"}},
		{"lambda", "x86_64", "duration_tier_2", []string{"xx-test-1", "lambda", "x86_64", "duration_tier_2", "per GB-s", "6000000000", "", "", "", "0.000015", "2026-11-01"}},
		{"lambda", "arm64", "requests", []string{"xx-test-1", "lambda", "arm64", "requests", "per 1M requests", "", "", "", "", "not known", "2026-11-01"}},
		{"lambda", "arm64", "provisioned_esm_kafka", []string{"xx-test-1", "lambda", "arm64", "provisioned_esm_kafka", "per EPU-hour", "", "", "", "", "not known", "2026-11-01"}},
		{"ec2", "arm64", "m7g.large", []string{"xx-test-1", "ec2", "arm64", "m7g.large", "per hour", "", "", "2", "8", "0.0816", "2026-11-01"}},
		{"alb", "", "lcu", []string{"xx-test-1", "alb", "", "lcu", "per LCU-hour", "", "", "", "", "0.008", "2026-11-01"}},
		{"fargate", "", "", []string{"xx-test-1", "fargate", "", "", "", "", "", "", "", "not known", "2026-11-01"}},
	} {
		if got := find(c.service, c.arch, c.item); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s/%s/%s: %q, want %q", c.service, c.arch, c.item, got, c.want)
		}
	}
	for _, r := range g.Rows {
		if strings.ContainsAny(r[3], " ,") {
			t.Errorf("item %q is not a CSV identifier", r[3])
		}
	}
}
