package builtin

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
)

func TestResizeKeepsAspectRatio(t *testing.T) {
	// The full-size image is resized by the runner's tests (in a binary
	// without the race detector, which slows decoding 30-fold); here a
	// 192×128 JPEG of the same shape.
	if cfg, err := jpeg.DecodeConfig(bytes.NewReader(SourceImage)); err != nil || cfg.Width != 1920 || cfg.Height != 1280 {
		t.Fatalf("embedded image: %+v %v", cfg, err)
	}
	var src bytes.Buffer
	if err := jpeg.Encode(&src, image.NewRGBA(image.Rect(0, 0, 192, 128)), nil); err != nil {
		t.Fatal(err)
	}
	out, ss, ds, err := Resize(src.Bytes(), 32)
	if err != nil {
		t.Fatal(err)
	}
	// 192×128 scaled to width 32: height 128·32/192 = 21.33 → 21.
	if ss.X != 192 || ss.Y != 128 || ds.X != 32 || ds.Y != 21 {
		t.Fatalf("source %v, thumbnail %v", ss, ds)
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(out))
	if err != nil || cfg.Width != 32 || cfg.Height != 21 {
		t.Fatalf("thumbnail is not a 32×21 JPEG: %+v %v", cfg, err)
	}
	if _, _, _, err := Resize([]byte("not an image"), 32); err == nil {
		t.Errorf("garbage must not decode")
	}
}

func TestDefaultEventsDecode(t *testing.T) {
	var s3 events.S3Event
	if err := json.Unmarshal(S3PutEvent(), &s3); err != nil || len(s3.Records) != 1 || s3.Records[0].EventName != "ObjectCreated:Put" || s3.Records[0].S3.Object.Size != int64(len(SourceImage)) {
		t.Errorf("S3 event %+v %v", s3, err)
	}
	var h events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal(HTTPEvent(), &h); err != nil || h.Version != "2.0" || h.RequestContext.HTTP.Method != "GET" {
		t.Errorf("HTTP event %+v %v", h, err)
	}
	for _, n := range Names() {
		f, _ := Lookup(n)
		if !json.Valid(f.Event()) {
			t.Errorf("%s: default event is not JSON", n)
		}
	}
}

func TestHandlers(t *testing.T) {
	ctx := context.Background()
	t.Setenv("THUMBNAIL_WIDTH", "0")
	if _, err := imageResizeHandler(ctx, events.S3Event{Records: []events.S3EventRecord{{EventName: "ObjectCreated:Put"}}}); err == nil {
		t.Errorf("THUMBNAIL_WIDTH=0 must be rejected")
	}
	if _, err := imageResizeHandler(ctx, events.S3Event{}); err == nil {
		t.Errorf("an event without records must fail")
	}
	if _, err := sleepHandler(ctx, SleepEvent{Ms: -1}); err == nil {
		t.Errorf("negative sleep must fail")
	}
	start := time.Now()
	n := BurnCPU(ctx, 5*time.Millisecond)
	if n <= 0 || time.Since(start) < 5*time.Millisecond {
		t.Errorf("BurnCPU returned after %v with %d rounds", time.Since(start), n)
	}
	r, err := httpEchoHandler(ctx, events.APIGatewayV2HTTPRequest{RawPath: "/x", Body: "hi", RequestContext: events.APIGatewayV2HTTPRequestContext{HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "POST"}}})
	if err != nil || r.StatusCode != 200 || r.Body != `{"method":"POST","path":"/x","body":"hi","request_id":""}` {
		t.Errorf("http-echo %+v %v", r, err)
	}
}

var update = flag.Bool("update", false, "rewrite the sample events in testdata/runner/events")

// The sample events in testdata/runner/events are the built-ins' default
// events, pretty-printed, for users to copy and edit.
func TestSampleEventsMatchDefaults(t *testing.T) {
	for _, name := range Names() {
		f, _ := Lookup(name)
		var buf bytes.Buffer
		if err := json.Indent(&buf, f.Event(), "", "  "); err != nil {
			t.Fatal(err)
		}
		buf.WriteByte('\n')
		path := filepath.Join("..", "..", "..", "testdata", "runner", "events", name+".json")
		checkEventByHand(t, name, buf.Bytes())
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test -update to create it)", err)
		}
		if !bytes.Equal(got, buf.Bytes()) {
			t.Errorf("%s differs from the default event of %s (go test -update)", path, name)
		}
	}
}
