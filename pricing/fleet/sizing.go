package fleet

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/lambdacost/lambdacost/pricing"
)

// Server is one unit of an always-on fleet: an EC2 instance or a Fargate task.
type Server struct {
	Name         string               `json:"name"`
	VCPU         float64              `json:"vcpu"`
	MemoryMB     float64              `json:"memory_mb"`
	Architecture pricing.Architecture `json:"architecture"`
}

// Scaling says how a fleet follows the traffic.
type Scaling struct {
	// TargetUtilization is the share of each server's vCPUs and memory the
	// sizing may plan to use (default 0.6): the headroom for bursts.
	TargetUtilization float64
	// MinInstances is the smallest fleet, for availability (default 2).
	MinInstances int
	// Autoscale sizes the fleet per profile interval instead of for the peak
	// all month. It needs Workload.Profile.
	Autoscale bool
	// ScaleOutLag is how long new capacity takes to serve (autoscaling only).
	ScaleOutLag time.Duration
}

// Scaling defaults.
const (
	DefaultTargetUtilization = 0.6
	DefaultMinInstances      = 2
)

// WithDefaults fills in zero fields.
func (s Scaling) WithDefaults() Scaling {
	if s.TargetUtilization == 0 {
		s.TargetUtilization = DefaultTargetUtilization
	}
	if s.MinInstances == 0 {
		s.MinInstances = DefaultMinInstances
	}
	return s
}

// Validate returns every problem with s (sources name the flags).
func (s Scaling) Validate() []error {
	var errs []error
	if math.IsNaN(s.TargetUtilization) || s.TargetUtilization <= 0 || s.TargetUtilization > 1 {
		errs = append(errs, pricing.Inputf("--target-utilization", "must be in (0, 1]"))
	}
	if s.MinInstances < 1 {
		errs = append(errs, pricing.Inputf("--min-instances", "must be at least 1"))
	}
	if s.ScaleOutLag < 0 {
		errs = append(errs, pricing.Inputf("--scale-out-lag", "must not be negative"))
	}
	return errs
}

// Sizing is how many servers a workload needs.
type Sizing struct {
	Server Server `json:"server"`
	// CapacityRPS is what one server sustains at the target utilisation.
	CapacityRPS float64 `json:"capacity_rps_per_instance"`
	// LimitedBy is "cpu" or "memory": which resource sets CapacityRPS.
	LimitedBy string `json:"limited_by"`
	// Instances is the fleet at the peak (all month without autoscaling).
	Instances int `json:"instances"`
	// MeanInstances is the time-average fleet size.
	MeanInstances float64 `json:"mean_instances"`
	// InstanceHours is the month's server-hours (MeanInstances × 730).
	InstanceHours float64 `json:"instance_hours"`
	// Utilization is the month's mean vCPU utilisation of the fleet.
	Utilization float64 `json:"utilization"`
	// PeakUtilization is the vCPU utilisation at the peak rate.
	PeakUtilization float64 `json:"peak_utilization"`

	// units/intervals is MeanInstances as an exact fraction, so that
	// server-hours are priced exactly.
	units, intervals int64
}

// hours returns the month's server-hours exactly: units × 730 / intervals.
func (sz Sizing) hours() decimal.Decimal {
	if sz.intervals == 0 {
		return decimal.Zero
	}
	return decimal.NewFromInt(sz.units * pricing.HoursPerMonth).Div(decimal.NewFromInt(sz.intervals))
}

// Capacity returns the requests per second one server sustains at target
// utilisation u, and which resource limits it. It fails when not even one
// request fits in the server's memory.
func Capacity(w Workload, srv Server, u float64) (float64, string, error) {
	cpu := math.Inf(1)
	if c := w.CPUSeconds(); c > 0 {
		cpu = srv.VCPU * u / c
	}
	// A request holds its memory for its whole wall-clock duration; the
	// number of in-flight requests that fit is a whole number.
	inflight := math.Floor(srv.MemoryMB*u/w.MemoryPerRequestMB + 1e-9)
	if inflight < 1 {
		return 0, "memory", pricing.Inputf("--instance-type", "%s: %.0f MB × %.2g utilisation cannot hold one request of %.0f MB", srv.Name, srv.MemoryMB, u, w.MemoryPerRequestMB)
	}
	mem := inflight / w.Duration.Seconds()
	if mem < cpu {
		return mem, "memory", nil
	}
	return cpu, "cpu", nil
}

