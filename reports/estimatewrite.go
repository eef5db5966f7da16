package reports

import (
	"io"

	"github.com/lambdacost/lambdacost/pricing"
)

// WriteEstimates writes single-function estimates (prices of priceDate) in
// format: {"estimates":[...]} whether there is one or several (`estimate
// --arch both`), so the JSON has one shape whatever the flags; else
// EstimateGrids.
func WriteEstimates(w io.Writer, format Format, st Style, ests []pricing.Estimate, priceDate string) error {
	if format == JSON {
		return WriteJSON(w, struct {
			Estimates []pricing.Estimate `json:"estimates"`
		}{ests})
	}
	return WriteGrids(w, format, st, EstimateGrids(ests, priceDate)...)
}
