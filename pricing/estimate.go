package pricing

import "github.com/shopspring/decimal"

// Estimate is the JSON view of one function's bill (the `estimate -o json`
// contract): its configuration, gross quantities, cost lines and total.
type Estimate struct {
	Name                 string          `json:"name,omitempty"`
	Region               string          `json:"region"`
	Architecture         Architecture    `json:"architecture"`
	MemoryMB             int             `json:"memory_mb"`
	EphemeralStorageMB   int             `json:"ephemeral_storage_mb,omitempty"`
	FreeTier             bool            `json:"free_tier"`
	Requests             int64           `json:"requests"`
	ColdStarts           int64           `json:"cold_starts,omitempty"`
	GBSeconds            float64         `json:"gb_seconds"`
	InitGBSeconds        float64         `json:"init_gb_seconds,omitempty"`
	ProvisionedGBSeconds float64         `json:"provisioned_gb_seconds,omitempty"`
	Lines                []CostLine      `json:"lines"`
	Assumptions          Assumptions     `json:"assumptions,omitempty"`
	TotalUSD             float64         `json:"total_usd"`
	Total                decimal.Decimal `json:"-"`
}

// Estimates returns one Estimate per function of the bill.
func (b *Bill) Estimates() []Estimate {
	out := make([]Estimate, len(b.Functions))
	for i, fb := range b.Functions {
		lines := fb.Cost.Lines
		if lines == nil {
			lines = []CostLine{}
		}
		eph := 0
		if fb.Function.EphemeralStorageMB > FreeEphemeralMB {
			eph = fb.Function.EphemeralStorageMB
		}
		out[i] = Estimate{
			Name:                 fb.Function.Name,
			Region:               b.Region,
			Architecture:         fb.Function.Architecture,
			MemoryMB:             fb.Function.MemoryMB,
			EphemeralStorageMB:   eph,
			FreeTier:             b.FreeTier,
			Requests:             fb.Usage.Requests,
			ColdStarts:           fb.Usage.ColdStarts,
			GBSeconds:            fb.GBSeconds.InexactFloat64(),
			InitGBSeconds:        fb.InitGBSeconds.InexactFloat64(),
			ProvisionedGBSeconds: fb.ProvisionedGBSeconds.InexactFloat64(),
			Lines:                lines,
			Assumptions:          b.Assumptions,
			TotalUSD:             fb.Cost.Total.InexactFloat64(),
			Total:                fb.Cost.Total,
		}
	}
	return out
}
