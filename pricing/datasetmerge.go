package pricing

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// NamedDataset is a dataset and the name it is reported by (its file).
type NamedDataset struct {
	Name string
	*Dataset
}

// MergeDatasets merges datasets of the same window (collections of
// several regions or accounts, made separately) into one. A function is
// identified by its account, region and name (a function without a region
// takes its dataset's). The same function in two datasets is a conflict:
// the first is kept, and each conflict is listed — in the returned list and
// in the merged dataset's problems — with the fields in which they differ.
// Datasets of different windows cannot be merged (their monthly
// projections scale by their own window): an *InputError names them.
// Problems and assumptions are kept, prefixed with their dataset's name.
func MergeDatasets(in []NamedDataset) (*Dataset, []string, error) {
	if len(in) == 0 {
		return nil, nil, Inputf("dataset merge", "give at least one dataset")
	}
	first := in[0]
	out := &Dataset{Version: DatasetVersion, Source: first.Source, Region: first.Region, Start: first.Start, End: first.End}
	type key struct{ account, region, name string }
	from := map[key]string{}
	at := map[key]int{}
	var conflicts []string
	regions := map[string]bool{}
	var errs []error
	for _, d := range in {
		if !d.Start.Equal(first.Start) || !d.End.Equal(first.End) {
			errs = append(errs, Inputf(d.Name, "window %s – %s differs from %s's %s – %s: collect them over the same window (--since) to merge",
				d.Start.Format("2006-01-02T15:04Z"), d.End.Format("2006-01-02T15:04Z"), first.Name, first.Start.Format("2006-01-02T15:04Z"), first.End.Format("2006-01-02T15:04Z")))
			continue
		}
		if d.Source != out.Source {
			out.Source = "merged"
		}
		for _, f := range d.Functions {
			if f.Region == "" {
				f.Region = d.Region
			}
			regions[f.Region] = true
			k := key{f.Account, f.Region, f.Name}
			if prev, dup := from[k]; dup {
				diff := differingFields(out.Functions[at[k]], f)
				what := "identical"
				if len(diff) > 0 {
					what = "differs in " + strings.Join(diff, ", ")
				}
				conflicts = append(conflicts, fmt.Sprintf("function %s (%s): in %s and %s (%s); kept %s's", f.Name, where(f.Account, f.Region), prev, d.Name, what, prev))
				continue
			}
			from[k] = d.Name
			at[k] = len(out.Functions)
			out.Functions = append(out.Functions, f)
		}
		for _, p := range d.Problems {
			out.Problems = append(out.Problems, d.Name+": "+p)
		}
		for _, a := range d.Assumptions {
			if len(in) > 1 {
				// Each file's own: the same field and value in two files
				// (fn's memory assumed 128 MB in eu-west-1 and in
				// us-west-2) are two assumptions, not one.
				a.Why = d.Name + ": " + a.Why
				if !slices.Contains(out.Assumptions, a) {
					out.Assumptions = append(out.Assumptions, a)
				}
				continue
			}
			out.Assumptions.Add(a)
		}
		out.AccountConcurrency = append(out.AccountConcurrency, d.AccountConcurrency...)
	}
	if err := Errors(errs); err != nil {
		return nil, conflicts, err
	}
	if len(regions) > 1 {
		var rs []string
		for r := range regions {
			rs = append(rs, r)
		}
		sort.Strings(rs)
		out.Region = ""
		out.Assumptions.Add(Assumption{Field: "region", Value: strings.Join(rs, ", "),
			Why: "a merged dataset of several regions: each function records its own region"})
	}
	sort.SliceStable(out.Functions, func(i, j int) bool {
		a, b := out.Functions[i], out.Functions[j]
		if a.Account != b.Account {
			return a.Account < b.Account
		}
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		return a.Name < b.Name
	})
	out.Problems = append(out.Problems, conflicts...)
	return out, conflicts, nil
}

func where(account, region string) string {
	if account == "" {
		return region
	}
	return account + "/" + region
}

// differingFields lists the top-level JSON fields in which two functions
// differ (configuration, summary, series, missing).
func differingFields(a, b DatasetFunction) []string {
	var out []string
	if !reflect.DeepEqual(a.FunctionConfig, b.FunctionConfig) {
		out = append(out, "configuration")
	}
	if !reflect.DeepEqual(a.Summary, b.Summary) {
		out = append(out, "summary")
	}
	if !reflect.DeepEqual(a.Series, b.Series) {
		out = append(out, "series")
	}
	if !reflect.DeepEqual(a.Missing, b.Missing) {
		out = append(out, "missing")
	}
	return out
}
