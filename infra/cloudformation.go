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

// CloudFormation resource types lambdacost reads.
const (
	cfnFunction    = "AWS::Lambda::Function"
	samFunction    = "AWS::Serverless::Function"
	cfnAlias       = "AWS::Lambda::Alias"
	cfnVersion     = "AWS::Lambda::Version"
	samTransform   = "AWS::Serverless-2016-10-31"
	noValue        = "AWS::NoValue"
	cfnCapProvider = "AWS::Lambda::CapacityProvider"
)

// TemplateOptions resolve a template's parameters and pseudo parameters.
type TemplateOptions struct {
	// Parameters are the stack's parameter values (sam deploy
	// --parameter-overrides); a parameter without one takes its Default.
	Parameters map[string]string
	// Region is AWS::Region.
	Region string
}

// ReadTemplate reads a CloudFormation, SAM or CDK-synthesised template (see
// ParseTemplate).
func ReadTemplate(path string, opt TemplateOptions) ([]Function, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, pricing.Inputf("--template", "%v", err)
	}
	return ParseTemplate(path, data, opt)
}

// ParseTemplate reads the Lambda functions of a CloudFormation template
// (YAML with short-form intrinsic tags such as !Ref, !Sub, !If, or JSON;
// SAM templates with Globals; CDK's cdk.out/*.template.json). Function
// addresses are logical ids. Intrinsic functions are evaluated with the
// given parameter values, each parameter's Default, Mappings and
// Conditions; a value that depends on something unknown at deploy time
// (!GetAtt, !ImportValue, a parameter without a value) is listed in
// Function.Unknown. It returns the functions and notes (what is not
// priced). Problems name file:line.
func ParseTemplate(path string, data []byte, opt TemplateOptions) ([]Function, []string, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// path:line (yaml.v3's) and what it found.
		yerr := pricing.YAMLError(path, err)
		if ie, ok := yerr.(*pricing.InputError); ok {
			ie.Msg = "not a valid YAML or JSON template: " + ie.Msg
		}
		return nil, nil, yerr
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil, pricing.Inputf(path, "not a CloudFormation template (want a mapping with Resources:)")
	}
	t := &cfnTemplate{path: path, opt: opt, root: doc.Content[0], conds: map[string]*condState{}}
	t.read()
	if err := pricing.Errors(t.errs); err != nil {
		return nil, nil, err
	}
	sortFunctions(t.fns)
	return t.fns, t.notes, nil
}

type cfnTemplate struct {
	path  string
	opt   TemplateOptions
	root  *yaml.Node
	errs  []error
	notes []string
	fns   []Function

	params     map[string]*yaml.Node
	mappings   *yaml.Node
	conditions *yaml.Node
	conds      map[string]*condState
	globals    *yaml.Node // Globals.Function
	sam        bool
	// logRefs: a function's LoggingConfig.LogGroup given as !Ref of a
	// log group resource (function logical id → log group logical id).
	logRefs map[string]string
	// logSet: the function's LoggingConfig sets LogGroup (its logs do
	// not go to the default group).
	logSet map[string]bool
	// lmiRefs: a function's CapacityProviderArn given as !GetAtt/!Ref of
	// a capacity provider of the template (function id → provider id).
	lmiRefs map[string]string
}

type condState struct {
	done, busy bool
	val        value
}

func (t *cfnTemplate) errorf(n *yaml.Node, format string, args ...any) {
	t.errs = append(t.errs, pricing.Inputf(fmt.Sprintf("%s:%d", t.path, n.Line), format, args...))
}

