package whatif

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lambdacost/lambdacost/internal/browsertest"
	"github.com/lambdacost/lambdacost/reports"
)

// The browser tests drive the page in a real headless Chromium (Debian's
// `chromium`, installed by .ci/run), as the reports' tests do. They skip
// only when no Chromium is installed and CI is unset.

func startBrowser(tb testing.TB) context.Context {
	tb.Helper()
	if reports.EchartsScript() == nil {
		if os.Getenv("CI") == "" {
			tb.Skip("echarts.min.js is not embedded: run `make assets` (make test does)")
		}
		tb.Fatal("echarts.min.js is not embedded although CI is set: `make test` runs `make assets` first")
	}
	return browsertest.Browser(tb)
}

// hookScript records dialogs instead of opening them, script errors and
// Content-Security-Policy violations.
const hookScript = `window.__alerts = []; window.__errors = [];
window.alert = window.confirm = window.prompt = function (m) { window.__alerts.push(String(m)); };
addEventListener("error", function (e) { window.__errors.push(e.message || "resource failed to load"); }, true);
document.addEventListener("securitypolicyviolation", function (e) { window.__errors.push("CSP violation: " + e.violatedDirective + " " + e.blockedURI); });`

// tabLog is what a tab did that a test must see: console errors,
// exceptions, requests and dialogs.
type tabLog struct {
	mu       sync.Mutex
	console  []string
	requests []string
	dialogs  []string
}

func openTab(t *testing.T, url string, width, height int64) (context.Context, *tabLog) {
	t.Helper()
	tab, cancelTab := chromedp.NewContext(startBrowser(t))
	t.Cleanup(cancelTab)
	tab, cancel := context.WithTimeout(tab, 90*time.Second)
	t.Cleanup(cancel)
	l := &tabLog{}
	if err := chromedp.Listen(tab, func(ev any) {
		l.mu.Lock()
		defer l.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			l.console = append(l.console, "exception: "+e.ExceptionDetails.Text)
		case *runtime.EventConsoleAPICalled:
			if e.Type == "error" || e.Type == "warning" {
				l.console = append(l.console, "console."+string(e.Type))
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError || e.Entry.Level == log.EntryLevelWarning {
				l.console = append(l.console, fmt.Sprintf("log %s: %s %s", e.Entry.Level, e.Entry.Text, e.Entry.URL))
			}
		case *network.EventRequestWillBeSent:
			l.requests = append(l.requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			l.dialogs = append(l.dialogs, e.Message)
			go chromedp.Call(tab, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		}
	}); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{
		call(tab, network.Enable, network.EnableParams{}),
		call(tab, log.Enable, cdp.Empty{}),
		call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: width, Height: height, DeviceScaleFactor: 1, Mobile: width < 500}),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: hookScript}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	return tab, l
}

