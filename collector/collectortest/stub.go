// Package collectortest is a loopback AWS for tests: one HTTP server that
// speaks the real wire protocols of CloudWatch (Smithy RPC v2 CBOR),
// Lambda (REST-JSON) and CloudWatch Logs (AWS JSON 1.1), so that the real
// SDK clients run against it. Its data model is documented on Stub.
package collectortest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// Stub is a loopback server speaking the real wire protocols of the
// three services the collector calls, so the real SDK clients run against
// it: CloudWatch over Smithy RPC v2 CBOR, Lambda over REST-JSON and
// CloudWatch Logs over AWS JSON 1.1. It checks every GetMetricData request
// against the API's limits (500 queries, 100,800 datapoints, periods that
// are multiples of 60 s, windows aligned to the minute) and fails the test
// otherwise.
//
// Its data model (what a test expects back, computed independently):
// function i of n is named fn-%03d, has memory 128·(1 + i mod 8) MB, is
// arm64 when i is odd, and per minute k of the window it reports
//
//	Invocations Sum          = 1 + i mod 3           (every minute)
//	Errors Sum               = 1 when k mod 10 = 0   (zeros not emitted)
//	Throttles Sum            = 2 at k = 5 for fn-001 only
//	Duration Average         = 100 + i
//	ConcurrentExecutions Max = 1 + k mod 7
//
// and over the whole window Duration Average 100+i, p50 90+i, p90 150+i,
// p99 300+i, Maximum 900+i; PostRuntimeExtensionsDuration Average 12.5
// when i mod 4 = 1; AsyncEventAge Maximum 1500, AsyncEventsDropped Sum 3
// and DeadLetterErrors Sum 1 when i mod 5 = 2; IteratorAge Maximum 60000
// when i mod 5 = 3. Account level (no dimension): ClaimedAccountConcurrency
// Maximum 120, UnreservedConcurrentExecutions Minimum 880. Functions with i mod 10 = 0 have provisioned
// concurrency 5 (ProvisionedConcurrencyInvocations 1000 over the window,
// ProvisionedConcurrentExecutions Maximum 1 + k mod 5 per minute,
// ProvisionedConcurrencyUtilization Maximum (1 + k mod 5)/5 per minute,
// i.e. a level of 5, and ProvisionedConcurrencySpilloverInvocations Sum 7
// over the window); functions with
// i mod 20 = 0 publish Lambda Insights metrics, and fn-007 has the Insights
// layer: used_memory_max 200, init_duration SampleCount 12, Average 250.5,
// p99 480.
type Stub struct {
	// URL is the server's base URL (http://127.0.0.1:port).
	URL string
	// PageSize is the most datapoints one GetMetricData response carries
	// (default 100,800); more are paginated with NextToken.
	PageSize int
	// Fault, when set, may answer a CloudWatch request with an error
	// status and error type (attempt counts requests of that operation),
	// or break the connection: FaultReset, FaultTruncate.
	Fault func(op string, attempt int, in cbor.Map) (status int, errType string)
	// Partial marks "Duration p99" results PartialData with a message.
	Partial bool
	// Empty answers every query with no datapoints (idle functions), still
	// checking the requests; benchmarks use it to count calls cheaply.
	Empty bool
	// Logs holds the messages of each log group FilterLogEvents serves,
	// two per page; other groups do not exist.
	Logs map[string][]string
	// Events holds real-shaped log events of a group (see logs.go), served
	// within the requested window and through the filter pattern, two per page.
	Events map[string][]LogEvent
	// Quota, when set, throttles GetMetricData as CloudWatch does: a call
	// that would take the calls or the datapoints asked for (on a call's
	// first page) in the last second past TPS or DPS is answered 400
	// Throttling ("Rate exceeded") and not counted.
	Quota struct{ TPS, DPS int }
	// LogPageEvents, when > 0, is how many events a FilterLogEvents page
	// carries at most, also capped at 1 MB of events as CloudWatch does
	// ("up to 1 MB, up to 10,000 log events"); 0 means 2 a page.
	LogPageEvents int
	// ExternalID, when set, is the external id AssumeRole requires.
	ExternalID string
	// OrgAccounts are the accounts AWS Organizations' ListAccounts lists
	// (none: the caller is not in an organization); OrgDenied refuses the
	// listing. DenyRole lists the accounts whose role AssumeRole refuses
	// (AccessDenied, as when the role does not exist or does not trust
	// the caller).
	OrgAccounts []OrgAccount
	OrgDenied   bool
	DenyRole    map[string]bool
	// LogGroups gives functions a custom log group (LoggingConfig.LogGroup),
	// which several may share; others log to /aws/lambda/NAME.
	LogGroups map[string]string

	t   testing.TB
	srv *httptest.Server
	n   int

	mu   sync.Mutex
	http map[string]int // HTTP requests by operation
	gmd  []Page         // successful GetMetricData responses

	queries  map[string]*insightsQuery // Logs Insights queries by id
	quota    quotaLog
	targets  map[Target]int
	logBytes int64
	roles    map[string]string
	ins      InsightsStats
}

