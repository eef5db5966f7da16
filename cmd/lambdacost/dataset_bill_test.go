package main

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const mixedPC = "../../pricing/testdata/mixed-pc.dataset.json"

// TestCompareDatasetExactBill: the Lambda side of compare --dataset is the
// dataset's exact bill: orders ran at 512 and 1024 MB with provisioned
// concurrency 2, $23.292329715 a month by hand
// (pricing.TestDatasetBillMixedMemoryPC); legacy is incomplete and not
// compared, saying so.
func TestCompareDatasetExactBill(t *testing.T) {
	t.Parallel()
	out, errOut, code := runCLI(t, nil, "compare", "--dataset", mixedPC, "--instance-type", "m7g.large", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "legacy is incomplete") {
		t.Errorf("stderr does not say legacy is incomplete: %s", errOut)
	}
	var got struct {
		Comparisons []struct {
			Name   string `json:"name"`
			Lambda struct {
				MonthlyCostUSD float64 `json:"monthly_cost_usd"`
			} `json:"lambda"`
			Notes       []string `json:"notes"`
			Assumptions []struct {
				Field string `json:"field"`
			} `json:"assumptions"`
		} `json:"comparisons"`
	}
	if err := json.Unmarshal(resultOf(t, out), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Comparisons) != 2 || got.Comparisons[0].Name != "orders" {
		t.Fatalf("comparisons %+v", got.Comparisons)
	}
	o := got.Comparisons[0]
	if math.Abs(o.Lambda.MonthlyCostUSD-23.292329715) > 1e-6 {
		t.Errorf("orders Lambda %v, want 23.292329715", o.Lambda.MonthlyCostUSD)
	}
	if !strings.Contains(strings.Join(o.Notes, "\n"), "memory changed") || len(o.Assumptions) == 0 {
		t.Errorf("notes %q assumptions %v", o.Notes, o.Assumptions)
	}
}

// TestReportDatasetNoWindowAgreesWithCheck: report without a window prints
// the window's bill and no monthly figure (JSON null), for the reason check
// gives when it refuses a monthly threshold.
func TestReportDatasetNoWindow(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(mixedPC)
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(b), `"start": "2026-11-01T00:00:00Z",`, "", 1)
	s = strings.Replace(s, `"end": "2026-11-04T01:00:00Z",`, "", 1)
	p := filepath.Join(t.TempDir(), "nowin.json")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "report", p, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got struct {
		Monthly     *float64 `json:"monthly_cost_usd"`
		Window      float64  `json:"window_cost_usd"`
		Assumptions []struct {
			Field, Value, Why string
		} `json:"assumptions"`
	}
	if err := json.Unmarshal(resultOf(t, out), &got); err != nil {
		t.Fatal(err)
	}
	if got.Monthly != nil || got.Window <= 0 {
		t.Errorf("monthly %v window %v", got.Monthly, got.Window)
	}
	ok := false
	for _, a := range got.Assumptions {
		ok = ok || a.Field == "month" && strings.Contains(a.Why, "no time window")
	}
	if !ok {
		t.Errorf("no month assumption: %+v", got.Assumptions)
	}
	if _, errOut, code := runCLI(t, nil, "compare", "--dataset", p); code != 2 || !strings.Contains(errOut, "no time window") {
		t.Errorf("compare without a window: exit %d, %s", code, errOut)
	}
}

// TestReportTinyWindowWarns: 11 s and 3 invocations projected to a month
// warns on stderr with the window length and the factor (730 h / 11 s =
// 238,909).
func TestReportTinyWindowWarns(t *testing.T) {
	t.Parallel()
	ds := `{"version":1,"source":"logs","region":"us-east-1","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:00:11Z",
 "functions":[{"name":"f","memory_mb":512,"architecture":"x86_64","summary":{"invocations":3,"errors":0,"throttles":0,"cold_starts":1,
 "duration_ms":{"avg":10,"p50":10,"p90":10,"p99":10,"max":10},"init_duration_ms":{"avg":100,"p99":100},"max_memory_used_mb":60,
 "billed_duration_ms":130,"billed_gb_seconds":0.065}}]}`
	p := filepath.Join(t.TempDir(), "tiny.json")
	if err := os.WriteFile(p, []byte(ds), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, nil, "report", p)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "WARNING") || !strings.Contains(errOut, "11 s") || !strings.Contains(errOut, "238,909") {
		t.Errorf("stderr %q: want a loud warning with the window and the factor", errOut)
	}
	if !strings.Contains(out, "Assumptions") {
		t.Errorf("no assumptions in the table:\n%s", out)
	}
}

// TestSimulateAndEstimateAssumptionsJSON: every command's JSON carries an
// assumptions array of {field, value, why}; simulate's says how the
// simulated span was scaled (2 h → ×365), and its output still reads back
// with report.
func TestSimulateAndEstimateAssumptionsJSON(t *testing.T) {
	t.Parallel()
	type as struct {
		Assumptions []struct{ Field, Value, Why string } `json:"assumptions"`
	}
	out, errOut, code := runCLI(t, nil, "simulate", checkoutScenario, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var s as
	if err := json.Unmarshal(resultOf(t, out), &s); err != nil {
		t.Fatal(err)
	}
	month := -1
	for i, a := range s.Assumptions {
		if a.Field == "month" {
			month = i
		}
	}
	if month < 0 || !strings.Contains(s.Assumptions[month].Why, "×365") {
		t.Errorf("simulate assumptions %+v", s.Assumptions)
	}
	p := filepath.Join(t.TempDir(), "sim.json")
	if err := os.WriteFile(p, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	tab, errOut, code := runCLI(t, nil, "report", p)
	if code != 0 || !strings.Contains(tab, "Assumptions") || !strings.Contains(tab, "×365") {
		t.Errorf("report of a simulation with assumptions: exit %d %s\n%s", code, errOut, tab)
	}

	out, errOut, code = runCLI(t, nil, "estimate", "--requests", "1000000", "--duration", "100ms", "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var e as // the envelope lists the estimate's assumptions
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatal(err)
	}
	fields := map[string]string{}
	for _, a := range e.Assumptions {
		fields[a.Field] = a.Value
	}
	if fields["--memory"] != "128 MB" || fields["free_tier"] != "not applied" || fields["--cold-start-rate"] != "0" {
		t.Errorf("estimate assumptions %+v", e.Assumptions)
	}
}
