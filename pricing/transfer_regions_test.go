package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Data transfer out outside us-east-1, tiers by hand. Tokyo's tiers are
// $0.114, $0.089, $0.086, $0.084 per GB (first 10 TB, next 40, next 100,
// over 150). 60 TB = 61,440 GB: 10,240 × 0.114 + 40,960 × 0.089 +
// 10,240 × 0.086 = 1,167.36 + 3,645.44 + 880.64 = $5,693.44.
// São Paulo, 20 TB = 20,480 GB: 10,240 × 0.15 + 10,240 × 0.138 =
// 1,536 + 1,413.12 = $2,949.12.
func TestTransferOutLineOutsideUSEast1(t *testing.T) {
	d := decimal.RequireFromString
	for _, c := range []struct {
		region string
		gb     int64
		want   string
	}{
		{"ap-northeast-1", 61440, "5693.44"},
		{"sa-east-1", 20480, "2949.12"},
		{"eu-west-1", 20480, "1792"},
	} {
		it := []Item{{Function: FunctionConfig{MemoryMB: 128}, Usage: BilledUsage{Requests: 1000, TransferOutBytes: c.gb * GiB}}}
		b, err := Embedded().LambdaBill(c.region, it, Options{})
		if err != nil {
			t.Errorf("%s: %v", c.region, err)
			continue
		}
		if got := lineSum(b.Cost, LineTransferOut); !got.Equal(d(c.want)) {
			t.Errorf("%s: transfer of %d GB = %s, want %s", c.region, c.gb, got, c.want)
		}
	}
}
