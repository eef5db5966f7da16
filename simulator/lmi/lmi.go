// Package lmi simulates a function on Lambda Managed Instances (LMI): a
// capacity provider's execution environments serving a traffic curve,
// scaling asynchronously behind it, and throttling what they cannot take.
//
// It is a fluid model in fixed time steps (default 1 s; each step takes
// the rate at its midpoint): requests are a rate, not individual events, so a month costs the same memory as a
// minute. There are no per-request cold starts on LMI: environments are
// started ahead of traffic by the scaler.
//
// Documented by AWS (Lambda developer guide, "Scaling Lambda Managed
// Instances", the runtime pages and the API reference,
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances.html):
//   - no cold starts; scaling is asynchronous, on CPU utilisation and
//     multi-concurrency saturation; "if your traffic more than doubles
//     within 5 minutes, you might see throttles";
//   - at least 3 environments and 3 instances by default (AZ resiliency);
//   - an environment takes at most PerExecutionEnvironmentMaxConcurrency
//     requests at once (runtime defaults per vCPU: Node.js 64, Java/.NET 32,
//     Python 16); throttles are reported by reason (ConcurrencyThrottles,
//     CPUThrottles, …).
//
// Assumed by lambdacost (the values are parameters; the defaults are ours):
//   - the scale-out lag: new environments (and the instances under them)
//     serve ScaleOutLag after the scaler asks for them (default 5 min,
//     matching the documented 5-minute doubling window at a 50 % target);
//   - the utilisation signal: each step the scaler wants
//     max(MinEnvironments, ceil(offered CPU / (vCPU × TargetCPU)),
//     ceil(offered concurrency / (MaxConcurrency × TargetCPU))) environments,
//     counting throttled requests as offered (Lambda sees them);
//   - instances are billed from the moment they are ordered (they boot
//     during the lag), per second with EC2's 60-second minimum each time
//     one starts (LMI's instances are EC2 Linux instances, "standard EC2
//     pricing"; AWS announced per-second Linux billing with a 60-second
//     minimum in 2017): an instance stopped less than 60 s after it started
//     is billed 60 s, its management fee too (AWS does not say the fee's
//     granularity). On scale-in the newest instances go first (an upper
//     bound of the minimum's charge); instances still running at the end
//     of the span are billed for the time within it;
//   - scale-in: environments above the wanted number are removed once it
//     has stayed lower for ScaleInDelay (default 5 min);
//   - admission: an environment takes requests while it has a free
//     concurrency slot and its CPU is not loaded beyond CPUOversubscription
//     × its vCPUs (default 1: saturated at 100 %); up to that bound the
//     requests share the vCPUs, so the CPU part of their duration stretches
//     by load / vCPUs; beyond either bound requests are throttled, by reason
//     (concurrency when the unstretched requests alone exceed the slots,
//     else CPU).
//
// Per step, with offered rate λ, duration d, CPU time c, environments E of
// v vCPUs and m slots, K = E × v:
//
//	CPU bound        λ ≤ O × K / c                           (O = CPUOversubscription)
//	in flight        n(λ) = λ (d − c) + λ c × max(1, λ c / K)
//	slot bound       n(λ) ≤ E × m
//	accepted         the largest λa ≤ λ meeting both
package lmi

