package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// One decoding of a dataset function. A function's series are most of a
// large dataset's bytes (14 days of 1-minute points is 20,160 numbers an
// array), so they are read once from the stream: each number array is
// read as its text and parsed directly (parseFloatArray); only the small
// members (the configuration, the summary, the series' period and start)
// go through encoding/json's strict decoder, as one object. Nulls and
// repeated keys are found on the way, not by reading the text again.

// decodeFunction reads the next value of dec, a dataset function (null
// gives the zero function).
func decodeFunction(dec *json.Decoder) (DatasetFunction, error) {
	var f DatasetFunction
	t, err := dec.Token()
	if err != nil {
		return f, err
	}
	if t == nil {
		return f, nil
	}
	if t != json.Delim('{') {
		return f, fmt.Errorf("json: cannot unmarshal %s into a dataset function", tokenKind(t))
	}
	var small []member // the members decoded strictly, in order
	var series *Series
	var seriesRaw []member // the series' members, for "missing"
	var nulls []string
	seen := map[string]bool{}
	dupKey := ""
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return f, err
		}
		key, _ := kt.(string)
		if seen[key] && dupKey == "" {
			dupKey = key
		}
		seen[key] = true
		if key == "series" {
			var sdup string
			if series, seriesRaw, sdup, err = decodeSeries(dec); err != nil {
				return f, err
			}
			if sdup != "" && dupKey == "" {
				dupKey = sdup
			}
			for _, m := range seriesRaw {
				nullLeaves(m.raw, "series."+m.key, &nulls)
			}
			continue
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return f, err
		}
		small = append(small, member{key, raw})
		if key == "summary" {
			if bytes.Equal(raw, jsonNull) {
				nulls = append(nulls, key)
			} else {
				nullLeaves(raw, key, &nulls)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return f, err
	}
	type plain DatasetFunction
	var p plain
	obj := join(small)
	sd := json.NewDecoder(bytes.NewReader(obj))
	sd.DisallowUnknownFields()
	if err := sd.Decode(&p); err != nil {
		return f, err
	}
	f = DatasetFunction(p)
	f.Series = series
	if dupKey == "" {
		dupKey, _ = duplicateKey(obj)
	}
	if dupKey != "" {
		return f, fmt.Errorf("function %q: the key %q appears twice in one object (one of its values would be ignored)", f.Name, dupKey)
	}
	// The listed paths must hold null (or be absent).
	for i, path := range slices.Concat(f.Missing, f.NotMeasured) {
		list := "missing"
		if i >= len(f.Missing) {
			list = "not_measured"
		}
		ps := strings.Split(path, ".")
		v, ok := lookup(small, ps)
		switch {
		case ps[0] == "series" && len(ps) > 1:
			v, ok = lookup(seriesRaw, ps[1:])
		case ps[0] == "series" && series != nil:
			v, ok = join(seriesRaw), true
		}
		if ok && !bytes.Equal(v, jsonNull) {
			return f, fmt.Errorf("function %q: %s is listed in %q but holds the value %s", f.Name, path, list, v)
		}
	}
	for _, n := range nulls {
		if !slices.Contains(f.Missing, n) && f.Measured(n) {
			f.Missing = append(f.Missing, n)
		}
	}
	return f, nil
}

// decodeSeries reads the next value of dec, a series (nil for null), and
// returns its members as read (for the paths of nulls and of "missing")
// and the first key it repeats.
func decodeSeries(dec *json.Decoder) (*Series, []member, string, error) {
	t, err := dec.Token()
	if err != nil {
		return nil, nil, "", err
	}
	if t == nil {
		return nil, nil, "", nil
	}
	if t != json.Delim('{') {
		return nil, nil, "", fmt.Errorf("json: cannot unmarshal %s into Go struct field DatasetFunction.series of type pricing.Series", tokenKind(t))
	}
	s := &Series{}
	arrays := map[string]*[]float64{
		"invocations": &s.Invocations, "duration_avg_ms": &s.DurationAvgMs, "concurrency_max": &s.ConcurrencyMax,
		"errors": &s.Errors, "throttles": &s.Throttles, "provisioned_concurrent_executions": &s.ProvisionedConcurrentExecutions,
		"provisioned_concurrency_utilization": &s.ProvisionedConcurrencyUtilization,
	}
	var ms, small []member
	seen := map[string]bool{}
	dupKey := ""
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return nil, nil, "", err
		}
		key, _ := kt.(string)
		if seen[key] && dupKey == "" {
			dupKey = key
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, "", err
		}
		ms = append(ms, member{key, raw})
		dst, isArray := arrays[key]
		if !isArray {
			small = append(small, member{key, raw})
			continue
		}
		if v, ok := parseFloatArray(raw); ok {
			*dst = v
		} else if err := json.Unmarshal(raw, dst); err != nil {
			return nil, nil, "", err
		}
	}
	if _, err := dec.Token(); err != nil { // '}'
		return nil, nil, "", err
	}
	// The period and start (and any unknown member, refused).
	var head struct {
		PeriodS int       `json:"period_s"`
		Start   time.Time `json:"start"`
	}
	hd := json.NewDecoder(bytes.NewReader(join(small)))
	hd.DisallowUnknownFields()
	if err := hd.Decode(&head); err != nil {
		return nil, nil, "", err
	}
	s.PeriodS, s.Start = head.PeriodS, head.Start
	return s, ms, dupKey, nil
}

// tokenKind names a JSON token's kind as encoding/json's errors do.
func tokenKind(t json.Token) string {
	switch t.(type) {
	case json.Delim:
		if t == json.Delim('[') {
			return "array"
		}
		return "object"
	case string:
		return "string"
	case float64, json.Number:
		return "number"
	case bool:
		return "bool"
	}
	return "value"
}
