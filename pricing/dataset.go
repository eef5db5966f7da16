package pricing

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"
)

// DatasetVersion is the newest version of the dataset format: this build
// reads versions 1 to DatasetVersion and writes the lowest that holds the
// dataset (FormatVersion), so that an older lambdacost still reads every
// dataset it can understand.
//
//   - 1: the original format.
//   - 2: functions may list not_measured (values their source cannot
//     measure, written as null). A version-1 reader refuses the key
//     ("unknown field \"not_measured\""), so a dataset that has it is
//     written as version 2. Builds of 2026-12 (before this version)
//     wrote not_measured under version 1: such files are still read.
const DatasetVersion = 2

// datasetVersionNotMeasured is the first version whose functions may list
// not_measured.
const datasetVersionNotMeasured = 2

// FormatVersion is the lowest dataset format version that holds d: 2 when
// a function lists not_measured, else 1.
func (d *Dataset) FormatVersion() int {
	for i := range d.Functions {
		if len(d.Functions[i].NotMeasured) > 0 {
			return datasetVersionNotMeasured
		}
	}
	return 1
}

// unsupportedVersion is the error for a dataset version this build does
// not read, given as soon as the version is read (before any function, so
// a newer format's new keys are not reported as unknown fields).
func unsupportedVersion(path string, v any) error {
	n, ok := v.(float64)
	if !ok {
		b, _ := json.Marshal(v)
		return Inputf(path, "dataset version %s is not a number (this build reads versions 1 to %d)", b, DatasetVersion)
	}
	if n > DatasetVersion && n == math.Trunc(n) {
		return Inputf(path, "dataset version %v was written by a newer lambdacost: this build reads versions 1 to %d; upgrade lambdacost", v, DatasetVersion)
	}
	return Inputf(path, "dataset version %v is not supported (this build reads versions 1 to %d)", v, DatasetVersion)
}

// Dataset is what lambdacost knows about real functions over a time window:
// written by `collect` (CloudWatch) and `import` (logs), read by `report`,
// `simulate` (trace replay, empirical durations), `compare` and `check`.
// It is the one usage model shared by all packages. It never holds
// credentials, tokens or account secrets.
type Dataset struct {
	Version   int               `json:"version"`
	Source    string            `json:"source"` // "cloudwatch" | "logs" | "runner"
	Region    string            `json:"region"`
	Start     time.Time         `json:"start"`
	End       time.Time         `json:"end"`
	Functions []DatasetFunction `json:"functions"`
	// Problems lists partial failures (a metric that could not be fetched,
	// malformed log lines) so that nothing is silently lost.
	Problems []string `json:"problems,omitempty"`
	// Assumptions lists the values the dataset's producer did not measure
	// (a default memory size, a window taken from the first and last record).
	Assumptions Assumptions `json:"assumptions,omitempty"`
	// AccountConcurrency holds the account-level concurrency metrics of
	// each account and region collected (CloudWatch AWS/Lambda without a
	// function dimension).
	AccountConcurrency []AccountConcurrency `json:"account_concurrency,omitempty"`
}

// AccountConcurrency is one account's and region's concurrency over the
// window: the most concurrency claimed (ClaimedAccountConcurrency Maximum:
// reserved, provisioned and on-demand in use) and the least left to
// functions without reserved concurrency (UnreservedConcurrentExecutions
// Minimum). A value not collected is listed in Missing ("claimed_max",
// "unreserved_min").
type AccountConcurrency struct {
	Account       string   `json:"account,omitempty"`
	Region        string   `json:"region"`
	ClaimedMax    float64  `json:"claimed_max"`
	UnreservedMin float64  `json:"unreserved_min"`
	Missing       []string `json:"missing,omitempty"`
}

