package main

import (
	"encoding/json"
	"math"
	"testing"
)

// checkCheckoutByHand runs the checkout scenario of the simulate golden as
// JSON and checks its seeded numbers against closed forms, so the golden's
// table is anchored to more than its own regeneration:
//
//   - arrivals are Poisson with the stages' rate integral as mean: 30 min at
//     5/s (9,000) + a 10 s ramp to 800/s (402.5 × 10 = 4,025) + 5 min at
//     800/s (240,000) + a 10 s ramp back (4,025) + the remaining 84 min 40 s
//     at 5/s (25,400) = 282,450, σ = √282,450 ≈ 531; within 4σ;
//   - the handler is log-normal with p50 80 ms and p99 400 ms: σ =
//     ln(400/80)/2.3263 = 0.6918, mean 80·e^(σ²/2) = 101.6 ms; the mean
//     busy concurrency is the arrival rate × the mean latency (Little):
//     282,450 / 7,200 s × 0.1016 s = 3.99 (cold starts add 123 × 250 ms
//     over 2 h, 0.004), within 3 %;
//   - billed GB-s ≈ invocations × (mean + 0.5 ms of rounding up) × 0.5 GB
//     = 282,223 × 0.1021 × 0.5 ≈ 14,408, within 2 %;
//   - the month is 365 × the 2 h span: requests = 365 × invocations, and
//     the cost is their price plus the GB-s at arm64's $0.0000133334.
func checkCheckoutByHand(t *testing.T) {
	t.Helper()
	out, errOut, code := runCLI(t, nil, "simulate", checkoutScenario, "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var r struct {
		Invocations     float64 `json:"invocations"`
		MeanConcurrency float64 `json:"mean_concurrency"`
		BilledGBSeconds float64 `json:"billed_gb_seconds"`
		MonthlyCostUSD  float64 `json:"monthly_cost_usd"`
		Usage           struct {
			Requests float64 `json:"requests"`
		} `json:"billed_usage"`
	}
	if err := json.Unmarshal(resultOf(t, out), &r); err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.Invocations-282450) > 4*math.Sqrt(282450) {
		t.Errorf("invocations %v, want 282,450 ± %.0f", r.Invocations, 4*math.Sqrt(282450))
	}
	sigma := math.Log(5) / 2.3263
	meanS := 0.080 * math.Exp(sigma*sigma/2)
	if want := 282450.0 / 7200 * meanS; math.Abs(r.MeanConcurrency-want) > 0.03*want {
		t.Errorf("mean concurrency %v, want λ·E[S] = %v ± 3 %%", r.MeanConcurrency, want)
	}
	if want := r.Invocations * (meanS + 0.0005) * 0.5; math.Abs(r.BilledGBSeconds-want) > 0.02*want {
		t.Errorf("billed GB-s %v, want about %v", r.BilledGBSeconds, want)
	}
	if r.Usage.Requests != r.Invocations {
		t.Errorf("billed requests %v for %v invocations", r.Usage.Requests, r.Invocations)
	}
	month := r.Invocations*365*0.2e-6 + r.BilledGBSeconds*365*0.0000133334
	if math.Abs(r.MonthlyCostUSD-month) > 0.01 {
		t.Errorf("monthly cost $%v, want 365 × the span: $%v", r.MonthlyCostUSD, month)
	}
}
