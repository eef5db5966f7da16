package pricelist

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/lambdacost/lambdacost/pricing"
)

// Offer is one AWS Price List bulk offer file, as published under
// https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<ServiceCode>/current/[<region>/]index.json:
//
//	{"formatVersion":"v1.0","offerCode":"AWSLambda","version":"…","publicationDate":"…",
//	 "products":{"<sku>":{"sku":…,"productFamily":…,"attributes":{…}}},
//	 "terms":{"OnDemand":{"<sku>":{"<sku>.<offerTermCode>":{"priceDimensions":{…},"effectiveDate":…}}}}}
//
// It carries the same products and terms as the Query API's GetProducts
// records, keyed differently; ReadOffer turns it into those records so one
// set of rules (lambdaFields, instanceFrom) reads both.
type Offer struct {
	OfferCode       string
	Version         string
	PublicationDate string
	records         []priceListProduct
}

type offerFile struct {
	FormatVersion   string `json:"formatVersion"`
	OfferCode       string `json:"offerCode"`
	Version         string `json:"version"`
	PublicationDate string `json:"publicationDate"`
	Products        map[string]struct {
		SKU           string            `json:"sku"`
		ProductFamily string            `json:"productFamily"`
		Attributes    map[string]string `json:"attributes"`
	} `json:"products"`
	Terms struct {
		OnDemand map[string]map[string]struct {
			PriceDimensions map[string]priceDimension `json:"priceDimensions"`
			EffectiveDate   string                    `json:"effectiveDate"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// ReadOffer decodes a bulk offer file. Products without on-demand terms
// (reserved-only, free-tier pseudo products without prices) are kept; the
// rules that read prices skip them.
func ReadOffer(r io.Reader) (*Offer, error) {
	var f offerFile
	if err := json.NewDecoder(r).Decode(&f); err != nil {
		return nil, fmt.Errorf("not an AWS Price List offer file: %w", err)
	}
	if f.OfferCode == "" || f.Products == nil {
		return nil, fmt.Errorf("not an AWS Price List offer file: no offerCode or products")
	}
	o := &Offer{OfferCode: f.OfferCode, Version: f.Version, PublicationDate: f.PublicationDate}
	skus := make([]string, 0, len(f.Products))
	for sku := range f.Products {
		skus = append(skus, sku)
	}
	sort.Strings(skus)
	for _, sku := range skus {
		p := f.Products[sku]
		var rec priceListProduct
		rec.Product.SKU = sku
		rec.Product.ProductFamily = p.ProductFamily
		rec.Product.Attributes = p.Attributes
		rec.ServiceCode = f.OfferCode
		rec.Version = f.Version
		rec.PublicationDate = f.PublicationDate
		for code, t := range f.Terms.OnDemand[sku] {
			if rec.Terms.OnDemand == nil {
				rec.Terms.OnDemand = map[string]struct {
					PriceDimensions map[string]priceDimension `json:"priceDimensions"`
					EffectiveDate   string                    `json:"effectiveDate"`
				}{}
			}
			rec.Terms.OnDemand[code] = t
		}
		o.records = append(o.records, rec)
	}
	return o, nil
}

// ReadOfferFile reads the bulk offer file at path.
func ReadOfferFile(path string) (*Offer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	o, err := ReadOffer(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

// Regions lists the region codes the offer has products for.
func (o *Offer) Regions() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range o.records {
		c := r.Product.Attributes["regionCode"]
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}

// LambdaRegion reads one region's Lambda prices from an AWSLambda offer:
// only the prices the offer has are set (the others stay nil), so callers
// can overlay them field by field. Notes name every price not found.
func (o *Offer) LambdaRegion(region, date string) (*pricing.LambdaRegion, []string) {
	return lambdaRegionFrom(region, o.records, nil, date)
}

// Instance reads an EC2 instance type's on-demand Linux (shared tenancy, no
// pre-installed software) hourly price in a region from an AmazonEC2 offer.
// base supplies vCPU/memory/architecture when the offer's attributes lack them.
func (o *Offer) Instance(region, name string, base *pricing.PriceTable) (*pricing.InstanceType, string) {
	return instanceFrom(region, name, o.records, base)
}
