// Package goldennumbers holds, for every golden file of the test suites,
// the key numbers it must show, each derived by hand (the derivation is the
// comment next to it) from the inputs and AWS's published prices — never
// from the program's output. The golden helpers call Check on what they
// compare or write, so regenerating a golden with -update cannot bless a
// wrong number: a golden without an entry here fails too.
//
// Numbers are written without thousands separators; Check removes them
// from the text (outside CSV) and matches each as a whole number (not
// part of a longer one). Prices (us-east-1, per the pricing page):
// requests $0.20/M; x86 duration $0.0000166667, tier 2 $0.000015, tier 3
// $0.0000133334 per GB-s (tiers end at 6B and 15B GB-s); arm64
// $0.0000133334, $0.0000120001, $0.0000106667 (7.5B, 18.75B);
// provisioned concurrency $0.0000041667 (x86), duration while provisioned
// $0.0000097222; ephemeral storage $0.0000000309; m7g.large $0.0816/h.
// A month is 730 h.
package goldennumbers

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// e1: AWS's "mobile backend" example: 3M requests × 120 ms × 1536 MB with
// the free tier: 3M − 1M = 2,000,000 × $0.20/M = $0.40; 3M × 0.12 s × 1.5
// GB = 540,000 − 400,000 = 140,000 GB-s × $0.0000166667 = $2.33; $2.73.
var e1 = []string{"2000000", "0.40", "140000", "0.0000166667", "2.33", "2.73"}

// The us-east-1 price list (AWS pricing page, typed in).
var usEast1 = []string{"0.0000166667", "0.000015", "0.0000133334", "0.0000120001", "0.0000106667",
	"6000000000", "15000000000", "7500000000", "18750000000", "0.0000000309", "0.0000041667",
	"0.0000097222", "0.0000033334", "0.0000077778", "0.0000015046", "0.0001397998", "0.0816"}

// report/dataset (reports/testdata/dataset.json, 24 h; a month is ×730/24):
//
//	checkout-api  arm64 1024 MB: (2,160,000−5,400) × ⌈95.5⌉ + 5,400 × ⌈405.5⌉
//	              = 209,034,000 ms × 1 GB = 209,034 GB-s; $0.432 + 209,034 ×
//	              $0.0000133334 = $3.22; month $13.14 + $84.78 = $97.92
//	<script>      x86 512 MB: 449,100 × 40 + 900 × 290 = 18,225,000 ms × 0.5
//	              = 9,112.5 GB-s; $0.09 + $0.1519 = $0.24; month $7.36
//	a__f__b       x86 3008 MB: 86,280 × 1,850 + 120 × 2,750 = 159,948,000 ms ×
//	              2.9375 = 469,847.25 GB-s; $0.0173 + $7.8308 = $7.85; month $238.71
//	nightly       arm64 256 MB: 24 × ⌈12,400⌉ × 0.25 = 74.4 GB-s; month $0.03
//	total         2,696,424 invocations, 688,068.15 GB-s, $11.31, month $344.02;
//	              cold starts 6,444 / 2,696,424 = 0.24 %; 120 / 86,400 = 0.14 %
var dataset = []string{"209034", "3.22", "97.92", "9112.5", "0.24", "7.36", "469847.3", "7.85", "238.71",
	"74.4", "0.03", "2696424", "688068.2", "11.31", "344.02", "0.14%", "0.25%"}

// compare --requests 131.4M --duration 100ms --memory 2048 (pricing/fleet's
// hand calculation): Lambda x86 131.4 × $0.20 = $26.28 + 26.28M GB-s ×
// $0.0000166667 = $438.00 → $464.28; arm64 $26.28 + $350.40 = $376.68;
// EC2 5 × m7g.large: 5 × 730 = 3,650 h × $0.0816 = $297.84 + EBS 100 GB ×
// $0.08 = $8 + ALB 730 h × $0.0225 = $16.43 + 1,460 LCU-h × $0.008 =
// $11.68 = $333.95; Fargate $287.62; break-even 40,285,374 requests.
var flags = []string{"464.28", "376.68", "333.95", "287.62", "40285374", "3650", "297.84", "16.43", "11.68"}

