package collector

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// initBillingChange is when AWS started to bill the INIT phase of
// on-demand functions on managed runtimes (2025-08-01 00:00 UTC): before
// it, a REPORT's Billed Duration excluded Init Duration.
var initBillingChange = time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC).UnixMilli()

// maxSeriesPoints caps a function's per-period series: 31 days of
// minutes. Records spread over a longer span are put in coarser buckets
// (the dataset's assumptions say so), so that a handful of events months
// apart cannot blow up the dataset.
const maxSeriesPoints = 31 * 24 * 60

// seriesPeriodsMin are the bucket sizes (minutes) a long span may use.
var seriesPeriodsMin = []int64{1, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080}

// funcAcc accumulates one function's records from its logs.
type funcAcc struct {
	name        string
	fromGroup   bool // named by a log group (not by --function or a file name)
	invocations int64
	errors      int64
	timeouts    int64 // REPORTs with Status: timeout
	cold        int64 // on-demand INITs (Init Duration)
	restores    int64 // SnapStart restores (Restore Duration)
	managed     int64 // Lambda Managed Instances REPORTs
	billedMs    int64
	mbMs        int64 // Σ billed ms × memory MB, exact
	memMB       int64 // memory of the last REPORT
	maxMemUsed  int64
	dur         Distribution
	init        Distribution // INIT or restore durations of cold starts
	minT, maxT  int64

	byMem map[int64]*pricing.MemoryUsage

	initUnbilledMs   int64 // INIT of cold starts whose Billed Duration excluded it
	initUnbilledN    int64
	initUnbilledLate int64 // of them, REPORTs dated on or after 2025-08-01
	// of them, REPORTs without a time (serverless logs, console copies)
	initUnbilledUndated int64
	initFailures        int64 // INIT_REPORT with Phase: init and a failed status
	initFailBilledMs    int64 // their INIT, billed (on or after 2025-08-01)
	initFailUndated     int64 // of them, lines without a time (taken as billed)
	initRetries         int64 // INIT_REPORT with Phase: invoke (in the next Duration)
	restoreLines        int64 // RESTORE_REPORT lines / platform.restoreReport records
	restoreAdded        int64 // REPORTs whose Billed Duration left out the Billed Restore Duration
	noStatus            int64 // invocations read from Logs Insights fields: status unknown
	rebuilt             int64 // REPORTs rebuilt by the Datadog extension: status unknown
	// Successful INITs reported on their own: text INIT_REPORT lines (only
	// with provisioned concurrency or SnapStart), and JSON initReports of
	// those two initialization types.
	initOKText, initProvisioned, initSnapStart int64
	noMaxMem                                   int64 // of them, without @maxMemoryUsed
	restoreFailures                            int64

	// Timeouts by request id: REPORTs with Status: timeout and the
	// "Task timed out" lines (old-format REPORTs have no Status); the union
	// counts once each.
	timeoutIDs     map[string]struct{}
	lineTimeoutIDs map[string]int64 // → start minute of the invocation (Unix minutes; 0 = unknown)
	anonTimeouts   int64            // timeout lines without a request id
	// Crashes by request id: REPORTs with Status: error, and the
	// "RequestId: ID Error: Runtime exited" lines (old REPORTs have no
	// Status); the union counts once each.
	errorIDs     map[string]struct{}
	crashLineIDs map[string]int64 // → minute of the line (Unix minutes; 0 = unknown)
	maxTimeoutUs int64            // the largest "Task timed out after N seconds"
	// maxTimeoutReportUs is the longest Duration of a REPORT with Status:
	// timeout: Lambda writes the timeout itself there ("Duration: 900000.00
	// ms … Status: timeout" for a 15-minute timeout).
	maxTimeoutReportUs int64

	// per-minute series, sparse: only minutes with records are held.
	minutes  map[int64]*minuteAcc
	lastMin  int64
	lastAcc  *minuteAcc
	minMin   int64
	maxMin   int64
	hasMin   bool
	concEvts int
	concLost bool

	// seen holds a 64-bit hash of every REPORT record with a request id
	// (the id, its time and its numbers; see recordHash), so that a record
	// read twice — the same log given twice, exports whose time ranges
	// overlap — is found (Duplicates) instead of billed twice. An
	// asynchronous invocation's retries share the request id but not the
	// time and durations. 8 bytes per invocation, up to maxSeen.
	seen     []uint64
	seenLost bool
}

