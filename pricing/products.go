package pricing

import "github.com/shopspring/decimal"

// Lines of Lambda's newer products (AWS's pricing page, us-east-1 prices).
const (
	LineDurableOperations  = "durable_operations"
	LineDurableWritten     = "durable_written"
	LineDurableRetained    = "durable_retained"
	LineTenantEnvironments = "tenant_environments"
	LineESMProvisioned     = "esm_provisioned"
)

// edgeLines prices a Lambda@Edge function: every request at the Edge
// request rate and its GB-s (metered per ms) at the Edge duration rate.
func edgeLines(c *Cost, fb *FunctionBill, ap *ArchPrices, region string) error {
	if fb.Usage.Requests > 0 {
		if ap.EdgeRequestsPerMillion == nil {
			return Inputf("--region", "the %s Lambda@Edge request price in %s is not known", fb.Function.Architecture, region)
		}
		c.Add(NewLine(LineRequests, "requests", decimal.NewFromInt(fb.Usage.Requests), ap.EdgeRequestsPerMillion.Div(dMillion)))
	}
	if fb.GBSeconds.IsPositive() {
		if ap.EdgeDuration == nil {
			return Inputf("--region", "the %s Lambda@Edge duration price in %s is not known", fb.Function.Architecture, region)
		}
		c.Add(NewLine(LineDuration, "GB-s", fb.GBSeconds, *ap.EdgeDuration))
	}
	return nil
}

// productLines adds Durable Functions, tenant isolation and provisioned
// event source mappings.
func productLines(c *Cost, fb *FunctionBill, ap *ArchPrices, region string) error {
	u := fb.Usage
	a := fb.Function.Architecture
	need := func(p *Price, what string) error {
		if p == nil {
			return Inputf("--region", "the %s %s price in %s is not known (see README, Prices not known)", a, what, region)
		}
		return nil
	}
	if u.DurableOperations > 0 {
		if err := need(ap.DurableOperationsPerMillion, "durable-operation"); err != nil {
			return err
		}
		c.Add(NewLine(LineDurableOperations, "operations", decimal.NewFromInt(u.DurableOperations), ap.DurableOperationsPerMillion.Div(dMillion)))
	}
	if u.DurableWrittenGB > 0 {
		if err := need(ap.DurableWrittenPerGB, "durable data-written"); err != nil {
			return err
		}
		c.Add(NewLine(LineDurableWritten, "GB", decimal.NewFromFloat(u.DurableWrittenGB), *ap.DurableWrittenPerGB))
	}
	if u.DurableRetainedGBMonths > 0 {
		if err := need(ap.DurableRetainedPerGBMonth, "durable retention"); err != nil {
			return err
		}
		c.Add(NewLine(LineDurableRetained, "GB-months", decimal.NewFromFloat(u.DurableRetainedGBMonths), *ap.DurableRetainedPerGBMonth))
	}
	if u.TenantEnvironments > 0 {
		if err := need(ap.TenantEnvironmentPerGB, "tenant-isolation"); err != nil {
			return err
		}
		q := decimal.NewFromInt(u.TenantEnvironments).Mul(decimal.NewFromInt(int64(fb.Function.MemoryMB))).Div(d1024)
		c.Add(NewLine(LineTenantEnvironments, "environment-GB", q, *ap.TenantEnvironmentPerGB))
	}
	for _, e := range []struct {
		kind  string
		hours float64
		price *Price
	}{{ESMKafka, u.ESMKafkaEPUHours, ap.ESMKafkaEPUHour}, {ESMSQS, u.ESMSQSEPUHours, ap.ESMSQSEPUHour}} {
		if e.hours <= 0 {
			continue
		}
		if err := need(e.price, e.kind+" event-poller-unit"); err != nil {
			return err
		}
		c.Add(NewLine(LineESMProvisioned, "EPU-hours", decimal.NewFromFloat(e.hours), *e.price))
	}
	return nil
}
