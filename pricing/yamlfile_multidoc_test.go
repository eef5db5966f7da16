package pricing

import (
	"strings"
	"testing"
)

type multiDocT struct {
	A int `yaml:"a"`
	B int `yaml:"b"`
}

// A file with several YAML documents is refused at the line where the
// second one starts: a later document must never be ignored silently.
func TestYAMLSecondDocumentRefused(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		wantErr    string // "" = accepted
		wantA      int
	}{
		{"one document", "a: 1\nb: 2\n", "", 1},
		{"leading marker", "---\na: 1\n", "", 1},
		{"comment then marker", "# c\n---\na: 1\n", "", 1},
		{"end marker only", "a: 1\n...\n", "", 1},
		{"second document", "a: 1\n---\na: 2\n", "f.yaml:2: a second YAML document", 0},
		{"leading marker and second", "---\na: 1\nb: 2\n---\na: 3\n", "f.yaml:4: a second YAML document", 0},
		{"marker with content", "a: 1\n--- {a: 2}\n", "f.yaml:2: a second YAML document", 0},
		{"trailing empty document", "a: 1\n---\n", "", 1},
		{"empty then real document", "a: 1\n---\n---\nb: 2\n", "f.yaml:2: a second YAML document", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, strict := range []bool{false, true} {
				var v multiDocT
				var err error
				if strict {
					err = DecodeYAMLStrict("f.yaml", []byte(tc.data), &v)
				} else {
					_, err = DecodeYAML("f.yaml", []byte(tc.data), &v)
				}
				if tc.wantErr == "" {
					if err != nil {
						t.Fatalf("strict=%v: %v", strict, err)
					}
					if v.A != tc.wantA {
						t.Errorf("strict=%v: a = %d, want %d", strict, v.A, tc.wantA)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("strict=%v: err = %v, want %q", strict, err, tc.wantErr)
				}
			}
		})
	}
}
