package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/lambdacost/lambdacost/internal/termsafe"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

// Exit codes of the CLI contract.
const (
	ExitOK       = 0
	ExitFailed   = 1 // a `check` threshold failed
	ExitBadInput = 2 // bad input or usage
	ExitExternal = 3 // AWS API or runner infrastructure failure
)

// IO holds the streams a command reads and writes, and whether they are
// terminals. Tests replace them with buffers.
type IO struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer
	OutTTY bool // stdout is a terminal: colours and box drawing
	ErrTTY bool // stderr is a terminal: progress bars
	// Width is the terminal's width in columns when stdout is one (tables
	// are fitted to it), else 0.
	Width      int
	Getenv     func(string) string
	Environ    func() []string
	Executable func() (string, error)
}

// SystemIO returns the process's own streams.
func SystemIO() *IO {
	return &IO{
		In:         os.Stdin,
		Out:        os.Stdout,
		ErrOut:     os.Stderr,
		OutTTY:     term.IsTerminal(int(os.Stdout.Fd())),
		Width:      terminalWidth(),
		ErrTTY:     term.IsTerminal(int(os.Stderr.Fd())),
		Getenv:     os.Getenv,
		Environ:    os.Environ,
		Executable: os.Executable,
	}
}

// Factory carries what every command needs: the streams and the global
// flags. Commands read the global flags through it after parsing.
type Factory struct {
	IO     *IO
	Output string // -o/--output
	// CSVTable and CSVDir are --table and --out-dir (csvflags.go).
	CSVTable, CSVDir string
	Region           string // --region, else resolved like the AWS SDK (see resolveRegion)
	// RegionSource says where Region came from: "--region", "AWS_REGION",
	// "AWS_DEFAULT_REGION", "profile NAME (FILE)" or "default".
	RegionSource string

	prices   *pricing.PriceTable
	envelope *envelopeState // -o json: the result is written in its envelope (envelope.go)
}

// Format returns the validated output format.
func (f *Factory) Format() (reports.Format, error) {
	fm, err := reports.ParseFormat(f.Output)
	if err != nil {
		return "", pricing.Inputf("--output", "%v", err)
	}
	return fm, nil
}

// Prices returns the price table in use (embedded, or the override file).
func (f *Factory) Prices() (*pricing.PriceTable, error) {
	if f.prices == nil {
		t, err := pricing.LoadEnv(f.IO.Getenv)
		if err != nil {
			return nil, err
		}
		f.prices = t
	}
	return f.prices, nil
}

// Style returns the terminal style for tables.
func (f *Factory) Style() reports.Style {
	st := reports.Style{Color: f.IO.OutTTY, CSV: f.csvOptions()}
	if f.IO.OutTTY {
		st.Width = f.IO.Width
	}
	return st
}

