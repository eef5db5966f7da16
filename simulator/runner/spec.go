package runner

import (
	"encoding/json"
	"io"
	"os"

	"github.com/lambdacost/lambdacost/pricing"
)

// Spec is what to run and how, as a command line gives it (run and tune
// share it): names of files to read, a timeout and a concurrency that
// must be set. Config turns it into a Config; errors name the flag.
type Spec struct {
	Handler     string
	Builtin     string
	Name        string
	Timeout     pricing.Duration
	Arch        string
	Events      []string // event files, "-" for stdin
	Concurrency int
	Env         []string
	PassEnv     bool
	IdleTimeout pricing.Duration
	LogFormat   string
	Isolation   string
	Ephemeral   int // ephemeral storage in MB
	Args        []string
	// HandlerName is _HANDLER; ClientContext and Identity are the files of
	// the client context and Cognito identity JSON documents.
	HandlerName   string
	ClientContext string
	Identity      string
}

// Config is the runner configuration of s at memory MB in region, priced
// with prices: the client context and identity files read, the timeout
// and concurrency checked (given, they must be positive). Config.Validate
// checks the rest.
func (s Spec) Config(memory int, region string, prices *pricing.PriceTable) (Config, []error) {
	var errs []error
	arch, err := pricing.ParseArchitecture(s.Arch)
	if err != nil {
		errs = append(errs, pricing.Inputf("--arch", "%v", err))
	}
	cfg := Config{
		Function: pricing.FunctionConfig{Name: s.Name, MemoryMB: memory, Architecture: arch, Timeout: s.Timeout, EphemeralStorageMB: s.Ephemeral},
		Region:   region, Handler: s.Handler, Builtin: s.Builtin, Args: s.Args, Env: s.Env, PassEnv: s.PassEnv,
		Concurrency: s.Concurrency, IdleTimeout: s.IdleTimeout.D(), LogFormat: s.LogFormat,
		Isolation: Isolation(s.Isolation), Prices: prices, HandlerName: s.HandlerName,
	}
	for _, d := range []struct {
		flag, file string
		dst        *[]byte
	}{{"--client-context", s.ClientContext, &cfg.ClientContext}, {"--identity", s.Identity, &cfg.Identity}} {
		if d.file == "" {
			continue
		}
		b, err := os.ReadFile(d.file)
		if err != nil {
			errs = append(errs, pricing.Inputf(d.flag, "%v", err))
			continue
		}
		*d.dst = b
	}
	if s.Timeout <= 0 {
		errs = append(errs, pricing.Inputf("--timeout", "must be positive"))
	}
	if s.Concurrency < 1 {
		errs = append(errs, pricing.Inputf("--concurrency", "must be at least 1"))
	}
	return cfg, errs
}

// ReadEvents reads the event files of s (stdin, once, for "-"); each must
// be valid JSON.
func (s Spec) ReadEvents(stdin io.Reader) ([][]byte, []error) {
	var out [][]byte
	var errs []error
	seenStdin := false
	for _, name := range s.Events {
		var b []byte
		var err error
		if name == "-" {
			if seenStdin {
				errs = append(errs, pricing.Inputf("--event", "stdin (-) can be given once"))
				continue
			}
			seenStdin = true
			b, err = io.ReadAll(stdin)
			name = "stdin"
		} else {
			b, err = os.ReadFile(name)
		}
		if err != nil {
			errs = append(errs, pricing.Inputf("--event", "%v", err))
			continue
		}
		if !json.Valid(b) {
			errs = append(errs, pricing.Inputf(name, "the event is not valid JSON"))
			continue
		}
		out = append(out, b)
	}
	return out, errs
}
