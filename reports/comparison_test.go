package reports

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

func TestPercent(t *testing.T) {
	for _, c := range []struct {
		in   float64
		want string
	}{{0, "0%"}, {0.25, "25%"}, {0.12345, "12.3%"}, {0.1299, "13%"}, {1, "100%"}, {0.0004, "0%"}, {12.5, "1,250%"}} {
		if got := Percent(c.in); got != c.want {
			t.Errorf("Percent(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestCostLinesGrid(t *testing.T) {
	d := decimal.RequireFromString
	c := pricing.Cost{Total: d("73.42"), Lines: []pricing.CostLine{
		{Name: pricing.LineEC2Instances, Quantity: d("1460"), Unit: "instance-hours", UnitPrice: d("0.0816"), Cost: d("119.136")},
		{Name: pricing.LineDuration, Tier: 2, Quantity: d("12.345"), Unit: "GB-s", UnitPrice: d("0.0000150000"), Cost: d("0.0002")},
		{Name: pricing.LineLMIManagementFee, Quantity: d("1"), Unit: "fee", UnitPrice: d("1"), Cost: d("1")},
		{Name: "something_new", Quantity: d("3"), Unit: "x", UnitPrice: d("2"), Cost: d("6")},
	}}
	g := CostLinesGrid("T", c)
	want := [][]string{
		{"EC2 instances", "1,460", "instance-hours", "$0.0816", "$119.14"},
		{"Duration (tier 2)", "12.35", "GB-s", "$0.000015", "$0.00"},
		{"LMI management fee (15% of on-demand)", "1", "fee", "$1", "$1.00"},
		// A line without a label is its name, readable: "something_new" → "Something new".
		{"Something new", "3", "x", "$2", "$6.00"},
	}
	if !reflect.DeepEqual(g.Rows, want) {
		t.Errorf("rows\n got %q\nwant %q", g.Rows, want)
	}
	if !reflect.DeepEqual(g.Footer, []string{"Total", "", "", "", "$73.42"}) || g.Title != "T" {
		t.Errorf("title %q footer %q", g.Title, g.Footer)
	}
}

func curveResult(lmi bool) *fleet.Result {
	r := handCompare()
	r.Curve = []fleet.CurvePoint{
		{RequestsPerMonth: 1_000_000, LambdaX86USD: 3.5, LambdaARMUSD: 2.8, EC2USD: 158.9, FargateUSD: 201.33, LMIUSD: 300},
		{RequestsPerMonth: 131_400_000, LambdaX86USD: 464.06, LambdaARMUSD: 376.47, EC2USD: 158.9, FargateUSD: 201.33, LMIUSD: 300, Current: true},
	}
	r.Fargate.Architecture = pricing.ARM64
	if lmi {
		r.LMI = &fleet.LMIResult{InstanceType: "m7g.xlarge"}
	}
	return r
}

func TestComparisonCurveGrid(t *testing.T) {
	for _, c := range []struct {
		name   string
		lmi    bool
		csv    bool
		header []string
		rows   [][]string
	}{
		{"table", false, false,
			[]string{"Requests/month", "Lambda x86_64", "Lambda arm64", "EC2 m7g.large", "Fargate arm64"},
			[][]string{{"1,000,000", "$3.50", "$2.80", "$158.90", "$201.33"}, {"131,400,000 (now)", "$464.06", "$376.47", "$158.90", "$201.33"}}},
		{"csv", false, true,
			[]string{"Requests/month", "Lambda x86_64", "Lambda arm64", "EC2 m7g.large", "Fargate arm64", "current"},
			[][]string{{"1000000", "$3.50", "$2.80", "$158.90", "$201.33", ""}, {"131400000", "$464.06", "$376.47", "$158.90", "$201.33", "yes"}}},
		{"table with LMI", true, false,
			[]string{"Requests/month", "Lambda x86_64", "Lambda arm64", "EC2 m7g.large", "Fargate arm64", "LMI m7g.xlarge"},
			[][]string{{"1,000,000", "$3.50", "$2.80", "$158.90", "$201.33", "$300.00"}, {"131,400,000 (now)", "$464.06", "$376.47", "$158.90", "$201.33", "$300.00"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := ComparisonCurveGrid(curveResult(c.lmi), c.csv)
			if !reflect.DeepEqual(g.Header, c.header) || !reflect.DeepEqual(g.Rows, c.rows) {
				t.Errorf("got %q %q\nwant %q %q", g.Header, g.Rows, c.header, c.rows)
			}
			for i := range g.Header {
				if !g.AlignRight[i] && !(c.csv && i == len(g.Header)-1) {
					t.Errorf("column %d (%s) not right-aligned", i, g.Header[i])
				}
			}
		})
	}
}

func TestComparisonsCSV(t *testing.T) {
	one := curveResult(false)
	if g := ComparisonsCSV([]*fleet.Result{one}); !reflect.DeepEqual(g, ComparisonCurveGrid(one, true)) {
		t.Errorf("one result: not its curve grid: %+v", g)
	}
	a, b := curveResult(false), curveResult(true)
	a.Name, b.Name = "a", "b"
	g := ComparisonsCSV([]*fleet.Result{a, b})
	if len(g.Header) != 11 || len(g.Rows) != 4 {
		t.Fatalf("header %q, %d rows", g.Header, len(g.Rows))
	}
	want := [][]string{
		{"a", "131400000", "$464.06", "$376.47", "m7g.large", "$158.90", "arm64", "$201.33", "", "", "yes"},
		{"b", "1000000", "$3.50", "$2.80", "m7g.large", "$158.90", "arm64", "$201.33", "m7g.xlarge", "$300.00", ""},
	}
	if !reflect.DeepEqual(g.Rows[1], want[0]) || !reflect.DeepEqual(g.Rows[2], want[1]) {
		t.Errorf("rows\n got %q\n     %q\nwant %q", g.Rows[1], g.Rows[2], want)
	}
}

func TestWriteNotes(t *testing.T) {
	long := "one two three four five six seven eight nine ten"
	for _, c := range []struct {
		name   string
		format Format
		width  int
		notes  []string
		want   string
	}{
		{"none", Table, 80, nil, ""},
		{"table", Table, 0, []string{"a", "b"}, "\nNotes:\n- a\n- b\n"},
		{"markdown", Markdown, 0, []string{"a"}, "\n**Notes**\n\n- a\n"},
		{"wrapped", Table, 16, []string{long}, // WrapSoft pads each line to the width (width-2 = 14 here).
			"\nNotes:\n- one two three \n  four five six \n  seven eight   \n  nine ten\n"},
		{"markdown not wrapped", Markdown, 16, []string{long}, "\n**Notes**\n\n- " + long + "\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteNotes(&b, c.format, c.width, c.notes); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Errorf("got %q, want %q", b.String(), c.want)
			}
		})
	}
}

func TestWriteComparisons(t *testing.T) {
	r := curveResult(false)
	r.Notes = []string{"a note"}
	r.Assumptions.Add(pricing.Assumption{Field: "--memory", Value: "128 MB", Why: "default"})
	for _, c := range []struct {
		format Format
		n      int
		has    []string
		hasnt  []string
	}{
		{JSON, 1, []string{`"comparisons": [`, `"cheapest": "ec2"`}, nil}, // one shape for one function or many
		{JSON, 2, []string{`"comparisons": [`}, nil},
		{CSV, 1, []string{"131400000", "yes"}, []string{"Notes"}},
		{Table, 1, []string{"Lambda vs always-on", "Break-even", "- a note", "--memory"}, nil},
		{Markdown, 2, []string{"**Notes**"}, nil},
	} {
		rs := []*fleet.Result{r}
		if c.n == 2 {
			rs = append(rs, r)
		}
		var b bytes.Buffer
		if err := WriteComparisons(&b, c.format, Style{}, rs); err != nil {
			t.Fatal(err)
		}
		for _, s := range c.has {
			if !strings.Contains(b.String(), s) {
				t.Errorf("%s ×%d: no %q in\n%s", c.format, c.n, s, b.String())
			}
		}
		for _, s := range c.hasnt {
			if strings.Contains(b.String(), s) {
				t.Errorf("%s ×%d: unexpected %q", c.format, c.n, s)
			}
		}
	}
}

// The comparison page states the saving of the cheapest option against the
// current Lambda bill: $176.660876 rounds to $176.66; 176.660876 /
// 464.280876 = 38.05 % → 38.1 %; none to save says so with the bill.
func TestCompareSavingFact(t *testing.T) {
	pct := 100 * 176.660876 / 464.280876
	for _, tc := range []struct {
		s                  fleet.Saving
		label, value, want string
	}{
		{fleet.Saving{Current: "lambda x86_64", Cheapest: "fargate arm64", CurrentMonthlyUSD: 464.280876, CheapestMonthlyUSD: 287.62, MonthlyUSD: 176.660876, Percent: &pct},
			"Saving vs lambda x86_64", "$176.66 a month", "38.1% of $464.28, moving to fargate arm64"},
		{fleet.Saving{Current: "lambda arm64", Cheapest: "lambda arm64", CurrentMonthlyUSD: 113.880438, CheapestMonthlyUSD: 113.880438},
			"Saving vs lambda arm64", "$0.00 a month", "lambda arm64 is the cheapest at today's volume ($113.88 a month)"},
	} {
		f := compareSavingFact(tc.s)
		if f.Label != tc.label || f.Value != tc.value || f.Detail != tc.want {
			t.Errorf("fact = %+v, want %q %q %q", f, tc.label, tc.value, tc.want)
		}
	}
}
