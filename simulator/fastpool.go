package simulator

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"gonum.org/v1/gonum/mathext"
)

// zLevel is the standard-normal level equivalent of pool level k when the
// busy count is Poisson(m): P(N ≥ k) = 1 − Φ(z), by the Wilson–Hilferty
// transform of the Poisson–gamma identity P(N ≥ k) = P(Γ(k) ≤ m).
func zLevel(k, m float64) float64 {
	if m <= 0 {
		return math.Inf(1)
	}
	return 3 * math.Sqrt(k) * (1 - 1/(9*k) - math.Cbrt(m/k))
}

// levelCal is the cluster rate of the busy count's excursions to a level,
// as a function of the level's z (zLevel), measured by a busy-count
// simulation at one rate: G(z) = visits to the level that start after at
// least g0 below it, per second.
type levelCal struct {
	z0, dz float64   // the table's first z and step
	lnG    []float64 // ln G at z0 + i·dz
	g0     float64   // s
	// The calibration run's own figures, for the self-check.
	m, rate, dur float64
	coldT, predT float64 // cold starts per s at idle timeout T: counted, and Σ G·e^(−G·T)
	idle         float64
	reliableZ    float64
	counts       []int64
	// When quad is set, above zPeak (by weighted least squares on the
	// levels with at least 10·calLonger visits): with lnz, ln G ≈ ln z +
	// qa + qb·z + qc·z², qc = −½ (a Gaussian process's excursion-cluster
	// rate, see buildLevelCal), z the exact normal score (zExact) at the
	// calibration's mean; without (a calibration mean below zExactFrom),
	// ln G ≈ qa + qb·z + qc·z² in the Wilson–Hilferty z. The pool
	// evaluates G at its own levels' Wilson–Hilferty z.
	quad, lnz  bool
	qa, qb, qc float64
	zPeak      float64
}

// g is G at z: interpolated in the table, +Inf below it, and beyond its
// last reliable point extrapolated with a Gaussian tail (ln G falls as
// −z²/2 + ln z).
func (c *levelCal) g(z float64) float64 {
	// Below the lowest level measured (where the count is mostly above
	// the level) G is extended for one unit of z, then taken as +Inf
	// (surely alive): a rate a little above the calibration's moves the
	// lowest levels' z down a little.
	if c.quad {
		if z < c.zPeak-1 {
			return math.Inf(1)
		}
		if !c.lnz {
			return math.Exp(c.qa + z*(c.qb+z*c.qc))
		}
		switch {
		case z <= 0:
			return math.Inf(1)
		case math.IsInf(z, 1):
			return 0 // a level beyond any the count reaches (zExact of a tail below 10⁻³⁰⁸)
		}
		return z * math.Exp(c.qa+z*(c.qb+z*c.qc))
	}
	if z < c.z0-1 {
		return math.Inf(1)
	}
	if z < c.z0 {
		slope := 0.0
		if len(c.lnG) > 1 {
			slope = (c.lnG[1] - c.lnG[0]) / c.dz
		}
		return math.Exp(c.lnG[0] + slope*(z-c.z0))
	}
	x := (z - c.z0) / c.dz
	n := len(c.lnG)
	if x >= float64(n-1) {
		zl := c.z0 + float64(n-1)*c.dz
		return math.Exp(c.lnG[n-1] - (z*z-zl*zl)/2 + math.Log(z/zl))
	}
	i := int(x)
	f := x - float64(i)
	return math.Exp(c.lnG[i]*(1-f) + c.lnG[i+1]*f)
}

// local is ln G's slope and half its second derivative at z (the fit's
// form, ln z + qa + qb·z + qc·z², as a quadratic in z − z₀ about z₀ = z:
// ln z ≈ ln z₀ + (z − z₀)/z₀ − (z − z₀)²/(2z₀²)), for the pool's
// recursion over the few bins between two exact evaluations.
func (c *levelCal) local(z float64) (slope, curv float64) {
	if !c.lnz {
		return c.qb + 2*c.qc*z, c.qc
	}
	return c.qb + 2*c.qc*z + 1/z, c.qc - 1/(2*z*z)
}

// buildLevelCal turns the counts per level (index k−1 for level k) of a
// calibration run into the fit (and the table) of ln G over z.
//
// The fit's form is the rate of a Gaussian process's excursion clusters
// above a high level z, ∝ z^(2/α−1)·φ(z) (Pickands), with α = 1 for the
// M/G/∞ busy count (its correlation r(t) = ∫_t^∞ P(S > s) ds / E[S] has a
// linear cusp at 0): ln G = ln z − z²/2 + qa + qb·z, two parameters
// fitted, the curvature fixed. A free quadratic's curvature was the fit's
// least determined direction, and at a long keep-alive the cold starts
// follow ln G's slope where G·T ≈ 1, near the top of the fitted levels:
// on the week case (10-min keep-alive) the free quadratic's predicted
// steady cold rate varied by 2.9 % (SD) between seeds, this form's by
// 0.7 %. The levels' z is the exact score of the Poisson tail (zExact):
// at the calibration's mean busy count of ≈ 20 the Wilson–Hilferty z is
// 0.005–0.022 low between z = 2.8 and 4.6: 32 calibrations of the week
// case pooled (80 of its lengths) show a curvature of −0.018 ± 0.007
// beyond −½ in that z and −0.002 ± 0.007 in the exact one. A free
// quadratic took the approximation's curvature for G's and carried it to
// the pool's larger means, where the offset is a quarter of that: steady
// cold starts 1.1 % low at a mean of 100 and a 10-min keep-alive, against
// a calibration at that mean.
func buildLevelCal(ncl, ncold []int64, m, rate, dur, g0, idle float64) *levelCal {
	c := &levelCal{g0: g0, m: m, rate: rate, dur: dur, idle: idle, counts: ncl}
	var zs, lg []float64
	var fz, fy, fw []float64 // the levels fitted: z, ln G, weight
	// Below the level where long gaps are most frequent the count is
	// mostly above the level: G is not a cluster rate there (+Inf).
	peak := 0
	for i, n := range ncl {
		if n > ncl[peak] {
			peak = i
		}
	}
	for i, n := range ncl {
		k := float64(i + 1)
		c.coldT += float64(ncold[i]) / dur
		// The levels fitted are chosen by their rate, at least 10 visits
		// per calibration length before calLonger (and the table's, 30):
		// by count, a longer run would fit further into the tail, and the
		// fit's extrapolation — its bias — would move with the length.
		if n < 10*calLonger || i < peak {
			continue
		}
		y := float64(n) / dur
		if y*g0 > 0.25 {
			continue // the level is rarely left for g0: always alive
		}
		// n/dur = G·e^(−G·g0): the smaller root, by iteration.
		gk := y
		for j := 0; j < 50; j++ {
			gk = y * math.Exp(gk*g0)
		}
		z := zCal(k, m)
		if len(fz) == 0 {
			c.zPeak = z
		}
		fz, fy, fw = append(fz, z), append(fy, math.Log(gk)), append(fw, float64(n))
		if n < 30*calLonger {
			continue
		}
		zs = append(zs, z)
		lg = append(lg, math.Log(gk))
	}
	nq := len(fz) // levels in the fit
	if m >= zExactFrom {
		// ln G − ln z + z²/2 = qa + qb·z, weighted least squares.
		var s [3]float64 // Σw·z^i
		var sy [2]float64
		for i, z := range fz {
			w, r := fw[i], fy[i]-math.Log(z)+z*z/2
			s[0] += w
			s[1] += w * z
			s[2] += w * z * z
			sy[0] += w * r
			sy[1] += w * z * r
		}
		if d := s[0]*s[2] - s[1]*s[1]; d > 0 {
			qa := (sy[0]*s[2] - sy[1]*s[1]) / d
			qb := (s[0]*sy[1] - s[1]*sy[0]) / d
			// G must fall with z from the first level fitted on.
			if c.zPeak > 0 && qb-c.zPeak+1/c.zPeak < 0 {
				c.quad, c.lnz, c.qa, c.qb, c.qc = true, true, qa, qb, -0.5
			}
		}
	} else {
		// A free quadratic in the Wilson–Hilferty z (see zExactFrom).
		var s [5]float64 // Σw·z^i
		var sy [3]float64
		for i, z := range fz {
			zp := 1.0
			for j := range s {
				s[j] += fw[i] * zp
				if j < 3 {
					sy[j] += fw[i] * zp * fy[i]
				}
				zp *= z
			}
		}
		// The normal equations (Cramer's rule).
		det3 := func(a [3][3]float64) float64 {
			return a[0][0]*(a[1][1]*a[2][2]-a[1][2]*a[2][1]) - a[0][1]*(a[1][0]*a[2][2]-a[1][2]*a[2][0]) + a[0][2]*(a[1][0]*a[2][1]-a[1][1]*a[2][0])
		}
		mat := [3][3]float64{{s[0], s[1], s[2]}, {s[1], s[2], s[3]}, {s[2], s[3], s[4]}}
		if d := det3(mat); d != 0 {
			var q [3]float64
			for col := 0; col < 3; col++ {
				mc := mat
				for row := 0; row < 3; row++ {
					mc[row][col] = sy[row]
				}
				q[col] = det3(mc) / d
			}
			if q[2] < 0 && q[1]+2*q[2]*c.zPeak < 0 {
				c.quad, c.qa, c.qb, c.qc = true, q[0], q[1], q[2]
			}
		}
	}
	if nq < 6 {
		c.quad = false // too few levels for the fit: the table
	}
	switch {
	case len(zs) == 0 && !c.quad:
		return nil
	case len(zs) == 0:
		c.predict()
		return c
	case len(zs) == 1:
		// One level counted often enough (a busy count mostly 0 or 1):
		// G there, a Gaussian tail above.
		c.z0, c.dz, c.reliableZ, c.lnG = zs[0], 0.02, zs[0], lg
		c.predict()
		return c
	}
	c.z0, c.dz = zs[0], 0.02
	c.reliableZ = zs[len(zs)-1]
	j := 0
	for z := c.z0; z <= c.reliableZ; z += c.dz {
		for j+1 < len(zs)-1 && zs[j+1] < z {
			j++
		}
		f := (z - zs[j]) / (zs[j+1] - zs[j])
		c.lnG = append(c.lnG, lg[j]*(1-f)+lg[j+1]*f)
	}
	c.predict()
	return c
}

