// Package builtin holds the functions compiled into lambdacost that the
// runner can measure without any user code: sleep, cpu, image-resize and
// http-echo. They are ordinary aws-lambda-go handlers; the runner starts
// them over the same Lambda Runtime API path as an external bootstrap, by
// re-executing the current binary with EnvBootstrap set (see MaybeRun).
//
// The package's init function calls MaybeRun, so every program that links
// it (lambdacost, test binaries of packages that use the runner) can serve
// as the bootstrap of a built-in: a re-executed test binary serves the
// function instead of running its tests again.
package builtin

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"golang.org/x/sys/unix"
)

// EnvBootstrap names the environment variable that turns a process into the
// bootstrap of a built-in function: its value is the function's name. The
// runner sets it (together with AWS_LAMBDA_RUNTIME_API) when it re-executes
// lambdacost, or a test binary, for a built-in.
const EnvBootstrap = "_LAMBDACOST_BUILTIN"

// Function is one built-in function.
type Function struct {
	Name        string
	Description string
	// Handler is passed to lambda.Start.
	Handler any
	// Event is the default event (JSON) used when the user gives none.
	Event func() []byte
}

var functions = map[string]Function{
	"sleep": {
		Name:        "sleep",
		Description: `sleeps for {"ms":N} milliseconds (default 100): wall time without CPU`,
		Handler:     sleepHandler,
		Event:       func() []byte { return []byte(`{"ms":100}`) },
	},
	"cpu": {
		Name:        "cpu",
		Description: `burns {"ms":N} milliseconds of CPU time (default 50), hashing; slower at smaller memory sizes`,
		Handler:     cpuHandler,
		Event:       func() []byte { return []byte(`{"ms":50}`) },
	},
	"image-resize": {
		Name:        "image-resize",
		Description: "S3 put event: decodes a 1920x1280 JPEG, resizes it (Lanczos) to a thumbnail, encodes it",
		Handler:     imageResizeHandler,
		Event:       S3PutEvent,
	},
	"http-echo": {
		Name:        "http-echo",
		Description: "API Gateway HTTP API (v2) event: echoes method, path, query, headers and body as JSON",
		Handler:     httpEchoHandler,
		Event:       HTTPEvent,
	},
}

