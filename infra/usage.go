package infra

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lambdacost/lambdacost/pricing"
)

// FunctionUsage is a month of one function's usage, as a usage source
// gives it: the on-demand invocations and, per provisioned-concurrency
// configuration, its hours and the invocations it serves.
type FunctionUsage struct {
	// OnDemand is the function's usage outside provisioned concurrency
	// (Requests, Duration, cold starts when known).
	OnDemand pricing.Usage
	// Provisioned is per Function.Provisioned entry, same order.
	Provisioned []ProvisionedUsage
	// From says where the usage came from ("usage.yml:12", "dataset prod.json").
	From string
	// Missing lists the usage values the source does not give (the cost
	// they would add is not included).
	Missing []string
	// Assumptions lists values used that the source did not give.
	Assumptions pricing.Assumptions
	// Billed, when a simulation gave the month, is the function's exact
	// billed usage: its on-demand invocations with their cold starts and
	// the provisioned configuration marked Simulated (its invocations and
	// hours). OnDemand is then unused, and Provisioned entries not
	// Simulated bill their hours only.
	Billed *pricing.BilledUsage
	// Months, when the simulation behind Billed spans more than a 730-hour
	// month, is its usage month by month, each projected to a whole month
	// (simulator.MonthlyUsages) with the seconds of the span it covers:
	// the estimate bills each month on its own (its free tier and tiers)
	// and takes the mean (pricing.MeanMonthCost). nil: Billed is every
	// month's.
	Months []pricing.MonthUsage
	// Sim summarises the simulation behind Billed.
	Sim *Simulation
	// Err is a failure to produce the usage that is not missing data (a
	// tune file that cannot be read, a cancelled simulation).
	Err error
	// LogBytes is the month's ingestion into the function's log group
	// (Standard class): the logs line.
	LogBytes int64
}

// Simulation is what a side's simulation observed in its month: the cold
// starts it bills, the peak of busy environments, the share of
// invocations provisioned environments served and the throttles.
type Simulation struct {
	ColdStarts       int64   `json:"cold_starts_per_month"`
	ColdStartRate    float64 `json:"cold_start_rate"`
	PeakConcurrency  int     `json:"peak_concurrency"`
	ProvisionedShare float64 `json:"provisioned_share"`
	Throttles        int64   `json:"throttles"`
	// Mode is the simulator's engine: exact or fast.
	Mode string `json:"mode"`
}

// ProvisionedUsage is a month of one provisioned-concurrency configuration.
type ProvisionedUsage struct {
	Hours    float64
	Requests int64
	Duration pricing.Duration
	// Simulated: FunctionUsage.Billed includes this configuration (its
	// hours and the invocations it served).
	Simulated bool
}

// UsageSource gives the usage of a function read from infrastructure code.
type UsageSource interface {
	// Usage returns f's usage for the month.
	Usage(f *Function) FunctionUsage
}

// UsageFile is an infracost usage file, read as infracost writes it:
//
//	version: 0.1
//	resource_type_default_usage:
//	  aws_lambda_function:
//	    monthly_requests: 1000000
//	    request_duration_ms: 250
//	resource_usage:
//	  aws_lambda_function.api:
//	    monthly_requests: 30000000
//	    request_duration_ms: 120
//	  module.workers.aws_lambda_function.worker[*]:   # wildcards match any index or key
//	    monthly_requests: 500000
//	    request_duration_ms: 900
//	  aws_lambda_provisioned_concurrency_config.api_live:
//	    monthly_duration_hrs: 730
//	    monthly_requests: 10000000
//	    request_duration_ms: 110
//	  CheckoutFunction:                                # a CloudFormation logical id
//	    monthly_requests: 2000000
//	    request_duration_ms: 80
//
// A resource's own entry wins over a wildcard entry (the first in file
// order that matches), which wins over resource_type_default_usage.
// Entries of other resource types are allowed (a team's file covers all its
// resources) and left out; an unknown key in a Lambda entry is an error.
type UsageFile struct {
	Path string
	// unpriced are the log groups whose class has no known price on some
	// side (prepare): their logs are priced on neither side.
	unpriced map[string]string
	// shares splits a log group's ingestion among the functions of one
	// side that write to it (prepare): keyed by the function.
	shares  map[*Function]logShare
	exact   map[string]*usageEntry
	wild    []*usageEntry
	types   map[string]*usageEntry
	Ignored int // entries of resource types lambdacost does not price
}

