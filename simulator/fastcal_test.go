package simulator

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestDurTableIsTheQuantileTransform: a draw is min(Q(u), timeout) for the
// u its random bits stand for, to within the stated 10⁻⁶ of the value
// + 2 ns, in every bin (interpolated or not), for a log-normal, an
// exponential and a timeout cutting the log-normal at its median; and an
// empirical distribution's draws are its own observations (exact
// inversion: Q(u) is the ⌈u·n⌉-th smallest, each with probability 1/n).
func TestDurTableIsTheQuantileTransform(t *testing.T) {
	ln, _ := LogNormalP50P99(60*time.Millisecond, 300*time.Millisecond)
	for _, tc := range []struct {
		d       Distribution
		timeout time.Duration
	}{
		{ln, 15 * time.Minute},
		{Exponential{50 * time.Millisecond}, 15 * time.Minute},
		{ln, 60 * time.Millisecond},
	} {
		tab := newDurTable(tc.d, tc.timeout)
		rng := rand.New(rand.NewPCG(3, 4))
		for i := 0; i < 200_000; i++ {
			x := rng.Uint64()
			u := (float64(x>>(64-durTableBits)) + float64(x<<durTableBits>>11)*0x1p-53) / (1 << durTableBits)
			want := math.Min(tc.d.Quantile(u).Seconds(), tc.timeout.Seconds())
			if got := tab.at(x); math.Abs(got-want) > 1e-6*want+2e-9 || got > tc.timeout.Seconds() {
				t.Fatalf("%v, timeout %s: u = %.12g gives %.12g s, Q(u) = %.12g s", tc.d, tc.timeout, u, got, want)
			}
		}
	}
	obs := []time.Duration{3 * time.Millisecond, 5 * time.Millisecond, 5 * time.Millisecond, 40 * time.Millisecond, 2 * time.Second}
	emp, err := NewEmpirical(obs, "test")
	if err != nil {
		t.Fatal(err)
	}
	tab := newDurTable(emp, time.Second)
	rng := rand.New(rand.NewPCG(5, 6))
	counts := map[float64]int{}
	const n = 100_000
	for i := 0; i < n; i++ {
		counts[tab.draw(rng)]++
	}
	// Each observation 1/5 (5 ms twice: 2/5), the 2-s one capped at the
	// 1-s timeout; binomial SD √(n·p·(1−p)) ≤ 155, 5 SD allowed.
	want := map[float64]int{0.003: n / 5, 0.005: 2 * n / 5, 0.040: n / 5, 1: n / 5}
	if len(counts) != len(want) {
		t.Fatalf("values drawn: %v, want those of %v", counts, want)
	}
	for v, c := range want {
		if math.Abs(float64(counts[v]-c)) > 5*155 {
			t.Errorf("%g s drawn %d times of %d, want %d", v, counts[v], n, c)
		}
	}
}

// TestDurTableKeepsTheMean: the mean of 2·10⁶ draws of a log-normal
// (μ, σ from p50 60 ms, p99 300 ms: σ = ln 5 / z₀.₉₉) cut by a timeout
// of 150 ms is the closed form of E[min(S, c)] for a log-normal,
// e^(μ+σ²/2)·Φ((ln c − μ − σ²)/σ) + c·(1 − Φ((ln c − μ)/σ)), within 4
// standard errors (the draws' own SD / √n); and the fraction at the cap is
// 1 − Φ((ln c − μ)/σ) within 4 binomial SDs.
func TestDurTableKeepsTheMean(t *testing.T) {
	ln, _ := LogNormalP50P99(60*time.Millisecond, 300*time.Millisecond)
	mu, sigma := math.Log(0.060), math.Log(5)/(math.Sqrt2*math.Erfinv(0.98))
	c := 0.150
	phi := func(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }
	want := math.Exp(mu+sigma*sigma/2)*phi((math.Log(c)-mu-sigma*sigma)/sigma) + c*(1-phi((math.Log(c)-mu)/sigma))
	pCap := 1 - phi((math.Log(c)-mu)/sigma)
	tab := newDurTable(ln, 150*time.Millisecond)
	rng := rand.New(rand.NewPCG(7, 8))
	const n = 2_000_000
	var sum, ss float64
	capped := 0
	for i := 0; i < n; i++ {
		d := tab.draw(rng)
		sum += d
		ss += d * d
		if d == c {
			capped++
		}
	}
	mean := sum / n
	se := math.Sqrt((ss/n - mean*mean) / n)
	if math.Abs(mean-want) > 4*se {
		t.Errorf("mean %.7g s, want %.7g ± %.2g (4 SE)", mean, want, 4*se)
	}
	if sd := math.Sqrt(n * pCap * (1 - pCap)); math.Abs(float64(capped)-n*pCap) > 4*sd {
		t.Errorf("%d draws at the cap, want %.0f ± %.0f", capped, n*pCap, 4*sd)
	}
}

