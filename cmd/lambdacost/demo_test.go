package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoPipeline runs the whole demo through the CLI with the quick cpu
// built-in (image-resize is the default; under the race detector it is too
// slow for a unit test): measure, simulate, compare, tables and HTML.
func TestDemoPipeline(t *testing.T) {
	dir := t.TempDir()
	html := filepath.Join(dir, "demo.html")
	out, errOut, code := runCLI(t, nil, "demo", "--builtin", "cpu", "--memory", "512,1024", "--count", "2", "--html", html, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Tune struct {
			Results        []struct{ Status string } `json:"results"`
			Recommendation *struct {
				MemoryMB int `json:"memory_mb"`
			} `json:"recommendation"`
		} `json:"tune"`
		Simulation struct {
			Invocations int64   `json:"invocations"`
			Scenario    string  `json:"scenario"`
			Monthly     float64 `json:"monthly_cost_usd"`
		} `json:"simulation"`
		Compare struct {
			Lambda struct {
				Monthly float64 `json:"monthly_cost_usd"`
			} `json:"lambda"`
			EC2 struct {
				Instances int `json:"instances"`
			} `json:"ec2"`
		} `json:"compare"`
	}
	if err := json.Unmarshal(resultOf(t, out), &got); err != nil {
		t.Fatalf("demo -o json: %v\n%s", err, out)
	}
	if len(got.Tune.Results) != 2 || got.Tune.Recommendation == nil {
		t.Fatalf("tune = %+v", got.Tune)
	}
	// The spike: 20 req/s for 10 min + 10 s ramp + 3 min at 300 + 10 s ramp
	// + 9 min 40 s at 20 ≈ 12,000 + 1,600 + 54,000 + 1,600 + 11,600 = 80,800
	// offered requests (Poisson, so within a few hundred).
	if got.Simulation.Invocations < 79_500 || got.Simulation.Invocations > 82_100 {
		t.Errorf("simulated invocations = %d, want about 80,800", got.Simulation.Invocations)
	}
	if got.Simulation.Scenario != "cpu spike" || got.Compare.EC2.Instances < 1 {
		t.Errorf("simulation %+v, compare %+v", got.Simulation, got.Compare)
	}
	// Lambda's monthly cost in the comparison is the simulation's projection.
	if d := got.Compare.Lambda.Monthly - got.Simulation.Monthly; d > 0.01 || d < -0.01 {
		t.Errorf("compare prices Lambda at %v, the simulation at %v", got.Compare.Lambda.Monthly, got.Simulation.Monthly)
	}
	b, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{`id="cost-vs-memory"`, `id="environments"`, `id="cost-curve"`} {
		if !strings.Contains(string(b), id) {
			t.Errorf("demo report lacks %s", id)
		}
	}
	for _, s := range []string{"1/3 measuring", "2/3 simulating", "3/3 comparing", "wrote " + html} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q: %s", s, errOut)
		}
	}
}

func TestDemoBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"demo", "--memory", "64"}, "--memory"},
		{[]string{"demo", "--builtin", "nope", "--memory", "512"}, "nope"},
		{[]string{"demo", "--count", "0"}, "--count"},
	} {
		_, errOut, code := runCLI(t, nil, c.args...)
		if code != ExitBadInput || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 naming %s", c.args, code, errOut, c.want)
		}
	}
}
