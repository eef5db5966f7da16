package collector

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// report is one record Lambda writes to CloudWatch Logs that lambdacost
// reads: an invocation's REPORT (a text `REPORT RequestId: …` line or a
// JSON `platform.report` record), a failed INIT (`INIT_REPORT`,
// `platform.initReport`), a SnapStart restore (`RESTORE_REPORT`,
// `platform.restoreReport`) or an old-format timeout line (`Task timed out
// after N seconds`). Kind says which. Durations are in microseconds (REPORT
// lines carry 2 decimals of ms, JSON records 3), so sums are exact integers.
type report struct {
	Kind kind
	// Function is the function name when the line carries it (a
	// `/aws/lambda/NAME` log-group prefix); nil otherwise. It aliases the line.
	Function []byte
	// RequestID aliases the line (REPORT and timeout lines).
	RequestID []byte
	// TimeMs is the record's timestamp (Unix ms; the end of the invocation),
	// 0 when the line has none.
	TimeMs         int64
	DurationUs     int64
	BilledMs       int64
	MemorySizeMB   int64
	MaxMemoryMB    int64
	InitDurationUs int64 // > 0 on a cold start (on-demand INIT), or the INIT_REPORT's
	Cold           bool
	// Restored: a SnapStart restore (REPORT "Restore Duration"); the
	// invocation is a cold start whose latency is RestoreUs + DurationUs.
	Restored        bool
	RestoreUs       int64
	BilledRestoreMs int64
	// Managed: a Lambda Managed Instances REPORT (Duration only, no Billed
	// Duration or Memory Size: compute is billed per instance, not per ms).
	Managed bool
	Status  status
	// Phase is an INIT_REPORT's phase: "init", or "invoke" for an INIT
	// retried within the first invocation (its time is in that Duration).
	Phase []byte
	// TimeoutUs is a "Task timed out after N seconds" line's N.
	TimeoutUs int64
	// NoStatus, NoMaxMem: a Logs Insights row of REPORT fields without
	// @message says nothing of the invocation's status (timeout, error),
	// or was queried without @maxMemoryUsed.
	NoStatus, NoMaxMem bool
	// InitType is a JSON initReport's initializationType ("" in text).
	InitType string
	// Rebuilt: a REPORT the Datadog Lambda extension wrote from the
	// Telemetry API (its "Runtime Duration" / "Post Runtime Duration"
	// fields): Lambda's numbers, but without Status (timeouts and errors)
	// or SnapStart's Restore Duration.
	Rebuilt bool
}

// kind is what a parsed record is.
type kind uint8

// Record kinds.
const (
	kindReport     kind = iota // an invocation
	kindInitReport             // INIT_REPORT / platform.initReport
	kindRestore                // RESTORE_REPORT / platform.restoreReport
	kindTimeout                // "Task timed out after N seconds"
	kindCrash                  // "RequestId: ID Error: Runtime exited …"
)

// status is how an invocation (or an INIT) ended.
type status uint8

// Invocation outcomes.
const (
	statusSuccess status = iota
	statusError
	statusTimeout
)

var (
	reportWord    = []byte("REPORT")
	textMarker    = []byte("REPORT RequestId:")
	jsonMarker    = []byte(`platform.report"`)
	initMarker    = []byte("INIT_REPORT ")
	restoreMarker = []byte("RESTORE_REPORT ")
	timeoutMarker = []byte("Task timed out after ")
	jsonInit      = []byte(`platform.initReport"`)
	jsonRestore   = []byte(`platform.restoreReport"`)
	lambdaPrefix  = []byte("/aws/lambda/")
	platformQuote = []byte(`"platform.`)
)

// errNotReport means the line is not a record lambdacost reads (START,
// END, INIT_START, EXTENSION, TELEMETRY, XRAY, app logs…).
var errNotReport = errors.New("not a report line")

// unsupportedError is a line or document in a known format that
// lambdacost does not read: it is refused by name, never reported as a
// malformed REPORT.
type unsupportedError struct {
	Format string // "a Lambda Insights performance event (EMF)"
	Hint   string // what to import instead
}

func (e *unsupportedError) Error() string {
	return fmt.Sprintf("%s; this format is not supported: %s", e.Format, e.Hint)
}

var errInsightsEMF = &unsupportedError{
	Format: "a Lambda Insights performance event (embedded metric format, {\"_aws\":…,\"memory_utilization\":…} from /aws/lambda-insights)",
	Hint:   "import the function's own log group /aws/lambda/NAME, whose REPORT lines carry the billed duration, memory and cold starts",
}

var errWebFunctions = &unsupportedError{
	Format: "a Lambda Web Functions system event (platform.invokeReport, platform.invokeSummary, platform.requestComplete, or a platform.* record in their timestamp/level envelope, from /aws/lambda/web/NAME)",
	Hint:   "Web Functions are billed by requests, active CPU time and memory over each environment's life, which lambdacost does not model",
}

