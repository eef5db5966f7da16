// Package whatif is the engine room of `lambdacost serve`: a local web
// page on which a capacity-planning session changes a scenario (traffic,
// memory, architecture, concurrency, region) and sees the bill, the cold
// starts and the throttles of the change within a second.
//
// The page holds no model of its own: every answer comes from the JSON
// API (POST api/plan), which writes the session's changes into the
// scenario's YAML (Apply), validates it with the scenario parser and runs
// the simulator and the pricing engine exactly as `lambdacost simulate`
// does; its response is that command's `-o json` output, byte for byte.
// The page's state is the scenario: POST api/scenario returns the YAML a
// session downloads, and `lambdacost simulate` on it reproduces the page.
// An exact run streams its progress (server-sent events) before its
// answer; a change of region, architecture or billing alone is priced
// from a kept simulation (simulator.Reprice), not simulated again.
// POST api/compare and api/recommend answer `lambdacost compare` and
// `lambdacost plan` of the same scenario: the session's choice of the
// always-on alternatives is the scenario's compare: section.
//
// The server binds loopback by default; bound beyond it, every URL must
// carry a random token (Server.Prefix). Requests are bounded (Limits),
// cancelled when their client goes away or a newer request of the same
// tab supersedes them, and a panic in one request answers 500 without
// stopping the server.
package whatif

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lambdacost/lambdacost/internal/lru"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator"
)

//go:embed page
var pageFS embed.FS

// CSP is the Content-Security-Policy of every response: scripts, styles
// and connections only from the server itself, nothing inline, no frames,
// no forms, no plugins.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
	"font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// maxBody is the largest request body accepted (a scenario is a few KB).
const maxBody = 1 << 20

// Config configures a Server.
type Config struct {
	// Scenario is the base scenario's YAML (file references absolute; see
	// Absolutize), and Name what it was read from, for the page's title.
	Scenario []byte
	Name     string
	// Dir resolves relative file references left in a scenario.
	Dir string
	// Prices is the price table (nil: the embedded one).
	Prices *pricing.PriceTable
	// Limits bound each request (zero fields: DefaultLimits').
	Limits Limits
	// Token, when not empty, must prefix every path: /TOKEN/…
	Token string
	// Logf receives one line per failed request and recovered panic
	// (nil: the standard logger).
	Logf func(format string, args ...any)
}

// Server serves the page and its API. Create it with New; it is an
// http.Handler.
type Server struct {
	cfg    Config
	base   *simulator.Scenario
	sem    chan struct{}
	mux    *http.ServeMux
	mu     sync.Mutex
	tabs   map[string]*tabRun
	active sync.WaitGroup
	// running counts simulations in progress (tests watch it).
	running  sync.Mutex
	nRunning int
	// answers keeps the last answers (a session toggling back to an
	// earlier value gets it at once; runs are deterministic for a seed).
	cache lru.Cache[string, []byte]
	// pool keeps simulations for bill-only changes (Reprice).
	pool lru.Cache[string, *simulator.Result]
}

type tabRun struct {
	cancel context.CancelFunc
	// done and total are the simulated time of the run so far (ns).
	done, total atomic.Int64
}

