package reports

import "github.com/lambdacost/lambdacost/pricing"

// AssumptionsGrid lists assumptions as a table (field, value, why); no grid
// when there are none.
func AssumptionsGrid(as pricing.Assumptions) []Grid {
	if len(as) == 0 {
		return nil
	}
	g := Grid{Title: "Assumptions", Header: []string{"Field", "Value", "Why"}}
	for _, a := range as {
		g.Rows = append(g.Rows, []string{a.Field, a.Value, a.Why})
	}
	return []Grid{g}
}
