package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/lmi"
)

// lmiSimulation is a scenario's `lmi:` run and its bill (the "lmi" object
// of `simulate -o json`).
type lmiSimulation struct {
	InstanceType string           `json:"instance_type"`
	Simulation   *lmi.Result      `json:"simulation"`
	Bill         *pricing.LMIBill `json:"bill"`
}

// simulateLMI runs the scenario's `lmi:` section, if any.
func simulateLMI(s *simulator.Scenario, prices *pricing.PriceTable, region string) (*lmiSimulation, error) {
	if s.LMI == nil {
		return nil, nil
	}
	r, b, err := simulator.SimulateLMI(s, prices, region)
	if err != nil {
		return nil, err
	}
	return &lmiSimulation{InstanceType: s.LMI.InstanceType, Simulation: r, Bill: b}, nil
}

// writeJSONWithLMI writes v's JSON object with an "lmi" member added.
func writeJSONWithLMI(w io.Writer, v any, l *lmiSimulation) error {
	if l == nil {
		return reports.WriteJSON(w, v)
	}
	a, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	a = bytes.TrimSpace(a)
	if len(a) < 2 || a[len(a)-1] != '}' {
		return fmt.Errorf("simulate: result is not a JSON object")
	}
	sep := []byte(",")
	if bytes.Equal(a, []byte("{}")) {
		sep = nil
	}
	raw := append(append(append(append(a[:len(a)-1:len(a)-1], sep...), []byte(`"lmi":`)...), b...), '}')
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// lmiSimulationGrids are the human views of an LMI run.
func lmiSimulationGrids(l *lmiSimulation, csv bool) []reports.Grid {
	r := l.Simulation
	g := reports.Grid{Title: fmt.Sprintf("Lambda Managed Instances · %s · %s simulated", l.InstanceType, r.Span), Header: []string{"Metric", "Value"}, AlignRight: map[int]bool{1: true}}
	g.Rows = [][]string{
		{"Requests offered", reports.Numf(r.Requests, 0)},
		{"Accepted", reports.Numf(r.Accepted, 0)},
		{"Throttles (concurrency)", reports.Numf(r.ConcurrencyThrottles, 0)},
		{"Throttles (CPU)", reports.Numf(r.CPUThrottles, 0)},
		{"Cold starts", "0 (environments start ahead of traffic)"},
		{"Mean duration", r.MeanDuration.Round(time.Microsecond).String()},
		{"Max instances", fmt.Sprint(r.MaxInstances)},
		{"Instance-hours", reports.Numf(r.InstanceHours, 3)},
		{"Mean CPU utilisation", reports.Percent(r.MeanCPUUtilization)},
	}
	grids := []reports.Grid{g, reports.CostLinesGrid("Lambda Managed Instances: bill of the simulated span", l.Bill.Cost)}
	grids = append(grids, reports.AssumptionsGrid(l.Bill.Assumptions)...)
	if csv {
		tl := reports.Grid{Title: "LMI timeline", Header: []string{"t_s", "offered_rps", "accepted_rps", "environments", "instances", "cpu_utilization", "concurrency_throttles", "cpu_throttles"}}
		f := func(v float64) string { return fmt.Sprint(v) }
		for _, p := range r.Series {
			tl.Rows = append(tl.Rows, []string{f(p.T.Seconds()), f(p.OfferedRPS), f(p.AcceptedRPS), fmt.Sprint(p.Environments), fmt.Sprint(p.Instances), f(p.CPUUtilization), f(p.ConcurrencyThrottles), f(p.CPUThrottles)})
		}
		grids = append(grids, tl)
	}
	return grids
}
