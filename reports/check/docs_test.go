package check

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The documented config and workflow stay valid: the example
// lambdacost.yaml parses with only its (example) files missing, and the
// workflow is YAML that runs `lambdacost check` with flags that exist.
func TestDocsGitHubActions(t *testing.T) {
	data, err := os.ReadFile("../../docs/github-actions.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	if len(blocks) != 4 {
		t.Fatalf("%d yaml blocks, want the config and the workflow, then the Terraform config and workflow", len(blocks))
	}
	// The Terraform flow: its config names files only a plan step makes.
	if _, err := ParseConfig("lambdacost.yaml", []byte(blocks[2][1])); err == nil {
		t.Error("the Terraform example names files that do not exist here; expected only those errors")
	} else {
		for _, line := range strings.Split(err.Error(), "\n") {
			if !strings.Contains(line, "no such file or directory") {
				t.Errorf("documented Terraform config: %s", line)
			}
		}
	}
	var tf struct {
		Jobs map[string]struct {
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(blocks[3][1]), &tf); err != nil {
		t.Fatalf("Terraform workflow: %v", err)
	}
	var tfScript strings.Builder
	for _, s := range tf.Jobs["cost-check"].Steps {
		if r, ok := s["run"].(string); ok {
			tfScript.WriteString(r)
		}
	}
	for _, want := range []string{"terraform plan -input=false -lock=false -out plan.tfplan", "terraform show -json plan.tfplan > plan.json", "lambdacost check --config lambdacost.yaml -o markdown", `>> "$GITHUB_STEP_SUMMARY"`, "exit $code", "gh pr comment"} {
		if !strings.Contains(tfScript.String(), want) {
			t.Errorf("Terraform workflow lacks %q", want)
		}
	}
	_, err = ParseConfig("lambdacost.yaml", []byte(blocks[0][1]))
	if err == nil {
		t.Fatal("the example names files that do not exist here; expected only those errors")
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if !strings.Contains(line, "no such file or directory") {
			t.Errorf("documented config: %s", line)
		}
	}
	var wf struct {
		On   map[string]any `yaml:"on"`
		Jobs map[string]struct {
			Steps []map[string]any `yaml:"steps"`
		} `yaml:"jobs"`
	}
	if err := yaml.Unmarshal([]byte(blocks[1][1]), &wf); err != nil {
		t.Fatalf("workflow: %v", err)
	}
	var script strings.Builder
	for _, s := range wf.Jobs["cost-check"].Steps {
		if r, ok := s["run"].(string); ok {
			script.WriteString(r)
		}
	}
	for _, want := range []string{"lambdacost check -o json", "--baseline=", "-o markdown", `>> "$GITHUB_STEP_SUMMARY"`, "exit $code"} {
		if !strings.Contains(script.String(), want) {
			t.Errorf("workflow lacks %q", want)
		}
	}
}
