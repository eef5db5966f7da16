package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
)

// decodeDatasetStream decodes a dataset one function at a time, so that
// reading a 100 MB dataset never holds its whole text in memory (a
// json.Decoder buffers a whole top-level value): memory is the decoded
// dataset plus one function's text. Unknown fields are errors at every
// level, and data after the dataset's JSON object is refused.
// The decoder is returned positioned just after the dataset's object.
// A dataset inside the envelope of `import -o json` (see Envelope, kind
// "dataset") is read the same way, as the envelope's result.
func decodeDatasetStream(path string, r io.Reader) (*Dataset, *json.Decoder, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	fail := func(err error) (*Dataset, *json.Decoder, error) {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, nil, jsonError(path, r, err)
	}
	t, err := dec.Token()
	if err != nil {
		return fail(err)
	}
	if t != json.Delim('{') {
		return nil, nil, Inputf(path, "invalid dataset: expected a JSON object, found %v", t)
	}
	if !dec.More() {
		return decodeDatasetMembers(path, r, dec, nil)
	}
	t, err = dec.Token()
	if err != nil {
		return fail(err)
	}
	key, _ := t.(string)
	if key != "schema_version" {
		return decodeDatasetMembers(path, r, dec, &key)
	}
	// The envelope of `-o json` (see Envelope): the dataset is its result.
	var d *Dataset
	seen := map[string]bool{}
	for {
		if seen[key] {
			return nil, nil, Inputf(path, "invalid dataset: the envelope's key %q appears twice", key)
		}
		seen[key] = true
		switch key {
		case "result":
			t, err := dec.Token()
			if err != nil {
				return fail(err)
			}
			if t != json.Delim('{') {
				return nil, nil, Inputf(path, "invalid dataset: the envelope's result is not a JSON object")
			}
			if d, _, err = decodeDatasetMembers(path, r, dec, nil); err != nil {
				return nil, nil, err
			}
		case "schema_version", "kind":
			var v any
			if err := dec.Decode(&v); err != nil {
				return fail(err)
			}
			if n, ok := v.(float64); key == "schema_version" && (!ok || n < 1 || n > EnvelopeVersion) {
				return nil, nil, Inputf(path, "JSON envelope schema_version %v is not one this lambdacost reads (1 to %d): upgrade lambdacost", v, EnvelopeVersion)
			}
			if key == "kind" && v != "dataset" {
				return nil, nil, Inputf(path, "not a dataset: the file holds a lambdacost %v result", v)
			}
		case "command", "lambdacost_version", "assumptions", "warnings":
			// The envelope's assumptions repeat the dataset's own.
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
		default:
			return nil, nil, Inputf(path, "invalid dataset: unknown envelope key %q", key)
		}
		if !dec.More() {
			break
		}
		t, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ = t.(string)
	}
	if _, err := dec.Token(); err != nil { // '}'
		return fail(err)
	}
	if d == nil {
		return nil, nil, Inputf(path, "invalid dataset: the envelope has no result")
	}
	return d, dec, nil
}

// decodeDatasetMembers decodes a dataset object's members, the opening
// brace already read; first is its first key when already read, else nil.
// It reads the closing brace.
func decodeDatasetMembers(path string, r io.Reader, dec *json.Decoder, first *string) (*Dataset, *json.Decoder, error) {
	fail := func(err error) (*Dataset, *json.Decoder, error) {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, nil, jsonError(path, r, err)
	}
	var fns []DatasetFunction
	rest := map[string]json.RawMessage{}
	seen := map[string]bool{}
	for first != nil || dec.More() {
		var key string
		if first != nil {
			key, first = *first, nil
		} else {
			t, err := dec.Token()
			if err != nil {
				return fail(err)
			}
			key, _ = t.(string)
		}
		if seen[key] {
			return nil, nil, Inputf(path, "invalid dataset: the key %q appears twice (one of its values would be ignored)", key)
		}
		seen[key] = true
		if key != "functions" {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return fail(err)
			}
			rest[key] = raw
			if key == "version" {
				// Checked at once: a newer format's functions may hold
				// keys this build does not know, and the version is the
				// clearer error (WriteDataset writes it first).
				var v any
				if json.Unmarshal(raw, &v) == nil {
					if n, ok := v.(float64); !ok || n < 1 || n > DatasetVersion || n != math.Trunc(n) {
						return nil, nil, unsupportedVersion(path, v)
					}
				}
			}
			continue
		}
		t, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		if t == nil { // "functions": null
			continue
		}
		if t != json.Delim('[') {
			return nil, nil, Inputf(path, "invalid dataset: functions must be an array")
		}
		fns = []DatasetFunction{}
		for dec.More() {
			f, err := decodeFunction(dec)
			if err != nil {
				return fail(err)
			}
			fns = append(fns, f)
		}
		if _, err := dec.Token(); err != nil { // ']'
			return fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return fail(err)
	}
	// The other members are small: decode them as one object, strictly.
	var d Dataset
	head, err := json.Marshal(rest)
	if err != nil {
		return nil, nil, Inputf(path, "invalid dataset: %v", err)
	}
	hd := json.NewDecoder(bytes.NewReader(head))
	hd.DisallowUnknownFields()
	if err := hd.Decode(&d); err != nil {
		return nil, nil, Inputf(path, "invalid dataset: %v", err)
	}
	d.Functions = fns
	return &d, dec, nil
}
