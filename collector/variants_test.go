package collector

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/lambdacost/lambdacost/pricing"
)

// Every real shape of Lambda logs and of the tools that export them
// (fixtures in testdata/logs/variants, formats from AWS documentation and
// public captures, values ours), each imported to totals worked out by
// hand in the comments.
func TestImportVariants(t *testing.T) {
	type want struct {
		fn                           string
		inv, billed, cold, restores  int64
		timeouts, errs, initUnbilled int64
		maxMem, byMemory             int
		memUnknown                   bool
		problem                      string // a problem that must be listed
	}
	cases := []struct {
		file string
		opts ImportOptions
		want want
	}{
		// aws logs tail: EXTENSION/TELEMETRY/INIT_START/XRAY lines skipped;
		// 211 (INIT billed: ⌈10.50 + 200.20⌉ = 211) + 4 + 5 (spaces, not tabs).
		{"tail-text.log", ImportOptions{}, want{fn: "tail-text", inv: 3, billed: 220, cold: 1, maxMem: 42, byMemory: 1}},
		// aws logs tail --format short: times without a zone (UTC).
		{"tail-short.log", ImportOptions{}, want{fn: "tail-short", inv: 2, billed: 12, maxMem: 41, byMemory: 1}},
		// sam logs / tail with the stream first, then the time (zone-less or
		// not); 2019 line: 100 ms rounding; 2026: INIT billed ⌈12.68 + 295.33⌉ = 309.
		{"sam-logs.log", ImportOptions{}, want{fn: "sam-logs", inv: 2, billed: 509, cold: 1, maxMem: 93, byMemory: 2}},
		// A file whose first line is a Python "[INFO]" line is text, not JSON.
		{"python-first.log", ImportOptions{}, want{fn: "python-first", inv: 1, billed: 2, maxMem: 40, byMemory: 1}},
		// aws logs tail --format json as awscli's tail.py prints it: the
		// time and stream, then the message indented 4 on the next lines;
		// 251 (cold) + 300 (timeout).
		{"tail-format-json.log", ImportOptions{}, want{fn: "tail-format-json", inv: 2, billed: 551, cold: 1, timeouts: 1, errs: 1, maxMem: 70, byMemory: 1}},
		// aws logs tail --format none: one JSON event per line.
		{"tail-format-none.log", ImportOptions{}, want{fn: "tail-format-none", inv: 1, billed: 10, maxMem: 30, byMemory: 1}},
		// Pretty-printed records over several lines among plain lines:
		// 251 (cold, ⌈100.25 + 150.5⌉) + 300 (timeout) + 1.
		{"tail-pretty.log", ImportOptions{}, want{fn: "tail-pretty", inv: 3, billed: 552, cold: 1, timeouts: 1, errs: 1, maxMem: 70, byMemory: 1}},
		// 2019: Billed 200 < ⌈128.83 + 166.62⌉ = 296: INIT not billed
		// (⌈166.62⌉ = 167 ms); the timeout is told only by its own line.
		{"old-2019.log", ImportOptions{}, want{fn: "old-2019", inv: 2, billed: 3200, cold: 1, timeouts: 1, errs: 1, initUnbilled: 167, maxMem: 80, byMemory: 1}},
		// Failed INITs in 2026 are billed: 3000 + 10000 + 9804; the
		// Phase: invoke retry is inside the REPORT's Duration.
		{"init-report.log", ImportOptions{}, want{fn: "init-report", inv: 1, billed: 22804, errs: 1, maxMem: 150, byMemory: 1}},
		// SnapStart: 2 restores (cold starts); billed 2+95 + 1 + 3+80.
		{"snapstart.log", ImportOptions{}, want{fn: "snapstart", inv: 3, billed: 181, cold: 2, restores: 2, maxMem: 77, byMemory: 1}},
		// Managed Instances: no per-ms billing, memory unknown.
		{"managed.log", ImportOptions{}, want{fn: "managed", inv: 2, memUnknown: true}},
		{"managed.log", ImportOptions{MemoryMB: 2048}, want{fn: "managed", inv: 2}},
		// Firehose: gzip of a control message and a data message back to back.
		{"firehose.gz", ImportOptions{}, want{fn: "firehose-fn", inv: 2, billed: 76, maxMem: 65, byMemory: 1}},
		// The event a Lambda subscriber receives (base64 of gzip).
		{"subscriber-event.json", ImportOptions{}, want{fn: "sub-fn", inv: 2, billed: 76, maxMem: 65, byMemory: 1}},
		// Logs Insights results with @message (and @log naming the function).
		{"insights-results.json", ImportOptions{}, want{fn: "insights-fn", inv: 2, billed: 451, cold: 1, maxMem: 310, byMemory: 1}},
		// Logs Insights REPORT fields (memory in bytes): 102 + 171.
		{"insights-fields.json", ImportOptions{}, want{fn: "insights-fields", inv: 2, billed: 273, cold: 1, maxMem: 90, byMemory: 1}},
		{"insights-export.csv", ImportOptions{}, want{fn: "insights-export", inv: 2, billed: 22, maxMem: 51, byMemory: 1}},
		// get-query-results as the API returns numbers (a public mock of
		// 2023-12: "15.0", "6.7E7" bytes, "1.28E8" bytes): 15 ms, 67 and
		// 128 MB.
		{"insights-sci.json", ImportOptions{}, want{fn: "insights-sci", inv: 1, billed: 15, maxMem: 67, byMemory: 1}},
		// filter-log-events --output text.
		{"events-text.txt", ImportOptions{}, want{fn: "events-text", inv: 2, billed: 12, maxMem: 31, byMemory: 1}},
		// Memory changed: one usage line per size.
		{"mixed-memory.log", ImportOptions{}, want{fn: "mixed-memory", inv: 3, billed: 250, maxMem: 300, byMemory: 2}},
		{"sparse.log", ImportOptions{}, want{fn: "sparse", inv: 5, billed: 5, maxMem: 30, byMemory: 1}},
		// One event object per line (jq -c '.events[]'): 40 + 10; the
		// second invocation's crash event makes it an error.
		{"events.jsonl", ImportOptions{}, want{fn: "events", inv: 2, billed: 50, errs: 1, maxMem: 67, byMemory: 1}},
		// JSON log format: a failed INIT (billed, 10,000 ms), an app log whose
		// message mentions REPORT (not a record), a SnapStart restore told
		// by both its restoreReport and its report (one restore):
		// 10000 + 20 + 26 + 50 (billed restore).
		{"json-format.log", ImportOptions{}, want{fn: "json-format", inv: 2, billed: 10096, cold: 1, restores: 1, maxMem: 35, byMemory: 1}},
		// Crashes told by "RequestId: ID Error: Runtime exited …" lines
		// (REPORTs without Status before ~2024): 1688 + 3297 + 50 + 6000 =
		// 11,035 ms; errors: the two crash-only invocations, the OOM told by
		// both its REPORT and its line (one), the timeout (one) = 4; the
		// failed INIT of 2023 was not billed then: ⌈206.72⌉ = 207 ms.
		{"crash-lines.log", ImportOptions{}, want{fn: "crash-lines", inv: 4, billed: 11035, timeouts: 1, errs: 4, initUnbilled: 207, maxMem: 128, byMemory: 1}},
		// ANSI colours (aws logs tail --color on, serverless logs): 11 + 2
		// at 128 MB and 4 at 1024 MB.
		{"colors.log", ImportOptions{}, want{fn: "colors", inv: 3, billed: 17, maxMem: 70, byMemory: 2}},
		// A Lambda@Edge function's subscription payload (its log group
		// /aws/lambda/us-east-1.NAME, in whatever Region it ran): 11 + 4.
		{"edge-subscription.json", ImportOptions{}, want{fn: "us-east-1.edge-auth", inv: 2, billed: 15, maxMem: 71, byMemory: 1}},
		// JSON platform.report shapes: 5000 (timeout, status last) + 2600
		// (2022 cold start; INIT not billed then: ⌈549.04⌉ = 550) + 21
		// (error) at 128 MB, and 12 ("12.0") at 1280 MB; two timeouts (the
		// text "Task timed out" line is the first record's request: not a
		// third) and an error.
		{"json-telemetry.log", ImportOptions{}, want{fn: "json-telemetry", inv: 4, billed: 7633, cold: 1, timeouts: 2, errs: 3, initUnbilled: 550, maxMem: 300, byMemory: 2}},
		// Logs Insights results exported as Markdown (the shape of a public
		// export of 2025-08-15: a header with the query's UTC window, rows
		// in the console's time zone, REPORT fields, memory in bytes):
		// 101 + 2895 + 2221 = 5217 ms at 1024 MB; the two cold starts'
		// Billed Duration left INIT out: ⌈944.22⌉ + ⌈834.66⌉ = 1780 ms.
		{"insights-markdown.md", ImportOptions{}, want{fn: "md-fn", inv: 3, billed: 5217, cold: 2, initUnbilled: 1780, maxMem: 120, byMemory: 1}},
		// Space-separated REPORTs: 662 (Billed ⌈395.99 + 265.72⌉ = 662:
		// INIT billed) at 512 MB; 16 + 364 at 128 MB, whose Billed Duration
		// left INIT out: ⌈171.86⌉ + ⌈1488.71⌉ = 172 + 1489 = 1661 ms.
		{"spaces.log", ImportOptions{}, want{fn: "spaces", inv: 3, billed: 1042, cold: 3, initUnbilled: 1661, maxMem: 301, byMemory: 2}},
		// CRLF line ends, a UTF-8 BOM before the first time, two streams
		// interleaved, times in four zones (Z, -0800, +05:30, +01): 11 +
		// 1500 at 128 MB, 21 + 1 at 256 MB.
		{"crlf-bom-zones.log", ImportOptions{}, want{fn: "crlf-bom-zones", inv: 4, billed: 1533, maxMem: 61, byMemory: 2}},
		// filter-log-events JSON saved by Windows PowerShell 5's ">" (UTF-16
		// LE with BOM, CRLF, a non-BMP character in a message): 11 + 4.
		{"powershell-utf16.json", ImportOptions{}, want{fn: "powershell-utf16", inv: 2, billed: 15, maxMem: 71, byMemory: 1}},
		// Real SnapStart REPORTs: Billed Duration already holds the Billed
		// Restore Duration (2521 = ⌈2338.66⌉ + 182; 610 = 307 + 303; 154 =
		// 128 + 26; 313 = 150 + 163), so the bill is 2521 + 610 + 154 + 313
		// = 3598 ms, not 3598 + 674.
		{"snapstart-real.log", ImportOptions{}, want{fn: "snapstart-real", inv: 4, billed: 3598, cold: 4, restores: 4, maxMem: 212, byMemory: 3}},
		// sam logs, coloured, JSON records re-indented: 12 + 3 ms; the 2024
		// cold start's Billed Duration left INIT out: ⌈174.055⌉ = 175.
		{"sam-json.log", ImportOptions{}, want{fn: "sam-json", inv: 2, billed: 15, cold: 1, initUnbilled: 175, maxMem: 68, byMemory: 1}},
		// Undated lines (a console copy): the failed INIT cannot be dated,
		// so it is taken as billed (⌈206.72⌉ = 207 ms) and said so: 1688 +
		// 207; the crash line makes the REPORT without Status an error.
		{"undated-init.log", ImportOptions{}, want{fn: "undated-init", inv: 1, billed: 1895, errs: 1, maxMem: 16, byMemory: 1}},
		// The CloudWatch console's CSV download (timestamp in ms, message).
		{"console-download.csv", ImportOptions{}, want{fn: "console-download", inv: 1, billed: 70, maxMem: 44, byMemory: 1}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			d, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", c.file)}, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Functions) != 1 {
				t.Fatalf("%d functions: %+v\nproblems %q", len(d.Functions), d.Functions, d.Problems)
			}
			f := d.Functions[0]
			s := f.Summary
			w := c.want
			got := want{fn: f.Name, inv: s.Invocations, billed: s.BilledDurationMs, cold: s.ColdStarts, restores: s.Restores, timeouts: s.Timeouts,
				errs: s.Errors, initUnbilled: s.InitUnbilledMs, maxMem: s.MaxMemoryUsedMB, byMemory: len(s.ByMemory), memUnknown: f.Unknown("memory_mb"), problem: w.problem}
			if got != w {
				t.Errorf("got  %+v\nwant %+v\nproblems %q", got, w, d.Problems)
			}
			for _, p := range d.Problems {
				t.Errorf("unexpected problem %q", p)
			}
			var billedByMem int64
			for _, m := range s.ByMemory {
				billedByMem += m.BilledDurationMs
			}
			if len(s.ByMemory) > 0 && billedByMem != s.BilledDurationMs {
				t.Errorf("by memory %+v does not add up to %d ms", s.ByMemory, s.BilledDurationMs)
			}
			if errs := d.Validate("dataset"); len(errs) > 0 {
				t.Errorf("invalid dataset: %v", errs)
			}
		})
	}
}

