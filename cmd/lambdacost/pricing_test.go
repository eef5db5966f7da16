package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/pricelist"
	"github.com/lambdacost/lambdacost/pricing/pricelist/pricelisttest"
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
	if r.X86.DurationTiers[1].Price != nil || r.X86.SnapStartCache != nil {
		t.Errorf("unknown prices must stay null: %+v", r.X86)
	}
	var raw map[string]any
	if err := json.Unmarshal(resultOf(t, out), &raw); err != nil {
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

// cliPriceListStub starts the loopback AWS Price List API (AWS JSON 1.1) on
// the fixtures of pricing/pricelist/testdata, two products per page, every
// request required to be signed for pricing in us-east-1, and points the
// standard AWS chain at it.
func cliPriceListStub(t *testing.T, failWith string) *pricelisttest.Stub {
	t.Helper()
	stub, srv := pricelisttest.New(t, filepath.Join("..", "..", "pricing", "pricelist", "testdata"), pricelist.ServiceLambda, pricelist.ServiceEC2)
	stub.PageSize = 2
	stub.RequireSigV4Scope = "/us-east-1/pricing/aws4_request"
	if failWith != "" {
		stub.Fail = func(pricelisttest.Request) (int, string, string, bool) { return 400, failWith, "stub refuses", true }
	}
	pricelisttest.UseEnv(t, srv.URL)
	return stub
}

func TestPricingUpdate(t *testing.T) {
	isolatePrices(t)
	stub := cliPriceListStub(t, "")
	file := filepath.Join(t.TempDir(), "prices.json")

	out, errOut, code := runCLI(t, nil, "pricing", "--update", "--region", "us-west-2", "--instance-type", "t3.micro,c7g.large", "--price-file", file, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if len(stub.Requests()) < 7 { // Lambda: 12 products, 2 per page; EC2: 2 queries
		t.Errorf("%d API calls", len(stub.Requests()))
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
	if err := json.Unmarshal(soleItem(t, out, "estimates"), &e); err != nil || round2(e.Total) != 8.76 {
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
	stub := cliPriceListStub(t, "")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	file := filepath.Join(t.TempDir(), "prices.json")
	_, errOut, code := runCLI(t, nil, "pricing", "--update", "--region", "us-west-2", "--instance-type", "t3.micro", "--price-file", file)
	if code != 3 || !strings.Contains(errOut, "needs AWS credentials") {
		t.Errorf("exit %d, stderr %q: want 3 and a hint about credentials", code, errOut)
	}
	if n := len(stub.Requests()); n != 0 {
		t.Errorf("%d unsigned calls reached the API", n)
	}
}
