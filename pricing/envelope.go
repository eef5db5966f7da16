package pricing

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// EnvelopeVersion is the version of the JSON envelope around every
// command's `-o json` output (docs/schema/envelope.schema.json). It changes
// only when the envelope's own keys change meaning; the results inside keep
// their own versions (a dataset's "version", a check report's "version").
const EnvelopeVersion = 1

// Envelope is the one shape of every command's `-o json` output:
//
//	{"schema_version": 1, "command": "estimate", "kind": "estimates",
//	 "lambdacost_version": "v1.2.3", "assumptions": [...], "warnings": [...],
//	 "result": {...}}
//
// Its keys are the same for every command and every flag: a script reads
// "result" and dispatches on "kind" (what the result holds; a command may
// give several kinds, e.g. estimate's "estimates", "bill" and
// "lmi_estimate"). Assumptions lists everything the result assumed (the
// result's own list and its items' lists, which stay in the result too);
// warnings lists what was printed on stderr as a warning. There is no
// timestamp, so the same input gives the same bytes.
type Envelope struct {
	SchemaVersion     int             `json:"schema_version"`
	Command           string          `json:"command"`
	Kind              string          `json:"kind"`
	LambdacostVersion string          `json:"lambdacost_version"`
	Assumptions       Assumptions     `json:"assumptions"`
	Warnings          []string        `json:"warnings"`
	Result            json.RawMessage `json:"result"`

	// src holds the result instead of Result when it was too large to
	// keep in memory (NewEnvelopeFrom); WriteTo copies it from there.
	src io.ReadSeeker
}

// NewEnvelope wraps result, one JSON value, for command. Its assumptions
// are gathered from result: the top-level "assumptions" list, then the
// lists of the result's members (objects, or arrays of objects, such as
// {"estimates": [{..., "assumptions": [...]}]}), without duplicates.
// Warnings are the given ones (printed on stderr) and the result's
// top-level "warnings" strings, without duplicates nor a leading
// "warning: ". Both lists are never null.
func NewEnvelope(command, kind, version string, result []byte, warnings []string) (*Envelope, error) {
	result = bytes.TrimSpace(result)
	if !json.Valid(result) {
		return nil, fmt.Errorf("the result of %s is not one JSON value", command)
	}
	e := newEnvelope(command, kind, version, warnings)
	e.Result = json.RawMessage(result)
	own, items, _ := gatherAssumptions(bytes.NewReader(result), e.warn())
	e.addAssumptions(own, items)
	return e, nil
}

// NewEnvelopeFrom is NewEnvelope for a result read from src, a result too
// large to hold in memory (a file): src is read twice, once here (one
// item of the result at a time) and again by WriteTo, so it must seek.
func NewEnvelopeFrom(command, kind, version string, src io.ReadSeeker, warnings []string) (*Envelope, error) {
	e := newEnvelope(command, kind, version, warnings)
	own, items, err := gatherAssumptions(src, e.warn())
	if err != nil {
		return nil, fmt.Errorf("the result of %s is not one JSON value: %w", command, err)
	}
	if _, err := src.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	e.addAssumptions(own, items)
	e.src = src
	return e, nil
}

func newEnvelope(command, kind, version string, warnings []string) *Envelope {
	e := &Envelope{SchemaVersion: EnvelopeVersion, Command: command, Kind: kind, LambdacostVersion: version,
		Assumptions: Assumptions{}, Warnings: []string{}}
	warn := e.warn()
	for _, w := range warnings {
		warn(w)
	}
	return e
}

// warn returns the function that adds a warning to e once: "WARNING: x"
// in a result and "warning: x" on stderr are one warning.
func (e *Envelope) warn() func(string) {
	seen := map[string]bool{}
	for _, w := range e.Warnings {
		seen[w] = true
	}
	return func(w string) {
		if len(w) > len("warning: ") && strings.EqualFold(w[:len("warning: ")], "warning: ") {
			w = w[len("warning: "):]
		}
		if !seen[w] {
			seen[w] = true
			e.Warnings = append(e.Warnings, w)
		}
	}
}

func (e *Envelope) addAssumptions(lists ...Assumptions) {
	for _, as := range lists {
		for _, a := range as {
			e.Assumptions.Add(a)
		}
	}
}

