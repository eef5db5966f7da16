package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestCostPerMillion(t *testing.T) {
	for _, tc := range []struct {
		total    string
		requests int64
		want     string
	}{
		{"2.73", 3_000_000, "0.91"},                      // $2.73 for 3M requests = $0.91 per million
		{"0.2", 1_000_000, "0.2"},                        // the request price alone
		{"1", 3, "333333." + "333333333333333333333333"}, // 24 decimal places
		{"5", 0, "0"},
		{"5", -1, "0"},
	} {
		got := CostPerMillion(decimal.RequireFromString(tc.total), tc.requests)
		if !got.Equal(decimal.RequireFromString(tc.want)) {
			t.Errorf("CostPerMillion(%s, %d) = %s, want %s", tc.total, tc.requests, got, tc.want)
		}
	}
}
