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

// A dataset whose source does not measure memory used (CloudWatch without
// Lambda Insights) gives each request the configured 1,024 MB on a server,
// and the comparison says so unless --memory-per-request gives it; a
// measured 300 MB is used as is, with no such note.
func TestDatasetMemoryNotMeasured(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := &pricing.Dataset{Version: 2, Source: "cloudwatch", Region: "us-east-1", Start: start, End: start.Add(73 * time.Hour)}
	f := pricing.DatasetFunction{FunctionConfig: pricing.FunctionConfig{Name: "cw", MemoryMB: 1024, Architecture: pricing.X86_64},
		Summary:     pricing.FunctionSummary{Invocations: 1000, DurationMs: pricing.DurationSet{Avg: 100}},
		NotMeasured: []string{"summary.max_memory_used_mb"}}
	const note = "memory per request: the dataset's source does not measure the memory used (not_measured), so each in-flight request is given the function's configured 1024 MB"
	in, _ := DatasetInput(d, &f, "")
	if !in.MemoryNotMeasured || in.Workload.MemoryPerRequestMB != 1024 {
		t.Fatalf("not measured %v, memory per request %v MB", in.MemoryNotMeasured, in.Workload.MemoryPerRequestMB)
	}
	if notes := strings.Join((PerRequest{}).AssumedNotes(in, &Result{}), "\n"); !strings.Contains(notes, note) {
		t.Errorf("notes %q lack %q", notes, note)
	}
	mem := 256.0
	given := PerRequest{MemoryPerRequestMB: &mem}
	given.Apply(&in)
	if notes := strings.Join(given.AssumedNotes(in, &Result{}), "\n"); strings.Contains(notes, "not_measured") {
		t.Errorf("--memory-per-request given, yet: %q", notes)
	}
	f.NotMeasured, f.Summary.MaxMemoryUsedMB = nil, 300
	in, _ = DatasetInput(d, &f, "")
	if in.MemoryNotMeasured || in.Workload.MemoryPerRequestMB != 300 || strings.Contains(strings.Join((PerRequest{}).AssumedNotes(in, &Result{}), "\n"), "not_measured") {
		t.Errorf("measured 300 MB: not measured %v, memory per request %v MB", in.MemoryNotMeasured, in.Workload.MemoryPerRequestMB)
	}
}
