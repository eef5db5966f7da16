package pricing

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// HoursPerMonth is the month length used everywhere a monthly figure is
// derived from an hourly rate or a shorter span: 730 h (365 × 24 / 12), the
// convention of the AWS Pricing Calculator and infracost. AWS's own worked
// examples sometimes use 31-day months; the tests feed those examples their
// own inputs, so this constant only matters for projections.
const HoursPerMonth = 730

// SecondsPerMonth is HoursPerMonth in seconds.
const SecondsPerMonth = HoursPerMonth * 3600

//go:embed prices.json
var embeddedPrices []byte

// Price is a USD unit price. A nil *Price means "not known": the engine never
// guesses one, and fails with a message naming the region when it is needed.
type Price = decimal.Decimal

// PriceTable is the whole price list lambdacost uses: Lambda per region and
// architecture, and the always-on alternatives (EC2, Fargate, ALB, API
// Gateway, EBS). It is dated and names its sources.
type PriceTable struct {
	Date        string                                     `json:"date"`
	Currency    string                                     `json:"currency"`
	Description string                                     `json:"description,omitempty"`
	Origin      string                                     `json:"origin,omitempty"` // "embedded" or the override file's path
	Sources     []Source                                   `json:"sources"`
	FreeTier    FreeTier                                   `json:"free_tier"`
	Lambda      map[string]*LambdaRegion                   `json:"lambda"`
	EC2         map[string]map[string]*InstanceType        `json:"ec2"`
	Fargate     map[string]map[Architecture]*FargatePrices `json:"fargate"`
	ALB         map[string]*ALBPrices                      `json:"alb"`
	APIGateway  map[string]*APIGatewayPrices               `json:"api_gateway"`
	EBS         map[string]*EBSPrices                      `json:"ebs"`
	// Logs are CloudWatch Logs prices per region (optional).
	Logs map[string]*LogsPrices `json:"logs,omitempty"`
	// TransferOut are the tiers of data transfer out to the internet per
	// region (optional), USD per GB with cumulative bounds in GB.
	TransferOut map[string][]GBTier `json:"transfer_out,omitempty"`
	// Provenance names the source and date of each price, keyed by its
	// path in the table ("lambda/eu-west-1/arm64/requests",
	// "ec2/us-east-1/m7g.large", "logs/us-east-1/lambda_standard"). Written
	// by the generator (go generate ./pricing); optional in override files.
	Provenance map[string]PriceSource `json:"provenance,omitempty"`
}

// PriceSource says where one price comes from: a Source ID of the table
// and the date the figure was read or published.
type PriceSource struct {
	Source string `json:"source"`
	Date   string `json:"date"`
}

// LogsPrices are CloudWatch Logs prices in one region.
type LogsPrices struct {
	// LambdaStandard are the volume tiers of Standard-class ingestion of
	// Lambda logs (vended-log pricing, since 2025-05-01), per GB
	// (1 GB = 2^30 bytes), with cumulative upper bounds in GB.
	LambdaStandard []GBTier `json:"lambda_standard_ingestion"`
}

// GBTier is a band of a per-GB tiered price: the monthly volume up to UpToGB
// (cumulative; nil = unbounded) costs PerGB.
type GBTier struct {
	UpToGB *decimal.Decimal `json:"up_to_gb"`
	PerGB  Price            `json:"usd_per_gb"`
}

// Source is one reference the prices come from.
type Source struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// FreeTier is Lambda's perpetual monthly free tier (shared by both architectures).
type FreeTier struct {
	Requests    int64 `json:"requests"`
	GBSeconds   int64 `json:"gb_seconds"`
	StreamingGB int64 `json:"streaming_gb"`
	// TransferOutGB is the monthly data transfer out to the internet that
	// is free, aggregated over all services of the account.
	TransferOutGB int64 `json:"transfer_out_gb,omitempty"`
}

// LambdaRegion holds one region's Lambda prices per architecture.
type LambdaRegion struct {
	Name   string      `json:"name"`
	Source string      `json:"source,omitempty"`
	X86    *ArchPrices `json:"x86_64"`
	ARM    *ArchPrices `json:"arm64"`
}

