package runner

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"sync"
	"time"
)

// Log formats (Lambda's LoggingConfig.LogFormat).
const (
	LogText = "text"
	LogJSON = "json"
)

// Report is what one REPORT line says about an invocation.
type Report struct {
	RequestID        string
	DurationMs       float64 // handler time, printed with 2 decimals
	BilledDurationMs int64   // includes INIT on cold starts
	MemorySizeMB     int
	MaxMemoryUsedMB  int
	InitDurationMs   float64 // 0 = warm (no "Init Duration" field)
	// Status is "" (success or a function error: Lambda prints no status),
	// "timeout" or "error" (the runtime failed: crash, out of memory).
	Status    string
	ErrorType string // with Status "error", e.g. Runtime.ExitError
}

// ReportLine formats r exactly as Lambda writes it to CloudWatch Logs in
// the text log format: TAB-separated fields, a trailing TAB, no newline.
//
//	REPORT RequestId: 3f4c…\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 20 MB\t
//
// Optional fields follow in Lambda's order: Init Duration (cold starts),
// then Status (timeout, or error with Error Type).
func ReportLine(r Report) string {
	b := make([]byte, 0, 192)
	return string(appendReport(b, r))
}

func appendReport(b []byte, r Report) []byte {
	b = append(b, "REPORT RequestId: "...)
	b = append(b, r.RequestID...)
	b = append(b, "\tDuration: "...)
	b = strconv.AppendFloat(b, r.DurationMs, 'f', 2, 64)
	b = append(b, " ms\tBilled Duration: "...)
	b = strconv.AppendInt(b, r.BilledDurationMs, 10)
	b = append(b, " ms\tMemory Size: "...)
	b = strconv.AppendInt(b, int64(r.MemorySizeMB), 10)
	b = append(b, " MB\tMax Memory Used: "...)
	b = strconv.AppendInt(b, int64(r.MaxMemoryUsedMB), 10)
	b = append(b, " MB\t"...)
	if r.InitDurationMs > 0 {
		b = append(b, "Init Duration: "...)
		b = strconv.AppendFloat(b, r.InitDurationMs, 'f', 2, 64)
		b = append(b, " ms\t"...)
	}
	switch r.Status {
	case "timeout":
		b = append(b, "Status: timeout\t"...)
	case "error":
		b = append(b, "Status: error\t"...)
		if r.ErrorType != "" {
			b = append(b, "Error Type: "...)
			b = append(b, r.ErrorType...)
			b = append(b, '\t')
		}
	}
	return b
}

// StartLine is Lambda's START line.
func StartLine(requestID, version string) string {
	return "START RequestId: " + requestID + " Version: " + version
}

// EndLine is Lambda's END line.
func EndLine(requestID string) string { return "END RequestId: " + requestID }

// InitReportLine is the INIT_REPORT line Lambda writes when INIT fails
// (status "error" or "timeout").
func InitReportLine(initMs float64, status, errorType string) string {
	return InitReportPhaseLine(initMs, "init", status, errorType)
}

// InitReportPhaseLine is INIT_REPORT for a phase: "init", or "invoke" when
// a suppressed INIT (one that exceeded 10 s) was retried inside the first
// invocation.
func InitReportPhaseLine(initMs float64, phase, status, errorType string) string {
	s := "INIT_REPORT Init Duration: " + strconv.FormatFloat(initMs, 'f', 2, 64) + " ms\tPhase: " + phase + "\tStatus: " + status
	if errorType != "" {
		s += "\tError Type: " + errorType
	}
	return s
}

// TimeoutLine is the line Lambda writes when an invocation times out.
func TimeoutLine(t time.Time, requestID string, timeout time.Duration) string {
	return Timestamp(t) + "\t" + requestID + "\tTask timed out after " + strconv.FormatFloat(timeout.Seconds(), 'f', 2, 64) + " seconds"
}

