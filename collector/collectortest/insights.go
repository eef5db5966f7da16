package collectortest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Logs Insights limits, typed in from the StartQuery API reference: up to
// 50 log groups in logGroupNames, up to 30 concurrent queries per account,
// at most 10,000 result rows (limit; the default is 1,000).
const (
	MaxInsightsLogGroups  = 50
	MaxInsightsConcurrent = 30
	MaxInsightsRows       = 10_000
	defaultInsightsRows   = 1_000
)

// insightsQuery is one query the stub ran: its results are computed from
// the stored events when it starts, and served through Scheduled, Running
// and Complete as CloudWatch does (one GetQueryResults poll each).
type insightsQuery struct {
	rows    [][]map[string]string
	stats   map[string]float64
	polls   int
	stopped bool
	done    bool
}

// InsightsStats are what the stub saw of Logs Insights.
type InsightsStats struct {
	Started, Polls, Stopped int
	// MaxActive is the most queries running at once.
	MaxActive int
	// BytesScanned is the sum of the queries' bytes scanned.
	BytesScanned float64
	// Groups are the log groups named by each query.
	Groups [][]string
}

// Insights returns what the stub saw of Logs Insights.
func (s *Stub) Insights() InsightsStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.ins
	st.Groups = append([][]string(nil), s.ins.Groups...)
	return st
}

func (s *Stub) activeQueries() int {
	n := 0
	for _, q := range s.queries {
		if !q.done && !q.stopped {
			n++
		}
	}
	return n
}

func logsErr(w http.ResponseWriter, typ, msg string) {
	jsonReply(w, 400, map[string]any{"__type": typ, "message": msg}, "application/x-amz-json-1.1")
}

