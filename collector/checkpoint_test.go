package collector

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// The stub dies after the first of the three GetMetricData calls of 40
// functions over a day (TestCollectBatchesToTheMinimum): the two other
// calls fail, the dataset says so, and the checkpoint keeps the first
// call's results. Resumed against a new stub, the collection fetches only
// the two missing calls (no function listing, no detection) and the
// dataset is complete and exact; the checkpoint is then removed.
func TestCollectResumeAfterTheStubDies(t *testing.T) {
	cpPath := filepath.Join(t.TempDir(), "c.json.checkpoint")
	s1 := newStub(t, 40)
	c1 := stubCollector(s1)
	c1.Concurrency = 1
	c1.Progress = func(p Progress) {
		if p.Phase == "metrics" && p.Done == 1 {
			s1.Close()
		}
	}
	d, st, err := c1.Collect(context.Background(), CollectOptions{All: true, Since: day, Checkpoint: cpPath})
	if err != nil {
		t.Fatal(err)
	}
	if st.Batches != 3 || st.Failed != 2 || len(s1.Pages()) != 1 {
		t.Fatalf("batches %d, failed %d, pages served %d", st.Batches, st.Failed, len(s1.Pages()))
	}
	incomplete := 0
	for _, f := range d.Functions {
		if f.Incomplete() {
			incomplete++
		}
	}
	if incomplete == 0 || !strings.Contains(strings.Join(d.Problems, "\n"), "connection refused") {
		t.Errorf("%d incomplete functions, problems %q", incomplete, d.Problems)
	}
	if _, err := os.Stat(cpPath); err != nil {
		t.Fatalf("checkpoint not kept: %v", err)
	}

	// A crash while appending leaves a torn last line: it is ignored.
	f, err := os.OpenFile(cpPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`{"batch":2,"key":"abc","results":[{"q":`)
	f.Close()

	// The same functions are required.
	if _, _, err := stubCollector(newStub(t, 40)).Collect(context.Background(), CollectOptions{Functions: []string{"fn-001"}, Checkpoint: cpPath, Resume: true}); !pricing.IsInput(err) || !strings.Contains(err.Error(), "with --all") {
		t.Errorf("resume with other functions: %v", err)
	}

	// And the same region.
	other := stubCollector(newStub(t, 40))
	other.Region = "eu-west-1"
	if _, _, err := other.Collect(context.Background(), CollectOptions{All: true, Checkpoint: cpPath, Resume: true}); !pricing.IsInput(err) || !strings.Contains(err.Error(), "is of region us-east-1, not eu-west-1") {
		t.Errorf("resume in another region: %v", err)
	}

	s2 := newStub(t, 40)
	d, st, err = stubCollector(s2).Collect(context.Background(), CollectOptions{All: true, Checkpoint: cpPath, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Resumed != 1 || st.Failed != 0 || s2.Calls("GetMetricData") != 2 || s2.Calls("ListFunctions")+s2.Calls("ListMetrics")+s2.Calls("ListProvisionedConcurrencyConfigs") != 0 {
		t.Errorf("resumed %d, failed %d; stub saw %d GetMetricData, %d ListFunctions, %d ListMetrics", st.Resumed, st.Failed, s2.Calls("GetMetricData"), s2.Calls("ListFunctions"), s2.Calls("ListMetrics"))
	}
	checkStubDataset(t, d, 40, 1440)
	if len(d.Problems) != 0 {
		t.Errorf("problems after the resume: %q", d.Problems)
	}
	if _, err := os.Stat(cpPath); !os.IsNotExist(err) {
		t.Errorf("checkpoint still there after a complete collection: %v", err)
	}
	// Nothing left to resume.
	if _, _, err := stubCollector(s2).Collect(context.Background(), CollectOptions{All: true, Checkpoint: cpPath, Resume: true}); !pricing.IsInput(err) || !strings.Contains(err.Error(), "no checkpoint") {
		t.Errorf("resume without a checkpoint: %v", err)
	}
}

// A checkpoint resumed after its window's start has aged past what
// CloudWatch keeps at its period is refused: a 1-day window at 1 min
// (stubNow's day) resumed 15 days later starts 16 days ago, and
// GetMetricData returns no 1-minute datapoint older than 15 days (its API
// reference: "Start time between 15 and 63 days ago - Use a multiple of
// 300 seconds ... or no data points in that time range is returned"): the
// calls still to make would read as minutes without invocations.
func TestResumeRefusesAWindowPastRetention(t *testing.T) {
	cpPath := filepath.Join(t.TempDir(), "c.json.checkpoint")
	s1 := newStub(t, 40)
	c1 := stubCollector(s1)
	c1.Concurrency = 1
	c1.Progress = func(p Progress) {
		if p.Phase == "metrics" && p.Done == 1 {
			s1.Close()
		}
	}
	if _, st, err := c1.Collect(context.Background(), CollectOptions{All: true, Since: day, Checkpoint: cpPath}); err != nil || st.Failed == 0 {
		t.Fatalf("failed %d, %v", st.Failed, err)
	}
	s2 := newStub(t, 40)
	c2 := stubCollector(s2)
	c2.Now = func() time.Time { return stubNow.Add(15 * day) }
	_, _, err := c2.Collect(context.Background(), CollectOptions{All: true, Checkpoint: cpPath, Resume: true})
	if !pricing.IsInput(err) || !strings.Contains(err.Error(), "--resume") || !strings.Contains(err.Error(), "CloudWatch keeps 1m0s datapoints only 15d") {
		t.Fatalf("resume 15 days later: %v", err)
	}
	if n := s2.Calls("GetMetricData"); n != 0 {
		t.Errorf("%d GetMetricData calls made for a window CloudWatch no longer keeps", n)
	}
	// The next day it still keeps them (1 d + 1 min + 1 h margin ≤ 15 d).
	c3 := stubCollector(newStub(t, 40))
	c3.Now = func() time.Time { return stubNow.Add(day) }
	if _, _, err := c3.Collect(context.Background(), CollectOptions{All: true, Checkpoint: cpPath, Resume: true}); err != nil {
		t.Errorf("resume a day later: %v", err)
	}
}
