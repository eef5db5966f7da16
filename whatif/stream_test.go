package whatif

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

type event struct {
	name string
	data []byte
}

// streamPlan posts to api/plan asking for the event stream and calls each
// event (stop reading when it returns false).
func streamPlan(t *testing.T, ctx context.Context, url, body string, each func(event) bool) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/api/plan", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "text/event-stream")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("stream: %d %s", resp.StatusCode, ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var ev event
	var data [][]byte
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			ev.data = bytes.Join(data, []byte("\n"))
			if !each(ev) {
				return
			}
			ev, data = event{}, nil
		case strings.HasPrefix(line, "event: "):
			ev.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data = append(data, []byte(strings.TrimPrefix(line, "data: ")))
		}
	}
}

// An exact run streams its progress (simulated time) and ends with the
// answer: the plain answer's bytes and command.
func TestStreamedProgressAndAnswer(t *testing.T) {
	_, ts := newTestServer(t, base(t, checkout), Config{})
	const body = `{"set":{"memory_mb":1024,"traffic_scale":10},"mode":"exact"}`
	var progress []Progress
	var command string
	var result []byte
	streamPlan(t, context.Background(), ts.URL, body, func(e event) bool {
		switch e.name {
		case "progress":
			var p Progress
			if err := json.Unmarshal(e.data, &p); err != nil {
				t.Fatal(err)
			}
			progress = append(progress, p)
		case "command":
			command = string(e.data)
		case "result":
			result = e.data
		case "error":
			t.Fatalf("error event: %s", e.data)
		}
		return true
	})
	if len(progress) == 0 {
		t.Error("no progress event")
	}
	for _, p := range progress {
		// checkout.yaml simulates duration: 2h = 7,200 s.
		if p.TotalS != 0 && (p.TotalS != 7200 || p.DoneS > p.TotalS || p.Percentage > 100) {
			t.Errorf("progress %+v", p)
		}
	}
	_, fresh := newTestServer(t, base(t, checkout), Config{})
	plain := post(t, nil, fresh.URL+"/api/plan", body)
	if plain.code != 200 || !bytes.Equal(append(result, '\n'), plain.body) {
		t.Errorf("streamed result differs from the plain answer:\n%.400s\n%.400s", result, plain.body)
	}
	if command != plain.header.Get("X-Lambdacost-Command") {
		t.Errorf("command %q, plain %q", command, plain.header.Get("X-Lambdacost-Command"))
	}
}

// A client that leaves a streamed run stops the simulator; bad input is
// answered before any stream, as a plain 400.
func TestStreamCancelledAndBadInput(t *testing.T) {
	lim := Limits{ExactBudget: time.Hour, MaxWork: time.Hour, Timeout: time.Hour}
	srv, ts := newTestServer(t, []byte(bigScenario), Config{Limits: lim})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	moved := 0
	streamPlan(t, ctx, ts.URL, `{"mode":"exact"}`, func(e event) bool {
		if e.name != "progress" {
			t.Fatalf("%s event before the cancel: %s", e.name, e.data)
		}
		var p Progress
		_ = json.Unmarshal(e.data, &p)
		if p.DoneS > 0 {
			moved++
		}
		return moved < 2 // two reports of simulated time advancing
	})
	cancel()
	waitFor(t, "the simulation to stop after the client left", 5*time.Second, func() bool { return srv.Running() == 0 })

	a := post(t, nil, ts.URL+"/api/plan", `{"set":{"memory_mb":64}}`, "Accept", "text/event-stream")
	if a.code != 400 || !strings.Contains(a.errMsg(t), "function.memory_mb") {
		t.Errorf("bad input: %d %s", a.code, a.body)
	}
}
