package whatif

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// api/compare is `lambdacost compare -o json` of the saved scenario, byte
// for byte (the CLI's defaults; its own exact simulation).
func TestCompareIsTheCLIsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	_, ts := newTestServer(t, base(t, checkout), Config{})
	const set = `{"memory_mb":1024,"traffic_scale":3}`
	a := post(t, nil, ts.URL+"/api/compare", `{"set":`+set+`}`)
	if a.code != 200 {
		t.Fatalf("api/compare: %d %s", a.code, a.body)
	}
	cmd := a.header.Get("X-Lambdacost-Command")
	if cmd != "lambdacost compare scenario.yaml -o json" {
		t.Errorf("command %q", cmd)
	}
	dir, _ := savedScenario(t, ts.URL, set, ModeExact)
	out, stderr, code := runCLI(t, dir, cmd)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
	}
	if !bytes.Equal(cliResult(t, out, "comparisons"), a.body) {
		t.Errorf("api/compare differs from `%s`:\nAPI: %.800s\nCLI: %.800s", cmd, a.body, out)
	}
	var r struct {
		Cheapest string `json:"cheapest"`
		Lambda   struct {
			MemoryMB int `json:"memory_mb"`
		} `json:"lambda"`
	}
	if err := json.Unmarshal(a.body, &r); err != nil || r.Cheapest == "" || r.Lambda.MemoryMB != 1024 {
		t.Errorf("comparison %+v %v", r, err)
	}
}

// The session's choice of the alternatives (an EC2 type, a Fargate size,
// no Managed Instances) is the saved scenario's compare: section, and its
// billing the billing: section: `lambdacost compare` on the saved file,
// without flags, gives the answer byte for byte.
func TestCompareChoicesAreTheCLIsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	_, ts := newTestServer(t, base(t, checkout), Config{})
	const body = `{"set":{"architecture":"x86_64","free_tier":true,"compute_savings_plan":0.17},"compare":{"instance_types":["m7g.large"],"fargate_task":"0.5:1","no_lmi":true}}`
	a := post(t, nil, ts.URL+"/api/compare", body)
	if a.code != 200 {
		t.Fatalf("api/compare: %d %s", a.code, a.body)
	}
	cmd := a.header.Get("X-Lambdacost-Command")
	if want := "lambdacost compare scenario.yaml -o json"; cmd != want {
		t.Errorf("command %q, want %q", cmd, want)
	}
	sv := post(t, nil, ts.URL+"/api/scenario", body)
	var resp ScenarioResponse
	if sv.code != 200 || json.Unmarshal(sv.body, &resp) != nil {
		t.Fatalf("api/scenario: %d %s", sv.code, sv.body)
	}
	for _, w := range []string{"compare:", "instance_types: [m7g.large]", "fargate_task: 0.5:1", "no_lmi: true", "free_tier: true"} {
		if !strings.Contains(resp.Scenario, w) {
			t.Errorf("saved scenario lacks %q:\n%s", w, resp.Scenario)
		}
	}
	if c := resp.Fields.Compare; len(c.InstanceTypes) != 1 || c.FargateTask != "0.5:1" || !c.NoLMI {
		t.Errorf("fields.compare = %+v", c)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, resp.File), []byte(resp.Scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, dir, cmd)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
	}
	if !bytes.Equal(cliResult(t, out, "comparisons"), a.body) {
		t.Errorf("api/compare differs from `%s`:\nAPI: %.800s\nCLI: %.800s", cmd, a.body, out)
	}
	var r struct {
		EC2 struct {
			InstanceType string `json:"instance_type"`
		} `json:"ec2"`
		Fargate struct {
			Task struct {
				VCPU float64 `json:"vcpu"`
			} `json:"task"`
		} `json:"fargate"`
		LMI    *struct{} `json:"lmi"`
		Saving struct {
			Current            string   `json:"current"`
			CurrentMonthlyUSD  float64  `json:"current_monthly_usd"`
			CheapestMonthlyUSD float64  `json:"cheapest_monthly_usd"`
			MonthlyUSD         float64  `json:"monthly_usd"`
			Percent            *float64 `json:"percent"`
		} `json:"saving"`
	}
	if err := json.Unmarshal(a.body, &r); err != nil || r.EC2.InstanceType != "m7g.large" || r.LMI != nil || r.Fargate.Task.VCPU != 0.5 {
		t.Errorf("comparison %+v %v", r, err)
	}
	// The saving is the difference of the two bills it names, and its
	// share of the current one; on x86_64 something is cheaper (arm64's
	// duration price is 20 % lower).
	s := r.Saving
	if s.Current != "lambda x86_64" || !(s.MonthlyUSD > 0) || math.Abs(s.MonthlyUSD-(s.CurrentMonthlyUSD-s.CheapestMonthlyUSD)) > 1e-9 ||
		s.Percent == nil || math.Abs(*s.Percent-100*s.MonthlyUSD/s.CurrentMonthlyUSD) > 1e-9 {
		t.Errorf("saving %+v", s)
	}
	// A flag still wins over the file.
	out, stderr, code = runCLI(t, dir, "lambdacost compare scenario.yaml --instance-type c7g.large -o json")
	if code != 0 || !strings.Contains(string(out), `"instance_type": "c7g.large"`) {
		t.Errorf("--instance-type c7g.large over the file: exit %d %s %.400s", code, stderr, out)
	}
}

