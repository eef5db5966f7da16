package simulator

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// The model, per arrival at time t (one event per invocation; everything
// else is resolved lazily and exactly when the next arrival is processed):
//
//  1. Invocations that ended at or before t release their environments, in
//     end-time order (the calendar queue of wheel.go). A provisioned environment becomes idle in
//     the provisioned pool; an on-demand one is pushed on the idle stack
//     with its reclaim deadline min(end + idle_timeout, birth + max_lifetime)
//     — or dies at once if its lifetime is over.
//  2. An idle environment is reclaimed in one place only: when it reaches
//     the top of the stack (step 5) with its deadline ≤ t, it dies at its
//     deadline and the next one is tried; those never reached die at their
//     deadline when the span ends (finish). Deaths are accounted at the
//     deadline, not when found, so time averages are exact, and the stack
//     never holds more than the concurrency cap (a new environment is only
//     started when the stack is empty). A second sweep from the bottom used
//     to reclaim the same environments earlier; it could not change any
//     result (issue 25) and is gone.
//  3. A first attempt beyond the invocation-rate quota (RateLimit, counted
//     in fixed one-second windows from t = 0 over the requests accepted in
//     the window: sync, invocations started; async, events admitted to
//     Lambda's queue — its internal retries do not count) is throttled: a
//     rate throttle, counted apart from the concurrency throttles, and
//     final (sync: a 429 to the caller; async: the Invoke call itself is
//     refused, so the event never reaches Lambda's queue).
//     If busy environments (on-demand + provisioned) ≥ the concurrency cap
//     (reserved concurrency, else the account limit): throttled (429).
//  4. Else an idle provisioned environment serves it (never cold).
//  5. Else the most recently used idle on-demand environment (top of the
//     stack; this lets the pool shrink, as Lambda's routing does).
//  6. Else a new environment is started if the scaling budget allows: a
//     token bucket of scaling_rate tokens refilled continuously at
//     scaling_rate per 10 s (unused capacity beyond scaling_rate is not
//     banked), kept in exact integer units; else throttled.
//
// A cold invocation takes INIT + duration; a duration that reaches the
// timeout is an error (Lambda stops the invocation when the timeout
// expires: a duration equal to it is a timeout too) that ends, and is
// billed, at the timeout. With async invocations
// a throttled or failed event comes back later as a retry (see throttle).
// Times are integer nanoseconds; the timeline, the scaling budget and the
// billing are exact integer arithmetic, so a seed gives the same result
// byte for byte on a platform.

type busyEnt struct {
	end   int64 // ns
	birth int64 // ns; provisioned environments have birth = provBirth
}

type idleEnt struct {
	deadline int64
	birth    int64
}

const provBirth = math.MinInt64

// Duration distributions the run loop samples without an interface call.
const (
	durOther = iota
	durExp
	durLogNormal
	durFixed
)

// engineSeg is a compiled traffic segment.
type engineSeg struct {
	start, end float64 // s
	r0, slope  float64
	invR       float64 // 1/r0 when constant, else 0
	area       float64
}

// bucketStats are the raw per-bucket counters of one replica.
type bucketStats struct {
	arrivals, cold, throttles int64
	cmax                      int64
	envPart                   int64 // partial env-ns in this bucket
	envFull                   int64 // difference array of fully covering envs
}

// replica is one simulation run: configuration, state and statistics. It
// allocates only when its heap or idle stack first grow.
type replica struct {
	// configuration
	span      int64
	cap       int
	prov      int
	maxLife   int64
	idleFixed bool
	fast      bool // releaseFast applies: prov == 0, no schedule, idleFixed, maxLife == 0
	idleNs    int64
	idleDist  Distribution
	dur, init Distribution
	durKind   int
	durA      float64
	durB      float64
	timeout   int64
	rate      int64 // scaling tokens per ns (scaled units)
	tokCap    int64
	segs      []engineSeg
	even      bool
	rng       *rand.Rand
	// arrRng draws the Poisson arrivals and durRng the durations; both are
	// rng unless splitStreams gave them streams of their own.
	arrRng, durRng *rand.Rand
	bw             int64 // timeline bucket width, ns

	// arrival process
	seg     int
	t       float64
	lamLeft float64
	started bool    // even arrivals: the first is at Λ = ½
	invR    float64 // of the current segment, 0 if its rate is not constant
	segEnd  float64

	// state
	busyQ     *wheel
	due       []busyEnt // completions being processed
	idle      []idleEnt // ring buffer, len = power of two
	idleHead  int       // index of the bottom (oldest)
	idleLen   int
	provIdle  int
	busy      int
	tokens    int64
	lastToken int64
	curB      int
	nextB     int64

	// asynchronous invocations
	async      bool
	maxRetries int
	maxAge     int64
	retries    retryQueue
	jitter     bool

	// invocation-rate quota: accepted invocations in the current second
	rateLimit int64
	rateLeft  int64 // budget left in the current window
	rateNext  int64 // end of the current window
	rateSync  int64 // 1: invocations count (sync); 0: admitted events do (async)

	// warm-up discarded from the statistics (bucket index; 0 = none)
	warmB    int
	snap     *rawStats
	noFinish bool // a warm-up run: keep the state at the end of the span

	// statistics
	st      rawStats
	buckets []bucketStats
	hist    *Histogram

	// sched is the provisioned-concurrency schedule, schedI its next step
	// (prov is the current level), provRetire the busy provisioned environments
	// a decrease retires when their invocation ends.
	sched      []provStep
	schedI     int
	nextSched  int64 // the next step's at; MaxInt64 when none is left
	nextStop   int64 // min(nextB, nextSched, nextMonth): the loop's one check
	provRetire int

	// marks are the counters at each 730-hour month boundary of the span
	// (cumulative, warm-up included: marks[k] at (k+1) months), nextMonth
	// the next boundary (MaxInt64 when the span is one month or less):
	// the monthly bill prices each month on its own (monthPieces).
	marks     []rawStats
	nextMonth int64
}

