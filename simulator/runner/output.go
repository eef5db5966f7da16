package runner

import (
	"bytes"
	"io"
	"os"
	"sync"
	"syscall"
	"time"
)

// outPipe reads an environment's stdout and stderr (one pipe) and turns it
// into log lines, each attributed to the invocation whose bytes they are.
//
// Attribution is by byte offset, not by whichever invocation is current
// when the runner happens to read: when an event is handed out, the
// offset of everything written to the pipe so far (bytes read + bytes
// still in the pipe, FIONREAD) marks where that invocation's output
// begins. Bytes before the first mark are INIT's (no request id); bytes
// from a mark to the next belong to that mark's invocation (including what
// a runtime prints after posting its response: Lambda's invoke phase lasts
// until the next GET /next). Before START and before END are written, the
// runner waits until the reader has turned every byte written up to then
// into lines (waitDone), so a function's lines land between its START and
// END. Reading and line splitting happen under one lock, so "bytes read"
// always equals "bytes turned into lines" outside it; the wait is only
// for bytes still in the pipe, normally none.
//
// The lines go to the run's logSink, which writes asynchronously: the
// function never waits for the log destination, only (beyond the sink's
// bound) for memory.
type outPipe struct {
	e    *env
	f    *os.File
	rc   syscall.RawConn
	sink *logSink

	// kick wakes the reader from its batching pause (a barrier waits).
	kick chan struct{}

	mu      sync.Mutex
	cond    *sync.Cond
	read    int64 // bytes read from the pipe and turned into lines
	eof     bool
	marks   []outMark // ownership changes beyond read, in offset order
	owner   string    // request id owning the bytes at offset read
	partial []byte    // an unfinished line (no newline yet)
}

type outMark struct {
	off int64
	id  string
}

// maxLineBytes splits a line longer than this (as CloudWatch Logs caps an
// event at 256 KB).
const maxLineBytes = 256 << 10

func newOutPipe(e *env, f *os.File, sink *logSink) *outPipe {
	p := &outPipe{e: e, f: f, sink: sink, kick: make(chan struct{}, 1)}
	p.cond = sync.NewCond(&p.mu)
	if rc, err := f.SyscallConn(); err == nil {
		p.rc = rc
	}
	return p
}

// run reads until every writer has closed the pipe (or the pipe is closed).
func (p *outPipe) run(done chan struct{}) {
	defer close(done)
	buf := make([]byte, 64<<10)
	if p.rc == nil {
		// No raw access (not a pollable file): plain reads, same splitting.
		for {
			n, err := p.f.Read(buf)
			if n > 0 {
				p.mu.Lock()
				p.read += int64(n)
				p.consume(buf[:n], p.read-int64(n))
				p.cond.Broadcast()
				p.mu.Unlock()
			}
			if err != nil {
				p.finish()
				return
			}
		}
	}
	// A function printing many short lines would wake the reader once per
	// write; after a short read the reader pauses (batchPause, or until a
	// barrier kicks it) so that the next read takes many lines at once.
	// The pipe (1 MiB) absorbs the writes meanwhile.
	pause := time.NewTimer(time.Hour)
	pause.Stop()
	for {
		var n int
		var rerr error
		err := p.rc.Read(func(fd uintptr) bool {
			p.mu.Lock()
			n, rerr = syscall.Read(int(fd), buf)
			if rerr == syscall.EAGAIN || rerr == syscall.EINTR {
				p.mu.Unlock()
				return false
			}
			if n > 0 {
				start := p.read
				p.read += int64(n)
				p.consume(buf[:n], start)
				p.cond.Broadcast()
			}
			p.mu.Unlock()
			return true
		})
		if err != nil || rerr != nil || n <= 0 {
			p.finish()
			return
		}
		if n < len(buf)/4 {
			pause.Reset(batchPause)
			select {
			case <-pause.C:
			case <-p.kick:
				if !pause.Stop() {
					<-pause.C
				}
			}
		}
	}
}

