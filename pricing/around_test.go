package pricing

import (
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func lineSum(c Cost, name string) decimal.Decimal {
	s := decimal.Zero
	for _, l := range c.Lines {
		if l.Name == name {
			s = s.Add(l.Cost)
		}
	}
	return s
}

// AWS's HTTP response streaming example (server-side rendering): 3M
// requests × 500 ms × 1536 MB with the free tier; 2M responses of 100 KB and
// 1M of 7 MB; the first 6 MB of each response free; the streaming free tier
// already used; $0.008 per GB, 1 GB = 1024 MB. AWS: compute $30.83,
// requests $0.40, streaming 1M × 1 MB = 976.5625 GB → $7.81, total $39.04.
func TestAWSStreamingExampleR1(t *testing.T) {
	fn := FunctionConfig{MemoryMB: 1536, Architecture: X86_64}
	small := Usage{Requests: 2_000_000, Duration: ms("500ms"), StreamedBytesPerRequest: 100 * KiB}
	big := Usage{Requests: 1_000_000, Duration: ms("500ms"), StreamedBytesPerRequest: 7 * MiB}
	b, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fn, Usage: small.Billed(0)}, {Function: fn, Usage: big.Billed(0)}},
		Options{FreeTier: true, StreamingFreeTierUsed: true})
	if err != nil {
		t.Fatal(err)
	}
	d := decimal.RequireFromString
	for name, want := range map[string]string{LineRequests: "0.40", LineDuration: "30.83", LineStreaming: "7.81"} {
		if got := RoundCents(lineSum(b.Cost, name)).StringFixed(2); got != want {
			t.Errorf("%s = $%s, AWS says $%s", name, got, want)
		}
	}
	if got := lineSum(b.Cost, LineStreaming); !got.Equal(d("7.8125")) {
		t.Errorf("streaming exact = %s, want 976.5625 GB × 0.008 = 7.8125", got)
	}
	// AWS adds the rounded lines: 30.83 + 0.40 + 7.81 = $39.04. The exact
	// total is 30.833395 + 0.4 + 7.8125 = 39.045895, i.e. $39.05: a slip of
	// rounding in AWS's text, shown here with both figures.
	rounded := decimal.Zero
	for _, name := range []string{LineRequests, LineDuration, LineStreaming} {
		rounded = rounded.Add(RoundCents(lineSum(b.Cost, name)))
	}
	if !rounded.Equal(d("39.04")) {
		t.Errorf("sum of rounded lines = $%s, AWS's total is $39.04", rounded)
	}
	if !b.Cost.Total.Equal(d("39.045895")) {
		t.Errorf("exact total = %s, want 39.045895 (AWS prints $39.04 from rounded lines)", b.Cost.Total)
	}
	// With the streaming free tier left (100 GB), 876.5625 GB are billed.
	b2, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fn, Usage: big.Billed(0)}}, Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineSum(b2.Cost, LineStreaming); !got.Equal(d("7.0125")) {
		t.Errorf("streaming with its free tier = %s, want 876.5625 × 0.008 = 7.0125", got)
	}
}

