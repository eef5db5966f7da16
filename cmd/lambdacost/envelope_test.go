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

// A result larger than spillAt is held in a temporary file, not in memory,
// and wrapped to the same bytes as one held in memory; the file is gone
// afterwards, and output that is not JSON is written as it is.
func TestEnvelopeSpilledResult(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	var big bytes.Buffer
	big.WriteString("{\n \"version\": 1,\n \"functions\": [\n")
	for i := 0; big.Len() <= spillAt; i++ {
		if i > 0 {
			big.WriteString(",\n")
		}
		big.WriteString(`  {"name": "f", "values": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], "assumptions": [{"field": "memory_mb", "value": "128 MB", "why": "w"}]}`)
	}
	big.WriteString("\n ],\n \"assumptions\": [{\"field\": \"month\", \"value\": \"730 h\", \"why\": \"x\"}]\n}\n")
	for name, c := range map[string]struct {
		out  []byte
		json bool
	}{"JSON": {big.Bytes(), true}, "not JSON": {append([]byte("not json "), big.Bytes()...), false}} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			streams, st := withEnvelope(&IO{Out: &stdout, ErrOut: &stderr})
			st.command, st.stdout.active, st.stderr.active = "dataset merge", true, true
			// Written in pieces, as a command writes.
			for rest := c.out; len(rest) > 0; {
				n := min(len(rest), 1<<20)
				if _, err := streams.Out.Write(rest[:n]); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if st.stdout.spill == nil || st.stdout.buf.Len() != 0 {
				t.Fatalf("%d bytes held in memory, spilled %v", st.stdout.buf.Len(), st.stdout.spill != nil)
			}
			name := st.stdout.spill.Name()
			if err := st.finish(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(name); !os.IsNotExist(err) {
				t.Errorf("the temporary file %s is left: %v", name, err)
			}
			want := c.out
			if c.json {
				env, err := pricing.NewEnvelope("dataset merge", "dataset", version(), c.out, nil)
				if err != nil {
					t.Fatal(err)
				}
				var b bytes.Buffer
				if _, err := env.WriteTo(&b); err != nil {
					t.Fatal(err)
				}
				want = b.Bytes()
			}
			if !bytes.Equal(stdout.Bytes(), want) {
				t.Errorf("spilled output differs from the in-memory one (%d vs %d bytes)", stdout.Len(), len(want))
			}
		})
	}
}
