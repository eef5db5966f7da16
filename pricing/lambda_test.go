package pricing

import (
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func ms(d string) Duration {
	v, err := ParseDuration(d)
	if err != nil {
		panic(err)
	}
	return v
}

// TestAWSWorkedExamples reproduces AWS's published worked examples to the
// cent. Inputs and expected figures are typed in from the sources
// (https://aws.amazon.com/lambda/pricing/, "Pricing examples"), not from this program's output.
func TestAWSWorkedExamples(t *testing.T) {
	type want struct {
		name string
		tier int
		cost string // published, rounded to cents
	}
	cases := []struct {
		name     string
		fn       FunctionConfig
		usage    Usage
		freeTier bool
		lines    []want
		total    string
	}{
		{
			// LPP "Mobile application backend": 3M requests, 120 ms, 1536 MB,
			// free tier applied: 540,000 − 400,000 = 140,000 GB-s → $2.33;
			// (3M − 1M) × $0.20/M → $0.40; total $2.73.
			name:     "E1 mobile backend",
			fn:       FunctionConfig{MemoryMB: 1536, Architecture: X86_64},
			usage:    Usage{Requests: 3_000_000, Duration: ms("120ms")},
			freeTier: true,
			lines:    []want{{"requests", 0, "0.40"}, {"duration", 1, "2.33"}},
			total:    "2.73",
		},
		{
			// LPP "Enriching streaming telemetry": 10,000 × 24 × 31 = 7,440,000
			// messages, 2 s, 1024 MB, no free tier: $1.49 + $248.00 = $249.49.
			name:  "E2 streaming telemetry",
			fn:    FunctionConfig{MemoryMB: 1024, Architecture: X86_64},
			usage: Usage{Requests: 7_440_000, Duration: ms("2s")},
			lines: []want{{"requests", 0, "1.49"}, {"duration", 1, "248.00"}},
			total: "249.49",
		},
		{
			// LPP "Cyber Monday" provisioned concurrency: PC 7 for 24 h at
			// 4096 MB: 86,400 s × 28 GB = 2,419,200 GB-s → $10.08; 2M requests
			// all on PC, 280 ms: 2,240,000 GB-s → $21.78; requests $0.40.
			name:  "P2 provisioned concurrency",
			fn:    FunctionConfig{MemoryMB: 4096, Architecture: X86_64, ProvisionedConcurrency: 7},
			usage: Usage{Requests: 2_000_000, Duration: ms("280ms"), ProvisionedHours: 24, ProvisionedRequests: 2_000_000},
			lines: []want{{"requests", 0, "0.40"}, {"provisioned_concurrency", 0, "10.08"}, {"provisioned_duration", 0, "21.78"}},
			total: "32.26",
		},
		{
			// LPP SnapStart "Enriching streaming telemetry": as E2 plus one
			// version active all month (24 × 31 × 3600 = 2,678,400 s × 1 GB
			// → "2.68 million GB-s × $0.0000015046 = $4.03") and 1 % of the
			// 7.44M requests restored (74,400 × 1 GB × $0.0001397998 =
			// "$10.4"): total $263.92.
			name:  "S1 SnapStart",
			fn:    FunctionConfig{MemoryMB: 1024, Architecture: X86_64},
			usage: Usage{Requests: 7_440_000, Duration: ms("2s"), SnapStartHours: 24 * 31, SnapStartRestores: 74_400},
			lines: []want{{"requests", 0, "1.49"}, {"duration", 1, "248.00"}, {"snapstart_cache", 0, "4.03"}, {"snapstart_restore", 0, "10.40"}},
			total: "263.92",
		},
		{
			// 1 ms billing blog: 60M invocations × 28 ms × 1 GB: requests $12,
			// duration "= $28".
			name:  "B1 1ms billing",
			fn:    FunctionConfig{MemoryMB: 1024, Architecture: X86_64},
			usage: Usage{Requests: 60_000_000, Duration: ms("28ms")},
			lines: []want{{"requests", 0, "12.00"}, {"duration", 1, "28.00"}},
			total: "40.00",
		},
		{
			// Tier blog: 2048 MB, 60 s, 75M invocations = 9B GB-s:
			// 6B × $0.0000166667 + 3B × $0.000015 = $100,000.20 + $45,000.00.
			name:  "B2 tiers x86",
			fn:    FunctionConfig{MemoryMB: 2048, Architecture: X86_64},
			usage: Usage{Requests: 75_000_000, Duration: ms("60s")},
			lines: []want{{"requests", 0, "15.00"}, {"duration", 1, "100000.20"}, {"duration", 2, "45000.00"}},
			total: "145015.20",
		},
		{
			// infracost golden: 15B requests × 2,048 ms × 2,048 MB x86 = 61.44B
			// GB-s: 6B → $100,000.20; 9B → $135,000.00; 46.44B → $619,203.10;
			// requests $3,000.00.
			name:  "infracost three tiers x86",
			fn:    FunctionConfig{MemoryMB: 2048, Architecture: X86_64},
			usage: Usage{Requests: 15_000_000_000, Duration: ms("2048ms")},
			lines: []want{{"requests", 0, "3000.00"}, {"duration", 1, "100000.20"}, {"duration", 2, "135000.00"}, {"duration", 3, "619203.10"}},
			total: "857203.30",
		},
		{
			// arm64 tier boundaries are 7.5B / 18.75B (not 6B / 15B):
			// 7.5B × $0.0000133334 = $100,000.50; 11.25B × $0.0000120001 =
			// $135,001.13 (infracost golden). 18.75B GB-s = 9.375B requests ×
			// 1 s × 2 GB.
			name:  "infracost tiers arm64",
			fn:    FunctionConfig{MemoryMB: 2048, Architecture: ARM64},
			usage: Usage{Requests: 9_375_000_000, Duration: ms("1s")},
			lines: []want{{"requests", 0, "1875.00"}, {"duration", 1, "100000.50"}, {"duration", 2, "135001.13"}},
			total: "236876.63",
		},
		{
			// infracost PC golden (arm64, 512 MB, 100 h, 50 environments,
			// 10M requests × 350 ms on PC): PC 9,000,000 GB-s → $30.00;
			// duration 1,750,000 GB-s → $13.61; requests $2.00; total $45.61.
			name:  "infracost provisioned arm64",
			fn:    FunctionConfig{MemoryMB: 512, Architecture: ARM64, ProvisionedConcurrency: 50},
			usage: Usage{Requests: 10_000_000, Duration: ms("350ms"), ProvisionedHours: 100, ProvisionedRequests: 10_000_000},
			lines: []want{{"requests", 0, "2.00"}, {"provisioned_concurrency", 0, "30.00"}, {"provisioned_duration", 0, "13.61"}},
			total: "45.61",
		},
		{
			// infracost golden: 100,000 requests × 350 ms × 128 MB = 4,375 GB-s → $0.07.
			name:  "infracost small x86",
			fn:    FunctionConfig{MemoryMB: 128, Architecture: X86_64},
			usage: Usage{Requests: 100_000, Duration: ms("350ms")},
			lines: []want{{"requests", 0, "0.02"}, {"duration", 1, "0.07"}},
			total: "0.09",
		},
		{
			// same at 512 MB: 17,500 GB-s → $0.29 x86, $0.23 arm64.
			name:  "infracost 512MB x86",
			fn:    FunctionConfig{MemoryMB: 512, Architecture: X86_64},
			usage: Usage{Requests: 100_000, Duration: ms("350ms")},
			lines: []want{{"requests", 0, "0.02"}, {"duration", 1, "0.29"}},
			total: "0.31",
		},
		{
			name:  "infracost 512MB arm64",
			fn:    FunctionConfig{MemoryMB: 512, Architecture: ARM64},
			usage: Usage{Requests: 100_000, Duration: ms("350ms")},
			lines: []want{{"requests", 0, "0.02"}, {"duration", 1, "0.23"}},
			total: "0.25",
		},
	}
	table := Embedded()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := table.LambdaBill("us-east-1", []Item{{Function: tc.fn, Usage: tc.usage.Billed(tc.fn.ProvisionedConcurrency)}}, Options{FreeTier: tc.freeTier})
			if err != nil {
				t.Fatal(err)
			}
			got := b.Cost.Lines
			if len(got) != len(tc.lines) {
				t.Fatalf("got %d lines %v, want %d", len(got), got, len(tc.lines))
			}
			for i, w := range tc.lines {
				if got[i].Name != w.name || got[i].Tier != w.tier {
					t.Errorf("line %d = %s tier %d, want %s tier %d", i, got[i].Name, got[i].Tier, w.name, w.tier)
				}
				if c := RoundCents(got[i].Cost).StringFixed(2); c != w.cost {
					t.Errorf("line %d (%s tier %d) = $%s (exact %s), want $%s", i, w.name, w.tier, c, got[i].Cost, w.cost)
				}
			}
			if c := RoundCents(b.Cost.Total).StringFixed(2); c != tc.total {
				t.Errorf("total = $%s (exact %s), want $%s", c, b.Cost.Total, tc.total)
			}
		})
	}
}

