package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// Kind is what a JSON file given to `report` holds.
type Kind string

// The kinds of JSON `report` reads.
const (
	KindDataset     Kind = "dataset"     // collect / import output
	KindSimulation  Kind = "simulation"  // simulate -o json
	KindCompare     Kind = "compare"     // compare -o json
	KindTune        Kind = "tune"        // tune -o json
	KindBill        Kind = "bill"        // estimate --usage -o json
	KindEstimate    Kind = "estimate"    // estimate -o json (one, or {"estimates": [...]})
	KindComparisons Kind = "comparisons" // compare -o json: {"comparisons": [...]}
)

// DetectKind tells what kind of lambdacost JSON data holds, by the fields
// each format is defined by (SPEC).
// A result inside the envelope of -o json (pricing.Envelope) is detected
// by its kind, else by its result's fields.
func DetectKind(data []byte) (Kind, error) {
	if datasetPrefix(data) {
		return KindDataset, nil
	}
	if inner, env, err := pricing.UnwrapEnvelope("", data); err == nil && env != nil {
		switch k := Kind(env.Kind); k {
		case KindDataset, KindSimulation, KindCompare, KindComparisons, KindTune, KindBill, KindEstimate:
			return k, nil
		case "estimates":
			return KindEstimate, nil
		case "infra_estimate", "lmi_estimate", "plan", "recommendations", "check", "run", "prices", "demo":
			// A result report has no reader for: say which, not that it
			// is none of the kinds (an infrastructure estimate is an
			// estimate result too).
			return "", fmt.Errorf("a %q result of `lambdacost %s` is not read by report; that command writes its tables (-o) and its page (--html)", env.Kind, env.Command)
		}
		data = inner
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil {
		return "", fmt.Errorf("not a lambdacost JSON object: %v", err)
	}
	has := func(keys ...string) bool {
		for _, k := range keys {
			if _, ok := m[k]; !ok {
				return false
			}
		}
		return true
	}
	switch {
	case has("version", "source", "functions"):
		return KindDataset, nil
	case has("invocations", "cold_starts", "latency_ms", "timeline"):
		return KindSimulation, nil
	case has("lambda", "ec2", "curve"):
		return KindCompare, nil
	case has("comparisons"):
		return KindComparisons, nil
	case has("results", "recommendation"):
		return KindTune, nil
	case has("functions", "lines", "total_usd"):
		return KindBill, nil
	case has("estimates"), has("lines", "total_usd", "memory_mb"):
		return KindEstimate, nil
	}
	return "", fmt.Errorf("not a dataset, nor a simulate, compare, tune or estimate result (see `lambdacost report --help`)")
}

// DecodeBill reads `estimate --usage -o json` output back into a Bill
// (exact totals are rebuilt from the JSON numbers).
func DecodeBill(data []byte) (*pricing.Bill, error) {
	var j BillJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, err
	}
	b := &pricing.Bill{Region: j.Region, FreeTier: j.FreeTier, Cost: pricing.Cost{Lines: j.Lines, Total: decimal.NewFromFloat(j.TotalUSD)}}
	for _, e := range j.Functions {
		b.Functions = append(b.Functions, functionBillOf(e))
	}
	return b, nil
}

func functionBillOf(e pricing.Estimate) pricing.FunctionBill {
	return pricing.FunctionBill{
		Function:  pricing.FunctionConfig{Name: e.Name, MemoryMB: e.MemoryMB, Architecture: e.Architecture, EphemeralStorageMB: e.EphemeralStorageMB},
		Usage:     pricing.BilledUsage{Requests: e.Requests, ColdStarts: e.ColdStarts},
		GBSeconds: decimal.NewFromFloat(e.GBSeconds), InitGBSeconds: decimal.NewFromFloat(e.InitGBSeconds),
		ProvisionedGBSeconds: decimal.NewFromFloat(e.ProvisionedGBSeconds),
		Cost:                 pricing.Cost{Lines: e.Lines, Total: decimal.NewFromFloat(e.TotalUSD)},
	}
}

