package pricing

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// fractionalInts returns one error per YAML number with a fractional part
// (1.5, 2.5e-1) that decodes into an integer field of v's type. yaml.v3
// truncates such a number silently (requests: 1.5 becomes 1), which would
// misprice a usage file; lambdacost refuses it instead, at its file:line.
// Integral floats (1e6, 3.0) are exact and accepted.
func fractionalInts(path string, root *yaml.Node, v any) []error {
	if root == nil {
		return nil
	}
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var errs []error
	var walk func(n *yaml.Node, t reflect.Type, field string)
	walk = func(n *yaml.Node, t reflect.Type, field string) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if reflect.PointerTo(t).Implements(yamlUnmarshaler) {
			return // the type reads its own values (and reports its own errors)
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, t, field)
			}
		case yaml.AliasNode:
			// Aliases repeat a node decoded (and checked) where it is defined.
		case yaml.ScalarNode:
			if !isIntKind(t.Kind()) || n.Tag != "!!float" {
				return
			}
			f, err := strconv.ParseFloat(strings.ReplaceAll(n.Value, "_", ""), 64)
			if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f == math.Trunc(f) {
				return // yaml.v3 itself reports values it cannot convert
			}
			errs = append(errs, Inputf(fmt.Sprintf("%s:%d", path, n.Line), "%s: %s is not a whole number", field, n.Value))
		case yaml.SequenceNode:
			if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
				for _, c := range n.Content {
					walk(c, t.Elem(), field)
				}
			}
		case yaml.MappingNode:
			switch t.Kind() {
			case reflect.Map:
				for i := 0; i+1 < len(n.Content); i += 2 {
					walk(n.Content[i+1], t.Elem(), n.Content[i].Value)
				}
			case reflect.Struct:
				for i := 0; i+1 < len(n.Content); i += 2 {
					if ft, ok := yamlField(t, n.Content[i].Value); ok {
						walk(n.Content[i+1], ft, n.Content[i].Value)
					}
				}
			}
		}
	}
	walk(root, t, "")
	return errs
}

var yamlUnmarshaler = reflect.TypeOf((*yaml.Unmarshaler)(nil)).Elem()

func isIntKind(k reflect.Kind) bool {
	switch k {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

// yamlField finds the type of the struct field that the YAML key decodes
// into, following yaml.v3's rules: the `yaml` tag name, else the lower-cased
// field name; `,inline` structs are searched too.
func yamlField(t reflect.Type, key string) (reflect.Type, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(","+opts+",", ",inline,") {
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				if r, ok := yamlField(ft, key); ok {
					return r, true
				}
			}
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		if name == key {
			return f.Type, true
		}
	}
	return nil, false
}
