package check

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"github.com/lambdacost/lambdacost/internal/goldennumbers"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/check/golden")

// Expected values, computed by hand from the us-east-1 / eu-west-1 price
// list (requests $0.20 per million; duration x86_64 $0.0000166667 and arm64
// $0.0000133334 per GB-s, first tier) and the 730-hour month:
//
// checkout-api (estimate, x86_64, 1536 MB, 120 ms):
//
//	3M requests: 3e6 × 0.12 s × 1.5 GB = 540,000 GB-s × 0.0000166667 = 9.000018; requests 0.6
//	→ $9.600018 per month, $3.200006 per million.
//	2M requests: 360,000 GB-s → 6.000012 + 0.4 = $6.400012.
//	3M with the free tier: (3M−1M) × 0.2e-6 = 0.4; (540,000−400,000) × 0.0000166667 = 2.333338 → $2.733338.
//
// orders-worker (dataset: one day, arm64, 512 MB, 100,000 invocations of
// 50 ms avg, 500 cold starts of 300 ms INIT), scaled by 730 h / 24 h:
//
//	billed ms = 100,000 × 50 + 500 × 300 = 5,150,000 → × 30.41666… = 156,645,833 (rounded)
//	requests  = 100,000 × 30.41666… = 3,041,667 (rounded)
//	GB-s = 156,645,833 × 0.5 / 1000 = 78,322.9165 × 0.0000133334 = 1.0443107748611
//	requests 3,041,667 × 0.2e-6 = 0.6083334 → $1.6526441748611 per month
//	per million = 1.6526441748611 / 3.041667 = 0.543335011643648…
//
// fleet-thumbnailer (dataset: 12 h, x86_64, 1024 MB, 20,000 × 200 ms, 150 throttles), × 730/12:
//
//	ms 4,000,000 → 243,333,333; GB-s 243,333.333 × 0.0000166667 = 4.0555636611111
//	requests 1,216,667 × 0.2e-6 = 0.2433334 → $4.2988970611111
//	throttle rate 150 / (20,000 + 150)
//
// legacy-cron (estimate, 128 MB, 10,000 × 1 s): 1,250 GB-s → 0.020833375 + 0.002 = $0.022833375.
const (
	checkout3M        = "9.600018"
	checkout2M        = "6.400012"
	checkoutFreeTier  = "2.733338"
	ordersMonthly     = "1.6526441748611"
	ordersPerMillion  = 0.543335011643648
	thumbnailMonthly  = "4.2988970611111"
	legacyCronMonthly = "0.022833375"
)

