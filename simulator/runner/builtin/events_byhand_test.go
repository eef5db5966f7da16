package builtin

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// checkEventByHand checks the key fields of a sample event against what
// AWS documents for its kind and against each other, so that `-update`
// cannot bless an event a real trigger would never send: an S3 "Object
// created" notification (S3 user guide, "Event message structure"), an API
// Gateway HTTP API payload version 2.0 (API Gateway developer guide), and
// the documented defaults of sleep (100 ms) and cpu (50 ms).
func checkEventByHand(t *testing.T, name string, data []byte) {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	str := func(v any) string { s, _ := v.(string); return s }
	obj := func(v any) map[string]any { o, _ := v.(map[string]any); return o }
	switch name {
	case "sleep", "cpu":
		want := map[string]float64{"sleep": 100, "cpu": 50}[name]
		if ms, _ := m["ms"].(float64); ms != want || len(m) != 1 {
			t.Errorf("%s event = %v, want {\"ms\": %v}", name, m, want)
		}
	case "http-echo":
		rc := obj(m["requestContext"])
		h := obj(rc["http"])
		if m["version"] != "2.0" || m["routeKey"] != str(h["method"])+" "+str(m["rawPath"]) || rc["routeKey"] != m["routeKey"] || h["path"] != m["rawPath"] {
			t.Errorf("http-echo: version %v, routeKey %v, method %v, path %v/%v", m["version"], m["routeKey"], h["method"], m["rawPath"], h["path"])
		}
		if q := obj(m["queryStringParameters"]); m["rawQueryString"] != "name="+str(q["name"]) {
			t.Errorf("http-echo: rawQueryString %v, parameters %v", m["rawQueryString"], q)
		}
		// "time" and "timeEpoch" (ms) name the same instant.
		at, err := time.Parse("02/Jan/2006:15:04:05 -0700", str(rc["time"]))
		epoch, _ := rc["timeEpoch"].(float64)
		if err != nil || int64(epoch) != at.UnixMilli() {
			t.Errorf("http-echo: time %v (%v) and timeEpoch %v differ: want %d", rc["time"], err, rc["timeEpoch"], at.UnixMilli())
		}
		if want := str(rc["apiId"]) + ".execute-api.us-east-1.amazonaws.com"; rc["domainName"] != want {
			t.Errorf("http-echo: domainName %v, want %s", rc["domainName"], want)
		}
	case "image-resize":
		rs, _ := m["Records"].([]any)
		if len(rs) != 1 {
			t.Fatalf("image-resize: %d records", len(rs))
		}
		r := obj(rs[0])
		s3 := obj(r["s3"])
		b, o := obj(s3["bucket"]), obj(s3["object"])
		if r["eventSource"] != "aws:s3" || !strings.HasPrefix(str(r["eventName"]), "ObjectCreated:") || r["eventVersion"] != "2.1" || s3["s3SchemaVersion"] != "1.0" {
			t.Errorf("image-resize: not an S3 object-created notification: %v", r)
		}
		if b["arn"] != "arn:aws:s3:::"+str(b["name"]) {
			t.Errorf("image-resize: bucket arn %v for bucket %v", b["arn"], b["name"])
		}
		if _, err := time.Parse(time.RFC3339, str(r["eventTime"])); err != nil {
			t.Errorf("image-resize: eventTime %v: %v", r["eventTime"], err)
		}
		if size, _ := o["size"].(float64); size <= 0 || !strings.HasSuffix(str(o["key"]), ".jpg") {
			t.Errorf("image-resize: object %v", o)
		}
	default:
		t.Errorf("no hand check for the sample event %s: add one to checkEventByHand", name)
	}
}
