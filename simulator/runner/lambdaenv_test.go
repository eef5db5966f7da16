package runner

import (
	"encoding/base64"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStreamingLimit: a streamed response (Lambda-Runtime-Function-
// Response-Mode: streaming) may exceed the 6 MB buffered limit, up to
// 200 MB; a buffered one of the same size is refused.
func TestStreamingLimit(t *testing.T) {
	const size = 7 << 20 // over 6 MB
	body := strings.Repeat("s", size)
	for _, streaming := range []bool{true, false} {
		e := newTestEnv(t)
		c := &call{id: newRequestID(), event: []byte(`{}`), done: make(chan struct{})}
		handOut(t, e, c)
		hdr := "POST /2018-06-01/runtime/invocation/" + c.id + "/response HTTP/1.1\r\nTransfer-Encoding: chunked\r\n"
		if streaming {
			hdr += "Lambda-Runtime-Function-Response-Mode: streaming\r\n"
		}
		raw := hdr + "\r\n" + strconv.FormatInt(size, 16) + "\r\n" + body + "\r\n0\r\n\r\n"
		resps, _ := rawExchange(t, e, raw, 1, false)
		<-c.done
		want := 202
		if !streaming {
			want = 413
		}
		if len(resps) != 1 || resps[0].Code != want {
			t.Fatalf("streaming=%v: %v, want %d", streaming, resps, want)
		}
		if streaming && (c.status != "success" || c.respLen != size) {
			t.Fatalf("streamed: %s, %d bytes", c.status, c.respLen)
		}
	}
	if MaxStreamingBytes != 200*1024*1024 {
		t.Fatalf("streaming limit %d", MaxStreamingBytes)
	}
}

// TestStreamErrorTrailer: a stream that fails midway reports its error in
// trailers, the body as base64 of the error JSON (as aws-lambda-go and
// the Node.js runtime send it); the message is decoded.
func TestStreamErrorTrailer(t *testing.T) {
	e := newTestEnv(t)
	c := &call{id: newRequestID(), event: []byte(`{}`), done: make(chan struct{})}
	handOut(t, e, c)
	errJSON := `{"errorMessage":"upstream went away after 3 chunks","errorType":"StreamBroken"}`
	raw := "POST /2018-06-01/runtime/invocation/" + c.id + "/response HTTP/1.1\r\nTransfer-Encoding: chunked\r\n" +
		"Lambda-Runtime-Function-Response-Mode: streaming\r\nTrailer: Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body\r\n\r\n" +
		"5\r\nhello\r\n0\r\nLambda-Runtime-Function-Error-Type: Function.StreamBroken\r\nLambda-Runtime-Function-Error-Body: " +
		base64.StdEncoding.EncodeToString([]byte(errJSON)) + "\r\n\r\n"
	resps, _ := rawExchange(t, e, raw, 1, false)
	<-c.done
	if len(resps) != 1 || resps[0].Code != 202 {
		t.Fatalf("%v", resps)
	}
	if c.status != "error" || c.errType != "Function.StreamBroken" || c.errMsg != "upstream went away after 3 chunks" {
		t.Fatalf("call = %s %s %q", c.status, c.errType, c.errMsg)
	}
}

// TestLambdaEnvironment: _HANDLER from --handler-name or --env,
// LD_LIBRARY_PATH as Lambda sets it around the task root, the client
// context and Cognito identity passed as headers (read by aws-lambda-go).
func TestLambdaEnvironment(t *testing.T) {
	cfg := base(128, 3*time.Second)
	cfg.Isolation = IsolationNone
	cfg.HandlerName = "function.handler"
	res, _ := mustRun(t, cfg, ev(`{"action":"env"}`), 1)
	var got map[string]string
	if err := json.Unmarshal(res.Invocations[0].Response, &got); err != nil {
		t.Fatal(err)
	}
	root := filepath.Dir(testFn)
	if got["_HANDLER"] != "function.handler" || got["LAMBDA_TASK_ROOT"] != root {
		t.Errorf("_HANDLER %q, LAMBDA_TASK_ROOT %q", got["_HANDLER"], got["LAMBDA_TASK_ROOT"])
	}
	if want := "/lib64:/usr/lib64:" + root + ":" + root + "/lib:/opt/lib"; got["LD_LIBRARY_PATH"] != want {
		t.Errorf("LD_LIBRARY_PATH %q, want %q", got["LD_LIBRARY_PATH"], want)
	}

	cfg.HandlerName = ""
	cfg.Env = []string{"_HANDLER=index.handler", "LD_LIBRARY_PATH=/mine"}
	res, _ = mustRun(t, cfg, ev(`{"action":"env"}`), 1)
	got = nil
	_ = json.Unmarshal(res.Invocations[0].Response, &got)
	if got["_HANDLER"] != "index.handler" || got["LD_LIBRARY_PATH"] != "/mine" {
		t.Errorf("--env: _HANDLER %q, LD_LIBRARY_PATH %q", got["_HANDLER"], got["LD_LIBRARY_PATH"])
	}

	cfg.HandlerName = "other.handler"
	if err := cfg.Validate(); len(err) == 0 || !strings.Contains(err[0].Error(), "--env") {
		t.Errorf("contradicting _HANDLER and --handler-name: %v", err)
	}

	cfg = base(128, 3*time.Second)
	cfg.Isolation = IsolationNone
	cfg.ClientContext = []byte("{\n  \"client\": {\"installation_id\": \"i-1\", \"app_title\": \"Shop\"},\n  \"custom\": {\"tier\": \"gold\"},\n  \"env\": {\"platform\": \"Android\"}\n}")
	cfg.Identity = []byte(`{"cognitoIdentityId":"us-east-1:1f2e3d4c-aaaa-bbbb-cccc-123456789012","cognitoIdentityPoolId":"us-east-1:0a1b2c3d-dddd-eeee-ffff-210987654321"}`)
	res, _ = mustRun(t, cfg, ev(`{"action":"echo"}`), 1)
	var echo struct {
		ClientContext struct {
			Client struct {
				AppTitle string `json:"app_title"`
			} `json:"client"`
			Custom map[string]string `json:"custom"`
		} `json:"client_context"`
		Identity struct {
			CognitoIdentityID string `json:"cognitoIdentityId"`
		} `json:"identity"`
	}
	if err := json.Unmarshal(res.Invocations[0].Response, &echo); err != nil {
		t.Fatalf("%v: %s", err, res.Invocations[0].Response)
	}
	if echo.ClientContext.Client.AppTitle != "Shop" || echo.ClientContext.Custom["tier"] != "gold" ||
		echo.Identity.CognitoIdentityID != "us-east-1:1f2e3d4c-aaaa-bbbb-cccc-123456789012" {
		t.Errorf("aws-lambda-go saw %s", res.Invocations[0].Response)
	}
	cfg.Identity = []byte(`not json`)
	if err := cfg.Validate(); len(err) == 0 || !strings.Contains(err[0].Error(), "--identity") {
		t.Errorf("bad identity: %v", err)
	}

}
