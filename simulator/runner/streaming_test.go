package runner

import (
	"math"
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
	// A million invocations of this mix (half of them streaming 8 MiB):
	// requests $0.20; duration 10 ms each = 10,000 s × 0.125 GB = 1,250
	// GB-s × $0.0000166667 = $0.020833375; streamed 500,000 × 2 MiB =
	// 976.5625 GB × $0.008 = $7.8125. Total $8.033333375.
	if s.CostPerMillionUSD == nil || math.Abs(*s.CostPerMillionUSD-8.033333375) > 1e-9 {
		t.Errorf("cost per million %v, want $8.033333375", s.CostPerMillionUSD)
	}
}

// tune's costs per size include the streamed bytes too: a size whose 2
// invocations streamed 8 MiB each (billed: 2 MiB each) costs per million,
// besides requests and duration, 1,000,000 × 2 MiB = 1,953.125 GB ×
// $0.008 = $15.625 of streaming.
func TestTunePricesStreamedBytes(t *testing.T) {
	fn := pricing.FunctionConfig{MemoryMB: 128}.WithDefaults()
	res := &Result{Function: fn, CPUModel: CPUModelCgroup, Invocations: []Invocation{
		{Status: "success", Cold: true, DurationMs: 10, BilledDurationMs: 30, InitDurationMs: 20, StreamedResponseBytes: 8 << 20},
		{Status: "success", DurationMs: 10, BilledDurationMs: 10, StreamedResponseBytes: 8 << 20},
	}}
	res.Summary = summarize(Config{Prices: pricing.Embedded(), Region: "us-east-1", Function: fn}, res.Invocations, false, logCount{})
	with := TunePoint{CostBasis: "measured"}
	with.price(pricing.Embedded(), "us-east-1", res, 0.5)
	for i := range res.Invocations {
		res.Invocations[i].StreamedResponseBytes = 0
	}
	res.Summary = summarize(Config{Prices: pricing.Embedded(), Region: "us-east-1", Function: fn}, res.Invocations, false, logCount{})
	without := TunePoint{CostBasis: "measured"}
	without.price(pricing.Embedded(), "us-east-1", res, 0.5)
	if d := with.CostPerMillionUSD - without.CostPerMillionUSD; math.Abs(d-15.625) > 1e-9 {
		t.Errorf("streaming adds $%v per million, want $15.625 (%v vs %v)", d, with.CostPerMillionUSD, without.CostPerMillionUSD)
	}
}

// Where the price table has no response-streaming price (every region but
// us-east-1: README, "Prices not known"), the run is priced without its
// streamed bytes and says so (streaming: not priced), rather than have no
// cost at all or a silent one: eu-west-1, 2 invocations of 10 ms at
// 128 MB = 2 × $0.0000002 + 0.0025 GB-s × $0.0000166667 =
// $0.00000044166675.
func TestRunStreamedBytesNotPriced(t *testing.T) {
	cfg := Config{Prices: pricing.Embedded(), Region: "eu-west-1",
		Function: pricing.FunctionConfig{MemoryMB: 128}.WithDefaults()}
	invs := []Invocation{
		{Status: "success", DurationMs: 10, BilledDurationMs: 10, StreamedResponseBytes: 8 << 20},
		{Status: "success", DurationMs: 10, BilledDurationMs: 10},
	}
	s := summarize(cfg, invs, false, logCount{})
	if s.Cost == nil || !s.Cost.Total.Equal(decimal.RequireFromString("0.00000044166675")) {
		t.Fatalf("cost %+v, want $0.00000044166675; assumptions %+v", s.Cost, s.Assumptions)
	}
	if a := assumption(t, s.Assumptions, "streaming"); a.Value != "not priced" || !strings.Contains(a.Why, "2097152 bytes") {
		t.Errorf("streaming assumption %+v", a)
	}
}
