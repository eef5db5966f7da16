package main

import (
	"fmt"
	"os"

	"github.com/lambdacost/lambdacost/reports"
)

// announce says on stderr that a file was written, with its size:
// "wrote report.html (1.2 MB)". Every command announces every file it
// writes, so a user (or a CI log) sees where its output went.
func announce(f *Factory, path string) {
	fi, err := os.Stat(path) // through symlinks: the file written
	if err != nil || !fi.Mode().IsRegular() {
		fmt.Fprintf(f.IO.ErrOut, "wrote %s\n", path)
		return
	}
	fmt.Fprintf(f.IO.ErrOut, "wrote %s (%s)\n", path, humanBytes(fi.Size()))
}

// humanBytes formats n in B, kB, MB or GB (powers of 1000, one decimal).
func humanBytes(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1_000_000:
		return fmt.Sprintf("%.1f kB", float64(n)/1e3)
	case n < 1_000_000_000:
		return fmt.Sprintf("%.1f MB", float64(n)/1e6)
	}
	return fmt.Sprintf("%.1f GB", float64(n)/1e9)
}

// writeHTML writes an HTML report (the --html and --assets flags) and
// announces it. A build without the chart library (a plain `go install`)
// says so, since its reports then have tables only.
func writeHTML(f *Factory, path, assets string, render reports.RenderFunc) error {
	if err := reports.WriteHTMLFile(path, assets, render); err != nil {
		return err
	}
	announce(f, path)
	if !reports.HasEmbeddedAssets() && assets == "" {
		fmt.Fprintln(f.IO.ErrOut, "note: this build of lambdacost has no chart library (it was built without `make assets`, e.g. by go install), so the report has tables but no charts; build with `make build` or use a release binary")
	}
	return nil
}
