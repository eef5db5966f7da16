package collector

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// source is the state of one input being read: where records go, and
// what was wrong or refused in it.
type source struct {
	im        *Importer
	name      string
	defName   string
	malformed int64
	listed    int
	refused   map[string]*refusal // by format
	cur       *funcAcc
	curName   string
	rep       report
	md        mdTable // a Logs Insights result copied or downloaded as Markdown
	// csvZoneNoted: the zone-less times of a CSV export were noted.
	csvZoneNoted bool
	// exportNoted: a function named after an export object was noted.
	exportNoted bool
	// logCur counts the log events of logCurName (logbytes.go).
	logCur     *logBytesAcc
	logCurName string
	// fix, when set, amends each record read before it is added (what its
	// carrier says of it: an invoke's FunctionError).
	fix func(*report)
	// dropped sums the platform.logsDropped records read (droppedN of
	// them, the first at droppedAt).
	dropped   droppedError
	droppedN  int
	droppedAt string
	// emulated: a REPORT of the Runtime Interface Emulator was refused;
	// its later REPORTs with Max Memory Used = Memory Size are too.
	emulated bool
}

// mdTable is the state of a Markdown table being read: the CloudWatch
// console's Logs Insights "Export results" as Markdown writes a header
// (region, log-group-names, start-time, end-time, query-string), then
// "| @timestamp | @message |", "| --- | --- |" and one row per result.
type mdTable struct {
	group string // the function of a single log-group-names entry
	// The query's window (start-time, end-time: UTC), Unix ms; 0 unknown.
	startMs, endMs int64
	// offsetMs is what the rows' zone-less @timestamp (the console's time
	// zone setting) is ahead of UTC, once found.
	offsetMs    int64
	offsetKnown bool
	pending     []string // a header row waiting for its "| --- |" line
	header      []string
}

// markdownLine reads a line of a Logs Insights Markdown export; false
// when the line is not part of one.
func (s *source) markdownLine(line []byte, where func() string) bool {
	if g, ok := bytes.CutPrefix(line, []byte("log-group-names: ")); ok {
		g = bytes.TrimSpace(g)
		if bytes.IndexByte(g, ',') < 0 {
			s.md.group = functionOfGroup(string(g))
		}
		return false
	}
	for _, k := range []struct {
		key string
		dst *int64
	}{{"start-time: ", &s.md.startMs}, {"end-time: ", &s.md.endMs}} {
		if v, ok := bytes.CutPrefix(line, []byte(k.key)); ok {
			if ms, ok := parseRFC3339Ms(bytes.TrimSpace(v)); ok {
				*k.dst = ms
			}
			return false
		}
	}
	if len(line) < 2 || line[0] != '|' {
		return false
	}
	cells := splitMarkdownRow(line)
	switch {
	case s.md.header == nil && s.md.pending == nil:
		for _, c := range cells {
			if strings.HasPrefix(c, "@") {
				s.md.pending = cells
				return true
			}
		}
		return false
	case s.md.header == nil:
		for _, c := range cells {
			if strings.Trim(c, "-: ") != "" {
				s.md.pending = nil
				return false
			}
		}
		s.md.header, s.md.pending = s.md.pending, nil
		return true
	}
	if len(cells) != len(s.md.header) {
		s.bad(where(), fmt.Sprintf("Markdown row of %d cells under a header of %d", len(cells), len(s.md.header)))
		return true
	}
	row := make(map[string]string, len(cells))
	for i, h := range s.md.header {
		row[h] = cells[i]
	}
	s.im.stats.Lines++
	if v := row["@timestamp"]; v != "" {
		row["@timestamp"] = s.markdownTime(v, where)
	}
	s.insightsRow(row, where(), s.md.group)
	return true
}

// markdownTime returns a Markdown row's @timestamp as RFC 3339 UTC. The
// console writes it without a zone, in the console's time-zone setting
// (local time by default), while the header's start-time and end-time are
// UTC: the offset is the one that puts the first row inside the query's
// window — whole hours, else quarter hours, and only if exactly one fits;
// otherwise the time is taken as UTC, and either way the dataset says so.
func (s *source) markdownTime(v string, where func() string) string {
	if _, ok := parseRFC3339Ms([]byte(v)); ok {
		return v // it has a zone
	}
	ms, ok := parseRFC3339Ms([]byte(v + "Z"))
	if !ok {
		return v
	}
	if !s.md.offsetKnown {
		s.md.offsetKnown = true
		in := func(t int64) bool { return t >= s.md.startMs-60_000 && t <= s.md.endMs+60_000 }
		switch {
		case s.md.startMs == 0 || s.md.endMs < s.md.startMs:
			s.zoneNote(where(), "UTC", "the export's header gives no query window to tell its zone by")
		case in(ms):
			s.zoneNote(where(), "UTC", "the rows fall in the header's query window (start-time, end-time, UTC)")
		default:
			var fits []int64
			for _, step := range []int64{3_600_000, 900_000} {
				for k := -14 * 3_600_000 / step; k <= 14*3_600_000/step; k++ {
					if in(ms - k*step) {
						fits = append(fits, k*step)
					}
				}
				if len(fits) > 0 {
					break
				}
			}
			if len(fits) == 1 {
				s.md.offsetMs = fits[0]
				s.zoneNote(where(), fmt.Sprintf("UTC%+03d:%02d", fits[0]/3_600_000, abs64(fits[0]%3_600_000)/60_000),
					"the console wrote the rows in its own time zone; this offset puts them in the header's query window (start-time, end-time, UTC)")
			} else {
				s.zoneNote(where(), "UTC", "the rows are outside the header's query window and no single time-zone offset puts them in it")
			}
		}
	}
	return time.UnixMilli(ms - s.md.offsetMs).UTC().Format("2006-01-02T15:04:05.000Z")
}

