package simulator

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func TestMonthlyGrowth(t *testing.T) {
	const month = 730 * 3600.0 // s
	for _, tc := range []struct {
		name string
		yaml string
		// want is ∫ rate over the span, by hand.
		want, peak float64
	}{
		// 1 req/s for two months, +50 %/month: month 0 at 1, month 1 at 1.5.
		{"constant", "duration: 1460h\ntraffic: {start_rate: 1, monthly_growth: 0.5}\n",
			(1 + 1.5) * month, 1.5},
		// A ramp 0→2 over two months, doubling a month: month 0 runs 0→1
		// (area ½·month), month 1 runs 1→2 doubled to 2→4 (area 3·month).
		{"ramp across the boundary", "traffic: {start_rate: 0, monthly_growth: 1, stages: [{duration: 1460h, target: 2}]}\n",
			0.5*month + 3*month, 4},
		// scale and growth multiply: 2 × (1 + 0.9) over two months.
		{"with scale", "duration: 1460h\ntraffic: {start_rate: 1, scale: 2, monthly_growth: -0.1}\n",
			2 * (1 + 0.9) * month, 2},
		// A span of one month or less is not changed.
		{"within a month", "duration: 1h\ntraffic: {start_rate: 3, monthly_growth: 0.2}\n", 3 * 3600, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := parse(t, "function: {memory_mb: 128, duration: 10ms}\n"+tc.yaml)
			if got := s.ExpectedRequests(); math.Abs(got-tc.want) > 1e-6*tc.want {
				t.Errorf("expected requests = %v, want %v", got, tc.want)
			}
			if got := s.PeakRate(); math.Abs(got-tc.peak) > 1e-12 {
				t.Errorf("peak = %v, want %v", got, tc.peak)
			}
		})
	}
	// Rate just after the first month's boundary of the ramp: 1 (the ramp's
	// value at 730 h) × 2.
	s := parse(t, "function: {memory_mb: 128, duration: 10ms}\ntraffic: {start_rate: 0, monthly_growth: 1, stages: [{duration: 1460h, target: 2}]}\n")
	if got := s.Rate(730*time.Hour + time.Nanosecond); math.Abs(got-2) > 1e-6 {
		t.Errorf("rate after the boundary = %v, want 2", got)
	}
	if got := s.Rate(730*time.Hour - time.Second); math.Abs(got-1) > 1e-5 {
		t.Errorf("rate before the boundary = %v, want ≈ 1", got)
	}
}

