package whatif

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator"
)

// ScenarioFile is the name the page's scenario is parsed under (so that
// messages read "scenario.yaml:12: …") and downloaded as.
const ScenarioFile = "scenario.yaml"

// Set is what a session changes on the base scenario. Every field is
// optional; a nil field keeps the base scenario's value. The values are
// written into the scenario's YAML (see Apply) and validated by the
// scenario parser, so a bad value gets the message `lambdacost simulate`
// gives for the same file.
type Set struct {
	// TrafficScale multiplies the base scenario's traffic (its
	// traffic.scale, 1 when absent): 10 is ten times the requests.
	TrafficScale *float64 `json:"traffic_scale,omitempty"`
	// StartRate is traffic.start_rate (requests per second at t = 0).
	StartRate *float64 `json:"start_rate,omitempty"`
	// Stages replace traffic.stages (the spike shape).
	Stages *[]Stage `json:"stages,omitempty"`
	// Duration is the simulated span (e.g. "2h", "30d").
	Duration *string `json:"duration,omitempty"`
	// MemoryMB is function.memory_mb.
	MemoryMB *int `json:"memory_mb,omitempty"`
	// Architecture is function.architecture (x86_64 or arm64).
	Architecture *string `json:"architecture,omitempty"`
	// Provisioned is the provisioned concurrency (always-warm environments).
	Provisioned *int `json:"provisioned,omitempty"`
	// Reserved is the reserved concurrency (0 = none).
	Reserved *int `json:"reserved,omitempty"`
	// AccountLimit is the regional concurrency quota.
	AccountLimit *int `json:"account_limit,omitempty"`
	// Region is the AWS Region the bill is priced in.
	Region *string `json:"region,omitempty"`
	// MonthlyGrowth is traffic.monthly_growth (0.05: 5 % more a month,
	// compounded per 730-hour month of the span).
	MonthlyGrowth *float64 `json:"monthly_growth,omitempty"`
	// FreeTier is billing.free_tier (Lambda's monthly free tier on the
	// monthly bill).
	FreeTier *bool `json:"free_tier,omitempty"`
	// ComputeSavingsPlan is billing.compute_savings_plan (a discount in
	// [0, 1) on duration and provisioned concurrency).
	ComputeSavingsPlan *float64 `json:"compute_savings_plan,omitempty"`
	// ProvisionedSchedule replaces concurrency.provisioned_schedule (an
	// empty list removes it): from each step's at (e.g. "8h", from the
	// start of the span) the provisioned level is its level.
	ProvisionedSchedule *[]ScheduleStep `json:"provisioned_schedule,omitempty"`
}

// ScheduleStep is one scheduled provisioned-concurrency level.
type ScheduleStep struct {
	At    string `json:"at"`
	Level int    `json:"level"`
}

