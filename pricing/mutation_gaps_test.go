package pricing

import (
	"testing"

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