// rawStats are the exact counters of one replica.
type rawStats struct {
	Arrivals, Invocations, Cold, Throttles, Errors int64
	Provisioned                                    int64 // invocations served by provisioned environments
	Peak                                           int64
	BusyNs                                         float64 // ∫ busy environments dt within the span
	BusyNsUnclipped                                float64 // Σ latencies
	EnvNs                                          float64 // ∫ live on-demand environments dt
	Deaths                                         int64
	LifeNs                                         float64 // total lifetime of environments reclaimed within the span
	OnDemandMs, InitMs, ProvisionedMs              int64
	EnvsCreated                                    int64
	Retries, Dropped                               int64 // async: retried attempts, events given up
	PendingRetries                                 int64 // async: retries due after the span
	RateThrottles                                  int64 // of Throttles: over the invocation-rate quota
}

const tokenUnit = int64(10 * time.Second) // one environment, in token units (rate S per ns ⇒ S per 10 s)

func newReplica(s *Scenario, seed uint64, stream uint64, bw int64) *replica {
	r := &replica{
		span:     int64(s.Span()),
		cap:      s.Concurrency.Cap(),
		prov:     s.Concurrency.Provisioned,
		maxLife:  int64(s.KeepAlive.MaxLifetime),
		dur:      s.Function.Duration,
		init:     s.Function.InitDuration,
		timeout:  int64(s.Function.Timeout),
		rate:     int64(s.Concurrency.ScalingRate),
		even:     s.Traffic.Arrivals == Even,
		rng:      rand.New(rand.NewPCG(seed, stream)),
		bw:       bw,
		idleDist: s.KeepAlive.IdleTimeout,
		hist:     new(Histogram),
	}
	r.arrRng, r.durRng = r.rng, r.rng
	if r.timeout <= 0 {
		r.timeout = int64(15 * time.Minute)
	}
	switch d := s.Function.Duration.(type) {
	case Exponential:
		r.durKind, r.durA = durExp, float64(d.MeanValue)
	case LogNormal:
		r.durKind, r.durA, r.durB = durLogNormal, d.Mu, d.Sigma
	case Fixed:
		r.durKind, r.durA = durFixed, float64(d.Value)
	}
	if f, ok := s.KeepAlive.IdleTimeout.(Fixed); ok {
		r.idleFixed, r.idleNs = true, int64(f.Value)
	}
	if s.Traffic.Invocation == Async {
		r.async, r.maxRetries, r.maxAge = true, s.Traffic.MaxRetries, int64(s.Traffic.MaxEventAge)
		r.jitter = s.Traffic.RetryJitter != JitterNone
	}
	for _, st := range s.Concurrency.ProvisionedSchedule {
		r.sched = append(r.sched, provStep{at: int64(st.At), level: st.Level})
	}
	r.nextSched = math.MaxInt64
	if len(r.sched) > 0 {
		r.nextSched = r.sched[0].at
	}
	r.fast = r.prov == 0 && len(r.sched) == 0 && r.idleFixed && r.maxLife <= 0
	r.rateLimit = s.Concurrency.RateLimit(s.Traffic.Invocation)
	if !r.async {
		r.rateSync = 1
	}
	r.tokCap = r.rate * tokenUnit
	r.tokens = r.tokCap
	for _, g := range s.Traffic.segs {
		e := engineSeg{start: g.Start, end: g.End, r0: g.R0, slope: g.slope(), area: g.area()}
		if g.R0 == g.R1 && g.R0 > 0 {
			e.invR = 1 / g.R0
		}
		r.segs = append(r.segs, e)
	}
	nb := int((r.span + bw - 1) / bw)
	r.buckets = make([]bucketStats, nb+1)
	r.nextB = bw
	r.nextMonth = math.MaxInt64
	if r.span > monthNs {
		r.nextMonth = monthNs
	}
	r.nextStop = min(r.nextB, r.nextSched, r.nextMonth)
	r.provIdle = r.prov
	r.busyQ = newWheel(s.PeakRate(), float64(s.Function.Duration.Mean()+s.Function.InitDuration.Mean()))
	r.due = make([]busyEnt, 0, 64)
	r.idle = make([]idleEnt, 256)
	if len(r.segs) > 0 {
		r.lamLeft = r.segs[0].area
		r.t = r.segs[0].start
	}
	r.cacheSeg()
	for i := 0; i < s.Concurrency.InitialEnvironments; i++ {
		dl := r.idleNs
		if !r.idleFixed {
			dl = int64(r.idleDist.Sample(r.rng))
		}
		if r.maxLife > 0 {
			dl = min(dl, r.maxLife)
		}
		r.idlePush(idleEnt{deadline: dl, birth: 0})
	}
	return r
}

