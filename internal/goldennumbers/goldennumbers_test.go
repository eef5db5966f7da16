package goldennumbers

import (
	"fmt"
	"testing"
)

type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func TestCheck(t *testing.T) {
	const path = "../../testdata/golden/estimate/e1.table"
	for _, c := range []struct {
		name, text string
		errs       int
	}{
		{"all there", "│ Requests │ 2,000,000 │ $0.0000002 │ $0.40 │\n│ tier 1 │ 140,000 │ $0.0000166667 │ $2.33 │\n│ Total │ $2.73 │", 0},
		{"a wrong total", "2,000,000 $0.40 140,000 $0.0000166667 $2.33 $2.74", 1},
		{"a number inside a longer one", "2,000,000 $0.40 140,000 $0.0000166667 $12.33 $2.73", 1},
		{"thousands not separated right", "2,000,00 $0.40 140,000 $0.0000166667 $2.33 $2.73", 1},
	} {
		r := &recorder{TB: t}
		Check(r, path, []byte(c.text))
		if len(r.errs) != c.errs {
			t.Errorf("%s: %d errors %v, want %d", c.name, len(r.errs), r.errs, c.errs)
		}
	}
	r := &recorder{TB: t}
	Check(r, "testdata/not-registered.golden", []byte("1"))
	if len(r.errs) != 1 {
		t.Errorf("an unregistered golden passed: %v", r.errs)
	}
	// CSV keeps its commas: "0,6000000000" is two fields.
	r = &recorder{TB: t}
	Check(r, "../../testdata/golden/estimate/e1.csv", []byte("Requests,2000000,requests,0.0000002,0.40\nDuration (tier 1),140000,GB-s,0.0000166667,2.33\nTotal,,,,2.73\n"))
	if len(r.errs) != 0 {
		t.Errorf("csv: %v", r.errs)
	}
}
