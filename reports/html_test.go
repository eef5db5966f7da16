package reports

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"github.com/lambdacost/lambdacost/internal/goldennumbers"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing/fleet"
	"github.com/lambdacost/lambdacost/simulator"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	goldennumbers.Check(t, path, got)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./reports -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./reports -update, then review the diff)\n--- got ---\n%s", path, got)
	}
}

func TestDatasetGridsGolden(t *testing.T) {
	r := testDatasetReport(t)
	for _, f := range []Format{Table, Markdown, CSV} {
		var b bytes.Buffer
		if err := writeAllGrids(&b, f, DatasetGrids(r)); err != nil {
			t.Fatal(err)
		}
		golden(t, "dataset."+string(f)+".golden", b.Bytes())
	}
}

// TestDatasetReportNumbers checks the priced dataset against values worked
// out by hand from us-east-1 list prices (x86 $0.0000166667/GB-s, arm64
// $0.0000133334/GB-s, $0.20 per million requests).
func TestDatasetReportNumbers(t *testing.T) {
	r := testDatasetReport(t)
	d := r.Dataset
	if got := len(r.Bill.Functions); got != 4 {
		t.Fatalf("%d functions priced", got)
	}
	// checkout-api: 2,160,000 × ceil(95.5) = 96 ms + 5,400 cold × 310 ms INIT
	// at 1 GB arm64 = (207,360,000 + 1,674,000) ms = 209,034 GB-s.
	co := r.Bill.Functions[0]
	if d.Functions[0].Name != "checkout-api" || co.WindowGBSeconds.String() != "209034" {
		t.Errorf("checkout-api GB-s = %s, want 209034", co.WindowGBSeconds)
	}
	// window cost = 2.16 × $0.20 + 209,034 × $0.0000133334 = $0.432 + $2.78713… = $3.21913…
	if got := co.Window.Total.StringFixed(4); got != "3.2191" {
		t.Errorf("checkout-api window cost = %s, want 3.2191", got)
	}
	// The month is 730 h = 30.4167 days: 30.416… × the one-day window.
	if got := r.Bill.Functions[0].MonthlyUsage.Requests; got != 65_700_000 {
		t.Errorf("checkout-api monthly requests = %d, want 65,700,000 (2.16M × 730/24)", got)
	}
	// Most expensive first: a__f__b (3008 MB × 1850 ms) before checkout-api.
	if d.Functions[r.order[0]].Name != markerFn || d.Functions[r.order[1]].Name != "checkout-api" {
		t.Errorf("order = %v", r.order)
	}
}

