package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

// failInvocationsOf makes every GetMetricData call that carries fn's
// Invocations query fail in the given way, on every attempt.
func failInvocationsOf(s *collectortest.Stub, fn string, status int, errType string) {
	s.Fault = func(op string, _ int, in cbor.Map) (int, string) {
		if op != "GetMetricData" {
			return 0, ""
		}
		for _, q := range in["MetricDataQueries"].(cbor.List) {
			if strings.HasPrefix(collectortest.Str(q.(cbor.Map)["Label"]), fn+" Invocations") {
				return status, errType
			}
		}
		return 0, ""
	}
}

// A collection that loses part of its data, in each way the network and
// the service fail: exit 3 after writing what arrived, the values not
// collected null in the file and listed on stderr; --allow-partial exits 0
// and still says so.
func TestCollectCommandPartial(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		errType string
		says    string
	}{
		{"HTTP 500", 500, "InternalServiceError", "InternalServiceError: stub says InternalServiceError"},
		{"connection reset", collectortest.FaultReset, "", "connection reset by peer"},
		{"truncated body", collectortest.FaultTruncate, "", "response body truncated after "},
		{"throttling past retries", 400, "Throttling", "Throttling: stub says Throttling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// 40 functions over a day take 3 calls (collector's
			// TestCollectBatchesToTheMinimum); the one with fn-001's
			// Invocations fails.
			s := collectortest.New(t, 40)
			awsEnv(t, s.URL)
			failInvocationsOf(s, "fn-001", tc.status, tc.errType)
			out := filepath.Join(t.TempDir(), "c.json")
			stdout, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1d", "--out-file", out)
			if !regexp.MustCompile(`fn-001 \(incomplete\)[^\n]*missing`).MatchString(stdout) || !strings.Contains(stdout, "incomplete)") {
				t.Errorf("the summary table does not show fn-001's missing values:\n%s", stdout)
			}
			if code != 3 {
				t.Errorf("exit %d, want 3\n%s", code, stderr)
			}
			for _, want := range []string{tc.says, "(gave up after 2 attempts)", "incomplete: fn-001: not collected: summary.invocations",
				"of 40 functions are incomplete", out + " keeps what arrived", "--allow-partial"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
			}
			if strings.Contains(stderr, "HTTP 0") || strings.Contains(stderr, "HTTP 200") {
				t.Errorf("a failure without its cause:\n%s", stderr)
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			var js struct {
				Functions []struct {
					Name    string                     `json:"name"`
					Summary map[string]json.RawMessage `json:"summary"`
					Series  map[string]json.RawMessage `json:"series"`
					Missing []string                   `json:"missing"`
					// Values the source does not measure (cold starts
					// without Lambda Insights) are null too.
					NotMeasured []string `json:"not_measured"`
				} `json:"functions"`
			}
			if err := json.Unmarshal(raw, &js); err != nil {
				t.Fatal(err)
			}
			nulls := 0
			for _, f := range js.Functions {
				missing := strings.Join(append(f.Missing, f.NotMeasured...), " ")
				for key, v := range f.Summary {
					if listed := strings.Contains(" "+missing+" ", " summary."+key+" "); listed != (string(v) == "null") {
						t.Errorf("%s: summary.%s = %s, listed in missing or not_measured: %v", f.Name, key, v, listed)
					}
				}
				if string(f.Summary["invocations"]) == "null" {
					nulls++
				}
				if f.Name == "fn-001" && (string(f.Summary["invocations"]) != "null" || string(f.Summary["billed_gb_seconds"]) != "null" || f.Series != nil && string(f.Series["invocations"]) != "null") {
					t.Errorf("%s: invocations %s, GB-s %s, series %s; want null", f.Name, f.Summary["invocations"], f.Summary["billed_gb_seconds"], f.Series["invocations"])
				}
			}
			if nulls == 0 || nulls == 40 {
				t.Errorf("%d functions without invocations; want those of one call of 3", nulls)
			}
			d, err := pricing.ReadDataset(out)
			if err != nil {
				t.Fatal(err)
			}
			if f := d.Functions[1]; f.Name != "fn-001" || !f.Incomplete() || f.Summary.Invocations != 0 {
				t.Errorf("fn-001 reads back as %+v, missing %v", f.Summary, f.Missing)
			}
			_, stderr, code = runCLI(t, nil, "collect", "--all", "--since", "1d", "--out-file", out, "--allow-partial")
			if code != 0 || !strings.Contains(stderr, "incomplete: fn-001") || !strings.Contains(stderr, "(--allow-partial)") {
				t.Errorf("--allow-partial: exit %d\n%s", code, stderr)
			}
		})
	}
}

