package collector

import (
	"math"
	"math/bits"
	"slices"
)

// Distribution summarises a stream of non-negative integer samples
// (microseconds) with exact count, sum, min and max, and percentiles that
// are exact for the first ExactSamples samples and come from a log-linear
// histogram after that.
//
// Histogram error: values below 2,048 µs fall in buckets of width 1 µs
// (exact); a value v ≥ 2,048 falls in a bucket [m·2^e, (m+1)·2^e) with
// 1,024 ≤ m < 2,048, so its width is at most v/1,024. The reported value is
// the bucket midpoint clamped to [min, max], hence within 1/2,048 ≈ 0.05 %
// of the true order statistic (nearest-rank definition).
type Distribution struct {
	n, sum   int64
	min, max int64
	exact    []int64  // the first ExactSamples samples, while n ≤ ExactSamples
	counts   []uint64 // histogram, filled once exact overflows
}

// ExactSamples is how many samples a Distribution keeps verbatim: up to
// this count, percentiles are exact.
const ExactSamples = 1 << 16

const subBits = 11 // 2^11 exact buckets, then 2^10 sub-buckets per power of two

func bucketOf(v int64) int {
	u := uint64(v)
	if u < 1<<subBits {
		return int(u)
	}
	e := bits.Len64(u) - subBits
	return e<<(subBits-1) + int(u>>e)
}

// bucketRange returns the lowest value of bucket i and its width.
func bucketRange(i int) (lo, width int64) {
	if i < 1<<subBits {
		return int64(i), 1
	}
	e := i>>(subBits-1) - 1
	m := i - e<<(subBits-1)
	return int64(m) << e, int64(1) << e
}

// Add records one sample (negative samples count as 0).
func (d *Distribution) Add(v int64) {
	if v < 0 {
		v = 0
	}
	if d.n == 0 || v < d.min {
		d.min = v
	}
	if v > d.max {
		d.max = v
	}
	d.n++
	d.sum += v
	if d.counts == nil {
		if len(d.exact) < ExactSamples {
			d.exact = append(d.exact, v)
			return
		}
		d.counts = make([]uint64, bucketOf(math.MaxInt64)+1)
		for _, x := range d.exact {
			d.counts[bucketOf(x)]++
		}
		d.exact = nil
	}
	d.counts[bucketOf(v)]++
}

// N is the number of samples.
func (d *Distribution) N() int64 { return d.n }

// Sum is the exact sum of the samples.
func (d *Distribution) Sum() int64 { return d.sum }

// Max is the largest sample (0 without samples).
func (d *Distribution) Max() int64 { return d.max }

// Mean is the exact mean (0 without samples).
func (d *Distribution) Mean() float64 {
	if d.n == 0 {
		return 0
	}
	return float64(d.sum) / float64(d.n)
}

// Quantile returns the nearest-rank q-quantile (0 < q ≤ 1): the smallest
// sample such that at least q·n samples are ≤ it.
func (d *Distribution) Quantile(q float64) float64 {
	if d.n == 0 {
		return 0
	}
	rank := int64(math.Ceil(q * float64(d.n)))
	if rank < 1 {
		rank = 1
	}
	if rank > d.n {
		rank = d.n
	}
	if d.counts == nil {
		s := slices.Clone(d.exact)
		slices.Sort(s)
		return float64(s[rank-1])
	}
	var cum int64
	for i, c := range d.counts {
		cum += int64(c)
		if cum >= rank {
			lo, w := bucketRange(i)
			v := float64(lo) + float64(w-1)/2
			return math.Min(math.Max(v, float64(d.min)), float64(d.max))
		}
	}
	return float64(d.max)
}

// Quantiles returns several quantiles at once.
func (d *Distribution) Quantiles(qs ...float64) []float64 {
	out := make([]float64, len(qs))
	if d.counts == nil && d.n > 0 {
		s := slices.Clone(d.exact)
		slices.Sort(s)
		for i, q := range qs {
			rank := int64(math.Ceil(q * float64(d.n)))
			rank = min(max(rank, 1), d.n)
			out[i] = float64(s[rank-1])
		}
		return out
	}
	for i, q := range qs {
		out[i] = d.Quantile(q)
	}
	return out
}
