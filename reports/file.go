package reports

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
)

// RenderFunc writes one HTML report with the given options (a page's Render
// method, or one of the Write*HTML functions with its data bound).
type RenderFunc func(w io.Writer, opts ...HTMLOption) error

// WriteHTMLFile writes a report to path (the --html flag). With assetsDir
// (the --assets flag) echarts.min.js and its licence are written into that
// directory and the report loads them by a relative path, so that many
// reports share one copy; otherwise echarts is inlined and the file stands
// alone. The file is written atomically (package outfile): a failed
// render, a full disk or a kill never leaves half a report, a symlink's
// target is replaced (the link stays), a device is written into and a
// directory refused; write failures are *pricing.ExternalError naming the
// path.
func WriteHTMLFile(path, assetsDir string, render RenderFunc) error {
	var opts []HTMLOption
	if assetsDir != "" {
		if err := WriteAssets(assetsDir); err != nil {
			var xe *pricing.ExternalError
			if pricing.IsInput(err) || errors.As(err, &xe) {
				return err
			}
			return pricing.Inputf("--assets", "%v", err)
		}
		href, err := relativeHref(path, filepath.Join(assetsDir, EchartsFile))
		if err != nil {
			return pricing.Inputf("--assets", "%v", err)
		}
		opts = append(opts, WithAssetsHref(href))
	}
	return outfile.Write("--html", path, func(w io.Writer) error { return render(w, opts...) })
}

// relativeHref is the URL path from the report at htmlPath to target, with
// forward slashes and each segment escaped.
func relativeHref(htmlPath, target string) (string, error) {
	fromDir, err := filepath.Abs(filepath.Dir(htmlPath))
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(fromDir, abs)
	if err != nil {
		return "", fmt.Errorf("the assets directory must be reachable from the report's folder: %v", err)
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, p := range parts {
		parts[i] = pathEscape(p)
	}
	return strings.Join(parts, "/"), nil
}

// pathEscape escapes a URL path segment (spaces, %, #, ? and non-ASCII).
func pathEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
