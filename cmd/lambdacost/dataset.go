package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdDataset(f) }) }

// NewCmdDataset builds `dataset` and its subcommands.
func NewCmdDataset(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dataset",
		Short: "Work with dataset files (merge)",
		Args:  cobra.NoArgs,
	}
	var out string
	merge := &cobra.Command{
		Use:   "merge FILE FILE... [--out-file FILE]",
		Short: "Merge datasets of several regions or accounts, collected over the same window, into one",
		Long: `Merges datasets collected separately (one per region, account or profile) over the same
window into one dataset. A function is identified by its account, region and name; one found in
two files is a conflict: the first file's is kept and each conflict is listed on stderr and in
the merged dataset's "problems". Datasets of different windows are refused (exit 2).`,
		Example: `  lambdacost dataset merge examples/prod.json examples/prod-eu.json --out-file org.json`,
		Args:    cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := f.Format()
			if err != nil {
				return err
			}
			if out != "" {
				if err := outfile.Check("--out-file", out); err != nil {
					return err
				}
			}
			var in []pricing.NamedDataset
			var errs []error
			for _, p := range args {
				d, err := pricing.ReadDataset(p)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				in = append(in, pricing.NamedDataset{Name: p, Dataset: d})
			}
			if err := pricing.Errors(errs); err != nil {
				return err
			}
			d, conflicts, err := pricing.MergeDatasets(in)
			if err != nil {
				return err
			}
			for _, c := range conflicts {
				fmt.Fprintf(f.IO.ErrOut, "lambdacost: conflict: %s\n", c)
			}
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: merged %d datasets: %d functions, %d conflicts\n", len(in), len(d.Functions), len(conflicts))
			return writeDataset(f, format, out, d)
		},
	}
	outFileFlag(f, merge, &out, "write the merged dataset (JSON, without the -o json envelope) to `FILE`")
	cmd.AddCommand(merge)
	return cmd
}
