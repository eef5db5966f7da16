package collector

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// real is a fixture copied from public Lambda output (sources in
// testdata/logs/real/README.md).
func real(name string) string { return filepath.Join("..", "testdata", "logs", "real", name) }

// A REPORT with Status: timeout carries the timeout as its Duration (AWS's
// lifecycle page: the REPORT of a timed-out invocation has Duration = the
// timeout); a log of such lines alone (filtered to REPORT lines, no "Task
// timed out" line) tells the timeout, and a log whose invocations ran
// longer than Lambda's 3 s default never claims the default.
func TestImportRealTimeouts(t *testing.T) {
	for _, c := range []struct {
		file     string
		timeout  time.Duration
		unknown  bool   // timeout listed in config_unknown
		value    string // the timeout assumption's value
		billed   int64
		timeouts int64
	}{
		// Two 15-minute timeouts: Duration 900000.00 ms each → 900 s;
		// billed 2 × 900000.
		{file: "timeout-15m.log", timeout: 900 * time.Second, value: "15m0s", billed: 1_800_000, timeouts: 2},
		// "Billed Duration: 300000 ms Memory Size" (a space, not a tab):
		// 300000.00 ms → 300 s.
		{file: "timeout-5m-space.log", timeout: 300 * time.Second, value: "5m0s", billed: 300_000, timeouts: 1},
		// An out-of-memory error after 376256.59 ms, no timeout said: the
		// timeout is at least ⌈376.25659 s⌉ = 377 s = 6m17s, not the 3 s
		// default, and stays unknown.
		{file: "oom-10239.log", timeout: 377 * time.Second, unknown: true, value: "at least 6m17s", billed: 376_257},
	} {
		t.Run(c.file, func(t *testing.T) {
			d, _, err := ImportFiles([]string{real(c.file)}, ImportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			f := d.Functions[0]
			if f.Timeout.D() != c.timeout || f.Unknown("timeout") != c.unknown {
				t.Errorf("timeout = %s (unknown %v), want %s (unknown %v)", f.Timeout, f.Unknown("timeout"), c.timeout, c.unknown)
			}
			if f.Summary.BilledDurationMs != c.billed || f.Summary.Timeouts != c.timeouts {
				t.Errorf("billed %d ms, %d timeouts; want %d, %d", f.Summary.BilledDurationMs, f.Summary.Timeouts, c.billed, c.timeouts)
			}
			i := slices.IndexFunc(d.Assumptions, func(a pricing.Assumption) bool { return a.Field == "functions["+f.Name+"].timeout" })
			if i < 0 || d.Assumptions[i].Value != c.value {
				t.Errorf("timeout assumption = %+v, want value %q", d.Assumptions, c.value)
			}
			if c.unknown && !strings.Contains(d.Assumptions[i].Why, "376256.59 ms") {
				t.Errorf("why = %q, want the longest invocation named", d.Assumptions[i].Why)
			}
		})
	}
}

// The Runtime Interface Emulator's REPORT lines (sam local, aws-lambda-rie)
// look like Lambda's but carry numbers it did not measure: Init Duration
// 0.02–0.45 ms for the start of INIT only, Max Memory Used = Memory Size.
// They are refused by name, the warm line after a cold one too; a file of
// nothing else has no records (exit 2).
func TestImportRealEmulatorRefused(t *testing.T) {
	for _, c := range []struct {
		file  string
		count int
	}{
		// A cold REPORT (Init Duration first) and a warm one (39.90 ms,
		// Max Memory Used 3008 = Memory Size 3008).
		{"rie-warm.log", 2},
		// Three cold REPORTs, one of them missing the tab before Memory
		// Size: refused as the emulator's, not listed as malformed.
		{"sam-local.log", 3},
	} {
		_, _, err := ImportFiles([]string{real(c.file)}, ImportOptions{})
		var ie *pricing.InputError
		want := fmt.Sprintf("%d record(s) (first at %s:3) are the output of the Lambda Runtime Interface Emulator", c.count, real(c.file))
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "malformed") {
			t.Errorf("%s: %v, want an input error with %q", c.file, err, want)
		}
	}
	// Lambda's own REPORT with Max Memory Used = Memory Size (an OOM) is
	// read: only a file that had the emulator's cold line loses its warm
	// lines.
	d, _, err := ImportFiles([]string{real("oom-10239.log")}, ImportOptions{})
	if err != nil || d.Functions[0].Summary.Invocations != 1 || len(d.Problems) != 0 {
		t.Errorf("oom-10239.log: %v, problems %q", err, d.Problems)
	}
}

