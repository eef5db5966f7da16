package runner

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newTestEnv is an environment without a process: the Runtime API alone,
// served on 127.0.0.1 like a real one.
func newTestEnv(t testing.TB) *env {
	t.Helper()
	r, err := newRunner(Config{Handler: testFn, Isolation: IsolationNone})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &env{r: r, id: 1, ln: ln, ready: make(chan struct{}), initFail: make(chan struct{}), exited: make(chan struct{}),
		next: make(chan *call, 1), closing: make(chan struct{}), outDone: make(chan struct{})}
	go e.serve(ln)
	t.Cleanup(e.closeServer)
	return e
}

// apiResponse is what a client got back.
type apiResponse struct {
	Code   int
	Header http.Header
	Body   string
}

// testClient is an ordinary net/http client, as runtimes written in Go use.
var testClient = &http.Client{Transport: &http.Transport{Proxy: nil}, Timeout: 10 * time.Second}

func do(t *testing.T, e *env, method, path, body string, hdr map[string]string) apiResponse {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+e.ln.Addr().String()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := testClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading the body: %v", method, path, err)
	}
	return apiResponse{resp.StatusCode, resp.Header, string(b)}
}

func apiError(t *testing.T, w apiResponse) errorBody {
	t.Helper()
	var eb errorBody
	if err := json.Unmarshal([]byte(w.Body), &eb); err != nil {
		t.Fatalf("error body %q: %v", w.Body, err)
	}
	return eb
}

// handOut serves GET /next in the background and hands it c.
func handOut(t *testing.T, e *env, c *call) apiResponse {
	t.Helper()
	got := make(chan apiResponse)
	go func() { got <- do(t, e, "GET", "/2018-06-01/runtime/invocation/next", "", nil) }()
	e.next <- c
	return <-got
}

