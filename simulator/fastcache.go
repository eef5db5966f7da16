package simulator

import (
	"context"
	"reflect"
	"sync"
	"time"
)

// The fast mode's inputs that take the longest to build — the level
// calibration (an M/G/∞ run of up to ≈ 1.2·10⁷ arrivals) and the
// duration sample with its flood constant — depend on few of a
// scenario's fields: the duration distribution, the timeout, the idle
// timeout, the calibration's rate and length, and the seed (the INIT
// distribution too, for the sample). A what-if that changes memory,
// architecture, region, prices or, above the calibration's rate, the
// traffic finds them here. Each is a pure function of its key, built
// from the scenario's own values (no pointer identity but that of
// non-comparable distributions, which then only match themselves), so a
// result is the same whether an entry was cached or not.

// calCacheSize and durCacheSize bound the caches (entries; a calibration
// is a few KiB, a duration sample ≈ 6 MiB: at most ≈ 25 MiB held).
const (
	calCacheSize = 32
	durCacheSize = 4
)

type calKey struct {
	dur                  Distribution
	timeout              time.Duration
	seed                 uint64
	rate, span, g0, idle float64
}

type durKey struct {
	dur, init Distribution
	timeout   time.Duration
	seed      uint64
	n         int
}

// durEntry is a duration sample and its flood constant (floodPerRate).
type durEntry struct {
	ds    durStats
	kappa float64
}

// boundedCache is a map of at most size entries, the oldest evicted
// first; safe for concurrent use. Its values must not be modified.
type boundedCache[K comparable, V any] struct {
	mu    sync.Mutex
	size  int
	m     map[K]V
	order []K
	hits  int
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	if ok {
		c.hits++
	}
	return v, ok
}

func (c *boundedCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[K]V{}
	}
	if _, ok := c.m[k]; ok {
		return
	}
	if len(c.order) >= c.size {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[k] = v
	c.order = append(c.order, k)
}

func (c *boundedCache[K, V]) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.order, c.hits = nil, nil, 0
}

var (
	calCache = boundedCache[calKey, *levelCal]{size: calCacheSize}
	durCache = boundedCache[durKey, *durEntry]{size: durCacheSize}
)

// keyable reports whether a distribution can be a map key (its dynamic
// type is comparable).
func keyable(ds ...Distribution) bool {
	for _, d := range ds {
		if d == nil || !reflect.TypeOf(d).Comparable() {
			return false
		}
	}
	return true
}

// cachedCalibration is calibrateLevels through calCache.
func cachedCalibration(ctx context.Context, s *Scenario, seed uint64, rate, dur, g0, idle float64) *levelCal {
	if !keyable(s.Function.Duration) {
		return calibrateLevels(ctx, s, seed, rate, dur, g0, idle)
	}
	k := calKey{dur: s.Function.Duration, timeout: s.Function.Timeout.D(), seed: seed, rate: rate, span: dur, g0: g0, idle: idle}
	if c, ok := calCache.get(k); ok {
		return c
	}
	c := calibrateLevels(ctx, s, seed, rate, dur, g0, idle)
	if c != nil {
		calCache.put(k, c)
	}
	return c
}

// cachedDurations is sampleDurations and floodPerRate through durCache.
func cachedDurations(s *Scenario, seed uint64, n int) *durEntry {
	build := func() *durEntry {
		e := &durEntry{ds: sampleDurations(s, seed, n)}
		e.kappa = floodPerRate(&e.ds)
		return e
	}
	if !keyable(s.Function.Duration, s.Function.InitDuration) {
		return build()
	}
	k := durKey{dur: s.Function.Duration, init: s.Function.InitDuration, timeout: s.Function.Timeout.D(), seed: seed, n: n}
	if e, ok := durCache.get(k); ok {
		return e
	}
	e := build()
	durCache.put(k, e)
	return e
}
