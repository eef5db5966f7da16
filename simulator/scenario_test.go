package simulator

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// The SPEC's example scenario: 5 req/s for 30 min, a 10 s ramp to 800,
// 5 min at 800, a 10 s ramp down, then 5 req/s to the end of 2 h. By hand:
// 5·1800 + (5+800)/2·10 + 800·300 + (800+5)/2·10 + 5·(7200−2120)
// = 9000 + 4025 + 240000 + 4025 + 25400 = 282,450 requests.
func TestSpecScenario(t *testing.T) {
	s, err := LoadScenario(filepath.Join("..", "testdata", "scenarios", "checkout.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "checkout-api" || s.Seed != 42 || s.Span() != 2*time.Hour {
		t.Errorf("name/seed/span = %q/%d/%s", s.Name, s.Seed, s.Span())
	}
	if got := s.ExpectedRequests(); math.Abs(got-282450) > 1e-6 {
		t.Errorf("expected requests = %v, want 282450", got)
	}
	if s.PeakRate() != 800 {
		t.Errorf("peak rate = %v, want 800", s.PeakRate())
	}
	for _, c := range []struct {
		at   time.Duration
		want float64
	}{{0, 5}, {29 * time.Minute, 5}, {30*time.Minute + 5*time.Second, 402.5}, {33 * time.Minute, 800}, {time.Hour, 5}} {
		if got := s.Rate(c.at); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("rate at %s = %v, want %v", c.at, got, c.want)
		}
	}
	if s.Function.MemoryMB != 512 || s.Function.Architecture != pricing.ARM64 || s.Function.Timeout.D() != 30*time.Second {
		t.Errorf("function = %+v", s.Function.FunctionConfig)
	}
	if !reflect.DeepEqual(s.Concurrency, ConcurrencySpec{AccountLimit: 1000, ScalingRate: 1000}) {
		t.Errorf("concurrency = %+v", s.Concurrency)
	}
	ln := s.Function.Duration
	if q := ln.Quantile(0.5); absDur(q-80*time.Millisecond) > time.Microsecond {
		t.Errorf("duration p50 = %s", q)
	}
	if q := ln.Quantile(0.99); absDur(q-400*time.Millisecond) > time.Microsecond {
		t.Errorf("duration p99 = %s", q)
	}
	if s.Function.InitDuration.Mean() != 250*time.Millisecond || s.KeepAlive.IdleTimeout.Mean() != 10*time.Minute {
		t.Errorf("init %s, idle %s", s.Function.InitDuration, s.KeepAlive.IdleTimeout)
	}
	// The simulation offers about that many requests (Poisson: ± 4σ ≈ 2,126).
	r := run(t, s, Options{})
	if math.Abs(float64(r.Arrivals)-282450) > 4*math.Sqrt(282450) {
		t.Errorf("arrivals = %d, want 282450 ± 4σ", r.Arrivals)
	}
	if r.Throttles != 0 || r.PeakConcurrency < 50 {
		t.Errorf("throttles %d, peak %d", r.Throttles, r.PeakConcurrency)
	}
	if len(r.Timeline) != 1440 || r.BucketSeconds != 5 {
		t.Errorf("timeline %d × %g s, want 1440 × 5 s (2 h in ≤ 2,000 buckets)", len(r.Timeline), r.BucketSeconds)
	}
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func TestBucketWidth(t *testing.T) {
	for _, c := range []struct{ span, want time.Duration }{
		{time.Second, time.Second}, {2000 * time.Second, time.Second}, {2001 * time.Second, 2 * time.Second},
		{2 * time.Hour, 5 * time.Second}, {24 * time.Hour, time.Minute}, {30 * 24 * time.Hour, 30 * time.Minute},
		{366 * 24 * time.Hour, 6 * time.Hour},
	} {
		if got := BucketWidth(c.span); got != c.want {
			t.Errorf("BucketWidth(%s) = %s, want %s", c.span, got, c.want)
		}
	}
}

// Bad input: every problem reported at once, each with file:line.
func TestScenarioErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown keys", `
function:
  memory_mb: 128
  duration: 10ms
  colour: blue
traffic: {start_rate: 1, bogus: 2}
`, []string{`test.yaml:5: unknown key "colour"`, `test.yaml:6: unknown key "bogus"`}},
		{"wrong type", `
function: {memory_mb: lots, duration: 10ms}
traffic: {start_rate: 1}
`, []string{"test.yaml:2: cannot unmarshal !!str `lots` into int"}},
		{"impossible values", `
duration: 1h
function:
  memory_mb: 64
  timeout: 30s
  duration: {distribution: lognormal, p50: 200ms, p99: 100ms}
  init_duration: 20s
traffic:
  start_rate: .nan
  stages:
    - {duration: 1m, target: -5}
`, []string{
			"test.yaml:4: function.memory_mb: memory 64 MB is outside Lambda's range 128–10240 MB",
			"test.yaml:6: function.duration: p99 100ms is below p50 200ms",
			"test.yaml:7: function.init_duration 20s is beyond the maximum 10s",
			"test.yaml:9: traffic.start_rate must be a non-negative rate of at most 1e+09 req/s",
			"test.yaml:11: traffic.stages[0].target must be a non-negative rate of at most 1e+09 req/s",
		}},
		// 1e12 req/s is non-negative: the message said only that; it names
		// the bound now (1e9 req/s).
		{"rate beyond the bound", `
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 1e12}
`, []string{"test.yaml:3: traffic.start_rate must be a non-negative rate of at most 1e+09 req/s"}},
		{"durations beyond 900 s", `
