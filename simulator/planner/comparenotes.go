package planner

import (
	"fmt"

	"github.com/lambdacost/lambdacost/simulator"
)

// ScenarioNotes are what a comparison built by ScenarioInput must say about
// its simulation: that throttled requests are not billed on Lambda, and that
// at other volumes the cost curve keeps the simulated share of cold starts
// and their INIT per request.
func ScenarioNotes(res *simulator.Result) []string {
	var notes []string
	if res.Throttles > 0 {
		notes = append(notes, fmt.Sprintf("the simulation throttled %d requests; Lambda is billed for accepted invocations only", res.Throttles))
	}
	if res.ColdStarts > 0 {
		notes = append(notes, fmt.Sprintf("at other volumes the curve keeps the simulated share of cold starts (%.3g%%) and their INIT per request", 100*res.ColdStartRate))
	}
	return notes
}
