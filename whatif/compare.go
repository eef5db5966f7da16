package whatif

import (
	"bytes"
	"context"
	"errors"
	"net/http"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// CompareSet are the session's choices of the always-on alternatives:
// the scenario's compare: section (simulator.CompareSpec; compare's
// --instance-type, --fargate-task, --lmi-instance-type and --no-lmi). The
// session's choices are written into the scenario (ApplyCompare) and
// validated by its parser; empty fields keep compare's defaults (every
// type priced, 1 vCPU with 2 GB, every c/m/r type for Managed Instances).
type CompareSet = simulator.CompareSpec

// CompareCommand is the CLI command that reproduces api/compare on the
// scenario saved as file: its compare: and billing: sections carry the
// session's choices, so no flag is needed.
func CompareCommand(file string) string {
	return "lambdacost compare " + file + " -o json"
}

// Compare prices s's month on Lambda against the always-on options (EC2,
// Fargate, Lambda Managed Instances) with `lambdacost compare`'s defaults
// but for the scenario's compare: and billing: sections, and returns what
// CompareCommand prints for the same file, byte for byte: it simulates s
// once (the exact engine, as compare does) and sizes and prices the
// fleets for the simulated month.
func Compare(ctx context.Context, s *simulator.Scenario, prices *pricing.PriceTable) ([]byte, error) {
	if s.Region == "" {
		return nil, pricing.Inputf(ScenarioFile, "region: the scenario must name its region")
	}
	in, res, err := planner.ScenarioInput(ctx, s, simulator.Options{Prices: prices, Workers: 1})
	if err != nil {
		return nil, err
	}
	if res.Partial {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	notes := planner.ScenarioNotes(res)
	in.Options = fleet.Options{
		Scaling:    fleet.Scaling{TargetUtilization: fleet.DefaultTargetUtilization, MinInstances: fleet.DefaultMinInstances},
		EBSGB:      fleet.DefaultEBSGB,
		APIGateway: fleet.APIGatewayNone,
	}
	// The scenario's billing: and compare: sections, as compare reads them.
	billing, err := s.ApplyCompareSections(prices, &in, nil)
	if err != nil {
		return nil, err
	}
	pr := fleet.PerRequest{CPUTimeSource: "--cpu-time", BytesPerRequest: fleet.DefaultBytesPerRequest, RequestsPerConnection: fleet.DefaultRequestsPerConnection}
	notes = append(notes, pr.Apply(&in)...)
	r, err := fleet.Compare(prices, in)
	if err != nil {
		return nil, err
	}
	r.Notes = append(notes, r.Notes...)
	for _, a := range billing {
		r.Assumptions.Add(a)
	}
	for _, a := range simulator.CompareFleetAssumptions(in, nil) {
		r.Assumptions.Add(a)
	}
	r.Notes = append(r.Notes, pr.AssumedNotes(in, r)...)
	var buf bytes.Buffer
	if err := reports.WriteJSON(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// compare answers api/compare: `lambdacost compare FILE -o json` of the
// changed scenario, the session's choices of the alternatives in its
// compare: section (its own exact simulation).
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	y, sc, err := s.build(req, "")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	command := CompareCommand(ScenarioFile)
	// compare simulates with the exact engine: bounded like an exact run.
	if _, err := ChooseMode(sc, ModeExact, s.cfg.Limits); err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			tl.Command = command
		}
		writeModeError(w, err)
		return
	}
	s.answer(w, r, "", cacheKey(y, command), command,
		func(ctx context.Context, _ func(done, total int64)) ([]byte, error) {
			return Compare(ctx, sc, s.cfg.Prices)
		})
}