// A function's own log lines that quote records (a log forwarder) are
// not records: with a log level they are skipped; with any other text
// before the marker they are listed, never counted.
func TestImportQuotedRecords(t *testing.T) {
	d, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", "quoted.log")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Only line 6, its own REPORT: 5 ms at 256 MB, no error, no timeout.
	s := d.Functions[0].Summary
	if s.Invocations != 1 || s.BilledDurationMs != 5 || s.Errors != 0 || s.Timeouts != 0 || len(s.ByMemory) != 1 || s.ByMemory[0].MemoryMB != 256 {
		t.Errorf("summary %+v", s)
	}
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], `quoted.log:7: text "forwarding" before "REPORT RequestId:"`) {
		t.Errorf("problems %q", d.Problems)
	}
}

// Tailing tools' prefixes: awslogs' group and stream name the function
// (4 + 4 ms), the bracketed time of the other line is read (2 ms, the
// file's name for its function).
func TestImportTailingTools(t *testing.T) {
	d, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", "tools.log")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, f := range d.Functions {
		got[f.Name] = f.Summary.BilledDurationMs
	}
	// The window: 10:00:00 − ⌈1.50⌉ ms to 10:01:00.
	if len(got) != 2 || got["awsl-fn"] != 8 || got["tools"] != 2 || len(d.Problems) != 0 ||
		!d.Start.Equal(time.Date(2026, 3, 2, 9, 59, 59, 998e6, time.UTC)) || !d.End.Equal(time.Date(2026, 3, 2, 10, 1, 0, 0, time.UTC)) {
		t.Errorf("%v %q %s – %s", got, d.Problems, d.Start, d.End)
	}
}

