package runner

// INIT's CPU.
//
// AWS documents that on-demand environments run INIT on "a full vCPU
// (non-throttled)" for up to 10 s, and that provisioned-concurrency
// environments get no such burst and use the memory's share from the
// start (AWS, "Effectively running Java on Serverless: utilize the
// initialization phase", serverlessland.com). Public cold-start
// measurements agree: hello-world INIT at 128 MB takes ≈ 50 ms (Go),
// ≈ 85 ms (Python), ≈ 140 ms (Node.js) (maxday/lambda-perf), far below what
// 128 MB's 0.07 vCPU would allow, and a Rust INIT is the same ≈ 24 ms at
// 128 and 256 MB.
//
// The runner's model: INIT runs with max(InitBurstVCPU, share) CPUs; the
// memory's share applies from the environment's first GET /next. With
// cgroups the CFS quota is set to the burst when the environment starts
// and lowered to the share at the first /next; without cgroups INIT runs
// at the host's speed and modelled_init_duration_ms stretches its CPU
// time to max(1, share) CPUs (ModelDuration).

// InitBurstVCPU is the CPU an on-demand INIT gets at least.
const InitBurstVCPU = 1.0

// InitCPUModelBurst names the model in results (init_cpu_model).
const InitCPUModelBurst = "burst"

// InitCPUModelNote states the model in results.
const InitCPUModelNote = "on-demand INIT runs with max(1 vCPU, the memory's share) unthrottled (AWS: on-demand INIT gets a full, non-throttled vCPU; provisioned concurrency gets no burst); the memory's share applies from the first GET /next"

// initVCPU is INIT's CPU for a share of vcpu.
func initVCPU(vcpu float64) float64 { return max(InitBurstVCPU, vcpu) }
