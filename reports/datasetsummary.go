package reports

import (
	"fmt"
	"slices"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// DatasetSummaryGrid is the summary table of a dataset as collect and
// import print it: one row per function (a configuration value the
// producer did not know marked "(assumed)", a value not collected shown as
// "missing", never as 0; a duration statistic of 0 as "–"), totals in the
// footer.
func DatasetSummaryGrid(d *pricing.Dataset) Grid {
	title := fmt.Sprintf("Dataset (%s, %s)", d.Source, d.Region)
	if !d.Start.IsZero() {
		title = fmt.Sprintf("Dataset (%s, %s, %s – %s)", d.Source, d.Region, d.Start.Format(time.RFC3339), d.End.Format(time.RFC3339))
	}
	g := Grid{
		Title:      title,
		Header:     []string{"Function", "Memory MB", "Arch", "Invocations", "Errors", "Throttles", "Cold starts", "p50 ms", "p99 ms", "Max ms", "Max mem MB", "GB-s"},
		AlignRight: map[int]bool{1: true, 3: true, 4: true, 5: true, 6: true, 7: true, 8: true, 9: true, 10: true, 11: true},
	}
	var inv, errs, thr, cold int64
	var gbs float64
	ms := func(v float64) string { // 0 = not known (e.g. a statistic not queried)
		if v == 0 {
			return "–"
		}
		return Numf(v, 2)
	}
	incomplete := 0
	labels := d.Labels()
	for i, fn := range d.Functions {
		s := fn.Summary
		mem := "–"
		if s.MaxMemoryUsedMB > 0 {
			mem = fmt.Sprint(s.MaxMemoryUsedMB)
		}
		memMB, arch := fmt.Sprint(fn.MemoryMB), string(fn.Architecture)
		if fn.Unknown("memory_mb") {
			memMB += " (assumed)" // not in the records: see the dataset's assumptions
		}
		if fn.Unknown("architecture") {
			arch += " (assumed)"
		}
		row := []string{labels[i], memMB, arch,
			Numf(float64(s.Invocations), 0), Numf(float64(s.Errors), 0), Numf(float64(s.Throttles), 0),
			Numf(float64(s.ColdStarts), 0), ms(s.DurationMs.P50), ms(s.DurationMs.P99),
			ms(s.DurationMs.Max), mem, Numf(s.BilledGBSeconds, 3)}
		if fn.Incomplete() {
			// A value that was not collected is shown as missing, never as 0.
			incomplete++
			row[0] += " (incomplete)"
			for col, path := range map[int]string{3: "summary.invocations", 4: "summary.errors", 5: "summary.throttles", 6: "summary.cold_starts",
				7: "summary.duration_ms.p50", 8: "summary.duration_ms.p99", 9: "summary.duration_ms.max", 10: "summary.max_memory_used_mb", 11: "summary.billed_gb_seconds"} {
				if slices.Contains(fn.Missing, path) || slices.Contains(fn.Missing, "summary") {
					row[col] = "missing"
				}
			}
		}
		for col, path := range map[int]string{4: "summary.errors", 5: "summary.throttles", 6: "summary.cold_starts", 10: "summary.max_memory_used_mb"} {
			if !fn.Measured(path) {
				row[col] = "n/a" // the source does not measure it (not_measured)
			}
		}
		g.Rows = append(g.Rows, row)
		inv += s.Invocations
		errs += s.Errors
		thr += s.Throttles
		cold += s.ColdStarts
		gbs += s.BilledGBSeconds
	}
	g.Footer = []string{"Total", "", "", Numf(float64(inv), 0), Numf(float64(errs), 0), Numf(float64(thr), 0),
		Numf(float64(cold), 0), "", "", "", "", Numf(gbs, 3)}
	for col, path := range map[int]string{4: "summary.errors", 5: "summary.throttles", 6: "summary.cold_starts"} {
		if !allMeasured(d.Functions, path) {
			g.Footer[col] = "n/a"
		}
	}
	if incomplete > 0 {
		g.Footer[0] = fmt.Sprintf("Total of what arrived (%d incomplete)", incomplete)
	}
	return g
}

// allMeasured reports whether every function's source measured the value
// at path: a total over functions some of which do not measure it would
// count them as zero.
func allMeasured(fns []pricing.DatasetFunction, path string) bool {
	for i := range fns {
		if !fns[i].Measured(path) {
			return false
		}
	}
	return true
}
