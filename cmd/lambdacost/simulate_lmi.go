package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

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