// A CloudWatch Logs export to S3 writes objects named 000000.gz (lines:
// "TIME MESSAGE"): read, 11 ms at 256 MB, under the file's name, and the
// dataset says that the name is the file's.
func TestImportS3ExportObject(t *testing.T) {
	path := filepath.Join("..", "testdata", "logs", "variants", "s3-export", "000000.gz")
	d, _, err := ImportFiles([]string{path}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f := d.Functions[0]; f.Name != "000000" || f.Summary.BilledDurationMs != 11 || f.MemoryMB != 256 || !hasAssumption(d, "functions[000000].name", "pass --function") {
		t.Errorf("%+v %+v", f, d.Assumptions)
	}
	d, _, err = ImportFiles([]string{path}, ImportOptions{Function: "orders"})
	if err != nil || d.Functions[0].Name != "orders" || hasAssumption(d, "functions[000000].name", "") {
		t.Errorf("--function: %v %+v", err, d.Assumptions)
	}
}

// Logs Insights results that are a part of what the query matched (its
// row limit; a query still running) are read and the import says so: 3
// rows of the 2,500 records matched; a "Running" status.
func TestImportInsightsPartial(t *testing.T) {
	for file, want := range map[string]string{
		"insights-limit.json":   "matched 2500 records but its results hold 3 rows",
		"insights-running.json": `status is "Running", not Complete`,
	} {
		d, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", file)}, ImportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// 3 rows of 1 ms each, function from @log.
		if f := d.Functions[0]; f.Name != "q-fn" || f.Summary.Invocations != 3 || f.Summary.BilledDurationMs != 3 || len(d.Problems) != 1 || !strings.Contains(d.Problems[0], want) {
			t.Errorf("%s: %s %+v %q", file, f.Name, f.Summary, d.Problems)
		}
	}
}

// filter-log-events saved with --max-items (a "NextToken" after the
// events): the page is read, 40 ms, and the import says more remain.
func TestImportFilterLogEventsPage(t *testing.T) {
	d, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", "events-max-items.json")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := d.Functions[0].Summary; s.BilledDurationMs != 40 || len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "has a NextToken: more events remain") {
		t.Errorf("%+v %q", s, d.Problems)
	}
}

