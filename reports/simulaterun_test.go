package reports

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/lmi"
)

func TestModeAndTimelineGrids(t *testing.T) {
	r := &simulator.Result{Mode: "exact", Partial: true, ModeErrorPct: 0.5, ModeNote: "every request simulated", DiscardedWarmupS: 1800,
		RateThrottles: 3, ConcurrencyThrottles: 4,
		Timeline: []simulator.Bucket{{TS: 0, Arrivals: 60, ColdStarts: 2, ConcurrencyMax: 3, Environments: 2.5}, {TS: 60, Arrivals: 61.5}}}
	m := modeGrid(r)
	want := [][]string{{"Mode", "exact (PARTIAL: interrupted)"}, {"Validated error bound", "0.5 %"}, {"About the mode", "every request simulated"},
		{"Warm-up discarded", "1800 s"}, {"Rate throttles (10 × concurrency quota)", "3"}, {"Concurrency throttles", "4"}}
	if !reflect.DeepEqual(m.Rows, want) {
		t.Errorf("mode rows\n got %q\nwant %q", m.Rows, want)
	}
	tl := timelineGrid(r)
	if want := [][]string{{"0", "60", "2", "0", "3", "2.5"}, {"60", "61.5", "0", "0", "0", "0"}}; !reflect.DeepEqual(tl.Rows, want) {
		t.Errorf("timeline rows %q, want %q", tl.Rows, want)
	}
	var as pricing.Assumptions
	as.Add(pricing.Assumption{Field: "month", Value: "730 h", Why: "x"})
	for _, c := range []struct {
		as    pricing.Assumptions
		csv   bool
		last  string
		extra int
	}{{nil, false, "Mode", 1}, {as, false, "Assumptions", 2}, {as, true, "Timeline", 3}} {
		base := len(simulationRunGrids(r, nil))
		gs := SimulateGrids(r, nil, c.as, c.csv)
		if len(gs) != base+c.extra {
			t.Errorf("csv %v, %d assumptions: %d grids, want %d", c.csv, len(c.as), len(gs), base+c.extra)
			continue
		}
		if gs[len(gs)-1].Title == "" || (c.last != "Assumptions" && gs[len(gs)-1].Title != c.last) {
			t.Errorf("last grid %q, want %q", gs[len(gs)-1].Title, c.last)
		}
	}
}

func TestLMISimulationGrids(t *testing.T) {
	r := &lmi.Result{Span: time.Hour, Requests: 1000, Accepted: 990, ConcurrencyThrottles: 6, CPUThrottles: 4, MeanDuration: 41234567 * time.Nanosecond,
		MaxInstances: 3, InstanceHours: 3, MeanCPUUtilization: 0.4567,
		Series: []lmi.Point{{T: time.Minute, OfferedRPS: 10, AcceptedRPS: 9.5, Environments: 3, Instances: 3, CPUUtilization: 0.5, ConcurrencyThrottles: 0.5}}}
	b := &pricing.LMIBill{}
	b.Assumptions.Add(pricing.Assumption{Field: "lmi.free_tier", Value: "not applied", Why: "x"})
	gs := LMISimulationGrids("m7g.xlarge", r, b, false)
	if gs[0].Title != "Lambda Managed Instances · m7g.xlarge · 1h0m0s simulated" {
		t.Errorf("title %q", gs[0].Title)
	}
	got := map[string]string{}
	for _, row := range gs[0].Rows {
		got[row[0]] = row[1]
	}
	for k, want := range map[string]string{"Accepted": "990", "Throttles (CPU)": "4", "Mean duration": "41.235ms", "Max instances": "3", "Mean CPU utilisation": "45.7%"} {
		if got[k] != want {
			t.Errorf("%s = %q, want %q", k, got[k], want)
		}
	}
	if len(gs) != 3 || gs[1].Title != "Lambda Managed Instances: bill of the simulated span" {
		t.Fatalf("%d grids: %q", len(gs), gs[1].Title)
	}
	csv := LMISimulationGrids("m7g.xlarge", r, b, true)
	if len(csv) != 4 || !reflect.DeepEqual(csv[3].Rows, [][]string{{"60", "10", "9.5", "3", "3", "0.5", "0.5", "0"}}) {
		t.Errorf("CSV timeline %+v", csv[len(csv)-1])
	}
}

// The cost chart's subtitle says what the monthly bill is: it said "no
// free tier" even when the scenario's billing.free_tier applied it, and a
// span billed month by month is the mean of its months' bills.
func TestSimulationCostChartSaysFreeTier(t *testing.T) {
	months := []pricing.MonthUsage{{Seconds: pricing.SecondsPerMonth}, {StartS: pricing.SecondsPerMonth, Seconds: pricing.SecondsPerMonth}}
	for _, tc := range []struct {
		free   bool
		months []pricing.MonthUsage
		want   string
	}{
		{false, nil, "730-hour projection, no free tier"},
		{true, nil, "730-hour projection, free tier applied"},
		{true, months, "mean of 2 730-hour months, free tier in each month"},
	} {
		s := &simulator.Scenario{Billing: simulator.BillingSpec{FreeTier: tc.free}}
		p := SimulationPage(&simulator.Result{Region: "us-east-1", Months: tc.months, MonthlyCost: pricing.Cost{}}, s)
		found := false
		for _, sec := range p.Sections {
			for _, c := range sec.Charts {
				if c.ID == "cost-breakdown" {
					b, err := json.Marshal(c.Option)
					if err != nil {
						t.Fatal(err)
					}
					found = strings.Contains(string(b), tc.want)
				}
			}
		}
		if !found {
			t.Errorf("free %v, %d months: the cost chart does not say %q", tc.free, len(tc.months), tc.want)
		}
	}
}

// The dataset page's monthly fact says whether its bill has the free tier
// (a bill priced with it said "no free tier").
func TestDatasetPageSaysFreeTier(t *testing.T) {
	r := testDatasetReport(t)
	for _, free := range []bool{false, true} {
		r.Bill.Monthly.FreeTier = free
		want := map[bool]string{false: "730-hour month, no free tier", true: "730-hour month, free tier applied"}[free]
		if got := DatasetPage(r).Facts[0].Detail; got != want {
			t.Errorf("free %v: %q, want %q", free, got, want)
		}
	}
	// A window billed month by month (pricing.DatasetBill.Months) says
	// the monthly figure is the mean of its months'.
	r.Bill.Months = 2
	for _, free := range []bool{false, true} {
		r.Bill.Monthly.FreeTier = free
		want := map[bool]string{false: "mean of 2 730-hour months, no free tier", true: "mean of 2 730-hour months, free tier in each month"}[free]
		if got := DatasetPage(r).Facts[0].Detail; got != want {
			t.Errorf("free %v, 2 months: %q, want %q", free, got, want)
		}
	}
}
