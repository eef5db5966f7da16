package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

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
	namesFlag(fs, &o.InstanceTypes, "instance-type", "instance type", "EC2 instance types to refresh with --update (default: those in the table)")
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
	view := t.View(regions)
	switch format {
	case reports.JSON:
		return reports.WriteJSON(f.IO.Out, view)
	case reports.CSV:
		return reports.WriteGrids(f.IO.Out, format, f.Style(), reports.PriceCSV(view, regions))
	default:
		return reports.WriteGrids(f.IO.Out, format, f.Style(), reports.PriceGrids(view, regions)...)
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