// TestExactQuantities checks the unrounded arithmetic of the examples.
func TestExactQuantities(t *testing.T) {
	table := Embedded()
	b, err := table.LambdaBill("us-east-1", []Item{{
		Function: FunctionConfig{MemoryMB: 1536},
		Usage:    Usage{Requests: 3_000_000, Duration: ms("120ms")}.Billed(0),
	}}, Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	fb := b.Functions[0]
	if !fb.GBSeconds.Equal(decimal.NewFromInt(540_000)) {
		t.Errorf("GB-s = %s, want 540000", fb.GBSeconds)
	}
	// 140,000 × 0.0000166667 = 2.333338 exactly; + 0.4.
	if want := decimal.RequireFromString("2.733338"); !b.Cost.Total.Equal(want) {
		t.Errorf("total = %s, want %s", b.Cost.Total, want)
	}
}

func TestBilledRounding(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want int64
	}{
		{0, 0}, {time.Nanosecond, 1}, {time.Millisecond, 1}, {time.Millisecond + 1, 2},
		{1500 * time.Microsecond, 2}, {120 * time.Millisecond, 120}, {999999 * time.Microsecond, 1000},
	}
	for _, c := range cases {
		if got := BilledMs(c.d); got != c.want {
			t.Errorf("BilledMs(%v) = %d, want %d", c.d, got, c.want)
		}
	}
	// A SnapStart cache is billed for at least 3 hours, then per ms.
	if got := SnapStartCacheMs(time.Hour); got != 3*3600*1000 {
		t.Errorf("SnapStartCacheMs(1h) = %d", got)
	}
	if got := SnapStartCacheMs(3*time.Hour + 1500*time.Microsecond); got != 3*3600*1000+2 {
		t.Errorf("SnapStartCacheMs(3h+1.5ms) = %d", got)
	}
	// Provisioned time is rounded up to 5 minutes.
	ps := []struct {
		d    time.Duration
		want int64
	}{{0, 0}, {time.Second, 300}, {5 * time.Minute, 300}, {61 * time.Minute, 3900}, {24 * time.Hour, 86400}}
	for _, c := range ps {
		if got := ProvisionedSeconds(c.d); got != c.want {
			t.Errorf("ProvisionedSeconds(%v) = %d, want %d", c.d, got, c.want)
		}
	}
}