// splitStreams gives the arrivals and the durations PCG streams of their
// own (of seed; streams stream|1<<61 and stream|1<<60, apart from the
// replica streams 0, 1, 2, … and the warm-up's stream|1<<62), so two runs
// of one scenario whose configurations differ in what else draws random
// numbers (cold starts' INIT, idle timeouts, retries) still see the same
// arrivals and the n-th accepted invocation the same duration draw:
// common random numbers (Options.CommonRandomNumbers).
func (r *replica) splitStreams(seed, stream uint64) {
	r.arrRng = rand.New(rand.NewPCG(seed, stream|1<<61))
	r.durRng = rand.New(rand.NewPCG(seed, stream|1<<60))
}

// nextArrival advances the arrival process and returns the next arrival
// time in seconds, or false at the end of the traffic. The n-th arrival is
// where the integrated rate Λ(t) = ∫₀ᵗ r reaches E₁+…+Eₙ, with Eᵢ ~ Exp(1)
// for Poisson arrivals (an exact non-homogeneous Poisson process, by time
// change), or n − ½ for even arrivals (evenly spaced and centred, so an
// interval offering k requests receives exactly k). Inside a segment where
// r(t) = r + s·(t − now), solving r·τ + s·τ²/2 = x gives
// τ = 2x / (r + √(r² + 2sx)), which is stable for s → 0 and s < 0.
func (r *replica) nextArrival() (float64, bool) {
	x := 1.0
	switch {
	case !r.even:
		x = r.arrRng.ExpFloat64()
	case !r.started:
		x, r.started = 0.5, true
	}
	return r.advance(x)
}

// advance moves the integrated rate on by x and returns the time reached.
func (r *replica) advance(x float64) (float64, bool) {
	defer r.cacheSeg()
	for {
		if x <= r.lamLeft {
			g := &r.segs[r.seg]
			r.lamLeft -= x
			if g.invR != 0 {
				r.t += x * g.invR
			} else {
				rt := g.r0 + g.slope*(r.t-g.start)
				disc := rt*rt + 2*g.slope*x
				if disc < 0 {
					disc = 0
				}
				if den := rt + math.Sqrt(disc); den > 0 {
					r.t += 2 * x / den
				}
			}
			if r.t > g.end {
				r.t = g.end
			}
			return r.t, true
		}
		x -= r.lamLeft
		r.seg++
		if r.seg >= len(r.segs) {
			r.seg = len(r.segs)
			r.lamLeft = math.Inf(-1)
			return 0, false
		}
		r.t = r.segs[r.seg].start
		r.lamLeft = r.segs[r.seg].area
	}
}

// cacheSeg keeps the current segment's 1/rate and end at hand for the
// run loop's fast path (a Poisson arrival inside a constant-rate segment).
func (r *replica) cacheSeg() {
	r.invR, r.segEnd = 0, 0
	if r.seg < len(r.segs) {
		r.invR, r.segEnd = r.segs[r.seg].invR, r.segs[r.seg].end
	}
}

// ---- idle stack (ring buffer: bottom = oldest, top = most recently used) ----

func (r *replica) idlePush(e idleEnt) {
	if r.idleLen == len(r.idle) {
		n := make([]idleEnt, 2*len(r.idle))
		for i := 0; i < r.idleLen; i++ {
			n[i] = r.idle[(r.idleHead+i)&(len(r.idle)-1)]
		}
		r.idle, r.idleHead = n, 0
	}
	r.idle[(r.idleHead+r.idleLen)&(len(r.idle)-1)] = e
	r.idleLen++
}

// growIdle doubles the idle ring until it holds n entries.
func (r *replica) growIdle(n int) {
	sz := len(r.idle)
	for sz < n {
		sz *= 2
	}
	nb := make([]idleEnt, sz)
	for i := 0; i < r.idleLen; i++ {
		nb[i] = r.idle[(r.idleHead+i)&(len(r.idle)-1)]
	}
	r.idle, r.idleHead = nb, 0
}

