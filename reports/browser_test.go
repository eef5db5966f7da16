package reports

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/lambdacost/lambdacost/internal/browsertest"
	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

// The browser tests open generated reports in a real headless Chromium
// (Debian's `chromium`, driven by chromedp): every chart must finish
// drawing, nothing may fail or reach the network, and hostile function
// names must be shown literally without running. They skip only when no
// Chromium is installed and CI is unset; .ci/run installs it.

func TestMain(m *testing.M) {
	builtin.MaybeRun() // the runner re-executes this test binary for built-in functions
	code := m.Run()
	browsertest.Close()
	os.Exit(code)
}

// browser returns the shared browser context, starting Chromium once.
func browser(tb testing.TB) context.Context {
	tb.Helper()
	return browsertest.Browser(tb)
}

// hookScript runs before any page script: it records alerts instead of
// opening dialogs and records script and resource load errors.
const hookScript = `window.__alerts = []; window.__errors = [];
window.alert = window.confirm = window.prompt = function (m) { window.__alerts.push(String(m)); };
addEventListener("error", function (e) {
  var t = e.target;
  window.__errors.push(e.message || ("failed to load " + ((t && (t.src || t.href)) || "resource")));
}, true);`

// stateScript reads what the page drew.
const stateScript = `(function () {
  var val = function (x) { return (x !== null && typeof x === "object") ? String(x.value) : String(x); };
  var charts = Array.prototype.map.call(document.querySelectorAll(".chart"), function (d) {
    var c = window.echarts ? echarts.getInstanceByDom(d) : null;
    var o = c ? c.getOption() : null;
    var cats = [], data = [];
    if (o) {
      (o.xAxis || []).concat(o.yAxis || []).forEach(function (a) { (a.data || []).forEach(function (x) { cats.push(val(x)); }); });
      o.series.forEach(function (s) { (s.data || []).forEach(function (x) { if (x && x.name !== undefined) { data.push(String(x.name)); } }); });
    }
    return {id: d.id, canvases: d.querySelectorAll("canvas").length,
      series: o ? o.series.map(function (s) { return String(s.name); }) : [],
      categories: cats, dataNames: data,
      title: o && o.title && o.title[0] ? String(o.title[0].text) : ""};
  });
  var notice = document.getElementById("charts-missing");
  var t = performance.getEntriesByType("navigation")[0];
  return {ready: document.documentElement.getAttribute("data-charts-ready") || "",
    scriptMs: +(document.documentElement.getAttribute("data-script-ms") || 0),
    chartsMs: +(document.documentElement.getAttribute("data-charts-ms") || 0),
    domMs: t ? t.domInteractive : 0,
    charts: charts, alerts: window.__alerts || [], errors: window.__errors || [],
    text: document.body.innerText, title: document.title,
    notice: !!(notice && !notice.hidden),
    cells: Array.prototype.map.call(document.querySelectorAll("td"), function (td) { return td.textContent; })};
})()`

type chartState struct {
	ID         string   `json:"id"`
	Canvases   int      `json:"canvases"`
	Series     []string `json:"series"`
	Categories []string `json:"categories"`
	DataNames  []string `json:"dataNames"`
	Title      string   `json:"title"`
}

type pageState struct {
	Ready  string       `json:"ready"`
	Charts []chartState `json:"charts"`
	Alerts []string     `json:"alerts"`
	Errors []string     `json:"errors"`
	Text   string       `json:"text"`
	Title  string       `json:"title"`
	Notice bool         `json:"notice"`
	Cells  []string     `json:"cells"`
	// In the page's own clock (ms since navigation): HTML and inline
	// echarts parsed, our script started, every chart finished.
	DomMs    float64 `json:"domMs"`
	ScriptMs float64 `json:"scriptMs"`
	ChartsMs float64 `json:"chartsMs"`

	// From the DevTools protocol.
	Console  []string
	Requests []string
	Dialogs  []string
	Elapsed  time.Duration
}

