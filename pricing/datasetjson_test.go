package pricing

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func partialDataset() *Dataset {
	return &Dataset{
		Source: "cloudwatch", Region: "us-east-1",
		Start: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 19, 0, 3, 0, 0, time.UTC),
		Functions: []DatasetFunction{{
			FunctionConfig: FunctionConfig{Name: "orders", MemoryMB: 512, Architecture: ARM64},
			Summary:        FunctionSummary{Errors: 2, DurationMs: DurationSet{Avg: 120, P99: 0}},
			Series:         &Series{PeriodS: 60, Start: time.Date(2026, 11, 19, 0, 0, 0, 0, time.UTC), DurationAvgMs: []float64{120, 0, 118}, ConcurrencyMax: []float64{1, 0, 2}},
			Missing:        []string{"summary.invocations", "summary.duration_ms.p99", "summary.billed_gb_seconds", "summary.provisioned_invocations", "series.invocations"},
		}},
	}
}

// Missing values are written as null (also those omitempty would drop),
// never as 0; the other values are written as usual.
func TestMissingValuesAreWrittenAsNull(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDataset(&buf, partialDataset()); err != nil {
		t.Fatal(err)
	}
	var js struct {
		Functions []struct {
			Summary map[string]json.RawMessage `json:"summary"`
			Series  map[string]json.RawMessage `json:"series"`
		} `json:"functions"`
	}
	if err := json.Unmarshal(buf.Bytes(), &js); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	s, sr := js.Functions[0].Summary, js.Functions[0].Series
	var dur map[string]json.RawMessage
	json.Unmarshal(s["duration_ms"], &dur)
	for name, got := range map[string]json.RawMessage{
		"summary.invocations": s["invocations"], "summary.billed_gb_seconds": s["billed_gb_seconds"],
		"summary.provisioned_invocations": s["provisioned_invocations"], "summary.duration_ms.p99": dur["p99"],
		"series.invocations": sr["invocations"],
	} {
		if string(got) != "null" {
			t.Errorf("%s = %s, want null", name, got)
		}
	}
	if string(s["errors"]) != "2" || string(dur["avg"]) != "120" || string(dur["p50"]) != "0" || strings.Join(strings.Fields(string(sr["duration_avg_ms"])), "") != "[120,0,118]" {
		t.Errorf("collected values changed: errors %s, avg %s, p50 %s, duration series %s", s["errors"], dur["avg"], dur["p50"], sr["duration_avg_ms"])
	}
	// Indented like the rest of the file, members in the struct's order.
	if !regexp.MustCompile(`\n( +)"invocations": null,\n( +)"errors": 2,`).MatchString(buf.String()) {
		t.Errorf("layout:\n%s", buf.String())
	}

	// Read back: the same Missing, the values 0 in Go, Incomplete.
	d, err := DecodeDataset("p.json", &buf)
	if err != nil {
		t.Fatal(err)
	}
	f := d.Functions[0]
	want := partialDataset().Functions[0].Missing
	if !slices.Equal(f.Missing, want) || !f.Incomplete() || f.Summary.Invocations != 0 || f.Summary.Errors != 2 || f.Series.Invocations != nil {
		t.Errorf("read back: missing %v (want %v), %+v", f.Missing, want, f.Summary)
	}
}

