package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a writer the server goroutine and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

var servedURL = regexp.MustCompile(`open (http://\S+)`)

// startServe runs `lambdacost serve args…` in-process until the test ends
// and returns the URL it printed and its stderr.
func startServe(t *testing.T, env map[string]string, args ...string) (string, *lockedBuffer) {
	t.Helper()
	var out, errOut lockedBuffer
	streams := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv: func(k string) string { return env[k] }, Environ: func() []string { return nil }, Executable: os.Executable}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- Main(ctx, append([]string{"serve"}, args...), streams) }()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 && code != 130 {
				t.Errorf("serve exited %d on Ctrl-C: %s", code, errOut.String())
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop on Ctrl-C")
		}
	})
	end := time.Now().Add(10 * time.Second)
	for time.Now().Before(end) {
		if m := servedURL.FindStringSubmatch(out.String()); m != nil {
			return m[1], &errOut
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited %d: %s", code, errOut.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("serve printed no URL: %q %q", out.String(), errOut.String())
	return "", nil
}

func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// serve binds loopback on a free port by default, with no token.
func TestServeLoopbackDefault(t *testing.T) {
	url, _ := startServe(t, nil, "../../examples/checkout.yaml")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/$`).MatchString(url) {
		t.Fatalf("URL %q: want http://127.0.0.1:PORT/", url)
	}
	if code, body := httpGet(t, url+"api/scenario"); code != 200 || !strings.Contains(body, "checkout-api") {
		t.Errorf("api/scenario: %d %.200s", code, body)
	}
}

// Beyond loopback the URL carries a random token, stderr says so, and a
// request without it is refused.
func TestServeBeyondLoopbackNeedsToken(t *testing.T) {
	url, errOut := startServe(t, nil, "../../examples/checkout.yaml", "--addr", "0.0.0.0:0")
	m := regexp.MustCompile(`^(http://127\.0\.0\.1:\d+/)([0-9a-f]{32})/$`).FindStringSubmatch(url)
	if m == nil {
		t.Fatalf("URL %q: want a 32-hex-digit token", url)
	}
	if !strings.Contains(errOut.String(), "token") {
		t.Errorf("stderr does not mention the token: %q", errOut.String())
	}
	if code, _ := httpGet(t, m[1]+"api/scenario"); code != http.StatusForbidden {
		t.Errorf("without the token: %d, want 403", code)
	}
	if code, _ := httpGet(t, url+"api/scenario"); code != 200 {
		t.Errorf("with the token: %d", code)
	}
}

// An explicit --region wins over the scenario's, as in `simulate`.
func TestServeRegionFlag(t *testing.T) {
	url, _ := startServe(t, nil, "../../examples/checkout.yaml", "--region", "eu-west-1")
	if code, body := httpGet(t, url+"api/scenario"); code != 200 || !strings.Contains(body, `region: eu-west-1`) {
		t.Errorf("api/scenario: %d %.300s", code, body)
	}
}

func TestServeBadInput(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"../../examples/checkout.yaml", "--dataset", "../../examples/prod.json"}, "not both"},
		{[]string{"--function", "x"}, "--function: only applies with --dataset"},
		{[]string{"no-such.yaml"}, "no-such.yaml"},
		{[]string{"--dataset", "../../examples/prod.json", "--function", "nope"}, `no function "nope"`},
		{[]string{"--addr", "not-an-address"}, "--addr"},
		{[]string{"a.yaml", "b.yaml"}, "accepts at most 1 arg"},
	} {
		_, stderr, code := runCLI(t, nil, append([]string{"serve"}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("serve %v: exit %d, stderr %q; want exit 2 and %q", tc.args, code, stderr, tc.want)
		}
	}
}
