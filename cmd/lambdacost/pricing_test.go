package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/pricelist"
)

// isolatePrices makes the price table in use the embedded one: no override
// file from the developer's machine, no AWS configuration.
func isolatePrices(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("HOME", dir)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(dir, "config"))
	t.Setenv(pricing.EnvPriceFile, "")
	return dir
}

func TestPricingOutputs(t *testing.T) {
	isolatePrices(t)
	for _, f := range []string{"table", "markdown", "csv"} {
		out, errOut, code := runCLI(t, nil, "pricing", "--region", "us-east-1", "-o", f)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, errOut)
		}
		golden(t, "pricing/us-east-1."+f, out)
	}
	// A region with unknown prices says so; it never shows a number there.
	out, _, code := runCLI(t, nil, "pricing", "--region", "us-east-2", "-o", "markdown")
	if code != 0 {
		t.Fatal(code)
	}
	golden(t, "pricing/us-east-2.markdown", out)
	if !strings.Contains(out, "| Duration, tier 2 | per GB-s | not known | not known |") {
		t.Errorf("us-east-2 tier 2 should be not known:\n%s", out)
	}
}

func TestPricingJSON(t *testing.T) {
	isolatePrices(t)
	out, errOut, code := runCLI(t, nil, "pricing", "-o", "json", "--region", "us-east-2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	// The JSON is the price table's own format, so it reads back as one.
	tab, err := pricing.ParseTable([]byte(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if tab.Origin != "embedded" || tab.Date == "" || len(tab.Sources) == 0 {
		t.Errorf("origin %q date %q sources %d", tab.Origin, tab.Date, len(tab.Sources))
	}
	if got := tab.Regions(); len(got) != 1 || got[0] != "us-east-2" {
		t.Errorf("regions %v", got)
	}
	r := tab.Lambda["us-east-2"]
	if p := r.X86.DurationTiers[0].Price; p == nil || !p.Equal(decimal.RequireFromString("0.0000166667")) {
		t.Errorf("x86 tier 1 %v", p)
	}
	if r.X86.DurationTiers[1].Price != nil || r.X86.Provisioned != nil {
		t.Errorf("unknown prices must stay null: %+v", r.X86)
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	tiers := raw["lambda"].(map[string]any)["us-east-2"].(map[string]any)["x86_64"].(map[string]any)["duration_tiers"].([]any)
	if tiers[1].(map[string]any)["usd_per_gb_s"] != nil {
		t.Errorf("tier 2 should be JSON null: %v", tiers[1])
	}

	// --all-regions lists every region of the table, and the JSON written
	// can be used as a price file that reproduces itself.
	all, _, code := runCLI(t, nil, "pricing", "--all-regions", "-o", "json")
	if code != 0 {
		t.Fatal(code)
	}
	allTab, err := pricing.ParseTable([]byte(all))
	if err != nil {
		t.Fatal(err)
	}
	if len(allTab.Lambda) != len(pricing.Embedded().Lambda) || len(allTab.Lambda) < 14 {
		t.Errorf("%d regions", len(allTab.Lambda))
	}
	file := filepath.Join(t.TempDir(), "prices.json")
	if err := os.WriteFile(file, []byte(all), 0o644); err != nil {
		t.Fatal(err)
	}
	again, errOut, code := runCLI(t, nil, "pricing", "--all-regions", "-o", "json", "--price-file", file)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Replace(again, `"origin": "`+file+`"`, `"origin": "embedded"`, 1) != all {
		t.Errorf("price file round trip differs")
	}
}

func TestPricingAllRegionsCSV(t *testing.T) {
	isolatePrices(t)
	out, _, code := runCLI(t, nil, "pricing", "--all-regions", "-o", "csv")
	if code != 0 {
		t.Fatal(code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\r\n")
	if lines[0] != "region,service,architecture,item,unit,tier_from,tier_to,vcpu,memory_gib,usd,table_date" {
		t.Errorf("header %q", lines[0])
	}
	regions := map[string]bool{}
	for _, l := range lines[1:] {
		regions[strings.Split(l, ",")[0]] = true
	}
	if len(regions) != len(pricing.Embedded().Lambda) {
		t.Errorf("regions in CSV: %v", regions)
	}
	for _, want := range []string{
		"us-east-1,lambda,arm64,duration_tier_2,per GB-s,7500000000,18750000000,,,0.0000120001,",
		"us-east-1,ec2,arm64,m7g.large,per hour,,,2,8,0.0816,",
		"us-east-2,lambda,x86_64,duration_tier_2,per GB-s,6000000000,15000000000,,,not known,",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("CSV lacks %q", want)
		}
	}
}

func TestPricingBadInput(t *testing.T) {
	isolatePrices(t)
	tests := []struct {
		args []string
		flag string
	}{
		{[]string{"pricing", "--region", "mars-1"}, "--region"},
		{[]string{"pricing", "--update", "--region", "mars-1", "--price-file", filepath.Join(t.TempDir(), "p.json")}, "--region"},
		{[]string{"pricing", "--all-regions", "--region", "eu-west-1"}, "--all-regions"},
		{[]string{"pricing", "--instance-type", "t3.micro"}, "--instance-type"},
		{[]string{"pricing", "--update", "--region", "us-east-1", "--instance-type", "t3 micro", "--price-file", filepath.Join(t.TempDir(), "p.json")}, "--instance-type"},
		{[]string{"pricing", "-o", "yaml"}, "--output"},
		{[]string{"pricing", "--price-file", filepath.Join(t.TempDir(), "missing.json")}, "--price-file"},
	}
	for _, tt := range tests {
		out, errOut, code := runCLI(t, nil, tt.args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", tt.args, code, errOut)
		}
		if !strings.Contains(errOut, tt.flag) || strings.Contains(errOut, "goroutine") {
			t.Errorf("%v: stderr %q should name %s", tt.args, errOut, tt.flag)
		}
		if out != "" {
			t.Errorf("%v: stdout %q", tt.args, out)
		}
	}
	// An invalid price file names the file.
	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"date":"2026-01-01","lambda":{"x":{"name":"x"}}}`), 0o644)
	_, errOut, code := runCLI(t, nil, "pricing", "--price-file", bad)
	if code != 2 || !strings.Contains(errOut, bad) {
		t.Errorf("bad price file: exit %d, %q", code, errOut)
	}
}

// cliPriceListStub is a loopback AWS Price List API (AWS JSON 1.1) serving
// the fixtures of pricing/pricelist/testdata, two products per page.
func cliPriceListStub(t *testing.T, failWith string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	products := map[string][]json.RawMessage{}
	for _, svc := range []string{pricelist.ServiceLambda, pricelist.ServiceEC2} {
		b, err := os.ReadFile(filepath.Join("..", "..", "pricing", "pricelist", "testdata", svc+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var recs []json.RawMessage
		if err := json.Unmarshal(b, &recs); err != nil {
			t.Fatal(err)
		}
		products[svc] = recs
	}
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if r.Method != http.MethodPost || r.URL.Path != "/" || r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" ||
			r.Header.Get("Content-Type") != "application/x-amz-json-1.1" || !strings.Contains(r.Header.Get("Authorization"), "/us-east-1/pricing/aws4_request") {
			t.Errorf("stub: unexpected request %s %s %v", r.Method, r.URL.Path, r.Header)
			w.WriteHeader(400)
			return
		}
		if failWith != "" {
			w.WriteHeader(400)
			json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.pricing#" + failWith, "Message": "stub refuses"})
			return
		}
		var req struct {
			ServiceCode   string
			Filters       []struct{ Field, Type, Value string }
			FormatVersion string
			MaxResults    int
			NextToken     string
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			t.Errorf("stub: %v", err)
		}
		var items []string
		for _, raw := range products[req.ServiceCode] {
			var p struct {
				Product struct{ Attributes map[string]string } `json:"product"`
			}
			json.Unmarshal(raw, &p)
			ok := true
			for _, f := range req.Filters {
				ok = ok && f.Type == "TERM_MATCH" && p.Product.Attributes[f.Field] == f.Value
			}
			if ok {
				items = append(items, string(raw))
			}
		}
		start, _ := strconv.Atoi(req.NextToken)
		end := min(start+2, len(items))
		resp := map[string]any{"FormatVersion": "aws_v1", "PriceList": items[start:end]}
		if end < len(items) {
			resp["NextToken"] = strconv.Itoa(end)
		}
		json.NewEncoder(w).Encode(resp)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(dir, "config"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(dir, "credentials"))
	t.Setenv("AWS_PROFILE", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDLAMBDACOSTTEST")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_ENDPOINT_URL", "")
	t.Setenv("AWS_ENDPOINT_URL_PRICING", srv.URL)
	return srv, &calls
}

func TestPricingUpdate(t *testing.T) {
	isolatePrices(t)
	_, calls := cliPriceListStub(t, "")
	file := filepath.Join(t.TempDir(), "prices.json")

	out, errOut, code := runCLI(t, nil, "pricing", "--update", "--region", "us-west-2", "--instance-type", "t3.micro,c7g.large", "--price-file", file, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if calls.Load() < 7 { // Lambda: 12 products, 2 per page; EC2: 2 queries
		t.Errorf("%d API calls", calls.Load())
	}
	for _, s := range []string{"updated Lambda prices of 1 region(s) and 1 EC2 instance price(s)", file, "us-west-2 EC2 c7g.large: not in the Price List", "set LAMBDACOST_PRICE_FILE=" + file} {
		if !strings.Contains(errOut, s) {
			t.Errorf("stderr lacks %q:\n%s", s, errOut)
		}
	}
	// stdout shows the refreshed table: us-west-2 arm64 tier 2, unknown in
	// the embedded table, is now the Price List's 0.0000120001.
	tab, err := pricing.ParseTable([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	if tab.Origin != file {
		t.Errorf("origin %q", tab.Origin)
	}
	if p := tab.Lambda["us-west-2"].ARM.DurationTiers[1].Price; p == nil || !p.Equal(decimal.RequireFromString("0.0000120001")) {
		t.Errorf("us-west-2 arm64 tier 2 = %v", p)
	}

	// Used through $LAMBDACOST_PRICE_FILE by every command.
	t.Setenv(pricing.EnvPriceFile, file)
	env := map[string]string{pricing.EnvPriceFile: file}
	out, errOut, code = runCLI(t, env, "pricing", "--region", "us-west-2", "-o", "markdown")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, s := range []string{"| Duration, tier 2 | per GB-s | $0.000015 | $0.0000120001 |", "| t3.micro | x86_64 | 2 | 1 | $0.0104 |", "AWS Price List API, fetched"} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q:\n%s", s, out)
		}
	}
	// The embedded table does not know arm64 provisioned concurrency in
	// us-west-2; the refreshed one does: 1 environment × 1 GB × 730 h =
	// 2,628,000 GB-s × 0.0000033334 = $8.7601752 → 8.76.
	pcArgs := []string{"estimate", "--region", "us-west-2", "--arch", "arm64", "--requests", "0", "--memory", "1024", "--provisioned-concurrency", "1", "--provisioned-hours", "730", "-o", "json"}
	out, errOut, code = runCLI(t, env, pcArgs...)
	if code != 0 {
		t.Fatalf("estimate: exit %d: %s", code, errOut)
	}
	var e struct {
		Total float64 `json:"total_usd"`
	}
	if err := json.Unmarshal([]byte(out), &e); err != nil || round2(e.Total) != 8.76 {
		t.Errorf("estimate total %v (%v)", e.Total, err)
	}
	t.Setenv(pricing.EnvPriceFile, "")
	if _, errOut, code := runCLI(t, nil, pcArgs...); code != 2 || !strings.Contains(errOut, "not known") {
		t.Errorf("with the embedded table: exit %d %q, want 2 and not known", code, errOut)
	}
}

func TestPricingUpdateAPIError(t *testing.T) {
	isolatePrices(t)
	cliPriceListStub(t, "AccessDeniedException")
	file := filepath.Join(t.TempDir(), "prices.json")
	out, errOut, code := runCLI(t, nil, "pricing", "--update", "--region", "us-west-2", "--price-file", file)
	if code != 3 {
		t.Fatalf("exit %d, want 3: %s", code, errOut)
	}
	if !strings.Contains(errOut, "GetProducts") || !strings.Contains(errOut, "AccessDeniedException") || strings.Count(strings.TrimSpace(errOut), "\n") != 0 {
		t.Errorf("stderr %q: want one line naming the call and the AWS error", errOut)
	}
	if out != "" {
		t.Errorf("stdout %q", out)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("price file written despite the error: %v", err)
	}
}

func TestPricingUpdateWithoutCredentials(t *testing.T) {
	isolatePrices(t)
	_, calls := cliPriceListStub(t, "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	file := filepath.Join(t.TempDir(), "prices.json")
	_, errOut, code := runCLI(t, nil, "pricing", "--update", "--region", "us-west-2", "--instance-type", "t3.micro", "--price-file", file)
	if code != 3 || !strings.Contains(errOut, "needs AWS credentials") {
		t.Errorf("exit %d, stderr %q: want 3 and a hint about credentials", code, errOut)
	}
	if n := calls.Load(); n != 0 {
		t.Errorf("%d unsigned calls reached the API", n)
	}
}
