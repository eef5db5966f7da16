package runner

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"
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
// developer guide, since 2025-07-31).
const MaxStreamingBytes = 200 << 20

// Lambda's streaming bandwidth: "the first 6 MB of your function's
// response has uncapped bandwidth. After this initial burst, Lambda
// streams at a maximum rate of 2 MBps" (AWS Lambda developer guide; the
// RIE's ResponseBandwidthBurstSize 6 MiB and ResponseBandwidthRate
// 2 MiB/s). The runner reads a streamed response no faster, so that the
// function's writes wait as they do on Lambda and its duration (and bill)
// includes the time the stream takes.
const (
	StreamBurstBytes      = 6 << 20
	StreamRateBytesPerSec = 2 << 20
	streamPiece           = 64 << 10 // read between two waits
)

// streamPacer holds a streamed response to Lambda's bandwidth from start
// (the response's header read): byte n may be read once
// start + (n − StreamBurstBytes) / StreamRateBytesPerSec has passed.
type streamPacer struct {
	start   time.Time
	closing <-chan struct{} // the environment ends: stop waiting
}

var errStreamAbandoned = errors.New("the environment ended while the response was streaming")

// wait returns once the first n bytes of the response may have been read.
func (p *streamPacer) wait(n int64) error {
	over := n - StreamBurstBytes
	if over < 0 {
		return nil
	}
	d := time.Until(p.start.Add(time.Duration(float64(over) / StreamRateBytesPerSec * float64(time.Second))))
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-p.closing:
		return errStreamAbandoned
	}
}

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