// releaseFast is release for the common configuration — no provisioned
// concurrency, a fixed idle timeout, no maximum lifetime — where every
// completion goes on the idle stack with deadline end + idle timeout. It
// walks the wheel itself and pushes straight onto the idle ring: no
// intermediate buffer, and no sort unless a slot held several entries or
// the overflow heap gave some (deadline order = end order, ties by birth:
// the order release gives).
func (r *replica) releaseFast(t int64) {
	w := r.busyQ
	if need := r.idleLen + w.count + len(w.over); need > len(r.idle) {
		r.growIdle(need)
	}
	idle := r.idle
	imask := len(idle) - 1
	start := r.idleHead + r.idleLen // unmasked push position
	pos := start
	unsorted := false
	idleNs := r.idleNs
	ts := t >> w.shift
	if w.count > 0 {
		n := int64(len(w.slots))
		s := w.cur
		if ts-s >= n { // more than a revolution: every slot is due
			s = ts - n
			unsorted = true // slots then come out rotated, not in end order
		}
		// Whole slots [s, ts), 64 at a time from any slot (usually once:
		// a window spans 4–8 mean inter-arrival times), reading two bitmap
		// words so that crossing a word boundary costs no extra turn.
		wmask := int64(len(w.bits) - 1)
		for s < ts {
			p := s & w.mask
			wi, off := p>>6, uint(p&63)
			wj := (wi + 1) & wmask
			word := w.bits[wi]>>off | w.bits[wj]<<(64-off) // << 64 is 0
			word &= ^uint64(0) >> (64 - min(64, ts-s))
			w.bits[wi] &^= word << off
			w.bits[wj] &^= word >> (64 - off)
			for word != 0 {
				q := (p + int64(bits.TrailingZeros64(word))) & w.mask
				word &= word - 1
				slot := &w.slots[q]
				i := *slot
				*slot = -1
				for {
					en := &w.ents[i]
					idle[pos&imask] = idleEnt{deadline: en.e.end + idleNs, birth: en.e.birth}
					pos++
					next := en.next
					en.next = w.free
					w.free = i
					if next < 0 {
						break
					}
					unsorted = true // several ends in one slot
					i = next
				}
			}
			s += 64
		}
		// The slot holding t: take only the ends ≤ t.
		p := ts & w.mask
		if w.bits[p>>6]>>(p&63)&1 != 0 {
			prev := &w.slots[p]
			for i := *prev; i >= 0; {
				en := &w.ents[i]
				next := en.next
				if en.e.end <= t {
					if pos != start {
						unsorted = true
					}
					idle[pos&imask] = idleEnt{deadline: en.e.end + idleNs, birth: en.e.birth}
					pos++
					*prev = next
					en.next = w.free
					w.free = i
				} else {
					prev = &en.next
				}
				i = next
			}
			if w.slots[p] < 0 {
				w.bits[p>>6] &^= 1 << (p & 63)
			}
		}
		w.count -= pos - start
	}
	w.cur = ts
	for len(w.over) > 0 && w.over[0].end <= t {
		e := heapPop(&w.over)
		idle[pos&imask] = idleEnt{deadline: e.end + idleNs, birth: e.birth}
		pos++
		unsorted = true
	}
	if unsorted {
		for i := start + 1; i < pos; i++ {
			x := idle[i&imask]
			j := i
			for j > start {
				y := idle[(j-1)&imask]
				if y.deadline < x.deadline || y.deadline == x.deadline && y.birth <= x.birth {
					break
				}
				idle[j&imask] = y
				j--
			}
			idle[j&imask] = x
		}
	}
	r.busy -= pos - start
	r.idleLen += pos - start
}

// die accounts an on-demand environment alive over [birth, death).
func (r *replica) die(birth, death int64) {
	if death > r.span {
		death = r.span
	} else {
		r.st.Deaths++
		r.st.LifeNs += float64(death - birth)
	}
	birth = max(birth, 0) // born in a warm-up (warm_start: steady)
	if death <= birth {
		return
	}
	r.st.EnvNs += float64(death - birth)
	bw := r.bw
	ba, bd := birth/bw, death/bw
	if ba == bd {
		r.buckets[ba].envPart += death - birth
		return
	}
	r.buckets[ba].envPart += (ba+1)*bw - birth
	r.buckets[ba+1].envFull++
	r.buckets[bd].envFull--
	r.buckets[bd].envPart += death - bd*bw
}

// schedStop applies the provisioned-concurrency steps due at t (after the
// completions up to t) and sets the loop's next stop. Not inlined: the
// arrival loop's code stays as compact as without a schedule.
//
//go:noinline
func (r *replica) schedStop(t int64) {
	if t >= r.nextSched {
		r.release(t)
		r.provSchedule(t)
	}
	r.nextStop = min(r.nextB, r.nextSched, r.nextMonth)
}

// monthNs is a 730-hour month in ns.
const monthNs = int64(pricing.SecondsPerMonth) * int64(time.Second)

// monthPieces splits the replica's measured usage at the 730-hour month
// boundaries of the span: one MonthUsage per month it covers (the first
// and the last may be parts of a month). nil when the measured span lies
// within one month.
func (r *replica) monthPieces(s *Scenario) []pricing.MonthUsage {
	start := int64(0)
	var base rawStats
	if r.warmB > 0 && r.snap != nil {
		start, base = int64(r.warmB)*r.bw, *r.snap
	}
	var out []pricing.MonthUsage
	from, prev := start, base
	piece := func(to int64, cur rawStats) {
		out = append(out, pricing.MonthUsage{StartS: float64(from) / 1e9, Seconds: float64(to-from) / 1e9, Usage: pricing.BilledUsage{
			Requests: cur.Invocations - prev.Invocations, OnDemandMs: cur.OnDemandMs - prev.OnDemandMs, InitMs: cur.InitMs - prev.InitMs,
			ColdStarts: cur.Cold - prev.Cold, ProvisionedMs: cur.ProvisionedMs - prev.ProvisionedMs,
			ProvisionedEnvSeconds: s.Concurrency.ProvisionedEnvSeconds(time.Duration(from), time.Duration(to)),
		}})
		from, prev = to, cur
	}
	for k := 0; int64(k+1)*monthNs < r.span; k++ {
		// A boundary no arrival reached (no traffic after it) has the
		// final counters: nothing was invoked after the last arrival.
		m := r.st
		if k < len(r.marks) {
			m = r.marks[k]
		}
		if at := int64(k+1) * monthNs; at > start {
			piece(at, m)
		}
	}
	if len(out) == 0 {
		return nil
	}
	piece(r.span, r.st)
	return out
}