// New validates the base scenario (the CLI's message when it is bad) and
// returns the server.
func New(cfg Config) (*Server, error) {
	if cfg.Prices == nil {
		cfg.Prices = pricing.Embedded()
	}
	if cfg.Limits.ExactBudget <= 0 {
		cfg.Limits.ExactBudget = DefaultLimits.ExactBudget
	}
	if cfg.Limits.MaxWork <= 0 {
		cfg.Limits.MaxWork = DefaultLimits.MaxWork
	}
	if cfg.Limits.Timeout <= 0 {
		cfg.Limits.Timeout = DefaultLimits.Timeout
	}
	if cfg.Logf == nil {
		cfg.Logf = log.Printf
	}
	s, err := Parse(cfg.Scenario, cfg.Dir)
	if err != nil {
		return nil, err
	}
	if s.Region == "" {
		return nil, pricing.Inputf(cfg.Name, "region: the scenario must name its region (New's caller sets it)")
	}
	srv := &Server{cfg: cfg, base: s, sem: make(chan struct{}, max(1, runtime.GOMAXPROCS(0))), tabs: map[string]*tabRun{},
		cache: lru.Cache[string, []byte]{Size: cacheSize}, pool: lru.Cache[string, *simulator.Result]{Size: poolSize}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", srv.page)
	mux.HandleFunc("GET /app.js", srv.static("page/app.js", "text/javascript; charset=utf-8"))
	mux.HandleFunc("GET /app.css", srv.static("page/app.css", "text/css; charset=utf-8"))
	mux.HandleFunc("GET /echarts.min.js", srv.echarts)
	mux.HandleFunc("GET /api/scenario", srv.getScenario)
	mux.HandleFunc("POST /api/scenario", srv.postScenario)
	mux.HandleFunc("POST /api/plan", srv.plan)
	mux.HandleFunc("POST /api/compare", srv.compare)
	mux.HandleFunc("POST /api/recommend", srv.recommend)
	mux.HandleFunc("GET /api/progress", srv.progress)
	srv.mux = mux
	return srv, nil
}

// NewToken returns a random 128-bit token (hex) for Config.Token.
func NewToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// IsLoopback reports whether the host of addr (host:port) is a loopback
// address or "localhost".
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Running is the number of simulations in progress.
func (s *Server) Running() int {
	s.running.Lock()
	defer s.running.Unlock()
	return s.nRunning
}

// Wait waits for the requests in progress to finish.
func (s *Server) Wait() { s.active.Wait() }

// ServeHTTP checks the token, sets the security headers, and recovers
// from a panic in a handler (500, logged; the server keeps serving).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.active.Add(1)
	defer s.active.Done()
	h := w.Header()
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer") // the token is in the URL
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			buf := make([]byte, 4096)
			buf = buf[:runtime.Stack(buf, false)]
			s.cfg.Logf("lambdacost serve: %s %s: panic: %v\n%s", r.Method, r.URL.Path, v, buf)
			writeError(w, http.StatusInternalServerError, fmt.Sprintf("internal error: %v (the server keeps running; please report it)", v), nil)
		}
	}()
	path := r.URL.Path
	// Without a token the server trusts loopback alone; a page of another
	// site whose name was rebound to 127.0.0.1 (DNS rebinding) arrives with
	// its own name in Host and is refused.
	if s.cfg.Token == "" && !IsLoopback(r.Host) {
		writeError(w, http.StatusForbidden, "this server answers only to 127.0.0.1, localhost or [::1]", nil)
		return
	}
	if s.cfg.Token != "" {
		want := "/" + s.cfg.Token + "/"
		if len(path) < len(want) || subtle.ConstantTimeCompare([]byte(path[:len(want)]), []byte(want)) != 1 {
			if path == "/"+s.cfg.Token {
				http.Redirect(w, r, want, http.StatusFound)
				return
			}
			writeError(w, http.StatusForbidden, "this server needs the token printed when it started: open the URL it printed", nil)
			return
		}
		path = path[len(want)-1:]
	}
	// A page of another site must not drive the API (CSRF): cross-origin
	// requests are refused; JSON bodies need a CORS preflight we never grant.
	if o := r.Header.Get("Origin"); o != "" && r.Method != http.MethodGet && !sameOrigin(o, r.Host) {
		writeError(w, http.StatusForbidden, "cross-origin request refused", nil)
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = path
	r2.URL.RawPath = ""
	s.mux.ServeHTTP(w, r2)
}

func sameOrigin(origin, host string) bool {
	return origin == "http://"+host || origin == "https://"+host
}

func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	b, err := pageFS.ReadFile("page/index.html")
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b)
}

func (s *Server) static(name, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		b, err := pageFS.ReadFile(name)
		if err != nil {
			panic(err)
		}
		w.Header().Set("Content-Type", ctype)
		_, _ = w.Write(b)
	}
}

func (s *Server) echarts(w http.ResponseWriter, r *http.Request) {
	js := reports.EchartsScript()
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	if js == nil {
		// The page shows its numbers and tables without charts, and says why.
		_, _ = io.WriteString(w, "/* this lambdacost binary was built without echarts: run `make assets` and rebuild */\n")
		return
	}
	w.Header().Set("Cache-Control", "private, max-age=3600")
	_, _ = w.Write(js)
}

