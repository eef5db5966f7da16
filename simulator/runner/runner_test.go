package runner

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func TestSuccessColdThenWarm(t *testing.T) {
	for _, iso := range isolations(t) {
		t.Run(string(iso), func(t *testing.T) {
			cfg := base(256, 5*time.Second)
			cfg.Isolation = iso
			res, logs := mustRun(t, cfg, ev(`{"action":"echo","message":"hi"}`), 4)
			if res.Summary.Successes != 4 || res.Summary.ColdStarts != 1 || res.Summary.Environments != 1 {
				t.Fatalf("summary = %+v; want 4 successes, 1 cold start, 1 environment", res.Summary)
			}
			wantCPU := map[Isolation]string{IsolationNone: CPUModelUnrestricted, IsolationCgroup: CPUModelCgroup}[iso]
			if res.CPUModel != wantCPU {
				t.Errorf("cpu_model = %q, want %q", res.CPUModel, wantCPU)
			}
			for i, inv := range res.Invocations {
				if inv.Cold != (i == 0) {
					t.Errorf("invocation %d: cold = %v", i, inv.Cold)
				}
				if (inv.InitDurationMs > 0) != (i == 0) {
					t.Errorf("invocation %d: init_duration_ms = %v", i, inv.InitDurationMs)
				}
				if inv.DurationMs <= 0 || inv.MaxMemoryUsedMB <= 0 {
					t.Errorf("invocation %d: duration %v ms, memory %d MB; want both > 0", i, inv.DurationMs, inv.MaxMemoryUsedMB)
				}
				// Billed duration: ceil(duration + INIT) to the millisecond.
				if got, want := inv.BilledDurationMs, billedByHand(inv.DurationMs+inv.InitDurationMs); got != want {
					t.Errorf("invocation %d: billed %d ms for %.3f+%.3f ms", i, got, inv.DurationMs, inv.InitDurationMs)
				}
				resp := decode[map[string]any](t, inv.Response)
				if resp["request_id"] != inv.RequestID {
					t.Errorf("handler saw request id %v, runner %s", resp["request_id"], inv.RequestID)
				}
				if resp["arn"] != "arn:aws:lambda:us-east-1:123456789012:function:testfn" {
					t.Errorf("arn = %v", resp["arn"])
				}
				// The deadline header is start + timeout (ms since the epoch).
				dl := int64(resp["deadline_ms"].(float64))
				if want := inv.Start.Add(5 * time.Second).UnixMilli(); dl < want-5 || dl > want+5 {
					t.Errorf("deadline %d, want ≈ %d", dl, want)
				}
			}
			if n := countLines(logs, "START RequestId: "); n != 4 {
				t.Errorf("%d START lines, want 4:\n%s", n, logs)
			}
			if n := countLines(logs, "END RequestId: "); n != 4 {
				t.Errorf("%d END lines, want 4", n)
			}
			if n := strings.Count(logs, "\tInit Duration: "); n != 1 {
				t.Errorf("%d REPORT lines with Init Duration, want 1", n)
			}
			re := regexp.MustCompile(`^REPORT RequestId: [0-9a-f-]{36}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\tMemory Size: 256 MB\tMax Memory Used: \d+ MB\t(Init Duration: \d+\.\d\d ms\t)?$`)
			if n := len(regexp.MustCompile(`(?m)^REPORT .*$`).FindAllString(logs, -1)); n != 4 {
				t.Fatalf("%d REPORT lines, want 4", n)
			}
			for _, l := range strings.Split(logs, "\n") {
				if strings.HasPrefix(l, "REPORT") && !re.MatchString(l) {
					t.Errorf("REPORT line not in Lambda's format: %q", l)
				}
			}
		})
	}
}

func TestFunctionErrorKeepsEnvironment(t *testing.T) {
	res, logs := mustRun(t, base(128, 5*time.Second), ev(`{"action":"error","message":"boom"}`), 2)
	for i, inv := range res.Invocations {
		if inv.Status != "error" || inv.Error == nil || inv.Error.Type != "errorString" || inv.Error.Message != "boom" {
			t.Fatalf("invocation %d = %+v, error %+v; want error errorString boom", i, inv, inv.Error)
		}
	}
	if res.Invocations[1].Cold || res.Summary.Environments != 1 {
		t.Errorf("a handled function error must not discard the environment")
	}
	// Lambda prints no Status for a handled function error.
	if strings.Contains(logs, "Status:") {
		t.Errorf("unexpected Status in REPORT for a function error:\n%s", logs)
	}
}

