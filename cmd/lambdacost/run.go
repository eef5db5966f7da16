package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
	"github.com/lambdacost/lambdacost/simulator/runner"
	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdRun(f, nil) }) }

// FunctionFlags are the flags `run` and `tune` share: what to run
// (runner.Spec) and where its log lines go.
type FunctionFlags struct {
	runner.Spec
	Logs string
}

func (o *FunctionFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&o.Handler, "handler", "", "executable that speaks the Lambda Runtime API (e.g. a bootstrap built with aws-lambda-go)")
	fs.StringVar(&o.Builtin, "builtin", "", "built-in function: "+strings.Join(builtin.Names(), "|"))
	fs.StringVar(&o.Name, "name", "", "function name (default: the handler's file name or the built-in's name)")
	durationFlag(fs, &o.Timeout, "timeout", pricing.Duration(pricing.DefaultTimeout), "function timeout (Lambda's limit is 15m)")
	fs.StringVar(&o.Arch, "arch", "x86_64", "architecture to price: x86_64|arm64 (the function runs on this machine's)")
	fs.StringArrayVar(&o.Events, "event", nil, "event JSON file, or - for stdin; repeat to cycle through several (default: the built-in's sample event, else {})")
	fs.IntVar(&o.Concurrency, "concurrency", 1, "invocations at once (= most execution environments)")
	fs.StringArrayVar(&o.Env, "env", nil, "KEY=VALUE for the function's environment (repeatable)")
	fs.BoolVar(&o.PassEnv, "pass-env", false, "pass this shell's whole environment to the function, AWS credentials included")
	durationFlag(fs, &o.IdleTimeout, "idle-timeout", 0, "reclaim an environment idle this long (0 = keep for the whole run)")
	fs.StringVar(&o.LogFormat, "log-format", runner.LogText, "Lambda log format: text|json")
	fs.StringVar(&o.HandlerName, "handler-name", "", "the function's handler setting, given to the runtime as _HANDLER (e.g. function.handler; default: the handler's file name)")
	fs.StringVar(&o.ClientContext, "client-context", "", "JSON FILE sent with every event as the client context (Lambda-Runtime-Client-Context)")
	fs.StringVar(&o.Identity, "identity", "", "JSON FILE sent with every event as the Cognito identity (Lambda-Runtime-Cognito-Identity)")
	fs.StringVar(&o.Logs, "logs", "", "where Lambda log lines go: - (stdout), stderr, a FILE, or none (default: stdout for table and markdown, none for json and csv)")
	fs.StringVar(&o.Isolation, "isolation", string(runner.IsolationAuto), "auto|namespaces|cgroup|none: auto sandboxes each environment (cgroup limits, its own unprivileged user, its own mount, network and IPC namespaces, a private /tmp) where allowed, else uses cgroups only, else none; the others require their level")
	fs.IntVar(&o.Ephemeral, "ephemeral-storage", pricing.MinEphemeralMB, "ephemeral storage (/tmp) in MB (512–10240): enforced per environment when sandboxed, and priced")
}

// config builds the runner configuration (the memory size is set by the
// caller): the flags' (runner.Spec.Config), the price table and, for a
// built-in, this executable.
func (o *FunctionFlags) config(f *Factory, memory int) (runner.Config, []error) {
	prices, perr := f.Prices()
	cfg, errs := o.Spec.Config(memory, f.Region, prices)
	if perr != nil {
		errs = append([]error{perr}, errs...)
	}
	if o.Builtin != "" && f.IO.Executable != nil {
		if exe, err := f.IO.Executable(); err == nil {
			cfg.Executable = exe
		}
	}
	return cfg, errs
}

// logWriter opens where Lambda log lines go. close must be called.
func (o *FunctionFlags) logWriter(f *Factory, format reports.Format) (io.Writer, func() error, error) {
	nop := func() error { return nil }
	switch o.Logs {
	case "":
		if format == reports.JSON || format == reports.CSV {
			return nil, nop, nil // machine-readable stdout: no log lines in it
		}
		return f.IO.Out, nop, nil
	case "none":
		return nil, nop, nil
	case "-", "stdout":
		return f.IO.Out, nop, nil
	case "stderr":
		return f.IO.ErrOut, nop, nil
	}
	fh, err := os.Create(o.Logs)
	if err != nil {
		return nil, nop, pricing.Inputf("--logs", "%v", err)
	}
	return fh, fh.Close, nil
}

