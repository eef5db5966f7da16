package simulator

import (
	"math"
	"math/bits"
)

// wheel holds the running invocations, keyed by end time: a calendar queue
// (timing wheel) of 2^k slots of 2^shift ns, each an unsorted linked list in
// an arena, with a bitmap of the non-empty slots, plus a min-heap for ends
// beyond the wheel's horizon. Insertion is O(1). Slots are narrower than
// the mean inter-arrival time at the peak rate, so most hold at most one
// entry: collecting the ends ≤ t finds the non-empty slots passed since the
// last call with a bit scan (no per-slot branch), takes them whole (ends in
// a passed slot are all ≤ t, and slots come out in end order), and
// compares ends with t only in the slot holding t. The few entries sharing
// a slot are put in order by an insertion sort, so completions are
// processed in exact (end, birth) order. It replaces a binary heap whose
// dependent loads cost ~45 ns per invocation at 100 concurrent.
type wheel struct {
	shift uint
	mask  int64
	slots []int32  // list heads, -1 = empty
	bits  []uint64 // bit s set ⇔ slot s is not empty
	ents  []wheelEnt
	free  int32
	cur   int64 // absolute slot index; slots before it are empty
	count int   // entries in the slots
	over  []busyEnt
}

type wheelEnt struct {
	e    busyEnt
	next int32
}

// newWheel sizes the wheel: slots of 1/16–1/8 mean inter-arrival time at
// the peak rate (a power of two in [256 ns, 17 s]; measured best among
// 1/64–2×, as a wheel slot rarely holds more than one end), and enough of them
// to cover 4× the typical response time (at least 256, at most 2^18).
func newWheel(peakRate float64, typical float64 /* ns */) *wheel {
	w := &wheel{free: -1}
	width := 1e9 / math.Max(peakRate, 1e-9)
	w.shift = uint(max(8, min(34, int(math.Floor(math.Log2(width)))-3)))
	n := int(4 * typical / float64(int64(1)<<w.shift))
	n = max(256, min(1<<18, n))
	n = 1 << bits.Len(uint(n-1))
	w.slots = make([]int32, n)
	for i := range w.slots {
		w.slots[i] = -1
	}
	w.bits = make([]uint64, n/64)
	w.mask = int64(n - 1)
	w.ents = make([]wheelEnt, 0, 256)
	return w
}

func (w *wheel) push(e busyEnt) {
	s := e.end >> w.shift
	if s-w.cur >= int64(len(w.slots)) || w.free < 0 {
		w.pushSlow(e)
		return
	}
	i := w.free
	en := &w.ents[i]
	w.free = en.next
	p := s & w.mask
	slot := &w.slots[p]
	en.e, en.next = e, *slot
	*slot = i
	w.bits[p>>6] |= 1 << (p & 63)
	w.count++
}

// pushSlow handles an end beyond the horizon (to the overflow heap) or a
// full arena (grown, then pushed).
func (w *wheel) pushSlow(e busyEnt) {
	if (e.end>>w.shift)-w.cur >= int64(len(w.slots)) {
		heapPush(&w.over, e)
		return
	}
	w.ents = append(w.ents, wheelEnt{next: w.free})
	w.free = int32(len(w.ents) - 1)
	w.push(e)
}

// collect appends every entry ending at or before t to buf, removes them,
// and returns buf sorted by (end, birth).
func (w *wheel) collect(t int64, buf []busyEnt) []busyEnt {
	ts := t >> w.shift
	if w.count > 0 {
		n := int64(len(w.slots))
		s := w.cur
		if ts-s >= n { // more than a revolution: every slot is due
			s = ts - n
		}
		// Whole slots [s, ts), a bitmap word at a time.
		for s < ts {
			p := s & w.mask
			off := p & 63
			step := min(64-off, ts-s)
			m := ^uint64(0) >> (64 - step) << off
			word := w.bits[p>>6] & m
			if word != 0 {
				w.bits[p>>6] &^= m
				base := p &^ 63
				for word != 0 {
					q := base + int64(bits.TrailingZeros64(word))
					word &= word - 1
					slot := &w.slots[q]
					i := *slot
					*slot = -1
					for i >= 0 {
						en := &w.ents[i]
						buf = append(buf, en.e)
						next := en.next
						en.next = w.free
						w.free = i
						w.count--
						i = next
					}
				}
			}
			s += step
		}
		// The slot holding t: take only the ends ≤ t.
		p := ts & w.mask
		if w.bits[p>>6]>>(p&63)&1 != 0 {
			prev := &w.slots[p]
			for i := *prev; i >= 0; {
				en := &w.ents[i]
				next := en.next
				if en.e.end <= t {
					buf = append(buf, en.e)
					*prev = next
					en.next = w.free
					w.free = i
					w.count--
				} else {
					prev = &en.next
				}
				i = next
			}
			if w.slots[p] < 0 {
				w.bits[p>>6] &^= 1 << (p & 63)
			}
		}
	}
	w.cur = ts
	for len(w.over) > 0 && w.over[0].end <= t {
		buf = append(buf, heapPop(&w.over))
	}
	if len(buf) < 2 {
		return buf
	}
	// Insertion sort: usually 0–2 entries, nearly in order. Ties keep a
	// deterministic order.
	for i := 1; i < len(buf); i++ {
		x := buf[i]
		j := i
		for j > 0 && (buf[j-1].end > x.end || buf[j-1].end == x.end && buf[j-1].birth > x.birth) {
			buf[j] = buf[j-1]
			j--
		}
		buf[j] = x
	}
	return buf
}

// each calls f for every entry still in the wheel.
func (w *wheel) each(f func(busyEnt)) {
	for _, h := range w.slots {
		for i := h; i >= 0; i = w.ents[i].next {
			f(w.ents[i].e)
		}
	}
	for _, e := range w.over {
		f(e)
	}
}

// ---- binary min-heap on end (the overflow) ----

func heapPush(hp *[]busyEnt, e busyEnt) {
	h := append(*hp, e)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].end <= e.end {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
	*hp = h
}

func heapPop(hp *[]busyEnt) busyEnt {
	h := *hp
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	*hp = h
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if c+1 < n && h[c+1].end < h[c].end {
			c++
		}
		if last.end <= h[c].end {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = last
	return top
}