func TestTimeoutKillsEnvironment(t *testing.T) {
	cfg := base(128, 300*time.Millisecond)
	res, logs := mustRun(t, cfg, [][]byte{[]byte(`{"action":"sleep","ms":60000}`), []byte(`{"action":"echo"}`)}, 2)
	to, next := res.Invocations[0], res.Invocations[1]
	if to.Status != "timeout" || to.Error == nil || to.Error.Type != "Sandbox.Timedout" {
		t.Fatalf("first = %+v; want timeout", to)
	}
	if to.DurationMs != 300 {
		t.Errorf("timeout duration = %v ms, want exactly the timeout, 300", to.DurationMs)
	}
	if want := billedByHand(300 + to.InitDurationMs); to.BilledDurationMs != want {
		t.Errorf("billed = %d, want %d (timeout + INIT)", to.BilledDurationMs, want)
	}
	if !next.Cold || next.Status != "success" || res.Summary.Environments != 2 {
		t.Errorf("after a timeout the next invocation must be cold in a new environment: %+v", next)
	}
	if !strings.Contains(logs, "\t"+to.RequestID+"\tTask timed out after 0.30 seconds") {
		t.Errorf("no timeout line in logs:\n%s", logs)
	}
	if !regexp.MustCompile(`REPORT RequestId: ` + to.RequestID + `\tDuration: 300.00 ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\tStatus: timeout\t\n`).MatchString(logs) {
		t.Errorf("REPORT for the timeout not in Lambda's format:\n%s", logs)
	}
}

func TestCrashIsRuntimeExitError(t *testing.T) {
	for _, action := range []string{"exit", "panic"} {
		t.Run(action, func(t *testing.T) {
			res, logs := mustRun(t, base(128, 5*time.Second), [][]byte{[]byte(`{"action":"` + action + `"}`), []byte(`{}`)}, 2)
			inv := res.Invocations[0]
			if inv.Status != "error" {
				t.Fatalf("status %q, want error", inv.Status)
			}
			switch action {
			case "exit":
				if inv.Error.Type != "Runtime.ExitError" || !strings.Contains(inv.Error.Message, "Runtime exited with error: exit status 3") {
					t.Errorf("error = %+v", inv.Error)
				}
				if !strings.Contains(logs, "\tStatus: error\tError Type: Runtime.ExitError\t") {
					t.Errorf("REPORT lacks Status: error / Runtime.ExitError:\n%s", logs)
				}
			case "panic":
				// aws-lambda-go posts the panic as an error, then exits.
				if inv.Error.Type != "Runtime.ExitError" && inv.Error.Type != "string" {
					t.Errorf("error type %q", inv.Error.Type)
				}
			}
			if !res.Invocations[1].Cold || res.Invocations[1].Status != "success" {
				t.Errorf("after a crash the next invocation must be a cold success: %+v", res.Invocations[1])
			}
		})
	}
}

func TestMemoryLimit(t *testing.T) {
	for _, iso := range isolations(t) {
		t.Run(string(iso), func(t *testing.T) {
			cfg := base(128, 10*time.Second)
			cfg.Isolation = iso
			res, logs := mustRun(t, cfg, [][]byte{[]byte(`{"action":"alloc","mb":200}`), []byte(`{"action":"alloc","mb":1}`)}, 2)
			inv := res.Invocations[0]
			if inv.Status != "error" || inv.Error.Type != "Runtime.OutOfMemory" || !inv.MemoryExceeded {
				t.Fatalf("hog = %+v, error %+v; want Runtime.OutOfMemory", inv, inv.Error)
			}
			if inv.MaxMemoryUsedMB < 128 {
				t.Errorf("max memory used %d MB, want ≥ the 128 MB size", inv.MaxMemoryUsedMB)
			}
			if !strings.Contains(logs, "Status: error\tError Type: Runtime.OutOfMemory\t") {
				t.Errorf("REPORT lacks Runtime.OutOfMemory:\n%s", logs)
			}
			if next := res.Invocations[1]; !next.Cold || next.Status != "success" {
				t.Errorf("after running out of memory the environment is replaced: %+v", next)
			}
		})
	}
}

