package collector

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/lambdacost/lambdacost/pricing"
)

// reportFilter matches text REPORT lines and JSON platform.report records
// (CloudWatch Logs filter syntax: ?term ?term is "either").
const reportFilter = `?"REPORT RequestId" ?"platform.report"`

// MaxLogEventsPerFunction bounds how many REPORT records `--logs` reads per
// function; beyond it the logs are a sample and the dataset says so.
var MaxLogEventsPerFunction int64 = 1_000_000

// collectLogs reads each function's REPORT records over the window and
// folds into d what only logs know: cold starts, INIT durations, memory
// used, timeouts, and — when the logs are complete (as many REPORT records
// as CloudWatch counted invocations) — the exact billed duration.
func (c *Collector) collectLogs(ctx context.Context, fns []FunctionInfo, w Window, d *pricing.Dataset, st *CollectStats) {
	byName := map[string]int{}
	for i, f := range d.Functions {
		byName[f.Name] = i
	}
	for _, fi := range fns {
		name := fi.Config.Name
		acc := &funcAcc{name: name}
		var token *string
		var rep report
		malformed := 0
		truncated := false
		for {
			if err := ctx.Err(); err != nil {
				return
			}
			out, err := c.Logs.FilterLogEvents(ctx, &cloudwatchlogs.FilterLogEventsInput{
				LogGroupName:  aws.String(fi.LogGroup),
				StartTime:     aws.Int64(w.Start.UnixMilli()),
				EndTime:       aws.Int64(w.End.UnixMilli()),
				FilterPattern: aws.String(reportFilter),
				NextToken:     token,
			})
			st.LogsCalls++
			if err != nil {
				var nf *logtypes.ResourceNotFoundException
				if errors.As(err, &nf) {
					d.Problems = append(d.Problems, fmt.Sprintf("logs: log group %s of %s not found", fi.LogGroup, name))
				} else {
					d.Problems = append(d.Problems, fmt.Sprintf("logs: FilterLogEvents %s: %v (logs incomplete)", fi.LogGroup, describeAPIError(err)))
				}
				truncated = true
				break
			}
			for _, e := range out.Events {
				perr := parseLine([]byte(aws.ToString(e.Message)), &rep)
				switch {
				case perr == nil:
					if rep.TimeMs == 0 {
						rep.TimeMs = aws.ToInt64(e.Timestamp)
					}
					rep.Function = nil
					acc.add(&rep)
					st.LogReports++
				case errors.Is(perr, errNotReport):
				default:
					malformed++
					if malformed <= 20 {
						d.Problems = append(d.Problems, fmt.Sprintf("logs: %s %s event %s: %v", fi.LogGroup, aws.ToString(e.LogStreamName), aws.ToString(e.EventId), perr))
					}
				}
			}
			c.progress("logs", int64(st.LogsCalls), 0)
			if out.NextToken == nil || *out.NextToken == "" {
				break
			}
			if acc.invocations >= MaxLogEventsPerFunction {
				truncated = true
				d.Problems = append(d.Problems, fmt.Sprintf("logs: %s: stopped after %d REPORT records (a sample)", name, acc.invocations))
				break
			}
			token = out.NextToken
		}
		if malformed > 20 {
			d.Problems = append(d.Problems, fmt.Sprintf("logs: %s: %d malformed REPORT records in all", fi.LogGroup, malformed))
		}
		i, ok := byName[name]
		if !ok || acc.invocations == 0 {
			continue
		}
		lf := acc.dataset()
		f := &d.Functions[i]
		s := &f.Summary
		s.ColdStarts = lf.Summary.ColdStarts
		s.InitDurationMs = lf.Summary.InitDurationMs
		s.Timeouts = lf.Summary.Timeouts
		s.MaxMemoryUsedMB = max(s.MaxMemoryUsedMB, lf.Summary.MaxMemoryUsedMB)
		if !truncated && acc.invocations == s.Invocations {
			s.BilledDurationMs = lf.Summary.BilledDurationMs
			s.BilledGBSeconds = lf.Summary.BilledGBSeconds
		} else {
			d.Problems = append(d.Problems, fmt.Sprintf("logs: %s: %d REPORT records for %d invocations counted by CloudWatch; billed duration estimated from averages, cold starts are a lower bound", name, acc.invocations, s.Invocations))
		}
	}
}
