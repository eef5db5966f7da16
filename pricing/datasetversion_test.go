package pricing

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// A dataset function whose source does not measure throttles (logs).
const versionFn = `{"name":"a","memory_mb":512,"architecture":"arm64","summary":{"invocations":1,"errors":0,"throttles":null,"cold_starts":0,"duration_ms":{"avg":1,"p50":1,"p90":1,"p99":1,"max":1},"init_duration_ms":{"avg":0,"p99":0},"max_memory_used_mb":1,"billed_gb_seconds":0},"not_measured":["summary.throttles"]}`

// The format version written is the lowest that holds the dataset: a
// version-1 reader refuses not_measured as an unknown field, so a dataset
// with it says 2, and one without it stays 1 (every older lambdacost
// reads it). Before, every dataset said 1.
func TestWriteDatasetVersion(t *testing.T) {
	for _, tc := range []struct {
		name        string
		notMeasured []string
		want        int
	}{
		{"no not_measured", nil, 1},
		{"throttles not measured", []string{"summary.throttles"}, 2},
	} {
		d := &Dataset{Version: 1, Source: "logs", Region: "us-east-1", Functions: []DatasetFunction{
			{FunctionConfig: FunctionConfig{Name: "a", MemoryMB: 512}},
			{FunctionConfig: FunctionConfig{Name: "b", MemoryMB: 512}, NotMeasured: tc.notMeasured},
		}}
		var b bytes.Buffer
		if err := WriteDataset(&b, d); err != nil {
			t.Fatal(err)
		}
		var head struct{ Version int }
		if err := json.Unmarshal(b.Bytes(), &head); err != nil {
			t.Fatal(err)
		}
		if head.Version != tc.want {
			t.Errorf("%s: wrote version %d, want %d", tc.name, head.Version, tc.want)
		}
		// And it reads back.
		if _, err := DecodeDataset("w.json", &b); err != nil {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}

// Every version this build knows is read, including version 1 with
// not_measured (what the builds between not_measured and version 2
// wrote); a later version is refused as newer, naming the version and the
// upgrade, before any of its functions' keys is looked at — also when a
// function holds a key this build does not know (a version-1 reader says
// only "unknown field" there).
func TestDecodeDatasetVersions(t *testing.T) {
	ds := func(version, fn string) string {
		return `{"version":` + version + `,"source":"logs","region":"us-east-1","functions":[` + fn + `]}`
	}
	for _, v := range []string{"1", "2"} {
		d, err := DecodeDataset("v.json", strings.NewReader(ds(v, versionFn)))
		if err != nil {
			t.Errorf("version %s: %v", v, err)
			continue
		}
		if f := d.Functions[0]; f.Measured("summary.throttles") || len(f.Missing) != 0 {
			t.Errorf("version %s: throttles measured %v, missing %v", v, f.Measured("summary.throttles"), f.Missing)
		}
	}
	future := strings.Replace(versionFn, `"name":"a"`, `"name":"a","colour":"blue"`, 1)
	for _, tc := range []struct{ version, fn, want string }{
		{"3", future, "dataset version 3 was written by a newer lambdacost: this build reads versions 1 to 2; upgrade lambdacost"},
		{"3", versionFn, "dataset version 3 was written by a newer lambdacost"},
		{"0", versionFn, "dataset version 0 is not supported (this build reads versions 1 to 2)"},
		{"1.5", versionFn, "dataset version 1.5 is not supported"},
		{`"2"`, versionFn, `dataset version "2" is not a number (this build reads versions 1 to 2)`},
	} {
		_, err := DecodeDataset("v.json", strings.NewReader(ds(tc.version, tc.fn)))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "v.json") {
			t.Errorf("version %s: err = %v, want %q", tc.version, err, tc.want)
		}
	}
	// Without a version (a hand-written file): the usual refusal.
	if _, err := DecodeDataset("v.json", strings.NewReader(`{"source":"logs","functions":[]}`)); err == nil || !strings.Contains(err.Error(), "dataset version 0 is not supported") {
		t.Errorf("no version: err = %v", err)
	}
}
