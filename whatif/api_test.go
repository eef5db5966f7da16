package whatif

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const checkout = "../testdata/scenarios/checkout.yaml"

// savedScenario asks api/scenario for the YAML of set and writes it where
// a session would save it.
func savedScenario(t *testing.T, url, set, mode string) (dir string, resp ScenarioResponse) {
	t.Helper()
	a := post(t, nil, url+"/api/scenario", fmt.Sprintf(`{"set":%s,"mode":%q}`, set, mode))
	if a.code != 200 {
		t.Fatalf("api/scenario: %d %s", a.code, a.body)
	}
	if err := json.Unmarshal(a.body, &resp); err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, resp.File), []byte(resp.Scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, resp
}

// The API's answer is `lambdacost simulate -o json` of the saved
// scenario, byte for byte, for the exact and the fast engine; the saved
// file names the command.
func TestPlanIsTheCLIsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	_, ts := newTestServer(t, base(t, checkout), Config{})
	for _, tc := range []struct {
		name, set, mode, wantMode string
	}{
		{"as is", `{}`, "", ModeExact},
		{"memory 1024, traffic ×10", `{"memory_mb":1024,"traffic_scale":10}`, "", ModeExact},
		{"arm64, provisioned 5, new spike, eu-west-1", `{"architecture":"x86_64","provisioned":5,"region":"eu-west-1","start_rate":2,"stages":[{"duration":"20m","target":2},{"duration":"1m","target":300},{"duration":"20m","target":300}]}`, "", ModeExact},
		{"fast mode", `{"traffic_scale":10}`, ModeFast, ModeFast},
		{"free tier and a Savings Plan", `{"free_tier":true,"compute_savings_plan":0.17}`, "", ModeExact},
		{"a provisioned-concurrency schedule for the spike", `{"provisioned":2,"provisioned_schedule":[{"at":"29m","level":150},{"at":"40m","level":2}]}`, "", ModeExact},
		{"monthly growth", `{"monthly_growth":0.25,"duration":"1460h","stages":[{"duration":"1460h","target":2}],"start_rate":1}`, ModeFast, ModeFast},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := post(t, nil, ts.URL+"/api/plan", fmt.Sprintf(`{"set":%s,"mode":%q}`, tc.set, tc.mode))
			if a.code != 200 {
				t.Fatalf("api/plan: %d %s", a.code, a.body)
			}
			var r struct {
				Mode string `json:"mode"`
			}
			if err := json.Unmarshal(a.body, &r); err != nil {
				t.Fatal(err)
			}
			if r.Mode != tc.wantMode {
				t.Errorf("mode %q, want %q", r.Mode, tc.wantMode)
			}
			cmd := a.header.Get("X-Lambdacost-Command")
			dir, saved := savedScenario(t, ts.URL, tc.set, r.Mode)
			if saved.Command != cmd || !strings.Contains(saved.Scenario, "#   "+cmd+"\n") {
				t.Errorf("the saved scenario names %q (header comment present: %v), the answer %q", saved.Command, strings.Contains(saved.Scenario, cmd), cmd)
			}
			out, stderr, code := runCLI(t, dir, cmd)
			if code != 0 {
				t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
			}
			if !bytes.Equal(cliResult(t, out, ""), a.body) {
				t.Errorf("api/plan differs from `%s` on the saved scenario:\nAPI: %.600s\nCLI: %.600s", cmd, a.body, out)
			}
		})
	}
}

// A scenario with an lmi: section gets the "lmi" member, as the CLI's.
func TestPlanWithLMIIsTheCLIsJSON(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the CLI")
	}
	_, ts := newTestServer(t, base(t, "../testdata/scenarios/lmi-burst.yaml"), Config{})
	a := post(t, nil, ts.URL+"/api/plan", `{"set":{"memory_mb":2048}}`)
	if a.code != 200 || !strings.Contains(string(a.body), `"lmi": {`) {
		t.Fatalf("api/plan: %d %.300s", a.code, a.body)
	}
	cmd := a.header.Get("X-Lambdacost-Command")
	dir, _ := savedScenario(t, ts.URL, `{"memory_mb":2048}`, ModeExact)
	out, stderr, code := runCLI(t, dir, cmd)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", cmd, code, stderr)
	}
	if !bytes.Equal(cliResult(t, out, ""), a.body) {
		t.Errorf("api/plan differs from `%s`:\nAPI: %.800s\nCLI: %.800s", cmd, a.body, out)
	}
}