// Output paths that cannot be written are refused before any AWS call.
func TestCollectCommandChecksOutFirst(t *testing.T) {
	s := collectortest.New(t, 1)
	awsEnv(t, s.URL)
	dir := t.TempDir()
	for _, tc := range []struct {
		out, want string
		code      int
	}{
		{filepath.Join(dir, "no", "such", "c.json"), "--out-file: cannot write " + filepath.Join(dir, "no", "such", "c.json") + ": the folder " + filepath.Join(dir, "no", "such") + " does not exist", 2},
		{dir, "--out-file: cannot write " + dir + ": it is a directory", 2},
	} {
		_, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1h", "--out-file", tc.out)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("--out %s: exit %d, %q; want %d with %q", tc.out, code, stderr, tc.code, tc.want)
		}
	}
	if n := s.Calls("ListFunctions") + s.Calls("GetMetricData"); n != 0 {
		t.Errorf("%d AWS calls before the output path was refused", n)
	}
}

// A full disk (/dev/full) is exit 3 naming the path, never "wrote";
// the device stays a device.
func TestWriteFailuresAreExternal(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	s := collectortest.New(t, 1)
	awsEnv(t, s.URL)
	_, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1h", "--out-file", "/dev/full")
	if code != 3 || !strings.Contains(stderr, "write /dev/full: no space left on device") {
		t.Errorf("collect --out /dev/full: exit %d\n%s", code, stderr)
	}
	ds := filepath.Join("..", "..", "reports", "testdata", "dataset.json")
	_, stderr, code = runCLI(t, nil, "report", ds, "--html", "/dev/full")
	if code != 3 || !strings.Contains(stderr, "write /dev/full: no space left on device") || strings.Contains(stderr, "wrote") {
		t.Errorf("report --html /dev/full: exit %d\n%s", code, stderr)
	}
	if fi, err := os.Lstat("/dev/full"); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		t.Errorf("/dev/full is no longer a device")
	}
	// A symlink to the report stays a symlink.
	dir := t.TempDir()
	target := filepath.Join(dir, "real.html")
	os.WriteFile(target, []byte("old"), 0o644)
	link := filepath.Join(dir, "link.html")
	if err := os.Symlink("real.html", link); err != nil {
		t.Fatal(err)
	}
	_, stderr, code = runCLI(t, nil, "report", ds, "--html", link)
	b, _ := os.ReadFile(target)
	if fi, _ := os.Lstat(link); code != 0 || fi.Mode()&os.ModeSymlink == 0 || !strings.Contains(string(b), "<html") {
		t.Errorf("report --html symlink: exit %d, link mode %v, target %d bytes\n%s", code, fi.Mode(), len(b), stderr)
	}
}

// A dataset with data after its JSON (two writers interleaved, a second
// document) is refused by report.
func TestReportRefusesTrailingData(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "reports", "testdata", "dataset.json"))
	if err != nil {
		t.Fatal(err)
	}
	mixed := filepath.Join(t.TempDir(), "mixed.json")
	os.WriteFile(mixed, append(append([]byte{}, b...), b...), 0o644)
	_, stderr, code := runCLI(t, nil, "report", mixed)
	if code != 2 || !strings.Contains(stderr, "data after the JSON value") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// A call that keeps failing leaves a checkpoint; --resume makes only that
