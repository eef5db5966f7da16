package reports

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// WriteComparisons writes the results of `lambdacost compare` in format:
// JSON as {"comparisons":[...]}, for one function or several; one
// CSV table of every function's cost curve (ComparisonsCSV); else, per
// function, the grids of ComparisonGrids, its notes and its assumptions.
func WriteComparisons(w io.Writer, format Format, st Style, results []*fleet.Result) error {
	if format == JSON { // one shape for one function or many
		return WriteJSON(w, struct {
			Comparisons []*fleet.Result `json:"comparisons"`
		}{results})
	}
	if format == CSV {
		return WriteGrids(w, format, st, ComparisonsCSV(results))
	}
	for i, r := range results {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
		}
		if err := WriteGrids(w, format, st, ComparisonGrids(r)...); err != nil {
			return err
		}
		if err := WriteNotes(w, format, st.Width, r.Notes); err != nil {
			return err
		}
		if as := AssumptionsGrid(r.Assumptions); len(as) > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return err
			}
			if err := WriteGrids(w, format, st, as...); err != nil {
				return err
			}
		}
	}
	return nil
}

// ComparisonsCSV is one table of the cost curves of results: for one
// result its ComparisonCurveGrid (CSV form); for several, every curve
// with the function, fleet instance types and Fargate architecture named
// on each row.
func ComparisonsCSV(results []*fleet.Result) Grid {
	if len(results) == 1 {
		return ComparisonCurveGrid(results[0], true)
	}
	g := Grid{Header: []string{"Function", "Requests/month", "Lambda x86_64", "Lambda arm64", "EC2 instance type", "EC2", "Fargate architecture", "Fargate", "LMI instance type", "LMI", "current"}}
	for _, r := range results {
		for _, row := range ComparisonCurveGrid(r, true).Rows {
			lmiType, lmiCost, cur := "", "", row[len(row)-1]
			if r.LMI != nil {
				lmiType, lmiCost = r.LMI.InstanceType, row[5]
			}
			g.Rows = append(g.Rows, []string{r.Name, row[0], row[1], row[2], r.EC2.InstanceType, row[3], string(r.Fargate.Architecture), row[4], lmiType, lmiCost, cur})
		}
	}
	return g
}