// errEmulator is a REPORT line printed by the Lambda Runtime Interface
// Emulator (sam local invoke / start-api, the aws-lambda-rie binary in a
// container image): it puts Init Duration first, where Lambda writes it
// after Max Memory Used. Its numbers are not Lambda's: the emulator times
// only the start of INIT (the real INIT lands in the first Duration) and
// prints Max Memory Used = Memory Size (it does not measure memory).
var errEmulator = &unsupportedError{
	Format: "the output of the Lambda Runtime Interface Emulator (sam local, aws-lambda-rie: a REPORT with Init Duration before Duration), whose Init Duration and Max Memory Used are not measured (Max Memory Used = Memory Size)",
	Hint:   "import the function's CloudWatch logs, or measure it locally with lambdacost run",
}

// errDatadogManaged is the REPORT line the Datadog Lambda extension writes
// for a Lambda Managed Instances invocation ("REPORT RequestId: ID Runtime
// Duration: N ms", then perhaps "Task timed out after …" or "Task
// failed: …"): not Lambda's REPORT, and without its Duration.
var errDatadogManaged = &unsupportedError{
	Format: "a REPORT line rebuilt by the Datadog Lambda extension for Lambda Managed Instances (\"Runtime Duration\" only, no Duration)",
	Hint:   "import the function's CloudWatch log group /aws/lambda/NAME",
}

// droppedError is a Telemetry API platform.logsDropped record: Lambda
// dropped records before they reached the capture (an extension slower
// than the function's log), REPORTs among them perhaps.
type droppedError struct {
	Records, Bytes int64
}

func (e *droppedError) Error() string {
	return fmt.Sprintf("platform.logsDropped: %d records (%d bytes) dropped", e.Records, e.Bytes)
}

// parseDropped reads a platform.logsDropped record's counts.
func parseDropped(obj []byte) error {
	var rec struct {
		Record struct {
			DroppedRecords int64 `json:"droppedRecords"`
			DroppedBytes   int64 `json:"droppedBytes"`
		} `json:"record"`
	}
	if err := json.Unmarshal(bytes.TrimRight(obj, " \t\r\n"), &rec); err != nil {
		return fmt.Errorf("platform.logsDropped record: %v", err)
	}
	return &droppedError{Records: rec.Record.DroppedRecords, Bytes: rec.Record.DroppedBytes}
}

// parseEvent is the one entry point for a CloudWatch Logs event message,
// whatever carried it (a line of an exported file, FilterLogEvents,
// get-log-events or filter-log-events JSON, a subscription or Firehose
// payload, a Logs Insights @message): it splits the message into lines
// (CloudWatch messages end in "\n", platform lines in "\t\n"; a REPORT may
// carry its X-Ray trace on a second line) and calls each for every line
// that is a record (err nil) or a malformed record (err set). A message
// that is one JSON object spread over several lines (pretty-printed) is
// read whole. Lines that are not records are skipped.
func parseEvent(msg []byte, r *report, each func(r *report, err error)) {
	if t := bytes.TrimSpace(msg); len(t) > 1 && t[len(t)-1] == '}' && bytes.IndexByte(t, '\n') >= 0 {
		// A pretty-printed JSON record, perhaps after a prefix (time, stream).
		if j := bytes.IndexByte(t, '{'); j >= 0 && bytes.IndexByte(t[:j], '\n') < 0 && json.Valid(t[j:]) {
			err := parseLine(t, r)
			if !errors.Is(err, errNotReport) {
				each(r, err)
			}
			return
		}
	}
	for len(msg) > 0 {
		line := msg
		if i := bytes.IndexByte(msg, '\n'); i >= 0 {
			line, msg = msg[:i], msg[i+1:]
		} else {
			msg = nil
		}
		err := parseLine(line, r)
		if !errors.Is(err, errNotReport) {
			each(r, err)
		}
	}
}

