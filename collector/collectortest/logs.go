package collectortest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// LogEvent is one CloudWatch Logs event as FilterLogEvents returns it.
// Message is stored byte for byte as CloudWatch stores it: Lambda's
// platform lines end in "\n" (REPORT in "\t\n"), handler output keeps
// whatever line ending the handler wrote.
type LogEvent struct {
	Timestamp int64 // Unix ms
	Stream    string
	Message   string
}

// logEvents returns what FilterLogEvents serves for a group: Events[group]
// (within [start, end], as CloudWatch does) or, for groups given as bare
// messages in Logs, those messages one second apart from start; then the
// filter pattern is applied as CloudWatch applies it to unstructured
// events: `?"a" ?"b" ?c` keeps events containing any of the terms
// (case-sensitive), a single `"a b"` or `a` those containing it.
func (s *Stub) logEvents(group, pattern string, start, end int64) ([]LogEvent, bool) {
	var evs []LogEvent
	if ev, ok := s.Events[group]; ok {
		for _, e := range ev {
			if e.Timestamp >= start && e.Timestamp <= end {
				evs = append(evs, e)
			}
		}
		sort.SliceStable(evs, func(i, j int) bool { return evs[i].Timestamp < evs[j].Timestamp })
	} else if msgs, ok := s.Logs[group]; ok {
		for i, m := range msgs {
			evs = append(evs, LogEvent{Timestamp: start + int64(i)*1000, Stream: "2026/11/19/[$LATEST]abc", Message: m})
		}
	} else {
		return nil, false
	}
	terms := filterTerms(pattern)
	if len(terms) == 0 {
		return evs, true
	}
	out := evs[:0:0]
	for _, e := range evs {
		for _, t := range terms {
			if strings.Contains(e.Message, t) {
				out = append(out, e)
				break
			}
		}
	}
	return out, true
}

// filterTerms splits a CloudWatch Logs filter pattern of optional terms.
func filterTerms(p string) []string {
	var terms []string
	p = strings.TrimSpace(p)
	for len(p) > 0 {
		p = strings.TrimLeft(p, " ?")
		if p == "" {
			break
		}
		if p[0] == '"' {
			end := strings.IndexByte(p[1:], '"')
			if end < 0 {
				terms = append(terms, p[1:])
				break
			}
			terms = append(terms, p[1:1+end])
			p = p[end+2:]
			continue
		}
		end := strings.IndexByte(p, ' ')
		if end < 0 {
			end = len(p)
		}
		terms = append(terms, p[:end])
		p = p[end:]
	}
	return terms
}

// eventID is a FilterLogEvents event id (56 digits, like CloudWatch's).
func eventID(i int) string { return fmt.Sprintf("%056s", strconv.Itoa(i+1)) }

