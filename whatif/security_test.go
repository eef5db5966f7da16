package whatif

import (
	"net"
	"net/http"
	"strings"
	"testing"
)

// By default the server binds loopback and its URL carries no token;
// beyond loopback it refuses to listen without one.
func TestLoopbackByDefault(t *testing.T) {
	ln, err := Listen("", "")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	a := ln.Addr().(*net.TCPAddr)
	if !a.IP.Equal(net.IPv4(127, 0, 0, 1)) || a.Port == 0 {
		t.Errorf("default address %s, want 127.0.0.1 and a free port", a)
	}
	if u := URL(ln, ""); u != "http://"+a.String()+"/" {
		t.Errorf("URL %q", u)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		if _, err := Listen(addr, ""); err == nil || !strings.Contains(err.Error(), "needs a token") {
			t.Errorf("Listen(%q) without a token: %v, want a refusal", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:0", "[::1]:0", "127.0.0.2:0"} {
		if !IsLoopback(addr) {
			t.Errorf("IsLoopback(%q) = false", addr)
		}
	}
	ln2, err := Listen("0.0.0.0:0", "abc")
	if err != nil {
		t.Fatal(err)
	}
	defer ln2.Close()
	if u := URL(ln2, "abc"); !strings.HasSuffix(u, "/abc/") {
		t.Errorf("URL beyond loopback %q lacks the token", u)
	}
}

// With a token, every path must start with it; without, 403 and nothing
// of the page or the API.
func TestTokenRequired(t *testing.T) {
	tok, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) != 32 {
		t.Fatalf("token %q: want 128 random bits in hex", tok)
	}
	if tok2, _ := NewToken(); tok2 == tok {
		t.Fatal("two tokens are equal")
	}
	_, ts := newTestServer(t, base(t, checkout), Config{Token: tok})
	wrong := strings.Repeat("0", len(tok))
	for _, p := range []string{"/", "/app.js", "/api/scenario", "/" + wrong + "/", "/" + wrong + "/api/scenario", "/" + tok[:31] + "/", "/x/" + tok + "/"} {
		if a := get(t, ts.URL+p); a.code != http.StatusForbidden || strings.Contains(string(a.body), "checkout") {
			t.Errorf("GET %s without the token: %d %.100s", p, a.code, a.body)
		}
	}
	if a := post(t, nil, ts.URL+"/api/plan", `{}`); a.code != http.StatusForbidden {
		t.Errorf("POST api/plan without the token: %d", a.code)
	}
	if a := get(t, ts.URL+"/"+tok+"/"); a.code != 200 || !strings.Contains(string(a.body), "<title>") {
		t.Errorf("page with the token: %d", a.code)
	}
	if a := get(t, ts.URL+"/"+tok+"/api/scenario"); a.code != 200 || !strings.Contains(string(a.body), "checkout") {
		t.Errorf("api/scenario with the token: %d", a.code)
	}
	if a := post(t, nil, ts.URL+"/"+tok+"/api/plan", `{}`); a.code != 200 {
		t.Errorf("api/plan with the token: %d %s", a.code, a.body)
	}
}

// Every response, errors included, carries the strict CSP and the other
// protective headers.
func TestSecurityHeaders(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	if strings.Contains(CSP, "unsafe") || !strings.Contains(CSP, "default-src 'none'") || !strings.Contains(CSP, "script-src 'self'") || !strings.Contains(CSP, "frame-ancestors 'none'") {
		t.Fatalf("CSP is not strict: %s", CSP)
	}
	check := func(what string, h http.Header) {
		t.Helper()
		for k, want := range map[string]string{"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
			"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": ""} {
			if got := h.Get(k); (want == "" && got == "") || (want != "" && got != want) {
				t.Errorf("%s: %s = %q, want %q", what, k, got, want)
			}
		}
	}
	for _, p := range []string{"/", "/app.js", "/app.css", "/echarts.min.js", "/api/scenario", "/nothing"} {
		check("GET "+p, get(t, ts.URL+p).header)
	}
	check("POST api/plan", post(t, nil, ts.URL+"/api/plan", `{}`).header)
	check("POST api/plan (400)", post(t, nil, ts.URL+"/api/plan", `{"set":{"memory_mb":1}}`).header)
	if ct := get(t, ts.URL+"/app.js").header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("app.js Content-Type %q", ct)
	}
	// The page runs no inline script and no inline style.
	page := string(get(t, ts.URL+"/").body)
	for _, bad := range []string{"<script>", "style=", "<style", "onload=", "onclick=", "javascript:", "http://", "https://"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
}

// Another site's page cannot drive the API (CSRF): a cross-origin POST is
// refused, and a form post (not JSON) too.
func TestCrossOriginRefused(t *testing.T) {
	srv, ts := newTestServer(t, base(t, checkout), Config{})
	a := post(t, nil, ts.URL+"/api/plan", `{}`, "Origin", "http://evil.example")
	if a.code != http.StatusForbidden || srv.Running() != 0 {
		t.Errorf("cross-origin POST: %d", a.code)
	}
	a = post(t, nil, ts.URL+"/api/plan", `{}`, "Origin", ts.URL)
	if a.code != 200 {
		t.Errorf("same-origin POST: %d %s", a.code, a.body)
	}
	a = post(t, nil, ts.URL+"/api/plan", `{}`, "Content-Type", "application/x-www-form-urlencoded")
	if a.code != http.StatusUnsupportedMediaType {
		t.Errorf("form POST: %d", a.code)
	}
}

const hostileName = `</script><script>alert(1)</script><img src=x onerror=alert(2)>`

// hostileScenario names its function with markup.
var hostileScenario = []byte(`name: "` + hostileName + `"
region: us-east-1
duration: 10m
function:
  memory_mb: 512
  architecture: x86_64
  duration: 100ms
  init_duration: 200ms
traffic:
  start_rate: 2
  stages:
    - {duration: 10m, target: 2}
`)

// A hostile function name travels only as JSON data: escaped in every
// answer (no "<" on the wire), never in the page's HTML.
func TestHostileNameInert(t *testing.T) {
	_, ts := newTestServer(t, hostileScenario, Config{Name: hostileName})
	for _, a := range []answer{get(t, ts.URL+"/api/scenario"), post(t, nil, ts.URL+"/api/plan", `{}`), post(t, nil, ts.URL+"/api/scenario", `{}`)} {
		if a.code != 200 {
			t.Fatalf("%d %s", a.code, a.body)
		}
		if strings.ContainsAny(string(a.body), "<>") || !strings.Contains(string(a.body), `\u003c/script\u003e`) {
			t.Errorf("answer carries raw markup: %.300s", a.body)
		}
		if ct := a.header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type %q", ct)
		}
	}
	if p := string(get(t, ts.URL+"/").body); strings.Contains(p, "onerror") || strings.Contains(p, "alert(") {
		t.Error("the page's HTML carries the name")
	}
}

// DNS rebinding: without a token, a request naming another host is
// refused even though it reached the loopback socket.
func TestForeignHostRefused(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	for host, want := range map[string]int{"evil.example": 403, "evil.example:80": 403, "localhost": 200, "127.0.0.1": 200, "[::1]:8080": 200} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/scenario", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
}
