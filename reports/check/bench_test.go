package check

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

// BenchmarkLoadAndRun is a whole `check` of passing.yaml without the
// process: parse the config, price the estimate, read and price the
// dataset, evaluate eight thresholds.
func BenchmarkLoadAndRun(b *testing.B) {
	prices := pricing.Embedded()
	path := filepath.Join(testdata, "passing.yaml")
	for b.Loop() {
		cfg, err := LoadConfig(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Run(context.Background(), cfg, Options{Prices: prices, Region: "us-east-1"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarkdownWithDiff renders the pull-request summary of pr.yaml
// against base.yaml.
func BenchmarkMarkdownWithDiff(b *testing.B) {
	prices := pricing.Embedded()
	load := func(p string) *Report {
		cfg, err := LoadConfig(filepath.Join(testdata, p))
		if err != nil {
			b.Fatal(err)
		}
		r, err := Run(context.Background(), cfg, Options{Prices: prices})
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	base := load("base.yaml")
	cfg, _ := LoadConfig(filepath.Join(testdata, "pr.yaml"))
	r, err := Run(context.Background(), cfg, Options{Prices: prices, Baseline: base, BaselinePath: "base.json"})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := Write(io.Discard, reports.Markdown, reports.Style{}, r); err != nil {
			b.Fatal(err)
		}
	}
}
