package collector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/lambdacost/lambdacost/pricing"
)

// reportFilter matches the records parseEvent reads: text REPORT,
// INIT_REPORT and RESTORE_REPORT lines, old-format timeout lines, and the
// JSON platform.report / initReport / restoreReport records (CloudWatch
// Logs filter syntax: ?term ?term is "either").
const reportFilter = `?"REPORT RequestId" ?"platform.report" ?"INIT_REPORT" ?"RESTORE_REPORT" ?"platform.initReport" ?"platform.restoreReport" ?"Task timed out"`

// MaxLogEventsPerFunction bounds how many REPORT records `--logs` reads per
// function; beyond it the logs are a sample and the dataset says so.
var MaxLogEventsPerFunction int64 = 1_000_000

// LogsRatePerSecond caps FilterLogEvents calls per second across the
// workers of `--logs` (CloudWatch Logs throttles this API at a few TPS per
// account; throttled calls are retried by the SDK).
var LogsRatePerSecond = 5.0

// collectLogs reads each function's REPORT records over the window, several
// functions at once, and folds into d what only logs know: cold starts,
// INIT durations, memory used, timeouts, and — when the logs are complete
// (as many REPORT records as CloudWatch counted invocations) — the exact
// billed duration.
func (c *Collector) collectLogs(ctx context.Context, fns []FunctionInfo, w Window, d *pricing.Dataset, st *CollectStats) {
	byName := map[string]int{}
	for i, f := range d.Functions {
		byName[f.Name] = i
	}
	rate := LogsRatePerSecond
	if c.RatePerSecond < 0 {
		rate = -1
	}
	lim := newLimiter(rate)
	workers := max(1, min(c.Concurrency, len(fns)))
	if c.Concurrency <= 0 {
		workers = min(4, len(fns))
	}
	var (
		mu       sync.Mutex
		wg       sync.WaitGroup
		next     atomic.Int64
		problems []string
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1) - 1)
				if k >= len(fns) || ctx.Err() != nil {
					return
				}
				fi := fns[k]
				var expected int64
				if i, ok := byName[fi.Config.Name]; ok {
					expected = d.Functions[i].Summary.Invocations
				}
				r := c.logsOf(ctx, lim, fi, w, expected)
				mu.Lock()
				st.LogsCalls += r.calls
				st.LogReports += r.acc.invocations
				problems = append(problems, r.problems...)
				if i, ok := byName[fi.Config.Name]; ok && r.acc.hasRecords() {
					ps, as := mergeLogs(&d.Functions[i], r)
					problems = append(problems, ps...)
					for _, a := range as {
						d.Assumptions.Add(a)
					}
				}
				c.progress("logs", int64(st.LogsCalls), 0)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	sort.Strings(problems)
	d.Problems = append(d.Problems, problems...)
}

type logsResult struct {
	acc       *funcAcc
	calls     int
	problems  []string
	truncated bool
}

// logSlices is how many equal slices of the window a function's records
// are read in when CloudWatch counted more invocations than the cap.
const logSlices = 24

