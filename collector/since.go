package collector

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ParseSince reads the length of a collection window: whole days then an
// optional Go duration ("14d", "1d12h"), or a Go duration alone ("36h",
// "90m").
func ParseSince(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var days time.Duration
	if i := strings.IndexByte(s, 'd'); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n < 0 {
			return 0, fmt.Errorf("invalid duration %q (use 14d, 36h or 90m)", s)
		}
		days = time.Duration(n) * 24 * time.Hour
		s = s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q (use 14d, 36h or 90m)", s)
	}
	return days + d, nil
}