// ceilCount is ceil(x) tolerant of floating-point noise just above an
// integer (4.0000000001 servers are 4).
func ceilCount(x float64) int {
	return int(math.Ceil(x - 1e-9))
}

// Size sizes a fleet of srv for w. scale multiplies every rate of w (1 =
// as described; the break-even search scales volumes without copying).
func Size(w Workload, srv Server, s Scaling, scale float64) (Sizing, error) {
	w = w.WithDefaults()
	s = s.WithDefaults()
	capRPS, limit, err := Capacity(w, srv, s.TargetUtilization)
	if err != nil {
		return Sizing{}, err
	}
	need := func(rate float64) int { return max(s.MinInstances, ceilCount(rate*scale/capRPS)) }
	sz := Sizing{Server: srv, CapacityRPS: capRPS, LimitedBy: limit}
	sz.Instances = need(w.PeakRPS)
	sz.units, sz.intervals = int64(sz.Instances), 1
	if s.Autoscale && len(w.Profile) > 0 {
		d := w.demandFor(s.ScaleOutLag)
		sz.units, sz.intervals = d.units(need), d.n
	}
	sz.settle(w, scale)
	return sz, nil
}

// demandFor is w's profile reduced for a scale-out lag (newDemand), the
// one w holds when it was reduced for the same lag.
func (w Workload) demandFor(lag time.Duration) *demand {
	if d := w.demand; d != nil && d.interval == w.ProfileInterval && d.lag == lag {
		return d
	}
	return newDemand(w.Profile, w.ProfileInterval, lag)
}

// settle derives the month from sz's instance units over its intervals:
// the mean instances, the instance-hours and the CPU utilisation of w ×
// scale, mean and at the peak.
func (sz *Sizing) settle(w Workload, scale float64) {
	sz.MeanInstances = float64(sz.units) / float64(sz.intervals)
	sz.InstanceHours = sz.MeanInstances * pricing.HoursPerMonth
	cpu := w.CPUSeconds()
	if sz.MeanInstances > 0 {
		sz.Utilization = w.MeanRPS() * scale * cpu / (sz.MeanInstances * sz.Server.VCPU)
	}
	sz.PeakUtilization = w.PeakRPS * scale * cpu / (float64(sz.Instances) * sz.Server.VCPU)
}

// demand is a traffic profile reduced for autoscaled sizing: the rate each
// interval must be provisioned for, as distinct rates with their counts (a
// repeating daily shape has few), so that sizing at another volume costs
// one step per distinct rate.
type demand struct {
	interval, lag time.Duration
	rates         []float64
	counts        []int64
	n             int64
}

// newDemand provisions each interval for the highest rate within the
// scale-out lag either side of it: new servers must be running lag before
// the demand arrives (the scaler reacts lag late, so it has to be
// provisioned for what is coming), and are only removed once the demand has
// been gone for as long. k = ceil(lag / interval) intervals each side.
func newDemand(profile []float64, interval, lag time.Duration) *demand {
	peaks := windowPeaks(profile, interval, lag)
	sort.Float64s(peaks)
	d := &demand{interval: interval, lag: lag, n: int64(len(peaks))}
	for i, r := range peaks {
		if i > 0 && r == peaks[i-1] {
			d.counts[len(d.counts)-1]++
			continue
		}
		d.rates = append(d.rates, r)
		d.counts = append(d.counts, 1)
	}
	return d
}

