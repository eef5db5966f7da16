package pricing

import (
	"encoding/json"
	"fmt"
	"io"
)

// CheckJSONEnd is called after dec decoded the one JSON value a file
// holds: anything but white space after it (a second document, the tail
// of another write) makes the file invalid, an *InputError naming path and
// the byte offset where the extra data starts.
func CheckJSONEnd(path string, dec *json.Decoder) error {
	off := dec.InputOffset()
	if atJSONEnd(dec) {
		return nil
	}
	return Inputf(fmt.Sprintf("%s:offset %d", path, off), "data after the JSON value (the file holds more than one JSON document, or the end of another write)")
}

// atJSONEnd reports whether only white space is left in dec's input.
func atJSONEnd(dec *json.Decoder) bool {
	_, err := dec.Token()
	return err == io.EOF
}