func abs64(v int64) int64 {
	if v < 0 {
		return -v
	}
	return v
}

// zoneNote records the time zone assumed for an export's zone-less times.
func (s *source) zoneNote(where, zone, why string) {
	s.im.notes.Add(pricing.Assumption{Field: where + ": @timestamp time zone", Value: zone, Why: "times without a zone; " + why})
}

// isMarkdownHeader: a line of a Logs Insights Markdown export's header
// that markdownLine reads.
func isMarkdownHeader(line []byte) bool {
	return bytes.HasPrefix(line, []byte("log-group-names: ")) || bytes.HasPrefix(line, []byte("start-time: ")) || bytes.HasPrefix(line, []byte("end-time: "))
}

// splitMarkdownRow splits "| a | b\|c |" into its cells, unescaping "\|".
func splitMarkdownRow(line []byte) []string {
	t := strings.TrimSpace(string(line))
	t = strings.TrimPrefix(t, "|")
	if strings.HasSuffix(t, "|") && !strings.HasSuffix(t, "\\|") {
		t = t[:len(t)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '\\' && i+1 < len(t) && t[i+1] == '|':
			cur.WriteByte('|')
			i++
		case t[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(t[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

type refusal struct {
	err   *unsupportedError
	count int64
	where string // first occurrence
	whole bool   // the whole input is in that format
}

func (im *Importer) newSource(name string) *source {
	def := im.opts.Function
	if def == "" {
		def = baseName(name)
	}
	return &source{im: im, name: name, defName: def}
}

func (s *source) bad(where, msg string) {
	s.malformed++
	if s.listed < s.im.opts.MaxProblemsPerFile {
		s.listed++
		s.im.problem(fmt.Sprintf("%s: %s", where, msg))
	}
}

func (s *source) refuse(where string, e *unsupportedError) {
	if s.refused == nil {
		s.refused = map[string]*refusal{}
	}
	r := s.refused[e.Format]
	if r == nil {
		r = &refusal{err: e, where: where}
		s.refused[e.Format] = r
	}
	r.count++
}

// finish reports the file's totals: malformed records beyond those listed
// and every refused format, by name.
func (s *source) finish() {
	s.im.stats.Malformed += s.malformed
	if s.droppedN > 0 {
		s.im.problem(fmt.Sprintf("%s: %d platform.logsDropped record(s) (first at %s): Lambda dropped %d records (%d bytes) before they reached this capture, so invocations, cold starts and billed duration are a lower bound (read the function's CloudWatch log group instead)",
			s.name, s.droppedN, s.droppedAt, s.dropped.Records, s.dropped.Bytes))
	}
	if s.malformed > int64(s.listed) {
		s.im.problem(fmt.Sprintf("%s: %d malformed records in all (first %d listed)", s.name, s.malformed, s.listed))
	}
	formats := make([]string, 0, len(s.refused))
	for f := range s.refused {
		formats = append(formats, f)
	}
	sort.Strings(formats)
	for _, f := range formats {
		r := s.refused[f]
		msg := fmt.Sprintf("%s: %d record(s) (first at %s) are %v", s.name, r.count, r.where, r.err)
		if r.whole {
			msg = fmt.Sprintf("%s is %v", s.name, r.err)
		}
		s.im.problem(msg)
		s.im.refused = append(s.im.refused, msg)
	}
}

// message reads one CloudWatch Logs event message (any number of lines)
// through parseEvent. timeMs is the event's timestamp (used when the
// message carries none); group names the function when the carrier says
// (a log group).
func (s *source) message(msg []byte, timeMs int64, group string, where func() string) {
	parseEvent(msg, &s.rep, func(r *report, err error) {
		if err != nil {
			var ue *unsupportedError
			if errors.As(err, &ue) {
				s.refuse(where(), ue)
				s.emulated = s.emulated || ue == errEmulator
				return
			}
			var de *droppedError
			if errors.As(err, &de) {
				if s.droppedN == 0 {
					s.droppedAt = where()
				}
				s.droppedN++
				s.dropped.Records += de.Records
				s.dropped.Bytes += de.Bytes
				return
			}
			s.bad(where(), err.Error())
			return
		}
		if s.emulated && r.Kind == kindReport && !r.Managed && r.MaxMemoryMB == r.MemorySizeMB {
			// The emulator's warm invocations after its cold one: the same
			// unmeasured Max Memory Used = Memory Size, without the
			// Init Duration that told the first.
			s.refuse(where(), errEmulator)
			return
		}
		if r.TimeMs == 0 {
			r.TimeMs = timeMs
		}
		if s.fix != nil {
			s.fix(r)
		}
		s.add(r, group)
	})
}

// add files a record under its function: --function, else the line's
// /aws/lambda/NAME prefix, else the carrier's log group, else the file name.
func (s *source) add(r *report, group string) {
	im := s.im
	if r.Kind == kindReport {
		im.stats.Reports++
	} else {
		im.stats.Records++
	}
	var acc *funcAcc
	switch {
	case im.opts.Function != "":
		acc = s.fixed(im.opts.Function)
	case r.Function != nil:
		acc = im.funcs[string(r.Function)] // no allocation for the lookup
		if acc == nil {
			acc = im.fn(string(r.Function))
		}
		acc.fromGroup = true
	case group != "":
		acc = s.fixed(group)
		acc.fromGroup = true
	default:
		acc = s.fixed(s.defName)
		if !s.exportNoted && isExportObjectName(s.defName) {
			// S3 export objects are 000000.gz, 000001.gz…: the name says
			// nothing of the function.
			s.exportNoted = true
			im.notes.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].name", s.defName), Value: s.defName,
				Why: "named after the file " + s.name + ", a CloudWatch Logs export object whose name and lines do not name the function or its log group; pass --function"})
		}
	}
	acc.record(r)
}

func (s *source) fixed(name string) *funcAcc {
	if s.cur == nil || s.curName != name {
		s.cur, s.curName = s.im.fn(name), name
	}
	return s.cur
}

// isExportObjectName: a file name of digits only, as CloudWatch Logs'
// S3 export writes its objects (000000.gz).
func isExportObjectName(n string) bool {
	for _, c := range n {
		if c < '0' || c > '9' {
			return false
		}
	}
	return n != ""
}

// functionOfGroup is the function a log group belongs to ("" when the
// group is not a Lambda function's default group).
func functionOfGroup(g string) string {
	if i := strings.Index(g, "/aws/lambda/"); i >= 0 {
		return g[i+len("/aws/lambda/"):]
	}
	return ""
}

// functionOfStream is the function a log stream of a custom log group
// belongs to: Lambda names those streams YYYY/MM/DD/<function>[<version>]<id>
// ("" for the default groups' YYYY/MM/DD/[<version>]<id>).
func functionOfStream(st string) string {
	if len(st) < 12 || st[4] != '/' || st[7] != '/' || st[10] != '/' {
		return ""
	}
	name, _, ok := strings.Cut(st[11:], "[")
	if !ok {
		return ""
	}
	return name
}

// ---- text: exported log files, `aws logs tail`, stdin ----

// jsonScan tracks the nesting depth of JSON text fed to it in pieces.
type jsonScan struct {
	depth     int
	inStr, bs bool
}

func (j *jsonScan) feed(b []byte) {
	for _, c := range b {
		switch {
		case j.bs:
			j.bs = false
		case j.inStr:
			if c == '\\' {
				j.bs = true
			} else if c == '"' {
				j.inStr = false
			}
		case c == '"':
			j.inStr = true
		case c == '{' || c == '[':
			j.depth++
		case c == '}' || c == ']':
			j.depth--
		}
	}
}

var (
	eventsText = []byte("EVENTS\t")
)

// readLogs reads a text log: one record per line, and JSON records
// pretty-printed over several lines (`aws logs tail --format json`, jq),
// mixed with plain lines. A JSON object opens on a line that ends in "{"
// and continues on indented lines until its braces balance; a line that
// cannot continue it ends it, and its lines are read as plain lines.
func (im *Importer) readLogs(s *source, lr *bufio.Reader) {
	if e := cliOutputFormat(peekHead(lr)); e != nil {
		s.refuse(s.name+":1", e)
		s.refused[e.Format].whole = true
		_, _ = io.Copy(io.Discard, lr)
		return
	}
	var (
		lineNo     int64
		skipping   bool // inside an over-long line
		longHasRep bool
		pending    []byte // a multi-line JSON object being gathered
		pendLine   int64
		scan       jsonScan
	)
	at := func(n int64) func() string { return func() string { return fmt.Sprintf("%s:%d", s.name, n) } }
	flush := func() {
		if pending != nil {
			s.logPartial("")
			s.message(pending, 0, "", at(pendLine))
			pending = nil
		}
	}
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
					s.bad(at(lineNo)(), fmt.Sprintf("line longer than %d bytes skipped", lr.Size()))
				}
				if err != nil {
					break
				}
				continue
			}
			for len(line) > 0 && (line[len(line)-1] == '\n' || line[len(line)-1] == '\r') {
				line = line[:len(line)-1]
			}
			if len(line) > 0 && line[0] == 0x1b {
				// Colours: aws logs tail --color on, sam logs, serverless logs
				// and awslogs write ANSI escapes around times, stream names
				// and whole REPORT lines; each such line starts with one (the
				// first byte is checked, not every byte of every line).
				line = stripANSI(line)
			}
			if pending != nil {
				if len(line) > 0 && (line[0] == ' ' || line[0] == '\t' || line[0] == '}' || line[0] == ']') && len(pending)+len(line) < maxLine {
					pending = append(append(pending, '\n'), line...)
					scan.feed(line)
					if scan.depth <= 0 {
						flush()
					}
					goto next
				}
				flush()
			}
			if n := len(line); n > 0 && line[n-1] == '{' {
				if j := bytes.IndexByte(line, '{'); j >= 0 {
					scan = jsonScan{}
					scan.feed(line[j:])
					if scan.depth > 0 {
						pending = append([]byte(nil), line...)
						pendLine = lineNo
						goto next
					}
				}
			}
			if bytes.HasPrefix(line, liveTailLine) {
				// A Live Tail session update printed as one JSON line.
				var u struct {
					Update *liveTailUpdate `json:"sessionUpdate"`
				}
				if err := json.Unmarshal(line, &u); err != nil || u.Update == nil {
					s.bad(at(lineNo)(), fmt.Sprintf("a Live Tail session update that is not valid JSON: %v", err))
				} else {
					s.liveTail(*u.Update, at(lineNo)()+" sessionUpdate")
				}
				goto next
			}
			if len(line) > 0 && line[0] == '{' && bytes.Contains(line, []byte(`"message"`)) && hasRecordMarker(line) {
				// A log event as JSON on one line (jq -c '.events[]'):
				// the record is inside its escaped "message".
				if s.eventLine(line, at(lineNo)) {
					goto next
				}
			}
			if len(line) > 0 && (line[0] == '|' || (line[0] == 'l' || line[0] == 's' || line[0] == 'e') && isMarkdownHeader(line)) && s.markdownLine(line, at(lineNo)) {
				goto next
			}
			if bytes.HasPrefix(line, eventsText) {
				s.eventsTextLine(line, at(lineNo))
				goto next
			}
			s.logPartial("")
			s.message(line, 0, "", at(lineNo))
		}
	next:
		if err != nil {
			if err != io.EOF {
				s.bad(at(lineNo)(), fmt.Sprintf("read error: %v (rest of file skipped)", err))
			}
			break
		}
		if done := im.doneBytes.Load(); done >= im.nextProgress {
			im.nextProgress = done + 4<<20
			im.progress(s.name, false)
		}
	}
	flush()
}