// DatasetFunction is one function of a dataset: its configuration (memory,
// architecture, …; flattened into the JSON object), a summary and series.
type DatasetFunction struct {
	FunctionConfig
	// ConfigUnknown lists the configuration fields (JSON names: "memory_mb",
	// "architecture", "timeout", …) whose value was not known to the
	// producer: the value in FunctionConfig is then Lambda's default, and
	// every bill from the dataset must say so or refuse.
	ConfigUnknown []string `json:"config_unknown,omitempty"`
	// Account and Region say where the function runs (collect; a merged
	// dataset holds functions of several accounts and regions).
	Account string          `json:"account,omitempty"`
	Region  string          `json:"region,omitempty"`
	Summary FunctionSummary `json:"summary"`
	Series  *Series         `json:"series,omitempty"`
	// Missing lists the summary and series values (JSON paths such as
	// "summary.invocations", "series.duration_avg_ms") that were not
	// collected: they are written as null, never as zero, and a function
	// with any is incomplete.
	Missing []string `json:"missing,omitempty"`
	// NotMeasured lists the summary values (JSON paths such as
	// "summary.throttles") that the function's source does not measure at
	// all: logs carry no throttles (a throttled request runs no code and
	// writes no line), CloudWatch's AWS/Lambda metrics no cold starts or
	// memory used (without Lambda Insights or --logs), a get-metric-data
	// export only the metrics it queried. They are written as null, never
	// as zero, and every total or threshold over them says so; unlike
	// Missing, they do not make the collection incomplete.
	NotMeasured []string `json:"not_measured,omitempty"`
}

// Incomplete reports whether some of f's values were not collected.
func (f *DatasetFunction) Incomplete() bool { return len(f.Missing) > 0 }

// Measured reports whether f's source measured the value at path (a JSON
// path such as "summary.cold_starts"): false when path, or an object
// holding it, is listed in NotMeasured.
func (f *DatasetFunction) Measured(path string) bool {
	for _, m := range f.NotMeasured {
		if m == path || strings.HasPrefix(path, m+".") {
			return false
		}
	}
	return true
}

// MarkMeasured removes path from f.NotMeasured: a later source (a log
// read after the metrics) measured it.
func (f *DatasetFunction) MarkMeasured(path string) {
	f.NotMeasured = slices.DeleteFunc(f.NotMeasured, func(p string) bool { return p == path })
	if len(f.NotMeasured) == 0 {
		f.NotMeasured = nil
	}
}

// MarkNotMeasured adds path to f.NotMeasured unless it is there already
// or listed in f.Missing (a value that failed to arrive says so).
func (f *DatasetFunction) MarkNotMeasured(path string) {
	if slices.Contains(f.NotMeasured, path) || slices.Contains(f.Missing, path) {
		return
	}
	f.NotMeasured = append(f.NotMeasured, path)
}

// Unknown reports whether the configuration field (a JSON name such as
// "memory_mb") was not known to the dataset's producer.
func (f *DatasetFunction) Unknown(field string) bool {
	for _, u := range f.ConfigUnknown {
		if u == field {
			return true
		}
	}
	return false
}

// FunctionSummary aggregates a function's activity over the dataset window.
type FunctionSummary struct {
	Invocations int64 `json:"invocations"`
	Errors      int64 `json:"errors"`
	Throttles   int64 `json:"throttles"`
	Timeouts    int64 `json:"timeouts,omitempty"`
	ColdStarts  int64 `json:"cold_starts"`
	// Restores is how many of ColdStarts were SnapStart restores (REPORT
	// "Restore Duration"): AWS counts a SnapStart cold start as Restore
	// Duration + Duration.
	Restores        int64       `json:"restores,omitempty"`
	DurationMs      DurationSet `json:"duration_ms"`
	InitDurationMs  InitSet     `json:"init_duration_ms"`
	MaxMemoryUsedMB int         `json:"max_memory_used_mb"`
	// BilledDurationMs is the exact sum of billed milliseconds (handler +
	// INIT) when known per invocation (logs); 0 when only averages are known.
	BilledDurationMs int64   `json:"billed_duration_ms,omitempty"`
	BilledGBSeconds  float64 `json:"billed_gb_seconds"`
	ConcurrencyMax   float64 `json:"concurrency_max,omitempty"`
	// ProvisionedInvocations is how many of Invocations ran on provisioned
	// environments (CloudWatch ProvisionedConcurrencyInvocations).
	ProvisionedInvocations int64 `json:"provisioned_invocations,omitempty"`
	// ByMemory splits the invocations by the memory size they ran at, when
	// the producer knows it per invocation (logs: each REPORT line's
	// "Memory Size"). A function whose memory changed during the window has
	// several entries, and its bill is the sum of one line per size.
	ByMemory []MemoryUsage `json:"by_memory,omitempty"`
	// InitUnbilledMs is INIT time (ms) of cold starts that AWS did not bill
	// when they happened (REPORT lines before 2025-08-01, when Billed
	// Duration excluded INIT): BilledDurationMs does not include it, and a
	// projection at today's rules adds it.
	InitUnbilledMs int64 `json:"init_unbilled_ms,omitempty"`
	// LogBytes is how many bytes of logs the function wrote to CloudWatch
	// Logs in the window (its own lines and Lambda's START/END/REPORT
	// lines), as the runner or the imported logs measured them; 0 when not
	// measured (every invocation writes at least Lambda's own lines, so a
	// measured value is never 0). Its bill then has a `logs` line.
	LogBytes int64 `json:"log_bytes,omitempty"`

	// CloudWatch metrics a function publishes only when it uses the
	// feature (0 when it does not): provisioned concurrency in use (the
	// most environments in use, the highest utilisation 0–1, invocations
	// that spilled over to on-demand), the average PostRuntimeExtensions
	// duration (ms, after the response, billed), asynchronous events' age
	// (most, ms) and those dropped, dead-letter delivery errors, and the
	// oldest stream record's age (IteratorAge, ms).
	ProvisionedConcurrentExecutionsMax float64 `json:"provisioned_concurrent_executions_max,omitempty"`
	ProvisionedUtilizationMax          float64 `json:"provisioned_utilization_max,omitempty"`
	ProvisionedSpilloverInvocations    int64   `json:"provisioned_spillover_invocations,omitempty"`
	PostRuntimeExtensionsDurationMs    float64 `json:"post_runtime_extensions_duration_ms,omitempty"`
	AsyncEventAgeMaxMs                 float64 `json:"async_event_age_max_ms,omitempty"`
	AsyncEventsDropped                 int64   `json:"async_events_dropped,omitempty"`
	DeadLetterErrors                   int64   `json:"dead_letter_errors,omitempty"`
	IteratorAgeMaxMs                   float64 `json:"iterator_age_max_ms,omitempty"`
}

