package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckFlags(t *testing.T) {
	f := &Factory{IO: &IO{Getenv: func(string) string { return "" }}}
	var got *CheckOptions
	cmd := NewCmdCheck(f, func(o *CheckOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--config", "ci/lambdacost.yaml", "--baseline", "base.json", "--free-tier"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Config != "ci/lambdacost.yaml" || got.Baseline != "base.json" || !got.FreeTier {
		t.Errorf("options %+v", got)
	}
	cmd = NewCmdCheck(f, func(o *CheckOptions) error { got = o; return nil })
	cmd.SetArgs(nil)
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Config != "lambdacost.yaml" || got.Baseline != "" {
		t.Errorf("defaults %+v", got)
	}
}

// The config's region prices estimates unless --region (or
// LAMBDACOST_REGION) is given; $AWS_REGION does not override a config.
func TestCheckRegion(t *testing.T) {
	cfg := filepath.Join("..", "..", "testdata", "check", "passing.yaml") // region: us-east-1
	region := func(env map[string]string, args ...string) string {
		t.Helper()
		out, errOut, code := runCLI(t, env, append([]string{"check", "--config", cfg, "-o", "json"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var r struct {
			Checks []struct {
				Region string `json:"region"`
			} `json:"checks"`
		}
		if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
			t.Fatal(err)
		}
		return r.Checks[0].Region
	}
	if got := region(map[string]string{"AWS_REGION": "eu-west-1"}); got != "us-east-1" {
		t.Errorf("AWS_REGION overrode the config: %s", got)
	}
	if got := region(nil, "--region", "eu-west-1"); got != "eu-west-1" {
		t.Errorf("--region: %s", got)
	}
	if got := region(map[string]string{"LAMBDACOST_REGION": "eu-west-1"}); got != "eu-west-1" {
		t.Errorf("LAMBDACOST_REGION: %s", got)
	}
}

func TestCheckExitCodesInProcess(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "check")
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"check", "--config", filepath.Join(dir, "passing.yaml")}, 0, ""},
		{[]string{"check", "--config", filepath.Join(dir, "failing.yaml"), "-o", "csv"}, 1, ""},
		{[]string{"check", "--config", filepath.Join(dir, "broken.yaml")}, 2, "broken.yaml:5:"},
		{[]string{"check", "--config", filepath.Join(dir, "passing.yaml"), "-o", "yaml"}, 2, "--output"},
		{[]string{"check", "extra-arg"}, 2, "unknown command"},
		{[]string{"check", "--config", filepath.Join(dir, "passing.yaml"), "--region", "mars-1"}, 2, "mars-1"},
	} {
		_, errOut, code := runCLI(t, nil, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.stderr) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, code, errOut, tc.code, tc.stderr)
		}
	}
}