func TestBillingErrors(t *testing.T) {
	_, err := ParseScenario("test.yaml", []byte(`function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 1, monthly_growth: -1}
billing:
  compute_savings_plan: 1
  free_tier: true
`))
	for _, w := range []string{
		"test.yaml:2: traffic.monthly_growth -1 is outside (-1, 10]",
		"test.yaml:4: billing.compute_savings_plan 1 is outside [0, 1)",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
	_, err = ParseScenario("test.yaml", []byte("function: {memory_mb: 128, duration: 10ms}\ntraffic: {start_rate: 1}\nbilling: {log_bytes_per_request: -5}\n"))
	if err == nil || !strings.Contains(err.Error(), `test.yaml:3`) || !strings.Contains(err.Error(), "negative") {
		t.Errorf("negative log bytes: %v", err)
	}
	_, err = ParseScenario("test.yaml", []byte("function: {memory_mb: 128, duration: 10ms}\ntraffic: {start_rate: 1}\nbilling: {savings: 0.1}\n"))
	if err == nil || !strings.Contains(err.Error(), `test.yaml:3: unknown key "savings"`) {
		t.Errorf("unknown billing key: %v", err)
	}
}

// TestBillingOptions prices one hand-countable hour: even arrivals at 1
// req/s, 100 ms each, 1024 MB, x86_64 in us-east-1, no INIT: 3,600
// invocations of 100 ms = 360 GB-s. The month (× 730) is 2,628,000
// requests and 262,800 GB-s; at $0.20 per million and $0.0000166667 per
// GB-s that is $0.5256 + $4.38000876 = $4.90560876.
func TestBillingOptions(t *testing.T) {
	const head = `duration: 1h
region: us-east-1
function: {memory_mb: 1024, architecture: x86_64, duration: 100ms}
traffic: {arrivals: even, start_rate: 1}
`
	for _, tc := range []struct {
		name    string
		billing string
		// month and span are by hand (USD).
		month, span float64
		field       string
	}{
		{"none", "", 0.5256 + 4.38000876, 0.00072 + 0.006000012, "free_tier"},
		// 262,800 GB-s are under the 400,000 free; requests beyond 1M:
		// 1.628M × $0.20. The span's bill is before the free tier.
		{"free tier", "billing: {free_tier: true}\n", 1.628 * 0.2, 0.00072 + 0.006000012, "billing.free_tier"},
		// 17 % off the duration, none off the requests:
		// 0.5256 + 0.83 × 4.38000876; the hour: 0.00072 + 0.83 × 0.006000012.
		{"savings plan", "billing: {compute_savings_plan: 0.17}\n", 0.5256 + 0.83*4.38000876, 0.00072 + 0.83*0.006000012, "billing.compute_savings_plan"},
		// 2,048 bytes of logs per invocation: the month's 2,628,000
		// invocations write 5,382,144,000 bytes = 5.01251220703125 GB
		// (1 GB = 2^30 bytes), all in the first Lambda-logs tier at
		// $0.50/GB = $2.506256103515625; the hour's 3,600 write 7,372,800
		// bytes = 0.006866455078125 GB = $0.0034332275390625.
		{"logs", "billing: {log_bytes_per_request: 2048}\n", 0.5256 + 4.38000876 + 2.506256103515625, 0.00072 + 0.006000012 + 0.0034332275390625, "billing.log_bytes_per_request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := parse(t, head+tc.billing)
			r := run(t, s, Options{})
			if r.Invocations != 3600 {
				t.Fatalf("invocations = %d, want 3600", r.Invocations)
			}
			if math.Abs(r.MonthlyCostUSD-tc.month) > 1e-9 {
				t.Errorf("monthly = %.10f, want %.10f", r.MonthlyCostUSD, tc.month)
			}
			if math.Abs(r.CostUSD-tc.span) > 1e-9 {
				t.Errorf("span = %.10f, want %.10f", r.CostUSD, tc.span)
			}
			found := false
			for _, a := range MonthlyAssumptions(s, r) {
				found = found || a.Field == tc.field
			}
			if !found {
				t.Errorf("assumptions lack %s", tc.field)
			}
		})
	}
}

// A scenario that asks for logs in a region whose CloudWatch Logs prices
// are not known is refused, naming the key, not billed without them.
func TestBillingLogsUnknownRegion(t *testing.T) {
	if _, err := pricing.Embedded().LogsFor("eu-west-1"); err == nil {
		t.Skip("the table now knows eu-west-1's CloudWatch Logs prices")
	}
	s := parse(t, "region: eu-west-1\nduration: 1h\nfunction: {memory_mb: 128, duration: 10ms}\ntraffic: {arrivals: even, start_rate: 1}\nbilling: {log_bytes_per_request: 1KB}\n")
	_, err := Run(context.Background(), s, Options{})
	var ie *pricing.InputError
	if !errors.As(err, &ie) || !strings.Contains(err.Error(), "billing.log_bytes_per_request") || !strings.Contains(err.Error(), "eu-west-1") {
		t.Errorf("err = %v, want an input error naming billing.log_bytes_per_request and the region", err)
	}
}