// get returns the value node of key in a mapping node (nil if absent).
func get(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func (t *cfnTemplate) read() {
	res := get(t.root, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		t.errs = append(t.errs, pricing.Inputf(t.path, "not a CloudFormation template: no Resources mapping"))
		return
	}
	if tr := get(t.root, "Transform"); tr != nil {
		names := []*yaml.Node{tr}
		if tr.Kind == yaml.SequenceNode {
			names = tr.Content
		}
		for _, c := range names {
			switch c.Value {
			case samTransform:
				t.sam = true
			case "AWS::LanguageExtensions":
				// Fn::ForEach is noted where it is met.
			default:
				// A macro rewrites the template before CloudFormation
				// deploys it: what it adds or changes is not seen here.
				t.notes = append(t.notes, fmt.Sprintf("Transform %s (line %d) is not run: the template is priced as written, without the resources the macro adds or the properties it changes", c.Value, c.Line))
			}
		}
	}
	t.params = map[string]*yaml.Node{}
	if ps := get(t.root, "Parameters"); ps != nil && ps.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(ps.Content); i += 2 {
			t.params[ps.Content[i].Value] = ps.Content[i+1]
		}
	}
	var given []string
	for k := range t.opt.Parameters {
		given = append(given, k)
	}
	sort.Strings(given)
	for _, k := range given {
		if _, ok := t.params[k]; !ok {
			t.errs = append(t.errs, pricing.Inputf("--parameter", "%s: the template has no parameter %q", t.path, k))
		}
	}
	t.mappings = get(t.root, "Mappings")
	t.conditions = get(t.root, "Conditions")
	if g := get(t.root, "Globals"); g != nil {
		t.globals = get(g, "Function")
		if t.globals != nil && t.globals.Kind != yaml.MappingNode {
			t.errorf(t.globals, "Globals.Function must be a mapping")
			t.globals = nil
		}
	}
	type link struct {
		fnNode *yaml.Node
		pc     Provisioned
		pcNode *yaml.Node
		res    string
	}
	var links []link
	other := map[string]int{}
	logGroups := map[string]*yaml.Node{}
	var providers []capacityProvider
	// Scalable targets are read once every function is: they refer to them.
	type resource struct {
		id    string
		props *yaml.Node
	}
	var targets []resource
	for i := 0; i+1 < len(res.Content); i += 2 {
		id, r := res.Content[i].Value, res.Content[i+1]
		if strings.HasPrefix(id, "Fn::ForEach::") {
			t.notes = append(t.notes, fmt.Sprintf("%s (AWS::LanguageExtensions) is not expanded: the resources it makes are not priced", id))
			continue
		}
		typ := get(r, "Type")
		if typ == nil {
			t.errorf(res.Content[i], "%s: no Type", id)
			continue
		}
		props := get(r, "Properties")
		if cn := get(r, "Condition"); cn != nil && (typ.Value == cfnFunction || typ.Value == samFunction || typ.Value == cfnAlias || typ.Value == cfnVersion) {
			v := t.condition(cn.Value, cn)
			switch {
			case v.unknown != "":
				t.notes = append(t.notes, fmt.Sprintf("%s is created only if condition %s holds, which depends on %s: priced as created", id, cn.Value, v.unknown))
			case v.s == "false":
				t.notes = append(t.notes, fmt.Sprintf("%s is not created: its condition %s is false", id, cn.Value))
				continue
			}
		}
		switch typ.Value {
		case cfnCapProvider:
			providers = append(providers, t.capacityProvider(id, props))
		case "AWS::Lambda::Url":
			if props != nil {
				if m := get(props, "InvokeMode"); m != nil && t.eval(m).s == "RESPONSE_STREAM" {
					t.notes = append(t.notes, streamingNote(id, t.functionRef(get(props, "TargetFunctionArn"))))
				}
			}
		case "AWS::ApplicationAutoScaling::ScalableTarget":
			targets = append(targets, resource{id, props})
		case "AWS::Logs::LogGroup":
			if props == nil {
				props = &yaml.Node{Kind: yaml.MappingNode}
			}
			logGroups[id] = props
		case cfnFunction:
			t.function(id, typ.Value, props, false)
		case samFunction:
			f := t.function(id, typ.Value, props, true)
			if f != nil {
				t.samProvisioned(f, props)
			}
		case cfnAlias, cfnVersion:
			if props == nil {
				t.errorf(r, "%s: no Properties", id)
				continue
			}
			pcc := get(props, "ProvisionedConcurrencyConfig")
			if pcc == nil {
				continue
			}
			p := Provisioned{Address: id}
			if typ.Value == cfnAlias {
				p.Qualifier = t.str(get(props, "Name"), id+".Name")
			} else {
				p.Qualifier = "version " + id
			}
			links = append(links, link{fnNode: get(props, "FunctionName"), pc: p, pcNode: pcc, res: id})
		case "AWS::CloudFormation::Stack", "AWS::Serverless::Application":
			// Its functions are in another template (a CDK NestedStack's
			// cdk.out/*.nested.template.json, a SAR application).
			t.notes = append(t.notes, fmt.Sprintf("%s (%s) is a nested stack: the functions of its template are not priced here (price that template with its own --template)", id, typ.Value))
		default:
			if strings.HasPrefix(typ.Value, "AWS::Lambda::") || strings.HasPrefix(typ.Value, "AWS::Serverless::CapacityProvider") {
				other[typ.Value]++
			}
		}
	}
	t.logGroups(logGroups)
	linkLMI(t.fns, providers, t.lmiRefs)
	for _, l := range links {
		n := get(l.pcNode, "ProvisionedConcurrentExecutions")
		if n == nil {
			t.errorf(l.pcNode, "%s: ProvisionedConcurrencyConfig needs ProvisionedConcurrentExecutions", l.res)
			continue
		}
		v := t.eval(n)
		if v.unknown != "" {
			l.pc.Unknown = true
		} else {
			l.pc.Concurrency = t.intOf(n, v, l.res+".ProvisionedConcurrentExecutions")
		}
		target := t.functionRef(l.fnNode)
		idx := -1
		for i := range t.fns {
			if t.fns[i].Address == target || (target != "" && t.fns[i].Config.Name == target) {
				idx = i
			}
		}
		if idx < 0 {
			t.notes = append(t.notes, fmt.Sprintf("%s: its function is not a function of this template, so its provisioned concurrency is not priced", l.res))
			continue
		}
		t.fns[idx].Provisioned = append(t.fns[idx].Provisioned, l.pc)
		if l.pc.Unknown {
			t.fns[idx].unknown(AttrProvisioned)
		}
	}
	var sts []scalingTarget
	for _, x := range targets {
		if st, ok := t.scalingTarget(x.id, x.props); ok {
			sts = append(sts, st)
		}
	}
	for _, n := range linkScalingTargets(t.fns, sts, "template") {
		t.notes = append(t.notes, strings.Replace(n, " (template)", "", 1))
	}
	var types []string
	for k := range other {
		types = append(types, k)
	}
	sort.Strings(types)
	for _, k := range types {
		if k != cfnCapProvider && strings.HasSuffix(k, "CapacityProvider") {
			t.notes = append(t.notes, fmt.Sprintf("%d %s resource(s): Lambda Managed Instances are not priced from templates (use estimate --lmi)", other[k], k))
		}
	}
}

