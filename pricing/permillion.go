package pricing

import "github.com/shopspring/decimal"

// CostPerMillion is total ÷ requests × 1,000,000: what a million requests
// cost at the given volume (tiers and the free tier included), exact to 24
// decimal places. It is zero when requests is not positive.
func CostPerMillion(total decimal.Decimal, requests int64) decimal.Decimal {
	if requests <= 0 {
		return decimal.Zero
	}
	return total.Mul(dMillion).DivRound(decimal.NewFromInt(requests), 24)
}
