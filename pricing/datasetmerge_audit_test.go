package pricing

import (
	"testing"
	"time"
)

// Each file's assumptions stay in the merge, also when two files assumed
// the same value for the same field: api's memory is assumed 128 MB in
// eu.json and in us.json (two functions called api, one per Region), so
// the merged dataset lists it twice, once per file (before: once, the
// second file's silently dropped because field and value matched).
func TestMergeKeepsEachFilesAssumptions(t *testing.T) {
	start := time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC)
	ds := func(region string) *Dataset {
		d := &Dataset{Version: 1, Source: "logs", Region: region, Start: start, End: start.Add(time.Hour),
			Functions: []DatasetFunction{{FunctionConfig: FunctionConfig{Name: "api", MemoryMB: 128}, Region: region, ConfigUnknown: []string{"memory_mb"}}}}
		d.Assumptions.Add(Assumption{Field: "functions[api].memory_mb", Value: "128 MB", Why: "Lambda's default: pass --memory"})
		return d
	}
	d, _, err := MergeDatasets([]NamedDataset{{"eu.json", ds("eu-west-1")}, {"us.json", ds("us-west-2")}})
	if err != nil {
		t.Fatal(err)
	}
	var whys []string
	for _, a := range d.Assumptions {
		if a.Field == "functions[api].memory_mb" {
			whys = append(whys, a.Why)
		}
	}
	if len(whys) != 2 || whys[0] != "eu.json: Lambda's default: pass --memory" || whys[1] != "us.json: Lambda's default: pass --memory" {
		t.Errorf("memory assumptions %q, want one per file", whys)
	}
}

// Functions of a merged dataset are told apart as check's function:
// takes them: api in two Regions is REGION/api; jobs twice in one Region
// (two accounts) is ACCOUNT/REGION/jobs; a name found once stays bare.
func TestDatasetLabels(t *testing.T) {
	fn := func(account, region, name string) DatasetFunction {
		return DatasetFunction{FunctionConfig: FunctionConfig{Name: name}, Account: account, Region: region}
	}
	d := &Dataset{Functions: []DatasetFunction{fn("1", "eu-west-1", "api"), fn("1", "us-west-2", "api"), fn("1", "eu-west-1", "jobs"), fn("2", "eu-west-1", "jobs"), fn("1", "eu-west-1", "solo")}}
	want := []string{"eu-west-1/api", "us-west-2/api", "1/eu-west-1/jobs", "2/eu-west-1/jobs", "solo"}
	got := d.Labels()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("function %d: %q, want %q", i, got[i], want[i])
		}
	}
}
