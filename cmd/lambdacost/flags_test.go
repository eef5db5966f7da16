package main

import (
	"strings"
	"testing"
)

func TestParseCount(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int64
		wantErr string
	}{
		{"3000000", 3_000_000, ""},
		{"10M", 10_000_000, ""},
		{"250k", 250_000, ""},
		{"1.5B", 1_500_000_000, ""},
		{"2T", 2_000_000_000_000, ""},
		{"3,000,000", 3_000_000, ""},
		{"3_000_000", 3_000_000, ""},
		{"3e6", 3_000_000, ""},
		{"0", 0, ""},
		{"1.5", 0, "not a whole number"},
		{"1.0000001k", 0, "not a whole number"},
		{"-5", 0, "negative"},
		{"-1M", 0, "negative"},
		{"1e30", 0, "too large"},
		{"ten", 0, "not a count: type a whole number"},
		{"M", 0, "not a count"},
		{"", 0, "not a count"},
	} {
		got, err := ParseCount(tc.in)
		if tc.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("ParseCount(%q) = %d, %v; want error %q", tc.in, got, err, tc.wantErr)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseCount(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestParseMemoryMB(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"1536", 1536, false}, {"1536MB", 1536, false}, {"1536 mb", 1536, false}, {"1536MiB", 1536, false},
		{"1.5GB", 1536, false}, {"10GB", 10240, false}, {"1.5gib", 1536, false}, {"2g", 2048, false},
		{"1.3GB", 0, true}, {"128.5", 0, true}, {"lots", 0, true}, {"-128", 0, true},
	} {
		got, err := ParseMemoryMB(tc.in)
		if tc.wantErr != (err != nil) || got != tc.want {
			t.Errorf("ParseMemoryMB(%q) = %d, %v; want %d (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

// What users type reaches the bill; a bare duration is refused with the
// fix, never read as milliseconds.
func TestFlagUnitsThroughCLI(t *testing.T) {
	a, _, code := runCLI(t, nil, "estimate", "--requests", "3M", "--duration", "120ms", "--memory", "1.5GB", "-o", "json")
	b, _, code2 := runCLI(t, nil, "estimate", "--requests", "3000000", "--duration", "120ms", "--memory", "1536", "-o", "json")
	if code != 0 || code2 != 0 || a != b {
		t.Errorf("3M/1.5GB and 3000000/1536 differ (exit %d, %d):\n%s\n%s", code, code2, a, b)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"estimate", "--requests", "1M", "--duration", "120"}, `"120" has no unit: add one, e.g. 120ms or 120s`},
		{[]string{"estimate", "--requests", "1.5", "--duration", "120ms"}, `"1.5" is not a whole number`},
		{[]string{"estimate", "--requests", "lots", "--duration", "120ms"}, `type a whole number, optionally with k, M, B or T`},
		{[]string{"estimate", "--requests", "1M", "--duration", "1s", "--memory", "1.3GB"}, `not a whole number of MB`},
	} {
		_, errOut, code := runCLI(t, nil, tc.args...)
		if code != 2 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, errOut, tc.want)
		}
		if strings.Contains(errOut, "strconv") {
			t.Errorf("%v: raw strconv message reached the user: %q", tc.args, errOut)
		}
	}
	// Help shows no "(default 0s)" for a duration flag without a default.
	out, _, _ := runCLI(t, nil, "estimate", "--help")
	if strings.Contains(out, "(default 0s)") || strings.Contains(out, "(default 0)") {
		t.Errorf("help shows a zero default:\n%s", out)
	}
}

func TestVersion(t *testing.T) {
	out, _, code := runCLI(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "lambdacost ") || !strings.Contains(out, "go1.") {
		t.Errorf("version: exit %d\n%s", code, out)
	}
	js, _, code := runCLI(t, nil, "version", "-o", "json")
	if code != 0 || !strings.Contains(js, `"version": "`) || !strings.Contains(js, `"platform": "`) {
		t.Errorf("version -o json: exit %d\n%s", code, js)
	}
	flag, _, _ := runCLI(t, nil, "--version")
	first := strings.SplitN(out, "\n", 2)[0]
	if !strings.Contains(flag, strings.TrimPrefix(first, "lambdacost ")) {
		t.Errorf("--version %q and version %q disagree", flag, first)
	}
	old := buildVersion
	buildVersion = "v9.8.7"
	defer func() { buildVersion = old }()
	if v := version(); v != "v9.8.7" {
		t.Errorf("stamped version = %q", v)
	}
}

func TestUnknownCommandSuggestion(t *testing.T) {
	_, errOut, code := runCLI(t, nil, "estimat")
	want := "lambdacost: error: unknown command \"estimat\" for \"lambdacost\"\n\nDid you mean this?\n\testimate\n\nRun 'lambdacost --help' for usage.\n"
	if code != 2 || errOut != want {
		t.Errorf("exit %d, stderr:\n%q\nwant:\n%q", code, errOut, want)
	}
}
