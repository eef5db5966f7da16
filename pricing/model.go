package pricing

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Lambda's configuration limits, as documented by AWS (Lambda developer guide, "Lambda quotas",
// https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html,
// and "Configure Lambda function memory",
// https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html).
const (
	MinMemoryMB         = 128
	MaxMemoryMB         = 10240
	MinEphemeralMB      = 512
	MaxEphemeralMB      = 10240
	FreeEphemeralMB     = 512               // storage up to this size is not billed
	MaxTimeout          = 900 * time.Second // 15 minutes
	MaxInitDuration     = 10 * time.Second  // INIT phase cap
	DefaultTimeout      = 3 * time.Second
	MBPerVCPU           = 1769 // "At 1,769 MB, a function has the equivalent of one vCPU"
	MaxVCPU             = 6
	DefaultAccountLimit = 1000
	DefaultScalingRate  = 1000 // new execution environments per 10 s per function
	ScalingWindow       = 10 * time.Second
	MaxSyncPayloadBytes = 6 * 1024 * 1024
	// MaxAsyncPayloadBytes is the largest asynchronous event (1 MB since
	// October 2025; it was 256 KB).
	MaxAsyncPayloadBytes = 1024 * 1024
	// AsyncIncludedBytes and AsyncChunkBytes are the request-counting rule
	// of asynchronous events (AWS Lambda pricing page): "You are charged
	// for 1 request per each asynchronous Event for first 256 KB.
	// Individual event size beyond 256 KB is charged 1 additional request
	// for each 64 KB of chunk upto 1 MB." KB is 1024 bytes, as Lambda's
	// payload quotas count them (256 KB = 262,144 bytes).
	AsyncIncludedBytes    = 256 * 1024
	AsyncChunkBytes       = 64 * 1024
	ProvisionedBillingRes = 5 * time.Minute // PC is billed rounded up to 5 minutes
	// MaxHoursInMonth bounds hour counts given for a calendar month (31 days:
	// AWS's own examples use 744-hour months; projections use HoursPerMonth).
	MaxHoursInMonth = 31 * 24
)

// Architecture is a Lambda instruction set architecture.
type Architecture string

// The two architectures Lambda offers.
const (
	X86_64 Architecture = "x86_64"
	ARM64  Architecture = "arm64"
)

// Architectures lists every architecture, x86_64 first.
var Architectures = []Architecture{X86_64, ARM64}

// ParseArchitecture accepts x86_64 (also "x86", "amd64") and arm64 (also
// "arm", "aarch64", "graviton").
func ParseArchitecture(s string) (Architecture, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "x86_64", "x86", "amd64", "x86-64":
		return X86_64, nil
	case "arm64", "arm", "aarch64", "graviton":
		return ARM64, nil
	}
	return "", fmt.Errorf("unknown architecture %q (want x86_64 or arm64)", s)
}

// Valid reports whether a is one of Architectures.
func (a Architecture) Valid() bool { return a == X86_64 || a == ARM64 }

// Duration is a time.Duration that reads and writes Go duration syntax
// ("120ms", "2s", "1h30m") in YAML and JSON. A bare number in YAML or JSON is
// read as milliseconds.
type Duration time.Duration

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Ms returns the duration in (fractional) milliseconds.
func (d Duration) Ms() float64 { return float64(d) / float64(time.Millisecond) }

// String formats like time.Duration.
func (d Duration) String() string { return time.Duration(d).String() }

// ParseDuration parses Go duration syntax. A plain number is milliseconds.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if v, err := parseFloatStrict(s); err == nil {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return 0, fmt.Errorf("invalid duration %q", s)
		}
		return Duration(v * float64(time.Millisecond)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use Go syntax such as 120ms, 2s, 10m)", s)
	}
	return Duration(d), nil
}

func parseFloatStrict(s string) (float64, error) { return strconv.ParseFloat(s, 64) }

