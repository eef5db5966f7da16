package collector

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// ImportOptions configure an Importer.
type ImportOptions struct {
	// Function names every invocation read from logs. When empty, a line's
	// `/aws/lambda/NAME` log-group prefix names it, else the file name
	// without extensions (".log", ".txt", ".json", ".gz").
	Function string
	// Region is written into the dataset (logs do not carry it).
	Region string
	// Architecture of the functions (neither REPORT lines nor metrics
	// say); when empty the dataset records it as unknown (x86_64 assumed).
	Architecture pricing.Architecture
	// MemoryMB is the memory size of functions whose records do not carry
	// it (get-metric-data results, Managed Instances REPORT lines); when 0
	// the dataset records it as unknown. REPORT lines' Memory Size wins.
	MemoryMB int
	// Timeout of the functions; when 0 it is taken from "Task timed out
	// after N seconds" lines, else recorded as unknown.
	Timeout time.Duration
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Progress, when set, is called as input is read (about every 4 MiB
	// and at the end of each file).
	Progress func(Progress)
	// MaxProblemsPerFile caps how many malformed lines of one file are
	// listed individually (default 100); all are counted.
	MaxProblemsPerFile int
}

// Progress reports how far an import or a collection has got.
type Progress struct {
	File     string // file being read (import)
	Done     int64  // bytes read (import) or API calls done (collect)
	Total    int64  // total bytes of all files (import) or calls planned (collect); 0 = unknown
	Phase    string // "import", "functions", "metrics", "logs"
	Unit     string // "bytes" or "calls"
	Finished bool
	// Points and PointsTotal are the GetMetricData datapoints asked for so
	// far and in all (collect's metrics phase); ETA its estimated remaining
	// time from the pace so far.
	Points, PointsTotal int64
	ETA                 time.Duration
}

// ImportStats counts what an import read.
type ImportStats struct {
	Files   int   `json:"files"`
	Bytes   int64 `json:"bytes"` // uncompressed bytes scanned
	Lines   int64 `json:"lines"`
	Reports int64 `json:"reports"`
	// Records counts the other records read: INIT_REPORT, RESTORE_REPORT,
	// timeout lines.
	Records   int64 `json:"records,omitempty"`
	Malformed int64 `json:"malformed"`
	// MetricResults counts get-metric-data results read.
	MetricResults int `json:"metric_results"`
}

// Importer reads exported Lambda logs (text REPORT lines and JSON
// platform.report records, mixed, plain or gzip) and `aws cloudwatch
// get-metric-data` JSON, streaming, and builds a dataset.
type Importer struct {
	opts  ImportOptions
	funcs map[string]*funcAcc
	order []string
	// logs counts each function's log events for its ingestion size.
	logs     map[string]*logBytesAcc
	metrics  *metricSet
	problems []string
	refused  []string // formats refused by name, with where
	// metricNotes are the statistics assumed for get-metric-data labels.
	metricNotes pricing.Assumptions
	// notes are what the import assumed about its inputs (the time zone
	// of a console export).
	notes pricing.Assumptions
	// unconfigured are the functions whose ephemeral storage and
	// provisioned concurrency no input gave (all of an import's).
	unconfigured []string
	stats        ImportStats

	totalBytes, nextProgress int64
	// doneBytes is counted by the file's reader, which may run on the
	// read-ahead goroutine of a compressed file (newAsyncReader).
	doneBytes atomic.Int64
}

// maxLine is the longest line read whole; longer lines are skipped (and
// reported as malformed when they hold a REPORT record).
const maxLine = 1 << 20

// NewImporter returns an importer.
func NewImporter(opts ImportOptions) *Importer {
	if opts.MaxProblemsPerFile <= 0 {
		opts.MaxProblemsPerFile = 100
	}
	return &Importer{opts: opts, funcs: map[string]*funcAcc{}, metrics: newMetricSet()}
}

// ImportFiles reads every file and returns the dataset. A file that cannot
// be opened is an *pricing.InputError naming it; malformed lines and
// corrupt compressed data are problems in the dataset, never fatal.
func ImportFiles(paths []string, opts ImportOptions) (*pricing.Dataset, ImportStats, error) {
	im := NewImporter(opts)
	var errs []error
	for _, p := range paths {
		if p == "-" {
			if opts.Stdin == nil {
				errs = append(errs, pricing.Inputf("-", "standard input is not available"))
			}
			continue
		}
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, pricing.Inputf(p, "%v", unwrapPath(err)))
			continue
		}
		if st.IsDir() {
			errs = append(errs, pricing.Inputf(p, "is a directory (give the log files)"))
			continue
		}
		im.totalBytes += st.Size()
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, ImportStats{}, err
	}
	for _, p := range paths {
		if p == "-" {
			if err := im.Read("stdin", opts.Stdin); err != nil {
				return nil, im.stats, err
			}
			continue
		}
		if err := im.ReadFile(p); err != nil {
			return nil, im.stats, err
		}
	}
	if err := im.NoRecords(paths); err != nil {
		return nil, im.stats, err
	}
	if err := im.MetricPeriodKnown(paths); err != nil {
		return nil, im.stats, err
	}
	if err := im.Duplicates(paths); err != nil {
		return nil, im.stats, err
	}
	return im.Dataset(), im.stats, nil
}

