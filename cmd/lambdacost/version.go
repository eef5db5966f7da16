package main

import (
	"encoding/json"
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/lambdacost/lambdacost/reports"
)

func init() { register(NewCmdVersion) }

// buildVersion is stamped by the Makefile and release builds
// (-ldflags "-X main.buildVersion=v1.2.3"); empty in a plain `go build`.
var buildVersion string

// BuildInfo says which build of lambdacost is running.
type BuildInfo struct {
	Version    string `json:"version"`
	Commit     string `json:"commit,omitempty"`
	CommitTime string `json:"commit_time,omitempty"`
	Modified   bool   `json:"modified,omitempty"`
	Go         string `json:"go"`
	Platform   string `json:"platform"`
}

// readBuildInfo returns the version stamped at build time, else the module
// version Go records (`go install …@v1.2.3`), else "devel" with the VCS
// revision Go records from the work tree.
func readBuildInfo() BuildInfo {
	b := BuildInfo{Version: buildVersion, Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	bi, ok := debug.ReadBuildInfo()
	if ok {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.time":
				b.CommitTime = s.Value
			case "vcs.modified":
				b.Modified = s.Value == "true"
			}
		}
		if b.Version == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			b.Version = bi.Main.Version
		}
	}
	if b.Version == "" {
		b.Version = "devel"
		if len(b.Commit) >= 12 {
			b.Version += "+" + b.Commit[:12]
			if b.Modified {
				b.Version += "-dirty"
			}
		}
	}
	return b
}

func version() string { return readBuildInfo().Version }

// NewCmdVersion builds `version`.
func NewCmdVersion(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version of this build",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fm, err := f.Format()
			if err != nil {
				return err
			}
			b := readBuildInfo()
			if fm == reports.JSON {
				enc := json.NewEncoder(f.IO.Out)
				enc.SetIndent("", "  ")
				return enc.Encode(b)
			}
			fmt.Fprintf(f.IO.Out, "lambdacost %s\n", b.Version)
			if b.Commit != "" {
				fmt.Fprintf(f.IO.Out, "commit %s", b.Commit)
				if b.CommitTime != "" {
					fmt.Fprintf(f.IO.Out, " (%s)", b.CommitTime)
				}
				if b.Modified {
					fmt.Fprint(f.IO.Out, ", with local changes")
				}
				fmt.Fprintln(f.IO.Out)
			}
			fmt.Fprintf(f.IO.Out, "%s %s\n", b.Go, b.Platform)
			return nil
		},
	}
}
