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

// CompareCommand is the CLI command that reproduces api/compare on the
// scenario saved as file.
func CompareCommand(file string) string { return "lambdacost compare " + file + " -o json" }

// Compare prices s's month on Lambda against the always-on options (EC2,
// Fargate, Lambda Managed Instances) with `lambdacost compare`'s defaults
// and returns what `lambdacost compare FILE -o json` prints for the same
// file, byte for byte: it simulates s once (the exact engine, as compare
// does) and sizes and prices the fleets for the simulated month.
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
	pr := fleet.PerRequest{CPUTimeSource: "--cpu-time", BytesPerRequest: fleet.DefaultBytesPerRequest, RequestsPerConnection: fleet.DefaultRequestsPerConnection}
	notes = append(notes, pr.Apply(&in)...)
	r, err := fleet.Compare(prices, in)
	if err != nil {
		return nil, err
	}
	r.Notes = append(notes, r.Notes...)
	r.Notes = append(r.Notes, pr.AssumedNotes(in, r)...)
	var buf bytes.Buffer
	if err := reports.WriteJSON(&buf, r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// compare answers api/compare: `lambdacost compare FILE -o json` of the
// changed scenario (its own exact simulation, compare's defaults).
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
	// compare simulates with the exact engine: bounded like an exact run.
	if _, err := ChooseMode(sc, ModeExact, s.cfg.Limits); err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			tl.Command = CompareCommand(ScenarioFile)
		}
		writeModeError(w, err)
		return
	}
	s.answer(w, r, "", cacheKey(y, "compare"), CompareCommand(ScenarioFile),
		func(ctx context.Context, _ func(done, total int64)) ([]byte, error) {
			return Compare(ctx, sc, s.cfg.Prices)
		})
}
