package simulator

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
)

// Latency holds latency percentiles in milliseconds (INIT included for
// cold invocations; throttled requests have none).
type Latency struct {
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P99  float64 `json:"p99"`
	Max  float64 `json:"max"`
	Mean float64 `json:"mean"`
}

// Bucket is one interval of the timeline. With --runs the values are means
// across replicas.
type Bucket struct {
	TS             float64 `json:"t_s"` // start of the bucket, seconds
	Arrivals       float64 `json:"arrivals"`
	ColdStarts     float64 `json:"cold_starts"`
	Throttles      float64 `json:"throttles"`
	ConcurrencyMax float64 `json:"concurrency_max"` // busy environments, maximum in the bucket
	Environments   float64 `json:"environments"`    // live environments, time average in the bucket
}

// add adds x's figures (not its start) to b: the sum over replicas, whose
// means are taken by dividing afterwards.
func (b *Bucket) add(x *Bucket) {
	b.Arrivals += x.Arrivals
	b.ColdStarts += x.ColdStarts
	b.Throttles += x.Throttles
	b.ConcurrencyMax += x.ConcurrencyMax
	b.Environments += x.Environments
}

// Band summarises one metric across Monte Carlo replicas.
type Band struct {
	P5   float64 `json:"p5"`
	P50  float64 `json:"p50"`
	P95  float64 `json:"p95"`
	Mean float64 `json:"mean"`
}

// Result is what `simulate -o json` prints (SPEC) plus extras. With Runs > 1
// the headline numbers pool all replicas (counts are means rounded to the
// nearest integer, rates are pooled ratios, latency percentiles come from
// the merged histogram) and Bands holds each metric's spread, written in
// JSON as `<name>_p5` / `<name>_p95` siblings.
type Result struct {
	Scenario         string  `json:"scenario,omitempty"`
	Region           string  `json:"region"`
	Seed             uint64  `json:"seed"`
	Runs             int     `json:"runs"`
	SimulatedSeconds float64 `json:"simulated_seconds"` // the span in the statistics (without a discarded warm-up)
	// Mode is the engine that produced the result: "exact" (one event per
	// invocation) or "fast" (see the package doc); ModeErrorPct is the
	// largest relative difference from the exact engine measured on the
	// validation set for the mode's headline numbers (0 for exact: its
	// only error is sampling error, which --runs bands show), and
	// ModeNote says what it covers.
	Mode         string  `json:"mode"`
	ModeErrorPct float64 `json:"mode_error_pct"`
	ModeNote     string  `json:"mode_note"`
	// Partial: the run was interrupted; the numbers cover the
	// SimulatedSeconds reached.
	Partial bool `json:"partial,omitempty"`
	// DiscardedWarmupS is the start of the span left out of the statistics
	// (--discard-warmup, rounded up to a timeline bucket).
	DiscardedWarmupS float64 `json:"discarded_warmup_s,omitempty"`

	Arrivals      int64   `json:"arrivals"`    // offered requests (accepted + throttled)
	Invocations   int64   `json:"invocations"` // accepted (not throttled)
	ColdStarts    int64   `json:"cold_starts"`
	ColdStartRate float64 `json:"cold_start_rate"` // cold_starts / invocations
	Throttles     int64   `json:"throttles"`
	ThrottleRate  float64 `json:"throttle_rate"` // throttles / attempts (arrivals + retries)
	// Throttles split by cause: over the invocation-rate quota (10 ×
	// concurrency, requests per second) or over the concurrency limits
	// (cap or scaling rate).
	RateThrottles        int64 `json:"rate_throttles"`
	ConcurrencyThrottles int64 `json:"concurrency_throttles"`
	Errors               int64 `json:"errors"` // timeouts
	// ProvisionedInvocations ran on provisioned environments; with
	// provisioned concurrency, the rest (SpilloverInvocations) spilled over
	// to on-demand environments.
	ProvisionedInvocations int64 `json:"provisioned_invocations"`
	SpilloverInvocations   int64 `json:"spillover_invocations"`
	// Async invocations: attempts retried by Lambda (after a throttle or a
	// failure), events dropped (too old, or out of retries), and retries
	// still queued at the end of the span.
	Retries        int64 `json:"retries,omitempty"`
	DroppedEvents  int64 `json:"dropped_events,omitempty"`
	PendingRetries int64 `json:"pending_retries,omitempty"`

	PeakConcurrency          int                 `json:"peak_concurrency"`
	MeanConcurrency          float64             `json:"mean_concurrency"`  // time-average busy environments
	MeanEnvironments         float64             `json:"mean_environments"` // time-average live environments (busy + idle, provisioned included)
	EnvironmentsCreated      int64               `json:"environments_created"`
	MeanEnvironmentLifetimeS float64             `json:"mean_environment_lifetime_s"` // of on-demand environments reclaimed within the span; NaN (null) when none was
	Utilization              float64             `json:"utilization"`                 // mean_concurrency / mean_environments
	LatencyMs                Latency             `json:"latency_ms"`
	BilledGBSeconds          float64             `json:"billed_gb_seconds"`
	Usage                    pricing.BilledUsage `json:"billed_usage"`
	CostUSD                  float64             `json:"cost_usd"` // the simulated span
	Cost                     pricing.Cost        `json:"cost"`
	MonthlyCostUSD           float64             `json:"monthly_cost_usd"` // the span's usage projected to a 730-hour month
	MonthlyCost              pricing.Cost        `json:"monthly_cost"`
	// Months is the billed usage of each 730-hour month of a span longer
	// than a month (exact and fast engines): each is billed on its own — Lambda's
	// free tier and tiers are monthly — and MonthlyCost is the mean of
	// their bills. Empty when the span is one month or less, or when the
	// engine does not split its usage (the month is then the span's
	// average, as the assumptions say).
	Months            []pricing.MonthUsage `json:"months,omitempty"`
	CostPerMillionUSD float64              `json:"cost_per_million_usd"` // per million accepted invocations
	BucketSeconds     float64              `json:"bucket_s"`
	Timeline          []Bucket             `json:"timeline"`
	Analytic          *AnalyticResult      `json:"analytic,omitempty"`
	// DurationFit is how well the duration distribution fitted to a
	// dataset's statistics matches them.
	DurationFit *FitReport `json:"duration_fit,omitempty"`
	// Assumptions lists what the numbers depend on that the scenario did
	// not say: Lambda rules as modelled, filled trace gaps, fits.
	Assumptions pricing.Assumptions `json:"assumptions,omitempty"`
	Bands       map[string]Band     `json:"-"`
}