// Fields are the scenario's values the page shows in its inputs.
type Fields struct {
	Name         string  `json:"name"`
	Region       string  `json:"region"`
	Duration     string  `json:"duration"`
	MemoryMB     int     `json:"memory_mb"`
	Architecture string  `json:"architecture"`
	Provisioned  int     `json:"provisioned"`
	Reserved     int     `json:"reserved"`
	AccountLimit int     `json:"account_limit"`
	TrafficScale float64 `json:"traffic_scale"`
	StartRate    float64 `json:"start_rate"`
	Stages       []Stage `json:"stages"`
	// Shaped says whether the traffic is stages (editable) rather than a
	// sine or a trace.
	Shaped  bool     `json:"shaped"`
	Regions []string `json:"regions"`
	// MonthlyGrowth, FreeTier and ComputeSavingsPlan are the scenario's
	// traffic.monthly_growth and billing: section.
	MonthlyGrowth      float64 `json:"monthly_growth"`
	FreeTier           bool    `json:"free_tier"`
	ComputeSavingsPlan float64 `json:"compute_savings_plan"`
	// ProvisionedSchedule is concurrency.provisioned_schedule.
	ProvisionedSchedule []ScheduleStep `json:"provisioned_schedule"`
	// Compare is the scenario's compare: section.
	Compare CompareSet `json:"compare"`
}

// ScenarioResponse is the answer of api/scenario.
type ScenarioResponse struct {
	Scenario string `json:"scenario"`
	File     string `json:"file"`
	Command  string `json:"command"`
	Fields   Fields `json:"fields"`
	Source   string `json:"source"`
}

func (s *Server) fields(sc *simulator.Scenario) Fields {
	f := Fields{Name: sc.Name, Region: sc.Region, Duration: sc.Duration.String(), MemoryMB: sc.Function.MemoryMB,
		Architecture: string(sc.Function.Architecture), Provisioned: sc.Concurrency.Provisioned, Reserved: sc.Concurrency.Reserved,
		AccountLimit: sc.Concurrency.AccountLimit, TrafficScale: 1, StartRate: sc.Traffic.StartRate,
		Shaped: sc.Traffic.Trace == "" && sc.Traffic.Diurnal == nil, Stages: []Stage{},
		MonthlyGrowth: sc.Traffic.MonthlyGrowth, FreeTier: sc.Billing.FreeTier, ComputeSavingsPlan: sc.Billing.ComputeSavingsPlan,
		Compare: sc.Compare}
	f.ProvisionedSchedule = []ScheduleStep{}
	for _, st := range sc.Concurrency.ProvisionedSchedule {
		f.ProvisionedSchedule = append(f.ProvisionedSchedule, ScheduleStep{At: st.At.String(), Level: st.Level})
	}
	for _, st := range sc.Traffic.Stages {
		f.Stages = append(f.Stages, Stage{Duration: st.Duration.String(), Target: st.Target})
	}
	f.Regions = s.cfg.Prices.Regions()
	return f
}

func (s *Server) getScenario(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, ScenarioResponse{Scenario: string(s.cfg.Scenario), File: ScenarioFile,
		Command: Command(ScenarioFile, ModeExact), Fields: s.fields(s.base), Source: s.cfg.Name})
}

// Request is the body of api/plan and api/scenario.
type Request struct {
	// Set are the session's changes to the base scenario.
	Set Set `json:"set"`
	// Mode is ModeInteractive (default), ModeExact or ModeFast; for
	// api/scenario, the mode whose command heads the saved file.
	Mode string `json:"mode,omitempty"`
	// Compare, when present, replaces the scenario's compare: section:
	// the choices of the always-on alternatives (api/compare, and the
	// saved scenario's); absent keeps the base scenario's.
	Compare *CompareSet `json:"compare,omitempty"`
}

