package runner

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// The Runtime API is served by a small HTTP/1.1 server of its own rather
// than net/http's: per invocation a runtime makes two requests (GET /next,
// POST /response), and net/http's general machinery (a context, a
// background-read goroutine and a parsed URL per request, canonicalised
// header maps, a response writer with chunking) cost the runner about
// 40 µs of CPU per invocation, a quarter of its share, next to a handler
// that spends ~300 µs. This server parses what the protocol needs and no
// more, with one goroutine per connection and one write per response.
//
// What it implements of HTTP/1.1 (RFC 9112), for any runtime's client:
//   - persistent connections, and HTTP/1.0 (closed after the response
//     unless it asks to keep alive); "Connection: close" either way;
//   - request targets in origin form (/path) and absolute form
//     (http://host/path), query strings ignored;
//   - bodies with Content-Length or chunked transfer coding, chunk
//     extensions ignored, trailer fields read (aws-lambda-go reports a
//     failed streamed response in trailers); other transfer codings get 501;
//   - "Expect: 100-continue" (curl sends it for large bodies): 100 Continue
//     before the body is read;
//   - request line and header fields up to maxHeaderBytes (aws-lambda-go
//     may send a 1 MiB X-Ray error cause); beyond it 431 and close;
//   - malformed requests get 400 and the connection is closed, as are
//     bodies that end early; a body is always read to its end (discarded
//     where it is not wanted, up to maxDrainBytes) so that the connection
//     stays usable;
//   - pipelined requests are answered in order.

const (
	// maxHeaderBytes bounds a request's line and header fields together.
	maxHeaderBytes = 1<<20 + 64<<10
	// maxDrainBytes bounds how much of an unwanted or oversized body is
	// read and discarded to keep the connection; beyond it, it is closed.
	maxDrainBytes = 64 << 20
	// readBufSize is each connection's read buffer.
	readBufSize = 16 << 10
	// inlineBody is the largest body copied into the response buffer;
	// larger ones are written with it in one writev.
	inlineBody = 16 << 10
)

var (
	errHeaderTooLarge = errors.New("request header fields too large")
	errMalformed      = errors.New("malformed request")
	errDrainTooLarge  = errors.New("body too large to discard")
)

// apiRequest is one parsed request: what the Runtime API needs of it.
type apiRequest struct {
	method string
	path   string
	http11 bool

	contentLength int64 // -1 when not given
	chunked       bool
	expect        bool // Expect: 100-continue
	close         bool // the client asked to close (or HTTP/1.0 without keep-alive)

	responseMode string // Lambda-Runtime-Function-Response-Mode
	errorType    string // Lambda-Runtime-Function-Error-Type (header)

	// Trailer fields of a chunked body.
	trailerErrorType, trailerErrorBody string

	bodyDone  bool  // the body has been read to its end
	remaining int64 // bytes of a Content-Length body not yet read
}

// apiConn is one runtime connection and its server side.
type apiConn struct {
	e  *env
	nc net.Conn
	rc syscall.RawConn // for the disconnect watch; nil if unavailable
	br *bufio.Reader

	req     apiRequest
	long    []byte // a header line longer than the read buffer
	w       []byte // the response being built
	wbuf    []byte // what write has left to send
	writeFn func(fd uintptr) bool
	peekFn  func(fd uintptr) bool
	gone    bool // set by peek

	close bool // close the connection after this response
	dead  bool // a write failed
	// pace, when set, holds the body being read to Lambda's streaming
	// bandwidth (lambdaenv.go).
	pace *streamPacer
	// lingering: the connection ends on a broken request; close it
	// gracefully.
	lingering bool
}

// serve accepts runtime connections on ln until it is closed.
func (e *env) serve(ln net.Listener) {
	for {
		nc, err := ln.Accept()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				continue
			}
			return
		}
		if !e.trackConn(nc) {
			_ = nc.Close()
			return
		}
		go e.serveConn(nc)
	}
}

// trackConn records an open connection so that closeServer can close it;
// false once the server is closed.
func (e *env) trackConn(nc net.Conn) bool {
	e.connMu.Lock()
	defer e.connMu.Unlock()
	if e.srvClosed {
		return false
	}
	if e.conns == nil {
		e.conns = make(map[net.Conn]struct{})
	}
	e.conns[nc] = struct{}{}
	return true
}

