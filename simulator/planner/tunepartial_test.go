package planner

import (
	"strings"
	"testing"
)

// A partial tune result (an interrupted sweep) is refused by plan --tune,
// never taken as a whole sweep.
func TestDecodeTuneResultRefusesPartial(t *testing.T) {
	const js = `{"function":"f","region":"us-east-1","architecture":"x86_64","count":5,"strategy":"cost","cpu_model":"cgroup","basis":"measured",
"results":[{"memory_mb":512,"status":"ok","cost_per_million_usd":4.2}],"recommendation":null,"partial":true}`
	_, err := DecodeTuneResult("t.json", strings.NewReader(js))
	if err == nil || !strings.Contains(err.Error(), "t.json: the tune result is partial (the sweep was interrupted after 1 of its memory sizes)") {
		t.Fatalf("err = %v", err)
	}
	if _, err := DecodeTuneResult("t.json", strings.NewReader(strings.Replace(js, `,"partial":true`, "", 1))); err != nil {
		t.Fatalf("the complete result was refused: %v", err)
	}
}