func TestInitFailures(t *testing.T) {
	t.Run("crash", func(t *testing.T) {
		cfg := base(128, 5*time.Second)
		cfg.Env = []string{"TESTFN_INIT_EXIT=1"}
		res, logs := mustRun(t, cfg, nil, 2)
		for _, inv := range res.Invocations {
			if inv.Status != "error" || inv.InitStatus != "error" || !inv.Cold || inv.Error.Type != "Runtime.ExitError" {
				t.Fatalf("invocation = %+v %+v; want an INIT failure", inv, inv.Error)
			}
			if inv.BilledDurationMs != billedByHand(inv.InitDurationMs) {
				t.Errorf("a failed INIT bills its duration: %+v", inv)
			}
		}
		if n := countLines(logs, "INIT_REPORT Init Duration: "); n != 2 || !strings.Contains(logs, "\tPhase: init\tStatus: error\tError Type: Runtime.ExitError") {
			t.Errorf("want 2 INIT_REPORT lines:\n%s", logs)
		}
		if !strings.Contains(logs, "testfn: failing INIT on purpose") {
			t.Errorf("the function's stderr is not in the logs:\n%s", logs)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		// INIT times out (200 ms here, 10 s on Lambda), is retried inside
		// the invocation under the function's 1 s timeout, and times out
		// again: 200 + 1,000 ms of INIT, billed.
		cfg := base(128, time.Second)
		cfg.Env = []string{"TESTFN_INIT_SLEEP=30000"}
		cfg.InitTimeout = 200 * time.Millisecond
		res, logs := mustRun(t, cfg, nil, 1)
		inv := res.Invocations[0]
		if inv.InitStatus != "timeout" || inv.Status != "timeout" || !inv.SuppressedInit || inv.InitDurationMs != 1200 || inv.BilledDurationMs != 1200 || inv.Error.Type != "Sandbox.Timedout" {
			t.Fatalf("invocation = %+v %+v; want INIT timeouts of 200 ms then 1 s", inv, inv.Error)
		}
		// Lambda counts an INIT that timed out (Sandbox.Timedout) as a
		// timeout, not an error.
		if inv.Status != "timeout" || res.Summary.Timeouts != 1 || res.Summary.Errors != 0 {
			t.Errorf("status %q, summary %d timeouts %d errors; want a timeout", inv.Status, res.Summary.Timeouts, res.Summary.Errors)
		}
		if !strings.Contains(logs, "INIT_REPORT Init Duration: 200.00 ms\tPhase: init\tStatus: timeout") ||
			!strings.Contains(logs, "INIT_REPORT Init Duration: 1000.00 ms\tPhase: invoke\tStatus: timeout") {
			t.Errorf("logs:\n%s", logs)
		}
	})
}

func TestResponseSizeLimit(t *testing.T) {
	// 30 s: building and encoding 5–7 MB at 512 MB's 0.29 vCPU takes 8–10 s
	// under -race on a loaded 2-core machine; the limit tested is the size.
	res, _ := mustRun(t, base(512, 30*time.Second), [][]byte{[]byte(`{"action":"big","mb":5}`), []byte(`{"action":"big","mb":7}`)}, 2)
	ok, big := res.Invocations[0], res.Invocations[1]
	if ok.Status != "success" || len(ok.Response) < 5<<20 {
		t.Errorf("a 5 MB response must pass: %s, %d bytes", ok.Status, len(ok.Response))
	}
	if big.Status != "error" || big.Error.Type != "Function.ResponseSizeTooLarge" || big.Response != nil {
		t.Errorf("a 7 MB response must fail with Function.ResponseSizeTooLarge: %+v", big.Error)
	}
}

func TestShellCustomRuntime(t *testing.T) {
	if _, err := lookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	cfg := Config{Handler: shellFn, Function: pricing.FunctionConfig{MemoryMB: 128, Timeout: pricing.Duration(5 * time.Second)}}
	res, logs := mustRun(t, cfg, [][]byte{[]byte(`{"n":1}`), []byte(`{"n":2,"x":"fail"}`), []byte(`{"n":3}`)}, 3)
	if res.Function.Name != "bootstrap" {
		t.Errorf("function name %q, want the handler's file name", res.Function.Name)
	}
	a, b, c := res.Invocations[0], res.Invocations[1], res.Invocations[2]
	if a.Status != "success" || string(a.Response) != `{"shell":true,"event":{"n":1}}` {
		t.Errorf("first = %s %s", a.Status, a.Response)
	}
	if b.Status != "error" || b.Error.Type != "ShellError" || b.Error.Message != "the shell says no" {
		t.Errorf("second = %+v", b.Error)
	}
	if c.Cold || c.Status != "success" {
		t.Errorf("third must be a warm success: %+v", c)
	}
	if !strings.Contains(logs, "\t"+a.RequestID+"\tshell runtime handling "+a.RequestID) {
		t.Errorf("function output is not prefixed with time and request id:\n%s", logs)
	}

	cfg.Env = []string{"SHELL_INIT_ERROR=1"}
	res, logs = mustRun(t, cfg, nil, 1)
	inv := res.Invocations[0]
	if inv.InitStatus != "error" || inv.Error.Type != "Runtime.ConfigError" || inv.Error.Message != "missing configuration" {
		t.Errorf("init/error = %+v %+v", inv, inv.Error)
	}
	if !strings.Contains(logs, "Status: error\tError Type: Runtime.ConfigError") {
		t.Errorf("logs:\n%s", logs)
	}
}

// TestNodeCustomRuntime runs a custom runtime written in Node.js with
// fetch (undici): a second HTTP client, other than Go's and curl, against
// the Runtime API server — lower-case headers, streamed (chunked) bodies, a
// refused 7 MB response on a connection that goes on serving.
func TestNodeCustomRuntime(t *testing.T) {
	if _, err := lookPath("node"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("node is not installed (.ci/run installs npm, which brings it)")
		}
		t.Skip("node is not installed")
	}
	cfg := Config{Handler: nodeFn, Function: pricing.FunctionConfig{MemoryMB: 512, Timeout: pricing.Duration(10 * time.Second)}}
	res, logs := mustRun(t, cfg, ev(`{"n":1}`, `{"fail":true}`, `{"stream":200000}`, `{"big":7000000}`, `{"n":5}`), 5)
	invs := res.Invocations
	var got struct {
		Node     bool            `json:"node"`
		Event    json.RawMessage `json:"event"`
		Deadline int64           `json:"deadline"`
	}
	if err := json.Unmarshal(invs[0].Response, &got); err != nil || !got.Node || string(got.Event) != `{"n":1}` {
		t.Fatalf("first = %s %s (%v)", invs[0].Status, invs[0].Response, err)
	}
	if want := invs[0].Start.Add(10 * time.Second).UnixMilli(); got.Deadline < want-1000 || got.Deadline > want+1000 {
		t.Errorf("deadline %d, want about %d", got.Deadline, want)
	}
	if e := invs[1].Error; invs[1].Status != "error" || e == nil || e.Type != "NodeError" || e.Message != "node says no" {
		t.Errorf("second = %s %+v", invs[1].Status, invs[1].Error)
	}
	if invs[2].Status != "success" || len(invs[2].Response) != 200000+2 {
		t.Errorf("streamed = %s, %d bytes", invs[2].Status, len(invs[2].Response))
	}
	if e := invs[3].Error; e == nil || e.Type != "Function.ResponseSizeTooLarge" {
		t.Errorf("7 MB response = %s %+v", invs[3].Status, e)
	}
	if last := invs[4]; last.Status != "success" || last.Cold || last.Environment != invs[0].Environment {
		t.Errorf("after the refused response the environment must go on warm: %+v", last)
	}
	if !strings.Contains(logs, "\t"+invs[0].RequestID+"\tnode runtime handling "+invs[0].RequestID) ||
		!strings.Contains(logs, "big response answered 413") {
		t.Errorf("function output:\n%s", logs)
	}

	cfg.Env = []string{"NODE_INIT_ERROR=1"}
	res, _ = mustRun(t, cfg, nil, 1)
	if inv := res.Invocations[0]; inv.InitStatus != "error" || inv.Error.Type != "Runtime.NodeInit" || inv.Error.Message != "node init failed" {
		t.Errorf("init/error = %+v %+v", inv, inv.Error)
	}
}