// stripANSI removes ANSI escape sequences (CSI "ESC [ params final" and
// two-byte "ESC x") from b in place and returns the shortened slice.
func stripANSI(b []byte) []byte {
	out := b[:0]
	for i := 0; i < len(b); i++ {
		if b[i] != 0x1b {
			out = append(out, b[i])
			continue
		}
		if i+1 < len(b) && b[i+1] == '[' {
			j := i + 2
			for j < len(b) && (b[j] >= 0x20 && b[j] <= 0x3f) {
				j++
			}
			i = j // the final byte (0x40–0x7e) is skipped with the loop's i++
			continue
		}
		i++ // ESC and the byte after it
	}
	return out
}

func hasRecordMarker(b []byte) bool {
	return bytes.Contains(b, textMarker) || bytes.Contains(b, initMarker) || bytes.Contains(b, restoreMarker) || bytes.Contains(b, timeoutMarker) ||
		bytes.Contains(b, crashRuntime) || bytes.Contains(b, crashProcess)
}

// eventLine reads a line that is one CloudWatch Logs event object; false
// when it is not one.
func (s *source) eventLine(line []byte, where func() string) bool {
	var ev struct {
		Timestamp json.RawMessage `json:"timestamp"`
		Message   *string         `json:"message"`
		Type      string          `json:"type"`
		Group     string          `json:"logGroupName"`
		Stream    string          `json:"logStreamName"`
	}
	if json.Unmarshal(line, &ev) != nil || ev.Message == nil || ev.Type != "" {
		return false
	}
	var ts int64
	if json.Unmarshal(ev.Timestamp, &ts) != nil {
		if ev.Stream == "" {
			return false // an application's JSON log line ("timestamp":"…"), not an event
		}
		ts = eventTime(ev.Timestamp)
	}
	s.logEvent([]byte(*ev.Message), functionOfGroup(ev.Group))
	s.message([]byte(*ev.Message), ts, functionOfGroup(ev.Group), where)
	return true
}

