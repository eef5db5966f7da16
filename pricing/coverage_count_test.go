package pricing_test

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

// README states how many rows `pricing --all-regions -o csv` prints and how
// many of them are known; the counts follow the embedded table.
func TestREADMEPriceCounts(t *testing.T) {
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("<!-- price-counts -->`lambdacost pricing --all-regions -o csv` lists ([0-9,]+) prices: ([0-9,]+) known, ([0-9,]+) not known\\.").FindStringSubmatch(string(b))
	if m == nil {
		t.Fatal("README has no price-counts sentence")
	}
	num := func(s string) int {
		n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	tab := pricing.Embedded()
	g := reports.PriceCSV(tab, tab.Regions())
	usd := -1
	for i, h := range g.Header {
		if h == "usd" {
			usd = i
		}
	}
	unknown := 0
	for _, r := range g.Rows {
		if r[usd] == "not known" {
			unknown++
		}
	}
	if got, want := [3]int{len(g.Rows), len(g.Rows) - unknown, unknown}, [3]int{num(m[1]), num(m[2]), num(m[3])}; got != want {
		t.Errorf("the table has %d prices, %d known and %d not known; README says %d, %d and %d", got[0], got[1], got[2], want[0], want[1], want[2])
	}
}