func TestConcurrencyAllAccounted(t *testing.T) {
	cfg := base(128, 10*time.Second)
	cfg.Concurrency = 8
	cfg.DiscardResponses = true
	events := [][]byte{[]byte(`{"action":"echo"}`), []byte(`{"action":"error","message":"x"}`), []byte(`{"action":"echo"}`), []byte(`{"action":"echo"}`)}
	res, _ := mustRun(t, cfg, events, 1000)
	s := res.Summary
	if s.Errors != 250 || s.Successes != 750 {
		t.Errorf("successes %d, errors %d; want 750 and 250", s.Successes, s.Errors)
	}
	if s.Environments > 8 || s.ColdStarts != s.Environments {
		t.Errorf("%d environments, %d cold starts; want ≤ 8 and equal", s.Environments, s.ColdStarts)
	}
	seen := map[string]bool{}
	for _, inv := range res.Invocations {
		if seen[inv.RequestID] {
			t.Fatalf("request id %s used twice", inv.RequestID)
		}
		seen[inv.RequestID] = true
	}
	if s.Usage.Requests != 1000 {
		t.Errorf("billed requests %d", s.Usage.Requests)
	}
}

func TestCredentialsStayWithTheOperator(t *testing.T) {
	secrets := map[string]string{
		"AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
		"AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLE", "AWS_PROFILE": "prod", "OPERATOR_ONLY": "1",
	}
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	envOf := func(cfg Config) map[string]string {
		res, _ := mustRun(t, cfg, ev(`{"action":"env"}`), 1)
		return decode[map[string]string](t, res.Invocations[0].Response)
	}
	cfg := base(512, 5*time.Second)
	got := envOf(cfg)
	for k := range secrets {
		if _, ok := got[k]; ok {
			t.Errorf("%s reached the function without --env or --pass-env", k)
		}
	}
	want := map[string]string{
		"AWS_SHARED_CREDENTIALS_FILE": "/dev/null", "AWS_CONFIG_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_LAMBDA_FUNCTION_NAME": "testfn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512",
		"AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_REGION": "us-east-1", "TZ": "UTC",
		"_HANDLER": "bootstrap", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/testfn",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if api := got["AWS_LAMBDA_RUNTIME_API"]; !strings.HasPrefix(api, "127.0.0.1:") {
		t.Errorf("AWS_LAMBDA_RUNTIME_API = %q, want 127.0.0.1:port", api)
	}
	if !regexp.MustCompile(`^\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}$`).MatchString(got["AWS_LAMBDA_LOG_STREAM_NAME"]) {
		t.Errorf("log stream %q", got["AWS_LAMBDA_LOG_STREAM_NAME"])
	}

	cfg.Env = []string{"AWS_ACCESS_KEY_ID=AKIAFORTHEFUNCTION"}
	if got := envOf(cfg); got["AWS_ACCESS_KEY_ID"] != "AKIAFORTHEFUNCTION" || got["AWS_SECRET_ACCESS_KEY"] != "" {
		t.Errorf("--env must pass exactly what it names: %q %q", got["AWS_ACCESS_KEY_ID"], got["AWS_SECRET_ACCESS_KEY"])
	}
	cfg.Env, cfg.PassEnv = nil, true
	if got := envOf(cfg); got["AWS_SECRET_ACCESS_KEY"] != secrets["AWS_SECRET_ACCESS_KEY"] || got["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] != "512" {
		t.Errorf("--pass-env must pass the operator's environment under Lambda's variables")
	}
}

