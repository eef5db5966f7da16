package pricing

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

// Cost line names (the `lines[].name` vocabulary of the JSON contract).
const (
	LineRequests               = "requests"
	LineDuration               = "duration"
	LineEphemeralStorage       = "ephemeral_storage"
	LineProvisionedConcurrency = "provisioned_concurrency"
	LineProvisionedDuration    = "provisioned_duration"
	LineSnapStartCache         = "snapstart_cache"
	LineSnapStartRestore       = "snapstart_restore"
)

// CostLine is one priced component of a bill: quantity × unit price = cost.
// Amounts are exact decimals; JSON carries them as unrounded numbers.
type CostLine struct {
	Name string // e.g. "duration"
	Tier int    // 1-based pricing tier, 0 when the price is flat
	// Architecture is set on Lambda lines (tiers and rates are per architecture).
	Architecture Architecture
	Unit         string          // "requests", "GB-s", "hours", ...
	Quantity     decimal.Decimal // billed quantity (after the free tier)
	UnitPrice    decimal.Decimal // USD per unit
	Cost         decimal.Decimal // USD
}

type costLineJSON struct {
	Name      string       `json:"name"`
	Tier      int          `json:"tier,omitempty"`
	Arch      Architecture `json:"architecture,omitempty"`
	Quantity  float64      `json:"quantity"`
	Unit      string       `json:"unit"`
	UnitPrice float64      `json:"unit_price_usd"`
	Cost      float64      `json:"cost_usd"`
}

// MarshalJSON writes the line with amounts as JSON numbers.
func (l CostLine) MarshalJSON() ([]byte, error) {
	return json.Marshal(costLineJSON{l.Name, l.Tier, l.Architecture, l.Quantity.InexactFloat64(), l.Unit, l.UnitPrice.InexactFloat64(), l.Cost.InexactFloat64()})
}

// UnmarshalJSON reads a line written by MarshalJSON.
func (l *CostLine) UnmarshalJSON(b []byte) error {
	var j costLineJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*l = CostLine{Name: j.Name, Tier: j.Tier, Architecture: j.Arch, Unit: j.Unit, Quantity: decimal.NewFromFloat(j.Quantity), UnitPrice: decimal.NewFromFloat(j.UnitPrice), Cost: decimal.NewFromFloat(j.Cost)}
	return nil
}

// NewLine prices quantity at unitPrice.
func NewLine(name, unit string, quantity, unitPrice decimal.Decimal) CostLine {
	return CostLine{Name: name, Unit: unit, Quantity: quantity, UnitPrice: unitPrice, Cost: quantity.Mul(unitPrice)}
}

// Cost is a list of cost lines and their exact total.
type Cost struct {
	Lines []CostLine      `json:"lines"`
	Total decimal.Decimal `json:"-"`
}

type costJSON struct {
	Total float64    `json:"total_usd"`
	Lines []CostLine `json:"lines"`
}

// MarshalJSON writes {"total_usd":..,"lines":[..]}.
func (c Cost) MarshalJSON() ([]byte, error) {
	lines := c.Lines
	if lines == nil {
		lines = []CostLine{}
	}
	return json.Marshal(costJSON{c.Total.InexactFloat64(), lines})
}

// UnmarshalJSON reads what MarshalJSON writes.
func (c *Cost) UnmarshalJSON(b []byte) error {
	var j costJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	c.Lines = j.Lines
	c.Total = decimal.NewFromFloat(j.Total)
	return nil
}

// Add appends a line and updates the total.
func (c *Cost) Add(l CostLine) {
	c.Lines = append(c.Lines, l)
	c.Total = c.Total.Add(l.Cost)
}

// TotalUSD is the total as a float64 (for charts and thresholds; sums are
// taken on the exact decimal).
func (c Cost) TotalUSD() float64 { return c.Total.InexactFloat64() }

// Sum merges lines that share name, tier, unit and unit price, keeping the
// order of first appearance, and totals them exactly.
func Sum(costs ...Cost) Cost {
	type key struct {
		name, unit, price string
		tier              int
		arch              Architecture
	}
	idx := map[key]int{}
	var out Cost
	for _, c := range costs {
		for _, l := range c.Lines {
			k := key{l.Name, l.Unit, l.UnitPrice.String(), l.Tier, l.Architecture}
			if i, ok := idx[k]; ok {
				out.Lines[i].Quantity = out.Lines[i].Quantity.Add(l.Quantity)
				out.Lines[i].Cost = out.Lines[i].Cost.Add(l.Cost)
			} else {
				idx[k] = len(out.Lines)
				out.Lines = append(out.Lines, l)
			}
			out.Total = out.Total.Add(l.Cost)
		}
	}
	return out
}

// Scale multiplies every quantity and cost by f (e.g. to project a simulated
// span to a month). Unit prices are unchanged.
func (c Cost) Scale(f decimal.Decimal) Cost {
	out := Cost{Lines: make([]CostLine, len(c.Lines))}
	for i, l := range c.Lines {
		l.Quantity = l.Quantity.Mul(f)
		l.Cost = l.Cost.Mul(f)
		out.Lines[i] = l
		out.Total = out.Total.Add(l.Cost)
	}
	return out
}

// RoundCents rounds an amount half-up to cents, as AWS prints its examples.
func RoundCents(d decimal.Decimal) decimal.Decimal { return d.Round(2) }

// MonthUsage is the billed usage of one 730-hour month of a span longer
// than a month: the month starting StartS seconds into the span, of which
// Seconds were measured (a whole month, or the part the span leaves).
type MonthUsage struct {
	StartS  float64     `json:"start_s"`
	Seconds float64     `json:"seconds"`
	Usage   BilledUsage `json:"billed_usage"`
}

// MonthCost is the bill of one month of a span longer than a month and
// how many seconds of the span it covers.
type MonthCost struct {
	Cost    Cost
	Seconds float64
}

// MeanMonthCost is the mean month of a span billed month by month: each
// month's bill weighted by the share of the span it covers (equal weights
// for whole months), lines merged as Sum merges them. Lambda's free tier
// and its duration and log tiers are monthly, so a span's months billed
// on their own can cost more than its average month billed once: a month
// below the free tier wastes part of it.
func MeanMonthCost(months []MonthCost) Cost {
	total := 0.0
	for _, m := range months {
		total += m.Seconds
	}
	if total <= 0 {
		return Cost{}
	}
	parts := make([]Cost, len(months))
	for i, m := range months {
		parts[i] = m.Cost.Scale(decimal.NewFromFloat(m.Seconds).DivRound(decimal.NewFromFloat(total), 24))
	}
	return Sum(parts...)
}
