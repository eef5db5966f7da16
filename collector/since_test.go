package collector

import (
	"strings"
	"testing"
	"time"
)

func TestParseSince(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"14d", 14 * 24 * time.Hour, false},
		{" 1d12h ", 36 * time.Hour, false},
		{"36h", 36 * time.Hour, false},
		{"90m", 90 * time.Minute, false},
		{"0d", 0, false},
		{"xd", 0, true},
		{"-1d", 0, true},
		{"1d12", 0, true},
		{"two weeks", 0, true},
		{"", 0, true},
	} {
		got, err := ParseSince(c.in)
		if (err != nil) != c.err || got != c.want {
			t.Errorf("ParseSince(%q) = %v, %v; want %v, error %v", c.in, got, err, c.want, c.err)
		}
		if err != nil && !strings.Contains(err.Error(), "use 14d, 36h or 90m") {
			t.Errorf("ParseSince(%q): message %q does not say what to write", c.in, err)
		}
	}
}
