package whatif
var browserCancel = func() {}
