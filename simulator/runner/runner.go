// Package runner measures a real Lambda function without an AWS account. It
// serves the Lambda Runtime API (2018-06-01) on 127.0.0.1, starts the same
// bootstrap binary that would be deployed (or a built-in function) as
// execution environments, hands them events, and measures what Lambda
// would bill: INIT (process start to first GET /next), duration (event
// handed out to response or error), billed duration, peak memory and CPU
// time. It enforces Lambda's limits (timeout, 6 MB responses, 10 s INIT,
// memory, CPU share proportional to memory) where the machine allows, and
// says so in the result when it cannot.
//
// Nothing here prints: log lines go to Config.Logs, results are returned.
package runner

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

// Isolation chooses how environments are confined.
type Isolation string

const (
	// IsolationAuto uses cgroups where the machine allows, else none.
	IsolationAuto Isolation = "auto"
	// IsolationCgroup requires cgroups (an error when unavailable) and
	// uses no namespaces.
	IsolationCgroup Isolation = "cgroup"
	// IsolationNamespaces requires the sandbox: cgroups plus mount and
	// network namespaces (sandbox_linux.go); an error when unavailable.
	// IsolationAuto uses it where the machine allows.
	IsolationNamespaces Isolation = "namespaces"
	// IsolationNone never uses cgroups: CPU is unrestricted and memory is
	// only observed.
	IsolationNone Isolation = "none"
)

// CPU and memory models reported in results.
const (
	CPUModelCgroup       = "cgroup"       // CFS quota = vCPU share of the memory size
	CPUModelUnrestricted = "unrestricted" // no quota: durations are modelled separately
	MemoryModelCgroup    = "cgroup"       // limit enforced; peak = max(bootstrap's VmHWM, the cgroup's process memory after each invocation: not page cache)
	MemoryModelVmHWM     = "vmhwm"        // not enforced; peak = bootstrap process's VmHWM (children not counted), checked after each invocation
)

// DefaultVersion is the function version the runner reports.
const DefaultVersion = "$LATEST"

// Config describes the function to run and how.
type Config struct {
	// Function is the configuration: name, memory, architecture, timeout.
	// Zero fields take Lambda's defaults (128 MB, 3 s, x86_64); an empty
	// name becomes the handler's file name or the built-in's name.
	Function pricing.FunctionConfig
	// Region names the region the function pretends to run in (AWS_REGION)
	// and whose prices are used. Default us-east-1.
	Region string
	// Handler is the path of an executable that speaks the Runtime API.
	Handler string
	// Builtin is the name of a built-in function (see builtin.Names);
	// exactly one of Handler and Builtin is set.
	Builtin string
	// Args are passed to the handler.
	Args []string
	// Env adds K=V variables to the function's environment. _HANDLER may
	// be set here (as HandlerName does).
	Env []string
	// HandlerName is the function's handler setting, given to the runtime
	// as _HANDLER (e.g. "function.handler" for AWS's bash tutorial
	// runtime, "index.handler" for Node.js). Default: the handler file's
	// name or the built-in's name.
	HandlerName string
	// ClientContext and Identity are JSON documents sent with every event
	// as the Lambda-Runtime-Client-Context and
	// Lambda-Runtime-Cognito-Identity headers (mobile SDK invocations).
	ClientContext []byte
	Identity      []byte
	// PassEnv passes the operator's whole environment (credentials
	// included) to the function. Off by default.
	PassEnv bool
	// Concurrency is how many invocations run at once (default 1); at most
	// that many environments exist.
	Concurrency int
	// IdleTimeout reclaims an environment idle this long (0 = never during
	// the run).
	IdleTimeout time.Duration
	// InitTimeout caps INIT (default 10 s, Lambda's limit).
	InitTimeout time.Duration
	// LogFormat is LogText (default) or LogJSON.
	LogFormat string
	// Logs receives the Lambda log lines; nil discards them.
	Logs io.Writer
	// Isolation chooses cgroups or not (default IsolationAuto).
	Isolation Isolation
	// Prices prices the invocations (default pricing.Embedded()).
	Prices *pricing.PriceTable
	// DiscardResponses drops response payloads from the result (benchmarks
	// and large counts).
	DiscardResponses bool
	// Progress, when set, is called after each invocation.
	Progress func(done, total int)
	// Executable is how a built-in is started (default: this program,
	// os.Executable()); the program must call builtin.MaybeRun first thing.
	Executable string
}

// Invocation is one measured invocation.
type Invocation struct {
	RequestID string `json:"request_id"`
	// Status is success, error or timeout.
	Status string `json:"status"`
	Cold   bool   `json:"cold"`
	// Environment numbers the execution environment (1-based).
	Environment      int     `json:"environment"`
	DurationMs       float64 `json:"duration_ms"`
	BilledDurationMs int64   `json:"billed_duration_ms"`
	InitDurationMs   float64 `json:"init_duration_ms"`
	MaxMemoryUsedMB  int     `json:"max_memory_used_mb"`
	// CPUTimeMs is the CPU time used during the invocation.
	CPUTimeMs float64 `json:"cpu_time_ms"`
	// ModelledDurationMs and ModelledInitMs are set only when the CPU was
	// unrestricted: the durations Lambda's CPU share would give (see
	// ModelDuration). They are never measured values.
	ModelledDurationMs       *float64 `json:"modelled_duration_ms,omitempty"`
	ModelledInitMs           *float64 `json:"modelled_init_duration_ms,omitempty"`
	ModelledBilledDurationMs *int64   `json:"modelled_billed_duration_ms,omitempty"`
	// InitStatus is set when INIT failed: "error" or "timeout".
	InitStatus string `json:"init_status,omitempty"`
	// PostResponseMs is the time the runtime worked after posting its
	// response before asking for the next event (GET /next), when at least
	// 1 ms: part of the invoke phase, so of DurationMs and of the bill.
	PostResponseMs float64 `json:"post_response_ms,omitempty"`
	// SuppressedInit: INIT exceeded its 10 s and was retried inside this
	// invocation (whose duration includes the retry); init_duration_ms is
	// the timed-out INIT.
	SuppressedInit bool `json:"suppressed_init,omitempty"`
	// MemoryExceeded: the peak exceeded the memory size (Lambda would have
	// killed the function); with cgroups it was killed.
	MemoryExceeded bool `json:"memory_exceeded,omitempty"`
	// StreamedResponseBytes is the size of a streamed response (Lambda
	// bills its bytes beyond the first 6 MB).
	StreamedResponseBytes int64           `json:"streamed_response_bytes,omitempty"`
	Response              json.RawMessage `json:"response,omitempty"`
	Error                 *FunctionError  `json:"error,omitempty"`
	Start                 time.Time       `json:"start"`
}

