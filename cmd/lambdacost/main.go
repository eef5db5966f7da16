// Command lambdacost tells what AWS Lambda workloads cost, how they behave
// under traffic, and when an always-on server would be cheaper.
//
// This package only wires flags to library calls: every command has an
// options struct, a constructor that parses flags into it, and a run
// function that calls the libraries and writes to injected streams.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := Main(ctx, os.Args[1:], SystemIO())
	stop()
	os.Exit(code)
}