// The memory and traffic of a change reach the engines: 1024 MB doubles
// the GB-seconds of 512 MB for the same invocations (same seed, same
// arrivals; durations do not depend on memory in a scenario), and ×10
// traffic is ten times the offered requests within Poisson noise.
func TestPlanFollowsTheChange(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	// A shorter spike: 10 min at 5 req/s, 1-min ramps around 5 min at 100
	// req/s, 3 min at 5 req/s: 3,000 + 3,150 + 30,000 + 3,150 + 900 =
	// 40,200 requests expected; ×10 is 402,000 (the ratio's σ ≈ 0.05).
	const shape = `"duration":"20m","stages":[{"duration":"10m","target":5},{"duration":"1m","target":100},{"duration":"5m","target":100},{"duration":"1m","target":5}]`
	res := func(set string) map[string]any {
		a := post(t, nil, ts.URL+"/api/plan", `{"set":{`+shape+set+`}}`)
		if a.code != 200 {
			t.Fatalf("%s: %d %s", set, a.code, a.body)
		}
		var m map[string]any
		if err := json.Unmarshal(a.body, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	b := res(``)
	m := res(`,"memory_mb":1024`)
	x := res(`,"traffic_scale":10`)
	if b["invocations"] != m["invocations"] {
		t.Fatalf("same seed, different invocations: %v vs %v", b["invocations"], m["invocations"])
	}
	if g0, g1 := b["billed_gb_seconds"].(float64), m["billed_gb_seconds"].(float64); g1 < 1.999*g0 || g1 > 2.001*g0 {
		t.Errorf("GB-s at 1024 MB = %g, want 2 × %g", g1, g0)
	}
	a0, a1 := b["arrivals"].(float64), x["arrivals"].(float64)
	if a0 < 40200-4*200 || a0 > 40200+4*200 {
		t.Errorf("%g arrivals, want 40,200 ± 4σ (σ ≈ 200)", a0)
	}
	if r := a1 / a0; r < 9.8 || r > 10.2 {
		t.Errorf("×10 traffic: %g arrivals against %g (ratio %g)", a1, a0, r)
	}
}

// Every input is validated: a bad value answers 400 with the message the
// CLI gives for the same saved file (or, for what only the API has, a
// message naming the field).
func TestBadInput(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	for _, tc := range []struct {
		name, body string
		code       int
		want       string // in the message
		cli        bool   // the CLI on the same YAML gives the same message
	}{
		{"memory too large", `{"set":{"memory_mb":100000}}`, 400, "function.memory_mb", true},
		{"memory too small", `{"set":{"memory_mb":64}}`, 400, "function.memory_mb", true},
		{"architecture", `{"set":{"architecture":"sparc"}}`, 400, "sparc", true},
		{"provisioned negative", `{"set":{"provisioned":-1}}`, 400, "provisioned", true},
		{"provisioned above the limit", `{"set":{"provisioned":2000}}`, 400, "exceeds the concurrency limit", true},
		{"reserved above the account", `{"set":{"reserved":5000}}`, 400, "reserved", true},
		{"account limit zero", `{"set":{"account_limit":0}}`, 400, "account_limit", true},
		{"region", `{"set":{"region":"mars-1"}}`, 400, `"mars-1"`, true},
		{"duration", `{"set":{"duration":"soon"}}`, 400, "duration", true},
		{"stage duration", `{"set":{"stages":[{"duration":"x","target":5}]}}`, 400, "duration", true},
		{"stage target negative", `{"set":{"stages":[{"duration":"1h","target":-5}]}}`, 400, "target", true},
		{"stage target null", `{"set":{"stages":[{"duration":"1h","target":null}]}}`, 400, "each stage needs a duration and a target", false},
		{"stage without duration", `{"set":{"stages":[{"target":5}]}}`, 400, "each stage needs a duration and a target", false},
		{"stage unknown field", `{"set":{"stages":[{"duration":"1h","target":5,"shape":"x"}]}}`, 400, `unknown field "shape"`, false},
		{"stage target text", `{"set":{"stages":[{"duration":"1h","target":"<i>"}]}}`, 400, "expected a number", false},
		{"start rate negative", `{"set":{"start_rate":-1}}`, 400, "start_rate", true},
		{"growth of -100 %", `{"set":{"monthly_growth":-1}}`, 400, "traffic.monthly_growth -1 is outside (-1, 10]", true},
		{"Savings Plan of 100 %", `{"set":{"compute_savings_plan":1}}`, 400, "billing.compute_savings_plan 1 is outside [0, 1)", true},
		{"Savings Plan negative", `{"set":{"compute_savings_plan":-0.1}}`, 400, "billing.compute_savings_plan -0.1 is outside [0, 1)", true},
		{"schedule level above the limit", `{"set":{"provisioned_schedule":[{"at":"1h","level":5000}]}}`, 400, "concurrency.provisioned_schedule[0].level 5000 is outside [0, the concurrency limit 1000]", true},
		{"schedule out of order", `{"set":{"provisioned_schedule":[{"at":"1h","level":5},{"at":"30m","level":1}]}}`, 400, "concurrency.provisioned_schedule[1].at 30m0s is not after the previous step's 1h0m0s", true},
		{"schedule beyond the span", `{"set":{"provisioned_schedule":[{"at":"3h","level":5}]}}`, 400, "is not within the simulated 2h0m0s", true},
		{"schedule in the fast mode", `{"set":{"provisioned_schedule":[{"at":"1h","level":5}]},"mode":"fast"}`, 400, "--mode: concurrency.provisioned_schedule: the fast mode keeps one provisioned level", false},
		{"schedule step without a level", `{"set":{"provisioned_schedule":[{"at":"1h"}]}}`, 400, "each step needs an at", false},
		{"free tier not a boolean", `{"set":{"free_tier":"yes"}}`, 400, "set.free_tier: expected a bool", false},
		{"traffic scale zero", `{"set":{"traffic_scale":0}}`, 400, "traffic_scale: must be a multiplier above 0", false},
		{"traffic scale huge", `{"set":{"traffic_scale":1e9}}`, 400, "traffic_scale", false},
		{"unknown field", `{"set":{"memory":1024}}`, 400, `unknown field "memory"`, false},
		{"unknown top-level field", `{"sets":{}}`, 400, `unknown field "sets"`, false},
		{"wrong type", `{"set":{"memory_mb":"big"}}`, 400, "set.memory_mb: expected an integer", false},
		{"fraction for an integer", `{"set":{"provisioned":1.5}}`, 400, "set.provisioned: expected an integer", false},
		{"bad mode", `{"mode":"turbo"}`, 400, `"turbo" is not interactive, exact or fast`, false},
		{"not JSON", `memory=1024`, 400, "request:", false},
		{"empty body", ``, 400, "empty body", false},
		{"two objects", `{} {}`, 400, "unexpected data after the JSON object", false},
		{"body too large", `{"set":{"duration":"` + strings.Repeat("x", 2<<20) + `"}}`, 413, "request body", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, ep := range []string{"/api/plan", "/api/scenario"} {
				a := post(t, nil, ts.URL+ep, tc.body)
				if a.code != tc.code {
					t.Fatalf("%s: %d, want %d: %s", ep, a.code, tc.code, a.body)
				}
				msg := a.errMsg(t)
				if !strings.Contains(msg, tc.want) {
					t.Errorf("%s: message %q does not contain %q", ep, msg, tc.want)
				}
				if tc.cli && ep == "/api/plan" && !testing.Short() {
					// The same YAML, saved and given to the CLI.
					var req Request
					if err := json.Unmarshal([]byte(tc.body), &req); err != nil {
						t.Fatal(err)
					}
					y, err := Apply(base(t, checkout), req.Set, Command(ScenarioFile, ModeExact))
					if err != nil {
						t.Fatal(err)
					}
					dir := t.TempDir()
					if err := os.WriteFile(filepath.Join(dir, ScenarioFile), y, 0o644); err != nil {
						t.Fatal(err)
					}
					_, stderr, code := runCLI(t, dir, Command(ScenarioFile, ModeExact))
					// The CLI prints each error of a joined list on its own line.
					for _, line := range strings.Split(msg, "\n") {
						if code != 2 || !strings.Contains(stderr, "lambdacost: error: "+line+"\n") {
							t.Errorf("CLI exit %d, stderr %q; want exit 2 with the API's message %q", code, stderr, line)
						}
					}
				}
			}
		})
	}
	// Not JSON at all.
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/plan", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "text/plain")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("text/plain body: %d, want 415", resp.StatusCode)
	}
	if a := get(t, ts.URL+"/api/plan"); a.code != http.StatusMethodNotAllowed {
		t.Errorf("GET api/plan: %d, want 405", a.code)
	}
}