// predict is the model's steady cold-start rate at the calibration's own
// rate: Σ_k G_k·e^(−G_k·T).
func (c *levelCal) predict() {
	c.predT = c.steadyCold(c.m, c.idle)
}

// steadyCold is Σ_k G_k·e^(−G_k·T) over the levels of a Poisson(m) count
// (z_k its exact normal scores, as in the fit).
func (c *levelCal) steadyCold(m, idle float64) float64 {
	sum := 0.0
	for k := 1.0; k < m+30*math.Sqrt(m)+30; k++ {
		gk := c.g(zCal(k, m))
		if !math.IsInf(gk, 1) {
			sum += gk * math.Exp(-gk*idle)
		}
	}
	return sum
}

// levelPool is the fast mode's model of the on-demand pool (see the
// package doc, "Fast mode"). With the engine's most-recently-used routing
// the environment at stack level k (counted above the provisioned ones)
// is alive exactly when the busy count reached k within the last idle
// timeout T, and an arrival is cold exactly when it lifts the busy count
// to a level not reached for T. The busy count's excursions to a level k
// above its mean come in clusters that are, to a good approximation, a
// Poisson process of rate G_k (levelCal); so level k is dead at t with
// probability e^(−Λ_k(t)), Λ_k(t) = ∫_{t−T}^t G_k(s) ds, and its cold
// starts come at the rate G_k(t)·e^(−Λ_k(t)) — the "e^(−λT)" keep-alive
// law per level, exact in the window integral however the rate changes.
// Levels are grouped in bins of b adjacent levels (b ≪ √m, so G varies
// little across a bin); time in slots of T/W.
type levelPool struct {
	cal       *levelCal
	b         int     // levels per bin
	prov      float64 // provisioned environments (the levels below the first bin)
	w         int     // slots per idle timeout
	zSat, zHi float64 // G·slot ≥ satC below zSat; G·slot < 10⁻⁶ above zHi (ignored: < 10⁻⁶ cold starts per bin and slot)
	slot      float64 // s
	ring      []float64
	sum       []float64
	lw        []int // last slot written, −1 never
	det       []int // the bin may be alive from the hand-off (of exact runs) before this slot
	detTop    int   // highest bin with det in the future, −1 none
	// The nK exact starts handed over: in start k, bin i is alive from
	// the hand-off through the slots before detK[i·nK + k] and for the
	// fraction detU[i·nK + k] of that slot (handQ).
	detK      []int
	detU      []float64
	nK        int
	iSat, iHi int
	maxBin    int // the last bin below the concurrency cap
	// With a maximum lifetime (in slots, 0 = none): the slot a surely
	// alive bin's environments were born, and the last slot it was surely
	// alive.
	life          int
	born, lastCer []int
	ks, kh        maxDeque
	n             int
	// same counts the consecutive steps with the same inputs (and no
	// hand-off or lifetime state), lastM and lastFlood are the last ones.
	same             int
	lastM, lastFlood float64
	// floodBirth and floodDeath are where in a slot a flood's levels are
	// born (from its start) and, T later, reclaimed: floodConst's birth
	// and death in slots (at most 1).
	floodBirth, floodDeath float64
	// zc[i] holds bin i's middle level k as 3√k, 1 − 1/(9k) and 1/∛k, so
	// that its z at a mean m is 3√k·(1 − 1/(9k) − ∛m/∛k) (zLevel) with
	// one cube root per step, not one per bin.
	zc []zConst
}

type zConst struct{ s3, a, icb float64 }

// zOf is zLevel(center(i), m), cm = ∛m.
func (p *levelPool) zOf(i int, m, cm float64) float64 {
	if m <= 0 {
		return math.Inf(1)
	}
	for len(p.zc) <= i {
		k := p.center(len(p.zc))
		p.zc = append(p.zc, zConst{3 * math.Sqrt(k), 1 - 1/(9*k), 1 / math.Cbrt(k)})
	}
	c := p.zc[i]
	return c.s3 * (c.a - cm*c.icb)
}

