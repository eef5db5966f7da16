package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type lmiJSON struct {
	InstanceType  string  `json:"instance_type"`
	Architecture  string  `json:"architecture"`
	Requests      int64   `json:"requests"`
	InstanceHours float64 `json:"instance_hours"`
	Lines         []struct {
		Name string  `json:"name"`
		Cost float64 `json:"cost_usd"`
	} `json:"lines"`
	Cost struct {
		Lines []struct {
			Name string  `json:"name"`
			Cost float64 `json:"cost_usd"`
		} `json:"lines"`
	} `json:"cost"`
	Total       float64 `json:"total_usd"`
	Assumptions []struct {
		Field string `json:"field"`
	} `json:"assumptions"`
	Sizing *struct {
		Instances    int `json:"instances"`
		Environments int `json:"environments"`
	} `json:"sizing"`
}

// AWS's LMI worked example through the CLI: $20 + $91.40 + $48.96 = $160.36.
func TestEstimateLMIAWSExample(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "estimate", "--lmi", "--requests", "100M", "--instance-type", "m7g.xlarge", "--instance-hours", "2000", "--ec2-rate", "0.0457", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e lmiJSON
	if err := json.Unmarshal(resultOf(t, out), &e); err != nil {
		t.Fatal(err)
	}
	if round2(e.Total) != 160.36 || e.InstanceType != "m7g.xlarge" || e.Architecture != "arm64" || e.Requests != 100_000_000 || e.InstanceHours != 2000 {
		t.Errorf("estimate = %+v", e)
	}
	want := map[string]float64{"lmi_requests": 20, "lmi_instances": 91.4, "lmi_management_fee": 48.96}
	for _, l := range e.Cost.Lines {
		if round2(l.Cost) != want[l.Name] {
			t.Errorf("%s = %v, want %v", l.Name, l.Cost, want[l.Name])
		}
	}
	if len(e.Cost.Lines) != 3 || len(e.Assumptions) == 0 || e.Sizing != nil {
		t.Errorf("lines %d, assumptions %d, sizing %v", len(e.Cost.Lines), len(e.Assumptions), e.Sizing)
	}
}

// From traffic: the 2,000 req/s × 40 ms CPU on m7g.xlarge (see
// fleet.TestSizeLMIIssueExample): 40 instances, $6,531.456.
func TestEstimateLMIFromTraffic(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "estimate", "--lmi", "--requests", "5256000000", "--duration", "40ms", "--peak-rps", "2000", "--instance-type", "m7g.xlarge", "--runtime", "nodejs22.x", "--lmi-target-cpu", "0.5", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e lmiJSON
	if err := json.Unmarshal(resultOf(t, out), &e); err != nil {
		t.Fatal(err)
	}
	if e.Sizing == nil || e.Sizing.Instances != 40 || e.Sizing.Environments != 160 || round2(e.Total) != 6531.46 {
		t.Errorf("estimate = %+v sizing %+v", e, e.Sizing)
	}
	// No CPU time given: the whole duration is assumed CPU, and said so.
	found := false
	for _, a := range e.Assumptions {
		found = found || a.Field == "cpu_time"
	}
	if !found {
		t.Error("cpu_time assumption missing")
	}
}

func TestEstimateLMIUsageFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "lmi.yaml")
	if err := os.WriteFile(p, []byte("region: us-east-1\ninstance_type: m7g.xlarge\nrequests: 100000000\ninstance_hours: 2000\nec2_rate: 0.0457\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "estimate", "--lmi", "--usage", p, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e lmiJSON
	if err := json.Unmarshal(resultOf(t, out), &e); err != nil {
		t.Fatal(err)
	}
	if round2(e.Total) != 160.36 {
		t.Errorf("total = %v", e.Total)
	}
	// A bad value is reported at its line; an unknown key is an error.
	if err := os.WriteFile(p, []byte("instance_type: m7g.xlarge\nrequests: 1000\ninstance_hours: 2000\ninstances: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCLI(t, nil, "estimate", "--lmi", "--usage", p)
	if code != 2 || !strings.Contains(errOut, "lmi.yaml:3") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if err := os.WriteFile(p, []byte("instance_type: m7g.xlarge\nrequests: 1000\ninstance_hours: 2000\nfree_tier: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCLI(t, nil, "estimate", "--lmi", "--usage", p)
	if code != 2 || !strings.Contains(errOut, "free_tier") {
		t.Errorf("unknown key: exit %d: %s", code, errOut)
	}
}

func TestEstimateLMIBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--lmi", "--requests", "1M", "--instance-type", "t3.medium", "--instances", "3"}, "--instance-type"},
		{[]string{"--lmi", "--requests", "1M", "--instance-type", "m7g.large"}, "--instance-hours"},
		{[]string{"--lmi", "--requests", "1M", "--instance-type", "m7g.large", "--instances", "3", "--memory", "512"}, "--memory"},
		{[]string{"--lmi", "--requests", "1M", "--instance-type", "m7g.large", "--instances", "3", "--free-tier"}, "--free-tier"},
		{[]string{"--lmi", "--requests", "1M", "--instance-type", "m7g.large", "--instances", "3", "--ec2-discount", "1"}, "--ec2-discount"},
		{[]string{"--lmi", "--requests", "1M", "--instance-type", "m7g.large", "--instances", "3", "--runtime", "python"}, "--runtime"},
		{[]string{"--lmi", "--requests", "1M", "--instance-type", "m7g.large", "--duration", "50ms", "--lmi-memory-per-vcpu", "9"}, "--lmi-memory-per-vcpu"},
		{[]string{"--requests", "1M", "--duration", "50ms", "--instance-type", "m7g.large"}, "only applies with --lmi"},
	} {
		_, errOut, code := runCLI(t, nil, append([]string{"estimate"}, c.args...)...)
		if code != 2 || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d: %s", c.args, code, errOut)
		}
	}
}

// CPU time from a `lambdacost run` result (21.043744 ms mean, see
// TestCompareRunCPU): a 1-vCPU environment at 50 % takes 0.5 / 0.021043744
// = 23.76 req/s, so a 1,000 req/s peak needs ceil(42.09) = 43 environments
// on ceil(43 / 4) = 11 m7g.xlarge.
func TestEstimateLMIRun(t *testing.T) {
	run := filepath.Join("..", "..", "testdata", "compare", "run-cpu20ms.json")
	out, errOut, code := runCLI(t, nil, "estimate", "--lmi", "--requests", "1B", "--duration", "100ms", "--peak-rps", "1000", "--run", run,
		"--instance-type", "m7g.xlarge", "--runtime", "nodejs22.x", "--lmi-target-cpu", "0.5", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e lmiJSON
	if err := json.Unmarshal(resultOf(t, out), &e); err != nil {
		t.Fatal(err)
	}
	if e.Sizing == nil || e.Sizing.Environments != 43 || e.Sizing.Instances != 11 {
		t.Errorf("sizing = %+v", e.Sizing)
	}
	found := false
	for _, a := range e.Assumptions {
		found = found || a.Field == "--run"
	}
	if !found {
		t.Error("the measured CPU time is not listed")
	}
	_, errOut, code = runCLI(t, nil, "estimate", "--lmi", "--requests", "1B", "--duration", "100ms", "--run", run, "--cpu-time", "10ms", "--instance-type", "m7g.xlarge")
	if code != 2 || !strings.Contains(errOut, "--run") {
		t.Errorf("--run with --cpu-time: exit %d: %s", code, errOut)
	}
}
