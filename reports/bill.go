package reports

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

func linesGrid(title string, lines []pricing.CostLine, total decimal.Decimal) Grid {
	archs := map[pricing.Architecture]bool{}
	for _, l := range lines {
		if l.Architecture != "" {
			archs[l.Architecture] = true
		}
	}
	g := Grid{
		Title:      title,
		Header:     []string{"Line", "Quantity", "Unit", "Unit price", "Cost"},
		AlignRight: map[int]bool{1: true, 3: true, 4: true},
	}
	for _, l := range lines {
		label := l.Label()
		if len(archs) > 1 && l.Architecture != "" {
			label += " · " + string(l.Architecture)
		}
		g.Rows = append(g.Rows, []string{label, Num(l.Quantity, 3), l.Unit, UnitPrice(l.UnitPrice), USD(l.Cost)})
	}
	g.Footer = []string{"Total", "", "", "", USD(total)}
	return g
}

// EstimateGrids renders single-function estimates, one table each.
func EstimateGrids(ests []pricing.Estimate, priceDate string) []Grid {
	var gs []Grid
	for _, e := range ests {
		title := fmt.Sprintf("Lambda bill per month · %s · %s · %d MB", e.Region, e.Architecture, e.MemoryMB)
		if e.Name != "" {
			title = e.Name + " · " + title
		}
		if e.FreeTier {
			title += " · free tier applied"
		}
		title += " · prices of " + priceDate
		gs = append(gs, linesGrid(title, e.Lines, e.Total))
	}
	// The assumptions of all estimates, once (--arch both repeats them).
	var as pricing.Assumptions
	for _, e := range ests {
		for _, a := range e.Assumptions {
			as.Add(a)
		}
	}
	gs = append(gs, AssumptionsGrid(as)...)
	return gs
}

// BillJSON is the JSON view of a multi-function bill (`estimate --usage`).
type BillJSON struct {
	Region    string             `json:"region"`
	FreeTier  bool               `json:"free_tier"`
	Functions []pricing.Estimate `json:"functions"`
	Lines     []pricing.CostLine `json:"lines"`
	TotalUSD  float64            `json:"total_usd"`
	// Assumptions lists what the bill assumed (set by the caller).
	Assumptions pricing.Assumptions `json:"assumptions,omitempty"`
}

// NewBillJSON builds the JSON view of b.
func NewBillJSON(b *pricing.Bill) BillJSON {
	lines := b.Cost.Lines
	if lines == nil {
		lines = []pricing.CostLine{}
	}
	return BillJSON{Region: b.Region, FreeTier: b.FreeTier, Functions: b.Estimates(), Lines: lines, TotalUSD: b.Cost.Total.InexactFloat64()}
}

// BillGrids renders a multi-function bill: one row per function, then the
// aggregate cost lines (tiers applied across functions).
func BillGrids(b *pricing.Bill, priceDate string) []Grid {
	fn := Grid{
		Title:      fmt.Sprintf("Lambda bill per month by function · %s · prices of %s", b.Region, priceDate),
		Header:     []string{"Function", "Arch", "Memory MB", "Requests", "GB-s", "Cost"},
		AlignRight: map[int]bool{2: true, 3: true, 4: true, 5: true},
	}
	for _, e := range b.Estimates() {
		fn.Rows = append(fn.Rows, []string{e.Name, string(e.Architecture), fmt.Sprint(e.MemoryMB), Num(decimal.NewFromInt(e.Requests), 0), Numf(e.GBSeconds, 1), USD(e.Total)})
	}
	fn.Footer = []string{"Total", "", "", "", "", USD(b.Cost.Total)}
	title := "Cost lines (tiers aggregated per architecture)"
	if b.FreeTier {
		title += " · free tier applied"
	}
	return []Grid{fn, linesGrid(title, b.Cost.Lines, b.Cost.Total)}
}