func TestRuntimeAPIConformance(t *testing.T) {
	e := newTestEnv(t)
	c := &call{id: "8476a536-e9f4-11e8-9739-2dfe598c3fcd", event: []byte(`{"k":"v"}`), done: make(chan struct{})}
	before := time.Now()
	w := handOut(t, e, c)
	select {
	case <-e.ready:
	default:
		t.Fatal("the first GET /next must end INIT")
	}
	if w.Code != 200 || w.Body != `{"k":"v"}` {
		t.Fatalf("/next = %d %q", w.Code, w.Body)
	}
	h := w.Header
	if h.Get("Lambda-Runtime-Aws-Request-Id") != c.id || h.Get("Content-Type") != "application/json" ||
		h.Get("Lambda-Runtime-Invoked-Function-Arn") != "arn:aws:lambda:us-east-1:123456789012:function:bootstrap" ||
		!strings.HasPrefix(h.Get("Lambda-Runtime-Trace-Id"), "Root=1-") {
		t.Errorf("headers %v", h)
	}
	// X-Ray's format: Root=1-<epoch seconds, 8 hex>-<24 hex>;Parent=<16 hex>;Sampled=0.
	trace := h.Get("Lambda-Runtime-Trace-Id")
	if m := traceRE.FindStringSubmatch(trace); m == nil {
		t.Errorf("trace id %q is not Root=1-xxxxxxxx-<24 hex>;Parent=<16 hex>;Sampled=0", trace)
	} else if sec, _ := strconv.ParseInt(m[1], 16, 64); sec < before.Unix() || sec > time.Now().Unix() {
		t.Errorf("trace id %q: epoch %d not within the hand-out (%d)", trace, sec, before.Unix())
	}
	if again := traceID(before); again == traceID(before) || !traceRE.MatchString(again) {
		t.Errorf("trace ids must be random and well formed: %q", again)
	}
	dl, err := strconv.ParseInt(h.Get("Lambda-Runtime-Deadline-Ms"), 10, 64)
	if want := before.Add(3 * time.Second).UnixMilli(); err != nil || dl < want || dl > want+1000 {
		t.Errorf("deadline %d, want ≈ now + 3 s = %d", dl, want)
	}

	// Unknown request id: 400 InvalidRequestID.
	w = do(t, e, "POST", "/2018-06-01/runtime/invocation/nope/response", `{}`, nil)
	if w.Code != 400 || apiError(t, w).Type != "InvalidRequestID" {
		t.Errorf("unknown id: %d %s", w.Code, w.Body)
	}
	// Wrong response mode: 400.
	w = do(t, e, "POST", "/2018-06-01/runtime/invocation/"+c.id+"/response", `{}`, map[string]string{"Lambda-Runtime-Function-Response-Mode": "buffered"})
	if w.Code != 400 || apiError(t, w).Type != "InvalidFunctionResponseMode" {
		t.Errorf("bad response mode: %d %s", w.Code, w.Body)
	}
	// The response: 202 {"status":"OK"}.
	w = do(t, e, "POST", "/2018-06-01/runtime/invocation/"+c.id+"/response", `"done"`, nil)
	if w.Code != 202 || w.Body != `{"status":"OK"}` {
		t.Errorf("response: %d %q", w.Code, w.Body)
	}
	<-c.done
	if c.status != "success" || string(c.response) != `"done"` {
		t.Errorf("call = %s %q", c.status, c.response)
	}
	// Answering twice: 403 InvalidStateTransition.
	w = do(t, e, "POST", "/2018-06-01/runtime/invocation/"+c.id+"/error", `{}`, nil)
	if w.Code != 403 || apiError(t, w).Type != "InvalidStateTransition" {
		t.Errorf("second answer: %d %s", w.Code, w.Body)
	}
	// init/error after INIT: 403.
	w = do(t, e, "POST", "/2018-06-01/runtime/init/error", `{}`, nil)
	if w.Code != 403 {
		t.Errorf("late init/error: %d", w.Code)
	}
	// Unknown path and wrong method.
	if w = do(t, e, "GET", "/2018-06-01/runtime/invocation/x/nothing", "", nil); w.Code != 404 {
		t.Errorf("unknown path: %d", w.Code)
	}
	if w = do(t, e, "POST", "/2018-06-01/runtime/invocation/next", "", nil); w.Code != 405 {
		t.Errorf("POST /next: %d", w.Code)
	}

	// An error: the type comes from the header when given, else the body.
	c2 := &call{id: "second", event: []byte(`{}`), done: make(chan struct{})}
	handOut(t, e, c2)
	w = do(t, e, "POST", "/2018-06-01/runtime/invocation/second/error", `{"errorMessage":"Error parsing event data.","errorType":"InvalidEventDataException"}`, map[string]string{"Lambda-Runtime-Function-Error-Type": "Function.Parse"})
	<-c2.done
	if w.Code != 202 || c2.status != "error" || c2.errType != "Function.Parse" || c2.errMsg != "Error parsing event data." {
		t.Errorf("error = %d %s %s %q", w.Code, c2.status, c2.errType, c2.errMsg)
	}

	// A response over 6 MB: 413 RequestEntityTooLarge, the call fails.
	c3 := &call{id: "third", event: []byte(`{}`), done: make(chan struct{})}
	handOut(t, e, c3)
	w = do(t, e, "POST", "/2018-06-01/runtime/invocation/third/response", strings.Repeat("x", MaxPayloadBytes+1), nil)
	<-c3.done
	if w.Code != 413 || apiError(t, w).Type != "RequestEntityTooLarge" || c3.errType != "Function.ResponseSizeTooLarge" {
		t.Errorf("oversized: %d %s", w.Code, c3.errType)
	}

	// A closing environment answers /next with 500 and Lambda's message.
	close(e.closing)
	w = do(t, e, "GET", "/2018-06-01/runtime/invocation/next", "", nil)
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body, "Runtime should exit promptly") {
		t.Errorf("closing: %d %s", w.Code, w.Body)
	}
}