// DecodeEstimates reads `estimate -o json` output: one estimate, or
// {"estimates": [...]} with --arch both.
func DecodeEstimates(data []byte) ([]pricing.Estimate, error) {
	var many struct {
		Estimates []pricing.Estimate `json:"estimates"`
	}
	if err := json.Unmarshal(data, &many); err != nil {
		return nil, err
	}
	if many.Estimates == nil {
		var one pricing.Estimate
		if err := json.Unmarshal(data, &one); err != nil {
			return nil, err
		}
		many.Estimates = []pricing.Estimate{one}
	}
	for i := range many.Estimates {
		many.Estimates[i].Total = decimal.NewFromFloat(many.Estimates[i].TotalUSD)
	}
	return many.Estimates, nil
}

// EstimatesPage builds the HTML page of one or more alternative estimates
// (e.g. --arch both): each one's monthly bill by component, side by side.
func EstimatesPage(ests []pricing.Estimate, priceDate string) *Page {
	p := &Page{Title: "Lambda bill per month"}
	if len(ests) > 0 {
		p.Title += " · " + ests[0].Region
	}
	if priceDate != "" {
		p.Subtitle = "AWS list prices of " + priceDate
	}
	names := make([]string, len(ests))
	costs := make([]pricing.Cost, len(ests))
	var tables []HTMLTable
	for i, e := range ests {
		name := fmt.Sprintf("%s · %d MB", e.Architecture, e.MemoryMB)
		if e.Name != "" {
			name = e.Name + " · " + name
		}
		names[i] = name
		costs[i] = pricing.Cost{Lines: e.Lines, Total: e.Total}
		detail := Num(decimal.NewFromInt(e.Requests), 0) + " requests"
		if e.FreeTier {
			detail += " · free tier applied"
		}
		p.Facts = append(p.Facts, Fact{Label: name, Value: USD(e.Total), Detail: detail})
		t := TableFromGrid(linesGrid(name, e.Lines, e.Total))
		t.Half = len(ests) > 1
		tables = append(tables, t)
	}
	var charts []Chart
	if len(ests) > 1 {
		charts = append(charts, costByFunctionChart("cost-by-option", "Monthly cost by architecture", "same usage, both architectures", names, costs, 20))
	} else if len(ests) == 1 {
		charts = append(charts, costBreakdownChart("cost-breakdown", "Monthly cost by component", names[0], costs[0], false))
	}
	p.Sections = []Section{{Title: "Where the money goes", Charts: charts, Tables: tables}}
	p.Notes = []string{"Duration is billed per invocation rounded up to the millisecond; a month is 730 hours."}
	for _, e := range ests {
		for _, a := range e.Assumptions {
			p.Assumptions.Add(a)
		}
	}
	return p
}

// WriteEstimatesHTML writes the HTML report of one or more alternative
// single-function estimates (`estimate`, `estimate --arch both`).
func WriteEstimatesHTML(w io.Writer, ests []pricing.Estimate, priceDate string, opts ...HTMLOption) error {
	return EstimatesPage(ests, priceDate).Render(w, opts...)
}

// IsDatasetPrefix reports whether data (the whole file or its first bytes)
// begins like a lambdacost dataset: "version" and "source" before
// "functions".
func IsDatasetPrefix(data []byte) bool { return datasetPrefix(data) }

// datasetPrefix tells a dataset from its first members: "version" and
// "source" (scalars, as lambdacost writes them first) and then the key
// "functions", without reading the functions (most of a large dataset's
// bytes). Any other order is left to the full detection.
func datasetPrefix(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return false
		}
		k, ok := t.(string)
		if !ok {
			return false
		}
		if k == "functions" {
			return seen["version"] && seen["source"]
		}
		v, err := dec.Token()
		if err != nil {
			return false
		}
		if _, isDelim := v.(json.Delim); isDelim {
			return false
		}
		// The envelope of `import -o json` says its kind before its result.
		if k == "kind" && seen["schema_version"] {
			return v == string(KindDataset)
		}
		seen[k] = true
	}
	return false
}
