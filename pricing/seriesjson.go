package pricing

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// UnmarshalJSON reads a series (unknown fields are errors). Series are
// most of a large dataset's bytes (14 days of 1-minute points is 20,160
// numbers per array), so the number arrays are parsed directly instead of
// through reflection: several times faster on a 100 MB dataset. Anything
// the direct parser does not recognise as a plain JSON array of plain
// JSON numbers (a null element, an exotic spelling) is decoded by
// encoding/json instead, so the result and the errors are the same.
func (s *Series) UnmarshalJSON(b []byte) error {
	var aux struct {
		PeriodS        int             `json:"period_s"`
		Start          time.Time       `json:"start"`
		Invocations    json.RawMessage `json:"invocations"`
		DurationAvgMs  json.RawMessage `json:"duration_avg_ms"`
		ConcurrencyMax json.RawMessage `json:"concurrency_max"`
		Errors         json.RawMessage `json:"errors"`
		Throttles      json.RawMessage `json:"throttles"`
		ProvisionedCE  json.RawMessage `json:"provisioned_concurrent_executions"`
		ProvisionedCU  json.RawMessage `json:"provisioned_concurrency_utilization"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&aux); err != nil {
		return err
	}
	out := Series{PeriodS: aux.PeriodS, Start: aux.Start}
	for _, f := range []struct {
		raw json.RawMessage
		dst *[]float64
	}{
		{aux.Invocations, &out.Invocations}, {aux.DurationAvgMs, &out.DurationAvgMs}, {aux.ConcurrencyMax, &out.ConcurrencyMax},
		{aux.Errors, &out.Errors}, {aux.Throttles, &out.Throttles}, {aux.ProvisionedCE, &out.ProvisionedConcurrentExecutions},
		{aux.ProvisionedCU, &out.ProvisionedConcurrencyUtilization},
	} {
		if len(f.raw) == 0 {
			continue
		}
		v, ok := parseFloatArray(f.raw)
		if !ok {
			if err := json.Unmarshal(f.raw, f.dst); err != nil {
				return err
			}
			continue
		}
		*f.dst = v
	}
	*s = out
	return nil
}

// parseFloatArray parses a JSON array of JSON numbers (or null, for a nil
// slice); ok is false for anything else.
func parseFloatArray(b []byte) ([]float64, bool) {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil, true
	}
	if len(b) < 2 || b[0] != '[' || b[len(b)-1] != ']' {
		return nil, false
	}
	body := b[1 : len(b)-1]
	out := make([]float64, 0, bytes.Count(body, []byte{','})+1)
	if len(bytes.TrimSpace(body)) == 0 {
		return out, true
	}
	for len(body) > 0 {
		i := bytes.IndexByte(body, ',')
		tok := body
		if i >= 0 {
			tok, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		tok = bytes.TrimSpace(tok)
		if !jsonNumber(tok) {
			return nil, false
		}
		v, err := strconv.ParseFloat(string(tok), 64)
		if err != nil {
			return nil, false
		}
		out = append(out, v)
		if i >= 0 && len(body) == 0 {
			return nil, false // a trailing comma
		}
	}
	return out, true
}

// jsonNumber reports whether t is a number as JSON spells it
// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?).
func jsonNumber(t []byte) bool {
	i := 0
	if i < len(t) && t[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
			n++
		}
		return n
	}
	start := i
	n := digits()
	if n == 0 || n > 1 && t[start] == '0' {
		return false
	}
	if i < len(t) && t[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(t)
}