// The details the table does not show.
func TestImportVariantDetails(t *testing.T) {
	imp := func(file string, o ImportOptions) *pricing.Dataset {
		t.Helper()
		d, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", file)}, o)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Mixed memory: (100+50) ms at 512 MB and 100 ms at 1024 MB:
	// (150·512 + 100·1024) / 1,024,000 = 0.175 GB-s, and it is said.
	d := imp("mixed-memory.log", ImportOptions{})
	s := d.Functions[0].Summary
	if s.ByMemory[0] != (pricing.MemoryUsage{MemoryMB: 512, Invocations: 2, BilledDurationMs: 150}) || s.ByMemory[1] != (pricing.MemoryUsage{MemoryMB: 1024, Invocations: 1, BilledDurationMs: 100}) || !near(s.BilledGBSeconds, 0.175) {
		t.Errorf("mixed memory: %+v GB-s %v", s.ByMemory, s.BilledGBSeconds)
	}
	if !hasAssumption(d, "functions[mixed-memory].memory_mb", "memory changed") {
		t.Errorf("assumptions %+v", d.Assumptions)
	}
	// Old logs: INIT not billed then, said so; the timeout from the line.
	d = imp("old-2019.log", ImportOptions{})
	if f := d.Functions[0]; time.Duration(f.Timeout) != 3*time.Second || f.Unknown("timeout") || !hasAssumption(d, "functions[old-2019].summary.init_unbilled_ms", "before 2025-08-01") {
		t.Errorf("old logs: timeout %v unknown %v, assumptions %+v", f.Timeout, f.ConfigUnknown, d.Assumptions)
	}
	// The timeout told only by its line is an error in its minute too.
	var errSum float64
	for _, e := range d.Functions[0].Series.Errors {
		errSum += e
	}
	if errSum != 1 {
		t.Errorf("old logs: series errors %v", d.Functions[0].Series.Errors)
	}
	// SnapStart restore time counts as the cold start's latency:
	// (571.67 + 480.10) / 2.
	d = imp("snapstart.log", ImportOptions{})
	if s := d.Functions[0].Summary; !near(s.InitDurationMs.Avg, (571.67+480.10)/2) || s.ByMemory[0].InitBilledMs != 175 {
		t.Errorf("snapstart: %+v", s)
	}
	// A timeout line says when the invocation was stopped ("after 6.01
	// seconds"); the configured timeout is the whole second, 6 s. The
	// crash-only errors of 2023 are in the series too: 2 in the minute of
	// their lines, with the OOM and the timeout, 4 in all.
	d = imp("crash-lines.log", ImportOptions{})
	if f := d.Functions[0]; time.Duration(f.Timeout) != 6*time.Second {
		t.Errorf("crash lines: timeout %v", f.Timeout)
	}
	errSum = 0
	for _, e := range d.Functions[0].Series.Errors {
		errSum += e
	}
	if errSum != 4 {
		t.Errorf("crash lines: series errors sum %v", errSum)
	}
	// Colours do not hide the times: 10:00:00.311 − ⌈10.50⌉ ms to 10:05:00.311.
	d = imp("colors.log", ImportOptions{})
	if !d.Start.Equal(time.Date(2026, 3, 2, 10, 0, 0, 300e6, time.UTC)) || !d.End.Equal(time.Date(2026, 3, 2, 10, 5, 0, 311e6, time.UTC)) {
		t.Errorf("colors window %s – %s", d.Start, d.End)
	}
	// The Markdown rows are 5 hours behind the header's UTC window
	// (18:21:49Z–18:43:03Z): read at UTC−05:00. First start 18:34:51.425 −
	// ⌈2220.96 + 834.66⌉ ms = 18:34:48.369; last end 18:40:00.000.
	d = imp("insights-markdown.md", ImportOptions{})
	if !d.Start.Equal(time.Date(2025, 8, 15, 18, 34, 48, 369e6, time.UTC)) || !d.End.Equal(time.Date(2025, 8, 15, 18, 40, 0, 0, time.UTC)) || !hasAssumption(d, "../testdata/logs/variants/insights-markdown.md:15: @timestamp time zone", "UTC-05:00") {
		t.Errorf("markdown window %s – %s, %+v", d.Start, d.End, d.Assumptions)
	}
	if !hasAssumption(d, "functions[md-fn].summary.init_unbilled_ms", "2 of them dated on or after 2025-08-01") {
		t.Errorf("markdown INIT: %+v", d.Assumptions)
	}
	// The console's CSV export does not state its zone: UTC, and said so.
	d = imp("insights-export.csv", ImportOptions{})
	if !hasAssumption(d, "../testdata/logs/variants/insights-export.csv: row 1: @timestamp time zone", "UTC") {
		t.Errorf("csv zone: %+v", d.Assumptions)
	}
	// Every zone is read: the records end at 10:00:00.311, 10:00:01.311
	// (02:00:01.311-0800), 10:00:02.500 (15:30:02.500+05:30) and
	// 10:00:03 (11:00:03+01) UTC; the first starts ⌈10.50⌉ ms earlier,
	// 10:00:00.300. The 1500 ms invocation (10:00:01.000–02.500) overlaps
	// the other stream's (10:00:01.290–01.311): 2 at once.
	d = imp("crlf-bom-zones.log", ImportOptions{})
	if !d.Start.Equal(time.Date(2026, 3, 2, 10, 0, 0, 300e6, time.UTC)) || !d.End.Equal(time.Date(2026, 3, 2, 10, 0, 3, 0, time.UTC)) || d.Functions[0].Summary.ConcurrencyMax != 2 {
		t.Errorf("zones: window %s – %s, concurrency %v", d.Start, d.End, d.Functions[0].Summary.ConcurrencyMax)
	}
	d = imp("undated-init.log", ImportOptions{})
	if !hasAssumption(d, "functions[undated-init].init_failures", "1 of them undated") {
		t.Errorf("undated INIT: %+v", d.Assumptions)
	}
	// Logs Insights REPORT fields carry no Status: errors and timeouts are
	// unknown (null), never 0, and said so. With no row carrying
	// @message, the source cannot measure them at all: not measured (as
	// logs' throttles), which does not make the function incomplete.
	d = imp("insights-fields.json", ImportOptions{})
	if f := d.Functions[0]; f.Measured("summary.errors") || f.Measured("summary.timeouts") || f.Measured("series.errors") || f.Incomplete() || !hasAssumption(d, "functions[insights-fields].summary.errors", "2 of 2 invocation(s) were read from Logs Insights' REPORT fields") {
		t.Errorf("insights fields: missing %q, not measured %q, %+v", f.Missing, f.NotMeasured, d.Assumptions)
	}
	// One row with @message (Status: error), one of fields only: the
	// error count 1 is a part of the errors, the other row's status is
	// unknown: missing (a partial count is not a measurement), not "not
	// measured" (the source measured the first row's).
	d = imp("insights-fields-mixed.json", ImportOptions{})
	if f := d.Functions[0]; !f.Measured("summary.errors") || !slices.Contains(f.Missing, "summary.errors") || !slices.Contains(f.Missing, "summary.timeouts") || f.Summary.Errors != 0 || f.Summary.Invocations != 2 {
		t.Errorf("insights fields mixed: missing %q, not measured %q, errors %d, invocations %d", f.Missing, f.NotMeasured, f.Summary.Errors, f.Summary.Invocations)
	}
	// Rows queried without @maxMemoryUsed: the memory used is not
	// measured (null), not missing, and the function stays complete.
	d = imp("insights-fields-nomem.json", ImportOptions{})
	if f := d.Functions[0]; f.Measured("summary.max_memory_used_mb") || slices.Contains(f.Missing, "summary.max_memory_used_mb") || f.Incomplete() || !hasAssumption(d, "functions[insights-fields-nomem].summary.max_memory_used_mb", "query it too") {
		t.Errorf("insights fields without memory: missing %q, not measured %q, %+v", f.Missing, f.NotMeasured, d.Assumptions)
	}
	if d := imp("insights-sci.json", ImportOptions{}); d.Functions[0].MemoryMB != 128 {
		t.Errorf("insights sci: memory %d", d.Functions[0].MemoryMB)
	}
	// Zone-less times are dated: the window spans the two records.
	d = imp("tail-short.log", ImportOptions{})
	if !d.Start.Equal(time.Date(2026, 3, 2, 9, 59, 59, 989e6, time.UTC)) || !d.End.Equal(time.Date(2026, 3, 2, 10, 5, 0, 0, time.UTC)) {
		t.Errorf("tail short window %s – %s", d.Start, d.End)
	}
	d = imp("sam-logs.log", ImportOptions{})
	if !d.End.Equal(time.Date(2026, 5, 15, 8, 47, 1, 34e6, time.UTC)) || !d.Start.Equal(time.Date(2019, 6, 7, 19, 11, 20, 561e6, time.UTC)) {
		t.Errorf("sam logs window %s – %s", d.Start, d.End)
	}
	// Sparse: 485 days of minutes would be 698,401 points; 30-minute buckets.
	d = imp("sparse.log", ImportOptions{})
	sr := d.Functions[0].Series
	var n float64
	for _, v := range sr.Invocations {
		n += v
	}
	if sr.PeriodS != 1800 || len(sr.Invocations) > maxSeriesPoints || n != 5 || !hasAssumption(d, "functions[sparse].series.period_s", "30-minute buckets") {
		t.Errorf("sparse: period %d, %d points, %v invocations, %+v", sr.PeriodS, len(sr.Invocations), n, d.Assumptions)
	}
	// Managed Instances without --memory: memory, architecture and
	// timeout are unknown and listed; with the flags they are not.
	// Ephemeral storage and provisioned concurrency are never in logs.
	d = imp("managed.log", ImportOptions{})
	f := d.Functions[0]
	if f.MemoryMB != 128 || len(f.ConfigUnknown) != 5 || !hasAssumption(d, "functions[managed].memory_mb", "pass --memory") || !hasAssumption(d, "functions[managed].compute", "Managed Instances") {
		t.Errorf("managed: %+v %+v", f, d.Assumptions)
	}
	d = imp("managed.log", ImportOptions{MemoryMB: 2048, Architecture: pricing.ARM64, Timeout: 30 * time.Second})
	if f := d.Functions[0]; f.MemoryMB != 2048 || f.Architecture != pricing.ARM64 || time.Duration(f.Timeout) != 30*time.Second || !slices.Equal(f.ConfigUnknown, []string{"ephemeral_storage_mb", "provisioned_concurrency"}) {
		t.Errorf("managed with flags: %+v", f)
	}
}

func hasAssumption(d *pricing.Dataset, field, why string) bool {
	for _, a := range d.Assumptions {
		if a.Field == field && strings.Contains(a.Value+" "+a.Why, why) {
			return true
		}
	}
	return false
}

// Known formats lambdacost does not read are refused by name; inputs with
// no record at all stop the import with an input error (exit 2).
func TestImportRefusedAndEmpty(t *testing.T) {
	for _, c := range []struct{ file, msg string }{
		{"insights-stats.json", "are a Logs Insights result without @message"},
		{"lambda-insights.log", "a Lambda Insights performance event"},
		// Including the failed platform.initReport in their envelope: not
		// an Event Function's INIT to bill.
		{"web-function.log", "3 record(s) (first at ../testdata/logs/variants/web-function.log:3) are a Lambda Web Functions system event"},
		{"table.txt", "table.txt is the output of an aws CLI command with --output table; this format is not supported: rerun the command with --output json"},
		{"empty.log", "no Lambda records found"},
		{"binary.bin", "no Lambda records found"},
		{"unrelated.txt", "no Lambda records found"},
	} {
		_, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", c.file)}, ImportOptions{})
		var ie *pricing.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.msg) || strings.Contains(err.Error(), "has no value") {
			t.Errorf("%s: %v", c.file, err)
		}
	}
	// Beside readable files, a refused one is a problem, not a stop.
	d, _, err := ImportFiles([]string{filepath.Join("..", "testdata", "logs", "variants", "lambda-insights.log"), filepath.Join("..", "testdata", "logs", "variants", "tail-text.log")}, ImportOptions{})
	if err != nil || len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "lambda-insights.log: 2 record(s) (first at ") {
		t.Errorf("mixed: %v %q", err, d.Problems)
	}
}

