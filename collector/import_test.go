package collector

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func corpus(name string) string { return filepath.Join("..", "testdata", "logs", name) }

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func findFn(t *testing.T, d *pricing.Dataset, name string) pricing.DatasetFunction {
	t.Helper()
	for _, f := range d.Functions {
		if f.Name == name {
			return f
		}
	}
	t.Fatalf("function %q not in dataset (have %d functions)", name, len(d.Functions))
	return pricing.DatasetFunction{}
}

// The expected numbers below were worked out by hand from the corpus lines
// (see the comments), not taken from the importer's output.
func TestImportCorpus(t *testing.T) {
	d, st, err := ImportFiles([]string{corpus("checkout-api.log"), corpus("orders.json.log")}, ImportOptions{Region: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if st.Reports != 12 || st.Malformed != 4 || st.Lines != 19+12 || st.Files != 2 {
		t.Errorf("stats = %+v, want 12 reports, 4 malformed, 31 lines, 2 files", st)
	}
	if d.Source != "logs" || d.Region != "eu-west-1" || d.Version != pricing.DatasetVersion {
		t.Errorf("header = %q %q %d", d.Source, d.Region, d.Version)
	}
	if len(d.Functions) != 3 {
		t.Fatalf("functions = %d, want 3 (checkout-api, orders, payments)", len(d.Functions))
	}

	// checkout-api: durations 120.50 80.01 45.00 3000.00 12.34 99.99 1.00
	c := findFn(t, d, "checkout-api")
	cs := c.Summary
	if cs.Invocations != 7 || cs.Errors != 2 || cs.Timeouts != 1 || cs.ColdStarts != 2 {
		t.Errorf("checkout-api counts = %d inv %d err %d timeouts %d cold", cs.Invocations, cs.Errors, cs.Timeouts, cs.ColdStarts)
	}
	// 421+81+45+3000+13+350+1
	if cs.BilledDurationMs != 3911 {
		t.Errorf("billed ms = %d, want 3911", cs.BilledDurationMs)
	}
	// 3911 ms × 512 MB / 1024 / 1000
	if !near(cs.BilledGBSeconds, 1.9555) {
		t.Errorf("GB-s = %v, want 1.9555", cs.BilledGBSeconds)
	}
	want := pricing.DurationSet{Avg: 3358.84 / 7, P50: 80.01, P90: 3000, P99: 3000, Max: 3000}
	got := cs.DurationMs
	if !near(got.Avg, want.Avg) || !near(got.P50, want.P50) || !near(got.P90, want.P90) || !near(got.P99, want.P99) || !near(got.Max, want.Max) {
		t.Errorf("durations = %+v, want %+v", got, want)
	}
	if !near(cs.InitDurationMs.Avg, 275.125) || !near(cs.InitDurationMs.P99, 300.25) {
		t.Errorf("init = %+v, want avg 275.125 p99 300.25", cs.InitDurationMs)
	}
	if cs.MaxMemoryUsedMB != 120 || c.MemoryMB != 512 {
		t.Errorf("memory = %d used of %d", cs.MaxMemoryUsedMB, c.MemoryMB)
	}
	// Series by invocation start minute: 10:00 holds 3; 10:01 holds the
	// timeout (10:01:07), the error and the cold start that ended at
	// 10:02:00.000 after 350 ms. The line without a timestamp is in the
	// summary only.
	s := c.Series
	if s == nil || s.PeriodS != 60 || !s.Start.Equal(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("series = %+v", s)
	}
	// No two checkout-api invocations overlap: one at a time.
	if !slices.Equal(s.Invocations, []float64{3, 3}) || !slices.Equal(s.Errors, []float64{0, 2}) || !slices.Equal(s.ConcurrencyMax, []float64{1, 1}) {
		t.Errorf("series invocations %v errors %v, want [3 3] [0 2]", s.Invocations, s.Errors)
	}
	if len(s.DurationAvgMs) != 2 || !near(s.DurationAvgMs[0], 245.51/3) || !near(s.DurationAvgMs[1], 3112.33/3) {
		t.Errorf("series durations %v", s.DurationAvgMs)
	}

	// orders (JSON records): 11.642 (cold, init 174.055) 5.5 3000 (timeout) 2.25 (failure)
	o := findFn(t, d, "orders")
	os := o.Summary
	if os.Invocations != 4 || os.Errors != 2 || os.Timeouts != 1 || os.ColdStarts != 1 || os.BilledDurationMs != 186+6+3000+3 {
		t.Errorf("orders summary = %+v", os)
	}
	if !near(os.DurationMs.Avg, 3019.392/4) || !near(os.DurationMs.P50, 5.5) || !near(os.DurationMs.P90, 3000) || !near(os.InitDurationMs.Avg, 174.055) {
		t.Errorf("orders durations = %+v init %+v", os.DurationMs, os.InitDurationMs)
	}
	if !near(os.BilledGBSeconds, 0.399375) || os.MaxMemoryUsedMB != 72 || o.MemoryMB != 128 {
		t.Errorf("orders GB-s %v mem %d/%d", os.BilledGBSeconds, os.MaxMemoryUsedMB, o.MemoryMB)
	}
	// payments: named by its /aws/lambda/ log-group prefix.
	p := findFn(t, d, "payments")
	if p.Summary.Invocations != 1 || p.Summary.BilledDurationMs != 100 || !near(p.Summary.BilledGBSeconds, 0.1) || p.MemoryMB != 1024 {
		t.Errorf("payments = %+v", p)
	}

	// The window: from the first invocation's start (10:00:00.520 − 421 ms)
	// to the last record (11:03:00).
	if !d.Start.Equal(time.Date(2026, 11, 2, 10, 0, 0, 99e6, time.UTC)) || !d.End.Equal(time.Date(2026, 11, 2, 11, 3, 0, 0, time.UTC)) {
		t.Errorf("window %s – %s", d.Start, d.End)
	}

	// Malformed lines are listed with file:line.
	for _, w := range []string{"checkout-api.log:17: REPORT field Duration", "checkout-api.log:18: REPORT field", "orders.json.log:10: platform.report record", "orders.json.log:11: platform.report record"} {
		if !slices.ContainsFunc(d.Problems, func(p string) bool { return strings.Contains(p, w) }) {
			t.Errorf("problems lack %q:\n%s", w, strings.Join(d.Problems, "\n"))
		}
	}
	if len(d.Problems) != 4 {
		t.Errorf("problems = %d, want 4:\n%s", len(d.Problems), strings.Join(d.Problems, "\n"))
	}
	if errs := d.Validate("dataset"); len(errs) != 0 {
		t.Errorf("dataset does not validate: %v", errs)
	}

	golden(t, filepath.Join("..", "testdata", "logs", "corpus.golden.json"), d)
}

func golden(t *testing.T, path string, d *pricing.Dataset) {
	t.Helper()
	var buf bytes.Buffer
	if err := pricing.WriteDataset(&buf, d); err != nil {
		t.Fatal(err)
	}
	// Paths differ by OS; keep the golden file portable.
	got := bytes.ReplaceAll(buf.Bytes(), []byte(filepath.ToSlash(filepath.Join("..", "testdata"))), []byte("testdata"))
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (run go test ./collector -update and review the diff):\n%s", path, got)
	}
	// And it reads back.
	if _, err := pricing.DecodeDataset(path, bytes.NewReader(got)); err != nil {
		t.Errorf("dataset does not read back: %v", err)
	}
}

// Gzip is detected by its magic bytes, whatever the file is called, and
// several files add up: the gzipped one is the same log a day later, its
// undated REPORT another request (a log given twice is refused:
// TestImportOverlapRefused).
func TestImportGzipAndSeveralFiles(t *testing.T) {
	plain, err := os.ReadFile(corpus("checkout-api.log"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	gz := filepath.Join(dir, "checkout-api.log") // no .gz: detection by content
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	next := bytes.ReplaceAll(plain, []byte("2026-11-02"), []byte("2026-11-03"))
	zw.Write(bytes.ReplaceAll(next, []byte("000000000007"), []byte("000000000017"))) // the one undated REPORT
	zw.Close()
	if err := os.WriteFile(gz, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	d, st, err := ImportFiles([]string{gz, corpus("checkout-api.log")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 1 {
		t.Fatalf("functions = %d, want 1", len(d.Functions))
	}
	s := d.Functions[0].Summary
	if s.Invocations != 14 || s.BilledDurationMs != 2*3911 || s.ColdStarts != 4 || st.Malformed != 4 {
		t.Errorf("two copies: %d inv, %d billed ms, %d cold, %d malformed; want 14, 7822, 4, 4", s.Invocations, s.BilledDurationMs, s.ColdStarts, st.Malformed)
	}
	if st.Bytes != 2*int64(len(plain)) {
		t.Errorf("scanned %d bytes, want %d", st.Bytes, 2*len(plain))
	}
}

func TestImportFunctionOverrideAndErrors(t *testing.T) {
	d, _, err := ImportFiles([]string{corpus("orders.json.log")}, ImportOptions{Function: "all"})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 1 || d.Functions[0].Name != "all" || d.Functions[0].Summary.Invocations != 5 {
		t.Errorf("--function override: %+v", d.Functions)
	}
	_, _, err = ImportFiles([]string{"does-not-exist.log", t.TempDir()}, ImportOptions{})
	if !pricing.IsInput(err) || !strings.Contains(err.Error(), "does-not-exist.log") || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("missing file error = %v", err)
	}
}

// A truncated gzip stream and over-long lines are problems, not failures.
func TestImportDamagedInput(t *testing.T) {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	for i := 0; i < 2000; i++ {
		zw.Write([]byte("REPORT RequestId: x\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\n"))
	}
	zw.Close()
	trunc := b.Bytes()[:b.Len()/2]
	long := "2026-11-02T10:00:00.000Z REPORT RequestId: y\tDuration: 1.00 ms\t" + strings.Repeat("x", maxLine+10) + "\n" +
		strings.Repeat("app log ", maxLine/4) + "\n" +
		"REPORT RequestId: z\tDuration: 2.00 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\n"
	im := NewImporter(ImportOptions{Function: "f"})
	if err := im.Read("trunc.gz", bytes.NewReader(trunc)); err != nil {
		t.Fatal(err)
	}
	if err := im.Read("long.log", strings.NewReader(long)); err != nil {
		t.Fatal(err)
	}
	d := im.Dataset()
	n := d.Functions[0].Summary.Invocations
	if n < 1 || n >= 2001 {
		t.Errorf("invocations = %d, want some of the truncated file plus 1", n)
	}
	joined := strings.Join(d.Problems, "\n")
	if !strings.Contains(joined, "trunc.gz:") || !strings.Contains(joined, "long.log:1: line longer than") || strings.Contains(joined, "long.log:2") {
		t.Errorf("problems:\n%s", joined)
	}
	// Line numbering continues correctly after over-long lines.
	if im.Stats().Lines < 3 {
		t.Errorf("lines = %d", im.Stats().Lines)
	}
}

func TestParseNumbersAndTimes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"128.83", 128830, true}, {"11.642", 11642, true}, {"12", 12000, true}, {"0.5", 500, true},
		{"1.2345", 1235, true}, {"1.2344", 1234, true}, {"3000.0", 3000000, true},
		{"", 0, false}, {"abc", 0, false}, {"1.", 0, false}, {".5", 0, false}, {"-1", 0, false}, {"1e3", 0, false},
	} {
		got, err := parseMicros([]byte(c.in))
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseMicros(%q) = %d, %v; want %d ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
	for _, c := range []string{
		"2024-05-20T16:29:45.022Z", "2024-05-20T16:29:45.022000+00:00", "2024-05-20T18:29:45.022+02:00",
		"2024-05-20T11:29:45.022-05:00", "2024-05-20 16:29:45.022Z", "1999-12-31T23:59:59Z", "2028-02-29T00:00:00Z",
	} {
		ms, ok := parseRFC3339Ms([]byte(c))
		ref, err := time.Parse(time.RFC3339Nano, strings.Replace(c, " ", "T", 1))
		if !ok || err != nil || ms != ref.UnixMilli() {
			t.Errorf("parseRFC3339Ms(%q) = %d %v, want %d", c, ms, ok, ref.UnixMilli())
		}
	}
	for _, c := range []string{"2024-13-01T00:00:00Z", "2024-05-20T16:29:45", "not a time at all....", "2024-05-20T16:29:45.Z"} {
		if _, ok := parseRFC3339Ms([]byte(c)); ok {
			t.Errorf("parseRFC3339Ms(%q) accepted", c)
		}
	}
}

// Percentiles are exact up to ExactSamples samples, and within the stated
// relative error (1/2048) of the true nearest-rank order statistic beyond.
func TestDistributionError(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var d Distribution
	var all []int64
	for i := 0; i < 3*ExactSamples; i++ {
		v := int64(math.Exp(r.NormFloat64()*1.5+11)) + int64(r.IntN(3000)) // µs, heavy tail
		d.Add(v)
		all = append(all, v)
	}
	slices.Sort(all)
	for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999, 1} {
		rank := int(math.Ceil(q * float64(len(all))))
		truth := float64(all[rank-1])
		got := d.Quantile(q)
		if math.Abs(got-truth) > truth/2048+0.5 {
			t.Errorf("q%.3f = %v, truth %v (error %.5f%%)", q, got, truth, 100*math.Abs(got-truth)/truth)
		}
	}
	var sum int64
	for _, v := range all {
		sum += v
	}
	if d.Sum() != sum || d.N() != int64(len(all)) || d.Max() != all[len(all)-1] {
		t.Errorf("sum/n/max not exact")
	}
	// Bucket arithmetic is consistent.
	for _, v := range []int64{0, 1, 2047, 2048, 2049, 4095, 4096, 123456789, 1 << 40} {
		lo, w := bucketRange(bucketOf(v))
		if v < lo || v >= lo+w || (v >= 2048 && float64(w) > float64(v)/1024) {
			t.Errorf("value %d in bucket [%d,%d)", v, lo, lo+w)
		}
	}
}

func TestImportProgress(t *testing.T) {
	var calls []Progress
	_, _, err := ImportFiles([]string{corpus("checkout-api.log")}, ImportOptions{Progress: func(p Progress) { calls = append(calls, p) }})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(corpus("checkout-api.log"))
	if len(calls) == 0 || !calls[len(calls)-1].Finished || calls[len(calls)-1].Done != st.Size() || calls[len(calls)-1].Total != st.Size() {
		t.Errorf("progress = %+v, want a final call with %d of %d bytes", calls, st.Size(), st.Size())
	}
}

// `aws cloudwatch get-metric-data` output (descending timestamps, zeros
// omitted, a PartialData result, an unattributable label). Expected values
// worked out from the fixture by hand.
func TestImportMetricData(t *testing.T) {
	path := filepath.Join("..", "testdata", "cloudwatch", "get-metric-data.json")
	d, st, err := ImportFiles([]string{path}, ImportOptions{Region: "us-east-1"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Source != "cloudwatch" || len(d.Functions) != 2 || st.MetricResults != 9 || st.Malformed != 1 {
		t.Fatalf("source %s, %d functions, %+v", d.Source, len(d.Functions), st)
	}
	c := findFn(t, d, "checkout-api")
	s := c.Summary
	// Invocations 3+7+5; Duration average and p99 weighted by invocations:
	// (3·80 + 7·100 + 5·120)/15 and (3·200 + 7·250 + 5·300)/15.
	if s.Invocations != 15 || s.Errors != 1 || s.ConcurrencyMax != 4 || !near(s.DurationMs.Avg, 1540.0/15) || !near(s.DurationMs.P99, 3850.0/15) || s.DurationMs.Max != 450 {
		t.Errorf("checkout-api summary = %+v", s)
	}
	// 15 × ⌈102.67⌉ ms × 128 MB (no configuration known: Lambda's default).
	if c.MemoryMB != 128 || !near(s.BilledGBSeconds, 15*103*128/1024000.0) {
		t.Errorf("checkout-api memory %d, GB-s %v", c.MemoryMB, s.BilledGBSeconds)
	}
	sr := c.Series
	if sr == nil || sr.PeriodS != 60 || !sr.Start.Equal(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)) ||
		!slices.Equal(sr.Invocations, []float64{3, 7, 5}) || !slices.Equal(sr.DurationAvgMs, []float64{80, 100, 120}) ||
		!slices.Equal(sr.ConcurrencyMax, []float64{2, 4, 3}) || !slices.Equal(sr.Errors, []float64{0, 1, 0}) {
		t.Errorf("checkout-api series = %+v", sr)
	}
	// orders: the missing minute is a zero; its Duration Average ended
	// PartialData, so the average and its series are missing (null in the
	// file), not computed from part of the window.
	o := findFn(t, d, "orders")
	if o.Summary.Invocations != 6 || o.Summary.DurationMs.Avg != 0 || !slices.Equal(o.Series.Invocations, []float64{2, 0, 4}) || o.Series.DurationAvgMs != nil ||
		!slices.Equal(o.Missing, []string{"summary.duration_ms.avg", "series.duration_avg_ms", "summary.billed_gb_seconds"}) {
		t.Errorf("orders = %+v %+v, missing %v", o.Summary, o.Series, o.Missing)
	}
	if !d.Start.Equal(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)) || !d.End.Equal(time.Date(2026, 11, 2, 10, 3, 0, 0, time.UTC)) {
		t.Errorf("window %s – %s", d.Start, d.End)
	}
	joined := strings.Join(d.Problems, "\n")
	if !strings.Contains(joined, `MetricDataResults[8] (Id "m1", Label "Invocations"): cannot tell function`) ||
		!strings.Contains(joined, "orders Duration Average: status PartialData MaxQueryTimeRangeExceed: Only part of the requested range was returned") {
		t.Errorf("problems:\n%s", joined)
	}
	// With --function, a bare metric label is that function's.
	d, _, err = ImportFiles([]string{path}, ImportOptions{Function: "solo"})
	if err != nil || len(d.Functions) != 3 || findFn(t, d, "solo").Summary.Invocations != 9 {
		t.Errorf("--function: %v %+v", err, d.Functions)
	}
	golden(t, filepath.Join("..", "testdata", "cloudwatch", "get-metric-data.golden.json"), d)
}

// Logs and metrics in one import: a function in both keeps the exact log
// summary and gains the metric series.
func TestImportLogsAndMetrics(t *testing.T) {
	d, _, err := ImportFiles([]string{corpus("checkout-api.log"), filepath.Join("..", "testdata", "cloudwatch", "get-metric-data.json")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := findFn(t, d, "checkout-api")
	if d.Source != "logs" || c.Summary.Invocations != 7 || c.Summary.BilledDurationMs != 3911 || len(d.Functions) != 2 {
		t.Errorf("merged: %s %+v", d.Source, c.Summary)
	}
	// The window spans the logs (from 10:00:00.099) and the metrics (to 10:03).
	if !d.Start.Equal(time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)) || !d.End.Equal(time.Date(2026, 11, 2, 10, 3, 0, 0, time.UTC)) {
		t.Errorf("window %s – %s", d.Start, d.End)
	}
}

// `aws logs filter-log-events` output: messages are log lines, event
// timestamps date them. Expected values from the fixture by hand.
func TestImportFilterLogEvents(t *testing.T) {
	d, st, err := ImportFiles([]string{corpus("inventory.json")}, ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 1 || st.Reports != 3 || st.Malformed != 1 || st.Lines != 5 {
		t.Fatalf("%d functions, stats %+v", len(d.Functions), st)
	}
	f := d.Functions[0]
	s := f.Summary
	// Billed 110 + 21 + 31 ms at 256 MB; durations 10, 20.5, 30.25 ms.
	if f.Name != "inventory" || s.Invocations != 3 || s.ColdStarts != 1 || s.Timeouts != 1 || s.Errors != 1 || s.BilledDurationMs != 162 ||
		!near(s.BilledGBSeconds, 162*256/1024000.0) || !near(s.DurationMs.Avg, 20.25) || s.MaxMemoryUsedMB != 60 || !near(s.InitDurationMs.Avg, 100) {
		t.Errorf("inventory = %s %+v", f.Name, s)
	}
	// By start minute: the cold one ended at 10:00:00.000 after 110 ms, so
	// it started in 09:59; the others started in 10:00.
	if f.Series == nil || !f.Series.Start.Equal(time.Date(2026, 11, 2, 9, 59, 0, 0, time.UTC)) || !slices.Equal(f.Series.Invocations, []float64{1, 2}) {
		t.Errorf("series = %+v", f.Series)
	}
	if len(d.Problems) != 1 || !strings.Contains(d.Problems[0], "inventory.json: events[4]: REPORT line lacks Memory Size and Max Memory Used") {
		t.Errorf("problems = %q", d.Problems)
	}
}

// Peak concurrency per minute from the invocation intervals [end −
// duration, end), whatever order the records come in. By hand:
//
//	A [10:00:05, 10:00:10)  B [10:00:06, 10:00:08)  C [10:00:10, 10:00:12)
//	D [10:00:20, 10:01:30)  E [10:01:04, 10:01:05)
//
// Minute 10:00: A and B overlap (2); C starts as A ends (no overlap); D
// alone. Minute 10:01: D and E overlap (2). Invocations by start minute: 4, 1.
func TestImportConcurrency(t *testing.T) {
	line := func(end string, ms int) string {
		return fmt.Sprintf("2026-11-02T%sZ REPORT RequestId: r\tDuration: %d.00 ms\tBilled Duration: %d ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n", end, ms, ms)
	}
	log := line("10:01:05.000", 1000) + line("10:00:08.000", 2000) + line("10:01:30.000", 70000) + line("10:00:10.000", 5000) + line("10:00:12.000", 2000)
	im := NewImporter(ImportOptions{Function: "f"})
	if err := im.Read("c.log", strings.NewReader(log)); err != nil {
		t.Fatal(err)
	}
	f := im.Dataset().Functions[0]
	if !slices.Equal(f.Series.Invocations, []float64{4, 1}) || !slices.Equal(f.Series.ConcurrencyMax, []float64{2, 2}) || f.Summary.ConcurrencyMax != 2 {
		t.Errorf("series %+v, peak %v", f.Series, f.Summary.ConcurrencyMax)
	}
	// Back to back in the same environment: one at a time.
	log = line("10:00:01.000", 1000) + line("10:00:02.000", 1000) + line("10:00:03.000", 1000)
	im = NewImporter(ImportOptions{Function: "f"})
	im.Read("b.log", strings.NewReader(log))
	if f := im.Dataset().Functions[0]; !slices.Equal(f.Series.ConcurrencyMax, []float64{1}) {
		t.Errorf("back to back: %v", f.Series.ConcurrencyMax)
	}
}
