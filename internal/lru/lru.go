// Package lru is a small least-recently-used cache, safe for concurrent
// use: the simulator's fast-mode calibrations and the what-if server's
// kept simulations and answers are each one of these.
package lru

import "sync"

// Cache holds at most Size entries (at least 1), dropping the least
// recently used one when full. The zero value with Size set is ready to
// use. Values are shared with every caller: they must not be modified.
type Cache[K comparable, V any] struct {
	Size int

	mu    sync.Mutex
	m     map[K]V
	order []K // least recently used first
	hits  int
}

// Get returns the value kept for k and marks it the most recently used.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	if ok {
		c.hits++
		c.touch(k)
	}
	return v, ok
}

// Put keeps v for k (replacing what was kept for it), evicting the least
// recently used entry when the cache is full.
func (c *Cache[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[K]V{}
	}
	if _, ok := c.m[k]; ok {
		c.m[k] = v
		c.touch(k)
		return
	}
	if len(c.order) >= max(1, c.Size) {
		delete(c.m, c.order[0])
		c.order = c.order[1:]
	}
	c.m[k] = v
	c.order = append(c.order, k)
}

// Hits is how many Gets found their key.
func (c *Cache[K, V]) Hits() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits
}

// Len is how many entries are kept.
func (c *Cache[K, V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// Reset empties the cache and its hit count.
func (c *Cache[K, V]) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m, c.order, c.hits = nil, nil, 0
}

// touch moves k to the most recently used end of order.
func (c *Cache[K, V]) touch(k K) {
	for i, x := range c.order {
		if x == k {
			c.order = append(append(c.order[:i:i], c.order[i+1:]...), k)
			return
		}
	}
}