// Arch returns the prices of one architecture.
func (r *LambdaRegion) Arch(a Architecture) *ArchPrices {
	if a == ARM64 {
		return r.ARM
	}
	return r.X86
}

// ArchPrices are the Lambda prices of one architecture in one region.
type ArchPrices struct {
	RequestsPerMillion  *Price `json:"requests_usd_per_million"`
	DurationTiers       []Tier `json:"duration_tiers"`
	Ephemeral           *Price `json:"ephemeral_usd_per_gb_s,omitempty"`
	Provisioned         *Price `json:"provisioned_usd_per_gb_s,omitempty"`
	ProvisionedDuration *Price `json:"provisioned_duration_usd_per_gb_s,omitempty"`
	SnapStartCache      *Price `json:"snapstart_cache_usd_per_gb_s,omitempty"`
	SnapStartRestore    *Price `json:"snapstart_restore_usd_per_gb,omitempty"`
	Streaming           *Price `json:"streaming_usd_per_gb,omitempty"`
	// Lambda@Edge: its own request and duration rates (x86_64).
	EdgeRequestsPerMillion *Price `json:"edge_requests_usd_per_million,omitempty"`
	EdgeDuration           *Price `json:"edge_duration_usd_per_gb_s,omitempty"`
	// Durable Functions: operations, data written, data retained.
	DurableOperationsPerMillion *Price `json:"durable_operations_usd_per_million,omitempty"`
	DurableWrittenPerGB         *Price `json:"durable_written_usd_per_gb,omitempty"`
	DurableRetainedPerGBMonth   *Price `json:"durable_retained_usd_per_gb_month,omitempty"`
	// TenantEnvironmentPerGB is the tenant-isolation charge per execution
	// environment created, per GB of the function's memory.
	TenantEnvironmentPerGB *Price `json:"tenant_environment_usd_per_gb,omitempty"`
	// Provisioned mode for event source mappings, per event poller unit hour.
	ESMKafkaEPUHour *Price `json:"esm_kafka_usd_per_epu_hour,omitempty"`
	ESMSQSEPUHour   *Price `json:"esm_sqs_usd_per_epu_hour,omitempty"`
}

// Tier is one band of a tiered price: usage up to UpTo (cumulative; nil =
// no upper bound) costs Price per unit.
type Tier struct {
	UpTo  *decimal.Decimal `json:"up_to_gb_s"`
	Price *Price           `json:"usd_per_gb_s"`
}

// InstanceType is an EC2 instance type with its on-demand Linux price.
type InstanceType struct {
	Name         string       `json:"-"`
	VCPU         int          `json:"vcpu"`
	MemoryGiB    float64      `json:"memory_gib"`
	Hourly       Price        `json:"usd_per_hour"`
	Architecture Architecture `json:"architecture"`
}

// FargatePrices are Fargate's Linux on-demand rates.
type FargatePrices struct {
	VCPUHour Price `json:"usd_per_vcpu_hour"`
	GBHour   Price `json:"usd_per_gb_hour"`
}

// ALBPrices are Application Load Balancer rates.
type ALBPrices struct {
	Hour    Price `json:"usd_per_hour"`
	LCUHour Price `json:"usd_per_lcu_hour"`
}

// APIGatewayPrices are API Gateway request tiers (per million requests).
type APIGatewayPrices struct {
	REST []MillionTier `json:"rest"`
	HTTP []MillionTier `json:"http"`
}

// MillionTier is a request tier: up to UpToMillions (nil = unbounded).
type MillionTier struct {
	UpToMillions *decimal.Decimal `json:"up_to_millions"`
	PerMillion   Price            `json:"usd_per_million"`
}

// EBSPrices are EBS volume rates per month.
type EBSPrices struct {
	GP3GBMonth   Price `json:"gp3_usd_per_gb_month"`
	GP3IOPSMonth Price `json:"gp3_usd_per_iops_month"`
	GP3MBpsMonth Price `json:"gp3_usd_per_mbps_month"`
	GP2GBMonth   Price `json:"gp2_usd_per_gb_month"`
}

