package runner

import (
	"encoding/json"
	"testing"
)

// A sample with no values has no percentiles: JSON null, never a p50 of
// 0 ms (a run of 1 invocation has no warm one, yet its warm_duration_ms
// read {"n":0,"min":0,"p50":0,...}). A sample with values, and values
// read from a file that gives no "n", keep their numbers.
func TestPercentilesJSONEmptyIsNull(t *testing.T) {
	for _, tc := range []struct {
		p    Percentiles
		want string
	}{
		{Summarize(nil), `null`},
		{Summarize([]float64{2, 4}), `{"n":2,"min":2,"p50":2,"p90":4,"p99":4,"max":4,"mean":3}`},
		{Percentiles{P50: 80, P99: 120}, `{"n":0,"min":0,"p50":80,"p90":0,"p99":120,"max":0,"mean":0}`},
	} {
		b, err := json.Marshal(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != tc.want {
			t.Errorf("%+v: %s, want %s", tc.p, b, tc.want)
		}
	}
	var s struct {
		W Percentiles  `json:"w"`
		M *Percentiles `json:"m"`
	}
	empty := Percentiles{}
	s.M = &empty
	b, _ := json.Marshal(s)
	if string(b) != `{"w":null,"m":null}` {
		t.Errorf("fields: %s", b)
	}
	// null reads back as the empty sample.
	var back struct {
		W Percentiles `json:"w"`
	}
	if err := json.Unmarshal(b, &back); err != nil || back.W != (Percentiles{}) {
		t.Errorf("read back %+v, %v", back.W, err)
	}
}
