package reports

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/lambdacost/lambdacost/simulator"
)

// WriteSimulationJSON writes v (a simulation result, as a JSON object) the
// way WriteJSON does, with the scenario's LMI run added as its "lmi"
// member when l is not nil: `simulate -o json` and the what-if page's
// answer are this one function's output.
func WriteSimulationJSON(w io.Writer, v any, l *simulator.LMIRun) error {
	if l == nil {
		return WriteJSON(w, v)
	}
	a, err := json.Marshal(v)
	if err != nil {
		return err
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	a = bytes.TrimSpace(a)
	if len(a) < 2 || a[len(a)-1] != '}' {
		return fmt.Errorf("simulate: result is not a JSON object")
	}
	sep := []byte(",")
	if bytes.Equal(a, []byte("{}")) {
		sep = nil
	}
	raw := append(append(append(append(a[:len(a)-1:len(a)-1], sep...), []byte(`"lmi":`)...), b...), '}')
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}
