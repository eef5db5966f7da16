package reports

import (
	"strings"
	"testing"
)

// TestDetectKindUnreadResult: `estimate --terraform -o json` is an
// estimate result that report does not read; it is refused naming its
// kind and command (it said it was not an estimate result at all), while
// a plain estimate's envelope is still read.
func TestDetectKindUnreadResult(t *testing.T) {
	env := func(command, kind string) []byte {
		return []byte(`{"schema_version":1,"command":"` + command + `","kind":"` + kind + `","lambdacost_version":"test","assumptions":[],"warnings":[],"result":{"kind":"terraform","totals":{},"has_base":true}}`)
	}
	_, err := DetectKind(env("estimate", "infra_estimate"))
	if err == nil || !strings.Contains(err.Error(), `a "infra_estimate" result of `+"`lambdacost estimate`"+` is not read by report`) {
		t.Errorf("err = %v", err)
	}
	if k, err := DetectKind(env("estimate", "estimates")); err != nil || k != KindEstimate {
		t.Errorf("estimates: %v %v", k, err)
	}
}
