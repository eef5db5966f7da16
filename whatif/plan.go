package whatif

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
)

// Modes a session may ask for (Request.Mode).
const (
	// ModeInteractive (the page's default) answers with the exact engine
	// when its estimated time fits Limits.ExactBudget, else with the fast
	// mode, else refuses with a TooLargeError.
	ModeInteractive = "interactive"
	ModeExact       = simulator.ModeExact
	ModeFast        = simulator.ModeFast
)

// Limits bound the work one request may do.
type Limits struct {
	// ExactBudget is the estimated exact run time (simulator.EstimateExact
	// on one core) up to which the interactive mode uses the exact engine.
	ExactBudget time.Duration
	// MaxWork is the largest estimated run time a request may start, in any
	// mode; beyond it the answer is a TooLargeError offering the CLI run.
	MaxWork time.Duration
	// Timeout cancels a run that takes longer than this anyway (the
	// estimates are planning figures on a shared machine).
	Timeout time.Duration
}

// DefaultLimits suit a shared laptop: exact answers up to ≈ 1.5 s of
// estimated work, nothing over ≈ 20 s, and a hard stop at 60 s.
var DefaultLimits = Limits{ExactBudget: 1500 * time.Millisecond, MaxWork: 20 * time.Second, Timeout: 60 * time.Second}

// TooLargeError says a scenario is too large for an interactive answer
// and which command gives the exact one.
type TooLargeError struct {
	Estimate time.Duration
	Mode     string
	Command  string
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("too large for an interactive answer: the %s run is estimated at %s; download the scenario and run `%s` for the exact answer",
		e.Mode, e.Estimate.Round(100*time.Millisecond), e.Command)
}

// Command is the CLI command that reproduces a result of mode on the
// scenario saved as file.
func Command(file, mode string) string {
	if mode == ModeFast {
		return "lambdacost simulate " + file + " --mode fast -o json"
	}
	return "lambdacost simulate " + file + " -o json"
}

// ChooseMode picks the engine for a request: requested is ModeInteractive,
// ModeExact or ModeFast. It returns a *TooLargeError when the work would
// exceed the limits, an *pricing.InputError for an unknown mode.
func ChooseMode(s *simulator.Scenario, requested string, lim Limits) (string, error) {
	exact := simulator.EstimateExact(s, 1, 1)
	switch requested {
	case "", ModeInteractive:
		if exact <= lim.ExactBudget || simulator.FastRefusal(s) != nil {
			if exact > lim.MaxWork {
				return "", &TooLargeError{Estimate: exact, Mode: ModeExact, Command: Command(ScenarioFile, ModeExact)}
			}
			return ModeExact, nil
		}
		if f := simulator.EstimateFast(s); f > lim.MaxWork {
			return "", &TooLargeError{Estimate: f, Mode: ModeFast, Command: Command(ScenarioFile, ModeExact)}
		}
		return ModeFast, nil
	case ModeExact:
		if exact > lim.MaxWork {
			return "", &TooLargeError{Estimate: exact, Mode: ModeExact, Command: Command(ScenarioFile, ModeExact)}
		}
		return ModeExact, nil
	case ModeFast:
		if err := simulator.FastRefusal(s); err != nil {
			return "", err
		}
		if f := simulator.EstimateFast(s); f > lim.MaxWork {
			return "", &TooLargeError{Estimate: f, Mode: ModeFast, Command: Command(ScenarioFile, ModeFast)}
		}
		return ModeFast, nil
	}
	return "", pricing.Inputf("mode", "%q is not interactive, exact or fast", requested)
}

// Simulate runs s in mode (ModeExact or ModeFast) as `lambdacost simulate
// FILE [--mode fast] -o json` does for the same file, and returns that
// command's JSON, byte for byte. s must name its region (the page's
// scenarios always do). Cancelling ctx stops the simulator. progress, if
// not nil, is called now and then with the simulated time done and the
// total (nanoseconds).
func Simulate(ctx context.Context, s *simulator.Scenario, mode string, prices *pricing.PriceTable, progress func(done, total int64)) ([]byte, error) {
	res, err := run(ctx, s, mode, prices, progress)
	if err != nil {
		return nil, err
	}
	return finish(s, res, prices)
}

// run is the simulation of Simulate: the simulator's own result, before
// the monthly assumptions (which depend on the billing: section).
func run(ctx context.Context, s *simulator.Scenario, mode string, prices *pricing.PriceTable, progress func(done, total int64)) (*simulator.Result, error) {
	if s.Region == "" {
		return nil, pricing.Inputf(ScenarioFile, "region: the scenario must name its region")
	}
	res, err := simulator.Run(ctx, s, simulator.Options{Runs: 1, Prices: prices, Mode: mode, Progress: progress})
	if err != nil {
		return nil, err
	}
	if res.Partial {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("simulate: the run stopped early")
	}
	return res, nil
}

// finish writes simulate's JSON of res, a result of run for s (or one
// priced again for s): the monthly assumptions and the lmi: section
// added. res is not modified.
func finish(s *simulator.Scenario, res *simulator.Result, prices *pricing.PriceTable) ([]byte, error) {
	// The simulator's own assumptions, then the monthly figures' (month,
	// provisioned concurrency, free tier), as `simulate` lists them.
	out := *res
	as := append(pricing.Assumptions(nil), res.Assumptions...)
	for _, a := range simulator.MonthlyAssumptions(s, res) {
		as.Add(a)
	}
	out.Assumptions = as

	// The scenario's lmi: section, if any: the same traffic on Managed
	// Instances, as the "lmi" member (simulate's one writer).
	l, err := simulator.RunLMI(s, prices, s.Region)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := reports.WriteSimulationJSON(&buf, &out, l); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// poolKey keys the simulations a bill-only change can reuse: the mode and
// the session's changes without those the simulation does not read (the
// region, the architecture and the billing: section; the base scenario
// is the server's). Memory stays in the key: a tune result's duration
// distribution depends on it.
func poolKey(set Set, mode string) string {
	set.Region, set.Architecture, set.FreeTier, set.ComputeSavingsPlan = nil, nil, nil, nil
	b, err := json.Marshal(set)
	if err != nil {
		panic(err) // a Set always marshals
	}
	return cacheKey(b, "pool/"+mode)
}

// poolSize bounds the simulations kept for re-pricing (each holds its
// timeline, at most 2,000 buckets).
const poolSize = 16

// Repriced is how many answers were priced from a kept simulation.
func (s *Server) Repriced() int {
	return s.pool.Hits()
}