func TestRuntimeAPIInitError(t *testing.T) {
	e := newTestEnv(t)
	w := do(t, e, "POST", "/2018-06-01/runtime/init/error", `{"errorMessage":"no config","errorType":"Runtime.Config"}`, nil)
	if w.Code != 202 {
		t.Fatalf("init/error: %d", w.Code)
	}
	select {
	case <-e.initFail:
	default:
		t.Fatal("init/error must be signalled")
	}
	if e.initErr.Type != "Runtime.Config" || e.initErr.Message != "no config" {
		t.Errorf("init error %+v", e.initErr)
	}
	// A second report is accepted and ignored.
	if w = do(t, e, "POST", "/2018-06-01/runtime/init/error", `{}`, nil); w.Code != 202 {
		t.Errorf("second init/error: %d", w.Code)
	}
}

var traceRE = regexp.MustCompile(`^Root=1-([0-9a-f]{8})-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`)

// rawExchange writes raw to a new connection to e's Runtime API and reads
// the responses that come back until the server closes the connection or
// want responses have arrived.
func rawExchange(t *testing.T, e *env, raw string, want int, halfClose bool) (resps []apiResponse, closed bool) {
	t.Helper()
	nc, err := net.Dial("tcp", e.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(nc, raw); err != nil {
		t.Fatal(err)
	}
	if halfClose {
		_ = nc.(*net.TCPConn).CloseWrite()
	}
	br := bufio.NewReader(nc)
	for len(resps) < want {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			return resps, true
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("reading a body: %v", err)
		}
		resps = append(resps, apiResponse{resp.StatusCode, resp.Header, string(b)})
		if resp.Close {
			return resps, true
		}
	}
	// Anything more, or the close?
	_ = nc.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	if _, err := br.ReadByte(); err == io.EOF {
		closed = true
	}
	return resps, closed
}

