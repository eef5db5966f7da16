package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// Logs do not say which Region they come from: an import prices them in
// the Region resolved from --region, the environment or the default, and
// its dataset says which and why (before: nothing, and report priced an
// eu-west-1 log at us-east-1's prices without a word). With --region,
// nothing is assumed.
func TestImportRegionAssumed(t *testing.T) {
	log := filepath.Join("..", "..", "testdata", "logs", "checkout-api.log")
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string // the assumption's value; "" = none
	}{
		{"default", nil, nil, "us-east-1"},
		{"AWS_REGION", map[string]string{"AWS_REGION": "eu-west-1"}, nil, "eu-west-1"},
		{"--region", nil, []string{"--region", "eu-west-1"}, ""},
	} {
		out, errOut, code := runCLI(t, tc.env, append([]string{"import", log, "--arch", "arm64", "-o", "json"}, tc.args...)...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.name, code, errOut)
		}
		var d pricing.Dataset
		if err := json.Unmarshal(resultOf(t, out), &d); err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, a := range d.Assumptions {
			if a.Field == "region" {
				got = a.Value
			}
		}
		if got != tc.want {
			t.Errorf("%s: region assumption %q, want %q (%+v)", tc.name, got, tc.want, d.Assumptions)
		}
	}
}