// parseLine parses one log line (its end of line may be present). It
// returns errNotReport for lines that are not records (they are skipped,
// not malformed), an *unsupportedError for a known format lambdacost does
// not read, and another error for a record that cannot be read
// (malformed). It does not allocate for text lines; Function and
// RequestID alias line.
func parseLine(line []byte, r *report) error {
	*r = report{}
	for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
		line = line[:len(line)-1]
	}
	j := bytes.IndexByte(line, '{')
	// One scan for "REPORT" finds REPORT, INIT_REPORT and RESTORE_REPORT
	// lines; most lines (START, END, handler output) have none.
	k := bytes.Index(line, reportWord)
	if k >= 0 {
		// (A marker inside a JSON object is text some log line quotes.)
		if i := bytes.Index(line[k:], textMarker); i >= 0 && (j < 0 || j > i+k) {
			i += k
			if err := checkPrefix(line[:i], "REPORT RequestId:"); err != nil {
				return err
			}
			prefix(line[:i], r)
			return parseText(line[i+len(textMarker):], r)
		}
	}
	if j >= 0 {
		obj := line[j:]
		// One scan finds whether the object is a platform record at all
		// (most JSON lines are an application's).
		if p := bytes.Index(obj, platformQuote); p >= 0 {
			// The first "platform. is the record's type, which says what it is.
			pl := obj[p:]
			t := pl[len(platformQuote):]
			switch {
			case bytes.HasPrefix(t, []byte(`report"`)):
				prefix(line[:j], r)
				return parseJSON(obj, r)
			case bytes.HasPrefix(t, []byte(`initReport"`)), bytes.HasPrefix(t, []byte(`restoreReport"`)):
				prefix(line[:j], r)
				return parsePlatformJSON(obj, r)
			case bytes.HasPrefix(t, []byte(`invokeReport"`)), bytes.HasPrefix(t, []byte(`invokeSummary"`)), bytes.HasPrefix(t, []byte(`requestComplete"`)):
				return errWebFunctions
			case bytes.HasPrefix(t, []byte(`logsDropped"`)):
				return parseDropped(obj)
			case bytes.Contains(t, jsonMarker):
				// Another platform record first, then a report (several
				// records on one line): read, or refused as malformed.
				prefix(line[:j], r)
				return parseJSON(obj, r)
			}
		}
		if bytes.Contains(obj, []byte(`"_aws"`)) && (bytes.Contains(obj, []byte(`"memory_utilization"`)) || bytes.Contains(obj, []byte(`LambdaInsights`))) {
			return errInsightsEMF
		}
	}
	if k >= 0 {
		if i := bytes.Index(line, initMarker); i >= 0 && isWordStart(line, i) {
			if err := checkPrefix(line[:i], "INIT_REPORT"); err != nil {
				return err
			}
			prefix(line[:i], r)
			r.Kind = kindInitReport
			return parseFields(line[i+len(initMarker):], r, false)
		}
		if i := bytes.Index(line, restoreMarker); i >= 0 && isWordStart(line, i) {
			if err := checkPrefix(line[:i], "RESTORE_REPORT"); err != nil {
				return err
			}
			prefix(line[:i], r)
			r.Kind = kindRestore
			return parseFields(line[i+len(restoreMarker):], r, false)
		}
	}
	if i := indexTimeout(line); i >= 0 {
		if hasLevel(line[:i]) {
			return errNotReport // an application's log line that mentions a timeout
		}
		return parseTimeout(line, i, r)
	}
	if i := indexExited(line); i >= 0 {
		return parseCrash(line, i, r)
	}
	return errNotReport
}

// indexExited finds " exited " by its 'x' (rare in log lines, absent from
// request ids), as indexTimeout does.
func indexExited(line []byte) int {
	for off := 0; ; {
		k := bytes.IndexByte(line[off:], 'x')
		if k < 0 {
			return -1
		}
		k += off
		if k >= 2 && bytes.HasPrefix(line[k-2:], exitedWord) {
			return k - 2
		}
		off = k + 1
	}
}

// trimBlanks drops leading spaces and tabs (bytes.TrimLeft with a
// two-byte cutset builds a set on every call).
func trimBlanks(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return b
}

// utf8BOM is the byte order mark some editors and Windows tools put at
// the start of a UTF-8 file.
var utf8BOM = []byte("\xef\xbb\xbf")

var (
	exitedWord     = []byte(" exited ")
	requestIDColon = []byte("RequestId: ")
	crashRuntime   = []byte("Error: Runtime exited")
	crashProcess   = []byte("Process exited before completing request")
)

// parseCrash reads the line Lambda writes when the runtime process dies
// during an invocation (out of memory, exit, crash):
// "RequestId: ID Error: Runtime exited with error: signal: killed" (often
// followed by "Runtime.ExitError" on the same or the next line), or, from
// the Node.js 4.3–8.10 era, "RequestId: ID Process exited before completing
// request". Before 2023 or so the REPORT of that invocation carried no
// Status, so this line is the only sign of the error. i indexes " exited ".
func parseCrash(line []byte, i int, r *report) error {
	k := bytes.LastIndex(line[:i], requestIDColon)
	if k < 0 || !isWordStart(line, k) || checkPrefix(line[:k], "RequestId:") != nil {
		return errNotReport // another message that mentions a crash
	}
	id, rest := token(line[k+len(requestIDColon):])
	rest = skipSpace(rest)
	if len(id) == 0 || !(bytes.HasPrefix(rest, crashRuntime) || bytes.HasPrefix(rest, crashProcess)) {
		return errNotReport
	}
	prefix(line[:k], r)
	r.Kind = kindCrash
	r.RequestID = id
	r.Status = statusError
	return nil
}

// levelWords are the log levels Lambda's runtimes put before an
// application's message in the text log format: Node.js
// "TIME\tID\tINFO\tmessage", Python "[INFO]\tTIME\tID\tmessage", .NET
// "TIME\tID\tinfo\tmessage", Java and Ruby loggers alike.
var levelWords = [...]string{"INFO", "ERROR", "WARN", "WARNING", "DEBUG", "TRACE", "FATAL", "CRITICAL",
	// .NET's runtime writes "info", "warn", "fail", "crit", "dbug", "trce".
	"info", "error", "warn", "warning", "debug", "trace", "fatal", "fail", "crit", "dbug", "trce"}

// hasLevel: the text before a record marker holds a log level word (the
// line is an application's log message quoting a record).
func hasLevel(p []byte) bool {
	for len(p) > 0 {
		p = trimBlanks(p)
		tok, rest := token(p)
		p = rest
		if isLevel(tok) {
			return true
		}
	}
	return false
}