// UnmarshalYAML reads a duration string or a number of milliseconds.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a duration such as 120ms", n.Line)
	}
	v, err := ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*d = v
	return nil
}

// MarshalYAML writes Go duration syntax.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalJSON reads a duration string or a number of milliseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := ParseDuration(s)
		if err != nil {
			return err
		}
		*d = v
		return nil
	}
	var ms float64
	if err := json.Unmarshal(b, &ms); err != nil {
		return fmt.Errorf("expected a duration such as \"120ms\" or a number of milliseconds")
	}
	*d = Duration(ms * float64(time.Millisecond))
	return nil
}

// MarshalJSON writes Go duration syntax.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// FunctionConfig is the configuration of one Lambda function: everything
// about it that affects the bill or its behaviour under load. It is the one
// model of a function shared by the pricing engine, the simulator, the
// runner, the collector and the reports.
type FunctionConfig struct {
	Name                   string       `json:"name,omitempty" yaml:"name,omitempty"`
	MemoryMB               int          `json:"memory_mb" yaml:"memory_mb"`
	Architecture           Architecture `json:"architecture" yaml:"architecture"`
	EphemeralStorageMB     int          `json:"ephemeral_storage_mb,omitempty" yaml:"ephemeral_storage_mb,omitempty"`
	Timeout                Duration     `json:"timeout,omitempty" yaml:"timeout,omitempty"`
	ProvisionedConcurrency int          `json:"provisioned_concurrency,omitempty" yaml:"provisioned_concurrency,omitempty"`
	ReservedConcurrency    int          `json:"reserved_concurrency,omitempty" yaml:"reserved_concurrency,omitempty"`
	// LambdaEdge marks a Lambda@Edge function: its own request and duration
	// rates, no tiers, no free tier.
	LambdaEdge bool `json:"lambda_edge,omitempty" yaml:"lambda_edge,omitempty"`
}

// WithDefaults returns f with Lambda's defaults filled in where a field is
// zero: 128 MB memory, x86_64, 512 MB ephemeral storage, 3 s timeout.
func (f FunctionConfig) WithDefaults() FunctionConfig {
	if f.MemoryMB == 0 {
		f.MemoryMB = MinMemoryMB
	}
	if f.Architecture == "" {
		f.Architecture = X86_64
	}
	if f.EphemeralStorageMB == 0 {
		f.EphemeralStorageMB = MinEphemeralMB
	}
	if f.Timeout == 0 {
		f.Timeout = Duration(DefaultTimeout)
	}
	return f
}

// MemoryGB is the configured memory in GB as AWS bills it (MB / 1024).
func (f FunctionConfig) MemoryGB() float64 { return float64(f.MemoryMB) / 1024 }

// VCPU is the CPU share Lambda gives this memory size: 1 vCPU at 1,769 MB,
// proportional, at most 6.
func (f FunctionConfig) VCPU() float64 { return VCPUForMemory(f.MemoryMB) }

// VCPUForMemory is the CPU share for a memory size (1 vCPU per 1,769 MB, max 6).
func VCPUForMemory(mb int) float64 {
	return math.Min(float64(mb)/MBPerVCPU, MaxVCPU)
}