// scalingTarget reads an AWS::ApplicationAutoScaling::ScalableTarget that
// scales provisioned concurrency (ScalableDimension
// lambda:function:ProvisionedConcurrency): its function is the first
// function of the template its ResourceId refers to (!Sub
// function:${Fn}:live, !Join with !Ref Fn), else the name the ResourceId
// evaluates to.
func (t *cfnTemplate) scalingTarget(id string, props *yaml.Node) (scalingTarget, bool) {
	if props == nil {
		return scalingTarget{}, false
	}
	if d := get(props, "ScalableDimension"); d == nil || t.eval(d).s != pcDimension {
		return scalingTarget{}, false
	}
	st := scalingTarget{address: id, min: -1, max: -1}
	for _, c := range []struct {
		key string
		to  *int
	}{{"MinCapacity", &st.min}, {"MaxCapacity", &st.max}} {
		if n := get(props, c.key); n != nil {
			if v := t.eval(n); v.unknown == "" && !v.none {
				if x, err := strconv.Atoi(v.s); err == nil {
					*c.to = x
				}
			}
		}
	}
	rid := get(props, "ResourceId")
	if rid == nil {
		return st, true
	}
	// A logical id names the function itself, or one of its aliases or
	// versions with provisioned concurrency (CDK's alias.addAutoScaling
	// splits the alias's ARN).
	fns := map[string]string{}
	for _, f := range t.fns {
		fns[f.Address] = f.Address
		for _, p := range f.Provisioned {
			fns[p.Address] = f.Address
		}
	}
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if st.function != "" || n == nil {
			return
		}
		if n.Kind == yaml.ScalarNode {
			cands := []string{n.Value}
			for _, m := range subRefRe.FindAllStringSubmatch(n.Value, -1) {
				cands = append(cands, m[1])
			}
			for _, c := range cands {
				c, _, _ = strings.Cut(c, ".")
				if fn, ok := fns[c]; ok {
					st.function = fn
					return
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(rid)
	if v := t.eval(rid); v.unknown == "" && !v.none {
		st.resourceID = v.s
	}
	return st, true
}

// subRefRe finds the ${Name} references of a Fn::Sub string.
var subRefRe = regexp.MustCompile(`\$\{([A-Za-z0-9.:]+)\}`)

// functionRef resolves an alias's or version's FunctionName to a logical id
// (!Ref Fn, !GetAtt Fn.Arn) or a literal function name.
func (t *cfnTemplate) functionRef(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	switch {
	case n.Tag == "!Ref":
		return n.Value
	case n.Tag == "!GetAtt":
		if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
			return n.Content[0].Value
		}
		id, _, _ := strings.Cut(n.Value, ".")
		return id
	case n.Kind == yaml.MappingNode && len(n.Content) == 2:
		k, v := n.Content[0].Value, n.Content[1]
		switch k {
		case "Ref":
			return v.Value
		case "Fn::GetAtt":
			if v.Kind == yaml.SequenceNode && len(v.Content) > 0 {
				return v.Content[0].Value
			}
			id, _, _ := strings.Cut(v.Value, ".")
			return id
		}
	}
	v := t.eval(n)
	if v.unknown == "" {
		name := v.s
		if i := strings.Index(name, ":function:"); i >= 0 {
			name, _, _ = strings.Cut(name[i+len(":function:"):], ":")
		}
		return name
	}
	return ""
}

// prop returns a function's property, with SAM Globals applied: a
// resource's own scalar wins, mappings are merged, lists are the global
// entries followed by the resource's (SAM's documented rules).
func (t *cfnTemplate) prop(props *yaml.Node, key string, sam bool) *yaml.Node {
	own := get(props, key)
	if !sam || t.globals == nil {
		return own
	}
	g := get(t.globals, key)
	switch {
	case g == nil:
		return own
	case own == nil:
		return g
	case own.Kind == yaml.MappingNode && g.Kind == yaml.MappingNode && own.Tag == "!!map" && g.Tag == "!!map" && !intrinsicMap(own) && !intrinsicMap(g):
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: own.Line}
		for i := 0; i+1 < len(g.Content); i += 2 {
			if get(own, g.Content[i].Value) == nil {
				m.Content = append(m.Content, g.Content[i], g.Content[i+1])
			}
		}
		m.Content = append(m.Content, own.Content...)
		return m
	case own.Kind == yaml.SequenceNode && g.Kind == yaml.SequenceNode:
		s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: own.Line}
		s.Content = append(append(s.Content, g.Content...), own.Content...)
		return s
	}
	return own
}

func intrinsicMap(n *yaml.Node) bool {
	return len(n.Content) == 2 && (n.Content[0].Value == "Ref" || strings.HasPrefix(n.Content[0].Value, "Fn::"))
}

