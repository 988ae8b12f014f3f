package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// report prints the table and checks targets against the baselines.
type report struct {
	floor, bare, parallelBare string
	targets                   []string
}

// baseline returns the '× bare' baseline for name.
func (r report) baseline(set *resultSet, name string) *result {
	if strings.HasPrefix(name, "Parallel") {
		if b := set.get(r.parallelBare); b != nil {
			return b
		}
	}
	return set.get(r.bare)
}

// table prints a Markdown table: medians, the runs' spread, and ratios.
func (r report) table(out io.Writer, set *resultSet) {
	var units []string // custom metrics, in first-seen order
	for _, name := range set.order {
		for u := range set.get(name).metrics {
			if !slices.Contains(units, u) {
				units = append(units, u)
			}
		}
	}
	slices.Sort(units)
	head := []string{"benchmark", "runs", "µs/op", "spread", "allocs/op", "B/op", "× floor", "× bare"}
	head = append(head, units...)
	fmt.Fprintln(out, "| "+strings.Join(head, " | ")+" |")
	align := []string{"---"}
	for range head[1:] {
		align = append(align, "---:")
	}
	fmt.Fprintln(out, "| "+strings.Join(align, " | ")+" |")
	floor := set.get(r.floor)
	for _, name := range set.order {
		res := set.get(name)
		ns := median(res.ns)
		row := []string{
			name,
			strconv.Itoa(len(res.ns)),
			fmt.Sprintf("%.2f", ns/1e3),
			fmt.Sprintf("±%.0f%%", 50*spread(res.ns)),
			num(median(res.allocs), 0),
			num(median(res.b), 0),
			ratio(res, floor),
			ratio(res, r.baseline(set, name)),
		}
		for _, u := range units {
			row = append(row, num(median(res.metrics[u]), 2))
		}
		fmt.Fprintln(out, "| "+strings.Join(row, " | ")+" |")
	}
}

func num(v float64, prec int) string {
	if v < 0 {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', prec, 64)
}

func ratio(res, base *result) string {
	r := ratioOf(res, base)
	if r < 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", r)
}

// ratioOf is res's time over base's, or -1 when there is none. When both
// ran the same number of times it is the median of the per-round ratios:
// with interleaved rounds (`make bench` runs the whole suite COUNT times)
// the i-th runs were measured close together, so a load spike on a shared
// machine inflates both sides of a pair instead of one median. Otherwise
// it is the ratio of the medians.
func ratioOf(res, base *result) float64 {
	if res == nil || base == nil || len(res.ns) == 0 || median(base.ns) <= 0 {
		return -1
	}
	if len(res.ns) != len(base.ns) {
		return median(res.ns) / median(base.ns)
	}
	pairs := make([]float64, len(res.ns))
	for i := range pairs {
		pairs[i] = res.ns[i] / base.ns[i]
	}
	return median(pairs)
}

// check evaluates each target and returns how many were missed.
func (r report) check(out io.Writer, set *resultSet) (missed int, err error) {
	if len(r.targets) > 0 {
		fmt.Fprintln(out)
	}
	for _, t := range r.targets {
		got, limit, err := r.evaluate(set, t)
		var absent errAbsent
		if errors.As(err, &absent) {
			// A run filtered with -bench need not contain every target.
			fmt.Fprintf(out, "target %-40s skipped: %s not in this run\n", t, string(absent))
			continue
		}
		if err != nil {
			return missed, err
		}
		verdict := "PASS"
		if got > limit {
			verdict = "FAIL"
			missed++
		}
		fmt.Fprintf(out, "target %-40s %8.2f  %s\n", t, got, verdict)
	}
	if len(r.targets) > 0 {
		fmt.Fprintf(out, "targets: %d checked, %d failed\n", len(r.targets), missed)
	}
	return missed, nil
}

// evaluate parses NAME:METRIC<=VALUE and measures METRIC for NAME.
func (r report) evaluate(set *resultSet, target string) (got, limit float64, err error) {
	name, rest, ok1 := strings.Cut(target, ":")
	metric, value, ok2 := strings.Cut(rest, "<=")
	if !ok1 || !ok2 {
		return 0, 0, fmt.Errorf("target %q: want NAME:METRIC<=VALUE", target)
	}
	if limit, err = strconv.ParseFloat(value, 64); err != nil {
		return 0, 0, fmt.Errorf("target %q: %v", target, err)
	}
	res := set.get(name)
	if res == nil {
		return 0, 0, errAbsent(name)
	}
	ratioTo := func(other string) (float64, error) {
		r := ratioOf(res, set.get(other))
		if r < 0 {
			return 0, errAbsent(other)
		}
		return r, nil
	}
	switch {
	case metric == "floor" || metric == "bare" || strings.HasPrefix(metric, "x:"):
		other := strings.TrimPrefix(metric, "x:")
		switch metric {
		case "floor":
			other = r.floor
		case "bare":
			if b := r.baseline(set, name); b != nil {
				other = b.name
			} else {
				other = r.bare
			}
		}
		got, err := ratioTo(other)
		return got, limit, err
	case strings.HasPrefix(metric, "m:"):
		values := res.metrics[strings.TrimPrefix(metric, "m:")]
		if len(values) == 0 {
			return 0, 0, errAbsent(name + " " + metric)
		}
		return median(values), limit, nil
	case metric == "allocs":
		return median(res.allocs), limit, nil
	case metric == "allocs-bare":
		b := r.baseline(set, name)
		if b == nil {
			return 0, 0, errAbsent(r.bare)
		}
		return median(res.allocs) - median(b.allocs), limit, nil
	}
	return 0, 0, fmt.Errorf("target %q: unknown metric %q", target, metric)
}

// errAbsent names a benchmark a target needs that the input lacks.
type errAbsent string

func (e errAbsent) Error() string { return "no benchmark " + string(e) + " in the input" }
