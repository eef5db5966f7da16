package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// compareGolden compares got with testdata/compare/<name>, rewriting it with -update.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	golden(t, filepath.Join("..", "compare", name), got)
}

// The reference case of pricing/fleet's hand calculations, through the CLI:
// 131.4M requests a month (50 req/s mean, 100 at the peak), 100 ms at
// 2,048 MB, half of it on CPU, 128 MB per request, m7g.large.
var compareFlags = []string{"compare", "--requests", "131400000", "--duration", "100ms", "--memory", "2048", "--peak-rps", "100",
	"--cpu-fraction", "0.5", "--memory-per-request", "128", "--instance-type", "m7g.large"}

type compareJSON struct {
	Lambda struct {
		MonthlyCostUSD float64 `json:"monthly_cost_usd"`
		Architecture   string  `json:"architecture"`
		X86            struct {
			MonthlyCostUSD float64 `json:"monthly_cost_usd"`
		} `json:"x86_64"`
		ARM struct {
			MonthlyCostUSD float64 `json:"monthly_cost_usd"`
		} `json:"arm64"`
	} `json:"lambda"`
	EC2 struct {
		InstanceType   string  `json:"instance_type"`
		Instances      int     `json:"instances"`
		MonthlyCostUSD float64 `json:"monthly_cost_usd"`
		Utilization    float64 `json:"utilization"`
	} `json:"ec2"`
	Fargate struct {
		MonthlyCostUSD float64 `json:"monthly_cost_usd"`
		Architecture   string  `json:"architecture"`
	} `json:"fargate"`
	Breakeven *int64 `json:"breakeven_requests_per_month"`
	Curve     []struct {
		Requests int64   `json:"requests_per_month"`
		X86      float64 `json:"lambda_x86_64_usd"`
		EC2      float64 `json:"ec2_usd"`
		Current  bool    `json:"current"`
	} `json:"curve"`
	Notes []string `json:"notes"`
}

func TestCompareFlagsJSON(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, nil, append(compareFlags, "-o", "json")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r compareJSON
	if err := json.Unmarshal(soleItem(t, out, "comparisons"), &r); err != nil {
		t.Fatal(err)
	}
	// Lambda x86: 131.4M × $0.20/M = $26.28 + 26.28M GB-s × $0.0000166667
	// = $438.000876 → $464.280876; arm64: 26.28M × $0.0000133334 =
	// $350.401752 → $376.681752. EC2: 5 × m7g.large, $333.945 (see
	// pricing/fleet TestEC2Cost); Fargate arm64 $287.62; break-even 40,285,374.
	if r.Lambda.Architecture != "x86_64" || r.Lambda.MonthlyCostUSD != 464.280876 || r.Lambda.X86.MonthlyCostUSD != 464.280876 || r.Lambda.ARM.MonthlyCostUSD != 376.681752 {
		t.Errorf("lambda = %+v", r.Lambda)
	}
	if r.EC2.InstanceType != "m7g.large" || r.EC2.Instances != 5 || r.EC2.MonthlyCostUSD != 333.945 || r.EC2.Utilization != 0.25 {
		t.Errorf("ec2 = %+v", r.EC2)
	}
	if r.Fargate.Architecture != "arm64" || r.Fargate.MonthlyCostUSD != 287.62 {
		t.Errorf("fargate = %+v", r.Fargate)
	}
	if r.Breakeven == nil || *r.Breakeven != 40_285_374 {
		t.Errorf("break-even = %v", r.Breakeven)
	}
	if len(r.Curve) < 10 {
		t.Errorf("curve = %+v", r.Curve)
	}
}

func TestCompareOutputs(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"table", "markdown", "csv"} {
		out, errOut, code := runCLI(t, nil, append(compareFlags, "-o", f)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errOut)
		}
		compareGolden(t, "flags."+f, out)
	}
}