// markMonths records the counters at every month boundary at or before t
// (the arrival at t, not yet processed, belongs to the next month).
func (r *replica) markMonths(t int64) {
	for t >= r.nextMonth {
		r.marks = append(r.marks, r.st)
		r.nextMonth += monthNs
	}
}

// provStep is a scheduled provisioned level from at (ns).
type provStep struct {
	at    int64
	level int
}

// provSchedule applies the provisioned-concurrency steps due at or before t.
// An increase adds idle provisioned environments (ready at the step: the
// schedule is assumed to lead the traffic by their INIT); a decrease
// removes idle ones at once and retires busy ones when their invocation
// ends.
func (r *replica) provSchedule(t int64) {
	for r.schedI < len(r.sched) && r.sched[r.schedI].at <= t {
		st := r.sched[r.schedI]
		r.schedI++
		if d := st.level - r.prov; d > 0 {
			keep := min(d, r.provRetire)
			r.provRetire -= keep
			r.provIdle += d - keep
		} else if d < 0 {
			idle := min(-d, r.provIdle)
			r.provIdle -= idle
			r.provRetire += -d - idle
		}
		r.prov = st.level
	}
	r.nextSched = math.MaxInt64
	if r.schedI < len(r.sched) {
		r.nextSched = r.sched[r.schedI].at
	}
}

// complete releases the environment of an invocation that ended.
func (r *replica) complete(e busyEnt) {
	r.busy--
	if e.birth == provBirth {
		if r.provRetire > 0 { // a scheduled decrease waited for it
			r.provRetire--
			return
		}
		r.provIdle++
		return
	}
	if r.maxLife > 0 && e.birth+r.maxLife <= e.end {
		r.die(e.birth, e.end)
		return
	}
	var dl int64
	if r.idleFixed {
		dl = e.end + r.idleNs
	} else {
		dl = e.end + int64(r.idleDist.Sample(r.rng))
	}
	if r.maxLife > 0 {
		dl = min(dl, e.birth+r.maxLife)
	}
	r.idlePush(idleEnt{deadline: dl, birth: e.birth})
}

// release processes the completions up to and including time t (idle
// environments are reclaimed only when found expired at the top of the stack).
func (r *replica) release(t int64) {
	if r.fast {
		r.releaseFast(t)
		return
	}
	r.due = r.busyQ.collect(t, r.due[:0])
	for _, e := range r.due {
		if e.birth == provBirth || r.maxLife > 0 || !r.idleFixed {
			r.complete(e)
			continue
		}
		r.busy-- // the common case of complete, inlined
		r.idlePush(idleEnt{deadline: e.end + r.idleNs, birth: e.birth})
	}
}

// crossBuckets moves the timeline to the bucket holding t, recording the
// busy count at each bucket start (the concurrency a bucket starts with).
func (r *replica) crossBuckets(t int64) {
	for t >= r.nextB {
		r.release(r.nextB)
		r.curB++
		r.nextB += r.bw
		if r.curB < len(r.buckets) {
			r.buckets[r.curB].cmax = int64(r.busy)
		}
		if r.curB == r.warmB && r.snap == nil {
			r.snapshot()
		}
	}
}

// snapshot records the counters at the end of the warm-up (the start of
// bucket warmB), so that finish can subtract them. Invocations in flight
// belong to the warm-up (they are billed there), except the part of their
// busy time after it; the histogram and the peak restart.
func (r *replica) snapshot() {
	at := int64(r.warmB) * r.bw
	sn := r.st
	tail := 0.0
	r.busyQ.each(func(e busyEnt) {
		if e.end > at {
			tail += float64(min(e.end, r.span) - at)
		}
	})
	sn.BusyNs -= tail
	r.snap = &sn
	r.hist = new(Histogram)
	r.st.Peak = int64(r.busy)
}

