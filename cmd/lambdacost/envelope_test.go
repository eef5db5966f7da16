package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
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

// Files written before the envelope (a bare result, one estimate or one
// comparison as an object) still read: report gives the same result, in
// the envelope, as for the enveloped file.
func TestReportReadsBareResults(t *testing.T) {
	dir := t.TempDir()
	checkout := filepath.Join("..", "..", "examples", "checkout.yaml")
	for _, tc := range []struct {
		name string
		args []string
		bare func(t *testing.T, out string) []byte
	}{
		{"simulate", []string{"simulate", checkout}, func(t *testing.T, out string) []byte { return resultOf(t, out) }},
		{"compare", []string{"compare", checkout}, func(t *testing.T, out string) []byte { return soleItem(t, out, "comparisons") }},
		{"estimate", []string{"estimate", "--requests", "3M", "--duration", "120ms"}, func(t *testing.T, out string) []byte { return soleItem(t, out, "estimates") }},
	} {
		out, errOut, code := runCLI(t, nil, append(tc.args, "-o", "json")...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errOut)
		}
		env, bare := filepath.Join(dir, tc.name+".json"), filepath.Join(dir, tc.name+"-bare.json")
		if err := os.WriteFile(env, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(bare, tc.bare(t, out), 0o644); err != nil {
			t.Fatal(err)
		}
		a, errA, codeA := runCLI(t, nil, "report", env, "-o", "json")
		b, errB, codeB := runCLI(t, nil, "report", bare, "-o", "json")
		if codeA != 0 || codeB != 0 {
			t.Fatalf("%s: report exit %d, %d: %s %s", tc.name, codeA, codeB, errA, errB)
		}
		if !bytes.Equal(resultOf(t, a), resultOf(t, b)) {
			t.Errorf("%s: the bare file reports differently", tc.name)
		}
	}
}
