package pricing

import (
	"strings"
	"testing"
	"time"
)

// The costs around Lambda in a dataset's bill, by hand (us-east-1). A
// 365-hour window, so the month is exactly ×2.
//
//	api (x86_64, 1024 MB): 1,000,000 invocations, 100,000,000 billed ms,
//	  log_bytes 2,048,000,000 measured
//	jobs (x86_64, 1024 MB): 500,000 invocations, 50,000,000 billed ms, no
//	  log bytes measured; --log-bytes 1KB → 512,000,000 bytes
//
// Window:
//
//	logs api  2,048,000,000 / 2^30 = 1.9073486328125 GB × $0.50 = 0.95367431640625
//	logs jobs   512,000,000 / 2^30 = 0.476837158203125 GB × $0.50 = 0.2384185791015625
//	transfer (10 KB each) 1,500,000 × 10,240 = 15,360,000,000 bytes =
//	  14.30511474609375 GB × $0.09 = 1.2874603271484375
//	API Gateway HTTP 1.5M × $1.00/M = 1.5
//	Savings Plan 17 % of the duration: (100,000 + 50,000) GB-s ×
//	  0.0000166667 = 2.500005 → −0.42500085
//
// Month (×2): logs (3.814697265625 + 0.95367431640625) GB × 0.5 =
// 2.384185791015625; transfer 28.6102294921875 GB × 0.09 =
// 2.574920654296875; API Gateway 3M → 3; Savings Plan −0.8500017.
func TestDatasetBillAroundLambda(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Version: DatasetVersion, Source: "logs", Region: "us-east-1", Start: start, End: start.Add(365 * time.Hour),
		Functions: []DatasetFunction{
			{FunctionConfig: FunctionConfig{Name: "api", MemoryMB: 1024, Architecture: X86_64},
				Summary: FunctionSummary{Invocations: 1_000_000, BilledDurationMs: 100_000_000, LogBytes: 2_048_000_000}},
			{FunctionConfig: FunctionConfig{Name: "jobs", MemoryMB: 1024, Architecture: X86_64},
				Summary: FunctionSummary{Invocations: 500_000, BilledDurationMs: 50_000_000}},
		}}
	opt := Options{LogBytesPerRequest: KiB, TransferOutBytesPerRequest: 10 * KiB, APIGateway: APIGatewayHTTP, ComputeSavingsPlan: dec("0.17")}
	db, err := Embedded().DatasetBill(d, "", opt)
	if err != nil {
		t.Fatal(err)
	}
	if db.Factor != 2 {
		t.Fatalf("factor %v, want 2", db.Factor)
	}
	for _, c := range []struct {
		bill *Bill
		line string
		want string
	}{
		{db.Window, LineLogs, "1.1920928955078125"},
		{db.Window, LineTransferOut, "1.2874603271484375"},
		{db.Window, LineAPIGateway, "1.5"},
		{db.Window, LineComputeSavingsPlan, "-0.42500085"},
		{db.Monthly, LineLogs, "2.384185791015625"},
		{db.Monthly, LineTransferOut, "2.574920654296875"},
		{db.Monthly, LineAPIGateway, "3"},
		{db.Monthly, LineComputeSavingsPlan, "-0.8500017"},
	} {
		if got := lineSum(c.bill.Cost, c.line); !got.Equal(dec(c.want)) {
			t.Errorf("%s %s = %s, want %s", map[bool]string{true: "window", false: "month"}[c.bill == db.Window], c.line, got, c.want)
		}
	}
	// Each function carries its own logs: api the measured bytes.
	if got := lineSum(db.Functions[0].Window, LineLogs); !got.Equal(dec("0.95367431640625")) {
		t.Errorf("api's window logs = %s, want 0.95367431640625", got)
	}
	fields := map[string]bool{}
	for _, a := range db.Assumptions {
		fields[a.Field] = true
		fields[a.Field+"="+a.Value] = true
	}
	if !fields["logs=measured"] || !fields["log_bytes_per_request"] || !fields["transfer_out_bytes_per_request"] || !fields["compute_savings_plan"] {
		t.Errorf("assumptions %v: want the measured logs, the given log and transfer bytes and the Savings Plan", db.Assumptions)
	}

	// Without --log-bytes, jobs' logs are not priced, and the bill says so.
	db, err = Embedded().DatasetBill(d, "", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := lineSum(db.Window.Cost, LineLogs); !got.Equal(dec("0.95367431640625")) {
		t.Errorf("window logs without --log-bytes = %s, want api's 0.95367431640625", got)
	}
	said := false
	for _, a := range db.Assumptions {
		said = said || (a.Field == "logs" && a.Value == "not priced")
	}
	if !said {
		t.Errorf("assumptions %v do not say jobs' logs are not priced", db.Assumptions)
	}
}

// A volume whose monthly projection overflows an int64 is refused, never
// wrapped: 10^13 billed ms in a 1-second window × 2,628,000 (730 h) is
// 2.628 × 10^19 ms > 9.22 × 10^18.
func TestDatasetBillRefusesOverflowingProjection(t *testing.T) {
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	d := &Dataset{Version: DatasetVersion, Source: "logs", Region: "us-east-1", Start: start, End: start.Add(time.Second),
		Functions: []DatasetFunction{{FunctionConfig: FunctionConfig{Name: "huge", MemoryMB: 128, Architecture: X86_64},
			Summary: FunctionSummary{Invocations: 1000, BilledDurationMs: 10_000_000_000_000}}}}
	if _, err := Embedded().DatasetBill(d, "", Options{}); err == nil || !IsInput(err) || !strings.Contains(err.Error(), "exceeds the largest volume") {
		t.Fatalf("err = %v, want an input error saying the projection is too large", err)
	}
	d.End = start.Add(730 * time.Hour) // ×1: fits
	if _, err := Embedded().DatasetBill(d, "", Options{}); err != nil {
		t.Fatal(err)
	}
}
