// Package check evaluates CI cost checks (`lambdacost check`): a
// lambdacost.yaml lists checks over scenarios, datasets or inline estimates,
// each with k6-style thresholds on named metrics; the result says which
// thresholds hold, and, against a baseline (a previous result), how every
// metric moved. The package never prints: it returns a Report, and renders
// it (table, Markdown, JSON) to a writer it is given.
package check

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lambdacost/lambdacost/infra"
	"github.com/lambdacost/lambdacost/pricing"
)

// DefaultConfig is the file `check` reads when --config is not given.
const DefaultConfig = "lambdacost.yaml"

// SourceKind says where a check's numbers come from.
type SourceKind string

// The source kinds of a check.
const (
	SourceEstimate SourceKind = "estimate" // inline monthly usage, priced
	SourceDataset  SourceKind = "dataset"  // a collected/imported dataset file
	SourceScenario SourceKind = "scenario" // a traffic scenario, simulated
	// SourceTerraform and SourceTemplate price infrastructure code (package
	// infra): the change between its base and head, with a usage file or
	// a dataset.
	SourceTerraform SourceKind = "terraform"
	SourceTemplate  SourceKind = "template"
)

// Config is a parsed and validated lambdacost.yaml:
//
//	region: us-east-1            # optional; prices for estimate sources
//	free_tier: false             # optional; apply Lambda's monthly free tier
//	checks:
//	  - name: checkout-api
//	    scenario: scenarios/checkout.yaml   # or dataset: FILE [function: NAME]
//	                                        # or estimate: {requests: ..., duration: ..., memory_mb: ...}
//	    thresholds:
//	      monthly_cost_usd: ["< 250"]
//	      latency_p99_ms: ["< 800", "<= 750"]  # a list: all must hold
//	      monthly_cost_increase_pct: ["< 10"]  # needs a baseline
//
// Paths are relative to the directory of the config file.
type Config struct {
	Path     string // the file as given
	Region   string
	FreeTier bool
	Checks   []Check

	regionPos string
}

// Check is one named check: a source and its thresholds.
type Check struct {
	Name   string
	Pos    string // "file:line" of the check
	Source SourceKind
	// File is the scenario or dataset path as written in the config;
	// Resolved is it joined to the config's directory.
	File     string
	Resolved string
	// ResolvedFiles are a dataset source's files: dataset: takes one path
	// or a list, each a file or a glob pattern (pricing.DatasetFiles),
	// joined to the config's directory; several are read as one dataset
	// by the rules of `dataset merge` (pricing.ReadDatasets).
	ResolvedFiles []string
	// Function selects one function of a multi-function dataset: its name,
	// or REGION/NAME or ACCOUNT/REGION/NAME when datasets of several
	// regions or accounts hold functions of the same name.
	Function string
	// Estimate is the inline usage of an estimate source.
	Estimate *pricing.UsageEntry
	// Infra is the code and usage of a terraform or template source, its
	// paths resolved against the config's directory; Function (an address,
	// logical id or function name) then selects one function.
	Infra *infra.Source
	// Thresholds are the check's expressions in file order; a metric with a
	// list of expressions contributes one Threshold per expression.
	Thresholds []Threshold
}

// Threshold is one expression on one metric, e.g. monthly_cost_usd "< 250".
type Threshold struct {
	Metric   string // the key as written: "monthly_cost_usd", "latency_p99_ms_increase_pct"
	Base     string // the base metric ("latency_p99_ms")
	Increase bool   // an increase against the baseline, in percent
	Expr     Expr
	Text     string // the expression as written
	Pos      string // "file:line"
}

// String is "metric < value".
func (t Threshold) String() string { return t.Metric + " " + t.Expr.String() }

type configYAML struct {
	Region   string      `yaml:"region,omitempty"`
	FreeTier bool        `yaml:"free_tier,omitempty"`
	Checks   []checkYAML `yaml:"checks"`
}

type checkYAML struct {
	Name     string              `yaml:"name"`
	Scenario datasetPaths        `yaml:"scenario,omitempty"`
	Dataset  datasetPaths        `yaml:"dataset,omitempty"`
	Function string              `yaml:"function,omitempty"`
	Estimate *pricing.UsageEntry `yaml:"estimate,omitempty"`
	// Infrastructure code (terraform: or template:) and its usage.
	Terraform    string            `yaml:"terraform,omitempty"`
	Template     string            `yaml:"template,omitempty"`
	BaseTemplate string            `yaml:"base_template,omitempty"`
	Parameters   map[string]string `yaml:"parameters,omitempty"`
	Usage        string            `yaml:"usage,omitempty"`
	Tune         datasetPaths      `yaml:"tune,omitempty"`
	Thresholds   yaml.Node         `yaml:"thresholds,omitempty"`
}