// isLevel: tok is a log level word, bare or in brackets ("INFO",
// "[ERROR]", "info:").
func isLevel(tok []byte) bool {
	for len(tok) > 0 && isLevelPunct(tok[0]) {
		tok = tok[1:]
	}
	for len(tok) > 0 && isLevelPunct(tok[len(tok)-1]) {
		tok = tok[:len(tok)-1]
	}
	if len(tok) < 4 || len(tok) > 8 || !(tok[0] >= 'A' && tok[0] <= 'Z' || tok[0] >= 'a' && tok[0] <= 'z') {
		return false // timestamps, ids, streams (quickly)
	}
	for _, w := range levelWords {
		if string(tok) == w {
			return true
		}
	}
	return false
}

func isLevelPunct(c byte) bool {
	return c == '[' || c == ']' || c == '(' || c == ')' || c == ':' || c == ','
}

// checkPrefix tells a record from an application's log line that quotes
// one: the text before the record's marker may hold only what Lambda and
// export tools put there — timestamps, numbers (event ids, epoch ms), log
// stream names ("2026/03/02/[$LATEST]0a1b…", sam logs' hex ids), log group
// names ("/aws/lambda/NAME") and punctuation. A log level word ("INFO",
// "[ERROR]") marks an application's line: not a record (errNotReport).
// Any other word is an error naming it, so that such a line is listed as
// not read, never counted as an invocation nor dropped silently. One pass
// over the prefix's words, without allocating.
func checkPrefix(p []byte, marker string) error {
	// The common prefixes (none, a time, a time and an event id) are told
	// by one pass over a byte table.
	plain := true
	for _, c := range p {
		if !timeChars[c] {
			plain = false
			break
		}
	}
	if plain {
		return nil
	}
	for rest := trimBlanks(bytes.TrimPrefix(p, utf8BOM)); len(rest) > 0; rest = trimBlanks(rest) {
		var tok []byte
		tok, rest = token(rest)
		switch {
		case isLevel(tok):
			return errNotReport
		case prefixToken(tok):
		default:
			if hasLevel(rest) {
				return errNotReport
			}
			return fmt.Errorf("text %s before %q is not a timestamp, log stream or log group (an application's log line quoting a record?); not counted", shownWord(tok), marker)
		}
	}
	return nil
}

// timeChars are the bytes of timestamps, numbers and the blanks between
// them.
var timeChars = func() (t [256]bool) {
	for _, c := range []byte("0123456789-:TZ.+/ \t") {
		t[c] = true
	}
	return t
}()

// prefixToken: tok is a timestamp, number, log stream or log group name,
// or punctuation (see checkPrefix).
func prefixToken(tok []byte) bool {
	// Timestamps and numbers ("2026-03-02T10:00:00.311000+00:00",
	// "[2026-03-02T10:00:00Z]", "(+00:00)", "1772456400120"), or
	// punctuation alone ("-", "|"): the common case, checked first.
	digit, other := false, false
	for _, c := range tok {
		switch c {
		case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
			digit = true
		case '-', ':', 'T', 'Z', '.', '+', '/', ',', '(', ')', '[', ']', '|':
		default:
			other = true
		}
		if other {
			break
		}
	}
	if !other {
		return digit || len(bytes.Trim(tok, "-:|")) == 0
	}
	if i := bytes.IndexByte(tok, '['); i >= 0 && bytes.IndexByte(tok[i:], ']') > 0 {
		return true // a log stream: 2026/03/02/[$LATEST]0a1b…, 2026/03/02/fn[3]0a1b…, [$LATEST]0a1b…
	}
	if bytes.Contains(tok, lambdaPrefix) || tok[0] == '/' {
		return true // a log group
	}
	return looksLikeID(tok) || string(tok) == "EVENTS" // a hex stream id (sam logs), an event id
}

// indexTimeout finds "Task timed out after " by its 'k' (IndexByte is
// several times faster than Index, and 'k' is rare in log lines).
func indexTimeout(line []byte) int {
	for off := 0; ; {
		k := bytes.IndexByte(line[off:], 'k')
		if k < 0 {
			return -1
		}
		k += off
		if k >= 3 && bytes.HasPrefix(line[k-3:], timeoutMarker) {
			return k - 3
		}
		off = k + 1
	}
}

// isWordStart: line[i] starts a word (not "XINIT_REPORT").
func isWordStart(line []byte, i int) bool {
	return i == 0 || line[i-1] == ' ' || line[i-1] == '\t'
}

// parseTimeout reads "[time]\t[request id]\tTask timed out after 3.00
// seconds" (the request id is the field before the message).
func parseTimeout(line []byte, i int, r *report) error {
	pre := line[:i]
	prefix(pre, r)
	r.Kind = kindTimeout
	p := bytes.TrimRight(pre, " \t")
	if k := bytes.LastIndexAny(p, " \t"); k >= 0 {
		p = p[k+1:]
	}
	if looksLikeID(p) {
		r.RequestID = p
	}
	v, _ := token(skipSpace(line[i+len(timeoutMarker):]))
	us, err := parseMicros(v) // seconds with 2 decimals, read as "ms" then scaled
	if err != nil {
		return fmt.Errorf("timeout line: duration %q: %v", trunc(v), err)
	}
	r.TimeoutUs = us * 1000
	r.Status = statusTimeout
	return nil
}

