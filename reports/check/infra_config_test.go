package check

import (
	"strings"
	"testing"
)

// The terraform:/template: keys are validated like the others, each
// problem with its file:line.
func TestInfraConfigErrors(t *testing.T) {
	for _, tc := range []struct{ name, cfg, want string }{
		{"usage without code", "checks:\n  - name: a\n    scenario: s.yaml\n    usage: u.yml\n", "lambdacost.yaml:4: a: usage: applies to a terraform: or template: source"},
		{"no usage", "checks:\n  - name: a\n    terraform: p.json\n", "the functions' usage is required"},
		{"both codes", "checks:\n  - name: a\n    terraform: p.json\n    template: t.yaml\n    usage: u.yml\n", "a: has terraform and template; give exactly one source"},
		{"base without template", "checks:\n  - name: a\n    terraform: p.json\n    base_template: b.yaml\n    usage: u.yml\n", "needs a template"},
		{"missing file", "checks:\n  - name: a\n    terraform: p.json\n    usage: u.yml\n", "lambdacost.yaml:3: a: terraform file p.json: no such file or directory"},
		{"scenario and usage", "checks:\n  - name: a\n    terraform: p.json\n    usage: u.yml\n    scenario: s.yaml\n", "give one usage source (a usage file, a dataset or scenarios), not usage and scenario"},
		{"tune without code", "checks:\n  - name: a\n    scenario: s.yaml\n    tune: t.json\n", "lambdacost.yaml:4: a: tune: applies to a terraform: or template: source"},
		{"tune with a usage file", "checks:\n  - name: a\n    terraform: p.json\n    usage: u.yml\n    tune: t.json\n", "a tune result gives the times of a scenario or a dataset"},
		{"two scenarios to simulate", "checks:\n  - name: a\n    scenario: [s.yaml, t.yaml]\n", "lambdacost.yaml:3: a: a scenario check simulates one scenario file"},
		{"missing scenario of the code", "checks:\n  - name: a\n    terraform: p.json\n    scenario: [orders=s/orders.yaml]\n", "lambdacost.yaml:4: a: scenario file s/orders.yaml: no such file or directory"},
		{"other metric", "checks:\n  - name: a\n    terraform: p.json\n    usage: u.yml\n    thresholds:\n      latency_p99_ms: [\"< 5\"]\n", "lambdacost.yaml:6: a: a terraform source cannot provide latency_p99_ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseConfig("lambdacost.yaml", []byte(tc.cfg))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}