// slotsPerT is the pool's resolution in time: slots per idle timeout.
// A level's keep-alive window is summed over whole slots, the oldest
// half-counted, so a steady level's cold rate comes out as
// G·e^(−GT)·sinh(u/2)/(u/2), u = G·slot: within 0.3 % of G·e^(−GT)
// wherever G·T ≤ 10 (the levels whose cold starts count); changing rates
// are resolved to T/40. On the validation set 40 slots per T give the
// cold starts of 120 (the earlier choice) within 0.03 % and mean
// environments within 0.5 %, in a third of the time (the run time is
// proportional to the number of slots).
const slotsPerT = 40

const satC = 40.0 // e^(−40): a level visited this surely is alive

// satF marks the slot value of a level a flood reached, which is as sure
// as satC but at the slot's start (the flood's busy count peaks within
// INIT + a duration of the rate's jump) and not after: when that slot
// leaves the window the level is reclaimed at the start of the slot, not
// through it (levelPool.step's rise and fall).
const satF = satC + 1

// maxDeque is the trailing maximum of an int series over a window of w
// steps.
type maxDeque struct {
	k, v []int
}

func (d *maxDeque) push(step, v, w int) {
	for len(d.k) > 0 && d.v[len(d.v)-1] <= v {
		d.k, d.v = d.k[:len(d.k)-1], d.v[:len(d.v)-1]
	}
	d.k, d.v = append(d.k, step), append(d.v, v)
	d.evict(step, w)
}

func (d *maxDeque) evict(step, w int) {
	i := 0
	for i < len(d.k) && d.k[i] <= step-w {
		i++
	}
	if i > 0 {
		n := copy(d.k, d.k[i:])
		copy(d.v, d.v[i:])
		d.k, d.v = d.k[:n], d.v[:n]
	}
}

// shift moves every entry n steps later.
func (d *maxDeque) shift(n int) {
	for i := range d.k {
		d.k[i] += n
	}
}

func (d *maxDeque) max() int {
	if len(d.v) == 0 {
		return -1
	}
	return d.v[0]
}

func newLevelPool(cal *levelCal, idle, prov, capC, mRef float64) *levelPool {
	p := &levelPool{cal: cal, prov: prov, iSat: -1, iHi: -1, detTop: -1}
	// Whole seconds per slot (the fast loop's step), ≈ slotsPerT per T.
	p.slot = math.Max(1, math.Round(idle/slotsPerT))
	p.w = max(1, int(math.Round(idle/p.slot)))
	p.b = max(1, int(math.Sqrt(math.Max(mRef, 0))/12))
	// Levels above the cap do not exist: the arrivals that would reach
	// them are throttled (Erlang B, in the fast loop).
	p.maxBin = int(math.Floor((capC-prov)/float64(p.b))) - 1
	// zSat and zHi by bisection (G decreases in z).
	zAt := func(target float64) float64 {
		lo, hi := -10.0, 40.0
		for i := 0; i < 100; i++ {
			mid := (lo + hi) / 2
			if cal.g(mid)*p.slot >= target {
				lo = mid
			} else {
				hi = mid
			}
		}
		return lo
	}
	p.zSat, p.zHi = zAt(satC), zAt(1e-6)
	return p
}

// center is the middle level of bin i.
func (p *levelPool) center(i int) float64 {
	return p.prov + float64(i*p.b) + float64(p.b+1)/2
}

func (p *levelPool) grow(i int) {
	for len(p.sum) <= i {
		p.sum = append(p.sum, 0)
		p.lw = append(p.lw, -1)
		p.det = append(p.det, 0)
		p.ring = append(p.ring, make([]float64, p.w)...)
		if p.life > 0 {
			p.born = append(p.born, 0)
			p.lastCer = append(p.lastCer, -2)
		}
	}
}