// Validate checks f against Lambda's limits and returns every problem found.
// prefix names the field path or flag context in messages (may be empty).
func (f FunctionConfig) Validate(prefix string) []error {
	var errs []error
	p := func(field string) string {
		if prefix == "" {
			return field
		}
		return prefix + "." + field
	}
	if f.MemoryMB < MinMemoryMB || f.MemoryMB > MaxMemoryMB {
		errs = append(errs, Inputf(p("memory_mb"), "memory %d MB is outside Lambda's range %d–%d MB", f.MemoryMB, MinMemoryMB, MaxMemoryMB))
	}
	if !f.Architecture.Valid() {
		errs = append(errs, Inputf(p("architecture"), "unknown architecture %q (want x86_64 or arm64)", f.Architecture))
	}
	if f.EphemeralStorageMB != 0 && (f.EphemeralStorageMB < MinEphemeralMB || f.EphemeralStorageMB > MaxEphemeralMB) {
		errs = append(errs, Inputf(p("ephemeral_storage_mb"), "ephemeral storage %d MB is outside Lambda's range %d–%d MB", f.EphemeralStorageMB, MinEphemeralMB, MaxEphemeralMB))
	}
	if f.Timeout < 0 || f.Timeout.D() > MaxTimeout {
		errs = append(errs, Inputf(p("timeout"), "timeout %s is outside Lambda's range (0, 15m]", f.Timeout))
	}
	if f.ProvisionedConcurrency < 0 {
		errs = append(errs, Inputf(p("provisioned_concurrency"), "must not be negative"))
	}
	if f.ReservedConcurrency < 0 {
		errs = append(errs, Inputf(p("reserved_concurrency"), "must not be negative"))
	}
	if f.ReservedConcurrency > 0 && f.ProvisionedConcurrency > f.ReservedConcurrency {
		errs = append(errs, Inputf(p("provisioned_concurrency"), "provisioned concurrency %d exceeds reserved concurrency %d", f.ProvisionedConcurrency, f.ReservedConcurrency))
	}
	return errs
}

// Usage is a month of a function's activity described by averages, the way
// a person estimates it (the `estimate` flags and `--usage` files). Billed
// converts it into exact billable quantities.
type Usage struct {
	// Requests is the number of invocations in the month (all billed as requests).
	Requests int64 `json:"requests" yaml:"requests"`
	// Duration is the average handler time of an on-demand invocation.
	// Each invocation is rounded up to the whole millisecond.
	Duration Duration `json:"duration" yaml:"duration"`
	// ColdStartRate is the share of on-demand invocations that are cold.
	ColdStartRate float64 `json:"cold_start_rate,omitempty" yaml:"cold_start_rate,omitempty"`
	// InitDuration is the INIT time of a cold invocation; billed since 2025-08-01.
	InitDuration Duration `json:"init_duration,omitempty" yaml:"init_duration,omitempty"`
	// ProvisionedHours is how many hours per month the function's provisioned
	// concurrency (FunctionConfig.ProvisionedConcurrency) is enabled.
	ProvisionedHours float64 `json:"provisioned_hours,omitempty" yaml:"provisioned_hours,omitempty"`
	// ProvisionedRequests is how many of Requests run on provisioned environments.
	ProvisionedRequests int64 `json:"provisioned_requests,omitempty" yaml:"provisioned_requests,omitempty"`
	// ProvisionedDuration is their average duration (default: Duration).
	ProvisionedDuration Duration `json:"provisioned_duration,omitempty" yaml:"provisioned_duration,omitempty"`
	// SnapStartHours is how long a SnapStart-enabled version stays active
	// (its snapshot cached) in the month; AWS bills at least 3 hours.
	SnapStartHours float64 `json:"snapstart_hours,omitempty" yaml:"snapstart_hours,omitempty"`
	// SnapStartRestores is how many environments were resumed from the
	// snapshot (SnapStart's cold starts).
	SnapStartRestores int64 `json:"snapstart_restores,omitempty" yaml:"snapstart_restores,omitempty"`
	// StreamedBytesPerRequest is the average size of a streamed response
	// (HTTP response streaming). The first 6 MB of each response are free;
	// the rest is billed per GB. An average stands for every request: with
	// mixed sizes give one entry per size class (see README).
	StreamedBytesPerRequest ByteSize `json:"streamed_bytes_per_request,omitempty" yaml:"streamed_bytes_per_request,omitempty"`
	// AsyncPayloadBytesPerRequest is the size of each asynchronous event
	// (invocation type Event: S3, SNS, EventBridge, …). Beyond the first
	// 256 KB, every further 64 KB chunk (a part-chunk counts whole) bills
	// one more request; at most 1 MB. Like StreamedBytesPerRequest it
	// stands for every request: give one entry per size class.
	AsyncPayloadBytesPerRequest ByteSize `json:"async_payload_bytes_per_request,omitempty" yaml:"async_payload_bytes_per_request,omitempty"`
	// LogBytesPerRequest is how many bytes of logs an invocation writes to
	// CloudWatch Logs (its own lines and Lambda's START/END/REPORT lines).
	LogBytesPerRequest ByteSize `json:"log_bytes_per_request,omitempty" yaml:"log_bytes_per_request,omitempty"`
	// TransferOutBytesPerRequest is how many bytes each invocation sends to
	// the internet (billed as data transfer out, e.g. API responses).
	TransferOutBytesPerRequest ByteSize `json:"transfer_out_bytes_per_request,omitempty" yaml:"transfer_out_bytes_per_request,omitempty"`
	// Durable Functions: checkpoint operations in the month, GB of data
	// written, and GB-months of data retained.
	DurableOperations       int64   `json:"durable_operations,omitempty" yaml:"durable_operations,omitempty"`
	DurableWrittenGB        float64 `json:"durable_written_gb,omitempty" yaml:"durable_written_gb,omitempty"`
	DurableRetainedGBMonths float64 `json:"durable_retained_gb_months,omitempty" yaml:"durable_retained_gb_months,omitempty"`
	// TenantEnvironments is how many tenant-isolated execution environments
	// were created in the month.
	TenantEnvironments int64 `json:"tenant_environments,omitempty" yaml:"tenant_environments,omitempty"`
	// ESMType ("kafka" or "sqs") and ESMEPUHours: event poller unit hours of
	// an event source mapping in provisioned mode.
	ESMType     string  `json:"esm_type,omitempty" yaml:"esm_type,omitempty"`
	ESMEPUHours float64 `json:"esm_epu_hours,omitempty" yaml:"esm_epu_hours,omitempty"`
}

