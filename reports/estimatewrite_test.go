package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

func TestWriteEstimates(t *testing.T) {
	one := pricing.Estimate{}
	for _, c := range []struct {
		n      int
		format Format
		key    string // top-level JSON key wanted: one shape for one estimate or several
	}{{1, JSON, "estimates"}, {2, JSON, "estimates"}} {
		var b bytes.Buffer
		ests := make([]pricing.Estimate, c.n)
		for i := range ests {
			ests[i] = one
		}
		if err := WriteEstimates(&b, c.format, Style{}, ests, "2026-11-01"); err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(b.Bytes(), &m); err != nil {
			t.Fatalf("%d estimates: %v", c.n, err)
		}
		_, wrapped := m["estimates"]
		if wrapped != (c.key == "estimates") {
			t.Errorf("%d estimates: wrapped %v, want %v:\n%s", c.n, wrapped, c.key == "estimates", b.String())
		}
	}
	var got, want bytes.Buffer
	ests := []pricing.Estimate{one, one}
	_ = WriteEstimates(&got, Markdown, Style{}, ests, "2026-11-01")
	_ = WriteGrids(&want, Markdown, Style{}, EstimateGrids(ests, "2026-11-01")...)
	if got.String() != want.String() || !strings.Contains(got.String(), "2026-11-01") {
		t.Errorf("Markdown is not EstimateGrids:\n%s", got.String())
	}
}