// windowPeaks is, for each interval of profile, the highest rate within
// the lag either side of it (k = ceil(lag / interval) intervals), in time
// order.
func windowPeaks(profile []float64, interval, lag time.Duration) []float64 {
	k := 0
	if lag > 0 && interval > 0 {
		k = int((lag + interval - 1) / interval)
	}
	n := len(profile)
	peaks := make([]float64, n)
	// Sliding-window maximum over [i−k, i+k] with a monotonic deque of
	// indexes whose rates decrease: O(n) whatever the lag.
	dq := make([]int, 0, 2*k+1)
	next := 0
	for i := 0; i < n; i++ {
		for ; next < n && next <= i+k; next++ {
			for len(dq) > 0 && profile[dq[len(dq)-1]] <= profile[next] {
				dq = dq[:len(dq)-1]
			}
			dq = append(dq, next)
		}
		for dq[0] < i-k {
			dq = dq[1:]
		}
		peaks[i] = profile[dq[0]]
	}
	return peaks
}

// units sums need over every interval.
func (d *demand) units(need func(float64) int) int64 {
	var total int64
	for i, r := range d.rates {
		total += d.counts[i] * int64(need(r))
	}
	return total
}

// EC2Server describes an EC2 instance type as a fleet server.
func EC2Server(it *pricing.InstanceType) Server {
	return Server{Name: it.Name, VCPU: float64(it.VCPU), MemoryMB: it.MemoryGiB * 1024, Architecture: it.Architecture}
}

// FargateTask is a Fargate task size.
type FargateTask struct {
	VCPU     float64 `json:"vcpu"`
	MemoryGB float64 `json:"memory_gb"`
}

// DefaultFargateTask is 1 vCPU with 2 GB, Fargate's smallest 1-vCPU size.
var DefaultFargateTask = FargateTask{VCPU: 1, MemoryGB: 2}

// Validate checks the task against Fargate's supported CPU/memory
// combinations (Linux): 0.25 vCPU with 0.5, 1 or 2 GB; 0.5 with 1–4 GB;
// 1 with 2–8 GB; 2 with 4–16 GB; 4 with 8–30 GB (1 GB steps); 8 with
// 16–60 GB and 16 with 32–120 GB (4 and 8 GB steps).
func (t FargateTask) Validate() error {
	type rng struct{ lo, hi, step float64 }
	ok := map[float64]rng{0.5: {1, 4, 1}, 1: {2, 8, 1}, 2: {4, 16, 1}, 4: {8, 30, 1}, 8: {16, 60, 4}, 16: {32, 120, 8}}
	if t.VCPU == 0.25 {
		if t.MemoryGB == 0.5 || t.MemoryGB == 1 || t.MemoryGB == 2 {
			return nil
		}
		return pricing.Inputf("--fargate-task", "a 0.25 vCPU Fargate task takes 0.5, 1 or 2 GB of memory, not %g GB", t.MemoryGB)
	}
	r, found := ok[t.VCPU]
	if !found {
		return pricing.Inputf("--fargate-task", "Fargate has no %g vCPU task size (want 0.25, 0.5, 1, 2, 4, 8 or 16)", t.VCPU)
	}
	steps := (t.MemoryGB - r.lo) / r.step
	if t.MemoryGB < r.lo || t.MemoryGB > r.hi || math.Abs(steps-math.Round(steps)) > 1e-9 {
		return pricing.Inputf("--fargate-task", "a %g vCPU Fargate task takes %g–%g GB of memory in %g GB steps, not %g GB", t.VCPU, r.lo, r.hi, r.step, t.MemoryGB)
	}
	return nil
}

// String formats the task as "1vCPU:2GB", the --fargate-task syntax.
func (t FargateTask) String() string { return fmt.Sprintf("%gvCPU:%gGB", t.VCPU, t.MemoryGB) }

// Server describes the task as a fleet server of architecture a.
func (t FargateTask) Server(a pricing.Architecture) Server {
	return Server{Name: "fargate " + t.String(), VCPU: t.VCPU, MemoryMB: t.MemoryGB * 1024, Architecture: a}
}