// plan steady (testdata/compare/steady.yaml): 10 req/s even for 10 min,
// 950 ms, 250 ms INIT, 1024 MB; a month is 4,380 × 10 min. With no
// provisioned concurrency the pool grows to 12: the first 10 arrivals and
// the next 2 (their environments are still in INIT) are cold: 12 of 6,000
// = 0.2 %. Month: 6,000 × 4,380 × $0.20/M = $5.256 + (5,988 × 950 + 12 ×
// 1,200) ms × 1 GB = 5,703 GB-s × 4,380 × $0.0000166667 = $416.32 →
// $421.58. With 10 provisioned: 10 × 2,628,000 s × 1 GB × $0.0000041667 =
// $109.50 + 5,700 × 4,380 GB-s × $0.0000097222 = $242.72 + $5.256 =
// $357.48. Saving $64.09.
//
// LMI for the same traffic (c6g.large, 2 vCPU / 4 GiB, $0.068/h): a
// request needs 0.95 s × 1,024/1,769 = 0.54991 s of CPU; an environment
// (1 vCPU, 2 GiB) at the 50 % target takes 0.5 / 0.54991 = 0.909 req/s, so
// 10 req/s need 11 environments, 2 per instance: 6 instances all month =
// 4,380 h × $0.068 × 1.15 = $342.516 + 26,280,000 requests × $0.20/M =
// $5.256 → $347.77, $9.71 less than the best level's $357.48; break-even
// with the 3-instance floor ($171.258): 171.258 / ($421.58 / 26.28M −
// $0.0000002) ≈ 10.81M requests a month.
var planSteady = []string{"421.58", "357.48", "64.09", "12", "347.77", "9.71"}
var planSteadyCSV = []string{"421.575832638", "357.4813212", "0.002", "12"}

// check (testdata/check): checkout-api estimate 3M × 120 ms × 1536 MB, no
// free tier: $0.60 + 540,000 GB-s × $0.0000166667 = $9.600018, per million
// $3.200006; orders-worker (24 h, arm64 512 MB, 100,000 invocations, 500
// cold): 99,500 × 50 + 500 × 350 = 5,150,000 ms/day; month ×730/24:
// 3,041,667 requests ($0.6083) + 78,322.9 GB-s ($1.0443) = $1.65, per
// million $0.5433; cold 500/100,000 = 0.5 %; p99 420 ms (given);
// base: checkout 2M requests: $0.40 + 360,000 × $0.0000166667 = $6.400012
// (+50 % to $9.60); legacy-cron 10,000 × 1 s × 0.125 GB = 1,250 GB-s:
// $0.002 + $0.0208 = $0.022833375; thumbnailer (12 h, x86 1 GB, 20,000 ×
// 200 ms, 150 throttles): throttle rate 150/20,150 = 0.744 %, month
// ×730/12: $0.2433 + 243,333 GB-s × $0.0000166667 = $4.30. Totals: base
// $6.40 + $1.65 + $0.02 = $8.08; after $9.60 + $1.65 + $4.30 = $15.55:
// +$7.48, +92.6 % (the exact totals $8.075 and $15.553).
var (
	checkPassing     = []string{"9.60", "3.2000", "1.65", "420", "0.5%"}
	checkPassingJSON = []string{"9.600018", "3.200006", "420", "0.005"}
	checkFailing     = []string{"9.60", "3.2000", "420"}
	checkFailingJSON = []string{"9.600018", "3.200006", "420"}
	checkPR          = []string{"9.60", "6.40", "50.0%", "0.744%", "4.30", "0.02", "8.08", "15.55", "0.5433", "3.20"}
	checkPRMd        = []string{"9.60", "6.40", "50.0%", "0.744%", "4.30", "0.02", "8.08", "15.55", "7.48", "92.6%"}
	checkPRJSON      = []string{"9.600018", "6.400012", "3.200006", "0.022833375", "50"}
)

// reports' hand-built results (reports/grids_test.go, plan_test.go): the
// month of 1,000,000 requests ($0.20) and 50,000 arm64 GB-s ($0.66667) is
// $0.87; 500 throttles of 10,500 = 4.762 %; 125/10,000 = 1.25 %; EC2
// $158.90 is the cheapest: 464.06/158.9 = 2.92×, 376.47/158.9 = 2.37×,
// 201.33/158.9 = 1.27×; utilisation 0.3125 = 31.3 %; vCPU 128/1,769 =
// 0.07, 512/1,769 = 0.29, 1,024/1,769 = 0.58; the plan's best level costs
// 99.20 − 95.10 = $4.10 more; p99 410.25 shows as 410.3.
var (
	simulation     = []string{"0.87", "4.762%", "1.25%", "10000", "9800", "10200", "0.20", "0.67"}
	compareGrid    = []string{"2.92", "2.37", "1.27", "31.3%", "158.90", "464.06"}
	tune           = []string{"0.07", "0.29", "0.58", "2.87", "2.80", "0.0000028667"}
	planGrid       = []string{"4.10", "410.3", "95.10", "99.20"}
	planGridCSV    = []string{"410.25", "95.1", "99.2", "0.0008"}
	simulationCSV  = []string{"10000", "9800", "10200", "1.25%", "4.762%", "0.87"}
	compareGridCSV = []string{"2.92", "2.37", "1.27", "31.3%", "158.90"}
)