// step advances one slot at mean busy count m (over all levels,
// provisioned included), with at least flood on-demand levels reached in
// it, and returns the expected cold starts in it and the expected live
// on-demand environments at its end, and how far the slot's mean of live
// environments is above the straight line between the last slot's end
// and this one's: rise from levels whose window gains more in this slot
// than it loses (a flood's, born early in the slot), fall from levels
// whose window loses more (the ones reclaimed, alive until late in it).
//
// With the visits of the slot leaving the window (a, in units of the
// level's Λ) and of the current one (c) spread evenly over the slot, and
// Λ' the slots in between, a level is alive at the fraction u of the slot
// with probability 1 − e^(−Λ'−a(1−u)−cu); its mean over the slot less the
// mean of its two ends is e^(−Λ'−min(a,c))·f(|c−a|), f(d) = (1 + e^(−d))/2 −
// (1 − e^(−d))/d (≤ ½; it is left out where d ≤ 1, f < 0.052, and where
// Λ' ≥ 8, e^(−8)/2 < 2·10⁻⁴ of an environment per level: on the year at
// 10k req/s what it leaves out is 3 % of the correction, < 10⁻⁶ of the
// mean environments, for 1/180 of the evaluations). A level reclaimed
// after a busy minute (a saturated, c = 0) is alive for all but the last
// 1/40 of the slot, not half of it. A flood's levels (satF) are reached
// once, not through the slot: born at floodBirth and, when that slot
// leaves the window, reclaimed at floodDeath (floodGone).
func (p *levelPool) step(m, flood float64) (cold, envs, rise, fall float64) {
	n := p.n
	p.n++
	if m == p.lastM && flood == p.lastFlood && p.detTop < 0 && p.life == 0 {
		p.same++
	} else {
		p.same = 0
	}
	p.lastM, p.lastFlood = m, flood
	w := p.w
	cm := math.Cbrt(m)
	zb := func(i int) float64 { return p.zOf(i, m, cm) }
	// The saturated and the negligible boundaries move little per slot.
	for p.iSat >= 0 && zb(p.iSat) > p.zSat {
		p.iSat--
	}
	for zb(p.iSat+1) <= p.zSat {
		p.iSat++
	}
	p.iHi = max(p.iHi, p.iSat)
	for p.iHi > p.iSat && zb(p.iHi) > p.zHi {
		p.iHi--
	}
	for zb(p.iHi+1) <= p.zHi {
		p.iHi++
	}
	rateSat := min(p.iSat, p.maxBin) // saturated by the rate, visited all through the slot
	sat := p.iSat
	if flood > 0 {
		sat = max(sat, int(math.Round(flood/float64(p.b)))-1)
	}
	sat = min(sat, p.maxBin)
	hi := min(p.iHi, p.maxBin)
	ksW := p.ks.max() // saturated within the previous w slots
	p.ks.evict(n, w)
	ksPrev := p.ks.max() // saturated within the previous w−1 slots
	p.ks.push(n, sat, w)
	khW := p.kh.max() // not negligible within the previous w slots
	p.kh.push(n, max(hi, sat), w)
	top := max(p.kh.max(), p.detTop)
	p.grow(top)
	bf := float64(p.b)
	// The bins above top were not negligible only in the slot leaving the
	// window: reclaimed in this one, when their last visit there is T old.
	for i := top + 1; i <= min(max(khW, ksW), len(p.sum)-1); i++ {
		a := 0.0
		if p.lw[i] >= n-w {
			a = p.ring[i*w+n%w]
		}
		if i <= ksW {
			a = math.Max(a, satC)
		}
		switch {
		case n-1 < p.det[i] || a <= 1:
		case a == satF:
			rise += bf * floodGone(0, p.floodDeath)
		default:
			fall += bf * slotShape(a)
		}
	}
	for p.detTop >= 0 && p.det[p.detTop] <= n {
		p.detTop--
	}
	// Bins saturated now but not surely alive before (the rate rose past
	// them within one slot) are visited too: their first visit is cold.
	lo := min(sat, ksPrev) + 1
	envs = float64(lo * p.b)
	if p.life > 0 {
		for i := 0; i < lo; i++ {
			cold += p.aging(i, n)
		}
	}
	// z is computed exactly every zEvery bins and interpolated between
	// above level 200 (it is smooth there: the interpolation error is
	// below 10⁻³, i.e. < 0.4 % in G).
	// With the fit, ln G is then quadratic in the bin index between two
	// anchors (its ln z to second order, levelCal.local: off by at most
	// h³/(3z³) over the h ≤ zEvery/12 in z between anchors, 2·10⁻³ of ln G
	// at z = 1.8, 5·10⁻⁴ at z = 3), so G follows by two multiplications per bin:
	// G_{j+1} = G_j·ρ_j, ρ_{j+1} = ρ_j·σ.
	const zEvery = 4
	zaI, zbI := -1, -1
	var za, dz, gj, rho, sig float64
	for i := lo; i <= top; i++ {
		c := 0.0
		switch {
		case i <= rateSat:
			c = satC
		case i <= sat:
			c = satF // a flood's: reached at the slot's start
		case i <= hi:
			if i > zbI {
				zaI, za = i, zb(i)
				zbI = min(i+zEvery, hi)
				if p.center(i) < 200 {
					zbI = i // low levels: z is too curved to interpolate
				}
				dz = 0.0
				if zbI > zaI {
					dz = (zb(zbI) - za) / float64(zbI-zaI)
				}
				if cq := p.cal; cq.quad && za >= cq.zPeak-1 && za > 0 {
					gj = cq.g(za)
					b1, c1 := cq.local(za)
					rho = math.Exp(b1*dz + c1*dz*dz)
					sig = math.Exp(2 * c1 * dz * dz)
				} else {
					gj = -1
				}
			}
			if gj >= 0 {
				c = gj * p.slot
				gj *= rho
				rho *= sig
			} else {
				c = p.cal.g(za+dz*float64(i-zaI)) * p.slot
			}
		}
		r := p.ring[i*w : (i+1)*w]
		if lw := p.lw[i]; lw < n-1 {
			// Not written since lw: it was either saturated (then ks
			// still covers it) or negligible: zero those slots.
			if lw < n-w {
				clear(r)
				p.sum[i] = 0
			} else {
				for j := lw + 1; j < n; j++ {
					p.sum[i] -= r[j%w]
					r[j%w] = 0
				}
			}
		}
		s := n % w
		old := math.Max(0, p.sum[i]-r[s])
		// Slot n − w, leaving the window: saturated there if the deque
		// says so (a bin below lo then was not written: its ring slot
		// was cleared above).
		prevS := r[s]
		if i <= ksW {
			prevS = math.Max(prevS, satC) // (a flood's satF stays)
		}
		// Alive from the hand-off: at the slot's end (q), over the slot
		// (qm, its mean), and the slot's mean less the straight line
		// between its ends for the starts whose level dies within it (dq).
		q, qm, dq, all := 0.0, 0.0, 0.0, false
		if n < p.det[i] {
			q, qm, dq, all = p.handQ(i, n)
		}
		certain := i <= ksPrev || all
		if x := old + prevS/2; !certain && x < 50 {
			if c > 0 {
				// A first visit at a uniform point of this slot finds the
				// level unvisited for T if the w−1 slots before were empty
				// and so was, on average, half of the slot n−w — and
				// finds it dead if it is not alive from the hand-off.
				cold += bf * (1 - qm) * math.Exp(-x) * oneMinusExp(c)
			}
			if dq != 0 {
				// A hand-off level dying within the slot, unless visited.
				if y := bf * dq * math.Exp(-old-c); y > 0 {
					fall += y
				} else {
					rise += y
				}
			}
			// Not a level alive throughout (certain now and in the last
			// slot): its mean over the slot (see above; old < 8 implies
			// x < 50, prevS ≤ satF).
			if d := c - prevS; old < 8 && math.Abs(d) > 1 && n-1 >= p.det[i] {
				switch y := bf * math.Exp(-old); {
				case c == satF:
					rise += y * math.Exp(-prevS) * (0.5 - p.floodBirth)
				case prevS == satF:
					rise += y * floodGone(c, p.floodDeath)
				case d > 0:
					rise += y * math.Exp(-prevS) * slotShape(d)
				default:
					fall += y * math.Exp(-c) * slotShape(-d)
				}
			}
		}
		p.sum[i] = old + c
		r[s] = c
		p.lw[i] = n
		if p.life > 0 && (certain || i <= sat) {
			cold += p.aging(i, n)
		}
		if certain || i <= sat || p.sum[i] > 50 {
			envs += bf
		} else {
			envs += bf * (q + (1-q)*-math.Expm1(-p.sum[i]))
		}
	}
	return cold, envs, rise, fall
}

// handQ is the probability that bin i is alive from the hand-off at the
// end of slot n (n < det[i]; the fraction of the exact starts in which it
// still is) and its mean over the slot, and dq, the mean less the
// straight line between the slot's ends for the starts in which it dies
// within the slot (alive for the fraction u of it: u − ½ each); all when
// it is alive through the slot in every start.
func (p *levelPool) handQ(i, n int) (q, qm, dq float64, all bool) {
	d := p.detK[i*p.nK : (i+1)*p.nK]
	u := p.detU[i*p.nK : (i+1)*p.nK]
	for k, dk := range d {
		switch {
		case n < dk:
			q++
		case n == dk:
			qm += u[k]
			dq += u[k] - 0.5
		}
	}
	f := 1 / float64(p.nK)
	return q * f, (q + qm) * f, dq * f, q == float64(p.nK)
}

// stationary reports whether the last 2w + 1 steps had the same inputs:
// the window of every bin then holds w equal slots, the saturated and
// negligible boundaries and their deques hold one value, and a step with
// the same inputs again changes nothing but the slot index.
func (p *levelPool) stationary() bool { return p.same > 2*p.w }

// skip advances a stationary pool by n steps of the same inputs: the
// slot index moves, the bins written in each step stay written up to the
// new last one, the deques' single entries move with it.
func (p *levelPool) skip(n int) {
	last := p.n - 1
	p.n += n
	for i, lw := range p.lw {
		if lw == last {
			p.lw[i] = p.n - 1
		}
	}
	p.ks.shift(n)
	p.kh.shift(n)
	p.same += n
}

// calibrateFor runs the level calibration for a scenario: a busy-count
// simulation long enough (60 idle timeouts, at least 30 min) to count the
// excursions to the levels whose cluster rate is about 1/T, at the mean
// rate or, if that would take more than calArrivals, at a lower rate that
// still gives a mean busy count of about 20 or more (G is a function of
// the level's z, whatever the rate: see zLevel), in at most calMaxArrivals
// unless a low rate needs calArrivals; then calLonger times as long. A
// cancelled ctx stops it (nil; the caller returns ctx.Err()).
func calibrateFor(ctx context.Context, s *Scenario, seed uint64, es float64) *levelCal {
	idle := s.KeepAlive.IdleTimeout.Mean().Seconds()
	mean := s.ExpectedRequests() / s.Span().Seconds()
	if !(mean > 0) || !(es > 0) {
		return nil
	}
	dur := math.Max(60*idle, 1800)
	rate := math.Min(mean, math.Max(calArrivals/dur, 20/es))
	if rate*dur > calMaxArrivals {
		dur = math.Max(20*idle, calMaxArrivals/rate)
	}
	// A low mean rate: as many arrivals as the budget gives.
	dur = math.Max(dur, calArrivals/rate) * calLonger
	g0 := math.Min(math.Max(1.5, 20*es), idle/10)
	return cachedCalibration(ctx, s, seed, rate, dur, g0, idle)
}

