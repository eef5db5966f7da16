package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func lmiScenario(t *testing.T, stages, lmi string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "lmi.yaml")
	body := "name: lmi\nseed: 1\nduration: 30m\nfunction:\n  memory_mb: 2048\n  architecture: arm64\n  duration: 40ms\ntraffic:\n  arrivals: even\n  start_rate: 100\n  stages:\n" + stages + "lmi:\n" + lmi
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// The scenario's traffic also runs on LMI: 100 → 250 req/s at once (more
// than doubling) throttles 50 req/s for the 5-minute lag = 15,000 CPU
// throttles (see simulator/lmi TestDoublingThrottles); a ramp to 300 req/s
// over 30 minutes throttles none. The Lambda result is still there.
func TestSimulateLMI(t *testing.T) {
	node := "  instance_type: m7g.xlarge\n  runtime: nodejs22.x\n  cpu_time: 40ms\n  target_cpu: 0.5\n"
	jump := lmiScenario(t, "    - {duration: 10m, target: 100}\n    - {duration: 0s, target: 250}\n    - {duration: 20m, target: 250}\n", node)
	out, errOut, code := runCLI(t, nil, "simulate", jump, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Invocations json.RawMessage `json:"invocations"`
		LMI         struct {
			Simulation struct {
				CPUThrottles         float64 `json:"cpu_throttles"`
				ConcurrencyThrottles float64 `json:"concurrency_throttles"`
				MaxInstances         int     `json:"max_instances"`
			} `json:"simulation"`
			Bill struct {
				Total float64 `json:"total_usd"`
			} `json:"bill"`
		} `json:"lmi"`
	}
	if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.LMI.Simulation.CPUThrottles-15000) > 1e-6 || r.LMI.Simulation.ConcurrencyThrottles != 0 || r.LMI.Simulation.MaxInstances != 5 || r.LMI.Bill.Total <= 0 {
		t.Errorf("lmi = %+v", r.LMI)
	}
	if !strings.Contains(out, `"cold_starts"`) {
		t.Error("the Lambda simulation is missing from the JSON")
	}
	ramp := lmiScenario(t, "    - {duration: 30m, target: 300}\n", node)
	out, errOut, code = runCLI(t, nil, "simulate", ramp)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "Lambda Managed Instances") || !strings.Contains(out, "Throttles (CPU)") {
		t.Errorf("table without LMI:\n%s", out)
	}
	out, _, _ = runCLI(t, nil, "simulate", ramp, "-o", "json")
	if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
		t.Fatal(err)
	}
	if r.LMI.Simulation.CPUThrottles != 0 || r.LMI.Simulation.ConcurrencyThrottles != 0 {
		t.Errorf("slow ramp throttled: %+v", r.LMI.Simulation)
	}
	bad := lmiScenario(t, "    - {duration: 30m, target: 100}\n", "  instance_type: m7g.xlarge\n  warm_pool: 3\n")
	_, errOut, code = runCLI(t, nil, "simulate", bad)
	if code != 2 || !strings.Contains(errOut, "lmi.warm_pool") || !strings.Contains(errOut, "lmi.yaml:") {
		t.Errorf("unknown key: exit %d: %s", code, errOut)
	}
}

// The shipped example: 200 req/s (12 environments: 200 × 0.03 / 0.5) jump
// to 600 at 10 min; the 12 vCPUs take 400 req/s, so 200 req/s are CPU
// throttles for the 5-minute lag = 60,000. Offered: 200 × 600 + 600 × 1,200
// + 400 (mean of the ramp) × 1,800 = 1,560,000.
func TestSimulateLMIExample(t *testing.T) {
	out, errOut, code := runCLI(t, nil, "simulate", filepath.Join("..", "..", "testdata", "scenarios", "lmi-burst.yaml"), "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		LMI struct {
			Simulation struct {
				Requests     float64 `json:"requests"`
				CPUThrottles float64 `json:"cpu_throttles"`
			} `json:"simulation"`
		} `json:"lmi"`
	}
	if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.LMI.Simulation.Requests-1_560_000) > 1e-6 || math.Abs(r.LMI.Simulation.CPUThrottles-60_000) > 1e-6 {
		t.Errorf("lmi = %+v", r.LMI.Simulation)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nduration: 10m\nfunction: {memory_mb: 2048, duration: 40ms}\ntraffic: {arrivals: even, start_rate: 100}\nlmi: {instance_type: t3.large}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runCLI(t, nil, "simulate", bad)
	if code != 2 || !strings.Contains(errOut, "bad.yaml: lmi.instance_type") {
		t.Errorf("burstable type: exit %d: %s", code, errOut)
	}
}
