package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

// The envelope of -o json (pricing.Envelope) is put around every command's
// result at one point: with -o json, what a command writes to stdout (its
// one JSON result) is held, and written wrapped when the command returns,
// with the warnings it printed on stderr. Commands write their result as
// they always did; none builds the envelope itself.

// jsonCapture holds stdout while a command runs with -o json.
type jsonCapture struct {
	out    io.Writer // the real stdout
	active bool
	buf    bytes.Buffer
}

func (c *jsonCapture) Write(p []byte) (int, error) {
	if !c.active {
		return c.out.Write(p)
	}
	return c.buf.Write(p)
}

// warnTee passes stderr through and keeps the warning lines printed while
// a -o json command runs ("lambdacost: warning: …").
type warnTee struct {
	out      io.Writer
	mu       sync.Mutex
	active   bool
	line     []byte
	warnings []string
}

func (t *warnTee) Write(p []byte) (int, error) {
	t.mu.Lock()
	if t.active {
		t.line = append(t.line, p...)
		for {
			i := bytes.IndexByte(t.line, '\n')
			if i < 0 {
				break
			}
			t.keep(string(t.line[:i]))
			t.line = t.line[i+1:]
		}
	}
	t.mu.Unlock()
	return t.out.Write(p)
}

func (t *warnTee) keep(line string) {
	line = strings.TrimSpace(line[strings.LastIndexByte(line, '\r')+1:])
	line = strings.TrimPrefix(line, "lambdacost: ")
	if len(line) > len("warning: ") && strings.EqualFold(line[:len("warning: ")], "warning: ") {
		t.warnings = append(t.warnings, strings.TrimSpace(line[len("warning: "):]))
	}
}

// envelopeState is what the root command needs to wrap a result.
type envelopeState struct {
	stdout  *jsonCapture
	stderr  *warnTee
	command string
}

// startEnvelope starts holding stdout when the command's format is JSON
// (called after flags are parsed, before the command runs).
func (f *Factory) startEnvelope(cmd *cobra.Command) {
	if f.envelope == nil || f.Output != string(reports.JSON) {
		return
	}
	f.envelope.command = strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
	f.envelope.stdout.active = true
	f.envelope.stderr.mu.Lock()
	f.envelope.stderr.active = true
	f.envelope.stderr.mu.Unlock()
}

// withEnvelope returns streams whose stdout and stderr the envelope reads.
func withEnvelope(streams *IO) (*IO, *envelopeState) {
	s := *streams
	st := &envelopeState{stdout: &jsonCapture{out: streams.Out}, stderr: &warnTee{out: streams.ErrOut}}
	s.Out, s.ErrOut = st.stdout, st.stderr
	return &s, st
}

// finish writes the held result in its envelope. Output that is not one
// JSON value (a command whose -o json writes a YAML file's text, or a
// result cut short) is written as it is.
func (st *envelopeState) finish() error {
	if st == nil || !st.stdout.active {
		return nil
	}
	st.stdout.active = false
	held := st.stdout.buf.Bytes()
	if len(bytes.TrimSpace(held)) == 0 {
		return nil
	}
	st.stderr.mu.Lock()
	if len(st.stderr.line) > 0 {
		st.stderr.keep(string(st.stderr.line))
		st.stderr.line = nil
	}
	st.stderr.active = false
	warnings := st.stderr.warnings
	st.stderr.mu.Unlock()
	if !json.Valid(held) {
		_, err := st.stdout.out.Write(held)
		return err
	}
	env, err := pricing.NewEnvelope(st.command, resultKind(st.command, held), version(), held, warnings)
	if err != nil {
		return err
	}
	_, err = env.WriteTo(st.stdout.out)
	return err
}

// resultKind names what a command's result holds (the envelope's "kind"),
// from the command and the result's own keys: one name per shape, so that
// a script can dispatch on it. docs/schema/ has a schema per command whose
// result is one of its kinds.
func resultKind(command string, result []byte) string {
	var keys map[string]json.RawMessage // read only for the commands that need it
	has := func(k string) bool {
		if keys == nil {
			keys = map[string]json.RawMessage{}
			_ = json.Unmarshal(result, &keys)
		}
		_, ok := keys[k]
		return ok
	}
	switch command {
	case "estimate":
		switch {
		case has("instance_type"):
			return "lmi_estimate"
		case has("totals") && has("has_base"):
			return "infra_estimate" // --terraform / --template
		case has("functions"):
			return "bill"
		}
		return "estimates"
	case "simulate":
		return "simulation" // with an "lmi" member when the scenario has one
	case "compare":
		return "comparisons"
	case "plan":
		if has("recommendations") {
			return "recommendations"
		}
		return "plan"
	case "collect", "import", "dataset merge":
		return "dataset"
	case "pricing":
		return "prices"
	case "report":
		switch k, err := reports.DetectKind(result); {
		case err != nil:
		case k == reports.KindEstimate:
			return "estimates"
		default:
			return string(k)
		}
		if has("window_cost_usd") {
			return "dataset_report"
		}
	}
	return command
}

// warningLine is w as a stderr warning: "warning: w", unless w already
// starts with "warning:" in any case (a loud "WARNING: …" stays loud).
func warningLine(w string) string {
	if len(w) >= len("warning:") && strings.EqualFold(w[:len("warning:")], "warning:") {
		return w
	}
	return "warning: " + w
}
