package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progressBar draws a one-line bar on a terminal once a run has lasted
// longer than delay; finish erases it.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	delay time.Duration
	last  time.Time
	drawn bool
}

func newProgressBar(w io.Writer, delay time.Duration) *progressBar {
	return &progressBar{w: w, start: time.Now(), delay: delay}
}

func (p *progressBar) update(done, total int64) {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.start) < p.delay || now.Sub(p.last) < 100*time.Millisecond || total <= 0 {
		return
	}
	p.last = now
	frac := float64(done) / float64(total)
	const width = 30
	n := max(0, min(width, int(frac*width)))
	el := now.Sub(p.start)
	eta := "ETA --"
	if frac > 0.001 {
		eta = "ETA " + time.Duration(float64(el)*(1-frac)/frac).Round(time.Second).String()
	}
	fmt.Fprintf(p.w, "\r[%s%s] %5.1f%%  %s  %s ", strings.Repeat("=", n), strings.Repeat(" ", width-n), frac*100, el.Round(time.Second), eta)
	p.drawn = true
}

func (p *progressBar) finish() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", 70))
	}
}