// TestRuntimeAPIWire checks the HTTP/1.1 the Runtime API server speaks,
// byte for byte as clients other than Go's send it.
func TestRuntimeAPIWire(t *testing.T) {
	const respPath = "/2018-06-01/runtime/invocation/ID/response"
	const errPath = "/2018-06-01/runtime/invocation/ID/error"
	cases := []struct {
		name  string
		raw   string // ID is replaced by the call's request id
		codes []int  // the status codes expected, in order
		// what the call must end as ("" when no call is answered)
		status, errType, response string
		closed                    bool
		halfClose                 bool // the client stops sending after raw
	}{
		{name: "content-length body",
			raw:   "POST " + respPath + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\"ok\"",
			codes: []int{202}, status: "success", response: `"ok"`},
		{name: "chunked body with extensions and trailers",
			raw:   "POST " + respPath + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTrailer: Lambda-Runtime-Function-Error-Type\r\n\r\n2;ext=1\r\n{\"\r\n4\r\na\":1\r\n1\r\n}\r\n0\r\nlambda-runtime-function-error-type: Runtime.StreamError\r\n\r\n",
			codes: []int{202}, status: "error", errType: "Runtime.StreamError"},
		{name: "chunked body, sizes in upper case hex",
			raw:   "POST " + respPath + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
			codes: []int{202}, status: "success", response: `0123456789`},
		{name: "Expect: 100-continue gets 100 first",
			raw:   "POST " + respPath + " HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
			codes: []int{100, 202}, status: "success", response: `{}`},
		{name: "absolute-form target and a query",
			raw:   "POST http://127.0.0.1:9001" + respPath + "?x=1 HTTP/1.1\r\nContent-Length: 2\r\n\r\n[]",
			codes: []int{202}, status: "success", response: `[]`},
		{name: "error with the type in a header",
			raw:   "POST " + errPath + " HTTP/1.1\r\nLambda-Runtime-Function-Error-Type: Custom.Err\r\nContent-Length: 26\r\n\r\n{\"errorMessage\":\"it broke\"}",
			codes: []int{202}, status: "error", errType: "Custom.Err"},
		{name: "HTTP/1.0 is answered and closed",
			raw:   "POST " + respPath + " HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}",
			codes: []int{202}, status: "success", response: `{}`, closed: true},
		{name: "Connection: close is honoured",
			raw:   "POST " + respPath + " HTTP/1.1\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}",
			codes: []int{202}, status: "success", response: `{}`, closed: true},
		{name: "pipelined requests are answered in order",
			raw:   "POST " + respPath + " HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}POST " + respPath + " HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}GET /nowhere HTTP/1.1\r\n\r\n",
			codes: []int{202, 403, 404}, status: "success", response: `{}`},
		{name: "truncated chunked body",
			raw:   "POST " + respPath + " HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort\r\nzz\r\n",
			codes: []int{400}, status: "error", errType: "Runtime.TruncatedResponse", closed: true, halfClose: true},
		{name: "malformed request line",
			raw:   "HELLO\r\n\r\n",
			codes: []int{400}, closed: true},
		{name: "unsupported HTTP version",
			raw:   "GET /x HTTP/2.0\r\n\r\n",
			codes: []int{505}, closed: true},
		{name: "unsupported transfer coding",
			raw:   "POST " + respPath + " HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
			codes: []int{501}, closed: true},
		{name: "header field without a colon",
			raw:   "GET /x HTTP/1.1\r\nNoColon\r\n\r\n",
			codes: []int{400}, closed: true},
		{name: "obsolete line folding",
			raw:   "GET /x HTTP/1.1\r\nA: b\r\n c\r\n\r\n",
			codes: []int{400}, closed: true},
		{name: "conflicting Content-Length",
			raw:   "POST " + respPath + " HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
			codes: []int{400}, closed: true},
		{name: "header fields too large",
			raw:   "GET /x HTTP/1.1\r\nX-Big: " + strings.Repeat("a", maxHeaderBytes) + "\r\n\r\n",
			codes: []int{431}, closed: true},
		{name: "a 1 MiB X-Ray cause header is accepted",
			raw:   "POST " + errPath + " HTTP/1.1\r\nLambda-Runtime-Function-Xray-Error-Cause: " + strings.Repeat("c", 1<<20) + "\r\nContent-Length: 2\r\n\r\n{}",
			codes: []int{202}, status: "error", errType: "Function.Unknown"},
		{name: "an unwanted body is drained, the connection kept",
			raw:   "GET /2018-06-01/runtime/invocation/x/nothing HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /y HTTP/1.1\r\n\r\n",
			codes: []int{404, 404}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newTestEnv(t)
			c := &call{id: newRequestID(), event: []byte(`{}`), done: make(chan struct{})}
			if tc.status != "" {
				if w := handOut(t, e, c); w.Code != 200 {
					t.Fatalf("/next: %d", w.Code)
				}
			}
			resps, closed := rawExchange(t, e, strings.ReplaceAll(tc.raw, "ID", c.id), len(tc.codes), tc.halfClose)
			var codes []int
			for _, r := range resps {
				codes = append(codes, r.Code)
			}
			if !slices.Equal(codes, tc.codes) {
				t.Fatalf("status codes %v, want %v (%v)", codes, tc.codes, resps)
			}
			if closed != tc.closed {
				t.Errorf("connection closed = %v, want %v", closed, tc.closed)
			}
			if tc.status == "" {
				return
			}
			select {
			case <-c.done:
			case <-time.After(5 * time.Second):
				t.Fatal("the call did not end")
			}
			if c.status != tc.status || c.errType != tc.errType || (tc.response != "" && string(c.response) != tc.response) {
				t.Errorf("call = %s %s %q, want %s %s %q", c.status, c.errType, c.response, tc.status, tc.errType, tc.response)
			}
		})
	}
}