func (t *cfnTemplate) function(id, typ string, props *yaml.Node, sam bool) *Function {
	if props == nil && !sam {
		props = &yaml.Node{Kind: yaml.MappingNode}
	}
	if props == nil {
		props = &yaml.Node{Kind: yaml.MappingNode}
	}
	n0 := len(t.errs)
	f := Function{Address: id, Type: typ}
	if n := t.prop(props, "FunctionName", sam); n != nil {
		if v := t.eval(n); v.unknown == "" && !v.none {
			f.Config.Name = v.s
		}
	}
	t.logging(&f, props, sam)
	t.managedInstances(&f, props, sam)
	if f.Config.Name == "" {
		f.Config.Name = id
	}
	intProp := func(key, attr string, dflt int, set func(int)) {
		n := t.prop(props, key, sam)
		if n == nil {
			set(dflt)
			if attr == AttrMemory {
				f.Defaults.Add(pricing.Assumption{Field: id + ".MemorySize", Value: "128 MB", Why: "not set: Lambda's default"})
			}
			return
		}
		v := t.eval(n)
		switch {
		case v.unknown != "":
			f.unknown(attr)
			f.Notes = append(f.Notes, fmt.Sprintf("%s depends on %s", key, v.unknown))
			set(dflt)
		case v.none:
			set(dflt)
		default:
			set(t.intOf(n, v, id+"."+key))
		}
	}
	intProp("MemorySize", AttrMemory, pricing.MinMemoryMB, func(x int) { f.Config.MemoryMB = x })
	intProp("Timeout", AttrTimeout, int(pricing.DefaultTimeout/time.Second), func(x int) { f.Config.Timeout = pricing.Duration(time.Duration(x) * time.Second) })
	if n := t.prop(props, "ReservedConcurrentExecutions", sam); n != nil {
		if v := t.eval(n); v.unknown == "" && !v.none {
			f.Config.ReservedConcurrency = t.intOf(n, v, id+".ReservedConcurrentExecutions")
			if f.Config.ReservedConcurrency == 0 {
				f.Notes = append(f.Notes, "ReservedConcurrentExecutions = 0: the function is throttled (never invoked)")
			}
		}
	}
	f.Config.EphemeralStorageMB = pricing.MinEphemeralMB
	if n := t.prop(props, "EphemeralStorage", sam); n != nil {
		v := t.eval(n)
		switch {
		case v.unknown != "":
			f.unknown(AttrEphemeral)
		case v.none:
		default:
			sz := get(n, "Size")
			if sz == nil {
				t.errorf(n, "%s: EphemeralStorage needs Size (MB)", id)
			} else if sv := t.eval(sz); sv.unknown != "" {
				f.unknown(AttrEphemeral)
			} else {
				f.Config.EphemeralStorageMB = t.intOf(sz, sv, id+".EphemeralStorage.Size")
			}
		}
	}
	f.Config.Architecture = pricing.X86_64
	if n := t.prop(props, "Architectures", sam); n != nil {
		v := t.eval(n)
		switch {
		case v.unknown != "":
			f.unknown(AttrArchitecture)
			f.Notes = append(f.Notes, "Architectures depends on "+v.unknown)
		case v.none:
			f.Defaults.Add(pricing.Assumption{Field: id + ".Architectures", Value: "x86_64", Why: "not set: Lambda's default"})
		case len(v.list) != 1:
			what := "Architectures"
			if sam && t.globals != nil && get(t.globals, "Architectures") != nil && get(props, "Architectures") != nil {
				what = "Architectures (Globals' list followed by the function's, as SAM merges lists)"
			}
			t.errorf(n, "%s: %s has %d entries; Lambda takes exactly one", id, what, len(v.list))
		default:
			a, unk := v.list[0].s, v.list[0].unknown
			if unk != "" {
				f.unknown(AttrArchitecture)
				f.Notes = append(f.Notes, "Architectures depends on "+unk)
			} else if !pricing.Architecture(a).Valid() {
				t.errorf(n, "%s: unknown architecture %q (want x86_64 or arm64)", id, a)
			} else {
				f.Config.Architecture = pricing.Architecture(a)
			}
		}
	} else {
		f.Defaults.Add(pricing.Assumption{Field: id + ".Architectures", Value: "x86_64", Why: "not set: Lambda's default"})
	}
	if sam {
		// SAM's FunctionUrlConfig makes an AWS::Lambda::Url for the function.
		if u := t.prop(props, "FunctionUrlConfig", sam); u != nil {
			if m := get(u, "InvokeMode"); m != nil && t.eval(m).s == "RESPONSE_STREAM" {
				f.Notes = append(f.Notes, streamingNote("its FunctionUrlConfig", "the function"))
			}
		}
	}
	if n := t.prop(props, "SnapStart", sam); n != nil {
		if on := get(n, "ApplyOn"); on != nil {
			if v := t.eval(on); v.unknown == "" && v.s != "None" {
				runtime := ""
				if rn := t.prop(props, "Runtime", sam); rn != nil {
					runtime = t.eval(rn).s
				}
				f.Notes = append(f.Notes, snapStartNote(v.s, runtime))
			}
		}
	}
	if len(t.errs) > n0 {
		return nil
	}
	for _, e := range f.Config.Validate("") {
		if ie, ok := e.(*pricing.InputError); ok {
			t.errorf(props, "%s: %s", id, ie.Msg)
		}
	}
	if len(t.errs) > n0 {
		return nil
	}
	t.fns = append(t.fns, f)
	return &t.fns[len(t.fns)-1]
}

