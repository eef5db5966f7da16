package reports

import (
	"fmt"
	"io"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// BillPage builds the HTML page of a Lambda bill (`estimate`, one or many
// functions): the total, each function's cost by component, and the lines.
func BillPage(b *pricing.Bill, priceDate string) *Page {
	ests := b.Estimates()
	order := make([]int, len(ests))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return ests[order[x]].Total.GreaterThan(ests[order[y]].Total) })

	var req int64
	var gbs decimal.Decimal
	for _, fb := range b.Functions {
		req += fb.Usage.Requests
		gbs = gbs.Add(fb.GBSeconds)
	}
	free := "no free tier"
	if b.FreeTier {
		free = "free tier applied"
	}
	p := &Page{
		Title:    fmt.Sprintf("Lambda bill per month · %s", b.Region),
		Subtitle: fmt.Sprintf("%d function(s) · %s · AWS list prices of %s", len(ests), free, priceDate),
		Facts: []Fact{
			{Label: "Total per month", Value: USD(b.Cost.Total), Detail: free},
			{Label: "Requests", Value: Num(decimal.NewFromInt(req), 0)},
			{Label: "Compute", Value: Num(gbs, 0) + " GB-s", Detail: "on-demand, before the free tier"},
		},
	}
	names := make([]string, len(order))
	costs := make([]pricing.Cost, len(order))
	fnTable := HTMLTable{
		Header:   []string{"Function", "Arch", "Memory MB", "Requests", "GB-s", "Cost per month"},
		Sortable: len(order) > 1, SortedBy: 6,
	}
	for k, i := range order {
		e := ests[i]
		name := e.Name
		if name == "" {
			name = fmt.Sprintf("%s %d MB", e.Architecture, e.MemoryMB)
		}
		names[k] = name
		costs[k] = b.Functions[i].Cost
		fnTable.Rows = append(fnTable.Rows, []Cell{
			TextCell(name), TextCell(string(e.Architecture)), NumCell(fmt.Sprint(e.MemoryMB), float64(e.MemoryMB)),
			NumCell(Num(decimal.NewFromInt(e.Requests), 0), float64(e.Requests)),
			NumCell(Numf(e.GBSeconds, 1), e.GBSeconds), NumCell(USD(e.Total), e.Total.InexactFloat64()),
		})
	}
	fnTable.Footer = []Cell{TextCell("Total"), {}, {}, NumCell(Num(decimal.NewFromInt(req), 0), 0), NumCell(Num(gbs, 1), 0), NumCell(USD(b.Cost.Total), 0)}

	charts := []Chart{}
	// Up to 8 functions, the two charts sit side by side.
	side := len(order) > 1 && len(order) <= 8
	if len(order) > 1 {
		c := costByFunctionChart("cost-by-function", "Monthly cost by function", "most expensive first", names, costs, 20)
		c.Half = side
		charts = append(charts, c)
	}
	charts = append(charts, costBreakdownChart("cost-breakdown", "Monthly cost by component", free, b.Cost, side))
	lines := TableFromGrid(linesGrid("Cost lines (tiers aggregated per architecture)", b.Cost.Lines, b.Cost.Total))
	p.Sections = []Section{
		{Title: "Where the money goes", Charts: charts},
		{Title: "Functions and cost lines", Tables: []HTMLTable{fnTable, lines}},
	}
	p.Notes = []string{
		"Duration is billed per invocation rounded up to the millisecond; duration tiers apply to the aggregate GB-s of each architecture.",
		"INIT time of cold starts is billed (since 2025-08-01); provisioned concurrency is never covered by the free tier.",
	}
	return p
}

// WriteBillHTML writes the HTML report of a Lambda bill.
func WriteBillHTML(w io.Writer, b *pricing.Bill, priceDate string, opts ...HTMLOption) error {
	return BillPage(b, priceDate).Render(w, opts...)
}