// build applies req to the base scenario and validates the result.
func (s *Server) build(req Request, mode string) ([]byte, *simulator.Scenario, error) {
	// The head comment is there even when only validating, so that the
	// line numbers of messages are those of the saved file (both commands
	// are one line).
	if mode == "" {
		mode = ModeExact
	}
	y, err := Apply(s.cfg.Scenario, req.Set, Command(ScenarioFile, mode))
	if err != nil {
		return nil, nil, err
	}
	if req.Compare != nil {
		if y, err = ApplyCompare(y, *req.Compare); err != nil {
			return nil, nil, err
		}
	}
	sc, err := Parse(y, s.cfg.Dir)
	if err != nil {
		return nil, nil, err
	}
	if _, err := s.cfg.Prices.LambdaRegion(sc.Region); err != nil {
		return nil, nil, err
	}
	return y, sc, nil
}

func (s *Server) readRequest(w http.ResponseWriter, r *http.Request) (Request, bool) {
	var req Request
	ok := s.readBody(w, r, &req)
	return req, ok
}

// readBody reads a JSON body strictly into v (415, 413 or 400 otherwise).
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusUnsupportedMediaType, "expected Content-Type: application/json", nil)
		return false
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body: %v", err), nil)
		return false
	}
	if err := decodeStrict(bytes.NewReader(body), v); err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return false
	}
	return true
}

func (s *Server) postScenario(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	mode := req.Mode
	switch mode {
	case "", ModeInteractive, ModeExact:
		mode = ModeExact
	case ModeFast:
	default:
		writeError(w, http.StatusBadRequest, pricing.Inputf("mode", "%q is not interactive, exact or fast", req.Mode).Error(), nil)
		return
	}
	y, sc, err := s.build(req, mode)
	if err == nil && mode == ModeFast {
		err = simulator.FastRefusal(sc)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	writeJSON(w, http.StatusOK, ScenarioResponse{Scenario: string(y), File: ScenarioFile, Command: Command(ScenarioFile, mode), Fields: s.fields(sc), Source: s.cfg.Name})
}

// plan answers a what-if: the body is `lambdacost simulate -o json` of
// the changed scenario; X-Lambdacost-Command names the command that
// reproduces it on the saved scenario.
func (s *Server) plan(w http.ResponseWriter, r *http.Request) {
	req, ok := s.readRequest(w, r)
	if !ok {
		return
	}
	y, sc, err := s.build(req, "")
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), nil)
		return
	}
	mode, err := ChooseMode(sc, req.Mode, s.cfg.Limits)
	if err != nil {
		writeModeError(w, err)
		return
	}
	pk := poolKey(req.Set, mode)
	s.answer(w, r, r.Header.Get("X-Lambdacost-Tab"), cacheKey(y, mode), Command(ScenarioFile, mode),
		func(ctx context.Context, progress func(done, total int64)) ([]byte, error) {
			// A change of region, architecture or billing alone is priced
			// from the kept simulation (the same bytes as a fresh run).
			if res, ok := s.pool.Get(pk); ok {
				again, err := simulator.Reprice(sc, res, s.cfg.Prices, sc.Region)
				if err != nil {
					return nil, err
				}
				return finish(sc, again, s.cfg.Prices)
			}
			res, err := run(ctx, sc, mode, s.cfg.Prices, progress)
			if err != nil {
				return nil, err
			}
			s.pool.Put(pk, res)
			return finish(sc, res, s.cfg.Prices)
		})
}

func writeModeError(w http.ResponseWriter, err error) {
	var tl *TooLargeError
	if errors.As(err, &tl) {
		writeError(w, http.StatusUnprocessableEntity, err.Error(), map[string]any{"too_large": true, "command": tl.Command, "estimate_s": tl.Estimate.Seconds()})
		return
	}
	writeError(w, http.StatusBadRequest, err.Error(), nil)
}