// logging reads a function's LoggingConfig: LogFormat (Text by default)
// and LogGroup (a name, or !Ref of an AWS::Logs::LogGroup; by default
// /aws/lambda/<FunctionName>, unknown when CloudFormation names the
// function).
func (t *cfnTemplate) logging(f *Function, props *yaml.Node, sam bool) {
	l := &Logs{Format: "Text", Class: LogClassStandard}
	if f.Config.Name != "" {
		l.Group = "/aws/lambda/" + f.Config.Name
	}
	if lc := t.prop(props, "LoggingConfig", sam); lc != nil {
		if n := get(lc, "LogFormat"); n != nil {
			if v := t.eval(n); v.unknown == "" && !v.none {
				l.Format = v.s
			}
		}
		if n := get(lc, "LogGroup"); n != nil {
			if t.logSet == nil {
				t.logSet = map[string]bool{}
			}
			t.logSet[f.Address] = true
			if fn, arg := intrinsic(n); fn == "Ref" && arg != nil && t.params[arg.Value] == nil {
				if t.logRefs == nil {
					t.logRefs = map[string]string{}
				}
				t.logRefs[f.Address] = arg.Value
				l.Group = ""
			} else if v := t.eval(n); v.unknown == "" && !v.none {
				l.Group = v.s
			} else {
				l.Group = ""
			}
		}
	}
	f.Logs = l
}

// managedInstances reads a function's CapacityProviderConfig
// (LambdaManagedInstancesCapacityProviderConfig: CapacityProviderArn, as
// !GetAtt/!Ref of a capacity provider of the template or an ARN;
// ExecutionEnvironmentMemoryGiBPerVCpu; PerExecutionEnvironmentMaxConcurrency).
func (t *cfnTemplate) managedInstances(f *Function, props *yaml.Node, sam bool) {
	cpc := t.prop(props, "CapacityProviderConfig", sam)
	if cpc == nil {
		return
	}
	lmi := get(cpc, "LambdaManagedInstancesCapacityProviderConfig")
	if lmi == nil {
		return
	}
	m := &ManagedInstances{}
	if n := get(lmi, "CapacityProviderArn"); n != nil {
		if fn, arg := intrinsic(n); (fn == "Ref" || fn == "Fn::GetAtt") && arg != nil {
			id := arg.Value
			if arg.Kind == yaml.SequenceNode && len(arg.Content) > 0 {
				id = arg.Content[0].Value
			}
			id, _, _ = strings.Cut(id, ".")
			if t.lmiRefs == nil {
				t.lmiRefs = map[string]string{}
			}
			t.lmiRefs[f.Address] = id
			m.Provider = id
		} else if v := t.eval(n); v.unknown == "" && !v.none {
			m.Provider = v.s
		}
	}
	if n := get(lmi, "ExecutionEnvironmentMemoryGiBPerVCpu"); n != nil {
		if v := t.eval(n); v.unknown == "" && !v.none {
			if x, err := strconv.ParseFloat(v.s, 64); err == nil {
				m.MemoryGiBPerVCPU = x
			}
		}
	}
	if n := get(lmi, "PerExecutionEnvironmentMaxConcurrency"); n != nil {
		if v := t.eval(n); v.unknown == "" && !v.none {
			m.MaxConcurrency = t.intOf(n, v, f.Address+".PerExecutionEnvironmentMaxConcurrency")
		}
	}
	if n := t.prop(props, "Runtime", sam); n != nil {
		if v := t.eval(n); v.unknown == "" {
			m.Runtime = v.s
		}
	}
	if sc := t.prop(props, "FunctionScalingConfig", sam); sc != nil {
		if n := get(sc, "MinExecutionEnvironments"); n != nil {
			switch v := t.eval(n); {
			case v.unknown != "":
				f.unknown(AttrMinEnvironments)
			case !v.none:
				m.MinEnvironments = t.intOf(n, v, f.Address+".FunctionScalingConfig.MinExecutionEnvironments")
			}
		}
	}
	f.LMI = m
}

// capacityProvider reads an AWS::Lambda::CapacityProvider's
// InstanceRequirements.AllowedInstanceTypes.
func (t *cfnTemplate) capacityProvider(id string, props *yaml.Node) capacityProvider {
	c := capacityProvider{address: id}
	if sc := get(props, "CapacityProviderScalingConfig"); sc != nil {
		if n := get(sc, "MaxVCpuCount"); n != nil {
			switch v := t.eval(n); {
			case v.unknown != "":
				c.maxVCPUUnknown = true
			case !v.none:
				c.maxVCPU = t.intOf(n, v, id+".CapacityProviderScalingConfig.MaxVCpuCount")
			}
		}
	}
	ir := get(props, "InstanceRequirements")
	if ir == nil {
		return c
	}
	if a := get(ir, "Architectures"); a != nil {
		if v := t.eval(a); v.unknown == "" && len(v.list) == 1 && v.list[0].unknown == "" {
			c.arch = v.list[0].s
		}
	}
	n := get(ir, "AllowedInstanceTypes")
	if n == nil {
		return c
	}
	v := t.eval(n)
	if v.unknown != "" {
		c.typesUnknown = true
		return c
	}
	for _, x := range v.list {
		if x.unknown != "" {
			c.typesUnknown = true
			return c
		}
		c.instanceTypes = append(c.instanceTypes, x.s)
	}
	return c
}

