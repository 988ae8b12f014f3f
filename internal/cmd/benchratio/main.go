// Command benchratio reads `go test -bench` output on stdin and prints, for
// each benchmark, the median time and allocations over its runs (-count)
// and the ratios to in-run baselines, so that results from a noisy machine
// are compared with numbers measured in the same run, never with a
// remembered figure.
//
//	go test -run '^$' -bench . -benchmem -count 6 . | go run ./internal/cmd/benchratio
//
// Flags name the baselines (without the "Benchmark" prefix) and optional
// targets, each printed PASS or FAIL; see -h. The exit status is non-zero
// for input without results or from a failed run ("FAIL", "panic:"), and
// with -strict when a target fails.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// targetList collects repeated -target flags.
type targetList []string

func (t *targetList) String() string     { return strings.Join(*t, ",") }
func (t *targetList) Set(v string) error { *t = append(*t, v); return nil }

func main() {
	var targets targetList
	floor := flag.String("floor", "Floor", "benchmark the '× floor' column divides by")
	bare := flag.String("bare", "BareRoute", "benchmark the '× bare' column divides by")
	pbare := flag.String("parallel-bare", "ParallelBare", "baseline of the '× bare' column for Parallel* benchmarks, when present")
	strict := flag.Bool("strict", false, "exit 1 when a target is missed")
	echo := flag.Bool("echo", false, "copy the input to stdout as it arrives (to watch a long run through a pipe)")
	flag.Var(&targets, "target", "a target to check, NAME:METRIC<=VALUE; METRIC is floor, bare, allocs, allocs-bare, x:OTHER (time ratio to OTHER) or m:UNIT (the median of a reported metric, e.g. m:x-bare); repeatable")
	flag.Parse()

	var in io.Reader = os.Stdin
	if *echo {
		in = io.TeeReader(in, os.Stdout)
	}
	if err := run(in, os.Stdout, report{floor: *floor, bare: *bare, parallelBare: *pbare, targets: targets}, *strict); err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}

func run(in io.Reader, out io.Writer, r report, strict bool) error {
	set, err := parse(in)
	if err != nil {
		return err
	}
	if set.failed != "" {
		return fmt.Errorf("the benchmark run failed: %s", set.failed)
	}
	if len(set.order) == 0 {
		return fmt.Errorf("no benchmark results on stdin")
	}
	r.table(out, set)
	missed, err := r.check(out, set)
	if err != nil {
		return err
	}
	if strict && missed > 0 {
		return fmt.Errorf("%d target(s) missed", missed)
	}
	return nil
}