// simulate goldens are seeded random runs; what is fixed by hand is how the
// numbers relate. checkout (2 h): the month is ×365: 282,223 invocations →
// 103,011,395 requests × $0.20/M = $20.60; cold-start rate 123/282,223 =
// 0.044 %. steady (20,000 s, λ = 0.9/s, mean 1,991 ms): the month is
// ×131.4: 18,067 → 2,374,004 requests ($0.47); Little's law: mean busy
// environments λ·E[S] = 0.9 × 1.991 = 1.792 (the model column); cold-start
// rate 28/18,067 = 0.155 %.
var (
	simCheckout = []string{"282223", "103011395", "20.60", "0.044%", "123"}
	simSteady   = []string{"18067", "2374004", "0.47", "1.792", "0.155%", "28"}
)

// recommend-dataset (testdata/compare/dataset.json, 1 h; month ×730):
// api x86 1024 MB, 360,000 calls, 36 cold, 50 ms, INIT 200 ms: 359,964 ×
// 50 + 36 × 250 = 18,007,200 ms = 18,007.2 GB-s × 730 = 13,145,256 GB-s ×
// $0.0000166667 = $219.09 + 262.8M requests $52.56 = $271.65; at 384 MB
// (×0.375) $82.16 + $52.56 = $134.72, saving $136.93; on arm64 ×
// $0.0000133334 = $175.27 + $52.56 = $227.83, saving $43.82. report arm64
// 3008 MB, 36 calls of 600,000 ms, all cold (INIT 500): 36 × 600,500 ms ×
// 2.9375 GB × 730 = 46,357,098.75 GB-s × $0.0000133334 = $618.10; busy
// 36 × 600.5 s / 3,600 s = 6.0 environments; max 800 s = 13m20s = 89 % of
// 900 s; p99 780 s = 87 % of the 15 min timeout.
//
// LMI (c6g.large, 2 vCPU / 4 GiB, $0.068/h; 1 vCPU × 2 GiB environments,
// 2 per instance): api needs 0.05 s × 1,024/1,769 = 0.028943 s of CPU a
// request, 0.5 / 0.028943 = 17.275 req/s per environment; its 10-minute
// rates 50, 50, 100, 200, 100, 100 req/s need 3, 3, 6, 12, 6, 6
// environments = 3, 3, 3, 6, 3, 3 instances (3 at least), a mean of 3.5:
// 2,555 h × $0.068 = $173.74 + 15 % $26.061 + $52.56 = $252.36, saving
// $271.65 − $252.36 = $19.29. report (2,000 MB used, so 2 GiB environments;
// CPU 600 s a request, 0.01 req/s): 0.01 × 600 / 0.5 = 12 environments = 6
// instances × 730 h × $0.068 × 1.15 = $342.516 + $0.005 = $342.52, saving
// $618.10 − $342.52 = $275.58.
var recommendDataset = []string{"271.65", "134.72", "136.93", "227.83", "43.82", "618.10", "6.0", "89%", "87%", "252.36", "19.29", "342.52", "275.58"}

// mixed-pc (pricing/testdata/mixed-pc.dataset.json, 73 h; month ×10), by
// hand in pricing/datasetbill_test.go: orders x86 at 512 and 1024 MB,
// 2 provisioned: on-demand 6,247 GB-s × $0.0000166667 = $0.1041168749,
// provisioned duration 1,553 GB-s × $0.0000097222 = $0.0150985766, PC
// 2 × 73 h × 3,600 s × 1 GB = 525,600 GB-s × $0.0000041667 = $2.19001752,
// requests $0.02: $2.3292329715 ($2.33), month $23.292329715 ($23.29);
// window GB-s 2,403 + 3,844 + 1,553 = 7,800; thumbs arm64 2048 MB: $0.001 +
// 4,000 GB-s × $0.0000133334 = $0.0543336 ($0.05), month $0.546536016
// ($0.55); legacy incomplete: totals "at least" $2.38 and $23.84; 105,000
// invocations, 11,800 GB-s.
var (
	mixedPC     = []string{"2.33", "23.29", "0.05", "0.55", "2.38", "23.84", "105000", "7800", "4000", "11800"}
	mixedPCJSON = []string{"2.3292329715", "23.292329715", "0.0543336", "0.546536016", "0.1041168749", "0.0150985766", "4000"}
)

