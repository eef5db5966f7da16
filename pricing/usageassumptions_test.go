package pricing

import (
	"strings"
	"testing"
	"time"
)

// A usage entry's silent defaults are listed, each once, and nothing is
// listed for what the entry says.
func TestUsageEntryAssumptions(t *testing.T) {
	cases := []struct {
		name string
		e    UsageEntry
		want []string // fields, in order
	}{
		{"everything given", UsageEntry{FunctionConfig{MemoryMB: 512, Architecture: ARM64}, Usage{Requests: 10, ColdStartRate: 0.1, InitDuration: Duration(200 * time.Millisecond)}}, nil},
		{"defaults", UsageEntry{FunctionConfig{}, Usage{Requests: 10}}, []string{"f.memory_mb", "f.architecture", "f.cold_start_rate"}},
		{"no requests: no INIT to miss", UsageEntry{FunctionConfig{MemoryMB: 512, Architecture: X86_64}, Usage{}}, nil},
		{"all provisioned: no on-demand cold start", UsageEntry{FunctionConfig{MemoryMB: 512, Architecture: X86_64, ProvisionedConcurrency: 2}, Usage{Requests: 10, ProvisionedRequests: 10}}, nil},
		{"rate without INIT time", UsageEntry{FunctionConfig{MemoryMB: 512, Architecture: X86_64}, Usage{Requests: 10, ColdStartRate: 0.1}}, []string{"f.init_duration"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, a := range c.e.Assumptions("f") {
				got = append(got, a.Field)
				if a.Why == "" || a.Value == "" {
					t.Errorf("%s: empty value or why: %+v", a.Field, a)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("fields = %v, want %v", got, c.want)
			}
		})
	}
	u := UsageFile{Functions: []UsageEntry{{FunctionConfig{Name: "api"}, Usage{Requests: 1}}, {}}}
	var got []string
	for _, a := range u.Assumptions() {
		got = append(got, a.Field)
	}
	if want := "functions[api].memory_mb,functions[api].architecture,functions[api].cold_start_rate,functions[1].memory_mb,functions[1].architecture"; strings.Join(got, ",") != want {
		t.Errorf("file fields = %v, want %s", got, want)
	}
}