// logsOf pages through one function's REPORT records. When CloudWatch
// counted more invocations than MaxLogEventsPerFunction (expected), the
// window is read in logSlices equal slices, each up to its share of the
// cap, so that a capped read samples the whole window, not its start.
func (c *Collector) logsOf(ctx context.Context, lim *limiter, fi FunctionInfo, w Window, expected int64) logsResult {
	name := fi.Config.Name
	r := logsResult{acc: newFuncAcc(name)}
	slices, share := 1, MaxLogEventsPerFunction
	if expected > MaxLogEventsPerFunction {
		slices = logSlices
		share = max(1, MaxLogEventsPerFunction/logSlices)
	}
	var rep report
	malformed := 0
	span := w.End.Sub(w.Start)
	capped := 0
	for k := 0; k < slices; k++ {
		start := w.Start.Add(span * time.Duration(k) / time.Duration(slices))
		end := w.Start.Add(span * time.Duration(k+1) / time.Duration(slices))
		base := r.acc.invocations
		var token *string
		for {
			if err := lim.wait(ctx); err != nil {
				r.truncated = true
				return r
			}
			out, err := c.Logs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
				LogGroupName:  aws.String(fi.LogGroup),
				StartTime:     aws.Int64(start.UnixMilli()),
				EndTime:       aws.Int64(end.UnixMilli() - 1), // inclusive: the slices do not overlap
				FilterPattern: aws.String(reportFilter),
				NextToken:     token,
			})
			r.calls++
			if err != nil {
				var nf *logtypes.ResourceNotFoundException
				if errors.As(err, &nf) {
					r.problems = append(r.problems, fmt.Sprintf("logs: log group %s of %s not found", fi.LogGroup, name))
				} else {
					r.problems = append(r.problems, fmt.Sprintf("logs: FilterLogEvents %s: %v (logs incomplete)", fi.LogGroup, describeAPIError(err)))
				}
				r.truncated = true
				return r
			}
			for _, e := range out.Events {
				// The same parser as every import path: CloudWatch's messages
				// end in "\n" (platform lines in "\t\n").
				parseEvent([]byte(aws.ToString(e.Message)), &rep, func(rep *report, perr error) {
					if perr != nil {
						malformed++
						if malformed <= 20 {
							r.problems = append(r.problems, fmt.Sprintf("logs: %s %s event %s: %v", fi.LogGroup, aws.ToString(e.LogStreamName), aws.ToString(e.EventId), perr))
						}
						return
					}
					if rep.TimeMs == 0 {
						rep.TimeMs = aws.ToInt64(e.Timestamp)
					}
					rep.Function = nil
					r.acc.record(rep)
				})
			}
			if out.NextToken == nil || *out.NextToken == "" {
				break
			}
			if r.acc.invocations-base >= share {
				capped++
				break
			}
			token = out.NextToken
		}
	}
	if capped > 0 {
		r.truncated = true
		r.problems = append(r.problems, fmt.Sprintf("logs: %s: --logs-mode events cap of %d REPORT records reached (%d of %d slices of the window capped at %d each): read %d of %d invocations, a sample spread over the window; --logs-mode insights reads them all",
			name, MaxLogEventsPerFunction, capped, slices, share, r.acc.invocations, expected))
	}
	if malformed > 20 {
		r.problems = append(r.problems, fmt.Sprintf("logs: %s: %d malformed REPORT records in all", fi.LogGroup, malformed))
	}
	return r
}

// mergeLogs folds one function's log summary into its metric summary, and
// returns the problems and assumptions of the logs.
func mergeLogs(f *pricing.DatasetFunction, r logsResult) ([]string, pricing.Assumptions) {
	lf, all := r.acc.dataset()
	var as pricing.Assumptions
	for _, a := range all {
		if !strings.HasSuffix(a.Field, ".series.period_s") { // the series comes from metrics
			as.Add(a)
		}
	}
	if r.acc.invocations > 0 {
		for _, p := range logMeasured {
			f.MarkMeasured(p)
		}
	}
	s := &f.Summary
	s.ColdStarts = lf.Summary.ColdStarts
	s.Restores = lf.Summary.Restores
	s.InitDurationMs = lf.Summary.InitDurationMs
	s.Timeouts = lf.Summary.Timeouts
	s.MaxMemoryUsedMB = max(s.MaxMemoryUsedMB, lf.Summary.MaxMemoryUsedMB)
	if !r.truncated && r.acc.invocations == s.Invocations {
		s.BilledDurationMs = lf.Summary.BilledDurationMs
		s.BilledGBSeconds = lf.Summary.BilledGBSeconds
		s.ByMemory = lf.Summary.ByMemory
		s.InitUnbilledMs = lf.Summary.InitUnbilledMs
		return nil, as
	}
	x, scaled := scaledByMemory(f, lf.Summary.ByMemory, r.acc.invocations)
	if scaled {
		as.Add(x)
	}
	return []string{mismatch(f.Name, r.acc.invocations, s.Invocations, scaled)}, as
}

