package collector

import (
	"bytes"
	"fmt"

	"github.com/lambdacost/lambdacost/pricing"
)

// logBytesAcc counts the CloudWatch Logs events of one function as read
// from carriers that keep each event whole (a JSON event's "message").
type logBytesAcc struct {
	events   int64 // whole events read
	msgBytes int64 // Σ UTF-8 bytes of their messages
	starts   int64 // of them, Lambda's START lines / platform.start records
	// partial counts the function's lines read from carriers that do not
	// keep events whole (text output, Logs Insights rows, bare platform
	// records): their sizes are not the events' sizes.
	partial int64
}

// logName is the function a log event without its own function prefix
// belongs to: --function, else the carrier's log group, else the file's
// name (as source.add files records).
func (s *source) logName(group string) string {
	switch {
	case s.im.opts.Function != "":
		return s.im.opts.Function
	case group != "":
		return group
	}
	return s.defName
}

func (im *Importer) logAcc(name string) *logBytesAcc {
	if im.logs == nil {
		im.logs = map[string]*logBytesAcc{}
	}
	a := im.logs[name]
	if a == nil {
		a = &logBytesAcc{}
		im.logs[name] = a
	}
	return a
}

// logAccOf is the counter of group's function, the last one cached (a
// file is mostly one function's).
func (s *source) logAccOf(group string) *logBytesAcc {
	name := s.logName(group)
	if s.logCur == nil || s.logCurName != name {
		s.logCur, s.logCurName = s.im.logAcc(name), name
	}
	return s.logCur
}

// logEvent counts one whole CloudWatch Logs event (its message as
// CloudWatch holds it).
func (s *source) logEvent(msg []byte, group string) {
	a := s.logAccOf(group)
	a.events++
	a.msgBytes += int64(len(msg))
	if isStartEvent(msg) {
		a.starts++
	}
}

// logPartial counts a line whose event is not known whole.
func (s *source) logPartial(group string) { s.logAccOf(group).partial++ }

// isStartEvent: Lambda's START line (text format) or platform.start
// record (JSON format), one per invocation.
func isStartEvent(msg []byte) bool {
	if bytes.HasPrefix(msg, []byte("START RequestId: ")) {
		return true
	}
	return len(msg) > 0 && msg[0] == '{' && bytes.Contains(msg, []byte(`"type":"platform.start"`))
}

// logBytes sets f.Summary.LogBytes from the function's whole events when
// they are its whole log: every event read from a carrier that keeps
// events whole, and at least one START per invocation (a log filtered to
// REPORT lines, as a Logs Insights query or `filter-log-events
// --filter-pattern` gives, is not). It returns what the dataset must say:
// where the figure came from, or why there is none.
func (a *logBytesAcc) logBytes(f *pricing.DatasetFunction) (pricing.Assumption, bool) {
	field := fmt.Sprintf("functions[%s].summary.log_bytes", f.Name)
	inv := f.Summary.Invocations
	switch {
	case a == nil || a.events == 0 || inv == 0:
		return pricing.Assumption{}, false
	case a.partial > 0:
		return pricing.Assumption{Field: field, Value: "not measured",
			Why: fmt.Sprintf("%d of its lines came from text output, Logs Insights rows or bare platform records, which do not keep each CloudWatch Logs event whole: its ingestion is not measured (give the events as JSON: aws logs filter-log-events or get-log-events output)", a.partial)}, true
	case a.starts < inv:
		return pricing.Assumption{Field: field, Value: "not measured",
			Why: fmt.Sprintf("the events hold %d START lines for %d invocations: the log was filtered (e.g. to REPORT lines), so the size of its events is not the function's whole log", a.starts, inv)}, true
	}
	total := a.msgBytes + pricing.LogEventOverheadBytes*a.events
	f.Summary.LogBytes = total
	return pricing.Assumption{Field: field, Value: fmt.Sprintf("%d bytes", total),
		Why: fmt.Sprintf("measured from the %d CloudWatch Logs events read (START/END/REPORT lines included): %d bytes of UTF-8 messages plus %d bytes per event, the size PutLogEvents counts, taken as the billed ingestion (without the per-event bytes: %d)",
			a.events, a.msgBytes, pricing.LogEventOverheadBytes, a.msgBytes)}, true
}