// run simulates the whole span. tick is called every 2^16 arrivals with
// the simulated time reached; if it returns false the run stops early.
func (r *replica) run(tick func(simNs int64) bool) bool {
	span := r.span
	timeout := r.timeout
	st := &r.st
	w := r.busyQ
	// Hot counters live in locals (registers) and are stored back on exit;
	// the float sums are added in the same order, so they are identical.
	arrivals, invocations, onDemandMs, peak := st.Arrivals, st.Invocations, st.OnDemandMs, st.Peak
	busyNs, busyNsU := st.BusyNs, st.BusyNsUnclipped
	rateLeft, rateNext, rateSync := r.rateLeft, r.rateNext, r.rateSync
	rateAsync := 1 - rateSync
	defer func() { r.rateLeft, r.rateNext = rateLeft, rateNext }()
	n := 0
	ts, more := r.nextArrival()
	for {
		// The next event: a new arrival, or (async) a retry due before it.
		var t int64
		var ev retryEnt
		if r.retries.n > 0 && (!more || r.retries.next() < int64(ts*1e9)) {
			if r.retries.next() >= span {
				break
			}
			ev = r.retries.pop()
			t = ev.at
		} else if more {
			t = int64(ts * 1e9)
			ev = retryEnt{first: t}
			if x := 0.0; !r.even {
				// Fast path of nextArrival: Poisson, constant rate, same segment.
				x = r.arrRng.ExpFloat64()
				if x <= r.lamLeft && r.invR != 0 {
					r.lamLeft -= x
					r.t = min(r.t+x*r.invR, r.segEnd)
					ts = r.t
				} else {
					ts, more = r.advance(x)
				}
			} else {
				ts, more = r.nextArrival()
			}
		} else {
			break
		}
		if t >= span {
			break
		}
		if t >= r.nextStop { // rare: a bucket boundary or a scheduled step
			if t >= r.nextB {
				if r.warmB > 0 && r.snap == nil {
					st.Arrivals, st.Invocations, st.OnDemandMs, st.Peak = arrivals, invocations, onDemandMs, peak
					st.BusyNs, st.BusyNsUnclipped = busyNs, busyNsU
					r.crossBuckets(t)
					arrivals, invocations, onDemandMs, peak = st.Arrivals, st.Invocations, st.OnDemandMs, st.Peak
					busyNs, busyNsU = st.BusyNs, st.BusyNsUnclipped
				} else {
					r.crossBuckets(t)
				}
			}
			if t >= r.nextMonth {
				st.Arrivals, st.Invocations, st.OnDemandMs, st.Peak = arrivals, invocations, onDemandMs, peak
				st.BusyNs, st.BusyNsUnclipped = busyNs, busyNsU
				r.markMonths(t)
			}
			r.schedStop(t)
		}
		r.release(t)
		n++
		if n&0xffff == 0 && tick != nil && !tick(t) {
			st.Arrivals, st.Invocations, st.OnDemandMs, st.Peak = arrivals, invocations, onDemandMs, peak
			st.BusyNs, st.BusyNsUnclipped = busyNs, busyNsU
			return false
		}
		bk := &r.buckets[r.curB]
		if ev.throttled == 0 && ev.failed == 0 {
			bk.arrivals++
			arrivals++
			if t >= rateNext {
				rateNext = t - t%int64(time.Second) + int64(time.Second)
				rateLeft = r.rateLimit
			}
			if rateLeft <= 0 {
				bk.throttles++
				st.Throttles++
				st.RateThrottles++
				continue
			}
			rateLeft -= rateAsync
		}
		if r.busy >= r.cap {
			r.throttle(bk, t, ev)
			continue
		}
		var d time.Duration
		switch r.durKind { // the common distributions without an interface call; same draws
		case durExp:
			d = clampDur(r.durRng.ExpFloat64() * r.durA)
		case durLogNormal:
			d = clampDur(math.Exp(r.durA + r.durB*r.durRng.NormFloat64()))
		case durFixed:
			d = time.Duration(r.durA)
		default:
			d = r.dur.Sample(r.durRng)
		}
		failed := false
		if int64(d) >= timeout {
			d = time.Duration(timeout)
			st.Errors++
			failed = true
		}
		birth := int64(provBirth)
		lat := d
		switch {
		case r.provIdle > 0:
			r.provIdle--
			st.Provisioned++
			st.ProvisionedMs += int64((d + time.Millisecond - 1) / time.Millisecond)
		default:
			found := false
			mask := len(r.idle) - 1
			for r.idleLen > 0 {
				top := r.idle[(r.idleHead+r.idleLen-1)&mask]
				r.idleLen--
				if top.deadline <= t {
					r.die(top.birth, top.deadline)
					continue
				}
				birth, found = top.birth, true
				break
			}
			if !found {
				// Scaling budget: refill, then spend one environment.
				if r.tokens < r.tokCap {
					dt := t - r.lastToken
					if dt >= tokenUnit {
						r.tokens = r.tokCap
					} else {
						r.tokens = min(r.tokCap, r.tokens+dt*r.rate)
					}
				}
				r.lastToken = t
				if r.tokens < tokenUnit {
					r.throttle(bk, t, ev)
					continue
				}
				r.tokens -= tokenUnit
				birth = t
				lat += r.init.Sample(r.rng)
				st.Cold++
				st.EnvsCreated++
				bk.cold++
				wms := int64((d + time.Millisecond - 1) / time.Millisecond)
				cms := int64((lat + time.Millisecond - 1) / time.Millisecond)
				onDemandMs += cms
				st.InitMs += cms - wms
			} else {
				onDemandMs += int64((d + time.Millisecond - 1) / time.Millisecond)
			}
		}
		invocations++
		rateLeft -= rateSync
		end := t + int64(lat)
		// w.push, inlined.
		if s := end >> w.shift; s-w.cur < int64(len(w.slots)) && w.free >= 0 {
			i := w.free
			en := &w.ents[i]
			w.free = en.next
			p := s & w.mask
			slot := &w.slots[p]
			en.e, en.next = busyEnt{end: end, birth: birth}, *slot
			*slot = i
			w.bits[p>>6] |= 1 << (p & 63)
			w.count++
		} else {
			w.pushSlow(busyEnt{end: end, birth: birth})
		}
		r.busy++
		if b := int64(r.busy); b > bk.cmax {
			bk.cmax = b
			if b > peak {
				peak = b
			}
		}
		busyNs += float64(min(end, span) - t)
		busyNsU += float64(lat)
		r.hist.Record(lat)
		if failed && r.async {
			r.retryError(end, ev)
		}
	}
	st.Arrivals, st.Invocations, st.OnDemandMs, st.Peak = arrivals, invocations, onDemandMs, peak
	st.BusyNs, st.BusyNsUnclipped = busyNs, busyNsU
	if r.noFinish {
		r.release(span)
		return true
	}
	r.finish()
	return true
}