// logGroups links the functions to the template's AWS::Logs::LogGroup
// resources: by !Ref, by name, or by a LogGroupName of
// !Sub /aws/lambda/${Function} (the default group of a function that
// CloudFormation names).
func (t *cfnTemplate) logGroups(groups map[string]*yaml.Node) {
	var lgs []logGroup
	subOf := map[string]string{} // log group id → function id of its !Sub name
	var ids []string
	for id := range groups {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		props := groups[id]
		g := logGroup{address: id, class: LogClassStandard}
		if n := get(props, "LogGroupClass"); n != nil {
			switch v := t.eval(n); {
			case v.unknown != "":
				g.classUnknown = true
			case !v.none:
				g.class = v.s
			}
		}
		if n := get(props, "LogGroupName"); n != nil {
			if fn, arg := intrinsic(n); fn == "Fn::Sub" && arg != nil && arg.Kind == yaml.ScalarNode && strings.HasPrefix(arg.Value, "/aws/lambda/${") && strings.HasSuffix(arg.Value, "}") {
				subOf[id] = strings.TrimSuffix(strings.TrimPrefix(arg.Value, "/aws/lambda/${"), "}")
			} else if v := t.eval(n); v.unknown == "" && !v.none {
				g.name = v.s
			}
		}
		lgs = append(lgs, g)
	}
	for i := range t.fns {
		f := &t.fns[i]
		if f.Logs == nil {
			continue
		}
		for _, g := range lgs {
			if t.logRefs[f.Address] == g.address || (g.name != "" && g.name == f.Logs.Group) || (subOf[g.address] == f.Address && !t.logSet[f.Address]) {
				f.Logs.GroupAddress, f.Logs.Class, f.Logs.ClassUnknown = g.address, g.class, g.classUnknown
				if g.name != "" {
					f.Logs.Group = g.name
				}
			}
		}
	}
}

// samProvisioned reads a SAM function's ProvisionedConcurrencyConfig: it
// applies to the alias AutoPublishAlias creates, whose logical id SAM
// derives as <function>Alias<alias>.
func (t *cfnTemplate) samProvisioned(f *Function, props *yaml.Node) {
	pcc := t.prop(props, "ProvisionedConcurrencyConfig", true)
	if pcc == nil {
		return
	}
	if v := t.eval(pcc); v.none {
		return
	}
	aliasNode := t.prop(props, "AutoPublishAlias", true)
	if aliasNode == nil {
		t.errorf(pcc, "%s: ProvisionedConcurrencyConfig needs AutoPublishAlias (SAM applies it to that alias)", f.Address)
		return
	}
	alias := t.str(aliasNode, f.Address+".AutoPublishAlias")
	p := Provisioned{Address: f.Address + "Alias" + alias, Qualifier: alias}
	n := get(pcc, "ProvisionedConcurrentExecutions")
	if n == nil {
		t.errorf(pcc, "%s: ProvisionedConcurrencyConfig needs ProvisionedConcurrentExecutions", f.Address)
		return
	}
	if v := t.eval(n); v.unknown != "" {
		p.Unknown = true
		f.unknown(AttrProvisioned)
	} else {
		p.Concurrency = t.intOf(n, v, f.Address+".ProvisionedConcurrentExecutions")
	}
	f.Provisioned = append(f.Provisioned, p)
}

func (t *cfnTemplate) str(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	v := t.eval(n)
	if v.unknown != "" {
		return "(" + what + " unknown)"
	}
	return v.s
}

func (t *cfnTemplate) intOf(n *yaml.Node, v value, what string) int {
	if v.list != nil || v.m != nil {
		t.errorf(n, "%s: want a number", what)
		return 0
	}
	x, err := strconv.ParseFloat(strings.TrimSpace(v.s), 64)
	if err != nil || x != math.Trunc(x) || math.Abs(x) > math.MaxInt32 {
		t.errorf(n, "%s: want a whole number, got %q", what, v.s)
		return 0
	}
	return int(x)
}

// value is an evaluated template value: a scalar (s), a list, a mapping, or
// unknown (why), or AWS::NoValue (none).
type value struct {
	s       string
	list    []value
	m       map[string]value
	unknown string
	none    bool
}

func unknownf(format string, args ...any) value { return value{unknown: fmt.Sprintf(format, args...)} }

// intrinsic returns the function name and argument of an intrinsic node in
// either form (!Tag arg or {"Fn::Name": arg}).
func intrinsic(n *yaml.Node) (string, *yaml.Node) {
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		name := strings.TrimPrefix(n.Tag, "!")
		if name != "Ref" && name != "Condition" {
			name = "Fn::" + name
		}
		arg := *n
		arg.Tag = ""
		switch arg.Kind {
		case yaml.ScalarNode:
			arg.Tag = "!!str"
		case yaml.SequenceNode:
			arg.Tag = "!!seq"
		case yaml.MappingNode:
			arg.Tag = "!!map"
		}
		return name, &arg
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, n.Content[1]
		}
	}
	return "", nil
}

