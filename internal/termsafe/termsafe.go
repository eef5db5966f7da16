// Package termsafe keeps text from data (function names, log lines, file
// names) from driving the terminal it is printed to: an escape sequence in
// a dataset's function name can retitle the window, clear the screen,
// move the cursor or (OSC 52) write the clipboard.
package termsafe

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
)

// replacement stands for each character removed.
const replacement = '\uFFFD'

// control reports whether r drives a terminal: the C0 controls but tab,
// newline and carriage return (kept when keepCR), DEL and the C1 controls.
func control(r rune, keepCR bool) bool {
	switch r {
	case '\t', '\n':
		return false
	case '\r':
		return !keepCR
	}
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// String returns s with every control character but tab and newline
// replaced by U+FFFD (a table cell, a CSV field).
func String(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return control(r, false) }) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if control(r, false) {
			return replacement
		}
		return r
	}, s)
}

// eraseLine is the one escape sequence lambdacost's own progress lines
// write (ESC [ K, erase to the end of the line), with carriage returns.
var eraseLine = []byte("\x1b[K")

type writer struct{ w io.Writer }

// Writer returns a writer that passes text to w with every control
// character but tab, newline and carriage return, every invalid UTF-8 byte
// (an 8-bit CSI) and every ESC not starting ESC [ K replaced by U+FFFD.
// Each Write is filtered on its own: a sequence split across two writes
// is removed, never let through.
func Writer(w io.Writer) io.Writer { return writer{w} }

func (t writer) Write(p []byte) (int, error) {
	if clean(p) {
		return t.w.Write(p)
	}
	out := make([]byte, 0, len(p)+8)
	for i := 0; i < len(p); {
		if p[i] == 0x1b && bytes.HasPrefix(p[i:], eraseLine) {
			out = append(out, eraseLine...)
			i += len(eraseLine)
			continue
		}
		r, n := utf8.DecodeRune(p[i:])
		if control(r, true) || (r == utf8.RuneError && n == 1) {
			out = utf8.AppendRune(out, replacement)
		} else {
			out = append(out, p[i:i+n]...)
		}
		i += n
	}
	if _, err := t.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// clean reports whether p has nothing to replace (the common case).
func clean(p []byte) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' || c == '\r' {
			continue
		}
		if c == 0x1b && bytes.HasPrefix(p[i:], eraseLine) {
			i += len(eraseLine) - 1
			continue
		}
		if c < 0x80 {
			return false
		}
		r, n := utf8.DecodeRune(p[i:])
		if (r == utf8.RuneError && n == 1) || control(r, true) {
			return false
		}
		i += n - 1
	}
	return true
}