func TestColdStartsBillInit(t *testing.T) {
	// 1,000 on-demand invocations of 100.2 ms, 1% cold with 250.5 ms INIT:
	// warm 990 × ceil(100.2) = 990 × 101; cold 10 × ceil(350.7) = 10 × 351.
	u := Usage{Requests: 1000, Duration: ms("100.2ms"), ColdStartRate: 0.01, InitDuration: ms("250.5ms")}.Billed(0)
	if u.OnDemandMs != 990*101+10*351 || u.ColdStarts != 10 || u.InitMs != 10*250 {
		t.Errorf("billed = %+v", u)
	}
}

func TestEphemeralStorage(t *testing.T) {
	// 1M invocations × 1 s with 10,240 MB ephemeral storage: (10240−512)/1024
	// = 9.5 GB × 1,000,000 s = 9,500,000 GB-s × $0.0000000309 = $0.29355.
	b, err := Embedded().LambdaBill("us-east-1", []Item{{
		Function: FunctionConfig{MemoryMB: 128, EphemeralStorageMB: 10240},
		Usage:    Usage{Requests: 1_000_000, Duration: ms("1s")}.Billed(0),
	}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var eph *CostLine
	for i := range b.Cost.Lines {
		if b.Cost.Lines[i].Name == LineEphemeralStorage {
			eph = &b.Cost.Lines[i]
		}
	}
	if eph == nil || !eph.Quantity.Equal(decimal.NewFromInt(9_500_000)) || !eph.Cost.Equal(decimal.RequireFromString("0.29355")) {
		t.Fatalf("ephemeral line = %+v", eph)
	}
}

// TestTiersAggregateAcrossFunctions: two x86 functions of 4B GB-s each
// aggregate to 8B: 6B in tier 1 and 2B in tier 2, shared pro rata; an arm64
// function does not count toward x86 tiers.
func TestTiersAggregateAcrossFunctions(t *testing.T) {
	fn := func(name string, a Architecture) Item {
		// 2,000,000,000 requests × 2 s × 1 GB = 4B GB-s.
		return Item{Function: FunctionConfig{Name: name, MemoryMB: 1024, Architecture: a}, Usage: Usage{Requests: 2_000_000_000, Duration: ms("2s")}.Billed(0)}
	}
	b, err := Embedded().LambdaBill("us-east-1", []Item{fn("a", X86_64), fn("b", X86_64), fn("c", ARM64)}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tierQ := map[int]decimal.Decimal{}
	for _, l := range b.Cost.Lines {
		if l.Name == LineDuration && l.UnitPrice.Equal(decimal.RequireFromString("0.0000166667")) {
			tierQ[1] = tierQ[1].Add(l.Quantity)
		}
		if l.Name == LineDuration && l.UnitPrice.Equal(decimal.RequireFromString("0.000015")) {
			tierQ[2] = tierQ[2].Add(l.Quantity)
		}
	}
	if !tierQ[1].Equal(decimal.NewFromInt(6e9)) || !tierQ[2].Equal(decimal.NewFromInt(2e9)) {
		t.Errorf("x86 tiers = %v, want 6e9 and 2e9", tierQ)
	}
	// Each x86 function carries half of each tier; arm64 stays in its tier 1.
	for _, fb := range b.Functions[:2] {
		if len(fb.Cost.Lines) != 3 || !fb.Cost.Lines[1].Quantity.Equal(decimal.NewFromInt(3e9)) || !fb.Cost.Lines[2].Quantity.Equal(decimal.NewFromInt(1e9)) {
			t.Errorf("%s lines = %v", fb.Function.Name, fb.Cost.Lines)
		}
	}
	sum := decimal.Zero
	for _, fb := range b.Functions {
		sum = sum.Add(fb.Cost.Total)
	}
	if !sum.Equal(b.Cost.Total) {
		t.Errorf("functions sum to %s, bill total %s", sum, b.Cost.Total)
	}
}

// TestFreeTierSharedAndNeverOnProvisioned: the free tier is one pool of 1M
// requests and 400,000 GB-s for the account, applied x86 first, and never
// reduces provisioned charges.
func TestFreeTierSharedAndNeverOnProvisioned(t *testing.T) {
	items := []Item{
		// 300,000 GB-s x86 (1M × 300 ms × 1 GB), 1M requests.
		{Function: FunctionConfig{Name: "x", MemoryMB: 1024}, Usage: Usage{Requests: 1_000_000, Duration: ms("300ms")}.Billed(0)},
		// 200,000 GB-s arm64 (1M × 200 ms × 1 GB), 1M requests.
		{Function: FunctionConfig{Name: "a", MemoryMB: 1024, Architecture: ARM64}, Usage: Usage{Requests: 1_000_000, Duration: ms("200ms")}.Billed(0)},
		// provisioned only: 1 env × 1 h × 1 GB, 0 on-demand.
		{Function: FunctionConfig{Name: "p", MemoryMB: 1024, ProvisionedConcurrency: 1}, Usage: Usage{ProvisionedHours: 1}.Billed(1)},
	}
	b, err := Embedded().LambdaBill("us-east-1", items, Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	// x86: 300,000 all free. arm: 200,000 − 100,000 free = 100,000 ×
	// 0.0000133334 = 1.33334. Requests: 2M − 1M = 1M × 0.0000002 = 0.2.
	// PC: 3600 GB-s × 0.0000041667 = 0.01500012.
	want := decimal.RequireFromString("1.33334").Add(decimal.RequireFromString("0.2")).Add(decimal.RequireFromString("0.01500012"))
	if !b.Cost.Total.Equal(want) {
		t.Errorf("total = %s, want %s; lines %v", b.Cost.Total, want, b.Cost.Lines)
	}
}

func TestUnknownPriceIsAnError(t *testing.T) {
	// eu-north-1 has no known arm64 provisioned-concurrency price: never guess.
	_, err := Embedded().LambdaBill("eu-north-1", []Item{{
		Function: FunctionConfig{MemoryMB: 1024, Architecture: ARM64, ProvisionedConcurrency: 1},
		Usage:    Usage{ProvisionedHours: 1}.Billed(1),
	}}, Options{})
	if err == nil || !IsInput(err) {
		t.Fatalf("err = %v, want an input error", err)
	}
	// Tier 1 is known everywhere in the table.
	if _, err := Embedded().LambdaBill("eu-north-1", []Item{{Function: FunctionConfig{MemoryMB: 1024}, Usage: Usage{Requests: 10, Duration: ms("1s")}.Billed(0)}}, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := Embedded().LambdaBill("mars-1", nil, Options{}); err == nil {
		t.Fatal("unknown region accepted")
	}
}

// TestMoneyDoesNotDrift sums 100,000 one-request lines in 200 costs:
// exactly $0.02, where float64 addition drifts.
func TestMoneyDoesNotDrift(t *testing.T) {
	price := decimal.RequireFromString("0.20").Div(decimal.NewFromInt(1_000_000))
	costs := make([]Cost, 0, 200)
	for i := 0; i < 200; i++ {
		var c Cost
		for j := 0; j < 500; j++ {
			c.Add(NewLine(LineRequests, "requests", decimal.NewFromInt(1), price))
		}
		costs = append(costs, c)
	}
	s := Sum(costs...)
	if !s.Total.Equal(decimal.RequireFromString("0.02")) || len(s.Lines) != 1 || !s.Lines[0].Quantity.Equal(decimal.NewFromInt(100_000)) {
		t.Fatalf("sum = %s over %d lines", s.Total, len(s.Lines))
	}
	var f float64
	for i := 0; i < 100_000; i++ {
		f += 0.0000002
	}
	if f == 0.02 {
		t.Log("float64 happened not to drift here")
	}
}

func TestValidateCollectsEverything(t *testing.T) {
	errs := FunctionConfig{MemoryMB: 100, Architecture: "sparc", EphemeralStorageMB: 20000, Timeout: Duration(901 * time.Second)}.Validate("")
	if len(errs) != 4 {
		t.Fatalf("got %d errors: %v", len(errs), errs)
	}
	errs = Usage{Requests: -1, Duration: ms("901s"), ColdStartRate: 2}.Validate("", 0)
	if len(errs) != 3 {
		t.Fatalf("got %d errors: %v", len(errs), errs)
	}
}

func TestUsageFileErrorsHaveLines(t *testing.T) {
	data := []byte("functions:\n  - name: api\n    memory_mb: 100\n    requests: 10\n    duration: 1s\n  - name: b\n    memroy_mb: 512\n")
	_, err := ParseUsageFile("u.yaml", data)
	if err == nil {
		t.Fatal("accepted")
	}
	if got := err.Error(); !strings.Contains(got, "u.yaml:7") || !strings.Contains(got, "memroy_mb") {
		t.Errorf("err = %q, want u.yaml:7 and the unknown key", got)
	}
	data = []byte("functions:\n  - name: api\n    memory_mb: 100\n    requests: 10\n    duration: 1s\n")
	_, err = ParseUsageFile("u.yaml", data)
	if err == nil || !strings.Contains(err.Error(), "u.yaml:3") {
		t.Errorf("err = %v, want u.yaml:3", err)
	}
}

func TestMergeKeepsEveryService(t *testing.T) {
	base := Embedded()
	over := &PriceTable{
		Date:    "2099-01-01",
		Sources: []Source{base.Sources[0], {ID: "NEW", Title: "new"}},
		Fargate: map[string]map[Architecture]*FargatePrices{"eu-west-1": {X86_64: {VCPUHour: decimal.RequireFromString("0.05"), GBHour: decimal.RequireFromString("0.005")}}},
		ALB:     map[string]*ALBPrices{"eu-west-1": {Hour: decimal.RequireFromString("0.0252"), LCUHour: decimal.RequireFromString("0.008")}},
	}
	n := len(base.Sources)
	base.Merge(over)
	if base.Date != "2099-01-01" || len(base.Sources) != n+1 {
		t.Errorf("date %s, %d sources (want %d)", base.Date, len(base.Sources), n+1)
	}
	if _, err := base.FargateFor("eu-west-1", X86_64); err != nil {
		t.Error(err)
	}
	if _, err := base.FargateFor("us-east-1", X86_64); err != nil {
		t.Error("embedded Fargate region lost:", err)
	}
	if p, err := base.ALBFor("eu-west-1"); err != nil || p.Hour.String() != "0.0252" {
		t.Error(p, err)
	}
}

// A bill whose invoked functions have no log bytes says their logs are not
// priced (a missing logs line is not a zero); when some functions have
// logs, it names the others; a function never invoked needs no logs.
func TestLogsNotPricedAssumption(t *testing.T) {
	fn := func(name string, req, logBytes int64) Item {
		return Item{Function: FunctionConfig{Name: name, MemoryMB: 128}, Usage: BilledUsage{Requests: req, OnDemandMs: req * 100, LogBytes: logBytes}}
	}
	for _, tc := range []struct {
		name  string
		items []Item
		want  string // "" = no such assumption
	}{
		{"one function, no logs", []Item{fn("a", 1000, 0)}, "the function's logs are not in the bill"},
		{"two, none with logs", []Item{fn("a", 1000, 0), fn("b", 1000, 0)}, "the functions' logs are not in the bill"},
		{"two, one with logs", []Item{fn("a", 1000, 2048), fn("b", 1000, 0)}, "the logs of b are not in the bill"},
		{"all with logs", []Item{fn("a", 1000, 2048)}, ""},
		{"not invoked", []Item{fn("a", 0, 0)}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Embedded().LambdaBill("us-east-1", tc.items, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got *Assumption
			for i, a := range b.Assumptions {
				if a.Field == "logs" && a.Value == "not priced" {
					got = &b.Assumptions[i]
				}
			}
			switch {
			case tc.want == "" && got != nil:
				t.Errorf("unexpected %v", *got)
			case tc.want != "" && (got == nil || !strings.Contains(got.Why, tc.want)):
				t.Errorf("logs assumption %v, want one saying %q", got, tc.want)
			}
		})
	}
}

// The mean month of a span weights each month's bill by the part of the
// span it covers: a whole month (2,628,000 s) billed $3 and half a month
// (1,314,000 s, already projected to a month) billed $6 give
// 3 × 2/3 + 6 × 1/3 = $4, with the requests lines merged:
// (15M × 2/3 + 30M × 1/3) = 20M requests at $0.20 per million.
func TestMeanMonthCost(t *testing.T) {
	line := func(req int64) Cost {
		var c Cost
		c.Add(NewLine(LineRequests, "requests", decimal.NewFromInt(req), decimal.RequireFromString("0.0000002")))
		return c
	}
	got := MeanMonthCost([]MonthCost{{Cost: line(15_000_000), Seconds: 2_628_000}, {Cost: line(30_000_000), Seconds: 1_314_000}})
	if got.Total.Round(12).String() != "4" || len(got.Lines) != 1 || got.Lines[0].Quantity.Round(9).String() != "20000000" {
		t.Errorf("mean month = %s, %+v; want $4 and 20M requests", got.Total, got.Lines)
	}
}