// Connection faults a Fault function may return instead of an HTTP status.
const (
	// FaultReset reads the request and resets the connection (TCP RST,
	// "connection reset by peer") without answering.
	FaultReset = -1
	// FaultTruncate sends the real response's headers, with its full
	// Content-Length, and only the first half of its body, then closes
	// the connection.
	FaultTruncate = -2
)

// QuotaUse is what the stub's GetMetricData quota saw: the most calls and
// datapoints admitted within any one second, and the calls throttled.
type QuotaUse struct {
	MaxCalls, MaxPoints, Throttled int
}

type quotaLog struct {
	at     []time.Time
	points []int
	use    QuotaUse
}

// QuotaUse returns what the GetMetricData quota saw.
func (s *Stub) QuotaUse() QuotaUse {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.quota.use
}

// admit books a GetMetricData call of points datapoints against Quota.
func (s *Stub) admit(now time.Time, points int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := &s.quota
	cut := 0
	for cut < len(q.at) && now.Sub(q.at[cut]) >= time.Second {
		cut++
	}
	q.at, q.points = q.at[cut:], q.points[cut:]
	sum := points
	for _, p := range q.points {
		sum += p
	}
	if s.Quota.TPS > 0 && (len(q.at)+1 > s.Quota.TPS || sum > s.Quota.DPS) {
		q.use.Throttled++
		return false
	}
	q.at, q.points = append(q.at, now), append(q.points, points)
	q.use.MaxCalls = max(q.use.MaxCalls, len(q.at))
	q.use.MaxPoints = max(q.use.MaxPoints, sum)
	return true
}

// Page is one GetMetricData request the stub answered.
type Page struct{ Queries, Points int }

// MaxQueriesPerCall and MaxDatapointsPerCall are GetMetricData's limits,
// typed in from the API reference.
const (
	MaxQueriesPerCall    = 500
	MaxDatapointsPerCall = 100_800
)