// Names lists the built-in functions, sorted.
func Names() []string {
	out := make([]string, 0, len(functions))
	for n := range functions {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Lookup returns the built-in function called name.
func Lookup(name string) (Function, bool) {
	f, ok := functions[name]
	return f, ok
}

func init() { MaybeRun() }

// MaybeRun makes the current process the bootstrap of a built-in function
// when EnvBootstrap and AWS_LAMBDA_RUNTIME_API are both set: it serves
// invocations until the runner stops it, and never returns. Otherwise it
// returns immediately. lambdacost calls it before parsing flags; test
// binaries call it from TestMain.
func MaybeRun() {
	name := os.Getenv(EnvBootstrap)
	if name == "" || os.Getenv("AWS_LAMBDA_RUNTIME_API") == "" {
		return
	}
	f, ok := functions[name]
	if !ok {
		fmt.Fprintf(os.Stderr, "lambdacost: unknown built-in function %q (known: %s)\n", name, strings.Join(Names(), ", "))
		os.Exit(2)
	}
	lambda.Start(f.Handler)
	os.Exit(0) // lambda.Start does not return; keep the promise anyway
}

// SleepEvent is the event of the sleep and cpu functions.
type SleepEvent struct {
	// Ms is how long to sleep (sleep) or how much CPU time to use (cpu).
	Ms float64 `json:"ms"`
}

// SleepResult is what sleep returns.
type SleepResult struct {
	SleptMs   float64 `json:"slept_ms"`
	RequestID string  `json:"request_id"`
}

func sleepHandler(ctx context.Context, ev SleepEvent) (SleepResult, error) {
	if ev.Ms < 0 {
		return SleepResult{}, errors.New("ms must not be negative")
	}
	start := time.Now()
	t := time.NewTimer(time.Duration(ev.Ms * float64(time.Millisecond)))
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
		return SleepResult{}, ctx.Err()
	}
	return SleepResult{SleptMs: float64(time.Since(start)) / 1e6, RequestID: requestID(ctx)}, nil
}

// CPUResult is what cpu returns.
type CPUResult struct {
	CPUMs  float64 `json:"cpu_ms"`
	WallMs float64 `json:"wall_ms"`
	Rounds int     `json:"rounds"`
}

// threadCPU is the CPU time of the calling thread.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// BurnCPU hashes until the calling goroutine's thread has used d of CPU
// time (checked every 64 rounds), and returns the number of rounds.
func BurnCPU(ctx context.Context, d time.Duration) int {
	// Pin the goroutine so that the thread CPU clock is ours throughout.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	var buf [64]byte
	rounds := 0
	for {
		for i := 0; i < 64; i++ {
			s := sha256.Sum256(buf[:])
			copy(buf[:], s[:])
		}
		rounds += 64
		if threadCPU()-start >= d || ctx.Err() != nil {
			return rounds
		}
	}
}

func cpuHandler(ctx context.Context, ev SleepEvent) (CPUResult, error) {
	if ev.Ms < 0 {
		return CPUResult{}, errors.New("ms must not be negative")
	}
	start := time.Now()
	n := BurnCPU(ctx, time.Duration(ev.Ms*float64(time.Millisecond)))
	if err := ctx.Err(); err != nil {
		return CPUResult{}, err
	}
	return CPUResult{CPUMs: ev.Ms, WallMs: float64(time.Since(start)) / 1e6, Rounds: n}, nil
}

// HTTPEvent is the default http-echo event: an API Gateway HTTP API (payload
// format 2.0) GET with a query string and headers.
func HTTPEvent() []byte {
	ev := events.APIGatewayV2HTTPRequest{
		Version:               "2.0",
		RouteKey:              "GET /hello",
		RawPath:               "/hello",
		RawQueryString:        "name=lambdacost",
		Headers:               map[string]string{"accept": "application/json", "host": "abc123.execute-api.us-east-1.amazonaws.com", "user-agent": "lambdacost"},
		QueryStringParameters: map[string]string{"name": "lambdacost"},
		RequestContext: events.APIGatewayV2HTTPRequestContext{
			RouteKey:   "GET /hello",
			AccountID:  "123456789012",
			Stage:      "$default",
			RequestID:  "JKJaXmPLvHcESHA=",
			APIID:      "abc123",
			DomainName: "abc123.execute-api.us-east-1.amazonaws.com",
			Time:       "26/Nov/2026:18:00:00 +0000",
			TimeEpoch:  1795716000000, // 2026-11-26T18:00:00Z, as Time says
			HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{
				Method: "GET", Path: "/hello", Protocol: "HTTP/1.1", SourceIP: "192.0.2.1", UserAgent: "lambdacost",
			},
		},
	}
	b, _ := json.Marshal(ev)
	return b
}

// EchoBody is the JSON body http-echo returns.
type EchoBody struct {
	Method    string            `json:"method"`
	Path      string            `json:"path"`
	Query     map[string]string `json:"query,omitempty"`
	Headers   map[string]string `json:"headers,omitempty"`
	Body      string            `json:"body,omitempty"`
	RequestID string            `json:"request_id"`
}

func httpEchoHandler(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
	method := req.RequestContext.HTTP.Method
	path := req.RawPath
	if path == "" {
		path = req.RequestContext.HTTP.Path
	}
	body, err := json.Marshal(EchoBody{Method: method, Path: path, Query: req.QueryStringParameters, Headers: req.Headers, Body: req.Body, RequestID: requestID(ctx)})
	if err != nil {
		return events.APIGatewayV2HTTPResponse{}, err
	}
	return events.APIGatewayV2HTTPResponse{
		StatusCode: 200,
		Headers:    map[string]string{"content-type": "application/json"},
		Body:       string(body),
	}, nil
}

func requestID(ctx context.Context) string {
	if lc, ok := lambdacontext.FromContext(ctx); ok {
		return lc.AwsRequestID
	}
	return ""
}