// UnmarshalJSON reads a step strictly: both fields, neither null.
func (st *ScheduleStep) UnmarshalJSON(b []byte) error {
	var raw struct {
		At    *string `json:"at"`
		Level *int    `json:"level"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	if raw.At == nil || raw.Level == nil {
		return pricing.Inputf("set.provisioned_schedule", "each step needs an at (a time from the start, e.g. 8h) and a level")
	}
	st.At, st.Level = *raw.At, *raw.Level
	return nil
}

// Stage is one k6-style stage: the rate moves linearly to Target
// requests per second over Duration.
type Stage struct {
	Duration string  `json:"duration"`
	Target   float64 `json:"target"`
}

// UnmarshalJSON reads a stage strictly: both fields, neither null.
func (st *Stage) UnmarshalJSON(b []byte) error {
	var raw struct {
		Duration *string  `json:"duration"`
		Target   *float64 `json:"target"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	if raw.Duration == nil || raw.Target == nil {
		return pricing.Inputf("set.stages", "each stage needs a duration and a target (requests per second)")
	}
	st.Duration, st.Target = *raw.Duration, *raw.Target
	return nil
}

// Apply writes set into the scenario YAML base and returns the new YAML
// (comments and the order of keys kept), headed by a comment naming the
// command that reproduces the page's numbers (command, if not empty). The
// result is not validated: Parse it.
func Apply(base []byte, set Set, command string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(base, &doc); err != nil {
		return nil, pricing.Inputf(ScenarioFile, "%v", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, pricing.Inputf(ScenarioFile, "a scenario is a YAML mapping (name:, function:, traffic:, …)")
	}
	root := doc.Content[0]
	if set.TrafficScale != nil {
		k := *set.TrafficScale
		if !(k > 0) || k > 1e6 {
			return nil, pricing.Inputf("traffic_scale", "must be a multiplier above 0 and at most 1000000, got %g", k)
		}
		baseScale := 1.0
		if n := lookup(root, "traffic", "scale"); n != nil {
			f, err := strconv.ParseFloat(n.Value, 64)
			if err != nil {
				return nil, pricing.Inputf(fmt.Sprintf("%s:%d", ScenarioFile, n.Line), "traffic.scale: expected a number, got %q", n.Value)
			}
			baseScale = f
		}
		setScalar(root, floatNode(baseScale*k), "traffic", "scale")
	}
	if set.StartRate != nil {
		setScalar(root, floatNode(*set.StartRate), "traffic", "start_rate")
	}
	if set.Stages != nil {
		seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for _, st := range *set.Stages {
			m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
			m.Content = append(m.Content, strNode("duration"), strNode(st.Duration), strNode("target"), floatNode(st.Target))
			seq.Content = append(seq.Content, m)
		}
		setNode(root, seq, "traffic", "stages")
	}
	if set.Duration != nil {
		setScalar(root, strNode(*set.Duration), "duration")
	}
	if set.MemoryMB != nil {
		setScalar(root, intNode(*set.MemoryMB), "function", "memory_mb")
	}
	if set.Architecture != nil {
		setScalar(root, strNode(*set.Architecture), "function", "architecture")
	}
	// The provisioned and reserved levels may be written in either of two
	// places; change the one the scenario uses (both would contradict).
	if set.Provisioned != nil {
		if lookup(root, "function", "provisioned_concurrency") != nil {
			setScalar(root, intNode(*set.Provisioned), "function", "provisioned_concurrency")
		} else {
			setScalar(root, intNode(*set.Provisioned), "concurrency", "provisioned")
		}
	}
	if set.Reserved != nil {
		if lookup(root, "function", "reserved_concurrency") != nil {
			setScalar(root, intNode(*set.Reserved), "function", "reserved_concurrency")
		} else {
			setScalar(root, intNode(*set.Reserved), "concurrency", "reserved")
		}
	}
	if set.AccountLimit != nil {
		setScalar(root, intNode(*set.AccountLimit), "concurrency", "account_limit")
	}
	if set.Region != nil {
		setScalar(root, strNode(*set.Region), "region")
	}
	if set.ProvisionedSchedule != nil {
		if len(*set.ProvisionedSchedule) == 0 {
			deleteKey(lookup(root, "concurrency"), "provisioned_schedule")
		} else {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
			for _, st := range *set.ProvisionedSchedule {
				m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}
				m.Content = append(m.Content, strNode("at"), strNode(st.At), strNode("level"), intNode(st.Level))
				seq.Content = append(seq.Content, m)
			}
			setNode(root, seq, "concurrency", "provisioned_schedule")
		}
	}
	if set.MonthlyGrowth != nil {
		setScalar(root, floatNode(*set.MonthlyGrowth), "traffic", "monthly_growth")
	}
	if set.FreeTier != nil {
		setScalar(root, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(*set.FreeTier)}, "billing", "free_tier")
	}
	if set.ComputeSavingsPlan != nil {
		setScalar(root, floatNode(*set.ComputeSavingsPlan), "billing", "compute_savings_plan")
	}
	if command != "" {
		// yaml.v3 keeps a file's first comment on the document, the mapping
		// or its first key, depending on blank lines: gather all three.
		old := doc.HeadComment + "\n" + root.HeadComment
		if len(root.Content) > 0 {
			old += "\n" + root.Content[0].HeadComment
			root.Content[0].HeadComment = ""
		}
		doc.HeadComment = ""
		root.HeadComment = "# Saved by lambdacost serve. Reproduce the page's numbers with:\n#   " + command + keepComment(old)
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// ApplyCompare writes the session's choice of the always-on alternatives
// into the scenario YAML y as its compare: section (replacing the one it
// has; none when c chooses nothing), the section `lambdacost compare`
// reads. The result is not validated: Parse it.
func ApplyCompare(y []byte, c CompareSet) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(y, &doc); err != nil {
		return nil, pricing.Inputf(ScenarioFile, "%v", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, pricing.Inputf(ScenarioFile, "a scenario is a YAML mapping (name:, function:, traffic:, …)")
	}
	root := doc.Content[0]
	deleteKey(root, "compare")
	if !c.IsZero() {
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		list := func(key string, names []string) {
			if len(names) == 0 {
				return
			}
			seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
			for _, n := range names {
				seq.Content = append(seq.Content, strNode(n))
			}
			m.Content = append(m.Content, strNode(key), seq)
		}
		list("instance_types", c.InstanceTypes)
		if c.FargateTask != "" {
			m.Content = append(m.Content, strNode("fargate_task"), strNode(c.FargateTask))
		}
		list("lmi_instance_types", c.LMIInstanceTypes)
		if c.NoLMI {
			m.Content = append(m.Content, strNode("no_lmi"), &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: "true"})
		}
		root.Content = append(root.Content, strNode("compare"), m)
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// keepComment keeps the base scenario's own head comment under ours
// (without an earlier "Saved by" header).
func keepComment(c string) string {
	var keep []string
	lines := strings.Split(c, "\n")
	for i := 0; i < len(lines); i++ {
		if strings.Contains(lines[i], "Saved by lambdacost serve.") {
			i++ // and the command line under it
			continue
		}
		keep = append(keep, lines[i])
	}
	c = strings.TrimSpace(strings.Join(keep, "\n"))
	if c == "" {
		return ""
	}
	return "\n" + c
}

// DecodeSet reads a Set from JSON strictly: an unknown field or a value of
// the wrong type is an error naming the field.
func DecodeSet(r io.Reader) (Set, error) {
	var s Set
	err := decodeStrict(r, &s)
	return s, err
}

func decodeStrict(r io.Reader, v any) error {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		var ie *pricing.InputError
		switch {
		case errors.As(err, &ie):
			return ie
		case errors.As(err, &te):
			return pricing.Inputf(te.Field, "expected %s, got a JSON %s", jsonKind(te.Type.Kind().String()), te.Value)
		case errors.Is(err, io.EOF):
			return pricing.Inputf("request", "empty body: expected a JSON object")
		}
		msg := strings.TrimPrefix(err.Error(), "json: ")
		return pricing.Inputf("request", "%s", msg)
	}
	if dec.More() {
		return pricing.Inputf("request", "unexpected data after the JSON object")
	}
	return nil
}

// Parse validates a scenario YAML exactly as `lambdacost simulate` does,
// under the name ScenarioFile (relative file references in it resolve
// against dir).
func Parse(data []byte, dir string) (*simulator.Scenario, error) {
	// Messages name the file as the session saves it ("scenario.yaml:7: …"),
	// as `lambdacost simulate scenario.yaml` run beside it would.
	if dir == "" || dir == "." {
		return simulator.ParseScenario(ScenarioFile, data)
	}
	s, err := simulator.ParseScenario(filepath.Join(dir, ScenarioFile), data)
	if err != nil {
		return nil, errors.New(strings.ReplaceAll(err.Error(), filepath.Join(dir, ScenarioFile), ScenarioFile))
	}
	return s, nil
}

// Absolutize rewrites the relative file references of a scenario read
// from path (traffic.trace and the file: of empirical distributions) to
// absolute paths, so that the scenario a session downloads still finds
// them wherever it is saved.
func Absolutize(data []byte, path string) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, pricing.Inputf(path, "%v", err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, pricing.Inputf(path, "a scenario is a YAML mapping (name:, function:, traffic:, …)")
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	changed := false
	fix := func(n *yaml.Node) {
		if n != nil && n.Kind == yaml.ScalarNode && n.Value != "" && !filepath.IsAbs(n.Value) {
			n.Value = filepath.Join(dir, n.Value)
			changed = true
		}
	}
	root := doc.Content[0]
	fix(lookup(root, "traffic", "trace"))
	for _, d := range [][]string{{"function", "duration"}, {"function", "init_duration"}, {"keep_alive", "idle_timeout"}} {
		if n := lookup(root, d...); n != nil && n.Kind == yaml.MappingNode {
			fix(lookup(n, "file"))
		}
	}
	if !changed {
		return data, nil
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, err
	}
	_ = enc.Close()
	return out.Bytes(), nil
}

// lookup follows keys through nested mappings; nil when absent.
func lookup(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
			}
		}
		n = next
	}
	return n
}