// Duplicates returns an *pricing.InputError when some REPORT record was
// read more than once (the same request id, time and numbers): the inputs
// overlap (one log given twice, an export and a download of the same
// hours), and every such record would be billed twice.
func (im *Importer) Duplicates(paths []string) error {
	var msgs []string
	for _, name := range im.order {
		a := im.funcs[name]
		if n := a.duplicates(); n > 0 {
			msgs = append(msgs, fmt.Sprintf("%s: %d of its %d REPORT records appear more than once (same request id, time and durations)", name, n, a.invocations))
		}
		if a.seenLost {
			im.notes = append(im.notes, pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.invocations", name), Value: fmt.Sprintf("%d REPORT records", a.invocations),
				Why: fmt.Sprintf("records read twice were looked for among the first %d only", maxSeen)})
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return pricing.Inputf(strings.Join(paths, ", "), "%s: the inputs overlap (the same log given twice, or exports whose time ranges overlap) and would be billed twice; give each record once", strings.Join(msgs, "; "))
}

// MetricPeriodKnown returns an *pricing.InputError when get-metric-data
// results were read whose period cannot be told: get-metric-data JSON
// carries neither the query's period nor its window, so both come from
// the gaps between timestamps, and results of one datapoint each (a
// --period as long as the window) have none. Taking a minute for it would
// put a fortnight's invocations into one minute and multiply the month's
// projection by the window's minutes.
func (im *Importer) MetricPeriodKnown(paths []string) error {
	if im.metrics.period > 0 || !im.metrics.hasUsablePoints() || im.metrics.inferPeriod() > 0 {
		return nil
	}
	return pricing.Inputf(strings.Join(paths, ", "), "every get-metric-data result holds at most one datapoint, so their period and the window their counts cover cannot be told (get-metric-data JSON carries neither): run get-metric-data again with a --period shorter than the window (60 for up to 15 days, 3600 for longer)")
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ReadFile reads one file (gzip detected by its magic bytes).
func (im *Importer) ReadFile(path string) error {
	fh, err := os.Open(path)
	if err != nil {
		return pricing.Inputf(path, "%v", unwrapPath(err))
	}
	defer fh.Close()
	return im.Read(path, fh)
}

// Read reads one input stream named name (for messages and default
// function names).
func (im *Importer) Read(name string, r io.Reader) error {
	im.stats.Files++
	cr := &countingReader{r: r, im: im, name: name}
	br := bufio.NewReaderSize(cr, 256<<10)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			im.problem(fmt.Sprintf("%s: corrupt gzip data: %v", name, err))
			return nil
		}
		defer zr.Close()
		ar := newAsyncReader(zr)
		defer ar.Close()
		src = ar
	}
	lr := bufio.NewReaderSize(src, maxLine)
	if u := newUTF16Reader(lr); u != nil {
		lr = bufio.NewReaderSize(u, maxLine)
	}
	head, _ := lr.Peek(8192)
	if isMetricDataJSON(head) {
		err := im.readMetricData(name, lr)
		im.progress(name, true)
		return err
	}
	s := im.newSource(name)
	switch {
	case isJSONDoc(head):
		im.readJSONDocs(s, lr)
	case isInsightsCSV(head):
		im.readInsightsCSV(s, lr)
	default:
		im.readLogs(s, lr)
	}
	s.finish()
	im.progress(name, true)
	return nil
}

// NoRecords returns an *pricing.InputError when nothing at all was read
// from the inputs (empty, binary or unrelated files, or only formats
// refused by name), nil otherwise.
func (im *Importer) NoRecords(paths []string) error {
	if im.stats.Reports > 0 || im.stats.Records > 0 || im.stats.MetricResults > 0 {
		return nil
	}
	msg := fmt.Sprintf("no Lambda records found (REPORT lines, platform.report records, INIT_REPORT, RESTORE_REPORT or timeout lines, or get-metric-data results) in %d file(s), %d line(s) read", im.stats.Files, im.stats.Lines)
	if len(im.refused) > 0 {
		msg += ":\n  " + strings.Join(im.refused, "\n  ")
	} else if len(im.problems) > 0 {
		msg += ":\n  " + strings.Join(im.problems[:min(len(im.problems), 10)], "\n  ")
	}
	return pricing.Inputf(strings.Join(paths, ", "), "%s", msg)
}

