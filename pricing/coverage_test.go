package pricing

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// coverageInstanceTypes are the EC2 types the embedded table promises
// (issue 14): m/c/r 6–8, Graviton and x86, large–4xlarge, and t3/t4g.
func coverageInstanceTypes() []string {
	var out []string
	for _, fam := range []string{"m6g", "m6i", "m7g", "m7i", "m8g", "m8i", "c6g", "c6i", "c7g", "c7i", "c8g", "c8i", "r6g", "r6i", "r7g", "r7i", "r8g", "r8i"} {
		for _, size := range []string{"large", "xlarge", "2xlarge", "4xlarge"} {
			out = append(out, fam+"."+size)
		}
	}
	for _, fam := range []string{"t3", "t4g"} {
		for _, size := range []string{"micro", "small", "medium", "large", "xlarge", "2xlarge"} {
			out = append(out, fam+"."+size)
		}
	}
	return out
}

// priceGaps lists, per dimension, the regions of t.Lambda (every
// commercial region) where that price is not known.
func priceGaps(t *PriceTable) map[string][]string {
	tierKnown := func(ap *ArchPrices, k int) bool {
		return len(ap.DurationTiers) > k && ap.DurationTiers[k].Price != nil
	}
	type dim struct {
		name  string
		known func(region string, r *LambdaRegion) bool
	}
	both := func(f func(*ArchPrices) bool) func(string, *LambdaRegion) bool {
		return func(_ string, r *LambdaRegion) bool { return f(r.X86) && f(r.ARM) }
	}
	one := func(a Architecture, f func(*ArchPrices) bool) func(string, *LambdaRegion) bool {
		return func(_ string, r *LambdaRegion) bool { return f(r.Arch(a)) }
	}
	dims := []dim{
		{"Lambda requests", both(func(a *ArchPrices) bool { return a.RequestsPerMillion != nil })},
		{"Lambda duration tier 1", both(func(a *ArchPrices) bool { return tierKnown(a, 0) })},
		{"Lambda duration tiers 2–3", both(func(a *ArchPrices) bool { return tierKnown(a, 1) && tierKnown(a, 2) })},
		{"Lambda ephemeral storage", both(func(a *ArchPrices) bool { return a.Ephemeral != nil })},
		{"Lambda provisioned concurrency and its duration rate, x86_64", one(X86_64, func(a *ArchPrices) bool { return a.Provisioned != nil && a.ProvisionedDuration != nil })},
		{"Lambda provisioned concurrency and its duration rate, arm64", one(ARM64, func(a *ArchPrices) bool { return a.Provisioned != nil && a.ProvisionedDuration != nil })},
		{"Lambda SnapStart cache and restore, x86_64", one(X86_64, func(a *ArchPrices) bool { return a.SnapStartCache != nil && a.SnapStartRestore != nil })},
		{"Lambda SnapStart cache and restore, arm64", one(ARM64, func(a *ArchPrices) bool { return a.SnapStartCache != nil && a.SnapStartRestore != nil })},
		{"Lambda response streaming", both(func(a *ArchPrices) bool { return a.Streaming != nil })},
		{"Lambda@Edge, Durable Functions, tenant isolation, provisioned event source mappings", func(_ string, r *LambdaRegion) bool {
			x := r.X86
			return x.EdgeRequestsPerMillion != nil && x.EdgeDuration != nil && x.DurableOperationsPerMillion != nil && x.DurableWrittenPerGB != nil &&
				x.DurableRetainedPerGBMonth != nil && x.TenantEnvironmentPerGB != nil && x.ESMKafkaEPUHour != nil && x.ESMSQSEPUHour != nil
		}},
		{"EC2 on-demand Linux (m/c/r 6–8 large–4xlarge, t3/t4g)", func(region string, _ *LambdaRegion) bool {
			for _, it := range coverageInstanceTypes() {
				if t.EC2[region][it] == nil {
					return false
				}
			}
			return true
		}},
		{"Fargate x86_64 and arm64", func(region string, _ *LambdaRegion) bool {
			return t.Fargate[region][X86_64] != nil && t.Fargate[region][ARM64] != nil
		}},
		{"ALB", func(region string, _ *LambdaRegion) bool { return t.ALB[region] != nil }},
		{"API Gateway REST and HTTP", func(region string, _ *LambdaRegion) bool {
			p := t.APIGateway[region]
			return p != nil && len(p.REST) > 0 && len(p.HTTP) > 0
		}},
		{"EBS gp3 and gp2", func(region string, _ *LambdaRegion) bool { return t.EBS[region] != nil }},
		{"Data transfer out to the internet", func(region string, _ *LambdaRegion) bool { return len(t.TransferOut[region]) > 0 }},
		{"CloudWatch Logs ingestion (Lambda logs)", func(region string, _ *LambdaRegion) bool {
			_, err := t.LogsFor(region)
			return err == nil
		}},
	}
	out := map[string][]string{}
	for _, d := range dims {
		out[d.name] = []string{}
		for _, region := range t.Regions() {
			if !d.known(region, t.Lambda[region]) {
				out[d.name] = append(out[d.name], region)
			}
		}
	}
	return out
}