// looksLikeID: a request id (UUID-like: hex digits and dashes).
func looksLikeID(b []byte) bool {
	if len(b) < 8 || len(b) > 64 {
		return false
	}
	for _, c := range b {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-') {
			return false
		}
	}
	return true
}

// prefix reads what export tools put before the message: a timestamp
// (CloudWatch Logs export to S3, `aws logs tail`) and a `/aws/lambda/NAME`
// log group (`aws logs tail` over several groups).
func prefix(p []byte, r *report) {
	p = trimBlanks(bytes.TrimPrefix(p, utf8BOM))
	// The first timestamp in the prefix: at its start (S3 export, aws logs
	// tail) or after the stream name (sam logs, some tail formats).
	for i := 0; i+20 <= len(p); i++ {
		if p[i] >= '0' && p[i] <= '9' && p[i+4] == '-' && (i == 0 || p[i-1] == ' ' || p[i-1] == '\t' || p[i-1] == '[' || p[i-1] == '(') {
			if ms, ok := parseRFC3339Ms(p[i:]); ok {
				r.TimeMs = ms
				break
			}
		}
	}
	if k := bytes.Index(p, lambdaPrefix); k >= 0 {
		name := p[k+len(lambdaPrefix):]
		if e := bytes.IndexAny(name, " \t"); e >= 0 {
			name = name[:e]
		}
		r.Function = name
	}
}

// parseText reads the fields after "REPORT RequestId:".
func parseText(s []byte, r *report) error {
	r.Kind = kindReport
	s = skipSpace(s)
	r.RequestID, s = token(s)
	return parseFields(s, r, true)
}

// parseFields reads "Key: value [unit]" fields separated by tabs
// (sometimes spaces; the key may contain spaces, "Billed Duration"; the
// unit may be glued to the value, "9804ms"). Unknown fields are ignored.
// For a REPORT (isReport) Duration is required; Billed Duration and Memory
// Size are too, except on Lambda Managed Instances, whose REPORT lines
// carry neither.
func parseFields(s []byte, r *report, isReport bool) error {
	var have uint8
	const (
		hDur = 1 << iota
		hBilled
		hMem
		hMax
	)
	for {
		s = skipSpace(s)
		if len(s) == 0 {
			break
		}
		c := bytes.IndexByte(s, ':')
		if c < 0 {
			if r.Rebuilt && have&hDur == 0 {
				// "… Runtime Duration: 30000.00 ms Task timed out after …"
				return errDatadogManaged
			}
			return fmt.Errorf("%s field %q has no value (a truncated or altered line?)", kindName(r.Kind), trunc(s))
		}
		key := bytes.TrimRight(s[:c], " \t")
		s = skipSpace(s[c+1:])
		var val []byte
		val, s = token(s)
		// An optional unit after the value, or glued to it.
		if t := skipSpace(s); len(t) >= 2 && (t[0] == 'm' && (t[1] == 's' || t[1] == 'B') || t[0] == 'M' && t[1] == 'B') && (len(t) == 2 || t[2] == ' ' || t[2] == '\t' || t[2] == '\r') {
			s = t[2:]
		} else if n := len(val); n > 2 && (bytes.HasSuffix(val, []byte("ms")) || bytes.HasSuffix(val, []byte("MB"))) && val[n-3] >= '0' && val[n-3] <= '9' {
			val = val[:n-2]
		}
		var err error
		switch string(key) { // no allocation: the compiler optimises switch on string(bytes)
		case "Duration":
			r.DurationUs, err = parseMicros(val)
			have |= hDur
		case "Billed Duration":
			r.BilledMs, err = parseInt(val)
			have |= hBilled
		case "Memory Size":
			r.MemorySizeMB, err = parseInt(val)
			have |= hMem
		case "Max Memory Used":
			r.MaxMemoryMB, err = parseInt(val)
			have |= hMax
		case "Init Duration":
			if isReport && have&hDur == 0 {
				// Lambda writes Init Duration after Max Memory Used; only
				// the emulator writes it first.
				return errEmulator
			}
			r.InitDurationUs, err = parseMicros(val)
			// "Init Duration: 0.00 ms" is not a cold start: REPORT lines
			// rebuilt from the Logs API by some forwarders (Datadog's
			// extension before 2021-05) carried it on every invocation.
			r.Cold = isReport && r.InitDurationUs > 0
		case "Restore Duration":
			r.RestoreUs, err = parseMicros(val)
			r.Restored = isReport
		case "Billed Restore Duration":
			r.BilledRestoreMs, err = parseInt(val)
		case "Runtime Duration", "Post Runtime Duration":
			r.Rebuilt = isReport
		case "Status":
			r.Status = parseStatus(val)
		case "Phase":
			r.Phase = val
		}
		if err != nil {
			return fmt.Errorf("%s field %s: %v", kindName(r.Kind), key, err)
		}
	}
	if !isReport {
		if r.Kind == kindRestore && r.RestoreUs == 0 {
			r.RestoreUs = r.DurationUs
		}
		return nil
	}
	switch {
	case have&hDur == 0 && r.Rebuilt:
		return errDatadogManaged
	case have&hDur == 0:
		return fmt.Errorf("REPORT line lacks Duration")
	case have&(hBilled|hMem) == 0:
		// Lambda Managed Instances: no per-ms billing in the line.
		r.Managed = true
		return nil
	case have&(hBilled|hMem|hMax) != hBilled|hMem|hMax:
		var missing []string
		for i, n := range []string{"Billed Duration", "Memory Size", "Max Memory Used"} {
			if have&(2<<i) == 0 {
				missing = append(missing, n)
			}
		}
		return fmt.Errorf("REPORT line lacks %s", joinAnd(missing))
	}
	return nil
}

