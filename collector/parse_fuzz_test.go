package collector

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// FuzzParseLine: any line parses without panicking, and a well-formed
// REPORT line built from the fuzzed numbers reads back exactly.
func FuzzParseLine(f *testing.F) {
	f.Add("REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t", uint32(123456), uint16(5000), uint16(512))
	f.Add(`{"time":"2026-11-02T11:00:00.200Z","type":"platform.report","record":{"metrics":{"durationMs":1,"billedDurationMs":2}}}`, uint32(0), uint16(0), uint16(128))
	f.Add("2026-11-02T10:00:00.100Z /aws/lambda/x REPORT RequestId: : : :", uint32(1), uint16(1), uint16(1))
	f.Fuzz(func(t *testing.T, line string, durCentis uint32, initCentis uint16, mem uint16) {
		var r report
		_ = parseLine([]byte(line), &r) // must not panic

		text := fmt.Sprintf("2026-11-02T10:00:00.000Z REPORT RequestId: id\tDuration: %d.%02d ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\tInit Duration: %d.%02d ms\t",
			durCentis/100, durCentis%100, durCentis/100+1, mem, mem/2, initCentis/100, initCentis%100)
		if err := parseLine([]byte(text), &r); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if r.DurationUs != int64(durCentis)*10 || r.BilledMs != int64(durCentis/100+1) || r.MemorySizeMB != int64(mem) ||
			r.MaxMemoryMB != int64(mem/2) || r.InitDurationUs != int64(initCentis)*10 || r.Cold != (initCentis > 0) || r.TimeMs != 1793613600000 {
			t.Fatalf("%q read back as %+v", text, r)
		}
		js := fmt.Sprintf(`{"time":"2026-11-02T10:00:00.000Z","type":"platform.report","record":{"requestId":"id","status":"timeout","metrics":{"durationMs":%d.%02d,"billedDurationMs":%d,"memorySizeMB":%d,"maxMemoryUsedMB":%d}}}`,
			durCentis/100, durCentis%100, durCentis/100+1, mem, mem/2)
		if err := parseLine([]byte(js), &r); err != nil || r.DurationUs != int64(durCentis)*10 || r.Status != statusTimeout || r.Cold {
			t.Fatalf("%s: %+v %v", js, r, err)
		}
		if errors.Is(parseLine([]byte("START RequestId: x Version: $LATEST"), &r), errNotReport) == false {
			t.Fatal("START line taken for a report")
		}
	})
}

// FuzzParseEvent: any CloudWatch message parses without panicking, and a
// REPORT record survives the line endings and trailers CloudWatch adds.
func FuzzParseEvent(f *testing.F) {
	f.Add("REPORT RequestId: a\tDuration: 1.00 ms\tBilled Duration: 1 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\t\n", "\t\n")
	f.Add("INIT_REPORT Init Duration: 9804ms  Phase: init  Status: error  Error Type: Extension.Crash\n", "\n")
	f.Add("RESTORE_REPORT Restore Duration: 571.67 ms\n", "\n")
	f.Add("2019-06-07T19:11:20.562Z\tc793869b-ee49-415b-a5b6-4fd21e8dedac\tTask timed out after 3.00 seconds\n\n", "\n")
	f.Add("x {\n  \"time\": \"2026-03-02T11:00:00.200Z\",\n  \"type\": \"platform.report\",\n  \"record\": {\"metrics\": {\"durationMs\": 1}}\n}", "")
	f.Add(`{"_aws":{"CloudWatchMetrics":[]},"memory_utilization":3}`, "")
	f.Fuzz(func(t *testing.T, msg, trailer string) {
		var r report
		parseEvent([]byte(msg), &r, func(*report, error) {})
		n := 0
		line := "REPORT RequestId: id\tDuration: 2.50 ms\tBilled Duration: 3 ms\tMemory Size: 256 MB\tMax Memory Used: 80 MB" + strings.Map(func(c rune) rune {
			if c == '\t' || c == ' ' || c == '\n' || c == '\r' {
				return c
			}
			return -1
		}, trailer)
		parseEvent([]byte(line), &r, func(r *report, err error) {
			n++
			if n == 1 && (err != nil || r.BilledMs != 3 || r.DurationUs != 2500 || r.MemorySizeMB != 256 || r.MaxMemoryMB != 80) {
				t.Fatalf("%q: %+v %v", line, r, err)
			}
		})
		if n != 1 {
			t.Fatalf("%q: %d records", line, n)
		}
	})
}
