package pricing

import (
	"strings"
	"testing"
	"time"
)

func TestUsageFileFromDataset(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Version: 1, Region: "eu-west-1", Start: start, End: start.Add(73 * time.Hour), Functions: []DatasetFunction{
		{FunctionConfig: FunctionConfig{Name: "api", MemoryMB: 512, Architecture: ARM64, ProvisionedConcurrency: 2},
			Summary: FunctionSummary{Invocations: 1000, ColdStarts: 10, ProvisionedInvocations: 400,
				DurationMs: DurationSet{Avg: 42.5}, InitDurationMs: InitSet{Avg: 250}}},
		{FunctionConfig: FunctionConfig{Name: "lost", MemoryMB: 128}, Missing: []string{"summary.invocations"}},
		{FunctionConfig: FunctionConfig{Name: "nomem", MemoryMB: 128}, ConfigUnknown: []string{"memory_mb"}},
	}}
	u, as, err := UsageFileFromDataset(d)
	if err != nil {
		t.Fatal(err)
	}
	// 73 h → 730 h is exactly ×10.
	if len(u.Functions) != 1 || u.Region != "eu-west-1" {
		t.Fatalf("functions %+v", u.Functions)
	}
	e := u.Functions[0]
	if e.Requests != 10_000 || e.ProvisionedRequests != 4_000 || e.ProvisionedHours != 730 ||
		time.Duration(e.Duration) != 42500*time.Microsecond || e.ColdStartRate != 0.01 ||
		time.Duration(e.InitDuration) != 250*time.Millisecond || e.MemoryMB != 512 || e.Architecture != ARM64 {
		t.Errorf("entry %+v", e)
	}
	var left []string
	for _, a := range as {
		if a.Value == "left out" {
			left = append(left, a.Field)
		}
	}
	if strings.Join(left, ",") != "functions[lost],functions[nomem]" {
		t.Errorf("left out %v", left)
	}
	if _, _, err := UsageFileFromDataset(&Dataset{Version: 1}); err == nil {
		t.Error("a dataset without a window was projected")
	}
}