func kindName(k kind) string {
	switch k {
	case kindInitReport:
		return "INIT_REPORT"
	case kindRestore:
		return "RESTORE_REPORT"
	case kindTimeout:
		return "timeout line"
	case kindCrash:
		return "crash line"
	}
	return "REPORT"
}

func parseStatus(v []byte) status {
	switch string(v) {
	case "timeout":
		return statusTimeout
	case "error", "failure":
		return statusError
	}
	return statusSuccess
}

// platformRecord is a JSON-format platform record (Telemetry API schema).
type platformRecord struct {
	Time string `json:"time"`
	// Timestamp and Level are the envelope of Lambda Web Functions'
	// system events (whose platform.initReport is not an Event Function's).
	Timestamp string `json:"timestamp"`
	Level     string `json:"level"`
	Type      string `json:"type"`
	Record    struct {
		RequestID string `json:"requestId"`
		Status    string `json:"status"`
		Phase     string `json:"phase"`
		// InitializationType: on-demand, provisioned-concurrency,
		// snap-start (platform.initStart / initReport).
		InitializationType string `json:"initializationType"`
		Metrics            *struct {
			DurationMs              *json.Number `json:"durationMs"`
			BilledDurationMs        *json.Number `json:"billedDurationMs"`
			MemorySizeMB            *json.Number `json:"memorySizeMB"`
			MaxMemoryUsedMB         *json.Number `json:"maxMemoryUsedMB"`
			InitDurationMs          *json.Number `json:"initDurationMs"`
			RestoreDurationMs       *json.Number `json:"restoreDurationMs"`
			BilledRestoreDurationMs *json.Number `json:"billedRestoreDurationMs"`
		} `json:"metrics"`
	} `json:"record"`
}

// parsePlatformJSON reads platform.initReport and platform.restoreReport
// records (whitespace and key order free).
func parsePlatformJSON(obj []byte, r *report) error {
	var rec platformRecord
	if err := json.Unmarshal(bytes.TrimRight(obj, " \t\r\n"), &rec); err != nil {
		return fmt.Errorf("platform record: %v", err)
	}
	if rec.Time == "" && rec.Timestamp != "" && rec.Level != "" {
		return errWebFunctions
	}
	switch rec.Type {
	case "platform.initReport":
		r.Kind = kindInitReport
	case "platform.restoreReport":
		r.Kind = kindRestore
	default:
		return errNotReport
	}
	r.Status = parseStatus([]byte(rec.Record.Status))
	r.Phase = []byte(rec.Record.Phase)
	r.InitType = rec.Record.InitializationType
	if m := rec.Record.Metrics; m != nil && m.DurationMs != nil {
		us, err := parseMicros([]byte(*m.DurationMs))
		if err != nil {
			return fmt.Errorf("%s record: durationMs: %v", rec.Type, err)
		}
		if r.Kind == kindRestore {
			r.RestoreUs = us
		} else {
			r.InitDurationUs = us
		}
	}
	if ms, ok := parseRFC3339Ms([]byte(rec.Time)); ok {
		r.TimeMs = ms
	}
	return nil
}