func (s *pageState) chart(t *testing.T, id string) chartState {
	t.Helper()
	for _, c := range s.Charts {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("chart %q not found; charts: %v", id, s.chartIDs())
	return chartState{}
}

func (s *pageState) chartIDs() []string {
	var ids []string
	for _, c := range s.Charts {
		ids = append(ids, c.ID)
	}
	return ids
}

// openReport loads the report at path in a new tab and waits until every
// chart has fired its "finished" event (or the page reported that echarts is
// missing). screenshot, when set, receives a full-page PNG.
func openReport(t testing.TB, path, screenshot string, then ...func(tab context.Context)) *pageState {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(browser(t))
	defer cancelTab()
	tab, cancel := context.WithTimeout(tab, 30*time.Second)
	defer cancel()

	st := &pageState{}
	var mu sync.Mutex
	if err := chromedp.Listen(tab, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			st.Console = append(st.Console, "exception: "+msg)
		case *runtime.EventConsoleAPICalled:
			if e.Type == "error" || e.Type == "warning" || e.Type == "assert" {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				st.Console = append(st.Console, fmt.Sprintf("console.%s: %s", e.Type, strings.Join(parts, " ")))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				st.Console = append(st.Console, fmt.Sprintf("log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			st.Requests = append(st.Requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			st.Dialogs = append(st.Dialogs, e.Message)
			go chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, log.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookScript}); err != nil {
		t.Fatal(err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if err := chromedp.Do(tab, chromedp.Navigate("file://"+abs)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.documentElement.getAttribute("data-charts-ready") !== null`,
		chromedp.WithPollingTimeout(15*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		// Report what the page did (alerts, errors) rather than only the timeout.
		t.Errorf("the page never finished drawing its charts: %v", err)
	}
	st.Elapsed = time.Since(start)
	// Interactions run before the state is read, so that anything they
	// trigger (alerts, errors, requests) is caught.
	for _, fn := range then {
		fn(tab)
	}
	got, err := chromedp.Run(tab, chromedp.Evaluate[pageState](stateScript))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got.Console, got.Requests, got.Dialogs, got.Elapsed = st.Console, st.Requests, st.Dialogs, st.Elapsed
	mu.Unlock()
	if screenshot != "" {
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Dir(screenshot), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(screenshot, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return &got
}

// assertClean checks that a page drew everything with no errors, no
// dialogs, no executed payloads and no requests beyond its own files.
func assertClean(t *testing.T, st *pageState, dir string) {
	t.Helper()
	if st.Ready != "1" {
		t.Errorf("data-charts-ready = %q, want 1 (all charts finished)", st.Ready)
	}
	for _, c := range st.Charts {
		if c.Canvases == 0 {
			t.Errorf("chart %s drew no canvas", c.ID)
		}
	}
	if len(st.Alerts) > 0 || len(st.Dialogs) > 0 {
		t.Errorf("page ran script from data: alerts %q, dialogs %q", st.Alerts, st.Dialogs)
	}
	if len(st.Errors) > 0 || len(st.Console) > 0 {
		t.Errorf("page errors: %q; console: %q", st.Errors, st.Console)
	}
	absDir, _ := filepath.Abs(dir)
	for _, u := range st.Requests {
		if !strings.HasPrefix(u, "file://"+absDir+"/") {
			t.Errorf("page made a request outside its own folder: %s", u)
		}
	}
	if st.Notice {
		t.Errorf("the 'charts missing' notice is shown although echarts is available")
	}
}

func requireAssets(t *testing.T) {
	t.Helper()
	if !HasEmbeddedAssets() {
		if os.Getenv("CI") == "" {
			t.Skip("echarts.min.js is not embedded: run `make assets` (make test does)")
		}
		t.Fatal("echarts.min.js is not embedded although CI is set: `make test` runs `make assets` first")
	}
}

func writeReport(t *testing.T, dir, name string, p *Page, opts ...HTMLOption) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	opts = append(opts, WithGeneratedAt(time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC)))
	if err := p.Render(f, opts...); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func screenshotPath(name string) string {
	return filepath.Join("testdata", "screenshots", name)
}

const (
	xssName   = "</script><script>alert(1)</script>"
	markerFn  = "a__f__b"
	problemFn = "<b>nightly-report</b>"
)

func TestBrowserDatasetReport(t *testing.T) {
	requireAssets(t)
	browser(t)
	r := testDatasetReport(t)
	dir := t.TempDir()
	path := writeReport(t, dir, "dataset.html", DatasetPage(r))
	var byInvocations, byInvocationsAgain, tooltips []string
	var scripts int
	firstColumn := `Array.prototype.map.call(document.querySelectorAll("table.sortable tbody tr td:first-child"), function (td) { return td.textContent; })`
	st := openReport(t, path, screenshotPath("dataset.png"), func(tab context.Context) {
		// Sort by invocations (header 6): largest first, then reversed.
		th := chromedp.CSS("table.sortable thead th:nth-child(6)")
		var err error
		if err = chromedp.Do(tab, chromedp.Click(th)); err == nil {
			byInvocations, err = chromedp.Run(tab, chromedp.Evaluate[[]string](firstColumn))
		}
		if err == nil {
			err = chromedp.Do(tab, chromedp.Click(th))
		}
		if err == nil {
			byInvocationsAgain, err = chromedp.Run(tab, chromedp.Evaluate[[]string](firstColumn))
		}
		if err != nil {
			t.Errorf("sorting the table: %v", err)
		}
		// Tooltips (where echarts' own XSS was): open one on the hostile
		// category and one listing the hostile series name.
		for _, c := range []struct{ chart, js string }{
			{"cost-by-function", `{type: "showTip", seriesIndex: 0, dataIndex: 2}`},
			{"invocations-over-time", `{type: "showTip", seriesIndex: 1, dataIndex: 150}`},
		} {
			tip, err := chromedp.Run(tab, chromedp.Evaluate[string](`(function () {
  var el = document.getElementById("`+c.chart+`");
  echarts.getInstanceByDom(el).dispatchAction(`+c.js+`);
  return "ok";
})()`))
			if err == nil {
				tip, err = chromedp.Run(tab, chromedp.Poll[string](`(function () {
  var t = Array.prototype.filter.call(document.querySelectorAll("#`+c.chart+` div"), function (d) {
    return d.style.position === "absolute" && d.style.zIndex && d.innerText.indexOf("alert(1)") >= 0; });
  return t.length ? t[0].innerText : false;
})()`, chromedp.WithPollingTimeout(3*time.Second)))
			}
			if err != nil {
				t.Errorf("%s tooltip: %v", c.chart, err)
				continue
			}
			tooltips = append(tooltips, tip)
		}
		scripts, _ = chromedp.Run(tab, chromedp.Evaluate[int](`document.scripts.length`))
	})
	for _, tip := range tooltips {
		if !strings.Contains(tip, xssName) {
			t.Errorf("tooltip does not show %q literally: %q", xssName, tip)
		}
	}
	if len(tooltips) != 2 || scripts != 2 {
		t.Errorf("%d tooltips checked; the page has %d script elements, want 2", len(tooltips), scripts)
	}
	t.Logf("dataset report drawn in %v", st.Elapsed)
	if want := []string{"checkout-api", xssName, markerFn, "nightly-report"}; !slices.Equal(byInvocations, want) {
		t.Errorf("sorted by invocations: %q, want %q", byInvocations, want)
	}
	if want := []string{"nightly-report", markerFn, xssName, "checkout-api"}; !slices.Equal(byInvocationsAgain, want) {
		t.Errorf("sorted by invocations, ascending: %q, want %q", byInvocationsAgain, want)
	}
	assertClean(t, st, dir)

	want := []string{"cost-by-function", "cost-breakdown", "latency", "invocations-over-time", "concurrency-over-time"}
	if got := st.chartIDs(); !slices.Equal(got, want) {
		t.Fatalf("charts = %v, want %v", got, want)
	}
	cbf := st.chart(t, "cost-by-function")
	if !slices.Equal(cbf.Series, []string{"Requests", "Duration"}) {
		t.Errorf("cost-by-function series = %v, want [Requests Duration]", cbf.Series)
	}
	// Both hostile names are categories of the chart, exactly as given.
	for _, name := range []string{xssName, markerFn} {
		if !slices.Contains(cbf.Categories, name) {
			t.Errorf("cost-by-function categories %q lack %q", cbf.Categories, name)
		}
		if !slices.Contains(st.Cells, name) {
			t.Errorf("the functions table does not show %q literally", name)
		}
	}
	if got := st.chart(t, "latency").Series; !slices.Equal(got, []string{"p50", "p90", "p99"}) {
		t.Errorf("latency series = %v", got)
	}
	inv := st.chart(t, "invocations-over-time")
	if !slices.Contains(inv.Series, xssName) || !slices.Contains(inv.Series, markerFn) || len(inv.Series) != 3 {
		t.Errorf("invocations-over-time series = %q, want the 3 functions with series", inv.Series)
	}
	if got := st.chart(t, "cost-breakdown").DataNames; !slices.Equal(got, []string{"Requests", "Duration"}) {
		t.Errorf("cost-breakdown slices = %v", got)
	}
	if !strings.Contains(st.Text, "Collection problem: LambdaInsights memory metrics missing for "+problemFn) {
		t.Errorf("the dataset problem is not shown literally")
	}
}

func TestBrowserAssetsBesideReport(t *testing.T) {
	requireAssets(t)
	browser(t)
	dir := t.TempDir()
	if err := WriteAssets(filepath.Join(dir, "assets")); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"echarts.min.js", "echarts-LICENSE", "echarts-NOTICE"} {
		if _, err := os.Stat(filepath.Join(dir, "assets", f)); err != nil {
			t.Errorf("WriteAssets did not write %s: %v", f, err)
		}
	}
	path := writeReport(t, dir, "bill.html", BillPage(testBill(t), "2026-11-01"), WithAssetsHref("assets/echarts.min.js"))
	b, _ := os.ReadFile(path)
	if len(b) > 100_000 {
		t.Errorf("a report with --assets should not inline echarts: %d bytes", len(b))
	}
	st := openReport(t, path, screenshotPath("bill.png"))
	assertClean(t, st, dir)
	if got := st.chartIDs(); !slices.Equal(got, []string{"cost-by-function", "cost-breakdown"}) {
		t.Errorf("charts = %v", got)
	}
	var loaded bool
	for _, u := range st.Requests {
		loaded = loaded || strings.HasSuffix(u, "/assets/echarts.min.js")
	}
	if !loaded {
		t.Errorf("the page did not load assets/echarts.min.js: %v", st.Requests)
	}
}

func TestBrowserWithoutEcharts(t *testing.T) {
	browser(t)
	dir := t.TempDir()
	// As a binary built without assets, or a report whose assets folder
	// was not copied: tables complete, a notice says how to get charts.
	path := writeReport(t, dir, "bill.html", BillPage(testBill(t), "2026-11-01"), WithAssetsHref("missing/echarts.min.js"))
	st := openReport(t, path, "")
	if st.Ready != "missing" || !st.Notice {
		t.Errorf("ready=%q notice=%v, want the 'charts missing' notice", st.Ready, st.Notice)
	}
	if !strings.Contains(st.Text, "make assets") {
		t.Errorf("the notice does not say how to get the charts")
	}
	if !slices.Contains(st.Cells, xssName) {
		t.Errorf("the tables are not complete without echarts")
	}
	if len(st.Alerts) > 0 || len(st.Dialogs) > 0 {
		t.Errorf("alerts %q dialogs %q", st.Alerts, st.Dialogs)
	}
}

func TestBrowserSimulationReport(t *testing.T) {
	requireAssets(t)
	browser(t)
	r, s := testSimulation(t)
	if r.Throttles == 0 || r.ColdStarts == 0 {
		t.Fatalf("fixture should throttle and cold-start: %d throttles, %d cold starts", r.Throttles, r.ColdStarts)
	}
	dir := t.TempDir()
	path := writeReport(t, dir, "simulation.html", SimulationPage(r, s))
	st := openReport(t, path, screenshotPath("simulation.png"))
	t.Logf("simulation report drawn in %v", st.Elapsed)
	assertClean(t, st, dir)
	want := []string{"environments", "traffic", "latency-percentiles", "cost-breakdown"}
	if got := st.chartIDs(); !slices.Equal(got, want) {
		t.Fatalf("charts = %v, want %v", got, want)
	}
	if got := st.chart(t, "traffic").Series; !slices.Equal(got, []string{"Requests per second", "Throttles"}) {
		t.Errorf("traffic series = %v", got)
	}
	if got := st.chart(t, "environments").Series; !slices.Equal(got, []string{"Live environments (busy + idle)", "Concurrency (busy, max)", "Cold starts"}) {
		t.Errorf("environments series = %v", got)
	}
	if st.Title != "Simulation: "+xssName || !strings.Contains(st.Text, "Simulation: "+xssName) {
		t.Errorf("the scenario name is not shown literally: title %q", st.Title)
	}
}

func TestBrowserCompareReport(t *testing.T) {
	requireAssets(t)
	browser(t)
	r := testCompare(t)
	dir := t.TempDir()
	path := writeReport(t, dir, "compare.html", ComparePage(r))
	st := openReport(t, path, screenshotPath("compare.png"))
	t.Logf("compare report drawn in %v", st.Elapsed)
	assertClean(t, st, dir)
	if got := st.chartIDs(); !slices.Equal(got, []string{"cost-curve", "cost-now"}) {
		t.Fatalf("charts = %v", got)
	}
	curve := st.chart(t, "cost-curve")
	if len(curve.Series) != 5 || curve.Series[0] != "Lambda x86_64" || curve.Series[1] != "Lambda arm64" ||
		!strings.HasPrefix(curve.Series[2], "EC2 (") || curve.Series[3] != "Fargate" || !strings.HasPrefix(curve.Series[4], "LMI (") {
		t.Errorf("cost-curve series = %v", curve.Series)
	}
	if !strings.HasPrefix(st.Title, markerFn+" · ") {
		t.Errorf("title %q does not show %s literally", st.Title, markerFn)
	}
}

func TestBrowserPipelineReport(t *testing.T) {
	requireAssets(t)
	browser(t)
	tune := testTune(t)
	sim, s := testSimulation(t)
	cmp := testCompare(t)
	dir := t.TempDir()
	path := writeReport(t, dir, "pipeline.html", PipelinePage("lambdacost demo", tune, sim, s, cmp))
	st := openReport(t, path, screenshotPath("pipeline.png"))
	t.Logf("pipeline report drawn in %v", st.Elapsed)
	assertClean(t, st, dir)
	want := []string{"cost-vs-memory", "environments", "traffic", "latency-percentiles", "cost-breakdown", "cost-curve", "cost-now"}
	if got := st.chartIDs(); !slices.Equal(got, want) {
		t.Fatalf("charts = %v, want %v", got, want)
	}
	cvm := st.chart(t, "cost-vs-memory")
	if !slices.Equal(cvm.Series, []string{"Cost per million", "Duration p50", "Duration p99"}) {
		t.Errorf("cost-vs-memory series = %v", cvm.Series)
	}
	if !slices.Contains(cvm.Categories, fmt.Sprintf("%d MB ✓", tune.Recommendation.MemoryMB)) {
		t.Errorf("the recommended size is not marked: %v", cvm.Categories)
	}
}

// TestBrowserPlanReport: the plan page's trade-off chart draws its series,
// the current and best levels and the target line, with no console error;
// the hostile scenario name is shown literally.
func TestBrowserPlanReport(t *testing.T) {
	requireAssets(t)
	browser(t)
	p := handPlan()
	p99 := 450.0
	p.Target.MaxP99Ms = p99 // two targets: three y axes
	dir := t.TempDir()
	path := writeReport(t, dir, "plan.html", PlanPage(p))
	var marks []string
	st := openReport(t, path, screenshotPath("plan.png"), func(tab context.Context) {
		var err error
		marks, err = chromedp.Run(tab, chromedp.Evaluate[[]string](`(function () {
  var o = echarts.getInstanceByDom(document.getElementById("plan-tradeoff")).getOption(), out = [];
  o.series.forEach(function (s) {
    ((s.markLine && s.markLine.data) || []).forEach(function (d) { out.push(s.name + ": " + d.name); });
  });
  return out;
})()`))
		if err != nil {
			t.Errorf("reading the marks: %v", err)
		}
	})
	t.Logf("plan report drawn in %v", st.Elapsed)
	assertClean(t, st, dir)
	if got := st.chartIDs(); !slices.Equal(got, []string{"plan-tradeoff"}) {
		t.Fatalf("charts = %v", got)
	}
	if got, want := st.chart(t, "plan-tradeoff").Series, []string{"Monthly cost", "Cold-start rate (%)", "p99 latency (ms)"}; !slices.Equal(got, want) {
		t.Errorf("plan-tradeoff series = %v, want %v", got, want)
	}
	want := []string{"Monthly cost: best: 4", "Monthly cost: current: 2", "Cold-start rate (%): target ≤ 0.1%", "p99 latency (ms): target p99 ≤ 450 ms"}
	if !slices.Equal(marks, want) {
		t.Errorf("marks = %q, want %q", marks, want)
	}
	if !strings.HasPrefix(st.Title, "Provisioned concurrency plan · "+xssName) || !slices.Contains(st.Cells, "yes (best)") {
		t.Errorf("title %q, or the trade-off table lacks the best level", st.Title)
	}
}