// TextFormatEvents is the log group of a Python 3.12 function with the
// default (text) log format over one stretch of 2 minutes from t0,
// shaped as CloudWatch stores them (INIT_START, START, handler lines with
// and without a trailing newline, END, REPORT ending in "\t\n", a REPORT
// whose X-Ray trace is a second line of the same event, an EXTENSION and a
// TELEMETRY line, a timeout with its "Task timed out" line, a crash). The
// shapes follow the AWS Lambda developer guide (python-logging,
// monitoring-cloudwatchlogs) and public captures; the values are ours.
//
// Hand-computed totals (4 invocations, memory 256 MB):
//
//	a  cold: Duration 102.35 + Init 316.12 = 418.47 → Billed 419, Max 71 MB
//	b  warm: Duration 20.01 → Billed 21, Max 72 MB
//	c  timeout: Duration 3000.00 → Billed 3000, Max 80 MB
//	d  crash (Runtime.ExitError): Duration 45.50 → Billed 46, Max 75 MB
//	billed 419+21+3000+46 = 3,486 ms; cold starts 1; timeouts 1; max 80 MB
func TextFormatEvents(t0 time.Time) []LogEvent {
	const (
		stream = "2026/11/20/[$LATEST]6b2f4a0c4241adcd70c262d34c0bbc85"
		a      = "c793869b-ee49-415b-a5b6-4fd21e8dedac"
		b      = "2b9e3f35-61a3-4d3c-9b52-1a0c3fd1e5a7"
		c      = "0f4b1e2a-7c55-4d2e-8a1f-9d3e6b7c8a90"
		d      = "5d1c9e77-3b2a-4f60-9e8d-7a6b5c4d3e21"
	)
	ms := func(off int) int64 { return t0.UnixMilli() + int64(off) }
	iso := func(off int) string { return time.UnixMilli(ms(off)).UTC().Format("2006-01-02T15:04:05.000Z") }
	return []LogEvent{
		{ms(100), stream, "EXTENSION\tName: cloudwatch_lambda_agent\tState: Ready\tEvents: [INVOKE, SHUTDOWN]\n"},
		{ms(101), stream, "TELEMETRY\tName: cloudwatch_lambda_agent\tState: Subscribed\tTypes: [Platform]\n"},
		{ms(102), stream, "INIT_START Runtime Version: python:3.12.v40\tRuntime Version ARN: arn:aws:lambda:us-east-1::runtime:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\n"},
		{ms(420), stream, "START RequestId: " + a + " Version: $LATEST\n"},
		{ms(450), stream, "[INFO]\t" + iso(450) + "\t" + a + "\torder accepted\n"},
		{ms(521), stream, "END RequestId: " + a + "\n"},
		{ms(522), stream, "REPORT RequestId: " + a + "\tDuration: 102.35 ms\tBilled Duration: 419 ms\tMemory Size: 256 MB\tMax Memory Used: 71 MB\tInit Duration: 316.12 ms\t\n"},
		{ms(20000), stream, "START RequestId: " + b + " Version: $LATEST\n"},
		{ms(20005), stream, "no newline at the end of this handler line"},
		{ms(20020), stream, "END RequestId: " + b + "\n"},
		{ms(20021), stream, "REPORT RequestId: " + b + "\tDuration: 20.01 ms\tBilled Duration: 21 ms\tMemory Size: 256 MB\tMax Memory Used: 72 MB\t\nXRAY TraceId: 1-5d9d007f-0a8c7fd02xmpl480aed55ef0\tSegmentId: 3d752xmpl1bbe37e\tSampled: true\t\n"},
		{ms(61000), stream, "START RequestId: " + c + " Version: $LATEST\n"},
		{ms(64000), stream, iso(64000) + " " + c + " Task timed out after 3.00 seconds\n\n"},
		{ms(64001), stream, "END RequestId: " + c + "\n"},
		{ms(64002), stream, "REPORT RequestId: " + c + "\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB\tStatus: timeout\n"},
		{ms(90000), stream, "START RequestId: " + d + " Version: $LATEST\n"},
		{ms(90040), stream, "RequestId: " + d + " Error: Runtime exited with error: signal: killed\nRuntime.ExitError\n"},
		{ms(90046), stream, "END RequestId: " + d + "\n"},
		{ms(90047), stream, "REPORT RequestId: " + d + "\tDuration: 45.50 ms\tBilled Duration: 46 ms\tMemory Size: 256 MB\tMax Memory Used: 75 MB\tStatus: error\tError Type: Runtime.ExitError\n"},
	}
}