// staticProvides lists what a source kind can ever provide; nil = decided
// by the data at run time.
var staticProvides = map[SourceKind][]string{
	SourceEstimate:  {MonthlyCostUSD, CostPerMillion, ColdStartRate},
	SourceTerraform: {MonthlyCostUSD},
	SourceTemplate:  {MonthlyCostUSD},
}

// LoadConfig reads and validates a config file. Every problem is reported
// (not just the first), each as a *pricing.InputError with "file:line".
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, pricing.Inputf("--config", "%v", err)
	}
	return ParseConfig(path, data)
}

// ParseConfig parses and validates config content read from path.
func ParseConfig(path string, data []byte) (*Config, error) {
	var raw configYAML
	root, err := pricing.DecodeYAML(path, data, &raw)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(path)
	cfg := &Config{Path: path, Region: raw.Region, FreeTier: raw.FreeTier, regionPos: pricing.At(path, root, "region")}
	var errs []error
	at := func(p ...string) string { return pricing.At(path, root, p...) }
	if len(raw.Checks) == 0 {
		errs = append(errs, pricing.Inputf(at(), "no checks: the file needs a `checks:` list (see `lambdacost check --help`)"))
	}
	seen := map[string]string{}
	for i, rc := range raw.Checks {
		idx := strconv.Itoa(i)
		c := Check{Name: rc.Name, Pos: at("checks", idx), Function: rc.Function, Estimate: rc.Estimate}
		label := rc.Name
		if label == "" {
			label = "checks[" + idx + "]"
		}
		switch {
		case strings.TrimSpace(rc.Name) == "":
			errs = append(errs, pricing.Inputf(c.Pos, "%s: needs a name (results and baselines are matched by name)", label))
		case seen[rc.Name] != "":
			errs = append(errs, pricing.Inputf(at("checks", idx, "name"), "check name %q is already used at %s", rc.Name, seen[rc.Name]))
		default:
			seen[rc.Name] = at("checks", idx, "name")
		}

		var kinds []string
		iac := rc.Terraform != "" || rc.Template != ""
		if len(rc.Scenario) > 0 && !iac {
			kinds = append(kinds, "scenario")
			c.Source, c.File = SourceScenario, rc.Scenario[0]
			if len(rc.Scenario) > 1 {
				errs = append(errs, pricing.Inputf(at("checks", idx, "scenario"), "%s: a scenario check simulates one scenario file (a list of them is the usage of a terraform: or template: source)", label))
			}
		}
		if len(rc.Dataset) > 0 && !iac {
			kinds = append(kinds, "dataset")
			c.Source, c.File = SourceDataset, strings.Join(rc.Dataset, ", ")
		}
		if rc.Estimate != nil {
			kinds = append(kinds, "estimate")
			c.Source = SourceEstimate
		}
		if rc.Terraform != "" {
			kinds = append(kinds, "terraform")
			c.Source, c.File = SourceTerraform, rc.Terraform
		}
		if rc.Template != "" {
			kinds = append(kinds, "template")
			c.Source, c.File = SourceTemplate, rc.Template
		}
		switch len(kinds) {
		case 0:
			errs = append(errs, pricing.Inputf(c.Pos, "%s: needs a source: one of scenario: FILE, dataset: FILE, estimate: {...}, terraform: PLAN.json or template: FILE", label))
		case 1:
		default:
			errs = append(errs, pricing.Inputf(c.Pos, "%s: has %s; give exactly one source", label, strings.Join(kinds, " and ")))
		}
		if rc.Function != "" && len(rc.Dataset) == 0 && !iac {
			errs = append(errs, pricing.Inputf(at("checks", idx, "function"), "%s: function: selects a function of a dataset, a plan or a template; it needs dataset:, terraform: or template:", label))
		}
		if !iac {
			for key, set := range map[string]bool{"usage": rc.Usage != "", "base_template": rc.BaseTemplate != "", "parameters": len(rc.Parameters) > 0, "tune": len(rc.Tune) > 0} {
				if set {
					errs = append(errs, pricing.Inputf(at("checks", idx, key), "%s: %s: applies to a terraform: or template: source", label, key))
				}
			}
		}
		// files lists every other file the check reads, by its key.
		files := map[string][2]string{} // key → resolved path, path as written
		if c.Source == SourceDataset {
			var rel []string
			written := map[string]string{} // resolved → as written
			for _, f := range rc.Dataset {
				r := f
				if !filepath.IsAbs(f) {
					r = filepath.Join(dir, f)
				}
				rel = append(rel, r)
				written[r] = f
			}
			name := func(f string) string {
				if w, ok := written[f]; ok {
					return w
				}
				return f
			}
			files, err := pricing.DatasetFiles(rel)
			if err != nil {
				errs = append(errs, pricing.Inputf(at("checks", idx, "dataset"), "%s: dataset %s: %v", label, c.File, err))
			}
			for _, f := range files {
				if st, err := os.Stat(f); err != nil {
					errs = append(errs, pricing.Inputf(at("checks", idx, "dataset"), "%s: dataset file %s: %v", label, name(f), unwrapPathErr(err)))
				} else if st.IsDir() {
					errs = append(errs, pricing.Inputf(at("checks", idx, "dataset"), "%s: dataset %s is a directory, not a file", label, name(f)))
				}
			}
			c.ResolvedFiles = files
			if len(files) > 0 {
				c.Resolved = files[0]
			}
		} else if c.File != "" {
			c.Resolved = c.File
			if !filepath.IsAbs(c.File) {
				c.Resolved = filepath.Join(dir, c.File)
			}
			files[string(c.Source)] = [2]string{c.Resolved, c.File}
		}
		if iac && len(kinds) == 1 {
			src := &infra.Source{Parameters: rc.Parameters}
			resolve := func(p string) string {
				if p == "" || filepath.IsAbs(p) {
					return p
				}
				return filepath.Join(dir, p)
			}
			src.Terraform, src.Template = resolve(rc.Terraform), resolve(rc.Template)
			if len(rc.Dataset) > 1 {
				errs = append(errs, pricing.Inputf(at("checks", idx, "dataset"), "%s: the usage of a terraform: or template: source is one dataset file", label))
			}
			ds := ""
			if len(rc.Dataset) > 0 {
				ds = rc.Dataset[0]
			}
			src.BaseTemplate, src.Usage, src.Dataset = resolve(rc.BaseTemplate), resolve(rc.Usage), resolve(ds)
			// KEY=FILE keeps its key; the file is relative to the config.
			keyFile := func(spec string) string {
				if k, f := infra.SplitKeyFile(spec); k != "" {
					return k + "=" + resolve(f)
				}
				return resolve(spec)
			}
			for _, sc := range rc.Scenario {
				src.Scenarios = append(src.Scenarios, keyFile(sc))
				{
					_, f := infra.SplitKeyFile(sc)
					files["scenario "+sc] = [2]string{resolve(f), f}
				}
			}
			for _, t := range rc.Tune {
				src.Tunes = append(src.Tunes, keyFile(t))
				_, f := infra.SplitKeyFile(t)
				files["tune "+t] = [2]string{resolve(f), f}
			}
			src.FlagNames = map[string]string{"scenario": at("checks", idx, "scenario"), "tune": at("checks", idx, "tune")}
			if err := src.Validate(func(k string) string { return at("checks", idx, strings.Fields(k)[0]) }); err != nil {
				errs = append(errs, pricing.Inputf(c.Pos, "%s: %v", label, err))
			}
			for key, p := range map[string][2]string{"base_template": {src.BaseTemplate, rc.BaseTemplate}, "usage": {src.Usage, rc.Usage}, "dataset": {src.Dataset, ds}} {
				if p[0] != "" {
					files[key] = p
				}
			}
			c.Infra = src
		}
		keys := make([]string, 0, len(files))
		for k := range files {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := files[k]
			if st, err := os.Stat(p[0]); err != nil {
				errs = append(errs, pricing.Inputf(at("checks", idx, strings.Fields(k)[0]), "%s: %s file %s: %v", label, strings.Fields(k)[0], p[1], unwrapPathErr(err)))
			} else if st.IsDir() {
				errs = append(errs, pricing.Inputf(at("checks", idx, strings.Fields(k)[0]), "%s: %s %s is a directory, not a file", label, strings.Fields(k)[0], p[1]))
			}
		}
		if e := rc.Estimate; e != nil {
			f := e.FunctionConfig.WithDefaults()
			for _, ve := range append(f.Validate(""), e.Usage.Validate("", f.ProvisionedConcurrency)...) {
				if ie, ok := ve.(*pricing.InputError); ok {
					errs = append(errs, pricing.Inputf(at("checks", idx, "estimate", ie.Source), "%s: estimate.%s: %s", label, ie.Source, ie.Msg))
				} else {
					errs = append(errs, ve)
				}
			}
		}
		ths, terrs := parseThresholds(path, &rc.Thresholds, label, c.Source)
		c.Thresholds = ths
		errs = append(errs, terrs...)
		cfg.Checks = append(cfg.Checks, c)
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	return cfg, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// parseThresholds reads a `thresholds:` mapping node, keeping file order
// and line numbers, and validates every key and expression.
func parseThresholds(path string, n *yaml.Node, label string, kind SourceKind) ([]Threshold, []error) {
	if n.Kind == 0 {
		return nil, nil // no thresholds: a report-only check
	}
	pos := func(l int) string { return fmt.Sprintf("%s:%d", path, l) }
	if n.Kind != yaml.MappingNode {
		return nil, []error{pricing.Inputf(pos(n.Line), "%s: thresholds must be a mapping of metric to expressions, e.g. monthly_cost_usd: [\"< 250\"]", label)}
	}
	var out []Threshold
	var errs []error
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		if l, dup := seen[key]; dup {
			errs = append(errs, pricing.Inputf(pos(k.Line), "%s: threshold metric %s is already given at line %d (put all its expressions in one list)", label, key, l))
			continue
		}
		seen[key] = k.Line
		base, inc, ok := ParseMetric(key)
		if !ok {
			msg := fmt.Sprintf("%s: unknown metric %q", label, key)
			if s := suggest(key, MetricNames()); s != "" {
				msg += fmt.Sprintf(" (did you mean %s?)", s)
			}
			msg += "; known metrics: " + strings.Join(MetricNames(), ", ")
			errs = append(errs, pricing.Inputf(pos(k.Line), "%s", msg))
			continue
		}
		if prov, static := staticProvides[kind]; static && !contains(prov, base) {
			errs = append(errs, pricing.Inputf(pos(k.Line), "%s: %s %s source cannot provide %s (it provides %s); use a scenario or a dataset for it", label, article(string(kind)), kind, base, strings.Join(prov, ", ")))
			continue
		}
		var items []*yaml.Node
		switch v.Kind {
		case yaml.ScalarNode:
			items = []*yaml.Node{v}
		case yaml.SequenceNode:
			items = v.Content
			if len(items) == 0 {
				errs = append(errs, pricing.Inputf(pos(v.Line), "%s: %s has an empty list of expressions", label, key))
			}
		default:
			errs = append(errs, pricing.Inputf(pos(v.Line), "%s: %s must be an expression or a list of expressions, e.g. [\"< 250\"]", label, key))
			continue
		}
		for _, it := range items {
			if it.Kind != yaml.ScalarNode {
				errs = append(errs, pricing.Inputf(pos(it.Line), "%s: %s: each expression must be a string such as \"< 250\"", label, key))
				continue
			}
			e, err := ParseExpr(key, it.Value)
			if err != nil {
				errs = append(errs, pricing.Inputf(pos(it.Line), "%s: %s: %v", label, key, err))
				continue
			}
			out = append(out, Threshold{Metric: key, Base: base, Increase: inc, Expr: e, Text: it.Value, Pos: pos(it.Line)})
		}
	}
	return out, errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// suggest returns the closest known name within a small edit distance.
func suggest(s string, known []string) string {
	best, bestD := "", 1<<30
	for _, k := range known {
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD <= max(2, len(s)/3) {
		return best
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// datasetPaths is a check's dataset: one path, or a list of them.
type datasetPaths []string

// UnmarshalYAML reads a scalar or a sequence of scalars.
func (p *datasetPaths) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Value != "" {
			*p = datasetPaths{n.Value}
		}
		return nil
	case yaml.SequenceNode:
		var out []string
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode || e.Value == "" {
				return fmt.Errorf("line %d: each entry is a file path (dataset: also a glob pattern)", e.Line)
			}
			out = append(out, e.Value)
		}
		if len(out) == 0 {
			return fmt.Errorf("line %d: the list of files is empty", n.Line)
		}
		*p = out
		return nil
	}
	return fmt.Errorf("line %d: dataset: give a file path, a glob pattern or a list of them", n.Line)
}

// article is "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