// answer runs work for a request: from the cache when the same work was
// done, else bounded by the timeout, superseded by a newer request of the
// same tab (tab empty: none), one per core; its JSON is the body, command
// the X-Lambdacost-Command header. A request that accepts
// text/event-stream gets the run's progress as it goes (see stream).
func (s *Server) answer(w http.ResponseWriter, r *http.Request, tab, key, command string, work func(ctx context.Context, progress func(done, total int64)) ([]byte, error)) {
	if out, ok := s.cache.Get(key); ok {
		writeAnswer(w, out, command)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.cfg.Limits.Timeout)
	defer cancel()
	// A newer request of the same tab supersedes this one.
	me := &tabRun{cancel: cancel}
	if tab != "" {
		if len(tab) > 64 {
			writeError(w, http.StatusBadRequest, "X-Lambdacost-Tab: at most 64 characters", nil)
			return
		}
		s.mu.Lock()
		if old := s.tabs[tab]; old != nil {
			old.cancel()
		}
		s.tabs[tab] = me
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			if s.tabs[tab] == me {
				delete(s.tabs, tab)
			}
			s.mu.Unlock()
		}()
	}
	// At most one simulation per core; the others wait (or give up when
	// superseded).
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		writeCancelled(w, ctx)
		return
	}
	defer func() { <-s.sem }()
	s.running.Lock()
	s.nRunning++
	s.running.Unlock()
	done := make(chan workResult, 1)
	go func() {
		defer func() {
			s.running.Lock()
			s.nRunning--
			s.running.Unlock()
		}()
		// A panic in the work is the request's, recovered by ServeHTTP.
		var res workResult
		defer func() {
			if v := recover(); v != nil {
				res.err = fmt.Errorf("internal error: %v (the server keeps running; please report it)", v)
				buf := make([]byte, 4096)
				buf = buf[:runtime.Stack(buf, false)]
				s.cfg.Logf("lambdacost serve: %s: panic: %v\n%s", r.URL.Path, v, buf)
			}
			done <- res
		}()
		res.out, res.err = work(ctx, func(d, t int64) { me.done.Store(d); me.total.Store(t) })
	}()
	var res workResult
	if wantsStream(r) {
		var ok bool
		if res, ok = streamProgress(w, me, done); !ok {
			return
		}
		if res.err == nil {
			s.cache.Put(key, res.out)
		}
		finishStream(w, ctx, res.out, res.err, command)
		return
	}
	res = <-done
	if res.err != nil {
		if ctx.Err() != nil {
			writeCancelled(w, ctx)
			return
		}
		if pricing.IsInput(res.err) {
			writeError(w, http.StatusBadRequest, res.err.Error(), nil)
			return
		}
		s.cfg.Logf("lambdacost serve: %s: %v", r.URL.Path, res.err)
		writeError(w, http.StatusInternalServerError, res.err.Error(), nil)
		return
	}
	s.cache.Put(key, res.out)
	writeAnswer(w, res.out, command)
}

// workResult is what a request's work gave.
type workResult struct {
	out []byte
	err error
}

// wantsStream says whether the request asked for the progress stream.
func wantsStream(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "text/event-stream")
}

// streamInterval is how often a streamed run reports its progress.
const streamInterval = 250 * time.Millisecond

