package collector

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
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
	// Architecture of the functions read from logs (REPORT lines do not
	// say); default x86_64.
	Architecture pricing.Architecture
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
}

// ImportStats counts what an import read.
type ImportStats struct {
	Files     int   `json:"files"`
	Bytes     int64 `json:"bytes"` // uncompressed bytes scanned
	Lines     int64 `json:"lines"`
	Reports   int64 `json:"reports"`
	Malformed int64 `json:"malformed"`
	// MetricResults counts get-metric-data results read.
	MetricResults int `json:"metric_results"`
}

// Importer reads exported Lambda logs (text REPORT lines and JSON
// platform.report records, mixed, plain or gzip) and `aws cloudwatch
// get-metric-data` JSON, streaming, and builds a dataset.
type Importer struct {
	opts     ImportOptions
	funcs    map[string]*funcAcc
	order    []string
	metrics  *metricSet
	problems []string
	stats    ImportStats

	totalBytes, doneBytes, nextProgress int64
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
	return im.Dataset(), im.stats, nil
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
	head, _ := lr.Peek(8192)
	if isLogEventsJSON(head) {
		im.readLogEvents(name, lr)
		im.progress(name, true)
		return nil
	}
	if isMetricDataJSON(head) {
		err := im.readMetricData(name, lr)
		im.progress(name, true)
		return err
	}
	im.readLogs(name, lr)
	im.progress(name, true)
	return nil
}

func (im *Importer) readLogs(name string, lr *bufio.Reader) {
	defName := im.opts.Function
	if defName == "" {
		defName = baseName(name)
	}
	var (
		rep        report
		lineNo     int64
		malformed  int64
		listed     int
		skipping   bool // inside an over-long line
		longHasRep bool
	)
	bad := func(msg string) {
		malformed++
		if listed < im.opts.MaxProblemsPerFile {
			listed++
			im.problem(fmt.Sprintf("%s:%d: %s", name, lineNo, msg))
		}
	}
	cur := (*funcAcc)(nil)
	curName := ""
	for {
		line, err := lr.ReadSlice('\n')
		if len(line) > 0 || err == nil {
			if !skipping {
				lineNo++
				im.stats.Lines++
			}
			im.stats.Bytes += int64(len(line))
			if err == bufio.ErrBufferFull {
				// An over-long line: look for a record marker in what fits,
				// then skip to its end.
				if !skipping {
					longHasRep = bytes.Contains(line, textMarker) || bytes.Contains(line, jsonMarker)
				}
				skipping = true
				continue
			}
			if skipping {
				skipping = false
				if longHasRep {
					bad(fmt.Sprintf("line longer than %d bytes skipped", lr.Size()))
				}
				if err != nil {
					break
				}
				continue
			}
			for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
				line = line[:len(line)-1]
			}
			perr := parseLine(line, &rep)
			switch {
			case perr == nil:
				im.stats.Reports++
				fn := defName
				var acc *funcAcc
				if rep.Function != nil && im.opts.Function == "" {
					acc = im.funcs[string(rep.Function)] // no allocation for the lookup
					if acc == nil {
						acc = im.fn(string(rep.Function))
					}
				} else {
					if cur == nil || curName != fn {
						cur, curName = im.fn(fn), fn
					}
					acc = cur
				}
				acc.add(&rep)
			case errors.Is(perr, errNotReport):
			default:
				bad(perr.Error())
			}
		}
		if err != nil {
			if err != io.EOF {
				bad(fmt.Sprintf("read error: %v (rest of file skipped)", err))
			}
			break
		}
		if im.doneBytes >= im.nextProgress {
			im.nextProgress = im.doneBytes + 4<<20
			im.progress(name, false)
		}
	}
	im.stats.Malformed += malformed
	if malformed > int64(listed) {
		im.problem(fmt.Sprintf("%s: %d malformed lines in all (first %d listed)", name, malformed, listed))
	}
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
	im.opts.Progress(Progress{File: name, Done: im.doneBytes, Total: im.totalBytes, Phase: "import", Unit: "bytes", Finished: finished})
}

type countingReader struct {
	r    io.Reader
	im   *Importer
	name string
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.im.doneBytes += int64(n)
	return n, err
}

