package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/collector/collectortest"
)

// schemaCases are real runs of every command that writes JSON, on the
// files examples/ ships (and the collector's stub for collect), one per
// kind of result a command gives. report and plan --tune read the outputs
// of earlier cases (out-NAME.json): every reader takes the envelope.
var schemaCases = []struct {
	name string
	args []string
}{
	{"estimate", []string{"estimate", "--requests", "10M", "--duration", "80ms", "--memory", "512"}},
	{"estimate-both", []string{"estimate", "--requests", "10M", "--duration", "80ms", "--memory", "512", "--arch", "both"}},
	{"estimate-usage", []string{"estimate", "--usage", "functions.yaml"}},
	{"estimate-lmi", []string{"estimate", "--lmi", "--requests", "100M", "--instance-type", "m7g.xlarge", "--instance-hours", "2000", "--ec2-rate", "0.0457"}},
	{"estimate-terraform", []string{"estimate", "--terraform", "plan.json", "--usage", "infracost-usage.yml"}},
	{"estimate-template", []string{"estimate", "--template", "template.yaml", "--base-template", "template-base.yaml", "--usage", "template-usage.yml"}},
	{"estimate-terraform-scenario", []string{"estimate", "--terraform", "plan-pc.json", "--scenario", "orders.yaml"}},
	{"check-terraform", []string{"check", "--config", "lambdacost-terraform.yaml"}},
	{"simulate", []string{"simulate", "checkout.yaml"}},
	{"simulate-runs", []string{"simulate", "spike.yaml", "--runs", "3"}},
	{"compare", []string{"compare", "checkout.yaml"}},
	{"compare-dataset", []string{"compare", "--dataset", "prod.json"}},
	{"plan", []string{"plan", "checkout.yaml", "--max-cold-start-rate", "0.001"}},
	{"plan-tune", []string{"plan", "--tune", "tune.json", "--memory", "1024", "--requests", "50M"}},
	{"recommend", []string{"recommend", "--dataset", "prod.json"}},
	{"pricing", []string{"pricing"}},
	{"import", []string{"import", "metrics.json", "--memory", "1024", "--arch", "arm64"}},
	{"import-logs", []string{"import", "checkout-api.log.gz", "--function", "checkout", "--arch", "x86_64"}},
	{"dataset-merge", []string{"dataset", "merge", "prod.json", "prod-eu.json"}},
	{"collect", []string{"collect", "--all", "--since", "2h", "--period", "5m"}},
	{"check", []string{"check", "--config", "lambdacost.yaml"}},
	{"version", []string{"version"}},
	{"run", []string{"run", "--builtin", "image-resize", "--memory", "512", "--count", "3", "--timeout", "60s"}},
	{"tune", []string{"tune", "--builtin", "image-resize", "--memory", "256,512", "--count", "2", "--timeout", "60s"}}, // generous under -race
	{"demo", []string{"demo", "--memory", "512", "--count", "2", "--html", ""}},
	{"plan-tune-out", []string{"plan", "--tune", "out-tune.json", "--memory", "512", "--requests", "50M"}},
	{"report-dataset", []string{"report", "prod.json"}},
	{"report-import", []string{"report", "out-import.json"}},
	{"report-simulate", []string{"report", "out-simulate.json"}},
	{"report-compare", []string{"report", "out-compare.json"}},
	{"report-tune", []string{"report", "out-tune.json"}},
	{"report-estimate-usage", []string{"report", "out-estimate-usage.json"}},
	{"report-estimate-both", []string{"report", "out-estimate-both.json"}},
}

