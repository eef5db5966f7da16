package runner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestLogAttribution: a handler prints N lines naming its request id
// (stdout and stderr, the last without a newline); every line must carry
// that id and sit between the invocation's START and END, at c=1 and c=4.
func TestLogAttribution(t *testing.T) {
	const count, n = 40, 25
	for _, c := range []int{1, 4} {
		t.Run(fmt.Sprintf("c=%d", c), func(t *testing.T) {
			cfg := base(128, 5*time.Second)
			cfg.Concurrency = c
			cfg.Isolation = IsolationNone
			res, logs := mustRun(t, cfg, ev(fmt.Sprintf(`{"action":"lines","n":%d}`, n)), count)
			if res.Summary.Successes != count {
				t.Fatalf("%d of %d succeeded", res.Summary.Successes, count)
			}
			open := map[string]bool{}
			ended := map[string]bool{}
			seen := map[string][]int{}
			fn := regexp.MustCompile(`^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\t([0-9a-f-]{36})\tline (\d+) of ([0-9a-f-]{36})( \(no newline\))?$`)
			for i, line := range strings.Split(strings.TrimSuffix(logs, "\n"), "\n") {
				switch {
				case strings.HasPrefix(line, "START RequestId: "):
					open[strings.Fields(line)[2]] = true
				case strings.HasPrefix(line, "END RequestId: "):
					id := strings.Fields(line)[2]
					delete(open, id)
					ended[id] = true
				case strings.HasPrefix(line, "REPORT "):
				default:
					m := fn.FindStringSubmatch(line)
					if m == nil {
						t.Fatalf("log line %d is not a function line of the expected shape: %q", i+1, line)
					}
					if m[2] != m[4] {
						t.Fatalf("log line %d: printed by %s, attributed to %s", i+1, m[4], m[2])
					}
					if !open[m[2]] {
						t.Fatalf("log line %d of %s is outside its START..END (ended: %v)", i+1, m[2], ended[m[2]])
					}
					var k int
					fmt.Sscan(m[3], &k)
					seen[m[2]] = append(seen[m[2]], k)
				}
			}
			if len(seen) != count {
				t.Fatalf("lines of %d invocations, want %d", len(seen), count)
			}
			for id, ks := range seen {
				if len(ks) != n {
					t.Fatalf("%s: %d lines, want %d", id, len(ks), n)
				}
				// stdout and stderr share one pipe: each stream's lines are
				// in order, and together they are all of 0..n-1.
				got := map[int]bool{}
				for _, k := range ks {
					got[k] = true
				}
				for k := 0; k < n; k++ {
					if !got[k] {
						t.Fatalf("%s: line %d missing", id, k)
					}
				}
			}
		})
	}
}

// TestLogAttributionJSON: with --log-format json, lines that are JSON
// objects are kept as those objects (not double-encoded), other lines are
// "function" records; each lies between its platform.start and
// platform.report.
func TestLogAttributionJSON(t *testing.T) {
	const count, n = 12, 9
	cfg := base(128, 5*time.Second)
	cfg.Concurrency = 3
	cfg.Isolation = IsolationNone
	cfg.LogFormat = LogJSON
	_, logs := mustRun(t, cfg, ev(fmt.Sprintf(`{"action":"lines","n":%d,"message":"json"}`, n)), count)
	open := map[string]bool{}
	raw, wrapped := 0, 0
	for i, line := range strings.Split(strings.TrimSuffix(logs, "\n"), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %d is not JSON: %q", i+1, line)
		}
		var id string
		switch m["type"] {
		case "platform.start":
			open[m["record"].(map[string]any)["requestId"].(string)] = true
			continue
		case "platform.report":
			delete(open, m["record"].(map[string]any)["requestId"].(string))
			continue
		case "function":
			s, ok := m["record"].(string)
			if !ok || strings.HasPrefix(s, "{") {
				t.Fatalf("log line %d: a JSON line was double-encoded: %q", i+1, line)
			}
			wrapped++
			id = regexp.MustCompile(`[0-9a-f-]{36}`).FindString(s)
		case nil:
			if m["level"] != "INFO" {
				t.Fatalf("log line %d: %q", i+1, line)
			}
			raw++
			id = m["requestId"].(string)
		default:
			continue
		}
		if !open[id] {
			t.Fatalf("log line %d of %s is outside its platform.start..platform.report", i+1, id)
		}
	}
	// Lines 0, 3, 6 are JSON objects (not the last, 8): 3 per invocation.
	if raw != 3*count || wrapped != (n-3)*count {
		t.Fatalf("%d raw JSON lines, %d function records; want %d and %d", raw, wrapped, 3*count, (n-3)*count)
	}
}

// TestFunctionLinePrefix: a runtime's own prefix is not doubled.
func TestFunctionLinePrefix(t *testing.T) {
	const id = "8f507cfc-8b1a-4a07-9d6d-cc3bfa2c6e6a"
	cases := []struct{ in, want string }{
		// Node.js RIC (console.log), real shape.
		{"2024-05-20T16:29:45.010Z\t" + id + "\tINFO\thello", "2024-05-20T16:29:45.010Z\t" + id + "\tINFO\thello"},
		// Python runtime's logging handler.
		{"[INFO]\t2024-05-20T16:29:45.010Z\t" + id + "\thello", "[INFO]\t2024-05-20T16:29:45.010Z\t" + id + "\thello"},
		// Plain lines get the prefix.
		{"hello", "TS\t" + id + "\thello"},
		{"[x]\tnot a time", "TS\t" + id + "\t[x]\tnot a time"},
		{"2024-05-20 16:29:45\tspace-separated time", "TS\t" + id + "\t2024-05-20 16:29:45\tspace-separated time"},
	}
	for _, c := range cases {
		var b bytes.Buffer
		s := newLogSink(&b, LogText)
		s.functionLine(id, []byte(c.in))
		s.close()
		got := strings.TrimSuffix(b.String(), "\n")
		if strings.HasPrefix(c.want, "TS\t") {
			if len(got) < 25 || !strings.HasSuffix(got, c.want[2:]) || !hasLambdaPrefix([]byte(got)) {
				t.Errorf("%q → %q, want a time prefix then %q", c.in, got, c.want[3:])
			}
			continue
		}
		if got != c.want {
			t.Errorf("%q → %q, want it unchanged", c.in, got)
		}
	}
}
