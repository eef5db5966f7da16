// Package collector brings real Lambda activity into lambdacost as a
// pricing.Dataset.
//
// Collector pulls it from AWS: function configuration from Lambda
// (ListFunctions / GetFunctionConfiguration, provisioned concurrency),
// metrics from CloudWatch GetMetricData — packed into the fewest calls the
// API's limits allow (PlanQueries, Pack, MinCalls), at the finest period
// CloudWatch keeps for the window (ChooseWindow) — and optionally REPORT
// records from CloudWatch Logs. Importer reads the same from files:
// exported Lambda logs (text REPORT lines and JSON platform.report
// records, plain or gzip), `aws logs filter-log-events` output and
// `aws cloudwatch get-metric-data` output, streaming.
//
// Nothing here prints: problems (malformed lines with file:line, partial
// API failures) go into Dataset.Problems, progress into a callback.
package collector