// TestJSONSchemas runs every command with -o json on the examples and
// validates its output against the command's schema in docs/schema/ (JSON
// Schema draft 2020-12, with a real validator); every command that writes
// JSON has a schema and a case here.
func TestJSONSchemas(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command")
	}
	schemaDir, err := filepath.Abs(filepath.Join("..", "..", "docs", "schema"))
	if err != nil {
		t.Fatal(err)
	}
	compiled := map[string]*jsonschema.Schema{}
	schemaOf := func(t *testing.T, command string) *jsonschema.Schema {
		t.Helper()
		if s := compiled[command]; s != nil {
			return s
		}
		c := jsonschema.NewCompiler()
		s, err := c.Compile(filepath.Join(schemaDir, strings.ReplaceAll(command, " ", "-")+".schema.json"))
		if err != nil {
			t.Fatalf("schema of %s: %v", command, err)
		}
		compiled[command] = s
		return s
	}

	// Every command that can write -o json has a schema and a case.
	covered := map[string]bool{}
	for _, c := range schemaCases {
		covered[commandOf(c.args)] = true
	}
	root := NewRootCmd(&Factory{IO: &IO{Getenv: func(string) string { return "" }}})
	var visit func(c *cobra.Command)
	visit = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			visit(sub)
		}
		name := strings.TrimPrefix(c.CommandPath(), "lambdacost ")
		if !c.Runnable() || c.Hidden || c == root || name == "help" || strings.HasPrefix(name, "completion") || name == "usage init" || name == "serve" {
			// usage init writes a usage file (YAML) whatever -o says; serve
			// writes no result (its API answers are the results of simulate
			// and compare, tested in whatif)
			return
		}
		if !covered[name] {
			t.Errorf("%s: no case in schemaCases", name)
		}
		if _, err := os.Stat(filepath.Join(schemaDir, strings.ReplaceAll(name, " ", "-")+".schema.json")); err != nil {
			t.Errorf("%s: no schema: %v", name, err)
		}
	}
	visit(root)

	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "examples"))); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	t.Setenv("HOME", filepath.Join(dir, "home")) // no price file of the developer's
	s := collectortest.New(t, 3)
	awsEnv(t, s.URL)

	for _, c := range schemaCases {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCLI(t, nil, append(c.args, "-o", "json")...)
			// check-terraform's memory change fails its threshold by design.
			if want := map[string]int{"check-terraform": 1}[c.name]; code != want {
				t.Fatalf("exit %d: %s", code, errOut)
			}
			if err := os.WriteFile("out-"+c.name+".json", []byte(out), 0o644); err != nil {
				t.Fatal(err)
			}
			v, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
			if err != nil {
				t.Fatalf("not JSON: %v\n%.300s", err, out)
			}
			command := commandOf(c.args)
			if command == "recommend" {
				command = "plan"
			}
			if err := schemaOf(t, command).Validate(v); err != nil {
				t.Errorf("%s -o json does not match docs/schema/%s.schema.json:\n%v", strings.Join(c.args, " "), command, err)
			}
		})
	}

	// The schemas can fail: an output whose result lacks a required key,
	// or whose envelope has a key too many, is refused.
	out, err := os.ReadFile("out-estimate.json")
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(m map[string]any){
		"no total": func(m map[string]any) {
			delete(m["result"].(map[string]any)["estimates"].([]any)[0].(map[string]any), "total_usd")
		},
		"extra key": func(m map[string]any) { m["generated_at"] = "2026-01-01T00:00:00Z" },
		"bad kind":  func(m map[string]any) { m["kind"] = "bill" },
		"no result": func(m map[string]any) { delete(m, "result") },
	} {
		var m map[string]any
		if err := json.Unmarshal(out, &m); err != nil {
			t.Fatal(err)
		}
		edit(m)
		b, _ := json.Marshal(m)
		v, _ := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if schemaOf(t, "estimate").Validate(v) == nil {
			t.Errorf("%s: the estimate schema accepts it", name)
		}
	}
}

// commandOf is the command a case's arguments run ("dataset merge").
func commandOf(args []string) string {
	if args[0] == "dataset" || args[0] == "usage" {
		return args[0] + " " + args[1]
	}
	return args[0]
}
