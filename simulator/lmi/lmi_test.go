package lmi

import (
	"math"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

func m7gXL(t *testing.T) *pricing.InstanceType {
	t.Helper()
	it, err := pricing.Embedded().LMIInstance("us-east-1", "m7g.xlarge")
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// CPU-bound Node.js requests of 40 ms on m7g.xlarge at a 50 % target: one
// 1-vCPU environment takes 12.5 req/s at target, 25 req/s saturated.
func nodeConfig() Config {
	return Config{LMIConfig: fleet.LMIConfig{Runtime: "nodejs22.x", TargetCPU: 0.5}, Duration: 40 * time.Millisecond, CPUTime: 40 * time.Millisecond}
}

func step(before, after float64, at time.Duration) func(time.Duration) float64 {
	return func(t time.Duration) float64 {
		if t < at {
			return before
		}
		return after
	}
}

// Steady 100 req/s for an hour: 100 × 0.04 / 0.5 = 8 environments, 2
// instances → the 3-instance floor; 3 instance-hours; CPU 4/8 = 50 %; no
// throttles; 360,000 requests.
func TestSteady(t *testing.T) {
	r, err := Simulate(step(100, 100, 0), time.Hour, m7gXL(t), nodeConfig())
	if err != nil {
		t.Fatal(err)
	}
	if r.Throttles != 0 || r.MaxInstances != 3 || math.Abs(r.InstanceHours-3) > 1e-9 || math.Abs(r.Accepted-360000) > 1e-6 || math.Abs(r.MeanCPUUtilization-0.5) > 1e-12 {
		t.Errorf("%s, cpu %v", r, r.MeanCPUUtilization)
	}
	if r.MeanDuration != 40*time.Millisecond {
		t.Errorf("mean duration %s", r.MeanDuration)
	}
	if len(r.Series) != 60 || r.Series[0].Environments != 8 || r.Series[59].Instances != 3 {
		t.Errorf("series: %d points, first %+v", len(r.Series), r.Series[0])
	}
}

// More than doubling at once (100 → 250 req/s at 10 min) throttles until
// the new environments arrive 5 minutes later: the 8 environments' vCPUs
// take 8 / 0.04 = 200 req/s, so 50 req/s are CPU throttles for 300 s =
// 15,000. Less than doubling (100 → 190: 7.6 vCPUs of 8) throttles none.
func TestDoublingThrottles(t *testing.T) {
	r, err := Simulate(step(100, 250, 10*time.Minute), 30*time.Minute, m7gXL(t), nodeConfig())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.CPUThrottles-15000) > 1e-6 || r.ConcurrencyThrottles != 0 {
		t.Errorf("×2.5: %s", r)
	}
	// After the lag: 250 × 0.04 / 0.5 = 20 environments on 5 instances.
	if last := r.Series[len(r.Series)-1]; last.Environments != 20 || last.Instances != 5 {
		t.Errorf("after the scale-out: %+v", last)
	}
	r, err = Simulate(step(100, 190, 10*time.Minute), 30*time.Minute, m7gXL(t), nodeConfig())
	if err != nil {
		t.Fatal(err)
	}
	if r.Throttles != 0 {
		t.Errorf("×1.9: %s", r)
	}
}

// A ramp to 3× within 2 minutes throttles; the same ramp over 30 minutes
// (doubling every 15 minutes, slower than the 5-minute lag) does not: the
// capacity ordered at t serves from t + 5 min and was sized for twice the
// rate at t, and λ(t + 5 min) ≤ 2 λ(t) whenever doubling takes ≥ 5 min.
func TestRampSpeed(t *testing.T) {
	ramp := func(over time.Duration) func(time.Duration) float64 {
		return func(t time.Duration) float64 {
			at := 5 * time.Minute
			switch {
			case t < at:
				return 100
			case t < at+over:
				return 100 + 200*float64(t-at)/float64(over)
			}
			return 300
		}
	}
	fast, err := Simulate(ramp(2*time.Minute), time.Hour, m7gXL(t), nodeConfig())
	if err != nil {
		t.Fatal(err)
	}
	slow, err := Simulate(ramp(30*time.Minute), time.Hour, m7gXL(t), nodeConfig())
	if err != nil {
		t.Fatal(err)
	}
	if fast.Throttles <= 0 || slow.Throttles != 0 {
		t.Errorf("fast: %s; slow: %s", fast, slow)
	}
}

// I/O-bound Python (16 per vCPU): 1 s requests with 10 ms CPU at 100 req/s
// need 100 / (16 × 0.5) → 13 environments (208 slots). A step to 250 req/s
// puts 250 in flight: 42 req/s are concurrency throttles for the 300 s
// lag = 12,600, none for CPU (2.5 vCPUs of 13).
func TestConcurrencyThrottles(t *testing.T) {
	c := Config{LMIConfig: fleet.LMIConfig{Runtime: "python3.13", TargetCPU: 0.5}, Duration: time.Second, CPUTime: 10 * time.Millisecond}
	r, err := Simulate(step(100, 250, 10*time.Minute), 30*time.Minute, m7gXL(t), c)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r.ConcurrencyThrottles-12600) > 1e-6 || r.CPUThrottles != 0 {
		t.Errorf("%s", r)
	}
}

