//go:build race

package main

// The end-to-end test builds the binary with -race when the tests run with
// -race, so that `go build` reuses the packages the test build compiled.
func init() { checkE2ERace = true }
