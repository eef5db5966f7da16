package termsafe

import (
	"bytes"
	"testing"
)

// What a terminal would act on becomes U+FFFD; lambdacost's own progress
// line (CR, text, ESC [ K) and ordinary text, tabs, newlines and non-ASCII
// letters pass unchanged.
func TestWriter(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"lambdacost: warning: api is incomplete\n", "lambdacost: warning: api is incomplete\n"},
		{"\rchecked 3/10: api\x1b[K", "\rchecked 3/10: api\x1b[K"},
		{"café €5\tok\n", "café €5\tok\n"},
		{"evil\x1b[2J\x1b]0;pwned\x07!\n", "evil\uFFFD[2J\uFFFD]0;pwned\uFFFD!\n"},
		{"osc52 \x1b]52;c;cm0gLXJmIH4=\x07", "osc52 \uFFFD]52;c;cm0gLXJmIH4=\uFFFD"},
		{"c1 \u009b31m", "c1 \uFFFD31m"},
		{"raw \x9b31m", "raw \uFFFD31m"},
		{"nul\x00del\x7f", "nul\uFFFDdel\uFFFD"},
		{"esc at end\x1b", "esc at end\uFFFD"},
	} {
		var b bytes.Buffer
		n, err := Writer(&b).Write([]byte(c.in))
		if err != nil || n != len(c.in) || b.String() != c.want {
			t.Errorf("%q: wrote %q (n %d, %v), want %q", c.in, b.String(), n, err, c.want)
		}
	}
	if got := String("a\rb\x1b[Kc\td\n"); got != "a\uFFFDb\uFFFD[Kc\td\n" {
		t.Errorf("String: %q", got)
	}
}
