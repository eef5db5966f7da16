// Package pricelist refreshes lambdacost's price table from the AWS Price
// List Query API. It is kept out of package pricing so that the domain model
// and the cost engine do not link the AWS SDK.
//
// The Price List API (service code "pricing", only served from us-east-1,
// eu-central-1 and ap-south-1) answers GetProducts with one JSON document per
// product, each sent as a JSON *string* inside the PriceList array. A product
// has attributes (regionCode, group, usagetype, instanceType, ...) and terms;
// the on-demand price is at
//
//	terms.OnDemand.<sku>.<offerTermCode>.priceDimensions.<rateCode>.pricePerUnit.USD
//
// Lambda products are told apart by two attributes together (see the AWSLambda offer file,
// https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSLambda/current/index.json):
//
//   - group, e.g. AWS-Lambda-Duration or AWS-Lambda-Duration-ARM, and
//   - usagetype, a region prefix plus a suffix such as Lambda-GB-Second-ARM.
//     us-east-1 has NO prefix ("Lambda-GB-Second"); other regions have one
//     ("USW2-Lambda-GB-Second", "EU-BoxUsage:t3.micro"). The free tier comes
//     as separate products with location "Any" and usagetypes such as
//     "Global-Request"; the prefix rule below never matches them.
//
// Tiered duration is one product with several price dimensions, each with
// beginRange/endRange in GB-s ("0"–"6000000000", …, "15000000000"–"Inf");
// tiers split over several products are read the same way, and together
// they must cover 0 to Inf without gaps or overlaps.
//
// Nothing is guessed: a price the API does not return keeps the value it had
// in the table the update started from (which names its own source), and
// every such gap is listed in Result.Notes.
package pricelist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	pricingapi "github.com/aws/aws-sdk-go-v2/service/pricing"
	pltypes "github.com/aws/aws-sdk-go-v2/service/pricing/types"
	"github.com/aws/smithy-go/logging"
	"github.com/shopspring/decimal"
	"golang.org/x/sync/errgroup"

	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
)

// Region is the region whose Price List API endpoint lambdacost
// calls (the API is global; its endpoints live in a few regions only).
const Region = "us-east-1"

// SourceID is the pricing.Source ID of prices read from the Price List API.
const SourceID = "PRICE-LIST-API"

// Service codes of the Price List API that the update reads.
const (
	ServiceLambda = "AWSLambda"
	ServiceEC2    = "AmazonEC2"
)

// API is the part of the AWS Price List Query API client that the
// update needs. *pricingapi.Client (aws-sdk-go-v2 service/pricing) satisfies it.
type API interface {
	GetProducts(ctx context.Context, in *pricingapi.GetProductsInput, optFns ...func(*pricingapi.Options)) (*pricingapi.GetProductsOutput, error)
}

// NewClient returns a Price List API client configured from the
// standard AWS chain (environment, profiles, SSO; AWS_ENDPOINT_URL_PRICING
// and AWS_ENDPOINT_URL are honoured), always in Region.
func NewClient(ctx context.Context) (*pricingapi.Client, error) {
	cfg, err := config.LoadDefaultConfig(ctx, config.WithRegion(Region), config.WithLogger(logging.Nop{}))
	if err != nil {
		return nil, &pricing.ExternalError{Op: "loading AWS configuration", Err: err}
	}
	return pricingapi.NewFromConfig(cfg), nil
}

// Options say what to refresh.
type Options struct {
	// Regions whose Lambda and EC2 prices are fetched. Required.
	Regions []string
	// InstanceTypes are the EC2 instance types fetched in every region. Empty
	// means the types the base table lists in any region.
	InstanceTypes []string
	// Base is the table the update starts from: prices the API does not
	// return keep their value (and source) from it. Nil means pricing.Embedded().
	Base *pricing.PriceTable
	// Now stamps the refreshed table's date; nil means time.Now.
	Now func() time.Time
	// Concurrency caps parallel API calls; 0 means 4.
	Concurrency int
	// Progress, if set, is called after each finished query (done of total).
	// It may be called from several goroutines, one call at a time.
	Progress func(done, total int)
}