// stats are the replica's counters without the discarded warm-up: its
// snapshot subtracted, and the environment time summed from the timeline
// buckets after it (exact: buckets hold env-ns to the nanosecond).
func (r *replica) stats() rawStats {
	st := r.st
	sn := r.snap
	if r.warmB == 0 || sn == nil {
		return st
	}
	st.Arrivals -= sn.Arrivals
	st.Invocations -= sn.Invocations
	st.Cold -= sn.Cold
	st.Throttles -= sn.Throttles
	st.RateThrottles -= sn.RateThrottles
	st.Errors -= sn.Errors
	st.Provisioned -= sn.Provisioned
	st.BusyNs -= sn.BusyNs
	st.BusyNsUnclipped -= sn.BusyNsUnclipped
	st.Deaths -= sn.Deaths
	st.LifeNs -= sn.LifeNs
	st.OnDemandMs -= sn.OnDemandMs
	st.InitMs -= sn.InitMs
	st.ProvisionedMs -= sn.ProvisionedMs
	st.EnvsCreated -= sn.EnvsCreated
	st.Retries -= sn.Retries
	st.Dropped -= sn.Dropped
	env, full := 0.0, int64(0)
	nb := int((r.span + r.bw - 1) / r.bw)
	for i := 0; i < nb && i < len(r.buckets); i++ {
		full += r.buckets[i].envFull
		if i >= r.warmB {
			env += float64(r.buckets[i].envPart) + float64(full)*float64(r.bw)
		}
	}
	st.EnvNs = env
	return st
}

// truncate closes the books of an interrupted replica at time t, the
// arrival it stopped at (not processed): its statistics then cover [0, t).
func (r *replica) truncate(t int64) {
	if t <= 0 {
		t = min(r.span, int64(time.Second))
	}
	r.span = min(r.span, t)
	if r.warmB > 0 && int64(r.warmB)*r.bw >= r.span {
		r.warmB, r.snap = 0, nil
	}
	r.finish()
}

// transplant starts r (at t = 0) from the state of the warm-up replica w at
// the end of its span: w's idle environments keep their reclaim deadlines
// and its invocations in flight their end times, shifted by −span. Their
// invocations were w's: they are neither counted nor billed here.
func (r *replica) transplant(w *replica, span int64) {
	w.busyQ.each(func(e busyEnt) {
		if e.end <= span {
			return
		}
		if e.birth == provBirth {
			if r.provIdle == 0 {
				return
			}
			r.provIdle--
		} else {
			e.birth -= span
		}
		e.end -= span
		r.busyQ.push(e)
		r.busy++
	})
	mask := len(w.idle) - 1
	for i := 0; i < w.idleLen; i++ {
		e := w.idle[(w.idleHead+i)&mask]
		if e.deadline <= span {
			continue
		}
		r.idlePush(idleEnt{deadline: e.deadline - span, birth: e.birth - span})
	}
	if len(r.buckets) > 0 {
		r.buckets[0].cmax = int64(r.busy)
	}
	r.st.Peak = int64(r.busy)
}

// ---- asynchronous invocations (Lambda's retry behaviour) ----
//
// What AWS documents (Lambda developer guide, "How Lambda handles errors
// and retries with asynchronous invocation"): an event that is throttled
// (429) goes back to Lambda's queue and is retried "for up to 6 hours by
// default"; "the retry interval increases exponentially from 1 second
// after the first attempt to a maximum of 5 minutes"; a function error
// (a timeout here) is retried twice by default, "with a one-minute wait
// between the first two attempts, and two minutes between the second and
// third"; events older than the maximum event age are dropped.
//
// What is assumed (AWS does not say): the k-th throttle backs off by
// min(2^k s, 5 min) with "equal jitter" — uniform in [½, 1] of that — so
// that events throttled together do not come back together
// (traffic.retry_jitter: none removes it); the queue is read in due order,
// a due event takes a free environment when one is available (the queue
// drains at the available concurrency, first come first served with new
// arrivals), else it is throttled again and backs off further. AWS's
// "Lambda increases the retry interval and reduces the rate at which it
// reads events from the queue" when the queue is long is not modelled
// beyond that backoff.
//
// The pending events are kept compactly: as counts per (due 10 ms,
// first-attempt second, throttles, failures) — a burst of millions of
// events throttled within seconds takes memory per distinct due time, not
// per event. Due times are rounded up to 10 ms and the event age is
// measured from the first attempt's second (rounded down, so an event may
// be dropped up to 1 s early).

