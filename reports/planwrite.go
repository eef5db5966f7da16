package reports

import (
	"io"

	"github.com/lambdacost/lambdacost/simulator/planner"
)

// WritePlan writes a provisioned-concurrency plan in format: its JSON, its
// cost curve for CSV, else its grids (PlanGrids) followed by its notes.
func WritePlan(w io.Writer, format Format, st Style, plan *planner.Plan) error {
	switch format {
	case JSON:
		return WriteJSON(w, plan)
	case CSV:
		return WriteGrids(w, format, st, PlanCurveCSV(plan))
	}
	if err := WriteGrids(w, format, st, append(PlanGrids(plan), AssumptionsGrid(PlanAssumptions(plan))...)...); err != nil {
		return err
	}
	return WriteNotes(w, format, st.Width, plan.Notes)
}

// WriteRecommendations writes memory recommendations in format: JSON as
// {"recommendations":[...]} (an empty list, never null), else one grid
// (RecommendationsGrid) titled title.
func WriteRecommendations(w io.Writer, format Format, st Style, title string, recs []planner.Recommendation) error {
	if recs == nil {
		recs = []planner.Recommendation{}
	}
	if format == JSON {
		return WriteJSON(w, struct {
			Recommendations []planner.Recommendation `json:"recommendations"`
		}{recs})
	}
	return WriteGrids(w, format, st, RecommendationsGrid(title, recs))
}
