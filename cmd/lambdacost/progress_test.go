package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// The bar draws with an ETA once the delay has passed, and finish erases
// it completely (the line is blank before any result is printed).
func TestProgressBar(t *testing.T) {
	var b bytes.Buffer
	p := newProgressBar(&b, 0)
	p.start = time.Now().Add(-10 * time.Second) // 10 s for the first quarter
	p.update(25, 100)
	drawn := b.String()
	if !strings.Contains(drawn, " 25.0%") || !strings.Contains(drawn, "ETA 30s") {
		t.Errorf("bar %q lacks 25%% and ETA 30s", drawn)
	}
	p.finish()
	erase := strings.TrimPrefix(b.String(), drawn)
	if !strings.HasPrefix(erase, "\r") || !strings.HasSuffix(erase, "\r") || len(erase)-2 < len(strings.TrimPrefix(drawn, "\r")) {
		t.Errorf("finish %q does not cover the bar %q", erase, drawn)
	}
	var nilBar *progressBar
	nilBar.update(1, 2) // no terminal: no bar, and no panic
	nilBar.finish()
}