// gatherAssumptions streams through result (never holding more than one
// item of it at a time: a 100 MB dataset is not held twice) and returns
// its top-level "assumptions" (own) and those of its member objects and
// of the objects in its member arrays (items), in order; it hands the
// top-level "warnings" strings to warn. The error says where result is
// not one JSON value (every byte is read and checked).
func gatherAssumptions(result io.Reader, warn func(string)) (own, items Assumptions, err error) {
	dec := json.NewDecoder(result)
	// inArray reads an array's items (its '[' read), keeping the
	// "assumptions" of the objects among them.
	inArray := func() error {
		for dec.More() {
			var item json.RawMessage
			if err := dec.Decode(&item); err != nil {
				return err
			}
			if firstByte(item) == '{' && bytes.Contains(item, []byte(`"assumptions"`)) {
				var sub struct {
					Assumptions Assumptions `json:"assumptions"`
				}
				if json.Unmarshal(item, &sub) == nil {
					items = append(items, sub.Assumptions...)
				}
			}
		}
		_, err := dec.Token() // ']'
		return err
	}
	// inObject reads an object's members (its '{' read), keeping its
	// "assumptions" and skipping the rest.
	inObject := func() error {
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			if kt == "assumptions" {
				var as Assumptions
				if err := dec.Decode(&as); err != nil {
					return err
				}
				items = append(items, as...)
				continue
			}
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
		}
		_, err := dec.Token() // '}'
		return err
	}
	top := func() error {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('['):
			err := inArray()
			items = nil // a list's items are the result's, not its members'
			return err
		case json.Delim('{'):
		default:
			return nil // a scalar
		}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			switch kt {
			case "assumptions":
				var as Assumptions
				if err := dec.Decode(&as); err != nil {
					return err
				}
				own = append(own, as...)
				continue
			case "warnings":
				var ws []string
				if err := dec.Decode(&ws); err != nil {
					return err
				}
				for _, w := range ws {
					warn(w)
				}
				continue
			}
			t, err := dec.Token()
			if err != nil {
				return err
			}
			switch t {
			case json.Delim('{'):
				err = inObject()
			case json.Delim('['):
				err = inArray()
			}
			if err != nil {
				return err
			}
		}
		_, err = dec.Token() // '}'
		return err
	}
	if err := top(); err != nil {
		return own, items, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return own, items, fmt.Errorf("data after the JSON value")
	}
	return own, items, nil
}

// WriteTo writes the envelope as indented JSON: its own keys, then the
// result as it is, its lines indented under "result" (the result is
// neither parsed nor copied again, whatever its size).
func (e *Envelope) WriteTo(w io.Writer) (int64, error) {
	head := *e
	head.Result = json.RawMessage("null")
	b, err := json.MarshalIndent(head, "", "  ")
	if err != nil {
		return 0, err
	}
	// b ends with `"result": null` and "\n}": the result goes in place of null.
	cut := bytes.LastIndex(b, []byte("null"))
	cw := &countWriter{w: w}
	bw := bufio.NewWriterSize(cw, 64<<10)
	bw.Write(b[:cut])
	if e.src != nil {
		if err := writeIndented(bw, e.src); err != nil {
			return cw.n, err
		}
	} else {
		res := bytes.TrimSpace(e.Result)
		for len(res) > 0 {
			i := bytes.IndexByte(res, '\n')
			if i < 0 {
				bw.Write(res)
				break
			}
			bw.Write(res[:i+1])
			bw.WriteString("  ")
			res = res[i+1:]
		}
	}
	bw.WriteString("\n}\n")
	err = bw.Flush()
	return cw.n, err
}

// writeIndented copies src's JSON value without its surrounding white
// space, each line after the first indented by two spaces, as WriteTo
// writes a result held in memory.
func writeIndented(bw *bufio.Writer, src io.Reader) error {
	const space = " \t\r\n"
	r := bufio.NewReaderSize(src, 64<<10)
	var pending []byte // white space not written yet: none at the start or the end
	started := false
	for {
		chunk, err := r.ReadSlice('\n')
		if err != nil && err != bufio.ErrBufferFull && err != io.EOF {
			return err
		}
		body := bytes.TrimRight(chunk, space)
		tail := chunk[len(body):]
		if !started {
			body = bytes.TrimLeft(body, space)
		}
		if len(body) > 0 {
			for _, c := range pending {
				bw.WriteByte(c)
				if c == '\n' {
					bw.WriteString("  ")
				}
			}
			started = true
			bw.Write(body)
			pending = pending[:0]
		}
		if started {
			pending = append(pending, tail...)
		}
		if err == io.EOF {
			return nil
		}
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

func firstByte(b []byte) byte {
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 {
		return 0
	}
	return b[0]
}

// IsEnvelope reports whether data is a JSON object with the envelope's
// "schema_version" and "result" keys.
func IsEnvelope(data []byte) bool {
	if firstByte(data) != '{' {
		return false
	}
	var probe struct {
		SchemaVersion *json.RawMessage `json:"schema_version"`
		Result        *json.RawMessage `json:"result"`
	}
	return json.Unmarshal(data, &probe) == nil && probe.SchemaVersion != nil && probe.Result != nil
}

// UnwrapEnvelope returns the result inside an envelope, and the envelope
// (whose Result is that same result). data that is not an envelope (a file
// written before the envelope existed, or a dataset written by --out-file)
// is returned as it is, with a nil envelope, so that every reader takes
// both. path names the file in errors.
func UnwrapEnvelope(path string, data []byte) ([]byte, *Envelope, error) {
	if !IsEnvelope(data) {
		return data, nil, nil
	}
	var e Envelope
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, nil, Inputf(path, "invalid lambdacost JSON envelope: %v", err)
	}
	if e.SchemaVersion < 1 || e.SchemaVersion > EnvelopeVersion {
		return nil, nil, Inputf(path, "JSON envelope schema_version %d is not one this lambdacost reads (1 to %d): upgrade lambdacost", e.SchemaVersion, EnvelopeVersion)
	}
	return e.Result, &e, nil
}
