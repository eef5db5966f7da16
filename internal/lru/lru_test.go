package lru

import (
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	for _, tc := range []struct {
		name string
		ops  func(c *Cache[int, string])
		kept []int // keys still present afterwards
		gone []int
		hits int
	}{
		{"evicts the oldest when nothing was read", func(c *Cache[int, string]) {
			for i := 0; i < 5; i++ {
				c.Put(i, "v")
			}
		}, []int{2, 3, 4}, []int{0, 1}, 0},
		{"a read keeps an entry", func(c *Cache[int, string]) {
			c.Put(0, "a")
			c.Put(1, "b")
			c.Put(2, "c")
			c.Get(0) // 0 is now the most recent: 1 goes next
			c.Put(3, "d")
		}, []int{0, 2, 3}, []int{1}, 1},
		{"a put of a kept key refreshes it", func(c *Cache[int, string]) {
			c.Put(0, "a")
			c.Put(1, "b")
			c.Put(2, "c")
			c.Put(0, "a2")
			c.Put(3, "d")
		}, []int{0, 2, 3}, []int{1}, 0},
	} {
		c := &Cache[int, string]{Size: 3}
		tc.ops(c)
		hits := c.Hits()
		for _, k := range tc.kept {
			if _, ok := c.Get(k); !ok {
				t.Errorf("%s: %d evicted", tc.name, k)
			}
		}
		for _, k := range tc.gone {
			if _, ok := c.Get(k); ok {
				t.Errorf("%s: %d kept", tc.name, k)
			}
		}
		if hits != tc.hits || c.Len() != len(tc.kept) {
			t.Errorf("%s: hits %d, len %d; want %d, %d", tc.name, hits, c.Len(), tc.hits, len(tc.kept))
		}
	}
	c := &Cache[int, string]{Size: 2}
	c.Put(1, "x")
	if v, _ := c.Get(1); v != "x" {
		t.Errorf("Get(1) = %q", v)
	}
	c.Put(1, "y")
	if v, _ := c.Get(1); v != "y" {
		t.Errorf("after a second Put, Get(1) = %q, want y", v)
	}
	c.Reset()
	if c.Len() != 0 || c.Hits() != 0 {
		t.Errorf("after Reset: len %d hits %d", c.Len(), c.Hits())
	}
}

// TestConcurrent is for the race detector: readers and writers at once.
func TestConcurrent(t *testing.T) {
	c := &Cache[int, int]{Size: 4}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				c.Put((g+i)%7, i)
				c.Get(i % 7)
			}
		}(g)
	}
	wg.Wait()
	if c.Len() > 4 {
		t.Errorf("len %d > size 4", c.Len())
	}
}

// A Size below 1 holds one entry (the documented "at least 1"): the
// second Put evicts the first.
func TestSizeAtLeastOne(t *testing.T) {
	for _, size := range []int{0, -3} {
		c := &Cache[int, string]{Size: size}
		c.Put(1, "a")
		c.Put(2, "b")
		if _, ok := c.Get(1); ok {
			t.Errorf("Size %d: 1 kept after a second Put", size)
		}
		if v, ok := c.Get(2); !ok || v != "b" || c.Len() != 1 {
			t.Errorf("Size %d: Get(2) = %q, %t; len %d; want b, true, 1", size, v, ok, c.Len())
		}
	}
}
