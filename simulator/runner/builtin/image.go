package builtin

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/disintegration/imaging"
)

// SourceImage is the object the image-resize function "downloads": a
// deterministic 1920x1280 landscape JPEG (generated, not a third-party
// photo), kept in the binary so no S3 access is needed.
//
//go:embed assets/landscape-1920x1280.jpg
var SourceImage []byte

// DefaultThumbnailWidth is the width image-resize scales to unless the
// function's environment sets THUMBNAIL_WIDTH.
const DefaultThumbnailWidth = 320

// S3PutEvent is the default image-resize event: one ObjectCreated:Put record
// for the embedded image, as S3 delivers it.
func S3PutEvent() []byte {
	ev := events.S3Event{Records: []events.S3EventRecord{{
		EventVersion: "2.1",
		EventSource:  "aws:s3",
		AWSRegion:    "us-east-1",
		EventTime:    time.Date(2026, 11, 26, 18, 0, 0, 0, time.UTC),
		EventName:    "ObjectCreated:Put",
		PrincipalID:  events.S3UserIdentity{PrincipalID: "AWS:AIDAEXAMPLE"},
		RequestParameters: events.S3RequestParameters{
			SourceIPAddress: "192.0.2.1",
		},
		ResponseElements: map[string]string{"x-amz-request-id": "C3D13FE58DE4C810", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
		S3: events.S3Entity{
			SchemaVersion:   "1.0",
			ConfigurationID: "thumbnails",
			Bucket:          events.S3Bucket{Name: "photos-upload", OwnerIdentity: events.S3UserIdentity{PrincipalID: "A3NL1KOZZKExample"}, Arn: "arn:aws:s3:::photos-upload"},
			Object:          events.S3Object{Key: "uploads/landscape-1920x1280.jpg", Size: int64(len(SourceImage)), ETag: "d41d8cd98f00b204e9800998ecf8427e", Sequencer: "0A1B2C3D4E5F678901"},
		},
	}}}
	b, _ := json.Marshal(ev)
	return b
}

// ResizeResult describes one thumbnail written by image-resize.
type ResizeResult struct {
	Bucket         string `json:"bucket"`
	SourceKey      string `json:"source_key"`
	SourceBytes    int    `json:"source_bytes"`
	SourceWidth    int    `json:"source_width"`
	SourceHeight   int    `json:"source_height"`
	ThumbnailKey   string `json:"thumbnail_key"`
	ThumbnailBytes int    `json:"thumbnail_bytes"`
	Width          int    `json:"width"`
	Height         int    `json:"height"`
}

// Resize decodes src, scales it to width (keeping the aspect ratio) with a
// Lanczos filter and encodes it as JPEG (quality 85).
func Resize(src []byte, width int) (out []byte, srcSize, dstSize image.Point, err error) {
	img, _, err := image.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, srcSize, dstSize, fmt.Errorf("decoding image: %w", err)
	}
	srcSize = img.Bounds().Size()
	thumb := imaging.Resize(img, width, 0, imaging.Lanczos)
	dstSize = thumb.Bounds().Size()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, thumb, &jpeg.Options{Quality: 85}); err != nil {
		return nil, srcSize, dstSize, fmt.Errorf("encoding thumbnail: %w", err)
	}
	return buf.Bytes(), srcSize, dstSize, nil
}

func imageResizeHandler(ctx context.Context, ev events.S3Event) ([]ResizeResult, error) {
	if len(ev.Records) == 0 {
		return nil, errors.New("no S3 records in the event")
	}
	width := DefaultThumbnailWidth
	if s := os.Getenv("THUMBNAIL_WIDTH"); s != "" {
		w, err := strconv.Atoi(s)
		if err != nil || w < 1 || w > 10000 {
			return nil, fmt.Errorf("THUMBNAIL_WIDTH=%q: want a width in pixels (1–10000)", s)
		}
		width = w
	}
	var out []ResizeResult
	for _, r := range ev.Records {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if !strings.HasPrefix(r.EventName, "ObjectCreated:") {
			continue
		}
		key := r.S3.Object.URLDecodedKey
		if key == "" {
			key = r.S3.Object.Key
		}
		// Stand-in for s3.GetObject: every key reads the embedded image.
		thumb, ss, ds, err := Resize(SourceImage, width)
		if err != nil {
			return nil, fmt.Errorf("%s/%s: %w", r.S3.Bucket.Name, key, err)
		}
		ext := path.Ext(key)
		out = append(out, ResizeResult{
			Bucket: r.S3.Bucket.Name, SourceKey: key, SourceBytes: len(SourceImage),
			SourceWidth: ss.X, SourceHeight: ss.Y,
			ThumbnailKey:   "thumbnails/" + strings.TrimSuffix(path.Base(key), ext) + "-" + strconv.Itoa(width) + ".jpg",
			ThumbnailBytes: len(thumb), Width: ds.X, Height: ds.Y,
		})
	}
	return out, nil
}