// readmeUnknowns parses README's "Prices not known" table: one row per
// dimension, the regions as a list, "—" for none, or "all except a, b".
func readmeUnknowns(t *testing.T, regions []string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "<!-- unknown-prices:begin -->")
	j := strings.Index(s, "<!-- unknown-prices:end -->")
	if i < 0 || j < i {
		t.Fatal("README has no unknown-prices section")
	}
	row := regexp.MustCompile(`^\| (.+?) \| (.+?) \|$`)
	out := map[string][]string{}
	for _, line := range strings.Split(s[i:j], "\n") {
		m := row.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil || m[1] == "Prices" || strings.HasPrefix(m[1], "---") {
			continue
		}
		cell := strings.TrimSpace(m[2])
		var list []string
		switch {
		case cell == "—":
			list = []string{}
		case cell == "every region":
			list = append([]string{}, regions...)
		case strings.HasPrefix(cell, "all except "):
			except := map[string]bool{}
			for _, r := range strings.Split(strings.TrimPrefix(cell, "all except "), ", ") {
				except[strings.Trim(r, "`")] = true
			}
			for _, r := range regions {
				if !except[r] {
					list = append(list, r)
				}
			}
		default:
			for _, r := range strings.Split(cell, ", ") {
				list = append(list, strings.Trim(r, "`"))
			}
		}
		sort.Strings(list)
		out[m[1]] = list
	}
	return out
}

// Every region has every dimension, or README says it does not: a price
// added or lost without README following fails here.
func TestEveryRegionHasEveryDimensionOrREADMESaysSo(t *testing.T) {
	tab := Embedded()
	if len(tab.Regions()) < 36 {
		t.Fatalf("the table lists %d regions, want every commercial region (36 in pricedata/regions.csv)", len(tab.Regions()))
	}
	got := priceGaps(tab)
	want := readmeUnknowns(t, tab.Regions())
	for dim, regions := range got {
		w, ok := want[dim]
		if !ok {
			t.Errorf("README lists no row %q; its gaps are: %s", dim, strings.Join(regions, ", "))
			continue
		}
		if strings.Join(w, ",") != strings.Join(regions, ",") {
			t.Errorf("%s: not known in %v, README says %v", dim, regions, w)
		}
	}
	for dim := range want {
		if _, ok := got[dim]; !ok {
			t.Errorf("README row %q is not a dimension the test knows", dim)
		}
	}
}

// Every price of the generated table names a source of the table and a date.
func TestEveryPriceHasProvenance(t *testing.T) {
	tab := Embedded()
	ids := map[string]bool{}
	for _, s := range tab.Sources {
		ids[s.ID] = true
	}
	var missing []string
	need := func(k string) {
		p, ok := tab.Provenance[k]
		if !ok {
			missing = append(missing, k)
			return
		}
		if !ids[p.Source] || len(p.Date) != 10 {
			t.Errorf("%s: provenance %+v names an unknown source or no date", k, p)
		}
	}
	for region, r := range tab.Lambda {
		for _, a := range Architectures {
			ap := r.Arch(a)
			k := "lambda/" + region + "/" + string(a) + "/"
			for name, p := range map[string]*Price{"requests": ap.RequestsPerMillion, "ephemeral": ap.Ephemeral, "provisioned": ap.Provisioned, "provisioned_duration": ap.ProvisionedDuration,
				"snapstart_cache": ap.SnapStartCache, "snapstart_restore": ap.SnapStartRestore, "streaming": ap.Streaming, "edge_requests": ap.EdgeRequestsPerMillion, "edge_duration": ap.EdgeDuration,
				"durable_operations": ap.DurableOperationsPerMillion, "durable_written": ap.DurableWrittenPerGB, "durable_retained": ap.DurableRetainedPerGBMonth,
				"tenant_environment": ap.TenantEnvironmentPerGB, "esm_kafka_epu_hour": ap.ESMKafkaEPUHour, "esm_sqs_epu_hour": ap.ESMSQSEPUHour} {
				if p != nil {
					need(k + name)
				}
			}
			for i, tr := range ap.DurationTiers {
				if tr.Price != nil {
					need(k + "duration/tier" + string(rune('1'+i)))
				}
			}
		}
	}
	for region, m := range tab.EC2 {
		for name := range m {
			need("ec2/" + region + "/" + name)
		}
	}
	for region := range tab.Logs {
		for i := range tab.Logs[region].LambdaStandard {
			need("logs/" + region + "/lambda_standard/tier" + string(rune('1'+i)))
		}
	}
	for region, ts := range tab.TransferOut {
		for i := range ts {
			need("transfer/" + region + "/internet_out/tier" + string(rune('1'+i)))
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("prices without provenance: %v", missing)
	}
}
