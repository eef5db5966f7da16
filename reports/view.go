package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// View is what `report` prints and draws for one input: the value -o json
// writes, the tables, the HTML page and the warnings to show whatever the
// output format.
type View struct {
	Value    any // re-encoded for -o json
	Grids    []Grid
	Page     *Page
	Warnings []string
}

// DatasetView is the view of a priced dataset.
func DatasetView(r *DatasetReport) *View {
	return &View{Value: r.JSON(), Grids: DatasetGrids(r), Page: DatasetPage(r), Warnings: r.Warnings()}
}

// BuildView decodes data of the given kind (DetectKind, the envelope
// already taken off) and builds its tables and page. A dataset with nil
// data is read from path, one function at a time, and billed with bill's
// costs around Lambda (logs, API Gateway, transfer, a Savings Plan); the
// other kinds carry their own bill. Errors name path.
func BuildView(path string, kind Kind, data []byte, prices *pricing.PriceTable, bill pricing.Options) (*View, error) {
	switch kind {
	case KindDataset:
		var d *pricing.Dataset
		var err error
		if data == nil {
			d, err = pricing.ReadDataset(path)
		} else {
			d, err = pricing.DecodeDataset(path, bytes.NewReader(data))
		}
		if err != nil {
			return nil, err
		}
		r, err := NewDatasetReportWith(d, prices, bill)
		if err != nil {
			return nil, err
		}
		return DatasetView(r), nil
	case KindSimulation:
		r, err := DecodeSimulationResult(data)
		if err != nil {
			return nil, pricing.Inputf(path, "invalid simulation result: %v", err)
		}
		// The assumptions simulate wrote with the result are shown again.
		var extra struct {
			Assumptions pricing.Assumptions `json:"assumptions"`
		}
		_ = json.Unmarshal(data, &extra)
		page := SimulationPage(r, nil)
		page.Assumptions = extra.Assumptions
		var value any = r
		if extra.Assumptions != nil {
			v, err := WithAssumptions(r, extra.Assumptions)
			if err != nil {
				return nil, err
			}
			value = v
		}
		return &View{Value: value, Grids: append(SimulationGrids(r), AssumptionsGrid(extra.Assumptions)...), Page: page}, nil
	case KindCompare:
		var r fleet.Result
		if err := decodeResult(path, data, &r); err != nil {
			return nil, err
		}
		value := struct { // the shape of compare -o json, whatever the file's
			Comparisons []*fleet.Result `json:"comparisons"`
		}{[]*fleet.Result{&r}}
		return &View{Value: &value, Grids: append(CompareGrids(&r), AssumptionsGrid(r.Assumptions)...), Page: ComparePage(&r)}, nil
	case KindComparisons:
		var c struct {
			Comparisons []*fleet.Result `json:"comparisons"`
		}
		if err := decodeResult(path, data, &c); err != nil {
			return nil, err
		}
		if len(c.Comparisons) == 0 {
			return nil, pricing.Inputf(path, "the compare result has no comparisons")
		}
		var grids []Grid
		for _, r := range c.Comparisons {
			grids = append(append(grids, CompareGrids(r)...), AssumptionsGrid(r.Assumptions)...)
		}
		page := ComparePage(c.Comparisons[0])
		if len(c.Comparisons) > 1 {
			page = ComparisonsPage(c.Comparisons)
		}
		return &View{Value: &c, Grids: grids, Page: page}, nil
	case KindTune:
		var r runner.TuneResult
		if err := decodeResult(path, data, &r); err != nil {
			return nil, err
		}
		v := &View{Value: &r, Grids: TuneGrids(&r), Page: TunePage(&r)}
		if r.Partial {
			v.Warnings = append(v.Warnings, fmt.Sprintf("warning: %s is a partial tune result (interrupted after %d memory sizes): the recommendation covers only those", path, len(r.Results)))
		}
		return v, nil
	case KindBill:
		b, err := DecodeBill(data)
		if err != nil {
			return nil, pricing.Inputf(path, "invalid bill: %v", err)
		}
		return &View{Value: NewBillJSON(b), Grids: BillGrids(b, prices.Date), Page: BillPage(b, "")}, nil
	case KindEstimate:
		ests, err := DecodeEstimates(data)
		if err != nil {
			return nil, pricing.Inputf(path, "invalid estimate: %v", err)
		}
		v := struct {
			Estimates []pricing.Estimate `json:"estimates"`
		}{ests}
		return &View{Value: v, Grids: EstimateGrids(ests, prices.Date), Page: EstimatesPage(ests, "")}, nil
	}
	return nil, pricing.Inputf(path, "reports of kind %s are not supported", kind)
}

// decodeResult decodes a result; unknown fields are allowed, so that
// results written by a newer lambdacost still read.
func decodeResult(path string, data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return pricing.Inputf(path, "invalid JSON: %v", err)
	}
	return nil
}

// IsDatasetFile tells a dataset file from its first 64 KiB (its version
// and source come before its functions); false when it cannot tell (the
// whole file is then to be read and detected by DetectKind).
func IsDatasetFile(path string) bool {
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
	return IsDatasetPrefix(buf[:n])
}

// WithAssumptions adds as to v's JSON object: into v's own Assumptions
// field when it has one (a pointer to a struct), else as an "assumptions"
// member appended to the object.
func WithAssumptions(v any, as pricing.Assumptions) (json.RawMessage, error) {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.Elem().Kind() == reflect.Struct {
		if f := rv.Elem().FieldByName("Assumptions"); f.IsValid() && f.CanSet() && f.Type() == reflect.TypeOf(pricing.Assumptions{}) {
			all := append(pricing.Assumptions(nil), f.Interface().(pricing.Assumptions)...)
			for _, a := range as {
				all.Add(a)
			}
			f.Set(reflect.ValueOf(all))
			return json.Marshal(v)
		}
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if as == nil {
		as = pricing.Assumptions{}
	}
	ab, err := json.Marshal(as)
	if err != nil {
		return nil, err
	}
	// Append rather than re-encode the map, so the object keeps its order.
	b = bytes.TrimRight(b, " \n")
	out := append(b[:len(b)-1:len(b)-1], []byte(`,"assumptions":`)...)
	out = append(out, ab...)
	return append(out, '}'), nil
}
