package pricing

import (
	"reflect"
	"sort"
	"testing"
)

func TestViewKeepsOnlyTheRegions(t *testing.T) {
	tab := NewPriceTable()
	tab.Date, tab.Currency, tab.Origin = "2026-11-01", "USD", "embedded"
	tab.FreeTier = FreeTier{Requests: 1_000_000, GBSeconds: 400_000}
	tab.Sources = []Source{{ID: "a", Title: "old"}, {ID: "b", Title: "B"}, {ID: "a", Title: "new"}}
	for _, r := range []string{"us-east-1", "eu-west-1", "ap-south-1"} {
		tab.Lambda[r] = &LambdaRegion{Name: r}
		tab.ALB[r] = &ALBPrices{}
		tab.EBS[r] = &EBSPrices{}
		tab.EC2[r] = map[string]*InstanceType{"m7g.large": {Name: "m7g.large"}}
		tab.Provenance["lambda/"+r+"/arm64/requests"] = PriceSource{Source: "a"}
	}
	tab.Logs["eu-west-1"] = &LogsPrices{}
	tab.TransferOut["ap-south-1"] = []GBTier{{}}
	tab.Provenance["free_tier/requests"] = PriceSource{Source: "b"}
	tab.Provenance["global"] = PriceSource{Source: "b"}

	for _, c := range []struct {
		name    string
		regions []string
		lambda  []string
		prov    []string
		logs    int
		xfer    int
	}{
		{"one", []string{"eu-west-1"}, []string{"eu-west-1"}, []string{"free_tier/requests", "global", "lambda/eu-west-1/arm64/requests"}, 1, 0},
		{"two", []string{"us-east-1", "ap-south-1"}, []string{"ap-south-1", "us-east-1"}, []string{"free_tier/requests", "global", "lambda/ap-south-1/arm64/requests", "lambda/us-east-1/arm64/requests"}, 0, 1},
		{"unknown region", []string{"mars-1"}, []string{}, []string{"free_tier/requests", "global"}, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			v := tab.View(c.regions)
			if got := v.Regions(); !reflect.DeepEqual(got, c.lambda) {
				t.Errorf("Lambda regions %q, want %q", got, c.lambda)
			}
			if len(v.ALB) != len(c.lambda) || len(v.EBS) != len(c.lambda) || len(v.EC2) != len(c.lambda) {
				t.Errorf("ALB %d EBS %d EC2 %d regions, want %d", len(v.ALB), len(v.EBS), len(v.EC2), len(c.lambda))
			}
			if len(v.Logs) != c.logs || len(v.TransferOut) != c.xfer {
				t.Errorf("logs %d transfer %d, want %d %d", len(v.Logs), len(v.TransferOut), c.logs, c.xfer)
			}
			var prov []string
			for k := range v.Provenance {
				prov = append(prov, k)
			}
			sort.Strings(prov)
			if !reflect.DeepEqual(prov, c.prov) {
				t.Errorf("provenance %q, want %q", prov, c.prov)
			}
			if v.Date != tab.Date || v.Currency != "USD" || v.Origin != "embedded" || v.FreeTier != tab.FreeTier {
				t.Errorf("header not copied: %+v", v)
			}
			want := []Source{{ID: "a", Title: "new"}, {ID: "b", Title: "B"}}
			if !reflect.DeepEqual(v.Sources, want) {
				t.Errorf("sources %+v, want %+v", v.Sources, want)
			}
		})
	}
	if len(tab.Sources) != 3 || len(tab.Lambda) != 3 {
		t.Error("View changed the table")
	}
}
