package simulator

import (
	"context"
	"strings"
	"testing"
)

// A provisioned-concurrency schedule, counted by hand: even arrivals at
// 1 req/s (the n-th at n − ½ s) of exactly 100 ms for 2 h, 1,024 MB.
func TestProvisionedSchedule(t *testing.T) {
	const head = `duration: 2h
region: us-east-1
function: {memory_mb: 1024, architecture: x86_64, duration: 100ms}
traffic: {arrivals: even, start_rate: 1}
`
	for _, tc := range []struct {
		name, conc string
		// prov: invocations on provisioned environments; cold: cold starts;
		// envS: billed provisioned concurrency × seconds; meanProv: the
		// span's average level.
		prov, cold, envS int64
		meanProv         float64
	}{
		// From 1 h, one provisioned environment serves every arrival (it is
		// tried first): 3,600.5 … 7,199.5 s is 3,600 arrivals. The one
		// on-demand environment started by the first arrival is the only
		// cold start. 1 × 3,600 s billed; the mean level is ½.
		{"increase", "concurrency: {provisioned_schedule: [{at: 1h, level: 1}]}\n", 3600, 1, 3600, 0.5},
		// Back to 0 at 90 min: 1,800 arrivals on it; the on-demand
		// environment, idle since 3,599.6 s, was reclaimed 10 min later, so
		// the arrival at 5,400.5 s is a second cold start. 1 × 1,800 s;
		// the mean level is 1,800 / 7,200.
		{"increase then decrease", "concurrency: {provisioned_schedule: [{at: 1h, level: 1}, {at: 90m, level: 0}]}\n", 1800, 2, 1800, 0.25},
		// 2 from the start, 0 from 1 h: the first 3,600 arrivals on
		// provisioned environments, a cold start at 3,600.5 s. 2 × 3,600 s.
		{"decrease", "concurrency: {provisioned: 2, provisioned_schedule: [{at: 1h, level: 0}]}\n", 3600, 1, 7200, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := parse(t, head+tc.conc)
			r := run(t, s, Options{})
			if r.Invocations != 7200 || r.ProvisionedInvocations != tc.prov || r.ColdStarts != tc.cold {
				t.Errorf("invocations %d, provisioned %d, cold %d; want 7200, %d, %d", r.Invocations, r.ProvisionedInvocations, r.ColdStarts, tc.prov, tc.cold)
			}
			if r.SpilloverInvocations != 7200-tc.prov {
				t.Errorf("spillover %d, want %d", r.SpilloverInvocations, 7200-tc.prov)
			}
			if r.Usage.ProvisionedEnvSeconds != tc.envS {
				t.Errorf("provisioned env-seconds %d, want %d", r.Usage.ProvisionedEnvSeconds, tc.envS)
			}
			if got := s.Concurrency.MeanProvisioned(0, s.Span()); got != tc.meanProv {
				t.Errorf("mean provisioned %v, want %v", got, tc.meanProv)
			}
			// The month repeats the 2-hour span 365 times.
			if m := monthly(s, r.Usage, s.Span()); m.ProvisionedEnvSeconds != tc.envS*365 {
				t.Errorf("monthly provisioned env-seconds %d, want %d", m.ProvisionedEnvSeconds, tc.envS*365)
			}
			found := false
			for _, a := range r.Assumptions {
				found = found || a.Field == "concurrency.provisioned_schedule"
			}
			if !found {
				t.Error("the schedule is not among the assumptions")
			}
			if _, err := Run(context.Background(), s, Options{Mode: ModeFast}); err == nil || !strings.Contains(err.Error(), "--mode: concurrency.provisioned_schedule: the fast mode keeps one provisioned level") {
				t.Errorf("fast mode with a schedule: %v", err)
			}
		})
	}
}

func TestProvisionedScheduleErrors(t *testing.T) {
	_, err := ParseScenario("test.yaml", []byte(`duration: 1h
function: {memory_mb: 128, duration: 10ms}
concurrency:
  account_limit: 500
  provisioned_schedule:
    - {at: 0s, level: 1}
    - {at: 30m, level: 600}
    - {at: 20m, level: 1}
    - {at: 2h, level: 1}
traffic: {start_rate: 1}
`))
	for _, w := range []string{
		"test.yaml:6: concurrency.provisioned_schedule[0].at must be after the start",
		"test.yaml:7: concurrency.provisioned_schedule[1].level 600 is outside [0, the concurrency limit 500]",
		"test.yaml:8: concurrency.provisioned_schedule[2].at 20m0s is not after the previous step's 30m0s",
	} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("error lacks %q: %v", w, err)
		}
	}
	_, err = ParseScenario("test.yaml", []byte("function: {memory_mb: 128, duration: 10ms}\nconcurrency: {provisioned_schedule: [{at: 5m, level: 1, when: now}]}\ntraffic: {start_rate: 1}\n"))
	if err == nil || !strings.Contains(err.Error(), `test.yaml:2: unknown key "when"`) {
		t.Errorf("unknown key: %v", err)
	}
	_, err = ParseScenario("test.yaml", []byte("duration: 1h\nfunction: {memory_mb: 128, duration: 10ms}\nconcurrency: {provisioned_schedule: [{at: 2h, level: 1}]}\ntraffic: {start_rate: 1}\n"))
	if err == nil || !strings.Contains(err.Error(), "test.yaml:3: concurrency.provisioned_schedule[0].at 2h0m0s is not within the simulated 1h0m0s") {
		t.Errorf("a step beyond the span: %v", err)
	}
}
