package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"github.com/lambdacost/lambdacost/pricing"
)

// durationValue is a pflag.Value for pricing.Duration in Go syntax (120ms,
// 2s, 10m). A bare number other than 0 is refused: "--duration 120" could
// mean 120 ms or 120 s, and a cost tool never guesses a unit.
type durationValue struct{ d *pricing.Duration }

func (v durationValue) String() string {
	if v.d == nil || *v.d == 0 {
		return "0" // pflag shows no "(default …)" for a zero value
	}
	return v.d.String()
}
func (v durationValue) Set(s string) error {
	t := strings.TrimSpace(s)
	if f, err := strconv.ParseFloat(t, 64); err == nil && f != 0 {
		return fmt.Errorf("%q has no unit: add one, e.g. %sms or %ss", s, t, t)
	}
	d, err := pricing.ParseDuration(t)
	if err != nil {
		return err
	}
	*v.d = d
	return nil
}
func (v durationValue) Type() string { return "duration" }

// durationFlag adds a duration flag to fs.
func durationFlag(fs *pflag.FlagSet, p *pricing.Duration, name string, def pricing.Duration, usage string) {
	*p = def
	fs.Var(durationValue{p}, name, usage)
}

// countSuffixes are the multipliers users type after a count (10M, 250k).
var countSuffixes = []struct {
	suffix string
	mult   float64
}{{"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"m", 1e6}, {"B", 1e9}, {"b", 1e9}, {"G", 1e9}, {"T", 1e12}, {"t", 1e12}}

// ParseCount reads a whole, non-negative count with an optional decimal
// suffix (k = 10³, M = 10⁶, B or G = 10⁹, T = 10¹²) and thousands separators
// ("10M", "250k", "1.5B", "3,000,000", "3_000_000", "3e6").
func ParseCount(s string) (int64, error) {
	t := strings.TrimSpace(s)
	t = strings.NewReplacer(",", "", "_", "").Replace(t)
	mult := 1.0
	for _, c := range countSuffixes {
		if strings.HasSuffix(t, c.suffix) && len(t) > len(c.suffix) {
			t, mult = strings.TrimSuffix(t, c.suffix), c.mult
			break
		}
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil && mult == 1 {
		if n < 0 {
			return 0, fmt.Errorf("%q is negative", s)
		}
		return n, nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a count: type a whole number, optionally with k, M, B or T (e.g. 10M, 250k, 1.5B)", s)
	}
	v := f * mult
	switch {
	case v < 0:
		return 0, fmt.Errorf("%q is negative", s)
	case v >= math.MaxInt64:
		return 0, fmt.Errorf("%q is too large (at most 9.2e18)", s)
	case v != math.Trunc(v):
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return int64(v), nil
}

// countValue is a pflag.Value for an int64 count (see ParseCount).
type countValue struct{ n *int64 }

func (v countValue) String() string {
	if v.n == nil {
		return "0"
	}
	return strconv.FormatInt(*v.n, 10)
}
func (v countValue) Set(s string) error {
	n, err := ParseCount(s)
	if err != nil {
		return err
	}
	*v.n = n
	return nil
}
func (v countValue) Type() string { return "count" }

// countFlag adds a count flag (10M, 250k, 1.5B) to fs.
func countFlag(fs *pflag.FlagSet, p *int64, name string, def int64, usage string) {
	*p = def
	fs.Var(countValue{p}, name, usage)
}

// ParseMemoryMB reads a memory size in MB: a bare number of MB, or a number
// with a unit (MB, MiB, GB, GiB, case-insensitive; 1 GB = 1024 MB, as
// Lambda's console counts 10 GB = 10,240 MB). The result must be whole.
func ParseMemoryMB(s string) (int, error) {
	t := strings.TrimSpace(s)
	l := strings.ToLower(t)
	mult := 1.0
	for _, u := range []struct {
		suffix string
		mult   float64
	}{{"mib", 1}, {"mb", 1}, {"m", 1}, {"gib", 1024}, {"gb", 1024}, {"g", 1024}} {
		if strings.HasSuffix(l, u.suffix) {
			t, mult = strings.TrimSpace(t[:len(t)-len(u.suffix)]), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a memory size: type MB (1536) or a unit (1536MB, 1.5GB)", s)
	}
	v := f * mult
	if v != math.Trunc(v) || v < 0 || v > math.MaxInt32 {
		return 0, fmt.Errorf("%q is not a whole number of MB", s)
	}
	return int(v), nil
}

// memoryValue is a pflag.Value for a memory size in MB (see ParseMemoryMB).
type memoryValue struct{ mb *int }

func (v memoryValue) String() string {
	if v.mb == nil {
		return "0"
	}
	return strconv.Itoa(*v.mb)
}
func (v memoryValue) Set(s string) error {
	if strings.Contains(s, ",") {
		return fmt.Errorf("%q is a list: here it takes one memory size (tune --memory 512,1024 measures several)", s)
	}
	n, err := ParseMemoryMB(s)
	if err != nil {
		return err
	}
	*v.mb = n
	return nil
}
func (v memoryValue) Type() string { return "MB" }

// memoryFlag adds a memory-size flag (1536, 1536MB, 1.5GB) to fs.
func memoryFlag(fs *pflag.FlagSet, p *int, name string, def int, usage string) {
	*p = def
	fs.Var(memoryValue{p}, name, usage)
}

// memoryListValue is a pflag.Value for a comma-separated list of memory
// sizes (128,256,1.5GB); given again, the flag adds to the list. An empty
// item is refused, as namesValue refuses one; a size listed twice is left
// to the command, which says so with its other errors.
type memoryListValue struct {
	mbs     *[]int
	changed bool
}

func (v *memoryListValue) String() string {
	parts := make([]string, len(*v.mbs))
	for i, m := range *v.mbs {
		parts[i] = strconv.Itoa(m)
	}
	return "[" + strings.Join(parts, ",") + "]"
}
func (v *memoryListValue) Set(s string) error {
	if !v.changed {
		*v.mbs = nil
		v.changed = true
	}
	for _, p := range strings.Split(s, ",") {
		if strings.TrimSpace(p) == "" {
			return fmt.Errorf("%q has an empty memory size: separate memory sizes with single commas (a,b)", s)
		}
		n, err := ParseMemoryMB(p)
		if err != nil {
			return err
		}
		*v.mbs = append(*v.mbs, n)
	}
	return nil
}
func (v *memoryListValue) Type() string { return "MB,..." }

// memoryListFlag adds a comma-separated memory-size list flag to fs.
func memoryListFlag(fs *pflag.FlagSet, p *[]int, name string, def []int, usage string) {
	*p = def
	fs.Var(&memoryListValue{mbs: p}, name, usage)
}
