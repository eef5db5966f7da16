// Package fleet prices the always-on alternatives to a Lambda function — an
// EC2 fleet behind an Application Load Balancer, or Fargate tasks — for the
// same traffic, and finds the monthly request volume at which they cost the
// same as Lambda (the break-even), with both cost curves across volumes.
//
// All money is exact decimals built from the shared price table
// (pricing.PriceTable) as pricing.CostLine values; the Lambda side is priced
// by PriceTable.LambdaBill. The package never prints.
//
// The model, in one place:
//
//	CPU time per request   c = Duration × CPUFraction              (seconds of one vCPU)
//	CPU capacity           vCPU × U / c                             (requests/s per instance)
//	memory capacity        floor(memory_MB × U / MemoryPerRequestMB) / Duration
//	capacity C             min(CPU capacity, memory capacity)
//	instances (peak)       max(MinInstances, ceil(PeakRPS / C))     for all 730 h
//	instances (autoscale)  per interval i: max(MinInstances, ceil(max rate in [i−k, i+k] / C)),
//	                       k = ceil(ScaleOutLag / interval): capacity must be there
//	                       before demand arrives and is kept until it has gone
//	ALB                    730 h + LCU-hours, LCU = mean RPS × max(1/(25·RPC), Duration/3000,
//	                       BytesPerRequest·3600/2³⁰)   (new connections/s, active connections,
//	                       GB processed per hour; every dimension is proportional to the rate,
//	                       so the hourly maximum of the dimensions is linear in it)
//	EBS                    gp3 GB × instance-hours / 730
//
// U is the target utilisation (default 0.6) and RPC the requests per
// connection (default 1, no keep-alive).
package fleet

