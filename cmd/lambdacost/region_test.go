package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command resolves the region as the AWS SDK does, profile included.
func TestRegionResolution(t *testing.T) {
	home := t.TempDir()
	if err := os.MkdirAll(filepath.Join(home, ".aws"), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := "[default]\nregion = eu-west-1\n\n[profile prod]\nregion = ap-southeast-2\n"
	if err := os.WriteFile(filepath.Join(home, ".aws", "config"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "cfg")
	if err := os.WriteFile(other, []byte("[default]\nregion = eu-central-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name       string
		env        map[string]string
		flag       string
		want, from string
	}{
		{"nothing", map[string]string{}, "", "us-east-1", "default"},
		{"default profile", map[string]string{"HOME": home}, "", "eu-west-1", "profile default"},
		{"named profile", map[string]string{"HOME": home, "AWS_PROFILE": "prod"}, "", "ap-southeast-2", "profile prod"},
		{"AWS_CONFIG_FILE", map[string]string{"HOME": home, "AWS_CONFIG_FILE": other}, "", "eu-central-1", "profile default"},
		{"AWS_DEFAULT_REGION over profile", map[string]string{"HOME": home, "AWS_DEFAULT_REGION": "us-west-2"}, "", "us-west-2", "AWS_DEFAULT_REGION"},
		{"AWS_REGION over AWS_DEFAULT_REGION", map[string]string{"HOME": home, "AWS_REGION": "us-east-2", "AWS_DEFAULT_REGION": "us-west-2"}, "", "us-east-2", "AWS_REGION"},
		{"flag over all", map[string]string{"HOME": home, "AWS_REGION": "us-east-2"}, "sa-east-1", "sa-east-1", "--region"},
		{"unknown profile falls through", map[string]string{"HOME": home, "AWS_PROFILE": "nope"}, "", "us-east-1", "default"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, src := resolveRegion(tc.flag, func(k string) string { return tc.env[k] })
			if r != tc.want || !strings.HasPrefix(src, tc.from) {
				t.Errorf("region %q from %q, want %q from %q", r, src, tc.want, tc.from)
			}
		})
	}
	// Through a command: estimate prices in the profile's region.
	out, errOut, code := runCLI(t, map[string]string{"HOME": home}, "estimate", "--requests", "1M", "--duration", "100ms", "-o", "json")
	if code != 0 || !strings.Contains(out, `"region": "eu-west-1"`) {
		t.Errorf("estimate with a profile region: exit %d, stderr %q\n%s", code, errOut, out)
	}
}