// Logs across a tier boundary, by hand: 12 TiB = 12,288 GB of Lambda logs
// in us-east-1: 10,240 GB × $0.50 + 2,048 GB × $0.25 = $5,120 + $512 =
// $5,632, shared by two functions (8,192 + 4,096 GB) whose parts add up.
func TestLogsAcrossATierBoundary(t *testing.T) {
	tab := Embedded()
	c, err := tab.LambdaLogsCost("us-east-1", 12288*GiB)
	if err != nil {
		t.Fatal(err)
	}
	d := decimal.RequireFromString
	if len(c.Lines) != 2 || !c.Lines[0].Cost.Equal(d("5120")) || !c.Lines[1].Cost.Equal(d("512")) || c.Lines[1].Tier != 2 {
		t.Fatalf("lines %+v", c.Lines)
	}
	fn := FunctionConfig{MemoryMB: 128, Architecture: ARM64}
	items := []Item{
		{Function: fn, Usage: BilledUsage{Requests: 8192, LogBytes: 8192 * GiB}},
		{Function: FunctionConfig{MemoryMB: 128, Architecture: X86_64}, Usage: BilledUsage{Requests: 4096, LogBytes: 4096 * GiB}},
	}
	b, err := tab.LambdaBill("us-east-1", items, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineSum(b.Cost, LineLogs); !got.Equal(d("5632")) {
		t.Errorf("logs = %s, want 5632", got)
	}
	parts := lineSum(b.Functions[0].Cost, LineLogs).Add(lineSum(b.Functions[1].Cost, LineLogs))
	if !parts.Equal(d("5632")) {
		t.Errorf("functions' logs lines add to %s, want 5632", parts)
	}
	// The example: 100M invocations × 2 KB = 190.73486328125 GB ×
	// $0.50 = $95.37, more than the 100M × 50 ms × 256 MB of compute.
	c2, err := tab.LambdaLogsCost("us-east-1", 100_000_000*2048)
	if err != nil {
		t.Fatal(err)
	}
	if !c2.Total.Equal(d("95.367431640625")) {
		t.Errorf("100M × 2 KB = %s, want 95.367431640625", c2.Total)
	}
	// A region without logs prices is refused, not billed zero.
	if _, err := tab.LambdaBill("eu-west-1", items, Options{}); err == nil || !IsInput(err) {
		t.Errorf("eu-west-1 logs: err = %v, want an input error", err)
	}
}

// API Gateway in front of the function, tiers by hand (us-east-1):
// HTTP 400M = 300M × $1.00 + 100M × $0.90 = $390; REST 1,000M = 333M × $3.50
// + 667M × $2.80 = $1,165.50 + $1,867.60 = $3,033.10.
func TestAPIGatewayLine(t *testing.T) {
	d := decimal.RequireFromString
	fn := FunctionConfig{MemoryMB: 128}
	for kind, c := range map[string]struct {
		req  int64
		want string
	}{APIGatewayHTTP: {400_000_000, "390"}, APIGatewayREST: {1_000_000_000, "3033.1"}} {
		b, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fn, Usage: BilledUsage{Requests: c.req}}}, Options{APIGateway: kind})
		if err != nil {
			t.Fatal(err)
		}
		if got := lineSum(b.Cost, LineAPIGateway); !got.Equal(d(c.want)) {
			t.Errorf("%s: %s, want %s", kind, got, c.want)
		}
	}
	if _, err := Embedded().LambdaBill("us-east-1", nil, Options{APIGateway: "websocket"}); err == nil || !IsInput(err) {
		t.Errorf("unknown kind: %v", err)
	}
}

// A 17 % Compute Savings Plan on AWS's P2 example: it discounts PC
// ($10.08008064) and the duration on PC ($21.777728), not the requests:
// −0.17 × 31.85780864 = −5.4158274688; total 32.25780864 − 5.4158274688 =
// 26.8419811712 ($26.84). The bill says it assumed the discount.
func TestComputeSavingsPlanDiscountsDurationAndPCOnly(t *testing.T) {
	d := decimal.RequireFromString
	fn := FunctionConfig{MemoryMB: 4096, Architecture: X86_64, ProvisionedConcurrency: 7}
	u := Usage{Requests: 2_000_000, Duration: ms("280ms"), ProvisionedHours: 24, ProvisionedRequests: 2_000_000}
	b, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fn, Usage: u.Billed(7)}}, Options{ComputeSavingsPlan: d("0.17")})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineSum(b.Cost, LineComputeSavingsPlan); !got.Equal(d("-5.4158274688")) {
		t.Errorf("discount = %s", got)
	}
	if !b.Cost.Total.Equal(d("26.8419811712")) {
		t.Errorf("total = %s", b.Cost.Total)
	}
	if len(b.Assumptions) != 2 || b.Assumptions[0].Field != "compute_savings_plan" || b.Assumptions[1].Field != "logs" {
		t.Errorf("assumptions %v", b.Assumptions)
	}
	if _, err := Embedded().LambdaBill("us-east-1", nil, Options{ComputeSavingsPlan: d("1")}); err == nil {
		t.Error("a 100 % discount was accepted")
	}
}

