package simulator

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
)

// ScenarioFromDataset writes the scenario that replays one function of a
// dataset (collect/import): its invocation series as the traffic trace,
// its duration and INIT statistics as the distributions, its memory,
// architecture and timeout. function may be empty when the dataset has one
// function. Values the dataset does not know are refused by name, never
// assumed: the memory size or architecture its producer did not see, a
// function without an invocation series or without INIT statistics.
func ScenarioFromDataset(path, function string) ([]byte, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(abs)
	if err != nil {
		return nil, pricing.Inputf("--dataset", "%v", err)
	}
	defer f.Close()
	ds, err := pricing.DecodeDataset(path, f)
	if err != nil {
		return nil, err
	}
	var fn *pricing.DatasetFunction
	var names []string
	for i := range ds.Functions {
		if function == "" && len(ds.Functions) == 1 || ds.Functions[i].Name == function {
			fn = &ds.Functions[i]
		}
		names = append(names, ds.Functions[i].Name)
	}
	if fn == nil {
		if function == "" {
			return nil, pricing.Inputf("--function", "%s has %d functions: pick one (%s)", path, len(ds.Functions), strings.Join(names, ", "))
		}
		return nil, pricing.Inputf("--function", "%s has no function %q (it has %s)", path, function, strings.Join(names, ", "))
	}
	for _, k := range []string{"memory_mb", "architecture"} {
		if fn.Unknown(k) {
			return nil, pricing.Inputf(path, "function %q: its %s was not collected; write a scenario with function.%s instead", fn.Name, k, k)
		}
	}
	if fn.Series == nil || len(fn.Series.Invocations) == 0 {
		return nil, pricing.Inputf(path, "function %q has no invocation series to replay", fn.Name)
	}
	if !fn.Measured("summary.init_duration_ms") {
		return nil, pricing.Inputf(path, "function %q: the dataset's source does not measure INIT (not_measured), so its cold starts cannot be replayed; write a scenario with function.init_duration instead, or collect with --logs", fn.Name)
	}
	if fn.Summary.InitDurationMs.Avg <= 0 {
		return nil, pricing.Inputf(path, "function %q has no INIT durations in the dataset; write a scenario with function.init_duration instead", fn.Name)
	}
	region := fn.Region
	if region == "" {
		region = ds.Region
	}
	q := strconv.Quote
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Replays function %s of the dataset %s.\n", fn.Name, abs)
	fmt.Fprintf(&b, "name: %s\n", q(fn.Name))
	if region != "" {
		fmt.Fprintf(&b, "region: %s\n", q(region))
	}
	fmt.Fprintf(&b, "function:\n  memory_mb: %d\n  architecture: %s\n", fn.MemoryMB, q(string(fn.Architecture)))
	if fn.Timeout > 0 && !fn.Unknown("timeout") {
		fmt.Fprintf(&b, "  timeout: %s\n", fn.Timeout)
	}
	fmt.Fprintf(&b, "  duration: {distribution: empirical, file: %s, function: %s}\n", q(abs), q(fn.Name))
	fmt.Fprintf(&b, "  init_duration: {distribution: empirical, file: %s, function: %s}\n", q(abs), q(fn.Name))
	fmt.Fprintf(&b, "traffic:\n  trace: %s\n  function: %s\n", q(abs), q(fn.Name))
	return b.Bytes(), nil
}
