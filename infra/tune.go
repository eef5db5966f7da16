package infra

import (
	"fmt"
	"strings"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/simulator/planner"
	"github.com/lambdacost/lambdacost/simulator/runner"
)

// Tunes are `lambdacost tune -o json` results (read by
// planner.ReadTuneResult), one per function: the handler's measured warm
// duration and INIT at each memory size. With one, a function's times on
// each side of a change are the tune's at that side's memory, so a memory
// change is priced with its effect on duration and INIT; without one both
// sides keep the usage source's times (listed as an assumption).
type Tunes struct {
	byKey map[string]tuneOf
}

type tuneOf struct {
	path string
	tr   *runner.TuneResult
}

// ReadTunes reads tune results written FILE (matched to the function the
// result names) or KEY=FILE (KEY: a function name, a Terraform address or
// a CloudFormation logical id). flag names the option in errors.
func ReadTunes(flag string, specs []string) (*Tunes, error) {
	t := &Tunes{byKey: map[string]tuneOf{}}
	var errs []error
	for _, spec := range specs {
		key, path := SplitKeyFile(spec)
		tr, err := planner.ReadTuneResult(path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if key == "" {
			key = tr.Function
		}
		if key == "" {
			errs = append(errs, pricing.Inputf(flag, "%s names no function: write %s NAME=%s (NAME: the function's name, address or logical id)", path, flag, path))
			continue
		}
		if prev, dup := t.byKey[key]; dup {
			errs = append(errs, pricing.Inputf(flag, "two tune results for %s: %s and %s", key, prev.path, path))
			continue
		}
		t.byKey[key] = tuneOf{path: path, tr: tr}
	}
	return t, pricing.Errors(errs)
}

// SplitKeyFile splits KEY=FILE; a spec without "=" (or with a path
// separator before it) is a FILE.
func SplitKeyFile(spec string) (string, string) {
	if k, v, ok := strings.Cut(spec, "="); ok && k != "" && !strings.ContainsAny(k, `/\`) {
		return k, v
	}
	return "", spec
}

// lookup returns the tune result of f (by address, then name).
func (t *Tunes) lookup(f *Function) (tuneOf, bool) {
	if t == nil {
		return tuneOf{}, false
	}
	if x, ok := t.byKey[f.Address]; ok {
		return x, true
	}
	if f.Config.Name != "" {
		if x, ok := t.byKey[f.Config.Name]; ok {
			return x, true
		}
	}
	return tuneOf{}, false
}

// tunedTimes are a function's times at one memory size from its tune result.
type tunedTimes struct {
	path     string
	point    runner.TunePoint
	hasInit  bool
	archNote string
}

// times returns f's times at its memory from its tune result. ok is false
// without a tune result; why (not empty) says why a tune result for f does
// not give them.
func (t *Tunes) times(f *Function) (tt tunedTimes, ok bool, why string) {
	x, found := t.lookup(f)
	if !found {
		return tt, false, ""
	}
	if f.IsUnknown(AttrMemory) {
		return tt, false, ""
	}
	for _, p := range x.tr.Results {
		if p.MemoryMB == f.Config.MemoryMB {
			// The durations the sweep's costs use (modelled ones without
			// cgroups), in the point's measured fields for what reads them.
			p.DurationMs, p.InitDurationMs = p.BasisDurations()
			tt = tunedTimes{path: x.path, point: p, hasInit: p.InitDurationMs.Mean > 0}
			if a := x.tr.Architecture; a != "" && !f.IsUnknown(AttrArchitecture) && a != f.Config.Architecture {
				tt.archNote = fmt.Sprintf("; the tune ran on %s, the function is %s", a, f.Config.Architecture)
			}
			return tt, true, ""
		}
	}
	var have []string
	for _, p := range x.tr.Results {
		have = append(have, fmt.Sprint(p.MemoryMB))
	}
	return tt, false, fmt.Sprintf("tune result %s has no %d MB entry (it has %s MB)", x.path, f.Config.MemoryMB, strings.Join(have, ", "))
}
