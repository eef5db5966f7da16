package reports

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// BuildView gives each kind its tables, page and warnings, and refuses
// what it cannot read naming the file.
func TestBuildView(t *testing.T) {
	dataset, err := os.ReadFile("testdata/dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	prices := pricing.Embedded()
	for _, c := range []struct {
		name      string
		kind      Kind
		data      []byte
		path      string
		wantGrid  string // a title (prefix) one of the grids has
		wantWarn  string // a warning that must be listed ("" for none)
		wantErr   string // the error's message ("" for none)
		wantValue string // a JSON member the value has
	}{
		{name: "dataset read from its file", kind: KindDataset, path: "testdata/dataset.json", wantValue: `"functions"`},
		{name: "dataset from bytes", kind: KindDataset, data: dataset, path: "d.json", wantValue: `"functions"`},
		// Two memory sizes ran before the interruption: the warning counts them.
		{name: "partial tune", kind: KindTune, path: "t.json", data: []byte(`{"function":"f","partial":true,"results":[{"memory_mb":128},{"memory_mb":256}]}`),
			wantWarn: "warning: t.json is a partial tune result (interrupted after 2 memory sizes): the recommendation covers only those", wantValue: `"partial":true`},
		{name: "complete tune", kind: KindTune, path: "t.json", data: []byte(`{"function":"f","results":[{"memory_mb":128}]}`), wantValue: `"function":"f"`},
		{name: "no comparisons", kind: KindComparisons, path: "c.json", data: []byte(`{"comparisons":[]}`), wantErr: "c.json: the compare result has no comparisons"},
		{name: "compare not JSON", kind: KindCompare, path: "c.json", data: []byte(`{`), wantErr: "c.json: invalid JSON"},
		{name: "unknown kind", kind: Kind("x"), path: "x.json", data: []byte(`{}`), wantErr: "x.json: reports of kind x are not supported"},
		{name: "bill not a bill", kind: KindBill, path: "b.json", data: []byte(`[]`), wantErr: "b.json: invalid bill"},
	} {
		t.Run(c.name, func(t *testing.T) {
			v, err := BuildView(c.path, c.kind, c.data, prices, pricing.Options{})
			if c.wantErr != "" {
				var ie *pricing.InputError
				if err == nil || !errors.As(err, &ie) || !strings.HasPrefix(err.Error(), c.wantErr) {
					t.Fatalf("error %v, want an input error starting %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(v.Grids) == 0 || v.Page == nil {
				t.Errorf("%d grids, page %v: want tables and a page", len(v.Grids), v.Page)
			}
			b, err := json.Marshal(v.Value)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), c.wantValue) {
				t.Errorf("value %.200s lacks %s", b, c.wantValue)
			}
			found := c.wantWarn == ""
			for _, w := range v.Warnings {
				found = found || w == c.wantWarn
			}
			if !found {
				t.Errorf("warnings %q lack %q", v.Warnings, c.wantWarn)
			}
		})
	}
}

// A simulation's assumptions written with it are shown again: in the
// JSON value and as the assumptions table.
func TestBuildViewSimulationAssumptions(t *testing.T) {
	r, _ := testSimulation(t)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	a := `{"field":"--region","value":"us-east-1","why":"the default"}`
	data := append(b[:len(b)-1:len(b)-1], []byte(`,"assumptions":[`+a+`]}`)...)
	v, err := BuildView("sim.json", KindSimulation, data, pricing.Embedded(), pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v.Value)
	if !strings.Contains(string(out), a) {
		t.Errorf("value lacks the assumption %s", a)
	}
	if len(v.Page.Assumptions) != 1 || v.Page.Assumptions[0].Field != "--region" {
		t.Errorf("page assumptions %+v", v.Page.Assumptions)
	}
}

// WithAssumptions adds to the value's own Assumptions field when it has
// one, else appends an "assumptions" member after the others.
func TestWithAssumptions(t *testing.T) {
	a := pricing.Assumption{Field: "x", Value: "1", Why: "w"}
	type own struct {
		N           int                 `json:"n"`
		Assumptions pricing.Assumptions `json:"assumptions"`
	}
	type plain struct {
		N int `json:"n"`
	}
	for _, c := range []struct {
		name string
		v    any
		as   pricing.Assumptions
		want string
	}{
		{"own field", &own{N: 1, Assumptions: pricing.Assumptions{{Field: "y", Value: "2", Why: "v"}}}, pricing.Assumptions{a},
			`{"n":1,"assumptions":[{"field":"y","value":"2","why":"v"},{"field":"x","value":"1","why":"w"}]}`},
		{"appended", plain{N: 1}, pricing.Assumptions{a}, `{"n":1,"assumptions":[{"field":"x","value":"1","why":"w"}]}`},
		{"none is an empty list", plain{N: 1}, nil, `{"n":1,"assumptions":[]}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := WithAssumptions(c.v, c.as)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != c.want {
				t.Errorf("got %s\nwant %s", got, c.want)
			}
		})
	}
}

// IsDatasetFile reads a dataset's prefix; a folder, a missing file and
// another result are not datasets.
func TestIsDatasetFile(t *testing.T) {
	dir := t.TempDir()
	other := dir + "/sim.json"
	if err := os.WriteFile(other, []byte(`{"scenario":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"testdata/dataset.json": true, other: false, dir: false, dir + "/missing.json": false} {
		if got := IsDatasetFile(path); got != want {
			t.Errorf("IsDatasetFile(%s) = %v, want %v", path, got, want)
		}
	}
}