// TestCompareScenario: the Lambda side of a scenario comparison is the
// simulation's own monthly projection, to the cent and beyond.
func TestCompareScenario(t *testing.T) {
	t.Parallel()
	scenario := filepath.Join("..", "..", "testdata", "compare", "spike.yaml")
	out, errOut, code := runCLI(t, nil, "compare", scenario, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r compareJSON
	if err := json.Unmarshal(soleItem(t, out, "comparisons"), &r); err != nil {
		t.Fatal(err)
	}
	sim, errOut, code := runCLI(t, nil, "simulate", scenario, "-o", "json")
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	var s struct {
		MonthlyCostUSD float64 `json:"monthly_cost_usd"`
	}
	if err := json.Unmarshal(resultOf(t, sim), &s); err != nil {
		t.Fatal(err)
	}
	if r.Lambda.Architecture != "arm64" || r.Lambda.MonthlyCostUSD != s.MonthlyCostUSD {
		t.Errorf("compare's Lambda %s %v, simulate's month %v", r.Lambda.Architecture, r.Lambda.MonthlyCostUSD, s.MonthlyCostUSD)
	}
	// A 50× spike over a 2 req/s base: the fleet sized for 100 req/s idles
	// most of the month, so it costs more than Lambda; autoscaling cuts it.
	if r.EC2.MonthlyCostUSD <= r.Lambda.MonthlyCostUSD || r.EC2.Instances < 2 {
		t.Errorf("ec2 = %+v", r.EC2)
	}
	out, errOut, code = runCLI(t, nil, "compare", scenario, "--autoscale", "--scale-out-lag", "3m", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var a compareJSON
	if err := json.Unmarshal(soleItem(t, out, "comparisons"), &a); err != nil {
		t.Fatal(err)
	}
	if a.EC2.MonthlyCostUSD >= r.EC2.MonthlyCostUSD || a.Lambda.MonthlyCostUSD != r.Lambda.MonthlyCostUSD {
		t.Errorf("autoscaled ec2 %v, peak-sized %v", a.EC2.MonthlyCostUSD, r.EC2.MonthlyCostUSD)
	}
}

func TestCompareDataset(t *testing.T) {
	t.Parallel()
	ds := filepath.Join("..", "..", "testdata", "compare", "dataset.json")
	out, errOut, code := runCLI(t, nil, "compare", "--dataset", ds, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var many struct {
		Comparisons []struct {
			Name     string `json:"name"`
			Workload struct {
				MonthlyRequests float64 `json:"monthly_requests"`
				PeakRPS         float64 `json:"peak_rps"`
				MemoryMB        float64 `json:"memory_per_request_mb"`
			} `json:"workload"`
			Breakeven *int64 `json:"breakeven_requests_per_month"`
		} `json:"comparisons"`
	}
	if err := json.Unmarshal(resultOf(t, out), &many); err != nil {
		t.Fatal(err)
	}
	if len(many.Comparisons) != 2 {
		t.Fatalf("%d comparisons", len(many.Comparisons))
	}
	// api: 360,000 invocations in 1 h → 262,800,000 a month; its busiest
	// 10-minute period holds 120,000 → 200 req/s; 256 MB measured.
	api := many.Comparisons[0]
	if api.Name != "api" || api.Workload.MonthlyRequests != 262_800_000 || api.Workload.PeakRPS != 200 || api.Workload.MemoryMB != 256 {
		t.Errorf("api = %+v", api)
	}
	// report: 10-minute jobs, 36 an hour: the always-on fleet wins early.
	if rep := many.Comparisons[1]; rep.Name != "report" || rep.Breakeven == nil || *rep.Breakeven > 26_280 {
		t.Errorf("report = %+v", rep)
	}
	out, _, code = runCLI(t, nil, "compare", "--dataset", ds, "--function", "report", "-o", "json")
	var one struct{ Name string }
	if code != 0 || json.Unmarshal(soleItem(t, out, "comparisons"), &one) != nil || one.Name != "report" {
		t.Errorf("--function report: exit %d, %.80s", code, out)
	}
}

func TestCompareBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("name: x\nfunction:\n  memory_mb: 64\n  colour: red\n"), 0o644)
	ds := filepath.Join("..", "..", "testdata", "compare", "dataset.json")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no source", []string{"compare"}, []string{"exactly one of"}},
		{"two sources", []string{"compare", "--dataset", ds, "--requests", "5"}, []string{"exactly one of"}},
		{"no duration", []string{"compare", "--requests", "1000000"}, []string{"--duration: is required"}},
		{"every option problem", append(append([]string{}, compareFlags...), "--target-utilization", "2", "--ec2-discount", "1.5", "--min-instances", "0", "--api-gateway", "soap"),
			[]string{"--target-utilization", "--ec2-discount", "--min-instances", "--api-gateway"}},
		{"workload flags", []string{"compare", "--requests", "1000", "--duration", "100ms", "--cpu-fraction", "-1", "--peak-rps", "-3"}, []string{"--cpu-fraction", "--peak-rps"}},
		{"unknown instance type", []string{"compare", "--requests", "1000", "--duration", "100ms", "--instance-type", "z9.huge"}, []string{"--instance-type", "z9.huge"}},
		{"fargate task", []string{"compare", "--requests", "1000", "--duration", "100ms", "--fargate-task", "3:7"}, []string{"--fargate-task"}},
		{"lag without autoscale", []string{"compare", "--requests", "1000", "--duration", "100ms", "--scale-out-lag", "3m"}, []string{"--scale-out-lag"}},
		{"missing scenario", []string{"compare", missing}, []string{"missing.yaml"}},
		{"bad scenario", []string{"compare", bad}, []string{"bad.yaml:4", "colour"}},
		{"unknown function", []string{"compare", "--dataset", ds, "--function", "nope"}, []string{"--function", "nope"}},
		{"memory with dataset", []string{"compare", "--dataset", ds, "--memory", "512"}, []string{"--memory"}},
		{"request too big", []string{"compare", "--requests", "1000", "--duration", "100ms", "--memory-per-request", "100000", "--instance-type", "m7g.large"}, []string{"--instance-type", "cannot hold"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, nil, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stdout %q stderr %q", code, out, errOut)
			}
			for _, w := range tc.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr %q does not mention %q", errOut, w)
				}
			}
			if strings.Contains(errOut, "goroutine") || strings.Contains(errOut, "panic") {
				t.Errorf("stack trace: %s", errOut)
			}
		})
	}
}

