package simulator

import "testing"

// floodRace's kernel is made once per run and reused by every race: a
// reused kernel (its completion buffer left from the last race, its memo
// holding another race's inputs) answers each race exactly as a fresh
// kernel does, and a race with the same inputs as the last one is answered
// from the memo, equal bit for bit.
func TestFloodRaceKernelReused(t *testing.T) {
	s := parse(t, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 80ms, p99: 400ms}, init_duration: 250ms}
traffic: {start_rate: 1000}
`)
	ds := sampleDurations(s, 1, 20_000)
	reused := newRaceKernel(&ds)
	cases := [][7]float64{
		// r, pool0, busy0, capC, tok, tokCap, refill
		{10_000, 1000, 1000, 1000, 1000, 1000, 100}, // at the cap: all beyond it throttled
		{5_000, 200, 150, 1000, 300, 1000, 100},     // the budget binds first
		{10_000, 1000, 1000, 1000, 1000, 1000, 100}, // the first again, after another race
		{2_000, 0, 0, 3000, 1000, 1000, 100},        // from an empty pool
	}
	for i, c := range cases {
		fresh := newRaceKernel(&ds)
		ws, wt := floodRace(&ds, fresh, c[0], c[1], c[2], c[3], c[4], c[5], c[6])
		gs, gt := floodRace(&ds, reused, c[0], c[1], c[2], c[3], c[4], c[5], c[6])
		if gs != ws || gt != wt {
			t.Errorf("race %d: reused kernel %v started, %v throttled; fresh %v, %v", i, gs, gt, ws, wt)
		}
		// At the cap with a full pool nothing can start; the race ends
		// after 2 s + the longest duration without a throttle-free
		// step, so it throttles at least the first second's excess over
		// what the pool serves: 10,000 − 1000/E[S] ≈ 10,000 − 9,840.
		if i == 0 && (ws != 0 || wt < 100) {
			t.Errorf("at the cap: %v started, %v throttled", ws, wt)
		}
	}
	if reused.races != 4 || reused.hit != 0 {
		t.Errorf("reused kernel: %d races, %d from the memo; want 4 and 0 (no two in a row alike)", reused.races, reused.hit)
	}
	c := cases[3]
	s1, t1 := floodRace(&ds, reused, c[0], c[1], c[2], c[3], c[4], c[5], c[6])
	ws, wt := floodRace(&ds, newRaceKernel(&ds), c[0], c[1], c[2], c[3], c[4], c[5], c[6])
	if reused.hit != 1 || s1 != ws || t1 != wt {
		t.Errorf("the same race twice: %d from the memo, %v/%v against %v/%v", reused.hit, s1, t1, ws, wt)
	}
}
