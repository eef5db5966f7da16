package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// One flag per meaning across commands: every command that writes a file
// of its result names it --out-file (with --out kept as a deprecated
// alias), and every flag that takes several names (--function,
// --instance-type) or sizes (--memory) takes them comma-separated or
// repeated, with the same parsing and the same messages.

// outFileFlag adds --out-file FILE (and the deprecated --out, hidden,
// which says so on stderr) to cmd, both setting p; the two naming
// different files is refused. usage says what is written ("write the
// dataset to FILE").
func outFileFlag(f *Factory, cmd *cobra.Command, p *string, usage string) {
	fs := cmd.Flags()
	fs.Var(outFileValue{f, p, fs, "out-file", "out"}, "out-file", usage+" (atomically; announced on stderr)")
	fs.Var(outFileValue{f, p, fs, "out", "out-file"}, "out", "deprecated: use --out-file")
	_ = fs.MarkHidden("out")
	_ = cmd.MarkFlagFilename("out-file")
}

// outFileValue is --out-file, or its old name --out (which warns).
type outFileValue struct {
	f           *Factory
	p           *string
	fs          *pflag.FlagSet
	name, other string
}

func (v outFileValue) String() string { return *v.p }
func (v outFileValue) Type() string   { return "FILE" }
func (v outFileValue) Set(s string) error {
	if v.fs.Changed(v.other) && *v.p != s {
		return fmt.Errorf("--%s %s is given too: --out is the old name of --out-file", v.other, *v.p)
	}
	*v.p = s
	if v.name == "out" {
		fmt.Fprintln(v.f.IO.ErrOut, "lambdacost: warning: --out is deprecated: use --out-file (the same file)")
	}
	return nil
}

// namesValue is a pflag.Value for a list of names: comma-separated,
// repeatable (each use adds), spaces around a name trimmed. An empty name
// or a name listed twice is refused, saying which.
type namesValue struct {
	names   *[]string
	what    string // "function name", "instance type"
	changed bool
}

func (v *namesValue) String() string { return strings.Join(*v.names, ",") }
func (v *namesValue) Type() string   { return "NAMES" }
func (v *namesValue) Set(s string) error {
	if !v.changed {
		*v.names = nil
		v.changed = true
	}
	for _, p := range strings.Split(s, ",") {
		n := strings.TrimSpace(p)
		if n == "" {
			return fmt.Errorf("%q has an empty %s: separate %ss with single commas (a,b)", s, v.what, v.what)
		}
		for _, have := range *v.names {
			if have == n {
				return fmt.Errorf("%s %q is listed twice", v.what, n)
			}
		}
		*v.names = append(*v.names, n)
	}
	return nil
}

// namesFlag adds a comma-separated, repeatable list-of-names flag to fs.
func namesFlag(fs *pflag.FlagSet, p *[]string, name, what, usage string) {
	fs.Var(&namesValue{names: p, what: what}, name, usage+" (comma-separated or repeated)")
}

// joinedNames is namesValue for code that keeps the list as one
// comma-separated string.
type joinedNames struct {
	namesValue
	joined *string
}

func (v *joinedNames) Set(s string) error {
	if err := v.namesValue.Set(s); err != nil {
		return err
	}
	*v.joined = strings.Join(*v.names, ",")
	return nil
}

// joinedNamesFlag is namesFlag into a comma-joined string.
func joinedNamesFlag(fs *pflag.FlagSet, p *string, name, what, usage string) {
	fs.Var(&joinedNames{namesValue: namesValue{names: new([]string), what: what}, joined: p}, name, usage+" (comma-separated or repeated)")
}

// oneName is a pflag.Value for a flag that takes exactly one name where
// other commands take a list (import's --function names the function of
// every record): a comma-separated list is refused, saying why.
type oneName struct {
	name *string
	why  string
}

func (v oneName) String() string { return *v.name }
func (v oneName) Type() string   { return "NAME" }
func (v oneName) Set(s string) error {
	s = strings.TrimSpace(s)
	if strings.Contains(s, ",") {
		return fmt.Errorf("%q is a list: here it takes one name (%s)", s, v.why)
	}
	if s == "" {
		return fmt.Errorf("empty name")
	}
	*v.name = s
	return nil
}
