package simulator

import (
	"context"
	"math"
	"math/rand/v2"
	"sync"
	"time"
)

// The level calibration's busy-count run (calibrateLevels): Poisson
// arrivals at a constant rate, the scenario's durations, and per level the
// gaps since the busy count last left it. It is the fast mode's largest
// fixed cost and its main source of sampling error, so its loop is kept
// cheap per arrival: durations by inversion from a quantile table
// (durTable), departures in a calendar queue (calStream), two independent
// streams on two goroutines.

// The calibration's length (calibrateFor): its rate and length are chosen
// as for a run of at least calArrivals arrivals (at most calMaxArrivals
// unless a low rate needs the minimum length), then the length is
// multiplied by calLonger — the saving of the cheaper loop spent on less
// sampling noise, not on a higher rate (the noise falls with the number
// of excursions counted, i.e. with the length; the rate only sets the
// mean busy count, ≥ 20).
const (
	calArrivals    = 6e6
	calMaxArrivals = 1.2e7
	calLonger      = 2
	calStreams     = 2 // independent streams, merged (a fixed number: the result must not depend on the machine)
)

// durTableBits is log₂ of the duration table's bins.
const durTableBits = 13

// durTable draws durations by inversion, d = min(Q(U), timeout) with U
// uniform on [0, 1) and Q the distribution's quantile function, which has
// the distribution's own law (the timeout cap included: min is applied to
// every draw, as the engine applies it to every sample). Q is tabulated
// at the N = 2¹³ points i/N; within a bin where Q is smooth the draw
// interpolates linearly between the bin's ends, and the bins where that
// could be off by more than 10⁻⁶ of the value (+ 2 ns: Q is in whole ns)
// — the chord checked against Q at the bin's quarter points, e.g. the far
// tails of a log-normal — and the bin that holds the timeout are drawn
// with Q(U) itself. Distributions whose Q is not smooth (empirical, CDF
// points, the piecewise quantile fit, unknown types) are drawn with Q(U)
// everywhere: exact inversion. One 64-bit random number per draw, and no
// exp or log for ≈ 96 % of a log-normal's draws.
type durTable struct {
	d   Distribution
	cap float64 // s, the timeout
	// bin i: Q(i/N) (s) and the slope to Q((i+1)/N), NaN where the bin
	// is drawn with Q(U)
	bin []durBin
}

type durBin struct{ lo, slope float64 }

// smoothQuantile reports whether d's quantile function is smooth between
// any two points (so that a chord checked at a few points is close to it
// everywhere between them).
func smoothQuantile(d Distribution) bool {
	switch d.(type) {
	case Fixed, Exponential, Uniform, LogNormal:
		return true
	}
	return false
}

func newDurTable(d Distribution, timeout time.Duration) *durTable {
	const n = 1 << durTableBits
	t := &durTable{d: d, cap: timeout.Seconds(), bin: make([]durBin, n)}
	q := func(p float64) float64 { return math.Min(d.Quantile(p).Seconds(), t.cap) }
	smooth := smoothQuantile(d)
	hi := q(0)
	for i := 0; i < n; i++ {
		lo := hi
		hi = q(float64(i+1) / n)
		t.bin[i] = durBin{lo, hi - lo}
		if !smooth || hi >= t.cap || math.IsInf(hi, 0) {
			t.bin[i].slope = math.NaN()
			continue
		}
		for _, f := range [...]float64{0.25, 0.5, 0.75} {
			v := q((float64(i) + f) / n)
			if math.Abs(lo+(hi-lo)*f-v) > 1e-6*v+2e-9 {
				t.bin[i].slope = math.NaN()
				break
			}
		}
	}
	return t
}

// draw is one duration, s.
func (t *durTable) draw(r *rand.Rand) float64 { return t.at(r.Uint64()) }

// at is the duration of the 64 random bits x: the top durTableBits pick
// the bin, the rest (53 of them) the point in it.
func (t *durTable) at(x uint64) float64 {
	i := x >> (64 - durTableBits)
	f := float64(x<<durTableBits>>11) * 0x1p-53 // uniform on [0, 1)
	b := t.bin[i]
	if v := b.lo + b.slope*f; v == v {
		return v
	}
	return math.Min(t.d.Quantile((float64(i)+f)/(1<<durTableBits)).Seconds(), t.cap)
}

