package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

// AWS's worked examples for Lambda@Edge, provisioned event source mappings
// and Durable Functions (https://aws.amazon.com/lambda/pricing/, "Pricing examples"),
// to the cent. Expectations are AWS's published figures; the comments redo
// the arithmetic by hand.
func TestAWSWorkedExamplesProducts(t *testing.T) {
	d := decimal.RequireFromString
	cases := []struct {
		name     string
		items    []Item
		freeTier bool
		lines    map[string]string // line name → published cost
		total    string            // published total
		exact    string            // exact total by hand
	}{
		{
			// L1 Lambda@Edge: 10M requests × 10 ms × 128 MB: requests 10M ×
			// $0.60/M = $6.00; 12,500 GB-s × $0.00005001 (= $0.00000625125
			// per 128MB-s) = $0.625125 → $0.63; total $6.63.
			name:  "L1 Lambda@Edge",
			items: []Item{{Function: FunctionConfig{MemoryMB: 128, LambdaEdge: true}, Usage: Usage{Requests: 10_000_000, Duration: ms("10ms")}.Billed(0)}},
			lines: map[string]string{LineRequests: "6.00", LineDuration: "0.63"},
			total: "6.63", exact: "6.625125",
		},
		{
			// K2 ESM provisioned mode, SQS: 1M invocations a day × 30 = 30M,
			// 1 s, 1024 MB: 30M GB-s × $0.0000166667 = $500.001; requests
			// $6.00; 8,000 EPU-hours × $0.00925 = $74.00; total $580.00.
			name:  "K2 SQS provisioned ESM",
			items: []Item{{Function: FunctionConfig{MemoryMB: 1024}, Usage: Usage{Requests: 30_000_000, Duration: ms("1s"), ESMType: ESMSQS, ESMEPUHours: 8000}.Billed(0)}},
			lines: map[string]string{LineRequests: "6.00", LineDuration: "500.00", LineESMProvisioned: "74.00"},
			total: "580.00", exact: "580.001",
		},
		{
			// K3 ten Kafka ESMs in one poller group: 10 × 30M = 300M
			// invocations × 0.2 s × 1 GB = 60M GB-s → $1,000.002; requests
			// $60.00; 1 EPU × 720 h × $0.185 = $133.20; total $1,193.20.
			name:  "K3 ten Kafka ESMs",
			items: []Item{{Function: FunctionConfig{MemoryMB: 1024}, Usage: Usage{Requests: 300_000_000, Duration: ms("200ms"), ESMType: ESMKafka, ESMEPUHours: 720}.Billed(0)}},
			lines: map[string]string{LineRequests: "60.00", LineDuration: "1000.00", LineESMProvisioned: "133.20"},
			total: "1193.20", exact: "1193.202",
		},
		{
			// D1 Durable Functions (claims), arm64 1 GB, free tier: 1M
			// executions × 32 s = 32M GB-s − 400,000 = 31.6M × $0.0000133334 =
			// $421.33544; 2 invocations each = 2M − 1M free = $0.20; 4M
			// operations × $8/M = $32.00; 104 GB written × $0.25 = $26.00;
			// 104 GB retained 7 + 14 = 21 days = 0.7 month = 72.8 GB-months ×
			// $0.15 = $10.92. Total $490.45544 → $490.46.
			name: "D1 Durable Functions",
			items: []Item{{Function: FunctionConfig{MemoryMB: 1024, Architecture: ARM64},
				Usage: BilledUsage{Requests: 2_000_000, OnDemandMs: 32_000_000_000, DurableOperations: 4_000_000, DurableWrittenGB: 104, DurableRetainedGBMonths: 72.8}}},
			freeTier: true,
			lines:    map[string]string{LineRequests: "0.20", LineDuration: "421.34", LineDurableOperations: "32.00", LineDurableWritten: "26.00", LineDurableRetained: "10.92"},
			total:    "490.46", exact: "490.45544",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Embedded().LambdaBill("us-east-1", tc.items, Options{FreeTier: tc.freeTier})
			if err != nil {
				t.Fatal(err)
			}
			for name, want := range tc.lines {
				if got := RoundCents(lineSum(b.Cost, name)).StringFixed(2); got != want {
					t.Errorf("%s = $%s, AWS says $%s", name, got, want)
				}
			}
			if len(b.Cost.Lines) != len(tc.lines) {
				t.Errorf("lines %v, want exactly %v", b.Cost.Lines, tc.lines)
			}
			if got := RoundCents(b.Cost.Total).StringFixed(2); got != tc.total {
				t.Errorf("total $%s, AWS says $%s", got, tc.total)
			}
			if !b.Cost.Total.Equal(d(tc.exact)) {
				t.Errorf("exact total %s, want %s", b.Cost.Total, tc.exact)
			}
		})
	}
	// Lambda@Edge stays out of the duration tiers and the free tier: with
	// the free tier on, L1 costs the same.
	l1 := []Item{{Function: FunctionConfig{MemoryMB: 128, LambdaEdge: true}, Usage: Usage{Requests: 10_000_000, Duration: ms("10ms")}.Billed(0)}}
	b, err := Embedded().LambdaBill("us-east-1", l1, Options{FreeTier: true})
	if err != nil || !b.Cost.Total.Equal(d("6.625125")) {
		t.Errorf("L1 with the free tier: %v, %v", b, err)
	}
	if _, err := Embedded().LambdaBill("eu-west-1", l1, Options{}); err == nil || !IsInput(err) {
		t.Errorf("Lambda@Edge in eu-west-1 (price not known): %v", err)
	}
	bad := Usage{Requests: 1, ESMEPUHours: 1}
	if errs := bad.Validate("", 0); len(errs) != 1 {
		t.Errorf("EPU hours without an ESM type: %v", errs)
	}
}