// Result is what an update fetched.
type Result struct {
	// Table holds only the refreshed regions and instance types, ready to be
	// written as an override file (see WriteOverride) and merged by pricing.Load.
	Table *pricing.PriceTable
	// Products is the number of Price List records read; Calls the number
	// of GetProducts requests made (pages included).
	Products int
	Calls    int
	// Publication is the newest publicationDate seen in the records.
	Publication string
	// Notes lists every price the API did not give (kept from the base
	// table or left unknown) and every record that could not be used.
	Notes []string
}

// RegionCodePattern is the shape of an AWS region code (e.g. us-east-1).
var RegionCodePattern = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]+$`)

// Fetch queries the Price List API for the Lambda and EC2 prices of
// opts.Regions and returns them as a price table. API and network failures
// are *pricing.ExternalError; bad options are *pricing.InputError.
func Fetch(ctx context.Context, api API, opts Options) (*Result, error) {
	if len(opts.Regions) == 0 {
		return nil, pricing.Inputf("--region", "no region to update")
	}
	var bad []error
	for _, r := range opts.Regions {
		if !RegionCodePattern.MatchString(r) {
			bad = append(bad, pricing.Inputf("--region", "%q is not an AWS region code (e.g. us-east-1)", r))
		}
	}
	if err := pricing.Errors(bad); err != nil {
		return nil, err
	}
	base := opts.Base
	if base == nil {
		base = pricing.Embedded()
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	types := opts.InstanceTypes
	if len(types) == 0 {
		seen := map[string]bool{}
		for _, m := range base.EC2 {
			for name := range m {
				if !seen[name] {
					seen[name] = true
					types = append(types, name)
				}
			}
		}
		sort.Strings(types)
	}
	limit := opts.Concurrency
	if limit <= 0 {
		limit = 4
	}

	type query struct {
		service, region, instanceType string
	}
	var queries []query
	for _, r := range opts.Regions {
		queries = append(queries, query{ServiceLambda, r, ""})
		for _, it := range types {
			queries = append(queries, query{ServiceEC2, r, it})
		}
	}
	records := make([][]priceListProduct, len(queries))
	var mu sync.Mutex
	res := &Result{}
	done := 0
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i, q := range queries {
		g.Go(func() error {
			filters := map[string]string{"regionCode": q.region}
			if q.service == ServiceEC2 {
				filters["instanceType"] = q.instanceType
				filters["operatingSystem"] = "Linux"
				filters["tenancy"] = "Shared"
				filters["preInstalledSw"] = "NA"
				filters["capacitystatus"] = "Used"
			}
			recs, calls, err := getProducts(gctx, api, q.service, filters)
			if err != nil {
				return err
			}
			records[i] = recs
			mu.Lock()
			res.Calls += calls
			res.Products += len(recs)
			done++
			if opts.Progress != nil {
				opts.Progress(done, len(queries))
			}
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err() // interrupted, not an AWS failure
		}
		return nil, err
	}

	out := &pricing.PriceTable{
		Date:        now().UTC().Format("2006-01-02"),
		Currency:    "USD",
		Description: "Prices refreshed by `lambdacost pricing --update` from the AWS Price List API; merged over the embedded table.",
		FreeTier:    base.FreeTier,
		Lambda:      map[string]*pricing.LambdaRegion{},
		EC2:         map[string]map[string]*pricing.InstanceType{},
		Provenance:  map[string]pricing.PriceSource{},
	}
	for i, q := range queries {
		for _, p := range records[i] {
			if p.PublicationDate > res.Publication {
				res.Publication = p.PublicationDate
			}
		}
		switch q.service {
		case ServiceLambda:
			region, notes := lambdaRegionFrom(q.region, records[i], base.Lambda[q.region], out.Date)
			res.Notes = append(res.Notes, notes...)
			if region != nil {
				out.Lambda[q.region] = region
				// Provenance of the prices the API gave (the others keep
				// theirs from the base table when merged).
				if got, _ := lambdaRegionFrom(q.region, records[i], nil, out.Date); got != nil {
					for k := range lambdaProvenanceKeys(q.region, got) {
						out.Provenance[k] = pricing.PriceSource{Source: SourceID, Date: out.Date}
					}
				}
			}
		case ServiceEC2:
			it, note := instanceFrom(q.region, q.instanceType, records[i], base)
			if note != "" {
				res.Notes = append(res.Notes, note)
			}
			if it != nil {
				if out.EC2[q.region] == nil {
					out.EC2[q.region] = map[string]*pricing.InstanceType{}
				}
				out.EC2[q.region][q.instanceType] = it
				out.Provenance["ec2/"+q.region+"/"+q.instanceType] = pricing.PriceSource{Source: SourceID, Date: out.Date}
			}
		}
	}
	if len(out.Lambda) == 0 && len(out.EC2) == 0 {
		return nil, pricing.Inputf("--region", "the AWS Price List has no Lambda or EC2 prices for %s", strings.Join(opts.Regions, ", "))
	}
	title := "AWS Price List API GetProducts (AWSLambda, AmazonEC2), fetched " + out.Date
	if res.Publication != "" {
		title += ", publication " + res.Publication
	}
	out.Sources = []pricing.Source{{ID: SourceID, Title: title, URL: "https://api.pricing.us-east-1.amazonaws.com"}}
	res.Table = out
	return res, nil
}

// getProducts reads every page of one GetProducts query.
func getProducts(ctx context.Context, api API, service string, filters map[string]string) ([]priceListProduct, int, error) {
	in := &pricingapi.GetProductsInput{
		ServiceCode:   aws.String(service),
		FormatVersion: aws.String("aws_v1"),
		MaxResults:    aws.Int32(100),
	}
	fields := make([]string, 0, len(filters))
	for f := range filters {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		in.Filters = append(in.Filters, pltypes.Filter{Field: aws.String(f), Type: pltypes.FilterTypeTermMatch, Value: aws.String(filters[f])})
	}
	op := fmt.Sprintf("AWS Price List GetProducts %s %s", service, filters["regionCode"])
	if it := filters["instanceType"]; it != "" {
		op += " " + it
	}
	var out []priceListProduct
	calls := 0
	p := pricingapi.NewGetProductsPaginator(api, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		calls++
		if err != nil {
			return nil, calls, &pricing.ExternalError{Op: op, Err: err}
		}
		for i, s := range page.PriceList {
			var rec priceListProduct
			if err := json.Unmarshal([]byte(s), &rec); err != nil {
				return nil, calls, &pricing.ExternalError{Op: op, Err: fmt.Errorf("PriceList item %d of page %d is not a product record: %w", i, calls, err)}
			}
			out = append(out, rec)
		}
	}
	return out, calls, nil
}

// priceListProduct is one decoded PriceList item (FormatVersion aws_v1).
type priceListProduct struct {
	Product struct {
		ProductFamily string            `json:"productFamily"`
		Attributes    map[string]string `json:"attributes"`
		SKU           string            `json:"sku"`
	} `json:"product"`
	ServiceCode string `json:"serviceCode"`
	Terms       struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]priceDimension `json:"priceDimensions"`
			EffectiveDate   string                    `json:"effectiveDate"`
		} `json:"OnDemand"`
	} `json:"terms"`
	Version         string `json:"version"`
	PublicationDate string `json:"publicationDate"`
}

type priceDimension struct {
	Unit         string            `json:"unit"`
	BeginRange   string            `json:"beginRange"`
	EndRange     string            `json:"endRange"`
	Description  string            `json:"description"`
	PricePerUnit map[string]string `json:"pricePerUnit"`
}

// dimensions returns the on-demand price dimensions of a product, sorted by
// beginRange.
func (p *priceListProduct) dimensions() ([]priceDimension, error) {
	return dimensionsOf([]*priceListProduct{p})
}

// dimensionsOf returns the on-demand price dimensions of several products
// together, sorted by beginRange (tiers published as one product or as one
// product per tier read the same).
func dimensionsOf(ps []*priceListProduct) ([]priceDimension, error) {
	var dims []priceDimension
	for _, p := range ps {
		for _, term := range p.Terms.OnDemand {
			for _, d := range term.PriceDimensions {
				dims = append(dims, d)
			}
		}
	}
	begins := make([]decimal.Decimal, len(dims))
	for i, d := range dims {
		b, err := decimal.NewFromString(orZero(d.BeginRange))
		if err != nil {
			return nil, fmt.Errorf("beginRange %q: %v", d.BeginRange, err)
		}
		begins[i] = b
	}
	idx := make([]int, len(dims))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return begins[idx[a]].LessThan(begins[idx[b]]) })
	sorted := make([]priceDimension, len(dims))
	for i, j := range idx {
		sorted[i] = dims[j]
	}
	return sorted, nil
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// usd parses a dimension's USD price.
func (d priceDimension) usd() (decimal.Decimal, error) {
	s, ok := d.PricePerUnit["USD"]
	if !ok {
		return decimal.Decimal{}, errors.New("no USD price")
	}
	v, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("price %q: %v", s, err)
	}
	if v.IsNegative() {
		return decimal.Decimal{}, fmt.Errorf("negative price %q", s)
	}
	return v, nil
}

// usagePrefix matches a usagetype region prefix such as USW2, EU, APN1, CPT.
// It deliberately excludes "Global", the free tier's pseudo-location.
var usagePrefix = regexp.MustCompile(`^[A-Z]{2,4}[0-9]{0,2}$`)

// UsageTypeMatches reports whether a Price List usagetype is suffix in some
// region: either exactly suffix (us-east-1 carries no prefix) or
// "<PREFIX>-suffix" with an upper-case region prefix (USW2-, EU-, APN1-).
// Free-tier usagetypes ("Global-Request") never match.
func UsageTypeMatches(usagetype, suffix string) bool {
	if usagetype == suffix {
		return true
	}
	prefix, ok := strings.CutSuffix(usagetype, "-"+suffix)
	return ok && usagePrefix.MatchString(prefix)
}

// lambdaField is one Lambda price in the Price List: its group, usagetype
// suffix and where it goes in ArchPrices.
type lambdaField struct {
	group, suffix string
	arch          pricing.Architecture
	name          string // ArchPrices JSON name, for notes
	tiered        bool   // may come as several products, one per tier
	set           func(*pricing.ArchPrices, []priceDimension) error
}

func singlePrice(dst func(*pricing.ArchPrices) **pricing.Price, scale decimal.Decimal) func(*pricing.ArchPrices, []priceDimension) error {
	return func(a *pricing.ArchPrices, dims []priceDimension) error {
		if len(dims) != 1 {
			return fmt.Errorf("%d price dimensions, want 1", len(dims))
		}
		v, err := dims[0].usd()
		if err != nil {
			return err
		}
		v = v.Mul(scale)
		*dst(a) = &v
		return nil
	}
}

var decOne = decimal.NewFromInt(1)

// durationTiersFrom turns ordered price dimensions into duration tiers: they must start
// at 0, be contiguous and end at "Inf".
func durationTiersFrom(a *pricing.ArchPrices, dims []priceDimension) error {
	if len(dims) == 0 {
		return errors.New("no price dimensions")
	}
	var out []pricing.Tier
	prev := decimal.Zero
	for i, d := range dims {
		b, _ := decimal.NewFromString(orZero(d.BeginRange))
		if !b.Equal(prev) {
			return fmt.Errorf("tier %d begins at %s, want %s", i+1, b, prev)
		}
		v, err := d.usd()
		if err != nil {
			return err
		}
		t := pricing.Tier{Price: &v}
		if d.EndRange == "Inf" || d.EndRange == "" {
			if i != len(dims)-1 {
				return fmt.Errorf("tier %d is unbounded but not last", i+1)
			}
		} else {
			e, err := decimal.NewFromString(d.EndRange)
			if err != nil {
				return fmt.Errorf("endRange %q: %v", d.EndRange, err)
			}
			if !e.GreaterThan(b) {
				return fmt.Errorf("tier %d ends at %s, not after its start %s", i+1, e, b)
			}
			if i == len(dims)-1 {
				return fmt.Errorf("last tier ends at %s, want Inf", e)
			}
			t.UpTo = &e
			prev = e
		}
		out = append(out, t)
	}
	a.DurationTiers = out
	return nil
}

// lambdaFields lists the Lambda prices the update reads, per architecture.
var lambdaFields = func() []lambdaField {
	million := decimal.NewFromInt(1_000_000)
	var fs []lambdaField
	for _, a := range pricing.Architectures {
		g, s := "", ""
		if a == pricing.ARM64 {
			g, s = "-ARM", "-ARM"
		}
		fs = append(fs,
			lambdaField{"AWS-Lambda-Requests" + g, "Request" + s, a, "requests_usd_per_million", false, singlePrice(func(p *pricing.ArchPrices) **pricing.Price { return &p.RequestsPerMillion }, million)},
			lambdaField{"AWS-Lambda-Duration" + g, "Lambda-GB-Second" + s, a, "duration_tiers", true, durationTiersFrom},
			lambdaField{"AWS-Lambda-Storage-Duration" + g, "Lambda-Storage-GB-Second" + s, a, "ephemeral_usd_per_gb_s", false, singlePrice(func(p *pricing.ArchPrices) **pricing.Price { return &p.Ephemeral }, decOne)},
			lambdaField{"AWS-Lambda-Provisioned-Concurrency" + g, "Lambda-Provisioned-Concurrency" + s, a, "provisioned_usd_per_gb_s", false, singlePrice(func(p *pricing.ArchPrices) **pricing.Price { return &p.Provisioned }, decOne)},
			lambdaField{"AWS-Lambda-Duration-Provisioned" + g, "Lambda-Provisioned-GB-Second" + s, a, "provisioned_duration_usd_per_gb_s", false, singlePrice(func(p *pricing.ArchPrices) **pricing.Price { return &p.ProvisionedDuration }, decOne)},
		)
	}
	return fs
}()

// lambdaRegionFrom builds a region's Lambda prices from its Price List
// records, starting from prev (the base table's region, may be nil).
func lambdaRegionFrom(region string, recs []priceListProduct, prev *pricing.LambdaRegion, date string) (*pricing.LambdaRegion, []string) {
	var notes []string
	r := cloneRegion(prev)
	if r == nil {
		r = &pricing.LambdaRegion{X86: &pricing.ArchPrices{}, ARM: &pricing.ArchPrices{}}
	}
	found := 0
	for _, f := range lambdaFields {
		var match []*priceListProduct
		for i := range recs {
			p := &recs[i]
			at := p.Product.Attributes
			if at["group"] == f.group && UsageTypeMatches(at["usagetype"], f.suffix) && at["regionCode"] == region {
				match = append(match, p)
			}
		}
		where := fmt.Sprintf("%s %s %s", region, f.arch, f.name)
		kept := "left unknown"
		if prev != nil && !archFieldEmpty(prev.Arch(f.arch), f.name) {
			kept = "kept from the previous table"
		}
		switch {
		case len(match) == 0:
			notes = append(notes, fmt.Sprintf("%s: not in the Price List (group %s, usagetype *%s); %s", where, f.group, f.suffix, kept))
			continue
		case len(match) > 1 && !f.tiered:
			notes = append(notes, fmt.Sprintf("%s: %d Price List products match (group %s, usagetype *%s); %s", where, len(match), f.group, f.suffix, kept))
			continue
		}
		// Tiers must form one contiguous range whether they come as one
		// product or several; duplicates overlap and are rejected by durationTiersFrom.
		dims, err := dimensionsOf(match)
		if err == nil {
			err = f.set(r.Arch(f.arch), dims)
		}
		if err != nil {
			skus := make([]string, len(match))
			for i, p := range match {
				skus[i] = p.Product.SKU
			}
			notes = append(notes, fmt.Sprintf("%s: product %s unusable: %v; %s", where, strings.Join(skus, "+"), err, kept))
			continue
		}
		if r.Name == "" {
			r.Name = match[0].Product.Attributes["location"]
		}
		found++
	}
	if found == 0 {
		notes = append(notes, fmt.Sprintf("%s: no Lambda prices in the Price List; region not refreshed", region))
		return nil, notes
	}
	src := fmt.Sprintf("AWS Price List API, fetched %s (%d of %d prices)", date, found, len(lambdaFields))
	if prev != nil && prev.Source != "" && found < len(lambdaFields) {
		src += "; others: " + prev.Source
	}
	r.Source = src
	return r, notes
}

func archFieldEmpty(a *pricing.ArchPrices, name string) bool {
	if a == nil {
		return true
	}
	switch name {
	case "requests_usd_per_million":
		return a.RequestsPerMillion == nil
	case "duration_tiers":
		return len(a.DurationTiers) == 0
	case "ephemeral_usd_per_gb_s":
		return a.Ephemeral == nil
	case "provisioned_usd_per_gb_s":
		return a.Provisioned == nil
	case "provisioned_duration_usd_per_gb_s":
		return a.ProvisionedDuration == nil
	}
	return true
}

// cloneRegion deep-copies a region through its JSON form.
func cloneRegion(r *pricing.LambdaRegion) *pricing.LambdaRegion {
	if r == nil {
		return nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil
	}
	var c pricing.LambdaRegion
	if err := json.Unmarshal(b, &c); err != nil {
		return nil
	}
	if c.X86 == nil {
		c.X86 = &pricing.ArchPrices{}
	}
	if c.ARM == nil {
		c.ARM = &pricing.ArchPrices{}
	}
	return &c
}

// instanceFrom finds an EC2 instance type's on-demand Linux hourly price.
func instanceFrom(region, name string, recs []priceListProduct, base *pricing.PriceTable) (*pricing.InstanceType, string) {
	var match []*priceListProduct
	for i := range recs {
		p := &recs[i]
		at := p.Product.Attributes
		if at["instanceType"] == name && at["regionCode"] == region && UsageTypeMatches(at["usagetype"], "BoxUsage:"+name) &&
			at["operatingSystem"] == "Linux" && at["tenancy"] == "Shared" && orNA(at["preInstalledSw"]) == "NA" {
			match = append(match, p)
		}
	}
	where := fmt.Sprintf("%s EC2 %s", region, name)
	if len(match) == 0 {
		return nil, where + ": not in the Price List; not refreshed"
	}
	// Several products may share the usagetype (license models, capacity
	// status); they must agree on the price to be used.
	var price *decimal.Decimal
	var p0 *priceListProduct
	for _, p := range match {
		dims, err := p.dimensions()
		if err != nil || len(dims) != 1 || dims[0].Unit != "Hrs" {
			continue
		}
		v, err := dims[0].usd()
		if err != nil || v.IsZero() {
			continue
		}
		if price != nil && !price.Equal(v) {
			return nil, fmt.Sprintf("%s: products disagree (%s vs %s per hour); not refreshed", where, price, v)
		}
		price, p0 = &v, p
	}
	if price == nil {
		return nil, where + ": no usable on-demand hourly price; not refreshed"
	}
	at := p0.Product.Attributes
	it := &pricing.InstanceType{Name: name, Hourly: *price}
	var prev *pricing.InstanceType
	for _, m := range base.EC2 {
		if m[name] != nil {
			prev = m[name]
			break
		}
	}
	vcpu, err := strconv.Atoi(strings.TrimSpace(at["vcpu"]))
	mem, err2 := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.ReplaceAll(at["memory"], ",", ""), "GiB")), 64)
	switch {
	case err == nil && err2 == nil:
		it.VCPU, it.MemoryGiB = vcpu, mem
	case prev != nil:
		it.VCPU, it.MemoryGiB = prev.VCPU, prev.MemoryGiB
	default:
		return nil, fmt.Sprintf("%s: vCPU %q / memory %q not readable; not refreshed", where, at["vcpu"], at["memory"])
	}
	switch {
	case strings.Contains(strings.ToLower(at["physicalProcessor"]), "graviton") || strings.Contains(strings.ToLower(at["processorArchitecture"]), "arm"):
		it.Architecture = pricing.ARM64
	case prev != nil:
		it.Architecture = prev.Architecture
	default:
		it.Architecture = pricing.X86_64
	}
	return it, ""
}

func orNA(s string) string {
	if s == "" {
		return "NA"
	}
	return s
}

// LoadFile returns the embedded table with the price file at path merged
// over it (what pricing.Load does for $LAMBDACOST_PRICE_FILE).
func LoadFile(path string) (*pricing.PriceTable, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf("--price-file", "reading price file: %v", err)
	}
	over, err := pricing.ParseTable(b)
	if err != nil {
		return nil, pricing.Inputf(path, "invalid price file: %v", err)
	}
	t := pricing.Embedded()
	t.Merge(over)
	t.Origin = path
	return t, nil
}

// WriteOverride writes fresh into the override file at path, keeping the
// regions and instance types an existing file there has and fresh does not.
// The file is replaced atomically; its directory is created if needed.
func WriteOverride(path string, fresh *pricing.PriceTable) error {
	out := fresh
	if b, err := os.ReadFile(path); err == nil {
		old, err := pricing.ParseTable(b)
		if err != nil {
			return pricing.Inputf(path, "existing price file is invalid (move it away or pass another --price-file): %v", err)
		}
		out = mergeOverride(old, fresh)
	} else if !errors.Is(err, os.ErrNotExist) {
		return &pricing.ExternalError{Op: "reading " + path, Err: err}
	}
	b, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if _, err := pricing.ParseTable(b); err != nil { // never write a file pricing.Load would reject
		return fmt.Errorf("pricelist: refreshed table does not validate: %w", err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return &pricing.ExternalError{Op: "creating " + dir, Err: err}
	}
	return outfile.WriteBytes("--price-file", path, b)
}

// mergeOverride overlays fresh on old: regions and instance types are
// replaced, sources are unique by ID (fresh wins), the newer date wins.
func mergeOverride(old, fresh *pricing.PriceTable) *pricing.PriceTable {
	out := *old
	out.Origin = ""
	if fresh.Date > out.Date {
		out.Date = fresh.Date
	}
	if fresh.Description != "" {
		out.Description = fresh.Description
	}
	if out.Currency == "" {
		out.Currency = fresh.Currency
	}
	if out.FreeTier == (pricing.FreeTier{}) {
		out.FreeTier = fresh.FreeTier
	}
	byID := map[string]int{}
	out.Sources = nil
	for _, s := range append(append([]pricing.Source{}, old.Sources...), fresh.Sources...) {
		if i, ok := byID[s.ID]; ok {
			out.Sources[i] = s
			continue
		}
		byID[s.ID] = len(out.Sources)
		out.Sources = append(out.Sources, s)
	}
	out.Provenance = map[string]pricing.PriceSource{}
	for _, src := range []map[string]pricing.PriceSource{old.Provenance, fresh.Provenance} {
		for k, v := range src {
			out.Provenance[k] = v
		}
	}
	out.Lambda = map[string]*pricing.LambdaRegion{}
	for k, v := range old.Lambda {
		out.Lambda[k] = v
	}
	for k, v := range fresh.Lambda {
		out.Lambda[k] = v
	}
	out.EC2 = map[string]map[string]*pricing.InstanceType{}
	for _, src := range []map[string]map[string]*pricing.InstanceType{old.EC2, fresh.EC2} {
		for region, m := range src {
			if out.EC2[region] == nil {
				out.EC2[region] = map[string]*pricing.InstanceType{}
			}
			for name, it := range m {
				out.EC2[region][name] = it
			}
		}
	}
	return &out
}

// lambdaProvenanceKeys lists the provenance keys of the prices r has.
func lambdaProvenanceKeys(region string, r *pricing.LambdaRegion) map[string]bool {
	out := map[string]bool{}
	for _, a := range pricing.Architectures {
		ap := r.Arch(a)
		k := "lambda/" + region + "/" + string(a) + "/"
		for name, p := range map[string]*pricing.Price{"requests": ap.RequestsPerMillion, "ephemeral": ap.Ephemeral, "provisioned": ap.Provisioned, "provisioned_duration": ap.ProvisionedDuration} {
			if p != nil {
				out[k+name] = true
			}
		}
		for i, t := range ap.DurationTiers {
			if t.Price != nil {
				out[fmt.Sprintf("%sduration/tier%d", k, i+1)] = true
			}
		}
	}
	return out
}
