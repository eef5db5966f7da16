package pricing

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestDecodeDatasetStreamStrict(t *testing.T) {
	ok := `{"version":1,"source":"logs","region":"us-east-1","functions":[{"name":"a","memory_mb":512,"architecture":"arm64","summary":{"invocations":1,"errors":0,"throttles":0,"cold_starts":0,"duration_ms":{"avg":1,"p50":1,"p90":1,"p99":1,"max":1},"init_duration_ms":{"avg":0,"p99":0},"max_memory_used_mb":1,"billed_gb_seconds":0}}]}`
	d, err := DecodeDataset("ok.json", strings.NewReader(ok))
	if err != nil || len(d.Functions) != 1 || d.Functions[0].MemoryMB != 512 || d.Region != "us-east-1" {
		t.Fatalf("%v %+v", err, d)
	}
	for name, in := range map[string]string{
		"unknown top-level":   strings.Replace(ok, `"region"`, `"colour":"blue","region"`, 1),
		"unknown in function": strings.Replace(ok, `"name":"a"`, `"name":"a","colour":1`, 1),
		"trailing data":       ok + `{"version":1}`,
		"truncated":           ok[:len(ok)/2],
		"not an object":       `[1,2]`,
		"functions not array": `{"version":1,"source":"logs","functions":{}}`,
	} {
		if _, err := DecodeDataset("bad.json", strings.NewReader(in)); err == nil || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// bigDataset writes a dataset of n functions with 14 days of 1-minute
// series (20,160 points × 3 arrays each).
func bigDataset(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.WriteString(`{"version":1,"source":"cloudwatch","region":"us-east-1","start":"2026-11-01T00:00:00Z","end":"2026-11-15T00:00:00Z","functions":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"name":"fn-%d","memory_mb":1024,"architecture":"x86_64","summary":{"invocations":1000,"errors":0,"throttles":0,"cold_starts":1,"duration_ms":{"avg":120.5,"p50":100,"p90":200,"p99":400,"max":900},"init_duration_ms":{"avg":300,"p99":600},"max_memory_used_mb":100,"billed_gb_seconds":1},"series":{"period_s":60,"start":"2026-11-01T00:00:00Z"`, i)
		for _, k := range []string{"invocations", "duration_avg_ms", "concurrency_max"} {
			fmt.Fprintf(&b, `,%q:[`, k)
			for p := range 20160 {
				if p > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, "%.2f", r.Float64()*300)
			}
			b.WriteByte(']')
		}
		b.WriteString(`}}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// BenchmarkDecodeDatasetLarge decodes a 10-function, 14-day, 1-minute
// dataset (about 3.7 MB).
func BenchmarkDecodeDatasetLarge(b *testing.B) {
	data := bigDataset(10)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeDataset("big.json", bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
