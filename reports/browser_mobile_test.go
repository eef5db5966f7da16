package reports

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestBrowserNarrowAndWide: the reports fit a 390-px phone and a 1280-px
// desktop: no sideways scroll (the page is no wider than the viewport), no
// console error, at both widths.
func TestBrowserNarrowAndWide(t *testing.T) {
	requireAssets(t)
	browser(t)
	tune := testTune(t)
	sim, s := testSimulation(t)
	cmp := testCompare(t)
	dir := t.TempDir()
	pages := map[string]string{
		"pipeline": writeReport(t, dir, "pipeline.html", PipelinePage("lambdacost demo", tune, sim, s, cmp)),
	}
	for name, path := range pages {
		for _, w := range []int64{390, 1280} {
			t.Run(fmt.Sprintf("%s at %d px", name, w), func(t *testing.T) {
				var scroll, inner int64
				var wide string
				st := openReport(t, path, screenshotPath(fmt.Sprintf("%s-%d.png", name, w)), func(tab context.Context) {
					if _, err := chromedp.Call(tab, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: w, Height: 844, DeviceScaleFactor: 1}); err != nil {
						t.Fatal(err)
					}
					if _, err := chromedp.Run(tab, chromedp.Evaluate[int64](`window.dispatchEvent(new Event("resize")); 0`)); err != nil {
						t.Fatal(err)
					}
					time.Sleep(300 * time.Millisecond) // the charts redraw on resize
					var err error
					if scroll, err = chromedp.Run(tab, chromedp.Evaluate[int64](`document.documentElement.scrollWidth`)); err != nil {
						t.Fatal(err)
					}
					if inner, err = chromedp.Run(tab, chromedp.Evaluate[int64](`window.innerWidth`)); err != nil {
						t.Fatal(err)
					}
					// What sticks out, for the message.
					wide, _ = chromedp.Run(tab, chromedp.Evaluate[string](`Array.from(document.querySelectorAll("body *")).filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).slice(-3).map(e => e.tagName + "." + e.className + " " + Math.round(e.getBoundingClientRect().right)).join("; ")`))
				})
				assertClean(t, st, dir)
				if inner != w {
					t.Fatalf("viewport is %d px, want %d", inner, w)
				}
				if scroll > inner {
					t.Errorf("page is %d px wide in a %d px viewport: it scrolls sideways (widest: %s)", scroll, inner, wide)
				}
			})
		}
	}
}
