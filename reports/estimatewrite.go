package reports

import (
	"io"

	"github.com/lambdacost/lambdacost/pricing"
)

// WriteEstimates writes single-function estimates (prices of priceDate) in
// format: the estimate's JSON object when there is one, {"estimates":[...]}
// for several (`estimate --arch both`), else EstimateGrids.
func WriteEstimates(w io.Writer, format Format, st Style, ests []pricing.Estimate, priceDate string) error {
	if format == JSON {
		if len(ests) == 1 {
			return WriteJSON(w, ests[0])
		}
		return WriteJSON(w, struct {
			Estimates []pricing.Estimate `json:"estimates"`
		}{ests})
	}
	return WriteGrids(w, format, st, EstimateGrids(ests, priceDate)...)
}
