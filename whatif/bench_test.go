package whatif

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/simulator"
)

// benchScenario is a steady API at rate req/s for span: the what-if sizes
// of issue 22 (a month at 1k req/s, a year at 10k req/s).
func benchScenario(span string, rate int) []byte {
	return []byte(`name: bench
region: us-east-1
duration: ` + span + `
function:
  memory_mb: 1024
  architecture: arm64
  duration: {distribution: lognormal, p50: 60ms, p99: 300ms}
  init_duration: 300ms
concurrency:
  account_limit: 20000
traffic:
  start_rate: ` + strconv.Itoa(rate) + `
`)
}

// benchWhatIf times one answer of api/plan to a change (memory 1024 →
// 512) in the interactive mode (its choice of engine), through the HTTP
// handler.
func benchWhatIf(b *testing.B, span string, rate int) {
	benchWhatIfSet(b, span, rate, `{"set":{"memory_mb":512}}`, false)
}

// benchWhatIfSet times one answer to the change set; warmed: after the
// server's background warm-up (Serve runs simulator.WarmFast on the
// loaded scenario while the page loads), not timed.
func benchWhatIfSet(b *testing.B, span string, rate int, set string, warmed bool) {
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A new server each time: its answer cache must not answer.
		b.StopTimer()
		// No work bound: the benchmark times the answer, whatever it costs.
		srv, err := New(Config{Scenario: benchScenario(span, rate), Name: "bench", Logf: b.Logf, Limits: Limits{ExactBudget: DefaultLimits.ExactBudget, MaxWork: time.Hour, Timeout: time.Hour}})
		if err != nil {
			b.Fatal(err)
		}
		if warmed {
			simulator.WarmFast(context.Background(), srv.base, srv.base.Seed)
		}
		b.StartTimer()
		req := httptest.NewRequest(http.MethodPost, "/api/plan", strings.NewReader(set))
		req.Header.Set("Content-Type", "application/json")
		req.Host = "127.0.0.1" // the server answers loopback names only
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
		if i == 0 {
			b.Logf("mode %s", modeOf(rec.Body.String()))
		}
	}
}

func modeOf(js string) string {
	i := strings.Index(js, `"mode": "`)
	if i < 0 {
		return "?"
	}
	rest := js[i+9:]
	return rest[:strings.IndexByte(rest, '"')]
}

// BenchmarkWhatIfMonth1k: a 730-hour month at 1,000 req/s (2.6·10⁹
// requests; goal: under 300 ms).
func BenchmarkWhatIfMonth1k(b *testing.B) { benchWhatIf(b, "730h", 1000) }

// BenchmarkWhatIfYear10k: a year at 10,000 req/s (3.15·10¹¹ requests;
// goal: under 2 s).
func BenchmarkWhatIfYear10k(b *testing.B) { benchWhatIf(b, "8760h", 10000) }

// BenchmarkWhatIfMonth1kWarmed and BenchmarkWhatIfYear10kWarmed: the
// same scenarios after the server's warm-up, asked memory 1024 → 512 and
// traffic ×3 (the calibration does not depend on either; run each in its
// own process, -bench 'Month1k$', for the cold figures above).
func BenchmarkWhatIfMonth1kWarmed(b *testing.B) {
	benchWhatIfSet(b, "730h", 1000, `{"set":{"memory_mb":512,"traffic_scale":3}}`, true)
}

func BenchmarkWhatIfYear10kWarmed(b *testing.B) {
	benchWhatIfSet(b, "8760h", 10000, `{"set":{"memory_mb":512,"traffic_scale":3}}`, true)
}

// BenchmarkWhatIfCheckout: the checkout scenario ×10 at 1024 MB, the
// browser test's what-if (exact engine).
func BenchmarkWhatIfCheckout(b *testing.B) {
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv, err := New(Config{Scenario: base(b, checkout), Name: "checkout", Logf: b.Logf})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		req := httptest.NewRequest(http.MethodPost, "/api/plan", strings.NewReader(`{"set":{"memory_mb":1024,"traffic_scale":10}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Host = "127.0.0.1" // the server answers loopback names only
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
}

// benchRepriced times the answer to a bill-only change (a 17 % Savings
// Plan and eu-west-1) after a what-if of the same pool was answered: it
// is priced from the kept simulation.
func benchRepriced(b *testing.B, span string, rate int) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		srv, err := New(Config{Scenario: benchScenario(span, rate), Name: "bench", Logf: b.Logf, Limits: Limits{ExactBudget: DefaultLimits.ExactBudget, MaxWork: time.Hour, Timeout: time.Hour}})
		if err != nil {
			b.Fatal(err)
		}
		do := func(body string) {
			req := httptest.NewRequest(http.MethodPost, "/api/plan", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Host = "127.0.0.1"
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rec.Code != 200 {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
		do(`{"set":{"memory_mb":512}}`)
		b.StartTimer()
		do(`{"set":{"memory_mb":512,"compute_savings_plan":0.17,"free_tier":true}}`)
		if srv.Repriced() != 1 {
			b.Fatal("not priced from the kept simulation")
		}
	}
}

// BenchmarkWhatIfYear10kRepriced: a bill-only change of the year at 10k
// req/s.
func BenchmarkWhatIfYear10kRepriced(b *testing.B) { benchRepriced(b, "8760h", 10000) }

// BenchmarkWhatIfMonth1kRepriced: a bill-only change of the month at 1k
// req/s.
func BenchmarkWhatIfMonth1kRepriced(b *testing.B) { benchRepriced(b, "730h", 1000) }