// EnvPriceFile names the environment variable that points at a price
// override file written by `lambdacost pricing --update`.
const EnvPriceFile = "LAMBDACOST_PRICE_FILE"

// Embedded returns the price table compiled into the binary.
func Embedded() *PriceTable {
	t, err := ParseTable(embeddedPrices)
	if err != nil {
		panic("pricing: embedded price table is invalid: " + err.Error())
	}
	t.Origin = "embedded"
	return t
}

// ParseTable decodes and checks a price table.
// The output of `pricing -o json` (the table inside its envelope) reads too.
func ParseTable(b []byte) (*PriceTable, error) {
	var t PriceTable
	b, env, err := UnwrapEnvelope("", b)
	if err != nil {
		return nil, err
	}
	if env != nil && env.Kind != "prices" {
		return nil, fmt.Errorf("not a price table: the file holds a lambdacost %s result", env.Kind)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, err
	}
	if off := dec.InputOffset(); !atJSONEnd(dec) {
		return nil, fmt.Errorf("offset %d: data after the JSON value", off)
	}
	for code, r := range t.Lambda {
		if r == nil || r.X86 == nil || r.ARM == nil {
			return nil, fmt.Errorf("lambda region %s: both architectures must be present", code)
		}
	}
	for _, m := range t.EC2 {
		for name, it := range m {
			it.Name = name
		}
	}
	return &t, nil
}

// Load returns the price table in use: the override file named by
// $LAMBDACOST_PRICE_FILE or the default override path when it exists,
// merged over the embedded table; else the embedded table.
func Load() (*PriceTable, error) { return LoadEnv(os.Getenv) }

// LoadEnv is Load with an injected environment lookup (for tests and for
// commands that receive their environment explicitly).
func LoadEnv(getenv func(string) string) (*PriceTable, error) {
	base := Embedded()
	path := getenv(EnvPriceFile)
	if path == "" {
		path = DefaultOverridePath()
		if _, err := os.Stat(path); err != nil {
			return base, nil
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, Inputf(EnvPriceFile, "reading price file: %v", err)
	}
	over, err := ParseTable(b)
	if err != nil {
		return nil, Inputf(path, "invalid price file: %v", err)
	}
	base.Merge(over)
	base.Origin = path
	return base, nil
}

// DefaultOverridePath is where `pricing --update` writes refreshed prices.
func DefaultOverridePath() string {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "lambdacost-prices.json"
	}
	return dir + string(os.PathSeparator) + "lambdacost" + string(os.PathSeparator) + "prices.json"
}

// Merge overlays every region, instance type and service price present in o
// onto t; sources are added once; a newer date wins.
func (t *PriceTable) Merge(o *PriceTable) {
	if o.Date > t.Date {
		t.Date = o.Date
	}
	seen := map[string]bool{}
	for _, s := range t.Sources {
		seen[s.ID+"\x00"+s.Title] = true
	}
	for _, s := range o.Sources {
		if !seen[s.ID+"\x00"+s.Title] {
			t.Sources = append(t.Sources, s)
			seen[s.ID+"\x00"+s.Title] = true
		}
	}
	if o.FreeTier != (FreeTier{}) {
		t.FreeTier = o.FreeTier
	}
	t.Lambda = mergeMap(t.Lambda, o.Lambda)
	t.Fargate = mergeMap(t.Fargate, o.Fargate)
	t.ALB = mergeMap(t.ALB, o.ALB)
	t.APIGateway = mergeMap(t.APIGateway, o.APIGateway)
	t.EBS = mergeMap(t.EBS, o.EBS)
	t.Logs = mergeMap(t.Logs, o.Logs)
	t.TransferOut = mergeMap(t.TransferOut, o.TransferOut)
	t.Provenance = mergeMap(t.Provenance, o.Provenance)
	for region, m := range o.EC2 {
		if t.EC2 == nil {
			t.EC2 = map[string]map[string]*InstanceType{}
		}
		if t.EC2[region] == nil {
			t.EC2[region] = map[string]*InstanceType{}
		}
		for name, it := range m {
			t.EC2[region][name] = it
		}
	}
}