// E3 (ephemeral storage) and P1 (provisioned concurrency on launch day) of
// AWS's pricing page, to the cent.
func TestAWSWorkedExamplesE3P1(t *testing.T) {
	d := decimal.RequireFromString
	// E3: 6M requests × 280 ms × 4096 MB with 2048 MB of ephemeral storage,
	// free tier: 6,720,000 − 400,000 = 6,320,000 GB-s × $0.0000166667 =
	// $105.333544 → $105.33; 5M requests → $1.00; storage 1.5 GB × 1,680,000 s
	// = 2,520,000 GB-s × $0.0000000309 = $0.077868 → $0.08; total $106.41.
	e3 := []Item{{Function: FunctionConfig{MemoryMB: 4096, EphemeralStorageMB: 2048}, Usage: Usage{Requests: 6_000_000, Duration: ms("280ms")}.Billed(0)}}
	b, err := Embedded().LambdaBill("us-east-1", e3, Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{LineDuration: "105.33", LineRequests: "1.00", LineEphemeralStorage: "0.08"} {
		if got := RoundCents(lineSum(b.Cost, name)).StringFixed(2); got != want {
			t.Errorf("E3 %s = $%s, AWS says $%s", name, got, want)
		}
	}
	if !b.Cost.Total.Equal(d("106.411412")) || RoundCents(b.Cost.Total).StringFixed(2) != "106.41" {
		t.Errorf("E3 total %s, AWS says $106.41", b.Cost.Total)
	}

	// P1: provisioned concurrency 100 for 8 h at 1536 MB: 4,320,000 GB-s ×
	// $0.0000041667 = $18.000144 ("$18"); 500,000 requests on it × 100 ms =
	// 75,000 GB-s × $0.0000097222 = $0.729165 → $0.73; the other 2.5M
	// requests on demand × 120 ms = 450,000 GB-s, less the 400,000 free =
	// 50,000 × $0.0000166667 = $0.833335 → $0.83; 3M − 1M free requests →
	// $0.40. AWS's total $19.96 (exact 19.962644).
	fn := FunctionConfig{MemoryMB: 1536, ProvisionedConcurrency: 100}
	u := Usage{Requests: 3_000_000, Duration: ms("120ms"), ProvisionedRequests: 500_000, ProvisionedDuration: ms("100ms"), ProvisionedHours: 8}
	p1 := []Item{{Function: fn, Usage: u.Billed(100)}}
	b, err = Embedded().LambdaBill("us-east-1", p1, Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{LineProvisionedConcurrency: "18.00", LineProvisionedDuration: "0.73", LineDuration: "0.83", LineRequests: "0.40"} {
		if got := RoundCents(lineSum(b.Cost, name)).StringFixed(2); got != want {
			t.Errorf("P1 %s = $%s, AWS says $%s", name, got, want)
		}
	}
	if !b.Cost.Total.Equal(d("19.962644")) {
		t.Errorf("P1 total %s, want 19.962644 ($19.96)", b.Cost.Total)
	}
	// AWS's slip: the same page says "The Lambda free tier does not apply
	// to functions enabling Provisioned Concurrency", yet P1 applies it.
	// Without it: on-demand 450,000 GB-s → $7.500015, requests 3M → $0.60,
	// total 18.000144 + 0.729165 + 7.500015 + 0.6 = $26.829324 ($26.83).
	b, err = Embedded().LambdaBill("us-east-1", p1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Cost.Total.Equal(d("26.829324")) {
		t.Errorf("P1 by AWS's own rule: %s, want 26.829324 ($26.83, vs AWS's $19.96)", b.Cost.Total)
	}
}

// Two of AWS's examples whose published totals do not follow from their
// own inputs (https://aws.amazon.com/lambda/pricing/, "Pricing examples").
// The tests state both figures; lambdacost's is derived by hand.
func TestAWSWorkedExamplesWithSlips(t *testing.T) {
	d := decimal.RequireFromString
	// T1 tenant isolation: 10M requests × 2 s × 1024 MB x86 = 20M GB-s ×
	// $0.0000166667 = $333.334; requests $2.00; 1,000 tenants × 200
	// environments created = 200,000 × 1 GB × $0.000167 = $33.40. Exact
	// total $368.734 → $368.73; AWS prints $368.74 (one cent more: its
	// duration line, $333.334, appears to be rounded up).
	t1 := []Item{{Function: FunctionConfig{MemoryMB: 1024}, Usage: Usage{Requests: 10_000_000, Duration: ms("2s"), TenantEnvironments: 200_000}.Billed(0)}}
	b, err := Embedded().LambdaBill("us-east-1", t1, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Cost.Total.Equal(d("368.734")) || RoundCents(lineSum(b.Cost, LineTenantEnvironments)).StringFixed(2) != "33.40" {
		t.Errorf("T1 = %s (tenant line %s), want 368.734 ($368.73; AWS prints $368.74)", b.Cost.Total, lineSum(b.Cost, LineTenantEnvironments))
	}
	// K1 Kafka ESM in provisioned mode: 1M invocations a day × 30 = 30M
	// (AWS's text bills 60M requests, $12.00), 2 s, 1024 MB = 60M GB-s, the
	// free tier on: (60M − 400,000) × $0.0000166667 = $993.33532; (30M − 1M)
	// requests = $5.80; 800 EPU-hours × $0.185 = $148.00. Total $1,147.13532
	// ($1,147.14); AWS prints $1,153.30 (its 60M requests and, apparently,
	// $993.30 for the duration).
	k1 := []Item{{Function: FunctionConfig{MemoryMB: 1024}, Usage: Usage{Requests: 30_000_000, Duration: ms("2s"), ESMType: ESMKafka, ESMEPUHours: 800}.Billed(0)}}
	b, err = Embedded().LambdaBill("us-east-1", k1, Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	if !b.Cost.Total.Equal(d("1147.13532")) {
		t.Errorf("K1 = %s, want 1147.13532 ($1,147.14; AWS prints $1,153.30)", b.Cost.Total)
	}
}
