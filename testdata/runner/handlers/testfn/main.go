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
//	{"action":"writefile","path":"p","mb":N}  writes N MB to p in 1 MB writes: {"written":bytes,"error":"..."}
//	{"action":"readfile","path":"p"}  returns p's content: {"content":"...","error":"..."}
//	{"action":"listdir","path":"p"}  returns the names in folder p: {"names":[...],"error":"..."}
//	{"action":"fork","n":N}      starts N "sleep 60" processes: {"started":k,"failed":m,"error":"first error"}
//	{"action":"fds","n":N}       opens /dev/null N times: {"opened":k,"error":"..."}
//	{"action":"lines","n":N}     prints N lines naming the request id (stdout and stderr; the last without newline; "message":"json" makes every third a JSON object)
//	{"action":"spawn"}           starts a setsid'd grandchild (sleep 600) and returns its pid
//	{"action":"exit"}            exits the process (a crash)
//	{"action":"panic"}           panics
//
// At start-up TESTFN_INIT_EXIT=1 exits before serving (an INIT crash) and
// TESTFN_INIT_SLEEP=N sleeps N ms first (a slow INIT), TESTFN_INIT_CPU=N
// burns N ms of CPU first (a CPU-bound INIT), TESTFN_INIT_ALLOC=N touches N
// MB and then exits (an INIT crash with memory in use).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
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
	Path    string  `json:"path"`
	N       int     `json:"n"`
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

var held []any // processes and files kept for the environment's life

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
		return map[string]any{"event": ev, "request_id": lc.AwsRequestID, "arn": lc.InvokedFunctionArn, "deadline_ms": dl.UnixMilli(),
			"client_context": lc.ClientContext, "identity": lc.Identity}, nil
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
	case "writefile":
		f, err := os.Create(ev.Path)
		if err != nil {
			return map[string]any{"written": 0, "error": err.Error()}, nil
		}
		buf := make([]byte, 1<<20)
		for i := range buf {
			buf[i] = byte(i)
		}
		var n int64
		for i := 0; i < ev.MB && err == nil; i++ {
			var k int
			k, err = f.Write(buf)
			n += int64(k)
		}
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return map[string]any{"written": n, "error": errString(err)}, nil
	case "readfile":
		b, err := os.ReadFile(ev.Path)
		return map[string]any{"content": string(b), "error": errString(err)}, nil
	case "listdir":
		names := []string{}
		ents, err := os.ReadDir(ev.Path)
		for _, e := range ents {
			names = append(names, e.Name())
		}
		return map[string]any{"names": names, "error": errString(err)}, nil
	case "fork":
		started, failed, first := 0, 0, ""
		for i := 0; i < ev.N; i++ {
			cmd := exec.Command("sleep", "60")
			if err := cmd.Start(); err != nil {
				failed++
				if first == "" {
					first = err.Error()
				}
				continue
			}
			started++
			// Drop the process handle (a pidfd): only processes count here.
			_ = cmd.Process.Release()
		}
		return map[string]any{"started": started, "failed": failed, "error": first}, nil
	case "fds":
		opened, first := 0, ""
		for i := 0; i < ev.N; i++ {
			f, err := os.Open("/dev/null")
			if err != nil {
				first = err.Error()
				break
			}
			opened++
			held = append(held, f)
		}
		return map[string]any{"opened": opened, "error": first}, nil
	case "lines":
		// N lines naming the request, alternately on stdout and stderr;
		// with message "json" every third is a JSON object; the last has
		// no newline.
		lc, _ := lambdacontext.FromContext(ctx)
		for i := 0; i < ev.N; i++ {
			w := os.Stdout
			if i%2 == 1 {
				w = os.Stderr
			}
			switch {
			case i == ev.N-1:
				fmt.Fprintf(w, "line %d of %s (no newline)", i, lc.AwsRequestID)
			case ev.Message == "json" && i%3 == 0:
				fmt.Fprintf(w, "{\"level\":\"INFO\",\"requestId\":%q,\"line\":%d}\n", lc.AwsRequestID, i)
			default:
				fmt.Fprintf(w, "line %d of %s\n", i, lc.AwsRequestID)
			}
		}
		return "printed", nil
	case "spawn":
		// A grandchild in its own session, outside the environment's
		// process group, that would run for 10 minutes.
		cmd := exec.Command("sleep", "600")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
		if err := cmd.Start(); err != nil {
			return nil, err
		}
		return cmd.Process.Pid, nil
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
	if s := os.Getenv("TESTFN_INIT_ALLOC"); s != "" {
		// Touch N MB, then fail INIT.
		n, _ := strconv.Atoi(s)
		b := make([]byte, n<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		hold = append(hold, b)
		fmt.Fprintln(os.Stderr, "testfn: failing INIT after allocating", n, "MB")
		os.Exit(1)
	}
	if s := os.Getenv("TESTFN_INIT_CPU"); s != "" {
		// Burn N ms of CPU time before serving (a CPU-bound INIT).
		n, _ := strconv.Atoi(s)
		start := processCPU()
		x := 0
		for processCPU()-start < time.Duration(n)*time.Millisecond {
			for i := 0; i < 10000; i++ {
				x += i * i
			}
		}
		_ = x
	}
	if s := os.Getenv("TESTFN_INIT_SLEEP"); s != "" {
		n, _ := strconv.Atoi(s)
		time.Sleep(time.Duration(n) * time.Millisecond)
	}
	lambda.Start(handle)
}