// selectAll selects the text of an input, as a user's Ctrl+A would.
func selectAll(id string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(document.getElementById("`+id+`").select(), true)`)(ctx, t)
		return chromedp.Void{}, err
	}
}

func call[P, R any](ctx context.Context, cmd cdp.Command[P, R], p P) error {
	_, err := chromedp.Call(ctx, cmd, p)
	return err
}

func eval[T any](t *testing.T, tab context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(tab, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitReady waits for the page's answer to a state whose URL fragment
// contains every one of want.
func waitReady(t *testing.T, tab context.Context, want ...string) {
	t.Helper()
	cond := `document.documentElement.getAttribute("data-state") === "ready"`
	for _, w := range want {
		b, _ := json.Marshal(w)
		cond += ` && decodeURIComponent(location.hash).indexOf(` + string(b) + `) >= 0`
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](cond, chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		st := eval[string](t, tab, `document.documentElement.getAttribute("data-state") + " · " + document.getElementById("status").textContent + " · " + document.getElementById("error").textContent + " · " + location.hash`)
		t.Fatalf("the page never showed the answer for %q: %v (page: %s)", want, err, st)
	}
}

func (l *tabLog) assertClean(t *testing.T, tab context.Context, origin string) {
	t.Helper()
	alerts := eval[[]string](t, tab, `window.__alerts`)
	errs := eval[[]string](t, tab, `window.__errors`)
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(alerts) > 0 || len(l.dialogs) > 0 {
		t.Errorf("the page ran script from data: alerts %q, dialogs %q", alerts, l.dialogs)
	}
	if len(errs) > 0 || len(l.console) > 0 {
		t.Errorf("page errors %q; console %q", errs, l.console)
	}
	for _, u := range l.requests {
		if !strings.HasPrefix(u, origin+"/") && !strings.HasPrefix(u, "blob:"+origin+"/") {
			t.Errorf("request outside the server: %s", u)
		}
	}
}

// usdText is how the page shows money: $1,234.56.
func usdText(x float64) string {
	s := strconv.FormatFloat(x, 'f', 2, 64)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return "$" + b.String() + "." + frac
}

// The done-when test of issue 22: a session changes memory 512 → 1024 and
// traffic ×10 with the keyboard; the bill and cold-start rate the page
// shows equal `lambdacost simulate -o json` on the scenario it downloads.
func TestBrowserWhatIfMatchesCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("drives Chromium and runs the CLI")
	}
	srv, ts := newTestServer(t, base(t, checkout), Config{Name: "testdata/scenarios/checkout.yaml"})
	tab, l := openTab(t, ts.URL+"/", 1280, 1000)
	waitReady(t, tab)
	if got := eval[string](t, tab, `document.getElementById("memory_mb").value`); got != "512" {
		t.Fatalf("memory input shows %q, want the scenario's 512", got)
	}
	before := eval[string](t, tab, `document.getElementById("bill").getAttribute("data-value")`)

	// Memory: focus the field, select its text, type 1024 (real key events).
	if err := chromedp.Do(tab, chromedp.Focus("#memory_mb"), selectAll("memory_mb"), chromedp.SendKeys("#memory_mb", "1024")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab, `"memory_mb":1024`)
	// Traffic ×10: the quick button, pressed with Enter.
	if err := chromedp.Do(tab, chromedp.Focus(`button[data-scale="10"]`), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab, `"memory_mb":1024`, `"traffic_scale":10`)
	simulated := eval[string](t, tab, `document.getElementById("bill").getAttribute("data-value")`)

	// Billing: a 17 % Compute Savings Plan (typed) and the free tier (Space
	// on the checkbox). Neither changes the pool: the page's answer is
	// priced from the kept simulation.
	if err := chromedp.Do(tab, chromedp.Focus("#compute_savings_plan"), selectAll("compute_savings_plan"), chromedp.SendKeys("#compute_savings_plan", "17")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab, `"compute_savings_plan":0.17`)
	if err := chromedp.Do(tab, chromedp.Focus("#free_tier"), chromedp.KeyEvent(" ")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab, `"memory_mb":1024`, `"traffic_scale":10`, `"compute_savings_plan":0.17`, `"free_tier":true`)
	if srv.Repriced() == 0 {
		t.Error("the billing changes were simulated again instead of priced from the kept run")
	}
	if got := eval[string](t, tab, `document.getElementById("bill").getAttribute("data-value")`); got == simulated {
		t.Errorf("the bill did not change with a Savings Plan and the free tier (%s)", got)
	}
	as := eval[string](t, tab, `document.getElementById("assumptions").textContent`)
	for _, w := range []string{"billing.compute_savings_plan: 17 %", "billing.free_tier: applied to the monthly bill"} {
		if !strings.Contains(as, w) {
			t.Errorf("the assumptions shown lack %q: %s", w, as)
		}
	}

	type shown struct {
		Bill, BillValue, Cold, ColdValue, Command, Engine string
		Canvases                                          int
	}
	s := eval[shown](t, tab, `(function () {
	  var g = function (id) { return document.getElementById(id); };
	  return {Bill: g("bill").textContent, BillValue: g("bill").getAttribute("data-value"),
	    Cold: g("cold-rate").textContent, ColdValue: g("cold-rate").getAttribute("data-value"),
	    Command: g("command").textContent, Engine: g("engine").textContent,
	    Canvases: g("chart").querySelectorAll("canvas").length};
	})()`)
	if s.BillValue == before {
		t.Errorf("the bill did not change with memory ×2 and traffic ×10 (%s)", before)
	}
	if s.Canvases == 0 {
		t.Error("the chart drew no canvas")
	}

	// The always-on alternatives: an EC2 type typed in. The choice is part
	// of the scenario the page saves (its compare: section).
	if err := chromedp.Do(tab, chromedp.Focus("#cmp_instance"), chromedp.SendKeys("#cmp_instance", "m7g.large")); err != nil {
		t.Fatal(err)
	}

	// Download the scenario (keyboard again) into a folder of our own.
	dir := t.TempDir()
	if err := call(tab, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Focus("#download"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	saved := filepath.Join(dir, ScenarioFile)
	waitFor(t, "the download of "+ScenarioFile, 20*time.Second, func() bool {
		b, err := os.ReadFile(saved)
		return err == nil && strings.Contains(string(b), "traffic:")
	})
	y, _ := os.ReadFile(saved)
	if !strings.Contains(string(y), "memory_mb: 1024") || !strings.Contains(string(y), "scale: 10") || !strings.Contains(string(y), "compute_savings_plan: 0.17") ||
		!strings.Contains(string(y), "free_tier: true") || !strings.Contains(string(y), s.Command) ||
		!strings.Contains(string(y), "instance_types: [m7g.large]") {
		t.Errorf("the downloaded scenario does not hold the session's changes or its command %q:\n%s", s.Command, y)
	}

	out, stderr, code := runCLI(t, dir, s.Command)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", s.Command, code, stderr)
	}
	var r struct {
		Mode          string  `json:"mode"`
		Monthly       float64 `json:"monthly_cost_usd"`
		ColdStartRate float64 `json:"cold_start_rate"`
		ColdStarts    int64   `json:"cold_starts"`
	}
	if err := json.Unmarshal(cliResult(t, out, ""), &r); err != nil {
		t.Fatal(err)
	}
	if r.ColdStarts == 0 || r.Monthly <= 0 {
		t.Fatalf("the CLI's result is degenerate: %s", out)
	}
	if v, err := strconv.ParseFloat(s.BillValue, 64); err != nil || v != r.Monthly {
		t.Errorf("page bill %s (%q), CLI monthly_cost_usd %v", s.BillValue, s.Bill, r.Monthly)
	}
	if v, err := strconv.ParseFloat(s.ColdValue, 64); err != nil || v != r.ColdStartRate {
		t.Errorf("page cold-start rate %s (%q), CLI cold_start_rate %v", s.ColdValue, s.Cold, r.ColdStartRate)
	}
	if want := usdText(r.Monthly); s.Bill != want {
		t.Errorf("bill shown %q, want %q", s.Bill, want)
	}
	if want := strconv.FormatFloat(r.ColdStartRate*100, 'g', 3, 64) + " %"; s.Cold != want {
		t.Errorf("cold-start rate shown %q, want %q", s.Cold, want)
	}
	if s.Engine != r.Mode {
		t.Errorf("engine shown %q, CLI mode %q", s.Engine, r.Mode)
	}
	t.Logf("page: bill %s, cold-start rate %s (%s); CLI on the download: %v, %v", s.Bill, s.Cold, s.Engine, r.Monthly, r.ColdStartRate)

	// The always-on comparison, on request (keyboard), names the option
	// `lambdacost compare` on the same file finds cheapest.
	if err := chromedp.Do(tab, chromedp.Focus("#compare"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.getElementById("compare-status").hasAttribute("data-cheapest")`, chromedp.WithPollingTimeout(60*time.Second))); err != nil {
		t.Fatalf("no comparison shown: %v (%s)", err, eval[string](t, tab, `document.getElementById("compare-status").textContent`))
	}
	cmpCmd := eval[string](t, tab, `document.getElementById("compare-command").textContent`)
	cout, cerr, ccode := runCLI(t, dir, cmpCmd)
	if ccode != 0 {
		t.Fatalf("%s: exit %d: %s", cmpCmd, ccode, cerr)
	}
	// The file alone reproduces the panel: no flags.
	if cmpCmd != "lambdacost compare scenario.yaml -o json" {
		t.Errorf("compare command %q has flags", cmpCmd)
	}
	var cr struct {
		Cheapest string `json:"cheapest"`
		EC2      struct {
			InstanceType string `json:"instance_type"`
		} `json:"ec2"`
		Saving struct {
			MonthlyUSD float64 `json:"monthly_usd"`
		} `json:"saving"`
	}
	if err := json.Unmarshal(cliResult(t, cout, "comparisons"), &cr); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, tab, `document.getElementById("compare-status").getAttribute("data-cheapest")`); got != cr.Cheapest {
		t.Errorf("page says %q is cheapest, %s says %q", got, cmpCmd, cr.Cheapest)
	}
	if cr.EC2.InstanceType != "m7g.large" {
		t.Errorf("%s priced EC2 on %q, not the page's m7g.large", cmpCmd, cr.EC2.InstanceType)
	}
	if got := eval[string](t, tab, `document.getElementById("compare-saving").getAttribute("data-saving-usd")`); got != strconv.FormatFloat(cr.Saving.MonthlyUSD, 'g', -1, 64) {
		t.Errorf("page shows a saving of %s, %s says %v", got, cmpCmd, cr.Saving.MonthlyUSD)
	}
	if txt := eval[string](t, tab, `document.getElementById("compare-saving").textContent`); !strings.Contains(txt, "a 730-hour month, list prices and the assumptions below") && !strings.Contains(txt, "already the cheapest") {
		t.Errorf("the saving is shown without its assumptions: %q", txt)
	}
	if n := eval[int](t, tab, `document.querySelectorAll("#options tbody tr").length`); n < 4 {
		t.Errorf("%d options shown", n)
	}
	if marked := eval[string](t, tab, `Array.from(document.querySelectorAll("#options td")).map(td => td.textContent).filter(x => x.indexOf("(cheapest)") >= 0).join("|")`); marked == "" {
		t.Error("no option is marked cheapest")
	}

	// The URL fragment shares the state: a new tab opened on it shows the
	// same answer.
	u := eval[string](t, tab, `location.href`)
	tab2, l2 := openTab(t, u, 1280, 1000)
	waitReady(t, tab2, `"memory_mb":1024`, `"traffic_scale":10`, `"compute_savings_plan":0.17`)
	if got := eval[string](t, tab2, `document.getElementById("compute_savings_plan").value + "/" + document.getElementById("free_tier").checked`); got != "17/true" {
		t.Errorf("the shared URL's billing inputs show %s, want 17/true", got)
	}
	if got := eval[string](t, tab2, `document.getElementById("bill").getAttribute("data-value")`); got != s.BillValue {
		t.Errorf("the shared URL shows bill %s, want %s", got, s.BillValue)
	}
	l.assertClean(t, tab, ts.URL)
	l2.assertClean(t, tab2, ts.URL)

	if p := os.Getenv("LAMBDACOST_SERVE_SCREENSHOT"); p != "" {
		png, err := chromedp.Run(tab, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// A bad value shows the CLI's message on the page; the next good one
// clears it.
func TestBrowserBadInputShowsMessage(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	tab, l := openTab(t, ts.URL+"/", 1280, 1000)
	waitReady(t, tab)
	if err := chromedp.Do(tab, chromedp.Focus("#memory_mb"), selectAll("memory_mb"), chromedp.SendKeys("#memory_mb", "99999")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.documentElement.getAttribute("data-state") === "error"`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatal(err)
	}
	msg := eval[string](t, tab, `document.getElementById("error").textContent`)
	if !strings.Contains(msg, "scenario.yaml:") || !strings.Contains(msg, "memory 99999 MB is outside Lambda's range") {
		t.Errorf("error shown %q", msg)
	}
	if err := chromedp.Do(tab, chromedp.Focus("#memory_mb"), selectAll("memory_mb"), chromedp.SendKeys("#memory_mb", "2048")); err != nil {
		t.Fatal(err)
	}
	waitReady(t, tab, `"memory_mb":2048`)
	if !eval[bool](t, tab, `document.getElementById("error").hidden`) {
		t.Error("the error stays after a good value")
	}
	// The 400 answer is logged by Chromium as a failed resource load; that
	// is the expected answer here, so only dialogs and requests are checked.
	l.mu.Lock()
	l.console = nil
	l.mu.Unlock()
	l.assertClean(t, tab, ts.URL)
}

// A hostile scenario name is shown literally and runs nothing; at 390 px
// the page has no horizontal scroll.
func TestBrowserHostileNameAndPhoneWidth(t *testing.T) {
	_, ts := newTestServer(t, hostileScenario, Config{Name: hostileName})
	tab, l := openTab(t, ts.URL+"/", 390, 844)
	waitReady(t, tab)
	if got := eval[string](t, tab, `document.getElementById("title").textContent`); got != hostileName {
		t.Errorf("title shows %q, want the name literally", got)
	}
	if n := eval[int](t, tab, `document.querySelectorAll("img").length`); n != 0 {
		t.Errorf("%d img elements: the name was parsed as HTML", n)
	}
	if sw, iw := eval[int64](t, tab, `document.documentElement.scrollWidth`), eval[int64](t, tab, `window.innerWidth`); sw > iw {
		wide := eval[string](t, tab, `Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(-3).map(e => e.tagName + "#" + e.id + "." + e.className).join("; ")`)
		t.Errorf("at 390 px the page is %d px wide (inner %d): %s", sw, iw, wide)
	}
	l.assertClean(t, tab, ts.URL)
}

// A shared URL is data too: a fragment carrying markup fills the inputs as
// text, runs nothing, and the server refuses the values by name.
func TestBrowserHostileFragmentInert(t *testing.T) {
	_, ts := newTestServer(t, hostileScenario, Config{})
	frag := `{"set":{"duration":"<img src=x onerror=alert(3)>","region":"<script>alert(4)</script>","stages":[{"duration":"<b>x</b>","target":"<i>"}],` +
		`"provisioned_schedule":[{"at":"<img src=x onerror=alert(5)>","level":"<b>"}]},"mode":"exact","compare":{"instance_types":["<img src=x onerror=alert(6)>"]}}`
	tab, l := openTab(t, ts.URL+"/#"+url.PathEscape(frag), 1280, 1000)
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.documentElement.getAttribute("data-state") === "error"`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatal(err)
	}
	if got := eval[string](t, tab, `document.getElementById("duration").value`); got != "<img src=x onerror=alert(3)>" {
		t.Errorf("duration input %q", got)
	}
	if got := eval[string](t, tab, `document.querySelector("#schedule .sc-a").value + "|" + document.getElementById("cmp_instance").value`); got != "<img src=x onerror=alert(5)>|<img src=x onerror=alert(6)>" {
		t.Errorf("schedule and instance-type inputs %q", got)
	}
	if n := eval[int](t, tab, `document.querySelectorAll("img, b, i, main script").length`); n != 0 {
		t.Errorf("%d elements parsed from the fragment", n)
	}
	if msg := eval[string](t, tab, `document.getElementById("error").textContent`); !strings.Contains(msg, "set.stages") && !strings.Contains(msg, "set.provisioned_schedule") {
		t.Errorf("error shown %q", msg)
	}
	l.mu.Lock()
	l.console = nil // the 400 answer is logged as a failed load
	l.mu.Unlock()
	l.assertClean(t, tab, ts.URL)
}

// Keyboard alone: Tab reaches every control of the page in order, each
// with a visible focus ring.
func TestBrowserKeyboardReachesEveryControl(t *testing.T) {
	_, ts := newTestServer(t, hostileScenario, Config{})
	tab, l := openTab(t, ts.URL+"/", 1280, 1000)
	waitReady(t, tab)
	var seen []string
	for i := 0; i < 100; i++ {
		if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		f := eval[string](t, tab, `(function () { var e = document.activeElement; if (!e || e === document.body) { return ""; }
		  var o = getComputedStyle(e).outlineStyle; return (e.id || e.getAttribute("data-scale") || e.getAttribute("aria-label") || e.tagName) + (o === "none" ? "!nofocusring" : ""); })()`)
		seen = append(seen, f)
	}
	all := strings.Join(seen, " ")
	for _, want := range []string{"traffic_scale", "10", "duration", "start_rate", "Stage 1 duration", "add-stage", "memory_mb", "architecture", "region", "provisioned", "reserved", "account_limit", "add-step", "mode", "download", "reset", "monthly_growth", "free_tier", "compute_savings_plan",
		"cmp_instance", "cmp_fargate", "cmp_lmi_type", "cmp_lmi", "compare", "target_cold", "target_p99", "recommend"} {
		found := false
		for _, s := range seen {
			if s == want {
				found = true
			}
		}
		if !found {
			t.Errorf("Tab never reaches %q (order: %s)", want, all)
		}
	}
	if strings.Contains(all, "!nofocusring") {
		t.Errorf("a control has no visible focus ring: %s", all)
	}
	l.assertClean(t, tab, ts.URL)
}
