package fleet

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// ParseFargateTask reads a Fargate task size written "1vCPU:2GB", "1:2" or
// "0.25 vcpu : 0.5 gb" (case and spaces do not matter) and checks it with
// Validate. Errors name --fargate-task.
func ParseFargateTask(s string) (FargateTask, error) {
	l := strings.ToLower(strings.ReplaceAll(s, " ", ""))
	c, m, ok := strings.Cut(l, ":")
	if !ok {
		return FargateTask{}, pricing.Inputf("--fargate-task", "want VCPU:GB such as 1vCPU:2GB, not %q", s)
	}
	v, err1 := strconv.ParseFloat(strings.TrimSuffix(c, "vcpu"), 64)
	g, err2 := strconv.ParseFloat(strings.TrimSuffix(m, "gb"), 64)
	if err1 != nil || err2 != nil {
		return FargateTask{}, pricing.Inputf("--fargate-task", "want VCPU:GB such as 1vCPU:2GB, not %q", s)
	}
	t := FargateTask{VCPU: v, MemoryGB: g}
	return t, t.Validate()
}

// PerRequest are a request's needs on a server as the user measured or
// chose them; they replace the defaults an input was built with
// (DefaultCPUFraction, DefaultMemoryPerRequestMB).
type PerRequest struct {
	// CPUFraction, when set, is the share of the duration a request keeps
	// one vCPU busy.
	CPUFraction *float64
	// CPUTime, when positive, is the measured CPU time per request; it sets
	// the CPU fraction against each input's mean duration. CPUTimeSource
	// names where it was measured (a flag or a `run` result file).
	CPUTime       time.Duration
	CPUTimeSource string
	// MemoryPerRequestMB, when set, is the memory one in-flight request
	// needs on a server.
	MemoryPerRequestMB *float64
	// BytesPerRequest and RequestsPerConnection are set on every input.
	BytesPerRequest       float64
	RequestsPerConnection float64
}

// Apply sets p's needs on in and returns the notes that say what was
// measured.
func (p PerRequest) Apply(in *Input) []string {
	var notes []string
	if p.CPUFraction != nil {
		in.Workload.CPUFraction = *p.CPUFraction
	}
	if p.CPUTime > 0 && in.Workload.Duration > 0 {
		in.Workload.CPUFraction = float64(p.CPUTime) / float64(in.Workload.Duration)
		notes = append(notes, fmt.Sprintf("CPU per request: %s measured (%s), %.3g of the %s mean duration", p.CPUTime, p.CPUTimeSource, in.Workload.CPUFraction, in.Workload.Duration))
	}
	if p.MemoryPerRequestMB != nil {
		in.Workload.MemoryPerRequestMB = *p.MemoryPerRequestMB
	}
	in.Workload.BytesPerRequest = p.BytesPerRequest
	in.Workload.RequestsPerConnection = p.RequestsPerConnection
	return notes
}

// AssumedNotes are the notes of result r of input in for the needs p did
// not give: the CPU share assumed from Lambda's vCPU share, the configured
// memory given to a request where the dataset does not measure the memory
// used, and (when LMI was compared) the memory per request assumed as on a
// server.
func (p PerRequest) AssumedNotes(in Input, r *Result) []string {
	var notes []string
	if p.CPUFraction == nil && p.CPUTime == 0 {
		notes = append(notes, fmt.Sprintf("CPU per request assumed %.3g of the duration (Lambda's vCPU share at %d MB); measure it (lambdacost run) and pass --cpu-fraction", in.Workload.CPUFraction, in.Function.WithDefaults().MemoryMB))
	}
	if in.MemoryNotMeasured && p.MemoryPerRequestMB == nil {
		notes = append(notes, fmt.Sprintf("memory per request: the dataset's source does not measure the memory used (not_measured), so each in-flight request is given the function's configured %.0f MB on a server; pass --memory-per-request", in.Workload.MemoryPerRequestMB))
	}
	if r.LMI != nil && p.MemoryPerRequestMB == nil {
		notes = append(notes, fmt.Sprintf("LMI: each in-flight request is assumed to need %.0f MB, as on a server; a multi-concurrent runtime (Node.js, Java, .NET) shares memory between requests, so pass --memory-per-request for a fairer LMI sizing", in.Workload.MemoryPerRequestMB))
	}
	return notes
}
