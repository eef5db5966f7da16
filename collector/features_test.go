package collector

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"

	"github.com/lambdacost/lambdacost/collector/collectortest"
	"github.com/lambdacost/lambdacost/pricing"
)

// The feature metrics (provisioned concurrency in use, extensions, async,
// dead-letter, streams) and the account-level concurrency arrive in the
// dataset with the stub model's values (collectortest.Stub); a
// metrics-only collection says that INIT is not in CloudWatch metrics.
func TestCollectFeatureAndAccountMetrics(t *testing.T) {
	s := newStub(t, 4)
	d, _, err := stubCollector(s).Collect(context.Background(), CollectOptions{All: true, Since: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.AccountConcurrency) != 1 || d.AccountConcurrency[0].ClaimedMax != 120 || d.AccountConcurrency[0].UnreservedMin != 880 || d.AccountConcurrency[0].Region != "us-east-1" {
		t.Errorf("account concurrency %+v", d.AccountConcurrency)
	}
	f0 := d.Functions[0].Summary // provisioned: 1 + k mod 5 per minute, utilisation (1 + k mod 5)/5, spillover 7
	if f0.ProvisionedConcurrentExecutionsMax != 5 || f0.ProvisionedUtilizationMax != 1 || f0.ProvisionedSpilloverInvocations != 7 {
		t.Errorf("fn-000 provisioned %+v", f0)
	}
	if sr := d.Functions[0].Series; sr == nil || len(sr.ProvisionedConcurrentExecutions) != 60 || sr.ProvisionedConcurrentExecutions[7] != 3 ||
		len(sr.ProvisionedConcurrencyUtilization) != 60 || sr.ProvisionedConcurrencyUtilization[7] != 0.6 {
		t.Errorf("fn-000 provisioned series %+v", sr)
	}
	// The level billed is measured in every minute: 3/0.6 = 5, … — 5 for
	// the hour, 5 × 3,600 = 18,000 env-s.
	if pu := d.Functions[0].ProvisionedUse(d.Span()); pu.Source != pricing.PCFromSeries || pu.Measured != 60 || pu.Carried != 0 || pu.MinLevel != 5 || pu.MaxLevel != 5 || pu.EnvSeconds != 18000 {
		t.Errorf("fn-000 provisioned use %+v", pu)
	}
	if d.Functions[1].Series.ProvisionedConcurrentExecutions != nil {
		t.Errorf("fn-001 has no provisioned concurrency but a series")
	}
	if f := d.Functions[1].Summary; f.PostRuntimeExtensionsDurationMs != 12.5 {
		t.Errorf("fn-001 extensions %v", f.PostRuntimeExtensionsDurationMs)
	}
	if f := d.Functions[2].Summary; f.AsyncEventAgeMaxMs != 1500 || f.AsyncEventsDropped != 3 || f.DeadLetterErrors != 1 {
		t.Errorf("fn-002 async %+v", f)
	}
	if f := d.Functions[3].Summary; f.IteratorAgeMaxMs != 60000 || d.Functions[3].Region != "us-east-1" {
		t.Errorf("fn-003 iterator age %v, region %q", f.IteratorAgeMaxMs, d.Functions[3].Region)
	}
	var said bool
	for _, a := range d.Assumptions {
		said = said || (a.Field == "summary.cold_starts" && strings.Contains(a.Why, "no INIT duration") && strings.Contains(a.Why, "1 of 4 functions have Lambda Insights"))
	}
	if !said {
		t.Errorf("assumptions %+v", d.Assumptions)
	}
}

// A failed call leaves the feature metrics it carried null in the JSON,
// never 0.
func TestCollectFeatureMetricsMissingAreNull(t *testing.T) {
	s := newStub(t, 40)
	s.Fault = func(op string, _ int, in cbor.Map) (int, string) {
		if op != "GetMetricData" {
			return 0, ""
		}
		for _, v := range in["MetricDataQueries"].(cbor.List) {
			if collectortest.Str(v.(cbor.Map)["Label"]) == "fn-002 AsyncEventsDropped Sum" {
				return 500, "InternalServiceError"
			}
		}
		return 0, ""
	}
	d, _, err := stubCollector(s).Collect(context.Background(), CollectOptions{All: true, Since: day})
	if err != nil {
		t.Fatal(err)
	}
	f := d.Functions[2]
	if !slices.Contains(f.Missing, "summary.async_events_dropped") || f.Summary.AsyncEventsDropped != 0 {
		t.Fatalf("fn-002 missing %v, dropped %d", f.Missing, f.Summary.AsyncEventsDropped)
	}
	var buf bytes.Buffer
	if err := pricing.WriteDataset(&buf, d); err != nil {
		t.Fatal(err)
	}
	back, err := pricing.DecodeDataset("x.json", &buf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(back.Functions[2].Missing, "summary.async_events_dropped") {
		t.Errorf("read back: missing %v", back.Functions[2].Missing)
	}
	js, _ := json.Marshal(f)
	if !bytes.Contains(js, []byte(`"async_events_dropped":null`)) {
		t.Errorf("JSON %s", js)
	}
}