// Timestamp formats t as CloudWatch Logs shows Lambda times (UTC, ms).
func Timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// ReportMetrics is the metrics object of a platform.report record.
type ReportMetrics struct {
	DurationMs       float64  `json:"durationMs"`
	BilledDurationMs int64    `json:"billedDurationMs"`
	MemorySizeMB     int      `json:"memorySizeMB"`
	MaxMemoryUsedMB  int      `json:"maxMemoryUsedMB"`
	InitDurationMs   *float64 `json:"initDurationMs,omitempty"`
}

// ReportRecord is the record of a platform.report event (Telemetry API
// schema, as written with LogFormat JSON).
type ReportRecord struct {
	RequestID string        `json:"requestId"`
	Status    string        `json:"status"` // success | error | failure | timeout
	ErrorType string        `json:"errorType,omitempty"`
	Metrics   ReportMetrics `json:"metrics"`
}

// PlatformEvent is one JSON log line: {"time","type","record"}.
type PlatformEvent struct {
	Time   string `json:"time"`
	Type   string `json:"type"`
	Record any    `json:"record"`
}

// JSONRecord is r as a platform.report record. functionError marks a
// handled function error (status "error" without a REPORT status).
func (r Report) JSONRecord(functionError bool) ReportRecord {
	rec := ReportRecord{RequestID: r.RequestID, Status: "success", Metrics: ReportMetrics{
		DurationMs: r.DurationMs, BilledDurationMs: r.BilledDurationMs,
		MemorySizeMB: r.MemorySizeMB, MaxMemoryUsedMB: r.MaxMemoryUsedMB,
	}}
	if r.InitDurationMs > 0 {
		v := r.InitDurationMs
		rec.Metrics.InitDurationMs = &v
	}
	switch {
	case r.Status == "timeout":
		rec.Status = "timeout"
	case r.Status == "error":
		rec.Status, rec.ErrorType = "failure", r.ErrorType
	case functionError:
		rec.Status, rec.ErrorType = "error", r.ErrorType
	}
	return rec
}

// ReportJSONLine formats r as Lambda's JSON-format platform.report line.
func ReportJSONLine(t time.Time, r Report, functionError bool) string {
	b, _ := json.Marshal(PlatformEvent{Time: Timestamp(t), Type: "platform.report", Record: r.JSONRecord(functionError)})
	return string(b)
}

// logSink serialises log lines from many environments onto one writer,
// asynchronously: lines are appended to a buffer and one goroutine writes
// the buffer out in large writes, so neither the runner nor the function
// waits for a slow destination (a terminal, a file on a busy disk). Only
// when maxPendingLog bytes are waiting do producers wait (the function's
// pipe then fills and it blocks, as it would on a full disk): memory stays
// bounded.
//
// A sink without a writer (no --logs destination) still turns the output
// into lines and counts them, writing nothing: the run's CloudWatch Logs
// ingestion is measured either way.
type logSink struct {
	w      io.Writer
	format string
	// events and bytes count the lines written (bytes include each
	// line's newline, which CloudWatch keeps at the end of a Lambda
	// event's message).
	events, bytes int64

	mu      sync.Mutex
	cond    *sync.Cond
	buf     []byte // pending
	spare   []byte
	started bool
	closed  bool
	done    chan struct{}
}

// maxPendingLog bounds the bytes waiting to be written.
const maxPendingLog = 32 << 20

func newLogSink(w io.Writer, format string) *logSink {
	s := &logSink{w: w, format: format, done: make(chan struct{})}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *logSink) enabled() bool { return s != nil }