// maxSeen caps the REPORT hashes a function keeps for finding records
// read twice (200 MB); beyond it the check covers the first maxSeen.
const maxSeen = 25_000_000

// recordHash is FNV-1a over a REPORT's request id, time and numbers.
func recordHash(r *report) uint64 {
	const prime = 1099511628211
	h := uint64(14695981039346656037)
	for _, c := range r.RequestID {
		h = (h ^ uint64(c)) * prime
	}
	for _, v := range [...]int64{r.TimeMs, r.DurationUs, r.BilledMs, r.MemorySizeMB, r.MaxMemoryMB, r.InitDurationUs, r.RestoreUs} {
		for k := 0; k < 64; k += 8 {
			h = (h ^ uint64(v>>k)&0xff) * prime
		}
	}
	return h
}

// duplicates returns how many of a's REPORT records were read more than
// once (sorting the hashes; called once, at the end).
func (a *funcAcc) duplicates() int64 {
	slices.Sort(a.seen)
	var n int64
	for i := 1; i < len(a.seen); i++ {
		if a.seen[i] == a.seen[i-1] {
			n++
		}
	}
	return n
}

type minuteAcc struct {
	inv, durSum, errs int64
	// conc holds the start/end events of invocations (see addInterval) for
	// the exact peak concurrency.
	conc []int32
}

func newFuncAcc(name string) *funcAcc { return &funcAcc{name: name} }

// record folds one parsed record in.
func (a *funcAcc) record(r *report) {
	switch r.Kind {
	case kindReport:
		a.add(r)
	case kindInitReport:
		if string(r.Phase) == "invoke" {
			a.initRetries++
			return
		}
		if r.Status == statusSuccess {
			// A successful INIT: an on-demand one's REPORT carries Init
			// Duration. Lambda writes a text INIT_REPORT for it only with
			// provisioned concurrency or SnapStart; JSON says which.
			switch r.InitType {
			case "provisioned-concurrency":
				a.initProvisioned++
			case "snap-start":
				a.initSnapStart++
			case "":
				a.initOKText++
			}
			return
		}
		a.initFailures++
		ms := ceilMs(r.InitDurationUs)
		if r.TimeMs != 0 && r.TimeMs < initBillingChange {
			a.initUnbilledMs += ms
			a.initUnbilledN++
		} else {
			a.initFailBilledMs += ms
			if r.TimeMs == 0 {
				a.initFailUndated++
			}
		}
	case kindRestore:
		a.restoreLines++
		if r.Status != statusSuccess {
			a.restoreFailures++
		}
	case kindCrash:
		if a.crashLineIDs == nil {
			a.crashLineIDs = map[string]int64{}
		}
		var m int64
		if r.TimeMs != 0 {
			m = floorDiv(r.TimeMs, 60_000)
		}
		a.crashLineIDs[string(r.RequestID)] = m
	case kindTimeout:
		if r.TimeoutUs > a.maxTimeoutUs {
			a.maxTimeoutUs = r.TimeoutUs
		}
		if r.RequestID == nil {
			a.anonTimeouts++
			return
		}
		if a.lineTimeoutIDs == nil {
			a.lineTimeoutIDs = map[string]int64{}
		}
		var startMin int64
		if r.TimeMs != 0 {
			startMin = floorDiv(r.TimeMs-r.TimeoutUs/1000, 60_000)
		}
		a.lineTimeoutIDs[string(r.RequestID)] = startMin
	}
}

func ceilMs(us int64) int64 { return (us + 999) / 1000 }