// floodPerRate is the pool a flood leaves per unit of arrival rate: the
// arrivals that find no idle environment start one and hold it for
// INIT + duration, the ones that find one (freed by an earlier
// completion) hold it for the duration only. In the fluid limit of that
// race, started from an empty pool at rate 1, the pool grows to this
// many environments (less than E[INIT] + E[duration]: the first
// environments freed already serve arrivals warm).
func floodPerRate(ds *durStats) float64 {
	k, _, _, _ := floodFluid(ds)
	return k
}

// floodConst are a duration sample's flood constants (per unit of
// arrival rate, from an empty pool). γ is raced only when a run first
// needs it (most floods at high rates are the scaling budget's, which do
// not use it); init before use, and do not copy.
type floodConst struct {
	kappa  float64 // environments per req/s: the fluid pool (floodPerRate)
	settle float64 // s until the fluid pool is within 0.1 % of κ
	// The mean time, s from the rate's jump, at which the fluid pool
	// reaches a flood's level (birth) and at which the busy count leaves
	// it for the last time (death), over the levels above the busy count
	// the flood settles to: where in its slot a flood's levels are born,
	// and where, T later, they are reclaimed (levelPool.step).
	birth, death float64

	ds        *durStats
	seed      uint64
	gammaOnce sync.Once
	gamma     float64 // the overshoot of the pool over the fluid's, per ∛environment (floodExcess)
}

// init computes the flood constants of the duration sample ds (kept: γ
// is raced from it when first asked for).
func (f *floodConst) init(ds *durStats, seed uint64) {
	f.kappa, f.settle, f.birth, f.death = floodFluid(ds)
	f.ds, f.seed = ds, seed
}

// overshoot is γ (floodExcess), raced on the first call.
func (f *floodConst) overshoot() float64 {
	f.gammaOnce.Do(func() { f.gamma = floodExcess(f.ds, f.kappa, f.settle, f.seed) })
	return f.gamma
}

// floodFluid is the fluid race of a flood from an empty pool at rate 1:
// its pool (floodPerRate) and its time constants (floodConst).
func floodFluid(ds *durStats) (kappa, settle, birth, death float64) {
	h := 3 * (ds.warm[len(ds.warm)*999/1000] + ds.cold[len(ds.cold)*999/1000]) / 1e9 // s
	const n = 4000
	dt := h / n
	hist := func(xs []float64) []float64 {
		p := make([]float64, n+1)
		for _, x := range xs {
			j := min(n, max(1, int(x/1e9/dt+0.5))) // completes in a later step
			p[j] += 1 / float64(len(xs))
		}
		return p
	}
	hw, hc := hist(ds.warm), hist(ds.cold)
	comp := make([]float64, 2*n+2)
	pools := make([]float64, n)
	busies := make([]float64, n)
	pool, busy := 0.0, 0.0
	for i := 0; i < n; i++ {
		busy -= comp[i]
		warm := math.Min(dt, pool-busy)
		cold := dt - warm
		pool += cold
		busy += dt
		for j := 1; j <= n; j++ {
			comp[i+j] += warm*hw[j] + cold*hc[j]
		}
		pools[i], busies[i] = pool, busy
	}
	kappa = pool
	i := 0
	for i < n-1 && pools[i] < 0.999*pool {
		i++
	}
	settle = float64(i+1) * dt
	// Births: the mean time of the pool's growth (mid-step).
	prev := 0.0
	for i, p := range pools {
		birth += (float64(i) + 0.5) * dt * (p - prev) / pool
		prev = p
	}
	// Deaths: level k is last visited when the maximum of the busy count
	// over the rest of the race falls below it; the mean over the levels
	// between the settled busy count and the pool.
	sufMax := busies[n-1]
	last := sufMax
	for i := n - 1; i >= 0; i-- {
		if busies[i] > sufMax {
			death += (float64(i) + 0.5) * dt * (busies[i] - sufMax)
			sufMax = busies[i]
		}
	}
	if sufMax > last {
		death /= sufMax - last
	}
	return kappa, settle, birth, death
}

// startRun is the exact engine's run over the first seconds of the span
// (the pool filling from empty, where the scaling budget and the INIT
// flood race arrival by arrival), and the state the pool model takes over
// — averaged over a few independent runs (exactStarts).
type startRun struct {
	st       startTotals
	timeline []Bucket // env·s in Environments (not yet divided by the width)
	// alive[j−1] is how long on-demand level j stays alive for certain
	// after the hand-off, ns: the idle timeout if it is busy at the
	// hand-off, its environment's deadline − hand-off if it is idle, 0 if
	// it has no environment.
	alive []float64
	// runs holds each start's alive (exactStarts; nil for one start).
	runs   [][]float64
	envs   float64 // live on-demand environments at the hand-off
	tokens float64 // scaling budget left, environments
}

// startTotals are the exact start's totals (means over the runs).
type startTotals struct {
	arr, inv, cold, thr, rateThr, prov, envNs, busyNs, peak, deaths, lifeNs float64
}

// maxStartArrivals bounds the arrivals of all the exact starts together
// (≈ 0.2 s of CPU); maxStarts bounds their number.
const (
	maxStartArrivals = 1.5e6
	maxStarts        = 8
)

// startRuns is how many exact starts of a window with arrivals arrivals
// the fast mode averages.
func startRuns(arrivals float64) int {
	if !(arrivals > 0) {
		return 1
	}
	return int(math.Max(1, math.Min(maxStarts, math.Floor(maxStartArrivals/arrivals))))
}

