package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/collector"
	"github.com/lambdacost/lambdacost/internal/outfile"
	"github.com/lambdacost/lambdacost/pricing"
	"github.com/lambdacost/lambdacost/reports"
)

func init() { register(func(f *Factory) *cobra.Command { return NewCmdImport(f, nil) }) }

// ImportOptions are the parsed flags of `lambdacost import`.
type ImportOptions struct {
	F *Factory

	Files    []string
	Function string
	Arch     string
	Memory   int
	Timeout  pricing.Duration
	Out      string

	changed func(string) bool
}

// NewCmdImport builds `import`. runF replaces the run function in tests.
func NewCmdImport(f *Factory, runF func(*ImportOptions) error) *cobra.Command {
	o := &ImportOptions{F: f}
	cmd := &cobra.Command{
		Use:   "import FILE...",
		Short: "Read exported Lambda logs or get-metric-data JSON into a dataset",
		Long: `Reads Lambda logs and metrics as AWS and its tools write them, through one parser:
exported log files (text REPORT / INIT_REPORT / RESTORE_REPORT / timeout / crash lines and JSON
platform.* records, pretty-printed or not, mixed, plain or gzip, UTF-8 or UTF-16), 'aws logs tail',
'sam logs' and 'serverless logs' (coloured or not), the JSON and text output of
'aws logs filter-log-events' / 'get-log-events', CloudWatch Logs subscription and Firehose
payloads, Logs Insights results (JSON, CSV or Markdown, with @message or the REPORT fields), Live
Tail session updates, 'aws lambda invoke --log-type Tail' output (its LogResult) and
'aws cloudwatch get-metric-data' JSON; and writes a dataset for report,
simulate, compare and check. Known formats it does not read (Lambda Insights EMF events, Lambda
Web Functions events, Logs Insights stats results, sampled Live Tail updates, the Runtime
Interface Emulator's REPORT lines from sam local, the Datadog extension's Managed Instances REPORT
lines, other JSON documents, --output table/yaml) are refused by name, and so is text other than
times, streams and log groups before a record (an application's line quoting one). No record at
all exits 2.

Files are streamed: a large log is never loaded whole. Billed duration is the exact sum of the
REPORT lines' Billed Duration, per memory size; cold starts are the lines with an Init Duration
or a SnapStart Restore Duration. Malformed lines are counted and listed with file:line on stderr
and in the dataset's "problems"; they never stop the import.

A log line names its function by a /aws/lambda/NAME log-group prefix (or the carrier's log
group; /aws/lambda/us-east-1.NAME is Lambda@Edge's, priced at Edge rates); otherwise the file name
(without .log/.json/.gz) does, or --function for all lines. "-"
reads standard input. get-metric-data results need the statistic in the label
"${PROP('Dim.FunctionName')} ${PROP('MetricName')} ${PROP('Stat')}" or in the query Id
(duration_p99). Memory (metrics, Managed Instances), architecture and timeout come from --memory,
--arch and --timeout; what stays unknown is recorded in the dataset and printed, never assumed
silently.`,
		Example: `  lambdacost import examples/checkout-api.log.gz --function checkout --arch x86_64 --out-file checkout.json
  aws logs tail /aws/lambda/checkout-api --since 1d | lambdacost import - --function checkout-api --arch arm64
  lambdacost import examples/*.gz --function checkout --memory 1024 -o json
  lambdacost import examples/metrics.json --memory 1024 --arch arm64`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Files = args
			o.changed = cmd.Flags().Changed
			if runF != nil {
				return runF(o)
			}
			return importRun(o)
		},
	}
	fs := cmd.Flags()
	fs.Var(oneName{&o.Function, "the function of every record; import one function's files at a time"}, "function", "function name for every log line (default: log group or file name)")
	fs.StringVar(&o.Arch, "arch", "", "architecture of the functions (logs and metrics do not say): x86_64|arm64; unset = recorded as unknown")
	memoryFlag(fs, &o.Memory, "memory", 0, "memory size (MB) of functions whose records do not carry it (get-metric-data, Managed Instances); unset = recorded as unknown")
	durationFlag(fs, &o.Timeout, "timeout", 0, "timeout of the functions (e.g. 30s); unset = from \"Task timed out\" lines, else recorded as unknown")
	outFileFlag(f, cmd, &o.Out, "write the dataset (JSON, without the -o json envelope) to `FILE`")
	return cmd
}