// RunOptions are the parsed flags of `lambdacost run`.
type RunOptions struct {
	F   *Factory
	Ctx context.Context
	FunctionFlags
	MemoryMB int
	Count    int
}

// NewCmdRun builds `run`. runF replaces the run function in tests.
func NewCmdRun(f *Factory, runF func(*RunOptions) error) *cobra.Command {
	o := &RunOptions{F: f}
	cmd := &cobra.Command{
		Use:   "run (--handler PATH | --builtin NAME) [flags] [-- ARGS...]",
		Short: "Run a Lambda function locally over the real Runtime API and measure what it would cost",
		Long: `Runs a function the way Lambda does, without an AWS account: serves the Lambda Runtime API
(2018-06-01) on 127.0.0.1, starts the bootstrap executable (--handler) or a built-in function
(--builtin) as execution environments with Lambda's environment variables, and prints Lambda's
START/END/REPORT lines and a summary with the cost per invocation.

Measured like Lambda bills: INIT (process start to its first request for an event), duration (event
handed out to response), billed duration (rounded up to the ms, INIT included on cold starts), peak
memory and CPU time. Timeouts, crashes, INIT failures, responses over 6 MB and the memory limit
behave as on Lambda. Where this machine allows cgroups (root on Linux), each environment gets
Lambda's CPU share for its memory (1 vCPU at 1,769 MB) and a hard memory limit; otherwise the output
says "cpu_model":"unrestricted" and durations at Lambda's CPU share are modelled in separate fields.

The function gets none of this shell's environment (AWS credentials included) unless --env or
--pass-env asks for it. Arguments after -- are passed to the handler.`,
		Example: `  lambdacost run --builtin image-resize --memory 512 --count 20
  lambdacost run --handler examples/bootstrap --event examples/event.json --count 1000 --concurrency 4 -o json   # make examples builds it
  echo '{"ms":50}' | lambdacost run --builtin cpu --memory 256 --event - --log-format json`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 && cmd.ArgsLenAtDash() != 0 {
				return pricing.Inputf("", "unexpected argument %q (handler arguments go after --)", args[0])
			}
			o.Args, o.Ctx = args, cmd.Context()
			if runF != nil {
				return runF(o)
			}
			return runRun(o)
		},
	}
	fs := cmd.Flags()
	o.FunctionFlags.register(fs)
	memoryFlag(fs, &o.MemoryMB, "memory", 128, "memory in MB (128–10240); sets the CPU share")
	fs.IntVar(&o.Count, "count", 1, "number of invocations")
	_ = cmd.RegisterFlagCompletionFunc("builtin", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return builtin.Names(), cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func runRun(o *RunOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	cfg, errs := o.config(f, o.MemoryMB)
	events, evErrs := o.ReadEvents(f.IO.In)
	errs = append(errs, evErrs...)
	if o.Count < 1 {
		errs = append(errs, pricing.Inputf("--count", "must be at least 1"))
	}
	errs = append(errs, cfg.Validate()...)
	if err := pricing.Errors(errs); err != nil {
		return err
	}
	logs, closeLogs, err := o.logWriter(f, format)
	if err != nil {
		return err
	}
	defer closeLogs()
	cfg.Logs = logs
	cfg.Progress = progress(f, "invocations")
	res, err := runner.Run(o.Ctx, cfg, events, o.Count)
	clearProgress(f)
	if err != nil && res == nil {
		return err
	}
	if res.Partial {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: stopped after %d of %d invocations: the result is marked partial\n", len(res.Invocations), res.Requested)
	}
	if werr := writeRunResult(f, format, res); werr != nil {
		return werr
	}
	return err
}

func writeRunResult(f *Factory, format reports.Format, res *runner.Result) error {
	if format == reports.JSON {
		return reports.WriteJSON(f.IO.Out, res)
	}
	if format == reports.Table && f.IO.Out != nil {
		fmt.Fprintln(f.IO.Out)
	}
	return reports.WriteGrids(f.IO.Out, format, f.Style(), reports.RunGrids(res)...)
}

// progress returns a callback that shows a counter on a terminal's stderr.
func progress(f *Factory, what string) func(done, total int) {
	if !f.IO.ErrTTY {
		return nil
	}
	var mu sync.Mutex
	var last time.Time
	return func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if done < total && time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(f.IO.ErrOut, "\r%s %d/%d", what, done, total)
	}
}

func clearProgress(f *Factory) {
	if f.IO.ErrTTY {
		fmt.Fprint(f.IO.ErrOut, "\r\033[K")
	}
}
