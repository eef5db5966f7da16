package main

import (
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/lambdacost/lambdacost/pricing"
)

func init() { register(NewCmdGenDocs) }

// NewCmdGenDocs builds the hidden `gen-docs` command: the reference pages
// of every command, generated from the commands themselves (docs/cli as
// Markdown, man pages with --man). A test keeps docs/cli in sync.
func NewCmdGenDocs(f *Factory) *cobra.Command {
	var dir string
	var man bool
	cmd := &cobra.Command{
		Use:    "gen-docs --dir DIR [--man]",
		Short:  "Write the command reference (Markdown, or man pages with --man) to DIR",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if dir == "" {
				return pricing.Inputf("--dir", "is required")
			}
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			return GenDocs(cmd.Root(), dir, man)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", "", "folder to write the pages to")
	cmd.Flags().BoolVar(&man, "man", false, "write man pages (section 1) instead of Markdown")
	return cmd
}

// GenDocs writes the reference of root's command tree to dir.
func GenDocs(root *cobra.Command, dir string, man bool) error {
	root.DisableAutoGenTag = true // no generation date: the pages stay reproducible
	if man {
		return doc.GenManTree(root, &doc.GenManHeader{Title: "LAMBDACOST", Section: "1", Source: "lambdacost"}, dir)
	}
	return doc.GenMarkdownTree(root, dir)
}
