package collector

import (
	"bufio"
	"encoding/binary"
	"io"
	"unicode/utf16"
	"unicode/utf8"
)

// utf16Reader turns UTF-16 text (with its byte order mark: what Windows
// PowerShell 5's ">" redirection writes, e.g. `aws logs filter-log-events
// … > events.json`) into UTF-8, streaming.
type utf16Reader struct {
	r    *bufio.Reader
	big  bool   // big-endian (BOM FE FF)
	out  []byte // decoded; out[off:] not yet returned
	off  int
	err  error
	high uint16 // a high surrogate waiting for its low half
}

// newUTF16Reader returns a UTF-8 reader of r when r starts with a UTF-16
// byte order mark (which it consumes), else nil.
func newUTF16Reader(r *bufio.Reader) io.Reader {
	bom, _ := r.Peek(2)
	if len(bom) < 2 {
		return nil
	}
	var big bool
	switch {
	case bom[0] == 0xff && bom[1] == 0xfe:
	case bom[0] == 0xfe && bom[1] == 0xff:
		big = true
	default:
		return nil
	}
	_, _ = r.Discard(2)
	return &utf16Reader{r: r, big: big}
}

func (u *utf16Reader) Read(p []byte) (int, error) {
	for u.off == len(u.out) {
		if u.err != nil {
			return 0, u.err
		}
		u.out, u.off = u.out[:0], 0
		var pair [2]byte
		for i := 0; i < 4096; i++ {
			if _, err := io.ReadFull(u.r, pair[:]); err != nil {
				if err == io.ErrUnexpectedEOF {
					u.out = utf8.AppendRune(u.out, utf8.RuneError) // an odd last byte
					err = io.EOF
				}
				u.err = err
				break
			}
			var c uint16
			if u.big {
				c = binary.BigEndian.Uint16(pair[:])
			} else {
				c = binary.LittleEndian.Uint16(pair[:])
			}
			switch {
			case u.high != 0:
				u.out = utf8.AppendRune(u.out, utf16.DecodeRune(rune(u.high), rune(c)))
				u.high = 0
			case utf16.IsSurrogate(rune(c)) && c < 0xdc00:
				u.high = c
			default:
				u.out = utf8.AppendRune(u.out, rune(c))
			}
		}
	}
	n := copy(p, u.out[u.off:])
	u.off += n
	return n, nil
}
