package pricing

import (
	"fmt"
	"slices"
)

// Assumption is a value an output's numbers depend on that was not measured
// or given by the user: a default (memory 128 MB, a 730-hour month), an
// extrapolation (a 3-day window projected to a month) or a missing input.
// Every output (table, JSON, HTML) lists the assumptions behind it, so a
// user never has to guess why a number is what it is.
type Assumption struct {
	// Field names what was assumed, as a flag, a JSON field path or a
	// function-qualified name ("memory_mb", "functions[orders].timeout",
	// "--region", "month").
	Field string `json:"field"`
	// Value is the value used, formatted for people ("128 MB", "730 h").
	Value string `json:"value"`
	// Why says where the value came from and how to replace it
	// ("not in the logs; pass --memory").
	Why string `json:"why"`
}

// String formats a as "field = value (why)".
func (a Assumption) String() string {
	if a.Why == "" {
		return fmt.Sprintf("%s = %s", a.Field, a.Value)
	}
	return fmt.Sprintf("%s = %s (%s)", a.Field, a.Value, a.Why)
}

// Assumptions is an ordered list of assumptions without duplicates.
type Assumptions []Assumption

// Add appends a unless an assumption with the same field and value is
// already listed.
func (as *Assumptions) Add(a Assumption) {
	for _, o := range *as {
		if o.Field == a.Field && o.Value == a.Value {
			return
		}
	}
	*as = append(*as, a)
}

// Without returns the assumptions whose field is none of fields (a new
// list; as is unchanged).
func (as Assumptions) Without(fields ...string) Assumptions {
	var out Assumptions
	for _, a := range as {
		if !slices.Contains(fields, a.Field) {
			out = append(out, a)
		}
	}
	return out
}
