package reports

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/pricing/fleet"
)

// A comparison with a traffic profile shows LMI's fleet over the profile
// (one point per interval, plus the end of the last), LMI among the
// options and its break-even marks on the cost curve.
func TestComparePageLMI(t *testing.T) {
	in := fleet.Input{
		Region: "us-east-1", Name: markerFn,
		Function:         pricing.FunctionConfig{MemoryMB: 1024, Architecture: pricing.ARM64},
		Workload:         fleet.Workload{MonthlyRequests: 507.5 * pricing.SecondsPerMonth, Profile: []float64{10, 2000, 10, 10}, ProfileInterval: time.Hour, Duration: 40 * time.Millisecond, CPUFraction: 1, MemoryPerRequestMB: 10},
		InstanceTypes:    []string{"m7g.large"},
		LMI:              fleet.LMIConfig{Runtime: "nodejs", TargetCPU: 0.5},
		LMIInstanceTypes: []string{"m7g.xlarge"},
	}
	r, err := fleet.Compare(pricing.Embedded(), in)
	if err != nil {
		t.Fatal(err)
	}
	p := ComparePage(r)
	var found bool
	for _, s := range p.Sections {
		for _, c := range s.Charts {
			if c.ID == "lmi-fleet" {
				found = true
			}
		}
	}
	if !found {
		t.Fatal("no lmi-fleet chart")
	}
	var b bytes.Buffer
	if err := WriteCompareHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{"LMI m7g.xlarge × 40", "Lambda Managed Instances over time", "LMI instances (m7g.xlarge)"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if got := r.LMI.InstancesOverTime; len(got) != 4 || got[0] != 3 || got[1] != 40 {
		t.Errorf("instances over time = %v", got)
	}
}