// eventTime reads an event's timestamp: Unix ms, or a time string
// (`aws logs tail --format none` prints datetimes); 0 if neither.
func eventTime(v json.RawMessage) int64 {
	var ms int64
	if json.Unmarshal(v, &ms) == nil {
		return ms
	}
	var str string
	if json.Unmarshal(v, &str) == nil {
		return insightsTime(str)
	}
	return 0
}

// eventsTextLine reads a line of `aws logs filter-log-events --output
// text` (or get-log-events): "EVENTS\t…\tMESSAGE\tTIMESTAMP"; the message
// is found by its record marker, the timestamp is the last column.
func (s *source) eventsTextLine(line []byte, where func() string) {
	var ts int64
	if k := bytes.LastIndexByte(line, '\t'); k >= 0 {
		if v, err := strconv.ParseInt(string(bytes.TrimSpace(line[k+1:])), 10, 64); err == nil {
			ts = v
			line = line[:k]
		}
	}
	s.logPartial("")
	s.message(line[len(eventsText):], ts, "", where)
}

func peekHead(lr *bufio.Reader) []byte {
	head, _ := lr.Peek(4096)
	return head
}

// cliOutputFormat recognises aws CLI output in a format lambdacost does
// not read (--output table, --output yaml).
func cliOutputFormat(head []byte) *unsupportedError {
	t := bytes.TrimLeft(head, " \r\n\xef\xbb\xbf")
	lines := bytes.SplitN(t, []byte("\n"), 3)
	if len(lines) >= 2 {
		first := bytes.TrimSpace(lines[0])
		if len(first) >= 3 && len(bytes.Trim(first, "-+")) == 0 && bytes.HasPrefix(bytes.TrimSpace(lines[1]), []byte("|")) {
			return &unsupportedError{Format: "the output of an aws CLI command with --output table", Hint: "rerun the command with --output json"}
		}
	}
	for _, k := range []string{"events:", "results:", "MetricDataResults:", "logEvents:"} {
		if bytes.HasPrefix(t, []byte(k)) {
			return &unsupportedError{Format: "the output of an aws CLI command with --output yaml", Hint: "rerun the command with --output json"}
		}
	}
	return nil
}

