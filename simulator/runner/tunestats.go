package runner

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/lambdacost/lambdacost/pricing"
)

// CILevel is the confidence level of tune's intervals.
const CILevel = 0.95

// CIMethod states how tune's intervals are computed.
const CIMethod = "95% Student-t interval of the mean of the warm invocations: mean ± t(0.975, n−1)·s/√n (gonum stat.MeanStdDev, distuv.StudentsT); the cost interval maps the warm-duration interval through the price per ms (the cold part, one sample per size, adds no width)"

// TieRule states how tune breaks ties.
const TieRule = "sizes whose 95% interval of the strategy's metric (cost: cost per invocation; speed: mean warm duration) overlaps the best size's are tied, within run-to-run noise; among tied sizes cost picks the fastest (lowest mean duration), speed picks the cheapest; balanced has no tie rule"

// Interval is a confidence interval of a mean.
type Interval struct {
	Mean float64 `json:"mean"`
	Lo   float64 `json:"lo"`
	Hi   float64 `json:"hi"`
	N    int     `json:"n"`
}

// overlaps reports whether two intervals share a point.
func (a *Interval) overlaps(b *Interval) bool {
	return a != nil && b != nil && a.Lo <= b.Hi && b.Lo <= a.Hi
}

// MeanCI is the Student-t confidence interval at level of the mean of xs;
// nil for fewer than two samples.
func MeanCI(xs []float64, level float64) *Interval {
	n := len(xs)
	if n < 2 {
		return nil
	}
	mean, sd := stat.MeanStdDev(xs, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-level)/2)
	h := t * sd / math.Sqrt(float64(n))
	return &Interval{Mean: mean, Lo: mean - h, Hi: mean + h, N: n}
}

// mix is a size's invocations split for pricing: warm and cold billed
// milliseconds (cold including INIT), the INIT part of the cold ones, and
// the warm durations the strategy compares.
type mix struct {
	warmBilled, coldBilled, coldInit, warmDur []float64
}

func splitMix(res *Result, modelled bool) mix {
	var m mix
	for _, inv := range res.Invocations {
		billed, dur := float64(inv.BilledDurationMs), inv.DurationMs
		initB := 0.0
		if inv.Cold {
			initB = billed - float64(pricing.BilledMs(time.Duration(inv.DurationMs*float64(time.Millisecond))))
		}
		if modelled && inv.ModelledBilledDurationMs != nil && inv.ModelledDurationMs != nil {
			billed, dur = float64(*inv.ModelledBilledDurationMs), *inv.ModelledDurationMs
			if inv.Cold {
				initB = billed - float64(pricing.BilledMs(time.Duration(dur*float64(time.Millisecond))))
			}
		}
		if inv.Cold {
			m.coldBilled = append(m.coldBilled, billed)
			m.coldInit = append(m.coldInit, max(0, initB))
		} else {
			m.warmBilled = append(m.warmBilled, billed)
			m.warmDur = append(m.warmDur, dur)
		}
	}
	if len(m.warmDur) == 0 {
		// Only cold invocations: compare their handler durations.
		for _, inv := range res.Invocations {
			d := inv.DurationMs
			if modelled && inv.ModelledDurationMs != nil {
				d = *inv.ModelledDurationMs
			}
			m.warmDur = append(m.warmDur, d)
		}
	}
	return m
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	return stat.Mean(xs, nil)
}

// mixCost prices a million invocations of which a fraction rate are cold:
// billed ms = (1−rate)·mean warm + rate·mean cold (INIT included), INIT ms
// = rate·mean INIT. With no warm (or no cold) sample, the other stands in.
// Each invocation writes logBytes of logs (the run's average). It returns
// the cost per million and the cost of one more billed ms per invocation
// (for mapping intervals).
func mixCost(prices *pricing.PriceTable, region string, fn pricing.FunctionConfig, m mix, rate, logBytes, streamedBytes float64) (perMillion, perMs float64, err error) {
	warm, cold, initMs := mean(m.warmBilled), mean(m.coldBilled), mean(m.coldInit)
	if len(m.warmBilled) == 0 {
		warm = cold - initMs
	}
	if len(m.coldBilled) == 0 {
		cold, initMs = warm, 0
	}
	const million = 1e6
	u := pricing.BilledUsage{
		Requests:   million,
		OnDemandMs: int64(math.Round(million * ((1-rate)*warm + rate*cold))),
		InitMs:     int64(math.Round(million * rate * initMs)),
		ColdStarts: int64(math.Round(million * rate)),
		LogBytes:   int64(math.Round(million * logBytes)),
		// Billed streamed bytes (beyond 6 MB per response), per invocation.
		StreamedBytes: int64(math.Round(million * streamedBytes)),
	}
	_, _, c0, err := PriceUsage(prices, region, fn, u)
	if err != nil {
		return 0, 0, err
	}
	u.OnDemandMs += million * 1000
	_, _, c1, err := PriceUsage(prices, region, fn, u)
	if err != nil {
		return 0, 0, err
	}
	return c0, (c1 - c0) / million / 1000, nil
}