func run(t *testing.T, cfgPath string, opt Options) (*Report, error) {
	t.Helper()
	cfg, err := LoadConfig(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	if opt.Prices == nil {
		opt.Prices = pricing.Embedded()
	}
	if opt.Region == "" {
		opt.Region = "us-east-1"
	}
	return Run(context.Background(), cfg, opt)
}

func mustRun(t *testing.T, cfgPath string, opt Options) *Report {
	t.Helper()
	r, err := run(t, cfgPath, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func dec(s string) float64 { return decimal.RequireFromString(s).InexactFloat64() }

func checkMetrics(t *testing.T, c CheckResult, want map[string]float64) {
	t.Helper()
	if len(c.Metrics) != len(want) {
		t.Errorf("%s: metrics %v, want exactly %v", c.Name, c.Metrics, want)
	}
	for m, w := range want {
		if got, ok := c.Metrics[m]; !ok || !near(got, w) {
			t.Errorf("%s: %s = %v (present %v), want %v", c.Name, m, got, ok, w)
		}
	}
}

func TestRunPassing(t *testing.T) {
	var progress []int
	r := mustRun(t, filepath.Join(testdata, "passing.yaml"), Options{Progress: func(_ string, done, total int) {
		progress = append(progress, done*10+total) // serialised: no lock needed
	}})
	if len(progress) != 2 || progress[0] != 12 || progress[1] != 22 {
		t.Errorf("progress calls %v, want done 1 then 2 of 2", progress)
	}
	if !r.Passed || r.Summary != (Summary{Checks: 2, Thresholds: 8}) {
		t.Fatalf("passed %v, summary %+v", r.Passed, r.Summary)
	}
	api, orders := r.Checks[0], r.Checks[1]
	checkMetrics(t, api, map[string]float64{MonthlyCostUSD: dec(checkout3M), CostPerMillion: 3.200006, ColdStartRate: 0})
	if !api.Cost.Total.Equal(decimal.RequireFromString(checkout3M)) {
		t.Errorf("checkout-api monthly cost %s, want exactly %s", api.Cost.Total, checkout3M)
	}
	checkMetrics(t, orders, map[string]float64{
		MonthlyCostUSD: dec(ordersMonthly), CostPerMillion: ordersPerMillion, ColdStartRate: 0.005,
		Throttles: 0, ThrottleRate: 0, LatencyP50Ms: 45, LatencyP90Ms: 80, LatencyP99Ms: 420,
		PeakConcurrency: 14, // the series' 14 beats the summary's 12
	})
	if !orders.Cost.Total.Equal(decimal.RequireFromString(ordersMonthly)) {
		t.Errorf("orders-worker monthly cost %s, want exactly %s", orders.Cost.Total, ordersMonthly)
	}
	if orders.Region != "us-east-1" || orders.File != "datasets/orders.json" || orders.Source != SourceDataset {
		t.Errorf("orders-worker: %+v", orders)
	}
}

func TestRunFailing(t *testing.T) {
	r := mustRun(t, filepath.Join(testdata, "failing.yaml"), Options{})
	if r.Passed || r.Summary != (Summary{Checks: 2, Thresholds: 4, FailedThresholds: 2, FailedChecks: 2}) {
		t.Fatalf("passed %v, summary %+v", r.Passed, r.Summary)
	}
	var got []string
	for _, f := range r.Failed() {
		got = append(got, f.Check+" "+f.Metric+" "+f.Expression+" "+FormatValue(f.Metric, f.Value)+" "+f.Position)
	}
	path := filepath.Join(testdata, "failing.yaml")
	want := []string{"checkout-api monthly_cost_usd < 5 $9.60 " + path + ":10", "orders-worker latency_p99_ms < 400 420 ms " + path + ":15"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failed:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	abs, err := filepath.Abs(filepath.Join(testdata, "datasets"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(abs, filepath.Join(dir, "datasets")); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "lambdacost.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunDatasetFunctions(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: thumbs
    dataset: datasets/fleet.json
    function: thumbnailer
    thresholds:
      throttle_rate: ["< 0.01"]
      latency_p99_ms: ["<= 700"]
  - name: fleet
    dataset: datasets/fleet.json
    thresholds:
      throttles: ["< 100"]
`)
	r := mustRun(t, p, Options{})
	thumbs, fleet := r.Checks[0], r.Checks[1]
	// The dataset's region (eu-west-1) prices it, whatever the default.
	if thumbs.Region != "eu-west-1" {
		t.Errorf("region %q, want the dataset's eu-west-1", thumbs.Region)
	}
	// CloudWatch without INIT data: no cold-start rate rather than 0.
	checkMetrics(t, thumbs, map[string]float64{
		MonthlyCostUSD: dec(thumbnailMonthly), CostPerMillion: dec(thumbnailMonthly) / 1216667 * 1e6,
		Throttles: 150, ThrottleRate: 150.0 / 20150, LatencyP50Ms: 180, LatencyP90Ms: 260, LatencyP99Ms: 700, PeakConcurrency: 40,
	})
	if !thumbs.Passed {
		t.Errorf("thumbs failed: %+v", thumbs.Thresholds)
	}
	// All functions: throttles add up (150 + 50) and fail "< 100".
	if fleet.Passed || fleet.Thresholds[0].Value != 200 {
		t.Errorf("fleet: %+v", fleet.Thresholds)
	}
	if _, ok := fleet.Metrics[LatencyP99Ms]; ok {
		t.Error("a multi-function dataset must not give one latency")
	}
}

// A threshold that cannot be evaluated is an error with its file:line,
// never a pass; all such problems come together.
func TestRunUnevaluable(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: fleet
    dataset: datasets/fleet.json
    thresholds:
      latency_p99_ms: ["< 800"]
      cold_start_rate: ["< 0.01"]
  - name: api
    estimate: {requests: 1000, duration: 10ms}
    thresholds:
      monthly_cost_increase_pct: ["< 10"]
  - name: missing-fn
    dataset: datasets/fleet.json
    function: nope
    thresholds:
      throttles: ["== 0"]
`)
	_, err := run(t, p, Options{})
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		p + ":6: fleet: threshold latency_p99_ms < 800 cannot be evaluated: fleet (a dataset source) does not provide latency_p99_ms: dataset datasets/fleet.json has 2 functions (thumbnailer, notifier); choose one with function: NAME",
		p + ":7: fleet: threshold cold_start_rate < 0.01 cannot be evaluated: fleet (a dataset source) does not provide cold_start_rate: the dataset (from CloudWatch metrics) has no cold-start data",
		p + ":11: api: threshold monthly_cost_increase_pct < 10 needs --baseline FILE",
		p + ":12: missing-fn: function \"nope\" is not in dataset datasets/fleet.json (it has: thumbnailer, notifier)",
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, lines[i], w)
		}
	}
	if !pricing.IsInput(err) {
		t.Errorf("not an input error: %T", err)
	}
}

func TestRunRegionAndFreeTier(t *testing.T) {
	p := writeConfig(t, `
region: mars-north-1
checks:
  - name: a
    estimate: {requests: 1, duration: 1ms}
`)
	if _, err := run(t, p, Options{}); err == nil || !strings.HasPrefix(err.Error(), p+":2: no Lambda prices for region \"mars-north-1\"") {
		t.Errorf("unknown config region: %v", err)
	}
	// --region given explicitly wins over the config.
	if r, err := run(t, p, Options{Region: "eu-west-1", RegionOverride: true}); err != nil || r.Checks[0].Region != "eu-west-1" {
		t.Errorf("override: %v", err)
	}

	p = writeConfig(t, `
free_tier: true
checks:
  - name: checkout-api
    estimate: {memory_mb: 1536, requests: 3000000, duration: 120ms}
`)
	r := mustRun(t, p, Options{})
	if got := r.Checks[0].Cost.Total; !got.Equal(decimal.RequireFromString(checkoutFreeTier)) {
		t.Errorf("free tier: %s, want %s", got, checkoutFreeTier)
	}
}

// baselineOf runs cfg and reads its JSON back as a baseline, as CI does.
func baselineOf(t *testing.T, cfgPath string) *Report {
	t.Helper()
	r := mustRun(t, cfgPath, Options{})
	var buf bytes.Buffer
	if err := Write(&buf, reports.JSON, reports.Style{}, r); err != nil {
		t.Fatal(err)
	}
	b, err := ParseBaseline("base.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRunBaseline(t *testing.T) {
	base := baselineOf(t, filepath.Join(testdata, "base.yaml"))
	r := mustRun(t, filepath.Join(testdata, "pr.yaml"), Options{Baseline: base, BaselinePath: "base.json"})
	if !r.Passed {
		t.Fatalf("failed: %+v", r.Failed())
	}
	inc := r.Checks[0].Thresholds[1]
	// (9.600018 − 6.400012) / 6.400012 = 3.200006 / 6.400012 = 50 %
	if inc.Metric != "monthly_cost_increase_pct" || !near(inc.Value, 50) || !near(*inc.Before, dec(checkout2M)) || !near(*inc.After, dec(checkout3M)) {
		t.Errorf("increase: %+v", inc)
	}
	if p99 := r.Checks[1].Thresholds[0]; p99.Value != 0 || !p99.Passed {
		t.Errorf("unchanged p99: %+v", p99)
	}
	d := r.Diff
	if d == nil {
		t.Fatal("no diff")
	}
	if strings.Join(d.Added, ",") != "fleet-thumbnailer" || strings.Join(d.Removed, ",") != "legacy-cron" {
		t.Errorf("added %v, removed %v", d.Added, d.Removed)
	}
	before := dec(checkout2M) + dec(ordersMonthly) + dec(legacyCronMonthly)
	after := dec(checkout3M) + dec(ordersMonthly) + dec(thumbnailMonthly)
	if d.MonthlyCostBefore == nil || d.MonthlyCostAfter == nil || !near(*d.MonthlyCostBefore, before) || !near(*d.MonthlyCostAfter, after) {
		t.Errorf("totals %v → %v, want %v → %v", d.MonthlyCostBefore, d.MonthlyCostAfter, before, after)
	}
	first := d.Rows[0]
	if first.Check != "checkout-api" || first.Metric != MonthlyCostUSD || !near(*first.Change, 3.200006) || !near(*first.ChangePct, 50) {
		t.Errorf("first row %+v", first)
	}
	last := d.Rows[len(d.Rows)-1]
	if last.Check != "legacy-cron" || last.After != nil || !near(*last.Before, dec(legacyCronMonthly)) {
		t.Errorf("last row %+v", last)
	}
}

func TestRunBaselineMismatch(t *testing.T) {
	base := baselineOf(t, filepath.Join(testdata, "base.yaml"))
	p := writeConfig(t, `
checks:
  - name: brand-new
    estimate: {requests: 1000, duration: 10ms}
    thresholds:
      monthly_cost_increase_pct: ["< 10"]
  - name: checkout-api
    estimate: {requests: 1000, duration: 10ms}
    thresholds:
      latency_p99_increase_pct: ["< 10"]
  - name: legacy-cron
    dataset: datasets/orders.json
    thresholds:
      latency_p99_increase_pct: ["< 10"]
`)
	// What an estimate can never provide is a config error, found before
	// anything runs, increase or not.
	if _, err := LoadConfig(p); err == nil || !strings.HasPrefix(err.Error(), p+":10: checkout-api: an estimate source cannot provide latency_p99_ms") {
		t.Errorf("got %v", err)
	}

	p = writeConfig(t, `
checks:
  - name: brand-new
    estimate: {requests: 1000, duration: 10ms}
    thresholds:
      monthly_cost_increase_pct: ["< 10"]
  - name: legacy-cron
    dataset: datasets/orders.json
    thresholds:
      latency_p99_increase_pct: ["< 10"]
`)
	_, err := run(t, p, Options{Baseline: base, BaselinePath: "base.json"})
	want := []string{
		p + ":6: brand-new: threshold monthly_cost_increase_pct < 10 cannot be evaluated: check \"brand-new\" is not in base.json",
		p + ":10: legacy-cron: threshold latency_p99_increase_pct < 10 cannot be evaluated: base.json has no latency_p99_ms for check \"legacy-cron\"",
	}
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d problems, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, lines[i], w)
		}
	}
}

