package main

import (
	"regexp"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// pflag takes the first `back-quoted` word of a flag's usage as the name
// of its value in --help ("--run FILE"). Back quotes used for emphasis
// turn into nonsense there ("--log-bytes logs"), so every value name must
// be a type pflag derives or an upper-case placeholder such as FILE.
func TestFlagValueNames(t *testing.T) {
	ok := regexp.MustCompile(`^([A-Z][A-Z0-9_,|]*|string|strings|stringArray|int|ints|int64|uint|float|float64|duration|count|MB|MB,\.\.\.|bytes|)$`)
	root := NewRootCmd(&Factory{IO: &IO{Getenv: func(string) string { return "" }}})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if name, _ := pflag.UnquoteUsage(f); !ok.MatchString(name) {
				t.Errorf("%s --%s shows its value as %q in --help; write the placeholder in upper case or drop the back quotes", c.CommandPath(), f.Name, name)
			}
		})
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
}
