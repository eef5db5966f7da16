package reports

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/lambdacost/lambdacost/internal/outfile"
)

// EchartsVersion is the Apache ECharts release the reports are written for
// and that `make assets` embeds (the npm package echarts; 6.1.0 is the only
// release with the fix for CVE-2026-45249).
const EchartsVersion = "6.1.0"

// EchartsFile is the name of the script file written by WriteAssets and
// referenced by pages rendered with WithAssetsHref.
const EchartsFile = "echarts.min.js"

// assetFS holds reports/assets. The directory always exists (its README is
// committed) so the binary builds without the downloaded script; the script
// is git-ignored and fetched by `make assets`.
//
//go:embed assets
var assetFS embed.FS

// assetFiles are copied by WriteAssets: the script and its licence files.
var assetFiles = []string{EchartsFile, "echarts-LICENSE", "echarts-NOTICE"}

// embeddedEcharts returns the embedded echarts.min.js, or nil when the binary
// was built without it. A script that could close its <script> element is
// refused (the Makefile checks this too).
func embeddedEcharts() []byte { return echartsOnce() }

var echartsOnce = sync.OnceValue(func() []byte {
	b, err := fs.ReadFile(assetFS, "assets/"+EchartsFile)
	if err != nil || !safeInlineScript(b) {
		return nil
	}
	return b
})

// HasEmbeddedAssets reports whether this binary carries echarts.min.js, so
// that its HTML reports draw charts with no network and no extra files.
func HasEmbeddedAssets() bool { return embeddedEcharts() != nil }

func safeInlineScript(b []byte) bool {
	lower := bytes.ToLower(b)
	return !bytes.Contains(lower, []byte("</script")) && !bytes.Contains(lower, []byte("<!--"))
}

// WriteAssets writes the embedded echarts.min.js and its licence files into
// dir (created if needed), for reports rendered with WithAssetsHref. It
// returns an error when this binary was built without them.
func WriteAssets(dir string) error {
	if !HasEmbeddedAssets() {
		return fmt.Errorf("this lambdacost binary was built without %s: run `make assets` and rebuild", EchartsFile)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, name := range assetFiles {
		b, err := fs.ReadFile(assetFS, "assets/"+name)
		if err != nil {
			if name == EchartsFile {
				return err
			}
			continue // licence files are optional in a hand-made build
		}
		if err := outfile.WriteBytes("--assets", filepath.Join(dir, name), b); err != nil {
			return err
		}
	}
	return nil
}