function: {memory_mb: 128, timeout: 1000s, duration: 901s}
traffic: {start_rate: 1}
`, []string{"test.yaml:2: function.timeout: timeout 16m40s is outside Lambda's range (0, 15m]",
			"test.yaml:2: function.duration 15m1s is beyond the maximum 15m0s"}},
		// Lambda's Timeout is whole seconds from 1 to 900 (Lambda API
		// reference, FunctionConfiguration.Timeout: "Minimum value of 1");
		// "timeout: 30" as SAM and Terraform write it is 30 ms here, which
		// no Lambda function can have: every 100-ms invocation would time
		// out at 30 ms. Refused with the line, saying what 30 meant.
		{"timeout below Lambda's 1 s minimum", `
function:
  memory_mb: 128
  timeout: 30
  duration: 100ms
traffic: {start_rate: 1}
`, []string{"test.yaml:4: function.timeout 30ms is below Lambda's minimum of 1s (Lambda's timeout is whole seconds, 1 to 900; a bare number here is milliseconds: if 30 meant seconds, write 30s)"}},
		{"no traffic", `
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 0, stages: [{duration: 1m, target: 0}]}
`, []string{"test.yaml:3: traffic: the scenario offers no requests (every rate is 0)"}},
		{"no traffic section", `
function: {memory_mb: 128, duration: 10ms}
`, []string{"traffic: no traffic"}},
		{"missing duration", `
function: {memory_mb: 128}
traffic: {start_rate: 1, stages: [{duration: 1m, target: 1}]}
`, []string{"test.yaml:2: function.duration is required"}},
		{"distribution keys", `
function:
  memory_mb: 128
  duration: {distribution: weibull, shape: 2}
  init_duration: {distribution: uniform, min: 10ms, mean: 5ms}
keep_alive: {idle_timeout: {distribution: exponential}}
traffic: {start_rate: 1, stages: [{duration: 1m, target: 1}]}
`, []string{`test.yaml:4: function.duration: unknown distribution "weibull"`,
			`test.yaml:5: function.init_duration: unknown key "mean" for a uniform distribution (allowed: min, max)`,
			`test.yaml:6: keep_alive.idle_timeout: a exponential distribution needs mean:`}},
		{"limits", `
