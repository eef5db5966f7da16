package whatif

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
	"github.com/lambdacost/lambdacost/simulator/planner"
)

// Target is the service level the plan recommendation meets: plan's
// --max-cold-start-rate and --max-p99 (at least one).
type Target struct {
	MaxColdStartRate *float64 `json:"max_cold_start_rate,omitempty"`
	MaxP99           string   `json:"max_p99,omitempty"`
}

// RecommendRequest is the body of api/recommend: a what-if and the target.
type RecommendRequest struct {
	Set    Set    `json:"set"`
	Target Target `json:"target"`
}

// planLevels is the planning figure of how many levels a plan simulates
// (a coarse grid of 12, then single levels around the best: two or three
// rounds), for bounding api/recommend like an exact run.
const planLevels = 36

// options checks t as plan checks its flags, with plan's messages.
func (t Target) options() (planner.Target, error) {
	var pt planner.Target
	var errs []error
	if t.MaxColdStartRate == nil && t.MaxP99 == "" {
		errs = append(errs, pricing.Inputf("target", "give max_cold_start_rate or max_p99 (plan's --max-cold-start-rate, --max-p99)"))
	}
	if r := t.MaxColdStartRate; r != nil {
		if *r < 0 || *r > 1 || *r != *r {
			errs = append(errs, pricing.Inputf("--max-cold-start-rate", "must be between 0 and 1"))
		}
		v := *r
		pt.MaxColdStartRate = &v
	}
	if t.MaxP99 != "" {
		d, err := pricing.ParseDuration(t.MaxP99)
		if err != nil || d <= 0 || len(t.MaxP99) > 20 {
			errs = append(errs, pricing.Inputf("--max-p99", "expected a positive duration such as 400ms, got %q", t.MaxP99))
		} else {
			pt.MaxP99 = d.D()
		}
	}
	return pt, pricing.Errors(errs)
}

// RecommendCommand is the CLI command that reproduces api/recommend on
// the scenario saved as file.
func RecommendCommand(file string, t Target) string {
	cmd := "lambdacost plan " + file
	if t.MaxColdStartRate != nil {
		cmd += " --max-cold-start-rate " + strconv.FormatFloat(*t.MaxColdStartRate, 'g', -1, 64)
	}
	if t.MaxP99 != "" {
		cmd += " --max-p99 " + t.MaxP99
	}
	return cmd + " -o json"
}

// Recommend searches the provisioned-concurrency level that meets t at
// the lowest monthly bill and returns what RecommendCommand prints for the
// same file, byte for byte (its best level, its saving against the
// scenario's own level, the trade-off curve, Managed Instances against
// the best level).
func Recommend(ctx context.Context, s *simulator.Scenario, prices *pricing.PriceTable, t Target) ([]byte, error) {
	pt, err := t.options()
	if err != nil {
		return nil, err
	}
	plan, err := planner.PlanProvisioned(ctx, s, planner.PlanOptions{Target: pt, Workers: 1, Sim: simulator.Options{Prices: prices, Runs: 1}})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := reports.WriteJSON(&buf, plan); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// recommend answers api/recommend.
func (s *Server) recommend(w http.ResponseWriter, r *http.Request) {
	var req RecommendRequest
	if !s.readBody(w, r, &req) {
		return
	}
	y, sc, err := s.build(Request{Set: req.Set}, "")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	if _, err := req.Target.options(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	command := RecommendCommand(ScenarioFile, req.Target)
	if est := time.Duration(planLevels) * simulator.EstimateExact(sc, 1, 1); est > s.cfg.Limits.MaxWork {
		writeModeError(w, &TooLargeError{Estimate: est, Mode: "plan", Command: command})
		return
	}
	s.answer(w, r, "", cacheKey(y, command), command,
		func(ctx context.Context, _ func(done, total int64)) ([]byte, error) {
			return Recommend(ctx, sc, s.cfg.Prices, req.Target)
		})
}