type usageEntry struct {
	key    string
	re     *regexp.Regexp
	pos    string
	values map[string]float64
	arch   string
}

// The usage keys infracost defines for Lambda resources.
var (
	functionKeys    = []string{"monthly_requests", "request_duration_ms"}
	provisionedKeys = []string{"monthly_duration_hrs", "monthly_requests", "request_duration_ms", "memory_mb", "architecture"}
	logGroupKeys    = []string{"monthly_data_ingested_gb", "storage_gb", "monthly_data_scanned_gb"}
	logicalIDKeys   = []string{"monthly_requests", "request_duration_ms", "monthly_duration_hrs", "monthly_data_ingested_gb", "storage_gb", "monthly_data_scanned_gb"}
)

// ReadUsageFile reads an infracost usage file.
func ReadUsageFile(path string) (*UsageFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf("--usage", "%v", err)
	}
	return ParseUsageFile(path, data)
}

// ParseUsageFile parses an infracost usage file read from path; problems
// name file:line.
func ParseUsageFile(path string, data []byte) (*UsageFile, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, pricing.Inputf(path, "not valid YAML: %v", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, pricing.Inputf(path, "not an infracost usage file (want a mapping with version: 0.1 and resource_usage:)")
	}
	u := &UsageFile{Path: path, exact: map[string]*usageEntry{}, types: map[string]*usageEntry{}}
	var errs []error
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d", path, n.Line) }
	root := doc.Content[0]
	version := ""
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "version":
			version = v.Value
			if v.Value != "0.1" {
				errs = append(errs, pricing.Inputf(at(v), "usage file version %q is not supported (infracost's format is version: 0.1)", v.Value))
			}
		case "resource_usage", "resource_type_default_usage":
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.MappingNode {
				errs = append(errs, pricing.Inputf(at(v), "%s must be a mapping of resource to usage", k.Value))
				continue
			}
			for j := 0; j+1 < len(v.Content); j += 2 {
				rk, rv := v.Content[j], v.Content[j+1]
				typ := resourceType(rk.Value)
				if k.Value == "resource_type_default_usage" {
					typ = rk.Value
				}
				keys := usageKeys(typ)
				if keys == nil {
					u.Ignored++
					continue
				}
				e, eerrs := readEntry(path, rk, rv, keys)
				errs = append(errs, eerrs...)
				if e == nil {
					continue
				}
				switch {
				case k.Value == "resource_type_default_usage":
					u.types[rk.Value] = e
				case strings.Contains(rk.Value, "*"):
					e.re = wildcard(rk.Value)
					u.wild = append(u.wild, e)
				default:
					if prev, dup := u.exact[rk.Value]; dup {
						errs = append(errs, pricing.Inputf(at(rk), "%s is already given at %s", rk.Value, prev.pos))
						continue
					}
					u.exact[rk.Value] = e
				}
			}
		case "functions", "region", "free_tier":
			errs = append(errs, pricing.Inputf(at(k), "%q is a key of lambdacost's own usage file (estimate --usage without --terraform/--template); infrastructure code takes infracost's usage file: version: 0.1 and resource_usage: keyed by resource address", k.Value))
		default:
			errs = append(errs, pricing.Inputf(at(k), "unknown key %q (an infracost usage file has version, resource_type_default_usage and resource_usage)", k.Value))
		}
	}
	if version == "" {
		errs = append(errs, pricing.Inputf(path, "no version: an infracost usage file starts with version: 0.1"))
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	return u, nil
}

// resourceType is the type of a resource address: the part before the
// resource name, after any module path; a CloudFormation logical id (no
// dot) is a function.
func resourceType(addr string) string {
	parts := strings.Split(moduleKeyRe.ReplaceAllString(addr, ""), ".")
	if len(parts) == 1 {
		return logicalID
	}
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == "module" {
			i++
			continue
		}
		return parts[i]
	}
	return ""
}