// Validate checks u (for a function with provisioned concurrency pc) and
// returns every problem found; prefix names the context.
func (u Usage) Validate(prefix string, pc int) []error {
	var errs []error
	p := func(field string) string {
		if prefix == "" {
			return field
		}
		return prefix + "." + field
	}
	if u.Requests < 0 {
		errs = append(errs, Inputf(p("requests"), "must not be negative"))
	}
	if u.Duration < 0 || u.Duration.D() > MaxTimeout {
		errs = append(errs, Inputf(p("duration"), "duration %s is outside Lambda's range [0, 15m]", u.Duration))
	}
	if math.IsNaN(u.ColdStartRate) || u.ColdStartRate < 0 || u.ColdStartRate > 1 {
		errs = append(errs, Inputf(p("cold_start_rate"), "must be between 0 and 1"))
	}
	if u.InitDuration < 0 || u.InitDuration.D() > MaxInitDuration {
		errs = append(errs, Inputf(p("init_duration"), "INIT duration %s is outside Lambda's range [0, 10s]", u.InitDuration))
	}
	if math.IsNaN(u.ProvisionedHours) || u.ProvisionedHours < 0 || u.ProvisionedHours > MaxHoursInMonth {
		errs = append(errs, Inputf(p("provisioned_hours"), "must be between 0 and %d hours (a 31-day month)", MaxHoursInMonth))
	}
	if u.ProvisionedRequests < 0 || (u.Requests >= 0 && u.ProvisionedRequests > u.Requests) {
		errs = append(errs, Inputf(p("provisioned_requests"), "must be between 0 and requests (%d)", u.Requests))
	}
	if u.ProvisionedRequests > 0 && pc == 0 {
		errs = append(errs, Inputf(p("provisioned_requests"), "provisioned requests need provisioned concurrency > 0"))
	}
	if u.ProvisionedHours > 0 && pc == 0 {
		errs = append(errs, Inputf(p("provisioned_hours"), "provisioned hours need provisioned concurrency > 0"))
	}
	if math.IsNaN(u.SnapStartHours) || u.SnapStartHours < 0 || u.SnapStartHours > MaxHoursInMonth {
		errs = append(errs, Inputf(p("snapstart_hours"), "must be between 0 and %d hours (a 31-day month)", MaxHoursInMonth))
	}
	if u.SnapStartRestores < 0 {
		errs = append(errs, Inputf(p("snapstart_restores"), "must not be negative"))
	}
	if u.StreamedBytesPerRequest < 0 {
		errs = append(errs, Inputf(p("streamed_bytes_per_request"), "must not be negative"))
	}
	if u.TransferOutBytesPerRequest < 0 {
		errs = append(errs, Inputf(p("transfer_out_bytes_per_request"), "must not be negative"))
	}
	if u.LogBytesPerRequest < 0 {
		errs = append(errs, Inputf(p("log_bytes_per_request"), "must not be negative"))
	}
	if u.AsyncPayloadBytesPerRequest < 0 || u.AsyncPayloadBytesPerRequest > MaxAsyncPayloadBytes {
		errs = append(errs, Inputf(p("async_payload_bytes_per_request"), "%d bytes is outside Lambda's asynchronous payload range [0, 1 MB = %d bytes]", u.AsyncPayloadBytesPerRequest, MaxAsyncPayloadBytes))
	}
	for name, v := range map[string]float64{"durable_written_gb": u.DurableWrittenGB, "durable_retained_gb_months": u.DurableRetainedGBMonths, "esm_epu_hours": u.ESMEPUHours} {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			errs = append(errs, Inputf(p(name), "must be a number ≥ 0"))
		}
	}
	if u.DurableOperations < 0 {
		errs = append(errs, Inputf(p("durable_operations"), "must not be negative"))
	}
	if u.TenantEnvironments < 0 {
		errs = append(errs, Inputf(p("tenant_environments"), "must not be negative"))
	}
	switch u.ESMType {
	case "", ESMKafka, ESMSQS:
	default:
		errs = append(errs, Inputf(p("esm_type"), "unknown event source mapping type %q (want kafka or sqs)", u.ESMType))
	}
	if u.ESMEPUHours > 0 && u.ESMType == "" {
		errs = append(errs, Inputf(p("esm_type"), "is required with esm_epu_hours (kafka or sqs)"))
	}
	if u.SnapStartRestores > 0 && u.SnapStartHours == 0 {
		errs = append(errs, Inputf(p("snapstart_hours"), "restores need the hours the SnapStart version is active"))
	}
	if u.ProvisionedDuration < 0 || u.ProvisionedDuration.D() > MaxTimeout {
		errs = append(errs, Inputf(p("provisioned_duration"), "duration %s is outside Lambda's range [0, 15m]", u.ProvisionedDuration))
	}
	if len(errs) == 0 {
		errs = append(errs, u.checkRange(p)...)
	}
	return errs
}