// ---- JSON documents: CLI output, subscription/Firehose payloads, Logs Insights ----

// jsonDocKeys are the first keys of the JSON documents read by
// readJSONDocs: filter-log-events / get-log-events output ("events",
// "nextToken", "searchedLogStreams", "nextForwardToken"), CloudWatch Logs
// subscription and Firehose payloads ("messageType", "owner", "logGroup",
// "logStream", "subscriptionFilters", "logEvents"), the event a Lambda
// subscriber receives ("awslogs"), and Logs Insights get-query-results
// ("results", "statistics", "status", "encryptionKey").
var jsonDocKeys = []string{"events", "nextToken", "searchedLogStreams", "nextForwardToken", "nextBackwardToken", "logStreamName", "eventId", "ingestionTime",
	"messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents", "awslogs",
	"results", "statistics", "status", "encryptionKey", "queryLanguage", "sessionStart", "sessionUpdate",
	"StatusCode", "FunctionError", "LogResult", "ExecutedVersion", "ResponseMetadata"}

// isJSONDoc: the input is a JSON document of one of those kinds, or a
// JSON array (Logs Insights console export, a list of events).
func isJSONDoc(head []byte) bool {
	t := bytes.TrimLeft(head, " \t\r\n\xef\xbb\xbf")
	if len(t) == 0 {
		return false
	}
	if t[0] == '[' {
		// A JSON array of objects, not a "[INFO]\t…" line of a Python log.
		u := bytes.TrimLeft(t[1:], " \t\r\n")
		return len(u) > 0 && (u[0] == '{' || u[0] == '[' || u[0] == ']')
	}
	if t[0] != '{' {
		return false
	}
	t = bytes.TrimLeft(t[1:], " \t\r\n")
	for _, k := range jsonDocKeys {
		if bytes.HasPrefix(t, []byte(`"`+k+`"`)) {
			return true
		}
	}
	return false
}

// readJSONDocs streams one or more concatenated JSON documents (Firehose
// writes subscription payloads back to back). Big arrays ("events",
// "logEvents", "results") are read element by element.
func (im *Importer) readJSONDocs(s *source, r io.Reader) {
	dec := json.NewDecoder(r)
	for doc := 1; ; doc++ {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		where := s.name + ":"
		if doc > 1 {
			where = fmt.Sprintf("%s: document %d:", s.name, doc)
		}
		if err != nil {
			s.bad(where, fmt.Sprintf("offset %d: invalid JSON: %v (rest of file skipped)", dec.InputOffset(), err))
			return
		}
		var ok bool
		switch tok {
		case json.Delim('{'):
			ok = s.object(dec, where)
		case json.Delim('['):
			ok = s.array(dec, where, "")
		default:
			s.bad(where, fmt.Sprintf("offset %d: expected a JSON object or array (rest of file skipped)", dec.InputOffset()))
			return
		}
		if !ok {
			return
		}
	}
}