// exactStarts runs the exact engine over the first tw of the span n times
// (the streams 0…n−1 of seed: the first tw of the replicas `--runs n`
// would run) and hands over their mean: totals, timeline, and per level
// the mean time it stays alive. One start is one sample of the flood and
// of the pool it leaves, and on an hour's run with a few hundred cold
// starts its sampling error (the flood's ≈ √(cold starts in it)) was
// most of a fast run's difference from the exact engine's expectation;
// the mean of n carries 1/√n of it, and with cv (newStartCV) each start's
// cold starts are corrected by the control variate of its flood.
func exactStarts(ctx context.Context, s *Scenario, seed uint64, tw, bw time.Duration, n int, cv *startCV) *startRun {
	var o *startRun
	done := 0
	for i := 0; i < n && ctx.Err() == nil; i++ {
		done++
		h := exactStart(ctx, s, seed, i, tw, bw, cv)
		if o == nil {
			o = h
			o.runs = [][]float64{slices.Clone(h.alive)}
			continue
		}
		o.runs = append(o.runs, h.alive)
		a, b := &o.st, &h.st
		a.arr, a.inv, a.cold, a.thr, a.rateThr = a.arr+b.arr, a.inv+b.inv, a.cold+b.cold, a.thr+b.thr, a.rateThr+b.rateThr
		a.prov, a.envNs, a.busyNs, a.peak = a.prov+b.prov, a.envNs+b.envNs, a.busyNs+b.busyNs, a.peak+b.peak
		a.deaths, a.lifeNs = a.deaths+b.deaths, a.lifeNs+b.lifeNs
		for j := range h.timeline {
			o.timeline[j].add(&h.timeline[j])
		}
		for len(o.alive) < len(h.alive) {
			o.alive = append(o.alive, 0)
		}
		for j, x := range h.alive {
			o.alive[j] += x
		}
		o.envs += h.envs
		o.tokens += h.tokens
	}
	if o == nil || done == 1 {
		if o != nil {
			o.runs = nil
		}
		return o
	}
	f := 1 / float64(done)
	a := &o.st
	for _, x := range []*float64{&a.arr, &a.inv, &a.cold, &a.thr, &a.rateThr, &a.prov, &a.envNs, &a.busyNs, &a.peak, &a.deaths, &a.lifeNs, &o.envs, &o.tokens} {
		*x *= f
	}
	for j := range o.timeline {
		t := &o.timeline[j]
		t.Arrivals *= f
		t.ColdStarts *= f
		t.Throttles *= f
		t.ConcurrencyMax *= f
		t.Environments *= f
	}
	for j := range o.alive {
		o.alive[j] *= f
	}
	return o
}

func exactStart(ctx context.Context, s *Scenario, seed uint64, stream int, tw, bw time.Duration, cv *startCV) *startRun {
	cs := *s
	cs.Duration = pricing.Duration(tw)
	// With the control variate, the run's buckets are its fine ones
	// (a divisor of bw: the run is the same, only counted finer), added
	// up into bw below.
	fw := bw
	if cv != nil {
		fw = cv.fw
	}
	rp := buildReplica(&cs, seed, stream, fw, 0)
	rp.noFinish = true
	rp.run(func(int64) bool { return ctx.Err() == nil }) // cancelled: the caller returns ctx.Err()
	span := rp.span
	busyOD := rp.busy - (rp.prov - rp.provIdle)
	o := &startRun{}
	idleT := float64(s.KeepAlive.IdleTimeout.Mean())
	for j := 0; j < busyOD; j++ {
		o.alive = append(o.alive, idleT)
	}
	mask := len(rp.idle) - 1
	for i := rp.idleLen - 1; i >= 0; i-- {
		if e := rp.idle[(rp.idleHead+i)&mask]; e.deadline > span {
			o.alive = append(o.alive, float64(e.deadline-span))
		}
	}
	o.envs = float64(len(o.alive))
	tok := rp.tokens
	if tok < rp.tokCap {
		if dt := span - rp.lastToken; dt >= tokenUnit {
			tok = rp.tokCap
		} else {
			tok = min(rp.tokCap, tok+dt*rp.rate)
		}
	}
	o.tokens = float64(tok) / float64(tokenUnit)
	rp.finish() // closes the books at the hand-off: environment time clipped to it
	st := rp.stats()
	o.st = startTotals{arr: float64(st.Arrivals), inv: float64(st.Invocations), cold: float64(st.Cold), thr: float64(st.Throttles),
		rateThr: float64(st.RateThrottles), prov: float64(st.Provisioned), envNs: st.EnvNs, busyNs: st.BusyNs, peak: float64(st.Peak),
		deaths: float64(st.Deaths), lifeNs: st.LifeNs}
	nb := int((span + int64(bw) - 1) / int64(bw))
	o.timeline = make([]Bucket, nb)
	full := int64(0)
	prov := float64(s.Concurrency.Provisioned)
	nf := int((span + rp.bw - 1) / rp.bw)
	for j := 0; j < nf; j++ {
		b := rp.buckets[j]
		full += b.envFull
		start := int64(j) * rp.bw
		width := min(rp.bw, span-start)
		envNs := float64(b.envPart) + float64(full)*float64(rp.bw)
		ob := &o.timeline[start/int64(bw)]
		ob.Arrivals += float64(b.arrivals)
		ob.ColdStarts += float64(b.cold)
		ob.Throttles += float64(b.throttles)
		ob.ConcurrencyMax = math.Max(ob.ConcurrencyMax, float64(b.cmax))
		ob.Environments += envNs/1e9 + prov*float64(width)/1e9
		if cv != nil && j < len(cv.w) {
			// The flood's cold starts less their control variate:
			// w·(arrivals − expected arrivals), whose mean is 0.
			d := cv.w[j] * (float64(b.arrivals) - cv.ea[j])
			ob.ColdStarts -= d
			o.st.cold -= d
		}
	}
	return o
}

// startCV is the control variate of an exact start's flood: w[j] is the
// weight of an arrival in the start's fine bucket j (of width fw), the
// fraction of the fluid flood's arrivals there that start an environment,
// and ea[j] the bucket's expected arrivals, ∫ rate.
//
// The flood that fills the empty pool at t = 0 is most of a start's cold
// starts, and most of their sampling error is the Poisson count of its
// first arrivals: at 1k req/s (log-normal 60/300 ms, INIT 250 ms) a start's
// cold starts have an SD of 17.0 over 512 starts, and X = Σ w(tᵢ) over its
// arrivals correlates with them at 0.87. By Campbell's theorem E[X] =
// Σ w·ea for any fixed weights, so cold − (X − E[X]) has the exact
// engine's mean, whatever the weights; with the fluid's, its SD is 8.5
// (the mean of 8 starts: 6.0 → 3.0). It applies where the fluid flood is
// not bounded (an arrival more then starts an environment or is served
// warm); where the scaling budget, the cap or the rate quota bounds it,
// an arrival more is mostly throttled and no weight applies (nil).
type startCV struct {
	fw    time.Duration
	w, ea []float64
}

// newStartCV is the start's control variate (nil where none applies):
// the fluid race of the flood at the scenario's own rate from an empty
// pool over the longest INIT + duration and duration (99.9th percentiles)
// three times, within the start window tw, at 2,000 steps; fine buckets of
// the smallest width that divides a second, leaves ≥ 10 steps to a bucket
// and ≤ 10⁵ buckets in tw.
func newStartCV(ds *durStats, s *Scenario, tw time.Duration, lam func(float64) float64) *startCV {
	c := s.Concurrency
	if s.Traffic.Arrivals == Even || tw <= 0 {
		return nil
	}
	h := math.Min(tw.Seconds(), 3*(ds.warm[len(ds.warm)*999/1000]+ds.cold[len(ds.cold)*999/1000])/1e9)
	const steps = 2000
	var fw time.Duration
	for _, ms := range []int{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000} {
		fw = time.Duration(ms) * time.Millisecond
		if fw.Seconds() >= 10*h/steps && tw/fw <= 100_000 {
			break
		}
	}
	m := max(1, int(math.Round(steps*fw.Seconds()/h))) // fluid steps per fine bucket
	nF := int(math.Ceil(h / fw.Seconds()))
	dt := fw.Seconds() / float64(m)
	n := nF * m
	hist := func(xs []float64) []float64 {
		p := make([]float64, n+1)
		for _, x := range xs {
			j := min(n, max(1, int(x/1e9/dt+0.5))) // completes in a later step
			p[j] += 1 / float64(len(xs))
		}
		return p
	}
	hw, hc := hist(ds.warm), hist(ds.cold)
	comp := make([]float64, 2*n+2)
	capC, scal, rateL := float64(c.Cap()), float64(c.ScalingRate), float64(c.RateLimit(s.Traffic.Invocation))
	pool, busy, tok := float64(c.Provisioned), 0.0, scal
	cv := &startCV{fw: fw, w: make([]float64, nF), ea: make([]float64, nF)}
	for j := 0; j < nF; j++ {
		var sa, sc float64
		for q := 0; q < m; q++ {
			i := j*m + q
			t0 := float64(i) * dt
			a := lam(t0+dt) - lam(t0)
			if a > 0.5*rateL*dt {
				return nil // near the rate quota
			}
			busy = math.Max(0, busy-comp[i])
			tok = math.Min(scal, tok+scal/10*dt)
			warm := math.Min(a, math.Max(0, pool-busy))
			need := a - warm
			cold := math.Min(need, math.Min(tok, math.Max(0, capC-pool)))
			if cold < need*(1-1e-9) {
				return nil // bounded by the budget or the cap
			}
			tok -= cold
			pool += cold
			busy += a
			for k := 1; k <= n; k++ {
				comp[i+k] += warm*hw[k] + cold*hc[k]
			}
			sa += a
			sc += cold
		}
		cv.ea[j] = sa
		if sa > 0 {
			cv.w[j] = sc / sa
		}
	}
	return cv
}

