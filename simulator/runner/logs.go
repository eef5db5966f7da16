package runner

import (
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
	s := "INIT_REPORT Init Duration: " + strconv.FormatFloat(initMs, 'f', 2, 64) + " ms\tPhase: init\tStatus: " + status
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

// logSink serialises log lines from many environments onto one writer.
type logSink struct {
	mu     sync.Mutex
	w      io.Writer
	format string
	buf    []byte
}

func (s *logSink) enabled() bool { return s != nil && s.w != nil }

// line writes one line (a newline is added).
func (s *logSink) line(text string) {
	if !s.enabled() {
		return
	}
	s.mu.Lock()
	s.buf = append(s.buf[:0], text...)
	s.buf = append(s.buf, '\n')
	_, _ = s.w.Write(s.buf)
	s.mu.Unlock()
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

// functionLine writes a line the function printed, prefixed as CloudWatch
// shows it: the time and the request id (text), or a "function" record
// (JSON).
func (s *logSink) functionLine(t time.Time, requestID string, text []byte) {
	if !s.enabled() {
		return
	}
	if s.format == LogJSON {
		s.event(t, "function", string(text))
		return
	}
	prefix := Timestamp(t) + "\t"
	if requestID != "" {
		prefix += requestID + "\t"
	}
	s.line(prefix + string(text))
}
