package pricing

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// decodeDatasetStream decodes a dataset one function at a time, so that
// reading a 100 MB dataset never holds its whole text in memory (a
// json.Decoder buffers a whole top-level value): memory is the decoded
// dataset plus one function's text. Unknown fields are errors at every
// level, and data after the dataset's JSON object is refused.
// The decoder is returned positioned just after the dataset's object.
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
	var fns []DatasetFunction
	rest := map[string]json.RawMessage{}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return fail(err)
		}
		key, _ := t.(string)
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
			continue
		}
		t, err = dec.Token()
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
			var f DatasetFunction
			if err := dec.Decode(&f); err != nil {
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
