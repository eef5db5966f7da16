package runner

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
)

// lambdaLibraryPath is LD_LIBRARY_PATH as Lambda sets it,
//
//	/lib64:/usr/lib64:$LAMBDA_RUNTIME_DIR:$LAMBDA_RUNTIME_DIR/lib:$LAMBDA_TASK_ROOT:$LAMBDA_TASK_ROOT/lib:/opt/lib
//
// (AWS Lambda developer guide, defined runtime environment variables; the
// managed runtimes put /var/lang/lib first), with the task root and the
// runtime folder both the bootstrap's folder (LAMBDA_TASK_ROOT,
// LAMBDA_RUNTIME_DIR), so a bootstrap finds the shared libraries bundled
// in its lib/ as on Lambda. The system folders that do not exist here are
// harmless.
func lambdaLibraryPath(taskRoot string) string {
	// $LAMBDA_RUNTIME_DIR = $LAMBDA_TASK_ROOT here: listed once.
	return strings.Join([]string{"/lib64", "/usr/lib64", taskRoot, taskRoot + "/lib", "/opt/lib"}, ":")
}

// compactJSON is doc on one line (for a header), or nil.
func compactJSON(doc []byte) []byte {
	if doc == nil {
		return nil
	}
	var b bytes.Buffer
	if json.Compact(&b, doc) != nil {
		return nil
	}
	return b.Bytes()
}

// Response streaming limits: a streamed response may be up to 200 MB
// ("response streaming functions can return payloads up to 200 MB,
// compared to the 6 MB maximum for buffered responses", AWS Lambda
// developer guide, since 2025-07-31); beyond its first 6 MB Lambda streams
// at most 2 MB/s (not modelled in durations: the runner measures the
// function, not the client's download).
const MaxStreamingBytes = 200 << 20

// streamError decodes a failed stream's Lambda-Runtime-Function-Error-Body
// trailer: base64 of the error JSON ({"errorMessage","errorType"}). It
// returns the message and type, falling back to the raw value when it is
// not base64 JSON.
func streamError(body string) (msg, typ string) {
	if body == "" {
		return "", ""
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		raw, err := enc.DecodeString(strings.TrimSpace(body))
		if err != nil {
			continue
		}
		var eb errorBody
		if json.Unmarshal(raw, &eb) == nil && (eb.Message != "" || eb.Type != "") {
			return eb.Message, eb.Type
		}
		return string(raw), ""
	}
	return body, ""
}
