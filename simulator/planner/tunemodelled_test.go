package planner

import (
	"strings"
	"testing"
)

// A sweep measured without cgroups (basis "modelled") compares its sizes
// by the modelled durations, as its costs are: the measured ones ran at
// this machine's whole CPU whatever the memory, so they hardly differ
// (235 and 239 ms here, as measured for the cpu built-in at 512 and
// 1,024 MB with --isolation none) where Lambda's CPU share makes 512 MB
// slower (modelled p99 365 ms vs 276 ms). The advice must quote those:
// 512 MB the cheapest (p99 365ms instead of 276ms), 1,024 MB the fastest
// (p99 276ms vs 365ms) — it quoted 235ms and 239ms and, taking 512 MB for
// the fastest too, left the fastest out.
func TestRecommendTuneModelled(t *testing.T) {
	tr, err := DecodeTuneResult("tune.json", strings.NewReader(`{"basis":"modelled","cpu_model":"unrestricted","results":[
	 {"memory_mb":512,"status":"ok","duration_ms":{"p50":230,"p90":234,"p99":235,"mean":231},"modelled_duration_ms":{"p50":350,"p90":360,"p99":365,"mean":352},"cost_per_million_usd":4.39,"cost_basis":"modelled"},
	 {"memory_mb":1024,"status":"ok","duration_ms":{"p50":232,"p90":238,"p99":239,"mean":233},"modelled_duration_ms":{"p50":270,"p90":274,"p99":276,"mean":271},"cost_per_million_usd":5.05,"cost_basis":"modelled"}],
	 "recommendation":{"memory_mb":512,"strategy":"cost"}}`))
	if err != nil {
		t.Fatal(err)
	}
	recs := RecommendTune(tr, 1024, 0)
	if len(recs) != 2 {
		t.Fatalf("%d recommendations, want the cheapest and the fastest: %+v", len(recs), recs)
	}
	if recs[0].Suggested != "512" || !strings.Contains(recs[0].Message, "p99 365ms instead of 276ms") {
		t.Errorf("cheapest: %+v", recs[0])
	}
	if recs[1].Suggested != "1024" || !strings.Contains(recs[1].Message, "p99 276ms vs 365ms") {
		t.Errorf("fastest: %+v", recs[1])
	}
}