// checkRange refuses volumes whose billed milliseconds do not fit in an
// int64 (about 292 million years of compute): Billed would otherwise wrap
// around silently and price a wrong, small number.
func (u Usage) checkRange(p func(string) string) []error {
	n := u.Requests - u.ProvisionedRequests
	cold := BilledMs(u.Duration.D() + u.InitDuration.D())
	pd := u.ProvisionedDuration
	if pd == 0 {
		pd = u.Duration
	}
	if _, ok := MulInt64(n, cold); !ok {
		return []error{Inputf(p("requests"), "%d requests × %s exceed the largest volume lambdacost can bill exactly (%d ms of compute); split the usage into smaller parts", u.Requests, u.Duration+u.InitDuration, int64(math.MaxInt64))}
	}
	if _, ok := MulInt64(u.Requests, max(int64(u.StreamedBytesPerRequest)-FreeStreamedBytesPerResponse, 0)); !ok {
		return []error{Inputf(p("streamed_bytes_per_request"), "%d requests × %d bytes exceed the largest volume lambdacost can bill exactly; split the usage", u.Requests, u.StreamedBytesPerRequest)}
	}
	if _, ok := MulInt64(u.Requests, int64(u.TransferOutBytesPerRequest)); !ok {
		return []error{Inputf(p("transfer_out_bytes_per_request"), "%d requests × %d bytes exceed the largest volume lambdacost can bill exactly; split the usage", u.Requests, u.TransferOutBytesPerRequest)}
	}
	if _, ok := MulInt64(u.Requests, 1+AsyncExtraRequests(int64(u.AsyncPayloadBytesPerRequest))); !ok {
		return []error{Inputf(p("async_payload_bytes_per_request"), "%d requests with %d extra requests each exceed the largest request count lambdacost can bill exactly; split the usage", u.Requests, AsyncExtraRequests(int64(u.AsyncPayloadBytesPerRequest)))}
	}
	if _, ok := MulInt64(u.Requests, int64(u.LogBytesPerRequest)); !ok {
		return []error{Inputf(p("log_bytes_per_request"), "%d requests × %d bytes exceed the largest volume lambdacost can bill exactly; split the usage", u.Requests, u.LogBytesPerRequest)}
	}
	if _, ok := MulInt64(u.ProvisionedRequests, BilledMs(pd.D())); !ok {
		return []error{Inputf(p("provisioned_requests"), "%d provisioned requests × %s exceed the largest volume lambdacost can bill exactly (%d ms of compute); split the usage into smaller parts", u.ProvisionedRequests, pd, int64(math.MaxInt64))}
	}
	return nil
}

