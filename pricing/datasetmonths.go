package pricing

import "math"

// WindowMonths splits d's window into 730-hour months from its start and
// returns the seconds of the window each covers (the last may be a part);
// nil when the window is a month or less, or d has none.
func (d *Dataset) WindowMonths() []float64 {
	span := d.Span().Seconds()
	if d.Start.IsZero() || d.End.IsZero() || span <= SecondsPerMonth {
		return nil
	}
	var out []float64
	for left := span; left > 0; left -= SecondsPerMonth {
		out = append(out, math.Min(left, SecondsPerMonth))
	}
	return out
}

// MonthFactors turns f's usage projected to a month from the whole window
// (MonthlyUsage, DatasetBill.Monthly: the window's × MonthlyFactor) into
// each month's of WindowMonths, projected to a whole month as a shorter
// window is: counts (requests, cold starts, bytes) × req[m], milliseconds
// × ms[m] (BilledUsage.ScaleMonth). The split comes from f's series:
// invocations for the counts, invocations × the period's mean duration for
// the milliseconds (a period across a month boundary split by its
// overlap); a function without invocations has factors of 1. ok is false
// when d's window is a month or less, or f has invocations but no series
// to split them (a dataset of totals only: its months are not known).
func (d *Dataset) MonthFactors(f *DatasetFunction) (seconds, req, ms []float64, ok bool) {
	seconds = d.WindowMonths()
	if seconds == nil {
		return nil, nil, nil, false
	}
	n := len(seconds)
	req, ms = make([]float64, n), make([]float64, n)
	if f.Summary.Invocations == 0 {
		for m := range req {
			req[m], ms[m] = 1, 1
		}
		return seconds, req, ms, true
	}
	s := f.Series
	if s == nil || s.PeriodS <= 0 || len(s.Invocations) == 0 {
		return nil, nil, nil, false
	}
	hasDur := len(s.DurationAvgMs) == len(s.Invocations)
	inv, dur := make([]float64, n), make([]float64, n)
	period := float64(s.PeriodS)
	at := s.Start.Sub(d.Start).Seconds()
	for i, x := range s.Invocations {
		from := at + float64(i)*period
		w := x
		if hasDur {
			w = x * s.DurationAvgMs[i]
		}
		for m := max(0, int(math.Floor(from/SecondsPerMonth))); m < n; m++ {
			lo, hi := float64(m)*SecondsPerMonth, float64(m)*SecondsPerMonth+seconds[m]
			o := math.Min(hi, from+period) - math.Max(lo, from)
			if o <= 0 {
				if lo >= from+period {
					break
				}
				continue
			}
			inv[m] += x * o / period
			dur[m] += w * o / period
		}
	}
	var ti, td float64
	for m := range inv {
		ti, td = ti+inv[m], td+dur[m]
	}
	if ti <= 0 {
		return nil, nil, nil, false // the series has none of the window's invocations
	}
	if td <= 0 {
		dur, td = inv, ti
	}
	total := d.Span().Seconds()
	for m := range seconds {
		k := total / seconds[m]
		req[m], ms[m] = inv[m]/ti*k, dur[m]/td*k
	}
	return seconds, req, ms, true
}

// ScaleMonth is Scale with one factor for the counts and the bytes (req)
// and one for the milliseconds (ms): a month's share of a window's usage
// (Dataset.MonthFactors). Provisioned environment seconds, the
// configuration's rather than the traffic's, are the same every month.
func (b BilledUsage) ScaleMonth(req, ms float64) BilledUsage {
	out := b.Scale(req)
	r := func(v int64) int64 { return int64(math.Round(float64(v) * ms)) }
	out.OnDemandMs, out.InitMs, out.ProvisionedMs = r(b.OnDemandMs), r(b.InitMs), r(b.ProvisionedMs)
	out.ProvisionedEnvSeconds = b.ProvisionedEnvSeconds
	return out
}

// MonthUsages are f's monthly usage u (projected from the whole window)
// month by month (MonthFactors), each projected to a whole month, with
// the seconds of the window each covers: what a comparison bills month by
// month. nil when the window is a month or less or f's series cannot
// split it.
func (d *Dataset) MonthUsages(f *DatasetFunction, u BilledUsage) []MonthUsage {
	seconds, req, ms, ok := d.MonthFactors(f)
	if !ok {
		return nil
	}
	out := make([]MonthUsage, len(seconds))
	at := 0.0
	for m := range seconds {
		out[m] = MonthUsage{StartS: at, Seconds: seconds[m], Usage: u.ScaleMonth(req[m], ms[m])}
		at += seconds[m]
	}
	return out
}