func (s *Stub) startQuery(w http.ResponseWriter, body []byte) {
	var in struct {
		LogGroupName  string   `json:"logGroupName"`
		LogGroupNames []string `json:"logGroupNames"`
		StartTime     int64    `json:"startTime"`
		EndTime       int64    `json:"endTime"`
		QueryString   string   `json:"queryString"`
		Limit         int      `json:"limit"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		s.t.Errorf("stub: StartQuery body: %v", err)
	}
	groups := in.LogGroupNames
	if in.LogGroupName != "" {
		groups = append(groups, in.LogGroupName)
	}
	switch {
	case len(groups) == 0 || len(groups) > MaxInsightsLogGroups:
		s.t.Errorf("stub: StartQuery with %d log groups (limit %d)", len(groups), MaxInsightsLogGroups)
		logsErr(w, "InvalidParameterException", "logGroupNames: 1 to 50 log groups")
		return
	case in.Limit > MaxInsightsRows || in.Limit < 0:
		s.t.Errorf("stub: StartQuery limit %d", in.Limit)
		logsErr(w, "InvalidParameterException", "limit must be 1 to 10000")
		return
	case in.EndTime <= in.StartTime || in.StartTime <= 0:
		s.t.Errorf("stub: StartQuery window %d – %d", in.StartTime, in.EndTime)
		logsErr(w, "InvalidParameterException", "bad time range")
		return
	}
	limit := in.Limit
	if limit == 0 {
		limit = defaultInsightsRows
	}
	// Every group must exist, as for CloudWatch.
	var evs []groupEvent
	var bytes, scanned float64
	for _, g := range groups {
		ge, ok := s.Events[g]
		if msgs, bare := s.Logs[g]; bare && !ok {
			// Bare messages: one second apart from the query's start, as
			// FilterLogEvents serves them.
			ok = true
			for i, m := range msgs {
				ge = append(ge, LogEvent{Timestamp: (in.StartTime + int64(i)) * 1000, Stream: "2026/11/19/[$LATEST]abc", Message: m})
			}
		}
		if !ok {
			logsErr(w, "ResourceNotFoundException", "The specified log group does not exist.")
			return
		}
		for _, e := range ge {
			// startTime and endTime are epoch seconds, both inclusive in
			// the API; the collector asks for [start, end-1 s].
			if e.Timestamp >= in.StartTime*1000 && e.Timestamp < (in.EndTime+1)*1000 {
				evs = append(evs, groupEvent{e, g})
				bytes += float64(len(e.Message))
				scanned++
			}
		}
	}
	q, err := parseQuery(in.QueryString)
	if err != nil {
		s.t.Errorf("stub: query %q: %v", in.QueryString, err)
		logsErr(w, "MalformedQueryException", err.Error())
		return
	}
	rows, matched := q.run(evs)
	if len(rows) > limit {
		rows = rows[:limit]
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.activeQueries() >= MaxInsightsConcurrent {
		logsErr(w, "LimitExceededException", "Account maximum query concurrency limit of [30] reached.")
		return
	}
	if s.queries == nil {
		s.queries = map[string]*insightsQuery{}
	}
	s.ins.Started++
	s.ins.BytesScanned += bytes
	s.ins.Groups = append(s.ins.Groups, groups)
	id := fmt.Sprintf("%08x-0000-4000-8000-%012x", s.ins.Started, s.ins.Started)
	s.queries[id] = &insightsQuery{rows: rows, stats: map[string]float64{
		"bytesScanned": bytes, "recordsScanned": scanned, "recordsMatched": float64(matched), "logGroupsScanned": float64(len(groups)),
	}}
	s.ins.MaxActive = max(s.ins.MaxActive, s.activeQueries())
	jsonReply(w, 200, map[string]any{"queryId": id}, "application/x-amz-json-1.1")
}

func (s *Stub) getQueryResults(w http.ResponseWriter, body []byte) {
	var in struct {
		QueryID string `json:"queryId"`
	}
	json.Unmarshal(body, &in)
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[in.QueryID]
	if !ok {
		logsErr(w, "ResourceNotFoundException", "query not found")
		return
	}
	s.ins.Polls++
	q.polls++
	status := "Complete"
	switch {
	case q.stopped:
		status = "Cancelled"
	case q.polls == 1:
		status = "Scheduled"
	case q.polls == 2:
		status = "Running"
	}
	out := map[string]any{"status": status}
	frac := 1.0
	if status != "Complete" {
		frac = 0.5 // statistics grow while the query runs
		out["results"] = []any{}
	} else {
		q.done = true
		out["results"] = q.rows
	}
	st := map[string]float64{}
	for k, v := range q.stats {
		st[k] = math.Floor(v * frac)
	}
	out["statistics"] = st
	jsonReply(w, 200, out, "application/x-amz-json-1.1")
}

func (s *Stub) stopQuery(w http.ResponseWriter, body []byte) {
	var in struct {
		QueryID string `json:"queryId"`
	}
	json.Unmarshal(body, &in)
	s.mu.Lock()
	defer s.mu.Unlock()
	q, ok := s.queries[in.QueryID]
	if !ok {
		logsErr(w, "ResourceNotFoundException", "query not found")
		return
	}
	s.ins.Stopped++
	success := !q.done && !q.stopped
	q.stopped = true
	jsonReply(w, 200, map[string]any{"success": success}, "application/x-amz-json-1.1")
}

// ---- a small Logs Insights engine ----
//
// It runs the subset of the query language the collector uses, on the
// stored events: filter (=, !=, like "…", and, or), parse FIELD /regex/
// with named groups, fields EXPR as NAME, and stats AGG as NAME … by
// EXPR, …, bin(N[smhd]); expressions: field references, numbers, strings,
// + - * /, coalesce, strcontains, ceil, ispresent; aggregates count(*),
// count, sum, avg, min, max, pct (nearest rank). The fields Logs Insights
// discovers in Lambda's text REPORT lines are set as CloudWatch documents
// them (@type, @requestId, @duration, @billedDuration, @initDuration in ms,
// @memorySize and @maxMemoryUsed in bytes, MB × 1,000,000); JSON events
// have their keys flattened with dots (record.metrics.durationMs).

type record map[string]any

type groupEvent struct {
	LogEvent
	group string
}

var reportRe = regexp.MustCompile(`^REPORT RequestId: (\S+)\tDuration: ([0-9.]+) ms\tBilled Duration: ([0-9]+) ms\tMemory Size: ([0-9]+) MB\tMax Memory Used: ([0-9]+) MB(?:\tInit Duration: ([0-9.]+) ms)?`)

func discover(e groupEvent) record {
	r := record{"@message": e.Message, "@logStream": e.Stream, "@log": "123456789012:" + e.group, "@timestamp": float64(e.Timestamp)}
	if m := reportRe.FindStringSubmatch(e.Message); m != nil {
		num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		r["@type"] = "REPORT"
		r["@requestId"] = m[1]
		r["@duration"] = num(m[2])
		r["@billedDuration"] = num(m[3])
		r["@memorySize"] = num(m[4]) * 1e6
		r["@maxMemoryUsed"] = num(m[5]) * 1e6
		if m[6] != "" {
			r["@initDuration"] = num(m[6])
		}
		return r
	}
	if strings.HasPrefix(e.Message, "{") {
		var v any
		if json.Unmarshal([]byte(e.Message), &v) == nil {
			flatten("", v, r)
		}
	}
	return r
}

func flatten(prefix string, v any, r record) {
	switch x := v.(type) {
	case map[string]any:
		for k, vv := range x {
			if prefix != "" {
				k = prefix + "." + k
			}
			flatten(k, vv, r)
		}
	case float64, string:
		r[prefix] = x
	case bool:
		r[prefix] = strconv.FormatBool(x)
	}
}

type expr interface{ eval(record) any }

type (
	fieldRef string
	literal  struct{ v any }
	call     struct {
		fn   string
		args []expr
	}
	binop struct {
		op   string
		l, r expr
	}
)

func (f fieldRef) eval(r record) any { return r[string(f)] }
func (l literal) eval(record) any    { return l.v }

func num(v any) (float64, bool) { f, ok := v.(float64); return f, ok }
func str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

func (c call) eval(r record) any {
	switch c.fn {
	case "coalesce":
		for _, a := range c.args {
			if v := a.eval(r); v != nil {
				return v
			}
		}
		return nil
	case "strcontains":
		v := c.args[0].eval(r)
		if v == nil {
			return nil
		}
		if strings.Contains(str(v), str(c.args[1].eval(r))) {
			return 1.0
		}
		return 0.0
	case "ceil":
		if f, ok := num(c.args[0].eval(r)); ok {
			return math.Ceil(f)
		}
		return nil
	case "ispresent":
		if c.args[0].eval(r) != nil {
			return 1.0
		}
		return 0.0
	}
	return nil
}

func (b binop) eval(r record) any {
	l, rv := b.l.eval(r), b.r.eval(r)
	switch b.op {
	case "or", "and":
		lt, rt := truthy(l), truthy(rv)
		if b.op == "or" {
			return boolVal(lt || rt)
		}
		return boolVal(lt && rt)
	case "=", "!=":
		if l == nil || rv == nil {
			return boolVal(false)
		}
		eq := str(l) == str(rv)
		return boolVal(eq == (b.op == "="))
	case "like":
		if l == nil {
			return boolVal(false)
		}
		return boolVal(strings.Contains(str(l), str(rv)))
	}
	lf, ok1 := num(l)
	rf, ok2 := num(rv)
	if !ok1 || !ok2 {
		return nil
	}
	switch b.op {
	case "+":
		return lf + rf
	case "-":
		return lf - rf
	case "*":
		return lf * rf
	case "/":
		return lf / rf
	}
	return nil
}

func truthy(v any) bool {
	f, ok := num(v)
	return ok && f != 0
}

func boolVal(b bool) any {
	if b {
		return 1.0
	}
	return 0.0
}

type agg struct {
	fn   string
	arg  expr // nil for count(*)
	p    float64
	name string
}

type byKey struct {
	e    expr
	bin  int64 // seconds; > 0 for bin(…)
	name string
}

type command struct {
	kind   string // filter, parse, fields, stats
	cond   expr
	field  string
	re     *regexp.Regexp
	exprs  []expr
	names  []string
	aggs   []agg
	groups []byKey
}

type query struct{ cmds []command }

func parseQuery(q string) (*query, error) {
	var out query
	for _, part := range splitPipes(q) {
		part = strings.TrimSpace(part)
		word, rest, _ := strings.Cut(part, " ")
		rest = strings.TrimSpace(rest)
		c := command{kind: word}
		switch word {
		case "filter":
			p := &parser{toks: tokenize(rest)}
			e, err := p.expr()
			if err != nil || !p.end() {
				return nil, fmt.Errorf("filter %q: %v", rest, err)
			}
			c.cond = e
		case "parse":
			f, re, ok := strings.Cut(rest, " ")
			re = strings.TrimSpace(re)
			if !ok || len(re) < 2 || re[0] != '/' || re[len(re)-1] != '/' {
				return nil, fmt.Errorf("parse %q: want FIELD /regex/", rest)
			}
			rx, err := regexp.Compile(re[1 : len(re)-1])
			if err != nil {
				return nil, err
			}
			c.field, c.re = f, rx
		case "fields":
			p := &parser{toks: tokenize(rest)}
			for {
				e, err := p.expr()
				if err != nil {
					return nil, fmt.Errorf("fields: %v", err)
				}
				name := ""
				if p.peek() == "as" {
					p.next()
					name = p.next()
				} else if f, ok := e.(fieldRef); ok {
					name = string(f)
				}
				c.exprs, c.names = append(c.exprs, e), append(c.names, name)
				if p.peek() != "," {
					break
				}
				p.next()
			}
			if !p.end() {
				return nil, fmt.Errorf("fields: trailing %q", p.toks[p.i:])
			}
		case "stats":
			p := &parser{toks: tokenize(rest)}
			for {
				fn := p.next()
				if p.next() != "(" {
					return nil, fmt.Errorf("stats: %s: want (", fn)
				}
				a := agg{fn: fn}
				if p.peek() == "*" {
					p.next()
				} else {
					e, err := p.expr()
					if err != nil {
						return nil, err
					}
					a.arg = e
				}
				if fn == "pct" {
					p.next() // ,
					a.p, _ = strconv.ParseFloat(p.next(), 64)
				}
				if p.next() != ")" {
					return nil, fmt.Errorf("stats: %s: want )", fn)
				}
				if p.peek() != "as" {
					return nil, fmt.Errorf("stats: %s without a name", fn)
				}
				p.next()
				a.name = p.next()
				c.aggs = append(c.aggs, a)
				if p.peek() != "," {
					break
				}
				p.next()
			}
			if p.peek() == "by" {
				p.next()
				for {
					start := p.i
					if p.peek() == "bin" {
						p.next()
						p.next() // (
						spec := p.next()
						p.next() // )
						d, err := binSeconds(spec)
						if err != nil {
							return nil, err
						}
						c.groups = append(c.groups, byKey{bin: d, name: "bin(" + spec + ")"})
					} else {
						e, err := p.expr()
						if err != nil {
							return nil, err
						}
						c.groups = append(c.groups, byKey{e: e, name: strings.Join(p.toks[start:p.i], "")})
					}
					if p.peek() != "," {
						break
					}
					p.next()
				}
			}
			if !p.end() {
				return nil, fmt.Errorf("stats: trailing %q", p.toks[p.i:])
			}
		default:
			return nil, fmt.Errorf("command %q not supported by the stub", word)
		}
		out.cmds = append(out.cmds, c)
	}
	return &out, nil
}

func binSeconds(spec string) (int64, error) {
	if len(spec) < 2 {
		return 0, fmt.Errorf("bin(%s)", spec)
	}
	n, err := strconv.ParseInt(spec[:len(spec)-1], 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("bin(%s)", spec)
	}
	unit := map[byte]int64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400}[spec[len(spec)-1]]
	if unit == 0 {
		return 0, fmt.Errorf("bin(%s)", spec)
	}
	return n * unit, nil
}

// splitPipes splits at | outside strings and regexes.
func splitPipes(q string) []string {
	var parts []string
	inStr, inRe := false, false
	last := 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case (inStr || inRe) && c == '\\':
			i++
		case c == '"' && !inRe:
			inStr = !inStr
		case c == '/' && !inStr && strings.HasSuffix(strings.TrimSpace(q[last:i]), "@logStream") || c == '/' && inRe:
			inRe = !inRe
		case c == '|' && !inStr && !inRe:
			parts = append(parts, q[last:i])
			last = i + 1
		}
	}
	return append(parts, q[last:])
}

func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			i++
		case c == '"':
			j := i + 1
			var b strings.Builder
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' && j+1 < len(s) {
					j++
				}
				b.WriteByte(s[j])
				j++
			}
			toks = append(toks, "\""+b.String())
			i = j + 1
		case strings.ContainsRune("(),+-*/=", rune(c)):
			toks = append(toks, string(c))
			i++
		case c == '!' && i+1 < len(s) && s[i+1] == '=':
			toks = append(toks, "!=")
			i += 2
		default:
			j := i
			for j < len(s) && !strings.ContainsRune(" \t\n(),+-*/=!\"", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

type parser struct {
	toks []string
	i    int
}

func (p *parser) peek() string {
	if p.i < len(p.toks) {
		return p.toks[p.i]
	}
	return ""
}
func (p *parser) next() string { t := p.peek(); p.i++; return t }
func (p *parser) end() bool    { return p.i >= len(p.toks) }

func (p *parser) expr() (expr, error) { return p.binary(0) }

var levels = [][]string{{"or"}, {"and"}, {"=", "!=", "like"}, {"+", "-"}, {"*", "/"}}

func (p *parser) binary(level int) (expr, error) {
	if level == len(levels) {
		return p.unary()
	}
	l, err := p.binary(level + 1)
	if err != nil {
		return nil, err
	}
	for {
		op := p.peek()
		found := false
		for _, o := range levels[level] {
			if op == o {
				found = true
			}
		}
		if !found {
			return l, nil
		}
		p.next()
		r, err := p.binary(level + 1)
		if err != nil {
			return nil, err
		}
		l = binop{op, l, r}
	}
}

func (p *parser) unary() (expr, error) {
	t := p.next()
	switch {
	case t == "":
		return nil, fmt.Errorf("unexpected end")
	case t == "(":
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		if p.next() != ")" {
			return nil, fmt.Errorf("want )")
		}
		return e, nil
	case strings.HasPrefix(t, "\""):
		return literal{t[1:]}, nil
	case t[0] >= '0' && t[0] <= '9':
		f, err := strconv.ParseFloat(t, 64)
		if err != nil {
			return nil, err
		}
		return literal{f}, nil
	case p.peek() == "(":
		p.next()
		c := call{fn: t}
		for p.peek() != ")" {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, e)
			if p.peek() == "," {
				p.next()
			}
		}
		p.next()
		switch t {
		case "coalesce", "strcontains", "ceil", "ispresent":
		default:
			return nil, fmt.Errorf("function %s not supported by the stub", t)
		}
		return c, nil
	}
	return fieldRef(t), nil
}

// run applies the query to the events and returns the result rows (each
// a list of {field, value}) and how many records matched.
func (q *query) run(evs []groupEvent) ([][]map[string]string, int) {
	recs := make([]record, 0, len(evs))
	for _, e := range evs {
		recs = append(recs, discover(e))
	}
	for _, c := range q.cmds {
		switch c.kind {
		case "filter":
			kept := recs[:0]
			for _, r := range recs {
				if truthy(c.cond.eval(r)) {
					kept = append(kept, r)
				}
			}
			recs = kept
		case "parse":
			for _, r := range recs {
				m := c.re.FindStringSubmatch(str(r[c.field]))
				if m == nil {
					continue
				}
				for i, n := range c.re.SubexpNames() {
					if n != "" {
						r[n] = m[i]
					}
				}
			}
		case "fields":
			for _, r := range recs {
				vals := make([]any, len(c.exprs))
				for i, e := range c.exprs {
					vals[i] = e.eval(r)
				}
				for i, n := range c.names {
					if vals[i] != nil {
						r[n] = vals[i]
					}
				}
			}
		case "stats":
			return c.stats(recs), len(recs)
		}
	}
	var rows [][]map[string]string
	for _, r := range recs {
		var row []map[string]string
		for k, v := range r {
			row = append(row, map[string]string{"field": k, "value": str(v)})
		}
		rows = append(rows, row)
	}
	return rows, len(recs)
}

func (c command) stats(recs []record) [][]map[string]string {
	type group struct {
		keys []string
		vals [][]float64 // per aggregate, present values
		n    int
	}
	groups := map[string]*group{}
	var order []string
	for _, r := range recs {
		keys := make([]string, len(c.groups))
		for i, g := range c.groups {
			if g.bin > 0 {
				ts, _ := num(r["@timestamp"])
				sec := int64(ts) / 1000
				sec -= sec % g.bin
				keys[i] = time.Unix(sec, 0).UTC().Format("2006-01-02 15:04:05.000")
				continue
			}
			keys[i] = str(g.e.eval(r))
		}
		k := strings.Join(keys, "\x00")
		gr, ok := groups[k]
		if !ok {
			gr = &group{keys: keys, vals: make([][]float64, len(c.aggs))}
			groups[k] = gr
			order = append(order, k)
		}
		gr.n++
		for i, a := range c.aggs {
			if a.arg == nil {
				gr.vals[i] = append(gr.vals[i], 1)
				continue
			}
			v := a.arg.eval(r)
			if v == nil {
				continue
			}
			f, ok := num(v)
			if !ok {
				if a.fn != "count" {
					continue
				}
				f = 1
			}
			gr.vals[i] = append(gr.vals[i], f)
		}
	}
	sort.Strings(order)
	var rows [][]map[string]string
	for _, k := range order {
		g := groups[k]
		var row []map[string]string
		for i, b := range c.groups {
			if g.keys[i] != "" {
				row = append(row, map[string]string{"field": b.name, "value": g.keys[i]})
			}
		}
		for i, a := range c.aggs {
			vs := g.vals[i]
			var v float64
			switch a.fn {
			case "count":
				v = float64(len(vs))
			case "sum":
				for _, x := range vs {
					v += x
				}
			case "avg":
				if len(vs) == 0 {
					continue
				}
				for _, x := range vs {
					v += x
				}
				v /= float64(len(vs))
			case "max", "min", "pct":
				if len(vs) == 0 {
					continue // no value: the field is left out of the row
				}
				s := append([]float64(nil), vs...)
				sort.Float64s(s)
				switch a.fn {
				case "max":
					v = s[len(s)-1]
				case "min":
					v = s[0]
				default:
					rank := int(math.Ceil(a.p / 100 * float64(len(s))))
					v = s[max(rank, 1)-1]
				}
			}
			row = append(row, map[string]string{"field": a.name, "value": strconv.FormatFloat(v, 'f', -1, 64)})
		}
		rows = append(rows, row)
	}
	return rows
}
