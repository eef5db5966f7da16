package pricing

import (
	"errors"
	"fmt"
)

// InputError is bad input from the user: a flag, an argument or a file.
// The CLI maps it to exit code 2. Source names where the problem is: a flag
// ("--memory"), a file position ("usage.yaml:12") or a field path.
type InputError struct {
	Source string // "--memory", "usage.yaml:12", "functions[3].memory_mb"; may be empty
	Msg    string
	Err    error // optional wrapped cause
}

func (e *InputError) Error() string {
	if e.Source == "" {
		return e.Msg
	}
	return e.Source + ": " + e.Msg
}

func (e *InputError) Unwrap() error { return e.Err }

// Inputf returns an *InputError for source with a formatted message.
func Inputf(source, format string, args ...any) *InputError {
	return &InputError{Source: source, Msg: fmt.Sprintf(format, args...)}
}

// ExternalError is a failure outside the user's input: an AWS API, the
// network, or the runner's infrastructure. The CLI maps it to exit code 3.
type ExternalError struct {
	Op  string // what was being done, e.g. "cloudwatch GetMetricData"
	Err error
}

func (e *ExternalError) Error() string {
	if e.Op == "" {
		return e.Err.Error()
	}
	return e.Op + ": " + e.Err.Error()
}

func (e *ExternalError) Unwrap() error { return e.Err }

// Errors joins several validation problems into one error whose message lists
// all of them, one per line. It returns nil for an empty list. Each problem
// keeps its type, so errors.As still finds an *InputError inside.
func Errors(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return errors.Join(errs...)
}

// IsInput reports whether err is (or wraps) an *InputError.
func IsInput(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}

func asErr[T error](err error, target *T) bool { return errors.As(err, target) }
