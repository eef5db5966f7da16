package pricing

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// DecodeYAMLStrict decodes data strictly into v like DecodeYAML, without
// building the node tree (callers that need positions only on error can
// call YAMLRoot then).
func DecodeYAMLStrict(path string, data []byte, v any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return Inputf(path, "file is empty")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return yamlError(path, err)
	}
	if err := oneDocument(path, data, dec); err != nil {
		return err
	}
	if bytes.ContainsAny(data, ".eE") { // only a float can be fractional
		return Errors(fractionalInts(path, YAMLRoot(data), v))
	}
	return nil
}

// oneDocument refuses a file with more than one YAML document (separated by
// "---"): lambdacost reads one document per file, and a later document
// would otherwise be ignored without a word.
func oneDocument(path string, data []byte, dec *yaml.Decoder) error {
	var next yaml.Node
	for {
		next = yaml.Node{}
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return yamlError(path, err)
		}
		if !emptyDocument(&next) {
			break
		}
		// An empty document ("---" at the end) holds nothing to ignore.
	}
	line := secondDocumentLine(data)
	if line == 0 {
		line = next.Line
	}
	return Inputf(fmt.Sprintf("%s:%d", path, line), "a second YAML document starts here; a file holds one document (remove the \"---\" and what follows, or split it into files)")
}

// emptyDocument reports whether n is a document with no content (or only a
// null scalar, as yaml.v3 reads a bare "---").
func emptyDocument(n *yaml.Node) bool {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return true
		}
		n = n.Content[0]
	}
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == ""
}

// secondDocumentLine returns the 1-based line of the "---" marker that
// starts a file's second YAML document, or 0 if it cannot find one. A
// marker before any content opens the first document.
func secondDocumentLine(data []byte) int {
	content := false // content (not a comment or directive) seen yet
	markers := 0
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimRight(l, " \t\r")
		if t == "---" || strings.HasPrefix(t, "--- ") {
			markers++
			if content || markers == 2 {
				return i + 1
			}
			continue
		}
		if s := strings.TrimSpace(t); s != "" && !strings.HasPrefix(s, "#") && !strings.HasPrefix(s, "%") {
			content = true
		}
	}
	return 0
}

// YAMLRoot parses data into a node tree for positions (nil if it does not parse).
func YAMLRoot(data []byte) *yaml.Node {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil
	}
	return &root
}

// DecodeYAML decodes data strictly into v: unknown keys and wrong types are
// errors, each an *InputError whose Source is "path:line". It also returns
// the document's node tree so callers can point validation errors at lines
// (see NodeLine).
func DecodeYAML(path string, data []byte, v any) (*yaml.Node, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlError(path, err)
	}
	if len(bytes.TrimSpace(data)) == 0 || len(root.Content) == 0 {
		return nil, Inputf(path, "file is empty")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return nil, yamlError(path, err)
	}
	if err := oneDocument(path, data, dec); err != nil {
		return nil, err
	}
	if err := Errors(fractionalInts(path, &root, v)); err != nil {
		return nil, err
	}
	return &root, nil
}

var lineRe = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// YAMLError turns an error of yaml.v3 reading the file at path into one
// *InputError per problem, each naming path:line when yaml.v3 gives it.
func YAMLError(path string, err error) error { return yamlError(path, err) }

// yamlError turns yaml.v3 errors into one *InputError per problem.
func yamlError(path string, err error) error {
	var te *yaml.TypeError
	var msgs []string
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var errs []error
	for _, m := range msgs {
		m = strings.TrimPrefix(strings.TrimSpace(m), "yaml: ")
		src := path
		if mm := lineRe.FindStringSubmatch(m); mm != nil {
			src = path + ":" + mm[1]
			m = mm[2]
		}
		m = strings.Replace(m, "not found in type", "is not a known key in", 1)
		errs = append(errs, &InputError{Source: src, Msg: humanYAML(m)})
	}
	return Errors(errs)
}

var typeNameRe = regexp.MustCompile(` in (type )?[a-z]+\.[A-Za-z]+$`)

func humanYAML(m string) string {
	// "field foo is not a known key in pricing.UsageEntry" -> "unknown key \"foo\""
	if strings.HasPrefix(m, "field ") && strings.Contains(m, "is not a known key") {
		name := strings.TrimPrefix(m, "field ")
		name = name[:strings.Index(name, " ")]
		return fmt.Sprintf("unknown key %q", name)
	}
	return typeNameRe.ReplaceAllString(m, "")
}

// NodeLine returns the line of the value at a path of mapping keys and
// sequence indexes ("functions", "3", "memory_mb") in a document, or the
// line of the deepest node found; 0 if root is nil.
func NodeLine(root *yaml.Node, path ...string) int {
	if root == nil {
		return 0
	}
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := n.Line
	for _, p := range path {
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					line = n.Content[i].Line
					n = n.Content[i+1]
					found = true
					break
				}
			}
			if !found {
				return line
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i < 0 || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		default:
			return line
		}
	}
	return line
}

// At returns "path:line" for a node path, for error sources.
func At(file string, root *yaml.Node, path ...string) string {
	if l := NodeLine(root, path...); l > 0 {
		return fmt.Sprintf("%s:%d", file, l)
	}
	return file
}