function: {memory_mb: 128, duration: 10ms}
concurrency: {account_limit: 100, reserved: 200, provisioned: 300, scaling_rate: 0}
traffic: {start_rate: 1, arrivals: bursty}
`, []string{"test.yaml:3: concurrency.scaling_rate 0 is outside [1, 1000000]",
			"reserved concurrency 200 exceeds the account limit 100",
			"provisioned concurrency 300 exceeds the concurrency limit",
			`test.yaml:4: traffic.arrivals "bursty" is not poisson or even`}},
		{"async settings", `
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 1, invocation: later, max_retries: 3, max_event_age: 7h}
`, []string{`test.yaml:3: traffic.invocation "later" is not sync or async`,
			"test.yaml:3: traffic.max_retries 3 is outside Lambda's range [0, 2]",
			"traffic.max_event_age 7h0m0s is outside Lambda's range [1m, 6h]"}},
		{"empty", ``, []string{"test.yaml: file is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseScenario("test.yaml", []byte(tc.yaml))
			if err == nil {
				t.Fatal("no error")
			}
			var ie *pricing.InputError
			if !errors.As(err, &ie) {
				t.Errorf("error is not an InputError: %T %v", err, err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestTrafficShapes(t *testing.T) {
	// A diurnal sine over whole periods integrates to mean × span.
	s := parse(t, `
duration: 48h
function: {memory_mb: 128, duration: 10ms}
traffic: {diurnal: {mean: 10, amplitude: 8, period: 24h}}
`)
	if got, want := s.ExpectedRequests(), 10.0*48*3600; math.Abs(got-want)/want > 1e-4 {
		t.Errorf("diurnal expected requests = %v, want %v", got, want)
	}
	if got := s.Rate(6 * time.Hour); math.Abs(got-18) > 1e-9 { // the peak, a segment knot
		t.Errorf("rate at 6 h = %v, want 18", got)
	}
	if s.PeakRate() != 18 {
		t.Errorf("peak = %v, want 18", s.PeakRate())
	}

	// A span longer than the stages holds the last rate; scale multiplies.
	s = parse(t, `
duration: 100s
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 0, scale: 2, stages: [{duration: 10s, target: 10}]}
`)
	// 2 × (0+10)/2·10 + 2 × 10·90 = 100 + 1800.
	if got := s.ExpectedRequests(); got != 1900 {
		t.Errorf("expected requests = %v, want 1900", got)
	}
	// A span shorter than the stages truncates them, interpolating.
	s = parse(t, `
duration: 5s
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 0, stages: [{duration: 10s, target: 10}]}
`)
	if got := s.ExpectedRequests(); got != 12.5 {
		t.Errorf("expected requests = %v, want 12.5 (0→5 over 5 s)", got)
	}

	// Even arrivals give exactly Λ when it is a whole number.
	s = parse(t, `
function: {memory_mb: 128, duration: 10ms}
traffic: {arrivals: even, start_rate: 0, stages: [{duration: 100s, target: 10}, {duration: 100s, target: 10}]}
`)
	r := run(t, s, Options{})
	if r.Arrivals != 1500 { // 500 + 1000
		t.Errorf("even arrivals = %d, want 1500", r.Arrivals)
	}
}

func TestTraceReplay(t *testing.T) {
	dir := t.TempDir()
	csv := "timestamp,count\n2026-01-01T00:00:00Z,60\n2026-01-01T00:01:00Z,120\n2026-01-01T00:02:00Z,0\n2026-01-01T00:03:00Z,30\n"
	if err := os.WriteFile(filepath.Join(dir, "trace.csv"), []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	sc := `
