package pricing

import (
	"strings"
	"testing"
)

// Numbers that no real dataset can have are refused with their JSON path,
// never priced.
func TestDatasetValuesRefused(t *testing.T) {
	const head = `{"version":1,"source":"logs","region":"us-east-1","start":"2026-01-01T00:00:00Z","end":"2026-01-02T00:00:00Z","functions":[`
	fn := func(summary string) string {
		return `{"name":"api","memory_mb":512,"summary":{` + summary + `}}`
	}
	ok := `"invocations":100,"errors":1,"throttles":0,"cold_starts":3,"duration_ms":{"avg":50,"p50":45,"p90":80,"p99":420,"max":900},"init_duration_ms":{"avg":200,"p99":300},"max_memory_used_mb":80,"billed_gb_seconds":2.5`
	for _, tc := range []struct {
		name, functions, want string
	}{
		{"valid", fn(ok), ""},
		{"percentiles unknown (zero) are not ordered", fn(`"invocations":100,"errors":0,"throttles":0,"cold_starts":0,"duration_ms":{"avg":50,"p50":0,"p90":0,"p99":0,"max":0},"init_duration_ms":{"avg":0,"p99":0},"max_memory_used_mb":0,"billed_gb_seconds":0`), ""},
		{"negative invocations", fn(strings.Replace(ok, `"invocations":100`, `"invocations":-100`, 1)), "functions[0].summary.invocations: must not be negative"},
		{"negative cold starts", fn(strings.Replace(ok, `"cold_starts":3`, `"cold_starts":-3`, 1)), "functions[0].summary.cold_starts: must not be negative"},
		{"p99 below p50", fn(strings.Replace(ok, `"p99":420`, `"p99":40`, 1)), "functions[0].summary.duration_ms.p99: p99 40 ms is below p90 80 ms"},
		{"max below p99", fn(strings.Replace(ok, `"max":900`, `"max":400`, 1)), "functions[0].summary.duration_ms.max: max 400 ms is below p99 420 ms"},
		{"negative percentile", fn(strings.Replace(ok, `"p50":45`, `"p50":-45`, 1)), "functions[0].summary.duration_ms.p50: must be a non-negative number"},
		{"negative GB-s", fn(strings.Replace(ok, `"billed_gb_seconds":2.5`, `"billed_gb_seconds":-2.5`, 1)), "functions[0].summary.billed_gb_seconds: must be a non-negative number"},
		{"duplicate function", fn(ok) + "," + fn(ok), `functions[1].name: function "api" is listed twice (also functions[0])`},
		{"series beyond 2^53", `{"name":"api","summary":{` + ok + `},"series":{"period_s":60,"start":"2026-01-01T00:00:00Z","invocations":[1,1e300],"duration_avg_ms":[1,1],"concurrency_max":[1,1]}}`, "functions[0].series.invocations[1]: must be a non-negative number up to 2^53"},
		{"negative series", `{"name":"api","summary":{` + ok + `},"series":{"period_s":60,"start":"2026-01-01T00:00:00Z","invocations":[1,-1],"duration_avg_ms":[1,1],"concurrency_max":[1,1]}}`, "functions[0].series.invocations[1]"},
		{"by_memory outside Lambda's range", `{"name":"api","summary":{` + ok + `,"by_memory":[{"memory_mb":64,"invocations":100,"cold_starts":3,"billed_duration_ms":5000}]}}`, "functions[0].summary.by_memory[0].memory_mb: 64 MB is outside"},
		{"provisioned above invocations", fn(ok + `,"provisioned_invocations":101`), "functions[0].summary.provisioned_invocations: 101 is more than the 100 invocations"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeDataset("ds.json", strings.NewReader(head+tc.functions+"]}"))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("valid dataset refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), "ds.json: "+tc.want) {
				t.Fatalf("err = %v\nwant %q", err, tc.want)
			}
			var ie *InputError
			if !asErr(err, &ie) {
				t.Errorf("err is %T, want an input error (exit 2)", err)
			}
		})
	}
}
