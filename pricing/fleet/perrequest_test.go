package fleet

import (
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

func TestParseFargateTask(t *testing.T) {
	for _, c := range []struct {
		in   string
		want FargateTask
		err  string
	}{
		{"1vCPU:2GB", FargateTask{1, 2}, ""},
		{"1:2", FargateTask{1, 2}, ""},
		{"0.25 vcpu : 0.5 gb", FargateTask{0.25, 0.5}, ""},
		{"16VCPU:120GB", FargateTask{16, 120}, ""},
		{"bad", FargateTask{}, `want VCPU:GB such as 1vCPU:2GB, not "bad"`},
		{"1vCPU:twoGB", FargateTask{}, "want VCPU:GB"},
		{"0.1:1", FargateTask{0.1, 1}, "no 0.1 vCPU task size"},
		{"1:9", FargateTask{1, 9}, "takes 2–8 GB"},
	} {
		got, err := ParseFargateTask(c.in)
		if got != c.want {
			t.Errorf("%q: %+v, want %+v", c.in, got, c.want)
		}
		if c.err == "" && err != nil || c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err) || !strings.HasPrefix(err.Error(), "--fargate-task: ")) {
			t.Errorf("%q: err %v, want %q", c.in, err, c.err)
		}
	}
}

func TestPerRequest(t *testing.T) {
	half, mem := 0.5, 300.0
	base := func() Input {
		fc := pricing.FunctionConfig{MemoryMB: 1024}
		return Input{Function: fc, Workload: Workload{Duration: 120 * time.Millisecond, CPUFraction: DefaultCPUFraction(1024), MemoryPerRequestMB: 1024}}
	}
	for _, c := range []struct {
		name          string
		p             PerRequest
		lmi           bool
		cpu, memMB    float64
		notes, assume []string // substrings; nil: no notes
	}{
		// 1,024 / 1,769 = 0.579 vCPU.
		{"defaults", PerRequest{BytesPerRequest: 1000, RequestsPerConnection: 2}, true, 1024.0 / 1769, 1024, nil,
			[]string{"CPU per request assumed 0.579 of the duration (Lambda's vCPU share at 1024 MB)", "LMI: each in-flight request is assumed to need 1024 MB"}},
		{"fraction", PerRequest{CPUFraction: &half}, false, 0.5, 1024, nil, nil},
		// 12 ms of a 120 ms mean duration is 0.1.
		{"cpu time", PerRequest{CPUTime: 12 * time.Millisecond, CPUTimeSource: "run.json", MemoryPerRequestMB: &mem}, true, 0.1, 300,
			[]string{"CPU per request: 12ms measured (run.json), 0.1 of the 120ms mean duration"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := base()
			notes := c.p.Apply(&in)
			if in.Workload.CPUFraction != c.cpu || in.Workload.MemoryPerRequestMB != c.memMB {
				t.Errorf("CPU %v, memory %v; want %v, %v", in.Workload.CPUFraction, in.Workload.MemoryPerRequestMB, c.cpu, c.memMB)
			}
			if in.Workload.BytesPerRequest != c.p.BytesPerRequest || in.Workload.RequestsPerConnection != c.p.RequestsPerConnection {
				t.Errorf("bytes %v, requests per connection %v", in.Workload.BytesPerRequest, in.Workload.RequestsPerConnection)
			}
			r := &Result{}
			if c.lmi {
				r.LMI = &LMIResult{}
			}
			for _, pair := range []struct {
				got, want []string
			}{{notes, c.notes}, {c.p.AssumedNotes(in, r), c.assume}} {
				if len(pair.got) != len(pair.want) {
					t.Fatalf("notes %q, want %q", pair.got, pair.want)
				}
				for i := range pair.want {
					if !strings.Contains(pair.got[i], pair.want[i]) {
						t.Errorf("note %q, want %q", pair.got[i], pair.want[i])
					}
				}
			}
		})
	}
}