// TestRuntimeAPIOversizedBodyKeepsConnection: a response over 6 MB is
// refused with 413 after being read, and the same connection serves the
// next request.
func TestRuntimeAPIOversizedBodyKeepsConnection(t *testing.T) {
	for _, chunked := range []bool{false, true} {
		e := newTestEnv(t)
		c := &call{id: newRequestID(), event: []byte(`{}`), done: make(chan struct{})}
		handOut(t, e, c)
		body := strings.Repeat("x", MaxPayloadBytes+1)
		raw := "POST /2018-06-01/runtime/invocation/" + c.id + "/response HTTP/1.1\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
		if chunked {
			raw = "POST /2018-06-01/runtime/invocation/" + c.id + "/response HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n" +
				strconv.FormatInt(int64(len(body)/2), 16) + "\r\n" + body[:len(body)/2] + "\r\n" +
				strconv.FormatInt(int64(len(body)-len(body)/2), 16) + "\r\n" + body[len(body)/2:] + "\r\n0\r\n\r\n"
		}
		raw += "GET /elsewhere HTTP/1.1\r\n\r\n"
		resps, closed := rawExchange(t, e, raw, 2, false)
		if len(resps) != 2 || resps[0].Code != 413 || resps[1].Code != 404 || closed {
			t.Fatalf("chunked=%v: %v closed=%v", chunked, resps, closed)
		}
		<-c.done
		if c.errType != "Function.ResponseSizeTooLarge" {
			t.Errorf("chunked=%v: call %s %s", chunked, c.status, c.errType)
		}
	}
}

