package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
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

// jsonCapture holds stdout while a command runs with -o json: in memory,
// and in a temporary file once it is larger than spillAt (a dataset's
// 150 MB of JSON is then not held a second time beside the dataset).
type jsonCapture struct {
	out    io.Writer // the real stdout
	active bool
	buf    bytes.Buffer
	spill  *os.File // the held output beyond spillAt, nil until then
}

// spillAt is the most stdout held in memory with -o json.
const spillAt = 4 << 20

func (c *jsonCapture) Write(p []byte) (int, error) {
	if !c.active {
		return c.out.Write(p)
	}
	if c.spill == nil && c.buf.Len()+len(p) > spillAt {
		// Where no temporary file can be made, the output stays in memory.
		if fh, err := os.CreateTemp("", "lambdacost-result-*.json"); err == nil {
			// Removed at once where the system allows it (the open file
			// stays readable), so that nothing is left behind after a
			// crash; else when closed.
			_ = os.Remove(fh.Name())
			c.spill = fh
			if _, err := c.spill.Write(c.buf.Bytes()); err != nil {
				return 0, err
			}
			c.buf = bytes.Buffer{}
		}
	}
	if c.spill != nil {
		return c.spill.Write(p)
	}
	return c.buf.Write(p)
}

// closeSpill closes and removes the temporary file, if any.
func (c *jsonCapture) closeSpill() {
	if c.spill != nil {
		name := c.spill.Name()
		c.spill.Close()
		_ = os.Remove(name)
		c.spill = nil
	}
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
	defer st.stdout.closeSpill()
	held := st.stdout.buf.Bytes()
	if st.stdout.spill == nil && len(bytes.TrimSpace(held)) == 0 {
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
	if fh := st.stdout.spill; fh != nil {
		return st.finishSpilled(fh, warnings)
	}
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

// finishSpilled wraps a result held in a temporary file, read from there
// twice (to gather its assumptions, then to write it); output that is not
// one JSON value is written as it is.
func (st *envelopeState) finishSpilled(fh *os.File, warnings []string) error {
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return err
	}
	// The kind is told from the command, or from the result's keys (read
	// whole only for the commands whose kind depends on them).
	kind := resultKindOf(st.command, func() []byte {
		b, _ := io.ReadAll(fh)
		return b
	})
	if _, err := fh.Seek(0, io.SeekStart); err != nil {
		return err
	}
	env, err := pricing.NewEnvelopeFrom(st.command, kind, version(), fh, warnings)
	if err != nil {
		if _, err := fh.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err = io.Copy(st.stdout.out, fh)
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
	return resultKindOf(command, func() []byte { return result })
}

// resultKindOf is resultKind with the result read only when the command's
// kind depends on its keys.
func resultKindOf(command string, read func() []byte) string {
	var result []byte
	var keys map[string]json.RawMessage // read only for the commands that need it
	has := func(k string) bool {
		if keys == nil {
			keys = map[string]json.RawMessage{}
			if result == nil {
				result = read()
			}
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
		if result == nil {
			result = read()
		}
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
