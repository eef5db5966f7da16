package fleet

import (
	"strings"
	"testing"

	"github.com/lambdacost/lambdacost/pricing"
)

// Environments pack onto an instance by its vCPUs and its memory, the
// smaller count; instances are the environments over that, rounded up,
// never below the floor.
func TestLMIPacking(t *testing.T) {
	m7gXL := &pricing.InstanceType{Name: "m7g.xlarge", VCPU: 4, MemoryGiB: 16}
	c7gL := &pricing.InstanceType{Name: "c7g.large", VCPU: 2, MemoryGiB: 4}
	for _, c := range []struct {
		name      string
		it        *pricing.InstanceType
		c         LMIConfig
		per       int
		envs      int
		instances int
		err       string
	}{
		// 4 vCPU / 1 = 4 by CPU; 16 GiB / (1 × 2 GiB) = 8 by memory: 4; 10 environments → ceil(10/4) = 3.
		{"cpu bound", m7gXL, LMIConfig{EnvVCPU: 1, MemoryGiBPerVCPU: 2, MinInstances: 3}, 4, 10, 3, ""},
		// 4 / 1 = 4 by CPU; 16 / (1 × 8) = 2 by memory: 2; 9 environments → ceil(9/2) = 5.
		{"memory bound", m7gXL, LMIConfig{EnvVCPU: 1, MemoryGiBPerVCPU: 8, MinInstances: 3}, 2, 9, 5, ""},
		// One environment needs one instance, but the floor is 3.
		{"floor", m7gXL, LMIConfig{EnvVCPU: 2, MemoryGiBPerVCPU: 2, MinInstances: 3}, 2, 1, 3, ""},
		// 2 vCPU hold one 2-vCPU environment but 4 GiB not its 2 × 4 = 8 GiB.
		{"too small", c7gL, LMIConfig{EnvVCPU: 2, MemoryGiBPerVCPU: 4, MinInstances: 3}, 0, 0, 0, "c7g.large (2 vCPU, 4 GiB) cannot hold one execution environment of 2 vCPU and 8 GiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := NewLMIPacking(c.it, c.c)
			if c.err != "" {
				if err == nil || !pricing.IsInput(err) || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("error %v, want %q", err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.PerInstance != c.per || p.Instances(c.envs) != c.instances {
				t.Errorf("%d per instance, %d instances for %d environments; want %d, %d", p.PerInstance, p.Instances(c.envs), c.envs, c.per, c.instances)
			}
		})
	}
}