// deleteKey removes key from the mapping m (nil: nothing).
func deleteKey(m *yaml.Node, key string) {
	if m == nil || m.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

// setScalar sets the value at keys, keeping the old node's comments.
func setScalar(root, v *yaml.Node, keys ...string) {
	if old := lookup(root, keys...); old != nil {
		v.LineComment, v.HeadComment, v.FootComment = old.LineComment, old.HeadComment, old.FootComment
	}
	setNode(root, v, keys...)
}

// setNode sets the value at keys, creating the mappings on the way.
func setNode(root, v *yaml.Node, keys ...string) {
	n := root
	for i, k := range keys {
		var found *yaml.Node
		for j := 0; j+1 < len(n.Content); j += 2 {
			if n.Content[j].Value == k {
				if i == len(keys)-1 {
					n.Content[j+1] = v
					return
				}
				found = n.Content[j+1]
			}
		}
		if found == nil || found.Kind != yaml.MappingNode {
			if i == len(keys)-1 {
				n.Content = append(n.Content, strNode(k), v)
				return
			}
			m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
			if found != nil {
				// A scalar where a mapping belongs (e.g. `function: x`):
				// replace it; the parser would refuse it anyway.
				*found = *m
				m = found
			} else {
				n.Content = append(n.Content, strNode(k), m)
			}
			found = m
		}
		n = found
	}
}

func strNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(i)}
}

