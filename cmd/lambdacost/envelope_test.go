package main

import (
	"encoding/json"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// resultOf returns the result inside a -o json envelope (failing the test
// when out is not one).
func resultOf(t testing.TB, out string) []byte {
	t.Helper()
	res, env, err := pricing.UnwrapEnvelope("stdout", []byte(out))
	if err != nil || env == nil {
		t.Fatalf("not a JSON envelope (%v):\n%.500s", err, out)
	}
	return res
}

// soleItem returns the one item of the list key of the result in out
// (e.g. the one estimate of {"estimates": [...]}).
func soleItem(t testing.TB, out, key string) []byte {
	t.Helper()
	var m map[string][]json.RawMessage
	if err := json.Unmarshal(resultOf(t, out), &m); err != nil || len(m[key]) != 1 {
		t.Fatalf("result has not one %s (%v):\n%.500s", key, err, out)
	}
	return m[key][0]
}
