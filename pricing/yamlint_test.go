package pricing

import (
	"strings"
	"testing"
)

// yaml.v3 truncates a fractional number decoded into an integer field
// (requests: 1.5 → 1); lambdacost refuses it at file:line instead.
func TestUsageFileFractionalCounts(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		wantErr     string
		want        int64
	}{
		{"integer", "3000000", "", 3_000_000},
		{"exponent, whole", "3e6", "", 3_000_000},
		{"float, whole", "3000000.0", "", 3_000_000},
		{"negative zero", "-0", "", 0},
		{"fraction", "1.5", "u.yaml:4: requests: 1.5 is not a whole number", 0},
		{"exponent, fraction", "2.5e-1", "u.yaml:4: requests: 2.5e-1 is not a whole number", 0},
		{"beyond int64", "1e30", "u.yaml:4", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := "functions:\n  - name: api\n    memory_mb: 512\n    requests: " + tc.value + "\n    duration: 120ms\n"
			u, err := ParseUsageFile("u.yaml", []byte(data))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := u.Functions[0].Requests; got != tc.want {
				t.Errorf("requests = %d, want %d", got, tc.want)
			}
		})
	}
	// An inline field (memory_mb comes from the embedded FunctionConfig).
	_, err := ParseUsageFile("u.yaml", []byte("functions:\n  - name: api\n    memory_mb: 512.5\n    requests: 1\n    duration: 1ms\n"))
	if err == nil || !strings.Contains(err.Error(), "u.yaml:3: memory_mb: 512.5 is not a whole number") {
		t.Errorf("inline field: err = %v", err)
	}
}
