package main

import (
	"fmt"
	"io"
)

// criterion is one comparison between two rows of a load run.
type criterion struct {
	name        string
	target, vs  string
	holds       func(target, vs result) bool
	got, wanted func(target, vs result) string
}

// criteria are what ginclerk holds itself to over loopback: a token seen
// before costs little more than no middleware, and a token's first sight
// is no slower than the hand-written stdlib floor.
var criteria = []criterion{
	{
		name: "seen-before req/s ≥ 90% of the bare route's", target: "ginclerk-warm", vs: "bare",
		holds:  func(t, v result) bool { return t.rps >= 0.9*v.rps },
		got:    func(t, v result) string { return fmt.Sprintf("%.0f%%", 100*t.rps/v.rps) },
		wanted: func(result, result) string { return "≥ 90%" },
	},
	{
		name: "first-sight req/s ≥ the floor's", target: "ginclerk-cold", vs: "floor",
		holds:  func(t, v result) bool { return t.rps >= v.rps },
		got:    func(t, v result) string { return fmt.Sprintf("%.0f%%", 100*t.rps/v.rps) },
		wanted: func(result, result) string { return "≥ 100%" },
	},
	{
		name: "first-sight p99 ≤ the floor's", target: "ginclerk-cold", vs: "floor",
		holds:  func(t, v result) bool { return t.p99 <= v.p99 },
		got:    func(t, _ result) string { return fmt.Sprintf("%.2f ms", ms(t.p99)) },
		wanted: func(_, v result) string { return fmt.Sprintf("≤ %.2f ms", ms(v.p99)) },
	},
}

// checkCriteria prints each criterion whose rows ran as PASS or FAIL and
// returns how many failed.
func checkCriteria(out io.Writer, rows map[string]result) (failed int) {
	fmt.Fprintln(out)
	for _, c := range criteria {
		t, ok1 := rows[c.target]
		v, ok2 := rows[c.vs]
		if !ok1 || !ok2 {
			fmt.Fprintf(out, "criterion %-45s skipped: needs %s and %s\n", c.name, c.target, c.vs)
			continue
		}
		verdict := "PASS"
		if !c.holds(t, v) {
			verdict, failed = "FAIL", failed+1
		}
		fmt.Fprintf(out, "criterion %-45s %10s (%s)  %s\n", c.name, c.got(t, v), c.wanted(t, v), verdict)
	}
	return failed
}