func (im *Importer) fn(name string) *funcAcc {
	a := im.funcs[name]
	if a == nil {
		a = &funcAcc{name: name}
		im.funcs[name] = a
		im.order = append(im.order, name)
	}
	return a
}

func (im *Importer) problem(s string) { im.problems = append(im.problems, s) }

// Problems returns the problems found so far (malformed lines with
// file:line, unreadable data).
func (im *Importer) Problems() []string { return im.problems }

// Stats returns the counts so far.
func (im *Importer) Stats() ImportStats { return im.stats }

func (im *Importer) progress(name string, finished bool) {
	if im.opts.Progress == nil {
		return
	}
	im.opts.Progress(Progress{File: name, Done: im.doneBytes.Load(), Total: im.totalBytes, Phase: "import", Unit: "bytes", Finished: finished})
}

type countingReader struct {
	r    io.Reader
	im   *Importer
	name string
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.im.doneBytes.Add(int64(n))
	return n, err
}

// baseName is a file name without directories and the usual extensions.
func baseName(p string) string {
	b := filepath.Base(p)
	for {
		ext := strings.ToLower(filepath.Ext(b))
		switch ext {
		case ".gz", ".log", ".txt", ".json", ".jsonl", ".ndjson", ".csv":
			b = b[:len(b)-len(ext)]
			continue
		}
		break
	}
	if b == "" || b == "-" || b == "." {
		return "function"
	}
	return b
}

// Dataset builds the dataset of everything read so far. Configuration
// the records do not carry (architecture always; memory for metrics and
// Managed Instances; timeout unless "Task timed out" lines give it) comes
// from ImportOptions, else is listed in the function's ConfigUnknown and
// the dataset's Assumptions with Lambda's default, never silently.
func (im *Importer) Dataset() *pricing.Dataset {
	d := &pricing.Dataset{Version: pricing.DatasetVersion, Source: "logs", Region: im.opts.Region}
	var start, end int64
	for _, name := range im.order {
		a := im.funcs[name]
		if a.minT != 0 && (start == 0 || a.minT < start) {
			start = a.minT
		}
		if a.maxT > end {
			end = a.maxT
		}
	}
	if start != 0 {
		d.Start = time.UnixMilli(start).UTC()
		d.End = time.UnixMilli(end).UTC()
		d.Assumptions.Add(pricing.Assumption{Field: "window", Value: d.Start.Format(time.RFC3339) + " – " + d.End.Format(time.RFC3339),
			Why: "from the first and last record read: logs carry no query window"})
	}
	fromLogs := map[string]bool{}
	for _, name := range im.order {
		a := im.funcs[name]
		f, as := a.dataset()
		for _, x := range as {
			d.Assumptions.Add(x)
		}
		if x, ok := a.errorsNote(f.Summary.Errors); ok {
			d.Assumptions.Add(x)
		}
		if x, ok := a.configNote(); ok {
			d.Assumptions.Add(x)
		}
		if a.fromGroup && isEdgeName(name) {
			// Lambda@Edge logs to /aws/lambda/us-east-1.NAME in every Region
			// it runs in; a function's own name cannot hold a '.'.
			f.LambdaEdge = true
			d.Assumptions.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].lambda_edge", name), Value: "true",
				Why: "its log group /aws/lambda/" + name + " is a Lambda@Edge function's (Region prefix, then the name): priced at Lambda@Edge rates"})
		}
		im.configure(&f, a.memMB > 0, a.timeoutUs() > 0, d)
		if a.memMB == 0 {
			// Only records without a memory size (failed INITs): billed at
			// the memory given or assumed.
			f.Summary.BilledGBSeconds = float64(f.Summary.BilledDurationMs) * float64(f.MemoryMB) / (1024 * 1000)
		}
		if x, ok := im.logs[name].logBytes(&f); ok {
			d.Assumptions.Add(x)
		}
		// A throttled request runs no code and writes no log line.
		f.MarkNotMeasured("summary.throttles")
		fromLogs[name] = true
		d.Functions = append(d.Functions, f)
	}
	if len(im.metrics.results) > 0 {
		md := im.metrics.dataset(im.opts.Region)
		if !md.Start.IsZero() {
			d.Assumptions.Add(pricing.Assumption{Field: "window", Value: md.Start.Format(time.RFC3339) + " – " + md.End.Format(time.RFC3339),
				Why: fmt.Sprintf("the get-metric-data results' window: from their first datapoint to the end of their last %d s period (the smallest gap between datapoints); get-metric-data JSON carries neither the query's window nor its period, and CloudWatch omits periods without invocations, so quiet periods at either end of the query are not counted in it", im.metrics.period)})
		}
		if len(d.Functions) == 0 {
			d.Source = "cloudwatch"
			d.Start, d.End = md.Start, md.End
		} else if !md.Start.IsZero() {
			// The window covers both.
			if d.Start.IsZero() || md.Start.Before(d.Start) {
				d.Start = md.Start
			}
			if md.End.After(d.End) {
				d.End = md.End
			}
		}
		for i := range md.Functions {
			f := &md.Functions[i]
			im.metrics.markNotQueried(f)
			if fromLogs[f.Name] {
				continue
			}
			f.FunctionConfig = pricing.FunctionConfig{Name: f.Name}.WithDefaults()
			im.configure(f, false, false, d)
			// The metrics' GB-s at the memory now known (or assumed).
			f.Summary.BilledGBSeconds = float64(f.BilledUsage().OnDemandMs) * float64(f.MemoryMB) / (1024 * 1000)
		}
		d.Functions = mergeFunctions(d.Functions, md.Functions)
		d.Problems = append(d.Problems, md.Problems...)
		for _, x := range im.metricNotes {
			d.Assumptions.Add(x)
		}
	}
	if len(im.unconfigured) > 0 {
		d.Assumptions.Add(pricing.Assumption{Field: "ephemeral_storage_mb, provisioned_concurrency", Value: "512 MB, none",
			Why: fmt.Sprintf("Lambda's defaults: logs and get-metric-data carry neither, so the bill of %s has no ephemeral storage above 512 MB and no provisioned concurrency (listed in config_unknown); collect reads both from the function's configuration", strings.Join(im.unconfigured, ", "))})
		im.unconfigured = nil
	}
	for _, x := range im.notes {
		d.Assumptions.Add(x)
	}
	sort.SliceStable(d.Functions, func(i, j int) bool { return d.Functions[i].Name < d.Functions[j].Name })
	d.Problems = append(im.problems, d.Problems...)
	return d
}

