package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

// awsEnv points the standard AWS chain at the loopback stub through the
// standard variables only: AWS_ENDPOINT_URL, static keys, a region.
func awsEnv(t *testing.T, url string) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"AWS_ENDPOINT_URL": url, "AWS_ACCESS_KEY_ID": "AKIDSTUBEXAMPLE", "AWS_SECRET_ACCESS_KEY": "stub-secret-do-not-leak",
		"AWS_SESSION_TOKEN": "stub-session-token", "AWS_REGION": "eu-west-1", "AWS_CONFIG_FILE": filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"), "AWS_EC2_METADATA_DISABLED": "true", "AWS_PROFILE": "",
		"AWS_MAX_ATTEMPTS": "2", "AWS_RETRY_MODE": "standard",
	} {
		t.Setenv(k, v)
	}
}

func TestCollectCommand(t *testing.T) {
	s := collectortest.New(t, 3)
	awsEnv(t, s.URL)
	out := filepath.Join(t.TempDir(), "ds.json")
	stdout, stderr, code := runCLI(t, map[string]string{"AWS_REGION": "eu-west-1"}, "collect", "--function", "fn-000,fn-002", "--since", "1d", "--out-file", out)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	if !strings.Contains(stdout, "fn-000") || !strings.Contains(stdout, "fn-002") || strings.Contains(stdout, "fn-001") {
		t.Errorf("summary table:\n%s", stdout)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{"AKIDSTUBEXAMPLE", "stub-secret-do-not-leak", "stub-session-token"} {
		if strings.Contains(string(raw), secret) || strings.Contains(stdout+stderr, secret) {
			t.Errorf("credential %q leaked into the output", secret)
		}
	}
	d, err := pricing.ReadDataset(out)
	if err != nil {
		t.Fatal(err)
	}
	// The stub's model: fn-002 invokes 3 times a minute for 1,440 minutes
	// at 102 ms, 384 MB, x86_64.
	if d.Source != "cloudwatch" || d.Region != "eu-west-1" || len(d.Functions) != 2 || d.Span() != 24*time.Hour {
		t.Fatalf("dataset %s %s, %d functions, span %s", d.Source, d.Region, len(d.Functions), d.Span())
	}
	f := d.Functions[1]
	if f.Name != "fn-002" || f.MemoryMB != 384 || f.Summary.Invocations != 3*1440 || f.Summary.DurationMs.Avg != 102 || f.Series.PeriodS != 60 {
		t.Errorf("fn-002 = %+v", f)
	}
	if s.Calls("GetMetricData") != 1 || s.Calls("GetFunctionConfiguration") != 2 {
		t.Errorf("calls: %d GetMetricData, %d GetFunctionConfiguration", s.Calls("GetMetricData"), s.Calls("GetFunctionConfiguration"))
	}
	if !strings.Contains(stderr, "in 1 GetMetricData calls (minimum 1)") {
		t.Errorf("stderr:\n%s", stderr)
	}

	// -o json prints the dataset.
	stdout, stderr, code = runCLI(t, nil, "collect", "--all", "--since", "2h", "--period", "5m", "-o", "json")
	var js struct {
		Functions []json.RawMessage `json:"functions"`
	}
	if code != 0 || json.Unmarshal(resultOf(t, stdout), &js) != nil || len(js.Functions) != 3 {
		t.Errorf("--all -o json: exit %d, %d functions\n%s", code, len(js.Functions), stderr)
	}
}

// The service-specific endpoint variables win over AWS_ENDPOINT_URL.
func TestCollectCommandServiceEndpoints(t *testing.T) {
	s := collectortest.New(t, 2)
	awsEnv(t, "http://127.0.0.1:1") // nothing listens there
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH", s.URL)
	t.Setenv("AWS_ENDPOINT_URL_LAMBDA", s.URL)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", s.URL)
	s.Logs["/aws/lambda/fn-001"] = []string{"REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 251 ms\tMemory Size: 256 MB\tMax Memory Used: 77 MB\tInit Duration: 250.00 ms\t\n"} // as CloudWatch stores it
	s.Logs["/aws/lambda/fn-000"] = nil
	out, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1h", "--logs", "--logs-mode", "events", "-o", "json")
	if code != 0 || !strings.Contains(out, `"fn-001"`) || s.Calls("GetMetricData") != 1 || s.Calls("ListFunctions") != 1 || s.Calls("FilterLogEvents") != 2 {
		t.Errorf("exit %d, %d GetMetricData, %d ListFunctions, %d FilterLogEvents\n%s", code, s.Calls("GetMetricData"), s.Calls("ListFunctions"), s.Calls("FilterLogEvents"), stderr)
	}
	// One REPORT record against 120 invocations: cold starts and memory
	// from the log, billing stays estimated, and stderr says why.
	if !strings.Contains(out, `"max_memory_used_mb": 77`) || !strings.Contains(stderr, "1 REPORT records for 120 invocations") {
		t.Errorf("logs not merged:\n%s\n%s", out, stderr)
	}
}

func TestCollectCommandErrors(t *testing.T) {
	s := collectortest.New(t, 1)
	awsEnv(t, s.URL)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"collect"}, 2, "--function"},
		{[]string{"collect", "--function", "nope"}, 2, `function "nope" not found`},
		{[]string{"collect", "--all", "--since", "soon"}, 2, "--since"},
		{[]string{"collect", "--all", "--since", "30d", "--period", "1m"}, 2, "--period"},
		{[]string{"collect", "--all", "--concurrency", "0", "--period", "x"}, 2, "--concurrency"},
	} {
		_, stderr, code := runCLI(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "goroutine") {
			t.Errorf("%v: exit %d, stderr %q; want %d with %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	// An AWS failure is exit 3.
	s.Fault = func(op string, _ int, _ cbor.Map) (int, string) {
		if op == "GetMetricData" {
			return 403, "AccessDenied"
		}
		return 0, ""
	}
	_, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1h")
	if code != 3 || !strings.Contains(stderr, "AccessDenied") {
		t.Errorf("AWS failure: exit %d, %s", code, stderr)
	}
}

// Without credentials, collect says in one line what to do (like the AWS
// CLI's "Unable to locate credentials"); --debug shows the SDK's chain.
func TestCollectWithoutCredentials(t *testing.T) {
	s := collectortest.New(t, 1)
	awsEnv(t, s.URL)
	for _, k := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} {
		t.Setenv(k, "")
	}
	_, errOut, code := runCLI(t, nil, "collect", "--all", "--since", "1h")
	if code != 3 || strings.Count(strings.TrimSpace(errOut), "\n") != 0 ||
		!strings.Contains(errOut, "unable to locate AWS credentials: set AWS_PROFILE") || strings.Contains(errOut, "IMDS") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	_, errOut, code = runCLI(t, nil, "collect", "--all", "--since", "1h", "--debug")
	if code != 3 || !strings.Contains(errOut, "get credentials") {
		t.Errorf("--debug: exit %d, stderr %q", code, errOut)
	}
	if s.Calls("GetMetricData") != 0 {
		t.Errorf("calls made without credentials")
	}
}
