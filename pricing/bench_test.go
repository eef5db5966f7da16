package pricing

import (
	"fmt"
	"strings"
	"testing"
)

// usageYAML generates a usage file with n functions of mixed architectures
// and memory sizes.
func usageYAML(n int) []byte {
	var b strings.Builder
	b.WriteString("functions:\n")
	for i := 0; i < n; i++ {
		arch := "x86_64"
		if i%3 == 0 {
			arch = "arm64"
		}
		fmt.Fprintf(&b, "  - name: fn-%05d\n    memory_mb: %d\n    architecture: %s\n    requests: %d\n    duration: %dms\n    cold_start_rate: 0.01\n    init_duration: 180ms\n",
			i, 128<<(i%5), arch, 1_000_000+i*977, 20+i%400)
	}
	return []byte(b.String())
}

// BenchmarkEstimateUsageFile10k parses, validates and prices a 10,000-function
// usage file (tiers aggregated across functions).
func BenchmarkEstimateUsageFile10k(b *testing.B) {
	data := usageYAML(10_000)
	table := Embedded()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		u, err := ParseUsageFile("bench.yaml", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := table.LambdaBill("us-east-1", u.Items(), Options{FreeTier: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLambdaBill10k prices 10,000 functions already in memory.
func BenchmarkLambdaBill10k(b *testing.B) {
	u, err := ParseUsageFile("bench.yaml", usageYAML(10_000))
	if err != nil {
		b.Fatal(err)
	}
	items := u.Items()
	table := Embedded()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := table.LambdaBill("us-east-1", items, Options{FreeTier: true}); err != nil {
			b.Fatal(err)
		}
	}
}
