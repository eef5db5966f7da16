package runner

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// sources lists the flags input errors name, in order.
func sources(errs []error) string {
	var out []string
	for _, e := range errs {
		var ie *pricing.InputError
		if errors.As(e, &ie) {
			out = append(out, ie.Source)
		} else {
			out = append(out, e.Error())
		}
	}
	return strings.Join(out, " ")
}

// Spec.Config maps every flag onto the configuration, reads the context
// files, and names the flag of each value it refuses.
func TestSpecConfig(t *testing.T) {
	dir := t.TempDir()
	ctxFile := filepath.Join(dir, "ctx.json")
	if err := os.WriteFile(ctxFile, []byte(`{"custom":{"a":"b"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	good := Spec{Builtin: "cpu", Name: "fn", Timeout: pricing.Duration(5 * time.Second), Arch: "arm64", Concurrency: 2,
		Env: []string{"A=1"}, IdleTimeout: pricing.Duration(time.Minute), LogFormat: LogJSON, Isolation: "none", Ephemeral: 1024,
		Args: []string{"x"}, HandlerName: "h.main", ClientContext: ctxFile}
	for _, c := range []struct {
		name  string
		edit  func(*Spec)
		flags string // the sources of the errors, in order
	}{
		{"good", func(*Spec) {}, ""},
		{"bad arch", func(s *Spec) { s.Arch = "sparc" }, "--arch"},
		{"zero timeout", func(s *Spec) { s.Timeout = 0 }, "--timeout"},
		{"zero concurrency", func(s *Spec) { s.Concurrency = 0 }, "--concurrency"},
		{"missing context files", func(s *Spec) {
			s.ClientContext, s.Identity = filepath.Join(dir, "no.json"), filepath.Join(dir, "none.json")
		}, "--client-context --identity"},
		{"three at once", func(s *Spec) { s.Arch, s.Timeout, s.Concurrency = "x", -1, -1 }, "--arch --timeout --concurrency"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := good
			c.edit(&s)
			cfg, errs := s.Config(512, "eu-west-1", pricing.Embedded())
			if got := sources(errs); got != c.flags {
				t.Fatalf("errors %v name %q, want %q", errs, got, c.flags)
			}
			if c.flags != "" {
				return
			}
			fc := cfg.Function
			if fc.Name != "fn" || fc.MemoryMB != 512 || fc.Architecture != pricing.ARM64 || fc.Timeout.D() != 5*time.Second || fc.EphemeralStorageMB != 1024 {
				t.Errorf("function %+v", fc)
			}
			if cfg.Region != "eu-west-1" || cfg.Builtin != "cpu" || cfg.Concurrency != 2 || cfg.IdleTimeout != time.Minute || cfg.LogFormat != LogJSON ||
				cfg.Isolation != IsolationNone || cfg.HandlerName != "h.main" || len(cfg.Env) != 1 || len(cfg.Args) != 1 || cfg.Prices == nil {
				t.Errorf("config %+v", cfg)
			}
			if string(cfg.ClientContext) != `{"custom":{"a":"b"}}` || cfg.Identity != nil {
				t.Errorf("client context %q, identity %q", cfg.ClientContext, cfg.Identity)
			}
			if errs := cfg.Validate(); len(errs) > 0 {
				t.Errorf("a good spec's configuration is refused: %v", errs)
			}
		})
	}
}

// ReadEvents reads files and stdin (once), each valid JSON, naming the
// file of an invalid one.
func TestSpecReadEvents(t *testing.T) {
	dir := t.TempDir()
	ok, bad := filepath.Join(dir, "ok.json"), filepath.Join(dir, "bad.json")
	_ = os.WriteFile(ok, []byte(`{"a":1}`), 0o644)
	_ = os.WriteFile(bad, []byte(`{"a":`), 0o644)
	for _, c := range []struct {
		name   string
		events []string
		n      int
		flags  string
	}{
		{"none", nil, 0, ""},
		{"file and stdin", []string{ok, "-"}, 2, ""},
		{"stdin twice", []string{"-", "-"}, 1, "--event"},
		{"invalid JSON", []string{bad, ok}, 1, bad},
		{"missing", []string{filepath.Join(dir, "no.json")}, 0, "--event"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, errs := Spec{Events: c.events}.ReadEvents(strings.NewReader(`[1]`))
			if len(got) != c.n || sources(errs) != c.flags {
				t.Errorf("%d events, errors %v; want %d, naming %q", len(got), errs, c.n, c.flags)
			}
		})
	}
}