// baseName is a file name without directories and the usual extensions.
func baseName(p string) string {
	b := filepath.Base(p)
	for {
		ext := strings.ToLower(filepath.Ext(b))
		switch ext {
		case ".gz", ".log", ".txt", ".json", ".jsonl", ".ndjson":
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

// Dataset builds the dataset of everything read so far.
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
	}
	for _, name := range im.order {
		f := im.funcs[name].dataset()
		if im.opts.Architecture != "" {
			f.Architecture = im.opts.Architecture
		}
		d.Functions = append(d.Functions, f)
	}
	if len(im.metrics.results) > 0 {
		md := im.metrics.dataset(im.opts.Region)
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
		d.Functions = mergeFunctions(d.Functions, md.Functions)
		d.Problems = append(d.Problems, md.Problems...)
	}
	sort.SliceStable(d.Functions, func(i, j int) bool { return d.Functions[i].Name < d.Functions[j].Name })
	d.Problems = append(im.problems, d.Problems...)
	return d
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
			if logs[i].Summary.Throttles == 0 {
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

// funcAcc accumulates one function's invocations from log records.
type funcAcc struct {
	name        string
	invocations int64
	errors      int64
	timeouts    int64
	cold        int64
	billedMs    int64
	mbMs        int64 // Σ billed ms × memory MB, exact
	memMB       int64
	maxMemUsed  int64
	dur         Distribution
	init        Distribution
	minT, maxT  int64

	// per-minute series, indexed from baseMin
	baseMin int64
	inv     []int64
	durSum  []int64
	errs    []int64
	// conc holds per minute the start/end events of invocations (see
	// addInterval) for the exact peak concurrency.
	conc       [][]int32
	concEvents int
	concLost   bool
}

func (a *funcAcc) add(r *report) {
	a.invocations++
	switch r.Status {
	case statusTimeout:
		a.timeouts++
		a.errors++
	case statusError:
		a.errors++
	}
	a.billedMs += r.BilledMs
	a.mbMs += r.BilledMs * r.MemorySizeMB
	a.memMB = r.MemorySizeMB
	if r.MaxMemoryMB > a.maxMemUsed {
		a.maxMemUsed = r.MaxMemoryMB
	}
	a.dur.Add(r.DurationUs)
	if r.Cold {
		a.cold++
		a.init.Add(r.InitDurationUs)
	}
	if r.TimeMs != 0 {
		// The record is written at the end; CloudWatch files an invocation
		// under its start.
		startMs := r.TimeMs - (r.DurationUs+r.InitDurationUs+999)/1000
		if a.minT == 0 || startMs < a.minT {
			a.minT = startMs
		}
		if r.TimeMs > a.maxT {
			a.maxT = r.TimeMs
		}
		a.addSeries(floorDiv(startMs, 60_000), r)
		a.addInterval(startMs, r.TimeMs)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (a *funcAcc) addSeries(minute int64, r *report) {
	i := a.slot(minute)
	a.inv[i]++
	a.durSum[i] += r.DurationUs
	if r.Status != statusSuccess {
		a.errs[i]++
	}
}

// slot returns the index of minute in the series, growing them as needed.
func (a *funcAcc) slot(minute int64) int {
	if a.inv == nil {
		a.baseMin = minute
	}
	if minute < a.baseMin {
		grow := int(a.baseMin - minute)
		a.inv = append(make([]int64, grow), a.inv...)
		a.durSum = append(make([]int64, grow), a.durSum...)
		a.errs = append(make([]int64, grow), a.errs...)
		a.conc = append(make([][]int32, grow), a.conc...)
		a.baseMin = minute
	}
	i := int(minute - a.baseMin)
	for i >= len(a.inv) {
		a.inv = append(a.inv, 0)
		a.durSum = append(a.durSum, 0)
		a.errs = append(a.errs, 0)
		a.conc = append(a.conc, nil)
	}
	return i
}

// maxConcEvents bounds the memory spent on exact concurrency (8 bytes per
// invocation); beyond it concurrency falls back to the per-minute mean.
const maxConcEvents = 50_000_000

// addInterval records that an invocation was running over [startMs, endMs):
// a start event in its minute and an end event in the minute it ends in.
// Events are encoded as offset·2 + 1 (start) or offset·2 (end) within the
// minute, so that sorting puts an end before a start at the same
// millisecond (back-to-back invocations do not overlap). An end exactly on
// a minute boundary belongs to the previous minute (offset 60,000).
func (a *funcAcc) addInterval(startMs, endMs int64) {
	if a.concEvents >= maxConcEvents {
		a.concLost = true
		return
	}
	if endMs <= startMs {
		endMs = startMs + 1
	}
	sm := floorDiv(startMs, 60_000)
	em := floorDiv(endMs-1, 60_000)
	i := a.slot(sm)
	a.conc[i] = append(a.conc[i], int32(startMs-sm*60_000)*2+1)
	j := a.slot(em)
	a.conc[j] = append(a.conc[j], int32(endMs-em*60_000)*2)
	a.concEvents += 2
}

// concurrency sweeps the events minute by minute: the peak number of
// invocations running at once within each minute.
func (a *funcAcc) concurrency() []float64 {
	out := make([]float64, len(a.inv))
	running := 0
	for i, ev := range a.conc {
		slices.Sort(ev)
		peak := running
		for _, e := range ev {
			if e&1 == 1 {
				running++
				peak = max(peak, running)
			} else {
				running--
			}
		}
		out[i] = float64(peak)
	}
	return out
}

func (a *funcAcc) dataset() pricing.DatasetFunction {
	q := a.dur.Quantiles(0.5, 0.9, 0.99)
	f := pricing.DatasetFunction{
		FunctionConfig: pricing.FunctionConfig{Name: a.name, MemoryMB: int(a.memMB), Architecture: pricing.X86_64},
		Summary: pricing.FunctionSummary{
			Invocations: a.invocations,
			Errors:      a.errors,
			Timeouts:    a.timeouts,
			ColdStarts:  a.cold,
			DurationMs: pricing.DurationSet{
				Avg: a.dur.Mean() / 1000, P50: q[0] / 1000, P90: q[1] / 1000, P99: q[2] / 1000,
				Max: float64(a.dur.Max()) / 1000,
			},
			InitDurationMs:   pricing.InitSet{Avg: a.init.Mean() / 1000, P99: a.init.Quantile(0.99) / 1000},
			MaxMemoryUsedMB:  int(a.maxMemUsed),
			BilledDurationMs: a.billedMs,
			BilledGBSeconds:  float64(a.mbMs) / (1024 * 1000),
		},
	}
	if len(a.inv) > 0 {
		s := &pricing.Series{PeriodS: 60, Start: time.UnixMilli(a.baseMin * 60_000).UTC()}
		s.Invocations = make([]float64, len(a.inv))
		s.DurationAvgMs = make([]float64, len(a.inv))
		s.Errors = make([]float64, len(a.inv))
		var conc []float64
		if !a.concLost {
			conc = a.concurrency()
		}
		var peak float64
		for i, n := range a.inv {
			s.Invocations[i] = float64(n)
			if n > 0 {
				s.DurationAvgMs[i] = float64(a.durSum[i]) / float64(n) / 1000
			}
			s.Errors[i] = float64(a.errs[i])
			c := 0.0
			if conc != nil {
				c = conc[i]
			} else {
				// Too many invocations to keep every interval: the mean
				// number running over the minute, a lower bound of its peak.
				c = float64(a.durSum[i]) / 60e6
			}
			s.ConcurrencyMax = append(s.ConcurrencyMax, c)
			peak = max(peak, c)
		}
		f.Series = s
		f.Summary.ConcurrencyMax = peak
	}
	return f
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

// isLogEventsJSON recognises the output of `aws logs filter-log-events`
// and `aws logs get-log-events`: one JSON object whose first member is
// "events" (the CLI's pretty-printed form or compact).
func isLogEventsJSON(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	if len(t) == 0 || t[0] != '{' {
		return false
	}
	t = bytes.TrimLeft(t[1:], " \t\r\n")
	return bytes.HasPrefix(t, []byte(`"events"`))
}

// readLogEvents streams the events of one or more concatenated
// filter-log-events / get-log-events outputs; each event's message is a
// log line, its timestamp used when the message has none. A malformed
// record is reported as file: events[i].
func (im *Importer) readLogEvents(name string, r io.Reader) {
	defName := im.opts.Function
	if defName == "" {
		defName = baseName(name)
	}
	dec := json.NewDecoder(r)
	var rep report
	listed, malformed := 0, 0
	fail := func(msg string) {
		malformed++
		if listed < im.opts.MaxProblemsPerFile {
			listed++
			im.problem(name + ": " + msg)
		}
	}
	defer func() {
		im.stats.Malformed += int64(malformed)
		if malformed > listed {
			im.problem(fmt.Sprintf("%s: %d malformed records in all (first %d listed)", name, malformed, listed))
		}
	}()
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil || tok != json.Delim('{') {
			fail(fmt.Sprintf("offset %d: expected a JSON object of log events (%v); rest of file skipped", dec.InputOffset(), err))
			return
		}
		for dec.More() {
			key, err := dec.Token()
			if err != nil {
				fail(fmt.Sprintf("offset %d: %v; rest of file skipped", dec.InputOffset(), err))
				return
			}
			if key != "events" {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					fail(fmt.Sprintf("offset %d: %v; rest of file skipped", dec.InputOffset(), err))
					return
				}
				continue
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				fail(fmt.Sprintf("offset %d: \"events\" is not a list; rest of file skipped", dec.InputOffset()))
				return
			}
			for i := 0; dec.More(); i++ {
				var ev struct {
					Timestamp int64  `json:"timestamp"`
					Message   string `json:"message"`
					Stream    string `json:"logStreamName"`
				}
				if err := dec.Decode(&ev); err != nil {
					fail(fmt.Sprintf("events[%d]: %v; rest of file skipped", i, err))
					return
				}
				im.stats.Lines++
				im.stats.Bytes += int64(len(ev.Message))
				perr := parseLine([]byte(strings.TrimRight(ev.Message, "\r\n")), &rep)
				switch {
				case perr == nil:
					if rep.TimeMs == 0 {
						rep.TimeMs = ev.Timestamp
					}
					im.stats.Reports++
					fn := defName
					if rep.Function != nil && im.opts.Function == "" {
						fn = string(rep.Function)
					}
					im.fn(fn).add(&rep)
				case errors.Is(perr, errNotReport):
				default:
					fail(fmt.Sprintf("events[%d] (stream %s): %v", i, ev.Stream, perr))
				}
			}
			if _, err := dec.Token(); err != nil {
				fail(fmt.Sprintf("offset %d: %v; rest of file skipped", dec.InputOffset(), err))
				return
			}
		}
		if _, err := dec.Token(); err != nil {
			fail(fmt.Sprintf("offset %d: %v; rest of file skipped", dec.InputOffset(), err))
			return
		}
	}
}
