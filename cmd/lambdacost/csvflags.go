package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

// CSV is one table per output (reports.CSVOptions): --table NAME chooses
// the table a command with several writes to stdout, and --out-dir DIR
// writes every table as DIR/NAME.csv, each file announced.
func csvFlags(root *cobra.Command, f *Factory) {
	pf := root.PersistentFlags()
	pf.StringVar(&f.CSVTable, "table", "", "with -o csv: the table to write when the output has several (its name; a wrong one lists them)")
	pf.StringVar(&f.CSVDir, "out-dir", "", "with -o csv: write every table as DIR/NAME.csv")
	_ = root.MarkPersistentFlagDirname("out-dir")
}

// checkCSVFlags refuses --table and --out-dir with another format.
func (f *Factory) checkCSVFlags(fm reports.Format) error {
	if fm == reports.CSV {
		return nil
	}
	for flag, v := range map[string]string{"--table": f.CSVTable, "--out-dir": f.CSVDir} {
		if v != "" {
			return pricing.Inputf(flag, "applies only with -o csv (CSV has one table per output; table, markdown and json show every table)")
		}
	}
	return nil
}

// csvOptions are the CSV options of the commands' output.
func (f *Factory) csvOptions() reports.CSVOptions {
	return reports.CSVOptions{
		Table: f.CSVTable,
		Dir:   f.CSVDir,
		Wrote: func(path string) { announce(f, path) },
		Note:  func(msg string) { fmt.Fprintf(f.IO.ErrOut, "lambdacost: note: %s\n", msg) },
	}
}
