package pricelist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	pricingapi "github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/pricelist/pricelisttest"
)

// newPriceListStub starts the Price List stub on this package's fixtures.
func newPriceListStub(t testing.TB, fixtures string) (*pricelisttest.Stub, *httptest.Server) {
	return pricelisttest.New(t, fixtures, ServiceLambda, ServiceEC2)
}

// anonClient is the real SDK client pointed at the stub, unsigned.
func anonClient(url string) *pricingapi.Client {
	return pricingapi.New(pricingapi.Options{
		BaseEndpoint: aws.String(url),
		Credentials:  aws.AnonymousCredentials{},
		Region:       Region,
	})
}

func fixedNow() time.Time { return time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC) }

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func wantPrice(t *testing.T, what string, got *pricing.Price, want string) {
	t.Helper()
	if want == "" {
		if got != nil {
			t.Errorf("%s = %s, want not known", what, got)
		}
		return
	}
	if got == nil {
		t.Errorf("%s = not known, want %s", what, want)
		return
	}
	if !got.Equal(mustDec(want)) {
		t.Errorf("%s = %s, want %s", what, got, want)
	}
}

type wantTier struct{ upTo, price string }

func wantTiers(t *testing.T, what string, got []pricing.Tier, want []wantTier) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d tiers, want %d: %+v", what, len(got), len(want), got)
	}
	for i, w := range want {
		g := got[i]
		switch {
		case w.upTo == "" && g.UpTo != nil:
			t.Errorf("%s tier %d: up to %s, want unbounded", what, i+1, g.UpTo)
		case w.upTo != "" && (g.UpTo == nil || !g.UpTo.Equal(mustDec(w.upTo))):
			t.Errorf("%s tier %d: up to %v, want %s", what, i+1, g.UpTo, w.upTo)
		}
		wantPrice(t, fmt.Sprintf("%s tier %d", what, i+1), g.Price, w.price)
	}
}

// The expected values below are typed in from pricing-facts.md §1 (us-east-1
// Lambda), §6 (EC2) — the figures the fixtures carry — not from the code.
var (
	x86Tiers = []wantTier{{"6000000000", "0.0000166667"}, {"15000000000", "0.0000150000"}, {"", "0.0000133334"}}
	armTiers = []wantTier{{"7500000000", "0.0000133334"}, {"18750000000", "0.0000120001"}, {"", "0.0000106667"}}
)

