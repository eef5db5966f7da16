package fleet

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// threeFunctions is a one-hour dataset: "api" with 360,000 invocations of
// 50 ms at 1,024 MB, "idle" without invocations, "broken" whose
// invocation count was not collected.
func threeFunctions() *pricing.Dataset {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	return &pricing.Dataset{Version: 1, Source: "cloudwatch", Region: "us-east-1", Start: start, End: start.Add(time.Hour), Functions: []pricing.DatasetFunction{
		{FunctionConfig: pricing.FunctionConfig{Name: "api", MemoryMB: 1024, Architecture: pricing.ARM64},
			Summary: pricing.FunctionSummary{Invocations: 360_000, DurationMs: pricing.DurationSet{Avg: 50}}},
		{FunctionConfig: pricing.FunctionConfig{Name: "idle", MemoryMB: 128, Architecture: pricing.X86_64}},
		{FunctionConfig: pricing.FunctionConfig{Name: "broken", MemoryMB: 128, Architecture: pricing.X86_64},
			Summary: pricing.FunctionSummary{DurationMs: pricing.DurationSet{Avg: 10}}, Missing: []string{"summary.invocations"}},
	}}
}

func TestDatasetInputs(t *testing.T) {
	prices := pricing.Embedded()
	for _, c := range []struct {
		name      string
		functions []string
		region    string
		inputs    []string
		messages  []string // substrings, in order
		err       string
	}{
		{"all", nil, "", []string{"api"}, []string{"broken is incomplete (summary.invocations were not collected): not compared"}, ""},
		{"all, with idle", []string{"api", "idle"}, "", []string{"api"}, []string{"idle: no invocations in the dataset window; skipped"}, ""},
		{"one, spaces", []string{" api ", ""}, "eu-west-1", []string{"api"}, nil, ""},
		{"unknown", []string{"api", "nope"}, "", nil, nil, `--function: no function "nope" in prod.json`},
		{"nothing left", []string{"idle"}, "", nil, []string{"idle: no invocations"}, "prod.json: no function with invocations to compare"},
	} {
		t.Run(c.name, func(t *testing.T) {
			set, err := DatasetInputs(prices, threeFunctions(), "prod.json", c.region, c.functions)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) || !pricing.IsInput(err) {
					t.Fatalf("err %v, want input error %q", err, c.err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if set == nil {
				t.Fatal("no set (its messages are lost)")
			}
			joined := strings.Join(set.Messages, "\n")
			for _, m := range c.messages {
				if !strings.Contains(joined, m) {
					t.Errorf("messages %q lack %q", set.Messages, m)
				}
			}
			if c.err != "" {
				return
			}
			var names []string
			for _, in := range set.Inputs {
				names = append(names, in.Name)
			}
			if !reflect.DeepEqual(names, c.inputs) || len(set.Notes) != len(names) || len(set.Assumptions) != len(names) {
				t.Fatalf("inputs %q, %d notes, %d assumptions", names, len(set.Notes), len(set.Assumptions))
			}
			in := set.Inputs[0]
			// 360,000 in one hour × 730 h = 262,800,000 requests a month;
			// 262.8M × 50 ms = 13,140,000 s at 1 GB.
			if in.Usage.Requests != 262_800_000 || in.Usage.OnDemandMs != 262_800_000*50 || in.Workload.MonthlyRequests != 262_800_000 {
				t.Errorf("usage %+v", in.Usage)
			}
			wantRegion := "us-east-1"
			if c.region != "" {
				wantRegion = c.region
			}
			if in.Region != wantRegion {
				t.Errorf("region %q, want %q", in.Region, wantRegion)
			}
			// The window is one hour: the month is an extrapolation, which
			// each input's assumptions must carry.
			if len(set.Assumptions[0]) == 0 {
				t.Error("no assumptions for a one-hour window projected to a month")
			}
			for _, a := range set.Assumptions[0] {
				if strings.HasPrefix(a.Field, "functions[") && !strings.HasPrefix(a.Field, "functions[api]") {
					t.Errorf("api carries another function's assumption %+v", a)
				}
			}
		})
	}
}

// A dataset comparison whose Lambda side gets the free tier no longer
// lists the dataset bill's "free_tier: not applied" beside "--free-tier:
// applied" (a contradiction); over a 1,460-hour window (two 730-hour
// months of totals) it says the free tier is taken off the average month;
// over one hour it says nothing more.
func TestDatasetFreeTier(t *testing.T) {
	in := pricing.Assumptions{{Field: "free_tier", Value: "not applied"}, {Field: "month", Value: "730 h"}}
	for _, tc := range []struct {
		window time.Duration
		want   []string
	}{
		{time.Hour, []string{"month=730 h"}},
		{1460 * time.Hour, []string{"month=730 h", "free_tier=off the window's average month"}},
	} {
		var got []string
		for _, a := range DatasetFreeTier(in, tc.window, false) {
			got = append(got, a.Field+"="+a.Value)
		}
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("%s: %q, want %q", tc.window, got, tc.want)
		}
	}
	if len(in) != 2 {
		t.Errorf("the input was modified: %v", in)
	}
}

// A 1,460-hour dataset whose series has one point per 730-hour month
// (525,600 and 2,102,400 invocations of 200 ms at 1024 MB, x86_64,
// us-east-1) is compared month by month: with the free tier, month 0 is
// free and month 1 is 1,102,400 × $0.0000002 + 20,480 GB-s ×
// $0.0000166667 = $0.561814016, a mean of $0.280907008 (the average month
// billed once, as before: 314,000 requests = $0.0628). The months carry
// the requests the series give each, projected to a whole month.
func TestDatasetInputsMonthByMonth(t *testing.T) {
	start := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)
	d := &pricing.Dataset{Version: 1, Region: "us-east-1", Start: start, End: start.Add(1460 * time.Hour), Functions: []pricing.DatasetFunction{{
		FunctionConfig: pricing.FunctionConfig{Name: "f", MemoryMB: 1024, Architecture: pricing.X86_64},
		Summary:        pricing.FunctionSummary{Invocations: 2_628_000, BilledDurationMs: 2_628_000 * 200, DurationMs: pricing.DurationSet{Avg: 200}},
		Series:         &pricing.Series{PeriodS: 2_628_000, Start: start, Invocations: []float64{525_600, 2_102_400}, DurationAvgMs: []float64{200, 200}, ConcurrencyMax: []float64{1, 1}}}}}
	set, err := DatasetInputs(pricing.Embedded(), d, "d.json", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	in := set.Inputs[0]
	if len(in.Months) != 2 || in.Months[0].Usage.Requests != 525_600 || in.Months[1].Usage.Requests != 2_102_400 || in.Months[1].StartS != 2_628_000 {
		t.Fatalf("months %+v", in.Months)
	}
	in.Options.FreeTier = true
	in.InstanceTypes = []string{"m7g.large"}
	in.NoLMI = true
	r, err := Compare(pricing.Embedded(), in)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Lambda.Arch(pricing.X86_64).Total.String(); got != "0.280907008" {
		t.Errorf("Lambda x86_64 $%s a month, want $0.280907008", got)
	}
}
