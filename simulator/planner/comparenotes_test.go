package planner

import (
	"reflect"
	"testing"

	"github.com/lambdacost/lambdacost/simulator"
)

func TestScenarioNotes(t *testing.T) {
	for _, c := range []struct {
		name string
		res  simulator.Result
		want []string
	}{
		{"quiet", simulator.Result{}, nil},
		{"throttles", simulator.Result{Throttles: 12},
			[]string{"the simulation throttled 12 requests; Lambda is billed for accepted invocations only"}},
		// 3 cold starts in 1,000 requests: 0.3%.
		{"cold starts", simulator.Result{ColdStarts: 3, ColdStartRate: 0.003},
			[]string{"at other volumes the curve keeps the simulated share of cold starts (0.3%) and their INIT per request"}},
		{"both", simulator.Result{Throttles: 1, ColdStarts: 1, ColdStartRate: 1.0 / 7},
			[]string{"the simulation throttled 1 requests; Lambda is billed for accepted invocations only",
				"at other volumes the curve keeps the simulated share of cold starts (14.3%) and their INIT per request"}},
	} {
		if got := ScenarioNotes(&c.res); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
