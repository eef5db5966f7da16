package main

import (
	"math"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/pflag"

	"github.com/lambdacost/lambdacost/pricing"
)

// billFlags are the costs around Lambda that a dataset's bill adds when
// asked (report, check): CloudWatch Logs for functions whose dataset did
// not measure their log bytes, data transfer out, API Gateway in front of
// every function, and a Compute Savings Plan discount.
type billFlags struct {
	LogBytes         pricing.ByteSize
	TransferOutBytes pricing.ByteSize
	APIGateway       string
	SavingsPlan      float64
}

func addBillFlags(fs *pflag.FlagSet, b *billFlags) {
	fs.Var(&b.LogBytes, "log-bytes", "bytes of CloudWatch logs each invocation writes (e.g. 2KB), for functions whose dataset did not measure them: adds a 'logs' cost line")
	fs.Var(&b.TransferOutBytes, "transfer-out-bytes-per-request", "bytes each invocation sends to the internet (e.g. 10KB): adds a 'data_transfer_out' cost line")
	fs.StringVar(&b.APIGateway, "api-gateway", "", "add API Gateway requests in front of every function: rest|http")
	fs.Float64Var(&b.SavingsPlan, "savings-plan", 0, "Compute Savings Plan discount on duration and provisioned concurrency, as a fraction (e.g. 0.17)")
}

// options returns the flags as bill options, refusing what cannot be priced.
func (b billFlags) options(freeTier bool) (pricing.Options, error) {
	if math.IsNaN(b.SavingsPlan) || b.SavingsPlan < 0 || b.SavingsPlan >= 1 {
		return pricing.Options{}, pricing.Inputf("--savings-plan", "discount %v is outside [0, 1) (e.g. 0.17 for 17 %%)", b.SavingsPlan)
	}
	gw := strings.ToLower(b.APIGateway)
	if gw != "" && gw != pricing.APIGatewayREST && gw != pricing.APIGatewayHTTP {
		return pricing.Options{}, pricing.Inputf("--api-gateway", "unknown API Gateway kind %q (want rest or http)", b.APIGateway)
	}
	return pricing.Options{FreeTier: freeTier, APIGateway: gw, ComputeSavingsPlan: decimal.NewFromFloat(b.SavingsPlan),
		LogBytesPerRequest: b.LogBytes, TransferOutBytesPerRequest: b.TransferOutBytes}, nil
}

// given reports whether any of the flags was set.
func (b billFlags) given() bool {
	return b.LogBytes > 0 || b.TransferOutBytes > 0 || b.APIGateway != "" || b.SavingsPlan != 0
}

// flagNames names the flags that were set, for messages.
func (b billFlags) flagNames() string {
	var n []string
	for name, set := range map[string]bool{"--log-bytes": b.LogBytes > 0, "--transfer-out-bytes-per-request": b.TransferOutBytes > 0,
		"--api-gateway": b.APIGateway != "", "--savings-plan": b.SavingsPlan != 0} {
		if set {
			n = append(n, name)
		}
	}
	sort.Strings(n)
	return strings.Join(n, ", ")
}
