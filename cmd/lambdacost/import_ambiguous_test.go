package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// examples/metrics.json holds "orders Invocations" (Id oinv) and a query
// with the CLI's default label "Invocations" (Id m1). Without --function
// m1 names no function and is skipped; --function orders makes it orders'
// second Invocations series of unknown statistic: exit 2, and the message
// says what tells them apart (a statistic in the Label or the Id, or
// leaving one out), not "--function", which was given and caused it.
func TestImportAmbiguousPairWithFunction(t *testing.T) {
	metrics := filepath.Join("..", "..", "examples", "metrics.json")
	_, errOut, code := runCLI(t, nil, "import", metrics, "--function", "orders")
	if code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errOut)
	}
	for _, want := range []string{`[6] (Id "oinv", Label "orders Invocations")`, `[8] (Id "m1", Label "Invocations", read as function orders by --function)`,
		"both measure orders Invocations", "Sum and SampleCount", "${PROP('Stat')}", "oinv_sum and m1_sum", "leave out the query that repeats the other"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("message lacks %q:\n%s", want, errOut)
		}
	}
	if strings.Contains(errOut, "name the function with --function") || strings.Contains(errOut, "both labelled") {
		t.Errorf("the message suggests --function (given) or says the labels are the same (they are not):\n%s", errOut)
	}

	// Without --function: m1 is skipped with a warning that does suggest
	// --function (its label names no function), and the import goes on.
	_, errOut, code = runCLI(t, nil, "import", metrics)
	if code != 0 || !strings.Contains(errOut, `Label "Invocations"): cannot tell function, metric and statistic: the label does not name the function`) ||
		!strings.Contains(errOut, "or name the function with --function") || !strings.Contains(errOut, "1 malformed record(s) skipped out of 9 get-metric-data result(s) read") {
		t.Errorf("exit %d:\n%s", code, errOut)
	}
}