import (
	"math"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// Workload is the traffic a service sees and what one request needs. The
// same workload is served by Lambda and by the fleet.
type Workload struct {
	// MonthlyRequests is the number of requests in a 730-hour month.
	MonthlyRequests float64 `json:"monthly_requests"`
	// PeakRPS is the highest request rate the fleet must absorb (default:
	// the profile's maximum, else the mean rate).
	PeakRPS float64 `json:"peak_rps"`
	// Profile is an optional shape of the traffic over a representative
	// period (requests per second at the peak of each interval), repeated to
	// fill the month; only autoscaling uses it. It is scaled with the volume.
	Profile []float64 `json:"-"`
	// ProfileInterval is the width of each Profile interval (default 1h).
	ProfileInterval time.Duration `json:"-"`
	// Duration is the mean wall-clock time of one request (the Lambda
	// handler duration).
	Duration time.Duration `json:"-"`
	// CPUFraction is the share of Duration during which a request keeps one
	// vCPU busy (1 = CPU-bound single-threaded; 0.1 = mostly waiting on I/O).
	CPUFraction float64 `json:"cpu_fraction"`
	// MemoryPerRequestMB is the memory one in-flight request needs on a server.
	MemoryPerRequestMB float64 `json:"memory_per_request_mb"`
	// BytesPerRequest is request plus response size through the load
	// balancer (default 10,240).
	BytesPerRequest float64 `json:"bytes_per_request"`
	// RequestsPerConnection is how many requests share one client
	// connection to the load balancer (default 1).
	RequestsPerConnection float64 `json:"requests_per_connection"`

	// demand caches the profile reduced for autoscaled sizing (see
	// newDemand); Compare prepares it once for all the volumes it prices.
	demand *demand
}

// Default workload values.
const (
	DefaultBytesPerRequest       = 10240
	DefaultRequestsPerConnection = 1
	DefaultProfileInterval       = time.Hour
	// MinProfileInterval is the shortest profile interval: EC2 bills a
	// Linux instance per second with a 60-second minimum each time it
	// starts, and an instance added for an interval runs at least that
	// interval, so with intervals of a minute or more the minimum never
	// adds to a per-interval fleet's instance-hours (CloudWatch periods
	// and scenario profiles are a minute or more). simulator/lmi follows
	// instances second by second and bills the minimum itself.
	MinProfileInterval = time.Minute
)

// MeanRPS is the month's average request rate.
func (w Workload) MeanRPS() float64 { return w.MonthlyRequests / pricing.SecondsPerMonth }

// CPUSeconds is the CPU time one request uses (seconds of one vCPU).
func (w Workload) CPUSeconds() float64 { return w.Duration.Seconds() * w.CPUFraction }

// WithDefaults fills in the defaults of zero fields.
func (w Workload) WithDefaults() Workload {
	if w.BytesPerRequest == 0 {
		w.BytesPerRequest = DefaultBytesPerRequest
	}
	if w.RequestsPerConnection == 0 {
		w.RequestsPerConnection = DefaultRequestsPerConnection
	}
	if w.ProfileInterval == 0 {
		w.ProfileInterval = DefaultProfileInterval
	}
	if w.PeakRPS == 0 {
		for _, r := range w.Profile {
			w.PeakRPS = math.Max(w.PeakRPS, r)
		}
	}
	if w.PeakRPS == 0 {
		w.PeakRPS = w.MeanRPS()
	}
	return w
}

// Validate returns every problem with w. Sources are field names
// ("cpu_fraction"); callers map them to flags or file positions.
func (w Workload) Validate() []error {
	var errs []error
	bad := func(v float64) bool { return math.IsNaN(v) || math.IsInf(v, 0) }
	if bad(w.MonthlyRequests) || w.MonthlyRequests < 0 {
		errs = append(errs, pricing.Inputf("monthly_requests", "must be a non-negative number"))
	}
	if bad(w.PeakRPS) || w.PeakRPS < 0 {
		errs = append(errs, pricing.Inputf("peak_rps", "must be a non-negative number"))
	} else if w.PeakRPS > 0 && w.PeakRPS < w.MeanRPS()*(1-1e-9) {
		errs = append(errs, pricing.Inputf("peak_rps", "peak %.6g req/s is below the mean rate %.6g req/s", w.PeakRPS, w.MeanRPS()))
	}
	if w.Duration <= 0 || w.Duration > pricing.MaxTimeout {
		errs = append(errs, pricing.Inputf("duration", "duration %s is outside (0, 15m]", w.Duration))
	}
	if bad(w.CPUFraction) || w.CPUFraction <= 0 || w.CPUFraction > pricing.MaxVCPU {
		errs = append(errs, pricing.Inputf("cpu_fraction", "must be in (0, %d] (vCPUs busy per in-flight request)", pricing.MaxVCPU))
	}
	if bad(w.MemoryPerRequestMB) || w.MemoryPerRequestMB <= 0 {
		errs = append(errs, pricing.Inputf("memory_per_request_mb", "must be positive"))
	}
	if bad(w.BytesPerRequest) || w.BytesPerRequest < 0 {
		errs = append(errs, pricing.Inputf("bytes_per_request", "must not be negative"))
	}
	if bad(w.RequestsPerConnection) || w.RequestsPerConnection < 0 || (w.RequestsPerConnection > 0 && w.RequestsPerConnection < 1) {
		errs = append(errs, pricing.Inputf("requests_per_connection", "must be at least 1"))
	}
	if w.ProfileInterval < 0 {
		errs = append(errs, pricing.Inputf("profile_interval", "must be positive"))
	} else if len(w.Profile) > 0 && w.ProfileInterval > 0 && w.ProfileInterval < MinProfileInterval {
		errs = append(errs, pricing.Inputf("profile_interval", "%s is shorter than %s: an autoscaled fleet adds and removes instances per interval, and EC2 bills an instance at least 60 s each time it starts", w.ProfileInterval, MinProfileInterval))
	}
	for i, r := range w.Profile {
		if bad(r) || r < 0 {
			errs = append(errs, pricing.Inputf("profile", "rate %d (%v) must be a non-negative number", i, r))
			break
		}
	}
	return errs
}

// AtVolume returns the workload scaled to another monthly volume: every
// rate (peak, profile) scales by the same factor, so the shape is kept.
func (w Workload) AtVolume(requests float64) Workload {
	k := 0.0
	if w.MonthlyRequests > 0 {
		k = requests / w.MonthlyRequests
	}
	out := w
	out.demand = nil
	out.MonthlyRequests = requests
	out.PeakRPS = w.PeakRPS * k
	if w.Profile != nil {
		out.Profile = make([]float64, len(w.Profile))
		for i, r := range w.Profile {
			out.Profile[i] = r * k
		}
	}
	return out
}
