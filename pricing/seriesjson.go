package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// UnmarshalJSON reads a series (unknown fields are errors): the number
// arrays parsed directly (decodeSeries).
func (s *Series) UnmarshalJSON(b []byte) error {
	got, _, dup, err := decodeSeries(json.NewDecoder(bytes.NewReader(b)))
	if err != nil {
		return err
	}
	if dup != "" {
		return fmt.Errorf("series: the key %q appears twice in one object (one of its values would be ignored)", dup)
	}
	if got == nil {
		return nil
	}
	*s = *got
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
