package simulator

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A tune result's entry read as a duration distribution is the duration
// the sweep's costs use: with basis "modelled" (no cgroups), the modelled
// one at Lambda's CPU share (mean 80 ms, p50 78, p90 90, p99 120), not the
// measured one at the machine's whole CPU (mean 50 ms). The fit keeps the
// mean and quantiles it is given (FitQuantiles), so the mean is 80 ms.
func TestLoadEmpiricalTuneModelled(t *testing.T) {
	tune := filepath.Join(t.TempDir(), "tune.json")
	if err := os.WriteFile(tune, []byte(`{"basis":"modelled","results":[{"memory_mb":512,"status":"ok",
	 "duration_ms":{"n":9,"p50":49,"p90":55,"p99":60,"mean":50},
	 "modelled_duration_ms":{"n":9,"p50":78,"p90":90,"p99":120,"mean":80}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := LoadEmpirical(tune, KindDuration, 512, "")
	if err != nil {
		t.Fatal(err)
	}
	if m := d.Mean(); m < 79*time.Millisecond || m > 81*time.Millisecond {
		t.Errorf("mean %v, want the modelled 80ms (%s)", m, d)
	}
	if q := d.Quantile(0.5); q < 77*time.Millisecond || q > 79*time.Millisecond {
		t.Errorf("p50 %v, want the modelled 78ms (%s)", q, d)
	}
}