// FunctionError is the error an invocation returned.
type FunctionError struct {
	Type    string `json:"error_type"`
	Message string `json:"error_message"`
}

// Percentiles summarise a sample of milliseconds. Percentiles are
// nearest-rank (the smallest sample with at least q·n samples at or below
// it: always a measured value), the definition the collector uses for
// imported logs and metrics, so a run and the import of its logs agree.
type Percentiles struct {
	N    int     `json:"n"`
	Min  float64 `json:"min"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// MarshalJSON writes a sample without values (no warm invocation in a
// run of one, no INIT in a sweep's failed size) as null: nothing missing
// is shown as 0 ms. Null reads back as the empty sample.
func (p Percentiles) MarshalJSON() ([]byte, error) {
	if p == (Percentiles{}) {
		return []byte("null"), nil
	}
	type plain Percentiles
	return json.Marshal(plain(p))
}

// Summary aggregates a run.
type Summary struct {
	Invocations  int `json:"invocations"`
	Successes    int `json:"successes"`
	Errors       int `json:"errors"`
	Timeouts     int `json:"timeouts"`
	ColdStarts   int `json:"cold_starts"`
	Environments int `json:"environments"`
	// DurationMs covers every invocation; Warm and Cold split it.
	DurationMs     Percentiles `json:"duration_ms"`
	WarmDurationMs Percentiles `json:"warm_duration_ms"`
	ColdDurationMs Percentiles `json:"cold_duration_ms"`
	InitDurationMs Percentiles `json:"init_duration_ms"`
	CPUTimeMs      Percentiles `json:"cpu_time_ms"`
	// Modelled* are set only with cpu_model "unrestricted".
	ModelledDurationMs     *Percentiles `json:"modelled_duration_ms,omitempty"`
	ModelledWarmDurationMs *Percentiles `json:"modelled_warm_duration_ms,omitempty"`
	ModelledColdDurationMs *Percentiles `json:"modelled_cold_duration_ms,omitempty"`
	ModelledInitDurationMs *Percentiles `json:"modelled_init_duration_ms,omitempty"`
	MaxMemoryUsedMB        int          `json:"max_memory_used_mb"`
	WallSeconds            float64      `json:"wall_seconds"`
	InvocationsPerSecond   float64      `json:"invocations_per_second"`
	// Usage and Cost price the measured invocations (no free tier). Cost
	// and the per-invocation figures are nil (JSON null) when the price
	// table cannot price them (a region or dimension without a price);
	// Assumptions then says why.
	Usage                pricing.BilledUsage `json:"usage"`
	Cost                 *pricing.Cost       `json:"cost"`
	CostPerInvocationUSD *float64            `json:"cost_per_invocation_usd"`
	CostPerMillionUSD    *float64            `json:"cost_per_million_usd"`
	// LogBytes is the run's CloudWatch Logs ingestion: every line it
	// wrote (one event each, newline included) plus
	// pricing.LogEventOverheadBytes per event; the cost's logs line
	// prices it. LogBytesPerInvocation is its average per invocation (INIT
	// lines shared out).
	LogBytes              int64    `json:"log_bytes"`
	LogBytesPerInvocation *float64 `json:"log_bytes_per_invocation"`
	// Assumptions lists what the summary assumed or could not know (the
	// log size rule, an unpriced cost).
	Assumptions pricing.Assumptions `json:"assumptions,omitempty"`
	// ModelledCost* price the modelled durations (cpu_model unrestricted).
	ModelledCostPerInvocationUSD *float64 `json:"modelled_cost_per_invocation_usd,omitempty"`
	ModelledCostPerMillionUSD    *float64 `json:"modelled_cost_per_million_usd,omitempty"`
}

// Result is a run's outcome: every invocation and their summary.
type Result struct {
	Function pricing.FunctionConfig `json:"function"`
	Region   string                 `json:"region"`
	Handler  string                 `json:"handler,omitempty"`
	Builtin  string                 `json:"builtin,omitempty"`
	// VCPU is Lambda's CPU share for the memory size.
	VCPU float64 `json:"vcpu"`
	// CPUModel is "cgroup" (the share was enforced by a CFS quota) or
	// "unrestricted" (it was not; see the modelled fields).
	CPUModel    string `json:"cpu_model"`
	MemoryModel string `json:"memory_model"`
	// InitCPUModel names how INIT's CPU is modelled ("burst") and
	// InitVCPU is the CPU INIT gets; InitCPUModelNote states it.
	InitCPUModel     string  `json:"init_cpu_model"`
	InitVCPU         float64 `json:"init_vcpu"`
	InitCPUModelNote string  `json:"init_cpu_model_note"`
	// MemoryPrecision says what max_memory_used_mb measures.
	MemoryPrecision string `json:"memory_precision"`
	// IsolationNote says why cgroups were not used, if they were not.
	IsolationNote string `json:"isolation_note,omitempty"`
	// Isolation is what confined the environments: "namespaces+cgroup",
	// "cgroup" or "none" (see sandbox.go and the README).
	Isolation string `json:"isolation"`
	// Notes say what the sandbox enforced and what it could not, and how
	// the invocations were billed where that is not the obvious way.
	Notes []string `json:"notes,omitempty"`
	// HostCPUs is the number of CPUs of this machine; a share above it
	// cannot be reached here.
	HostCPUs    int `json:"host_cpus"`
	Concurrency int `json:"concurrency"`
	// Partial marks a run that ended (interrupted, or by an error) before
	// all Requested invocations completed: Invocations and Summary cover
	// the completed ones only.
	Partial     bool         `json:"partial,omitempty"`
	Requested   int          `json:"requested,omitempty"`
	Invocations []Invocation `json:"invocations"`
	Summary     Summary      `json:"summary"`
}

// runner is one Run's state.
type runner struct {
	cfg       Config
	path      string
	args      []string
	dir       string
	baseEnv   []string
	version   string
	timeout   time.Duration
	initLimit time.Duration
	vcpu      float64
	arn       string
	logs      *logSink
	cgroups   *cgroupSys
	cgNote    string
	sandbox   *sandboxSys // nil: no namespaces (sbNote says why)
	sbNote    string
	// clientContext and identity are sent with every event (compact JSON).
	clientContext, identity []byte

	mu      sync.Mutex
	idle    []*env
	live    map[*env]struct{}
	nextEnv int
	pgids   []int // every process group started, for the orphan check
	// unserved counts the function's calls to Lambda APIs the runner does
	// not serve (Extensions, Logs, Telemetry), by "METHOD path".
	unserved map[string]int

	stopJanitor chan struct{}

	// probe, when set (benchmarks), sees each recorded call.
	probe func(c *call)
}

// reservedEnv are variables Lambda sets and the user cannot override.
var reservedEnv = []string{
	"AWS_LAMBDA_RUNTIME_API", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
	"AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_REGION", "AWS_DEFAULT_REGION",
	"LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR", builtin.EnvBootstrap,
}

// Validate checks cfg and returns every problem found, naming the CLI flag
// that sets each field.
func (c Config) Validate() []error {
	var errs []error
	switch {
	case c.Handler == "" && c.Builtin == "":
		errs = append(errs, pricing.Inputf("--handler", "give a handler executable (--handler PATH) or a built-in function (--builtin %s)", strings.Join(builtin.Names(), "|")))
	case c.Handler != "" && c.Builtin != "":
		errs = append(errs, pricing.Inputf("--builtin", "give either --handler or --builtin, not both"))
	case c.Builtin != "":
		if _, ok := builtin.Lookup(c.Builtin); !ok {
			errs = append(errs, pricing.Inputf("--builtin", "unknown built-in function %q (known: %s)", c.Builtin, strings.Join(builtin.Names(), ", ")))
		}
	default:
		st, err := os.Stat(c.Handler)
		switch {
		case err != nil:
			errs = append(errs, pricing.Inputf("--handler", "%v", err))
		case st.IsDir():
			errs = append(errs, pricing.Inputf("--handler", "%s is a directory; give the bootstrap executable", c.Handler))
		case st.Mode()&0o111 == 0:
			errs = append(errs, pricing.Inputf("--handler", "%s is not executable (chmod +x)", c.Handler))
		}
	}
	f := c.Function.WithDefaults()
	for _, e := range f.Validate("") {
		var ie *pricing.InputError
		if errors.As(e, &ie) {
			if fl, ok := map[string]string{"memory_mb": "--memory", "architecture": "--arch", "timeout": "--timeout", "ephemeral_storage_mb": "--ephemeral-storage"}[ie.Source]; ok {
				e = &pricing.InputError{Source: fl, Msg: ie.Msg}
			}
		}
		errs = append(errs, e)
	}
	if c.Function.Timeout < 0 {
		errs = append(errs, pricing.Inputf("--timeout", "must be positive"))
	}
	if c.Concurrency < 0 {
		errs = append(errs, pricing.Inputf("--concurrency", "must be at least 1"))
	}
	if c.IdleTimeout < 0 {
		errs = append(errs, pricing.Inputf("--idle-timeout", "must not be negative"))
	}
	if c.InitTimeout < 0 || c.InitTimeout > pricing.MaxInitDuration {
		errs = append(errs, pricing.Inputf("init timeout", "must be within (0, %s]", pricing.MaxInitDuration))
	}
	switch c.LogFormat {
	case "", LogText, LogJSON:
	default:
		errs = append(errs, pricing.Inputf("--log-format", "unknown log format %q (want text or json)", c.LogFormat))
	}
	switch c.Isolation {
	case "", IsolationAuto, IsolationNamespaces, IsolationCgroup, IsolationNone:
	default:
		errs = append(errs, pricing.Inputf("--isolation", "unknown isolation %q (want auto, namespaces, cgroup or none)", c.Isolation))
	}
	for _, kv := range c.Env {
		k, _, ok := strings.Cut(kv, "=")
		switch {
		case !ok || k == "":
			errs = append(errs, pricing.Inputf("--env", "%q: want KEY=VALUE", kv))
		case slices.Contains(reservedEnv, k):
			errs = append(errs, pricing.Inputf("--env", "%s is reserved: Lambda sets it", k))
		case k == "_HANDLER" && c.HandlerName != "" && kv[len(k)+1:] != c.HandlerName:
			errs = append(errs, pricing.Inputf("--env", "_HANDLER=%s contradicts --handler-name %s", kv[len(k)+1:], c.HandlerName))
		}
	}
	for _, d := range []struct {
		flag string
		doc  []byte
	}{{"--client-context", c.ClientContext}, {"--identity", c.Identity}} {
		if d.doc != nil && !isJSONObject(d.doc) {
			errs = append(errs, pricing.Inputf(d.flag, "not a JSON object"))
		}
	}
	return errs
}

// newRunner validates cfg and prepares a run.
func newRunner(cfg Config) (*runner, error) {
	if err := pricing.Errors(cfg.Validate()); err != nil {
		return nil, err
	}
	cfg.Function = cfg.Function.WithDefaults()
	if cfg.Region == "" {
		cfg.Region = "us-east-1"
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = 1
	}
	if cfg.InitTimeout == 0 {
		cfg.InitTimeout = pricing.MaxInitDuration
	}
	if cfg.LogFormat == "" {
		cfg.LogFormat = LogText
	}
	if cfg.Isolation == "" {
		cfg.Isolation = IsolationAuto
	}
	if cfg.Prices == nil {
		cfg.Prices = pricing.Embedded()
	}
	if _, err := cfg.Prices.LambdaRegion(cfg.Region); err != nil {
		return nil, err
	}
	r := &runner{
		cfg: cfg, version: DefaultVersion, timeout: cfg.Function.Timeout.D(), initLimit: cfg.InitTimeout,
		vcpu: pricing.VCPUForMemory(cfg.Function.MemoryMB),
		logs: newLogSink(cfg.Logs, cfg.LogFormat),
		live: map[*env]struct{}{},
	}
	handlerName := ""
	if cfg.Builtin != "" {
		exe := cfg.Executable
		if exe == "" {
			var err error
			if exe, err = os.Executable(); err != nil {
				return nil, &pricing.ExternalError{Op: "finding the lambdacost executable", Err: err}
			}
		}
		r.path, r.dir, handlerName = exe, filepath.Dir(exe), cfg.Builtin
		if r.cfg.Function.Name == "" {
			r.cfg.Function.Name = cfg.Builtin
		}
	} else {
		abs, err := filepath.Abs(cfg.Handler)
		if err != nil {
			return nil, pricing.Inputf("--handler", "%v", err)
		}
		r.path, r.dir, handlerName = abs, filepath.Dir(abs), filepath.Base(abs)
		if r.cfg.Function.Name == "" {
			r.cfg.Function.Name = strings.TrimSuffix(handlerName, filepath.Ext(handlerName))
		}
	}
	r.args = cfg.Args
	if cfg.HandlerName != "" {
		handlerName = cfg.HandlerName
	}
	for _, kv := range cfg.Env {
		if v, ok := strings.CutPrefix(kv, "_HANDLER="); ok {
			handlerName = v
		}
	}
	r.clientContext, r.identity = compactJSON(cfg.ClientContext), compactJSON(cfg.Identity)
	name := r.cfg.Function.Name
	r.arn = "arn:aws:lambda:" + cfg.Region + ":123456789012:function:" + name

	// The environment is built from scratch: the operator's variables (and
	// so their AWS credentials) reach the function only when asked.
	var envv []string
	if cfg.PassEnv {
		envv = append(envv, os.Environ()...)
	} else {
		path := os.Getenv("PATH")
		if path == "" {
			path = "/usr/local/bin:/usr/bin/:/bin:/opt/bin"
		}
		envv = append(envv, "PATH="+path, "LANG=en_US.UTF-8",
			// Nor through the SDKs' other sources: the shared credentials
			// and config files (found from the user's home directory even
			// without HOME) and the EC2 instance metadata service. --env
			// can set these differently.
			"AWS_SHARED_CREDENTIALS_FILE=/dev/null",
			"AWS_CONFIG_FILE=/dev/null",
			"AWS_EC2_METADATA_DISABLED=true")
	}
	// Unreserved variables Lambda sets, which --env may change:
	// LD_LIBRARY_PATH as on Lambda (system, runtime and task folders and
	// their lib/, /opt/lib), with the bootstrap's folder as the task root.
	envv = append(envv, "LD_LIBRARY_PATH="+lambdaLibraryPath(r.dir))
	envv = append(envv, cfg.Env...)
	logFormat := "Text"
	if cfg.LogFormat == LogJSON {
		logFormat = "JSON"
	}
	envv = append(envv,
		"TZ=UTC",
		"AWS_REGION="+cfg.Region,
		"AWS_DEFAULT_REGION="+cfg.Region,
		"AWS_LAMBDA_FUNCTION_NAME="+name,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE="+strconv.Itoa(r.cfg.Function.MemoryMB),
		"AWS_LAMBDA_FUNCTION_VERSION="+r.version,
		"AWS_LAMBDA_INITIALIZATION_TYPE=on-demand",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/"+name,
		"AWS_LAMBDA_LOG_FORMAT="+logFormat,
		"_HANDLER="+handlerName,
		"LAMBDA_TASK_ROOT="+r.dir,
		"LAMBDA_RUNTIME_DIR="+r.dir,
	)
	if cfg.Builtin != "" {
		envv = append(envv, builtin.EnvBootstrap+"="+cfg.Builtin)
	}
	r.baseEnv = dedupEnv(envv)

	// Orphans of the environments come back to the runner (see
	// killEscaped), with or without cgroups.
	becomeSubreaper()
	if cfg.Isolation != IsolationNone {
		r.cgroups, r.cgNote = cachedCgroups()
		if r.cgroups == nil && cfg.Isolation == IsolationCgroup {
			return nil, &pricing.ExternalError{Op: "cgroups", Err: errors.New(r.cgNote)}
		}
	} else {
		r.cgNote = "cgroups disabled (isolation none)"
	}
	if err := r.initSandbox(); err != nil {
		return nil, err
	}
	return r, nil
}

var (
	cgOnce sync.Once
	cgSys  *cgroupSys
	cgWhy  string
)

func cachedCgroups() (*cgroupSys, string) {
	cgOnce.Do(func() { cgSys, cgWhy = detectCgroups() })
	return cgSys, cgWhy
}

// dedupEnv keeps the last value of each key (later entries win), in order
// of first appearance.
func dedupEnv(kv []string) []string {
	idx := map[string]int{}
	var out []string
	for _, s := range kv {
		k, _, _ := strings.Cut(s, "=")
		if i, ok := idx[k]; ok {
			out[i] = s
			continue
		}
		idx[k] = len(out)
		out = append(out, s)
	}
	return out
}

func (r *runner) track(e *env) {
	r.mu.Lock()
	r.live[e] = struct{}{}
	r.pgids = append(r.pgids, e.pid)
	r.mu.Unlock()
}

func (r *runner) untrack(e *env) {
	r.mu.Lock()
	delete(r.live, e)
	r.mu.Unlock()
}

// acquire returns an idle environment (most recently used first), or
// starts a new one (cold).
func (r *runner) acquire() (*env, bool, error) {
	now := time.Now()
	var expired []*env
	r.mu.Lock()
	if r.cfg.IdleTimeout > 0 {
		keep := r.idle[:0]
		for _, e := range r.idle {
			if now.Sub(e.lastUsed) >= r.cfg.IdleTimeout {
				expired = append(expired, e)
			} else {
				keep = append(keep, e)
			}
		}
		r.idle = keep
	}
	var e *env
	if n := len(r.idle); n > 0 {
		e = r.idle[n-1]
		r.idle = r.idle[:n-1]
	}
	if e == nil {
		r.nextEnv++
	}
	id := r.nextEnv
	r.mu.Unlock()
	for _, x := range expired {
		x.kill()
	}
	if e != nil {
		return e, false, nil
	}
	e, err := r.startEnv(id)
	return e, true, err
}

func (r *runner) release(e *env) {
	e.lastUsed = time.Now()
	r.mu.Lock()
	r.idle = append(r.idle, e)
	r.mu.Unlock()
}

// janitor reclaims idle environments after IdleTimeout.
func (r *runner) janitor() {
	tick := time.NewTicker(max(r.cfg.IdleTimeout/4, 10*time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-r.stopJanitor:
			return
		case now := <-tick.C:
			var expired []*env
			r.mu.Lock()
			keep := r.idle[:0]
			for _, e := range r.idle {
				if now.Sub(e.lastUsed) >= r.cfg.IdleTimeout {
					expired = append(expired, e)
				} else {
					keep = append(keep, e)
				}
			}
			r.idle = keep
			r.mu.Unlock()
			for _, e := range expired {
				e.kill()
			}
		}
	}
}

// shutdown kills every environment and waits until they are gone.
func (r *runner) shutdown() {
	if r.stopJanitor != nil {
		close(r.stopJanitor)
	}
	r.mu.Lock()
	all := make([]*env, 0, len(r.live))
	for e := range r.live {
		all = append(all, e)
	}
	r.idle = nil
	r.mu.Unlock()
	var wg sync.WaitGroup
	for _, e := range all {
		wg.Add(1)
		go func() { defer wg.Done(); e.kill() }()
	}
	wg.Wait()
}

// Run invokes the function count times with events (cycled; none = the
// built-in's default event or {}), Concurrency at a time, and returns every
// invocation with a summary. Function errors and timeouts are results, not
// errors; an error is returned for bad configuration (*pricing.InputError),
// infrastructure failures (*pricing.ExternalError) or cancellation, in
// which case the invocations completed so far are still returned. No
// process started by Run outlives it.
func Run(ctx context.Context, cfg Config, events [][]byte, count int) (*Result, error) {
	res, _, err := run(ctx, cfg, events, count)
	return res, err
}

func run(ctx context.Context, cfg Config, events [][]byte, count int) (*Result, []int, error) {
	if count < 1 {
		return nil, nil, pricing.Inputf("--count", "must be at least 1")
	}
	r, err := newRunner(cfg)
	if err != nil {
		return nil, nil, err
	}
	if len(events) == 0 {
		if f, ok := builtin.Lookup(cfg.Builtin); ok {
			events = [][]byte{f.Event()}
		} else {
			events = [][]byte{[]byte("{}")}
		}
	}
	if r.cfg.IdleTimeout > 0 {
		r.stopJanitor = make(chan struct{})
		go r.janitor()
	}
	workers := min(r.cfg.Concurrency, count)
	invs := make([]Invocation, count)
	filled := make([]bool, count)
	var next atomic.Int64
	var done atomic.Int64
	var firstErr error
	var errOnce sync.Once
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= count || ctx.Err() != nil {
					return
				}
				inv, err := r.invoke(ctx, events[i%len(events)])
				if err != nil {
					errOnce.Do(func() { firstErr = err })
					cancel()
					return
				}
				invs[i], filled[i] = inv, true
				n := int(done.Add(1))
				if r.cfg.Progress != nil {
					r.cfg.Progress(n, count)
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(start)
	r.shutdown()
	r.logs.close()
	pg := r.pgids

	out := invs[:0]
	for i, ok := range filled {
		if ok {
			out = append(out, invs[i])
		}
	}
	res := r.result(out, wall)
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		if len(out) < count {
			res.Partial, res.Requested = true, count
		}
		return res, pg, firstErr
	}
	return res, pg, nil
}

// invoke runs one invocation to its end, starting an environment if none
// is idle.
func (r *runner) invoke(ctx context.Context, event []byte) (Invocation, error) {
	for {
		e, cold, err := r.acquire()
		if err != nil {
			return Invocation{}, err
		}
		c := &call{id: newRequestID(), event: event, done: make(chan struct{})}
		var initDur, initCPU time.Duration
		if cold {
			inv, ok, err := r.awaitInit(ctx, e, c)
			if err != nil || !ok {
				e.kill()
				if err == nil && inv.InitStatus == "timeout" {
					return r.suppressedInit(ctx, c, inv)
				}
				return inv, err
			}
			initDur, initCPU = e.initEnd.Sub(e.started), e.initCPU
		}
		retry, err := r.dispatch(ctx, e, c)
		if err != nil {
			e.kill()
			return Invocation{}, err
		}
		if retry {
			// The environment died while idle: discard it and start over
			// (the invocation never began).
			e.kill()
			continue
		}
		inv := r.record(e, c, cold, initDur, initCPU)
		if r.probe != nil {
			r.probe(c)
		}
		if c.failure || inv.MemoryExceeded {
			e.kill()
		} else {
			r.release(e)
		}
		return inv, nil
	}
}

// awaitInit waits for a new environment's first GET /next. On an INIT
// failure it returns the failed invocation and ok = false.
func (r *runner) awaitInit(ctx context.Context, e *env, c *call) (Invocation, bool, error) {
	return r.awaitInitPhase(ctx, e, c, r.initLimit, "init")
}

// awaitInitPhase waits up to limit for INIT; phase ("init", or "invoke"
// for a suppressed INIT retried inside the first invocation) is what
// INIT_REPORT says.
func (r *runner) awaitInitPhase(ctx context.Context, e *env, c *call, limit time.Duration, phase string) (Invocation, bool, error) {
	t := time.NewTimer(limit)
	defer t.Stop()
	var status, errType, msg string
	select {
	case <-e.ready:
		return Invocation{}, true, nil
	case <-ctx.Done():
		return Invocation{}, false, ctx.Err()
	case <-e.initFail:
		e.mu.Lock()
		status, errType, msg = "error", e.initErr.Type, e.initErr.Message
		e.mu.Unlock()
	case <-e.exited:
		select {
		case <-e.initFail: // posted /init/error and exited: the report wins
			e.mu.Lock()
			status, errType, msg = "error", e.initErr.Type, e.initErr.Message
			e.mu.Unlock()
		default:
			status, errType = "error", "Runtime.ExitError"
			if e.cg != nil && e.cg.oomKilled() {
				errType = "Runtime.OutOfMemory"
			}
			msg = "RequestId: " + c.id + " Error: Runtime exited with error: " + e.exitReason()
			e.mu.Lock()
			e.initEnd = time.Now()
			e.mu.Unlock()
		}
	case <-t.C:
		status, errType = "timeout", "Sandbox.Timedout"
		msg = fmt.Sprintf("RequestId: %s Error: INIT timed out after %.2f seconds", c.id, limit.Seconds())
		if phase == "invoke" {
			// The retried INIT ran under the function's timeout.
			msg = fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", c.id, limit.Seconds())
		}
		e.mu.Lock()
		e.initEnd = time.Now()
		e.mu.Unlock()
	}
	e.mu.Lock()
	initDur := e.initEnd.Sub(e.started)
	e.mu.Unlock()
	if status == "timeout" {
		initDur = limit
	}
	initMs := ms(initDur)
	mem := r.memoryMB(e)
	e.pipe.sync()
	inv := Invocation{
		RequestID: c.id, Status: initInvocationStatus(status), Cold: true, Environment: e.id,
		InitDurationMs: initMs, InitStatus: status, MaxMemoryUsedMB: mem,
		BilledDurationMs: pricing.BilledMs(initDur),
		Error:            &FunctionError{Type: errType, Message: msg},
		Start:            e.started,
	}
	if r.logs.enabled() {
		if r.logs.format == LogJSON {
			r.logs.event(time.Now(), "platform.initReport", map[string]any{
				"initializationType": "on-demand", "phase": phase, "status": status, "errorType": errType,
				"metrics": map[string]float64{"durationMs": round2(initMs)},
			})
		} else {
			et := errType
			if status == "timeout" {
				et = "" // as in AWS's example: "INIT_REPORT Init Duration: … ms	Phase: init	Status: timeout"
			}
			r.logs.line(InitReportPhaseLine(initMs, phase, status, et))
		}
	}
	return inv, false, nil
}

// dispatch hands c to e and waits for its end. retry reports that e died
// before taking the event.
//
// The hand-off does not wait for the runtime: e.next holds one call, which
// the runtime's next GET /next takes (an invoker woken only when its call
// ends, not also when it is taken). The timeout runs from the hand-out, as
// Lambda's does: the timer is armed for the whole timeout and, when it
// fires early, re-armed for what is left.
func (r *runner) dispatch(ctx context.Context, e *env, c *call) (retry bool, err error) {
	c.phase.done = make(chan struct{})
	select {
	case e.next <- c:
	case <-e.exited:
		return true, nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
	// A suppressed INIT retried inside this invocation used part of it.
	limit := r.timeout - c.pre
	if e.timer == nil {
		e.timer = time.NewTimer(limit)
	} else {
		e.timer.Reset(limit)
	}
	defer e.timer.Stop()
wait:
	select {
	case <-c.done:
	case now := <-e.timer.C:
		e.mu.Lock()
		start := c.start
		e.mu.Unlock()
		if start.IsZero() {
			// Not taken yet: the timeout has not begun.
			e.timer.Reset(limit)
			goto wait
		}
		if left := start.Add(limit).Sub(now); left > 0 {
			e.timer.Reset(left)
			goto wait
		}
		if e.finish(c, start.Add(limit), func(c *call) {
			c.status, c.failure, c.errType = "timeout", true, "Sandbox.Timedout"
			c.errMsg = fmt.Sprintf("RequestId: %s Error: Task timed out after %.2f seconds", c.id, r.timeout.Seconds())
		}) {
			if r.logs.enabled() && r.logs.format == LogText {
				e.pipe.sync()
				r.logs.line(TimeoutLine(start.Add(limit), c.id, r.timeout))
			}
		}
	case <-e.exited:
		e.mu.Lock()
		handedOut := !c.start.IsZero()
		e.mu.Unlock()
		if !handedOut {
			// Never handed out (still waiting, or taken by a connection
			// the runtime had left): the invocation never began.
			return true, nil
		}
		oom := e.cg != nil && e.cg.oomKilled()
		reason := e.exitReason()
		e.finish(c, time.Now(), func(c *call) {
			c.status, c.failure, c.errType = "error", true, "Runtime.ExitError"
			if oom {
				c.errType = "Runtime.OutOfMemory"
			}
			c.errMsg = "RequestId: " + c.id + " Error: Runtime exited with error: " + reason
		})
	case <-ctx.Done():
		return false, ctx.Err()
	}
	// The invocation ends with its invoke phase, at the next GET /next.
	return false, r.awaitPhase(ctx, e, c)
}

// memoryMB is the environment's peak memory in MB (rounded up).
func (r *runner) memoryMB(e *env) int {
	b, ok := e.peakMemoryBytes()
	if !ok {
		return 0
	}
	return int((b + (1<<20 - 1)) >> 20)
}

// record turns a finished call into an Invocation and writes its log lines.
func (r *runner) record(e *env, c *call, cold bool, initDur, initCPU time.Duration) Invocation {
	e.mu.Lock()
	dur := c.end.Sub(c.start) + c.pre
	status, errType, errMsg, funcErr, failure := c.status, c.errType, c.errMsg, c.funcErr, c.failure
	resp, respLen, streamBytes := c.response, c.respLen, c.streamBytes
	cpuStart := c.cpuStart
	cpu1, cpuOK := c.cpuEnd, c.cpuEndOK
	ph, respEnd := c.phase, c.end
	e.mu.Unlock()
	if ph.cpuOK {
		cpu1, cpuOK = ph.cpu, true
	}
	post := r.applyPhase(c, ph, respEnd, &dur, &status, &errType, &errMsg, &failure, &cpuOK)
	if !cpuOK {
		// Ended by a timeout or a crash: read now.
		cpu1, cpuOK = e.cpuTime()
	}
	if status == "timeout" {
		dur = r.timeout
	}
	if dur < 0 {
		dur = 0
	}
	mem := r.memoryMB(e)
	mf := r.cfg.Function.MemoryMB
	inv := Invocation{
		RequestID: c.id, Status: status, Cold: cold, Environment: e.id,
		DurationMs: ms(dur), MaxMemoryUsedMB: mem, Start: c.start,
		StreamedResponseBytes: streamBytes,
	}
	if post >= postResponseReport || ph.timedOut || ph.exited {
		inv.PostResponseMs = ms(post)
	}
	if cold {
		inv.InitDurationMs = ms(initDur)
	} else {
		initDur = 0
	}
	inv.BilledDurationMs = pricing.BilledMs(dur + initDur + c.billedInit)
	if cpuOK {
		inv.CPUTimeMs = ms(cpu1 - cpuStart)
	}
	if r.cgroups == nil && mem > mf && status != "timeout" {
		// Without a cgroup nothing stopped the function; Lambda would have.
		inv.MemoryExceeded = true
		status, errType, failure = "error", "Runtime.OutOfMemory", true
		errMsg = fmt.Sprintf("RequestId: %s Error: Runtime exited with error: the function used %d MB, above its %d MB (not enforced on this machine)", c.id, mem, mf)
		inv.Status = status
		c.failure = true
	}
	if errType == "Runtime.OutOfMemory" {
		inv.MemoryExceeded = true
		if inv.MaxMemoryUsedMB < mf {
			inv.MaxMemoryUsedMB = mf
		}
	}
	if status != "success" {
		inv.Error = &FunctionError{Type: errType, Message: errMsg}
	}
	if !r.cfg.DiscardResponses && len(resp) > 0 && (status == "success" || funcErr || ph.timedOut) {
		if json.Valid(resp) {
			inv.Response = json.RawMessage(resp)
		} else {
			inv.Response, _ = json.Marshal(string(resp))
		}
	}
	if r.cgroups == nil {
		v := r.vcpu
		md := ModelDuration(dur, time.Duration(inv.CPUTimeMs*float64(time.Millisecond)), v)
		mdm := ms(md)
		inv.ModelledDurationMs = &mdm
		mi := time.Duration(0)
		if cold {
			mi = ModelDuration(initDur, initCPU, initVCPU(v))
			mim := ms(mi)
			inv.ModelledInitMs = &mim
		}
		if status == "timeout" {
			md = r.timeout
		}
		b := pricing.BilledMs(min(md, r.timeout) + mi)
		inv.ModelledBilledDurationMs = &b
	}
	if r.logs.enabled() {
		// Every line the function wrote before now goes before END.
		e.pipe.sync()
		rep := Report{
			RequestID: c.id, DurationMs: round2(inv.DurationMs), BilledDurationMs: inv.BilledDurationMs,
			MemorySizeMB: mf, MaxMemoryUsedMB: inv.MaxMemoryUsedMB, InitDurationMs: round2(inv.InitDurationMs),
		}
		if failure {
			rep.Status, rep.ErrorType = "error", errType
		}
		if status == "timeout" {
			rep.Status, rep.ErrorType = "timeout", ""
		}
		if funcErr && !failure {
			rep.ErrorType = errType
		}
		now := time.Now()
		if r.logs.format == LogJSON {
			rtStatus := "success"
			switch {
			case status == "timeout":
				rtStatus = "timeout"
			case failure:
				rtStatus = "failure"
			case funcErr:
				rtStatus = "error"
			}
			r.logs.event(now, "platform.runtimeDone", map[string]any{
				"requestId": c.id, "status": rtStatus,
				"metrics": map[string]any{"durationMs": round2(inv.DurationMs), "producedBytes": respLen},
			})
			r.logs.line(ReportJSONLine(now, rep, funcErr && !failure))
		} else {
			r.logs.line(EndLine(c.id))
			r.logs.line(ReportLine(rep))
		}
	}
	return inv
}

// ModelDuration estimates how long an invocation measured with wall time
// wall and CPU time cpu on an unrestricted machine would take with a share
// of vcpu CPUs, as Lambda gives:
//
//	off-CPU time   w = max(0, wall − cpu)           (waiting: I/O, sleep)
//	on-CPU time    max(cpu / vcpu, min(cpu, wall))
//	modelled       w + on-CPU time
//
// A single-threaded handler's CPU part stretches by 1/vcpu when vcpu < 1;
// with vcpu ≥ 1 it is not faster than measured; a parallel handler
// (cpu > wall) needs at least cpu / vcpu. It is a model, never a
// measurement.
func ModelDuration(wall, cpu time.Duration, vcpu float64) time.Duration {
	if vcpu <= 0 {
		return wall
	}
	off := max(0, wall-cpu)
	on := max(time.Duration(float64(cpu)/vcpu), min(cpu, wall))
	return off + on
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// result builds the Result of a run.
func (r *runner) result(invs []Invocation, wall time.Duration) *Result {
	res := &Result{
		Function: r.cfg.Function, Region: r.cfg.Region, Handler: r.cfg.Handler, Builtin: r.cfg.Builtin,
		VCPU: r.vcpu, HostCPUs: runtime.NumCPU(), Concurrency: r.cfg.Concurrency,
		InitCPUModel: InitCPUModelBurst, InitVCPU: initVCPU(r.vcpu), InitCPUModelNote: InitCPUModelNote,
		Invocations: invs,
	}
	if res.Invocations == nil {
		res.Invocations = []Invocation{}
	}
	if r.cgroups != nil {
		res.CPUModel, res.MemoryModel = CPUModelCgroup, MemoryModelCgroup
		res.MemoryPrecision = "limit enforced by the cgroup; peak = max(the bootstrap's VmHWM, the largest process memory of the environment's cgroup read after each invocation: anonymous + mapped files + shared memory, not the page cache of files written to /tmp, as Lambda does not count /tmp), rounded up to the MB; a child process's short-lived peak between two readings is not seen; after a crash or a failed INIT also the exit peak the kernel reports, when it is above the runner's own peak at the process's start (below it, it may be the runner's memory, which the kernel counts in, and the last reading stands)"
	} else {
		res.CPUModel, res.MemoryModel, res.IsolationNote = CPUModelUnrestricted, MemoryModelVmHWM, r.cgNote
		res.MemoryPrecision = "not enforced (exceeding it is reported as Runtime.OutOfMemory); peak = the bootstrap process's VmHWM read after each invocation: exact for that process, child processes not counted; rounded up to the MB; after a crash or a failed INIT also the exit peak the kernel reports, when it is above the runner's own peak at the process's start (below it, it may be the runner's memory, which the kernel counts in, and the last reading stands)"
	}
	res.Isolation, res.Notes = r.isolationName(), r.notes(invs)
	events, bytes := r.logs.counts()
	res.Summary = summarize(r.cfg, invs, r.cgroups == nil, logCount{events, bytes})
	res.Summary.Environments = r.nextEnv
	res.Summary.WallSeconds = wall.Seconds()
	if wall > 0 {
		res.Summary.InvocationsPerSecond = float64(len(invs)) / wall.Seconds()
	}
	return res
}

// logCount is what a run wrote to its log: lines (CloudWatch Logs events)
// and their bytes, newlines included.
type logCount struct{ events, bytes int64 }

func summarize(cfg Config, invs []Invocation, modelled bool, lc logCount) Summary {
	var s Summary
	var all, warm, cold, init, cpu, mAll, mWarm, mCold, mInit []float64
	var usage, mUsage pricing.BilledUsage
	for _, inv := range invs {
		s.Invocations++
		switch inv.Status {
		case "success":
			s.Successes++
		case "timeout":
			s.Timeouts++
		default:
			s.Errors++
		}
		if inv.Cold {
			s.ColdStarts++
		}
		s.MaxMemoryUsedMB = max(s.MaxMemoryUsedMB, inv.MaxMemoryUsedMB)
		usage.Requests++
		usage.OnDemandMs += inv.BilledDurationMs
		// Each streamed response's bytes beyond its first 6 MB are billed.
		usage.StreamedBytes += max(inv.StreamedResponseBytes-int64(pricing.FreeStreamedBytesPerResponse), 0)
		if inv.InitStatus != "" {
			// INIT failed: no handler ran, the whole billed time is INIT.
			usage.ColdStarts++
			usage.InitMs += inv.BilledDurationMs
			init = append(init, inv.InitDurationMs)
			continue
		}
		all = append(all, inv.DurationMs)
		cpu = append(cpu, inv.CPUTimeMs)
		if inv.Cold {
			usage.ColdStarts++
			usage.InitMs += inv.BilledDurationMs - pricing.BilledMs(time.Duration(math.Round(inv.DurationMs*float64(time.Millisecond))))
			cold = append(cold, inv.DurationMs)
			init = append(init, inv.InitDurationMs)
		} else {
			warm = append(warm, inv.DurationMs)
		}
		if modelled && inv.ModelledDurationMs != nil {
			mAll = append(mAll, *inv.ModelledDurationMs)
			if !inv.Cold {
				mWarm = append(mWarm, *inv.ModelledDurationMs)
			} else {
				mCold = append(mCold, *inv.ModelledDurationMs)
			}
			if inv.ModelledInitMs != nil {
				mInit = append(mInit, *inv.ModelledInitMs)
			}
		}
		if inv.ModelledBilledDurationMs != nil {
			mUsage.OnDemandMs += *inv.ModelledBilledDurationMs
		}
	}
	if s.Invocations > 0 {
		s.Assumptions.Add(pricing.Assumption{Field: "max_memory_used_mb", Value: "the function's process memory",
			Why: "Lambda's REPORT reads more for the same code: a hello-world aws-lambda-go handler measures 9 MB in this runner and 17 MB on Lambda (maxday/lambda-perf, provided.al2023 at 128 MB, daily runs of July–August 2026), as Lambda counts memory outside the function's processes; leave that margin when choosing a memory size from it"})
	}
	s.DurationMs, s.WarmDurationMs, s.ColdDurationMs = Summarize(all), Summarize(warm), Summarize(cold)
	s.InitDurationMs, s.CPUTimeMs = Summarize(init), Summarize(cpu)
	if lc.events > 0 {
		// Every line Lambda's platform and the function wrote, INIT's
		// included, is one event: its bytes and the per-event overhead.
		usage.LogBytes = lc.bytes + pricing.LogEventOverheadBytes*lc.events
		s.LogBytes = usage.LogBytes
		if s.Invocations > 0 {
			per := float64(usage.LogBytes) / float64(s.Invocations)
			s.LogBytesPerInvocation = &per
		}
		s.Assumptions.Add(pricing.Assumption{Field: "log_bytes", Value: fmt.Sprintf("%d bytes", usage.LogBytes),
			Why: fmt.Sprintf("the %d log lines the run wrote (Lambda's START/END/REPORT and the function's output, in the %s log format; each line one CloudWatch Logs event): %d bytes with their newlines plus %d bytes per event, the size PutLogEvents counts, taken as the billed ingestion; priced in the logs line",
				lc.events, cmp.Or(cfg.LogFormat, LogText), lc.bytes, pricing.LogEventOverheadBytes)})
	}
	s.Usage = usage
	if modelled {
		p, q, c, i := Summarize(mAll), Summarize(mWarm), Summarize(mCold), Summarize(mInit)
		s.ModelledDurationMs, s.ModelledWarmDurationMs, s.ModelledColdDurationMs, s.ModelledInitDurationMs = &p, &q, &c, &i
	}
	if s.Invocations == 0 {
		s.Cost = &pricing.Cost{}
		return s
	}
	// A pricing failure (no price for the region or a dimension) leaves
	// the cost null and says why: never a silently missing number.
	c, per, million, err := PriceUsage(cfg.Prices, cfg.Region, cfg.Function, usage)
	if err != nil && (usage.LogBytes > 0 || usage.StreamedBytes > 0) {
		// Lambda priced without what the region has no price for
		// (CloudWatch Logs, response streaming): the cost says so, the
		// bytes stay measured. Logs alone first, then streaming, then both.
		for _, d := range []struct{ logs, streamed bool }{{true, false}, {false, true}, {true, true}} {
			if (d.logs && usage.LogBytes == 0) || (d.streamed && usage.StreamedBytes == 0) {
				continue
			}
			bare := usage
			if d.logs {
				bare.LogBytes = 0
			}
			if d.streamed {
				bare.StreamedBytes = 0
			}
			c2, per2, million2, err2 := PriceUsage(cfg.Prices, cfg.Region, cfg.Function, bare)
			if err2 != nil {
				continue
			}
			if d.logs {
				s.Assumptions.Add(pricing.Assumption{Field: "logs", Value: "not priced",
					Why: "the run's log bytes (log_bytes) are measured, but " + err.Error() + ": the cost leaves them out"})
			}
			if d.streamed {
				s.Assumptions.Add(pricing.Assumption{Field: "streaming", Value: "not priced",
					Why: fmt.Sprintf("the run streamed %d bytes beyond the first 6 MB of its responses (streamed_response_bytes), billed by Lambda, but %s: the cost leaves them out", usage.StreamedBytes, err.Error())})
			}
			c, per, million, err = c2, per2, million2, nil
			usage = bare // for the modelled cost too
			break
		}
	}
	if err == nil {
		s.Cost, s.CostPerInvocationUSD, s.CostPerMillionUSD = &c, &per, &million
		s.Assumptions.Add(pricing.Assumption{Field: "cold_start_rate",
			Value: fmt.Sprintf("%s (%d of %d invocations)", strconv.FormatFloat(float64(usage.ColdStarts)/float64(usage.Requests), 'g', 4, 64), usage.ColdStarts, usage.Requests),
			Why:   "cost_per_invocation_usd and cost_per_million_usd price the run's own mix: each cold start bills its INIT (since August 2025), so a million invocations are priced with this share of cold starts, one per environment the run started; in production INITs are typically under 1 % of invocations (AWS): tune --cold-start-rate or estimate --cold-start-rate prices another share"})
		s.Assumptions.Add(pricing.Assumption{Field: "free_tier", Value: "not applied",
			Why: "the run is priced at list prices: the monthly free tier is the account's, not one function's"})
	} else {
		s.Assumptions.Add(pricing.Assumption{Field: "cost", Value: "unknown", Why: "the measured invocations could not be priced: " + err.Error()})
	}
	if modelled {
		mUsage.Requests, mUsage.LogBytes, mUsage.StreamedBytes = usage.Requests, usage.LogBytes, usage.StreamedBytes
		if _, per, million, err := PriceUsage(cfg.Prices, cfg.Region, cfg.Function, mUsage); err == nil {
			s.ModelledCostPerInvocationUSD, s.ModelledCostPerMillionUSD = &per, &million
		} else {
			s.Assumptions.Add(pricing.Assumption{Field: "modelled_cost", Value: "unknown", Why: "the modelled durations could not be priced: " + err.Error()})
		}
	}
	return s
}

// PriceUsage prices a measured batch of invocations with the pricing
// engine (no free tier) and returns its cost, the average cost per
// invocation, and the cost of a million invocations with the same mix
// (billed milliseconds scaled to 1,000,000 requests and priced again, so
// that tiers apply exactly).
func PriceUsage(prices *pricing.PriceTable, region string, fn pricing.FunctionConfig, u pricing.BilledUsage) (pricing.Cost, float64, float64, error) {
	if u.Requests <= 0 {
		return pricing.Cost{}, 0, 0, nil
	}
	bill, err := prices.LambdaBill(region, []pricing.Item{{Function: fn, Usage: u}}, pricing.Options{})
	if err != nil {
		return pricing.Cost{}, 0, 0, err
	}
	per := bill.Cost.Total.Div(decimal.NewFromInt(u.Requests)).InexactFloat64()
	const million = 1_000_000
	scale := func(v int64) int64 {
		return int64(math.Round(float64(v) * million / float64(u.Requests)))
	}
	mu := pricing.BilledUsage{Requests: million, OnDemandMs: scale(u.OnDemandMs), InitMs: scale(u.InitMs), ColdStarts: scale(u.ColdStarts), LogBytes: scale(u.LogBytes), StreamedBytes: scale(u.StreamedBytes)}
	mb, err := prices.LambdaBill(region, []pricing.Item{{Function: fn, Usage: mu}}, pricing.Options{})
	if err != nil {
		return pricing.Cost{}, 0, 0, err
	}
	return bill.Cost, per, mb.Cost.Total.InexactFloat64(), nil
}

// Summarize computes percentiles of a sample (nearest-rank).
func Summarize(xs []float64) Percentiles {
	if len(xs) == 0 {
		return Percentiles{}
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	var sum float64
	for _, x := range s {
		sum += x
	}
	return Percentiles{
		N: len(s), Min: s[0], Max: s[len(s)-1], Mean: sum / float64(len(s)),
		P50: Quantile(s, 0.50), P90: Quantile(s, 0.90), P99: Quantile(s, 0.99),
	}
}

// Quantile is the nearest-rank q-quantile of sorted: the sample at rank
// ⌈q·n⌉ (1-based, at least 1), i.e. the smallest sample such that at least
// q·n samples are at or below it.
func Quantile(sorted []float64, q float64) float64 {
	n := len(sorted)
	if n == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(n)))
	return sorted[min(max(rank, 1), n)-1]
}
