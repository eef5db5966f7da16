package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// toOffer turns GetProducts records (pricelist/testdata, real-shaped) into
// an AWS Price List bulk offer file: products keyed by SKU, on-demand terms
// keyed by SKU then term code, as the files under
// pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<code>/current/ are laid out.
func toOffer(t *testing.T, fixture, code string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "pricelist", "testdata", fixture))
	if err != nil {
		t.Fatal(err)
	}
	var recs []struct {
		Product map[string]any `json:"product"`
		Terms   struct {
			OnDemand map[string]any `json:"OnDemand"`
		} `json:"terms"`
		Version         string `json:"version"`
		PublicationDate string `json:"publicationDate"`
	}
	if err := json.Unmarshal(b, &recs); err != nil {
		t.Fatal(err)
	}
	products := map[string]any{}
	onDemand := map[string]any{}
	for _, r := range recs {
		sku := r.Product["sku"].(string)
		products[sku] = r.Product
		if len(r.Terms.OnDemand) > 0 {
			onDemand[sku] = r.Terms.OnDemand
		}
	}
	out, err := json.Marshal(map[string]any{
		"formatVersion": "v1.0", "disclaimer": "test data", "offerCode": code,
		"version": recs[0].Version, "publicationDate": recs[0].PublicationDate,
		"products": products, "terms": map[string]any{"OnDemand": onDemand},
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Given bulk offer files, one Build refreshes the table: their prices
// replace the facts' and cite the offer's version and date; the rest of
// the table (other regions, other services) stays as the facts say.
func TestBuildWithBulkOfferFiles(t *testing.T) {
	base, _, err := Build("../../pricedata", "")
	if err != nil {
		t.Fatal(err)
	}
	if p := base.Lambda["us-west-2"].ARM.DurationTiers[1].Price; p != nil {
		t.Fatalf("facts already know us-west-2 arm64 tier 2 (%s); pick another probe", p)
	}
	if base.EC2["us-west-2"] != nil {
		t.Fatal("facts already have us-west-2 EC2 prices; pick another probe")
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "AWSLambda", "us-west-2"), 0o755)
	os.WriteFile(filepath.Join(dir, "AWSLambda", "us-west-2", "index.json"), toOffer(t, "AWSLambda.json", "AWSLambda"), 0o644)
	os.WriteFile(filepath.Join(dir, "AmazonEC2.json"), toOffer(t, "AmazonEC2.json", "AmazonEC2"), 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not an offer"), 0o644)

	got, _, err := Build("../../pricedata", dir)
	if err != nil {
		t.Fatal(err)
	}
	arm := got.Lambda["us-west-2"].ARM
	if len(arm.DurationTiers) != 3 || arm.DurationTiers[1].Price == nil || !arm.DurationTiers[1].Price.Equal(decimal.RequireFromString("0.0000120001")) {
		t.Fatalf("us-west-2 arm64 tiers after the offer: %+v", arm.DurationTiers)
	}
	p := got.Provenance["lambda/us-west-2/arm64/duration/tier2"]
	if !strings.HasPrefix(p.Source, "PRICE-LIST-BULK-AWSLambda-") || p.Date != "2026-11-20" {
		t.Errorf("provenance %+v, want the offer file and its publication date", p)
	}
	it := got.EC2["us-west-2"]["m7g.large"]
	if it == nil || it.Architecture != pricing.ARM64 || it.VCPU != 2 {
		t.Errorf("us-west-2 m7g.large from the EC2 offer: %+v", it)
	}
	// Untouched by the offers: eu-west-1 keeps the facts' figures and source.
	if got.Provenance["lambda/eu-west-1/x86_64/requests"] != base.Provenance["lambda/eu-west-1/x86_64/requests"] {
		t.Error("an offer without eu-west-1 changed eu-west-1")
	}
	// The result is a valid table.
	b, _ := json.Marshal(got)
	if _, err := pricing.ParseTable(b); err != nil {
		t.Fatal(err)
	}
}

// The committed table is what the generator makes from the committed facts:
// nobody edits prices.json by hand.
func TestEmbeddedTableIsGenerated(t *testing.T) {
	got, _, err := Build("../../pricedata", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(got, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../prices.json")
	if err != nil {
		t.Fatal(err)
	}
	if string(append(b, '\n')) != string(want) {
		t.Error("pricing/prices.json differs from what `go generate ./pricing` makes of pricing/pricedata; run it")
	}
}

func TestBuildRefusesBadFacts(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"regions.csv", "sources.csv"} {
		b, _ := os.ReadFile(filepath.Join("..", "..", "pricedata", f))
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	for name, row := range map[string]string{
		"unknown source": "lambda,us-east-1,requests,x86_64,0.0000002,,,,NOBODY,2026-01-01",
		"unknown region": "lambda,mars-1,requests,x86_64,0.0000002,,,,LPP,2026-01-01",
		"bad value":      "lambda,us-east-1,requests,x86_64,cheap,,,,LPP,2026-01-01",
		"no date":        "lambda,us-east-1,requests,x86_64,0.0000002,,,,LPP,",
		"unknown item":   "lambda,us-east-1,coffee,x86_64,1,,,,LPP,2026-01-01",
	} {
		os.WriteFile(filepath.Join(dir, "facts.csv"), []byte(strings.Join(factColumns, ",")+"\n"+row+"\n"), 0o644)
		if _, _, err := Build(dir, ""); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// A Fargate, ALB or EBS entry missing one of its items would price that
// item at zero: the build refuses it by name, and refuses an item given
// twice. A complete entry builds.
func TestBuildRefusesIncompleteEntries(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"regions.csv", "sources.csv"} {
		b, _ := os.ReadFile(filepath.Join("..", "..", "pricedata", f))
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	build := func(rows ...string) error {
		os.WriteFile(filepath.Join(dir, "facts.csv"), []byte(strings.Join(factColumns, ",")+"\n"+strings.Join(rows, "\n")+"\n"), 0o644)
		_, _, err := Build(dir, "")
		return err
	}
	const (
		albHour = "alb,eu-west-1,hour,,0.0252,,,,LPP,2026-01-01"
		albLCU  = "alb,eu-west-1,lcu_hour,,0.008,,,,LPP,2026-01-01"
		fgCPU   = "fargate,eu-west-1,vcpu_hour,arm64,0.03238,,,,LPP,2026-01-01"
		fgGB    = "fargate,eu-west-1,gb_hour,arm64,0.00356,,,,LPP,2026-01-01"
		gp3     = "ebs,eu-west-1,gp3_gb_month,,0.088,,,,LPP,2026-01-01"
		iops    = "ebs,eu-west-1,gp3_iops_month,,0.0055,,,,LPP,2026-01-01"
		mbps    = "ebs,eu-west-1,gp3_mbps_month,,0.044,,,,LPP,2026-01-01"
		gp2     = "ebs,eu-west-1,gp2_gb_month,,0.11,,,,LPP,2026-01-01"
	)
	if err := build(albHour, albLCU, fgCPU, fgGB, gp3, iops, mbps, gp2); err != nil {
		t.Fatalf("complete entries refused: %v", err)
	}
	for name, c := range map[string]struct {
		rows []string
		want string
	}{
		"ALB without LCU":        {[]string{albHour}, "alb/eu-west-1/lcu_hour is missing"},
		"Fargate without GB-h":   {[]string{fgCPU}, "fargate/eu-west-1/arm64/gb_hour is missing"},
		"EBS without gp2":        {[]string{gp3, iops, mbps}, "ebs/eu-west-1/gp2_gb_month is missing"},
		"ALB hour twice":         {[]string{albHour, albHour, albLCU}, "alb/eu-west-1/hour given twice"},
		"Fargate vCPU-h twice":   {[]string{fgCPU, fgCPU, fgGB}, "fargate/eu-west-1/arm64/vcpu_hour given twice"},
		"EBS gp3 GB-month twice": {[]string{gp3, gp3, iops, mbps, gp2}, "ebs/eu-west-1/gp3_gb_month given twice"},
	} {
		err := build(c.rows...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to say %q", name, err, c.want)
		}
	}
}
