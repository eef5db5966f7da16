package whatif

import (
	"bytes"
	"encoding/json"
	"net/http"
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
// no Managed Instances) and the scenario's billing reach compare as its
// flags: the answer is that command's JSON on the saved scenario.
func TestCompareChoicesAreTheCLIsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	_, ts := newTestServer(t, base(t, checkout), Config{})
	const set = `{"free_tier":true,"compute_savings_plan":0.17}`
	a := post(t, nil, ts.URL+"/api/compare", `{"set":`+set+`,"compare":{"instance_types":["m7g.large"],"fargate_task":"0.5:1","no_lmi":true}}`)
	if a.code != 200 {
		t.Fatalf("api/compare: %d %s", a.code, a.body)
	}
	cmd := a.header.Get("X-Lambdacost-Command")
	want := "lambdacost compare scenario.yaml --instance-type m7g.large --fargate-task 0.5:1 --no-lmi --free-tier --lambda-discount 0.17 -o json"
	if cmd != want {
		t.Errorf("command %q, want %q", cmd, want)
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
		EC2 struct {
			InstanceType string `json:"instance_type"`
		} `json:"ec2"`
		LMI *struct{} `json:"lmi"`
	}
	if err := json.Unmarshal(a.body, &r); err != nil || r.EC2.InstanceType != "m7g.large" || r.LMI != nil {
		t.Errorf("comparison %+v %v", r, err)
	}
}

// api/compare validates like api/plan and is bounded like an exact run.
func TestCompareBadInputAndBounds(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	if a := post(t, nil, ts.URL+"/api/compare", `{"set":{"memory_mb":1}}`); a.code != http.StatusBadRequest || !strings.Contains(a.errMsg(t), "function.memory_mb") {
		t.Errorf("bad memory: %d %s", a.code, a.body)
	}
	for _, tc := range []struct{ compare, want string }{
		{`{"instance_types":["m7g.large --html /tmp/x"]}`, `--instance-type: "m7g.large --html /tmp/x" is not an instance type name`},
		{`{"fargate_task":"lots"}`, "--fargate-task: want VCPU:GB"},
		{`{"no_lmi":true,"lmi_instance_types":["m7g.large"]}`, "--no-lmi"},
		{`{"instance_types":"m7g.large"}`, "compare.instance_types: expected a list"},
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
