package runner

import (
	"context"
	"errors"
	"testing"
	"time"
)

// An interrupted sweep returns what it measured, marked partial.
func TestTuneInterruptedIsPartial(t *testing.T) {
	cfg := base(0, 10*time.Second)
	cfg.Isolation = IsolationNone
	cfg.DiscardResponses = true
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := Tune(ctx, cfg, []int{128, 256}, 1, Strategy{Name: StrategyCost}, ev(`{"action":"noop"}`))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if res == nil || !res.Partial || len(res.Results) != 0 {
		t.Fatalf("result %+v, want partial with no sizes", res)
	}
}
