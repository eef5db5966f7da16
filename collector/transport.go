package collector

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
)

// TruncatedBodyError is a response whose body ended before the length
// its headers announced (or before its last chunk): the connection was
// cut mid-response. It is retried like any transient failure (the SDK's
// retryer honours RetryableError).
type TruncatedBodyError struct {
	Read int64 // bytes that arrived
	Want int64 // Content-Length; -1 when the body was chunked
}

func (e *TruncatedBodyError) Error() string {
	if e.Want >= 0 {
		return fmt.Sprintf("response body truncated after %d of %d bytes", e.Read, e.Want)
	}
	return fmt.Sprintf("response body truncated after %d bytes", e.Read)
}

// RetryableError tells the SDK's retryer to try again.
func (e *TruncatedBodyError) RetryableError() bool { return true }

// Unwrap keeps io.ErrUnexpectedEOF visible.
func (e *TruncatedBodyError) Unwrap() error { return io.ErrUnexpectedEOF }

// CheckedHTTPClient wraps an SDK HTTP client (nil: the SDK's default) so
// that a response body cut short is a *TruncatedBodyError naming how many
// bytes arrived, instead of a decoding error of an "HTTP 200" response that
// is not retried.
func CheckedHTTPClient(c aws.HTTPClient) aws.HTTPClient {
	if c == nil {
		c = awshttp.NewBuildableClient()
	}
	if _, ok := c.(checkedClient); ok {
		return c
	}
	return checkedClient{c}
}

type checkedClient struct{ inner aws.HTTPClient }

func (c checkedClient) Do(r *http.Request) (*http.Response, error) {
	resp, err := c.inner.Do(r)
	if err != nil || resp == nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = &countingBody{rc: resp.Body, want: resp.ContentLength}
	return resp, nil
}

type countingBody struct {
	rc   io.ReadCloser
	n    int64
	want int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.n += int64(n)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = &TruncatedBodyError{Read: b.n, Want: b.want}
	}
	return n, err
}

func (b *countingBody) Close() error { return b.rc.Close() }

// describeAPIError shortens an SDK error to what happened: the service's
// error code and message, a truncated body, a reset or refused
// connection, or an HTTP status with its cause; with the number of
// attempts when the retryer gave up.
func describeAPIError(err error) error {
	attempts := ""
	var me *retry.MaxAttemptsError
	if errors.As(err, &me) {
		attempts = fmt.Sprintf(" (gave up after %d attempts)", me.Attempt)
	}
	var tb *TruncatedBodyError
	if errors.As(err, &tb) {
		return fmt.Errorf("%v%s", tb, attempts)
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return fmt.Errorf("%s: %s%s", ae.ErrorCode(), ae.ErrorMessage(), attempts)
	}
	switch {
	case errors.Is(err, syscall.ECONNRESET):
		return fmt.Errorf("connection reset by peer%s", attempts)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fmt.Errorf("connection refused%s", attempts)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("connection closed before a complete response%s", attempts)
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("timed out: %v%s", ne, attempts)
	}
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) && re.HTTPStatusCode() != 0 {
		msg := fmt.Sprintf("HTTP %d %s", re.HTTPStatusCode(), http.StatusText(re.HTTPStatusCode()))
		var de *smithy.DeserializationError
		if errors.As(err, &de) {
			msg += ": the response could not be decoded: " + de.Err.Error()
		}
		return fmt.Errorf("%s%s", msg, attempts)
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ", "); i > 0 && strings.HasPrefix(msg, "operation error") {
		msg = msg[i+2:]
	}
	return fmt.Errorf("%s%s", msg, attempts)
}