// MulInt64 returns a × b and whether it fits in an int64 (a, b ≥ 0).
func MulInt64(a, b int64) (int64, bool) {
	if a < 0 || b < 0 {
		return 0, false
	}
	if a == 0 || b == 0 {
		return 0, true
	}
	if a > math.MaxInt64/b {
		return 0, false
	}
	return a * b, true
}

// AddInt64 returns a + b and whether it fits in an int64 (a, b ≥ 0).
func AddInt64(a, b int64) (int64, bool) {
	if a < 0 || b < 0 || a > math.MaxInt64-b {
		return 0, false
	}
	return a + b, true
}

// BilledUsage is a span of a function's activity in the exact integer
// quantities AWS meters. The simulator and the collector produce it
// directly; Usage.Billed derives it from averages.
type BilledUsage struct {
	// Requests billed (every invocation, on-demand or provisioned).
	Requests int64 `json:"requests"`
	// AsyncExtraRequests are the further requests AWS bills for
	// asynchronous events larger than 256 KB (one per 64 KB chunk beyond
	// it): the requests line bills Requests + AsyncExtraRequests.
	AsyncExtraRequests int64 `json:"async_extra_requests,omitempty"`
	// OnDemandMs is the sum over on-demand invocations of their billed
	// milliseconds (each rounded up to the ms; cold ones include INIT).
	OnDemandMs int64 `json:"on_demand_ms"`
	// InitMs is the part of OnDemandMs that was INIT (for reporting).
	InitMs int64 `json:"init_ms,omitempty"`
	// ColdStarts is the number of cold on-demand invocations (for reporting).
	ColdStarts int64 `json:"cold_starts,omitempty"`
	// ProvisionedMs is the billed milliseconds of invocations served by
	// provisioned environments (at the provisioned duration rate).
	ProvisionedMs int64 `json:"provisioned_ms,omitempty"`
	// ProvisionedEnvSeconds is provisioned concurrency × seconds enabled,
	// already rounded up to 5 minutes.
	ProvisionedEnvSeconds int64 `json:"provisioned_env_seconds,omitempty"`
	// SnapStartCacheMs is how long the SnapStart snapshot was cached, in ms
	// (at least 3 hours, then per millisecond).
	SnapStartCacheMs int64 `json:"snapstart_cache_ms,omitempty"`
	// SnapStartRestores counts resumes from the snapshot.
	SnapStartRestores int64 `json:"snapstart_restores,omitempty"`
	// StreamedBytes is the sum over streamed responses of their bytes
	// beyond the free first 6 MB of each (HTTP response streaming).
	StreamedBytes int64 `json:"streamed_bytes,omitempty"`
	// LogBytes is how many bytes of logs the invocations wrote to
	// CloudWatch Logs.
	LogBytes int64 `json:"log_bytes,omitempty"`
	// TransferOutBytes is the data the invocations sent to the internet.
	TransferOutBytes int64 `json:"transfer_out_bytes,omitempty"`
	// Durable Functions, tenant isolation and provisioned event source
	// mappings (see Usage).
	DurableOperations       int64   `json:"durable_operations,omitempty"`
	DurableWrittenGB        float64 `json:"durable_written_gb,omitempty"`
	DurableRetainedGBMonths float64 `json:"durable_retained_gb_months,omitempty"`
	TenantEnvironments      int64   `json:"tenant_environments,omitempty"`
	// Event poller unit hours of provisioned event source mappings, per type.
	ESMKafkaEPUHours float64 `json:"esm_kafka_epu_hours,omitempty"`
	ESMSQSEPUHours   float64 `json:"esm_sqs_epu_hours,omitempty"`
}