// parseJSON reads a compact `platform.report` record with a fast key scan,
// and falls back to encoding/json for anything unusual (spaces, escapes,
// several lines).
func parseJSON(obj []byte, r *report) error {
	r.Kind = kindReport
	if fastJSON(obj, r) {
		return nil
	}
	*r = report{TimeMs: r.TimeMs, Function: r.Function}
	var rec platformRecord
	obj = bytes.TrimRight(obj, " \t\r\n")
	if err := json.Unmarshal(obj, &rec); err != nil {
		return fmt.Errorf("platform.report record: %v", err)
	}
	if rec.Type != "platform.report" {
		return errNotReport
	}
	m := rec.Record.Metrics
	if m == nil || m.DurationMs == nil {
		return fmt.Errorf("platform.report record lacks metrics.durationMs")
	}
	var err error
	set := func(dst *int64, n *json.Number, micros bool) {
		if err != nil || n == nil {
			return
		}
		if micros {
			*dst, err = parseMicros([]byte(*n))
		} else {
			*dst, err = parseInt([]byte(*n))
		}
	}
	switch {
	case m.BilledDurationMs == nil && m.MemorySizeMB == nil:
		r.Managed = true // Lambda Managed Instances
	case m.BilledDurationMs == nil || m.MemorySizeMB == nil || m.MaxMemoryUsedMB == nil:
		return fmt.Errorf("platform.report record lacks metrics (durationMs, billedDurationMs, memorySizeMB, maxMemoryUsedMB)")
	}
	set(&r.DurationUs, m.DurationMs, true)
	set(&r.BilledMs, m.BilledDurationMs, false)
	set(&r.MemorySizeMB, m.MemorySizeMB, false)
	set(&r.MaxMemoryMB, m.MaxMemoryUsedMB, false)
	if m.InitDurationMs != nil {
		set(&r.InitDurationUs, m.InitDurationMs, true)
		r.Cold = r.InitDurationUs > 0
	}
	if m.RestoreDurationMs != nil {
		set(&r.RestoreUs, m.RestoreDurationMs, true)
		r.Restored = true
	}
	set(&r.BilledRestoreMs, m.BilledRestoreDurationMs, false)
	if err != nil {
		return fmt.Errorf("platform.report record: %v", err)
	}
	r.Kind = kindReport
	r.Status = parseStatus([]byte(rec.Record.Status))
	if rec.Record.RequestID != "" {
		r.RequestID = []byte(rec.Record.RequestID)
	}
	if ms, ok := parseRFC3339Ms([]byte(rec.Time)); ok {
		r.TimeMs = ms
	}
	return nil
}

var (
	kType          = []byte(`"type":"platform.report"`)
	kTime          = []byte(`"time":"`)
	kStatus        = []byte(`"status":"`)
	kRequestID     = []byte(`"requestId":"`)
	kDuration      = []byte(`"durationMs":`)
	kBilled        = []byte(`"billedDurationMs":`)
	kMem           = []byte(`"memorySizeMB":`)
	kMax           = []byte(`"maxMemoryUsedMB":`)
	kInit          = []byte(`"initDurationMs":`)
	kRestore       = []byte(`"restoreDurationMs":`)
	kBilledRestore = []byte(`"billedRestoreDurationMs":`)
	kMetrics       = []byte(`"metrics":{`)
)

// fastJSON handles the compact records Lambda writes. It reports false
// when the record does not look exactly like that, and the caller decodes
// it properly.
func fastJSON(obj []byte, r *report) bool {
	if bytes.IndexByte(obj, '\\') >= 0 || !bytes.Contains(obj, kType) {
		return false
	}
	mi := bytes.Index(obj, kMetrics)
	if mi < 0 {
		return false
	}
	metrics := obj[mi+len(kMetrics):]
	if e := bytes.IndexByte(metrics, '}'); e >= 0 {
		metrics = metrics[:e]
	} else {
		return false
	}
	num := func(key []byte) ([]byte, bool) {
		i := bytes.Index(metrics, key)
		if i < 0 {
			return nil, false
		}
		v := metrics[i+len(key):]
		e := bytes.IndexAny(v, ",}")
		if e < 0 {
			e = len(v)
		}
		return v[:e], true
	}
	var err error
	var ok bool
	var v []byte
	if v, ok = num(kDuration); !ok {
		return false
	}
	if r.DurationUs, err = parseMicros(v); err != nil {
		return false
	}
	if v, ok = num(kBilled); !ok {
		return false
	}
	if r.BilledMs, err = parseInt(v); err != nil {
		return false
	}
	if v, ok = num(kMem); !ok {
		return false
	}
	if r.MemorySizeMB, err = parseInt(v); err != nil {
		return false
	}
	if v, ok = num(kMax); !ok {
		return false
	}
	if r.MaxMemoryMB, err = parseInt(v); err != nil {
		return false
	}
	if v, ok = num(kInit); ok {
		if r.InitDurationUs, err = parseMicros(v); err != nil {
			return false
		}
		r.Cold = r.InitDurationUs > 0
	}
	if v, ok = num(kRestore); ok {
		if r.RestoreUs, err = parseMicros(v); err != nil {
			return false
		}
		r.Restored = true
	}
	if v, ok = num(kBilledRestore); ok {
		if r.BilledRestoreMs, err = parseInt(v); err != nil {
			return false
		}
	}
	if i := bytes.Index(obj, kRequestID); i >= 0 {
		v := obj[i+len(kRequestID):]
		if e := bytes.IndexByte(v, '"'); e > 0 {
			r.RequestID = v[:e] // matches a crash or timeout line of the same invocation
		}
	}
	if i := bytes.Index(obj, kStatus); i >= 0 {
		v := obj[i+len(kStatus):]
		if e := bytes.IndexByte(v, '"'); e >= 0 {
			r.Status = parseStatus(v[:e])
		}
	}
	if i := bytes.Index(obj, kTime); i >= 0 {
		if ms, ok := parseRFC3339Ms(obj[i+len(kTime):]); ok {
			r.TimeMs = ms
		}
	}
	return true
}

func skipSpace(s []byte) []byte {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t' || s[0] == '\r') {
		s = s[1:]
	}
	return s
}

func token(s []byte) (tok, rest []byte) {
	for i, c := range s {
		if c == ' ' || c == '\t' || c == '\r' {
			return s[:i], s[i:]
		}
	}
	return s, nil
}