func renderString(t *testing.T, p *Page, opts ...HTMLOption) string {
	t.Helper()
	var b bytes.Buffer
	if err := p.Render(&b, append(opts, WithGeneratedAt(fixedTime))...); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestHTMLEscapesData checks the HTML source itself: every data string is
// escaped for its context, and no go-echarts "__f__" post-processing eats
// names. The browser test checks the same in Chromium.
func TestHTMLEscapesData(t *testing.T) {
	html := renderString(t, DatasetPage(testDatasetReport(t)), WithAssetsHref("echarts.min.js"))
	if n := strings.Count(strings.ToLower(html), "<script"); n != 2 {
		t.Errorf("page has %d <script elements, want 2 (echarts and our own)", n)
	}
	if strings.Contains(html, "<script>alert") || strings.Contains(html, "<b>nightly") {
		t.Errorf("raw markup from data found in the page")
	}
	if !strings.Contains(html, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the hostile name is not HTML-escaped in the table")
	}
	if !strings.Contains(html, `\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e`) {
		t.Errorf("the hostile name is not JSON-escaped in the chart options")
	}
	if !strings.Contains(html, `"a__f__b"`) {
		t.Errorf("a__f__b is not kept verbatim in the chart options")
	}
	// The options embedded in the page decode back to the exact names.
	m := regexp.MustCompile(`var specs = (\[.*?\]) \|\| \[\];`).FindStringSubmatch(html)
	if m == nil {
		t.Fatal("chart specs not found in the page")
	}
	var specs []chartSpec
	if err := json.Unmarshal([]byte(m[1]), &specs); err != nil {
		t.Fatalf("chart specs are not JSON: %v", err)
	}
	if len(specs) != 5 || specs[0].ID != "cost-by-function" {
		t.Fatalf("specs: %d, first %q", len(specs), specs[0].ID)
	}
	y := specs[0].Option["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
	if y[0] != markerFn || y[2] != xssName {
		t.Errorf("category names = %q", y)
	}
}

func TestHTMLWithoutAssetsSaysHow(t *testing.T) {
	html := renderString(t, BillPage(testBill(t), "2026-11-01"), WithAssetsHref("x/echarts.min.js"))
	if !strings.Contains(html, `<script src="x/echarts.min.js"></script>`) {
		t.Errorf("the page does not load the given assets path")
	}
	if !strings.Contains(html, "make assets") || !strings.Contains(html, "--assets DIR") {
		t.Errorf("the page does not say how to get the charts")
	}
	if HasEmbeddedAssets() {
		html := renderString(t, BillPage(testBill(t), "2026-11-01"))
		if len(html) < 1_000_000 || !strings.Contains(html, `id="charts-missing" class="notice" hidden`) {
			t.Errorf("embedded echarts is not inlined (%d bytes)", len(html))
		}
	}
}

func TestRenderRejectsBadOptions(t *testing.T) {
	p := &Page{Sections: []Section{{Charts: []Chart{{ID: "a"}, {ID: "a"}}}}}
	if err := p.Render(&bytes.Buffer{}); err == nil {
		t.Error("repeated chart ids were accepted")
	}
	p = &Page{Sections: []Section{{Charts: []Chart{{ID: "a", Option: map[string]any{"x": func() {}}}}}}}
	if err := p.Render(&bytes.Buffer{}); err == nil {
		t.Error("an option that does not encode was accepted")
	}
}

// TestEchartsPinnedEverywhere: the Makefile, package.json and
// package-lock.json pin the same echarts release as EchartsVersion.
func TestEchartsPinnedEverywhere(t *testing.T) {
	mk, err := os.ReadFile("../Makefile")
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?m)^ECHARTS_VERSION\s*:=\s*` + regexp.QuoteMeta(EchartsVersion) + `\s*$`).Match(mk) {
		t.Errorf("Makefile does not pin echarts %s", EchartsVersion)
	}
	var pkg struct {
		Dependencies map[string]string `json:"dependencies"`
	}
	b, _ := os.ReadFile("../package.json")
	if err := json.Unmarshal(b, &pkg); err != nil || pkg.Dependencies["echarts"] != EchartsVersion {
		t.Errorf("package.json pins echarts %q (%v), want %s", pkg.Dependencies["echarts"], err, EchartsVersion)
	}
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	b, _ = os.ReadFile("../package-lock.json")
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatal(err)
	}
	if e := lock.Packages["node_modules/echarts"]; e.Version != EchartsVersion || e.Integrity == "" {
		t.Errorf("package-lock.json has echarts %q", e.Version)
	}
}

func TestParseLooseNumber(t *testing.T) {
	for in, want := range map[string]float64{"$1,234.50": 1234.5, "12.5%": 12.5, "-3": -3, "–": 0, "": 0, "1,024": 1024} {
		if got := parseLooseNumber(in); got != want {
			t.Errorf("parseLooseNumber(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestDownsampleMax(t *testing.T) {
	got := downsampleMax([]float64{1, 5, 2, 2, 9, 0, 3}, 3)
	want := []float64{5, 9, 3}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
}

func TestComparisonsPageHasUniqueCharts(t *testing.T) {
	r := testCompare(t)
	p := ComparisonsPage([]*fleet.Result{r, r})
	html := renderString(t, p)
	for _, id := range []string{`id="cost-curve-1"`, `id="cost-now-1"`, `id="cost-curve-2"`, `id="cost-now-2"`} {
		if !strings.Contains(html, id) {
			t.Errorf("page lacks %s", id)
		}
	}
	if len(p.Facts) != 4 || p.Facts[0].Value != USDf(2*r.Lambda.MonthlyCostUSD) || p.Facts[3].Value != USDf(2*r.LMI.MonthlyCostUSD) {
		t.Errorf("facts = %+v", p.Facts)
	}
}

// TestSimulationJSONRoundTrip: a multi-run result written as JSON reads
// back with its bands (the _p5/_p95 siblings) and renders the same tables.
func TestSimulationJSONRoundTrip(t *testing.T) {
	s, err := simulator.ParseScenario("s.yaml", []byte(`name: bands
seed: 5
function: {memory_mb: 512, duration: {distribution: exponential, mean: 40ms}, init_duration: 200ms}
keep_alive: {idle_timeout: 30s}
traffic: {start_rate: 3, stages: [{duration: 3m, target: 3}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := simulator.Run(context.Background(), s, simulator.Options{Runs: 3, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeSimulationResult(js)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Bands) == 0 || len(back.Bands) != len(r.Bands) {
		t.Fatalf("bands: %d written, %d read back", len(r.Bands), len(back.Bands))
	}
	for k, b := range r.Bands {
		if got := back.Bands[k]; got.P5 != b.P5 || got.P95 != b.P95 {
			t.Errorf("band %s = %+v, want p5 %v p95 %v", k, got, b.P5, b.P95)
		}
	}
	var want, got bytes.Buffer
	WriteGrids(&want, Table, Style{}, SimulationGrids(r)...)
	WriteGrids(&got, Table, Style{}, SimulationGrids(back)...)
	if want.String() != got.String() {
		t.Errorf("tables differ after the JSON round trip:\n%s\n%s", want.String(), got.String())
	}
	if !strings.Contains(got.String(), "p95") {
		t.Errorf("no p5/p95 columns:\n%s", got.String())
	}
}