// A result that keeps no usage per month (a Result without Months, as
// an engine that does not split it would give) takes the free tier off the span's average month, not
// month by month, and the assumption says so with the number of months:
// 1,460 h = 2 × 730 h; 1,095 h = 1.5 months; a span of a month or less
// says nothing about months. (The exact engine bills each month:
// TestFreeTierPerMonthOfSpan.) (Rate 0.2/s growing 300 % in
// month 2 bills 525,600 then 2,102,400 requests: month by month
// (0 + 1,102,400)/2 = 551,200 billed, the average month 1,314,000 − 1M =
// 314,000: the average month understates the mean bill.)
func TestFreeTierMonthsListed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spanS float64
		want  string // "" = no note about months
	}{
		{"one hour", 3600, ""},
		{"exactly a month", 730 * 3600, ""},
		{"two months", 1460 * 3600, "the span is 2 months and this engine (analytic) does not split its usage by month, so the allowance is taken once off its average month"},
		{"a month and a half", 1095 * 3600, "the span is 1.5 months"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &Scenario{Billing: BillingSpec{FreeTier: true}}
			var why string
			for _, a := range MonthlyAssumptions(s, &Result{SimulatedSeconds: tc.spanS, Mode: "analytic"}) {
				if a.Field == "billing.free_tier" {
					why = a.Why
				}
			}
			if why == "" {
				t.Fatal("billing.free_tier is not listed")
			}
			if tc.want == "" && strings.Contains(why, "months") {
				t.Errorf("a span of at most a month notes months: %s", why)
			}
			if tc.want != "" && !strings.Contains(why, tc.want) {
				t.Errorf("why = %q, want it to contain %q", why, tc.want)
			}
		})
	}
}

// The log bytes' assumption says what the logs line leaves out:
// CloudWatch's 5 GB monthly free tier (the account's, shared by all its
// logs: ingestion, archive storage and Logs Insights scans) is not applied
// even with billing.free_tier (which is Lambda's), and storage is not
// priced.
func TestLogBytesAssumptionStatesFreeTier(t *testing.T) {
	for _, free := range []string{"false", "true"} {
		s := parse(t, "region: us-east-1\nduration: 1h\nfunction: {memory_mb: 128, duration: 10ms}\ntraffic: {arrivals: even, start_rate: 1}\nbilling: {log_bytes_per_request: 1KB, free_tier: "+free+"}\n")
		r, err := Run(context.Background(), s, Options{Prices: pricing.Embedded()})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range MonthlyAssumptions(s, r) {
			if a.Field == "billing.log_bytes_per_request" {
				found = true
				if !strings.Contains(a.Why, "5 GB monthly free tier") || !strings.Contains(a.Why, "is not applied") || !strings.Contains(a.Why, "storage after ingestion is not priced") {
					t.Errorf("free_tier %s: %q does not say the CloudWatch free tier is not applied", free, a.Why)
				}
			}
		}
		if !found {
			t.Errorf("free_tier %s: no billing.log_bytes_per_request assumption", free)
		}
	}
}