func mergeMap[V any](dst, src map[string]V) map[string]V {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[string]V{}
	}
	for k, v := range src {
		dst[k] = v
	}
	return dst
}

// Regions lists the Lambda regions in the table, sorted.
func (t *PriceTable) Regions() []string {
	out := make([]string, 0, len(t.Lambda))
	for k := range t.Lambda {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// LambdaRegion returns a region's Lambda prices or an input error naming --region.
func (t *PriceTable) LambdaRegion(region string) (*LambdaRegion, error) {
	r, ok := t.Lambda[region]
	if !ok {
		return nil, Inputf("--region", "no Lambda prices for region %q (known: %s)", region, strings.Join(t.Regions(), ", "))
	}
	return r, nil
}

// Instance returns an EC2 instance type's price in a region.
func (t *PriceTable) Instance(region, name string) (*InstanceType, error) {
	m := t.EC2[region]
	if m == nil {
		return nil, Inputf("--region", "no EC2 prices for region %q (known: %s)", region, strings.Join(keys(t.EC2), ", "))
	}
	it, ok := m[name]
	if !ok {
		return nil, Inputf("--instance-type", "no price for EC2 instance type %q in %s (known: %s)", name, region, strings.Join(keys(m), ", "))
	}
	return it, nil
}

// Instances lists a region's EC2 instance types sorted by hourly price.
func (t *PriceTable) Instances(region string) []*InstanceType {
	var out []*InstanceType
	for _, it := range t.EC2[region] {
		out = append(out, it)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].Hourly.Cmp(out[j].Hourly); c != 0 {
			return c < 0
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// FargateFor returns Fargate prices for a region and architecture.
func (t *PriceTable) FargateFor(region string, a Architecture) (*FargatePrices, error) {
	if m := t.Fargate[region]; m != nil && m[a] != nil {
		return m[a], nil
	}
	return nil, Inputf("--region", "no Fargate %s prices for region %q", a, region)
}

// ALBFor returns ALB prices for a region.
func (t *PriceTable) ALBFor(region string) (*ALBPrices, error) {
	if p := t.ALB[region]; p != nil {
		return p, nil
	}
	return nil, Inputf("--region", "no ALB prices for region %q", region)
}

// APIGatewayFor returns API Gateway prices for a region.
func (t *PriceTable) APIGatewayFor(region string) (*APIGatewayPrices, error) {
	if p := t.APIGateway[region]; p != nil {
		return p, nil
	}
	return nil, Inputf("--region", "no API Gateway prices for region %q", region)
}

// LogsFor returns CloudWatch Logs prices for a region.
func (t *PriceTable) LogsFor(region string) (*LogsPrices, error) {
	if p := t.Logs[region]; p != nil && len(p.LambdaStandard) > 0 {
		return p, nil
	}
	return nil, Inputf("--region", "no CloudWatch Logs prices for region %q (known: %s)", region, strings.Join(keys(t.Logs), ", "))
}

// EBSFor returns EBS prices for a region.
func (t *PriceTable) EBSFor(region string) (*EBSPrices, error) {
	if p := t.EBS[region]; p != nil {
		return p, nil
	}
	return nil, Inputf("--region", "no EBS prices for region %q", region)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// NewPriceTable returns an empty table with every per-region map made, for
// producers that fill it (the generator, a view of some regions).
func NewPriceTable() *PriceTable {
	return &PriceTable{
		Lambda:      map[string]*LambdaRegion{},
		EC2:         map[string]map[string]*InstanceType{},
		Fargate:     map[string]map[Architecture]*FargatePrices{},
		ALB:         map[string]*ALBPrices{},
		APIGateway:  map[string]*APIGatewayPrices{},
		EBS:         map[string]*EBSPrices{},
		Logs:        map[string]*LogsPrices{},
		TransferOut: map[string][]GBTier{},
		Provenance:  map[string]PriceSource{},
	}
}