var errNumber = errors.New("not a number")

// parseInt parses a non-negative decimal integer; a zero fraction
// ("12.0", as JSON encoders write whole floats) is the same integer, any
// other fraction is an error.
func parseInt(b []byte) (int64, error) {
	if i := bytes.IndexByte(b, '.'); i > 0 && i < len(b)-1 && len(bytes.TrimRight(b[i+1:], "0")) == 0 {
		b = b[:i]
	}
	if len(b) == 0 || len(b) > 15 {
		return 0, errNumber
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, errNumber
		}
		v = v*10 + int64(c-'0')
	}
	return v, nil
}

// parseMicros parses a non-negative decimal number of milliseconds
// ("128.83", "11.642", "12") into microseconds, rounding half up beyond
// the third decimal.
func parseMicros(b []byte) (int64, error) {
	if len(b) == 0 || len(b) > 24 {
		return 0, errNumber
	}
	var ip, fp int64
	i := 0
	for ; i < len(b) && b[i] != '.'; i++ {
		c := b[i]
		if c < '0' || c > '9' || i >= 12 {
			return 0, errNumber
		}
		ip = ip*10 + int64(c-'0')
	}
	if i == 0 {
		return 0, errNumber
	}
	digits := 0
	round := false
	if i < len(b) {
		i++ // '.'
		if i == len(b) {
			return 0, errNumber
		}
		for ; i < len(b); i++ {
			c := b[i]
			if c < '0' || c > '9' {
				return 0, errNumber
			}
			switch {
			case digits < 3:
				fp = fp*10 + int64(c-'0')
			case digits == 3:
				round = c >= '5'
			}
			digits++
		}
	}
	for d := digits; d < 3; d++ {
		fp *= 10
	}
	v := ip*1000 + fp
	if round {
		v++
	}
	return v, nil
}

// parseRFC3339Ms parses the start of b as an RFC 3339 timestamp
// ("2024-05-20T16:29:45.022Z", "2024-05-20T16:29:45.022000+00:00",
// "2024-05-20 16:29:45Z") into Unix milliseconds, without allocating.
func parseRFC3339Ms(b []byte) (int64, bool) {
	if len(b) < 20 {
		return 0, false
	}
	d := func(i, n int) (int, bool) {
		v := 0
		for k := i; k < i+n; k++ {
			c := b[k]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	if b[4] != '-' || b[7] != '-' || (b[10] != 'T' && b[10] != ' ') || b[13] != ':' || b[16] != ':' {
		return 0, false
	}
	y, ok1 := d(0, 4)
	mo, ok2 := d(5, 2)
	dd, ok3 := d(8, 2)
	hh, ok4 := d(11, 2)
	mi, ok5 := d(14, 2)
	ss, ok6 := d(17, 2)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 60 {
		return 0, false
	}
	i := 19
	ms := 0
	if i < len(b) && b[i] == '.' {
		i++
		n := 0
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
			if n < 3 {
				ms = ms*10 + int(b[i]-'0')
			}
			n++
		}
		if n == 0 {
			return 0, false
		}
		for ; n < 3; n++ {
			ms *= 10
		}
	}
	off := 0
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case 'Z', 'z':
	case ' ', '\t':
		// No zone, then the message (`aws logs tail --format short`): UTC.
	case '+', '-':
		// ±hh:mm (RFC 3339), or ±hhmm and ±hh (ISO 8601 basic, as some
		// log shippers write it).
		if i+3 > len(b) {
			return 0, false
		}
		oh, ok1 := d(i+1, 2)
		om, ok2 := 0, true
		switch {
		case i+6 <= len(b) && b[i+3] == ':':
			om, ok2 = d(i+4, 2)
		case i+5 <= len(b) && b[i+3] >= '0' && b[i+3] <= '9':
			om, ok2 = d(i+3, 2)
		}
		if !ok1 || !ok2 || oh > 14 || om > 59 {
			return 0, false
		}
		off = (oh*60 + om) * 60
		if b[i] == '-' {
			off = -off
		}
	default:
		return 0, false
	}
	days := daysFromCivil(y, mo, dd)
	sec := int64(days)*86400 + int64(hh*3600+mi*60+ss) - int64(off)
	return sec*1000 + int64(ms), true
}

// daysFromCivil returns days since 1970-01-01 of a proleptic Gregorian
// date (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// shownWord quotes an application's text in a message only when it is a
// short plain word ("forwarding", "[INFO]"): anything else may be data the
// application logged — a secret key (40 characters), a presigned URL, a
// token — and messages go to stderr and into the dataset's problems, so it
// is described by its length only.
func shownWord(b []byte) string {
	plain := len(b) <= 16
	for _, c := range b {
		if !plain {
			break
		}
		plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-_.[]()", c) >= 0
	}
	if plain {
		return strconv.Quote(string(b))
	}
	return fmt.Sprintf("of %d bytes (not shown: it may be data)", len(b))
}

func trunc(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	out := s[0]
	for _, x := range s[1 : len(s)-1] {
		out += ", " + x
	}
	return out + " and " + s[len(s)-1]
}
