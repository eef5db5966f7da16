package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
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
	e := &Envelope{SchemaVersion: EnvelopeVersion, Command: command, Kind: kind, LambdacostVersion: version,
		Assumptions: Assumptions{}, Warnings: []string{}, Result: json.RawMessage(result)}
	seen := map[string]bool{}
	warn := func(w string) {
		// "WARNING: x" in a result and "warning: x" on stderr are one warning.
		if len(w) > len("warning: ") && strings.EqualFold(w[:len("warning: ")], "warning: ") {
			w = w[len("warning: "):]
		}
		if !seen[w] {
			seen[w] = true
			e.Warnings = append(e.Warnings, w)
		}
	}
	for _, w := range warnings {
		warn(w)
	}
	ms, ok := members(result)
	if !ok {
		return e, nil
	}
	addFrom := func(raw json.RawMessage) {
		var as Assumptions
		if json.Unmarshal(raw, &as) == nil {
			for _, a := range as {
				e.Assumptions.Add(a)
			}
		}
	}
	for _, m := range ms {
		switch m.key {
		case "assumptions":
			addFrom(m.raw)
		case "warnings":
			var ws []string
			if json.Unmarshal(m.raw, &ws) == nil {
				for _, w := range ws {
					warn(w)
				}
			}
		}
	}
	// One level down: a member object's list, or each item's of a member array.
	for _, m := range ms {
		if m.key == "assumptions" || m.key == "warnings" {
			continue
		}
		var items []json.RawMessage
		switch firstByte(m.raw) {
		case '{':
			items = []json.RawMessage{m.raw}
		case '[':
			_ = json.Unmarshal(m.raw, &items)
		}
		for _, it := range items {
			if firstByte(it) != '{' {
				continue
			}
			var sub struct {
				Assumptions json.RawMessage `json:"assumptions"`
			}
			if json.Unmarshal(it, &sub) == nil && sub.Assumptions != nil {
				addFrom(sub.Assumptions)
			}
		}
	}
	return e, nil
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