// From a baseline of 0 any increase is infinite: it fails "< 10" and is
// null in JSON (which has no infinity).
func TestIncreaseFromZero(t *testing.T) {
	if v := increasePct(0, 5); !math.IsInf(v, 1) {
		t.Errorf("0 → 5 = %v", v)
	}
	if v := increasePct(0, 0); v != 0 {
		t.Errorf("0 → 0 = %v", v)
	}
	if v := increasePct(200, 150); v != -25 {
		t.Errorf("200 → 150 = %v", v)
	}
	tr := ThresholdResult{Metric: "throttles_increase_pct", Expression: "< 10", Value: math.Inf(1), Position: "c.yaml:3"}
	b, err := json.Marshal(tr)
	if err != nil || !strings.Contains(string(b), `"value":null`) {
		t.Fatalf("%s %v", b, err)
	}
	var back ThresholdResult
	if err := json.Unmarshal(b, &back); err != nil || !math.IsInf(back.Value, 1) {
		t.Errorf("round trip: %+v %v", back, err)
	}
}

func TestParseBaselineErrors(t *testing.T) {
	for _, tc := range []struct{ name, json, want string }{
		{"not json", "{", "--baseline: b.json:offset 1: not valid JSON"},
		{"not a report", `{"total_usd": 3}`, "--baseline: b.json: not a `lambdacost check -o json` result"},
		{"wrong type", `{"version": "1"}`, "--baseline: b.json: not a `lambdacost check -o json` result"},
		{"future version", `{"version": 9, "checks": []}`, "--baseline: b.json: check result version 9 is not supported"},
		{"unknown metric", `{"version": 1, "checks": [{"name": "a", "metrics": {"latency_p95_ms": 3}}]}`, `--baseline: b.json: check "a": unknown metric "latency_p95_ms"`},
		{"no name", `{"version": 1, "checks": [{"metrics": {}}]}`, "--baseline: b.json: checks[0] has no name"},
	} {
		_, err := ParseBaseline("b.json", []byte(tc.json))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) || !pricing.IsInput(err) {
			t.Errorf("%s: %v, want %s…", tc.name, err, tc.want)
		}
	}
	if _, err := ReadBaseline(filepath.Join(testdata, "nope.json")); err == nil || !strings.HasPrefix(err.Error(), "--baseline: ") {
		t.Errorf("missing file: %v", err)
	}
}