// With CPU oversubscription allowed up to 1.5× and no scale-out within the
// span, 300 req/s on 8 environments load 12 vCPUs of 8: all are accepted
// and the CPU part stretches 1.5×, 40 → 60 ms. The first second (100 req/s)
// runs at 40 ms: mean = (100 × 0.04 + 179,700 × 0.06) / 179,800.
func TestCPUStretch(t *testing.T) {
	c := nodeConfig()
	c.CPUOversubscription = 1.5
	c.ScaleOutLag = time.Hour
	r, err := Simulate(step(100, 300, time.Second), 10*time.Minute, m7gXL(t), c)
	if err != nil {
		t.Fatal(err)
	}
	want := (100*0.04 + 179700*0.06) / 179800
	if r.Throttles != 0 || math.Abs(r.MeanDuration.Seconds()-want) > 1e-6 {
		t.Errorf("%s, mean %s, want %gs", r, r.MeanDuration, want)
	}
}

// The bill of a simulated span: the steady hour is 3 instance-hours and
// 360,000 requests: 3 × $0.1632 × 1.15 + 0.36 × $0.20 = $0.63504.
func TestBill(t *testing.T) {
	r, err := Simulate(step(100, 100, 0), time.Hour, m7gXL(t), nodeConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Bill(pricing.Embedded(), "us-east-1", "m7g.xlarge", 0)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.Total.Round(6).String(); got != "0.63504" {
		t.Errorf("bill = %s", got)
	}
}

func TestRefuses(t *testing.T) {
	c := nodeConfig()
	c.CPUTime = time.Second
	if _, err := Simulate(step(1, 1, 0), time.Hour, m7gXL(t), c); err == nil {
		t.Error("cpu time above duration accepted")
	}
	if _, err := Simulate(step(-1, -1, 0), time.Hour, m7gXL(t), nodeConfig()); err == nil {
		t.Error("negative rate accepted")
	}
}

// EC2 bills an instance per second with a 60-second minimum each time it
// starts. 40 ms CPU-bound requests on m7g.xlarge (4 environments of 1
// vCPU an instance) at 30 req/s need max(3, ⌈30 × 0.04 / 0.5⌉) = 3
// environments on the 3-instance floor; a 5-second burst to 200 req/s
// (from 100 s) asks for ⌈200 × 0.08⌉ = 16 environments = 4 instances. With
// a 10 s scale-out lag and a 10 s scale-in delay the 4th instance runs
// from 101 s (the step after the order) until the scale-in at the end of
// the 120 s step: 20 s, billed 60 s. By hand over 300 s: 3 × 300 + 20 =
// 920 instance-seconds, + 40 s minimum = 960 = 0.26667 h. With a 60 s
// scale-in delay it runs 101 → 171 s = 70 s: no minimum, 970 s.
func TestMinimumBilling(t *testing.T) {
	burst := func(t time.Duration) float64 {
		if t >= 100*time.Second && t < 105*time.Second {
			return 200
		}
		return 30
	}
	for _, c := range []struct {
		delay          time.Duration
		topUp, seconds float64
	}{{10 * time.Second, 40, 960}, {60 * time.Second, 0, 970}} {
		cfg := nodeConfig()
		cfg.ScaleOutLag, cfg.ScaleInDelay = 10*time.Second, c.delay
		r, err := Simulate(burst, 300*time.Second, m7gXL(t), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r.MinimumChargeSeconds != c.topUp || math.Abs(r.InstanceHours*3600-c.seconds) > 1e-6 || r.InstanceStarts != 1 || r.MaxInstances != 4 {
			t.Errorf("scale-in delay %s: minimum %v s, %v instance-s (want %v, %v), starts %d, max %d", c.delay, r.MinimumChargeSeconds, r.InstanceHours*3600, c.topUp, c.seconds, r.InstanceStarts, r.MaxInstances)
		}
		// The bill: 960 s = 0.266667 h × $0.1632 = $0.04352 of EC2 and
		// 15 % = $0.006528 of management fee (970 s: $0.043973, $0.006596).
		b, err := r.Bill(pricing.Embedded(), "us-east-1", "m7g.xlarge", 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range b.Cost.Lines {
			want := map[string]float64{pricing.LineLMIInstances: c.seconds / 3600 * 0.1632, pricing.LineLMIManagementFee: c.seconds / 3600 * 0.1632 * 0.15}[l.Name]
			if want > 0 && math.Abs(l.Cost.InexactFloat64()-want) > 1e-9 {
				t.Errorf("scale-in delay %s: %s $%s, want $%.6f", c.delay, l.Name, l.Cost, want)
			}
		}
		said := false
		for _, a := range r.Assumptions {
			said = said || a.Field == "lmi.minimum_billing"
		}
		if said != (c.topUp > 0) {
			t.Errorf("scale-in delay %s: minimum-billing assumption %v", c.delay, said)
		}
	}
}
