package pricing

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// envelop wraps a result as `-o json` does.
func envelop(t *testing.T, command, kind string, result []byte) []byte {
	t.Helper()
	e, err := NewEnvelope(command, kind, "v0.0.0-test", result, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.MarshalIndent(e, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A dataset inside the envelope reads exactly as the bare file does
// (which older versions wrote and --out-file still writes).
func TestDatasetInEnvelope(t *testing.T) {
	bare, err := os.ReadFile(filepath.Join("..", "examples", "prod.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := DecodeDataset("prod.json", bytes.NewReader(bare))
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeDataset("env.json", bytes.NewReader(envelop(t, "import", "dataset", bare)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the enveloped dataset reads differently:\n%+v\n%+v", got, want)
	}

	for name, tc := range map[string]struct{ data, want string }{
		"another kind":   {`{"schema_version": 1, "command": "tune", "kind": "tune", "result": {}}`, "not a dataset: the file holds a lambdacost tune result"},
		"newer envelope": {`{"schema_version": 2, "kind": "dataset", "result": {}}`, "schema_version 2 is not one this lambdacost reads"},
		"no result":      {`{"schema_version": 1, "kind": "dataset"}`, "the envelope has no result"},
		"unknown key":    {`{"schema_version": 1, "kind": "dataset", "extra": 1, "result": {}}`, `unknown envelope key "extra"`},
		"twice":          {`{"schema_version": 1, "kind": "dataset", "kind": "dataset", "result": {}}`, `"kind" appears twice`},
		"data after":     {`{"schema_version": 1, "kind": "dataset", "result": ` + string(bare) + `} {}`, "after"},
	} {
		_, err := DecodeDataset("d.json", strings.NewReader(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !IsInput(err) {
			t.Errorf("%s: %v, want …%s…", name, err, tc.want)
		}
	}
}

// The envelope lists the result's assumptions and its items', once each,
// and the warnings without a repeated "warning:" prefix.
func TestNewEnvelope(t *testing.T) {
	a := `{"field": "month", "value": "as given", "why": "x"}`
	b := `{"field": "--memory", "value": "128 MB", "why": "y"}`
	c := `{"field": "free_tier", "value": "not applied", "why": "z"}`
	result := `{"estimates": [{"assumptions": [` + a + `,` + b + `]}, {"assumptions": [` + a + `,` + c + `]}],
		"warnings": ["WARNING: short window", "other"], "assumptions": [` + c + `]}`
	e, err := NewEnvelope("estimate", "estimates", "v1", []byte(result), []string{"short window"})
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, x := range e.Assumptions {
		fields = append(fields, x.Field)
	}
	if strings.Join(fields, ",") != "free_tier,month,--memory" {
		t.Errorf("assumptions %v, want the result's own, then its items', once each", fields)
	}
	if strings.Join(e.Warnings, "|") != "short window|other" {
		t.Errorf("warnings %q", e.Warnings)
	}
	// The result is kept byte for byte; lists are [] rather than null.
	inner, env, err := UnwrapEnvelope("x", envelop(t, "version", "version", []byte(`{"version": "v1"}`)))
	if err != nil || env == nil || env.Kind != "version" || !json.Valid(inner) || env.Assumptions == nil || env.Warnings == nil {
		t.Fatalf("unwrap: %v %+v %s", err, env, inner)
	}
	var v struct{ Version string }
	if json.Unmarshal(inner, &v) != nil || v.Version != "v1" {
		t.Errorf("result %s", inner)
	}
	// A bare result is returned as it is.
	if inner, env, err := UnwrapEnvelope("x", []byte(`{"version": 1, "checks": []}`)); err != nil || env != nil || string(inner) != `{"version": 1, "checks": []}` {
		t.Errorf("bare: %s %+v %v", inner, env, err)
	}
	if _, err := NewEnvelope("x", "x", "v", []byte(`{"a":`), nil); err == nil {
		t.Error("a result that is not JSON is wrapped")
	}
}

// `pricing -o json` reads back as a price file.
func TestPriceTableInEnvelope(t *testing.T) {
	bare, err := json.Marshal(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ParseTable(envelop(t, "pricing", "prices", bare))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Date != Embedded().Date || len(tab.Lambda) != len(Embedded().Lambda) {
		t.Errorf("date %s, %d regions", tab.Date, len(tab.Lambda))
	}
	if _, err := ParseTable(envelop(t, "tune", "tune", []byte(`{}`))); err == nil || !strings.Contains(err.Error(), "not a price table") {
		t.Errorf("a tune result as a price file: %v", err)
	}
}

// WriteTo writes valid, indented JSON whose result is the result given,
// byte for byte once compacted.
func TestEnvelopeWriteTo(t *testing.T) {
	result := "{\n  \"a\": [\n    1,\n    {\"s\": \"x\\ny\"}\n  ],\n  \"assumptions\": [{\"field\": \"f\", \"value\": \"v\", \"why\": \"w\"}]\n}\n"
	e, err := NewEnvelope("c", "k", "v1", []byte(result), []string{"careful"})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	n, err := e.WriteTo(&b)
	if err != nil || n != int64(b.Len()) || !json.Valid(b.Bytes()) {
		t.Fatalf("%v, %d of %d bytes, valid %v:\n%s", err, n, b.Len(), json.Valid(b.Bytes()), b.String())
	}
	if !strings.HasPrefix(b.String(), "{\n  \"schema_version\": 1,\n  \"command\": \"c\",\n  \"kind\": \"k\",") || !strings.Contains(b.String(), "\n  \"result\": {\n    \"a\": [\n      1,") {
		t.Errorf("layout:\n%s", b.String())
	}
	inner, env, err := UnwrapEnvelope("x", b.Bytes())
	if err != nil || env == nil || len(env.Assumptions) != 1 || strings.Join(env.Warnings, ",") != "careful" {
		t.Fatalf("%v %+v", err, env)
	}
	var got, want bytes.Buffer
	_ = json.Compact(&got, inner)
	_ = json.Compact(&want, []byte(result))
	if got.String() != want.String() {
		t.Errorf("result %s, want %s", got.String(), want.String())
	}
}

// A result read from a file (NewEnvelopeFrom) is wrapped exactly as the
// same result held in memory: the same assumptions, warnings and bytes,
// white space around it left out, lines longer than the read buffer kept
// whole; a result that is not one JSON value is refused.
func TestNewEnvelopeFromReader(t *testing.T) {
	long := strings.Repeat("x", 200<<10) // longer than one 64 KiB read
	for name, result := range map[string]string{
		"object":         "\n {\n  \"a\": [\n    1,\n\n    {\"s\": \"x\\ny\", \"assumptions\": [{\"field\": \"i\", \"value\": \"1\", \"why\": \"w\"}]}\n  ],\n  \"warnings\": [\"WARNING: w\"],\n  \"assumptions\": [{\"field\": \"f\", \"value\": \"v\", \"why\": \"w\"}]\n}\n\n",
		"long line":      `{"s": "` + long + `",` + "\n" + ` "t": 1}` + "\n",
		"array":          "[\n 1,\n {\"assumptions\": []}\n]\n",
		"scalar":         " 3 ",
		"space in lines": "{\"a\": 1,   \n  \t\n \"b\": 2}",
	} {
		t.Run(name, func(t *testing.T) {
			mem, err := NewEnvelope("c", "k", "v1", []byte(result), []string{"careful"})
			if err != nil {
				t.Fatal(err)
			}
			file, err := NewEnvelopeFrom("c", "k", "v1", strings.NewReader(result), []string{"careful"})
			if err != nil {
				t.Fatal(err)
			}
			var a, b bytes.Buffer
			if _, err := mem.WriteTo(&a); err != nil {
				t.Fatal(err)
			}
			n, err := file.WriteTo(&b)
			if err != nil || n != int64(b.Len()) {
				t.Fatalf("%v, %d of %d bytes", err, n, b.Len())
			}
			if a.String() != b.String() {
				t.Errorf("from a reader:\n%.500s\nfrom memory:\n%.500s", b.String(), a.String())
			}
		})
	}
	for _, bad := range []string{`{"a":`, `{"a": 1} {"b": 2}`, `{"a": [1, }`, ``} {
		if _, err := NewEnvelopeFrom("c", "k", "v", strings.NewReader(bad), nil); err == nil {
			t.Errorf("%q is wrapped", bad)
		}
	}
}
