package pricing

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// The largest volume that fits is billed exactly; one request more is
// refused with a message naming the field, never wrapped around.
func TestUsageBeyondInt64IsRefusedNotWrapped(t *testing.T) {
	const perReq = int64(15 * 60 * 1000)    // 15 min in ms
	maxReq := int64(math.MaxInt64) / perReq // 10,248,191,152,060
	if maxReq != 10_248_191_152_060 {
		t.Fatalf("maxReq = %d", maxReq)
	}
	fc := FunctionConfig{MemoryMB: 1024, Architecture: X86_64}
	ok := Usage{Requests: maxReq, Duration: Duration(15 * time.Minute)}
	if errs := ok.Validate("", 0); len(errs) != 0 {
		t.Fatalf("largest representable volume refused: %v", errs)
	}
	b, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fc, Usage: ok.Billed(0)}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: 10,248,191,152,060 × 900 s × 1 GB.
	want, _ := decimal.NewFromString("9223372036854000")
	if got := b.Functions[0].GBSeconds; !got.Equal(want) {
		t.Fatalf("GB-s = %s, want %s", got, want)
	}
	for _, u := range []Usage{
		{Requests: maxReq + 1, Duration: Duration(15 * time.Minute)},
		{Requests: 20496382304122, Duration: Duration(15 * time.Minute)}, // the example (printed 248 GB-s)
		{Requests: maxReq, Duration: Duration(15 * time.Minute), ColdStartRate: 1, InitDuration: Duration(time.Second)},
	} {
		errs := u.Validate("", 0)
		if len(errs) != 1 {
			t.Fatalf("%+v: errors %v, want one refusal", u, errs)
		}
		var ie *InputError
		if !errors.As(errs[0], &ie) || ie.Source != "requests" {
			t.Fatalf("%+v: %v, want an input error on requests", u, errs[0])
		}
	}
	pu := Usage{Requests: maxReq + 5, ProvisionedRequests: maxReq + 5, Duration: Duration(15 * time.Minute)}
	errs := pu.Validate("", 1)
	var ie *InputError
	if len(errs) != 1 || !errors.As(errs[0], &ie) || ie.Source != "provisioned_requests" {
		t.Fatalf("provisioned overflow: %v", errs)
	}
}

func TestBillRefusesRequestSumOverflow(t *testing.T) {
	fc := FunctionConfig{MemoryMB: 128, Architecture: X86_64}
	half := BilledUsage{Requests: math.MaxInt64/2 + 1}
	_, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fc, Usage: half}, {Function: fc, Usage: half}}, Options{})
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Fatalf("err = %v, want an input error", err)
	}
}
