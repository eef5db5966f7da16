package simulator

import (
	"math"
	"strings"
	"testing"
)

func TestErlangB(t *testing.T) {
	// B(ρ, m) = (ρ^m/m!) / Σ_{k≤m} ρ^k/k!, by hand.
	for _, tc := range []struct {
		rho  float64
		m    int
		want float64
	}{
		{1, 1, 0.5},  // 1 / (1 + 1)
		{2, 2, 0.4},  // 2 / (1 + 2 + 2)
		{3, 1, 0.75}, // 3 / 4
		{1, 3, (1.0 / 6) / (1 + 1 + 0.5 + 1.0/6)}, // 1/16
		{0.5, 2, 0.125 / (1 + 0.5 + 0.125)},
	} {
		if got := ErlangB(tc.rho, tc.m); math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("ErlangB(%g, %d) = %v, want %v", tc.rho, tc.m, got, tc.want)
		}
	}
}

// The analytical model for SimFaaS's reference inputs, as computed by an
// independent re-implementation of pacsltk.perfmodel (SimFaaS,
// github.com/pacslab/simfaas, its README's example): 7.60 instances, P(cold) 0.0012, running (warm) 1.79, utilisation
// 0.235, mean response 1.991 s.
func TestAnalyticReference(t *testing.T) {
	a := Analytic(0.9, 1.991, 2.244, 600, 1000)
	for _, c := range []struct {
		name      string
		got, want float64
		tol       float64
	}{
		{"mean environments", a.MeanEnvironments, 7.60, 0.005},
		{"cold probability", a.ColdStartRate, 0.0012, 0.00005},
		{"warm running", a.MeanWarmConcurrency, 1.79, 0.005},
		{"utilisation", a.Utilization, 0.235, 0.0005},
		{"mean response ms", a.MeanLatencyMs, 1991, 0.5},
	} {
		if math.Abs(c.got-c.want) > c.tol {
			t.Errorf("%s = %v, want %v ± %v", c.name, c.got, c.want, c.tol)
		}
	}
	if a.ThrottleRate != 0 {
		t.Errorf("throttle rate = %v, want 0", a.ThrottleRate)
	}
	// Idle = environments − warm running, and concurrency ≈ λ·E[S].
	if math.Abs(a.MeanIdle-(a.MeanEnvironments-a.MeanWarmConcurrency)) > 1e-12 {
		t.Errorf("idle %v != environments − running", a.MeanIdle)
	}
}

// With a concurrency cap the model's last state blocks: a cap of 1 at
// λ·Tw = 1 throttles B(1, 1) = 1/2 of the requests in that state.
func TestAnalyticCap(t *testing.T) {
	a := Analytic(1, 1, 1, 600, 1)
	if a.ThrottleRate != 0.5 {
		t.Errorf("throttle rate = %v, want 0.5", a.ThrottleRate)
	}
	if a.ColdStartRate >= 1 || a.MeanEnvironments > 1 {
		t.Errorf("cold %v, environments %v", a.ColdStartRate, a.MeanEnvironments)
	}
}

// The simulation and the model agree on the reference run (the model is a
// cross-check, not an oracle: within 5 % on instances and concurrency).
func TestAnalyticMatchesSimulation(t *testing.T) {
	s := parse(t, `
duration: 200000s
function: {memory_mb: 128, timeout: 900s, duration: {distribution: exponential, mean: 1991ms}, init_duration: 253ms}
keep_alive: {idle_timeout: 600s}
traffic: {start_rate: 0.9}
`)
	r := run(t, s, Options{Analytic: true})
	a := r.Analytic
	if a == nil {
		t.Fatal("no analytic result")
	}
	if math.Abs(a.MeanEnvironments-r.MeanEnvironments)/r.MeanEnvironments > 0.05 {
		t.Errorf("environments: model %.3f, simulation %.3f", a.MeanEnvironments, r.MeanEnvironments)
	}
	if math.Abs(a.MeanConcurrency-r.MeanConcurrency)/r.MeanConcurrency > 0.05 {
		t.Errorf("concurrency: model %.3f, simulation %.3f", a.MeanConcurrency, r.MeanConcurrency)
	}

	// Not constant-rate Poisson: an input error naming --analytic.
	s = parse(t, `
duration: 60s
function: {memory_mb: 128, duration: 10ms}
traffic: {start_rate: 1, stages: [{duration: 60s, target: 2}]}
`)
	if _, err := Run(t.Context(), s, Options{Analytic: true}); err == nil || !contains([]string{"--analytic: the analytical model needs constant-rate Poisson traffic (a start_rate with no stages, arrivals: poisson)"}, err.Error()) {
		t.Errorf("err = %v", err)
	}
}

// The analytic model against the exact engine on constant-rate Poisson
// cases where it applies (few environments, no cap): the largest relative
// difference on mean environments, mean concurrency and cold-start rate
// must stay within AnalyticValidatedErrorPct, the bound every analytic
// output states.
func TestAnalyticValidated(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	worst := 0.0
	for _, c := range []struct{ rate, mean, init, idle string }{
		{"0.9", "1991ms", "253ms", "600s"},
		{"5", "200ms", "300ms", "60s"},
		{"0.05", "1s", "500ms", "60s"},
		{"2", "500ms", "200ms", "30s"},
	} {
		s := parse(t, `
duration: 100000s
function: {memory_mb: 128, timeout: 900s, duration: {distribution: exponential, mean: `+c.mean+`}, init_duration: `+c.init+`}
keep_alive: {idle_timeout: `+c.idle+`}
traffic: {start_rate: `+c.rate+`}
`)
		r := run(t, s, Options{Analytic: true})
		a := r.Analytic
		for _, m := range []struct {
			name        string
			model, exct float64
		}{{"environments", a.MeanEnvironments, r.MeanEnvironments}, {"concurrency", a.MeanConcurrency, r.MeanConcurrency}, {"cold-start rate", a.ColdStartRate, r.ColdStartRate}} {
			e := 100 * math.Abs(m.model-m.exct) / m.exct
			worst = math.Max(worst, e)
			t.Logf("rate %s, %s: %s model %.4g exact %.4g (%.1f %%)", c.rate, c.mean, m.name, m.model, m.exct, e)
			if e > AnalyticValidatedErrorPct {
				t.Errorf("rate %s: %s differs by %.2f %% > %.1f %%", c.rate, m.name, e, AnalyticValidatedErrorPct)
			}
		}
	}
	t.Logf("worst %.2f %%", worst)

	// Where the model's numerical solution underflows (λ·idle ≫ 1000, every
	// kill probability e^(−L·I) = 0), --analytic refuses rather than print
	// zeros.
	s := parse(t, `
duration: 100s
function: {memory_mb: 128, duration: 200ms}
traffic: {start_rate: 5}
`)
	if _, err := Run(t.Context(), s, Options{Analytic: true}); err == nil || !strings.Contains(err.Error(), "--analytic") {
		t.Errorf("degenerate model: %v", err)
	}
}