// Golden outputs: what people read in a terminal and in a pull request.
// Regenerate with `go test ./reports/check -update` and review the diff.
func TestGolden(t *testing.T) {
	t.Chdir(testdata) // paths in the output are as the user typed them
	base := baselineOf(t, "base.yaml")
	for _, tc := range []struct {
		name, config string
		baseline     *Report
	}{
		{"passing", "passing.yaml", nil},
		{"failing", "failing.yaml", nil},
		{"pr", "pr.yaml", base},
	} {
		r := mustRun(t, tc.config, Options{Baseline: tc.baseline, BaselinePath: "base.json"})
		for _, f := range []struct {
			format reports.Format
			ext    string
		}{{reports.Table, "txt"}, {reports.Markdown, "md"}, {reports.JSON, "json"}} {
			var buf bytes.Buffer
			if err := Write(&buf, f.format, reports.Style{}, r); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("golden", tc.name+"."+f.ext), buf.Bytes())
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	goldennumbers.Check(t, path, got)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

// A scenario with a closed form: n evenly spaced requests of 50 ms over
// 10 minutes at 10 per second (arm64, 512 MB), the first one cold with
// 20 ms INIT; one environment, no throttles. Projected to a 730-hour month
// (× 730 × 3600 / 600 = 4,380):
//
//	requests  n × 4,380 × $0.2e-6
//	GB-s      (50 n + 20) ms × 4,380 / 1000 × 0.5 GB × $0.0000133334
//
// n is 5,999 or 6,000 or 6,001 depending on whether the ends of the
// interval get an arrival; the expected bill is computed from it.
func TestRunScenario(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: steady
    scenario: scenarios/steady.yaml
    thresholds:
      monthly_cost_usd: ["< 20"]
      cold_start_rate: ["< 0.001"]
      latency_p99_ms: ["<= 50"]
      throttles: ["== 0"]
      peak_concurrency: ["== 1"]
`)
	abs, _ := filepath.Abs(filepath.Join(testdata, "scenarios"))
	if err := os.Symlink(abs, filepath.Join(filepath.Dir(p), "scenarios")); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, p, Options{})
	c := r.Checks[0]
	if !r.Passed {
		t.Errorf("failed: %+v", c.Thresholds)
	}
	cpm := c.Metrics[CostPerMillion]
	monthly := c.Metrics[MonthlyCostUSD]
	// Recover n from the cold-start rate (1/n) and check it is sane.
	n := math.Round(1 / c.Metrics[ColdStartRate])
	if n < 5999 || n > 6001 {
		t.Fatalf("n = %v from cold_start_rate %v", n, c.Metrics[ColdStartRate])
	}
	req := decimal.NewFromFloat(n).Mul(decimal.NewFromInt(4380))
	gbs := decimal.NewFromFloat(50*n + 20).Mul(decimal.NewFromInt(4380)).Div(decimal.NewFromInt(1000)).Mul(decimal.RequireFromString("0.5"))
	want := req.Mul(decimal.RequireFromString("0.0000002")).Add(gbs.Mul(decimal.RequireFromString("0.0000133334")))
	if !c.Cost.Total.Equal(want) || !near(monthly, want.InexactFloat64()) {
		t.Errorf("monthly cost %s (%v), want %s for n = %v", c.Cost.Total, monthly, want, n)
	}
	// Per million over the simulated span: the same ratio as the month's.
	if !near(cpm, want.InexactFloat64()/req.InexactFloat64()*1e6) {
		t.Errorf("cost per million %v, want %v", cpm, want.InexactFloat64()/req.InexactFloat64()*1e6)
	}
	// Every invocation takes exactly 50 ms; the simulator's histogram clamps
	// its quantiles to the exact min and max, so the percentiles are exact.
	checkMetrics(t, c, map[string]float64{
		MonthlyCostUSD: monthly, CostPerMillion: cpm, ColdStartRate: 1 / n,
		Throttles: 0, ThrottleRate: 0, LatencyP50Ms: 50, LatencyP90Ms: 50, LatencyP99Ms: 50, PeakConcurrency: 1,
	})
	if c.Region != "us-east-1" || c.Source != SourceScenario || c.File != "scenarios/steady.yaml" {
		t.Errorf("check %+v", c)
	}
	// The monthly figure is the span scaled ×4380 (2 h → 730 h) and prices
	// no free tier: the check says so, as simulate does.
	fields := map[string]string{}
	for _, a := range c.Assumptions {
		fields[a.Field] = a.Why
	}
	if !strings.Contains(fields["month"], "×4380") || fields["free_tier"] == "" {
		t.Errorf("scenario check assumptions %+v lack the month's scaling or the free tier", c.Assumptions)
	}
}

// A broken scenario is reported with its own file:line, like a broken config.
func TestRunScenarioBroken(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: bad
    scenario: bad-scenario.yaml
`)
	bad := filepath.Join(filepath.Dir(p), "bad-scenario.yaml")
	if err := os.WriteFile(bad, []byte("name: x\nfunction:\n  memory_mb: 64\n  duration: 10ms\n  colour: blue\ntraffic: {start_rate: 1, stages: [{duration: 1m, target: 1}]}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := run(t, p, Options{})
	if err == nil || !strings.Contains(err.Error(), bad+":5") || !pricing.IsInput(err) {
		t.Errorf("got %v, want an input error at %s:5", err, bad)
	}
}

// A scenario check prices the bill options it is given (--free-tier,
// --savings-plan, --log-bytes) through the scenario's billing: section,
// as simulate would, and lists what a simulation's bill cannot carry
// (--api-gateway): they were dropped silently. Closed form as in
// TestRunScenario (R = 4,380 n requests, G = (50 n + 20) × 4,380 / 1000 ×
// 0.5 GB-s at arm64's $0.0000133334):
//
//	savings plan 17 %, 1,024 log bytes: R × $0.0000002 + 0.83 × G × price
//	  + R × 1024 / 2^30 GB × $0.50 (all in the first Lambda-logs tier)
//	free tier: (R − 1,000,000) × $0.0000002 + (G − 400,000) × price
//	  (R ≈ 26.3M and G ≈ 657,000 are both above the allowance)
func TestRunScenarioBillOptions(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		name   string
		opt    Options
		want   func(req, gbs decimal.Decimal) decimal.Decimal
		fields []string
	}{
		{"savings plan, logs and API Gateway",
			Options{Bill: pricing.Options{ComputeSavingsPlan: d("0.17"), LogBytesPerRequest: 1024, APIGateway: "http"}},
			func(req, gbs decimal.Decimal) decimal.Decimal {
				logs := req.Mul(decimal.NewFromInt(1024)).Div(decimal.NewFromInt(1 << 30)).Mul(d("0.5"))
				return req.Mul(d("0.0000002")).Add(gbs.Mul(d("0.0000133334")).Mul(d("0.83"))).Add(logs)
			},
			[]string{"--savings-plan", "--log-bytes", "--api-gateway"}},
		{"free tier", Options{FreeTier: true},
			func(req, gbs decimal.Decimal) decimal.Decimal {
				return req.Sub(d("1000000")).Mul(d("0.0000002")).Add(gbs.Sub(d("400000")).Mul(d("0.0000133334")))
			},
			[]string{"free_tier"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeConfig(t, `
checks:
  - name: steady
    scenario: scenarios/steady.yaml
    thresholds:
      monthly_cost_usd: ["< 20"]
`)
			abs, _ := filepath.Abs(filepath.Join(testdata, "scenarios"))
			if err := os.Symlink(abs, filepath.Join(filepath.Dir(p), "scenarios")); err != nil {
				t.Fatal(err)
			}
			c := mustRun(t, p, tc.opt).Checks[0]
			n := math.Round(1 / c.Metrics[ColdStartRate])
			if n < 5999 || n > 6001 {
				t.Fatalf("n = %v from cold_start_rate %v", n, c.Metrics[ColdStartRate])
			}
			req := decimal.NewFromFloat(n).Mul(decimal.NewFromInt(4380))
			gbs := decimal.NewFromFloat(50*n + 20).Mul(decimal.NewFromInt(4380)).Div(decimal.NewFromInt(1000)).Mul(d("0.5"))
			want := tc.want(req, gbs)
			if diff := c.Cost.Total.Sub(want).Abs(); diff.GreaterThan(d("0.000001")) {
				t.Errorf("monthly cost %s, want %s (n = %v)", c.Cost.Total, want, n)
			}
			listed := map[string]bool{}
			for _, a := range c.Assumptions {
				listed[a.Field] = true
			}
			for _, f := range tc.fields {
				if !listed[f] {
					t.Errorf("%s not listed in %+v", f, c.Assumptions)
				}
			}
		})
	}
}

// An estimate check takes --log-bytes and --transfer-out-bytes-per-request
// when its entry gives none (they were dropped silently), and lists its
// bill's assumptions (the Savings Plan). 30M requests, 1024 MB arm64,
// 120 ms: duration 3,600,000 GB-s × $0.0000133334 = $48.00024; requests
// 30M × $0.0000002 = $6; logs at 2,048 bytes each 61,440,000,000 bytes =
// 57.220458984375 GB × $0.50 = $28.6102294921875; with the entry's own
// 1,024 bytes half that, $14.30511474609375; 17 % off the duration
// −$8.1600408.
func TestRunEstimateBillOptions(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		name, entry string
		want        string
		fields      []string
	}{
		{"the flag's log bytes", "", "6 + 48.00024 + 28.6102294921875 - 8.1600408", []string{"log_bytes_per_request", "compute_savings_plan"}},
		{"the entry's own log bytes win", ", log_bytes_per_request: 1024", "6 + 48.00024 + 14.30511474609375 - 8.1600408", []string{"compute_savings_plan"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeConfig(t, `
checks:
  - name: api
    estimate: {memory_mb: 1024, architecture: arm64, requests: 30000000, duration: 120ms`+tc.entry+`}
    thresholds:
      monthly_cost_usd: ["< 1000"]
`)
			c := mustRun(t, p, Options{Bill: pricing.Options{LogBytesPerRequest: 2048, ComputeSavingsPlan: d("0.17")}}).Checks[0]
			want := decimal.Zero
			for i, term := range strings.Fields(tc.want) {
				if term == "+" || term == "-" {
					continue
				}
				x := d(term)
				if i > 0 && strings.Fields(tc.want)[i-1] == "-" {
					x = x.Neg()
				}
				want = want.Add(x)
			}
			if !c.Cost.Total.Equal(want) {
				t.Errorf("monthly cost %s, want %s", c.Cost.Total, want)
			}
			listed := map[string]bool{}
			for _, a := range c.Assumptions {
				listed[a.Field] = true
			}
			for _, f := range tc.fields {
				if !listed[f] {
					t.Errorf("%s not listed in %+v", f, c.Assumptions)
				}
			}
			if len(tc.fields) == 1 && listed["log_bytes_per_request"] {
				t.Errorf("the flag's log bytes are listed although the entry's were used: %+v", c.Assumptions)
			}
		})
	}
}

// The billing options the check gives a scenario's bill are named as the
// user gave them (--free-tier, --savings-plan, --log-bytes), not as the
// scenario's billing: keys, which the scenario file does not set.
func TestScenarioBillingNamedAsGiven(t *testing.T) {
	p := writeConfig(t, `
checks:
  - name: steady
    scenario: scenarios/steady.yaml
    thresholds:
      monthly_cost_usd: ["< 1000"]
`)
	abs, _ := filepath.Abs(filepath.Join(testdata, "scenarios"))
	if err := os.Symlink(abs, filepath.Join(filepath.Dir(p), "scenarios")); err != nil {
		t.Fatal(err)
	}
	r := mustRun(t, p, Options{FreeTier: true, Bill: pricing.Options{ComputeSavingsPlan: decimal.RequireFromString("0.17"), LogBytesPerRequest: 1024}})
	fields := map[string]bool{}
	for _, a := range r.Checks[0].Assumptions {
		fields[a.Field] = true
	}
	for _, want := range []string{"free_tier", "--savings-plan", "--log-bytes"} {
		if !fields[want] {
			t.Errorf("no %s assumption: %v", want, r.Checks[0].Assumptions)
		}
	}
	for _, not := range []string{"billing.free_tier", "billing.compute_savings_plan", "billing.log_bytes_per_request"} {
		if fields[not] {
			t.Errorf("%s is named although the scenario does not set it: %v", not, r.Checks[0].Assumptions)
		}
	}
}