// A null in a file that does not list it (hand-edited, another tool) is
// added to Missing; a listed path holding a value is refused.
func TestNullReadIsMissing(t *testing.T) {
	in := `{"version":1,"source":"logs","region":"us-east-1","start":"2026-11-19T00:00:00Z","end":"2026-11-19T01:00:00Z",
	"functions":[{"name":"a","memory_mb":128,"summary":{"invocations":10,"errors":null,"throttles":0,"cold_starts":1,
	"duration_ms":{"avg":5,"p50":5,"p90":null,"p99":5,"max":5},"init_duration_ms":{"avg":0,"p99":0},"max_memory_used_mb":60,"billed_gb_seconds":0.1},
	"series":{"period_s":60,"start":"2026-11-19T00:00:00Z","invocations":[1,null],"duration_avg_ms":[5,5],"concurrency_max":[1,1]}},
	{"name":"b","memory_mb":128,"summary":null}]}`
	d, err := DecodeDataset("hand.json", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Functions[0].Missing, []string{"summary.errors", "summary.duration_ms.p90", "series.invocations"}; !slices.Equal(got, want) {
		t.Errorf("a: missing %v, want %v", got, want)
	}
	if got := d.Functions[1].Missing; !slices.Equal(got, []string{"summary"}) || !d.Functions[1].Incomplete() {
		t.Errorf("b: missing %v", got)
	}
	if d.Functions[0].Summary.Invocations != 10 {
		t.Errorf("values changed: %+v", d.Functions[0].Summary)
	}

	bad := strings.Replace(in, `"name":"b","memory_mb":128,"summary":null`, `"name":"b","memory_mb":128,"summary":{"invocations":7},"missing":["summary.invocations"]`, 1)
	if _, err := DecodeDataset("bad.json", strings.NewReader(bad)); !IsInput(err) || !strings.Contains(err.Error(), `summary.invocations is listed in "missing" but holds the value 7`) {
		t.Errorf("contradiction: %v", err)
	}
	// Provisioned invocations with the invocations missing are no contradiction.
	pc := strings.Replace(in, `"name":"b","memory_mb":128,"summary":null`, `"name":"b","memory_mb":128,"summary":{"invocations":null,"provisioned_invocations":1000}`, 1)
	if d, err := DecodeDataset("pc.json", strings.NewReader(pc)); err != nil || !slices.Equal(d.Functions[1].Missing, []string{"summary.invocations"}) {
		t.Errorf("provisioned invocations without invocations: %v", err)
	}
	unknown := strings.Replace(in, `"name":"b",`, `"name":"b","colour":"red",`, 1)
	if _, err := DecodeDataset("u.json", strings.NewReader(unknown)); !IsInput(err) || !strings.Contains(err.Error(), `unknown field "colour"`) {
		t.Errorf("unknown field in a function: %v", err)
	}
}

// A dataset followed by anything but white space (two writers' output
// interleaved, a second document) is refused with the offset.
func TestDatasetRefusesTrailingData(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteDataset(&buf, partialDataset()); err != nil {
		t.Fatal(err)
	}
	one := buf.String()
	if _, err := DecodeDataset("one.json", strings.NewReader(one+"\n\n")); err != nil {
		t.Fatalf("trailing white space: %v", err)
	}
	for _, tail := range []string{one, `{"version":1}`, "x", `"functions": []}`} {
		_, err := DecodeDataset("mixed.json", strings.NewReader(one+tail))
		want := "mixed.json:offset " + itoa(len(one)-1) + ": data after the JSON value"
		if !IsInput(err) || !strings.Contains(err.Error(), want) {
			t.Errorf("tail %.20q: err = %v, want %q", tail, err, want)
		}
	}
	if _, err := ParseTable([]byte(`{"currency":"USD"} {}`)); err == nil || !strings.Contains(err.Error(), "data after the JSON value") {
		t.Errorf("price table with trailing data: %v", err)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// WriteDataset streams one function at a time and writes what
// json.Encoder with a one-space indent writes of the whole dataset: with
// functions (missing values as null), with none, and with a nil list.
func TestWriteDatasetAsEncoder(t *testing.T) {
	full := partialDataset()
	full.Functions = append(full.Functions, DatasetFunction{FunctionConfig: FunctionConfig{Name: "<b>&x</b>", MemoryMB: 256},
		Series: &Series{PeriodS: 60, Invocations: []float64{1, 2.5, 3}}})
	full.Problems = []string{"p"}
	full.Assumptions = Assumptions{{Field: "f", Value: "v", Why: "w"}}
	empty := partialDataset()
	empty.Functions = []DatasetFunction{}
	none := partialDataset()
	none.Functions = nil
	for name, d := range map[string]*Dataset{"functions": full, "empty": empty, "nil": none} {
		t.Run(name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := WriteDataset(&got, d); err != nil { // sets the version
				t.Fatal(err)
			}
			enc := json.NewEncoder(&want)
			enc.SetIndent("", " ")
			if err := enc.Encode(d); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("got\n%s\nwant\n%s", got.String(), want.String())
			}
		})
	}
}

// The stream's decoding of a function and DatasetFunction.UnmarshalJSON
// are one: the same function, the same nulls found.
func TestFunctionDecodedAlike(t *testing.T) {
	fn := `{"name":"a","memory_mb":256,"summary":{"invocations":null,"errors":1,"throttles":0,"cold_starts":0,"duration_ms":{"avg":1,"p50":1,"p90":1,"p99":null,"max":1},"init_duration_ms":{"avg":0,"p99":0},"max_memory_used_mb":1,"billed_gb_seconds":0},` +
		`"series":{"period_s":60,"start":"2026-01-01T00:00:00Z","invocations":[1,null,3],"duration_avg_ms":null,"concurrency_max":[1e2,2.5]}}`
	var viaUnmarshal DatasetFunction
	if err := json.Unmarshal([]byte(fn), &viaUnmarshal); err != nil {
		t.Fatal(err)
	}
	doc := `{"version":1,"source":"logs","region":"us-east-1","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:03:00Z","functions":[` + fn + `]}`
	d, _, err := decodeDatasetStream("d.json", strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := d.Functions[0]
	// Null values are missing, in the order written; an array with a null
	// is one missing value; numbers are read as written.
	want := []string{"summary.invocations", "summary.duration_ms.p99", "series.invocations", "series.duration_avg_ms"}
	if !slices.Equal(got.Missing, want) || !slices.Equal(viaUnmarshal.Missing, want) {
		t.Errorf("missing %q and %q, want %q", got.Missing, viaUnmarshal.Missing, want)
	}
	if got.Series == nil || !slices.Equal(got.Series.ConcurrencyMax, []float64{100, 2.5}) || got.Series.PeriodS != 60 || got.Summary.Errors != 1 || got.MemoryMB != 256 {
		t.Errorf("decoded %+v", got)
	}
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(viaUnmarshal)
	if string(a) != string(b) {
		t.Errorf("stream %s\nunmarshal %s", a, b)
	}
}
