package whatif

import (
	_ "embed"
)

// Starter is the scenario a session starts from when it names none.
//
//go:embed starter.yaml
var Starter []byte