import (
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// Defaults of the assumed parts of the model.
const (
	DefaultStep                = time.Second
	DefaultScaleOutLag         = 5 * time.Minute
	DefaultScaleInDelay        = 5 * time.Minute
	DefaultCPUOversubscription = 1.0
	DefaultReportInterval      = time.Minute
	// MinimumBilling is EC2's minimum charge each time a Linux instance
	// starts (per-second billing, 60-second minimum).
	MinimumBilling = 60 * time.Second
)

// Config is a simulated LMI function: its capacity provider (fleet.LMIConfig:
// instance type, environment size, concurrency, floors, target) and what a
// request needs.
type Config struct {
	fleet.LMIConfig
	// Duration is a request's wall-clock time on an idle environment and
	// CPUTime the part of it that keeps one vCPU busy.
	Duration time.Duration
	CPUTime  time.Duration
	// ScaleInDelay, CPUOversubscription, Step and ReportInterval: see the
	// package doc (zero: the defaults).
	ScaleInDelay        time.Duration
	CPUOversubscription float64
	Step                time.Duration
	ReportInterval      time.Duration
}

// Point is one report interval of the simulation.
type Point struct {
	T time.Duration `json:"t"`
	// OfferedRPS and AcceptedRPS are the interval's mean rates.
	OfferedRPS  float64 `json:"offered_rps"`
	AcceptedRPS float64 `json:"accepted_rps"`
	// Environments and Instances serving at the end of the interval.
	Environments int `json:"environments"`
	Instances    int `json:"instances"`
	// CPUUtilization is the mean share of the environments' vCPUs busy.
	CPUUtilization float64 `json:"cpu_utilization"`
	// Throttles in the interval, by reason.
	ConcurrencyThrottles float64 `json:"concurrency_throttles"`
	CPUThrottles         float64 `json:"cpu_throttles"`
}

// Result is a whole simulation.
type Result struct {
	Span                 time.Duration `json:"span"`
	Requests             float64       `json:"requests"`
	Accepted             float64       `json:"accepted"`
	Throttles            float64       `json:"throttles"`
	ConcurrencyThrottles float64       `json:"concurrency_throttles"`
	CPUThrottles         float64       `json:"cpu_throttles"`
	// MeanDuration is the accepted requests' mean duration (stretched when
	// the CPU was oversubscribed).
	MeanDuration  time.Duration `json:"mean_duration"`
	MaxInstances  int           `json:"max_instances"`
	InstanceHours float64       `json:"instance_hours"`
	// MinimumChargeSeconds is the part of InstanceHours (in instance-
	// seconds) that EC2's 60-second minimum adds for instances stopped
	// sooner; InstanceStarts counts the instances started after the
	// first ones.
	MinimumChargeSeconds float64 `json:"minimum_charge_seconds"`
	InstanceStarts       int     `json:"instance_starts"`
	// MeanCPUUtilization is the span's mean share of environment vCPUs busy.
	MeanCPUUtilization float64             `json:"mean_cpu_utilization"`
	Series             []Point             `json:"series"`
	Assumptions        pricing.Assumptions `json:"assumptions"`
}

// Bill prices the simulated span with pricing.PriceTable.LMIBill.
func (r *Result) Bill(t *pricing.PriceTable, region, instanceType string, ec2Discount float64) (*pricing.LMIBill, error) {
	return t.LMIBill(region, pricing.LMIUsage{
		Requests: int64(math.Round(r.Accepted)), InstanceType: instanceType,
		InstanceHours: decimal.NewFromFloat(r.InstanceHours), EC2Discount: decimal.NewFromFloat(ec2Discount),
	})
}

// Simulate runs rate (requests per second at t) over span on the capacity
// provider of instance type it.
func Simulate(rate func(time.Duration) float64, span time.Duration, it *pricing.InstanceType, c Config) (*Result, error) {
	cfg := c.LMIConfig.WithDefaults()
	var errs []error
	errs = append(errs, cfg.Validate()...)
	res := &Result{Span: span}
	if c.Step == 0 {
		c.Step = DefaultStep
	}
	if c.ReportInterval == 0 {
		c.ReportInterval = DefaultReportInterval
	}
	if c.ScaleInDelay == 0 {
		c.ScaleInDelay = DefaultScaleInDelay
	}
	if c.CPUOversubscription == 0 {
		c.CPUOversubscription = DefaultCPUOversubscription
		res.Assumptions.Add(pricing.Assumption{Field: "lmi.cpu_oversubscription", Value: "1", Why: "an environment is assumed to take requests until its vCPUs are saturated (CPUThrottles beyond); AWS names the metric, not the rule"})
	}
	if c.LMIConfig.ScaleOutLag == 0 {
		cfg.ScaleOutLag = DefaultScaleOutLag
		res.Assumptions.Add(pricing.Assumption{Field: "lmi.scale_out_lag", Value: DefaultScaleOutLag.String(), Why: "not documented; AWS says traffic more than doubling within 5 minutes may throttle"})
	}
	res.Assumptions.Add(pricing.Assumption{Field: "lmi.scale_in_delay", Value: c.ScaleInDelay.String(), Why: "not documented"})
	if c.Duration <= 0 || c.CPUTime < 0 || c.CPUTime > c.Duration {
		errs = append(errs, pricing.Inputf("duration", "needs 0 < duration and 0 ≤ cpu time ≤ duration"))
	}
	if c.Step <= 0 || c.ReportInterval < c.Step || span <= 0 {
		errs = append(errs, pricing.Inputf("step", "needs a positive span, step and report interval (≥ step)"))
	}
	if math.IsNaN(c.CPUOversubscription) || c.CPUOversubscription < 1 {
		errs = append(errs, pricing.Inputf("cpu_oversubscription", "must be at least 1"))
	}
	if err := pricing.Errors(errs); err != nil {
		return nil, err
	}
	for _, a := range cfg.Assumptions() {
		res.Assumptions.Add(a)
	}
	pack, err := fleet.NewLMIPacking(it, cfg)
	if err != nil {
		return nil, err
	}
	instances := pack.Instances

	d, cpu := c.Duration.Seconds(), c.CPUTime.Seconds()
	v, m, target, over := cfg.EnvVCPU, float64(cfg.MaxConcurrency), cfg.TargetCPU, c.CPUOversubscription
	want := func(lam float64) int {
		w := cfg.MinEnvironments
		if cpu > 0 {
			w = max(w, ceil(lam*cpu/(v*target)))
		}
		return max(w, ceil(lam*d/(m*target)))
	}
	// Pending scale-outs: environments that start serving at a time. The
	// lag is constant, so they arrive in order (a FIFO).
	type order struct {
		at time.Duration
		n  int
	}
	var pending []order
	pendingN := 0

	// Start where a published version starts: the wanted environments
	// for the first rate (at least 3), already running.
	env := want(rate(0))
	var lowSince time.Duration = -1
	var pt Point
	var ptCPU, ptSteps float64
	// Start times of the running instances, oldest first (the newest are
	// stopped first on scale-in), for EC2's 60-second minimum.
	var started []time.Duration
	running := -1
	var busyTotal, capTotal, durTotal float64
	for t := time.Duration(0); t < span; t += c.Step {
		step := min(c.Step, span-t)
		sdt := step.Seconds()
		for len(pending) > 0 && pending[0].at <= t {
			env += pending[0].n
			pendingN -= pending[0].n
			pending = pending[1:]
		}
		lam := rate(t + step/2) // the midpoint: exact for piecewise-linear traffic
		if lam < 0 || math.IsNaN(lam) || math.IsInf(lam, 0) {
			return nil, pricing.Inputf("traffic", "rate %v at %s is not a number ≥ 0", lam, t)
		}
		K := float64(env) * v
		S := float64(env) * m
		acc := lam
		if cpu > 0 {
			acc = math.Min(acc, over*K/cpu)
		}
		inflight := func(x float64) float64 { return x*(d-cpu) + x*cpu*math.Max(1, x*cpu/K) }
		if inflight(acc) > S {
			acc = solveSlots(d, cpu, K, S)
		}
		thr := lam - acc
		concThr := math.Max(0, math.Min(thr, lam-S/d))
		cpuThr := thr - concThr
		stretch := 1.0
		if cpu > 0 {
			stretch = math.Max(1, acc*cpu/K)
		}
		busy := math.Min(acc*cpu, K) // vCPUs busy
		res.Requests += lam * sdt
		res.Accepted += acc * sdt
		res.ConcurrencyThrottles += concThr * sdt
		res.CPUThrottles += cpuThr * sdt
		durTotal += acc * sdt * ((d - cpu) + cpu*stretch)
		busyTotal += busy * sdt
		capTotal += K * sdt
		inst := instances(env + pendingN) // instances are launched with the order
		switch {
		case running < 0:
			for range inst {
				started = append(started, t)
			}
		case inst > running:
			for range inst - running {
				started = append(started, t)
			}
			res.InstanceStarts += inst - running
		case inst < running:
			for _, s0 := range started[inst:] {
				if life := t - s0; life < MinimumBilling {
					res.MinimumChargeSeconds += (MinimumBilling - life).Seconds()
				}
			}
			started = started[:inst]
		}
		running = inst
		res.InstanceHours += float64(inst) * sdt / 3600
		res.MaxInstances = max(res.MaxInstances, inst)

		pt.OfferedRPS += lam * sdt
		pt.AcceptedRPS += acc * sdt
		pt.ConcurrencyThrottles += concThr * sdt
		pt.CPUThrottles += cpuThr * sdt
		ptCPU += busy / K * sdt
		ptSteps += sdt

		// The scaler: out after the lag, in after the delay.
		w := want(lam)
		switch {
		case w > env+pendingN:
			n := w - env - pendingN
			pending = append(pending, order{t + cfg.ScaleOutLag, n})
			pendingN += n
			lowSince = -1
		case w < env && pendingN == 0:
			if lowSince < 0 {
				lowSince = t
			}
			if t-lowSince >= c.ScaleInDelay {
				env = w
				lowSince = -1
			}
		default:
			lowSince = -1
		}

		if next := t + step; next%c.ReportInterval == 0 || next >= span {
			start := next - time.Duration(ptSteps*float64(time.Second))
			res.Series = append(res.Series, Point{T: start, OfferedRPS: pt.OfferedRPS / ptSteps, AcceptedRPS: pt.AcceptedRPS / ptSteps,
				Environments: env, Instances: instances(env + pendingN), CPUUtilization: ptCPU / ptSteps,
				ConcurrencyThrottles: pt.ConcurrencyThrottles, CPUThrottles: pt.CPUThrottles})
			pt, ptCPU, ptSteps = Point{}, 0, 0
		}
	}
	res.InstanceHours += res.MinimumChargeSeconds / 3600
	if res.MinimumChargeSeconds > 0 {
		res.Assumptions.Add(pricing.Assumption{Field: "lmi.minimum_billing", Value: fmt.Sprintf("%.0f instance-seconds", res.MinimumChargeSeconds),
			Why: "EC2 bills a Linux instance per second with a 60-second minimum each time it starts: instances stopped sooner are billed 60 s (the newest stopped first; the management fee on the same time)"})
	}
	res.Throttles = res.ConcurrencyThrottles + res.CPUThrottles
	if res.Accepted > 0 {
		res.MeanDuration = time.Duration(durTotal / res.Accepted * float64(time.Second))
	}
	if capTotal > 0 {
		res.MeanCPUUtilization = busyTotal / capTotal
	}
	return res, nil
}

// solveSlots is the largest rate whose in-flight requests fill S slots:
// λ(d − c) + λ² c² / K = S when the CPU is oversubscribed, else λ d = S.
func solveSlots(d, c, K, S float64) float64 {
	if c == 0 || (S/d)*c <= K {
		return S / d
	}
	a := c * c / K
	b := d - c
	return (-b + math.Sqrt(b*b+4*a*S)) / (2 * a)
}

func ceil(x float64) int { return int(math.Ceil(x - 1e-9)) }

// String summarises a result for people.
func (r *Result) String() string {
	return fmt.Sprintf("%.0f requests, %.0f throttled (%.0f concurrency, %.0f CPU), max %d instances, %.2f instance-hours",
		r.Requests, r.Throttles, r.ConcurrencyThrottles, r.CPUThrottles, r.MaxInstances, r.InstanceHours)
}
