package runner

// Memory as Lambda reports it ("Max Memory Used") is the function's own
// memory: the processes' resident memory, not the page cache of the files
// they write. A cgroup's usage and peak (memory.max_usage_in_bytes,
// memory.peak) count that page cache too: writing 300 MB to /tmp at 256 MB
// pushed the peak to the limit although the function held a few MB. So in
// cgroup mode the runner reads the cgroup's memory.stat after each
// invocation and counts only process memory there — anonymous memory,
// mapped files (executables, libraries, mmap) and shared memory:
//
//	cgroup v1: rss + mapped_file + shmem
//	cgroup v2: anon + file_mapped + shmem
//
// and reports the larger of the largest such reading and the bootstrap's
// VmHWM (the kernel's exact peak resident size of that process). Sandboxed,
// where /tmp is the environment's own file system, the cgroup's peak less
// all the page cache /tmp can have held is a third, lower bound
// (envBox.processPeak), which keeps the short-lived peaks of child
// processes (a shell runtime's curl) in view when /tmp is little used. The limit
// itself is still the cgroup's, which the kernel meets by reclaiming page
// cache first, as Lambda's /tmp does not count against memory.

// peakMemoryBytes is the environment's peak memory so far.
func (e *env) peakMemoryBytes() (int64, bool) {
	hwm, hwmOK := e.peakRSS()
	if e.box != nil {
		if v, ok := e.box.processPeak(); ok {
			e.procPeak = max(e.procPeak, v)
		}
	}
	if e.peakF != nil {
		var buf [4096]byte
		if v, ok := processMemory(e.peakF.read(buf[:]), e.cg.v2()); ok {
			e.procPeak = max(e.procPeak, v)
			return max(e.procPeak, hwm), true
		}
	}
	return hwm, hwmOK
}

// processMemory sums a memory.stat's process memory (see above).
func processMemory(stat []byte, v2 bool) (int64, bool) {
	keys := [3]string{"rss", "mapped_file", "shmem"}
	if v2 {
		keys = [3]string{"anon", "file_mapped", "shmem"}
	}
	var sum int64
	for i, k := range keys {
		v, ok := statValue(stat, k)
		if !ok && i == 0 {
			return 0, false
		}
		sum += v
	}
	return sum, true
}
