package main

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// The envelope's warnings are the "lambdacost: warning: …" lines a
// command printed on stderr, without that prefix (in any case); other
// stderr lines are not warnings. A progress bar redraws its line after a
// carriage return, so only what follows the last \r of a line is read;
// the last line is read even without its newline.
func TestEnvelopeWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, stderr string
		want         []string
	}{
		{"one warning", "lambdacost: warning: the span is short\n", []string{"the span is short"}},
		{"not a warning", "lambdacost: reading examples/checkout.yaml\n", nil},
		{"upper case", "lambdacost: WARNING: a guess\n", []string{"a guess"}},
		{"after a progress bar", "\r[=====     ]  50.0%  1s  1s \r" + "                    \r" + "lambdacost: warning: partial\n", []string{"partial"}},
		{"no final newline", "lambdacost: warning: first\nlambdacost: warning: last", []string{"first", "last"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			streams, st := withEnvelope(&IO{Out: &out, ErrOut: &errOut})
			st.command = "pricing"
			st.stdout.active, st.stderr.active = true, true
			if _, err := streams.Out.Write([]byte(`{"regions": []}`)); err != nil {
				t.Fatal(err)
			}
			if _, err := streams.ErrOut.Write([]byte(tc.stderr)); err != nil {
				t.Fatal(err)
			}
			if err := st.finish(); err != nil {
				t.Fatal(err)
			}
			if errOut.String() != tc.stderr {
				t.Errorf("stderr passed through as %q, want %q", errOut.String(), tc.stderr)
			}
			_, env, err := pricing.UnwrapEnvelope("stdout", out.Bytes())
			if err != nil || env == nil {
				t.Fatalf("not an envelope (%v): %s", err, out.String())
			}
			if len(env.Warnings) == 0 && len(tc.want) == 0 {
				return
			}
			if !reflect.DeepEqual(env.Warnings, tc.want) {
				t.Errorf("warnings %q, want %q", env.Warnings, tc.want)
			}
		})
	}
}

// warningLine prefixes "warning: " unless the text already starts with
// "warning:" in any case: a loud "WARNING: …" stays as it is.
func TestWarningLine(t *testing.T) {
	for in, want := range map[string]string{
		"the window is short":    "warning: the window is short",
		"WARNING: a guess":       "WARNING: a guess",
		"Warning: mixed case":    "Warning: mixed case",
		"warning: already":       "warning: already",
		"warn":                   "warning: warn",
		"warnings are collected": "warning: warnings are collected",
	} {
		if got := warningLine(in); got != want {
			t.Errorf("warningLine(%q) = %q, want %q", in, got, want)
		}
	}
}

// The bill flags only price a dataset: report of a result (which carries
// its own bill) refuses each of them, naming it — --savings-plan alone too.
func TestReportBillFlagsRefusedOnAResult(t *testing.T) {
	for _, args := range [][]string{
		{"--savings-plan", "0.17"},
		{"--transfer-out-bytes-per-request", "1KB"},
		{"--api-gateway", "http"},
	} {
		_, errOut, code := runCLI(t, nil, append([]string{"report", "../../examples/tune.json"}, args...)...)
		if code != 2 || !bytes.Contains([]byte(errOut), []byte(args[0])) {
			t.Errorf("report tune.json %v: exit %d, %q; want 2 naming %s", args, code, errOut, args[0])
		}
	}
}

// --savings-plan is a discount in [0, 1): 1 (100 % off) is refused by
// check as the flag's error, before any source is read or simulated — not
// once per check, by the pricing of each source's bill, named after the
// config's line.
func TestCheckSavingsPlanOfOneRefused(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "lambdacost.yaml")
	steady, err := filepath.Abs("../../examples/steady.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte("checks:\n  - name: steady\n    scenario: "+steady+"\n    thresholds:\n      monthly_cost_usd: [\"< 1000000\"]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"1", "1.5", "-0.1"} {
		_, errOut, code := runCLI(t, nil, "check", "--config", cfg, "--savings-plan", v)
		if code != 2 || !bytes.HasPrefix([]byte(errOut), []byte("lambdacost: error: --savings-plan: discount "+v+" is outside [0, 1)")) {
			t.Errorf("--savings-plan %s: exit %d, %q; want 2 naming --savings-plan", v, code, errOut)
		}
	}
}