// counts returns the lines written so far and their bytes.
func (s *logSink) counts() (events, bytes int64) {
	if s == nil {
		return 0, 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.events, s.bytes
}

// begin reserves room for a line and returns the buffer to append to,
// with s.mu held; end releases it.
func (s *logSink) begin() []byte {
	s.mu.Lock()
	if s.w == nil {
		return s.buf[:0] // counted, not written: the buffer is reused
	}
	if !s.started {
		s.started = true
		go s.writer()
	}
	for len(s.buf) >= maxPendingLog && !s.closed {
		s.cond.Wait()
	}
	return s.buf
}

func (s *logSink) end(b []byte) {
	start := len(s.buf)
	if s.w == nil {
		start = 0
	}
	s.events++
	s.bytes += int64(len(b) - start)
	if s.w == nil {
		s.buf = b[:0]
		s.mu.Unlock()
		return
	}
	wake := len(s.buf) == 0
	s.buf = b
	if wake {
		s.cond.Broadcast()
	}
	s.mu.Unlock()
}

func (s *logSink) writer() {
	defer close(s.done)
	s.mu.Lock()
	for {
		for len(s.buf) == 0 && !s.closed {
			s.cond.Wait()
		}
		if len(s.buf) == 0 {
			s.mu.Unlock()
			return
		}
		b := s.buf
		s.buf = s.spare[:0]
		s.cond.Broadcast() // room again
		s.mu.Unlock()
		_, _ = s.w.Write(b)
		s.mu.Lock()
		if cap(b) <= 4*maxPendingLog {
			s.spare = b[:0]
		}
	}
}

// close writes out what is pending and stops the writer.
func (s *logSink) close() {
	if !s.enabled() {
		return
	}
	s.mu.Lock()
	s.closed = true
	started := s.started
	s.cond.Broadcast()
	s.mu.Unlock()
	if started {
		<-s.done
	}
}

// line writes one line (a newline is added).
func (s *logSink) line(text string) {
	if !s.enabled() {
		return
	}
	b := s.begin()
	b = append(b, text...)
	b = append(b, '\n')
	s.end(b)
}

// event writes one JSON platform event.
func (s *logSink) event(t time.Time, typ string, record any) {
	if !s.enabled() {
		return
	}
	b, err := json.Marshal(PlatformEvent{Time: Timestamp(t), Type: typ, Record: record})
	if err != nil {
		return
	}
	s.line(string(b))
}

// functionLine writes a line the function printed, as CloudWatch shows it.
//
// Text format: prefixed with the time and the request id (the shape
// Lambda's managed runtimes write), unless the line already carries such a
// prefix (a runtime's own logger: Node's RIC writes "time\tid\tLEVEL\tmsg",
// Python's "[LEVEL]\ttime\tid\tmsg"), which is kept as is.
//
// JSON format: a line that is a JSON object is kept as that object (Lambda
// does not double-encode logs that are already JSON); any other line
// becomes a "function" record with the line as a string.
func (s *logSink) functionLine(requestID string, text []byte) {
	if !s.enabled() {
		return
	}
	t := time.Now()
	if s.format == LogJSON {
		if isJSONObject(text) {
			b := s.begin()
			b = append(b, bytes.TrimSpace(text)...)
			b = append(b, '\n')
			s.end(b)
			return
		}
		s.event(t, "function", string(text))
		return
	}
	b := s.begin()
	if !hasLambdaPrefix(text) {
		b = t.UTC().AppendFormat(b, "2006-01-02T15:04:05.000Z")
		b = append(b, '\t')
		if requestID != "" {
			b = append(b, requestID...)
			b = append(b, '\t')
		}
	}
	b = append(b, text...)
	b = append(b, '\n')
	s.end(b)
}

// isJSONObject reports whether line is one JSON object.
func isJSONObject(line []byte) bool {
	t := bytes.TrimSpace(line)
	return len(t) >= 2 && t[0] == '{' && t[len(t)-1] == '}' && json.Valid(t)
}

// hasLambdaPrefix reports whether line starts with the prefix Lambda's
// runtimes write: an RFC 3339 UTC time then a TAB, either first
// ("2024-05-20T16:29:45.008Z\t…", Node.js, Java, .NET) or after a
// "[LEVEL]\t" field (Python's "[INFO]\t2024-05-20T16:29:45.008Z\t…").
func hasLambdaPrefix(line []byte) bool {
	if len(line) > 0 && line[0] == '[' {
		i := bytes.IndexByte(line, '\t')
		if i < 0 || i > 12 || line[i-1] != ']' {
			return false
		}
		line = line[i+1:]
	}
	i := bytes.IndexByte(line, '\t')
	if i < 20 || i > 35 {
		return false
	}
	ts := line[:i]
	if ts[len(ts)-1] != 'Z' {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, string(ts))
	return err == nil
}