// handOff makes the pool model continue from the exact starts' state at
// the hand-off: each bin is alive, in as many of the starts as its middle
// level is, for as long as it is there (startRun.runs; with one start, for
// certain for that time), and besides kept by the level law. (Each level
// alive for certain for its mean time over the starts had the same
// integral but the wrong shape: the top of the largest start's pool alive
// at once, then shrinking — 329 environments against the exact 312.7 in
// the spike case's first minute — and, by convexity, fewer cold starts at
// levels a start may or may not hold.)
func (p *levelPool) handOff(h *startRun) {
	nOD := len(h.alive)
	if nOD == 0 {
		return
	}
	nBins := (nOD + p.b - 1) / p.b
	p.grow(nBins - 1)
	slotNs := p.slot * 1e9
	runs := h.runs
	if len(runs) == 0 {
		runs = [][]float64{h.alive}
	}
	p.nK = len(runs)
	p.detK = make([]int, nBins*p.nK)
	p.detU = make([]float64, nBins*p.nK)
	for i := range p.detK {
		p.detK[i] = -1 // no such level in that start
	}
	for i := 0; i < nBins; i++ {
		j := min(nOD, i*p.b+(p.b+1)/2)
		d := 0
		for k, a := range runs {
			if j <= len(a) {
				x := a[j-1] / slotNs
				f := math.Floor(x)
				p.detK[i*p.nK+k], p.detU[i*p.nK+k] = int(f), x-f
				if x > f {
					f++
				}
				d = max(d, int(f))
			}
		}
		p.det[i] = d
		if d > 0 {
			p.detTop = max(p.detTop, i)
		}
	}
}

// startWindow is how long the fast mode runs the exact engine from t = 0:
// 30 s, or 10 × (E[INIT] + E[duration]) if longer, in whole pool slots —
// but no more than ≈ 5·10⁶ arrivals, and never past the span.
func startWindow(s *Scenario, ds durStats, slot int, lam func(float64) float64) time.Duration {
	span := s.Span().Seconds()
	w := math.Max(30, 10*(ds.ei+ds.es))
	for w > float64(slot) && lam(math.Min(w, span)) > 5e6 {
		w /= 2
	}
	n := math.Ceil(w / float64(slot))
	w = math.Min(n*float64(slot), math.Floor(span))
	return time.Duration(w) * time.Second
}

// floodRace is the fluid race of a flood that the scaling budget or the
// concurrency cap bounds: arrivals at rate r meet a pool of pool0
// environments (provisioned included; busy0 of them busy, finishing at
// the rate busy0/E[duration]); an arrival that finds no idle environment
// starts one if the budget (tok, refilled at refill per s) and the cap
// allow — it holds it for INIT + duration — and is throttled otherwise.
// It returns the environments started and the arrivals throttled until
// the race settles (no cold start and no throttle for 2 s after the
// longest INIT + duration of the sample, or 60 s).
func floodRace(ds *durStats, r, pool0, busy0, capC, tok, tokCap, refill float64) (started, throttled float64) {
	long := (ds.warm[len(ds.warm)*999/1000] + ds.cold[len(ds.cold)*999/1000]) / 1e9
	dt := math.Max(1e-4, long/200)
	span := math.Min(60, 20*long+2)
	n := int(span / dt)
	hb := int(3*long/dt) + 2 // completion horizon, steps
	hist := func(xs []float64) []float64 {
		p := make([]float64, hb+1)
		for _, x := range xs {
			j := min(hb, max(1, int(x/1e9/dt+0.5)))
			p[j] += 1 / float64(len(xs))
		}
		return p
	}
	hw, hc := hist(ds.warm), hist(ds.cold)
	comp := make([]float64, n+hb+2)
	// The busy environments finish at the rate busy0/E[S] at first,
	// spread like the residual of an equilibrium duration.
	if busy0 > 0 {
		for j := 1; j <= hb && j < len(comp); j++ {
			tail := 0.0
			for k := j; k <= hb; k++ {
				tail += hw[k]
			}
			comp[j] += busy0 * tail * dt / math.Max(ds.es, 1e-9)
		}
	}
	pool, busy := pool0, busy0
	quiet := 0.0
	for i := 0; i < n; i++ {
		busy = math.Max(0, busy-comp[i])
		tok = math.Min(tokCap, tok+refill*dt)
		a := r * dt
		warm := math.Min(a, math.Max(0, pool-busy))
		need := a - warm
		cold := math.Min(need, math.Min(tok, math.Max(0, capC-pool)))
		thr := need - cold
		tok -= cold
		pool += cold
		busy += warm + cold
		started += cold
		throttled += thr
		for j := 1; j <= hb; j++ {
			comp[i+j] += warm*hw[j] + cold*hc[j]
		}
		if cold+thr > 1e-9*a {
			quiet = 0
		} else if quiet += dt; quiet > 2+long {
			break
		}
	}
	return started, throttled
}

// aging is the cold starts of a surely alive bin that reaches the maximum
// lifetime: its environments die at the end of it and are started again
// by the next arrivals (the environments of bins not surely alive are
// replaced by the gaps between visits, mostly before their lifetime ends:
// not counted). A bin that was not surely alive in the last slot has
// just been (re)started.
func (p *levelPool) aging(i, n int) float64 {
	if p.lastCer[i] != n-1 {
		p.born[i] = n
	}
	p.lastCer[i] = n
	if n-p.born[i] >= p.life {
		p.born[i] = n
		return float64(p.b)
	}
	return 0
}

// floodGone is the mean over the slot less the mean of its two ends of a
// level whose leaving slot's visits were a flood's, reclaimed at the
// fraction ud of the slot, with c in the current slot: alive until ud,
// then with probability 1 − e^(−cu), so the mean is 1 − (e^(−c·ud) −
// e^(−c))/c against the ends' (1 + 1 − e^(−c))/2 (times e^(−Λ'), by the
// caller): ud − ½ for c = 0.
func floodGone(c, ud float64) float64 {
	if c < 1e-3 {
		return ud - 0.5 - c*ud*ud/2
	}
	return math.Exp(-c)/2 - (math.Exp(-c*ud)-math.Exp(-c))/c
}

