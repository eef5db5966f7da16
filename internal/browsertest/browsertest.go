// Package browsertest starts the one real headless Chromium (Debian's
// `chromium`, installed by .ci/run, driven by chromedp) that a test
// binary's browser tests share. Tests skip only when no Chromium is
// installed and CI is unset; with CI set, a missing Chromium fails.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

var (
	once   sync.Once
	ctx    context.Context
	err    error
	cancel = func() {}
)

// ChromePath is $CHROME_PATH, else the first Chromium found on $PATH, else "".
func ChromePath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Browser returns the shared browser context (1280×1000), starting
// Chromium on the first call.
func Browser(tb testing.TB) context.Context {
	tb.Helper()
	path := ChromePath()
	if path == "" {
		if os.Getenv("CI") == "" {
			tb.Skip("chromium is not installed (apt-get install chromium fonts-liberation); set CI=1 to make this a failure")
		}
		tb.Fatal("chromium is required when CI is set: .ci/run installs Debian's chromium")
	}
	once.Do(func() {
		o := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.NoSandbox,
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-quic", true),
			chromedp.WindowSize(1280, 1000),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), o...)
		c, cancelCtx := chromedp.NewContext(alloc)
		err = chromedp.Do(c)
		ctx = c
		cancel = func() { cancelCtx(); cancelAlloc() }
	})
	if err != nil {
		tb.Fatalf("starting chromium (%s): %v", path, err)
	}
	return ctx
}

// Close stops the shared Chromium; call it from TestMain after m.Run.
func Close() { cancel() }
