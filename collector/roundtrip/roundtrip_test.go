// Package roundtrip checks that the runner's log output imports back, through
// the collector, to the numbers the runner measured. It is a package of its
// own so that the collector's tests do not depend on the runner building.
package roundtrip

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/collector"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// The runner's log output for a run, imported back, gives the numbers the
// runner measured: invocations, cold starts, timeouts, billed milliseconds,
// memory, and durations as REPORT lines print them (2 decimals).
//
// The run mixes warm and cold invocations (2 environments), function
// errors (sleep rejects a negative ms) and 1.5 s sleeps against a 1 s
// timeout (a timeout, or a function error when the handler notices its
// deadline first — both are compared).
func TestRunnerLogsRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("runs real function processes")
	}
	events := [][]byte{[]byte(`{"ms":5}`), []byte(`{"ms":-1}`), []byte(`{"ms":2}`), []byte(`{"ms":1500}`), []byte(`{"ms":8}`)}
	for _, format := range []string{runner.LogText, runner.LogJSON} {
		t.Run(format, func(t *testing.T) {
			var logs bytes.Buffer
			cfg := runner.Config{
				Builtin:     "sleep",
				Function:    pricing.FunctionConfig{Name: "roundtrip", MemoryMB: 256, Timeout: pricing.Duration(time.Second)},
				Concurrency: 2,
				LogFormat:   format,
				Logs:        &logs,
			}
			res, err := runner.Run(context.Background(), cfg, events, 10)
			if err != nil {
				t.Fatal(err)
			}
			im := collector.NewImporter(collector.ImportOptions{})
			if err := im.Read("roundtrip.log", bytes.NewReader(logs.Bytes())); err != nil {
				t.Fatal(err)
			}
			d := im.Dataset()
			if len(d.Problems) != 0 || im.Stats().Malformed != 0 {
				t.Fatalf("problems importing the runner's logs: %v\n%s", d.Problems, logs.String())
			}
			if len(d.Functions) != 1 {
				t.Fatalf("functions = %d\n%s", len(d.Functions), logs.String())
			}
			got := d.Functions[0]
			s := res.Summary

			// Expected values from the runner's own per-invocation record.
			var billed, initSum int64
			var durs []int64
			var initN, maxMem int
			for _, inv := range res.Invocations {
				billed += inv.BilledDurationMs
				durs = append(durs, int64(math.Round(inv.DurationMs*100))) // as printed: 2 decimals
				if inv.Cold {
					initN++
					initSum += int64(math.Round(inv.InitDurationMs * 100))
				}
				maxMem = max(maxMem, inv.MaxMemoryUsedMB)
			}
			slices.Sort(durs)
			rank := func(q float64) float64 { return float64(durs[int(math.Ceil(q*float64(len(durs))))-1]) / 100 }
			var durSum int64
			for _, v := range durs {
				durSum += v
			}

			checkByHand(t, res, got)
			g := got.Summary
			wantErrors := int64(s.Timeouts) // text: a handled function error prints no Status
			if format == runner.LogJSON {
				wantErrors = int64(s.Errors + s.Timeouts) // JSON: status "error" too
			}
			if g.Invocations != int64(s.Invocations) || g.ColdStarts != int64(s.ColdStarts) || g.Timeouts != int64(s.Timeouts) || g.Errors != wantErrors {
				t.Errorf("counts: imported %d inv, %d cold, %d timeouts, %d errors; runner %d inv, %d cold, %d timeouts, %d errors",
					g.Invocations, g.ColdStarts, g.Timeouts, g.Errors, s.Invocations, s.ColdStarts, s.Timeouts, wantErrors)
			}
			if s.ColdStarts < 2 || s.Errors == 0 {
				t.Errorf("the run did not exercise cold starts and errors: %+v", s)
			}
			if g.BilledDurationMs != billed || g.BilledDurationMs != s.Usage.OnDemandMs {
				t.Errorf("billed ms: imported %d, runner invocations %d, runner usage %d", g.BilledDurationMs, billed, s.Usage.OnDemandMs)
			}
			if want := float64(billed) * 256 / 1024000; !near(g.BilledGBSeconds, want) {
				t.Errorf("GB-s: imported %v, want %v", g.BilledGBSeconds, want)
			}
			if got.MemoryMB != 256 || g.MaxMemoryUsedMB != maxMem || g.MaxMemoryUsedMB != s.MaxMemoryUsedMB {
				t.Errorf("memory: imported %d MB, max used %d; runner max used %d", got.MemoryMB, g.MaxMemoryUsedMB, s.MaxMemoryUsedMB)
			}
			want := pricing.DurationSet{Avg: float64(durSum) / 100 / float64(len(durs)), P50: rank(0.5), P90: rank(0.9), P99: rank(0.99), Max: float64(durs[len(durs)-1]) / 100}
			if !near(g.DurationMs.Avg, want.Avg) || g.DurationMs.P50 != want.P50 || g.DurationMs.P90 != want.P90 || g.DurationMs.P99 != want.P99 || g.DurationMs.Max != want.Max {
				t.Errorf("durations: imported %+v, runner (as printed) %+v", g.DurationMs, want)
			}
			// The runner's summary and the import use the same percentile
			// definition (nearest rank); the logs print durations to 0.01 ms.
			for _, c := range []struct {
				name      string
				imp, runr float64
			}{{"mean", g.DurationMs.Avg, s.DurationMs.Mean}, {"p50", g.DurationMs.P50, s.DurationMs.P50},
				{"p90", g.DurationMs.P90, s.DurationMs.P90}, {"p99", g.DurationMs.P99, s.DurationMs.P99}, {"max", g.DurationMs.Max, s.DurationMs.Max}} {
				if math.Abs(c.imp-c.runr) > 0.005 {
					t.Errorf("durations vs runner summary: %s imported %v, runner %v", c.name, c.imp, c.runr)
				}
			}
			if initN > 0 && !near(g.InitDurationMs.Avg, float64(initSum)/100/float64(initN)) {
				t.Errorf("init avg: imported %v, runner %v", g.InitDurationMs.Avg, float64(initSum)/100/float64(initN))
			}
			if t.Failed() {
				t.Logf("runner logs:\n%s", logs.String())
			}
		})
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
