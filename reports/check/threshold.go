package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Op is a comparison operator of a threshold expression.
type Op string

// The operators of k6's threshold syntax.
const (
	Less         Op = "<"
	LessEqual    Op = "<="
	Greater      Op = ">"
	GreaterEqual Op = ">="
	Equal        Op = "=="
	NotEqual     Op = "!="
)

// ops is ordered so that two-character operators are tried before their
// one-character prefixes.
var ops = []Op{LessEqual, GreaterEqual, Equal, NotEqual, Less, Greater}

// Expr is one parsed threshold expression such as "< 250": the metric's
// value must compare true against Value.
type Expr struct {
	Op    Op
	Value float64
}

// String writes the expression in its canonical form ("< 250").
func (e Expr) String() string {
	return string(e.Op) + " " + strconv.FormatFloat(e.Value, 'f', -1, 64)
}

// Holds reports whether v satisfies the expression. NaN never holds; +Inf
// (an increase from zero) compares as larger than every bound.
func (e Expr) Holds(v float64) bool {
	if math.IsNaN(v) {
		return false
	}
	switch e.Op {
	case Less:
		return v < e.Value
	case LessEqual:
		return v <= e.Value
	case Greater:
		return v > e.Value
	case GreaterEqual:
		return v >= e.Value
	case Equal:
		return v == e.Value
	case NotEqual:
		return v != e.Value
	}
	return false
}

// ParseExpr parses a threshold expression for metric: an operator (<, <=,
// >, >=, ==, !=) followed by a number, with optional spaces ("< 250",
// "<=0.01", "== 0"). For the *_increase_pct metrics a trailing "%" is
// allowed ("< 10%"). Rates are fractions: "< 1%" on cold_start_rate is
// rejected with a hint rather than guessed.
func ParseExpr(metric, s string) (Expr, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return Expr{}, fmt.Errorf("empty threshold expression (want an operator and a number, e.g. \"< 250\")")
	}
	var op Op
	for _, o := range ops {
		if strings.HasPrefix(in, string(o)) {
			op = o
			break
		}
	}
	if op == "" {
		hint := ""
		if strings.HasPrefix(in, "=") || strings.HasPrefix(in, "=<") || strings.HasPrefix(in, "=>") {
			hint = " (did you mean == , <= or >= ?)"
		}
		return Expr{}, fmt.Errorf("threshold %q does not start with an operator: one of <, <=, >, >=, ==, !=%s", s, hint)
	}
	num := strings.TrimSpace(in[len(op):])
	if num == "" {
		return Expr{}, fmt.Errorf("threshold %q has no number after %s", s, op)
	}
	if strings.HasSuffix(num, "%") {
		switch {
		case strings.HasSuffix(metric, IncreaseSuffix):
			num = strings.TrimSpace(strings.TrimSuffix(num, "%"))
		case strings.HasSuffix(metric, "_rate"):
			return Expr{}, fmt.Errorf("threshold %q: %s is a fraction between 0 and 1; write 1%% as 0.01", s, metric)
		default:
			return Expr{}, fmt.Errorf("threshold %q: %s is not a percentage; write a plain number", s, metric)
		}
	}
	if strings.HasPrefix(num, "$") {
		return Expr{}, fmt.Errorf("threshold %q: write the amount without a currency sign (amounts are USD)", s)
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(num, "_", ""), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return Expr{}, fmt.Errorf("threshold %q: %q is not a finite number", s, num)
	}
	return Expr{Op: op, Value: v}, nil
}
