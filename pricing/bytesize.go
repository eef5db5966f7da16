package pricing

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ByteSize is a number of bytes. It reads a plain integer (bytes) or a number
// with a binary unit, as AWS bills streaming and logs (1 GB = 1024 MB):
// "2048", "2KB", "100 KiB", "7MB", "1.5GB". KB/MB/GB mean KiB/MiB/GiB.
type ByteSize int64

// Bytes per unit (binary, as AWS's streaming example: 1 GB = 1024 MB).
const (
	KiB = 1024
	MiB = 1024 * KiB
	GiB = 1024 * MiB
)

// FreeStreamedBytesPerResponse is the part of each streamed response that
// is not billed: "the first 6 MB per request".
const FreeStreamedBytesPerResponse = 6 * MiB

var byteUnits = []struct {
	suffix string
	mult   float64
}{{"kib", KiB}, {"mib", MiB}, {"gib", GiB}, {"kb", KiB}, {"mb", MiB}, {"gb", GiB}, {"k", KiB}, {"m", MiB}, {"g", GiB}, {"b", 1}}

// ParseByteSize reads "2048", "2KB", "7 MiB", "1.5GB" (binary units).
func ParseByteSize(s string) (ByteSize, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return 0, fmt.Errorf("empty size")
	}
	mult := 1.0
	for _, u := range byteUnits {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil && mult == 1 {
		if n < 0 {
			return 0, fmt.Errorf("size %q is negative", s)
		}
		return ByteSize(n), nil
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("invalid size %q (use bytes or a unit such as 2KB, 7MB; 1 KB = 1024 bytes)", s)
	}
	if v < 0 {
		return 0, fmt.Errorf("size %q is negative", s)
	}
	b := math.Round(v * mult)
	if b >= math.MaxInt64 {
		return 0, fmt.Errorf("size %q is too large", s)
	}
	return ByteSize(b), nil
}

// String formats the size in bytes.
func (b ByteSize) String() string { return strconv.FormatInt(int64(b), 10) }

// Set implements pflag.Value.
func (b *ByteSize) Set(s string) error {
	v, err := ParseByteSize(s)
	if err != nil {
		return err
	}
	*b = v
	return nil
}

// Type implements pflag.Value.
func (b *ByteSize) Type() string { return "bytes" }

// UnmarshalYAML reads a number of bytes or a size with a unit.
func (b *ByteSize) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: expected a size such as 2048 or 7MB", n.Line)
	}
	v, err := ParseByteSize(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %v", n.Line, err)
	}
	*b = v
	return nil
}

// UnmarshalJSON reads a number of bytes or a size string with a unit.
func (b *ByteSize) UnmarshalJSON(p []byte) error {
	var s string
	if err := json.Unmarshal(p, &s); err == nil {
		v, err := ParseByteSize(s)
		if err != nil {
			return err
		}
		*b = v
		return nil
	}
	var n int64
	if err := json.Unmarshal(p, &n); err != nil || n < 0 {
		return fmt.Errorf("expected a number of bytes or a size such as \"7MB\"")
	}
	*b = ByteSize(n)
	return nil
}