// slotShape is f(d) = (1 + e^(−d))/2 − (1 − e^(−d))/d, d ≥ 0 (see step).
func slotShape(d float64) float64 {
	if d < 1e-3 {
		return d * d / 12
	}
	e := math.Exp(-d)
	return (1+e)/2 - (1-e)/d
}

// oneMinusExp is 1 − e^(−c), c ≥ 0 (a series below 10⁻³: relative error
// < 2·10⁻¹⁰).
func oneMinusExp(c float64) float64 {
	if c < 1e-3 {
		return c * (1 - c*(0.5-c/6))
	}
	return -math.Expm1(-c)
}

// The stochastic part of a flood (floodExcess). The fluid race
// (floodPerRate) is the flood's expected busy count; the pool a real
// flood leaves is the running maximum of a busy count that fluctuates
// about it, so it is larger by the expected overshoot of that maximum. At
// the fluid's peak the busy count's drift (arrivals − completions) passes
// through zero at a rate a ∝ r and its variance grows at ≈ 2r (arrivals
// and completions), so near the peak it is a Brownian motion σB(s) less
// a·s²/2, and E[sup_s (σB(s) − a·s²/2)] = c·σ^(4/3)·a^(−1/3) by scaling
// (s = (σ/a)^(2/3)·u): the overshoot grows as r^(1/3), i.e. as the cube root
// of the fluid pool κr. The constant depends on the shape of the duration
// distributions at the peak; it is measured once per duration sample by
// floodExcessRuns floods raced arrival by arrival (floodSample, over twice
// the fluid's settling time) at the rate whose fluid pool is
// floodExcessPool: γ = (mean pool − κr)/∛(κr), and a flood of excess rate
// x then leaves κx + γ·∛(κx). With the trace case's durations (log-normal
// 40/250 ms, INIT 180 ms; κ = 0.216 s) 2,000 raced floods per rate from
// 100 to 10,000 req/s gave γ = 1.02–1.11 at every rate (SE ≈ 0.05), where
// a square-root law's constant fell from 0.6 to 0.3; exact floods from an
// empty pool (64 runs per rate) were 2.6 to 16.9 environments above the
// fluid, 0.6–1.4·∛(κr) with SEs of 0.2–0.45, and the raced means within
// 2 of their SEs. γ's sampling error at 1,000 floods of 50 (SD ≈ 0.09
// over seeds) is 0.75 of an environment at a flood of 550.
const (
	floodExcessPool = 50.0
	floodExcessRuns = 1000
)

// floodExcess is γ (see above) for the duration sample ds with flood
// constant kappa, the fluid pool settling in settle seconds.
func floodExcess(ds *durStats, kappa, settle float64, seed uint64) float64 {
	if !(kappa >= 2*ds.es) || !(kappa > 0) {
		// No peak: without an INIT that holds the first environments
		// well beyond a duration, the flood's pool is the steady busy
		// count's, reached within a few durations, and its overshoot is
		// the levels' excursions (levelPool), which γ would count twice.
		return 0
	}
	r := floodExcessPool / kappa
	return (floodSample(ds, r, 2*settle, floodExcessRuns, seed) - floodExcessPool) / math.Cbrt(floodExcessPool)
}

// floodSample is the mean pool that n floods from an empty pool at a
// constant rate r leave, each raced arrival by arrival as the exact engine
// races it (Poisson arrivals; an arrival that finds every environment busy
// starts one and holds it for INIT + duration, one that finds an idle one
// holds it for the duration; durations drawn from the scenario's sample):
// with most-recently-used routing and no reclaim within the flood the pool
// is the running maximum of the busy count. A flood ends at horizon (s),
// or before when the busy count has fallen well below the pool (6 of its
// standard deviations) or no cold start came for the longest INIT +
// duration plus the longest duration of the sample (99.9th percentiles).
func floodSample(ds *durStats, r, horizon float64, n int, seed uint64) float64 {
	rng := rand.New(rand.NewPCG(seed, 1<<59))
	long := (ds.warm[len(ds.warm)*999/1000] + ds.cold[len(ds.cold)*999/1000]) / 1e9
	var ends []float64 // min-heap of completion times, s
	push := func(x float64) {
		ends = append(ends, x)
		i := len(ends) - 1
		for i > 0 {
			p := (i - 1) / 2
			if ends[p] <= ends[i] {
				break
			}
			ends[p], ends[i] = ends[i], ends[p]
			i = p
		}
	}
	pop := func() {
		k := len(ends) - 1
		ends[0] = ends[k]
		ends = ends[:k]
		i := 0
		for {
			l := 2*i + 1
			if l >= k {
				break
			}
			if q := l + 1; q < k && ends[q] < ends[l] {
				l = q
			}
			if ends[i] <= ends[l] {
				break
			}
			ends[i], ends[l] = ends[l], ends[i]
			i = l
		}
	}
	nw, nc := len(ds.warm), len(ds.cold)
	total := 0.0
	for f := 0; f < n; f++ {
		ends = ends[:0]
		pool, t, lastCold := 0, 0.0, 0.0
		for {
			t += rng.ExpFloat64() / r
			if t-lastCold > long || t > horizon {
				break
			}
			if b := float64(len(ends)); b < float64(pool)-6*math.Sqrt(float64(pool))-6 {
				break // past the peak and falling: the pool is not reached again
			}
			for len(ends) > 0 && ends[0] <= t {
				pop()
			}
			if len(ends) == pool {
				pool++
				lastCold = t
				push(t + ds.cold[rng.IntN(nc)]/1e9)
			} else {
				push(t + ds.warm[rng.IntN(nw)]/1e9)
			}
		}
		total += float64(pool)
	}
	return total / float64(n)
}

// zExactFrom is the calibration's mean busy count from which its levels'
// z is the exact score (zExact) and its fit the two-parameter form (see
// buildLevelCal); below, it keeps the Wilson–Hilferty z (zLevel) and a
// free quadratic in it. The pool uses the Wilson–Hilferty z at its own
// mean: from a mean of 10 on that is within 0.04 of the exact score up to
// z = 4.6 (0.018 at 20, 0.004 at 100), while a calibration's fit in it was
// distorted by the difference (a curvature of −0.018 at 20); below, the
// two differ more (0.05 at a mean of 5, 0.1 at 1), and a calibration that
// low runs at the scenario's own mean, where the pool's z has the same
// distortion, which a free quadratic in it absorbs.
const zExactFrom = 10

// zCal is the z of level k in a calibration of mean busy count m.
func zCal(k, m float64) float64 {
	if m < zExactFrom {
		return zLevel(k, m)
	}
	return zExact(k, m)
}

// zExact is the standard-normal level of pool level k when the busy count
// is Poisson(m), without the Wilson–Hilferty approximation: z with
// 1 − Φ(z) = P(N ≥ k) = P(k, m), the regularized lower incomplete gamma
// function (the Poisson–gamma identity).
func zExact(k, m float64) float64 {
	if m <= 0 {
		return math.Inf(1)
	}
	return -unitNormal.Quantile(mathext.GammaIncReg(k, m))
}
