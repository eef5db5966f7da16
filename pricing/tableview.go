package pricing

import "strings"

// View is the part of t that concerns regions, in the table's own JSON form
// (which `--price-file` and $LAMBDACOST_PRICE_FILE accept back): the date,
// currency, description, origin, free tier and sources (each source ID
// once, the last one read winning, since Merge appends an override file's
// sources which may repeat the embedded ones), every per-region price of
// those regions, and the provenance of those prices, of the free tier and
// of any key that names no region. t is not changed; the view shares its
// price values.
func (t *PriceTable) View(regions []string) *PriceTable {
	v := NewPriceTable()
	v.Date, v.Currency, v.Description, v.Origin = t.Date, t.Currency, t.Description, t.Origin
	v.Sources, v.FreeTier = uniqueSources(t.Sources), t.FreeTier
	want := map[string]bool{}
	for _, r := range regions {
		want[r] = true
	}
	for k, p := range t.Provenance {
		if parts := strings.SplitN(k, "/", 3); len(parts) < 2 || want[parts[1]] || parts[0] == "free_tier" {
			v.Provenance[k] = p
		}
	}
	for _, r := range regions {
		if x := t.Logs[r]; x != nil {
			v.Logs[r] = x
		}
		if x := t.TransferOut[r]; x != nil {
			v.TransferOut[r] = x
		}
		if x := t.Lambda[r]; x != nil {
			v.Lambda[r] = x
		}
		if x := t.EC2[r]; x != nil {
			v.EC2[r] = x
		}
		if x := t.Fargate[r]; x != nil {
			v.Fargate[r] = x
		}
		if x := t.ALB[r]; x != nil {
			v.ALB[r] = x
		}
		if x := t.APIGateway[r]; x != nil {
			v.APIGateway[r] = x
		}
		if x := t.EBS[r]; x != nil {
			v.EBS[r] = x
		}
	}
	return v
}

// uniqueSources drops repeated source IDs, keeping the first one's place
// and the last one's content.
func uniqueSources(in []Source) []Source {
	at := map[string]int{}
	var out []Source
	for _, s := range in {
		if i, ok := at[s.ID]; ok {
			out[i] = s
			continue
		}
		at[s.ID] = len(out)
		out = append(out, s)
	}
	return out
}
