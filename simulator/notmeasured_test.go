package simulator

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A dataset from CloudWatch metrics without Lambda Insights does not
// measure INIT (null, not_measured): replaying it, or taking its INIT as
// an empirical distribution, is refused saying so, not as if the dataset
// had merely recorded no cold start.
func TestDatasetINITNotMeasured(t *testing.T) {
	const ds = `{"version":2,"source":"cloudwatch","region":"us-east-1","start":"2026-11-01T00:00:00Z","end":"2026-11-01T00:02:00Z","functions":[
 {"name":"cw","memory_mb":512,"architecture":"arm64","summary":{"invocations":120,"errors":0,"throttles":0,"cold_starts":null,
  "duration_ms":{"avg":50,"p50":50,"p90":50,"p99":50,"max":50},"init_duration_ms":null,"max_memory_used_mb":null,"billed_gb_seconds":3},
  "series":{"period_s":60,"start":"2026-11-01T00:00:00Z","invocations":[60,60],"duration_avg_ms":[50,50],"concurrency_max":[1,1]},
  "not_measured":["summary.cold_starts","summary.init_duration_ms","summary.max_memory_used_mb"]}]}`
	path := filepath.Join(t.TempDir(), "cw.json")
	if err := os.WriteFile(path, []byte(ds), 0o644); err != nil {
		t.Fatal(err)
	}
	const want = `function "cw": the dataset's source does not measure INIT (not_measured)`
	if _, err := ScenarioFromDataset(path, "cw"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("replay: err = %v, want %q", err, want)
	}
	if _, err := LoadEmpirical(path, KindInit, 512, "cw"); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("empirical INIT: err = %v, want %q", err, want)
	}
}