func TestFetchFromStub(t *testing.T) {
	stub, srv := newPriceListStub(t, "testdata")
	var progress []int
	res, err := Fetch(context.Background(), anonClient(srv.URL), Options{
		Regions:       []string{"us-east-1", "us-west-2"},
		InstanceTypes: []string{"t3.micro", "m7g.large", "c7g.large"},
		Now:           fixedNow,
		Concurrency:   3,
		Progress:      func(done, total int) { progress = append(progress, done*100+total) },
	})
	if err != nil {
		t.Fatal(err)
	}
	tab := res.Table
	if tab.Date != "2026-12-01" {
		t.Errorf("date %q", tab.Date)
	}
	if len(tab.Sources) != 1 || tab.Sources[0].ID != SourceID || !strings.Contains(tab.Sources[0].Title, "publication 2026-11-20T18:02:11Z") {
		t.Errorf("sources %+v", tab.Sources)
	}
	if res.Publication != "2026-11-20T18:02:11Z" {
		t.Errorf("publication %q", res.Publication)
	}

	for _, region := range []string{"us-east-1", "us-west-2"} {
		r := tab.Lambda[region]
		if r == nil {
			t.Fatalf("%s not refreshed; notes %q", region, res.Notes)
		}
		for _, a := range pricing.Architectures {
			p := r.Arch(a)
			wantPrice(t, region+" "+string(a)+" requests per million", p.RequestsPerMillion, "0.20")
			wantPrice(t, region+" "+string(a)+" ephemeral", p.Ephemeral, "0.0000000309")
		}
		wantTiers(t, region+" x86_64 duration", r.X86.DurationTiers, x86Tiers)
		wantTiers(t, region+" arm64 duration", r.ARM.DurationTiers, armTiers)
		wantPrice(t, region+" x86 PC", r.X86.Provisioned, "0.0000041667")
		wantPrice(t, region+" arm PC", r.ARM.Provisioned, "0.0000033334")
		wantPrice(t, region+" x86 PC duration", r.X86.ProvisionedDuration, "0.0000097222")
		wantPrice(t, region+" arm PC duration", r.ARM.ProvisionedDuration, "0.0000077778")
		if !strings.HasPrefix(r.Source, "AWS Price List API, fetched 2026-12-01") {
			t.Errorf("%s source %q", region, r.Source)
		}
	}
	// Not in the Price List: kept from the embedded table, never invented.
	wantPrice(t, "us-east-1 x86 SnapStart cache (kept)", tab.Lambda["us-east-1"].X86.SnapStartCache, "0.0000015046")
	wantPrice(t, "us-west-2 x86 SnapStart cache", tab.Lambda["us-west-2"].X86.SnapStartCache, "")
	if n := tab.Lambda["us-east-1"].Name; n != "US East (N. Virginia)" {
		t.Errorf("name %q", n)
	}

	// EC2: on-demand Linux shared only; us-east-1 BoxUsage without prefix.
	for _, region := range []string{"us-east-1", "us-west-2"} {
		t3 := tab.EC2[region]["t3.micro"]
		if t3 == nil || !t3.Hourly.Equal(mustDec("0.0104")) || t3.VCPU != 2 || t3.MemoryGiB != 1 || t3.Architecture != pricing.X86_64 {
			t.Errorf("%s t3.micro = %+v, want 2 vCPU, 1 GiB, $0.0104/h, x86_64", region, t3)
		}
		m7g := tab.EC2[region]["m7g.large"]
		if m7g == nil || !m7g.Hourly.Equal(mustDec("0.0816")) || m7g.VCPU != 2 || m7g.MemoryGiB != 8 || m7g.Architecture != pricing.ARM64 {
			t.Errorf("%s m7g.large = %+v, want 2 vCPU, 8 GiB, $0.0816/h, arm64", region, m7g)
		}
		if _, ok := tab.EC2[region]["c7g.large"]; ok {
			t.Errorf("%s c7g.large present though the Price List has none", region)
		}
	}
	wantNote(t, res.Notes, "us-east-1 EC2 c7g.large: not in the Price List; not refreshed")
	wantNote(t, res.Notes, "us-west-2 EC2 c7g.large: not in the Price List; not refreshed")
	if len(res.Notes) != 2 {
		t.Errorf("notes %q, want only the two c7g.large ones", res.Notes)
	}

	// Wire: every query for the right service and region, paginated.
	calls := stub.Requests()
	if res.Calls != len(calls) {
		t.Errorf("Calls = %d, stub saw %d", res.Calls, len(calls))
	}
	pages := map[string]int{}
	for _, c := range calls {
		if c.FormatVersion != "aws_v1" || c.MaxResults != 100 {
			t.Errorf("request %+v", c)
		}
		if c.Auth != "" {
			t.Errorf("anonymous client sent Authorization %q", c.Auth)
		}
		key := c.ServiceCode + " " + c.Filter("regionCode") + " " + c.Filter("instanceType")
		pages[key]++
		if c.ServiceCode == ServiceEC2 && (c.Filter("operatingSystem") != "Linux" || c.Filter("tenancy") != "Shared" || c.Filter("preInstalledSw") != "NA" || c.Filter("capacitystatus") != "Used") {
			t.Errorf("EC2 filters %+v", c.Filters)
		}
	}
	// 12 us-east-1 Lambda products at 3 per page = 4 pages; the free-tier
	// products have no regionCode, so the regionCode filter leaves them out.
	if pages["AWSLambda us-east-1 "] != 4 || pages["AWSLambda us-west-2 "] != 4 {
		t.Errorf("Lambda pages %v, want 4 per region", pages)
	}
	if pages["AmazonEC2 us-east-1 t3.micro"] != 1 || len(pages) != 2+2*3 {
		t.Errorf("EC2 pages %v", pages)
	}
	if res.Products != 2*12+2*2 {
		t.Errorf("Products = %d, want %d", res.Products, 2*12+2*2)
	}
	if len(progress) != 2+2*3 || progress[len(progress)-1] != 808 {
		t.Errorf("progress %v", progress)
	}
}

// wantNote checks that a note containing s exists.
func wantNote(t *testing.T, notes []string, s string) {
	t.Helper()
	for _, n := range notes {
		if strings.Contains(n, s) {
			return
		}
	}
	t.Errorf("no note containing %q in %q", s, notes)
}