// calibrateLevels simulates the busy count of an M/G/∞ system (Poisson
// arrivals at rate, the scenario's durations) and measures G per level:
// calStreams independent streams of the seed (concurrently), each for a
// warm-up of idle + 10 s and then its share of dur − (idle + 10) s
// counted, their counts added (the sum of independent runs is a run of
// the total length, less the warm-ups' correlation across the seams).
func calibrateLevels(ctx context.Context, s *Scenario, seed uint64, rate, dur, g0, idle float64) *levelCal {
	timeout := s.Function.Timeout.D()
	if timeout <= 0 {
		timeout = 15 * time.Minute
	}
	tab := newDurTable(s.Function.Duration, timeout)
	warm := idle + 10
	count := (dur - warm) / calStreams
	if !(count > 0) {
		return nil
	}
	type part struct {
		ncl, ncold []int64
		sumS       float64
		nS         int64
		ok         bool
	}
	parts := make([]part, calStreams)
	var wg sync.WaitGroup
	for j := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &parts[j]
			p.ncl, p.ncold, p.sumS, p.nS, p.ok = calStream(ctx, tab, s.Function.InitDuration, seed, uint64(j), rate, warm, warm+count, g0, idle)
		}()
	}
	wg.Wait()
	var ncl, ncold []int64
	var sumS float64
	var nS int64
	for _, p := range parts {
		if !p.ok {
			return nil
		}
		for len(ncl) < len(p.ncl) {
			ncl, ncold = append(ncl, 0), append(ncold, 0)
		}
		for i := range p.ncl {
			ncl[i] += p.ncl[i]
			ncold[i] += p.ncold[i]
		}
		sumS += p.sumS
		nS += p.nS
	}
	if nS == 0 {
		return nil
	}
	return buildLevelCal(ncl, ncold, rate*sumS/float64(nS), rate, calStreams*count, g0, idle)
}

// calStream is one stream of the calibration run: arrivals until end s,
// counted after warm s. ncl[k−1] counts the arrivals that lift the busy
// count to k after at least g0 s below it, ncold[k−1] after more than
// idle s — the cold starts, which hold their environment for INIT (init,
// nil for none) + duration, as in the engine; sumS and nS are the
// durations drawn (without INIT: the busy count's mean m, by which
// levels are mapped to z, is the fast loop's, of warm durations). ok is
// false if ctx was cancelled.
//
// The departures wait in a calendar queue: buckets of a quarter of the
// mean inter-arrival time (1/(4·rate); 1/rate measured ≈ 10 % slower) in a
// ring of 2^j ≥ 8 mean durations, each
// bucket a list sorted by time; an entry due a ring's length or more
// ahead waits in its bucket's list behind the current round's entries
// (its bucket number, not its time, says which round). At each arrival
// the entries due by then leave in time order, each setting the time its
// level was left. With at most about one entry per bucket a push and a pop are
// O(1) (the binary heap it replaced was O(log m)); the loop is written
// out here, in locals, because it is the calibration's cost.
func calStream(ctx context.Context, tab *durTable, init Distribution, seed, stream uint64, rate, warm, end, g0, idle float64) (ncl, ncold []int64, sumS float64, nS int64, ok bool) {
	rng := rand.New(rand.NewPCG(seed, 1<<60+stream))
	mean := math.Max(math.Min(tab.d.Mean().Seconds(), tab.cap), 1e-9)
	per := 4 * rate // buckets per s
	nb := int64(64)
	for nb < int64(math.Min(8*per*mean, 1<<22)) {
		nb *= 2
	}
	mask := nb - 1
	head := make([]int32, nb) // per bucket, the first node, −1 none
	for i := range head {
		head[i] = -1
	}
	type node struct {
		t    float64 // s
		b    int64   // bucket number, ⌊t·per⌋
		next int32
	}
	nodes := make([]node, 0, 256)
	free := int32(-1) // free list
	cur := int64(0)   // the bucket being emptied (the earlier ones are empty)
	step := 1 / rate
	var lastDown []float64
	t := 0.0
	busy := 0
	for n := 0; ; n++ {
		if n&0xffff == 0 && ctx.Err() != nil {
			return nil, nil, 0, 0, false
		}
		t += rng.ExpFloat64() * step
		if t >= end {
			break
		}
		tb := int64(t * per)
		for {
			h := head[cur&mask]
			if h >= 0 && nodes[h].b == cur {
				x := nodes[h].t
				if x > t {
					break
				}
				head[cur&mask] = nodes[h].next
				nodes[h].next = free
				free = h
				busy--
				lastDown[busy] = x // the level busy+1 was left
				continue
			}
			if cur >= tb {
				break
			}
			cur++
		}
		busy++
		if busy > len(lastDown) {
			lastDown = append(lastDown, 0)
			ncl = append(ncl, 0)
			ncold = append(ncold, 0)
		}
		gap := t - lastDown[busy-1]
		d := tab.draw(rng)
		sumS += d
		nS++
		x := t + d
		if gap > idle && init != nil {
			// A cold start: its environment is busy for INIT + duration.
			x += init.Sample(rng).Seconds()
		}
		var j int32
		if free >= 0 {
			j = free
			free = nodes[j].next
		} else {
			j = int32(len(nodes))
			nodes = append(nodes, node{})
		}
		b := int64(x * per)
		hp := &head[b&mask]
		for *hp >= 0 && nodes[*hp].t <= x {
			hp = &nodes[*hp].next
		}
		nodes[j] = node{t: x, b: b, next: *hp}
		*hp = j
		if t > warm {
			if gap > g0 {
				ncl[busy-1]++
			}
			if gap > idle {
				ncold[busy-1]++
			}
		}
	}
	return ncl, ncold, sumS, nS, true
}