function: {memory_mb: 128, duration: 10ms}
traffic: {trace: trace.csv, arrivals: even}
`
	path := filepath.Join(dir, "s.yaml")
	s, err := ParseScenario(path, []byte(sc))
	if err != nil {
		t.Fatal(err)
	}
	if s.Span() != 4*time.Minute || s.ExpectedRequests() != 210 {
		t.Fatalf("span %s, expected %v; want 4m, 210", s.Span(), s.ExpectedRequests())
	}
	// A shorter span truncates the trace (90 s: 60 + 30 × 2/s); a longer
	// one repeats it (10 min: 210 + 210 + the first two minutes, 60 + 120).
	for _, c := range []struct {
		dur  string
		want float64
	}{{"90s", 120}, {"10m", 600}} {
		st, err := ParseScenario(path, []byte("duration: "+c.dur+"\n"+sc))
		if err != nil {
			t.Fatal(err)
		}
		if got := st.ExpectedRequests(); got != c.want {
			t.Errorf("duration %s: expected requests %v, want %v", c.dur, got, c.want)
		}
	}
	r := run(t, s, Options{})
	// Even arrivals: 1/s in minute 1, 2/s in minute 2, none, 0.5/s.
	if r.Arrivals != 210 {
		t.Errorf("arrivals = %d, want 210", r.Arrivals)
	}
	var inThird float64
	for _, b := range r.Timeline {
		if b.TS >= 120 && b.TS < 180 {
			inThird += b.Arrivals
		}
	}
	if inThird != 0 {
		t.Errorf("%v arrivals in the silent minute", inThird)
	}

	// A dataset's series.
	ds := `{"version":1,"source":"cloudwatch","region":"us-east-1","start":"2026-01-01T00:00:00Z","end":"2026-01-01T00:03:00Z",
"functions":[{"name":"api","memory_mb":512,"architecture":"arm64","summary":{"invocations":300,"errors":0,"throttles":0,"cold_starts":3,
"duration_ms":{"avg":100,"p50":80,"p90":150,"p99":400,"max":900},"init_duration_ms":{"avg":200,"p99":400},"max_memory_used_mb":100,"billed_gb_seconds":1},
"series":{"period_s":60,"start":"2026-01-01T00:00:00Z","invocations":[100,0,200],"duration_avg_ms":[1,1,1],"concurrency_max":[1,1,1]}}]}`
	if err := os.WriteFile(filepath.Join(dir, "ds.json"), []byte(ds), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err = ParseScenario(path, []byte(`
function:
  memory_mb: 512
  duration: {distribution: empirical, file: ds.json}
  init_duration: {distribution: empirical, file: ds.json, function: api}
traffic: {trace: ds.json, function: api}
`))
	if err != nil {
		t.Fatal(err)
	}
	if s.Span() != 3*time.Minute || s.ExpectedRequests() != 300 {
		t.Errorf("span %s, expected %v; want 3m, 300", s.Span(), s.ExpectedRequests())
	}
	if q := s.Function.Duration.Quantile(0.99); absDur(q-400*time.Millisecond) > time.Microsecond {
		t.Errorf("dataset duration p99 = %s, want 400ms", q)
	}
	if m := s.Function.InitDuration.Mean(); absDur(m-200*time.Millisecond) > time.Microsecond {
		t.Errorf("dataset init mean = %s, want 200ms", m)
	}

	// Errors in the trace name file:line.
	if err := os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("t,count\n10,5\n60,-1\n5,2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = ParseScenario(path, []byte("function: {memory_mb: 128, duration: 1ms}\ntraffic: {trace: bad.csv}\n"))
	for _, w := range []string{"bad.csv:3: count \"-1\" must be a non-negative number", "bad.csv:4: timestamps must increase"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

func TestEmpiricalSources(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("run.json", `{"invocations":[
 {"request_id":"a","status":"success","cold":true,"duration_ms":30,"init_duration_ms":120},
 {"request_id":"b","status":"success","cold":false,"duration_ms":10},
 {"request_id":"c","status":"success","cold":false,"duration_ms":20},
 {"request_id":"d","status":"timeout","cold":false,"duration_ms":3000},
 {"request_id":"e","status":"success","cold":true,"duration_ms":40,"init_duration_ms":140}],"summary":{}}`)
	write("tune.json", `{"results":[{"memory_mb":128,"duration_ms":{"p50":400,"p90":500,"p99":800,"mean":420}},
 {"memory_mb":512,"duration_ms":{"p50":100,"p90":150,"p99":200,"mean":110}}],"recommendation":{"memory_mb":512,"strategy":"cost"}}`)
	write("durations.txt", "# measured\n10ms\n20\n\n30ms # note\n")

	path := filepath.Join(dir, "s.yaml")
	s, err := ParseScenario(path, []byte(`