func TestParseByteSize(t *testing.T) {
	for in, want := range map[string]ByteSize{"2048": 2048, "2KB": 2048, "100 KiB": 102400, "7MB": 7 * MiB, "1.5GB": 3 * GiB / 2, "0": 0} {
		got, err := ParseByteSize(in)
		if err != nil || got != want {
			t.Errorf("%q = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-1", "x", "1TB2", "NaN"} {
		if _, err := ParseByteSize(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// Data transfer out, tiers by hand (us-east-1): 20 TB = 20,480 GB:
// 10,240 × $0.09 + 10,240 × $0.085 = $921.60 + $870.40 = $1,792.00; with
// the free tier's 100 GB: 10,240 × 0.09 + 10,140 × 0.085 = $1,783.50.
func TestTransferOutLine(t *testing.T) {
	d := decimal.RequireFromString
	it := []Item{{Function: FunctionConfig{MemoryMB: 128}, Usage: BilledUsage{Requests: 20480, TransferOutBytes: 20480 * GiB}}}
	for free, want := range map[bool]string{false: "1792", true: "1783.5"} {
		b, err := Embedded().LambdaBill("us-east-1", it, Options{FreeTier: free})
		if err != nil {
			t.Fatal(err)
		}
		if got := lineSum(b.Cost, LineTransferOut); !got.Equal(d(want)) {
			t.Errorf("free tier %v: transfer = %s, want %s", free, got, want)
		}
	}
	if _, err := Embedded().LambdaBill("me-west-1", it, Options{}); err == nil || !IsInput(err) {
		t.Errorf("me-west-1 transfer (not known): %v", err)
	}
}

// Asynchronous events over 256 KB, by AWS's rule (Lambda pricing page: "1
// request per each asynchronous Event for first 256 KB. Individual event
// size beyond 256 KB is charged 1 additional request for each 64 KB of
// chunk upto 1 MB"; KB = 1024 bytes, a part-chunk counts whole).
func TestAsyncEventsOver256KB(t *testing.T) {
	// Extra requests per event, by hand: 256 KB = 262,144 bytes is the
	// free part; (bytes − 262,144) / 65,536 rounded up.
	for bytes, want := range map[int64]int64{
		0:           0,
		100 * KiB:   0,
		256 * KiB:   0,  // exactly the first 256 KB
		256*KiB + 1: 1,  // one byte into the first chunk
		320 * KiB:   1,  // 64 KB beyond: one whole chunk
		320*KiB + 1: 2,  // one byte into the second chunk
		300 * KiB:   1,  // 44 KB beyond: a part-chunk counts whole
		MiB:         12, // (1,048,576 − 262,144) / 65,536 = 12: 13 requests in all
		1000 * KiB:  12, // 744 KB beyond = 11.625 chunks → 12
		960 * KiB:   11, // 704 KB beyond = 11 chunks exactly
	} {
		if got := AsyncExtraRequests(bytes); got != want {
			t.Errorf("AsyncExtraRequests(%d) = %d, want %d", bytes, got, want)
		}
	}

	// Three size classes of 1M events each, no compute (duration 0):
	// 100 KB → 1 request each, 300 KB → 2, 1 MB → 13: 16M requests ×
	// $0.20/M = $3.20; with the free tier 15M → $3.00.
	d := decimal.RequireFromString
	fn := FunctionConfig{MemoryMB: 128}
	var items []Item
	for _, size := range []ByteSize{100 * KiB, 300 * KiB, MiB} {
		u := Usage{Requests: 1_000_000, AsyncPayloadBytesPerRequest: size}
		if errs := u.Validate("", 0); len(errs) > 0 {
			t.Fatal(errs)
		}
		items = append(items, Item{Function: fn, Usage: u.Billed(0)})
	}
	if got := items[2].Usage.AsyncExtraRequests; got != 12_000_000 {
		t.Fatalf("1M × 1 MB events: %d extra requests, want 12,000,000", got)
	}
	for free, want := range map[bool]string{false: "3.2", true: "3"} {
		b, err := Embedded().LambdaBill("us-east-1", items, Options{FreeTier: free})
		if err != nil {
			t.Fatal(err)
		}
		if got := lineSum(b.Cost, LineRequests); !got.Equal(d(want)) {
			t.Errorf("free tier %v: requests = $%s, want $%s", free, got, want)
		}
		// The requests line of the 1 MB class bills 13M requests
		// (16M with the free tier's 1M shared pro rata: 13M − 13/16 M).
		wantQ := map[bool]string{false: "13000000", true: "12187500"}[free]
		var q decimal.Decimal
		for _, l := range b.Functions[2].Cost.Lines {
			if l.Name == LineRequests {
				q = l.Quantity
			}
		}
		if !q.Equal(d(wantQ)) {
			t.Errorf("free tier %v: 1 MB class bills %s requests, want %s", free, q, wantQ)
		}
		found := false
		for _, a := range b.Assumptions {
			found = found || (a.Field == "async_extra_requests" && a.Value == "13000000 requests")
		}
		if !found {
			t.Errorf("the bill does not state the extra requests: %v", b.Assumptions)
		}
	}
	// API Gateway counts invocations, not the extra requests: 3M × $1/M.
	b, err := Embedded().LambdaBill("us-east-1", items, Options{APIGateway: APIGatewayHTTP})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineSum(b.Cost, LineAPIGateway); !got.Equal(d("3")) {
		t.Errorf("API Gateway = %s, want 3", got)
	}

	// Beyond Lambda's 1 MB limit, and negative sizes, are refused; so is an
	// async payload on a Lambda@Edge function.
	for _, bad := range []ByteSize{MiB + 1, -1} {
		errs := Usage{Requests: 1, AsyncPayloadBytesPerRequest: bad}.Validate("", 0)
		var ie *InputError
		if len(errs) != 1 || !errors.As(errs[0], &ie) || ie.Source != "async_payload_bytes_per_request" {
			t.Errorf("%d bytes: %v, want one error on async_payload_bytes_per_request", bad, errs)
		}
	}
	edge := Item{Function: FunctionConfig{MemoryMB: 128, LambdaEdge: true}, Usage: BilledUsage{Requests: 1, AsyncExtraRequests: 1}}
	if _, err := Embedded().LambdaBill("us-east-1", []Item{edge}, Options{}); err == nil || !IsInput(err) {
		t.Errorf("Lambda@Edge with async chunks: %v, want an input error", err)
	}
}

// An API Gateway line is listed as an assumption with what it leaves out:
// one request per invocation (an HTTP API request over 512 KB counts more,
// AWS meters them in 512 KB increments) and no free tier; without
// --api-gateway nothing is listed.
func TestAPIGatewayAssumption(t *testing.T) {
	fn := FunctionConfig{MemoryMB: 128}
	for _, tc := range []struct {
		kind, value, why string // why: a part of the reason ("" = not listed)
	}{
		{"", "", ""},
		{APIGatewayHTTP, "http API, one request per invocation", "512 KB increments"},
		{APIGatewayREST, "rest API, one request per invocation", "12-month free tier"},
	} {
		b, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fn, Usage: BilledUsage{Requests: 1000}}}, Options{APIGateway: tc.kind})
		if err != nil {
			t.Fatal(err)
		}
		var got *Assumption
		for i, a := range b.Assumptions {
			if a.Field == "api_gateway" {
				got = &b.Assumptions[i]
			}
		}
		switch {
		case tc.value == "" && got != nil:
			t.Errorf("no API Gateway: listed %+v", *got)
		case tc.value != "" && got == nil:
			t.Errorf("%s: api_gateway not listed in %+v", tc.kind, b.Assumptions)
		case tc.value != "" && (got.Value != tc.value || !strings.Contains(got.Why, tc.why)):
			t.Errorf("%s: %+v, want value %q and a reason mentioning %q", tc.kind, *got, tc.value, tc.why)
		}
	}
}
