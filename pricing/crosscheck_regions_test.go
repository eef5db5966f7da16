package pricing

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Cross-checks of the prices outside us-east-1 against a second source,
// independent of the one pricedata/sources.csv cites for them.
func TestRegionalPricesAgreeWithASecondSource(t *testing.T) {
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

	// Data transfer out (table: TRANSFER-PLX-2026). eu-west-1: real
	// AWSDataTransfer rows EU-DataTransfer-Out-Bytes (retrieved 2026-10-02)
	// quoted in another public repository's test: 0.09 / 0.085 / 0.07 /
	// 0.05 with bounds 10,240 / 51,200 / 153,600 GB. us-east-1 (table:
	// TRANSFER-WRING) agrees with the TRANSFER-PLX-2026 file's own us-east-1
	// row, which the table does not use.
	for _, region := range []string{"eu-west-1", "us-east-1"} {
		ts := tab.TransferOut[region]
		if len(ts) != 4 {
			t.Fatalf("%s: %d transfer tiers, want 4", region, len(ts))
		}
		for i, w := range []string{"0.09", "0.085", "0.07", "0.05"} {
			eq(region+" transfer tier", &ts[i].PerGB, w)
		}
		for i, w := range []string{"10240", "51200", "153600"} {
			eq(region+" transfer bound", ts[i].UpToGB, w)
		}
		if ts[3].UpToGB != nil {
			t.Errorf("%s: last transfer tier bounded at %s", region, ts[3].UpToGB)
		}
	}

	// EC2 (table, eu-west-1: SKYPILOT-AWS). The catalog's us-east-1 c7g
	// rows, which the table does not use, equal karpenter's (the table's
	// us-east-1 source, 6 decimals): $0.0725, $0.145, $0.29, $0.58.
	for name, w := range map[string]string{"c7g.large": "0.0725", "c7g.xlarge": "0.145", "c7g.2xlarge": "0.29", "c7g.4xlarge": "0.58"} {
		it, err := tab.Instance("us-east-1", name)
		if err != nil {
			t.Errorf("us-east-1 %s: %v", name, err)
			continue
		}
		eq("us-east-1 "+name+" (karpenter vs SkyPilot)", &it.Hourly, w)
	}

	// eu-west-1 ALB, Fargate and EBS against a real Cost Explorer bill for
	// eu-west-1, July 2026, published in a public repository: ALB
	// EU-LoadBalancerUsage $15.00 for 595 h (the hours are rounded to
	// whole hours: 595 × $0.0252 = $14.994, and the $15.00 needs 595.2 h at
	// that rate; $0.0225, us-east-1's rate, would give $13.39); Fargate
	// EU-Fargate-vCPU-Hours $6.01 for 148 vCPU-h (148 × $0.04048 = $5.99;
	// 148.5 h → $6.01) and EU-Fargate-GB-Hours $1.32 for 297 GB-h (297 ×
	// $0.004445 = $1.32).
	alb, err := tab.ALBFor("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	within := func(what string, qLow, qHigh, p decimal.Decimal, billed string) {
		t.Helper()
		lo, hi := RoundCents(qLow.Mul(p)), RoundCents(qHigh.Mul(p))
		if b := d(billed); b.LessThan(lo) || b.GreaterThan(hi) {
			t.Errorf("%s: %s–%s units × $%s = $%s–$%s, the bill says $%s", what, qLow, qHigh, p, lo, hi, billed)
		}
	}
	within("eu-west-1 ALB hours", d("594.5"), d("595.5"), alb.Hour, "15.00")
	fx, err := tab.FargateFor("eu-west-1", X86_64)
	if err != nil {
		t.Fatal(err)
	}
	within("eu-west-1 Fargate vCPU-h", d("147.5"), d("148.5"), fx.VCPUHour, "6.01")
	within("eu-west-1 Fargate GB-h", d("296.5"), d("297.5"), fx.GBHour, "1.32")
	eq("eu-west-1 ALB LCU-hour (real Price List row)", &alb.LCUHour, "0.008")

	// EBS gp3 in eu-west-1 (table: EBS-EUW1-2026): a public test fixture
	// seeding StoragePricing for eu-west-1 gp3 (usage type
	// EU-EBS:VolumeUsage.gp3) at $0.088 per GB-month.
	ebs, err := tab.EBSFor("eu-west-1")
	if err != nil {
		t.Fatal(err)
	}
	eq("eu-west-1 gp3 GB-month", &ebs.GP3GBMonth, "0.088")
}
