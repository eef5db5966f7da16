package pricing

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// docs/usage-file.md documents every key a usage file accepts.
func TestUsageFileDocumented(t *testing.T) {
	b, err := os.ReadFile("../docs/usage-file.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	var keys []string
	var walk func(reflect.Type)
	walk = func(tp reflect.Type) {
		for i := 0; i < tp.NumField(); i++ {
			f := tp.Field(i)
			name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if strings.Contains(opts, "inline") {
				walk(f.Type)
				continue
			}
			if name != "" && name != "-" {
				keys = append(keys, name)
			}
		}
	}
	walk(reflect.TypeOf(UsageFile{}))
	walk(reflect.TypeOf(UsageEntry{}))
	if len(keys) < 20 {
		t.Fatalf("only %d keys found", len(keys))
	}
	for _, k := range keys {
		if !strings.Contains(doc, "| `"+k+"` |") {
			t.Errorf("docs/usage-file.md does not document %q", k)
		}
	}
}
