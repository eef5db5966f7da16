package simulator

import (
	"context"
	"reflect"
	"time"

	"github.com/lambdacost/lambdacost/internal/lru"
)

// The fast mode's inputs that take the longest to build — the level
// calibration (an M/G/∞ run of up to ≈ 2.4·10⁷ arrivals) and the
// duration sample with its flood constant — depend on few of a
// scenario's fields: the duration and INIT distributions, the timeout,
// the idle timeout, the calibration's rate and length, and the seed. A
// what-if that changes memory, architecture, region, prices or, above
// the calibration's rate, the traffic finds them here. Each is a pure function of its key, built
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
	dur, init            Distribution
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

// durEntry is a duration sample and its flood constants.
type durEntry struct {
	ds    durStats
	flood floodConst
}

var (
	calCache = lru.Cache[calKey, *levelCal]{Size: calCacheSize}
	durCache = lru.Cache[durKey, *durEntry]{Size: durCacheSize}
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
	if !keyable(s.Function.Duration, s.Function.InitDuration) {
		return calibrateLevels(ctx, s, seed, rate, dur, g0, idle)
	}
	k := calKey{dur: s.Function.Duration, init: s.Function.InitDuration, timeout: s.Function.Timeout.D(), seed: seed, rate: rate, span: dur, g0: g0, idle: idle}
	if c, ok := calCache.Get(k); ok {
		return c
	}
	c := calibrateLevels(ctx, s, seed, rate, dur, g0, idle)
	if c != nil {
		calCache.Put(k, c)
	}
	return c
}

// cachedDurations is sampleDurations and its flood constants through durCache.
func cachedDurations(s *Scenario, seed uint64, n int) *durEntry {
	build := func() *durEntry {
		e := &durEntry{ds: sampleDurations(s, seed, n)}
		e.flood.init(&e.ds, seed)
		return e
	}
	if !keyable(s.Function.Duration, s.Function.InitDuration) {
		return build()
	}
	k := durKey{dur: s.Function.Duration, init: s.Function.InitDuration, timeout: s.Function.Timeout.D(), seed: seed, n: n}
	if e, ok := durCache.Get(k); ok {
		return e
	}
	e := build()
	durCache.Put(k, e)
	return e
}
