package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"
)

// Interrupted (the context SIGINT cancels), run prints the invocations
// that completed, marked partial with the number requested, says so on
// stderr and exits 130.
func TestRunInterruptedIsPartial(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(2*time.Second, cancel)
	var out, errOut bytes.Buffer
	io := &IO{In: strings.NewReader(""), Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" },
		Environ: func() []string { return nil }, Executable: os.Executable}
	code := Main(ctx, []string{"run", "--builtin", "sleep", "--count", "100000", "-o", "json"}, io)
	if code != 130 {
		t.Fatalf("exit %d, want 130: %s", code, errOut.String())
	}
	var m map[string]any
	if err := json.Unmarshal(resultOf(t, out.String()), &m); err != nil {
		t.Fatalf("no JSON result: %v (%q)", err, out.String())
	}
	n := len(m["invocations"].([]any))
	if m["partial"] != true || m["requested"] != 100000.0 || n >= 100000 || !strings.Contains(errOut.String(), "marked partial") {
		t.Errorf("partial %v, requested %v, %d invocations, stderr %q", m["partial"], m["requested"], n, errOut.String())
	}
}
