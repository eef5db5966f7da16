package main

import (
	"github.com/spf13/pflag"

	"github.com/lambdacost/lambdacost/pricing"
)

// durationValue is a pflag.Value for pricing.Duration (Go syntax, or a bare
// number of milliseconds).
type durationValue struct{ d *pricing.Duration }

func (v durationValue) String() string {
	if v.d == nil || *v.d == 0 {
		return "0s"
	}
	return v.d.String()
}
func (v durationValue) Set(s string) error {
	d, err := pricing.ParseDuration(s)
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
