package collector

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sort"
	"time"

	"github.com/lambdacost/lambdacost/pricing"
)

// A checkpoint keeps what a collection gathered, so that a collection
// interrupted or failing midway (network loss, throttling beyond the
// retries, credentials expiring, Ctrl-C) continues with --resume without
// fetching again what already arrived.
//
// It is a JSON Lines file: a header (the options, the window, the
// functions with their configuration) and one line per GetMetricData call
// (batch) that completed, appended and fsynced as each one ends. A line
// cut short by a crash is ignored on resume (that batch is fetched again).

// checkpointVersion is the format of the checkpoint file.
const checkpointVersion = 1

type checkpointHeader struct {
	Checkpoint int       `json:"lambdacost_collect_checkpoint"`
	Functions  []string  `json:"functions,omitempty"` // the --function names, sorted
	All        bool      `json:"all,omitempty"`
	Region     string    `json:"region"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	PeriodS    int       `json:"period_s"`
	Infos      []cpInfo  `json:"infos"`
	Problems   []string  `json:"problems,omitempty"`
	Batches    int       `json:"batches"`
}

type cpInfo struct {
	Config      pricing.FunctionConfig `json:"config"`
	Insights    bool                   `json:"insights,omitempty"`
	Provisioned bool                   `json:"provisioned,omitempty"`
	LogGroup    string                 `json:"log_group"`
}

type cpBatch struct {
	Batch    int        `json:"batch"`
	Key      string     `json:"key"` // hash of the batch's queries
	Results  []cpResult `json:"results"`
	Problems []string   `json:"problems,omitempty"`
}

type cpResult struct {
	Q          MetricQuery `json:"q"`
	Ts         []int64     `json:"ts"`
	Vals       []float64   `json:"vals"`
	Incomplete bool        `json:"incomplete,omitempty"`
}

// batchKey identifies a batch by its queries, so that a resumed
// collection only reuses a batch that asks exactly the same.
func batchKey(b []MetricQuery) string {
	h := sha256.New()
	for _, q := range b {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%v\n", q.Function, q.Namespace, q.Metric, q.Stat, q.Whole)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// checkpoint is an open checkpoint file.
type checkpoint struct {
	path string
	f    *os.File
	done map[int]cpBatch // batches completed (read back on resume)
}

// createCheckpoint starts a new checkpoint at path with header h.
func createCheckpoint(path string, h checkpointHeader) (*checkpoint, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, &pricing.ExternalError{Op: "write checkpoint " + path, Err: unwrapPathErr(err)}
	}
	cp := &checkpoint{path: path, f: f, done: map[int]cpBatch{}}
	h.Checkpoint = checkpointVersion
	if err := cp.append(h); err != nil {
		f.Close()
		return nil, err
	}
	return cp, nil
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// append writes one line and makes it durable.
func (cp *checkpoint) append(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	if _, err := cp.f.Write(append(b, '\n')); err != nil {
		return &pricing.ExternalError{Op: "write checkpoint " + cp.path, Err: unwrapPathErr(err)}
	}
	if err := cp.f.Sync(); err != nil {
		return &pricing.ExternalError{Op: "write checkpoint " + cp.path, Err: unwrapPathErr(err)}
	}
	return nil
}

// record appends a completed batch.
func (cp *checkpoint) record(i int, b []MetricQuery, res []queryResult, problems []string) error {
	rec := cpBatch{Batch: i, Key: batchKey(b), Problems: problems}
	for _, r := range res {
		rec.Results = append(rec.Results, cpResult{Q: r.q, Ts: r.ts, Vals: r.vals, Incomplete: r.incomplete})
	}
	return cp.append(rec)
}

// finish closes the file and, when the collection is complete, removes it.
func (cp *checkpoint) finish(complete bool) error {
	err := cp.f.Close()
	if complete {
		if rerr := os.Remove(cp.path); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			return &pricing.ExternalError{Op: "remove checkpoint " + cp.path, Err: unwrapPathErr(rerr)}
		}
	}
	return err
}

// openCheckpoint reads the checkpoint at path to resume a collection with
// options o, and reopens it for appending.
func openCheckpoint(path string, o CollectOptions) (*checkpoint, checkpointHeader, error) {
	var h checkpointHeader
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, h, pricing.Inputf("--resume", "no checkpoint %s to resume (it is written next to --out-file while a collection runs, and removed when it completes)", path)
	}
	if err != nil {
		return nil, h, &pricing.ExternalError{Op: "read checkpoint " + path, Err: unwrapPathErr(err)}
	}
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(nil, 1<<30)
	if !sc.Scan() || json.Unmarshal(sc.Bytes(), &h) != nil || h.Checkpoint != checkpointVersion {
		return nil, h, pricing.Inputf("--resume", "%s is not a lambdacost collect checkpoint of this version", path)
	}
	names := append([]string(nil), o.Functions...)
	sort.Strings(names)
	names = slices.Compact(names)
	if h.All != o.All || !slices.Equal(h.Functions, names) {
		what := "--all"
		if !h.All {
			what = fmt.Sprintf("--function %v", h.Functions)
		}
		return nil, h, pricing.Inputf("--resume", "the checkpoint %s is of a collection with %s; resume it with the same functions", path, what)
	}
	done := map[int]cpBatch{}
	good := len(sc.Bytes()) + 1 // bytes of complete, valid lines
	for sc.Scan() {
		var b cpBatch
		if json.Unmarshal(sc.Bytes(), &b) != nil || b.Batch < 0 || b.Batch >= h.Batches {
			break // a line cut short by a crash: that batch is fetched again
		}
		done[b.Batch] = b
		good += len(sc.Bytes()) + 1
	}
	// Drop a torn last line before appending to the file again.
	if err := os.Truncate(path, int64(min(good, len(raw)))); err != nil {
		return nil, h, &pricing.ExternalError{Op: "write checkpoint " + path, Err: unwrapPathErr(err)}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, h, &pricing.ExternalError{Op: "write checkpoint " + path, Err: unwrapPathErr(err)}
	}
	return &checkpoint{path: path, f: f, done: done}, h, nil
}
