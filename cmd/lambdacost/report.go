package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdReport(f, nil) }) }

// ReportOptions are the parsed flags of `lambdacost report`.
type ReportOptions struct {
	F *Factory

	Path string // DATASET.json or RESULT.json ("-" for stdin)
	// Paths are all the arguments: several datasets (or glob patterns)
	// are read as one, merged as dataset merge merges them.
	Paths  []string
	HTML   string // --html FILE
	Assets string // --assets DIR
	// Bill holds the costs around Lambda a dataset's bill adds (billflags.go).
	Bill billFlags
}

// NewCmdReport builds `report`. runF replaces the run function in tests.
func NewCmdReport(f *Factory, runF func(*ReportOptions) error) *cobra.Command {
	o := &ReportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "report DATASET.json... | RESULT.json",
		Short: "Tables and a self-contained HTML report from a dataset or a result",
		Long: `Reads a dataset (from collect or import) or the JSON output of simulate, compare,
tune or estimate, tells which it is, and prints its tables. With --html it also writes one
self-contained HTML file with charts (cost breakdown, cost by function, cost and duration vs
memory, Lambda vs EC2 vs Fargate across volume with the break-even, concurrency, environments,
cold starts and throttles over time, latency percentiles) that opens with no network.
Every name that comes from the data is escaped.

Several datasets (files or glob patterns such as 'prod-*.json') are reported as one, merged as
'dataset merge' merges them: functions keyed by account, region and name, each billed at its own
region's prices; a function found in two files is kept from the first and the conflict is listed
(stderr and the problems); datasets of different windows are refused (exit 2).

With --assets DIR the report loads echarts.min.js from DIR (written there) instead of
inlining it, so that many reports share one copy.`,
		Example: `  lambdacost report examples/prod.json
  lambdacost report examples/prod.json --html report.html
  lambdacost report examples/prod.json examples/prod-eu.json
  lambdacost simulate examples/checkout.yaml -o json > sim.json && lambdacost report sim.json --html sim.html
  lambdacost compare examples/spike.yaml -o json > compare.json && lambdacost report compare.json --html out/compare.html --assets out/assets -o markdown`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Path, o.Paths = args[0], args
			if runF != nil {
				return runF(o)
			}
			return reportRun(o)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&o.HTML, "html", "", "also write a self-contained HTML report to FILE")
	fs.StringVar(&o.Assets, "assets", "", "with --html: write echarts.min.js into DIR and load it from there instead of inlining it")
	addBillFlags(fs, &o.Bill)
	_ = cmd.MarkFlagFilename("html", "html")
	_ = cmd.MarkFlagDirname("assets")
	cmd.ValidArgsFunction = func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"json"}, cobra.ShellCompDirectiveFilterFileExt
	}
	return cmd
}

func reportRun(o *ReportOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	if o.Assets != "" && o.HTML == "" {
		return pricing.Inputf("--assets", "is only used with --html FILE")
	}
	bill, err := o.Bill.options(false)
	if err != nil {
		return err
	}
	if len(o.Paths) > 1 || o.Path != "-" && !fileExists(o.Path) && strings.ContainsAny(o.Path, "*?[") {
		return reportDatasets(o, format, bill)
	}
	var data []byte
	var kind reports.Kind
	if o.Path != "-" && reports.IsDatasetFile(o.Path) {
		// A dataset (often the largest input) is decoded straight from the
		// file, one function at a time, never held whole in memory.
		kind = reports.KindDataset
	} else {
		if o.Path == "-" {
			data, err = io.ReadAll(f.IO.In)
		} else {
			data, err = os.ReadFile(o.Path)
		}
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return pricing.Inputf(o.Path, "%v", err)
		}
		if kind, err = reports.DetectKind(data); err != nil {
			return pricing.Inputf(o.Path, "%v", err)
		}
		if kind != reports.KindDataset { // a dataset's reader takes the envelope itself
			if data, _, err = pricing.UnwrapEnvelope(o.Path, data); err != nil {
				return err
			}
		}
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	if kind != reports.KindDataset && o.Bill.given() {
		return pricing.Inputf(o.Bill.flagNames(), "only apply to a dataset (a result carries its own bill)")
	}
	v, err := reports.BuildView(o.Path, kind, data, prices, bill)
	if err != nil {
		return err
	}
	return writeReportView(o, format, v)
}

// writeReportView prints v's warnings on stderr, writes its page (--html)
// and prints its tables or JSON.
func writeReportView(o *ReportOptions, format reports.Format, v *reports.View) error {
	f := o.F
	for _, w := range v.Warnings {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s\n", warningLine(w))
	}
	if o.HTML != "" {
		if err := writeHTML(f, o.HTML, o.Assets, v.Page.Render); err != nil {
			return err
		}
	}
	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, v.Value)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), v.Grids...)
}

// reportDatasets reports several datasets (or a glob pattern) as one.
func reportDatasets(o *ReportOptions, format reports.Format, bill pricing.Options) error {
	f := o.F
	d, files, conflicts, err := pricing.ReadDatasets(o.Paths)
	if err != nil {
		return err
	}
	prices, err := f.Prices()
	if err != nil {
		return err
	}
	for _, c := range conflicts {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: conflict: %s\n", c)
	}
	if len(files) > 1 {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: read %d datasets as one: %d functions, %d conflicts\n", len(files), len(d.Functions), len(conflicts))
	}
	r, err := reports.NewDatasetReportWith(d, prices, bill)
	if err != nil {
		return err
	}
	return writeReportView(o, format, reports.DatasetView(r))
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