// bandKeys are the metrics that get _p5/_p95 siblings with --runs, in the
// JSON names used as Bands keys (nested ones as "latency_ms.p99").
var bandKeys = []string{
	"invocations", "cold_starts", "cold_start_rate", "throttles", "throttle_rate", "errors",
	"peak_concurrency", "mean_concurrency", "mean_environments", "environments_created",
	"mean_environment_lifetime_s", "utilization",
	"latency_ms.p50", "latency_ms.p90", "latency_ms.p99", "latency_ms.max", "latency_ms.mean",
	"billed_gb_seconds", "cost_usd", "monthly_cost_usd", "cost_per_million_usd",
}

// MarshalJSON writes the fields in declaration order, each banded metric
// followed by its `_p5` and `_p95` siblings when Bands is set.
//
// With no invocation accepted, the values per invocation (the cold-start
// rate, the latencies, the cost per million) are not defined, nor the
// throttle rate without a request: null, never a 0 that reads as measured.
func (r Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	var undefined map[string]bool
	if r.Invocations == 0 {
		undefined = perInvocation
	}
	if r.Arrivals == 0 {
		undefined = map[string]bool{"throttle_rate": true}
		for k := range perInvocation {
			undefined[k] = true
		}
	}
	if err := writeOrdered(&b, reflect.ValueOf(r), r.Bands, "", undefined); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// perInvocation are the JSON keys of a Result that are per accepted
// invocation: undefined without one.
var perInvocation = map[string]bool{
	"cold_start_rate": true, "cost_per_million_usd": true,
	"latency_ms.p50": true, "latency_ms.p90": true, "latency_ms.p99": true, "latency_ms.max": true, "latency_ms.mean": true,
}

var jsonNull = []byte("null")

func writeOrdered(b *bytes.Buffer, v reflect.Value, bands map[string]Band, prefix string, undefined map[string]bool) error {
	t := v.Type()
	b.WriteByte('{')
	first := true
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		fv := v.Field(i)
		if strings.Contains(opts, "omitempty") && fv.IsZero() {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		key, _ := json.Marshal(name)
		b.Write(key)
		b.WriteByte(':')
		if fv.Type() == reflect.TypeOf(Latency{}) && (len(bands) > 0 || len(undefined) > 0) {
			if err := writeOrdered(b, fv, bands, prefix+name+".", undefined); err != nil {
				return err
			}
		} else if fv.Kind() == reflect.Float64 && (math.IsNaN(fv.Float()) || undefined[prefix+name]) {
			b.Write(jsonNull)
		} else {
			val, err := json.Marshal(fv.Interface())
			if err != nil {
				return err
			}
			b.Write(val)
		}
		if bd, ok := bands[prefix+name]; ok {
			for _, s := range []struct {
				suffix string
				v      float64
			}{{"_p5", bd.P5}, {"_p95", bd.P95}} {
				k, _ := json.Marshal(name + s.suffix)
				val, err := json.Marshal(s.v)
				if math.IsNaN(s.v) {
					val, err = jsonNull, nil
				}
				if err != nil {
					return err
				}
				b.WriteByte(',')
				b.Write(k)
				b.WriteByte(':')
				b.Write(val)
			}
		}
	}
	b.WriteByte('}')
	return nil
}