// A base scenario's billing.log_bytes_per_request prices the Lambda
// side's logs on the page's comparison as `lambdacost compare` does on the
// saved file (one implementation: Scenario.ApplyCompareSections), with
// the same assumption.
func TestCompareLogBytesAreTheCLIs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	_, ts := newTestServer(t, append(base(t, checkout), "billing: {log_bytes_per_request: 2KB}\n"...), Config{})
	const body = `{"set":{"memory_mb":1024}}`
	a := post(t, nil, ts.URL+"/api/compare", body)
	if a.code != 200 {
		t.Fatalf("api/compare: %d %s", a.code, a.body)
	}
	if !bytes.Contains(a.body, []byte(`"field": "billing.log_bytes_per_request"`)) || !bytes.Contains(a.body, []byte(`"logs`)) {
		t.Errorf("api/compare has no logs line or no assumption for it: %.1500s", a.body)
	}
	sv := post(t, nil, ts.URL+"/api/scenario", body)
	var resp ScenarioResponse
	if sv.code != 200 || json.Unmarshal(sv.body, &resp) != nil {
		t.Fatalf("api/scenario: %d %s", sv.code, sv.body)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, resp.File), []byte(resp.Scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := a.header.Get("X-Lambdacost-Command")
	out, stderr, code := runCLI(t, dir, cmd)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
	}
	if !bytes.Equal(cliResult(t, out, "comparisons"), a.body) {
		t.Errorf("api/compare differs from `%s`:\nAPI: %.800s\nCLI: %.800s", cmd, a.body, out)
	}
}

// api/compare validates like api/plan and is bounded like an exact run.
func TestCompareBadInputAndBounds(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	if a := post(t, nil, ts.URL+"/api/compare", `{"set":{"memory_mb":1}}`); a.code != http.StatusBadRequest || !strings.Contains(a.errMsg(t), "function.memory_mb") {
		t.Errorf("bad memory: %d %s", a.code, a.body)
	}
	// The choices are the saved scenario's compare: section: refused in
	// the parser's words, at the line of the file the session saves.
	for _, tc := range []struct{ compare, want string }{
		{`{"instance_types":["m7g.large --html /tmp/x"]}`, `scenario.yaml:`},
		{`{"instance_types":["m7g.large --html /tmp/x"]}`, `compare.instance_types[0]: "m7g.large --html /tmp/x" is not an instance type name`},
		{`{"fargate_task":"lots"}`, "compare.fargate_task: want VCPU:GB"},
		{`{"no_lmi":true,"lmi_instance_types":["m7g.large"]}`, "compare: no_lmi leaves Managed Instances out"},
		{`{"instance_types":"m7g.large"}`, "compare.instance_types: expected a list"},
		{`{"instance_types":["m9z.huge"]}`, `compare.instance_types: no price for EC2 instance type "m9z.huge"`},
	} {
		if a := post(t, nil, ts.URL+"/api/compare", `{"compare":`+tc.compare+`}`); a.code != http.StatusBadRequest || !strings.Contains(a.errMsg(t), tc.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tc.compare, a.code, a.body, tc.want)
		}
	}
	_, big := newTestServer(t, []byte(bigScenario), Config{Limits: Limits{ExactBudget: time.Second, MaxWork: 2 * time.Second}})
	a := post(t, nil, big.URL+"/api/compare", `{}`)
	if a.code != http.StatusUnprocessableEntity || !strings.Contains(a.errMsg(t), "lambdacost compare scenario.yaml -o json") {
		t.Errorf("too large: %d %s", a.code, a.body)
	}
}

// api/recommend is `lambdacost plan scenario.yaml --max-cold-start-rate
// … -o json` of the saved scenario, byte for byte: the cheapest
// provisioned-concurrency level meeting the target and its saving.
func TestRecommendIsTheCLIsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	_, ts := newTestServer(t, base(t, checkout), Config{})
	const set = `{"duration":"40m","compute_savings_plan":0.1}`
	a := post(t, nil, ts.URL+"/api/recommend", `{"set":`+set+`,"target":{"max_cold_start_rate":0.001}}`)
	if a.code != 200 {
		t.Fatalf("api/recommend: %d %s", a.code, a.body)
	}
	cmd := a.header.Get("X-Lambdacost-Command")
	if want := "lambdacost plan scenario.yaml --max-cold-start-rate 0.001 -o json"; cmd != want {
		t.Errorf("command %q, want %q", cmd, want)
	}
	dir, _ := savedScenario(t, ts.URL, set, ModeExact)
	out, stderr, code := runCLI(t, dir, cmd)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
	}
	if !bytes.Equal(cliResult(t, out, ""), a.body) {
		t.Errorf("api/recommend differs from `%s`:\nAPI: %.800s\nCLI: %.800s", cmd, a.body, out)
	}
	var p struct {
		Best *struct {
			ColdStartRate float64 `json:"cold_start_rate"`
		} `json:"best"`
	}
	if err := json.Unmarshal(a.body, &p); err != nil || p.Best == nil || p.Best.ColdStartRate > 0.001 {
		t.Errorf("plan %s %v", a.body[:min(len(a.body), 400)], err)
	}
	for _, tc := range []struct{ body, want string }{
		{`{"target":{}}`, "target: give max_cold_start_rate or max_p99"},
		{`{"target":{"max_cold_start_rate":2}}`, "--max-cold-start-rate: must be between 0 and 1"},
		{`{"target":{"max_p99":"soon"}}`, `--max-p99: expected a positive duration such as 400ms, got "soon"`},
		{`{"set":{"memory_mb":1},"target":{"max_p99":"1s"}}`, "function.memory_mb"},
	} {
		if a := post(t, nil, ts.URL+"/api/recommend", tc.body); a.code != http.StatusBadRequest || !strings.Contains(a.errMsg(t), tc.want) {
			t.Errorf("%s: %d %s, want 400 with %q", tc.body, a.code, a.body, tc.want)
		}
	}
}
