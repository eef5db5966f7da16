// Command builtins is the bootstrap of lambdacost's built-in functions
// without the rest of the CLI: the runner's tests build it once (without
// the race detector, so image-resize runs at its real speed) and point
// runner.Config.Executable at it.
package main

import (
	"fmt"
	"os"

	"github.com/lambdacost/lambdacost/simulator/runner/builtin"
)

func main() {
	builtin.MaybeRun()
	fmt.Fprintln(os.Stderr, "builtins: set _LAMBDACOST_BUILTIN and AWS_LAMBDA_RUNTIME_API")
	os.Exit(2)
}