func (t *cfnTemplate) eval(n *yaml.Node) value {
	if n == nil {
		return value{none: true}
	}
	if n.Kind == yaml.AliasNode {
		return t.eval(n.Alias)
	}
	if fn, arg := intrinsic(n); fn != "" {
		return t.call(fn, arg, n)
	}
	switch n.Kind {
	case yaml.ScalarNode:
		return value{s: n.Value}
	case yaml.SequenceNode:
		out := value{list: []value{}}
		for _, c := range n.Content {
			v := t.eval(c)
			if v.none {
				continue
			}
			if v.unknown != "" && out.unknown == "" {
				out.unknown = v.unknown
			}
			out.list = append(out.list, v)
		}
		if out.unknown != "" {
			out.list = nil
		}
		return out
	case yaml.MappingNode:
		out := value{m: map[string]value{}}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v := t.eval(n.Content[i+1])
			if v.none {
				continue
			}
			out.m[n.Content[i].Value] = v
		}
		return out
	}
	return value{none: true}
}

func (t *cfnTemplate) args(fn string, arg *yaml.Node, want int) ([]*yaml.Node, bool) {
	if arg.Kind != yaml.SequenceNode || (want > 0 && len(arg.Content) != want) {
		t.errorf(arg, "%s takes a list of %d arguments", fn, want)
		return nil, false
	}
	return arg.Content, true
}

var subRe = regexp.MustCompile(`\$\{([^}!][^}]*)\}`)

func (t *cfnTemplate) call(fn string, arg, n *yaml.Node) value {
	switch fn {
	case "Ref":
		return t.ref(arg.Value, arg)
	case "Condition":
		return t.condition(arg.Value, arg)
	case "Fn::Sub":
		s, vars := arg, map[string]value{}
		if arg.Kind == yaml.SequenceNode {
			a, ok := t.args(fn, arg, 2)
			if !ok {
				return unknownf("an invalid Fn::Sub")
			}
			s = a[0]
			for i := 0; i+1 < len(a[1].Content); i += 2 {
				vars[a[1].Content[i].Value] = t.eval(a[1].Content[i+1])
			}
		}
		var unk string
		out := subRe.ReplaceAllStringFunc(s.Value, func(m string) string {
			name := m[2 : len(m)-1]
			v, ok := vars[name]
			if !ok {
				if strings.Contains(name, ".") {
					id, _, _ := strings.Cut(name, ".")
					v = unknownf("the attribute %s of %s, known after deployment", name, id)
				} else {
					v = t.ref(name, s)
				}
			}
			if v.unknown != "" {
				unk = v.unknown
			}
			return v.s
		})
		if unk != "" {
			return value{unknown: unk}
		}
		return value{s: strings.ReplaceAll(out, "${!", "${")}
	case "Fn::If":
		a, ok := t.args(fn, arg, 3)
		if !ok {
			return unknownf("an invalid Fn::If")
		}
		c := t.condition(a[0].Value, a[0])
		switch {
		case c.unknown != "":
			return unknownf("condition %s (%s)", a[0].Value, c.unknown)
		case c.s == "true":
			return t.eval(a[1])
		default:
			return t.eval(a[2])
		}
	case "Fn::Equals":
		a, ok := t.args(fn, arg, 2)
		if !ok {
			return unknownf("an invalid Fn::Equals")
		}
		x, y := t.eval(a[0]), t.eval(a[1])
		if x.unknown != "" {
			return x
		}
		if y.unknown != "" {
			return y
		}
		return boolValue(x.s == y.s)
	case "Fn::Not":
		a, ok := t.args(fn, arg, 1)
		if !ok {
			return unknownf("an invalid Fn::Not")
		}
		x := t.eval(a[0])
		if x.unknown != "" {
			return x
		}
		return boolValue(x.s != "true")
	case "Fn::And", "Fn::Or":
		a, ok := t.args(fn, arg, 0)
		if !ok {
			return unknownf("an invalid %s", fn)
		}
		var unk string
		for _, c := range a {
			x := t.eval(c)
			if x.unknown != "" {
				unk = x.unknown
				continue
			}
			if fn == "Fn::And" && x.s != "true" {
				return boolValue(false)
			}
			if fn == "Fn::Or" && x.s == "true" {
				return boolValue(true)
			}
		}
		if unk != "" {
			return value{unknown: unk}
		}
		return boolValue(fn == "Fn::And")
	case "Fn::FindInMap":
		a, ok := t.args(fn, arg, 0)
		if !ok || len(a) < 3 {
			t.errorf(arg, "Fn::FindInMap takes [MapName, TopLevelKey, SecondLevelKey]")
			return unknownf("an invalid Fn::FindInMap")
		}
		keys := make([]string, 3)
		for i := range keys {
			v := t.eval(a[i])
			if v.unknown != "" {
				return v
			}
			keys[i] = v.s
		}
		m := get(get(get(t.mappings, keys[0]), keys[1]), keys[2])
		if m == nil {
			t.errorf(arg, "Fn::FindInMap: Mappings has no %s.%s.%s", keys[0], keys[1], keys[2])
			return unknownf("a missing mapping")
		}
		return t.eval(m)
	case "Fn::Select":
		a, ok := t.args(fn, arg, 2)
		if !ok {
			return unknownf("an invalid Fn::Select")
		}
		i, l := t.eval(a[0]), t.eval(a[1])
		if i.unknown != "" {
			return i
		}
		if l.unknown != "" {
			return l
		}
		k, err := strconv.Atoi(i.s)
		if err != nil || k < 0 || k >= len(l.list) {
			t.errorf(arg, "Fn::Select: index %q is outside the list of %d", i.s, len(l.list))
			return unknownf("an invalid Fn::Select")
		}
		return l.list[k]
	case "Fn::Join":
		a, ok := t.args(fn, arg, 2)
		if !ok {
			return unknownf("an invalid Fn::Join")
		}
		l := t.eval(a[1])
		if l.unknown != "" {
			return l
		}
		var parts []string
		for _, x := range l.list {
			parts = append(parts, x.s)
		}
		return value{s: strings.Join(parts, a[0].Value)}
	case "Fn::GetAtt":
		return unknownf("!GetAtt %s, known after deployment", strings.TrimSpace(flat(arg)))
	case "Fn::ImportValue":
		return unknownf("!ImportValue %s, another stack's export", strings.TrimSpace(flat(arg)))
	}
	return unknownf("%s, which lambdacost does not evaluate", fn)
}