// MemoryUsage is the part of a function's activity that ran at one memory size.
type MemoryUsage struct {
	MemoryMB    int   `json:"memory_mb"`
	Invocations int64 `json:"invocations"`
	ColdStarts  int64 `json:"cold_starts"`
	// BilledDurationMs is the exact sum of the billed ms at this size
	// (handler + INIT where AWS billed it).
	BilledDurationMs int64 `json:"billed_duration_ms"`
	// InitBilledMs is the part of BilledDurationMs that was INIT.
	InitBilledMs int64 `json:"init_billed_ms,omitempty"`
}

// DurationSet holds duration statistics in milliseconds.
type DurationSet struct {
	Avg float64 `json:"avg"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// InitSet holds INIT duration statistics in milliseconds.
type InitSet struct {
	Avg float64 `json:"avg"`
	P99 float64 `json:"p99"`
}

// Series is a per-period time series (e.g. CloudWatch's 1-minute points).
// All slices have the same length; missing points are 0.
type Series struct {
	PeriodS        int       `json:"period_s"`
	Start          time.Time `json:"start"`
	Invocations    []float64 `json:"invocations"`
	DurationAvgMs  []float64 `json:"duration_avg_ms"`
	ConcurrencyMax []float64 `json:"concurrency_max"`
	Errors         []float64 `json:"errors,omitempty"`
	Throttles      []float64 `json:"throttles,omitempty"`
	// ProvisionedConcurrentExecutions is the most provisioned environments
	// in use per period (functions with provisioned concurrency).
	ProvisionedConcurrentExecutions []float64 `json:"provisioned_concurrent_executions,omitempty"`
	// ProvisionedConcurrencyUtilization is the highest share (0–1) of the
	// configured provisioned concurrency in use per period; with
	// ProvisionedConcurrentExecutions it gives the level configured
	// (DatasetFunction.ProvisionedUse). 0 where CloudWatch published no
	// value (no provisioned invocations in the period).
	ProvisionedConcurrencyUtilization []float64 `json:"provisioned_concurrency_utilization,omitempty"`
}

// Labels names d's functions for people, in order: each one's name, or
// REGION/NAME when another function of d (a merged dataset) has the same
// name, or ACCOUNT/REGION/NAME when one has the same name and Region too
// — the forms check's function: takes.
func (d *Dataset) Labels() []string {
	names, regions := map[string]int{}, map[[2]string]int{}
	for i := range d.Functions {
		f := &d.Functions[i]
		names[f.Name]++
		regions[[2]string{f.Region, f.Name}]++
	}
	out := make([]string, len(d.Functions))
	for i := range d.Functions {
		f := &d.Functions[i]
		switch {
		case regions[[2]string{f.Region, f.Name}] > 1:
			out[i] = f.Account + "/" + f.Region + "/" + f.Name
		case names[f.Name] > 1:
			out[i] = f.Region + "/" + f.Name
		default:
			out[i] = f.Name
		}
	}
	return out
}

// Span returns the dataset window.
func (d *Dataset) Span() time.Duration { return d.End.Sub(d.Start) }

// BilledUsage returns the function's billable usage over the dataset window:
// the exact billed milliseconds when known, else invocations × the average
// duration rounded up to the ms (the collector's CloudWatch averages).
func (f *DatasetFunction) BilledUsage() BilledUsage {
	s := f.Summary
	ms := s.BilledDurationMs
	if ms == 0 && s.Invocations > 0 {
		ms = s.Invocations * BilledMs(time.Duration(s.DurationMs.Avg*float64(time.Millisecond)))
		ms += s.ColdStarts * BilledMs(time.Duration(s.InitDurationMs.Avg*float64(time.Millisecond)))
	}
	return BilledUsage{
		Requests:   s.Invocations,
		OnDemandMs: ms,
		InitMs:     s.ColdStarts * BilledMs(time.Duration(s.InitDurationMs.Avg*float64(time.Millisecond))),
		ColdStarts: s.ColdStarts,
	}
}

// MonthlyUsage scales the window's usage to a 730-hour month. Without a
// window it returns the window's usage unscaled: callers check
// MonthlyFactor first (or use PriceTable.DatasetBill, the exact bill per
// memory size with provisioned concurrency, which refuses the projection).
func (d *Dataset) MonthlyUsage(f *DatasetFunction) BilledUsage {
	u := f.BilledUsage()
	span := d.Span().Seconds()
	if span <= 0 {
		return u
	}
	return u.Scale(float64(SecondsPerMonth) / span)
}

// ScaleFits reports whether every count of b times k fits in an int64, so
// that Scale(k) is exact rather than wrapped around (a huge volume over a
// tiny window projected to a month).
func (b BilledUsage) ScaleFits(k float64) bool {
	for _, v := range []int64{b.Requests, b.AsyncExtraRequests, b.OnDemandMs, b.InitMs, b.ColdStarts, b.ProvisionedMs, b.ProvisionedEnvSeconds,
		b.SnapStartCacheMs, b.SnapStartRestores, b.StreamedBytes, b.LogBytes, b.TransferOutBytes, b.DurableOperations, b.TenantEnvironments} {
		if x := math.Round(float64(v) * k); math.IsNaN(x) || x < 0 || x >= math.MaxInt64 {
			return false
		}
	}
	return true
}

// Scale multiplies every quantity by k, rounding counts to integers.
// Check ScaleFits first when the product may exceed an int64.
func (b BilledUsage) Scale(k float64) BilledUsage {
	r := func(v int64) int64 { return int64(math.Round(float64(v) * k)) }
	return BilledUsage{
		Requests:                r(b.Requests),
		AsyncExtraRequests:      r(b.AsyncExtraRequests),
		OnDemandMs:              r(b.OnDemandMs),
		InitMs:                  r(b.InitMs),
		ColdStarts:              r(b.ColdStarts),
		ProvisionedMs:           r(b.ProvisionedMs),
		ProvisionedEnvSeconds:   r(b.ProvisionedEnvSeconds),
		SnapStartCacheMs:        r(b.SnapStartCacheMs),
		SnapStartRestores:       r(b.SnapStartRestores),
		StreamedBytes:           r(b.StreamedBytes),
		LogBytes:                r(b.LogBytes),
		TransferOutBytes:        r(b.TransferOutBytes),
		DurableOperations:       r(b.DurableOperations),
		DurableWrittenGB:        b.DurableWrittenGB * k,
		DurableRetainedGBMonths: b.DurableRetainedGBMonths * k,
		TenantEnvironments:      r(b.TenantEnvironments),
		ESMKafkaEPUHours:        b.ESMKafkaEPUHours * k,
		ESMSQSEPUHours:          b.ESMSQSEPUHours * k,
	}
}

// Validate checks a dataset read from path and returns every problem.
func (d *Dataset) Validate(path string) []error {
	var errs []error
	if d.Version < 1 || d.Version > DatasetVersion {
		errs = append(errs, unsupportedVersion(path, float64(d.Version)))
	}
	if !d.End.IsZero() && d.End.Before(d.Start) {
		errs = append(errs, Inputf(path, "dataset end %s is before its start %s", d.End, d.Start))
	}
	errs = append(errs, d.checkValues(path)...)
	for i, f := range d.Functions {
		prefix := fmt.Sprintf("%s: functions[%d] (%s)", path, i, f.Name)
		fc := f.FunctionConfig.WithDefaults()
		for _, e := range fc.Validate("") {
			errs = append(errs, Inputf(prefix, "%v", e))
		}
		if s := f.Series; s != nil {
			if s.PeriodS <= 0 {
				errs = append(errs, Inputf(prefix, "series.period_s must be positive"))
			}
			// Every array present has the same length (a missing one is null).
			n := 0
			for _, a := range [][]float64{s.Invocations, s.DurationAvgMs, s.ConcurrencyMax, s.Errors, s.Throttles, s.ProvisionedConcurrentExecutions, s.ProvisionedConcurrencyUtilization} {
				if len(a) == 0 {
					continue
				}
				if n == 0 {
					n = len(a)
				} else if len(a) != n {
					errs = append(errs, Inputf(prefix, "series arrays must all have the same length"))
					break
				}
			}
		}
	}
	return errs
}

// ReadDataset reads and validates a dataset JSON file. Unknown fields are errors.
func ReadDataset(path string) (*Dataset, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, Inputf(path, "%v", err)
	}
	defer fh.Close()
	return DecodeDataset(path, fh)
}

// DecodeDataset decodes and validates a dataset from r (path names it in errors).
func DecodeDataset(path string, r io.Reader) (*Dataset, error) {
	d, dec, err := decodeDatasetStream(path, r)
	if err != nil {
		return nil, err
	}
	if err := CheckJSONEnd(path, dec); err != nil {
		return nil, err
	}
	if err := Errors(d.Validate(path)); err != nil {
		return nil, err
	}
	for i := range d.Functions {
		d.Functions[i].markUnknownConfig()
		d.Functions[i].FunctionConfig = d.Functions[i].FunctionConfig.WithDefaults()
	}
	return d, nil
}

// WriteDataset writes d as indented JSON (one space per level, as
// json.Encoder with SetIndent("", " ") writes it), one function at a time:
// a 100 MB dataset is never held as text in memory. Its version is the
// lowest that holds it (FormatVersion), whatever d.Version said.
func WriteDataset(w io.Writer, d *Dataset) error {
	d.Version = d.FormatVersion()
	head := *d
	head.Functions = nil
	hb, err := json.MarshalIndent(&head, "", " ")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if d.Functions == nil {
		bw.Write(hb)
		bw.WriteByte('\n')
		return bw.Flush()
	}
	// The functions go in place of the head's null.
	key := []byte("\n \"functions\": ")
	at := bytes.Index(hb, append(key, "null"...)) + len(key)
	bw.Write(hb[:at])
	if len(d.Functions) == 0 {
		bw.WriteString("[]")
	} else {
		bw.WriteString("[\n")
		var ind bytes.Buffer
		for i := range d.Functions {
			b, err := json.Marshal(d.Functions[i])
			if err != nil {
				return err
			}
			ind.Reset()
			if err := json.Indent(&ind, b, "  ", " "); err != nil {
				return err
			}
			bw.WriteString("  ")
			bw.Write(ind.Bytes())
			if i < len(d.Functions)-1 {
				bw.WriteByte(',')
			}
			bw.WriteByte('\n')
		}
		bw.WriteString(" ]")
	}
	bw.Write(hb[at+len("null"):])
	bw.WriteByte('\n')
	return bw.Flush()
}

// jsonError reports a JSON decoding error with its byte offset.
func jsonError(path string, _ io.Reader, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case asErr(err, &se):
		return Inputf(fmt.Sprintf("%s:offset %d", path, se.Offset), "invalid JSON: %v", err)
	case asErr(err, &te):
		return Inputf(fmt.Sprintf("%s:offset %d", path, te.Offset), "field %s: expected %s, got %s", te.Field, te.Type, te.Value)
	}
	return Inputf(path, "invalid dataset: %v", err)
}

// markUnknownConfig records the configuration fields a dataset left out
// (zero) as unknown before Lambda's defaults fill them in, so that no bill
// or advice takes a default for a measured value.
func (f *DatasetFunction) markUnknownConfig() {
	mark := func(field string, zero bool) {
		if zero && !f.Unknown(field) {
			f.ConfigUnknown = append(f.ConfigUnknown, field)
		}
	}
	mark("memory_mb", f.MemoryMB == 0 && len(f.Summary.ByMemory) == 0)
	mark("architecture", f.Architecture == "")
	mark("timeout", f.Timeout == 0)
}