// TestRuntimeAPIRuntimeGoneWhileWaiting: a runtime that closes its GET /next
// connection before an event arrives does not take the event with it; the
// next connection gets it.
func TestRuntimeAPIRuntimeGoneWhileWaiting(t *testing.T) {
	e := newTestEnv(t)
	nc, err := net.Dial("tcp", e.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(nc, "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	<-e.ready
	nc.Close()
	c := &call{id: newRequestID(), event: []byte(`{"n":1}`), done: make(chan struct{})}
	if w := handOut(t, e, c); w.Code != 200 || w.Body != `{"n":1}` || w.Header.Get("Lambda-Runtime-Aws-Request-Id") != c.id {
		t.Fatalf("second /next: %d %q", w.Code, w.Body)
	}
}

// TestRuntimeAPILargeEvent: events above the inline size go out whole.
func TestRuntimeAPILargeEvent(t *testing.T) {
	e := newTestEnv(t)
	for _, n := range []int{inlineBody - 10, inlineBody + 1, 256 << 10, 6 << 20} {
		ev := []byte(`"` + strings.Repeat("e", n) + `"`)
		c := &call{id: newRequestID(), event: ev, done: make(chan struct{})}
		w := handOut(t, e, c)
		if w.Code != 200 || w.Body != string(ev) || w.Header.Get("Content-Length") != strconv.Itoa(len(ev)) {
			t.Fatalf("%d-byte event: %d, %d bytes back", len(ev), w.Code, len(w.Body))
		}
		if r := do(t, e, "POST", "/2018-06-01/runtime/invocation/"+c.id+"/response", `{}`, nil); r.Code != 202 {
			t.Fatalf("response: %d", r.Code)
		}
	}
}

func TestValidFieldName(t *testing.T) {
	for _, c := range []struct {
		name string
		ok   bool
	}{
		{"Content-Length", true}, {"lambda-runtime-function-error-type", true}, {"X_Odd.Name~1!", true},
		{"", true}, {"Bad Name", false}, {"Bad:Name", false}, {"Bad\tName", false}, {"Bad(Name)", false},
		{"Bad\x7fName", false}, {"Bäd", false}, {`Bad"Name`, false}, {"Bad/Name", false},
	} {
		if got := validFieldName([]byte(c.name)); got != c.ok {
			t.Errorf("validFieldName(%q) = %v, want %v", c.name, got, c.ok)
		}
	}
}

// FuzzRuntimeAPIRequest feeds arbitrary bytes to the Runtime API server
// (an environment that is closing, so /next answers at once). Whatever
// arrives, the server must not panic, must answer only with well-formed
// HTTP responses, and must close the connection once the client has
// stopped sending. `go test -fuzz FuzzRuntimeAPIRequest ./simulator/runner`
// explores; the seeds run with every `go test`.
func FuzzRuntimeAPIRequest(f *testing.F) {
	for _, seed := range []string{
		"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: x\r\n\r\n",
		"POST /2018-06-01/runtime/invocation/abc/response HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}",
		"POST /2018-06-01/runtime/invocation/abc/error HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nLambda-Runtime-Function-Error-Type: T\r\n\r\n",
		"POST /2018-06-01/runtime/init/error HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}",
		"POST http://h/2018-06-01/runtime/init/error?q HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
		"GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r\n",
		"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n",
		"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
		"\r\n\r\nGET / HTTP/9.9\r\n\r\n",
		"GET / HTTP/1.1\r\n: empty name\r\n\r\n",
		"\x00\xff garbage",
	} {
		f.Add([]byte(seed))
	}
	e := newTestEnv(f)
	close(e.closing)
	f.Fuzz(func(t *testing.T, raw []byte) {
		nc, err := net.Dial("tcp", e.ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		_ = nc.SetDeadline(time.Now().Add(10 * time.Second))
		go func() {
			_, _ = nc.Write(raw)
			_ = nc.(*net.TCPConn).CloseWrite()
		}()
		br := bufio.NewReader(nc)
		for {
			if _, err := br.Peek(1); err == io.EOF {
				return // closed after zero or more good responses
			} else if err != nil {
				t.Fatalf("waiting for the server to answer or close: %v", err)
			}
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("malformed response: %v", err)
			}
			if _, err := io.Copy(io.Discard, resp.Body); err != nil {
				t.Fatalf("response body: %v", err)
			}
			resp.Body.Close()
		}
	})
}

// traceID is appendTraceID as a string.
func traceID(t time.Time) string {
	return string(appendTraceID(make([]byte, 0, 64), t))
}

// A runtime that registers itself as an extension (the Lambda Web
// Adapter's register_default_extension: POST /2020-01-01/extension/register
// with Lambda-Extension-Name and {"events":[]}) or subscribes to the
// Telemetry API gets a 404 naming the API, and the run's notes say the
// extension's time and memory were not measured — never a silent 404.
func TestUnservedAPIsAreNoted(t *testing.T) {
	e := newTestEnv(t)
	for range 2 {
		w := do(t, e, "POST", "/2020-01-01/extension/register", `{ "events": [] }`, map[string]string{"Lambda-Extension-Name": "lambda-adapter"})
		if w.Code != 404 || !strings.Contains(apiError(t, w).Message, "the Extensions API is not served") {
			t.Errorf("register: %d %s", w.Code, w.Body)
		}
	}
	if w := do(t, e, "PUT", "/2022-07-01/telemetry", `{"schemaVersion":"2022-12-13"}`, nil); w.Code != 404 {
		t.Errorf("telemetry: %d %s", w.Code, w.Body)
	}
	// Any other path is only unknown, not noted.
	if w := do(t, e, "GET", "/2018-06-01/other", "", nil); w.Code != 404 {
		t.Errorf("other: %d", w.Code)
	}
	notes := strings.Join(e.r.notes(nil), "\n")
	for _, want := range []string{
		"the Extensions API (POST /2020-01-01/extension/register) ×2",
		"the Telemetry API (PUT /2022-07-01/telemetry) ×1",
		"are not measured",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes %q lack %q", notes, want)
		}
	}
	if strings.Contains(notes, "/2018-06-01/other") {
		t.Errorf("notes %q name an unknown path", notes)
	}
}