// Live Tail updates (StartLiveTail's sessionUpdate) are read: 154 + 610
// ms, two SnapStart restores (Billed Duration = ⌈Duration⌉ + Billed
// Restore Duration: 128 + 26, 307 + 303, nothing added); the sampled
// update (CloudWatch dropped events above 500 a second) is refused by
// name, its timeout not counted.
func TestImportLiveTail(t *testing.T) {
	d, _, err := ImportFiles([]string{real("livetail.jsonl")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := findFn(t, d, "orders")
	s := f.Summary
	if s.Invocations != 2 || s.BilledDurationMs != 764 || s.ColdStarts != 2 || s.Restores != 2 || s.Timeouts != 0 {
		t.Errorf("summary %+v, want 2 invocations, 764 ms, 2 restores, no timeout", s)
	}
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "1 record(s) (first at ../testdata/logs/real/livetail.jsonl: document 4: sessionUpdate) are a Live Tail update whose events CloudWatch sampled") {
		t.Errorf("problems %q", d.Problems)
	}

	// The same update as a line after a text REPORT (the file is read as
	// lines): read too. 5 + 154 + 610 ms.
	dir := t.TempDir()
	lines, err := os.ReadFile(real("livetail.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	update := strings.Split(string(lines), "\n")[1]
	p := filepath.Join(dir, "orders.log")
	text := "REPORT RequestId: 8f5a2c1e-1111-4a0b-9c3d-00000000000a\tDuration: 5.00 ms\tBilled Duration: 5 ms\tMemory Size: 2048 MB\tMax Memory Used: 60 MB\t\n"
	if err := os.WriteFile(p, []byte(text+update+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _, err = ImportFiles([]string{p}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := findFn(t, d, "orders").Summary; s.Invocations != 3 || s.BilledDurationMs != 769 {
		t.Errorf("as lines: %+v, want 3 invocations, 769 ms", s)
	}
}

// A JSON document of a kind lambdacost does not read (here a function's
// configuration after filter-log-events output) is refused by name; the
// events before it are read (one 900 s timeout).
func TestImportUnknownDocumentRefused(t *testing.T) {
	d, _, err := ImportFiles([]string{real("config-after-events.json")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := d.Functions[0].Summary; s.Invocations != 1 || s.BilledDurationMs != 900_000 {
		t.Errorf("summary %+v", s)
	}
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "config-after-events.json: document 2) are a JSON object that is not a Lambda log event") {
		t.Errorf("problems %q", d.Problems)
	}
}

// REPORT lines rebuilt by the Datadog Lambda extension carry Lambda's
// numbers but not its Status: 12 + 5000 ms billed, one cold start whose
// INIT (⌈174.06⌉ = 175 ms, 2024) was not billed; errors and timeouts are
// unknown (listed missing), not 0 and not 1 from the END line alone. The
// Managed Instances line ("Runtime Duration" only) is refused by name.
func TestImportDatadogRebuiltReports(t *testing.T) {
	d, _, err := ImportFiles([]string{real("datadog-rebuilt.log")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	f := d.Functions[0]
	s := f.Summary
	if s.Invocations != 2 || s.BilledDurationMs != 5012 || s.ColdStarts != 1 || s.InitUnbilledMs != 175 || s.Errors != 0 || s.Timeouts != 0 {
		t.Errorf("summary %+v", s)
	}
	for _, m := range []string{"summary.errors", "summary.timeouts"} {
		if !slices.Contains(f.Missing, m) {
			t.Errorf("missing %q, want %s listed", f.Missing, m)
		}
	}
	if !hasAssumption(d, "functions[datadog-rebuilt].summary.errors", "rebuilt by the Datadog Lambda extension") {
		t.Errorf("assumptions %v", d.Assumptions)
	}
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "datadog-rebuilt.log:5) are a REPORT line rebuilt by the Datadog Lambda extension for Lambda Managed Instances") {
		t.Errorf("problems %q", d.Problems)
	}
}

// A Node.js handler that throws: the runtime logs "Invoke Error" and the
// REPORT has no Status, so the logs count 0 errors; the dataset says the
// count is of timeouts and runtime failures only, not that none failed.
func TestImportHandlerErrorsNotInReports(t *testing.T) {
	d, _, err := ImportFiles([]string{real("node-invoke-error.log")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := d.Functions[0].Summary; s.Invocations != 1 || s.Errors != 0 || s.BilledDurationMs != 918 {
		t.Errorf("summary %+v", s)
	}
	if !hasAssumption(d, "functions[node-invoke-error].summary.errors", "0 (timeouts and runtime failures only)") {
		t.Errorf("assumptions %v", d.Assumptions)
	}
}

// `aws lambda invoke --log-type Tail` (and `sam remote invoke --output
// json`) print the invocation's last 4 KB of log as LogResult (base64),
// which ends with its REPORT; FunctionError says the handler failed,
// which the REPORT does not.
func TestImportInvokeLogResult(t *testing.T) {
	for _, c := range []struct {
		file                         string
		billed, cold, errs, unbilled int64
	}{
		// 2016: "Billed Duration: 200 ms " (100 ms rounding, a space
		// before the tab); LogResult before StatusCode.
		{"invoke-tail-2016.json", 200, 0, 0, 0},
		// Duration 13.40, billed 14: the INIT of 121.80 ms was not
		// billed (⌈121.80⌉ = 122 ms unbilled).
		{"invoke-tail.json", 14, 1, 0, 122},
		// The same REPORT in ResponseMetadata's x-amz-log-result header
		// is not read twice: 9 ms.
		{"sam-remote-invoke.json", 9, 0, 0, 0},
		// FunctionError "Unhandled" with the Node.js "Invoke Error" log:
		// one error although its REPORT has no Status; 918 ms, INIT
		// ⌈189.88⌉ = 190 ms unbilled.
		{"invoke-unhandled.json", 918, 1, 1, 190},
	} {
		d, _, err := ImportFiles([]string{real(c.file)}, ImportOptions{})
		if err != nil {
			t.Errorf("%s: %v", c.file, err)
			continue
		}
		s := d.Functions[0].Summary
		if s.Invocations != 1 || s.BilledDurationMs != c.billed || s.ColdStarts != c.cold || s.Errors != c.errs || s.InitUnbilledMs != c.unbilled || len(d.Problems) != 0 {
			t.Errorf("%s: %+v, problems %q; want 1 invocation, %d ms, %d cold, %d errors, %d ms INIT unbilled", c.file, s, d.Problems, c.billed, c.cold, c.errs, c.unbilled)
		}
	}
}

// A Telemetry API capture whose platform.logsDropped record says Lambda
// dropped 123 records (12345 bytes) before the capture: its one REPORT
// (538 ms) is read, and the dataset lists the drop, with the counts, as a
// problem.
func TestImportTelemetryLogsDropped(t *testing.T) {
	d, _, err := ImportFiles([]string{real("telemetry-dropped.json")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := d.Functions[0].Summary; s.Invocations != 1 || s.BilledDurationMs != 538 {
		t.Errorf("summary %+v", s)
	}
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "1 platform.logsDropped record(s)") || !strings.Contains(d.Problems[0], "dropped 123 records (12345 bytes)") {
		t.Errorf("problems %q", d.Problems)
	}
}

// Lambda writes a text INIT_REPORT for a successful INIT only with
// provisioned concurrency or SnapStart (AWS's execution environment
// lifecycle page: "If the Init phase is successful, Lambda doesn't emit the
// INIT_REPORT log unless SnapStart or provisioned concurrency is
// enabled"), and a JSON platform.initReport names its initializationType:
// the import says the function uses one of them, whose charges its bill
// leaves out. An on-demand JSON initReport (always written in JSON format)
// says nothing of it. The INIT lines are in AWS's documented formats; the
// REPORT is a 2021 public capture of a provisioned function.
func TestImportInitReportsTellProvisioning(t *testing.T) {
	report := "REPORT RequestId: 3c0d1c43-4dc3-4059-9e51-203ed4387756\tDuration: 492.12 ms\tBilled Duration: 493 ms\tMemory Size: 256 MB\tMax Memory Used: 101 MB\t\n"
	initJSON := func(typ string) string {
		return `{"time":"2024-05-20T16:29:45.007Z","type":"platform.initReport","record":{"initializationType":"` + typ + `","phase":"init","status":"success","metrics":{"durationMs":173.778}}}` + "\n"
	}
	for _, c := range []struct {
		name, init, value string
	}{
		{"text", "INIT_REPORT Init Duration: 4831.59 ms\tPhase: init\tStatus: success\n", "in use, not priced (provisioned concurrency or SnapStart)"},
		{"text-bare", "INIT_REPORT Init Duration: 4831.59 ms\n", "in use, not priced (provisioned concurrency or SnapStart)"},
		{"json-pc", initJSON("provisioned-concurrency"), "in use, not priced (provisioned concurrency)"},
		{"json-snap", initJSON("snap-start"), "in use, not priced (SnapStart)"},
		{"json-on-demand", initJSON("on-demand"), ""},
	} {
		p := filepath.Join(t.TempDir(), "fn.log")
		if err := os.WriteFile(p, []byte(c.init+report), 0o644); err != nil {
			t.Fatal(err)
		}
		d, _, err := ImportFiles([]string{p}, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// The successful INIT is not billed as on-demand: 493 ms.
		if s := d.Functions[0].Summary; s.BilledDurationMs != 493 || s.ColdStarts != 0 {
			t.Errorf("%s: %+v", c.name, s)
		}
		got := hasAssumption(d, "functions[fn].provisioned_concurrency", "in use")
		if c.value == "" && got || c.value != "" && !hasAssumption(d, "functions[fn].provisioned_concurrency", c.value) {
			t.Errorf("%s: assumptions %v, want %q", c.name, d.Assumptions, c.value)
		}
	}
}

// --timeout is used as given, but records that contradict it are listed:
// the 15-minute timeouts of timeout-15m.log (Duration 900000.00 ms with
// Status: timeout) against --timeout 30s, and the 376256.59 ms run of
// oom-10239.log against --timeout 5m (300000 ms < 376256.59 ms). A
// --timeout the records agree with lists nothing.
func TestImportTimeoutFlagContradicted(t *testing.T) {
	for _, c := range []struct {
		file    string
		timeout time.Duration
		problem string
	}{
		{"timeout-15m.log", 30 * time.Second, "timeout-15m: --timeout 30s used, but its timed-out invocations in the records say 15m0s"},
		{"oom-10239.log", 5 * time.Minute, "oom-10239: --timeout 5m0s used, but its longest invocation in the records ran 376256.59 ms"},
		{"timeout-15m.log", 15 * time.Minute, ""},
	} {
		d, _, err := ImportFiles([]string{real(c.file)}, ImportOptions{Timeout: c.timeout})
		if err != nil {
			t.Fatal(err)
		}
		if f := d.Functions[0]; f.Timeout.D() != c.timeout {
			t.Errorf("%s: timeout %s, want the flag's %s", c.file, f.Timeout, c.timeout)
		}
		got := strings.Join(d.Problems, "\n")
		if c.problem == "" && got != "" || !strings.Contains(got, c.problem) {
			t.Errorf("%s --timeout %s: problems %q, want %q", c.file, c.timeout, got, c.problem)
		}
	}
}
