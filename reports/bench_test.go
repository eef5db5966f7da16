package reports

import (
	"os"
	"path/filepath"
	"testing"
)

// Benchmarks for BENCHMARKS.md: how long the Go side takes to build and
// write a report, how big the file is, and how long headless Chromium takes
// to draw it (navigation until every chart fired "finished").
//
//	go test ./reports -run '^$' -bench . -benchtime 5x

func benchPages(b *testing.B) map[string]*Page {
	b.Helper()
	sim, s := testSimulation(b)
	return map[string]*Page{
		"dataset":    DatasetPage(testDatasetReport(b)),
		"simulation": SimulationPage(sim, s),
		"compare":    ComparePage(testCompare(b)),
		"pipeline":   PipelinePage("lambdacost demo", testTune(b), sim, s, testCompare(b)),
	}
}

type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func BenchmarkRenderHTML(b *testing.B) {
	pages := benchPages(b)
	for _, name := range []string{"dataset", "simulation", "compare", "pipeline"} {
		p := pages[name]
		b.Run(name, func(b *testing.B) {
			var cw countWriter
			for b.Loop() {
				cw.n = 0
				if err := p.Render(&cw); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cw.n), "bytes/report")
		})
	}
}

func BenchmarkBrowserDraw(b *testing.B) {
	if !HasEmbeddedAssets() {
		b.Skip("no embedded echarts: run make assets")
	}
	browser(b)
	pages := benchPages(b)
	dir := b.TempDir()
	for _, name := range []string{"dataset", "simulation", "compare", "pipeline"} {
		path := filepath.Join(dir, name+".html")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if err := pages[name].Render(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
		b.Run(name, func(b *testing.B) {
			var total, parsed, drawn float64
			for b.Loop() {
				st := openReport(b, path, "")
				if st.Ready != "1" {
					b.Fatalf("not drawn: %q %v", st.Ready, st.Console)
				}
				total += st.Elapsed.Seconds() * 1000
				parsed += st.ScriptMs
				drawn += st.ChartsMs - st.ScriptMs
			}
			n := float64(b.N)
			b.ReportMetric(total/n, "ms-to-drawn")
			b.ReportMetric(parsed/n, "ms-page-parsed")
			b.ReportMetric(drawn/n, "ms-charts-drawn")
		})
	}
}
