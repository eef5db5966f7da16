package runner

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Runtime API constants (API version 2018-06-01).
const (
	apiPrefix = "/2018-06-01/runtime/"
	// MaxPayloadBytes is the largest response a function may return
	// synchronously: 6 MB (as the Runtime Interface Emulator enforces it,
	// 6 MiB + 100 bytes).
	MaxPayloadBytes = 6*1024*1024 + 100

	hdrRequestID       = "Lambda-Runtime-Aws-Request-Id"
	hdrDeadline        = "Lambda-Runtime-Deadline-Ms"
	hdrFunctionARN     = "Lambda-Runtime-Invoked-Function-Arn"
	hdrTraceID         = "Lambda-Runtime-Trace-Id"
	hdrClientContext   = "Lambda-Runtime-Client-Context"
	hdrCognitoIdentity = "Lambda-Runtime-Cognito-Identity"
	hdrErrorType       = "Lambda-Runtime-Function-Error-Type"
	hdrErrorBody       = "Lambda-Runtime-Function-Error-Body"
	hdrResponseMode    = "Lambda-Runtime-Function-Response-Mode"
	containerErrBody   = `{"errorMessage":"Container error. Non-recoverable state. Runtime should exit promptly.","errorType":"Runtime.ContainerError"}`
)

// call is one invocation in flight.
type call struct {
	id    string
	event []byte
	// pre is the part of the invocation before the event was handed out:
	// a suppressed INIT retried inside it (counted in its duration and
	// timeout).
	pre time.Duration
	// billedInit is a timed-out INIT billed with this invocation.
	billedInit time.Duration

	// Set by the /next handler when the event is handed out; asked is
	// when that GET /next reached the handler.
	start    time.Time
	cpuStart time.Duration
	asked    time.Time

	// cpuEnd is the CPU reading taken when the response or error arrived,
	// while the runtime waits for the reply (cpuEndOK: taken).
	cpuEnd   time.Duration
	cpuEndOK bool

	// Set when finished (under env.mu); done is closed then.
	done     chan struct{}
	finished bool
	end      time.Time
	status   string // success | error | timeout
	failure  bool   // the runtime failed (crash, OOM, timeout): discard the environment
	errType  string
	errMsg   string
	response []byte
	respLen  int  // bytes of the response or error payload (also when response is discarded)
	funcErr  bool // the function reported an error via /error
	streamed bool // the response was streamed (Response-Mode: streaming)
	// streamBytes is how many bytes were streamed (also when the stream
	// then failed: they were sent, and billed).
	streamBytes int64

	// The invoke phase (invoke_phase.go): it ends when the runtime calls
	// GET /next again, not at the response.
	phase phaseEnd
}

// env is one execution environment: a process serving the Runtime API.
type env struct {
	r        *runner
	id       int
	cmd      *exec.Cmd
	pid      int
	ln       net.Listener
	box      *envBox // its namespaces (sandbox), or nil
	cg       *cgroup
	logGroup string

	started time.Time // process start (INIT begins)

	ready     chan struct{} // closed at the first GET /next
	initEnd   time.Time
	initCPU   time.Duration
	initFail  chan struct{} // closed when the runtime posts /init/error
	initErr   errorBody
	exited    chan struct{} // closed when the process has exited
	exitState *os.ProcessState
	exitErr   error
	next      chan *call    // the /next handler takes invocations from here (one waits)
	outDone   chan struct{} // closed when the function's output is drained
	out       *os.File
	pipe      *outPipe // nil when logs are discarded
	closing   chan struct{}

	// The Runtime API server's open connections.
	connMu    sync.Mutex
	conns     map[net.Conn]struct{}
	srvClosed bool

	mu       sync.Mutex
	cur      *call
	last     *call // answered, its invoke phase not yet ended (no /next yet)
	lastID   string
	inited   bool
	lastUsed time.Time
	killed   bool

	timer    *time.Timer
	procPeak int64 // largest process memory of the cgroup seen (memory.go)
	lastHWM  int64 // the largest VmHWM read (or reported at exit), under mu
	// forkHWM is the runner's own peak resident size once the bootstrap
	// was started: an exit peak (ru_maxrss) up to it may be the runner's
	// memory, not the function's (exitmem.go).
	forkHWM int64

	// Statistics files kept open for the environment's life.
	cpuF, peakF, statusF *statFile
	cpuKey               string
	cpuUnit              time.Duration
}