// Event source mapping types with a provisioned-mode price.
const (
	ESMKafka = "kafka"
	ESMSQS   = "sqs"
)

// SnapStartMinimum is the shortest span AWS bills for a SnapStart cache.
const SnapStartMinimum = 3 * time.Hour

// SnapStartCacheMs applies SnapStart's billing rule to an active span: at
// least 3 hours, then per millisecond.
func SnapStartCacheMs(active time.Duration) int64 {
	if active <= 0 {
		return 0
	}
	return BilledMs(max(active, SnapStartMinimum))
}

// Add returns the sum of b and o.
func (b BilledUsage) Add(o BilledUsage) BilledUsage {
	return BilledUsage{
		Requests:                b.Requests + o.Requests,
		AsyncExtraRequests:      b.AsyncExtraRequests + o.AsyncExtraRequests,
		OnDemandMs:              b.OnDemandMs + o.OnDemandMs,
		InitMs:                  b.InitMs + o.InitMs,
		ColdStarts:              b.ColdStarts + o.ColdStarts,
		ProvisionedMs:           b.ProvisionedMs + o.ProvisionedMs,
		ProvisionedEnvSeconds:   b.ProvisionedEnvSeconds + o.ProvisionedEnvSeconds,
		SnapStartCacheMs:        b.SnapStartCacheMs + o.SnapStartCacheMs,
		SnapStartRestores:       b.SnapStartRestores + o.SnapStartRestores,
		StreamedBytes:           b.StreamedBytes + o.StreamedBytes,
		LogBytes:                b.LogBytes + o.LogBytes,
		TransferOutBytes:        b.TransferOutBytes + o.TransferOutBytes,
		DurableOperations:       b.DurableOperations + o.DurableOperations,
		DurableWrittenGB:        b.DurableWrittenGB + o.DurableWrittenGB,
		DurableRetainedGBMonths: b.DurableRetainedGBMonths + o.DurableRetainedGBMonths,
		TenantEnvironments:      b.TenantEnvironments + o.TenantEnvironments,
		ESMKafkaEPUHours:        b.ESMKafkaEPUHours + o.ESMKafkaEPUHours,
		ESMSQSEPUHours:          b.ESMSQSEPUHours + o.ESMSQSEPUHours,
	}
}

