package reports

// EchartsScript returns the embedded echarts.min.js (the pinned,
// checksummed build of `make assets`), or nil when this binary was built
// without it. Pages that cannot inline scripts (a strict
// Content-Security-Policy, as `lambdacost serve` sends) serve it as a file
// of their own origin.
func EchartsScript() []byte { return embeddedEcharts() }
