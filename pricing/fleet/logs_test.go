package fleet

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// compare's --log-bytes adds a logs line on the Lambda side, by hand
// (us-east-1): 1,000,000 requests × 2 KB = 2,048,000,000 bytes =
// 1.9073486328125 GB × $0.50 = $0.95367431640625. At twice the volume the
// bytes double: $1.9073486328125. Measured log bytes win over the flag.
func TestLambdaCostLogBytes(t *testing.T) {
	tab := pricing.Embedded()
	fc := pricing.FunctionConfig{MemoryMB: 128, Architecture: pricing.X86_64}
	base := pricing.BilledUsage{Requests: 1_000_000, OnDemandMs: 100_000_000}
	logs := func(c pricing.Cost) decimal.Decimal {
		s := decimal.Zero
		for _, l := range c.Lines {
			if l.Name == pricing.LineLogs {
				s = s.Add(l.Cost)
			}
		}
		return s
	}
	for volume, want := range map[float64]string{1_000_000: "0.95367431640625", 2_000_000: "1.9073486328125"} {
		c, err := LambdaCost(tab, "us-east-1", fc, base, volume, Options{LogBytesPerRequest: 2 * pricing.KiB})
		if err != nil {
			t.Fatal(err)
		}
		if got := logs(c); !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("volume %v: logs = %s, want %s", volume, got, want)
		}
	}
	// Measured: 1,024,000,000 bytes for the 1M requests (1 KB each) → $0.476837158203125.
	measured := base
	measured.LogBytes = 1_024_000_000
	c, err := LambdaCost(tab, "us-east-1", fc, measured, 1_000_000, Options{LogBytesPerRequest: 2 * pricing.KiB})
	if err != nil {
		t.Fatal(err)
	}
	if got := logs(c); !got.Equal(decimal.RequireFromString("0.476837158203125")) {
		t.Errorf("measured logs = %s, want 0.476837158203125", got)
	}
	// Without the flag nor measured bytes, no logs line.
	if c, err := LambdaCost(tab, "us-east-1", fc, base, 1_000_000, Options{}); err != nil || !logs(c).IsZero() {
		t.Errorf("no log bytes: %v, %v", c.Lines, err)
	}
}
