package pricing

// The embedded price table is generated from the facts in pricedata/ and,
// when $LAMBDACOST_OFFERS names a directory of AWS Price List bulk offer
// files, from those files (their prices win). See pricedata/README.md.
//go:generate go run ./internal/pricegen -data pricedata -out prices.json
