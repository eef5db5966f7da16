package simulator

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// FuzzParseScenario: any input is either a valid scenario or an error —
// never a panic — and a valid one simulates (on a short span).
func FuzzParseScenario(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "scenarios", "*.yaml"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("function: {memory_mb: 128, duration: {distribution: cdf, points: [[1s, 0.5], [2s, 1]]}}\ntraffic: {start_rate: 1}\nduration: 1m\n"))
	f.Add([]byte("function: {duration: [1, 2]}\ntraffic: {stages: [{duration: -1s, target: .inf}]}\n"))
	f.Add([]byte("traffic: {diurnal: {mean: 1, amplitude: 2, period: 0s}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		defer func() {
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("took %s", d)
			}
		}()
		s, err := ParseScenario(filepath.Join(t.TempDir(), "f.yaml"), data)
		if err != nil {
			return
		}
		// Bound the work: at most ~20,000 expected requests.
		if s.ExpectedRequests() > 20000 || s.Span() > 48*time.Hour {
			return
		}
		if _, err := Run(context.Background(), s, Options{Workers: 1}); err != nil && !pricing.IsInput(err) {
			t.Fatalf("run: %v", err)
		}
	})
}