// get-metric-data with the CLI's default labels (just the metric name):
// statistics are told by the query Id, or the import stops, never merging
// Average, p99 and Maximum into one series. A metrics-only function has no
// memory size: unknown unless --memory.
func TestImportMetricDefaultLabels(t *testing.T) {
	dir := filepath.Join("..", "testdata", "cloudwatch")
	_, _, err := ImportFiles([]string{filepath.Join(dir, "default-labels-ambiguous.json")}, ImportOptions{Function: "api"})
	var ie *pricing.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), `MetricDataResults[0] and [1] (Ids "m0" and "m1") are both labelled "Duration"`) || !strings.Contains(err.Error(), "${PROP('Stat')}") {
		t.Errorf("ambiguous labels: %v", err)
	}
	d, _, err := ImportFiles([]string{filepath.Join(dir, "default-labels-ids.json")}, ImportOptions{Function: "api"})
	if err != nil {
		t.Fatal(err)
	}
	f := d.Functions[0]
	s := f.Summary
	// Invocations 4 + 6; average weighted (4·90 + 6·110)/10 = 102; p99
	// weighted (4·300 + 6·400)/10 = 360; maximum 900.
	if s.Invocations != 10 || !near(s.DurationMs.Avg, 102) || !near(s.DurationMs.P99, 360) || s.DurationMs.Max != 900 {
		t.Errorf("summary %+v", s)
	}
	// 10 × ⌈102⌉ ms at 128 MB, the memory being unknown and said so.
	if !f.Unknown("memory_mb") || f.MemoryMB != 128 || !near(s.BilledGBSeconds, 10*102*128/1024000.0) || !hasAssumption(d, "functions[api].memory_mb", "pass --memory") || !hasAssumption(d, dir+"/default-labels-ids.json: api Invocations", "Sum") {
		t.Errorf("memory: %+v %+v", f, d.Assumptions)
	}
	d, _, err = ImportFiles([]string{filepath.Join(dir, "default-labels-ids.json")}, ImportOptions{Function: "api", MemoryMB: 1024})
	if f := d.Functions[0]; err != nil || f.Unknown("memory_mb") || f.MemoryMB != 1024 || !near(f.Summary.BilledGBSeconds, 10*102*1024/1024000.0) {
		t.Errorf("--memory 1024: %v %+v", err, f)
	}
}