// tieBreak applies TieRule: best is the strategy's choice by point
// estimate; the sizes tied with it are returned with the pick among them.
func tieBreak(ok []TunePoint, best TunePoint, s Strategy) (TunePoint, []int) {
	metric := func(p TunePoint) *Interval {
		if s.Name == StrategySpeed {
			return p.DurationCI
		}
		return p.CostCI
	}
	if s.Name == StrategyBalanced || metric(best) == nil {
		return best, nil
	}
	var tied []TunePoint
	for _, p := range ok {
		if p.MemoryMB == best.MemoryMB || metric(p).overlaps(metric(best)) {
			tied = append(tied, p)
		}
	}
	if len(tied) < 2 {
		return best, nil
	}
	second := func(p TunePoint) float64 {
		if s.Name == StrategySpeed {
			return p.CostPerInvocationUSD
		}
		if p.DurationCI != nil {
			return p.DurationCI.Mean
		}
		return basisDuration(p)
	}
	pick := slices.MinFunc(tied, func(a, b TunePoint) int {
		if c := cmpFloat(second(a), second(b)); c != 0 {
			return c
		}
		return a.MemoryMB - b.MemoryMB
	})
	var sizes []int
	for _, p := range tied {
		sizes = append(sizes, p.MemoryMB)
	}
	return pick, sizes
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func tieReason(s Strategy, tied []int, pick int) string {
	if len(tied) == 0 {
		return ""
	}
	names := make([]string, len(tied))
	for i, m := range tied {
		names[i] = fmt.Sprintf("%d MB", m)
	}
	what, rule := "cost", "the fastest of them"
	if s.Name == StrategySpeed {
		what, rule = "mean warm duration", "the cheapest of them"
	}
	return fmt.Sprintf("; %s are tied on %s (95%% intervals overlap: within run-to-run noise), %d MB is %s", strings.Join(names, ", "), what, pick, rule)
}

// price sets the point's costs for the cold-start rate (see mixCost) and
// its intervals (see CIMethod).
func (p *TunePoint) price(prices *pricing.PriceTable, region string, res *Result, rate float64) {
	modelled := p.CostBasis == "modelled"
	m := splitMix(res, modelled)
	var logBytes float64
	if lb := res.Summary.LogBytesPerInvocation; lb != nil {
		logBytes = *lb
	}
	// The billed streamed bytes (beyond 6 MB per response) do not depend
	// on the cold-start share: their average per invocation.
	var streamed float64
	if n := res.Summary.Usage.Requests; n > 0 {
		streamed = float64(res.Summary.Usage.StreamedBytes) / float64(n)
	}
	perMillion, perMs, err := mixCost(prices, region, res.Function, m, rate, logBytes, streamed)
	if err != nil && (logBytes > 0 || streamed > 0) {
		// No CloudWatch Logs or response streaming prices for the region:
		// left out as the run's summary leaves them (its assumptions say
		// which are not priced).
		noLogs, noStream := false, false
		for _, a := range res.Summary.Assumptions {
			noLogs = noLogs || (a.Field == "logs" && a.Value == "not priced")
			noStream = noStream || (a.Field == "streaming" && a.Value == "not priced")
		}
		if noLogs {
			logBytes = 0
		}
		if noStream {
			streamed = 0
		}
		perMillion, perMs, err = mixCost(prices, region, res.Function, m, rate, logBytes, streamed)
	}
	if err != nil {
		return
	}
	p.CostPerMillionUSD, p.CostPerInvocationUSD = perMillion, perMillion/1e6
	if modelled {
		if measured, _, err := mixCost(prices, region, res.Function, splitMix(res, false), rate, logBytes, streamed); err == nil {
			p.MeasuredCostPerMillionUSD = &measured
		}
	}
	p.DurationCI = MeanCI(m.warmDur, CILevel)
	if ci := MeanCI(m.warmBilled, CILevel); ci != nil && len(m.warmBilled) > 0 {
		w := (1 - rate) * perMs * 1e6 // $ per million per ms of the warm mean
		p.CostCI = &Interval{Mean: perMillion, Lo: perMillion - w*(ci.Mean-ci.Lo), Hi: perMillion + w*(ci.Hi-ci.Mean), N: ci.N}
	}
}