func TestCancelLeavesNoProcess(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cfg := base(128, 60*time.Second)
	cfg.Concurrency = 3
	started := make(chan struct{}, 16)
	cfg.Logs = startsSeen(started) // counts lines: one write may carry several
	type out struct {
		res   *Result
		pgids []int
		err   error
	}
	done := make(chan out)
	go func() {
		res, pg, err := run(ctx, cfg, ev(`{"action":"sleep","ms":60000}`), 10)
		done <- out{res, pg, err}
	}()
	// Cancel while all three invocations are running. They start within
	// milliseconds of one another (TestEveryStartBeforeFirstTimeout); the
	// guard only turns a regression into a failure rather than a 60 s wait.
	guard := time.After(30 * time.Second)
	for i := 0; i < 3; i++ {
		select {
		case <-started:
		case <-guard:
			cancel()
			<-done
			t.Fatalf("%d of 3 invocations started within 30 s", i)
		}
	}
	cancel()
	o := <-done
	if !errors.Is(o.err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", o.err)
	}
	if len(o.pgids) != 3 {
		t.Errorf("%d environments started, want 3", len(o.pgids))
	}
	if n := len(o.res.Invocations); n != 0 || !o.res.Partial || o.res.Requested != 10 {
		t.Errorf("%d invocations recorded, partial %v of %d requested; want none (all three were cancelled while running), partial, of 10", n, o.res.Partial, o.res.Requested)
	}
	assertNoProcesses(t, o.pgids)
}

func TestValidateCollectsEverything(t *testing.T) {
	cfg := Config{Builtin: "nope", Function: pricing.FunctionConfig{MemoryMB: 64, Timeout: pricing.Duration(time.Hour)},
		Env: []string{"AWS_REGION=eu-west-1", "NOEQUALS"}, LogFormat: "xml", Concurrency: -1}
	errs := cfg.Validate()
	msg := pricing.Errors(errs).Error()
	for _, want := range []string{"--builtin: unknown built-in function \"nope\"", "--memory:", "--timeout:", "--env: AWS_REGION is reserved", "--env: \"NOEQUALS\"", "--log-format:", "--concurrency:"} {
		if !strings.Contains(msg, want) {
			t.Errorf("validation misses %q in:\n%s", want, msg)
		}
	}
	for _, e := range errs {
		if !pricing.IsInput(e) {
			t.Errorf("%v is not an input error", e)
		}
	}
	_, err := Run(context.Background(), Config{Handler: "/nonexistent/bootstrap"}, nil, 1)
	if !pricing.IsInput(err) || !strings.Contains(err.Error(), "--handler") {
		t.Errorf("missing handler: %v", err)
	}
}