// WriteNotes writes notes as a list under a "Notes:" heading (bold in
// Markdown); in a table of a known width each note wraps at word
// boundaries (go-pretty's WrapSoft, which pads each line to the width) with
// its continuation lines indented. No notes, no output.
func WriteNotes(w io.Writer, format Format, width int, notes []string) error {
	if len(notes) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString("\nNotes:\n")
	if format == Markdown {
		b.Reset()
		b.WriteString("\n**Notes**\n\n")
	}
	for _, n := range notes {
		if width > 4 && format == Table {
			n = strings.ReplaceAll(text.WrapSoft(n, width-2), "\n", "\n  ")
		}
		b.WriteString("- " + n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// CostLinesGrid lists the lines of c (quantity rounded to at most 2
// decimals, unit price with all its digits) with c's total as the footer.
func CostLinesGrid(title string, c pricing.Cost) Grid {
	g := Grid{Title: title, Header: []string{"Line", "Quantity", "Unit", "Unit price", "Cost"}, AlignRight: map[int]bool{1: true, 3: true, 4: true}}
	for _, l := range c.Lines {
		g.Rows = append(g.Rows, []string{l.Label(), Num(l.Quantity, 2), l.Unit, UnitPrice(l.UnitPrice), USD(l.Cost)})
	}
	g.Footer = []string{"Total", "", "", "", USD(c.Total)}
	return g
}

// Percent formats a share as a percentage rounded to at most one decimal
// (0.123 → "12.3%", 0.25 → "25%").
func Percent(f float64) string { return Numf(f*100, 1) + "%" }

// ComparisonGrids are the human views of one `lambdacost compare` result:
// the options at the current volume, the break-evens, the bills of the
// fleets (and LMI), the EC2 types considered and the cost curve.
func ComparisonGrids(r *fleet.Result) []Grid {
	w := r.Workload
	title := "Lambda vs always-on"
	if r.Name != "" {
		title += " · " + r.Name
	}
	title += fmt.Sprintf(" · %s · %s requests/month (mean %s req/s, peak %s req/s)", r.Region, Numf(w.MonthlyRequests, 0), Numf(w.MeanRPS, 2), Numf(w.PeakRPS, 2))
	g := Grid{Title: title, Header: []string{"Option", "Monthly cost", "Detail"}, AlignRight: map[int]bool{1: true}}
	for _, a := range pricing.Architectures {
		detail := fmt.Sprintf("%d MB", r.Lambda.MemoryMB)
		if a == r.Lambda.Architecture {
			detail += ", as configured"
		}
		g.Rows = append(g.Rows, []string{"Lambda " + string(a), USD(r.Lambda.Arch(a).Total), detail})
	}
	fleetRow := func(label string, fr fleet.FleetResult, unit string) {
		mode := "for the peak"
		if w.Autoscale {
			mode = fmt.Sprintf("autoscaled, mean %s", Numf(fr.MeanInstances, 2))
		}
		g.Rows = append(g.Rows, []string{label, USD(fr.Total),
			fmt.Sprintf("%d %s (%s), %s req/s each (%s-bound), CPU %s mean / %s peak", fr.Instances, unit, mode, Numf(fr.CapacityRPS, 1), fr.LimitedBy, Percent(fr.Utilization), Percent(fr.PeakUtilization))})
	}
	fleetRow("EC2 "+r.EC2.InstanceType, r.EC2, "instances")
	fleetRow("Fargate "+string(r.Fargate.Architecture)+" "+strings.TrimPrefix(r.Fargate.InstanceType, "fargate "), r.Fargate, "tasks")
	if r.LMI != nil {
		g.Rows = append(g.Rows, lmiComparisonRow(r.LMI))
	}
	g.Footer = []string{"Cheapest", r.Cheapest, ""}

	be := Grid{Title: "Break-even: the monthly volume from which the fleet costs no more than Lambda",
		Header: []string{"Lambda", "Fleet", "Requests/month", "Mean req/s", "Cost there"}, AlignRight: map[int]bool{2: true, 3: true, 4: true}}
	for _, b := range r.Breakevens {
		fl := "EC2 " + r.EC2.InstanceType
		if b.Fleet == "fargate" {
			fl = "Fargate " + string(r.Fargate.Architecture)
		}
		if b.Fleet == "lmi" && r.LMI != nil {
			fl = "LMI " + r.LMI.InstanceType
		}
		if b.RequestsPerMonth == nil {
			be.Rows = append(be.Rows, []string{string(b.LambdaArchitecture), fl, "none (Lambda is cheaper)", "", ""})
			continue
		}
		be.Rows = append(be.Rows, []string{string(b.LambdaArchitecture), fl, Numf(float64(*b.RequestsPerMonth), 0), Numf(b.MeanRPS, 2), USDf(b.CostUSD)})
	}
	grids := []Grid{g, be,
		CostLinesGrid(fmt.Sprintf("EC2 fleet: %d × %s (%s)", r.EC2.Instances, r.EC2.InstanceType, r.EC2.Architecture), r.EC2.Cost),
		CostLinesGrid(fmt.Sprintf("Fargate: %d × %s tasks (%s)", r.Fargate.Instances, strings.TrimPrefix(r.Fargate.InstanceType, "fargate "), r.Fargate.Architecture), r.Fargate.Cost),
	}
	if len(r.PairBreakevens) > 0 {
		grids = append(grids, pairBreakevenGrid(r))
	}
	if r.LMI != nil {
		grids = append(grids, CostLinesGrid(fmt.Sprintf("Lambda Managed Instances: %d × %s (%s), %d environments at the peak", r.LMI.Instances, r.LMI.InstanceType, r.LMI.Architecture, r.LMI.Environments), r.LMI.Cost))
		if as := AssumptionsGrid(r.LMI.Assumptions); len(as) > 0 {
			as[0].Title = "Lambda Managed Instances: assumptions"
			grids = append(grids, as...)
		}
	}
	if len(r.EC2Options) > 1 {
		og := Grid{Title: "EC2 instance types considered", Header: []string{"Instance type", "Architecture", "Instances", "Req/s each", "Monthly cost"}, AlignRight: map[int]bool{2: true, 3: true, 4: true}}
		for _, e := range r.EC2Options {
			og.Rows = append(og.Rows, []string{e.InstanceType, string(e.Architecture), fmt.Sprint(e.Instances), Numf(e.CapacityRPS, 1), USD(e.Total)})
		}
		grids = append(grids, og)
	}
	return append(grids, ComparisonCurveGrid(r, false))
}

// lmiComparisonRow is LMI's row of the comparison summary.
func lmiComparisonRow(r *fleet.LMIResult) []string {
	mode := "for the peak"
	if r.PerInterval {
		mode = fmt.Sprintf("per interval, mean %s", Numf(r.MeanInstances, 2))
	}
	return []string{"LMI " + r.InstanceType + " (" + string(r.Architecture) + ")", USD(r.Total),
		fmt.Sprintf("%d instances (%s), %d environments × %s req/s (%s-bound), CPU %s mean / %s peak", r.Instances, mode, r.Environments, Numf(r.EnvCapacityRPS, 1), r.LimitedBy, Percent(r.Utilization), Percent(r.PeakUtilization))}
}

// pairBreakevenGrid lists where LMI and the always-on fleets swap places.
func pairBreakevenGrid(r *fleet.Result) Grid {
	g := Grid{Title: "Break-even between LMI and the always-on fleets (first crossing on a 5% grid)",
		Header: []string{"Cheaper below", "Than", "Requests/month", "Mean req/s"}, AlignRight: map[int]bool{2: true, 3: true}}
	for _, p := range r.PairBreakevens {
		if p.RequestsPerMonth == nil {
			g.Rows = append(g.Rows, []string{p.CheaperBelow, p.Other, "none (cheaper over the whole curve)", ""})
			continue
		}
		g.Rows = append(g.Rows, []string{p.CheaperBelow, p.Other, Numf(float64(*p.RequestsPerMonth), 0), Numf(p.MeanRPS, 2)})
	}
	return g
}

// ComparisonCurveGrid is the cost curve across monthly volumes. For CSV the
// volume is a plain number and a "current" column marks today's volume;
// else today's volume is marked "(now)".
func ComparisonCurveGrid(r *fleet.Result, csv bool) Grid {
	g := Grid{Title: "Monthly cost by volume", Header: []string{"Requests/month", "Lambda x86_64", "Lambda arm64", "EC2 " + r.EC2.InstanceType, "Fargate " + string(r.Fargate.Architecture)},
		AlignRight: map[int]bool{0: true, 1: true, 2: true, 3: true, 4: true}}
	lmi := r.LMI != nil
	if lmi {
		g.Header = append(g.Header, "LMI "+r.LMI.InstanceType)
		g.AlignRight[5] = true
	}
	if csv {
		g.Header = append(g.Header, "current")
	}
	for _, p := range r.Curve {
		v := Numf(float64(p.RequestsPerMonth), 0)
		if csv {
			v = strconv.FormatInt(p.RequestsPerMonth, 10)
		} else if p.Current {
			v += " (now)"
		}
		row := []string{v, USDf(p.LambdaX86USD), USDf(p.LambdaARMUSD), USDf(p.EC2USD), USDf(p.FargateUSD)}
		if lmi {
			row = append(row, USDf(p.LMIUSD))
		}
		if csv {
			cur := ""
			if p.Current {
				cur = "yes"
			}
			row = append(row, cur)
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}