// terminalWidth is stdout's width in columns: $COLUMNS when set (as shells
// export it), else what the terminal says, else 0 (not a terminal).
func terminalWidth() int {
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 0 {
		return c
	}
	if w, _, err := term.GetSize(int(os.Stdout.Fd())); err == nil && w > 0 {
		return w
	}
	return 0
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "lambdacost",
		Short: "What your AWS Lambda workloads cost, how they behave under traffic, and when a server is cheaper",
		Long: `lambdacost prices AWS Lambda workloads exactly (requests, x86/arm64 tiers, free tier,
ephemeral storage, provisioned concurrency, INIT billing), and compares them with always-on
servers.

Flags may also be set from the environment as LAMBDACOST_<FLAG_NAME>, e.g. LAMBDACOST_REGION.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version(),
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := applyEnv(cmd, f.IO.Getenv); err != nil {
				return err
			}
			f.Region, f.RegionSource = resolveRegion(f.Region, f.IO.Getenv)
			fm, err := f.Format()
			if err == nil {
				err = f.checkCSVFlags(fm)
			}
			f.startEnvelope(cmd)
			return err
		},
	}
	root.SetIn(f.IO.In)
	root.SetOut(f.IO.Out)
	root.SetErr(f.IO.ErrOut)
	root.PersistentFlags().StringVarP(&f.Output, "output", "o", "table", "output format: table|json|csv|markdown")
	csvFlags(root, f)
	root.PersistentFlags().StringVar(&f.Region, "region", "", "AWS region for prices and APIs (default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's region, else us-east-1)")
	_ = root.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"table", "json", "csv", "markdown"}, cobra.ShellCompDirectiveNoFileComp
	})
	_ = root.RegisterFlagCompletionFunc("region", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return pricing.Embedded().Regions(), cobra.ShellCompDirectiveNoFileComp
	})
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &pricing.InputError{Msg: err.Error() + " (see '" + c.CommandPath() + " --help')"}
	})
	for _, add := range commands {
		root.AddCommand(add(f))
	}
	return root
}

// commands lists the constructors of the registered subcommands. Each
// command file appends itself in an init function, so that only commands
// that exist are registered.
var commands []func(*Factory) *cobra.Command

func register(c func(*Factory) *cobra.Command) { commands = append(commands, c) }

// applyEnv sets every flag the user did not give from LAMBDACOST_<NAME>.
func applyEnv(cmd *cobra.Command, getenv func(string) string) error {
	var errs []error
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if fl.Changed || fl.Name == "help" || fl.Name == "version" {
			return
		}
		key := "LAMBDACOST_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		v := getenv(key)
		if v == "" {
			return
		}
		if err := cmd.Flags().Set(fl.Name, v); err != nil {
			errs = append(errs, pricing.Inputf(key, "invalid value %q for --%s: %v", v, fl.Name, err))
		}
	})
	return pricing.Errors(errs)
}

// ExitError carries an exit code without a message of its own (e.g. a
// failed `check`, whose report was already written).
type ExitError struct{ Code int }

func (e *ExitError) Error() string { return fmt.Sprintf("exit status %d", e.Code) }

// Main runs the CLI with args and returns the process exit code. Errors are
// one line on stderr; bad input exits 2, external failures 3; a panic is
// reported as an internal error without a stack trace unless
// LAMBDACOST_DEBUG is set.
func Main(ctx context.Context, args []string, streams *IO) (code int) {
	// Warnings and errors quote data (function names, log lines, file
	// names): nothing in them may drive the terminal.
	safe := *streams
	safe.ErrOut = termsafe.Writer(streams.ErrOut)
	streams = &safe
	wrapped, env := withEnvelope(streams)
	f := &Factory{IO: wrapped, envelope: env}
	defer func() {
		if r := recover(); r != nil {
			if streams.Getenv("LAMBDACOST_DEBUG") != "" {
				panic(r)
			}
			fmt.Fprintf(streams.ErrOut, "lambdacost: internal error: %v (set LAMBDACOST_DEBUG=1 for details)\n", r)
			code = 70
		}
	}()
	root := NewRootCmd(f)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if werr := env.finish(); werr != nil && err == nil {
		err = werr
	}
	if err == nil {
		return ExitOK
	}
	return reportError(streams.ErrOut, err)
}

func reportError(w io.Writer, err error) int {
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var ie *pricing.InputError
	var xe *pricing.ExternalError
	code := ExitBadInput
	switch {
	case errors.As(err, &xe) && !errors.As(err, &ie):
		code = ExitExternal
	case errors.As(err, &ie):
		code = ExitBadInput
	case errors.Is(err, context.Canceled):
		code = 130
	case isCobraUsage(err):
		code = ExitBadInput
	default:
		// Errors that are neither typed input nor external come from the
		// environment we run in (files, processes): treat as external.
		code = ExitExternal
	}
	msg := strings.TrimSpace(err.Error())
	// cobra's "unknown command" carries its suggestions on later lines: one
	// error line, then the suggestions as they are.
	if head, sugg, ok := strings.Cut(msg, "\n\nDid you mean this?\n"); ok {
		fmt.Fprintf(w, "lambdacost: error: %s\n\nDid you mean this?\n%s\n\nRun 'lambdacost --help' for usage.\n", head, strings.TrimRight(sugg, "\n"))
		return code
	}
	for _, line := range strings.Split(msg, "\n") {
		fmt.Fprintf(w, "lambdacost: error: %s\n", line)
	}
	return code
}

func isCobraUsage(err error) bool {
	m := err.Error()
	return strings.HasPrefix(m, "unknown command") || strings.HasPrefix(m, "unknown flag") ||
		strings.Contains(m, "arg(s)") || strings.HasPrefix(m, "required flag") ||
		strings.HasPrefix(m, "invalid argument") || strings.Contains(m, "flag needs an argument")
}