// object reads the members of a JSON object whose "{" was read.
func (s *source) object(dec *json.Decoder, where string) bool {
	fail := func(err error) bool {
		s.bad(where, fmt.Sprintf("offset %d: %v (rest of file skipped)", dec.InputOffset(), err))
		return false
	}
	group := ""
	other := map[string]json.RawMessage{}
	control := false
	known := false // a key of a document lambdacost reads
	// aws lambda invoke --log-type Tail: the log's last 4 KB, base64.
	var logResult, functionError string
	haveLogResult := false
	var results int64 // rows of a Logs Insights "results" list
	haveResults := false
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := t.(string)
		if slices.Contains(jsonDocKeys, key) {
			known = true
		}
		switch key {
		case "LogResult", "FunctionError":
			var v string
			if err := dec.Decode(&v); err != nil {
				return fail(err)
			}
			if key == "LogResult" {
				logResult, haveLogResult = v, true
			} else {
				functionError = v
			}
		case "sessionUpdate":
			var u liveTailUpdate
			if err := dec.Decode(&u); err != nil {
				return fail(err)
			}
			s.liveTail(u, where+" sessionUpdate")
		case "events", "logEvents", "results":
			if control {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return fail(err)
				}
				continue
			}
			if t, err := dec.Token(); err != nil || t != json.Delim('[') {
				return fail(fmt.Errorf("%q is not a list", key))
			}
			before := s.im.stats.Lines
			if !s.array(dec, where+" "+key, group) {
				return false
			}
			if key == "results" {
				results, haveResults = s.im.stats.Lines-before, true
			}
		case "logGroup":
			var g string
			if err := dec.Decode(&g); err != nil {
				return fail(err)
			}
			group = functionOfGroup(g)
		case "logStream":
			var st string
			if err := dec.Decode(&st); err != nil {
				return fail(err)
			}
			if group == "" {
				group = functionOfStream(st)
			}
		case "messageType":
			var m string
			if err := dec.Decode(&m); err != nil {
				return fail(err)
			}
			control = m == "CONTROL_MESSAGE"
		case "awslogs":
			var aw struct {
				Data string `json:"data"`
			}
			if err := dec.Decode(&aw); err != nil {
				return fail(err)
			}
			s.awslogs(aw.Data, where)
		default:
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return fail(err)
			}
			if len(other) < 64 {
				other[key] = v
			}
		}
	}
	if _, err := dec.Token(); err != nil { // "}"
		return fail(err)
	}
	if haveResults {
		s.insightsComplete(other, results, where)
	}
	if haveLogResult {
		s.invokeTail(logResult, functionError, strings.TrimSuffix(where, ":")+" LogResult")
	}
	for _, k := range []string{"nextToken", "NextToken"} {
		// filter-log-events output carries a token only when more events
		// remain (the CLI pages through them unless --max-items or
		// --no-paginate); get-log-events' nextForwardToken is always there.
		var tok string
		if v, ok := other[k]; ok && json.Unmarshal(v, &tok) == nil && tok != "" {
			s.im.problem(fmt.Sprintf("%s the document has a %s: more events remain than it holds (one page of filter-log-events); only those it holds are imported", where, k))
		}
	}
	if len(other) > 0 && (other["type"] != nil || other["_aws"] != nil || other["message"] != nil || other["@message"] != nil) {
		s.element(other, nil, where, group)
	} else if !known {
		// Not one of the documents read (get-log-events, filter-log-events,
		// subscription, Firehose, Logs Insights, Live Tail): refused by
		// name, never skipped unseen.
		s.im.stats.Lines++
		s.refuse(strings.TrimSuffix(where, ":"), errNotEvent)
	}
	return true
}

// errNotEvent is a JSON object none of whose keys is a log event's or a
// document's lambdacost reads.
var errNotEvent = &unsupportedError{Format: "a JSON object that is not a Lambda log event", Hint: "give CloudWatch Logs events (message, timestamp), Lambda log lines or Logs Insights results with @message"}

// liveTailUpdate is a CloudWatch Logs Live Tail session update
// (StartLiveTail's LiveTailSessionUpdate, as SDKs and the CLI print it:
// {"sessionUpdate":{"sessionMetadata":{"sampled":…},"sessionResults":[…]}}).
type liveTailUpdate struct {
	SessionMetadata struct {
		Sampled bool `json:"sampled"`
	} `json:"sessionMetadata"`
	SessionResults []struct {
		LogGroupIdentifier string          `json:"logGroupIdentifier"`
		LogStreamName      string          `json:"logStreamName"`
		Message            string          `json:"message"`
		Timestamp          json.RawMessage `json:"timestamp"`
	} `json:"sessionResults"`
}

// errLiveTailSampled is a Live Tail update whose events CloudWatch sampled:
// above 500 events a second it keeps 500 and drops the rest, so its
// REPORT lines are a part of the invocations only.
var errLiveTailSampled = &unsupportedError{
	Format: "a Live Tail update whose events CloudWatch sampled (sessionMetadata.sampled: true; above 500 events a second the rest are dropped), so its REPORT lines are a part of the invocations only",
	Hint:   "export the window's events with `aws logs filter-log-events` or read them with `collect --logs`",
}

// invokeTail reads the LogResult of `aws lambda invoke --log-type Tail`:
// base64 of the last 4 KB of the invocation's log, which end with its
// REPORT. A FunctionError ("Unhandled": the handler failed) is an error
// that the REPORT's Status does not carry.
func (s *source) invokeTail(b64, functionError, where string) {
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		s.bad(where, fmt.Sprintf("not base64: %v", err))
		return
	}
	s.im.stats.Lines++
	s.logPartial("")
	s.fix = func(r *report) {
		if functionError != "" && r.Kind == kindReport && r.Status == statusSuccess {
			r.Status = statusError
		}
	}
	s.message(raw, 0, "", func() string { return where })
	s.fix = nil
}

// liveTailLine starts a Live Tail session update printed on one line.
var liveTailLine = []byte(`{"sessionUpdate"`)

// liveTail reads one Live Tail session update's events.
func (s *source) liveTail(u liveTailUpdate, where string) {
	if u.SessionMetadata.Sampled {
		s.im.stats.Lines += int64(len(u.SessionResults))
		s.refuse(where, errLiveTailSampled)
		return
	}
	for i, ev := range u.SessionResults {
		s.im.stats.Lines++
		s.im.stats.Bytes += int64(len(ev.Message))
		g := functionOfGroup(strings.TrimSuffix(ev.LogGroupIdentifier, ":*"))
		if g == "" {
			g = functionOfStream(ev.LogStreamName)
		}
		w := fmt.Sprintf("%s.sessionResults[%d]", where, i)
		// A session may filter events (a pattern): its events are not
		// known to be the function's whole log.
		s.logPartial(g)
		s.message([]byte(ev.Message), eventTime(ev.Timestamp), g, func() string { return w })
	}
}