func (a *funcAcc) add(r *report) {
	a.invocations++
	if r.RequestID != nil {
		if len(a.seen) < maxSeen {
			a.seen = append(a.seen, recordHash(r))
		} else {
			a.seenLost = true
		}
	}
	if r.NoStatus {
		a.noStatus++
	}
	if r.Rebuilt {
		a.rebuilt++
	}
	if r.NoMaxMem {
		a.noMaxMem++
	}
	switch r.Status {
	case statusTimeout:
		a.timeouts++
		a.errors++
		if !r.Managed && r.DurationUs > a.maxTimeoutReportUs {
			a.maxTimeoutReportUs = r.DurationUs
		}
		if r.RequestID != nil {
			if a.timeoutIDs == nil {
				a.timeoutIDs = map[string]struct{}{}
			}
			a.timeoutIDs[string(r.RequestID)] = struct{}{}
		}
	case statusError:
		a.errors++
		if r.RequestID != nil {
			if a.errorIDs == nil {
				a.errorIDs = map[string]struct{}{}
			}
			a.errorIDs[string(r.RequestID)] = struct{}{}
		}
	}
	a.dur.Add(r.DurationUs)
	if r.MaxMemoryMB > a.maxMemUsed {
		a.maxMemUsed = r.MaxMemoryMB
	}
	if r.Managed {
		a.managed++
	} else {
		// A SnapStart REPORT's Billed Duration already holds its Billed
		// Restore Duration: every public capture (2023–2025, text and
		// Logs Insights) has Billed Duration = ⌈Duration⌉ + Billed Restore
		// Duration. A line where it does not (1 ms allowed for rounding)
		// has the restore added, and the dataset says so.
		billed := r.BilledMs
		if r.BilledRestoreMs > 0 && r.BilledMs+1 < ceilMs(r.DurationUs)+r.BilledRestoreMs {
			billed += r.BilledRestoreMs
			a.restoreAdded++
		}
		a.billedMs += billed
		a.mbMs += billed * r.MemorySizeMB
		a.memMB = r.MemorySizeMB
		if a.byMem == nil {
			a.byMem = map[int64]*pricing.MemoryUsage{}
		}
		m := a.byMem[r.MemorySizeMB]
		if m == nil {
			m = &pricing.MemoryUsage{MemoryMB: int(r.MemorySizeMB)}
			a.byMem[r.MemorySizeMB] = m
		}
		m.Invocations++
		m.BilledDurationMs += billed
		if r.Cold || r.Restored {
			m.ColdStarts++
		}
		m.InitBilledMs += r.BilledRestoreMs
		if r.Cold {
			// Billed Duration includes INIT (since 2025-08-01, and always for
			// custom runtimes) when it covers Init + Duration; otherwise INIT
			// was not billed (the 1 ms allows for rounding each part up).
			if r.BilledMs+1 >= ceilMs(r.DurationUs+r.InitDurationUs) {
				m.InitBilledMs += max(0, min(r.BilledMs-ceilMs(r.DurationUs), ceilMs(r.InitDurationUs)))
			} else {
				a.initUnbilledMs += ceilMs(r.InitDurationUs)
				a.initUnbilledN++
				switch {
				case r.TimeMs >= initBillingChange:
					a.initUnbilledLate++
				case r.TimeMs == 0:
					a.initUnbilledUndated++
				}
			}
		}
	}
	if r.Cold {
		a.cold++
		a.init.Add(r.InitDurationUs)
	}
	if r.Restored {
		a.restores++
		a.init.Add(r.RestoreUs)
	}
	if r.TimeMs != 0 {
		// The record is written at the end; CloudWatch files an invocation
		// under its start.
		startMs := r.TimeMs - (r.DurationUs+r.InitDurationUs+r.RestoreUs+999)/1000
		if a.minT == 0 || startMs < a.minT {
			a.minT = startMs
		}
		if r.TimeMs > a.maxT {
			a.maxT = r.TimeMs
		}
		m := a.minute(floorDiv(startMs, 60_000))
		m.inv++
		m.durSum += r.DurationUs
		if r.Status != statusSuccess {
			m.errs++
		}
		a.addInterval(startMs, r.TimeMs)
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// minute returns the accumulator of a minute (Unix minutes), creating it.
func (a *funcAcc) minute(k int64) *minuteAcc {
	if a.lastAcc != nil && a.lastMin == k {
		return a.lastAcc
	}
	if a.minutes == nil {
		a.minutes = map[int64]*minuteAcc{}
	}
	m := a.minutes[k]
	if m == nil {
		m = &minuteAcc{}
		a.minutes[k] = m
		if !a.hasMin || k < a.minMin {
			a.minMin = k
		}
		if !a.hasMin || k > a.maxMin {
			a.maxMin = k
		}
		a.hasMin = true
	}
	a.lastMin, a.lastAcc = k, m
	return m
}

// maxConcEvents bounds the memory spent on exact concurrency (4 bytes per
// event); beyond it concurrency falls back to the per-minute mean.
const maxConcEvents = 50_000_000

// addInterval records that an invocation was running over [startMs, endMs):
// a start event in its minute and an end event in the minute it ends in.
// Events are encoded as offset·2 + 1 (start) or offset·2 (end) within the
// minute, so that sorting puts an end before a start at the same
// millisecond (back-to-back invocations do not overlap). An end exactly on
// a minute boundary belongs to the previous minute (offset 60,000).
func (a *funcAcc) addInterval(startMs, endMs int64) {
	if a.concEvts >= maxConcEvents {
		a.concLost = true
		return
	}
	if endMs <= startMs {
		endMs = startMs + 1
	}
	sm := floorDiv(startMs, 60_000)
	em := floorDiv(endMs-1, 60_000)
	ms := a.minute(sm)
	ms.conc = append(ms.conc, int32(startMs-sm*60_000)*2+1)
	me := a.minute(em)
	me.conc = append(me.conc, int32(endMs-em*60_000)*2)
	a.concEvts += 2
}

// summaryTimeouts is the number of timed-out invocations: REPORTs with
// Status: timeout, plus "Task timed out" lines of other request ids (old
// REPORT lines have no Status); lines without a request id count only when
// no REPORT says timeout.
func (a *funcAcc) summaryTimeouts() (total, fromLines int64) {
	for id := range a.lineTimeoutIDs {
		if _, ok := a.timeoutIDs[id]; !ok {
			fromLines++
		}
	}
	if a.timeouts == 0 && len(a.lineTimeoutIDs) == 0 {
		fromLines += a.anonTimeouts
	}
	return a.timeouts + fromLines, fromLines
}

// crashesFromLines are the crash lines ("RequestId: ID Error: Runtime
// exited …") of request ids no REPORT and no timeout line already counted
// as an error; each is one more error.
func (a *funcAcc) crashesFromLines() (n int64, minutes []int64) {
	for id, m := range a.crashLineIDs {
		_, e := a.errorIDs[id]
		_, t := a.timeoutIDs[id]
		_, tl := a.lineTimeoutIDs[id]
		if !e && !t && !tl {
			n++
			minutes = append(minutes, m)
		}
	}
	return n, minutes
}

// hasRecords: anything was read for the function.
// errorsNote says that the errors counted from the logs are a lower bound
// (import only: collect takes errors from the Errors metric).
func (a *funcAcc) errorsNote(errors int64) (pricing.Assumption, bool) {
	if a.invocations == 0 || a.noStatus > 0 || a.rebuilt > 0 {
		return pricing.Assumption{}, false // none, or already unknown
	}
	// Lambda writes an error Status on a REPORT only when the runtime
	// failed; an error the handler throws or returns leaves none (a
	// Node.js "Invoke Error" line, then a REPORT without Status).
	return pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.errors", a.name), Value: fmt.Sprintf("%d (timeouts and runtime failures only)", errors),
		Why: "a REPORT carries Status: error or timeout only when the runtime failed (a timeout, a crash, out of memory); an error the handler throws or returns (Node.js's \"Invoke Error\", Python's \"[ERROR] … Traceback\") leaves its REPORT without a Status and is not counted: the CloudWatch Errors metric (collect, get-metric-data) counts those too"}, true
}

// configNote says what the records tell of provisioned concurrency or
// SnapStart, which the import's bill leaves out (import only: collect
// reads both from the configuration).
func (a *funcAcc) configNote() (pricing.Assumption, bool) {
	var what, why string
	switch {
	case a.initProvisioned > 0 && a.initSnapStart > 0:
		what = "provisioned concurrency and SnapStart"
		why = fmt.Sprintf("%d platform.initReport record(s) of initializationType provisioned-concurrency and %d of snap-start", a.initProvisioned, a.initSnapStart)
	case a.initProvisioned > 0:
		what = "provisioned concurrency"
		why = fmt.Sprintf("%d platform.initReport record(s) of initializationType provisioned-concurrency", a.initProvisioned)
	case a.initSnapStart > 0:
		what = "SnapStart"
		why = fmt.Sprintf("%d platform.initReport record(s) of initializationType snap-start", a.initSnapStart)
	case a.initOKText > 0:
		what = "provisioned concurrency or SnapStart"
		why = fmt.Sprintf("%d INIT_REPORT line(s) of successful INITs, which Lambda writes only for provisioned concurrency or SnapStart", a.initOKText)
	default:
		return pricing.Assumption{}, false
	}
	return pricing.Assumption{Field: fmt.Sprintf("functions[%s].provisioned_concurrency", a.name), Value: "in use, not priced (" + what + ")",
		Why: why + ": its charges (provisioned concurrency by the hour, SnapStart's cache and restores) are in no log and not in this bill; collect reads the configuration, estimate prices them (--provisioned-concurrency, --snapstart-hours)"}, true
}

// timeoutUs is the timeout the records tell (µs; 0 when none does): the
// longest "Task timed out after N seconds" line or timed-out REPORT's
// Duration.
func (a *funcAcc) timeoutUs() int64 { return max(a.maxTimeoutUs, a.maxTimeoutReportUs) }

func (a *funcAcc) hasRecords() bool {
	return a.invocations > 0 || a.initFailures > 0 || a.restoreLines > 0 || a.anonTimeouts > 0 || len(a.lineTimeoutIDs) > 0 || a.initRetries > 0 || len(a.crashLineIDs) > 0
}

// dataset builds the function's dataset entry and the assumptions and
// notes its numbers rest on.
func (a *funcAcc) dataset() (pricing.DatasetFunction, pricing.Assumptions) {
	var as pricing.Assumptions
	q := a.dur.Quantiles(0.5, 0.9, 0.99)
	timeouts, fromLines := a.summaryTimeouts()
	crashes, _ := a.crashesFromLines()
	restores := max(a.restores, a.restoreLines)
	billed := a.billedMs + a.initFailBilledMs
	mbMs := a.mbMs + a.initFailBilledMs*a.memMB
	f := pricing.DatasetFunction{
		FunctionConfig: pricing.FunctionConfig{Name: a.name, MemoryMB: int(a.memMB), Architecture: pricing.X86_64},
		Summary: pricing.FunctionSummary{
			Invocations: a.invocations,
			Errors:      a.errors + fromLines + crashes,
			Timeouts:    timeouts,
			ColdStarts:  a.cold + restores,
			Restores:    restores,
			DurationMs: pricing.DurationSet{
				Avg: a.dur.Mean() / 1000, P50: q[0] / 1000, P90: q[1] / 1000, P99: q[2] / 1000,
				Max: float64(a.dur.Max()) / 1000,
			},
			InitDurationMs:   pricing.InitSet{Avg: a.init.Mean() / 1000, P99: a.init.Quantile(0.99) / 1000},
			MaxMemoryUsedMB:  int(a.maxMemUsed),
			BilledDurationMs: billed,
			BilledGBSeconds:  float64(mbMs) / (1024 * 1000),
			InitUnbilledMs:   a.initUnbilledMs,
		},
	}
	if tUs := a.timeoutUs(); tUs > 0 {
		// Lambda's timeout is a whole number of seconds; the line tells
		// when the invocation was stopped, a little after it ("Task timed
		// out after 6.01 seconds" for a 6 s timeout), a timed-out REPORT's
		// Duration is the timeout.
		f.Timeout = pricing.Duration(time.Duration(max(1, (tUs+500_000)/1_000_000)) * time.Second)
	}
	if len(a.byMem) > 0 {
		keys := slices.Sorted(maps.Keys(a.byMem))
		for _, k := range keys {
			f.Summary.ByMemory = append(f.Summary.ByMemory, *a.byMem[k])
		}
		if a.initFailBilledMs > 0 {
			// Failed INITs carry no memory size: billed at the last REPORT's.
			i := slices.Index(keys, a.memMB)
			f.Summary.ByMemory[i].BilledDurationMs += a.initFailBilledMs
			f.Summary.ByMemory[i].InitBilledMs += a.initFailBilledMs
		}
		if len(keys) > 1 {
			as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].memory_mb", a.name), Value: fmt.Sprintf("%d MB (last)", a.memMB),
				Why: fmt.Sprintf("memory changed during the window (%s); summary.by_memory holds each size's usage", memList(keys))})
		}
	}
	if a.initUnbilledN > 0 {
		why := fmt.Sprintf("%d INIT phase(s) were not in Billed Duration (logs before 2025-08-01, when AWS did not bill INIT on managed runtimes); at today's rules they are billed", a.initUnbilledN)
		switch {
		case a.initUnbilledLate > 0:
			why = fmt.Sprintf("%d INIT phase(s) were not in their REPORT's Billed Duration, %d of them dated on or after 2025-08-01 (when AWS started billing INIT on managed runtimes, but some REPORT lines still show only the invocation's duration); at today's rules they are billed", a.initUnbilledN, a.initUnbilledLate)
		case a.initUnbilledUndated > 0:
			// No date: not known to be from before the change.
			why = fmt.Sprintf("%d INIT phase(s) were not in their REPORT's Billed Duration, %d of them in lines without a date (AWS did not bill INIT on managed runtimes before 2025-08-01, and some later REPORT lines still show only the invocation's duration); at today's rules they are billed", a.initUnbilledN, a.initUnbilledUndated)
		}
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.init_unbilled_ms", a.name), Value: fmt.Sprintf("%d ms", a.initUnbilledMs), Why: why})
	}
	if a.noStatus > 0 {
		// Logs Insights REPORT fields carry no Status: errors and timeouts
		// of those invocations are unknown, never zero. When no record
		// carried a status, the source cannot measure them at all (not
		// measured, as logs' throttles: the function is not incomplete);
		// when some did, the count is partial (missing: incomplete).
		status := []string{"summary.errors", "summary.timeouts", "series.errors"}
		value := "unknown"
		if a.noStatus == a.invocations {
			for _, p := range status {
				f.MarkNotMeasured(p)
			}
			value = "not measured"
		} else {
			f.Missing = append(f.Missing, status...)
		}
		f.Summary.Errors, f.Summary.Timeouts = 0, 0
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.errors", a.name), Value: value,
			Why: fmt.Sprintf("%d of %d invocation(s) were read from Logs Insights' REPORT fields (@duration, @billedDuration…), which do not carry the Status of a timeout or an error: query @message too", a.noStatus, a.invocations)})
	}
	if a.rebuilt > 0 {
		// The Datadog extension's REPORT lines drop Status (it writes
		// timeouts and errors on its END line instead) and SnapStart's
		// Restore Duration: errors and timeouts are unknown, never zero.
		if a.noStatus == 0 {
			f.Missing = append(f.Missing, "summary.errors", "summary.timeouts", "series.errors")
			f.Summary.Errors, f.Summary.Timeouts = 0, 0
		}
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.errors", a.name), Value: "unknown",
			Why: fmt.Sprintf("%d REPORT line(s) were rebuilt by the Datadog Lambda extension (Runtime Duration, Post Runtime Duration), which drops Lambda's Status of a timeout or an error and SnapStart's Restore Duration: errors, timeouts and SnapStart restores of those invocations are not known; import the function's CloudWatch log group", a.rebuilt)})
	}
	if a.noMaxMem > 0 {
		value := fmt.Sprintf("unknown for %d invocation(s)", a.noMaxMem)
		if a.noMaxMem == a.invocations {
			// A query without @maxMemoryUsed did not measure it (as an
			// export without the metric), not failed to collect it.
			f.MarkNotMeasured("summary.max_memory_used_mb")
			value = "not measured"
		}
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.max_memory_used_mb", a.name), Value: value,
			Why: "the Logs Insights results have no @maxMemoryUsed: query it too"})
	}
	if a.restoreAdded > 0 {
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.billed_duration_ms", a.name), Value: fmt.Sprintf("%d SnapStart REPORT(s) + Billed Restore Duration", a.restoreAdded),
			Why: "their Billed Duration is less than ⌈Duration⌉ + Billed Restore Duration, which AWS's REPORT lines include: the Billed Restore Duration was added"})
	}
	if a.initFailures > 0 {
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].init_failures", a.name), Value: fmt.Sprint(a.initFailures),
			Why: fmt.Sprintf("INIT_REPORT lines of failed INITs; %d ms of them billed (since 2025-08-01) at the last REPORT's memory size%s", a.initFailBilledMs, undatedNote(a.initFailUndated))})
	}
	if a.managed > 0 {
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].compute", a.name), Value: "Lambda Managed Instances",
			Why: fmt.Sprintf("%d REPORT(s) without Billed Duration or Memory Size: duration is not billed per ms; the instances' cost is not in the logs", a.managed)})
	}
	switch {
	case a.maxTimeoutUs > 0 && a.maxTimeoutUs >= a.maxTimeoutReportUs:
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].timeout", a.name), Value: f.Timeout.String(),
			Why: fmt.Sprintf("from the logs' \"Task timed out after N seconds\" lines (the longest, %.2f s, to the whole second)", float64(a.maxTimeoutUs)/1e6)})
	case a.maxTimeoutReportUs > 0:
		as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].timeout", a.name), Value: f.Timeout.String(),
			Why: fmt.Sprintf("from the Duration of the REPORTs with Status: timeout, which is the timeout (the longest, %.2f ms, to the whole second)", float64(a.maxTimeoutReportUs)/1e3)})
	}
	if a.hasMin {
		s, note := a.series()
		f.Series = s
		for _, c := range s.ConcurrencyMax {
			f.Summary.ConcurrencyMax = max(f.Summary.ConcurrencyMax, c)
		}
		if note != "" {
			as.Add(pricing.Assumption{Field: fmt.Sprintf("functions[%s].series.period_s", a.name), Value: fmt.Sprintf("%d s", s.PeriodS), Why: note})
		}
	}
	return f, as
}

