package collector

import (
	"errors"
	"fmt"
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
			r.MaxMemoryMB != int64(mem/2) || r.InitDurationUs != int64(initCentis)*10 || !r.Cold || r.TimeMs != 1793613600000 {
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