// insightsComplete checks a get-query-results document: a query that did
// not complete, or whose results stop at the query's row limit (1,000 by
// default, 10,000 at most) before the records it matched, gives a part of
// the records only — listed, never taken for the whole.
func (s *source) insightsComplete(other map[string]json.RawMessage, rows int64, where string) {
	var status string
	if v, ok := other["status"]; ok && json.Unmarshal(v, &status) == nil && status != "" && status != "Complete" {
		s.im.problem(fmt.Sprintf("%s the Logs Insights query's status is %q, not Complete: its results are partial", where, status))
	}
	var st struct {
		RecordsMatched *float64 `json:"recordsMatched"`
	}
	if v, ok := other["statistics"]; ok && json.Unmarshal(v, &st) == nil && st.RecordsMatched != nil && int64(*st.RecordsMatched) > rows {
		s.im.problem(fmt.Sprintf("%s the Logs Insights query matched %d records but its results hold %d rows (the query's limit: 1,000 by default, 10,000 at most): only those rows are imported; split the window or use `collect --logs`", where, int64(*st.RecordsMatched), rows))
	}
}

// awslogs reads the event a Lambda subscriber receives:
// {"awslogs":{"data":"<base64 of a gzip'd subscription payload>"}}.
func (s *source) awslogs(data, where string) {
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		s.bad(where+".awslogs.data", fmt.Sprintf("not base64: %v", err))
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		s.bad(where+".awslogs.data", fmt.Sprintf("not gzip data: %v", err))
		return
	}
	defer zr.Close()
	s.im.readJSONDocs(s, zr)
}

// array reads the elements of a JSON array whose "[" was read, and its "]".
func (s *source) array(dec *json.Decoder, where, group string) bool {
	for i := 0; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			s.bad(fmt.Sprintf("%s[%d]", where, i), fmt.Sprintf("%v (rest of file skipped)", err))
			return false
		}
		w := fmt.Sprintf("%s[%d]", where, i)
		t := bytes.TrimLeft(raw, " \t\r\n")
		switch {
		case len(t) > 0 && t[0] == '{':
			var m map[string]json.RawMessage
			if err := json.Unmarshal(raw, &m); err != nil {
				s.bad(w, err.Error())
				continue
			}
			s.element(m, raw, w, group)
		case len(t) > 0 && t[0] == '[':
			// A Logs Insights get-query-results row: [{"field","value"}…].
			var cells []struct {
				Field string `json:"field"`
				Value string `json:"value"`
			}
			if err := json.Unmarshal(raw, &cells); err != nil {
				s.bad(w, fmt.Sprintf("not a Logs Insights result row: %v", err))
				continue
			}
			s.im.stats.Lines++
			row := make(map[string]string, len(cells))
			for _, c := range cells {
				row[c.Field] = c.Value
			}
			s.insightsRow(row, w, group)
		default:
			s.bad(w, "expected a JSON object")
		}
	}
	if _, err := dec.Token(); err != nil {
		s.bad(where, fmt.Sprintf("offset %d: %v (rest of file skipped)", dec.InputOffset(), err))
		return false
	}
	return true
}

// element reads one JSON object found in a document: a log event
// ({"timestamp","message",…}), a Logs Insights row exported from the
// console ({"@timestamp","@message",…}), a platform record, or a Lambda
// Insights EMF event (refused).
func (s *source) element(m map[string]json.RawMessage, raw []byte, where, group string) {
	str := func(k string) (string, bool) {
		v, ok := m[k]
		if !ok {
			return "", false
		}
		var x string
		if json.Unmarshal(v, &x) != nil {
			return string(v), true
		}
		return x, true
	}
	w := func() string { return where }
	s.im.stats.Lines++
	if msg, ok := str("message"); ok && m["type"] == nil {
		s.im.stats.Bytes += int64(len(msg))
		ts := eventTime(m["timestamp"])
		g := group
		if lg, ok := str("logGroupName"); ok && functionOfGroup(lg) != "" {
			g = functionOfGroup(lg)
		} else if st, ok := str("logStreamName"); ok && g == "" {
			g = functionOfStream(st)
		}
		s.logEvent([]byte(msg), g)
		s.message([]byte(msg), ts, g, w)
		return
	}
	if _, ok := m["@message"]; ok {
		s.insightsRow(stringMap(m), where, group)
		return
	}
	if _, ok := m["@duration"]; ok {
		s.insightsRow(stringMap(m), where, group)
		return
	}
	if m["_aws"] != nil {
		s.refuse(where, errInsightsEMF)
		return
	}
	if m["type"] != nil {
		if raw == nil {
			raw, _ = json.Marshal(m)
		}
		s.logPartial(group)
		s.message(raw, 0, group, w)
		return
	}
	s.refuse(where, errNotEvent)
}

func stringMap(m map[string]json.RawMessage) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		var x string
		if json.Unmarshal(v, &x) != nil {
			x = string(v)
		}
		out[k] = x
	}
	return out
}

