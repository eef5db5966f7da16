package simulator

import (
	"fmt"
	"math"
	"testing"
)

func TestLevelCalProto(t *testing.T) {
	s := parse(t, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1000, stages: [{duration: 1h, target: 1000}]}
`)
	for _, rate := range []float64{300, 1000, 3000} {
		c := calibrateLevels(s, 1, rate, 4*3600, 1.5, 120)
		fmt.Printf("rate %v m %.1f coldT %.4f/s pred %.4f/s reliableZ %.2f\n", rate, c.m, c.coldT, c.predT, c.reliableZ)
	}
}

func steadyPred(c *levelCal, m, T float64) float64 {
	sum := 0.0
	for k := 1.0; k < m+20*math.Sqrt(m)+20; k++ {
		g := c.g(zLevel(k, m))
		if !math.IsInf(g, 1) {
			sum += g * math.Exp(-g*T)
		}
	}
	return sum
}

func TestZInvariance(t *testing.T) {
	s := parse(t, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1000, stages: [{duration: 1h, target: 1000}]}
`)
	var cs []*levelCal
	for _, rate := range []float64{300, 1000, 3000} {
		cs = append(cs, calibrateLevels(s, 1, rate, 4*3600, 1.5, 120))
	}
	for _, c := range cs {
		fmt.Printf("truth m=%.1f %.4f:", c.m, c.coldT)
		for _, c2 := range cs {
			fmt.Printf(" from m=%.0f: %.4f", c2.m, steadyPred(c2, c.m, 120))
		}
		fmt.Println()
	}
}

func TestCalLong(t *testing.T) {
	s := parse(t, `
duration: 1h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1000, stages: [{duration: 1h, target: 1000}]}
`)
	long := calibrateLevels(s, 7, 1000, 40*3600, 1.5, 120)
	fmt.Printf("LONG truth m=%.1f %.5f (n=%.0f) quad %.5f\n", long.m, long.coldT, long.coldT*long.dur, long.predT)
	long.quad = false
	fmt.Printf("LONG table %.5f\n", long.steadyCold(long.m, 120))
	for _, d := range []float64{2400, 4 * 3600} {
		for _, r := range []float64{300, 1000} {
			c := calibrateLevels(s, 1, r, d, 1.5, 120)
			q := c.steadyCold(long.m, 120)
			c.quad = false
			fmt.Printf("LONG from rate %v dur %v: quad %.5f table %.5f\n", r, d, q, c.steadyCold(long.m, 120))
		}
	}
}

func TestPoolDebug(t *testing.T) {
	s := parse(t, `
duration: 2h
function: {memory_mb: 512, duration: {distribution: lognormal, p50: 60ms, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 2m}
traffic: {start_rate: 1000, stages: [{duration: 2h, target: 1000}]}
`)
	s.Path = "testdata/x.yaml"
	ds := sampleDurations(s, 1, 400000)
	c := calibrateFor(s, 1, ds.es)
	fmt.Printf("cal m=%.1f rate %.0f dur %.0f coldT %.4f pred %.4f quad %v zPeak %.2f q=%.3f %.3f %.3f\n", c.m, c.rate, c.dur, c.coldT, c.predT, c.quad, c.zPeak, c.qa, c.qb, c.qc)
	p := newLevelPool(c, 120, 0, 1000, c.m)
	fmt.Printf("pool b=%d w=%d slot=%v zSat %.2f zHi %.2f\n", p.b, p.w, p.slot, p.zSat, p.zHi)
	tc, te := 0.0, 0.0
	for n := 0; n < 7200; n++ {
		cold, env := p.step(c.m, 0)
		tc += cold
		te += env
		if n%600 == 0 || n < 3 {
			fmt.Printf("n=%d cold %.3f env %.2f iSat %d iHi %d ks %d kh %d\n", n, cold, env, p.iSat, p.iHi, p.ks.max(), p.kh.max())
		}
	}
	ex := run(t, s, Options{Mode: ModeExact})
	fmt.Printf("fast cold %.1f env %.2f | exact cold %d env %.2f\n", tc, te/7200, ex.ColdStarts, ex.MeanEnvironments)
}

func TestGapsTimeline(t *testing.T) {
	s := parse(t, fastCases[1].yaml)
	s.Path = "testdata/x.yaml"
	ex := run(t, s, Options{Mode: ModeExact})
	fa := run(t, s, Options{Mode: ModeFast})
	var ce, cf, ee, ef float64
	for i := range ex.Timeline {
		ce += ex.Timeline[i].ColdStarts
		cf += fa.Timeline[i].ColdStarts
		ee += ex.Timeline[i].Environments
		ef += fa.Timeline[i].Environments
		if (i+1)%60 == 0 {
			fmt.Printf("min %d: cold %.0f / %.0f  env %.1f / %.1f\n", (i+1)/60, ce, cf, ee/60, ef/60)
			ce, cf, ee, ef = 0, 0, 0, 0
		}
	}
	fmt.Println(ex.BucketSeconds)
}

func TestFloodProto(t *testing.T) {
	s := parse(t, fastCases[1].yaml)
	ds := sampleDurations(s, 1, 400000)
	fmt.Printf("flood %.4f ei %.4f es %.4f\n", floodPerRate(&ds), ds.ei, ds.es)
	s = parse(t, fastCases[0].yaml)
	ds = sampleDurations(s, 1, 400000)
	fmt.Printf("flood %.4f ei %.4f es %.4f\n", floodPerRate(&ds), ds.ei, ds.es)
}

func TestFastOnlyLong(t *testing.T) {
	for _, tc := range fastCases[2:] {
		s := parse(t, tc.yaml)
		s.Path = "testdata/x.yaml"
		fa := run(t, s, Options{Mode: ModeFast})
		fmt.Printf("%s: cold %d env %.1f gbs %.4g thr %d p99 %.1f | %v\n", tc.name, fa.ColdStarts, fa.MeanEnvironments, fa.BilledGBSeconds, fa.Throttles, fa.LatencyMs.P99, fa.Assumptions)
	}
}