func TestBuiltins(t *testing.T) {
	cases := map[string]func(t *testing.T, inv Invocation){
		"sleep": func(t *testing.T, inv Invocation) {
			if inv.DurationMs < 100 {
				t.Errorf("sleep 100 ms took %.2f ms", inv.DurationMs)
			}
		},
		"cpu": func(t *testing.T, inv Invocation) {
			if inv.CPUTimeMs < 50 {
				t.Errorf("cpu 50 ms used %.2f ms of CPU", inv.CPUTimeMs)
			}
		},
		"image-resize": func(t *testing.T, inv Invocation) {
			out := decode[[]map[string]any](t, inv.Response)
			if len(out) != 1 || out[0]["width"] != 320.0 || out[0]["height"] != 213.0 || out[0]["source_width"] != 1920.0 {
				t.Errorf("resize result %s", inv.Response)
			}
		},
		"http-echo": func(t *testing.T, inv Invocation) {
			r := decode[struct {
				StatusCode int    `json:"statusCode"`
				Body       string `json:"body"`
			}](t, inv.Response)
			if r.StatusCode != 200 || !strings.Contains(r.Body, `"method":"GET","path":"/hello"`) || !strings.Contains(r.Body, inv.RequestID) {
				t.Errorf("echo response %s", inv.Response)
			}
		},
	}
	for name, check := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := Config{Builtin: name, Executable: builtinsFn, Function: pricing.FunctionConfig{MemoryMB: 1769, Timeout: pricing.Duration(20 * time.Second)}}
			res, _ := mustRun(t, cfg, nil, 2)
			for _, inv := range res.Invocations {
				if inv.Status != "success" {
					t.Fatalf("%s: %+v %+v", name, inv, inv.Error)
				}
				check(t, inv)
			}
			if res.Function.Name != name {
				t.Errorf("function name %q", res.Function.Name)
			}
		})
	}
}

func TestCPUShareFollowsMemory(t *testing.T) {
	if cg, _ := cachedCgroups(); cg == nil {
		t.Skip("no cgroups: the CPU share cannot be enforced here (see TestModelDuration)")
	}
	// 40 ms of CPU at 128 MB (0.0724 vCPU, a 7.2 ms quota per 100 ms
	// period) needs at least 5 throttled periods; at 1769 MB (1 vCPU)
	// there is no throttling.
	cfg := Config{Builtin: "cpu", Isolation: IsolationCgroup, Function: pricing.FunctionConfig{MemoryMB: 128, Timeout: pricing.Duration(20 * time.Second)}}
	res, _ := mustRun(t, cfg, ev(`{"ms":40}`), 2)
	warm := res.Invocations[1]
	if warm.DurationMs < 400 {
		t.Errorf("40 ms of CPU at 128 MB took %.1f ms; the quota is not applied", warm.DurationMs)
	}
	if res.VCPU < 0.0723 || res.VCPU > 0.0724 {
		t.Errorf("vcpu = %v, want 128/1769", res.VCPU)
	}
}

func TestJSONLogFormat(t *testing.T) {
	cfg := base(128, 5*time.Second)
	cfg.LogFormat = LogJSON
	res, logs := mustRun(t, cfg, ev(`{"action":"print","message":"hello"}`), 2)
	var types []string
	var reports []ReportRecord
	for _, l := range strings.Split(strings.TrimSpace(logs), "\n") {
		var pe struct {
			Time   string          `json:"time"`
			Type   string          `json:"type"`
			Record json.RawMessage `json:"record"`
		}
		if err := json.Unmarshal([]byte(l), &pe); err != nil {
			t.Fatalf("not a JSON log line: %q", l)
		}
		if _, err := time.Parse("2006-01-02T15:04:05.000Z", pe.Time); err != nil {
			t.Errorf("time %q", pe.Time)
		}
		types = append(types, pe.Type)
		if pe.Type == "platform.report" {
			reports = append(reports, decode[ReportRecord](t, pe.Record))
		}
	}
	for _, want := range []string{"platform.initStart", "platform.start", "platform.runtimeDone", "platform.report", "function"} {
		if !slicesContains(types, want) {
			t.Errorf("no %s record in %v", want, types)
		}
	}
	if len(reports) != 2 {
		t.Fatalf("%d platform.report records", len(reports))
	}
	r0 := reports[0]
	inv := res.Invocations[0]
	if r0.RequestID != inv.RequestID || r0.Status != "success" || r0.Metrics.MemorySizeMB != 128 ||
		r0.Metrics.BilledDurationMs != inv.BilledDurationMs || r0.Metrics.InitDurationMs == nil || reports[1].Metrics.InitDurationMs != nil {
		t.Errorf("report record %+v for %+v", r0, inv)
	}
}