// TestCompareRunCPU: a real `lambdacost run` result (the built-in cpu
// function busy for 20 ms at 1,769 MB: echo '{"ms":20}' | lambdacost run
// --builtin cpu --memory 1769 --event - --count 5 -o json) sets the CPU per
// request: its mean CPU time 21.043744 ms over the 100 ms duration.
func TestCompareRunCPU(t *testing.T) {
	t.Parallel()
	run := filepath.Join("..", "..", "testdata", "compare", "run-cpu20ms.json")
	out, errOut, code := runCLI(t, nil, "compare", "--requests", "1000000", "--duration", "100ms", "--run", run, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Workload struct {
			CPUFraction float64 `json:"cpu_fraction"`
			CPUMs       float64 `json:"cpu_ms_per_request"`
		} `json:"workload"`
	}
	if err := json.Unmarshal(soleItem(t, out, "comparisons"), &r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Workload.CPUFraction-0.21043744) > 1e-12 || math.Abs(r.Workload.CPUMs-21.043744) > 1e-9 {
		t.Errorf("workload = %+v", r.Workload)
	}
	_, errOut, code = runCLI(t, nil, "compare", "--requests", "1000000", "--duration", "100ms", "--run", run, "--cpu-fraction", "0.3")
	if code != 2 || !strings.Contains(errOut, "at most one of") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	_, errOut, code = runCLI(t, nil, "compare", "--requests", "1000000", "--duration", "100ms", "--run", filepath.Join("..", "..", "testdata", "compare", "tune.json"))
	if code != 2 || !strings.Contains(errOut, "no CPU time") {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

func TestCompareHTML(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	page := filepath.Join(dir, "compare.html")
	args := append(append([]string{}, compareFlags...), "--html", page, "-o", "json")
	if _, errOut, code := runCLI(t, nil, args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<html") || !strings.Contains(string(b), "Lambda vs EC2 vs Fargate") {
		t.Errorf("not a comparison page: %.200s", b)
	}
	_, errOut, code := runCLI(t, nil, append(append([]string{}, compareFlags...), "--html", filepath.Join(dir, "no", "such", "dir.html"))...)
	if code != 2 || !strings.Contains(errOut, "--html") {
		t.Errorf("unwritable --html: exit %d: %s", code, errOut)
	}
	_, errOut, code = runCLI(t, nil, append(append([]string{}, compareFlags...), "--assets", dir)...)
	if code != 2 || !strings.Contains(errOut, "--assets") {
		t.Errorf("--assets without --html: exit %d: %s", code, errOut)
	}
}

// TestCompareCSVDataset: several functions' curves in one CSV table, with
// plain numbers and a column marking today's volume.
func TestCompareCSVDataset(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, nil, "compare", "--dataset", filepath.Join("..", "..", "testdata", "compare", "dataset.json"), "-o", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\r\n")
	if lines[0] != "Function,Requests/month,Lambda x86_64,Lambda arm64,EC2 instance type,EC2,Fargate architecture,Fargate,LMI instance type,LMI,current" {
		t.Errorf("header = %q", lines[0])
	}
	current := map[string]string{}
	for _, l := range lines[1:] {
		cells := strings.Split(l, ",")
		if len(cells) != 11 {
			t.Fatalf("row %q", l)
		}
		if cells[10] == "yes" {
			current[cells[0]] = cells[1]
		}
	}
	// api: 360,000 an hour → 262,800,000 a month; report: 36 → 26,280.
	if current["api"] != "262800000" || current["report"] != "26280" {
		t.Errorf("current volumes = %v", current)
	}
}

// A scenario's billing: section prices compare's Lambda side as the flags
// --free-tier and --lambda-discount would; a flag given wins.
func TestCompareScenarioBilling(t *testing.T) {
	t.Parallel()
	src := filepath.Join("..", "..", "testdata", "compare", "spike.yaml")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	billed := filepath.Join(t.TempDir(), "spike.yaml")
	if err := os.WriteFile(billed, append(b, "billing: {free_tier: true, compute_savings_plan: 0.17}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		out, errOut, code := runCLI(t, nil, append([]string{"compare"}, append(args, "-o", "json")...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return soleItem(t, out, "comparisons")
	}
	// The numbers are the same; the assumptions name where each choice
	// came from (the section's key or the flag).
	split := func(b []byte) (numbers []byte, assumed []string) {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		var as []struct{ Field, Value string }
		if raw, ok := m["assumptions"]; ok {
			if err := json.Unmarshal(raw, &as); err != nil {
				t.Fatal(err)
			}
		}
		delete(m, "assumptions")
		for _, a := range as {
			assumed = append(assumed, a.Field+"="+a.Value)
		}
		out, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		return out, assumed
	}
	withSection, sectionAssumed := split(run(billed))
	withFlags, flagsAssumed := split(run(src, "--free-tier", "--lambda-discount", "0.17"))
	if !bytes.Equal(withSection, withFlags) {
		t.Errorf("the billing section differs from the flags:\n%.500s\n%.500s", withSection, withFlags)
	}
	// Both are listed: 0.17 = 17 %; neither gives log bytes, so both say
	// the logs are not priced; then the fleets' defaults.
	// spike.yaml's function has 512 MB and no measured memory.
	fleetDefaults := []string{"--target-utilization=60 %", "--min-instances=2", "--autoscale=off: sized for the peak all month", "--ec2-discount=0 (on-demand)",
		"--fargate-discount=0 (on-demand)", "--memory-per-request=512 MB", "--fargate-task=1 vCPU with 2 GB, larger if one request needs it",
		"--ebs-gb=20 GB gp3 per instance", "--requests-per-connection=1", "--bytes-per-request=10240"}
	if want := append([]string{"billing.free_tier=applied to the Lambda side", "billing.compute_savings_plan=17 % off Lambda", "logs=not priced"}, fleetDefaults...); !reflect.DeepEqual(sectionAssumed, want) {
		t.Errorf("the section's assumptions = %q, want %q", sectionAssumed, want)
	}
	if want := append([]string{"--free-tier=applied to the Lambda side", "--lambda-discount=17 % off Lambda", "logs=not priced"}, fleetDefaults...); !reflect.DeepEqual(flagsAssumed, want) {
		t.Errorf("the flags' assumptions = %q, want %q", flagsAssumed, want)
	}
	plain := run(src)
	if bytes.Equal(plain, run(billed)) {
		t.Error("the billing section changed nothing")
	}
	if over := run(billed, "--lambda-discount", "0", "--free-tier=false"); !bytes.Equal(over, plain) {
		t.Error("flags given do not win over the scenario's billing")
	}
}

// A scenario's compare: section chooses the alternatives as the flags
// --instance-type, --fargate-task and --no-lmi would; a flag given wins;
// a type the price table does not know is refused at the section's line.
func TestCompareScenarioChoices(t *testing.T) {
	t.Parallel()
	src := filepath.Join("..", "..", "testdata", "compare", "spike.yaml")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	chosen := filepath.Join(dir, "spike.yaml")
	if err := os.WriteFile(chosen, append(b, "compare: {instance_types: [c7g.large], fargate_task: 0.5vCPU:1GB, no_lmi: true}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) []byte {
		out, errOut, code := runCLI(t, nil, append([]string{"compare"}, append(args, "-o", "json")...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		return soleItem(t, out, "comparisons")
	}
	withSection := run(chosen)
	withFlags := run(src, "--instance-type", "c7g.large", "--fargate-task", "0.5vCPU:1GB", "--no-lmi")
	if !bytes.Equal(withSection, withFlags) {
		t.Errorf("the compare section differs from the flags:\n%.500s\n%.500s", withSection, withFlags)
	}
	if over, plain := run(chosen, "--instance-type", "m7g.large", "--fargate-task", "1:2", "--no-lmi=false"),
		run(src, "--instance-type", "m7g.large", "--fargate-task", "1:2"); !bytes.Equal(over, plain) {
		t.Error("flags given do not win over the scenario's compare section")
	}
	unknown := filepath.Join(dir, "unknown.yaml")
	if err := os.WriteFile(unknown, append(b, "compare:\n  instance_types: [z9.huge]\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	line := strings.Count(string(b), "\n") + 2
	_, errOut, code := runCLI(t, nil, "compare", unknown)
	if want := fmt.Sprintf("unknown.yaml:%d: compare.instance_types: no price for EC2 instance type \"z9.huge\"", line); code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("exit %d, stderr %q; want 2 and %q", code, errOut, want)
	}
}

// A scenario's billing.log_bytes_per_request gives compare's Lambda side
// the same logs line as the simulation's month (not twice), as
// --log-bytes would.
func TestCompareScenarioLogs(t *testing.T) {
	t.Parallel()
	src := filepath.Join("..", "..", "testdata", "compare", "spike.yaml")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	logged := filepath.Join(t.TempDir(), "spike.yaml")
	if err := os.WriteFile(logged, append(b, "billing: {log_bytes_per_request: 2KB}\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	lambdaMonth := func(args ...string) float64 {
		out, errOut, code := runCLI(t, nil, append([]string{"compare"}, append(args, "-o", "json")...)...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
		var r compareJSON
		if err := json.Unmarshal(soleItem(t, out, "comparisons"), &r); err != nil {
			t.Fatal(err)
		}
		return r.Lambda.MonthlyCostUSD
	}
	sim, errOut, code := runCLI(t, nil, "simulate", logged, "-o", "json")
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	var s struct {
		MonthlyCostUSD float64 `json:"monthly_cost_usd"`
	}
	if err := json.Unmarshal(resultOf(t, sim), &s); err != nil {
		t.Fatal(err)
	}
	withSection, withFlag, plain := lambdaMonth(logged), lambdaMonth(src, "--log-bytes", "2KB"), lambdaMonth(src)
	if withSection != s.MonthlyCostUSD || withFlag != withSection || !(withSection > plain) {
		t.Errorf("Lambda month: billing section %v, --log-bytes %v, simulate %v, without logs %v", withSection, withFlag, s.MonthlyCostUSD, plain)
	}
}

// TestCompareFleetAssumptions: the EC2 and Fargate bills rest on choices
// the user may not have made — the 60 % utilisation servers are sized to,
// the smallest fleet of 2, the peak size all month, on-demand prices, a
// 20 GB gp3 volume per instance, a new load-balancer connection per
// request of 10,240 bytes, Fargate's 1 vCPU / 2 GB task, the memory each
// in-flight request holds — and each default is listed (none was); a
// choice given on the command line is not.
func TestCompareFleetAssumptions(t *testing.T) {
	t.Parallel()
	fields := func(args ...string) map[string]string {
		out, errOut, code := runCLI(t, nil, append(append(append([]string{}, compareFlags...), "--no-lmi", "-o", "json"), args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var env struct {
			Assumptions []struct{ Field, Value string } `json:"assumptions"`
		}
		if err := json.Unmarshal([]byte(out), &env); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, a := range env.Assumptions {
			m[a.Field] = a.Value
		}
		return m
	}
	got := fields()
	for field, want := range map[string]string{
		"--target-utilization": "60 %", "--min-instances": "2", "--autoscale": "off: sized for the peak all month",
		"--ec2-discount": "0 (on-demand)", "--fargate-discount": "0 (on-demand)", "--ebs-gb": "20 GB gp3 per instance",
		"--fargate-task":            "1 vCPU with 2 GB, larger if one request needs it",
		"--requests-per-connection": "1", "--bytes-per-request": "10240",
	} {
		if got[field] != want {
			t.Errorf("%s = %q, want %q", field, got[field], want)
		}
	}
	// compareFlags give --memory-per-request 128: not assumed.
	if v, ok := got["--memory-per-request"]; ok {
		t.Errorf("--memory-per-request given, still listed as assumed: %q", v)
	}
	got = fields("--target-utilization", "0.5", "--min-instances", "3", "--ec2-discount", "0.3", "--fargate-discount", "0.2", "--ebs-gb", "0", "--no-load-balancer", "--fargate-task", "1vCPU:2GB")
	for _, field := range []string{"--target-utilization", "--min-instances", "--ec2-discount", "--fargate-discount", "--ebs-gb", "--requests-per-connection", "--bytes-per-request", "--fargate-task"} {
		if v, ok := got[field]; ok {
			t.Errorf("%s given, still listed as assumed: %q", field, v)
		}
	}
}