func usageKeys(typ string) []string {
	switch typ {
	case tfFunction, "AWS::Lambda::Function", "AWS::Serverless::Function":
		return functionKeys
	case tfProvisioned:
		return provisionedKeys
	case tfLogGroup, "AWS::Logs::LogGroup":
		return logGroupKeys
	case logicalID:
		return logicalIDKeys
	}
	return nil
}

// logicalID is the type of a usage key without a dot: a CloudFormation
// logical id, of a function or of an alias or version with provisioned
// concurrency.
const logicalID = "(logical id)"

func readEntry(path string, k, v *yaml.Node, keys []string) (*usageEntry, []error) {
	at := func(n *yaml.Node) string { return fmt.Sprintf("%s:%d", path, n.Line) }
	e := &usageEntry{key: k.Value, pos: at(k), values: map[string]float64{}}
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return e, nil
	}
	if v.Kind != yaml.MappingNode {
		return nil, []error{pricing.Inputf(at(v), "%s: want a mapping of usage keys (%s)", k.Value, strings.Join(keys, ", "))}
	}
	var errs []error
	for i := 0; i+1 < len(v.Content); i += 2 {
		kk, vv := v.Content[i], v.Content[i+1]
		if !containsStr(keys, kk.Value) {
			errs = append(errs, pricing.Inputf(at(kk), "%s: unknown usage key %q (infracost's keys for this resource: %s)", k.Value, kk.Value, strings.Join(keys, ", ")))
			continue
		}
		if _, dup := e.values[kk.Value]; dup || (kk.Value == "architecture" && e.arch != "") {
			errs = append(errs, pricing.Inputf(at(kk), "%s: %s is given twice", k.Value, kk.Value))
			continue
		}
		if vv.Kind == yaml.ScalarNode && vv.Tag == "!!null" {
			continue // infracost writes unset keys as null or comments
		}
		if kk.Value == "architecture" {
			a, err := pricing.ParseArchitecture(vv.Value)
			if err != nil {
				errs = append(errs, pricing.Inputf(at(vv), "%s: %v", k.Value, err))
				continue
			}
			e.arch = string(a)
			continue
		}
		x, err := strconv.ParseFloat(vv.Value, 64)
		if vv.Kind != yaml.ScalarNode || err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < 0 {
			errs = append(errs, pricing.Inputf(at(vv), "%s: %s: want a number ≥ 0, got %q", k.Value, kk.Value, vv.Value))
			continue
		}
		if (kk.Value == "monthly_requests" || kk.Value == "memory_mb") && x != math.Trunc(x) {
			errs = append(errs, pricing.Inputf(at(vv), "%s: %s: want a whole number, got %s", k.Value, kk.Value, vv.Value))
			continue
		}
		if kk.Value == "monthly_duration_hrs" && x > pricing.MaxHoursInMonth {
			errs = append(errs, pricing.Inputf(at(vv), "%s: monthly_duration_hrs %s is more than a month (%d h)", k.Value, vv.Value, pricing.MaxHoursInMonth))
			continue
		}
		if kk.Value == "request_duration_ms" && x > float64(pricing.MaxTimeout/time.Millisecond) {
			errs = append(errs, pricing.Inputf(at(vv), "%s: request_duration_ms %s is longer than Lambda's 15-minute limit", k.Value, vv.Value))
			continue
		}
		e.values[kk.Value] = x
	}
	return e, errs
}