// keyNumbers maps a golden file (path from the repository root) to the
// numbers it must contain.
var keyNumbers = map[string][]string{
	"testdata/golden/estimate/e1.table":    e1,
	"testdata/golden/estimate/e1.markdown": e1,
	"testdata/golden/estimate/e1.csv":      e1,

	"testdata/golden/pricing/us-east-1.table":    usEast1,
	"testdata/golden/pricing/us-east-1.markdown": usEast1,
	"testdata/golden/pricing/us-east-1.csv":      usEast1,
	// us-east-2: tier-1 rates as us-east-1 (same in every listed region),
	// the rest not known; the tier bounds and the free tier are global.
	"testdata/golden/pricing/us-east-2.markdown": {"0.0000166667", "0.0000133334", "6000000000", "7500000000", "9000000000", "11250000000", "1000000", "400000"},

	"testdata/golden/report/dataset.table":     dataset,
	"testdata/golden/report/dataset.markdown":  dataset,
	"testdata/golden/report/dataset.csv":       dataset,
	"reports/testdata/dataset.table.golden":    dataset,
	"reports/testdata/dataset.markdown.golden": dataset,
	"reports/testdata/dataset.csv.golden":      dataset,

	"testdata/compare/flags.table":    flags,
	"testdata/compare/flags.markdown": flags,
	// The CSV is the cost curve: at 1,000,000 requests Lambda x86 costs
	// $0.20 + 200,000 GB-s × $0.0000166667 = $3.53, arm64 $0.20 + $2.67 =
	// $2.87; at 131,400,000 (the current volume) $464.28 and $376.68.
	"testdata/compare/flags.csv": {"1000000", "3.53", "2.87", "131400000", "464.28", "376.68"},

	"testdata/compare/plan-steady.table":    planSteady,
	"testdata/compare/plan-steady.markdown": planSteady,
	"testdata/compare/plan-steady.csv":      planSteadyCSV,

	"testdata/check/golden/passing.txt":  checkPassing,
	"testdata/check/golden/passing.md":   checkPassing,
	"testdata/check/golden/passing.json": checkPassingJSON,
	"testdata/check/golden/failing.txt":  checkFailing,
	"testdata/check/golden/failing.md":   checkFailing,
	"testdata/check/golden/failing.json": checkFailingJSON,
	"testdata/check/golden/pr.txt":       checkPR,
	"testdata/check/golden/pr.md":        checkPRMd,
	"testdata/check/golden/pr.json":      checkPRJSON,

	"reports/testdata/simulation.table.golden":    simulation,
	"reports/testdata/simulation.markdown.golden": simulation,
	"reports/testdata/simulation.csv.golden":      simulationCSV,
	"reports/testdata/compare.table.golden":       compareGrid,
	"reports/testdata/compare.markdown.golden":    compareGrid,
	"reports/testdata/compare.csv.golden":         compareGridCSV,
	"reports/testdata/tune.table.golden":          tune,
	"reports/testdata/tune.markdown.golden":       tune,
	"reports/testdata/tune.csv.golden":            tune,
	"reports/testdata/plan.table.golden":          planGrid,
	"reports/testdata/plan.markdown.golden":       planGrid,
	"reports/testdata/plan.csv.golden":            planGridCSV,

	"testdata/golden/simulate/checkout.txt":       simCheckout,
	"testdata/golden/simulate/steady-analytic.md": simSteady,
	"testdata/compare/recommend-dataset.markdown": recommendDataset,
	"reports/testdata/mixed-pc.table.golden":      mixedPC,
	"reports/testdata/mixed-pc.json.golden":       mixedPCJSON,
}

var (
	thousands = regexp.MustCompile(`\b\d{1,3}(,\d{3})+\b`)
	root      string
)

// Check fails t unless got, the content of the golden file at path (as
// the test names it: relative to its package directory or absolute),
// shows every key number registered for it, or if none is registered.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	key := repoPath(path)
	want, ok := keyNumbers[key]
	if !ok {
		t.Errorf("golden %s has no independently derived key numbers: add them to internal/goldennumbers", key)
		return
	}
	text := string(got)
	if !strings.HasSuffix(key, ".csv") && !strings.HasSuffix(key, ".csv.golden") {
		text = thousands.ReplaceAllStringFunc(text, func(m string) string { return strings.ReplaceAll(m, ",", "") })
	}
	for _, w := range want {
		re := regexp.MustCompile(`(^|[^0-9.])` + regexp.QuoteMeta(w) + `($|[^0-9])`)
		if !re.MatchString(text) {
			t.Errorf("golden %s lacks the key number %s (derived by hand in internal/goldennumbers); the output is wrong, or the derivation is", key, w)
		}
	}
}

// repoPath turns a test's path into one relative to the repository root.
func repoPath(p string) string {
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	dir := abs
	for {
		if fileExists(filepath.Join(dir, "go.mod")) {
			rel, err := filepath.Rel(dir, abs)
			if err != nil {
				return filepath.ToSlash(p)
			}
			return filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.ToSlash(p)
		}
		dir = parent
	}
}
