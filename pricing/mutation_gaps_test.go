package pricing

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestEphemeralStorageDuringProvisionedInvocations: AWS bills ephemeral
// storage above the free 512 MB for every GB-s the function runs, whether
// the invocation ran on an on-demand or a provisioned environment (Lambda
// pricing page, "Ephemeral storage": "charged ... for the duration of the
// invocation"). Figures by hand, us-east-1 at $0.0000000309 per GB-s:
//
//   - provisioned only: 1,000 invocations × 1,000 ms on provisioned
//     environments with 2,560 MB storage: (2560−512)/1024 = 2 GB × 1,000 s =
//     2,000 GB-s → $0.0000618;
//   - mixed: plus 500,000 on-demand ms: 2 GB × 1,500 s = 3,000 GB-s →
//     $0.0000927;
//   - at exactly 512 MB nothing is billed, at 513 MB 1/1024 GB is.
func TestEphemeralStorageDuringProvisionedInvocations(t *testing.T) {
	cases := []struct {
		name    string
		storage int
		u       BilledUsage
		wantQ   string // GB-s, "" = no line
		wantUSD string
	}{
		{"provisioned only", 2560, BilledUsage{Requests: 1000, ProvisionedMs: 1_000_000, ProvisionedEnvSeconds: 3600}, "2000", "0.0000618"},
		{"mixed", 2560, BilledUsage{Requests: 1500, OnDemandMs: 500_000, ProvisionedMs: 1_000_000, ProvisionedEnvSeconds: 3600}, "3000", "0.0000927"},
		{"arm64 provisioned", 2560, BilledUsage{Requests: 1000, ProvisionedMs: 1_000_000, ProvisionedEnvSeconds: 3600}, "2000", "0.0000618"},
		// 513 MB: 1/1024 GB above the free 512 MB × 1,024 s = 1 GB-s.
		{"513 MB provisioned", 513, BilledUsage{Requests: 1, ProvisionedMs: 1_024_000, ProvisionedEnvSeconds: 300}, "1", "0.0000000309"},
		{"512 MB is free", 512, BilledUsage{Requests: 1000, ProvisionedMs: 1_000_000, ProvisionedEnvSeconds: 3600}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			arch := X86_64
			if tc.name == "arm64 provisioned" {
				arch = ARM64
			}
			fn := FunctionConfig{MemoryMB: 1024, Architecture: arch, EphemeralStorageMB: tc.storage, ProvisionedConcurrency: 1}
			b, err := Embedded().LambdaBill("us-east-1", []Item{{Function: fn, Usage: tc.u}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var eph []CostLine
			for _, l := range b.Cost.Lines {
				if l.Name == LineEphemeralStorage {
					eph = append(eph, l)
				}
			}
			if tc.wantQ == "" {
				if len(eph) != 0 {
					t.Fatalf("512 MB of storage billed: %+v", eph)
				}
				return
			}
			if len(eph) != 1 {
				t.Fatalf("ephemeral lines = %+v, want one", eph)
			}
			if q := decimal.RequireFromString(tc.wantQ); !eph[0].Quantity.Equal(q) {
				t.Errorf("ephemeral GB-s = %s, want %s", eph[0].Quantity, q)
			}
			if c := decimal.RequireFromString(tc.wantUSD); !eph[0].Cost.Equal(c) {
				t.Errorf("ephemeral cost = $%s, want $%s", eph[0].Cost, c)
			}
		})
	}
}

// TestFreeTierOnlyOnDemand: the free tier's 400,000 GB-s cover on-demand
// duration only, never provisioned duration, and its 1M requests never
// make a bill negative. 1,024 MB, x86, us-east-1, free tier on:
//
//   - 500,000 on-demand GB-s (500,000,000 ms × 1 GB) and 200,000 provisioned
//     GB-s: on-demand 100,000 GB-s × $0.0000166667 = $1.66667; provisioned
//     200,000 × $0.0000097222 = $1.94444 (untouched by the free tier);
//   - 300,000 requests: all free, $0 (not a credit for the 700,000 unused).
func TestFreeTierOnlyOnDemand(t *testing.T) {
	b, err := Embedded().LambdaBill("us-east-1", []Item{{
		Function: FunctionConfig{MemoryMB: 1024, ProvisionedConcurrency: 1},
		Usage:    BilledUsage{Requests: 300_000, OnDemandMs: 500_000_000, ProvisionedMs: 200_000_000},
	}}, Options{FreeTier: true})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{LineDuration: "1.66667", LineProvisionedDuration: "1.94444", LineRequests: "0"}
	got := map[string]decimal.Decimal{}
	for _, l := range b.Cost.Lines {
		got[l.Name] = got[l.Name].Add(l.Cost)
		if l.Cost.IsNegative() || l.Quantity.IsNegative() {
			t.Errorf("negative line %+v", l)
		}
	}
	for name, w := range want {
		if !got[name].Equal(decimal.RequireFromString(w)) {
			t.Errorf("%s = $%s, want $%s", name, got[name], w)
		}
	}
	if !b.Cost.Total.Equal(decimal.RequireFromString("3.61111")) {
		t.Errorf("total = $%s, want $3.61111", b.Cost.Total)
	}
}

// TestLimitsInclusive: Lambda's limits are inclusive — 10,240 MB of memory
// and a 900 s (15 min) timeout are allowed, one more is not; 128 MB is the
// smallest memory (Lambda quotas page).
func TestLimitsInclusive(t *testing.T) {
	for _, c := range []struct {
		f  FunctionConfig
		ok bool
	}{
		{FunctionConfig{MemoryMB: 10240}, true},
		{FunctionConfig{MemoryMB: 10241}, false},
		{FunctionConfig{MemoryMB: 128}, true},
		{FunctionConfig{MemoryMB: 127}, false},
		{FunctionConfig{MemoryMB: 128, Timeout: Duration(15 * time.Minute)}, true},
		{FunctionConfig{MemoryMB: 128, Timeout: Duration(15*time.Minute + time.Nanosecond)}, false},
		{FunctionConfig{MemoryMB: 128, EphemeralStorageMB: 10240}, true},
		{FunctionConfig{MemoryMB: 128, EphemeralStorageMB: 10241}, false},
		{FunctionConfig{MemoryMB: 128, EphemeralStorageMB: 511}, false},
	} {
		errs := c.f.WithDefaults().Validate("")
		if (len(errs) == 0) != c.ok {
			t.Errorf("%+v: errors %v, want ok = %v", c.f, errs, c.ok)
		}
	}
}

// TestBilledLogBytesPerRequest: Usage.Billed's log bytes are every
// request's: 1,000 requests × 500 bytes = 500,000 bytes (and 3 × 7 = 21).
func TestBilledLogBytesPerRequest(t *testing.T) {
	for _, c := range []struct {
		req, per, want int64
	}{{1000, 500, 500_000}, {3, 7, 21}, {0, 500, 0}} {
		got := Usage{Requests: c.req, LogBytesPerRequest: ByteSize(c.per)}.Billed(0).LogBytes
		if got != c.want {
			t.Errorf("%d requests × %d bytes: log bytes %d, want %d", c.req, c.per, got, c.want)
		}
	}
}

// TestDatasetLogBytesSplitRemainder: a dataset function's measured log
// bytes are split over its items pro rata by invocations, the last item
// taking the remainder so that nothing is lost. 10 bytes over three
// items of 1 invocation each: round(10 × 1/3) = 3, 3, then the remainder
// 10 − 6 = 4 (not round(10/3) = 3, which would bill 9 bytes).
func TestDatasetLogBytesSplitRemainder(t *testing.T) {
	items := make([]Item, 3)
	for k := range items {
		items[k].Usage.Requests = 1
	}
	f := &DatasetFunction{}
	f.Summary.LogBytes = 10
	if err := perRequestBytes(items, f, Options{}); err != nil {
		t.Fatal(err)
	}
	for k, want := range []int64{3, 3, 4} {
		if got := items[k].Usage.LogBytes; got != want {
			t.Errorf("item %d: log bytes %d, want %d", k, got, want)
		}
	}
}