// mismatch says that a function's REPORT records (n) and CloudWatch's
// invocations (m) differ, and how it is billed then.
func mismatch(name string, n, m int64, scaled bool) string {
	how := "billed duration estimated from averages"
	if scaled {
		how = "billed duration from the records' split by memory size, scaled to CloudWatch's count"
	}
	return fmt.Sprintf("logs: %s: %d REPORT records for %d invocations counted by CloudWatch; %s, cold starts are a lower bound", name, n, m, how)
}

// scaledByMemory: when the REPORT records (n of them) do not match
// CloudWatch's invocation count (records at the window's edges: CloudWatch
// counts an invocation when it starts, Lambda writes its REPORT when it
// ends; logs kept for less than the window; a capped read) their billed
// duration is not the window's, and the function is billed from
// CloudWatch's averages at its configured memory size. If the records
// show other memory sizes than that (the memory changed within the
// window), billing every invocation at the configured size would be wrong
// by the ratio of the sizes: the records' split by size is kept instead,
// scaled to CloudWatch's count (each size's invocations, cold starts and
// billed ms × m/n, rounded, the last size taking the remainder), and
// the returned assumption says so.
func scaledByMemory(f *pricing.DatasetFunction, byMem []pricing.MemoryUsage, n int64) (pricing.Assumption, bool) {
	s := &f.Summary
	m := s.Invocations
	if n <= 0 || m <= 0 || len(byMem) == 0 || len(byMem) == 1 && byMem[0].MemoryMB == f.MemoryMB {
		return pricing.Assumption{}, false
	}
	out := make([]pricing.MemoryUsage, len(byMem))
	var inv, cold, billed, initB int64
	var sizes []string
	scale := func(v int64) int64 { return int64(math.Round(float64(v) * float64(m) / float64(n))) }
	var tot pricing.MemoryUsage
	for _, u := range byMem {
		tot.Invocations += u.Invocations
		tot.ColdStarts += u.ColdStarts
		tot.BilledDurationMs += u.BilledDurationMs
		tot.InitBilledMs += u.InitBilledMs
	}
	for i, u := range byMem {
		sizes = append(sizes, fmt.Sprintf("%d MB: %d", u.MemoryMB, u.Invocations))
		out[i] = pricing.MemoryUsage{MemoryMB: u.MemoryMB, Invocations: scale(u.Invocations), ColdStarts: scale(u.ColdStarts),
			BilledDurationMs: scale(u.BilledDurationMs), InitBilledMs: scale(u.InitBilledMs)}
		if i == len(byMem)-1 {
			out[i].Invocations = m - inv
			out[i].ColdStarts = scale(tot.ColdStarts) - cold
			out[i].BilledDurationMs = scale(tot.BilledDurationMs) - billed
			out[i].InitBilledMs = scale(tot.InitBilledMs) - initB
		}
		inv += out[i].Invocations
		cold += out[i].ColdStarts
		billed += out[i].BilledDurationMs
		initB += out[i].InitBilledMs
	}
	s.ByMemory = out
	s.BilledDurationMs = billed
	var mbMs int64
	for _, u := range out {
		mbMs += u.BilledDurationMs * int64(u.MemoryMB)
	}
	s.BilledGBSeconds = float64(mbMs) / (1024 * 1000)
	return pricing.Assumption{Field: fmt.Sprintf("functions[%s].summary.by_memory", f.Name), Value: fmt.Sprintf("the REPORT records' split × %d/%d", m, n),
		Why: fmt.Sprintf("CloudWatch counted %d invocations, the logs %d REPORT records (invocations at the window's edges, logs kept for less than the window, or a capped read), and the records show memory sizes the configuration (%d MB) does not (%s): each size's invocations, cold starts and billed ms are the records' scaled to CloudWatch's count, not every invocation billed at %d MB", m, n, f.MemoryMB, strings.Join(sizes, ", "), f.MemoryMB)}, true
}