// isEdgeName: a log group's function part "us-east-1.NAME", the way
// Lambda@Edge names its log groups (Lambda function names hold only
// letters, digits, '-' and '_', so a '.' after a Region code is Edge's).
func isEdgeName(name string) bool {
	region, fn, ok := strings.Cut(name, ".")
	if !ok || fn == "" || len(region) < 9 {
		return false
	}
	parts := strings.Split(region, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	for _, c := range parts[len(parts)-1] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// configure fills f's configuration from the options where the records
// did not give it, and records what stays unknown.
func (im *Importer) configure(f *pricing.DatasetFunction, memKnown, timeoutKnown bool, d *pricing.Dataset) {
	def := pricing.FunctionConfig{}.WithDefaults()
	unknown := func(field, value, why string) {
		f.ConfigUnknown = append(f.ConfigUnknown, field)
		d.Assumptions.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].%s", f.Name, field), Value: value, Why: why})
	}
	switch {
	case memKnown:
		if im.opts.MemoryMB > 0 && im.opts.MemoryMB != f.MemoryMB {
			im.problem(fmt.Sprintf("%s: --memory %d ignored: its REPORT lines say Memory Size %d MB", f.Name, im.opts.MemoryMB, f.MemoryMB))
		}
	case im.opts.MemoryMB > 0:
		f.MemoryMB = im.opts.MemoryMB
	default:
		f.MemoryMB = def.MemoryMB
		unknown("memory_mb", fmt.Sprintf("%d MB", def.MemoryMB), "Lambda's default: the records do not carry the memory size; pass --memory")
	}
	if im.opts.Architecture != "" {
		f.Architecture = im.opts.Architecture
	} else {
		f.Architecture = def.Architecture
		unknown("architecture", string(def.Architecture), "Lambda's default: logs and metrics do not say; pass --arch")
	}
	switch {
	case im.opts.Timeout > 0:
		// The flag is used; records that contradict it are listed.
		switch maxMs := f.Summary.DurationMs.Max; {
		case timeoutKnown && f.Timeout.D() != im.opts.Timeout:
			im.problem(fmt.Sprintf("%s: --timeout %s used, but its timed-out invocations in the records say %s", f.Name, im.opts.Timeout, f.Timeout))
		case maxMs > float64(im.opts.Timeout)/float64(time.Millisecond):
			im.problem(fmt.Sprintf("%s: --timeout %s used, but its longest invocation in the records ran %.2f ms, which that timeout would have stopped", f.Name, im.opts.Timeout, maxMs))
		}
		f.Timeout = pricing.Duration(im.opts.Timeout)
	case timeoutKnown:
	case f.Summary.DurationMs.Max > float64(def.Timeout.D()/time.Millisecond):
		// Lambda's default would have stopped the longest invocation: the
		// timeout is at least that long (whole seconds), not the default.
		least := time.Duration(math.Ceil(f.Summary.DurationMs.Max/1000)) * time.Second
		f.Timeout = pricing.Duration(min(least, pricing.MaxTimeout))
		unknown("timeout", "at least "+f.Timeout.String(), fmt.Sprintf("the records do not carry the timeout, and the longest invocation ran %.2f ms, longer than Lambda's default %s: the timeout is at least that, to the whole second; pass --timeout", f.Summary.DurationMs.Max, def.Timeout))
	default:
		f.Timeout = def.Timeout
		unknown("timeout", def.Timeout.String(), "Lambda's default: the records do not carry the timeout; pass --timeout")
	}
	// Billed configuration no record carries: ephemeral storage above
	// 512 MB is billed per GB-s, provisioned concurrency per hour (and its
	// invocations at its own duration rate). Logs and get-metric-data say
	// nothing of either, so the bill has neither, and says so.
	f.ConfigUnknown = append(f.ConfigUnknown, "ephemeral_storage_mb", "provisioned_concurrency")
	im.unconfigured = append(im.unconfigured, f.Name)
}

// mergeFunctions adds metric-derived functions to log-derived ones; a
// function present in both keeps its log summary (exact) and gains the
// metric series if it has none.
func mergeFunctions(logs, metrics []pricing.DatasetFunction) []pricing.DatasetFunction {
	idx := map[string]int{}
	for i, f := range logs {
		idx[f.Name] = i
	}
	for _, m := range metrics {
		if i, ok := idx[m.Name]; ok {
			if logs[i].Series == nil {
				logs[i].Series = m.Series
				// The series' gaps come along with them (null, never 0).
				for _, p := range m.Missing {
					if strings.HasPrefix(p, "series.") {
						logs[i].Missing = append(logs[i].Missing, p)
					}
				}
			}
			if !logs[i].Measured("summary.throttles") && (m.Measured("summary.throttles") || slices.Contains(m.Missing, "summary.throttles")) {
				// The metrics' Throttles stand for the logs' (which have none).
				logs[i].MarkMeasured("summary.throttles")
				logs[i].Summary.Throttles = m.Summary.Throttles
				if slices.Contains(m.Missing, "summary.throttles") {
					logs[i].Missing = append(logs[i].Missing, "summary.throttles")
				}
			}
			continue
		}
		logs = append(logs, m)
	}
	return logs
}

// asyncReader reads its source in a goroutine, a chunk ahead, so that
// decompression and parsing use two cores.
type asyncReader struct {
	full  chan chunk
	free  chan []byte
	done  chan struct{}
	cur   []byte
	back  []byte
	err   error
	close sync.Once
}

type chunk struct {
	b   []byte
	err error
}

const asyncChunk = 1 << 20

func newAsyncReader(r io.Reader) *asyncReader {
	a := &asyncReader{full: make(chan chunk, 2), free: make(chan []byte, 3), done: make(chan struct{})}
	for range 3 {
		a.free <- make([]byte, asyncChunk)
	}
	go func() {
		defer close(a.full)
		for {
			var buf []byte
			select {
			case buf = <-a.free:
			case <-a.done:
				return
			}
			n := 0
			var err error
			for n < len(buf) && err == nil {
				var k int
				k, err = r.Read(buf[n:])
				n += k
			}
			select {
			case a.full <- chunk{buf[:n], err}:
			case <-a.done:
				return
			}
			if err != nil {
				return
			}
		}
	}()
	return a
}

func (a *asyncReader) Read(p []byte) (int, error) {
	for len(a.cur) == 0 {
		if a.err != nil {
			return 0, a.err
		}
		if a.back != nil {
			a.free <- a.back[:cap(a.back)]
			a.back = nil
		}
		c, ok := <-a.full
		if !ok {
			return 0, io.EOF
		}
		a.cur, a.back, a.err = c.b, c.b, c.err
	}
	n := copy(p, a.cur)
	a.cur = a.cur[n:]
	return n, nil
}

// Close stops the reading goroutine.
func (a *asyncReader) Close() error {
	a.close.Do(func() { close(a.done) })
	return nil
}
