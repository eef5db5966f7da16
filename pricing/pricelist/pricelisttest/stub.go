// Package pricelisttest is a loopback stand-in for the AWS Price List Query
// API that speaks its real wire protocol (AWS JSON 1.1), for tests that run
// the real SDK client: the pricelist package's own and the CLI's.
package pricelisttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Request is a decoded GetProducts request as the stub received it.
type Request struct {
	ServiceCode   string
	Filters       []struct{ Field, Type, Value string }
	FormatVersion string
	MaxResults    int
	NextToken     string

	// Auth is the request's Authorization header ("" when unsigned).
	Auth string `json:"-"`
}

// Filter returns the value of a TERM_MATCH filter on field, or "".
func (r Request) Filter(field string) string {
	for _, f := range r.Filters {
		if f.Field == field {
			return f.Value
		}
	}
	return ""
}

// Stub serves POST / with X-Amz-Target AWSPriceListService.GetProducts: the
// response's PriceList is an array of JSON *strings*, paged with NextToken.
// Products come from <fixtures>/<ServiceCode>.json (a JSON array of Price
// List records) and are filtered like TERM_MATCH.
type Stub struct {
	// PageSize is the number of products per page (default 3).
	PageSize int
	// Fail, if set, may answer a request with an AWS JSON error instead.
	Fail func(req Request) (status int, errType, msg string, ok bool)
	// Corrupt, if set, replaces a PriceList item on the wire.
	Corrupt func(req Request, item string) string
	// RequireSigV4Scope, if set, must appear in every request's
	// Authorization header (e.g. "/us-east-1/pricing/aws4_request").
	RequireSigV4Scope string

	t        testing.TB
	products map[string][]json.RawMessage
	mu       sync.Mutex
	requests []Request
}

// New starts a stub serving the fixtures in dir for the given service codes
// (the Price List service codes, e.g. "AWSLambda", "AmazonEC2"). The server
// is closed when the test ends.
func New(t testing.TB, dir string, services ...string) (*Stub, *httptest.Server) {
	t.Helper()
	s := &Stub{t: t, products: map[string][]json.RawMessage{}, PageSize: 3}
	for _, svc := range services {
		b, err := os.ReadFile(filepath.Join(dir, svc+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var recs []json.RawMessage
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatalf("%s.json: %v", svc, err)
		}
		s.products[svc] = recs
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

// UseEnv points the standard AWS configuration chain at url
// (AWS_ENDPOINT_URL_PRICING) with static test credentials and no shared
// config files, profile or instance metadata.
func UseEnv(t *testing.T, url string) {
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLAMBDACOSTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_PRICING", url)
}

// Requests returns the requests received so far.
func (s *Stub) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

func (s *Stub) awsError(w http.ResponseWriter, status int, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", "stub-error")
	w.WriteHeader(status)
	b, _ := json.Marshal(map[string]string{"__type": "com.amazonaws.pricing#" + typ, "Message": msg})
	_, _ = w.Write(b)
}

// ServeHTTP answers one GetProducts call.
func (s *Stub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		s.t.Errorf("stub: %s %s, want POST /", r.Method, r.URL.Path)
		s.awsError(w, 404, "UnknownOperationException", "bad path")
		return
	}
	if got := r.Header.Get("X-Amz-Target"); got != "AWSPriceListService.GetProducts" {
		s.t.Errorf("stub: X-Amz-Target %q", got)
		s.awsError(w, 400, "UnknownOperationException", "unknown target "+got)
		return
	}
	if got := r.Header.Get("Content-Type"); got != "application/x-amz-json-1.1" {
		s.t.Errorf("stub: Content-Type %q", got)
	}
	var req Request
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		s.t.Errorf("stub: request body: %v", err)
		s.awsError(w, 400, "InvalidParameterException", err.Error())
		return
	}
	req.Auth = r.Header.Get("Authorization")
	s.mu.Lock()
	s.requests = append(s.requests, req)
	reqID := fmt.Sprintf("stub-%d", len(s.requests))
	s.mu.Unlock()
	if s.RequireSigV4Scope != "" && !strings.Contains(req.Auth, s.RequireSigV4Scope) {
		s.t.Errorf("stub: Authorization %q lacks the scope %q", req.Auth, s.RequireSigV4Scope)
		s.awsError(w, 403, "AccessDeniedException", "bad signature scope")
		return
	}
	if s.Fail != nil {
		if status, typ, msg, ok := s.Fail(req); ok {
			s.awsError(w, status, typ, msg)
			return
		}
	}
	recs, ok := s.products[req.ServiceCode]
	if !ok {
		s.awsError(w, 400, "NotFoundException", "unknown service code "+req.ServiceCode)
		return
	}
	var items []string
	for _, raw := range recs {
		var p struct {
			Product struct {
				Attributes map[string]string `json:"attributes"`
			} `json:"product"`
		}
		if err := json.Unmarshal(raw, &p); err != nil {
			s.t.Errorf("fixture: %v", err)
			continue
		}
		match := true
		for _, f := range req.Filters {
			if f.Type != "TERM_MATCH" {
				s.t.Errorf("stub: filter type %q", f.Type)
			}
			if p.Product.Attributes[f.Field] != f.Value {
				match = false
			}
		}
		if match {
			var compact strings.Builder
			if err := json.NewEncoder(&compact).Encode(raw); err != nil {
				s.t.Errorf("fixture: %v", err)
				continue
			}
			items = append(items, strings.TrimSpace(compact.String()))
		}
	}
	start := 0
	if req.NextToken != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(req.NextToken, "page:"))
		if err != nil {
			s.awsError(w, 400, "InvalidNextTokenException", "bad token")
			return
		}
		start = n
	}
	size := s.PageSize
	if req.MaxResults > 0 && req.MaxResults < size {
		size = req.MaxResults
	}
	end := min(start+size, len(items))
	page := items[start:end]
	if s.Corrupt != nil {
		for i := range page {
			page[i] = s.Corrupt(req, page[i])
		}
	}
	resp := map[string]any{"FormatVersion": "aws_v1", "PriceList": page}
	if end < len(items) {
		resp["NextToken"] = "page:" + strconv.Itoa(end)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", reqID)
	_ = json.NewEncoder(w).Encode(resp)
}