func TestIdleTimeoutReclaims(t *testing.T) {
	cfg := base(128, 5*time.Second)
	cfg.IdleTimeout = time.Nanosecond // every environment expires before it is reused
	res, _ := mustRun(t, cfg, ev(`{}`), 3)
	if res.Summary.ColdStarts != 3 || res.Summary.Environments != 3 {
		t.Errorf("cold starts %d, environments %d; want 3 and 3", res.Summary.ColdStarts, res.Summary.Environments)
	}
}

func TestCostFromPricingEngine(t *testing.T) {
	res, _ := mustRun(t, base(1024, 5*time.Second), ev(`{"action":"sleep","ms":20}`), 3)
	// Expected, from AWS's us-east-1 x86_64 prices typed in: $0.20 per
	// million requests, $0.0000166667 per GB-s (tier 1).
	var ms int64
	for _, inv := range res.Invocations {
		ms += inv.BilledDurationMs
	}
	// The run's log (LogBytes, checked by hand in TestRunLogBytes) is
	// CloudWatch Logs ingestion at $0.50/GB (1 GB = 2^30 bytes).
	logsUSD := float64(res.Summary.LogBytes) / (1 << 30) * 0.50
	want := (3*0.20/1e6 + float64(ms)/1000*1024.0/1024*0.0000166667 + logsUSD) / 3
	if got := res.Summary.CostPerInvocationUSD; got == nil || !near(*got, want, 1e-12) {
		t.Errorf("cost per invocation %v, want %.12g", got, want)
	}
	wantM := 0.20 + float64(ms)/3*1e6/1000*0.0000166667 + logsUSD/3*1e6
	if got := res.Summary.CostPerMillionUSD; got == nil || !near(*got, wantM, 1e-6) {
		t.Errorf("cost per million %v, want %.9g", got, wantM)
	}
	if res.Summary.Usage.ColdStarts != 1 || res.Summary.Usage.InitMs <= 0 {
		t.Errorf("usage %+v: INIT of the cold start must be billed", res.Summary.Usage)
	}
}

func near(a, b, tol float64) bool { return a-b <= tol && b-a <= tol }

