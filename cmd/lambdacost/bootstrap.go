package main

import "github.com/lambdacost/lambdacost/simulator/runner/builtin"

// When the runner starts a built-in function it re-executes lambdacost with
// _LAMBDACOST_BUILTIN=NAME and AWS_LAMBDA_RUNTIME_API set: the process then
// serves as that function's bootstrap and never reaches the CLI.
func init() { builtin.MaybeRun() }
