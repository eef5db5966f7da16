package whatif

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/lambdacost/lambdacost/internal/browsertest"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

var (
	cliOnce sync.Once
	cliDir  string
	cliPath string
	cliErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	browsertest.Close()
	if cliDir != "" {
		os.RemoveAll(cliDir)
	}
	os.Exit(code)
}

// cli builds the real lambdacost binary once: the API's answers are
// checked against what the CLI prints for the saved scenario.
func cli(t testing.TB) string {
	t.Helper()
	cliOnce.Do(func() {
		cliDir, cliErr = os.MkdirTemp("", "whatif-cli-")
		if cliErr != nil {
			return
		}
		cliPath = filepath.Join(cliDir, "lambdacost")
		cmd := exec.Command(filepath.Join(runtime.GOROOT(), "bin", "go"), "build", "-o", cliPath, "./cmd/lambdacost")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			cliErr = &buildError{err, string(out)}
		}
	})
	if cliErr != nil {
		t.Fatal(cliErr)
	}
	return cliPath
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string {
	return "go build ./cmd/lambdacost: " + e.err.Error() + "\n" + e.out
}

// runCLI runs the CLI command line (as the page prints it, "lambdacost
// simulate scenario.yaml …") in dir and returns stdout, stderr and the
// exit code.
func runCLI(t testing.TB, dir, line string) ([]byte, string, int) {
	t.Helper()
	args := strings.Fields(line)
	if args[0] != "lambdacost" {
		t.Fatalf("not a lambdacost command: %q", line)
	}
	cmd := exec.Command(cli(t), args[1:]...)
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin"} // no LAMBDACOST_* or AWS_* from the caller
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), errb.String(), code
}

// base reads a repository scenario as `lambdacost serve` prepares it.
func base(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err = Prepare(b, path, "us-east-1", false)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func newTestServer(t testing.TB, scenario []byte, cfg Config) (*Server, *httptest.Server) {
	t.Helper()
	cfg.Scenario = scenario
	if cfg.Name == "" {
		cfg.Name = "test.yaml"
	}
	if cfg.Logf == nil {
		cfg.Logf = t.Logf
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return srv, ts
}

type answer struct {
	code   int
	body   []byte
	header http.Header
}

func (a answer) errMsg(t testing.TB) string {
	t.Helper()
	var m struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, a.body)
	}
	return m.Error
}

func post(t testing.TB, ctx context.Context, url, body string, hdr ...string) answer {
	t.Helper()
	if ctx == nil {
		ctx = context.Background()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return answer{code: -1, body: []byte(err.Error())}
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, b, resp.Header}
}

func get(t testing.TB, url string) answer {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, b, resp.Header}
}

// cliResult is the result inside the CLI's -o json envelope, indented as
// the API writes it (reports.WriteJSON); with item set, the one item of
// that list (compare's {"comparisons": [...]}, whose API answers one).
func cliResult(t testing.TB, out []byte, item string) []byte {
	t.Helper()
	res, env, err := pricing.UnwrapEnvelope("stdout", out)
	if err != nil || env == nil {
		t.Fatalf("the CLI's output is not an envelope (%v): %.300s", err, out)
	}
	if item != "" {
		var m map[string][]json.RawMessage
		if err := json.Unmarshal(res, &m); err != nil || len(m[item]) != 1 {
			t.Fatalf("the CLI's result has not one %s (%v)", item, err)
		}
		res = m[item][0]
	}
	var b bytes.Buffer
	if err := json.Indent(&b, res, "", "  "); err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	_ = json.Compact(&c, b.Bytes())
	b.Reset()
	_ = json.Indent(&b, c.Bytes(), "", "  ")
	b.WriteByte('\n')
	return b.Bytes()
}