// call again and completes the dataset.
func TestCollectCommandResume(t *testing.T) {
	s := collectortest.New(t, 40)
	awsEnv(t, s.URL)
	failInvocationsOf(s, "fn-001", 500, "InternalServiceError")
	out := filepath.Join(t.TempDir(), "c.json")
	_, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1d", "--out-file", out)
	if code != 3 || !strings.Contains(stderr, "run the same command with --resume to fetch only the 1 calls that failed (kept in "+out+".checkpoint)") {
		t.Fatalf("first run: exit %d\n%s", code, stderr)
	}
	before := s.Calls("GetMetricData")
	s.Fault = nil
	_, stderr, code = runCLI(t, nil, "collect", "--all", "--out-file", out, "--resume")
	if code != 0 || s.Calls("GetMetricData") != before+1 || s.Calls("ListFunctions") != 1 {
		t.Errorf("resume: exit %d, %d more GetMetricData calls, %d ListFunctions\n%s", code, s.Calls("GetMetricData")-before, s.Calls("ListFunctions"), stderr)
	}
	d, err := pricing.ReadDataset(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range d.Functions {
		if f.Incomplete() {
			t.Errorf("%s still incomplete: %v", f.Name, f.Missing)
		}
	}
	// fn-001: 2 invocations a minute for a day (the stub's model).
	if d.Functions[1].Summary.Invocations != 2*1440 {
		t.Errorf("fn-001 invocations %d", d.Functions[1].Summary.Invocations)
	}
	if _, err := os.Stat(out + ".checkpoint"); !os.IsNotExist(err) {
		t.Errorf("checkpoint left after a complete resume: %v", err)
	}
	for _, args := range [][]string{{"collect", "--all", "--resume"}, {"collect", "--all", "--out-file", out, "--resume", "--since", "2d"}} {
		if _, stderr, code := runCLI(t, nil, args...); code != 2 || !strings.Contains(stderr, "--resume") {
			t.Errorf("%v: exit %d\n%s", args, code, stderr)
		}
	}
}

// A long command finds an --html path it cannot write before it starts
// (a directory, a missing folder), and prints nothing else.
func TestHTMLPathCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	for path, want := range map[string]string{
		dir:                                "--html: cannot write " + dir + ": it is a directory",
		filepath.Join(dir, "no", "r.html"): "--html: cannot write " + filepath.Join(dir, "no", "r.html") + ": the folder " + filepath.Join(dir, "no") + " does not exist",
	} {
		stdout, stderr, code := runCLI(t, nil, "simulate", checkoutScenario, "--html", path)
		if code != 2 || !strings.Contains(stderr, want) || stdout != "" {
			t.Errorf("simulate --html %s: exit %d, stdout %d bytes, stderr %q", path, code, len(stdout), stderr)
		}
	}
}

// Every call failing: exit 3, no dataset, and the hint to resume.
func TestCollectCommandTotalFailureKeepsTheFunctions(t *testing.T) {
	s := collectortest.New(t, 2)
	awsEnv(t, s.URL)
	s.Fault = func(op string, _ int, _ cbor.Map) (int, string) {
		if op == "GetMetricData" {
			return 403, "AccessDenied"
		}
		return 0, ""
	}
	out := filepath.Join(t.TempDir(), "c.json")
	_, stderr, code := runCLI(t, nil, "collect", "--all", "--since", "1h", "--out-file", out)
	if _, err := os.Stat(out); code != 3 || !os.IsNotExist(err) || !strings.Contains(stderr, "AccessDenied") || !strings.Contains(stderr, "--resume to retry without listing them again") {
		t.Errorf("exit %d, dataset %v\n%s", code, err, stderr)
	}
	s.Fault = nil
	if _, stderr, code := runCLI(t, nil, "collect", "--all", "--out-file", out, "--resume"); code != 0 || s.Calls("ListFunctions") != 1 {
		t.Errorf("resume: exit %d, %d ListFunctions\n%s", code, s.Calls("ListFunctions"), stderr)
	}
}

// import --out into a directory is refused before the files are read.
func TestImportChecksOutFirst(t *testing.T) {
	dir := t.TempDir()
	_, stderr, code := runCLI(t, nil, "import", filepath.Join(dir, "does-not-matter.log"), "--out-file", dir)
	if code != 2 || !strings.Contains(stderr, "--out-file: cannot write "+dir+": it is a directory") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}
