package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator/runner"
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

// reportView is what report prints and draws for one kind of input.
type reportView struct {
	value any // re-encoded for -o json
	grids []reports.Grid
	page  *reports.Page
	// warnings are printed on stderr too, so that they are not missed
	// whatever the output format.
	warnings []string
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
	if o.Path != "-" && datasetFile(o.Path) {
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
	v, err := buildReportView(o.Path, kind, data, prices, bill)
	if err != nil {
		return err
	}
	for _, w := range v.warnings {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s\n", warningLine(w))
	}
	if o.HTML != "" {
		if err := writeHTML(f, o.HTML, o.Assets, v.page.Render); err != nil {
			return err
		}
	}
	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, v.value)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), v.grids...)
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
	v := &reportView{value: r.JSON(), grids: reports.DatasetGrids(r), page: reports.DatasetPage(r), warnings: r.Warnings()}
	for _, w := range v.warnings {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: %s\n", w)
	}
	if o.HTML != "" {
		if err := writeHTML(f, o.HTML, o.Assets, v.page.Render); err != nil {
			return err
		}
	}
	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, v.value)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), v.grids...)
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// decodeJSON decodes a result; unknown fields are allowed, so that results
// written by a newer lambdacost still read.
func decodeJSON(path string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return pricing.Inputf(path, "invalid JSON: %v", err)
	}
	return nil
}

// buildReportView decodes data of the given kind and builds its tables and page.
func buildReportView(path string, kind reports.Kind, data []byte, prices *pricing.PriceTable, bill pricing.Options) (*reportView, error) {
	switch kind {
	case reports.KindDataset:
		var d *pricing.Dataset
		var err error
		if data == nil {
			d, err = pricing.ReadDataset(path)
		} else {
			d, err = pricing.DecodeDataset(path, bytesReader(data))
		}
		if err != nil {
			return nil, err
		}
		r, err := reports.NewDatasetReportWith(d, prices, bill)
		if err != nil {
			return nil, err
		}
		return &reportView{value: r.JSON(), grids: reports.DatasetGrids(r), page: reports.DatasetPage(r), warnings: r.Warnings()}, nil
	case reports.KindSimulation:
		r, err := reports.DecodeSimulationResult(data)
		if err != nil {
			return nil, pricing.Inputf(path, "invalid simulation result: %v", err)
		}
		// The assumptions simulate wrote with the result are shown again.
		var extra struct {
			Assumptions pricing.Assumptions `json:"assumptions"`
		}
		_ = json.Unmarshal(data, &extra)
		page := reports.SimulationPage(r, nil)
		page.Assumptions = extra.Assumptions
		var value any = r
		if extra.Assumptions != nil {
			v, err := withAssumptions(r, extra.Assumptions)
			if err != nil {
				return nil, err
			}
			value = v
		}
		return &reportView{value: value, grids: append(reports.SimulationGrids(r), reports.AssumptionsGrid(extra.Assumptions)...), page: page}, nil
	case reports.KindCompare:
		var r fleet.Result
		if err := decodeJSON(path, data, &r); err != nil {
			return nil, err
		}
		value := struct { // the shape of compare -o json, whatever the file's
			Comparisons []*fleet.Result `json:"comparisons"`
		}{[]*fleet.Result{&r}}
		return &reportView{value: &value, grids: append(reports.CompareGrids(&r), reports.AssumptionsGrid(r.Assumptions)...), page: reports.ComparePage(&r)}, nil
	case reports.KindComparisons:
		var c struct {
			Comparisons []*fleet.Result `json:"comparisons"`
		}
		if err := decodeJSON(path, data, &c); err != nil {
			return nil, err
		}
		if len(c.Comparisons) == 0 {
			return nil, pricing.Inputf(path, "the compare result has no comparisons")
		}
		var grids []reports.Grid
		for _, r := range c.Comparisons {
			grids = append(append(grids, reports.CompareGrids(r)...), reports.AssumptionsGrid(r.Assumptions)...)
		}
		page := reports.ComparePage(c.Comparisons[0])
		if len(c.Comparisons) > 1 {
			page = reports.ComparisonsPage(c.Comparisons)
		}
		return &reportView{value: &c, grids: grids, page: page}, nil
	case reports.KindTune:
		return tuneReportView(path, data)
	case reports.KindBill:
		b, err := reports.DecodeBill(data)
		if err != nil {
			return nil, pricing.Inputf(path, "invalid bill: %v", err)
		}
		return &reportView{value: reports.NewBillJSON(b), grids: reports.BillGrids(b, prices.Date), page: reports.BillPage(b, "")}, nil
	case reports.KindEstimate:
		ests, err := reports.DecodeEstimates(data)
		if err != nil {
			return nil, pricing.Inputf(path, "invalid estimate: %v", err)
		}
		v := struct {
			Estimates []pricing.Estimate `json:"estimates"`
		}{ests}
		return &reportView{value: v, grids: reports.EstimateGrids(ests, prices.Date), page: reports.EstimatesPage(ests, "")}, nil
	}
	return nil, pricing.Inputf(path, "reports of kind %s are not supported", kind)
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// tuneReportView reads `tune -o json` output.
func tuneReportView(path string, data []byte) (*reportView, error) {
	var r runner.TuneResult
	if err := decodeJSON(path, data, &r); err != nil {
		return nil, err
	}
	v := &reportView{value: &r, grids: reports.TuneGrids(&r), page: reports.TunePage(&r)}
	if r.Partial {
		v.warnings = append(v.warnings, fmt.Sprintf("warning: %s is a partial tune result (interrupted after %d memory sizes): the recommendation covers only those", path, len(r.Results)))
	}
	return v, nil
}

// datasetFile tells a dataset file from its first 64 KiB (its version and
// source come before its functions); false when it cannot tell, and the
// whole file is then read and detected.
func datasetFile(path string) bool {
	fh, err := os.Open(path)
	if err != nil {
		return false
	}
	defer fh.Close()
	if st, err := fh.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	buf := make([]byte, 64<<10)
	n, _ := io.ReadFull(fh, buf)
	return reports.IsDatasetPrefix(buf[:n])
}