func importRun(o *ImportOptions) error {
	f := o.F
	format, err := f.Format()
	if err != nil {
		return err
	}
	var arch pricing.Architecture
	if o.Arch != "" {
		if arch, err = pricing.ParseArchitecture(o.Arch); err != nil {
			return pricing.Inputf("--arch", "%v", err)
		}
	}
	// An --out-file path we cannot write is found before reading the files.
	if err := outfile.CheckAll(map[string]string{"--out-file": o.Out}); err != nil {
		return err
	}
	if o.Memory != 0 {
		fc := pricing.FunctionConfig{MemoryMB: o.Memory}.WithDefaults()
		if errs := fc.Validate(""); len(errs) > 0 {
			return pricing.Inputf("--memory", "%v", errs[0])
		}
	}
	if o.Timeout < 0 {
		return pricing.Inputf("--timeout", "must be positive")
	}
	opts := collector.ImportOptions{Function: o.Function, Region: f.Region, Architecture: arch, MemoryMB: o.Memory, Timeout: time.Duration(o.Timeout), Stdin: f.IO.In}
	var bar *progressBar
	if f.IO.ErrTTY {
		bar = newProgressBar(f.IO.ErrOut, 500*time.Millisecond)
		opts.Progress = func(p collector.Progress) { bar.update(p.Done, p.Total) }
	}
	d, st, err := collector.ImportFiles(o.Files, opts)
	bar.finish() // cleared before anything else is printed
	if err != nil {
		return err
	}
	// Logs and get-metric-data do not say which Region they come from;
	// the dataset is priced in the one resolved here, and says so.
	var ras pricing.Assumptions
	regionAssumption(f, o.changed, &ras)
	for _, a := range ras {
		a.Field = "region"
		a.Why = "logs and get-metric-data do not say which Region they come from: " + a.Why
		d.Assumptions = append(pricing.Assumptions{a}, d.Assumptions...)
	}
	writeProblems(f, d.Problems)
	if st.Malformed > 0 {
		if st.MetricResults == 0 {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: warning: %d malformed line(s) skipped out of %d read\n", st.Malformed, st.Lines)
		} else {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: warning: %d malformed record(s) skipped out of %s read\n", st.Malformed, readCounts(st))
		}
	}
	for _, fn := range d.Functions {
		if o.Function == "" && strings.Trim(fn.Name, "0123456789") == "" {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: hint: function %q is named after its file (CloudWatch Logs exports to S3 are 000000.gz files); name it with --function\n", fn.Name)
			break
		}
	}
	for _, a := range d.Assumptions {
		if strings.Contains(a.Why, "pass --") {
			fmt.Fprintf(f.IO.ErrOut, "lambdacost: assumed: %s\n", a)
		}
	}
	return writeDataset(f, format, o.Out, d)
}

// writeProblems prints a dataset's problems on stderr, one per line.
func writeProblems(f *Factory, problems []string) {
	for _, p := range problems {
		fmt.Fprintf(f.IO.ErrOut, "lambdacost: warning: %s\n", p)
	}
}

// writeDataset writes d to path (when given; atomically, see package
// outfile) and prints it: the dataset
// JSON with -o json, else a summary table and the assumptions table.
func writeDataset(f *Factory, format reports.Format, path string, d *pricing.Dataset) error {
	if path != "" {
		if err := outfile.Write("--out-file", path, func(w io.Writer) error { return pricing.WriteDataset(w, d) }); err != nil {
			return err
		}
		announce(f, path)
	}
	if format == reports.JSON {
		return pricing.WriteDataset(f.IO.Out, d)
	}
	// The summary, then what the dataset assumed (never only in its JSON).
	return reports.WriteGrids(f.IO.Out, format, f.Style(), append([]reports.Grid{reports.DatasetSummaryGrid(d)}, reports.AssumptionsGrid(d.Assumptions)...)...)
}

// readCounts says what an import read: log lines, metric results or both.
func readCounts(st collector.ImportStats) string {
	var parts []string
	if st.Lines > 0 {
		parts = append(parts, fmt.Sprintf("%d log line(s)", st.Lines))
	}
	if st.MetricResults > 0 {
		parts = append(parts, fmt.Sprintf("%d get-metric-data result(s)", st.MetricResults))
	}
	return strings.Join(parts, " and ")
}
