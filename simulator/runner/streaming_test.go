package runner

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// A streamed response reaches its client at Lambda's bandwidth: the first
// 6 MiB at once, then at most 2 MiB/s (AWS: "the first 6 MB of your
// function's response has uncapped bandwidth; after this initial burst,
// Lambda streams at a maximum rate of 2 MBps"; the RIE's
// ResponseBandwidthBurstSize 6 MiB and ResponseBandwidthRate 2 MiB/s).
// The function's writes wait for it, so its invoke phase — duration and
// bill — lasts at least as long: 8 MiB need (8 − 6) MiB ÷ 2 MiB/s = 1 s
// at least before the response is accepted (a lower bound only: a slow
// machine takes longer, never shorter). Read at loopback speed instead,
// the invocation lasted milliseconds.
func TestStreamingBandwidth(t *testing.T) {
	const size = 8 << 20
	e := newTestEnv(t)
	c := &call{id: newRequestID(), event: []byte(`{}`), done: make(chan struct{})}
	handOut(t, e, c)
	raw := "POST /2018-06-01/runtime/invocation/" + c.id + "/response HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" +
		"Lambda-Runtime-Function-Response-Mode: streaming\r\n\r\n" +
		strconv.FormatInt(size, 16) + "\r\n" + strings.Repeat("s", size) + "\r\n0\r\n\r\n"
	t0 := time.Now()
	resps, _ := rawExchange(t, e, raw, 1, false)
	elapsed := time.Since(t0)
	<-c.done
	if len(resps) != 1 || resps[0].Code != 202 || c.status != "success" || c.respLen != size {
		t.Fatalf("%v: %s, %d bytes", resps, c.status, c.respLen)
	}
	if elapsed < time.Second || c.end.Sub(c.start) < time.Second {
		t.Errorf("8 MiB streamed in %v (invocation %v): Lambda needs at least 1 s", elapsed, c.end.Sub(c.start))
	}
	if !c.streamed {
		t.Error("the call is not marked as streamed")
	}
}

// A streamed response's bytes beyond the first 6 MB of each response are
// billed ($0.008 per GB in us-east-1: pricing/pricedata/facts.csv), and a
// run prices them: one invocation that streamed 8 MiB bills
// 8 MiB − 6 MiB = 2,097,152 bytes = 2,097,152 ÷ 2^30 GB = 0.001953125 GB,
// × $0.008 = $0.000015625 — next to 10 ms at 128 MB, $0.0000000208. A
// buffered response is not billed so.
func TestRunPricesStreamedBytes(t *testing.T) {
	cfg := Config{Prices: pricing.Embedded(), Region: "us-east-1",
		Function: pricing.FunctionConfig{MemoryMB: 128}.WithDefaults()}
	invs := []Invocation{
		{Status: "success", Cold: false, DurationMs: 10, BilledDurationMs: 10, StreamedResponseBytes: 8 << 20},
		{Status: "success", Cold: false, DurationMs: 10, BilledDurationMs: 10},
	}
	s := summarize(cfg, invs, false, logCount{})
	if s.Usage.StreamedBytes != 2097152 {
		t.Fatalf("streamed bytes billed %d, want 2,097,152", s.Usage.StreamedBytes)
	}
	if s.Cost == nil {
		t.Fatalf("no cost: %+v", s.Assumptions)
	}
	var got decimal.Decimal
	found := false
	for _, l := range s.Cost.Lines {
		if l.Name == pricing.LineStreaming {
			got, found = l.Cost, true
		}
	}
	if want := decimal.RequireFromString("0.000015625"); !found || !got.Equal(want) {
		t.Errorf("streaming line %v (found %v), want $%s; lines %+v", got, found, want, s.Cost.Lines)
	}
}
