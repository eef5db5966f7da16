// Command testfn is a real aws-lambda-go handler the runner's tests build
// and run. The event chooses what it does:
//
//	{"action":"echo"}            returns the event (default)
//	{"action":"noop"}            returns "ok" and does nothing else (the benchmarks' trivial handler)
//	{"action":"env"}             returns the process environment as a map
//	{"action":"error","message":"m"}  returns an error
//	{"action":"sleep","ms":N}    sleeps N ms, ignoring the deadline
//	{"action":"cpu","ms":N}      burns N ms of CPU time
//	{"action":"alloc","mb":N}    allocates and touches N MB, then returns
//	{"action":"big","mb":N}      returns a string of N MB
//	{"action":"print","message":"m"}  prints m to stdout and stderr
//	{"action":"exit"}            exits the process (a crash)
//	{"action":"panic"}           panics
//
// At start-up TESTFN_INIT_EXIT=1 exits before serving (an INIT crash) and
// TESTFN_INIT_SLEEP=N sleeps N ms first (a slow INIT).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"golang.org/x/sys/unix"
)

type event struct {
	Action  string  `json:"action"`
	Ms      float64 `json:"ms"`
	MB      int     `json:"mb"`
	Message string  `json:"message"`
}

var hold [][]byte

func processCPU() time.Duration {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_PROCESS_CPUTIME_ID, &ts)
	return time.Duration(ts.Nano())
}

func handle(ctx context.Context, ev event) (any, error) {
	switch ev.Action {
	case "noop":
		return "ok", nil
	case "", "echo":
		lc, _ := lambdacontext.FromContext(ctx)
		dl, _ := ctx.Deadline()
		return map[string]any{"event": ev, "request_id": lc.AwsRequestID, "arn": lc.InvokedFunctionArn, "deadline_ms": dl.UnixMilli()}, nil
	case "env":
		m := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
		return m, nil
	case "error":
		return nil, errors.New(ev.Message)
	case "sleep":
		time.Sleep(time.Duration(ev.Ms * float64(time.Millisecond)))
		return "slept", nil
	case "cpu":
		start := processCPU()
		x := 0
		for processCPU()-start < time.Duration(ev.Ms*float64(time.Millisecond)) {
			for i := 0; i < 10000; i++ {
				x += i * i
			}
		}
		return x, nil
	case "alloc":
		b := make([]byte, ev.MB<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hold = append(hold, b)
		return len(hold), nil
	case "big":
		return strings.Repeat("x", ev.MB<<20), nil
	case "print":
		fmt.Println(ev.Message)
		fmt.Fprintln(os.Stderr, "stderr: "+ev.Message)
		return "printed", nil
	case "exit":
		os.Exit(3)
	case "panic":
		panic("testfn panics")
	}
	return nil, fmt.Errorf("unknown action %q", ev.Action)
}

func main() {
	if os.Getenv("TESTFN_INIT_EXIT") == "1" {
		fmt.Fprintln(os.Stderr, "testfn: failing INIT on purpose")
		os.Exit(1)
	}
	if s := os.Getenv("TESTFN_INIT_SLEEP"); s != "" {
		n, _ := strconv.Atoi(s)
		time.Sleep(time.Duration(n) * time.Millisecond)
	}
	lambda.Start(handle)
}