// A day at 1,000 req/s is ≈ 8.6·10⁷ invocations (≈ 14 s of the exact
// engine at its planning cost): work that cancellation must stop.
const bigScenario = `name: big
region: us-east-1
duration: 24h
function:
  memory_mb: 512
  architecture: x86_64
  duration: {distribution: lognormal, p50: 80ms, p99: 400ms}
  init_duration: 250ms
traffic:
  start_rate: 1000
`

func waitFor(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	end := time.Now().Add(d)
	for !ok() {
		if time.Now().After(end) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A request whose client goes away stops the simulator, in either engine:
// the run ends long before the work it was given would (the exact run
// below is ≈ 14 s at the planning cost, the fast one ≈ 11 s, of which the
// first ≈ 3 s are its calibration run, where the cancel lands; both
// several times longer under -race). The engines look at the context
// every 65,536 invocations or steps: milliseconds, or ≈ 1 s under -race.
func TestCancellationStopsTheWork(t *testing.T) {
	lim := Limits{ExactBudget: time.Hour, MaxWork: time.Hour, Timeout: time.Hour}
	year := strings.Replace(strings.Replace(bigScenario, "24h", "8760h", 1), "1000", "10000", 1)
	for _, tc := range []struct{ mode, scenario string }{{"exact", bigScenario}, {"fast", year}} {
		t.Run(tc.mode, func(t *testing.T) {
			srv, ts := newTestServer(t, []byte(tc.scenario), Config{Limits: lim})
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan answer, 1)
			go func() { done <- post(t, ctx, ts.URL+"/api/plan", `{"mode":"`+tc.mode+`"}`) }()
			waitFor(t, "the simulation to start", 10*time.Second, func() bool { return srv.Running() == 1 })
			time.Sleep(100 * time.Millisecond)
			start := time.Now()
			cancel()
			<-done
			waitFor(t, "the simulation to stop after the client left", 5*time.Second, func() bool { return srv.Running() == 0 })
			t.Logf("%s: stopped %s after the cancel", tc.mode, time.Since(start).Round(time.Millisecond))
		})
	}
}

// A newer request of the same tab supersedes the one in flight (499,
// cancelled); another tab's request is not touched.
func TestNewerRequestSupersedes(t *testing.T) {
	lim := Limits{ExactBudget: time.Hour, MaxWork: time.Hour, Timeout: time.Hour}
	srv, ts := newTestServer(t, []byte(bigScenario), Config{Limits: lim})
	first := make(chan answer, 1)
	go func() { first <- post(t, nil, ts.URL+"/api/plan", `{"mode":"exact"}`, "X-Lambdacost-Tab", "tab-a") }()
	waitFor(t, "the first simulation to start", 10*time.Second, func() bool { return srv.Running() == 1 })
	// The newer one is small: 1 minute at 1 req/s.
	second := post(t, nil, ts.URL+"/api/plan", `{"set":{"duration":"1m","start_rate":1},"mode":"exact"}`, "X-Lambdacost-Tab", "tab-a")
	a := <-first
	if a.code != 499 || !strings.Contains(a.errMsg(t), "superseded") {
		t.Errorf("superseded request: %d %s", a.code, a.body)
	}
	if second.code != 200 {
		t.Errorf("newer request: %d %s", second.code, second.body)
	}
	waitFor(t, "no simulation left", 3*time.Second, func() bool { return srv.Running() == 0 })
}

// A scenario beyond the interactive bound is refused before any work,
// with the message and the command of the exact run.
func TestTooLarge(t *testing.T) {
	// (exact ≈ 14.3 s, fast ≈ 0.90 s: see TestChooseMode)
	srv, ts := newTestServer(t, []byte(bigScenario), Config{Limits: Limits{ExactBudget: time.Second, MaxWork: 800 * time.Millisecond}})
	for _, mode := range []string{"exact", "fast", "interactive"} {
		a := post(t, nil, ts.URL+"/api/plan", `{"mode":"`+mode+`"}`)
		if a.code != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d %s", mode, a.code, a.body)
		}
		var m struct {
			Error    string `json:"error"`
			TooLarge bool   `json:"too_large"`
			Command  string `json:"command"`
		}
		if err := json.Unmarshal(a.body, &m); err != nil {
			t.Fatal(err)
		}
		if !m.TooLarge || !strings.HasPrefix(m.Command, "lambdacost simulate scenario.yaml") || !strings.Contains(m.Error, m.Command) {
			t.Errorf("%s: %+v", mode, m)
		}
	}
	if srv.Running() != 0 {
		t.Error("a refused request ran")
	}
}

