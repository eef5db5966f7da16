package runner

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newTestEnv is an environment without a process: the Runtime API alone.
func newTestEnv(t *testing.T) *env {
	t.Helper()
	r, err := newRunner(Config{Handler: testFn, Isolation: IsolationNone})
	if err != nil {
		t.Fatal(err)
	}
	return &env{r: r, id: 1, ready: make(chan struct{}), initFail: make(chan struct{}), exited: make(chan struct{}),
		next: make(chan *call), closing: make(chan struct{}), outDone: make(chan struct{})}
}

func do(e *env, method, path, body string, hdr map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	return w
}

func apiError(t *testing.T, w *httptest.ResponseRecorder) errorBody {
	t.Helper()
	var eb errorBody
	if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil {
		t.Fatalf("error body %q: %v", w.Body.String(), err)
	}
	return eb
}

// handOut serves GET /next in the background and hands it c.
func handOut(t *testing.T, e *env, c *call) *httptest.ResponseRecorder {
	t.Helper()
	got := make(chan *httptest.ResponseRecorder)
	go func() { got <- do(e, "GET", "/2018-06-01/runtime/invocation/next", "", nil) }()
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
	if w.Code != 200 || w.Body.String() != `{"k":"v"}` {
		t.Fatalf("/next = %d %q", w.Code, w.Body.String())
	}
	h := w.Result().Header
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
	w = do(e, "POST", "/2018-06-01/runtime/invocation/nope/response", `{}`, nil)
	if w.Code != 400 || apiError(t, w).Type != "InvalidRequestID" {
		t.Errorf("unknown id: %d %s", w.Code, w.Body.String())
	}
	// Wrong response mode: 400.
	w = do(e, "POST", "/2018-06-01/runtime/invocation/"+c.id+"/response", `{}`, map[string]string{"Lambda-Runtime-Function-Response-Mode": "buffered"})
	if w.Code != 400 || apiError(t, w).Type != "InvalidFunctionResponseMode" {
		t.Errorf("bad response mode: %d %s", w.Code, w.Body.String())
	}
	// The response: 202 {"status":"OK"}.
	w = do(e, "POST", "/2018-06-01/runtime/invocation/"+c.id+"/response", `"done"`, nil)
	if w.Code != 202 || w.Body.String() != `{"status":"OK"}` {
		t.Errorf("response: %d %q", w.Code, w.Body.String())
	}
	<-c.done
	if c.status != "success" || string(c.response) != `"done"` {
		t.Errorf("call = %s %q", c.status, c.response)
	}
	// Answering twice: 403 InvalidStateTransition.
	w = do(e, "POST", "/2018-06-01/runtime/invocation/"+c.id+"/error", `{}`, nil)
	if w.Code != 403 || apiError(t, w).Type != "InvalidStateTransition" {
		t.Errorf("second answer: %d %s", w.Code, w.Body.String())
	}
	// init/error after INIT: 403.
	w = do(e, "POST", "/2018-06-01/runtime/init/error", `{}`, nil)
	if w.Code != 403 {
		t.Errorf("late init/error: %d", w.Code)
	}
	// Unknown path and wrong method.
	if w = do(e, "GET", "/2018-06-01/runtime/invocation/x/nothing", "", nil); w.Code != 404 {
		t.Errorf("unknown path: %d", w.Code)
	}
	if w = do(e, "POST", "/2018-06-01/runtime/invocation/next", "", nil); w.Code != 405 {
		t.Errorf("POST /next: %d", w.Code)
	}

	// An error: the type comes from the header when given, else the body.
	c2 := &call{id: "second", event: []byte(`{}`), done: make(chan struct{})}
	handOut(t, e, c2)
	w = do(e, "POST", "/2018-06-01/runtime/invocation/second/error", `{"errorMessage":"Error parsing event data.","errorType":"InvalidEventDataException"}`, map[string]string{"Lambda-Runtime-Function-Error-Type": "Function.Parse"})
	<-c2.done
	if w.Code != 202 || c2.status != "error" || c2.errType != "Function.Parse" || c2.errMsg != "Error parsing event data." {
		t.Errorf("error = %d %s %s %q", w.Code, c2.status, c2.errType, c2.errMsg)
	}

	// A response over 6 MB: 413 RequestEntityTooLarge, the call fails.
	c3 := &call{id: "third", event: []byte(`{}`), done: make(chan struct{})}
	handOut(t, e, c3)
	w = do(e, "POST", "/2018-06-01/runtime/invocation/third/response", strings.Repeat("x", MaxPayloadBytes+1), nil)
	<-c3.done
	if w.Code != 413 || apiError(t, w).Type != "RequestEntityTooLarge" || c3.errType != "Function.ResponseSizeTooLarge" {
		t.Errorf("oversized: %d %s", w.Code, c3.errType)
	}

	// A closing environment answers /next with 500 and Lambda's message.
	close(e.closing)
	w = do(e, "GET", "/2018-06-01/runtime/invocation/next", "", nil)
	if b, _ := io.ReadAll(w.Result().Body); w.Code != http.StatusInternalServerError || !strings.Contains(string(b), "Runtime should exit promptly") {
		t.Errorf("closing: %d %s", w.Code, b)
	}
}

func TestRuntimeAPIInitError(t *testing.T) {
	e := newTestEnv(t)
	w := do(e, "POST", "/2018-06-01/runtime/init/error", `{"errorMessage":"no config","errorType":"Runtime.Config"}`, nil)
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
	if w = do(e, "POST", "/2018-06-01/runtime/init/error", `{}`, nil); w.Code != 202 {
		t.Errorf("second init/error: %d", w.Code)
	}
}

var traceRE = regexp.MustCompile(`^Root=1-([0-9a-f]{8})-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$`)

// chunkedReader returns its chunks one Read at a time, then err.
type chunkedReader struct {
	chunks []string
	err    error
}

func (r *chunkedReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, r.err
	}
	n := copy(p, r.chunks[0])
	if n < len(r.chunks[0]) {
		r.chunks[0] = r.chunks[0][n:]
	} else {
		r.chunks = r.chunks[1:]
	}
	return n, nil
}

func TestReadBody(t *testing.T) {
	broken := io.ErrUnexpectedEOF
	cases := []struct {
		name    string
		chunks  []string
		err     error // what the reader ends with
		limit   int64
		buf     []byte
		want    string
		wantErr error
	}{
		{"empty", nil, io.EOF, 10, nil, "", nil},
		{"small, no buffer", []string{`{"a":`, `1}`}, io.EOF, 10, nil, `{"a":1}`, nil},
		{"exactly the limit", []string{"12345", "67890"}, io.EOF, 10, make([]byte, 0, 3), "1234567890", nil},
		{"one byte over", []string{"12345", "678901"}, io.EOF, 10, nil, "", errTooLarge},
		{"far over, big buffer", []string{strings.Repeat("x", 100)}, io.EOF, 10, make([]byte, 0, 4096), "", errTooLarge},
		{"grows past the buffer", []string{strings.Repeat("y", 5000)}, io.EOF, 1 << 20, make([]byte, 0, 16), strings.Repeat("y", 5000), nil},
		{"truncated", []string{"abc"}, broken, 10, nil, "abc", broken},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readBody(&chunkedReader{chunks: append([]string(nil), c.chunks...), err: c.err}, c.limit, c.buf)
			if err != c.wantErr || string(got) != c.want {
				t.Errorf("readBody = %q, %v; want %q, %v", got, err, c.want, c.wantErr)
			}
		})
	}
}
