package collector

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// TestImportLogBytes measures a function's CloudWatch Logs ingestion from
// the whole events of `aws logs filter-log-events` output (no filter
// pattern): events-whole.json holds two invocations of a Python function,
// text log format, every event Lambda and the function wrote.
func TestImportLogBytes(t *testing.T) {
	path := filepath.Join("..", "testdata", "logs", "variants", "events-whole.json")
	d, _, err := ImportFiles([]string{path}, ImportOptions{Function: "thumbs"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 1 || d.Functions[0].Summary.Invocations != 2 {
		t.Fatalf("functions %+v, want thumbs with 2 invocations", d.Functions)
	}
	// The nine messages' UTF-8 bytes, counted by hand (request ids are 36
	// characters, times 24, every message ends in "\n"):
	//   INIT_START "INIT_START Runtime Version: python:3.12.v38" (43)
	//     + TAB + "Runtime Version ARN: " (21) + the ARN (98) + "\n"   = 164
	//   START  "START RequestId: " (17) + id + " Version: $LATEST" (17) + 1 = 71, twice
	//   END    "END RequestId: " (15) + id + 1                       = 52, twice
	//   line 1 "[INFO]\t" (7) + time + TAB + id + TAB
	//          + "resized photo.jpg to 256x256" (28) + 1              = 98
	//   line 2 the same with "resized résumé.png to 256x256": 29
	//          characters, the two é are 2 bytes each (31)            = 101
	//   REPORT 1 "REPORT RequestId: " (18) + id + "\tDuration: 45.10 ms" (19)
	//          + "\tBilled Duration: 356 ms" (24) + "\tMemory Size: 512 MB" (20)
	//          + "\tMax Memory Used: 81 MB" (23) + "\tInit Duration: 310.22 ms" (25)
	//          + "\t\n" (2)                                           = 167
	//   REPORT 2 18 + 36 + 19 ("30.40") + 23 ("31 ms") + 20 + 23 + 2  = 141
	// Σ = 164 + 2×71 + 2×52 + 98 + 101 + 167 + 141 = 917 bytes, plus 26
	// bytes for each of the 9 events (PutLogEvents' per-event size) = 1,151.
	const want = 917 + 26*9
	if got := d.Functions[0].Summary.LogBytes; got != want {
		t.Errorf("log_bytes = %d, want %d", got, want)
	}
	if !hasAssumption(d, "functions[thumbs].summary.log_bytes", "1151 bytes") || !hasAssumption(d, "functions[thumbs].summary.log_bytes", "without the per-event bytes: 917") {
		t.Errorf("the dataset does not say where log_bytes came from: %+v", d.Assumptions)
	}

	// The dataset's bill has a logs line for the measured bytes: 1,151
	// bytes = 1151 / 2^30 GB at $0.50/GB (us-east-1, first tier).
	b, err := pricing.Embedded().DatasetBill(d, "us-east-1", pricing.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var logs *pricing.CostLine
	for i, l := range b.Window.Cost.Lines {
		if l.Name == pricing.LineLogs {
			logs = &b.Window.Cost.Lines[i]
		}
	}
	if logs == nil {
		t.Fatalf("no logs line in %+v", b.Window.Cost.Lines)
	}
	if wantUSD := 1151.0 / (1 << 30) * 0.5; abs(logs.Cost.InexactFloat64()-wantUSD) > 1e-12 {
		t.Errorf("logs line $%s, want $%.12f", logs.Cost, wantUSD)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// TestImportLogBytesNotMeasured: a log that is not the function's whole
// log (filtered to REPORT lines, or text output that does not keep events
// whole) gives no log_bytes, and the dataset says why when it can tell.
func TestImportLogBytesNotMeasured(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "testdata", "logs", "variants", "events-whole.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The same events with the START lines altered so that none is a
	// START: the count is what tells a filtered log (a REPORT-only filter
	// drops START with the rest).
	filtered := strings.ReplaceAll(string(src), `"message": "START RequestId`, `"message": "STARTED RequestId`)
	dir := t.TempDir()
	p := filepath.Join(dir, "filtered.json")
	if err := os.WriteFile(p, []byte(filtered), 0o644); err != nil {
		t.Fatal(err)
	}
	// Only the first of the two START lines altered: 1 START line for 2
	// invocations is still a filtered log (any START short of the
	// invocations, not only none; mutant collector-25).
	oneStart := strings.Replace(string(src), `"message": "START RequestId`, `"message": "STARTED RequestId`, 1)
	p1 := filepath.Join(dir, "one-start.json")
	if err := os.WriteFile(p1, []byte(oneStart), 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "tail.log")
	if err := os.WriteFile(text, []byte("START RequestId: 8f5c2a1e-1111-4a2b-9c3d-000000000002 Version: $LATEST\nEND RequestId: 8f5c2a1e-1111-4a2b-9c3d-000000000002\nREPORT RequestId: 8f5c2a1e-1111-4a2b-9c3d-000000000002\tDuration: 30.40 ms\tBilled Duration: 31 ms\tMemory Size: 512 MB\tMax Memory Used: 82 MB\t\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, path, why string
	}{
		{"filtered", p, "0 START lines for 2 invocations"},
		{"one START of two", p1, "1 START lines for 2 invocations"},
		{"text", text, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _, err := ImportFiles([]string{tc.path}, ImportOptions{Function: "thumbs"})
			if err != nil {
				t.Fatal(err)
			}
			if got := d.Functions[0].Summary.LogBytes; got != 0 {
				t.Errorf("log_bytes = %d from a partial log, want 0 (not measured)", got)
			}
			if tc.why != "" && !hasAssumption(d, "functions[thumbs].summary.log_bytes", tc.why) {
				t.Errorf("assumptions lack why: %+v", d.Assumptions)
			}
		})
	}
}