func (e *env) untrackConn(nc net.Conn) {
	e.connMu.Lock()
	delete(e.conns, nc)
	e.connMu.Unlock()
}

// closeServer stops accepting and closes every connection.
func (e *env) closeServer() {
	e.connMu.Lock()
	e.srvClosed = true
	conns := e.conns
	e.conns = nil
	e.connMu.Unlock()
	if e.ln != nil {
		_ = e.ln.Close()
	}
	for nc := range conns {
		_ = nc.Close()
	}
}

var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, readBufSize) }}

// serveConn answers one connection's requests in order.
func (e *env) serveConn(nc net.Conn) {
	c := &apiConn{e: e, nc: nc, w: make([]byte, 0, 1024)}
	if sc, ok := nc.(syscall.Conn); ok {
		c.rc, _ = sc.SyscallConn()
	}
	br := readerPool.Get().(*bufio.Reader)
	if c.rc != nil {
		br.Reset(newConnReader(c.rc))
	} else {
		br.Reset(nc)
	}
	c.br = br
	defer func() {
		if c.lingering {
			lingeringClose(nc)
		}
		_ = nc.Close()
		e.untrackConn(nc)
		br.Reset(nil)
		readerPool.Put(br)
	}()
	for !c.close && !c.dead {
		err := c.readRequest()
		if err != nil {
			// An error answer may leave unread input behind: close so that
			// the client reads the answer rather than a reset.
			c.lingering = err != io.EOF
			switch {
			case err == io.EOF: // the client closed between requests
			case errors.Is(err, errHeaderTooLarge):
				c.close = true
				c.writeError(http.StatusRequestHeaderFieldsTooLarge, "RequestHeaderFieldsTooLarge", err.Error())
			case errors.Is(err, errMalformed):
				c.close = true
				c.writeError(http.StatusBadRequest, "InvalidRequest", err.Error())
			case errors.Is(err, errUnsupported):
				c.close = true
				c.writeError(errUnsupported.code(err), "InvalidRequest", err.Error())
			}
			return
		}
		if c.req.expect && !c.req.bodyDone {
			c.write([]byte("HTTP/1.1 100 Continue\r\n\r\n"))
		}
		c.close = c.req.close
		e.route(c)
		if c.close || c.dead {
			c.lingering = !c.req.bodyDone && !c.dead
			return
		}
		if !c.req.bodyDone {
			if err := c.discardBody(); err != nil {
				c.lingering = true
				return
			}
		}
	}
}

// lingeringClose stops sending and reads (and drops) what the client still
// sends for a short while before the connection is closed, so that closing
// with unread input does not reset the connection before the client has
// read the answer (as net/http does).
func lingeringClose(nc net.Conn) {
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
	_ = nc.SetReadDeadline(time.Now().Add(250 * time.Millisecond))
	_, _ = io.CopyN(io.Discard, nc, maxDrainBytes)
}

// unsupportedError is a well-formed request the server does not serve.
type unsupportedError struct {
	status int
	msg    string
}

func (u *unsupportedError) Error() string { return u.msg }

// errUnsupported matches any *unsupportedError with errors.Is.
var errUnsupported = &unsupportedError{}

func (u *unsupportedError) Is(target error) bool { return target == errUnsupported }

func (*unsupportedError) code(err error) int {
	var u *unsupportedError
	if errors.As(err, &u) {
		return u.status
	}
	return http.StatusBadRequest
}