// JSONFormatEvents is the log group of a Node.js 22 function with the JSON
// log format (advanced logging controls) over 2 minutes from t0: one
// compact JSON object per event, as in the AWS Lambda developer guide
// (monitoring-cloudwatchlogs-advanced, telemetry-schema-reference) and
// public captures; the values are ours.
//
// Hand-computed totals (6 invocations, memory 384 MB):
//
//	1 cold: durationMs 250.123 + initDurationMs 180.456 = 430.579 → billed 431, max 90
//	2 12.5 → 13, max 91      3 7.001 → 8, max 91     4 timeout 3000.0 → 3000, max 95
//	5 99.999 → 100, max 92   6 error (Runtime.Unknown) 1.2 → 2, max 93
//	billed 431+13+8+3000+100+2 = 3,554 ms; cold starts 1; timeouts 1; max 95 MB
func JSONFormatEvents(t0 time.Time) []LogEvent {
	const stream = "2026/11/20/[$LATEST]9a0b1c2d3e4f50617283940a1b2c3d4e"
	ms := func(off int) int64 { return t0.UnixMilli() + int64(off) }
	iso := func(off int) string { return time.UnixMilli(ms(off)).UTC().Format("2006-01-02T15:04:05.000Z") }
	id := func(i int) string { return fmt.Sprintf("4b142fc3-17b8-4cdb-a46b-a8dbe79187%02d", i) }
	evs := []LogEvent{
		{ms(10), stream, `{"time":"` + iso(10) + `","type":"platform.initStart","record":{"initializationType":"on-demand","phase":"init","runtimeVersion":"nodejs:22.v9","runtimeVersionArn":"arn:aws:lambda:us-east-1::runtime:b475b23763329123d9e6f79f51886d0e1054f727f5b90ec945fcb2a3ec09afdd","functionName":"fn-002","functionVersion":"$LATEST"}}`},
		{ms(190), stream, `{"time":"` + iso(190) + `","type":"platform.initRuntimeDone","record":{"initializationType":"on-demand","phase":"init","status":"success"}}`},
		{ms(191), stream, `{"time":"` + iso(191) + `","type":"platform.initReport","record":{"initializationType":"on-demand","phase":"init","status":"success","metrics":{"durationMs":180.456}}}`},
	}
	type inv struct {
		off                  int
		status, errType      string
		dur                  string
		billed, maxMem       int
		init                 string
		appLog, appLogIsJSON bool
	}
	invs := []inv{
		{off: 192, status: "success", dur: "250.123", billed: 431, maxMem: 90, init: "180.456", appLog: true, appLogIsJSON: true},
		{off: 15000, status: "success", dur: "12.5", billed: 13, maxMem: 91},
		{off: 30000, status: "success", dur: "7.001", billed: 8, maxMem: 91, appLog: true},
		{off: 60500, status: "timeout", dur: "3000.0", billed: 3000, maxMem: 95},
		{off: 80000, status: "success", dur: "99.999", billed: 100, maxMem: 92},
		{off: 100000, status: "error", errType: "Runtime.Unknown", dur: "1.2", billed: 2, maxMem: 93},
	}
	for i, v := range invs {
		rid := id(i + 1)
		evs = append(evs, LogEvent{ms(v.off), stream, `{"time":"` + iso(v.off) + `","type":"platform.start","record":{"requestId":"` + rid + `","version":"$LATEST"}}`})
		if v.appLog {
			msg := `{"timestamp":"` + iso(v.off+1) + `","level":"INFO","requestId":"` + rid + `","message":"handled"}`
			if !v.appLogIsJSON {
				msg = `{"timestamp":"` + iso(v.off+1) + `","level":"INFO","requestId":"` + rid + `","message":"multi\nline"}`
			}
			evs = append(evs, LogEvent{ms(v.off + 1), stream, msg})
		}
		errType := ""
		if v.errType != "" {
			errType = `,"errorType":"` + v.errType + `"`
		}
		init := ""
		if v.init != "" {
			init = `,"initDurationMs":` + v.init
		}
		end := v.off + 3
		evs = append(evs,
			LogEvent{ms(end), stream, `{"time":"` + iso(end) + `","type":"platform.runtimeDone","record":{"requestId":"` + rid + `","status":"` + v.status + `"` + errType + `,"metrics":{"durationMs":` + v.dur + `,"producedBytes":40}}}`},
			LogEvent{ms(end + 1), stream, `{"time":"` + iso(end+1) + `","type":"platform.report","record":{"requestId":"` + rid + `","status":"` + v.status + `"` + errType + `,"metrics":{"durationMs":` + v.dur + `,"billedDurationMs":` + strconv.Itoa(v.billed) + `,"memorySizeMB":384,"maxMemoryUsedMB":` + strconv.Itoa(v.maxMem) + init + `}}}`},
		)
	}
	return evs
}
