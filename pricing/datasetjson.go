package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
)

// JSON encoding of a dataset function's missing values.
//
// A value that was not collected (a metric whose GetMetricData calls kept
// failing, a result CloudWatch marked PartialData) is listed in
// DatasetFunction.Missing by its JSON path ("summary.invocations",
// "series.duration_avg_ms") and written as JSON null, never as 0, so that
// no reader can take it for a measured zero. Reading, a null summary or
// series value is added to Missing (its Go value stays 0), so a file
// edited by hand or written by another tool says the same. A path listed
// in Missing that holds a value is a contradiction and refused.

var jsonNull = []byte("null")

// MarshalJSON writes f with every value listed in f.Missing or
// f.NotMeasured as null.
func (f DatasetFunction) MarshalJSON() ([]byte, error) {
	type plain DatasetFunction
	b, err := json.Marshal(plain(f))
	if err != nil || len(f.Missing)+len(f.NotMeasured) == 0 {
		return b, err
	}
	var paths [][]string
	for _, p := range slices.Concat(f.Missing, f.NotMeasured) {
		paths = append(paths, strings.Split(p, "."))
	}
	if b, err = setNulls(b, paths); err != nil {
		return nil, fmt.Errorf("function %s: missing %q, not measured %q: %w", f.Name, f.Missing, f.NotMeasured, err)
	}
	return b, nil
}

// UnmarshalJSON reads a function (unknown fields are errors) and adds the
// path of every null summary or series value to Missing (decodeFunction).
func (f *DatasetFunction) UnmarshalJSON(b []byte) error {
	g, err := decodeFunction(json.NewDecoder(bytes.NewReader(b)))
	if err != nil {
		return err
	}
	*f = g
	return nil
}

// member is one member of a JSON object, in the order written.
type member struct {
	key string
	raw json.RawMessage
}

// members splits a JSON object; ok is false for any other value.
func members(b []byte) ([]member, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	var ms []member
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		k, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, false
		}
		ms = append(ms, member{k, raw})
	}
	return ms, true
}

func join(ms []member) []byte {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, m := range ms {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		buf.Write(k)
		buf.WriteByte(':')
		buf.Write(m.raw)
	}
	buf.WriteByte('}')
	return buf.Bytes()
}

// setNulls replaces the values at paths in the object b by null, adding a
// member that was left out (omitempty); a path through an absent or null
// parent is left alone (the parent already says "not there"). Each object
// on the way is parsed once.
func setNulls(b []byte, paths [][]string) ([]byte, error) {
	ms, ok := members(b)
	if !ok {
		return nil, fmt.Errorf("not a JSON object")
	}
	var keys []string
	sub := map[string][][]string{}
	leaf := map[string]bool{}
	for _, p := range paths {
		if _, seen := sub[p[0]]; !seen && !leaf[p[0]] {
			keys = append(keys, p[0])
		}
		if len(p) == 1 {
			leaf[p[0]] = true
		} else {
			sub[p[0]] = append(sub[p[0]], p[1:])
		}
	}
	for _, k := range keys {
		i := slices.IndexFunc(ms, func(m member) bool { return m.key == k })
		switch {
		case leaf[k] && i < 0:
			ms = append(ms, member{k, jsonNull})
		case leaf[k]:
			ms[i].raw = jsonNull
		case i < 0 || bytes.Equal(ms[i].raw, jsonNull):
		default:
			v, err := setNulls(ms[i].raw, sub[k])
			if err != nil {
				return nil, err
			}
			ms[i].raw = v
		}
	}
	return join(ms), nil
}

// lookup returns the value at path below the object members ms.
func lookup(ms []member, path []string) (json.RawMessage, bool) {
	for d, k := range path {
		i := slices.IndexFunc(ms, func(m member) bool { return m.key == k })
		if i < 0 {
			return nil, false
		}
		if d == len(path)-1 {
			return ms[i].raw, true
		}
		var ok bool
		if ms, ok = members(ms[i].raw); !ok {
			return nil, false
		}
	}
	return nil, false
}

// nullLeaves appends the path of every null member below the value b
// (at path); an array holding a null anywhere counts as one null value.
func nullLeaves(b []byte, path string, out *[]string) {
	b = bytes.TrimSpace(b)
	if !bytes.Contains(b, jsonNull) {
		return
	}
	switch {
	case bytes.Equal(b, jsonNull):
		*out = append(*out, path)
	case len(b) > 0 && b[0] == '{':
		ms, _ := members(b)
		for _, m := range ms {
			nullLeaves(m.raw, path+"."+m.key, out)
		}
	case len(b) > 0 && b[0] == '[':
		*out = append(*out, path)
	}
}