func floatNode(f float64) *yaml.Node {
	// No tag: "10" stays a plain 10 (a float field reads an integer).
	return &yaml.Node{Kind: yaml.ScalarNode, Value: strconv.FormatFloat(f, 'g', -1, 64)}
}

// Prepare makes a scenario file ready to be a session's base: file
// references absolute (Absolutize), and the region named — region (the
// caller's resolved region) when the file has none or override is set (an
// explicit --region, as `simulate` gives it precedence) — so that the
// scenario a session saves gives the same numbers wherever and by whomever
// it is run.
func Prepare(data []byte, path, region string, override bool) ([]byte, error) {
	out, err := Absolutize(data, path)
	if err != nil {
		return nil, err
	}
	s, err := simulator.ParseScenario(path, data)
	if err != nil {
		return nil, err
	}
	if region == "" {
		region = "us-east-1"
	}
	if s.Region == "" || (override && region != s.Region) {
		return Apply(out, Set{Region: &region}, "")
	}
	return out, nil
}

func jsonKind(k string) string {
	switch {
	case strings.HasPrefix(k, "int") || strings.HasPrefix(k, "uint"):
		return "an integer"
	case strings.HasPrefix(k, "float"):
		return "a number"
	case k == "string":
		return "a string"
	case k == "slice" || k == "array":
		return "a list"
	case k == "struct" || k == "map":
		return "an object"
	}
	return "a " + k
}