// AsyncRetryModel and AsyncRetryWhy summarise the async retry model for
// the assumptions of a result.
const (
	AsyncRetryModel = "throttles: backoff min(2^k s, 5 min) × U[½, 1] until max_event_age; errors: retried after 1 and 2 min"
	AsyncRetryWhy   = "AWS documents the 1 s → 5 min exponential backoff for 429s, the 6 h default age and the 1/2-minute error retries; the jitter (equal jitter), the due-order queue draining at the available concurrency and 10 ms due times are assumed"
)

type retryEnt struct {
	at, first int64
	throttled uint16 // throttles so far
	failed    uint8  // failed invocations so far
}

const (
	maxThrottleBackoff = int64(5 * time.Minute)
)

func (r *replica) throttle(bk *bucketStats, t int64, ev retryEnt) {
	bk.throttles++
	r.st.Throttles++
	if !r.async {
		return
	}
	delay := maxThrottleBackoff
	if ev.throttled < 16 {
		delay = min(int64(time.Second)<<ev.throttled, maxThrottleBackoff)
	}
	if r.jitter {
		delay -= int64(r.rng.Float64() * float64(delay/2))
	}
	ev.throttled++
	r.schedule(t+delay, ev)
}

func (r *replica) retryError(end int64, ev retryEnt) {
	if int(ev.failed) >= r.maxRetries {
		r.st.Dropped++
		return
	}
	ev.failed++
	r.schedule(end+int64(ev.failed)*int64(time.Minute), ev)
}

func (r *replica) schedule(at int64, ev retryEnt) {
	if at-ev.first > r.maxAge {
		r.st.Dropped++
		return
	}
	r.st.Retries++
	r.retries.push(at, ev)
}

// retryClass is a number of pending events that are alike.
type retryClass struct {
	firstS    int64 // first attempt, whole seconds
	n         int64
	throttled uint16
	failed    uint8
}

// retryQueue holds pending async events as counts per due time (10 ms).
type retryQueue struct {
	due     []int64 // min-heap of the distinct due times (10 ms units) present
	classes map[int64][]retryClass
	n       int64
}

func (q *retryQueue) len() int64 { return q.n }

// next is the due time (ns) of the earliest event; only if len() > 0.
func (q *retryQueue) next() int64 { return q.due[0] * retryTick }

// retryTick is the resolution of due times.
const retryTick = int64(10 * time.Millisecond)

func (q *retryQueue) push(at int64, ev retryEnt) {
	ms := (at + retryTick - 1) / retryTick
	fs := ev.first / int64(time.Second)
	if q.classes == nil {
		q.classes = map[int64][]retryClass{}
	}
	cs, ok := q.classes[ms]
	if !ok {
		h := append(q.due, ms)
		i := len(h) - 1
		for i > 0 {
			p := (i - 1) / 2
			if h[p] <= ms {
				break
			}
			h[i] = h[p]
			i = p
		}
		h[i] = ms
		q.due = h
	}
	q.n++
	for i := range cs {
		c := &cs[i]
		if c.firstS == fs && c.throttled == ev.throttled && c.failed == ev.failed {
			c.n++
			return
		}
	}
	q.classes[ms] = append(cs, retryClass{firstS: fs, n: 1, throttled: ev.throttled, failed: ev.failed})
}

// pop takes one of the earliest events.
func (q *retryQueue) pop() retryEnt {
	ms := q.due[0]
	cs := q.classes[ms]
	c := &cs[len(cs)-1]
	ev := retryEnt{at: ms * retryTick, first: c.firstS * int64(time.Second), throttled: c.throttled, failed: c.failed}
	q.n--
	if c.n--; c.n == 0 {
		cs = cs[:len(cs)-1]
		if len(cs) == 0 {
			delete(q.classes, ms)
			h := q.due
			n := len(h) - 1
			last := h[n]
			h = h[:n]
			i := 0
			for {
				c := 2*i + 1
				if c >= n {
					break
				}
				if c+1 < n && h[c+1] < h[c] {
					c++
				}
				if last <= h[c] {
					break
				}
				h[i] = h[c]
				i = c
			}
			if n > 0 {
				h[i] = last
			}
			q.due = h
		} else {
			q.classes[ms] = cs
		}
	}
	return ev
}

// finish closes the books at the end of the span.
func (r *replica) finish() {
	if r.nextB <= r.span {
		r.crossBuckets(r.span)
	}
	r.release(r.span)
	r.busyQ.each(func(e busyEnt) {
		if e.birth != provBirth {
			r.die(e.birth, e.end) // end > span: clipped, not a death
		}
	})
	mask := len(r.idle) - 1
	for i := 0; i < r.idleLen; i++ {
		e := r.idle[(r.idleHead+i)&mask]
		r.die(e.birth, e.deadline)
	}
	r.busyQ, r.idleLen = nil, 0
	r.st.PendingRetries = r.retries.len()
}
