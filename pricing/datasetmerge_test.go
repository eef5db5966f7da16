package pricing

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestMergeDatasets(t *testing.T) {
	start := time.Date(2026, 11, 6, 0, 0, 0, 0, time.UTC)
	end := start.Add(14 * 24 * time.Hour)
	fn := func(name, account, region string, inv int64) DatasetFunction {
		f := DatasetFunction{FunctionConfig: FunctionConfig{Name: name, MemoryMB: 128}, Account: account, Region: region}
		f.Summary.Invocations = inv
		return f
	}
	eu := &Dataset{Version: 1, Source: "cloudwatch", Region: "eu-west-1", Start: start, End: end,
		Functions: []DatasetFunction{fn("api", "111111111111", "", 10), fn("jobs", "111111111111", "eu-west-1", 5)},
		Problems:  []string{"logs: x"}, AccountConcurrency: []AccountConcurrency{{Account: "111111111111", Region: "eu-west-1", ClaimedMax: 3}}}
	us := &Dataset{Version: 1, Source: "cloudwatch", Region: "us-east-1", Start: start, End: end,
		Functions: []DatasetFunction{fn("api", "111111111111", "us-east-1", 7), fn("api", "222222222222", "us-east-1", 1)}}
	// The same function again, with other numbers: a conflict.
	again := &Dataset{Version: 1, Source: "cloudwatch", Region: "eu-west-1", Start: start, End: end,
		Functions: []DatasetFunction{fn("jobs", "111111111111", "eu-west-1", 6)}}
	d, conflicts, err := MergeDatasets([]NamedDataset{{"eu.json", eu}, {"us.json", us}, {"eu2.json", again}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range d.Functions {
		got = append(got, f.Account+"/"+f.Region+"/"+f.Name)
	}
	want := "111111111111/eu-west-1/api 111111111111/eu-west-1/jobs 111111111111/us-east-1/api 222222222222/us-east-1/api"
	if strings.Join(got, " ") != want {
		t.Errorf("functions %v, want %s", got, want)
	}
	if d.Functions[1].Summary.Invocations != 5 {
		t.Errorf("the first of a conflict is kept: %d", d.Functions[1].Summary.Invocations)
	}
	if len(conflicts) != 1 || !strings.Contains(conflicts[0], "jobs (111111111111/eu-west-1): in eu.json and eu2.json (differs in summary); kept eu.json's") {
		t.Errorf("conflicts %q", conflicts)
	}
	if d.Region != "" || len(d.AccountConcurrency) != 1 || !strings.Contains(strings.Join(d.Problems, "\n"), "eu.json: logs: x") {
		t.Errorf("merged %+v", d)
	}
	// The merged file reads back: the same name in two regions or
	// accounts is two functions.
	var buf bytes.Buffer
	if err := WriteDataset(&buf, d); err != nil {
		t.Fatal(err)
	}
	if back, err := DecodeDataset("merged.json", &buf); err != nil || len(back.Functions) != 4 {
		t.Errorf("read back: %v", err)
	}
	other := &Dataset{Version: 1, Region: "us-east-1", Start: start, End: end.Add(time.Hour)}
	if _, _, err := MergeDatasets([]NamedDataset{{"eu.json", eu}, {"late.json", other}}); !IsInput(err) || !strings.Contains(err.Error(), "late.json") {
		t.Errorf("different windows: %v", err)
	}
}