// undatedNote says how many failed INITs had no time to tell their
// billing era by.
func undatedNote(n int64) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (%d of them undated: the line carries no time, taken as on or after 2025-08-01)", n)
}

func memList(keys []int64) string {
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%d MB", k)
	}
	return s
}

// series builds the per-period series: per minute when the records span
// at most maxSeriesPoints minutes, else in the smallest bucket of
// seriesPeriodsMin that fits (note says so). Concurrency is the exact peak
// within each bucket (a sweep over the start/end events; an invocation
// spanning empty minutes keeps counting).
func (a *funcAcc) series() (*pricing.Series, string) {
	span := a.maxMin - a.minMin + 1
	k := int64(1)
	note := ""
	if span > maxSeriesPoints {
		need := (span + maxSeriesPoints - 1) / maxSeriesPoints
		k = need
		for _, p := range seriesPeriodsMin {
			if p >= need {
				k = p
				break
			}
		}
		note = fmt.Sprintf("the records span %.1f days: per-minute points would be %d, more than the cap of %d, so the series is in %d-minute buckets (sums per bucket; concurrency is each bucket's peak)",
			float64(span)/1440, span, maxSeriesPoints, k)
	}
	base := floorDiv(a.minMin, k) * k
	n := int((a.maxMin-base)/k + 1)
	s := &pricing.Series{PeriodS: int(k * 60), Start: time.UnixMilli(base * 60_000).UTC()}
	s.Invocations = make([]float64, n)
	s.DurationAvgMs = make([]float64, n)
	s.Errors = make([]float64, n)
	s.ConcurrencyMax = make([]float64, n)
	durSum := make([]int64, n)
	// Timeouts told only by their "Task timed out" line are errors of the
	// minute their invocation started in.
	for id, m := range a.lineTimeoutIDs {
		if _, ok := a.timeoutIDs[id]; !ok && m != 0 {
			if b := (m - base) / k; b >= 0 && b < int64(n) {
				s.Errors[b]++
			}
		}
	}
	// So are crashes told only by their line, in the line's minute (the
	// invocation's end; its start is not in the line).
	_, crashMins := a.crashesFromLines()
	for _, m := range crashMins {
		if b := (m - base) / k; m != 0 && b >= 0 && b < int64(n) {
			s.Errors[b]++
		}
	}
	keys := slices.Sorted(maps.Keys(a.minutes))
	running := 0
	lastBucket := -1
	for _, key := range keys {
		m := a.minutes[key]
		b := int((key - base) / k)
		if b != lastBucket {
			// Invocations still running from earlier buckets are running in
			// every bucket up to this one.
			for j := lastBucket + 1; j <= b && j < n; j++ {
				if j >= 0 {
					s.ConcurrencyMax[j] = float64(running)
				}
			}
			lastBucket = b
		}
		s.Invocations[b] += float64(m.inv)
		durSum[b] += m.durSum
		s.Errors[b] += float64(m.errs)
		if a.concLost {
			// Too many invocations to keep every interval: the mean number
			// running over the bucket, a lower bound of its peak.
			continue
		}
		slices.Sort(m.conc)
		peak := running
		for _, e := range m.conc {
			if e&1 == 1 {
				running++
				peak = max(peak, running)
			} else {
				running--
			}
		}
		s.ConcurrencyMax[b] = max(s.ConcurrencyMax[b], float64(peak))
	}
	for j := lastBucket + 1; j < n; j++ {
		s.ConcurrencyMax[j] = float64(running)
	}
	for b := range n {
		if s.Invocations[b] > 0 {
			s.DurationAvgMs[b] = float64(durSum[b]) / s.Invocations[b] / 1000
		}
		if a.concLost {
			s.ConcurrencyMax[b] = float64(durSum[b]) / (float64(k) * 60e6)
		}
	}
	return s, note
}
