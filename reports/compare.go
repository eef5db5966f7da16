package reports

import (
	"fmt"
	"io"
	"math"
	"sort"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

func fleetLabel(f fleet.FleetResult) string {
	if f.Kind == "fargate" {
		task := ""
		if f.Task != nil {
			task = " " + f.Task.String()
		}
		return fmt.Sprintf("Fargate %s%s × %d", f.Architecture, task, f.Instances)
	}
	return fmt.Sprintf("EC2 %s × %d", f.InstanceType, f.Instances)
}

// compareOption is one way to run the workload, priced for the month.
type compareOption struct {
	label string
	usd   float64
	cost  pricing.Cost
	color string
	fleet *fleet.FleetResult // nil for Lambda
}

func cheapestOption(opts []compareOption) compareOption {
	c := opts[0]
	for _, o := range opts[1:] {
		if o.usd < c.usd {
			c = o
		}
	}
	return c
}

func compareOptions(r *fleet.Result) []compareOption {
	opts := []compareOption{
		{"Lambda x86_64", r.Lambda.X86.MonthlyCostUSD, r.Lambda.X86.Cost, colorX86, nil},
		{"Lambda arm64", r.Lambda.ARM.MonthlyCostUSD, r.Lambda.ARM.Cost, colorARM, nil},
		{fleetLabel(r.EC2), r.EC2.MonthlyCostUSD, r.EC2.Cost, colorEC2, &r.EC2},
		{fleetLabel(r.Fargate), r.Fargate.MonthlyCostUSD, r.Fargate.Cost, colorFargate, &r.Fargate},
	}
	if o := lmiOption(r); o != nil {
		opts = append(opts, *o)
	}
	return opts
}

func breakevenText(b *int64) string {
	if b == nil {
		return "none (Lambda is cheaper at every volume)"
	}
	return Numf(float64(*b), 0) + " requests/month"
}

// CompareGrids renders a comparison as terminal tables: the options at the
// current volume and the break-even volumes.
func CompareGrids(r *fleet.Result) []Grid {
	title := "Lambda vs always-on servers"
	if r.Name != "" {
		title = r.Name + " · " + title
	}
	title += fmt.Sprintf(" · %s requests/month · peak %s req/s", shortBreakeven(ptr(int64(r.Workload.MonthlyRequests))), Numf(r.Workload.PeakRPS, 1))
	opts := compareOptions(r)
	cheapest := cheapestOption(opts)
	g := Grid{Title: title, Header: []string{"Option", "Instances", "Utilisation", "Cost per month", "vs cheapest"},
		AlignRight: map[int]bool{1: true, 2: true, 3: true, 4: true}}
	for _, o := range opts {
		inst, util := "", ""
		if f := o.fleet; f != nil {
			inst, util = fmt.Sprint(f.Instances), Numf(f.Utilization*100, 1)+"%"
		}
		vs := ""
		if cheapest.usd > 0 {
			vs = Numf(o.usd/cheapest.usd, 2) + "×"
		}
		g.Rows = append(g.Rows, []string{o.label, inst, util, USDf(o.usd), vs})
	}
	g.Footer = []string{"Cheapest: " + cheapest.label, "", "", USDf(cheapest.usd), ""}
	b := Grid{Title: "Break-even monthly volume (below it, Lambda is cheaper)", Header: []string{"Lambda", "Fleet", "Break-even", "Mean req/s", "Cost per month"},
		AlignRight: map[int]bool{2: true, 3: true, 4: true}}
	for _, be := range r.Breakevens {
		row := []string{string(be.LambdaArchitecture), be.Fleet, breakevenText(be.RequestsPerMonth), "", ""}
		if be.RequestsPerMonth != nil {
			row[3], row[4] = Numf(be.MeanRPS, 2), USDf(be.CostUSD)
		}
		b.Rows = append(b.Rows, row)
	}
	return []Grid{g, b}
}

// ComparePage builds the HTML page of a comparison.
func ComparePage(r *fleet.Result) *Page {
	title := "Lambda vs EC2 vs Fargate"
	if r.Name != "" {
		title = r.Name + " · " + title
	}
	opts := compareOptions(r)
	cheapest := cheapestOption(opts)
	lam := r.Lambda.Arch(r.Lambda.Architecture)
	p := &Page{
		Title: title,
		Subtitle: fmt.Sprintf("%s requests per month · %s ms per request · peak %s req/s · %s · AWS list prices of %s",
			Numf(r.Workload.MonthlyRequests, 0), Numf(r.Workload.DurationMs, 1), Numf(r.Workload.PeakRPS, 1), r.Region, r.PriceDate),
		Facts: []Fact{
			{Label: "Lambda " + string(r.Lambda.Architecture), Value: USDf(lam.MonthlyCostUSD), Detail: fmt.Sprintf("%d MB, per month", r.Lambda.MemoryMB)},
			{Label: "EC2", Value: USDf(r.EC2.MonthlyCostUSD), Detail: fmt.Sprintf("%d × %s at %s%% utilisation", r.EC2.Instances, r.EC2.InstanceType, Numf(r.EC2.Utilization*100, 0))},
			{Label: "Fargate", Value: USDf(r.Fargate.MonthlyCostUSD), Detail: fmt.Sprintf("%d tasks, %s", r.Fargate.Instances, r.Fargate.Architecture)},
			{Label: "Break-even vs EC2", Value: shortBreakeven(r.BreakevenRequestsPerMonth), Detail: breakevenDetail(r.BreakevenRequestsPerMonth)},
			{Label: "Cheapest now", Value: cheapest.label},
			compareSavingFact(r.Saving),
		},
	}
	if l := r.LMI; l != nil {
		n := len(p.Facts) - 2 // before "Cheapest now" and the saving
		p.Facts = append(p.Facts[:n], append([]Fact{{Label: "Lambda Managed Instances", Value: USDf(l.MonthlyCostUSD), Detail: fmt.Sprintf("%d × %s, %d environments", l.Instances, l.InstanceType, l.Environments)}}, p.Facts[n:]...)...)
	}
	p.Sections = append(p.Sections, Section{
		Title: "Cost across monthly volume",
		Text:  "Each option's monthly bill if the same traffic shape were scaled to other volumes (both axes logarithmic). Lambda grows with every request; a fleet is paid for by the hour and steps up as servers are added. Dashed lines mark today's volume and where a Lambda architecture starts to cost more than EC2.",
		Charts: []Chart{
			compareCurveChart(r, ""),
			compareNowChart(r, opts, ""),
		},
	})
	if ch, ok := lmiFleetChart(r, ""); ok {
		p.Sections = append(p.Sections, Section{
			Title:  "Lambda Managed Instances over time",
			Text:   "The capacity provider scales with the traffic: each interval of the profile gets the instances its rate needs (never fewer than the floor of 3 for AZ resiliency), and is billed for them.",
			Charts: []Chart{ch},
		})
	}
	opt := HTMLTable{Title: "Options at the current volume", Header: []string{"Option", "Instances", "Utilisation (mean)", "Utilisation (peak)", "Cost per month", "vs cheapest"}, Sortable: true}
	for _, o := range opts {
		row := []Cell{TextCell(o.label), {}, {}, {}, NumCell(USDf(o.usd), o.usd), NumCell("", 0)}
		if f := o.fleet; f != nil {
			row[1] = NumCell(fmt.Sprint(f.Instances), float64(f.Instances))
			row[2] = NumCell(Numf(f.Utilization*100, 1)+"%", f.Utilization)
			row[3] = NumCell(Numf(f.PeakUtilization*100, 1)+"%", f.PeakUtilization)
		}
		if cheapest.usd > 0 {
			x := o.usd / cheapest.usd
			row[5] = NumCell(Numf(x, 2)+"×", x)
		}
		opt.Rows = append(opt.Rows, row)
	}
	be := HTMLTable{Title: "Break-even volumes (below them, Lambda is cheaper)", Header: []string{"Lambda", "Fleet", "Requests per month", "Mean req/s", "Cost per month"}}
	for _, b := range r.Breakevens {
		row := []Cell{TextCell(string(b.LambdaArchitecture)), TextCell(b.Fleet), NumCell(breakevenText(b.RequestsPerMonth), 0), {}, {}}
		if b.RequestsPerMonth != nil {
			row[2].Key = float64(*b.RequestsPerMonth)
			row[3] = NumCell(Numf(b.MeanRPS, 2), b.MeanRPS)
			row[4] = NumCell(USDf(b.CostUSD), b.CostUSD)
		}
		be.Rows = append(be.Rows, row)
	}
	tables := []HTMLTable{opt, be}
	if len(r.EC2Options) > 1 {
		ec2 := HTMLTable{Title: "EC2 candidates", Header: []string{"Instance type", "Arch", "vCPU", "Memory MB", "Instances", "Limited by", "Utilisation", "Cost per month"}, Sortable: true}
		cands := append([]fleet.FleetResult(nil), r.EC2Options...)
		sort.SliceStable(cands, func(i, j int) bool { return cands[i].MonthlyCostUSD < cands[j].MonthlyCostUSD })
		for _, c := range cands {
			ec2.Rows = append(ec2.Rows, []Cell{TextCell(c.InstanceType), TextCell(string(c.Architecture)),
				NumCell(Numf(c.Server.VCPU, 2), c.Server.VCPU), NumCell(Numf(c.Server.MemoryMB, 0), c.Server.MemoryMB),
				NumCell(fmt.Sprint(c.Instances), float64(c.Instances)), TextCell(c.LimitedBy),
				NumCell(Numf(c.Utilization*100, 1)+"%", c.Utilization), NumCell(USDf(c.MonthlyCostUSD), c.MonthlyCostUSD)})
		}
		tables = append(tables, ec2)
	}
	p.Sections = append(p.Sections, Section{Title: "Details", Tables: tables})
	w := r.Workload
	p.Notes = append([]string{
		fmt.Sprintf("Servers are sized for the peak of %s req/s at %s%% target CPU utilisation, with at least %d instances; each request keeps %s of a vCPU busy for %s ms and needs %s MB in flight.",
			Numf(w.PeakRPS, 1), Numf(w.TargetUtilization*100, 0), w.MinInstances, Numf(w.CPUFraction, 2), Numf(w.DurationMs, 1), Numf(w.MemoryPerRequestMB, 0)),
		"Fleets include their load balancer (hours and LCUs) and storage; Lambda is priced without the free tier. A month is 730 hours.",
	}, r.Notes...)
	p.Assumptions = r.Assumptions
	return p
}

func ptr[T any](v T) *T { return &v }

// breakevenDetail says in words what the break-even card means.
func breakevenDetail(b *int64) string {
	if b == nil {
		return "Lambda stays cheaper than this EC2 fleet at every monthly volume searched (see the notes for how far)"
	}
	return "requests per month: below it Lambda is cheaper, above it the EC2 fleet"
}

func shortBreakeven(b *int64) string {
	if b == nil {
		return "none"
	}
	v := float64(*b)
	switch {
	case v >= 1e9:
		return Numf(v/1e9, 2) + " B"
	case v >= 1e6:
		return Numf(v/1e6, 1) + " M"
	case v >= 1e3:
		return Numf(v/1e3, 1) + " k"
	}
	return Numf(v, 0)
}

// compareCurveChart draws every option's monthly cost across volumes on
// log-log axes, marking the break-even with EC2 and the current volume.
func compareCurveChart(r *fleet.Result, suffix string) Chart {
	n := len(r.Curve)
	x86, arm, ec2, fg := make([][2]float64, 0, n), make([][2]float64, 0, n), make([][2]float64, 0, n), make([][2]float64, 0, n)
	for _, c := range r.Curve {
		if c.RequestsPerMonth <= 0 {
			continue // a log axis has no zero
		}
		x := float64(c.RequestsPerMonth)
		pos := func(v float64) float64 { return math.Max(v, 0.01) }
		x86 = append(x86, [2]float64{x, pos(c.LambdaX86USD)})
		arm = append(arm, [2]float64{x, pos(c.LambdaARMUSD)})
		ec2 = append(ec2, [2]float64{x, pos(c.EC2USD)})
		fg = append(fg, [2]float64{x, pos(c.FargateUSD)})
	}
	var marks []markLine
	for _, b := range r.Breakevens {
		if b.Fleet == "ec2" && b.RequestsPerMonth != nil && *b.RequestsPerMonth > 0 {
			marks = append(marks, markLine{Name: fmt.Sprintf("%s = EC2 at %s", b.LambdaArchitecture, shortBreakeven(b.RequestsPerMonth)), X: float64(*b.RequestsPerMonth)})
		}
	}
	if r.Workload.MonthlyRequests > 0 {
		marks = append(marks, markLine{Name: "today", X: r.Workload.MonthlyRequests})
	}
	lambdaOwn := string(r.Lambda.Architecture)
	series := []seriesSpec{
		{Name: "Lambda x86_64", XY: x86, Fmt: "usd", Color: colorX86},
		{Name: "Lambda arm64", XY: arm, Fmt: "usd", Color: colorARM},
		{Name: "EC2 (" + r.EC2.InstanceType + ")", XY: ec2, Fmt: "usd", Color: colorEC2, Step: true},
		{Name: "Fargate", XY: fg, Fmt: "usd", Color: colorFargate, Step: true},
	}
	// The marks ride on the EC2 series (drawn once).
	series[2].MarkX = marks
	if s, ok := lmiCurveSeries(r); ok {
		series = append(series, s)
	}
	return xyChart(xySpec{
		ID: "cost-curve" + suffix, Title: "Monthly cost by monthly request volume", Subtitle: "Lambda (" + lambdaOwn + " configured) vs always-on fleets", Height: 440,
		X:      axisSpec{Name: "requests per month", Type: "log", Fmt: "numAxis"},
		Y:      []axisSpec{{Name: "USD per month", Type: "log", Fmt: "usdAxis"}},
		Series: series,
	})
}

// compareNowChart stacks each option's monthly bill by component at the
// current volume.
func compareNowChart(r *fleet.Result, opts []compareOption, suffix string) Chart {
	names := make([]string, len(opts))
	costs := make([]pricing.Cost, len(opts))
	for i, o := range opts {
		names[i] = o.label
		costs[i] = o.cost
	}
	var comps []string
	seen := map[string]bool{}
	for _, c := range costs {
		for _, l := range c.Lines {
			if n := pricing.LineLabel(l.Name); !seen[n] {
				seen[n] = true
				comps = append(comps, n)
			}
		}
	}
	var series []seriesSpec
	for _, comp := range comps {
		vals := make([]float64, len(opts))
		for i, c := range costs {
			for _, l := range c.Lines {
				if pricing.LineLabel(l.Name) == comp {
					vals[i] += l.Cost.InexactFloat64()
				}
			}
		}
		series = append(series, seriesSpec{Name: comp, Kind: "bar", Values: vals, Stack: "cost", Fmt: "usd"})
	}
	return xyChart(xySpec{
		ID: "cost-now" + suffix, Title: "Monthly cost at today's volume", Subtitle: Numf(r.Workload.MonthlyRequests, 0) + " requests per month, by component",
		Horizontal: true, Height: 320,
		X:      axisSpec{Type: "category", Data: names},
		Y:      []axisSpec{{Name: "USD", Fmt: "usdAxis"}},
		Series: series,
	})
}

// WriteCompareHTML writes the HTML report of a comparison.
func WriteCompareHTML(w io.Writer, r *fleet.Result, opts ...HTMLOption) error {
	return ComparePage(r).Render(w, opts...)
}

// ComparisonsPage puts several comparisons (e.g. one per function of a
// dataset) on one page: each gets its own section of charts and tables.
func ComparisonsPage(rs []*fleet.Result) *Page {
	if len(rs) == 1 {
		return ComparePage(rs[0])
	}
	p := &Page{Title: fmt.Sprintf("Lambda vs EC2 vs Fargate · %d workloads", len(rs))}
	var lam, ec2, fg, lmiUSD float64
	var withLMI int
	for i, r := range rs {
		one := ComparePage(r)
		suffix := fmt.Sprintf("-%d", i+1)
		for si := range one.Sections {
			sec := one.Sections[si]
			for ci := range sec.Charts {
				sec.Charts[ci].ID += suffix
			}
			sec.Title = one.Title + " · " + sec.Title
			if si == 0 {
				sec.Text = one.Subtitle
			}
			p.Sections = append(p.Sections, sec)
		}
		lam += r.Lambda.MonthlyCostUSD
		ec2 += r.EC2.MonthlyCostUSD
		fg += r.Fargate.MonthlyCostUSD
		if r.LMI != nil {
			lmiUSD += r.LMI.MonthlyCostUSD
			withLMI++
		}
		if p.Subtitle == "" {
			p.Subtitle = fmt.Sprintf("%s · AWS list prices of %s", r.Region, r.PriceDate)
		}
	}
	p.Facts = []Fact{
		{Label: "Lambda, all workloads", Value: USDf(lam), Detail: "per month, as configured"},
		{Label: "EC2, all workloads", Value: USDf(ec2), Detail: "cheapest fleet for each"},
		{Label: "Fargate, all workloads", Value: USDf(fg), Detail: "per month"},
	}
	switch {
	case withLMI == len(rs):
		p.Facts = append(p.Facts, Fact{Label: "LMI, all workloads", Value: USDf(lmiUSD), Detail: "cheapest capacity provider for each, per month"})
	case withLMI > 0:
		p.Facts = append(p.Facts, Fact{Label: fmt.Sprintf("LMI, %d of %d workloads", withLMI, len(rs)), Value: USDf(lmiUSD), Detail: "the others cannot run on LMI (see their notes)"})
	}
	p.Title = fmt.Sprintf("Lambda vs EC2 vs Fargate vs LMI · %d workloads", len(rs))
	if withLMI == 0 {
		p.Title = fmt.Sprintf("Lambda vs EC2 vs Fargate · %d workloads", len(rs))
	}
	p.Notes = ComparePage(rs[0]).Notes
	for _, r := range rs {
		for _, a := range r.Assumptions {
			if len(rs) > 1 {
				a.Field = r.Name + ": " + a.Field
			}
			p.Assumptions.Add(a)
		}
	}
	return p
}

// WriteComparisonsHTML writes several comparisons as one HTML report.
func WriteComparisonsHTML(w io.Writer, rs []*fleet.Result, opts ...HTMLOption) error {
	if len(rs) == 0 {
		return fmt.Errorf("reports: no comparison to write")
	}
	return ComparisonsPage(rs).Render(w, opts...)
}

// compareSavingFact shows what the cheapest option saves against the current
// Lambda bill (fleet.Saving).
func compareSavingFact(s fleet.Saving) Fact {
	f := Fact{Label: "Saving vs " + s.Current, Value: USDf(s.MonthlyUSD) + " a month"}
	switch {
	case s.MonthlyUSD == 0:
		f.Detail = fmt.Sprintf("%s is the cheapest at today's volume (%s a month)", s.Current, USDf(s.CurrentMonthlyUSD))
	case s.Percent != nil:
		f.Detail = fmt.Sprintf("%s%% of %s, moving to %s", Numf(*s.Percent, 1), USDf(s.CurrentMonthlyUSD), s.Cheapest)
	default:
		f.Detail = "moving to " + s.Cheapest
	}
	return f
}
