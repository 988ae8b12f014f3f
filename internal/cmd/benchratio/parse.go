package main

import (
	"bufio"
	"io"
	"slices"
	"strconv"
	"strings"
)

// result is one benchmark's runs.
type result struct {
	name          string
	ns, allocs, b []float64
	// metrics are custom units (b.ReportMetric), e.g. "req/s".
	metrics map[string][]float64
}

// resultSet keeps results in first-seen order.
type resultSet struct {
	order []string
	byKey map[string]*result
	// failed is the first line reporting a failure of the run, if any.
	failed string
}

func (s *resultSet) get(name string) *result { return s.byKey[name] }

// parse reads benchmark lines ("BenchmarkX-8  1000  123 ns/op  16 B/op
// 1 allocs/op"); everything else (goos:, PASS, ok …) is ignored. The -N
// GOMAXPROCS suffix is dropped, so runs from one -cpu value group together.
func parse(in io.Reader) (*resultSet, error) {
	set := &resultSet{byKey: map[string]*result{}}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if set.failed == "" && (strings.HasPrefix(line, "FAIL") || strings.HasPrefix(line, "--- FAIL") || strings.HasPrefix(line, "panic:")) {
			set.failed = line
		}
		fields := strings.Fields(line)
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(fields[1]); err != nil {
			continue // a benchmark's log line, not a result
		}
		name := trimProcs(strings.TrimPrefix(fields[0], "Benchmark"))
		r := set.byKey[name]
		if r == nil {
			r = &result{name: name, metrics: map[string][]float64{}}
			set.byKey[name] = r
			set.order = append(set.order, name)
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			switch unit := fields[i+1]; unit {
			case "ns/op":
				r.ns = append(r.ns, v)
			case "allocs/op":
				r.allocs = append(r.allocs, v)
			case "B/op":
				r.b = append(r.b, v)
			default:
				r.metrics[unit] = append(r.metrics[unit], v)
			}
		}
	}
	return set, sc.Err()
}

// trimProcs drops a trailing "-<digits>".
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return name
	}
	if _, err := strconv.Atoi(name[i+1:]); err != nil {
		return name
	}
	return name[:i]
}

// median returns the median of xs (the mean of the middle two for an even
// count), or -1 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return -1
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// spread is (max-min)/median: how noisy the runs were.
func spread(xs []float64) float64 {
	m := median(xs)
	if m <= 0 {
		return 0
	}
	return (slices.Max(xs) - slices.Min(xs)) / m
}
