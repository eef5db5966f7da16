package simulator

import (
	"context"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// cacheYAML is a steady 400 req/s scenario (mean busy ≈ 32) with the
// given memory and duration p50.
func cacheYAML(mem, p50 string) string {
	return `
duration: 20m
function: {memory_mb: ` + mem + `, duration: {distribution: lognormal, p50: ` + p50 + `, p99: 300ms}, init_duration: 250ms}
keep_alive: {idle_timeout: 1m}
traffic: {start_rate: 400}
`
}

// TestFastCacheSameResult: the calibration and duration caches change no
// figure. A scenario run with empty caches, and the same scenario run
// again next to one that differs only in memory (at once: the caches are
// shared by concurrent runs), must give equal results (every field,
// timeline and assumptions included); the second round must have found
// its entries, and memory must not be part of the key (one calibration
// for both), though it reaches the bill.
func TestFastCacheSameResult(t *testing.T) {
	a, b := parse(t, cacheYAML("512", "60ms")), parse(t, cacheYAML("1024", "60ms"))
	fast := Options{Mode: ModeFast}
	calCache.Reset()
	durCache.Reset()
	cold := run(t, b, fast)
	if calCache.Hits() != 0 || durCache.Hits() != 0 || calCache.Len() != 1 || durCache.Len() != 1 {
		t.Fatalf("empty caches: hits %d %d, entries %d %d", calCache.Hits(), durCache.Hits(), calCache.Len(), durCache.Len())
	}
	var ra, rb *Result
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); ra = run(t, a, fast) }()
	go func() { defer wg.Done(); rb = run(t, b, fast) }()
	wg.Wait()
	if calCache.Hits() != 2 || durCache.Hits() != 2 || calCache.Len() != 1 {
		t.Errorf("memory changed only: calibration hits %d (entries %d), duration-sample hits %d, want 2 (1) and 2", calCache.Hits(), calCache.Len(), durCache.Hits())
	}
	if !reflect.DeepEqual(rb, cold) {
		t.Errorf("cached and uncached results differ:\ncached   %+v\nuncached %+v", rb, cold)
	}
	if rb.CostUSD == ra.CostUSD || rb.ColdStarts != ra.ColdStarts {
		t.Errorf("512 MB: $%g, %d cold starts; 1024 MB: $%g, %d: the bill must differ, the pool not", ra.CostUSD, ra.ColdStarts, rb.CostUSD, rb.ColdStarts)
	}
}

// TestWarmFastFillsTheCaches: after WarmFast, a fast run of the same
// scenario finds both of its entries (and gives what it gives cold, by
// TestFastCacheSameResult); a scenario the fast mode refuses is left alone.
func TestWarmFastFillsTheCaches(t *testing.T) {
	s := parse(t, cacheYAML("512", "70ms"))
	calCache.Reset()
	durCache.Reset()
	WarmFast(context.Background(), s, s.Seed)
	if calCache.Len() != 1 || durCache.Len() != 1 || calCache.Hits() != 0 {
		t.Fatalf("after WarmFast: entries %d %d, hits %d, want 1 1 0", calCache.Len(), durCache.Len(), calCache.Hits())
	}
	run(t, s, Options{Mode: ModeFast})
	if calCache.Hits() != 1 || durCache.Hits() != 1 {
		t.Errorf("the run after WarmFast: calibration hits %d, duration-sample hits %d, want 1 and 1", calCache.Hits(), durCache.Hits())
	}
	a := parse(t, strings.Replace(cacheYAML("512", "80ms"), "{start_rate: 400}", "{start_rate: 400, invocation: async}", 1))
	WarmFast(context.Background(), a, a.Seed)
	if calCache.Len() != 1 || durCache.Len() != 1 {
		t.Errorf("an async scenario was warmed: entries %d %d", calCache.Len(), durCache.Len())
	}
}
