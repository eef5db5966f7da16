package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/simulator/planner"
)

func TestWritePlan(t *testing.T) {
	p := handPlan()
	p.Notes = []string{"a plan note"}
	for _, c := range []struct {
		format     Format
		has, hasnt []string
	}{
		{JSON, []string{"{\n", `"a plan note"`}, []string{"Notes:"}},
		{CSV, nil, []string{"Notes", "a plan note"}},
		{Table, []string{"Notes:\n- a plan note\n"}, nil},
		{Markdown, []string{"**Notes**\n\n- a plan note\n"}, nil},
	} {
		var b bytes.Buffer
		if err := WritePlan(&b, c.format, Style{}, p); err != nil {
			t.Fatal(err)
		}
		for _, s := range c.has {
			if !strings.Contains(b.String(), s) {
				t.Errorf("%s: no %q in\n%s", c.format, s, b.String())
			}
		}
		for _, s := range c.hasnt {
			if strings.Contains(b.String(), s) {
				t.Errorf("%s: unexpected %q in\n%s", c.format, s, b.String())
			}
		}
	}
	var csv, want bytes.Buffer
	_ = WritePlan(&csv, CSV, Style{}, p)
	_ = WriteGrids(&want, CSV, Style{}, PlanCurveCSV(p))
	if csv.String() != want.String() {
		t.Error("CSV is not the plan's cost curve alone")
	}
}

func TestWriteRecommendations(t *testing.T) {
	recs := []planner.Recommendation{{Function: "api", Kind: "memory", Severity: "info", Message: "use 1024 MB", MonthlySavingsUSD: 12.5, Suggested: "1024"}}
	for _, c := range []struct {
		format Format
		recs   []planner.Recommendation
		want   string
	}{
		{JSON, nil, "{\n  \"recommendations\": []\n}\n"},
		{JSON, recs, `"suggested": "1024"`},
		{Markdown, recs, "use 1024 MB"},
		{Table, recs, "Title · x"},
	} {
		var b bytes.Buffer
		if err := WriteRecommendations(&b, c.format, Style{}, "Title · x", c.recs); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), c.want) {
			t.Errorf("%s: no %q in\n%s", c.format, c.want, b.String())
		}
	}
}