// Lambda@Edge is told by its log group's name only: "us-east-1.NAME"
// from a log group is Edge's (function names cannot hold '.'); the same
// name given by --function (or a file name) is not.
func TestImportLambdaEdge(t *testing.T) {
	path := filepath.Join("..", "testdata", "logs", "variants", "edge-subscription.json")
	d, _, err := ImportFiles([]string{path}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if f := d.Functions[0]; !f.LambdaEdge || !hasAssumption(d, "functions[us-east-1.edge-auth].lambda_edge", "Lambda@Edge rates") {
		t.Errorf("edge: %+v %+v", f.FunctionConfig, d.Assumptions)
	}
	d, _, err = ImportFiles([]string{path}, ImportOptions{Function: "us-east-1.edge-auth"})
	if err != nil || d.Functions[0].LambdaEdge {
		t.Errorf("--function: %v %+v", err, d.Functions[0].FunctionConfig)
	}
	for name, want := range map[string]bool{"us-east-1.edge-auth": true, "us-gov-west-1.f": true, "eu-west-1.orders": true, "orders": false, "v1.2": false, "us-east-1.": false, "my-app.prod": false} {
		if got := isEdgeName(name); got != want {
			t.Errorf("isEdgeName(%q) = %v", name, got)
		}
	}
}

// A custom log group shared by functions: Lambda names each stream
// YYYY/MM/DD/<function>[<version>]<id>, which names the function.
func TestFunctionOfStream(t *testing.T) {
	for st, want := range map[string]string{
		"2026/03/02/orders[$LATEST]0a1b2c3d": "orders",
		"2026/03/02/[$LATEST]0a1b2c3d":       "",
		"2026/03/02/orders[3]0a1b2c3d":       "orders",
		"orders":                             "",
	} {
		if got := functionOfStream(st); got != want {
			t.Errorf("%q: %q, want %q", st, got, want)
		}
	}
}

// Whole numbers written as floats are read; any other fraction of a
// whole-number field (billed ms, MB) is an error, never rounded.
func TestParseIntWholeFloats(t *testing.T) {
	for in, want := range map[string]int64{"12": 12, "12.0": 12, "1280.00": 1280, "12.5": -1, "12.": -1, ".0": -1, "1.0.0": -1} {
		got, err := parseInt([]byte(in))
		if (want < 0) != (err != nil) || (err == nil && got != want) {
			t.Errorf("parseInt(%q) = %d, %v", in, got, err)
		}
	}
}

// "Init Duration: 0.00 ms" (REPORT lines rebuilt by forwarders from the
// Logs API, Datadog's extension before its 2021-05 fix) is no cold start;
// any positive Init Duration is one.
func TestInitDurationZero(t *testing.T) {
	var r report
	for line, cold := range map[string]bool{
		"REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: 0.00 ms\t":                              false,
		"REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tInit Duration: 0.01 ms\t":                              true,
		`{"type":"platform.report","record":{"metrics":{"durationMs":1,"billedDurationMs":1,"memorySizeMB":128,"maxMemoryUsedMB":60,"initDurationMs":0}}}`:                  false,
		`{"type": "platform.report", "record": {"metrics": {"durationMs": 1, "billedDurationMs": 1, "memorySizeMB": 128, "maxMemoryUsedMB": 60, "initDurationMs": 0.0}}}`:   false,
		`{"type": "platform.report", "record": {"metrics": {"durationMs": 1, "billedDurationMs": 1, "memorySizeMB": 128, "maxMemoryUsedMB": 60, "initDurationMs": 120.5}}}`: true,
	} {
		if err := parseLine([]byte(line), &r); err != nil || r.Cold != cold {
			t.Errorf("%s: cold %v, %v", line, r.Cold, err)
		}
	}
}

// UTF-16 of either byte order becomes UTF-8, surrogate pairs included;
// other input passes through untouched (nil: no decoder).
func TestUTF16Reader(t *testing.T) {
	text := "REPORT caf\u00e9 \U0001F600\n"
	enc := func(big bool) []byte {
		u := utf16.Encode([]rune(text))
		b := []byte{0xff, 0xfe}
		if big {
			b = []byte{0xfe, 0xff}
		}
		for _, c := range u {
			if big {
				b = append(b, byte(c>>8), byte(c))
			} else {
				b = append(b, byte(c), byte(c>>8))
			}
		}
		return b
	}
	for _, big := range []bool{false, true} {
		r := newUTF16Reader(bufio.NewReader(bytes.NewReader(enc(big))))
		if r == nil {
			t.Fatalf("big %v: not detected", big)
		}
		got, err := io.ReadAll(r)
		if err != nil || string(got) != text {
			t.Errorf("big %v: %q %v", big, got, err)
		}
	}
	if newUTF16Reader(bufio.NewReader(strings.NewReader("REPORT"))) != nil {
		t.Error("UTF-8 taken for UTF-16")
	}
}

// A SnapStart REPORT whose Billed Duration does not hold its Billed
// Restore Duration (no AWS line seen so far) has it added, and said so.
func TestSnapStartRestoreNotInBilled(t *testing.T) {
	im := NewImporter(ImportOptions{})
	line := "REPORT RequestId: a\tDuration: 10.20 ms\tBilled Duration: 11 ms\tMemory Size: 1024 MB\tMax Memory Used: 90 MB\tRestore Duration: 400.00 ms\tBilled Restore Duration: 120 ms\t\n"
	if err := im.Read("added.log", strings.NewReader(line)); err != nil {
		t.Fatal(err)
	}
	d := im.Dataset()
	// 11 < ⌈10.20⌉ + 120 − 1: 11 + 120 = 131 ms.
	if s := d.Functions[0].Summary; s.BilledDurationMs != 131 || !hasAssumption(d, "functions[added].summary.billed_duration_ms", "Billed Restore Duration was added") {
		t.Errorf("%+v %+v", s, d.Assumptions)
	}
}

// An application's line quoting a record is reported with its line, but
// its text is shown only when it is a short plain word: a secret key (40
// characters, as AWS's documentation's example key) or a presigned URL
// logged before "REPORT RequestId:" went into stderr and the dataset's
// problems, 40 characters of it.
func TestQuotedRecordTextNotEchoed(t *testing.T) {
	rest := "REPORT RequestId: 9f5a0c1e-1111-2222-3333-444455556666\tDuration: 12.50 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n"
	log := "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY " + rest +
		"https://b.s3.amazonaws.com/k?X-Amz-Signature=abcdef0123 " + rest
	path := filepath.Join(t.TempDir(), "app.log")
	if err := os.WriteFile(path, []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	d, _, err := ImportFiles([]string{path}, ImportOptions{Function: "f"})
	all := fmt.Sprint(err)
	if d != nil {
		all += strings.Join(d.Problems, "\n")
	}
	for _, secret := range []string{"wJalr", "Signature", "AWS_SECRET"} {
		if strings.Contains(all, secret) {
			t.Errorf("%q echoed: %s", secret, all)
		}
	}
	// "AWS_SECRET_ACCESS_KEY=" + the 40-character key is 62 bytes.
	if !strings.Contains(all, "app.log:1: text of 62 bytes (not shown: it may be data) before \"REPORT RequestId:\"") {
		t.Errorf("the line is not reported: %s", all)
	}
}
