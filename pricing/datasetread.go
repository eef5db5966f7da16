package pricing

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DatasetFiles expands the dataset arguments of a command: each is a file,
// or, when no file has that name and it holds a glob metacharacter
// (* ? [), a pattern (filepath.Match syntax) whose matches are taken in
// lexical order. A file named twice is read once. A pattern that matches
// nothing, or is malformed, is an *InputError naming it.
func DatasetFiles(args []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	var errs []error
	add := func(p string) {
		k := filepath.Clean(p)
		if !seen[k] {
			seen[k] = true
			out = append(out, p)
		}
	}
	for _, a := range args {
		if !strings.ContainsAny(a, "*?[") {
			add(a)
			continue
		}
		if _, err := os.Stat(a); err == nil || !errors.Is(err, fs.ErrNotExist) {
			add(a) // a file whose name holds a metacharacter
			continue
		}
		m, err := filepath.Glob(a)
		switch {
		case err != nil:
			errs = append(errs, Inputf(a, "invalid pattern: %v", err))
		case len(m) == 0:
			errs = append(errs, Inputf(a, "matches no file"))
		}
		for _, p := range m {
			add(p)
		}
	}
	if err := Errors(errs); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, Inputf("dataset", "give at least one dataset file")
	}
	return out, nil
}

// ReadDatasets reads the datasets named by args (files or patterns, see
// DatasetFiles). One file is returned as read; several are merged by the
// rules of `dataset merge` (MergeDatasets): functions keyed by account,
// region and name, the same function in two files a conflict (the first
// file's kept, the conflict returned and listed in the dataset's
// problems), different windows refused. Every file's errors are returned
// together.
func ReadDatasets(args []string) (d *Dataset, files []string, conflicts []string, err error) {
	files, err = DatasetFiles(args)
	if err != nil {
		return nil, nil, nil, err
	}
	if len(files) == 1 {
		d, err = ReadDataset(files[0])
		return d, files, nil, err
	}
	var in []NamedDataset
	var errs []error
	for _, p := range files {
		d, err := ReadDataset(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		in = append(in, NamedDataset{Name: p, Dataset: d})
	}
	if err := Errors(errs); err != nil {
		return nil, files, nil, err
	}
	d, conflicts, err = MergeDatasets(in)
	return d, files, conflicts, err
}