var errInsightsAggregate = &unsupportedError{
	Format: "a Logs Insights result without @message or the REPORT fields (@duration, @billedDuration, @memorySize, @maxMemoryUsed), e.g. of a stats query",
	Hint:   "rerun the query as `fields @timestamp, @log, @message | filter @message like /REPORT RequestId|platform.report|INIT_REPORT|Task timed out/` and import its results",
}

// insightsRow reads one Logs Insights result row: its @message through
// parseEvent, or else the fields Logs Insights discovers in REPORT lines
// (@duration, @billedDuration in ms; @memorySize, @maxMemoryUsed in
// bytes, 10^6 per MB; @initDuration).
func (s *source) insightsRow(row map[string]string, where, group string) {
	var ts int64
	if v := row["@timestamp"]; v != "" {
		ts = insightsTime(v)
	}
	g := group
	if lg := row["@log"]; lg != "" {
		if fn := functionOfGroup(lg); fn != "" {
			g = fn
		}
	}
	w := func() string { return where }
	if msg, ok := row["@message"]; ok {
		s.im.stats.Bytes += int64(len(msg))
		s.logPartial(g)
		s.message([]byte(msg), ts, g, w)
		return
	}
	if row["@duration"] == "" || row["@billedDuration"] == "" || row["@memorySize"] == "" {
		s.refuse(where, errInsightsAggregate)
		return
	}
	r := &s.rep
	*r = report{Kind: kindReport, TimeMs: ts}
	if t := row["@type"]; t != "" && t != "REPORT" {
		return
	}
	var err error
	num := func(k string) float64 {
		v, e := strconv.ParseFloat(row[k], 64)
		if e != nil && err == nil {
			err = fmt.Errorf("%s %q: not a number", k, row[k])
		}
		return v
	}
	r.DurationUs = int64(num("@duration")*1000 + 0.5)
	r.BilledMs = int64(num("@billedDuration") + 0.5)
	r.MemorySizeMB = int64(num("@memorySize")/1e6 + 0.5)
	r.NoStatus = true // fields, not the line: no Status
	if row["@maxMemoryUsed"] != "" {
		r.MaxMemoryMB = int64(num("@maxMemoryUsed")/1e6 + 0.5)
	} else {
		r.NoMaxMem = true
	}
	if row["@initDuration"] != "" {
		r.InitDurationUs = int64(num("@initDuration")*1000 + 0.5)
		r.Cold = r.InitDurationUs > 0
	}
	if err != nil {
		s.bad(where, err.Error())
		return
	}
	if id := row["@requestId"]; id != "" {
		r.RequestID = []byte(id)
	}
	s.add(r, g)
}

// insightsTime parses Logs Insights' "2026-11-02 10:00:00.123" (UTC, no
// zone) or an RFC 3339 time, into Unix ms (0 if neither).
func insightsTime(v string) int64 {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 1e11 {
		return n // Unix ms
	}
	if ms, ok := parseRFC3339Ms([]byte(v)); ok {
		return ms
	}
	if ms, ok := parseRFC3339Ms([]byte(v + "Z")); ok {
		return ms
	}
	return 0
}

// ---- Logs Insights console export, CSV ----

// isInsightsCSV: a CSV whose header names @message (or the REPORT fields).
// The CloudWatch console's log-events download (timestamp,message) is read
// the same way.
func isInsightsCSV(head []byte) bool {
	t := bytes.TrimLeft(head, "\xef\xbb\xbf")
	first, _, _ := bytes.Cut(t, []byte("\n"))
	first = bytes.TrimRight(first, "\r")
	if !bytes.Contains(first, []byte(",")) {
		return false
	}
	msg := false
	for _, f := range bytes.Split(first, []byte(",")) {
		f = bytes.Trim(bytes.TrimSpace(f), `"`)
		for _, c := range f {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || bytes.IndexByte([]byte("@_().* "), c) >= 0) {
				return false
			}
		}
		switch strings.ToLower(string(f)) {
		case "@message", "message", "@duration":
			msg = true
		}
	}
	return msg
}

func (im *Importer) readInsightsCSV(s *source, r io.Reader) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	header, err := cr.Read()
	if err != nil {
		s.bad(s.name+":1", fmt.Sprintf("CSV header: %v", err))
		return
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\xef\xbb\xbf")
	}
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "message":
			header[i] = "@message"
		case "timestamp":
			header[i] = "@timestamp"
		}
	}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		where := fmt.Sprintf("%s: row %d", s.name, line-1)
		im.stats.Lines++
		if err != nil {
			s.bad(where, fmt.Sprintf("CSV: %v", err))
			if errors.Is(err, csv.ErrFieldCount) {
				continue
			}
			return
		}
		row := make(map[string]string, len(header))
		for i, h := range header {
			if i < len(rec) {
				row[h] = rec[i]
			}
		}
		if v := row["@timestamp"]; v != "" && !s.csvZoneNoted {
			if _, ok := parseRFC3339Ms([]byte(v)); !ok {
				if _, ok := parseRFC3339Ms([]byte(v + "Z")); ok {
					s.csvZoneNoted = true
					s.zoneNote(where, "UTC", "the console writes an export's times in its own time-zone setting (UTC or local), which the file does not state")
				}
			}
		}
		s.insightsRow(row, where, "")
	}
}