// TestCalStreamMatchesAHeap: the calendar queue hands the departures over
// in the order a binary heap does — the same counts per level, to the
// last one, from a straightforward heap-based loop on the same random
// stream — for a short-tailed case (one departure per bucket) and a
// long-tailed one whose durations wrap around the ring (log-normal p50
// 10 ms / p99 5 s, mean 10 ms·e^(σ²/2) ≈ 355 ms with σ = ln 500 / 2.326,
// at 200 req/s: 8 mean durations round up to a ring of 1,024 buckets of
// 5 ms, 5.12 s, and P(S > 5.12 s) = 1 − Φ(ln 512 / σ) ≈ 1 % of the
// durations, up to the 60-s timeout, go round it up to 11 times).
func TestCalStreamMatchesAHeap(t *testing.T) {
	ln1, _ := LogNormalP50P99(60*time.Millisecond, 300*time.Millisecond)
	ln2, _ := LogNormalP50P99(10*time.Millisecond, 5*time.Second)
	for _, tc := range []struct {
		d, init       Distribution
		timeout       time.Duration
		rate, g0, idl float64
	}{
		{ln1, nil, 15 * time.Minute, 1000, 1.5, 30},
		{ln2, nil, time.Minute, 200, 1.5, 10},
		{ln1, Fixed{Value: 250 * time.Millisecond}, 15 * time.Minute, 1000, 1.5, 30},
	} {
		tab := newDurTable(tc.d, tc.timeout)
		ncl, ncold, sumS, nS, ok := calStream(context.Background(), tab, tc.init, 9, 1, tc.rate, tc.idl+10, 600, tc.g0, tc.idl)
		rcl, rcold, rsum, rn := heapStream(tab, tc.init, 9, 1, tc.rate, tc.idl+10, 600, tc.g0, tc.idl)
		if !ok || nS != rn || sumS != rsum || len(ncl) != len(rcl) {
			t.Fatalf("%v: %d arrivals, %d levels; the heap: %d, %d", tc.d, nS, len(ncl), rn, len(rcl))
		}
		total := int64(0)
		for i := range ncl {
			total += ncl[i]
			if ncl[i] != rcl[i] || ncold[i] != rcold[i] {
				t.Errorf("%v, level %d: %d/%d counted, the heap %d/%d", tc.d, i+1, ncl[i], ncold[i], rcl[i], rcold[i])
			}
		}
		if total == 0 {
			t.Errorf("%v: nothing counted", tc.d)
		}
	}
}

// heapStream is calStream with the departures in a binary min-heap.
func heapStream(tab *durTable, init Distribution, seed, stream uint64, rate, warm, end, g0, idle float64) (ncl, ncold []int64, sumS float64, nS int64) {
	rng := rand.New(rand.NewPCG(seed, 1<<60+stream))
	var h []float64
	var lastDown []float64
	t := 0.0
	busy := 0
	for {
		t += rng.ExpFloat64() * (1 / rate)
		if t >= end {
			return
		}
		for len(h) > 0 && h[0] <= t {
			busy--
			lastDown[busy] = h[0]
			n := len(h) - 1
			h[0] = h[n]
			h = h[:n]
			for i := 0; ; {
				l := 2*i + 1
				if l >= n {
					break
				}
				if l+1 < n && h[l+1] < h[l] {
					l++
				}
				if h[i] <= h[l] {
					break
				}
				h[i], h[l] = h[l], h[i]
				i = l
			}
		}
		busy++
		if busy > len(lastDown) {
			lastDown, ncl, ncold = append(lastDown, 0), append(ncl, 0), append(ncold, 0)
		}
		cold := t-lastDown[busy-1] > idle
		d := tab.draw(rng)
		sumS += d
		nS++
		if cold && init != nil {
			d += init.Sample(rng).Seconds()
		}
		h = append(h, t+d)
		for i := len(h) - 1; i > 0; {
			p := (i - 1) / 2
			if h[p] <= h[i] {
				break
			}
			h[p], h[i] = h[i], h[p]
			i = p
		}
		if t > warm {
			if gap := t - lastDown[busy-1]; gap > g0 {
				ncl[busy-1]++
				if gap > idle {
					ncold[busy-1]++
				}
			} else if gap > idle {
				ncold[busy-1]++
			}
		}
	}
}

// TestCalStreamHoldsINIT: a cold start's environment is busy for INIT +
// duration, in the calibration as in the engine. With an idle timeout and
// g0 of 0 every arrival is cold and counted at the level it lifts the
// busy count to, so the counts are the busy count each arrival finds
// (plus one); by PASTA that is, on average, the M/G/∞ mean λ·E[hold]:
// 100 req/s × (50 ms + 250 ms) = 30 with INIT, 100 × 50 ms = 5 without.
// The count seen is Poisson(30), SD √30 ≈ 5.5, over 59,000 arrivals that
// are correlated over ≈ 0.3 s (30 arrivals): SE ≈ 5.5/√(59,000/30) ≈
// 0.12, so ±1 is 8 SE; the two means are 25 apart.
func TestCalStreamHoldsINIT(t *testing.T) {
	tab := newDurTable(Fixed{Value: 50 * time.Millisecond}, time.Minute)
	for _, tc := range []struct {
		init Distribution
		want float64
	}{
		{Fixed{Value: 250 * time.Millisecond}, 30},
		{nil, 5},
	} {
		_, ncold, _, _, ok := calStream(context.Background(), tab, tc.init, 3, 0, 100, 10, 600, 0, 0)
		var n, sum float64
		for i, c := range ncold {
			n += float64(c)
			sum += float64(i) * float64(c) // level i+1: i found busy
		}
		if !ok || n < 50000 {
			t.Fatalf("init %v: %.0f arrivals counted", tc.init, n)
		}
		if got := sum / n; math.Abs(got-tc.want) > 1 {
			t.Errorf("init %v: arrivals found %.2f busy on average, want %.0f ± 1", tc.init, got, tc.want)
		}
	}
}