// wildcard turns a usage key with * into a regexp: every other character
// is literal, * matches anything.
func wildcard(key string) *regexp.Regexp {
	parts := strings.Split(key, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile("^" + strings.Join(parts, ".*") + "$")
}

// lookup returns the entries that apply to addr of type typ, most specific
// first: its own, a wildcard, the type's default.
func (u *UsageFile) lookup(addr, typ string) []*usageEntry {
	var out []*usageEntry
	if e := u.exact[addr]; e != nil {
		out = append(out, e)
	}
	for _, e := range u.wild {
		if e.re.MatchString(addr) {
			out = append(out, e)
			break
		}
	}
	if e := u.types[typ]; e != nil {
		out = append(out, e)
	} else if typ != tfFunction && typ != tfProvisioned {
		if e := u.types[tfFunction]; e != nil { // a template's function
			out = append(out, e)
		}
	}
	return out
}

func first(es []*usageEntry, key string) (float64, string, bool) {
	for _, e := range es {
		if v, ok := e.values[key]; ok {
			return v, e.pos, true
		}
	}
	return 0, "", false
}

// Usage gives f's usage from the file: monthly_requests and
// request_duration_ms of the function's entry; for each
// provisioned-concurrency configuration, monthly_duration_hrs,
// monthly_requests and request_duration_ms of its entry (a SAM alias's
// configuration is keyed by the function's logical id). Requests served by
// provisioned concurrency are billed as requests too.
func (u *UsageFile) Usage(f *Function) FunctionUsage {
	fu := FunctionUsage{From: u.Path}
	es := u.lookup(f.Address, f.Type)
	req, rpos, okR := first(es, "monthly_requests")
	dur, _, okD := first(es, "request_duration_ms")
	if len(es) > 0 {
		fu.From = es[0].pos
	}
	switch {
	case !okR:
		fu.Missing = append(fu.Missing, "monthly_requests")
	case req > 0 && !okD:
		fu.Missing = append(fu.Missing, "request_duration_ms")
	default:
		fu.OnDemand.Requests = int64(req)
		fu.OnDemand.Duration = msDuration(dur)
		_ = rpos
	}
	for _, p := range f.Provisioned {
		pes := u.lookup(p.Address, tfProvisioned)
		var pu ProvisionedUsage
		h, _, okH := first(pes, "monthly_duration_hrs")
		if okH {
			pu.Hours = h
		} else {
			pu.Hours = pricing.HoursPerMonth
			fu.Assumptions.Add(pricing.Assumption{Field: p.Address + ".monthly_duration_hrs", Value: fmt.Sprintf("%d h", pricing.HoursPerMonth),
				Why: "not in the usage file: provisioned concurrency bills for as long as it is configured, a 730-hour month"})
		}
		if r, _, ok := first(pes, "monthly_requests"); ok && r > 0 {
			pu.Requests = int64(r)
			d, _, okD := first(pes, "request_duration_ms")
			if !okD {
				fu.Missing = append(fu.Missing, p.Address+".request_duration_ms")
				pu.Requests = 0
			} else {
				pu.Duration = msDuration(d)
			}
		}
		for _, k := range []string{"memory_mb"} {
			if _, pos, ok := first(pes, k); ok {
				fu.Assumptions.Add(pricing.Assumption{Field: p.Address + "." + k, Value: "the function's", Why: "given at " + pos + " for infracost, which cannot link the configuration to its function; lambdacost prices the linked function's memory"})
			}
		}
		for _, e := range pes {
			if e.arch != "" {
				fu.Assumptions.Add(pricing.Assumption{Field: p.Address + ".architecture", Value: "the function's", Why: "given at " + e.pos + " for infracost; lambdacost prices the linked function's architecture"})
				break
			}
		}
		fu.Provisioned = append(fu.Provisioned, pu)
	}
	u.logs(f, &fu)
	return fu
}

// prepare notes the log groups of p whose class has no known price on
// either side, so that their logs are left out of both sides (a diff
// that priced them on one side only would be wrong).
func (u *UsageFile) prepare(p *Plan) {
	u.unpriced = map[string]string{}
	u.shares = map[*Function]logShare{}
	for side, fs := range [][]Function{p.Base, p.Head} {
		writers := map[string][]*Function{}
		for i := range fs {
			if l := fs[i].Logs; l != nil && l.GroupAddress != "" {
				writers[l.GroupAddress] = append(writers[l.GroupAddress], &fs[i])
			}
		}
		for _, ws := range writers {
			sort.Slice(ws, func(a, b int) bool { return ws[a].Address < ws[b].Address })
			var addrs []string
			for _, w := range ws {
				addrs = append(addrs, w.Address)
			}
			for k, w := range ws {
				u.shares[w] = logShare{k: k, n: len(ws), side: [2]string{"base", "head"}[side], writers: addrs}
			}
		}
	}
	for _, fs := range [][]Function{p.Base, p.Head} {
		for i := range fs {
			l := fs[i].Logs
			switch {
			case l == nil || l.GroupAddress == "":
			case l.ClassUnknown:
				u.unpriced[l.GroupAddress] = fmt.Sprintf("logs (%s: the log group class is known only after apply)", l.GroupAddress)
			case l.Class != LogClassStandard:
				u.unpriced[l.GroupAddress] = fmt.Sprintf("logs (%s: the %s class's ingestion price for Lambda logs is not in the price table, so its logs are priced on neither side)", l.GroupAddress, l.Class)
			}
		}
	}
}

// logShare is a function's part of its log group's ingestion: the k-th
// (by address) of the n functions of its side that write to the group.
type logShare struct {
	k, n    int
	side    string
	writers []string
}

// split returns the k-th of n even shares of total bytes; the first takes
// the remainder, so the shares add up to total.
func split(total int64, k, n int) int64 {
	share := total / int64(n)
	if k == 0 {
		return total - share*int64(n-1)
	}
	return share
}

// logs gives f the ingestion of its log group's entry
// (monthly_data_ingested_gb, infracost's key for aws_cloudwatch_log_group)
// when the code creates the group: Lambda logs in the Standard class are
// priced at their volume tiers; another class's price is not known and is
// named as missing, never priced at Standard's.
func (u *UsageFile) logs(f *Function, fu *FunctionUsage) {
	if f.Logs == nil || f.Logs.GroupAddress == "" {
		return
	}
	typ := tfLogGroup
	if !strings.Contains(f.Logs.GroupAddress, ".") {
		typ = logicalID
	}
	es := u.lookup(f.Logs.GroupAddress, typ)
	gb, pos, ok := first(es, "monthly_data_ingested_gb")
	if !ok {
		return
	}
	for _, k := range []string{"storage_gb", "monthly_data_scanned_gb"} {
		if _, kpos, ok := first(es, k); ok {
			fu.Assumptions.Add(pricing.Assumption{Field: f.Logs.GroupAddress + "." + k, Value: "not priced", Why: "given at " + kpos + "; lambdacost prices the ingestion of Lambda logs, not their storage or queries"})
		}
	}
	why, unpriced := u.unpriced[f.Logs.GroupAddress]
	switch {
	case gb == 0:
	case unpriced:
		fu.Missing = append(fu.Missing, why)
	case f.Logs.ClassUnknown:
		fu.Missing = append(fu.Missing, fmt.Sprintf("logs (%s: the log group class is known only after apply)", f.Logs.GroupAddress))
	case f.Logs.Class != LogClassStandard:
		fu.Missing = append(fu.Missing, fmt.Sprintf("logs (%s: the %s class's ingestion price for Lambda logs is not in the price table)", f.Logs.GroupAddress, f.Logs.Class))
	default:
		fu.LogBytes = int64(math.Round(gb * float64(1<<30)))
		fu.Assumptions.Add(pricing.Assumption{Field: f.Logs.GroupAddress + ".monthly_data_ingested_gb", Value: fmt.Sprintf("%g GB, on both sides", gb),
			Why: "given at " + pos + " for the log group; a log format change (Text → JSON) that writes more bytes is not modelled"})
		if sh, ok := u.shares[f]; ok && sh.n > 1 {
			// The group is billed once: its volume is split evenly among
			// the functions of this side that write to it.
			fu.LogBytes = split(fu.LogBytes, sh.k, sh.n)
			fu.Assumptions.Add(pricing.Assumption{Field: f.Logs.GroupAddress + ".shared@" + sh.side, Value: fmt.Sprintf("%d functions: %s", sh.n, strings.Join(sh.writers, ", ")),
				Why: "several functions of one side write to this log group: its ingestion is billed once, split evenly among them (the usage file gives the group's volume, not each function's)"})
		}
	}
}

func msDuration(ms float64) pricing.Duration {
	return pricing.Duration(time.Duration(math.Round(ms * float64(time.Millisecond))))
}