// TestCostUnknownIsVisible: a run in a region the price table does not
// know cannot be priced; its cost must be null and say why, never a
// vanished (zero) number, and a tune point of it must not pass for the
// cheapest size.
func TestCostUnknownIsVisible(t *testing.T) {
	cfg := base(128, time.Second)
	cfg.Region, cfg.Prices = "xx-nowhere-1", pricing.Embedded()
	invs := []Invocation{{RequestID: "a", Status: "success", Cold: true, DurationMs: 10, BilledDurationMs: 110, InitDurationMs: 100},
		{RequestID: "b", Status: "success", DurationMs: 10, BilledDurationMs: 10}}
	s := summarize(cfg, invs, false, logCount{})
	if s.Cost != nil || s.CostPerInvocationUSD != nil || s.CostPerMillionUSD != nil {
		t.Fatalf("cost %v / %v / %v in an unpriced region, want all nil", s.Cost, s.CostPerInvocationUSD, s.CostPerMillionUSD)
	}
	var why string
	for _, a := range s.Assumptions {
		if a.Field == "cost" && a.Value == "unknown" {
			why = a.Why
		}
	}
	if !strings.Contains(why, "xx-nowhere-1") {
		t.Errorf("assumptions %+v: want cost unknown naming the region", s.Assumptions)
	}
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"cost":null`, `"cost_per_invocation_usd":null`, `"cost_per_million_usd":null`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("summary JSON lacks %s: %s", k, b)
		}
	}
	p := point(128, &Result{Summary: s, Invocations: invs}, nil)
	if p.Status != "failed" || !strings.Contains(p.Failure, "cost unknown") {
		t.Errorf("tune point status %q failure %q: an unpriced size must fail, not cost $0", p.Status, p.Failure)
	}
}

// TestRunLogBytes: a run measures its CloudWatch Logs ingestion from every
// line it writes, whether or not the lines go anywhere. The "print" action
// writes "hello" to stdout and "stderr: hello" to stderr; in the text
// format each invocation's lines are (id = the request id, times 24
// characters "2006-01-02T15:04:05.000Z", every line ending in "\n"):
//
//	START RequestId: id Version: $LATEST   17 + id + 17 + 1
//	time TAB id TAB hello                  24 + 1 + id + 1 + 5 + 1
//	time TAB id TAB stderr: hello          24 + 1 + id + 1 + 13 + 1
//	END RequestId: id                      15 + id + 1
//	REPORT …                               its fields as Lambda prints them, + 1
//
// and each of the 5 lines is an event of 26 bytes more.
func TestRunLogBytes(t *testing.T) {
	for _, written := range []bool{true, false} {
		cfg := base(128, 5*time.Second)
		var buf strings.Builder
		if written {
			cfg.Logs = &buf
		}
		res, _, err := run(context.Background(), cfg, ev(`{"action":"print","message":"hello"}`), 2)
		if err != nil {
			t.Fatal(err)
		}
		var want int64
		for _, inv := range res.Invocations {
			id := int64(len(inv.RequestID))
			report := fmt.Sprintf("REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: 128 MB\tMax Memory Used: %d MB\t",
				inv.RequestID, inv.DurationMs, inv.BilledDurationMs, inv.MaxMemoryUsedMB)
			if inv.Cold {
				report += fmt.Sprintf("Init Duration: %.2f ms\t", inv.InitDurationMs)
			}
			want += (17 + id + 17 + 1) + (24 + 1 + id + 1 + 5 + 1) + (24 + 1 + id + 1 + 13 + 1) + (15 + id + 1) + int64(len(report)) + 1 + 5*26
		}
		if res.Summary.LogBytes != want {
			t.Errorf("written %v: log_bytes = %d, want %d", written, res.Summary.LogBytes, want)
		}
		if written {
			// The same figure from the log itself: its bytes and lines.
			if lines := int64(strings.Count(buf.String(), "\n")); res.Summary.LogBytes != int64(buf.Len())+26*lines {
				t.Errorf("log_bytes = %d, the log written is %d bytes in %d lines", res.Summary.LogBytes, buf.Len(), lines)
			}
		}
		if p := res.Summary.LogBytesPerInvocation; p == nil || *p != float64(want)/2 {
			t.Errorf("log_bytes_per_invocation = %v, want %v", p, float64(want)/2)
		}
		var logs bool
		for _, l := range res.Summary.Cost.Lines {
			logs = logs || l.Name == pricing.LineLogs
		}
		if !logs {
			t.Errorf("cost %+v has no logs line", res.Summary.Cost.Lines)
		}
	}
}

// TestRunLogsNotPricedInRegion: where CloudWatch Logs prices are not known
// but Lambda's are (eu-west-1 in the embedded table), the run keeps its
// Lambda cost, measured log bytes and a listed "logs not priced", never a
// null cost nor a silent $0 of logs. Lambda in eu-west-1, x86_64: $0.20
// per million requests and $0.0000166667 per GB-s, as in us-east-1.
func TestRunLogsNotPricedInRegion(t *testing.T) {
	cfg := base(1024, time.Second)
	cfg.Region, cfg.Prices = "eu-west-1", pricing.Embedded()
	if _, err := cfg.Prices.LogsFor("eu-west-1"); err == nil {
		t.Skip("the table now knows eu-west-1's CloudWatch Logs prices")
	}
	invs := []Invocation{{RequestID: "a", Status: "success", DurationMs: 99.5, BilledDurationMs: 100}}
	s := summarize(cfg, invs, false, logCount{events: 3, bytes: 300})
	// 100 ms × 1 GB = 0.1 GB-s × $0.0000166667 + 1 request × $0.0000002.
	want := 0.1*0.0000166667 + 0.0000002
	if s.Cost == nil || s.CostPerInvocationUSD == nil || !near(*s.CostPerInvocationUSD, want, 1e-15) {
		t.Fatalf("cost %v per invocation %v, want $%.10g (Lambda only)", s.Cost, s.CostPerInvocationUSD, want)
	}
	// 300 bytes + 3 × 26.
	if s.LogBytes != 378 {
		t.Errorf("log_bytes = %d, want 378", s.LogBytes)
	}
	var listed bool
	for _, a := range s.Assumptions {
		listed = listed || (a.Field == "logs" && a.Value == "not priced")
	}
	if !listed {
		t.Errorf("assumptions %+v lack logs not priced", s.Assumptions)
	}
}
