package pricing

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeRegionDataset writes a one-hour dataset of account/region with one
// x86_64 1024 MB function: 1,000,000 invocations billed 100 ms each.
func writeRegionDataset(t *testing.T, dir, file, account, region, name string, start time.Time) string {
	t.Helper()
	n := int64(1_000_000)
	d := &Dataset{Version: 1, Source: "cloudwatch", Region: region, Start: start, End: start.Add(time.Hour), Functions: []DatasetFunction{{
		FunctionConfig: FunctionConfig{Name: name, MemoryMB: 1024, Architecture: X86_64, Timeout: Duration(3 * time.Second)},
		Account:        account, Region: region,
		Summary: FunctionSummary{Invocations: n, BilledDurationMs: n * 100, DurationMs: DurationSet{Avg: 100, P50: 100, P90: 100, P99: 100, Max: 100}},
	}}}
	p := filepath.Join(dir, file)
	fh, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	if err := WriteDataset(fh, d); err != nil {
		t.Fatal(err)
	}
	return p
}

// Several datasets read as one, each function billed at its own region's
// prices. By hand, one hour, 1,000,000 × 0.1 s × 1 GB = 100,000 GB-s each:
//
//	111111111111 us-east-1     $0.20 + 100,000 × $0.0000166667 = $1.86667
//	222222222222 eu-central-2  $0.22 + 100,000 × $0.0000183334 = $2.05334
//	window $3.92001 (billed all at us-east-1 it would be $3.73334)
func TestReadDatasetsMergesAndBillsPerRegion(t *testing.T) {
	dir := t.TempDir()
	start := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
	writeRegionDataset(t, dir, "prod-us.json", "111111111111", "us-east-1", "api", start)
	writeRegionDataset(t, dir, "prod-eu.json", "222222222222", "eu-central-2", "api", start)

	d, files, conflicts, err := ReadDatasets([]string{filepath.Join(dir, "prod-*.json")})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2 || !strings.HasSuffix(files[0], "prod-eu.json") || len(conflicts) != 0 || len(d.Functions) != 2 {
		t.Fatalf("files %v, conflicts %v, functions %d", files, conflicts, len(d.Functions))
	}
	db, err := Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := db.Window.Cost.Total, dec("3.92001"); !got.Equal(want) {
		t.Errorf("window %s, want %s", got, want)
	}
	byAccount := map[string]string{}
	for i, f := range d.Functions {
		byAccount[f.Account] = db.Functions[i].Window.Total.String()
	}
	if byAccount["111111111111"] != "1.86667" || byAccount["222222222222"] != "2.05334" {
		t.Errorf("per function %v", byAccount)
	}
	if db.Region != "eu-central-2, us-east-1" || !hasField(db.Assumptions, "tiers") {
		t.Errorf("region %q, assumptions %v", db.Region, db.Assumptions)
	}
	// The free tier is one account's: refused across accounts.
	if _, err := Embedded().DatasetBill(d, "", Options{FreeTier: true}); !IsInput(err) {
		t.Errorf("free tier over two accounts: %v", err)
	}

	// The same function (account, region, name) twice: the first file's
	// is kept and the conflict is listed, as `dataset merge` does.
	dup := writeRegionDataset(t, dir, "again.json", "111111111111", "us-east-1", "api", start)
	d, _, conflicts, err = ReadDatasets([]string{filepath.Join(dir, "prod-us.json"), dup})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Functions) != 1 || len(conflicts) != 1 || !strings.Contains(conflicts[0], "kept") || !strings.Contains(strings.Join(d.Problems, "\n"), conflicts[0]) {
		t.Errorf("conflict: %d functions, conflicts %q, problems %q", len(d.Functions), conflicts, d.Problems)
	}

	// Different windows are refused, naming the file.
	other := writeRegionDataset(t, dir, "later.json", "333333333333", "us-east-1", "api", start.Add(time.Hour))
	if _, _, _, err := ReadDatasets([]string{filepath.Join(dir, "prod-us.json"), other}); !IsInput(err) || !strings.Contains(err.Error(), "later.json") {
		t.Errorf("different windows: %v", err)
	}
	// A pattern matching nothing is named.
	if _, _, _, err := ReadDatasets([]string{filepath.Join(dir, "none-*.json")}); !IsInput(err) || !strings.Contains(err.Error(), "matches no file") {
		t.Errorf("no match: %v", err)
	}
	// A file named twice (by name and by a pattern) is read once.
	files, err = DatasetFiles([]string{filepath.Join(dir, "prod-us.json"), filepath.Join(dir, "prod-u*.json")})
	if err != nil || len(files) != 1 {
		t.Errorf("files %v, %v", files, err)
	}
}