// The interactive mode picks the exact engine for small runs and the fast
// mode beyond the budget (estimates: simulator.EstimateExact, EstimateFast).
func TestChooseMode(t *testing.T) {
	s, err := Parse([]byte(bigScenario), "")
	if err != nil {
		t.Fatal(err)
	}
	// 8.64·10⁷ invocations × 165 ns ≈ 14.3 s exact.
	if m, err := ChooseMode(s, ModeInteractive, Limits{ExactBudget: 15 * time.Second, MaxWork: time.Minute}); err != nil || m != ModeExact {
		t.Errorf("budget 15 s: %q %v, want exact", m, err)
	}
	// Fast (simulator.EstimateFast): one constant stage of 24 h with the
	// default 10-min idle timeout is stepped for two idle timeouts (1,200 s,
	// 80 slots of 15 s) and booked in bulk after: 0.9 s of calibration +
	// 1,200 × 50 ns + 80 × 2.4 µs ≈ 0.90025 s.
	if m, err := ChooseMode(s, ModeInteractive, Limits{ExactBudget: 14 * time.Second, MaxWork: time.Minute}); err != nil || m != ModeFast {
		t.Errorf("budget 14 s: %q %v, want fast", m, err)
	}
	if m, err := ChooseMode(s, ModeInteractive, Limits{ExactBudget: time.Second, MaxWork: time.Second}); err != nil || m != ModeFast {
		t.Errorf("max work 1 s: %q %v, want fast (≈ 0.9 s)", m, err)
	}
	if _, err := ChooseMode(s, ModeInteractive, Limits{ExactBudget: time.Second, MaxWork: 800 * time.Millisecond}); err == nil {
		t.Error("max work 0.8 s: want too large")
	}
	// A steady year at 10k req/s costs the same ≈ 0.9 s: within the
	// default limits, answered by the fast mode.
	y, err := Parse([]byte(strings.Replace(strings.Replace(bigScenario, "24h", "8760h", 1), "1000", "10000", 1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := ChooseMode(y, ModeInteractive, DefaultLimits); err != nil || m != ModeFast {
		t.Errorf("a steady year at 10k req/s with the default limits: %q %v, want fast", m, err)
	}
	// A diurnal year (288 sloped pieces a day) is stepped second by second:
	// 0.9 s + 3.1536·10⁷ × 50 ns (1.5768 s) + 2.1024·10⁶ slots × 2.4 µs
	// (5.0458 s) ≈ 7.52 s: fast within the default 20 s, too large at 5 s.
	d, err := Parse([]byte(strings.Replace(strings.Replace(bigScenario, "24h", "8760h", 1),
		"  start_rate: 1000\n", "  diurnal: {mean: 10000, amplitude: 5000, period: 24h}\n", 1)), "")
	if err != nil {
		t.Fatal(err)
	}
	if m, err := ChooseMode(d, ModeInteractive, DefaultLimits); err != nil || m != ModeFast {
		t.Errorf("a diurnal year with the default limits: %q %v, want fast", m, err)
	}
	if _, err := ChooseMode(d, ModeInteractive, Limits{ExactBudget: DefaultLimits.ExactBudget, MaxWork: 5 * time.Second}); err == nil || !strings.Contains(err.Error(), "lambdacost simulate scenario.yaml -o json") {
		t.Errorf("a diurnal year with 5 s of work allowed: %v, want too large with the command", err)
	}
}

// Several tabs at once: concurrent requests for different changes each get
// their own answer, the same as when asked alone.
func TestConcurrentRequests(t *testing.T) {
	_, ts := newTestServer(t, hostileScenario, Config{})
	mems := []int{256, 512, 768, 1024, 2048, 3008}
	alone := map[int][]byte{}
	for _, m := range mems[:2] {
		a := post(t, nil, ts.URL+"/api/plan", fmt.Sprintf(`{"set":{"memory_mb":%d}}`, m))
		alone[m] = a.body
	}
	var wg sync.WaitGroup
	got := make([]answer, len(mems)*2)
	for i := range got {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			got[i] = post(t, nil, ts.URL+"/api/plan", fmt.Sprintf(`{"set":{"memory_mb":%d}}`, mems[i%len(mems)]), "X-Lambdacost-Tab", fmt.Sprintf("tab-%d", i))
		}(i)
	}
	wg.Wait()
	for i, a := range got {
		m := mems[i%len(mems)]
		if a.code != 200 {
			t.Fatalf("memory %d: %d %s", m, a.code, a.body)
		}
		var r struct {
			GBs float64 `json:"billed_gb_seconds"`
		}
		_ = json.Unmarshal(a.body, &r)
		if want, ok := alone[m]; ok && !bytes.Equal(a.body, want) {
			t.Errorf("memory %d: the concurrent answer differs from the one asked alone", m)
		}
		if i >= len(mems) && !bytes.Equal(a.body, got[i-len(mems)].body) {
			t.Errorf("memory %d: two concurrent answers differ", m)
		}
	}
}

// A panic in a request answers 500 and the server keeps serving.
func TestPanicIsContained(t *testing.T) {
	srv, ts := newTestServer(t, base(t, checkout), Config{})
	srv.mux.HandleFunc("GET /boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
	if a := get(t, ts.URL+"/boom"); a.code != 500 || !strings.Contains(a.errMsg(t), "boom") {
		t.Errorf("panic: %d %s", a.code, a.body)
	}
	if a := post(t, nil, ts.URL+"/api/plan", `{}`); a.code != 200 {
		t.Errorf("after a panic: %d %s", a.code, a.body)
	}
}

// A session toggling back to an earlier value gets the kept answer, the
// same bytes, without a new run; a different change is computed anew.
func TestAnswerCache(t *testing.T) {
	srv, ts := newTestServer(t, base(t, checkout), Config{})
	a := post(t, nil, ts.URL+"/api/plan", `{"set":{"memory_mb":1024}}`)
	b := post(t, nil, ts.URL+"/api/plan", `{"set":{"memory_mb":2048}}`)
	c := post(t, nil, ts.URL+"/api/plan", `{"set":{"memory_mb":1024}}`)
	if a.code != 200 || b.code != 200 || c.code != 200 {
		t.Fatalf("%d %d %d", a.code, b.code, c.code)
	}
	if !bytes.Equal(a.body, c.body) || bytes.Equal(a.body, b.body) || c.header.Get("X-Lambdacost-Command") != a.header.Get("X-Lambdacost-Command") {
		t.Error("the kept answer differs from the first")
	}
	if srv.cache.Hits() != 1 {
		t.Errorf("cache hits %d, want 1", srv.cache.Hits())
	}
	for i := 0; i < cacheSize+5; i++ {
		srv.cache.Put(fmt.Sprint(i), []byte{1})
	}
	if srv.cache.Len() != cacheSize || srv.pool.Size != poolSize {
		t.Errorf("cache holds %d answers, want at most %d (pool size %d, want %d)", srv.cache.Len(), cacheSize, srv.pool.Size, poolSize)
	}
}

// While a tab's run is in flight, api/progress says how far it has got;
// after it, nothing runs for the tab.
func TestProgress(t *testing.T) {
	lim := Limits{ExactBudget: time.Hour, MaxWork: time.Hour, Timeout: time.Hour}
	srv, ts := newTestServer(t, []byte(bigScenario), Config{Limits: lim})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan answer, 1)
	go func() { done <- post(t, ctx, ts.URL+"/api/plan", `{"mode":"exact"}`, "X-Lambdacost-Tab", "p1") }()
	waitFor(t, "the simulation to start", 10*time.Second, func() bool { return srv.Running() == 1 })
	var p Progress
	waitFor(t, "progress to be reported", 10*time.Second, func() bool {
		a := get(t, ts.URL+"/api/progress?tab=p1")
		if err := json.Unmarshal(a.body, &p); err != nil {
			t.Fatal(err)
		}
		return p.Running && p.DoneS > 0
	})
	// The scenario is 24 h of simulated time.
	if p.TotalS != 86400 || p.DoneS > p.TotalS || p.Percentage <= 0 || p.Percentage > 100 {
		t.Errorf("progress %+v", p)
	}
	cancel()
	<-done
	waitFor(t, "the run to end", 3*time.Second, func() bool { return srv.Running() == 0 })
	a := get(t, ts.URL+"/api/progress?tab=p1")
	if err := json.Unmarshal(a.body, &p); err != nil || p.Running {
		t.Errorf("after the run: %s", a.body)
	}
	if a := get(t, ts.URL+"/api/progress"); a.code != 400 {
		t.Errorf("no tab: %d", a.code)
	}
}