// AsyncExtraRequests is how many requests beyond the first AWS bills for
// one asynchronous event of size bytes: none up to 256 KB, then one per
// further 64 KB chunk, a part-chunk counting whole (ceil((bytes − 256 KB)
// / 64 KB)); a 1 MB event bills 1 + 12 = 13 requests.
func AsyncExtraRequests(bytes int64) int64 {
	over := bytes - AsyncIncludedBytes
	if over <= 0 {
		return 0
	}
	return (over + AsyncChunkBytes - 1) / AsyncChunkBytes
}

// BilledMs rounds one invocation's duration up to the whole millisecond, as
// Lambda bills it (1 ms granularity since December 2020, no minimum).
func BilledMs(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}

// ProvisionedSeconds rounds a span during which provisioned concurrency is
// enabled up to the next 5 minutes, as AWS bills it, and returns seconds.
func ProvisionedSeconds(enabled time.Duration) int64 {
	if enabled <= 0 {
		return 0
	}
	res := ProvisionedBillingRes
	n := (enabled + res - 1) / res
	return int64(n * res / time.Second)
}

// Billed converts averages into billable quantities:
//
//	on-demand invocations  n = Requests − ProvisionedRequests
//	cold starts            c = round(n × ColdStartRate)
//	on-demand ms           (n − c) × ceil(Duration) + c × ceil(InitDuration + Duration)
//	provisioned ms         ProvisionedRequests × ceil(ProvisionedDuration or Duration)
//	provisioned env-s      pc × ProvisionedHours rounded up to 5 min
//	SnapStart cache ms     SnapStartHours (at least 3 h), restores as given
//	streamed bytes         Requests × max(0, StreamedBytesPerRequest − 6 MB)
//	log bytes              Requests × LogBytesPerRequest
//	async extra requests   Requests × AsyncExtraRequests(AsyncPayloadBytesPerRequest)
//
// pc is the function's provisioned concurrency (FunctionConfig.ProvisionedConcurrency).
func (u Usage) Billed(pc int) BilledUsage {
	n := u.Requests - u.ProvisionedRequests
	c := int64(math.Round(float64(n) * u.ColdStartRate))
	warm := BilledMs(u.Duration.D())
	cold := BilledMs(u.Duration.D() + u.InitDuration.D())
	pd := u.ProvisionedDuration
	if pd == 0 {
		pd = u.Duration
	}
	hours := time.Duration(u.ProvisionedHours * float64(time.Hour))
	return BilledUsage{
		Requests:                u.Requests,
		AsyncExtraRequests:      u.Requests * AsyncExtraRequests(int64(u.AsyncPayloadBytesPerRequest)),
		OnDemandMs:              (n-c)*warm + c*cold,
		InitMs:                  c * (cold - warm),
		ColdStarts:              c,
		ProvisionedMs:           u.ProvisionedRequests * BilledMs(pd.D()),
		ProvisionedEnvSeconds:   int64(pc) * ProvisionedSeconds(hours),
		SnapStartCacheMs:        SnapStartCacheMs(time.Duration(u.SnapStartHours * float64(time.Hour))),
		SnapStartRestores:       u.SnapStartRestores,
		StreamedBytes:           u.Requests * max(int64(u.StreamedBytesPerRequest)-FreeStreamedBytesPerResponse, 0),
		LogBytes:                u.Requests * int64(u.LogBytesPerRequest),
		TransferOutBytes:        u.Requests * int64(u.TransferOutBytesPerRequest),
		DurableOperations:       u.DurableOperations,
		DurableWrittenGB:        u.DurableWrittenGB,
		DurableRetainedGBMonths: u.DurableRetainedGBMonths,
		TenantEnvironments:      u.TenantEnvironments,
		ESMKafkaEPUHours:        u.epuHours(ESMKafka),
		ESMSQSEPUHours:          u.epuHours(ESMSQS),
	}
}

func (u Usage) epuHours(kind string) float64 {
	if u.ESMType == kind {
		return u.ESMEPUHours
	}
	return 0
}