type errorBody struct {
	Type    string `json:"errorType"`
	Message string `json:"errorMessage"`
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

func randHex(n int) string {
	b := make([]byte, n/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// startEnv starts a new execution environment: its own Runtime API
// listener on 127.0.0.1 and the bootstrap process in its own process group
// (and cgroup, where allowed).
func (r *runner) startEnv(id int) (*env, error) {
	ln, box, err := r.listen()
	if err != nil {
		return nil, err
	}
	e := &env{
		r: r, id: id, ln: ln, box: box,
		ready: make(chan struct{}), initFail: make(chan struct{}), exited: make(chan struct{}),
		next: make(chan *call, 1), closing: make(chan struct{}), outDone: make(chan struct{}),
	}

	now := time.Now().UTC()
	stream := now.Format("2006/01/02") + "/[" + r.version + "]" + randHex(32)
	cmd := exec.Command(r.path, r.args...)
	cmd.Dir = r.dir
	cmd.Env = append(append(make([]string, 0, len(r.baseEnv)+2), r.baseEnv...),
		"AWS_LAMBDA_RUNTIME_API="+ln.Addr().String(),
		"AWS_LAMBDA_LOG_STREAM_NAME="+stream)
	cmd.SysProcAttr = sysProcAttr()
	outR, outW, err := os.Pipe()
	if err != nil {
		e.closeServer()
		e.box.close()
		return nil, &pricing.ExternalError{Op: "creating a pipe", Err: err}
	}
	cmd.Stdout, cmd.Stderr = outW, outW
	if r.cgroups != nil {
		cg, err := r.cgroups.create(r.cfg.Function.MemoryMB, initVCPU(r.vcpu))
		if err != nil {
			outR.Close()
			outW.Close()
			e.closeServer()
			e.box.close()
			return nil, &pricing.ExternalError{Op: "creating the environment's cgroup", Err: err}
		}
		e.cg = cg
	}
	e.started = time.Now()
	switch {
	case e.box != nil:
		err = r.sandbox.startSandboxed(e.box, cmd, e.cg)
	case e.cg != nil:
		err = e.cg.start(cmd)
	default:
		err = cmd.Start()
	}
	outW.Close()
	if err != nil {
		outR.Close()
		e.closeServer()
		e.box.close()
		if e.cg != nil {
			e.cg.remove()
		}
		return nil, &pricing.ExternalError{Op: "starting " + r.path, Err: err}
	}
	e.cmd, e.pid = cmd, cmd.Process.Pid
	// Read after the exec, so at least the peak the process inherited.
	e.forkHWM = selfPeakRSS()
	limitProcess(e.pid, r.sandbox != nil && !r.cgroups.countsTasks())
	e.statusF = statusFile(e.pid)
	if e.cg != nil {
		var path string
		path, e.cpuKey, e.cpuUnit = e.cg.cpuStat()
		e.cpuF, e.peakF = openStatFile(path), openStatFile(e.cg.memStat())
	}
	// Serve only now that the environment is complete: a runtime that
	// connects earlier waits in the listen backlog.
	go e.serve(ln)
	r.track(e)
	if r.logs.format == LogJSON {
		r.logs.event(e.started, "platform.initStart", map[string]any{
			"initializationType": "on-demand", "phase": "init",
			"functionName": r.cfg.Function.Name, "functionVersion": r.version,
		})
	}
	e.out = outR
	growPipe(outR)
	if r.logs.enabled() {
		e.pipe = newOutPipe(e, outR, r.logs)
		go e.pipe.run(e.outDone)
	} else {
		go discardOutput(outR, e.outDone)
	}
	go func() {
		err := cmd.Wait()
		e.mu.Lock()
		e.exitErr, e.exitState = err, cmd.ProcessState
		e.mu.Unlock()
		close(e.exited)
	}()
	return e, nil
}

// unservedAPI names the Lambda API a path belongs to when it is one the
// runner does not serve: the Extensions API (an extension, or a runtime
// that registers itself as one, as the Lambda Web Adapter does), the Logs
// and the Telemetry API; "" otherwise.
func unservedAPI(path string) string {
	switch {
	case strings.HasPrefix(path, "/2020-01-01/extension/"):
		return "the Extensions API"
	case strings.HasPrefix(path, "/2020-08-15/logs"):
		return "the Logs API"
	case strings.HasPrefix(path, "/2022-07-01/telemetry"):
		return "the Telemetry API"
	}
	return ""
}

// noteUnserved counts a call to an API the runner does not serve.
func (r *runner) noteUnserved(call string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unserved == nil {
		r.unserved = map[string]int{}
	}
	r.unserved[call]++
}

// route serves one request of the Runtime API.
func (e *env) route(c *apiConn) {
	path, method := c.req.path, c.req.method
	p, ok := strings.CutPrefix(path, apiPrefix)
	if !ok {
		if api := unservedAPI(path); api != "" {
			e.r.noteUnserved(api + " (" + method + " " + path + ")")
			// Drain the body so the connection stays usable.
			if c.discardBody() != nil {
				return
			}
			c.writeError(http.StatusNotFound, "InvalidPath", api+" is not served by lambdacost run: "+path)
			return
		}
		c.writeError(http.StatusNotFound, "InvalidPath", "unknown path "+path)
		return
	}
	switch {
	case path == pathNext:
		if method != http.MethodGet {
			c.writeError(http.StatusMethodNotAllowed, "InvalidMethod", "use GET")
			return
		}
		// A GET has no body to wait for; drop one sent anyway.
		if c.discardBody() != nil {
			return
		}
		e.handleNext(c)
	case path == pathInitError:
		if method != http.MethodPost {
			c.writeError(http.StatusMethodNotAllowed, "InvalidMethod", "use POST")
			return
		}
		e.handleInitError(c)
	case strings.HasPrefix(p, "invocation/"):
		rest := p[len("invocation/"):]
		id, kind, ok := strings.Cut(rest, "/")
		if !ok || (kind != "response" && kind != "error") {
			c.writeError(http.StatusNotFound, "InvalidPath", "unknown path "+path)
			return
		}
		if method != http.MethodPost {
			c.writeError(http.StatusMethodNotAllowed, "InvalidMethod", "use POST")
			return
		}
		e.handleResult(c, id, kind == "error")
	default:
		c.writeError(http.StatusNotFound, "InvalidPath", "unknown path "+path)
	}
}

func (e *env) handleNext(c *apiConn) {
	r := e.r
	now := time.Now()
	e.mu.Lock()
	first := !e.inited
	if first {
		e.inited = true
		e.initEnd = now
		e.initCPU, _ = e.cpuTime()
	}
	e.endPhaseLocked(now)
	if cur := e.cur; cur != nil && !cur.finished {
		// The runtime asked for more work without answering: Lambda ends
		// the invocation there.
		e.finishLocked(cur, now, func(c *call) {
			c.status, c.errType, c.errMsg = "error", "Runtime.NoResponse", "the runtime asked for the next event without posting a response or an error"
		})
		e.endPhaseLocked(now)
	}
	e.mu.Unlock()
	if first {
		if e.cg != nil {
			// INIT's burst ends: the memory's share from now on.
			_ = e.cg.setCPU(r.vcpu)
		}
		// INIT's peak: what a crash in the first invocation reports at
		// least (its exit peak may not be told from the runner's).
		_, _ = e.peakRSS()
		close(e.ready)
	}
	var cl *call
	select {
	case cl = <-e.next:
	default:
		if cl = e.awaitCall(c); cl == nil {
			return
		}
	}
	// What the environment wrote until now is not this invocation's.
	e.pipe.mark(cl.id)
	cpu, _ := e.cpuTime()
	start := time.Now()
	e.mu.Lock()
	cl.start, cl.cpuStart, cl.asked = start, cpu, now
	e.cur = cl
	e.mu.Unlock()
	c.begin(http.StatusOK, start)
	c.header(hdrRequestID, cl.id)
	c.w = append(c.w, hdrDeadline+": "...)
	c.w = strconv.AppendInt(c.w, start.Add(r.timeout-cl.pre).UnixMilli(), 10)
	c.w = append(c.w, "\r\n"+hdrFunctionARN+": "...)
	c.w = append(c.w, r.arn...)
	c.w = append(c.w, "\r\n"+hdrTraceID+": "...)
	c.w = appendTraceID(c.w, start)
	c.w = append(c.w, "\r\nContent-Type: application/json\r\n"...)
	if r.clientContext != nil {
		c.header(hdrClientContext, string(r.clientContext))
	}
	if r.identity != nil {
		c.header(hdrCognitoIdentity, string(r.identity))
	}
	if r.logs.enabled() {
		if r.logs.format == LogJSON {
			r.logs.event(start, "platform.start", map[string]string{"requestId": cl.id, "version": r.version})
		} else {
			r.logs.line(StartLine(cl.id, r.version))
		}
	}
	c.send(cl.event)
}

// awaitCall waits for an invocation while the runtime's GET /next is
// open. It returns nil when the environment is closing (answered with
// 500, as Lambda does) or when the runtime hung up while waiting: the call
// then goes to the runtime's next connection, or back to the invoker
// should the process have exited.
func (e *env) awaitCall(c *apiConn) *call {
	var cl *call
	select {
	case cl = <-e.next:
	case <-e.closing:
		c.close = true
		c.begin(http.StatusInternalServerError, time.Now())
		c.header("Content-Type", "application/json")
		c.send([]byte(containerErrBody))
		return nil
	}
	if !c.peerGone() {
		return cl
	}
	c.close = true
	select {
	case e.next <- cl:
	case <-e.exited: // dispatch sees it was never handed out
	case <-e.closing:
	}
	return nil
}

// appendTraceID appends an X-Ray trace header for an invocation starting
// at t: Root=1-<8 hex: epoch seconds>-<24 hex>;Parent=<16 hex>;Sampled=0.
func appendTraceID(b []byte, t time.Time) []byte {
	var rnd [20]byte
	_, _ = rand.Read(rnd[:])
	b = append(b, "Root=1-"...)
	b = strconv.AppendInt(b, t.Unix(), 16)
	b = append(b, '-')
	b = hex.AppendEncode(b, rnd[:12])
	b = append(b, ";Parent="...)
	b = hex.AppendEncode(b, rnd[12:])
	return append(b, ";Sampled=0"...)
}

func (e *env) handleResult(c *apiConn, id string, isError bool) {
	e.mu.Lock()
	cl := e.cur
	if cl == nil || cl.id != id || cl.finished {
		known := id == e.lastID || (cl != nil && cl.id == id)
		e.mu.Unlock()
		if known {
			c.writeError(http.StatusForbidden, "InvalidStateTransition", "State transition from Ready to InvocationResponse failed for runtime. Error: State transition is not allowed")
		} else {
			c.writeError(http.StatusBadRequest, "InvalidRequestID", "Invalid request ID: "+id)
		}
		return
	}
	e.mu.Unlock()
	if !isError {
		if m := c.req.responseMode; m != "" && !strings.EqualFold(m, "streaming") {
			c.writeError(http.StatusBadRequest, "InvalidFunctionResponseMode", "unsupported response mode "+m)
			return
		}
	}
	limit := int64(MaxPayloadBytes)
	streamed := !isError && strings.EqualFold(c.req.responseMode, "streaming")
	if streamed {
		limit = MaxStreamingBytes
		c.pace = &streamPacer{start: time.Now(), closing: e.closing}
	}
	buf := bodyPool.Get().(*[]byte)
	defer bodyPool.Put(buf)
	body, err := c.readBody(limit, (*buf)[:0])
	c.pace = nil
	if cap(body) <= maxPooledBody {
		*buf = body[:0]
	}
	now := time.Now()
	// The invocation's CPU ends here, while the runtime waits for the reply.
	cpuEnd, cpuOK := e.cpuTime()
	if errors.Is(err, errTooLarge) {
		e.finish(cl, now, func(c *call) {
			c.status, c.errType = "error", "Function.ResponseSizeTooLarge"
			c.errMsg = fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", limit)
			c.cpuEnd, c.cpuEndOK = cpuEnd, cpuOK
		})
		c.writeError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", limit))
		return
	}
	if err != nil {
		e.finish(cl, now, func(c *call) {
			c.status, c.errType, c.errMsg, c.failure = "error", "Runtime.TruncatedResponse", "reading the response: "+err.Error(), false
			c.cpuEnd, c.cpuEndOK = cpuEnd, cpuOK
		})
		c.writeError(http.StatusBadRequest, "TruncatedResponse", err.Error())
		return
	}
	// The payload outlives the pooled buffer only when it is kept.
	var kept []byte
	if isError || !e.r.cfg.DiscardResponses {
		kept = bytes.Clone(body)
	}
	var set func(*call)
	if isError {
		var eb errorBody
		_ = json.Unmarshal(body, &eb)
		typ := c.req.errorType
		if typ == "" {
			typ = c.req.trailerErrorType
		}
		if typ == "" {
			typ = eb.Type
		}
		if typ == "" {
			typ = "Function.Unknown"
		}
		msg := eb.Message
		if msg == "" && len(body) > 0 && eb.Type == "" {
			msg = string(body)
		}
		set = func(c *call) { c.status, c.errType, c.errMsg, c.funcErr = "error", typ, msg, true }
	} else if t := c.req.trailerErrorType; t != "" {
		// A streamed response that failed midway reports its error in
		// trailers: the type, and the error JSON in base64.
		msg, bodyType := streamError(c.req.trailerErrorBody)
		if msg == "" {
			msg = bodyType
		}
		set = func(c *call) {
			c.status, c.errType, c.funcErr = "error", t, true
			c.errMsg = msg
			c.response, c.respLen = nil, 0
		}
	}
	// Wake the invoker before replying: it records on the other CPU while
	// this goroutine sends the 202 (after a loopback write the woken
	// runtime often takes this CPU; waking the invoker after it measured
	// 40–130 µs later).
	e.finish(cl, now, func(c *call) {
		c.status, c.response, c.respLen, c.streamed = "success", kept, len(body), streamed
		if streamed {
			c.streamBytes = int64(len(body))
		}
		c.cpuEnd, c.cpuEndOK = cpuEnd, cpuOK
		if set != nil {
			set(c)
		}
	})
	c.writeAccepted()
}

// bodyPool holds the buffers response payloads are read into; buffers
// grown beyond maxPooledBody are not kept.
const maxPooledBody = 64 << 10

var bodyPool = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func (e *env) handleInitError(c *apiConn) {
	body, err := c.readBody(MaxPayloadBytes, nil)
	if err != nil && err != errTooLarge {
		c.writeError(http.StatusBadRequest, "TruncatedResponse", err.Error())
		return
	}
	e.mu.Lock()
	if e.inited {
		e.mu.Unlock()
		c.writeError(http.StatusForbidden, "InvalidStateTransition", "State transition from Ready to InitError failed for runtime. Error: State transition is not allowed")
		return
	}
	var eb errorBody
	_ = json.Unmarshal(body, &eb)
	if t := c.req.errorType; t != "" {
		eb.Type = t
	}
	if eb.Type == "" {
		eb.Type = "Runtime.Unknown"
	}
	already := e.initErr.Type != ""
	if !already {
		e.initErr = eb
		e.initEnd = time.Now()
	}
	e.mu.Unlock()
	if !already {
		close(e.initFail)
	}
	c.writeAccepted()
}

var errTooLarge = errors.New("payload too large")

// finish completes c once (the first of response, error, timeout or crash
// wins).
func (e *env) finish(c *call, t time.Time, set func(*call)) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.finishLocked(c, t, set)
}

func (e *env) finishLocked(c *call, t time.Time, set func(*call)) bool {
	if c.finished {
		return false
	}
	set(c)
	c.end = t
	c.finished = true
	if e.cur == c {
		e.cur = nil
		e.last = c
		e.lastID = c.id
	}
	close(c.done)
	return true
}

// cpuTime is the environment's CPU time so far: the cgroup's (every
// process) where there is one, else the bootstrap process's own clock.
func (e *env) cpuTime() (time.Duration, bool) {
	if e.cpuF != nil {
		var buf [512]byte
		if v, ok := statValue(e.cpuF.read(buf[:]), e.cpuKey); ok {
			return time.Duration(v) * e.cpuUnit, true
		}
	}
	if e.pid == 0 {
		return 0, false
	}
	return processCPU(e.pid)
}

// peakRSS is the bootstrap process's VmHWM in bytes. Once the process is
// gone (a crash, a failed INIT) it is the last reading or, larger, the
// peak the kernel reported when the process was reaped, where that peak
// is the process's own (above the runner's peak at its start, forkHWM).
func (e *env) peakRSS() (int64, bool) {
	var buf [4096]byte
	kb, ok := statValue(e.statusF.read(buf[:]), "VmHWM")
	e.mu.Lock()
	defer e.mu.Unlock()
	if ok && kb > 0 {
		e.lastHWM = max(e.lastHWM, kb<<10)
	}
	if b, ok := exitPeakRSS(e.exitState); ok && b > e.forkHWM {
		e.lastHWM = max(e.lastHWM, b)
	}
	return e.lastHWM, e.lastHWM > 0
}

// kill stops the environment for good: SIGKILL to its process group (and
// to everything in its cgroup), then waits for the process to be reaped.
func (e *env) kill() {
	e.mu.Lock()
	if e.killed {
		e.mu.Unlock()
		<-e.exited
		return
	}
	e.killed = true
	e.mu.Unlock()
	var escaped []int
	if e.pid > 0 {
		// Processes that left the group (setsid) first, while their
		// parent links still lead to the bootstrap.
		escaped = killEscaped(e.pid, e.ln.Addr().String())
		killGroup(e.pid)
	}
	if e.cg != nil {
		e.cg.killAll()
	}
	// Only then answer a pending GET /next (500): a runtime is killed, as
	// on Lambda, not told to log its way out.
	close(e.closing)
	if e.cmd != nil {
		<-e.exited
	}
	// The leader is reaped; make sure nothing of its group is left running
	// (a grandchild can outlive the leader for an instant).
	for i := 0; e.pid > 0 && i < 1000 && groupAlive(e.pid); i++ {
		killGroup(e.pid)
		time.Sleep(time.Millisecond)
	}
	if e.pid > 0 {
		// Orphans re-parented to the runner meanwhile, then their exits.
		escaped = append(escaped, killEscaped(e.pid, e.ln.Addr().String())...)
		reapEscaped(escaped)
	}
	// Every writer of the output pipe is gone: drain what is left. Should
	// a process have escaped the group, stop waiting after a while.
	select {
	case <-e.outDone:
	case <-time.After(2 * time.Second):
	}
	_ = e.out.Close()
	<-e.outDone
	e.closeServer()
	e.box.close()
	e.cpuF.close()
	e.peakF.close()
	e.statusF.close()
	if e.cg != nil {
		e.cg.remove()
	}
	e.r.untrack(e)
}

// hasExited reports whether the process has been reaped.
func (e *env) hasExited() bool {
	select {
	case <-e.exited:
		return true
	default:
		return false
	}
}

// exitReason describes how the process ended, as Lambda words it.
func (e *env) exitReason() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.exitErr == nil {
		return "exit status 0"
	}
	var ee *exec.ExitError
	if errors.As(e.exitErr, &ee) {
		return ee.Error()
	}
	return e.exitErr.Error()
}
