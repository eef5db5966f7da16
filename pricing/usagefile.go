package pricing

import (
	"fmt"
	"math"
	"os"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// UsageFile is the `estimate --usage` file: many functions with their
// configuration and monthly usage, priced together (tiers aggregate across
// functions of the same architecture).
//
//	region: us-east-1        # optional; --region wins when given
//	free_tier: true          # optional; --free-tier also enables it
//	api_gateway: http        # optional: rest|http in front of every function
//	compute_savings_plan: 0.17  # optional discount on duration and PC
//	functions:
//	  - name: api
//	    memory_mb: 512
//	    architecture: arm64
//	    requests: 3000000
//	    duration: 120ms
//	    cold_start_rate: 0.01
//	    init_duration: 250ms
type UsageFile struct {
	Region   string `yaml:"region,omitempty" json:"region,omitempty"`
	FreeTier bool   `yaml:"free_tier,omitempty" json:"free_tier,omitempty"`
	// StreamingFreeTierUsed, APIGateway and ComputeSavingsPlan are the
	// Options of the same names (the flags win when given).
	StreamingFreeTierUsed bool         `yaml:"streaming_free_tier_used,omitempty" json:"streaming_free_tier_used,omitempty"`
	APIGateway            string       `yaml:"api_gateway,omitempty" json:"api_gateway,omitempty"`
	ComputeSavingsPlan    float64      `yaml:"compute_savings_plan,omitempty" json:"compute_savings_plan,omitempty"`
	Functions             []UsageEntry `yaml:"functions" json:"functions"`
}

// UsageEntry is one function of a usage file: its configuration and usage.
type UsageEntry struct {
	FunctionConfig `yaml:",inline"`
	Usage          `yaml:",inline"`
}

// Items returns the entries as pricing items.
func (u *UsageFile) Items() []Item {
	items := make([]Item, len(u.Functions))
	for i, e := range u.Functions {
		f := e.FunctionConfig.WithDefaults()
		items[i] = Item{Function: f, Usage: e.Usage.Billed(f.ProvisionedConcurrency)}
	}
	return items
}

// ReadUsageFile reads and validates a usage file; every problem is reported
// with its file:line.
func ReadUsageFile(path string) (*UsageFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Inputf("--usage", "%v", err)
	}
	return ParseUsageFile(path, data)
}

// ParseUsageFile parses and validates usage-file content read from path.
func ParseUsageFile(path string, data []byte) (*UsageFile, error) {
	var u UsageFile
	if err := DecodeYAMLStrict(path, data, &u); err != nil {
		return nil, err
	}
	// The node tree is only needed to point errors at lines: build it lazily.
	var root *yaml.Node
	at := func(p ...string) string {
		if root == nil {
			root = YAMLRoot(data)
		}
		return At(path, root, p...)
	}
	var errs []error
	if len(u.Functions) == 0 {
		errs = append(errs, Inputf(at(), "no functions: the file needs a `functions:` list"))
	}
	if u.APIGateway != "" && u.APIGateway != APIGatewayREST && u.APIGateway != APIGatewayHTTP {
		errs = append(errs, Inputf(at("api_gateway"), "unknown API Gateway kind %q (want rest or http)", u.APIGateway))
	}
	if math.IsNaN(u.ComputeSavingsPlan) || u.ComputeSavingsPlan < 0 || u.ComputeSavingsPlan >= 1 {
		errs = append(errs, Inputf(at("compute_savings_plan"), "discount %v is outside [0, 1) (e.g. 0.17 for 17 %%)", u.ComputeSavingsPlan))
	}
	for i, e := range u.Functions {
		idx := strconv.Itoa(i)
		f := e.FunctionConfig.WithDefaults()
		for _, ve := range append(f.Validate(""), e.Usage.Validate("", f.ProvisionedConcurrency)...) {
			if ie, ok := ve.(*InputError); ok {
				field := ie.Source
				name := e.Name
				if name == "" {
					name = "functions[" + idx + "]"
				}
				errs = append(errs, &InputError{Source: at("functions", idx, field), Msg: fmt.Sprintf("%s: %s: %s", name, field, ie.Msg)})
			} else {
				errs = append(errs, ve)
			}
		}
	}
	if err := Errors(errs); err != nil {
		return nil, err
	}
	return &u, nil
}

// Assumptions lists what pricing the entry takes that the entry does not
// say: Lambda's default memory and architecture, and no INIT billed when
// neither a cold-start rate nor cold starts are given (since August 2025
// every cold start bills its INIT). field names the entry in the
// assumption's Field ("functions[orders]", "estimate").
func (e UsageEntry) Assumptions(field string) Assumptions {
	var as Assumptions
	if e.MemoryMB == 0 {
		as.Add(Assumption{Field: field + ".memory_mb", Value: fmt.Sprintf("%d MB", MinMemoryMB), Why: "not given: Lambda's default; set memory_mb"})
	}
	if e.Architecture == "" {
		as.Add(Assumption{Field: field + ".architecture", Value: string(X86_64), Why: "not given: Lambda's default; set architecture"})
	}
	if e.Requests-e.ProvisionedRequests > 0 && e.ColdStartRate == 0 {
		as.Add(Assumption{Field: field + ".cold_start_rate", Value: "0", Why: "not given: no INIT is billed (since August 2025 every cold start bills its INIT); set cold_start_rate and init_duration"})
	}
	if e.ColdStartRate > 0 && e.InitDuration == 0 {
		as.Add(Assumption{Field: field + ".init_duration", Value: "0 ms", Why: "not given: cold starts bill no INIT time; set init_duration"})
	}
	return as
}

// Assumptions lists every entry's assumptions, each entry named
// functions[NAME] (functions[INDEX] when it has no name).
func (u *UsageFile) Assumptions() Assumptions {
	var as Assumptions
	for i, e := range u.Functions {
		field := fmt.Sprintf("functions[%d]", i)
		if e.Name != "" {
			field = "functions[" + e.Name + "]"
		}
		for _, a := range e.Assumptions(field) {
			as.Add(a)
		}
	}
	return as
}
