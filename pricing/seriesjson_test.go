package pricing

import (
	"encoding/json"
	"reflect"
	"testing"
)

// TestSeriesJSONSameAsReflection: the direct parser gives what
// encoding/json gives, and the same errors for what JSON refuses.
func TestSeriesJSONSameAsReflection(t *testing.T) {
	type plain Series
	for _, in := range []string{
		`{"period_s":60,"start":"2026-11-01T00:00:00Z","invocations":[1,2.5,-0,1e3,0.25E-2],"duration_avg_ms":[],"concurrency_max":null}`,
		`{"period_s":60,"invocations":[ 1 , 2 ],"duration_avg_ms":[3, null],"concurrency_max":[7]}`,
		`{"period_s":60,"invocations":[1,2],"errors":[0,1],"throttles":[0,0]}`,
	} {
		var got Series
		if err := json.Unmarshal([]byte(in), &got); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var want plain
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, Series(want)) {
			t.Errorf("%s:\n got %+v\nwant %+v", in, got, want)
		}
	}
	for _, in := range []string{
		`{"period_s":60,"invocations":[01]}`,
		`{"period_s":60,"invocations":[1,]}`,
		`{"period_s":60,"invocations":[Infinity]}`,
		`{"period_s":60,"invocations":[0x10]}`,
		`{"period_s":60,"invocations":["1"]}`,
		`{"period_s":60,"invocations":[1],"colour":"blue"}`,
	} {
		var s Series
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s: no error (got %+v)", in, s)
		}
	}
}