function:
  memory_mb: 512
  duration: {distribution: empirical, file: run.json}
  init_duration: {distribution: empirical, file: run.json}
traffic: {start_rate: 1, stages: [{duration: 10s, target: 1}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	// Warm successes: 10 and 20 ms (the timeout and the cold ones excluded).
	if m := s.Function.Duration.Mean(); m != 15*time.Millisecond {
		t.Errorf("warm mean = %s, want 15ms", m)
	}
	// INIT from the cold ones: 120 and 140 ms.
	if m := s.Function.InitDuration.Mean(); m != 130*time.Millisecond {
		t.Errorf("init mean = %s, want 130ms", m)
	}

	s, err = ParseScenario(path, []byte(`
function:
  memory_mb: 512
  duration: {distribution: empirical, file: tune.json}
  init_duration: {distribution: empirical, file: durations.txt}
keep_alive: {idle_timeout: {distribution: empirical, values: [1m, 2m, 3m]}}
traffic: {start_rate: 1, stages: [{duration: 10s, target: 1}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	if q := s.Function.Duration.Quantile(0.5); absDur(q-100*time.Millisecond) > time.Microsecond {
		t.Errorf("tune p50 at 512 MB = %s, want 100ms", q)
	}
	// The tune result's mean (110 ms) and p90 (150 ms) are kept too.
	if m, q := s.Function.Duration.Mean(), s.Function.Duration.Quantile(0.9); absDur(m-110*time.Millisecond) > time.Microsecond || absDur(q-150*time.Millisecond) > time.Microsecond {
		t.Errorf("tune mean %s, p90 %s at 512 MB; want 110ms, 150ms", m, q)
	}
	if m := s.Function.InitDuration.Mean(); m != 20*time.Millisecond {
		t.Errorf("text mean = %s, want 20ms", m)
	}
	if m := s.KeepAlive.IdleTimeout.Mean(); m != 2*time.Minute {
		t.Errorf("idle mean = %s, want 2m", m)
	}

	_, err = ParseScenario(path, []byte(`
function:
  memory_mb: 1024
  duration: {distribution: empirical, file: tune.json}
  init_duration: {distribution: empirical, file: tune.json}
traffic: {start_rate: 1, stages: [{duration: 10s, target: 1}]}
`))
	for _, w := range []string{"the tune result has no entry for 1024 MB (it has 128, 512)", "a tune result has no INIT durations"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
}

// Every example scenario parses.
func TestExampleScenarios(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "testdata", "scenarios", "*.yaml"))
	if err != nil || len(files) < 5 {
		t.Fatalf("examples: %v %v", files, err)
	}
	for _, f := range files {
		s, err := LoadScenario(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if s.ExpectedRequests() <= 0 || s.Span() <= 0 {
			t.Errorf("%s: no traffic", f)
		}
	}
	s, err := LoadScenario(filepath.Join("..", "testdata", "scenarios", "diurnal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if r := s.Rate(15 * time.Hour); math.Abs(r-95) > 1e-6 {
		t.Errorf("diurnal rate at 15:00 = %v, want 95", r)
	}
	if r := s.Rate(3 * time.Hour); math.Abs(r-5) > 1e-6 {
		t.Errorf("diurnal rate at 03:00 = %v, want 5", r)
	}
}