// batchPause is how long the reader lets output accumulate after a short
// read.
const batchPause = time.Millisecond

// wake ends the reader's batching pause.
func (p *outPipe) wake() {
	select {
	case p.kick <- struct{}{}:
	default:
	}
}

func (p *outPipe) finish() {
	p.mu.Lock()
	p.flushPartial()
	p.applyMarks(p.read + 1<<62)
	p.eof = true
	p.cond.Broadcast()
	p.mu.Unlock()
}

// consume splits chunk (which starts at offset start) into lines. Called
// with p.mu held.
func (p *outPipe) consume(chunk []byte, start int64) {
	cur := start
	for len(chunk) > 0 {
		p.applyMarks(cur)
		seg := chunk
		if len(p.marks) > 0 {
			if lim := p.marks[0].off - cur; lim < int64(len(seg)) {
				seg = seg[:lim]
			}
		}
		p.lines(seg)
		cur += int64(len(seg))
		chunk = chunk[len(seg):]
	}
	p.applyMarks(cur)
}

// lines emits the complete lines of seg (joined to an earlier partial
// line) and keeps the rest as the partial line.
func (p *outPipe) lines(seg []byte) {
	for len(seg) > 0 {
		i := bytes.IndexByte(seg, '\n')
		if i < 0 {
			p.partial = append(p.partial, seg...)
			for len(p.partial) >= maxLineBytes {
				p.sink.functionLine(p.owner, p.partial[:maxLineBytes])
				p.partial = append(p.partial[:0], p.partial[maxLineBytes:]...)
			}
			return
		}
		line := seg[:i]
		if len(p.partial) > 0 {
			p.partial = append(p.partial, line...)
			line = p.partial
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		p.sink.functionLine(p.owner, line)
		p.partial = p.partial[:0]
		seg = seg[i+1:]
	}
}

// applyMarks switches ownership at every mark at or before offset off; a
// partial line at a switch is emitted as its owner's line.
func (p *outPipe) applyMarks(off int64) {
	for len(p.marks) > 0 && p.marks[0].off <= off {
		p.flushPartial()
		p.owner = p.marks[0].id
		p.marks = p.marks[1:]
	}
}

func (p *outPipe) flushPartial() {
	if len(p.partial) > 0 {
		p.sink.functionLine(p.owner, p.partial)
		p.partial = p.partial[:0]
	}
}

// boundary is the offset of everything written to the pipe so far.
func (p *outPipe) boundary() int64 {
	return p.read + p.avail()
}

// avail is the number of bytes waiting in the pipe (FIONREAD).
func (p *outPipe) avail() int64 {
	if p.rc == nil {
		return 0
	}
	var n int
	_ = p.rc.Control(func(fd uintptr) { n = pipeAvail(fd) })
	return int64(n)
}

// mark says that output written from now on belongs to request id, and
// waits until everything written before now is turned into lines (so they
// precede the invocation's START). It returns the mark's offset.
func (p *outPipe) mark(id string) int64 {
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	off := p.boundary()
	if p.eof || off <= p.read {
		p.marks = append(p.marks, outMark{off, id})
		p.applyMarks(p.read)
		return off
	}
	p.marks = append(p.marks, outMark{off, id})
	p.wake()
	for p.read < off && !p.eof {
		p.cond.Wait()
	}
	return off
}

// sync waits until everything written to the pipe so far is turned into
// lines; a trailing unfinished line is emitted then (it is the current
// owner's, and END follows).
func (p *outPipe) sync() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	off := p.boundary()
	if p.read < off {
		p.wake()
	}
	for p.read < off && !p.eof {
		p.cond.Wait()
	}
	p.flushPartial()
}

// discardOutput drains the pipe when no logs are wanted.
func discardOutput(f *os.File, done chan struct{}) {
	defer close(done)
	_, _ = io.Copy(io.Discard, f)
}