func TestRefreshedFileIsPickedUpByLoad(t *testing.T) {
	_, srv := newPriceListStub(t, "testdata")
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "prices.json")

	// Two updates into the same file: the second keeps the first's region.
	for _, region := range []string{"us-east-1", "us-west-2"} {
		res, err := Fetch(ctx, anonClient(srv.URL), Options{Regions: []string{region}, InstanceTypes: []string{"t3.micro"}, Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if err := WriteOverride(path, res.Table); err != nil {
			t.Fatal(err)
		}
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	over, err := pricing.ParseTable(raw)
	if err != nil {
		t.Fatal(err)
	}
	if len(over.Lambda) != 2 || len(over.Sources) != 1 {
		t.Errorf("override has regions %v and %d sources, want 2 regions and 1 source", over.Regions(), len(over.Sources))
	}

	// Before: the embedded table does not know us-west-2 arm tier 2.
	if p := pricing.Embedded().Lambda["us-west-2"].ARM.DurationTiers[1].Price; p != nil {
		t.Fatalf("embedded us-west-2 arm tier 2 is known (%s); pick another probe", p)
	}
	t.Setenv(pricing.EnvPriceFile, path)
	tab, err := pricing.Load()
	if err != nil {
		t.Fatal(err)
	}
	wantDate := max(pricing.Embedded().Date, "2026-12-01") // the newer date wins
	if tab.Origin != path || tab.Date != wantDate {
		t.Errorf("origin %q date %q", tab.Origin, tab.Date)
	}
	wantTiers(t, "loaded us-west-2 arm64", tab.Lambda["us-west-2"].ARM.DurationTiers, armTiers)
	// The refreshed prices name the Price List API as their source; the
	// others keep the embedded table's.
	if p := tab.Provenance["lambda/us-west-2/arm64/duration/tier2"]; p.Source != SourceID || p.Date != "2026-12-01" {
		t.Errorf("provenance of a refreshed price: %+v", p)
	}
	if p, q := tab.Provenance["lambda/eu-west-1/x86_64/requests"], pricing.Embedded().Provenance["lambda/eu-west-1/x86_64/requests"]; p != q {
		t.Errorf("provenance of a price not refreshed changed: %+v, was %+v", p, q)
	}
	if it, err := tab.Instance("us-west-2", "t3.micro"); err != nil || !it.Hourly.Equal(mustDec("0.0104")) {
		t.Errorf("us-west-2 t3.micro: %+v %v", it, err)
	}
	// Regions not refreshed still come from the embedded table.
	if _, err := tab.LambdaRegion("eu-west-1"); err != nil {
		t.Error(err)
	}
	// The engine uses the refreshed prices: 10B arm GB-s in us-west-2 cross
	// into tier 2: 7.5B × 0.0000133334 + 2.5B × 0.0000120001 = 100000.50 +
	// 30000.25 = 130000.75 (arithmetic by hand from the tier prices).
	bill, err := tab.LambdaBill("us-west-2", []pricing.Item{{
		Function: pricing.FunctionConfig{MemoryMB: 1024, Architecture: pricing.ARM64},
		Usage:    pricing.BilledUsage{OnDemandMs: 10_000_000_000_000},
	}}, pricing.Options{})
	if err != nil {
		t.Fatalf("bill with refreshed prices: %v", err)
	}
	if got := bill.Cost.Total.StringFixed(2); got != "130000.75" {
		t.Errorf("bill total %s, want 130000.75", got)
	}

	// LoadFile reads the same file without the environment.
	t.Setenv(pricing.EnvPriceFile, "")
	lf, err := LoadFile(path)
	if err != nil || lf.Origin != path {
		t.Fatalf("LoadFile: %v", err)
	}
	wantTiers(t, "LoadFile us-west-2 arm64", lf.Lambda["us-west-2"].ARM.DurationTiers, armTiers)
}

func TestFetchAPIError(t *testing.T) {
	stub, srv := newPriceListStub(t, "testdata")
	stub.Fail = func(r pricelisttest.Request) (int, string, string, bool) {
		return 400, "InvalidParameterException", "Input parameters are invalid. Check the region code.", r.Filter("regionCode") == "eu-west-1"
	}
	_, err := Fetch(context.Background(), anonClient(srv.URL), Options{Regions: []string{"us-east-1", "eu-west-1"}, InstanceTypes: []string{"t3.micro"}})
	var xe *pricing.ExternalError
	if !errors.As(err, &xe) {
		t.Fatalf("err = %v (%T), want *ExternalError", err, err)
	}
	for _, s := range []string{"GetProducts", "eu-west-1", "InvalidParameterException", "Check the region code"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

func TestFetchCanceled(t *testing.T) {
	_, srv := newPriceListStub(t, "testdata")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Fetch(ctx, anonClient(srv.URL), Options{Regions: []string{"us-east-1"}, InstanceTypes: []string{"t3.micro"}})
	var xe *pricing.ExternalError
	if !errors.Is(err, context.Canceled) || errors.As(err, &xe) {
		t.Fatalf("err = %v, want context.Canceled (not an AWS failure)", err)
	}
}

func TestFetchCorruptItem(t *testing.T) {
	stub, srv := newPriceListStub(t, "testdata")
	stub.Corrupt = func(r pricelisttest.Request, item string) string {
		if r.ServiceCode == ServiceLambda {
			return item[:len(item)/2]
		}
		return item
	}
	_, err := Fetch(context.Background(), anonClient(srv.URL), Options{Regions: []string{"us-east-1"}, InstanceTypes: []string{"t3.micro"}})
	var xe *pricing.ExternalError
	if !errors.As(err, &xe) || !strings.Contains(err.Error(), "not a product record") {
		t.Fatalf("err = %v, want an ExternalError about the record", err)
	}
}

func TestFetchBadRegion(t *testing.T) {
	_, err := Fetch(context.Background(), nil, Options{Regions: []string{"us-east-1", "mars-1", "US-EAST-1"}})
	var ie *pricing.InputError
	if !errors.As(err, &ie) || ie.Source != "--region" {
		t.Fatalf("err = %v, want an InputError naming --region", err)
	}
	if !strings.Contains(err.Error(), "mars-1") || !strings.Contains(err.Error(), "US-EAST-1") {
		t.Errorf("error %q should list every bad region", err)
	}
}

func TestFetchUnknownRegion(t *testing.T) {
	_, srv := newPriceListStub(t, "testdata")
	_, err := Fetch(context.Background(), anonClient(srv.URL), Options{Regions: []string{"xx-nowhere-9"}, InstanceTypes: []string{"t3.micro"}})
	var ie *pricing.InputError
	if !errors.As(err, &ie) || ie.Source != "--region" || !strings.Contains(err.Error(), "xx-nowhere-9") {
		t.Fatalf("err = %v, want an InputError naming --region and the region", err)
	}
}

// TestNewClientEndpointFromEnv checks that the client built from
// the standard AWS configuration honours AWS_ENDPOINT_URL_PRICING, signs with
// the chain's credentials for service "pricing" in us-east-1 whatever
// AWS_REGION says.
func TestNewClientEndpointFromEnv(t *testing.T) {
	stub, srv := newPriceListStub(t, "testdata")
	pricelisttest.UseEnv(t, srv.URL)
	t.Setenv("AWS_REGION", "eu-west-1")
	c, err := NewClient(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Fetch(context.Background(), c, Options{Regions: []string{"us-west-2"}, InstanceTypes: []string{"m7g.large"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Table.Lambda["us-west-2"] == nil {
		t.Fatal("us-west-2 not refreshed")
	}
	for _, c := range stub.Requests() {
		if !strings.HasPrefix(c.Auth, "AWS4-HMAC-SHA256 Credential=AKIDLAMBDACOSTTEST/") || !strings.Contains(c.Auth, "/us-east-1/pricing/aws4_request") {
			t.Fatalf("Authorization %q: want SigV4 for pricing in us-east-1", c.Auth)
		}
	}
}

func TestUsageTypeMatches(t *testing.T) {
	tests := []struct {
		usagetype, suffix string
		want              bool
	}{
		{"Lambda-GB-Second", "Lambda-GB-Second", true},                   // us-east-1: no prefix
		{"USW2-Lambda-GB-Second", "Lambda-GB-Second", true},              // prefixed region
		{"APN1-Lambda-GB-Second-ARM", "Lambda-GB-Second-ARM", true},      // arm
		{"EU-BoxUsage:t3.micro", "BoxUsage:t3.micro", true},              // two-letter prefix
		{"BoxUsage:t3.micro", "BoxUsage:t3.micro", true},                 // us-east-1 EC2
		{"USW2-Lambda-GB-Second-ARM", "Lambda-GB-Second", false},         // arm is not x86
		{"Lambda-GB-Second-ARM", "Lambda-GB-Second", false},              // idem, no prefix
		{"Global-Lambda-GB-Second", "Lambda-GB-Second", false},           // free tier
		{"Global-Request", "Request", false},                             // free tier
		{"APN1-Lambda-Edge-GB-Second", "Lambda-GB-Second", false},        // Lambda@Edge
		{"Lambda-Edge-Request", "Request", false},                        // Lambda@Edge, us-east-1
		{"USE2-Lambda-Provisioned-GB-Second", "Lambda-GB-Second", false}, // PC duration
		{"USW2-DedicatedUsage:t3.micro", "BoxUsage:t3.micro", false},     // not shared tenancy
		{"USW2-BoxUsage:t3.micro.large", "BoxUsage:t3.micro", false},
	}
	for _, tt := range tests {
		if got := UsageTypeMatches(tt.usagetype, tt.suffix); got != tt.want {
			t.Errorf("UsageTypeMatches(%q, %q) = %v, want %v", tt.usagetype, tt.suffix, got, tt.want)
		}
	}
}

func TestTiersValidation(t *testing.T) {
	dim := func(b, e, usd string) priceDimension {
		return priceDimension{Unit: "Lambda-GB-Second", BeginRange: b, EndRange: e, PricePerUnit: map[string]string{"USD": usd}}
	}
	tests := []struct {
		name    string
		dims    []priceDimension
		wantErr string
		want    []wantTier
	}{
		{"single unbounded", []priceDimension{dim("0", "Inf", "0.0000166667")}, "", []wantTier{{"", "0.0000166667"}}},
		{"three tiers", []priceDimension{dim("0", "6000000000", "0.0000166667"), dim("6000000000", "15000000000", "0.0000150000"), dim("15000000000", "Inf", "0.0000133334")}, "", x86Tiers},
		{"gap", []priceDimension{dim("0", "6000000000", "1"), dim("7000000000", "Inf", "1")}, "tier 2 begins at 7000000000", nil},
		{"not from zero", []priceDimension{dim("100", "Inf", "1")}, "tier 1 begins at 100", nil},
		{"bounded last", []priceDimension{dim("0", "6000000000", "1")}, "want Inf", nil},
		{"inf not last", []priceDimension{dim("0", "Inf", "1"), dim("0", "Inf", "2")}, "", nil},
		{"no USD", []priceDimension{{BeginRange: "0", EndRange: "Inf", PricePerUnit: map[string]string{"CNY": "1"}}}, "no USD price", nil},
		{"negative", []priceDimension{dim("0", "Inf", "-1")}, "negative price", nil},
		{"empty", nil, "no price dimensions", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a pricing.ArchPrices
			err := durationTiersFrom(&a, tt.dims)
			if tt.want != nil {
				if err != nil {
					t.Fatal(err)
				}
				wantTiers(t, tt.name, a.DurationTiers, tt.want)
				return
			}
			if err == nil {
				t.Fatalf("no error, tiers %+v", a.DurationTiers)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("error %q, want %q", err, tt.wantErr)
			}
		})
	}
}

// TestLambdaRegionIgnoresFreeTierAndEdge feeds the record classifier every
// fixture product, free tier and Lambda@Edge included, with the free-tier
// products given the region's code — as if the API's regionCode filter let
// them through — and checks that none of them leaks into the prices.
func TestLambdaRegionIgnoresFreeTierAndEdge(t *testing.T) {
	b, err := os.ReadFile("testdata/AWSLambda.json")
	if err != nil {
		t.Fatal(err)
	}
	var recs []priceListProduct
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatal(err)
	}
	var use1 []priceListProduct
	free := 0
	for _, r := range recs {
		at := r.Product.Attributes
		if at["location"] == "Any" {
			at["regionCode"] = "us-east-1"
			free++
		}
		if at["regionCode"] == "us-east-1" {
			use1 = append(use1, r)
		}
	}
	if free != 2 {
		t.Fatalf("fixture has %d free-tier products, want 2", free)
	}
	r, notes := lambdaRegionFrom("us-east-1", use1, nil, "2026-12-01")
	if r == nil {
		t.Fatalf("no region; notes %q", notes)
	}
	if len(notes) != 0 {
		t.Errorf("notes %q", notes)
	}
	wantTiers(t, "x86", r.X86.DurationTiers, x86Tiers)
	wantPrice(t, "x86 requests", r.X86.RequestsPerMillion, "0.20")
	wantPrice(t, "SnapStart (nothing to keep from)", r.X86.SnapStartCache, "")

	// Two products for one price: ambiguous, so nothing is taken.
	dup := append(append([]priceListProduct(nil), use1...), use1[0])
	r, notes = lambdaRegionFrom("us-east-1", dup, nil, "2026-12-01")
	wantPrice(t, "ambiguous requests", r.X86.RequestsPerMillion, "")
	if len(notes) != 1 || !strings.Contains(notes[0], "2 Price List products match") {
		t.Errorf("notes %q", notes)
	}
}

// BenchmarkFetch measures a refresh of two regions (Lambda plus every
// embedded EC2 instance type) through the real SDK client against the
// loopback stub: SDK, wire and parsing cost, without AWS's latency.
func BenchmarkFetch(b *testing.B) {
	_, srv := newPriceListStub(b, "testdata")
	c := anonClient(srv.URL)
	b.ReportAllocs()
	calls := 0
	for b.Loop() {
		res, err := Fetch(context.Background(), c, Options{Regions: []string{"us-east-1", "us-west-2"}, Now: fixedNow})
		if err != nil {
			b.Fatal(err)
		}
		calls = res.Calls
	}
	b.ReportMetric(float64(calls), "calls/op")
}

// TestLambdaDurationTiersAcrossProducts: tiers published as one product
// per tier read the same as one product with three dimensions; the same
// product twice overlaps and is refused (the previous tiers are kept).
func TestLambdaDurationTiersAcrossProducts(t *testing.T) {
	b, err := os.ReadFile("testdata/AWSLambda.json")
	if err != nil {
		t.Fatal(err)
	}
	var recs []priceListProduct
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatal(err)
	}
	var others []priceListProduct
	var dur priceListProduct
	for _, r := range recs {
		at := r.Product.Attributes
		switch {
		case at["regionCode"] != "us-east-1":
		case at["group"] == "AWS-Lambda-Duration":
			dur = r
		default:
			others = append(others, r)
		}
	}
	// Split: one product per price dimension.
	split := append([]priceListProduct(nil), others...)
	for _, term := range dur.Terms.OnDemand {
		for rc, dim := range term.PriceDimensions {
			var p priceListProduct
			if err := json.Unmarshal(mustJSON(t, dur), &p); err != nil {
				t.Fatal(err)
			}
			p.Product.SKU = rc
			for k, tm := range p.Terms.OnDemand {
				tm.PriceDimensions = map[string]priceDimension{rc: dim}
				p.Terms.OnDemand[k] = tm
			}
			split = append(split, p)
		}
	}
	r, notes := lambdaRegionFrom("us-east-1", split, nil, "2026-12-01")
	if len(notes) != 0 {
		t.Errorf("notes %q", notes)
	}
	wantTiers(t, "split x86", r.X86.DurationTiers, x86Tiers)

	// Twice the same product: refused, previous (embedded) tiers kept.
	prev := pricing.Embedded().Lambda["us-east-1"]
	twice := append(append([]priceListProduct(nil), others...), dur, dur)
	r, notes = lambdaRegionFrom("us-east-1", twice, prev, "2026-12-01")
	if len(notes) != 1 || !strings.Contains(notes[0], "x86_64 duration_tiers: product TG3M4CAGBA3NYQBH+TG3M4CAGBA3NYQBH unusable: tier 2 begins at 0") || !strings.Contains(notes[0], "kept from the previous table") {
		t.Errorf("notes %q", notes)
	}
	wantTiers(t, "kept x86", r.X86.DurationTiers, x86Tiers)
	if !strings.Contains(r.Source, "others: "+prev.Source) {
		t.Errorf("source %q should name where the kept prices come from", r.Source)
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestWriteOverrideRefusesToClobberAForeignFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "prices.json")
	foreign := []byte(`{"version": 3, "something": "else"}`)
	if err := os.WriteFile(path, foreign, 0o600); err != nil {
		t.Fatal(err)
	}
	fresh := &pricing.PriceTable{Date: "2026-12-01", Currency: "USD"}
	err := WriteOverride(path, fresh)
	var ie *pricing.InputError
	if !errors.As(err, &ie) || ie.Source != path {
		t.Fatalf("err = %v, want an InputError naming %s", err, path)
	}
	if b, _ := os.ReadFile(path); string(b) != string(foreign) {
		t.Errorf("foreign file was changed: %s", b)
	}
	// A new file is created readable (0644), with its directory.
	path2 := filepath.Join(t.TempDir(), "a", "b", "prices.json")
	if err := WriteOverride(path2, fresh); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path2); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("stat %v %v", fi, err)
	}
}