// Lambda's free tier is monthly: a span of several months gets it once a
// month, not once off its average month. 0.2 req/s (even arrivals) growing
// 300 % a month over two 730-hour months (2,628,000 s each), 200 ms at
// 1024 MB (0.2 GB-s an invocation), us-east-1 x86_64 ($0.20 per million
// requests, $0.0000166667 per GB-s):
//
//	month 0: 0.2 × 2,628,000 = 525,600 requests, 105,120 GB-s: both under
//	         the free tier (1M, 400,000): $0
//	month 1: 0.8 req/s → 2,102,400 requests, 420,480 GB-s:
//	         1,102,400 × $0.0000002 = $0.22048
//	         20,480 GB-s × $0.0000166667 = $0.341334016
//	mean month: (0 + 0.22048 + 0.341334016) / 2 = $0.280907008
//
// (the average month billed once, as before: 1,314,000 − 1M = 314,000
// requests = $0.0628, and 262,800 GB-s under the free tier: $0.0628).
// Without the free tier the months' bills add linearly: 2,628,000 ×
// $0.0000002 = $0.5256 and 525,600 GB-s × $0.0000166667 = $8.76001752,
// a mean of $4.64280876, the same as the average month's. The span's bill
// (no free tier) is the two months' sum either way: $9.28561752.
func TestFreeTierPerMonthOfSpan(t *testing.T) {
	head := "region: us-east-1\nduration: 1460h\nfunction: {memory_mb: 1024, architecture: x86_64, duration: {distribution: fixed, value: 200ms}}\n" +
		"traffic: {arrivals: even, start_rate: 0.2, monthly_growth: 3}\n"
	for _, tc := range []struct {
		name, billing string
		runs          int
		mode          string
		month, span   float64
	}{
		{"free tier", "billing: {free_tier: true}\n", 1, ModeExact, 0.280907008, 9.28561752},
		{"free tier, 2 runs", "billing: {free_tier: true}\n", 2, ModeExact, 0.280907008, 9.28561752},
		// The fast mode counts the same arrivals (the rate's integral,
		// no throttles) and, with a fixed 200 ms and no INIT, the same
		// billed ms whatever its cold starts.
		{"free tier, fast mode", "billing: {free_tier: true}\n", 1, ModeFast, 0.280907008, 9.28561752},
		{"no free tier", "", 1, ModeExact, 4.64280876, 9.28561752},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := parse(t, head+tc.billing)
			r := run(t, s, Options{Runs: tc.runs, Mode: tc.mode})
			if len(r.Months) != 2 || r.Months[0].Usage.Requests != 525_600 || r.Months[1].Usage.Requests != 2_102_400 {
				t.Fatalf("months = %+v, want 525,600 and 2,102,400 requests", r.Months)
			}
			if math.Abs(r.MonthlyCostUSD-tc.month) > 1e-9 {
				t.Errorf("monthly = %.10f, want %.10f", r.MonthlyCostUSD, tc.month)
			}
			if math.Abs(r.CostUSD-tc.span) > 1e-9 {
				t.Errorf("span = %.10f, want %.10f", r.CostUSD, tc.span)
			}
			if tc.billing != "" {
				found := false
				for _, a := range MonthlyAssumptions(s, r) {
					found = found || a.Field == "billing.free_tier" && a.Value == "applied to each month of the span"
				}
				if !found {
					t.Errorf("assumptions do not say the free tier is applied to each month: %v", MonthlyAssumptions(s, r))
				}
			}
		})
	}
	// Priced again (whatif's bill-only changes) with the free tier off and
	// on: the same month by month bills.
	s := parse(t, head)
	r := run(t, s, Options{})
	on := parse(t, head+"billing: {free_tier: true}\n")
	rr, err := Reprice(on, r, pricing.Embedded(), "us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(rr.MonthlyCostUSD-0.280907008) > 1e-9 {
		t.Errorf("repriced monthly = %.10f, want 0.280907008", rr.MonthlyCostUSD)
	}
}

// A month no arrival reaches (the traffic stops within the first month)
// is still a month of its own, with no usage: 0.2 req/s (even) for
// 729 h 59 min 59 s, ramping to 0 over the last second (0.1 more
// expected), then nothing for 730 h, bills 0.2 × 2,627,999 + 0.1 ≈
// 525,600 requests in month 0 and none in month 1 — not one 1,460-hour
// piece. With the free tier both months are free: $0 (≈105,120 GB-s and
// ≈525,600 requests are under 400,000 and 1M).
func TestMonthWithoutArrivals(t *testing.T) {
	s := parse(t, "region: us-east-1\nduration: 1460h\nfunction: {memory_mb: 1024, architecture: x86_64, duration: {distribution: fixed, value: 200ms}}\n"+
		"traffic: {arrivals: even, start_rate: 0.2, stages: [{duration: 729h59m59s, target: 0.2}, {duration: 1s, target: 0}, {duration: 730h, target: 0}]}\nbilling: {free_tier: true}\n")
	r := run(t, s, Options{})
	if len(r.Months) != 2 || r.Months[1].Usage.Requests != 0 || r.Months[0].Usage.Requests < 525_599 || r.Months[0].Usage.Requests > 525_600 ||
		r.Months[1].Seconds != pricing.SecondsPerMonth || r.Months[0].Seconds != pricing.SecondsPerMonth {
		t.Fatalf("months = %+v, want two 730-hour months, the second without requests", r.Months)
	}
	if r.MonthlyCostUSD != 0 {
		t.Errorf("monthly = %v, want 0 (both months under the free tier)", r.MonthlyCostUSD)
	}
}