// streamProgress answers with a server-sent event stream: a "progress"
// event ({"done_s", "total_s", "percent"}, simulated time) when the run
// starts and every streamInterval while it advances, until the work is
// done. ok is false when the client cannot be streamed to.
func streamProgress(w http.ResponseWriter, run *tabRun, done <-chan workResult) (res workResult, ok bool) {
	fl, can := w.(http.Flusher)
	if !can {
		writeError(w, http.StatusInternalServerError, "this connection cannot stream", nil)
		return res, false
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	last := int64(-1)
	send := func() {
		d, t := run.done.Load(), run.total.Load()
		if d == last {
			return
		}
		last = d
		p := Progress{Running: true, DoneS: float64(d) / 1e9, TotalS: float64(t) / 1e9}
		if t > 0 {
			p.Percentage = 100 * float64(d) / float64(t)
		}
		b, _ := json.Marshal(p)
		fmt.Fprintf(w, "event: progress\ndata: %s\n\n", b)
		fl.Flush()
	}
	send()
	tick := time.NewTicker(streamInterval)
	defer tick.Stop()
	for {
		select {
		case res = <-done:
			return res, true
		case <-tick.C:
			send()
		}
	}
}

// finishStream ends an event stream: a "result" event whose data lines
// are the answer's JSON (the client joins them with newlines: the same
// bytes as the plain answer) after a "command" event, or an "error" event
// ({"error", "status"} as the plain answer's body and status code).
func finishStream(w http.ResponseWriter, ctx context.Context, out []byte, err error, command string) {
	if err != nil {
		code, extra := http.StatusInternalServerError, map[string]any{}
		switch {
		case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
			code, extra["too_large"] = http.StatusServiceUnavailable, true
			err = errors.New(timeoutMessage)
		case ctx.Err() != nil:
			code, extra["cancelled"] = 499, true
			err = errors.New(cancelledMessage)
		case pricing.IsInput(err):
			code = http.StatusBadRequest
		}
		extra["error"], extra["status"] = err.Error(), code
		b, _ := json.Marshal(extra)
		fmt.Fprintf(w, "event: error\ndata: %s\n\n", b)
	} else {
		fmt.Fprintf(w, "event: command\ndata: %s\n\n", command)
		io.WriteString(w, "event: result\n")
		for _, line := range bytes.Split(bytes.TrimSuffix(out, []byte("\n")), []byte("\n")) {
			fmt.Fprintf(w, "data: %s\n", line)
		}
		io.WriteString(w, "\n")
	}
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
}

func writeAnswer(w http.ResponseWriter, out []byte, command string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Lambdacost-Command", command)
	_, _ = w.Write(out)
}

// cacheSize is the number of answers kept (a year's answer is ≈ 100 KB).
const cacheSize = 32

// cacheKey keys the answer cache by the scenario's YAML and the engine.
func cacheKey(yaml []byte, mode string) string {
	h := sha256.Sum256(append(append([]byte(mode), 0), yaml...))
	return string(h[:])
}

// Progress is the answer of api/progress: how far the tab's run in
// flight has got, in simulated seconds.
type Progress struct {
	Running    bool    `json:"running"`
	DoneS      float64 `json:"done_s"`
	TotalS     float64 `json:"total_s"`
	Percentage float64 `json:"percent"`
}

// progress answers GET api/progress?tab=ID for the tab's run in flight.
func (s *Server) progress(w http.ResponseWriter, r *http.Request) {
	tab := r.URL.Query().Get("tab")
	if tab == "" || len(tab) > 64 {
		writeError(w, http.StatusBadRequest, "tab: expected the page's tab id (1–64 characters)", nil)
		return
	}
	s.mu.Lock()
	run := s.tabs[tab]
	s.mu.Unlock()
	var p Progress
	if run != nil {
		p.Running = true
		d, t := run.done.Load(), run.total.Load()
		p.DoneS, p.TotalS = float64(d)/1e9, float64(t)/1e9
		if t > 0 {
			p.Percentage = 100 * float64(d) / float64(t)
		}
	}
	writeJSON(w, http.StatusOK, p)
}

const (
	timeoutMessage   = "the run took longer than the interactive limit; download the scenario and run it with lambdacost simulate"
	cancelledMessage = "cancelled: superseded by a newer request"
)

func writeCancelled(w http.ResponseWriter, ctx context.Context) {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		writeError(w, http.StatusServiceUnavailable, timeoutMessage, map[string]any{"too_large": true})
		return
	}
	// 499 in nginx's sense: the client (or a newer request) gave up.
	writeError(w, 499, cancelledMessage, map[string]any{"cancelled": true})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, code int, msg string, extra map[string]any) {
	m := map[string]any{"error": msg}
	for k, v := range extra {
		m[k] = v
	}
	writeJSON(w, code, m)
}

// Listen binds addr ("" = 127.0.0.1 and a free port). Beyond loopback it
// needs a token (Config.Token): it returns an error otherwise.
func Listen(addr string, token string) (net.Listener, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	if !IsLoopback(addr) && token == "" {
		return nil, pricing.Inputf("--addr", "%s is not a loopback address: the server needs a token", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, pricing.Inputf("--addr", "%v", err)
	}
	return ln, nil
}

// URL is the address to open for a listener and token.
func URL(ln net.Listener, token string) string {
	addr := ln.Addr().(*net.TCPAddr)
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	u := "http://" + net.JoinHostPort(host, fmt.Sprint(addr.Port)) + "/"
	if token != "" {
		u += token + "/"
	}
	return u
}

// Serve serves on ln until ctx is done, then shuts down gracefully.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// The session's first fast answer would spend ≈ 1 s calibrating; do
	// it now, in the background, for the loaded scenario (see WarmFast).
	go simulator.WarmFast(ctx, s.base, s.base.Seed)
	hs := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
		return nil
	}
}
