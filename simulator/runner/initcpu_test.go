package runner

import (
	"testing"
	"time"
)

// TestInitCPUBurst: a CPU-bound INIT (150 ms of CPU) takes about the same
// time at 128 MB and at 1,769 MB, because INIT gets a full vCPU on demand;
// at 128 MB's share (0.072 vCPU) it would take ≈ 150/0.072 ≈ 2,080 ms.
// Factor stated: the 128 MB INIT is within 2× of the 1,769 MB one and below
// half of what the share would give. The invocation after it runs at the
// share: 100 ms of handler CPU at 128 MB takes ≥ 100/0.072·0.8 ms.
func TestInitCPUBurst(t *testing.T) {
	const initCPU = 150 // ms
	cg, _ := cachedCgroups()
	initMs := map[int]float64{}
	for _, mem := range []int{128, 1769} {
		cfg := base(mem, 10*time.Second)
		cfg.Env = []string{"TESTFN_INIT_CPU=150"}
		event := `{"action":"noop"}`
		if mem == 128 && cg != nil {
			event = `{"action":"cpu","ms":100}`
		}
		res, _ := mustRun(t, cfg, ev(event), 1)
		inv := res.Invocations[0]
		if inv.Status != "success" {
			t.Fatalf("%d MB: %+v", mem, inv)
		}
		if res.InitCPUModel != InitCPUModelBurst || res.InitVCPU != max(1, res.VCPU) || res.InitCPUModelNote == "" {
			t.Fatalf("%d MB: init_cpu_model %q, init_vcpu %v (share %v)", mem, res.InitCPUModel, res.InitVCPU, res.VCPU)
		}
		if cg != nil {
			initMs[mem] = inv.InitDurationMs
			if mem == 128 {
				// The share applies after INIT: a CPU-bound handler is throttled.
				if min := 100 / res.VCPU * 0.8; inv.DurationMs < min {
					t.Errorf("128 MB: 100 ms of CPU took %.0f ms after INIT; at 0.072 vCPU it takes ≥ %.0f ms", inv.DurationMs, min)
				}
			}
		} else {
			if inv.ModelledInitMs == nil {
				t.Fatalf("%d MB: no modelled INIT without cgroups", mem)
			}
			initMs[mem] = *inv.ModelledInitMs
		}
	}
	t.Logf("INIT (%s): 128 MB %.0f ms, 1769 MB %.0f ms (cgroups: %v)", InitCPUModelBurst, initMs[128], initMs[1769], cg != nil)
	if initMs[1769] < initCPU*0.9 {
		t.Fatalf("1769 MB INIT %.0f ms is shorter than its %d ms of CPU", initMs[1769], initCPU)
	}
	if initMs[128] > 2*initMs[1769] {
		t.Errorf("128 MB INIT %.0f ms is more than 2× the 1769 MB INIT %.0f ms", initMs[128], initMs[1769])
	}
	if share := float64(initCPU) / 0.0723; initMs[128] > share/2 {
		t.Errorf("128 MB INIT %.0f ms: not burst (at the share it would be %.0f ms)", initMs[128], share)
	}
}
