package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Cross-checks: a sample of every dimension of the embedded table against a
// second source, independent of the one the table cites for it (see
// pricedata/sources.csv). The figures below were read in those second
// sources; where only a total was published, the test recomputes it by hand.
func TestPricesAgreeWithASecondSource(t *testing.T) {
	tab := Embedded()
	d := decimal.RequireFromString
	eq := func(what string, got *Price, want string) {
		t.Helper()
		if got == nil {
			t.Errorf("%s: not in the table, second source says %s", what, want)
			return
		}
		if !got.Equal(d(want)) {
			t.Errorf("%s: table %s, second source %s", what, got, want)
		}
	}
	lam := func(region string, a Architecture) *ArchPrices { return tab.Lambda[region].Arch(a) }
	tier := func(region string, a Architecture, k int) *Price { return lam(region, a).DurationTiers[k].Price }

	// Lambda duration tier 1: artilleryio/artillery prices.js (units of
	// 1e-11 $/GB-s; a "base" rate and the regions that differ). The table's
	// figures come from the Pricing Calculator extract in remotion.
	for region, w := range map[string][2]string{
		"us-east-1": {"0.0000166667", "0.0000133334"}, "eu-west-1": {"0.0000166667", "0.0000133334"},
		"ap-northeast-1": {"0.0000166667", "0.0000133334"}, "sa-east-1": {"0.0000166667", "0.0000133334"},
		"af-south-1": {"0.0000221", "0.00001768"}, "ap-east-1": {"0.00002292", "0.0000183"},
		"eu-south-1": {"0.0000195172", "0.0000156138"}, "me-south-1": {"0.0000206667", "0.0000165334"},
	} {
		eq(region+" x86_64 duration tier 1", tier(region, X86_64, 0), w[0])
		eq(region+" arm64 duration tier 1", tier(region, ARM64, 0), w[1])
	}
	// Lambda duration tier 1, every region group: janritter's
	// aws-lambda-live-tuner cost/cost.go (2022), printed from the AWS Price
	// List API (GetProducts, beginRange 0), x86_64 for 24 regions and arm64
	// for 22 (its arm64 map has no me-central-1). The table's figures come
	// from remotion's calculator extract and, for me-central-1, artillery.
	// (ap-southeast-3's figures cite this file, so it is no check of them.)
	const base86, baseArm = "0.0000166667", "0.0000133334"
	for _, region := range []string{"us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
		"eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "ap-south-1",
		"ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3"} {
		eq(region+" x86_64 duration tier 1 (live-tuner)", tier(region, X86_64, 0), base86)
		eq(region+" arm64 duration tier 1 (live-tuner)", tier(region, ARM64, 0), baseArm)
	}
	for region, w := range map[string][2]string{
		"af-south-1": {"0.0000221000", "0.0000176800"}, "ap-east-1": {"0.0000229200", "0.0000183000"},
		"eu-south-1": {"0.0000195172", "0.0000156138"}, "me-south-1": {"0.0000206667", "0.0000165334"},
	} {
		eq(region+" x86_64 duration tier 1 (live-tuner)", tier(region, X86_64, 0), w[0])
		eq(region+" arm64 duration tier 1 (live-tuner)", tier(region, ARM64, 0), w[1])
	}
	eq("me-central-1 x86_64 duration tier 1 (live-tuner)", tier("me-central-1", X86_64, 0), "0.0000206667")
	// Lambda requests per million: the older remotion file (price-per-1-ms.ts,
	// an earlier calculator extract) and AWS's worked examples (us-east-1).
	for region, w := range map[string]string{"us-east-1": "0.20", "af-south-1": "0.27", "ap-east-1": "0.28", "eu-south-1": "0.23", "me-south-1": "0.25", "sa-east-1": "0.20"} {
		eq(region+" requests", lam(region, X86_64).RequestsPerMillion, w)
	}
	// Provisioned concurrency and its duration rate, x86_64: AWS's worked
	// examples (us-east-1) and the older remotion file (sa-east-1).
	eq("us-east-1 PC", lam("us-east-1", X86_64).Provisioned, "0.0000041667")
	eq("us-east-1 PC duration", lam("us-east-1", X86_64).ProvisionedDuration, "0.0000097222")
	eq("sa-east-1 PC", lam("sa-east-1", X86_64).Provisioned, "0.0000066372")
	eq("sa-east-1 PC duration", lam("sa-east-1", X86_64).ProvisionedDuration, "0.0000154867")
	// Ephemeral storage: AWS's example 3 (us-east-1).
	eq("us-east-1 ephemeral", lam("us-east-1", X86_64).Ephemeral, "0.0000000309")
	// eu-west-2 (table: remotion's calculator extract) against the London
	// Price List rows that LONDON-PL-2026 quotes (AWSLambda file published
	// 2026-10-01): EUW2-Request $0.0000002, EUW2-Lambda-GB-Second
	// $0.0000166667, -ARM $0.0000133334, EUW2-Lambda-Storage-GB-Second
	// $0.0000000358, EUW2-Lambda-Provisioned-Concurrency $0.0000048304.
	eq("eu-west-2 requests", lam("eu-west-2", X86_64).RequestsPerMillion, "0.20")
	eq("eu-west-2 x86_64 duration tier 1", tier("eu-west-2", X86_64, 0), "0.0000166667")
	eq("eu-west-2 arm64 duration tier 1", tier("eu-west-2", ARM64, 0), "0.0000133334")
	eq("eu-west-2 ephemeral", lam("eu-west-2", X86_64).Ephemeral, "0.0000000358")
	eq("eu-west-2 PC", lam("eu-west-2", X86_64).Provisioned, "0.0000048304")
	// ap-south-1 requests (table: remotion's extract) against the Mumbai
	// list-price snapshot of a study in another public repository:
	// "Lambda standard requests: 2e-07 USD per Request (APS3-Request)".
	eq("ap-south-1 requests", lam("ap-south-1", X86_64).RequestsPerMillion, "0.20")

	// Totals published by a second source, recomputed from the table.
	total := func(what string, q string, p *Price, want string) {
		t.Helper()
		if p == nil {
			t.Errorf("%s: price not in the table", what)
			return
		}
		if got := RoundCents(d(q).Mul(*p)); !got.Equal(d(want)) {
			t.Errorf("%s: %s × %s = %s, second source says %s", what, q, p, got, want)
		}
	}
	// infracost golden files: arm64 tiers 2 and 3, x86_64 tier 3, arm64 PC
	// and its duration rate (us-east-1).
	total("arm64 tier 2", "11250000000", tier("us-east-1", ARM64, 1), "135001.13")
	total("arm64 tier 3", "18750000000", tier("us-east-1", ARM64, 2), "200000.63")
	total("x86_64 tier 3", "15000000000", tier("us-east-1", X86_64, 2), "200001.00")
	total("arm64 PC", "9000000", lam("us-east-1", ARM64).Provisioned, "30.00")
	total("arm64 PC duration", "1750000", lam("us-east-1", ARM64).ProvisionedDuration, "13.61")
	// x86_64 tier 2 is tier 1 less 10 % (AWS's tiered-pricing announcement):
	// 0.0000166667 × 0.9 = 0.00001500003, published to 10 decimals.
	if got := tier("us-east-1", X86_64, 1); got == nil || !d("0.0000166667").Mul(d("0.9")).Round(10).Equal(*got) {
		t.Errorf("x86_64 tier 2 = %v, want tier 1 less 10%%", got)
	}
	// SnapStart (AWS's SnapStart example): 74,400 restores of 1 GB "$10.4";
	// cache 744 h × 3,600 s × 1 GB (cache billed on memory) = $4.03.
	total("SnapStart restore", "74400", lam("us-east-1", X86_64).SnapStartRestore, "10.40")
	total("SnapStart cache", "2678400", lam("us-east-1", X86_64).SnapStartCache, "4.03")
	// Response streaming (AWS's streaming example): $0.008 per GB.
	eq("streaming x86_64", lam("us-east-1", X86_64).Streaming, "0.008")
	eq("streaming arm64", lam("us-east-1", ARM64).Streaming, "0.008")

	// EC2 (us-east-1; the table cites karpenter's generated price file):
	// AWS's Managed Instances example quotes m7g.xlarge at $0.1632/h;
	// infracost's golden prices t3.medium 730 h at $30.37.
	ec2 := func(name string) *Price {
		it, err := tab.Instance("us-east-1", name)
		if err != nil {
			return nil
		}
		return &it.Hourly
	}
	eq("m7g.xlarge", ec2("m7g.xlarge"), "0.1632")
	total("t3.medium 730 h", "730", ec2("t3.medium"), "30.37")
	// Fargate (vantage.sh's Fargate pricing article, us-east-1).
	fx, _ := tab.FargateFor("us-east-1", X86_64)
	fa, _ := tab.FargateFor("us-east-1", ARM64)
	eq("Fargate x86 vCPU-h", &fx.VCPUHour, "0.04048")
	eq("Fargate x86 GB-h", &fx.GBHour, "0.004445")
	eq("Fargate arm vCPU-h", &fa.VCPUHour, "0.03238")
	eq("Fargate arm GB-h", &fa.GBHour, "0.00356")
	// ALB (cloud-horizons.com, May 2026): $0.0225 per ALB-hour, $0.008 per LCU-hour.
	alb, _ := tab.ALBFor("us-east-1")
	eq("ALB hour", &alb.Hour, "0.0225")
	eq("ALB LCU-hour", &alb.LCUHour, "0.008")
	// API Gateway (amnic.com and wring.co guides): REST $3.50/M for the
	// first 333M, then $2.80, $2.38, $1.51; HTTP $1.00/M for 300M, then $0.90.
	gw, _ := tab.APIGatewayFor("us-east-1")
	for i, w := range []string{"3.50", "2.80", "2.38", "1.51"} {
		eq("REST tier", &gw.REST[i].PerMillion, w)
	}
	eq("REST tier 1 bound", gw.REST[0].UpToMillions, "333")
	eq("HTTP tier 1", &gw.HTTP[0].PerMillion, "1.00")
	eq("HTTP tier 1 bound", gw.HTTP[0].UpToMillions, "300")
	eq("HTTP tier 2", &gw.HTTP[1].PerMillion, "0.90")
	// EBS (saisci.com, quoting AWS's EBS pricing page, N. Virginia).
	ebs, _ := tab.EBSFor("us-east-1")
	eq("gp3 GB-month", &ebs.GP3GBMonth, "0.08")
	eq("gp3 IOPS-month", &ebs.GP3IOPSMonth, "0.005")
	eq("gp3 MBps-month", &ebs.GP3MBpsMonth, "0.04")
	eq("gp2 GB-month", &ebs.GP2GBMonth, "0.10")
	// CloudWatch Logs, Lambda logs (Duckbill Group): "60TB of Lambda logs
	// monthly ... would drop from $30,000 to $12,500": at $/GB with the
	// article's 1 TB = 1,000 GB, 10 TB × 0.50 + 20 × 0.25 + 20 × 0.10 + 10 × 0.05.
	logs, err := tab.LogsFor("us-east-1")
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Zero
	for i, tb := range []int64{10, 20, 20, 10} {
		sum = sum.Add(decimal.NewFromInt(tb * 1000).Mul(logs.LambdaStandard[i].PerGB))
	}
	if !sum.Equal(d("12500")) {
		t.Errorf("60 TB of Lambda logs = $%s, Duckbill says $12,500", sum)
	}
	if !logs.LambdaStandard[0].PerGB.Equal(d("0.5")) {
		t.Errorf("first logs tier $%s/GB, the old flat rate was $0.50", logs.LambdaStandard[0].PerGB)
	}
}
