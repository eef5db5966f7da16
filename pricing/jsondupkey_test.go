package pricing

import (
	"strings"
	"testing"
)

func TestDuplicateKey(t *testing.T) {
	for _, tc := range []struct {
		in, key string
		dup     bool
	}{
		{`{"a":1,"b":2}`, "", false},
		{`{"a":1,"a":2}`, "a", true},
		{`{"a":{"x":1},"b":{"x":2}}`, "", false},
		{`{"a":{"x":1,"x":2}}`, "x", true},
		{`{"a":[{"x":1},{"x":2}]}`, "", false},
		{`{"a":"x\",\"a","b":1}`, "", false},
		{`{"s":"{\"a\":1,\"a\":2}"}`, "", false},
		{`[{"k":1},{"k":1,"k":2}]`, "k", true},
	} {
		k, dup := duplicateKey([]byte(tc.in))
		if dup != tc.dup || k != tc.key {
			t.Errorf("%s: %q %v, want %q %v", tc.in, k, dup, tc.key, tc.dup)
		}
	}
}

// A dataset with a key given twice is refused, at the top and inside a
// function: one of the two values would otherwise be priced silently.
func TestDatasetDuplicateKeysRefused(t *testing.T) {
	const head = `{"version":1,"source":"logs","region":"us-east-1","start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z",`
	fn := `{"name":"api","memory_mb":512,"summary":{"invocations":100,"errors":0,"throttles":0,"cold_starts":1,"duration_ms":{"avg":50,"p50":45,"p90":80,"p99":420,"max":900},"init_duration_ms":{"avg":200,"p99":300},"max_memory_used_mb":80,"billed_gb_seconds":2.5}}`
	for _, tc := range []struct{ name, doc, want string }{
		{"valid", head + `"functions":[` + fn + `]}`, ""},
		{"top level", head + `"region":"eu-west-1","functions":[` + fn + `]}`, `the key "region" appears twice`},
		{"function level", head + `"functions":[` + strings.Replace(fn, `"memory_mb":512`, `"memory_mb":512,"memory_mb":128`, 1) + `]}`, `the key "memory_mb" appears twice`},
		{"summary level", head + `"functions":[` + strings.Replace(fn, `"invocations":100`, `"invocations":100,"invocations":1`, 1) + `]}`, `the key "invocations" appears twice`},
		// The series are read apart from the rest of the function: their keys too.
		{"series level", head + `"functions":[` + strings.Replace(fn, `}}`, `},"series":{"period_s":60,"invocations":[1,2],"invocations":[3,4]}}`, 1) + `]}`, `the key "invocations" appears twice`},
		{"series twice", head + `"functions":[` + strings.Replace(fn, `}}`, `},"series":null,"series":{"period_s":60}}`, 1) + `]}`, `the key "series" appears twice`},
		{"unknown series key", head + `"functions":[` + strings.Replace(fn, `}}`, `},"series":{"period_s":60,"latency":[1]}}`, 1) + `]}`, `unknown field "latency"`},
		{"series listed missing", head + `"functions":[` + strings.Replace(fn, `}}`, `},"series":{"period_s":60,"invocations":[1,2]},"missing":["series.invocations"]}`, 1) + `]}`,
			`series.invocations is listed in "missing" but holds the value [1,2]`},
		{"whole series listed missing", head + `"functions":[` + strings.Replace(fn, `}}`, `},"series":{"period_s":60},"missing":["series"]}`, 1) + `]}`,
			`series is listed in "missing" but holds the value {"period_s":60}`},
	} {
		_, err := DecodeDataset("ds.json", strings.NewReader(tc.doc))
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "ds.json") {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}