// readLine returns the next line without its line ending. A line longer
// than the read buffer is assembled in c.long; budget is what the request
// head may still use.
func (c *apiConn) readLine(budget *int) ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.long = append(c.long[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(c.long) > *budget {
				return nil, errHeaderTooLarge
			}
			line, err = c.br.ReadSlice('\n')
			c.long = append(c.long, line...)
		}
		line = c.long
	}
	if err != nil {
		if err == io.EOF && len(line) > 0 {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if *budget -= len(line); *budget < 0 {
		return nil, errHeaderTooLarge
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// The paths a runtime uses most, matched without allocating.
const (
	pathNext      = apiPrefix + "invocation/next"
	pathInitError = apiPrefix + "init/error"
)

// readRequest reads the next request's line and header fields into c.req.
// It returns io.EOF when the client closed the connection between
// requests.
func (c *apiConn) readRequest() error {
	c.req = apiRequest{contentLength: -1}
	budget := maxHeaderBytes
	var line []byte
	var err error
	// RFC 9112 §2.2: ignore empty lines before the request line.
	for {
		if line, err = c.readLine(&budget); err != nil {
			if err == io.ErrUnexpectedEOF {
				return io.EOF
			}
			return err
		}
		if len(line) > 0 {
			break
		}
	}
	method, rest, ok1 := bytes.Cut(line, []byte{' '})
	target, proto, ok2 := bytes.Cut(rest, []byte{' '})
	if !ok1 || !ok2 || len(method) == 0 || len(target) == 0 {
		return errMalformed
	}
	switch string(proto) {
	case "HTTP/1.1":
		c.req.http11 = true
	case "HTTP/1.0":
		c.req.close = true
	default:
		if bytes.HasPrefix(proto, []byte("HTTP/")) {
			return &unsupportedError{http.StatusHTTPVersionNotSupported, "HTTP version " + string(proto) + " is not supported; use HTTP/1.1"}
		}
		return errMalformed
	}
	switch string(method) {
	case "GET":
		c.req.method = "GET"
	case "POST":
		c.req.method = "POST"
	default:
		c.req.method = string(method)
	}
	// Absolute form: http://host/path.
	if i := bytes.Index(target, []byte("://")); i > 0 && target[0] != '/' {
		target = target[i+3:]
		if j := bytes.IndexByte(target, '/'); j >= 0 {
			target = target[j:]
		} else {
			target = []byte{'/'}
		}
	}
	if i := bytes.IndexByte(target, '?'); i >= 0 {
		target = target[:i]
	}
	switch string(target) {
	case pathNext:
		c.req.path = pathNext
	default:
		c.req.path = string(target)
	}

	// Header fields.
	var te []byte
	for {
		line, err := c.readLine(&budget)
		if err != nil {
			if err == io.EOF {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			return errMalformedf("obsolete line folding in header fields")
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		if !ok || len(name) == 0 || !validFieldName(name) {
			return errMalformedf("malformed header field " + strconv.Quote(string(truncate(line, 64))))
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 || (c.req.contentLength >= 0 && c.req.contentLength != n) {
				return errMalformedf("invalid Content-Length " + strconv.Quote(string(truncate(value, 32))))
			}
			c.req.contentLength = n
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			te = append(append(te, value...), ',')
		case bytes.EqualFold(name, []byte("Expect")):
			if !bytes.EqualFold(value, []byte("100-continue")) {
				return &unsupportedError{http.StatusExpectationFailed, "unsupported expectation " + strconv.Quote(string(truncate(value, 32)))}
			}
			c.req.expect = c.req.http11
		case bytes.EqualFold(name, []byte("Connection")):
			for _, tok := range bytes.Split(value, []byte{','}) {
				tok = bytes.TrimSpace(tok)
				if bytes.EqualFold(tok, []byte("close")) {
					c.req.close = true
				} else if bytes.EqualFold(tok, []byte("keep-alive")) && !c.req.http11 {
					c.req.close = false
				}
			}
		case bytes.EqualFold(name, []byte(hdrResponseMode)):
			c.req.responseMode = string(value)
		case bytes.EqualFold(name, []byte(hdrErrorType)):
			c.req.errorType = string(value)
		}
	}
	if te != nil {
		// Only "chunked", possibly listed more than once by a proxy, is
		// understood.
		for _, tok := range bytes.Split(te[:len(te)-1], []byte{','}) {
			tok = bytes.TrimSpace(tok)
			if len(tok) > 0 && !bytes.EqualFold(tok, []byte("chunked")) {
				return &unsupportedError{http.StatusNotImplemented, "unsupported transfer coding " + strconv.Quote(string(truncate(tok, 32)))}
			}
		}
		// RFC 9112 §6.3: Transfer-Encoding overrides Content-Length; such a
		// message is not to be trusted with another request after it.
		if c.req.contentLength >= 0 {
			c.req.close = true
		}
		c.req.chunked, c.req.contentLength = true, -1
	}
	switch {
	case c.req.chunked:
	case c.req.contentLength > 0:
		c.req.remaining = c.req.contentLength
	default:
		c.req.bodyDone = true
	}
	return nil
}

func errMalformedf(msg string) error { return &malformedError{msg} }

type malformedError struct{ msg string }

func (m *malformedError) Error() string        { return m.msg }
func (m *malformedError) Is(target error) bool { return target == errMalformed }

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// validFieldName reports whether name is an RFC 9110 token.
func validFieldName(name []byte) bool {
	for _, ch := range name {
		if !tokenChar[ch] {
			return false
		}
	}
	return true
}

// tokenChar: the characters of an RFC 9110 token (tchar).
var tokenChar = func() (t [256]bool) {
	for ch := '!'; ch <= '~'; ch++ {
		t[ch] = !strings.ContainsRune(`"(),/:;<=>?@[\]{}`, ch)
	}
	return t
}()

// readBody appends the request body to buf, up to limit bytes. A larger
// body is read to its end and discarded (up to maxDrainBytes) and
// errTooLarge returned; the connection stays usable. Any other error means
// the body is broken and the connection is to be closed.
func (c *apiConn) readBody(limit int64, buf []byte) ([]byte, error) {
	if c.req.bodyDone {
		return buf, nil
	}
	if !c.req.chunked {
		n := c.req.remaining
		if n > limit {
			if err := c.discardBody(); err != nil && err != errDrainTooLarge {
				return nil, err
			}
			return nil, errTooLarge
		}
		buf = grow(buf, int(n))
		m, err := c.readFull(buf[len(buf):len(buf)+int(n)], 0)
		c.req.remaining -= int64(m)
		buf = buf[:len(buf)+m]
		if err != nil {
			c.close = true
			return buf, bodyErr(err)
		}
		c.req.bodyDone = true
		return buf, nil
	}
	var total, dropped int64
	for {
		size, err := c.chunkSize()
		if err != nil {
			c.close = true
			return buf, err
		}
		if size == 0 {
			if err := c.readTrailer(); err != nil {
				c.close = true
				return buf, err
			}
			c.req.bodyDone = true
			break
		}
		if total+size > limit || dropped > 0 {
			if dropped += size; total+dropped > maxDrainBytes {
				c.close = true
				return nil, errTooLarge
			}
			if _, err := c.br.Discard(int(size)); err != nil {
				c.close = true
				return nil, bodyErr(err)
			}
		} else {
			buf = grow(buf, int(size))
			m, err := c.readFull(buf[len(buf):len(buf)+int(size)], total)
			buf = buf[:len(buf)+m]
			if err != nil {
				c.close = true
				return buf, bodyErr(err)
			}
			total += size
		}
		if err := c.chunkEnd(); err != nil {
			c.close = true
			return buf, err
		}
	}
	if dropped > 0 {
		return nil, errTooLarge
	}
	return buf, nil
}

// readFull reads len(p) bytes of a body of which before bytes were read
// already; with c.pace set, in pieces, each waiting for the streaming
// bandwidth.
func (c *apiConn) readFull(p []byte, before int64) (int, error) {
	if c.pace == nil {
		return io.ReadFull(c.br, p)
	}
	n := 0
	for n < len(p) {
		// A piece is read once its last byte may be: waiting only for its
		// first byte let 8 MiB through in 0.97 s, not Lambda's 1 s.
		end := min(len(p), n+streamPiece)
		if err := c.pace.wait(before + int64(end)); err != nil {
			return n, err
		}
		m, err := io.ReadFull(c.br, p[n:end])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// bodyErr words an early end of the body.
func bodyErr(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// grow makes room for n more bytes in buf.
func grow(buf []byte, n int) []byte {
	if cap(buf)-len(buf) >= n {
		return buf
	}
	nb := make([]byte, len(buf), len(buf)+n)
	copy(nb, buf)
	return nb
}

// chunkSize reads a chunk's size line (extensions ignored).
func (c *apiConn) chunkSize() (int64, error) {
	budget := 4096
	line, err := c.readLine(&budget)
	if err != nil {
		if errors.Is(err, errHeaderTooLarge) {
			return 0, errMalformedf("chunk size line too long")
		}
		return 0, bodyErr(err)
	}
	if i := bytes.IndexByte(line, ';'); i >= 0 {
		line = line[:i]
	}
	line = bytes.TrimRight(line, " \t")
	if len(line) == 0 || len(line) > 15 {
		return 0, errMalformedf("invalid chunk size")
	}
	var n int64
	for _, ch := range line {
		var d byte
		switch {
		case '0' <= ch && ch <= '9':
			d = ch - '0'
		case 'a' <= ch && ch <= 'f':
			d = ch - 'a' + 10
		case 'A' <= ch && ch <= 'F':
			d = ch - 'A' + 10
		default:
			return 0, errMalformedf("invalid chunk size")
		}
		n = n<<4 | int64(d)
	}
	return n, nil
}

// chunkEnd reads the line ending after a chunk's data.
func (c *apiConn) chunkEnd() error {
	b, err := c.br.ReadByte()
	if err == nil && b == '\r' {
		b, err = c.br.ReadByte()
	}
	if err != nil {
		return bodyErr(err)
	}
	if b != '\n' {
		return errMalformedf("chunk data not followed by CRLF")
	}
	return nil
}

// readTrailer reads the trailer section after the last chunk.
func (c *apiConn) readTrailer() error {
	budget := maxHeaderBytes
	for {
		line, err := c.readLine(&budget)
		if err != nil {
			return bodyErr(err)
		}
		if len(line) == 0 {
			return nil
		}
		name, value, ok := bytes.Cut(line, []byte{':'})
		if !ok || !validFieldName(name) {
			return errMalformedf("malformed trailer field")
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte(hdrErrorType)):
			c.req.trailerErrorType = string(value)
		case bytes.EqualFold(name, []byte(hdrErrorBody)):
			c.req.trailerErrorBody = string(value)
		}
	}
}

// discardBody reads what is left of the body and drops it; an error means
// the connection cannot be reused (and is marked to close).
func (c *apiConn) discardBody() error {
	if c.req.bodyDone {
		return nil
	}
	if !c.req.chunked {
		if c.req.remaining > maxDrainBytes {
			c.close = true
			return errDrainTooLarge
		}
		n, err := c.br.Discard(int(c.req.remaining))
		c.req.remaining -= int64(n)
		if err != nil {
			c.close = true
			return bodyErr(err)
		}
		c.req.bodyDone = true
		return nil
	}
	_, err := c.readBody(0, nil)
	if err == errTooLarge && !c.close {
		return nil
	}
	if err == errTooLarge {
		return errDrainTooLarge
	}
	return err
}

// Building and writing responses: the status line and header fields go
// into c.w, the body after them, and all of it out in one write.

func (c *apiConn) begin(code int, now time.Time) {
	c.w = append(c.w[:0], "HTTP/1.1 "...)
	c.w = strconv.AppendInt(c.w, int64(code), 10)
	c.w = append(c.w, ' ')
	c.w = append(c.w, http.StatusText(code)...)
	c.w = append(c.w, "\r\nDate: "...)
	c.w = appendDate(c.w, now)
	c.w = append(c.w, "\r\n"...)
}

// httpDate is a Date header value and the second it stands for.
type httpDate struct {
	sec int64
	b   []byte
}

var lastDate atomic.Pointer[httpDate]

// appendDate appends now as an HTTP date, formatted once a second.
func appendDate(b []byte, now time.Time) []byte {
	sec := now.Unix()
	d := lastDate.Load()
	if d == nil || d.sec != sec {
		d = &httpDate{sec: sec, b: now.UTC().AppendFormat(make([]byte, 0, 32), http.TimeFormat)}
		lastDate.Store(d)
	}
	return append(b, d.b...)
}

func (c *apiConn) header(k, v string) {
	c.w = append(c.w, k...)
	c.w = append(c.w, ": "...)
	c.w = append(c.w, v...)
	c.w = append(c.w, "\r\n"...)
}

// send ends the header section and writes the response with body.
func (c *apiConn) send(body []byte) {
	c.w = append(c.w, "Content-Length: "...)
	c.w = strconv.AppendInt(c.w, int64(len(body)), 10)
	if c.close {
		c.w = append(c.w, "\r\nConnection: close"...)
	}
	c.w = append(c.w, "\r\n\r\n"...)
	if len(body) <= inlineBody {
		c.w = append(c.w, body...)
		c.write(c.w)
		return
	}
	bufs := net.Buffers{c.w, body}
	if _, err := bufs.WriteTo(c.nc); err != nil {
		c.dead = true
	}
}

func (c *apiConn) write(b []byte) {
	if c.rc == nil {
		if _, err := c.nc.Write(b); err != nil {
			c.dead = true
		}
		return
	}
	// Written with raw system calls (rawio_linux.go); EAGAIN waits for the
	// network poller. The callback is made once per connection.
	c.wbuf = b
	if c.writeFn == nil {
		c.writeFn = c.writeRaw
	}
	if err := c.rc.Write(c.writeFn); err != nil {
		c.dead = true
	}
	c.wbuf = nil
}

// writeRaw writes c.wbuf; false asks the poller to wait for room.
func (c *apiConn) writeRaw(fd uintptr) bool {
	for len(c.wbuf) > 0 {
		n, errno := rawWrite(fd, c.wbuf)
		switch errno {
		case 0:
			c.wbuf = c.wbuf[n:]
		case syscall.EAGAIN:
			return false
		default:
			c.dead = true
			return true
		}
	}
	return true
}

// connReader reads a connection with raw system calls (rawio_linux.go);
// EAGAIN waits for the network poller, and deadlines apply as usual.
type connReader struct {
	rc     syscall.RawConn
	readFn func(fd uintptr) bool
	p      []byte
	n      int
	err    error
}

func newConnReader(rc syscall.RawConn) *connReader {
	r := &connReader{rc: rc}
	r.readFn = r.readRaw
	return r
}

func (r *connReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	r.p, r.n, r.err = p, 0, nil
	if err := r.rc.Read(r.readFn); err != nil && r.err == nil {
		r.err = err
	}
	r.p = nil
	return r.n, r.err
}

// readRaw reads into r.p; false asks the poller to wait for data.
func (r *connReader) readRaw(fd uintptr) bool {
	n, errno := rawRead(fd, r.p)
	switch errno {
	case 0:
		r.n = n
		if n == 0 {
			r.err = io.EOF
		}
	case syscall.EAGAIN:
		return false
	default:
		r.err = errno
	}
	return true
}

// writeError answers with a Runtime API error body.
func (c *apiConn) writeError(code int, typ, msg string) {
	b, _ := json.Marshal(errorBody{Type: typ, Message: msg})
	c.begin(code, time.Now())
	c.header("Content-Type", "application/json")
	c.send(b)
}

var acceptedBody = []byte(`{"status":"OK"}`)

// writeAccepted answers 202 {"status":"OK"}.
func (c *apiConn) writeAccepted() {
	c.begin(http.StatusAccepted, time.Now())
	c.header("Content-Type", "application/json")
	c.send(acceptedBody)
}

// peerGone reports whether the client has closed or reset the connection,
// without waiting or consuming anything (a peek). Data waiting to be read
// means it is there.
func (c *apiConn) peerGone() bool {
	if c.rc == nil || c.br.Buffered() > 0 {
		return false
	}
	if c.peekFn == nil {
		c.peekFn = c.peek
	}
	c.gone = false
	_ = c.rc.Read(c.peekFn) // a peek: never blocks
	return c.gone
}

// peek sets c.gone when the peer has closed or reset the connection.
func (c *apiConn) peek(fd uintptr) bool {
	var b [1]byte
	n, errno := rawPeek(fd, &b)
	c.gone = (errno == 0 && n == 0) || (errno != 0 && errno != syscall.EAGAIN && errno != syscall.EINTR)
	return true
}