// New starts a stub with n functions (fn-000 …) on a loopback port; it
// stops when the test ends.
func New(t testing.TB, n int) *Stub {
	s := &Stub{t: t, n: n, http: map[string]int{}, PageSize: MaxDatapointsPerCall, Logs: map[string][]string{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Close stops the server now (as a lost network would: later requests
// are refused); tests use it to kill the stub mid-collection.
func (s *Stub) Close() { s.srv.Close() }

// Calls returns how many HTTP requests of operation op arrived (retries
// included).
func (s *Stub) Calls(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.http[op]
}

// LogBytes returns the bytes of the FilterLogEvents responses sent.
func (s *Stub) LogBytes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.logBytes
}

// Pages returns the GetMetricData responses sent.
func (s *Stub) Pages() []Page {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Page(nil), s.gmd...)
}

func (s *Stub) count(op string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.http[op]++
	return s.http[op]
}

type arrivalKey struct{}

func (s *Stub) serve(w http.ResponseWriter, r *http.Request) {
	// The quota counts requests when they arrive, before their body is read.
	r = r.WithContext(context.WithValue(r.Context(), arrivalKey{}, time.Now()))
	body, _ := io.ReadAll(r.Body)
	s.noteTarget(r)
	switch {
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		s.serveSTS(w, r, body)
	case strings.HasPrefix(r.URL.Path, "/service/GraniteServiceVersion20100801/operation/"):
		s.serveCloudWatch(w, r, body)
	case strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AWSOrganizationsV20161128."):
		s.serveOrganizations(w, r, body)
	case r.Header.Get("X-Amz-Target") != "":
		s.serveLogs(w, r, body)
	case strings.HasPrefix(r.URL.Path, "/2015-03-31/functions") || strings.HasPrefix(r.URL.Path, "/2019-09-30/functions"):
		s.serveLambda(w, r)
	default:
		s.t.Errorf("stub: unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusNotFound)
	}
}

// ---- CloudWatch: Smithy RPC v2 CBOR ----

func cborReply(w http.ResponseWriter, status int, v cbor.Map) {
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.WriteHeader(status)
	w.Write(cbor.Encode(v))
}

func cborErr(w http.ResponseWriter, status int, typ string) {
	if typ == "Throttling" {
		w.Header().Set("X-Amzn-Query-Error", "Throttling;Sender")
	}
	cborReply(w, status, cbor.Map{"__type": cbor.String("com.amazonaws.cloudwatch#" + typ), "message": cbor.String("stub says " + typ)})
}

func (s *Stub) serveCloudWatch(w http.ResponseWriter, r *http.Request, body []byte) {
	op := path.Base(r.URL.Path)
	arrived, _ := r.Context().Value(arrivalKey{}).(time.Time)
	if r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" || r.Method != http.MethodPost {
		s.t.Errorf("stub: CloudWatch request without the rpc-v2-cbor protocol header: %s %v", r.Method, r.Header)
	}
	v, err := cbor.Decode(body)
	in, ok := v.(cbor.Map)
	if err != nil || !ok {
		s.t.Errorf("stub: %s body is not a CBOR map: %v", op, err)
		cborErr(w, 400, "InvalidParameterValueException")
		return
	}
	attempt := s.count(op)
	if s.Fault != nil {
		switch st, typ := s.Fault(op, attempt, in); st {
		case 0:
		case FaultReset:
			s.reset(w)
			return
		case FaultTruncate:
			rec := httptest.NewRecorder()
			s.cloudWatchOp(rec, op, in, arrived)
			if op == "GetMetricData" { // not delivered: not a page
				s.mu.Lock()
				s.gmd = s.gmd[:len(s.gmd)-1]
				s.mu.Unlock()
			}
			s.truncate(w, rec)
			return
		default:
			cborErr(w, st, typ)
			return
		}
	}
	s.cloudWatchOp(w, op, in, arrived)
}

// reset answers nothing and resets the connection.
func (s *Stub) reset(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		s.t.Errorf("stub: hijack: %v", err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close sends RST
	}
	conn.Close()
}

// truncate sends rec's status and headers with the full Content-Length
// and half of its body, then closes the connection.
func (s *Stub) truncate(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	conn, bw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		s.t.Errorf("stub: hijack: %v", err)
		return
	}
	defer conn.Close()
	body := rec.Body.Bytes()
	fmt.Fprintf(bw, "HTTP/1.1 %d %s\r\n", rec.Code, http.StatusText(rec.Code))
	for k, vs := range rec.Header() {
		for _, v := range vs {
			fmt.Fprintf(bw, "%s: %s\r\n", k, v)
		}
	}
	fmt.Fprintf(bw, "Content-Length: %d\r\n\r\n", len(body))
	bw.Write(body[:len(body)/2])
	bw.Flush()
}

func (s *Stub) cloudWatchOp(w http.ResponseWriter, op string, in cbor.Map, arrived time.Time) {
	switch op {
	case "GetMetricData":
		s.getMetricData(w, in, arrived)
	case "ListMetrics":
		s.listMetrics(w, in)
	default:
		s.t.Errorf("stub: unexpected CloudWatch operation %s", op)
		cborErr(w, 400, "InvalidAction")
	}
}

// Str returns a CBOR text string's value ("" for other values).
func Str(v cbor.Value) string {
	if s, ok := v.(cbor.String); ok {
		return string(s)
	}
	return ""
}

// fnIndex parses "fn-007" → 7.
func fnIndex(name string) int {
	i, err := strconv.Atoi(strings.TrimPrefix(name, "fn-"))
	if err != nil {
		return -1
	}
	return i
}

// value is the stub's data model (see Stub). whole: one point for the
// window; k: the minute index otherwise.
func value(i int, metric, stat string, k int, whole bool) (float64, bool) {
	fi := float64(i)
	switch metric + " " + stat {
	case "Invocations Sum":
		return float64(1 + i%3), true
	case "Errors Sum":
		return 1, k%10 == 0
	case "Throttles Sum":
		return 2, i == 1 && k == 5
	case "Duration Average":
		return 100 + fi, true
	case "Duration p50":
		return 90 + fi, whole
	case "Duration p90":
		return 150 + fi, whole
	case "Duration p99":
		return 300 + fi, whole
	case "Duration Maximum":
		return 900 + fi, whole
	case "ConcurrentExecutions Maximum":
		return float64(1 + k%7), true
	case "ProvisionedConcurrencyInvocations Sum":
		return 1000, i%10 == 0 && whole
	case "used_memory_max Maximum":
		return 200, whole && (i%20 == 0 || i == 7)
	case "init_duration SampleCount":
		return 12, whole && (i%20 == 0 || i == 7)
	case "init_duration Average":
		return 250.5, whole && (i%20 == 0 || i == 7)
	case "init_duration p99":
		return 480, whole && (i%20 == 0 || i == 7)
	case "ProvisionedConcurrentExecutions Maximum":
		return float64(1 + k%5), i%10 == 0 && !whole
	case "ProvisionedConcurrencyUtilization Maximum":
		return float64(1+k%5) / 5, i%10 == 0 && !whole
	case "ProvisionedConcurrencySpilloverInvocations Sum":
		return 7, i%10 == 0 && whole
	case "PostRuntimeExtensionsDuration Average":
		return 12.5, i%4 == 1 && whole
	case "AsyncEventAge Maximum":
		return 1500, i%5 == 2 && whole
	case "AsyncEventsDropped Sum":
		return 3, i%5 == 2 && whole
	case "DeadLetterErrors Sum":
		return 1, i%5 == 2 && whole
	case "IteratorAge Maximum":
		return 60000, i%5 == 3 && whole
	case "ClaimedAccountConcurrency Maximum":
		return 120, i < 0 && whole
	case "UnreservedConcurrentExecutions Minimum":
		return 880, i < 0 && whole
	}
	return 0, false
}

type stubPoint struct {
	q   int
	t   float64
	val float64
}

func (s *Stub) getMetricData(w http.ResponseWriter, in cbor.Map, arrived time.Time) {
	start, err1 := cbor.AsTime(in["StartTime"])
	end, err2 := cbor.AsTime(in["EndTime"])
	if err1 != nil || err2 != nil {
		s.t.Errorf("stub: bad StartTime/EndTime: %v %v", err1, err2)
	}
	if start.Unix()%60 != 0 || end.Unix()%60 != 0 {
		s.t.Errorf("stub: window not aligned to the minute: %s – %s", start, end)
	}
	qs, _ := in["MetricDataQueries"].(cbor.List)
	if len(qs) == 0 || len(qs) > MaxQueriesPerCall {
		s.t.Errorf("stub: %d queries in one call (limit %d)", len(qs), MaxQueriesPerCall)
	}
	if md, err := cbor.AsInt64(in["MaxDatapoints"]); err == nil && md > MaxDatapointsPerCall {
		s.t.Errorf("stub: MaxDatapoints %d", md)
	}
	var points []stubPoint
	ids := make([]string, len(qs))
	labels := make([]string, len(qs))
	requested := 0
	seen := map[string]bool{}
	for qi, qv := range qs {
		q := qv.(cbor.Map)
		ids[qi] = Str(q["Id"])
		labels[qi] = Str(q["Label"])
		if seen[ids[qi]] {
			s.t.Errorf("stub: duplicate query id %s", ids[qi])
		}
		seen[ids[qi]] = true
		ms := q["MetricStat"].(cbor.Map)
		metric := ms["Metric"].(cbor.Map)
		period, _ := cbor.AsInt64(ms["Period"])
		stat := Str(ms["Stat"])
		name := Str(metric["MetricName"])
		dims, _ := metric["Dimensions"].(cbor.List)
		fn := "" // the account-level metrics have no dimension
		if len(dims) > 0 {
			fn = Str(dims[0].(cbor.Map)["Value"])
		}
		if period <= 0 || period%60 != 0 {
			s.t.Errorf("stub: period %d is not a multiple of 60", period)
			continue
		}
		n := int((end.Unix() - start.Unix() + period - 1) / period)
		requested += n
		whole := n == 1
		for k := 0; k < n && !s.Empty; k++ {
			t := start.Unix() + int64(k)*period
			if v, ok := value(fnIndex(fn), name, stat, k, whole); ok {
				points = append(points, stubPoint{qi, float64(t), v})
			}
		}
	}
	if requested > MaxDatapointsPerCall {
		s.t.Errorf("stub: a call asks for %d datapoints (limit %d)", requested, MaxDatapointsPerCall)
	}
	if Str(in["NextToken"]) != "" {
		requested = 0 // booked on the first page
	}
	if !s.admit(arrived, requested) {
		cborErr(w, 400, "Throttling")
		return
	}
	off := 0
	if tok := Str(in["NextToken"]); tok != "" {
		off, _ = strconv.Atoi(strings.TrimPrefix(tok, "page@"))
	}
	page := points[min(off, len(points)):min(off+s.PageSize, len(points))]
	more := off+s.PageSize < len(points)
	s.mu.Lock()
	s.gmd = append(s.gmd, Page{len(qs), len(page)})
	s.mu.Unlock()
	ts := make([]cbor.List, len(qs))
	vals := make([]cbor.List, len(qs))
	for _, p := range page {
		ts[p.q] = append(ts[p.q], &cbor.Tag{ID: 1, Value: cbor.Float64(p.t)})
		vals[p.q] = append(vals[p.q], cbor.Float64(p.val))
	}
	var results cbor.List
	for qi := range qs {
		status := "Complete"
		if more {
			status = "PartialData"
		}
		res := cbor.Map{
			"Id": cbor.String(ids[qi]), "Label": cbor.String(labels[qi]), "StatusCode": cbor.String(status),
			"Timestamps": append(cbor.List{}, ts[qi]...), "Values": append(cbor.List{}, vals[qi]...),
		}
		if s.Partial && strings.HasSuffix(labels[qi], "Duration p99") && !more {
			res["StatusCode"] = cbor.String("PartialData")
			res["Messages"] = cbor.List{cbor.Map{"Code": cbor.String("MaxQueryTimeRangeExceed"), "Value": cbor.String("stub: only part of the range")}}
		}
		results = append(results, res)
	}
	out := cbor.Map{"MetricDataResults": results}
	if more {
		out["NextToken"] = cbor.String("page@" + strconv.Itoa(off+s.PageSize))
	}
	cborReply(w, 200, out)
}

func (s *Stub) listMetrics(w http.ResponseWriter, in cbor.Map) {
	ns, metric := Str(in["Namespace"]), Str(in["MetricName"])
	var ms cbor.List
	for i := 0; i < s.n; i++ {
		name := cbor.String(fmt.Sprintf("fn-%03d", i))
		switch {
		case ns == "AWS/Lambda" && metric == "ProvisionedConcurrentExecutions" && i%10 == 0:
			ms = append(ms, cbor.Map{"Namespace": cbor.String(ns), "MetricName": cbor.String(metric), "Dimensions": cbor.List{
				cbor.Map{"Name": cbor.String("FunctionName"), "Value": name}, cbor.Map{"Name": cbor.String("Resource"), "Value": name + ":live"}}})
		case ns == "LambdaInsights" && metric == "used_memory_max" && i%20 == 0:
			ms = append(ms, cbor.Map{"Namespace": cbor.String(ns), "MetricName": cbor.String(metric), "Dimensions": cbor.List{
				cbor.Map{"Name": cbor.String("function_name"), "Value": name}}})
		}
	}
	cborReply(w, 200, cbor.Map{"Metrics": ms})
}

// ---- Lambda: REST-JSON ----

func (s *Stub) fnConfig(i int) map[string]any {
	arch := "x86_64"
	if i%2 == 1 {
		arch = "arm64"
	}
	name := fmt.Sprintf("fn-%03d", i)
	c := map[string]any{
		"FunctionName": name, "FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:" + name,
		"MemorySize": 128 * (1 + i%8), "Timeout": 30, "Architectures": []string{arch},
		"EphemeralStorage": map[string]any{"Size": 512}, "Runtime": "provided.al2023",
	}
	if g, ok := s.LogGroups[name]; ok {
		c["LoggingConfig"] = map[string]any{"LogGroup": g, "LogFormat": "Text"}
	}
	if i == 7 {
		c["Layers"] = []map[string]any{{"Arn": "arn:aws:lambda:us-east-1:580247275435:layer:LambdaInsightsExtension:53", "CodeSize": 100}}
	}
	return c
}

func jsonReply(w http.ResponseWriter, status int, v any, ctype string) {
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func (s *Stub) serveLambda(w http.ResponseWriter, r *http.Request) {
	p := strings.TrimSuffix(r.URL.Path, "/")
	q := r.URL.Query()
	notFound := func(name string) {
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		jsonReply(w, 404, map[string]any{"Type": "User", "Message": "Function not found: " + name}, "application/json")
	}
	switch {
	case p == "/2015-03-31/functions":
		s.count("ListFunctions")
		from, _ := strconv.Atoi(q.Get("Marker"))
		n, _ := strconv.Atoi(q.Get("MaxItems"))
		if n <= 0 || n > 50 {
			n = 50
		}
		var fns []map[string]any
		for i := from; i < min(from+n, s.n); i++ {
			fns = append(fns, s.fnConfig(i))
		}
		out := map[string]any{"Functions": fns}
		if from+n < s.n {
			out["NextMarker"] = strconv.Itoa(from + n)
		}
		jsonReply(w, 200, out, "application/json")
	case strings.HasPrefix(p, "/2015-03-31/functions/") && strings.HasSuffix(p, "/configuration"):
		s.count("GetFunctionConfiguration")
		name, _ := url.PathUnescape(strings.TrimSuffix(strings.TrimPrefix(p, "/2015-03-31/functions/"), "/configuration"))
		// Lambda accepts the function's ARN as its name, and a version or
		// alias after it (NAME:QUALIFIER: that version's configuration,
		// whose FunctionName is the function's).
		ref := strings.TrimPrefix(strings.TrimPrefix(name, "arn:aws:lambda:us-east-1:123456789012:function:"), "123456789012:function:")
		ref, _, _ = strings.Cut(ref, ":")
		i := fnIndex(ref)
		if i < 0 || i >= s.n {
			notFound(name)
			return
		}
		jsonReply(w, 200, s.fnConfig(i), "application/json")
	case strings.HasPrefix(p, "/2019-09-30/functions/") && strings.HasSuffix(p, "/provisioned-concurrency"):
		s.count("ListProvisionedConcurrencyConfigs")
		if q.Get("List") != "ALL" {
			s.t.Errorf("stub: ListProvisionedConcurrencyConfigs without List=ALL: %s", r.URL)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "/2019-09-30/functions/"), "/provisioned-concurrency")
		i := fnIndex(name)
		var cfgs []map[string]any
		if i%10 == 0 {
			cfgs = append(cfgs, map[string]any{"FunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:" + name + ":live",
				"RequestedProvisionedConcurrentExecutions": 5, "AllocatedProvisionedConcurrentExecutions": 5, "AvailableProvisionedConcurrentExecutions": 5, "Status": "READY"})
		}
		jsonReply(w, 200, map[string]any{"ProvisionedConcurrencyConfigs": cfgs}, "application/json")
	default:
		s.t.Errorf("stub: unexpected Lambda request %s", r.URL)
		notFound(p)
	}
}

// ---- CloudWatch Logs: AWS JSON 1.1 ----

func (s *Stub) serveLogs(w http.ResponseWriter, r *http.Request, body []byte) {
	const ctype = "application/x-amz-json-1.1"
	if r.Header.Get("Content-Type") != ctype {
		s.t.Errorf("stub: Logs request with Content-Type %s", r.Header.Get("Content-Type"))
	}
	switch op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "Logs_20140328."); op {
	case "FilterLogEvents":
	case "StartQuery", "GetQueryResults", "StopQuery":
		s.count(op)
		map[string]func(http.ResponseWriter, []byte){"StartQuery": s.startQuery, "GetQueryResults": s.getQueryResults, "StopQuery": s.stopQuery}[op](w, body)
		return
	default:
		s.t.Errorf("stub: unexpected Logs request %s", r.Header.Get("X-Amz-Target"))
	}
	s.count("FilterLogEvents")
	var in struct {
		LogGroupName  string `json:"logGroupName"`
		StartTime     int64  `json:"startTime"`
		EndTime       int64  `json:"endTime"`
		FilterPattern string `json:"filterPattern"`
		NextToken     string `json:"nextToken"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		s.t.Errorf("stub: FilterLogEvents body: %v", err)
	}
	if !strings.Contains(in.FilterPattern, "REPORT") || in.StartTime == 0 || in.EndTime <= in.StartTime {
		s.t.Errorf("stub: FilterLogEvents input %+v", in)
	}
	msgs, ok := s.logEvents(in.LogGroupName, in.FilterPattern, in.StartTime, in.EndTime)
	if !ok {
		jsonReply(w, 400, map[string]any{"__type": "ResourceNotFoundException", "message": "The specified log group does not exist."}, ctype)
		return
	}
	off, _ := strconv.Atoi(in.NextToken)
	pageSize := 2
	if s.LogPageEvents > 0 {
		pageSize = s.LogPageEvents
	}
	var events []map[string]any
	bytes, end := 0, off
	for i := off; i < min(off+pageSize, len(msgs)); i++ {
		ev := map[string]any{"logStreamName": msgs[i].Stream, "timestamp": msgs[i].Timestamp,
			"message": msgs[i].Message, "eventId": eventID(i), "ingestionTime": msgs[i].Timestamp + 50}
		// An event counts as its message plus 26 bytes (the size rule of
		// PutLogEvents; FilterLogEvents documents only "1 MB").
		if n := len(msgs[i].Message) + 26; s.LogPageEvents > 0 && bytes+n > 1<<20 {
			break
		} else {
			bytes += n
		}
		events = append(events, ev)
		end = i + 1
	}
	out := map[string]any{"events": events}
	if end < len(msgs) {
		out["nextToken"] = strconv.Itoa(end)
	}
	b, _ := json.Marshal(out)
	s.mu.Lock()
	s.logBytes += int64(len(b))
	s.mu.Unlock()
	w.Header().Set("Content-Type", ctype)
	w.Write(b)
}