func flat(n *yaml.Node) string {
	if n.Kind == yaml.SequenceNode {
		var parts []string
		for _, c := range n.Content {
			parts = append(parts, c.Value)
		}
		return strings.Join(parts, ".")
	}
	return n.Value
}

func boolValue(b bool) value { return value{s: strconv.FormatBool(b)} }

func (t *cfnTemplate) ref(name string, at *yaml.Node) value {
	switch name {
	case noValue:
		return value{none: true}
	case "AWS::Region":
		if t.opt.Region != "" {
			return value{s: t.opt.Region}
		}
		return unknownf("AWS::Region")
	case "AWS::Partition":
		return value{s: "aws"}
	case "AWS::URLSuffix":
		return value{s: "amazonaws.com"}
	}
	if strings.HasPrefix(name, "AWS::") {
		return unknownf("%s, known at deployment", name)
	}
	p, ok := t.params[name]
	if !ok {
		return unknownf("the resource %s, known after deployment", name) // a Ref to a resource
	}
	if v, ok := t.opt.Parameters[name]; ok {
		return t.paramValue(name, p, v)
	}
	if d := get(p, "Default"); d != nil {
		return t.paramValue(name, p, d.Value)
	}
	return unknownf("parameter %s, which has no Default (give --parameter %s=VALUE)", name, name)
}

func (t *cfnTemplate) paramValue(name string, p *yaml.Node, v string) value {
	if av := get(p, "AllowedValues"); av != nil && av.Kind == yaml.SequenceNode {
		ok := false
		var allowed []string
		for _, c := range av.Content {
			allowed = append(allowed, c.Value)
			ok = ok || c.Value == v
		}
		if !ok {
			t.errs = append(t.errs, pricing.Inputf("--parameter", "%s: parameter %s = %q is not one of its AllowedValues (%s)", t.path, name, v, strings.Join(allowed, ", ")))
		}
	}
	if typ := get(p, "Type"); typ != nil && (typ.Value == "CommaDelimitedList" || strings.HasPrefix(typ.Value, "List<")) {
		out := value{list: []value{}}
		for _, s := range strings.Split(v, ",") {
			out.list = append(out.list, value{s: strings.TrimSpace(s)})
		}
		return out
	}
	return value{s: v}
}

func (t *cfnTemplate) condition(name string, at *yaml.Node) value {
	st := t.conds[name]
	if st == nil {
		st = &condState{}
		t.conds[name] = st
	}
	if st.done {
		return st.val
	}
	if st.busy {
		t.errorf(at, "condition %s refers to itself", name)
		return unknownf("a circular condition")
	}
	c := get(t.conditions, name)
	if c == nil {
		t.errorf(at, "no condition %q in Conditions", name)
		return unknownf("a missing condition")
	}
	st.busy = true
	st.val = t.eval(c)
	st.busy, st.done = false, true
	return st.val
}

// ReadTemplatePlan reads a template as the head of a change and, when
// basePath is not empty, another as its base (the template on the main
// branch). Without a base every function is new.
func ReadTemplatePlan(headPath, basePath string, opt TemplateOptions) (*Plan, error) {
	p := &Plan{Kind: CloudFormation, Path: headPath, BasePath: basePath, HasBase: basePath != "", Region: opt.Region}
	var errs []error
	head, notes, err := ReadTemplate(headPath, opt)
	if err != nil {
		errs = append(errs, err)
	}
	p.Head, p.Notes = head, notes
	if basePath != "" {
		base, bnotes, err := ReadTemplate(basePath, opt)
		if err != nil {
			errs = append(errs, err)
		}
		p.Base = base
		for _, n := range bnotes {
			p.Notes = append(p.Notes, "base: "+n)
		}
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	return p, nil
}
