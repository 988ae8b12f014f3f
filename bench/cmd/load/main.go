// Command load is a loopback load run: for each target middleware it
// starts a Gin server on 127.0.0.1 in a child process (so the server's GC
// and the client's do not share a heap), drives it with -conns keep-alive
// connections, and prints req/s and the p50/p99 latency.
//
//	go run ./cmd/load -duration 10s -conns 64
//
// Client and server share the machine's cores, as wrk would; compare the
// rows with each other, not with another machine. On a shared machine the
// neighbours' load swings by more within seconds than the targets differ,
// so a ratio between targets measured seconds apart measures the
// neighbours. Every target's server therefore starts up front, and the
// targets take turns of -slice each, in a fresh order every cycle, until
// each has been measured for -duration: every target sees the same
// neighbours, as in the paired micro-benchmarks. Only one target is driven
// at a time, and a request counts only if it started and ended within its
// own target's turn. The run ends with the criteria ginclerk holds itself
// to, each PASS or FAIL (and exit status 1 on a FAIL with -strict).
// Nothing listens beyond 127.0.0.1 and every run is bounded in time.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/ginclerk/ginclerk/bench"
)

func main() {
	serve := flag.String("serve", "", "internal: serve this target and print its address and token")
	targets := flag.String("targets", "bare,floor,ginclerk-cold,ginclerk-warm,clerk-sdk-go,jwx", "comma-separated targets: "+strings.Join(bench.Targets, ", "))
	duration := flag.Duration("duration", 10*time.Second, "measured time per target (at most 1 minute)")
	slice := flag.Duration("slice", 250*time.Millisecond, "measured time of one turn of a target (10ms to 10s)")
	warmup := flag.Duration("warmup", time.Second, "unmeasured time per target before the first turn (at most 10s)")
	conns := flag.Int("conns", 64, "concurrent keep-alive connections per target")
	strict := flag.Bool("strict", false, "exit 1 when a criterion fails")
	flag.Parse()

	if *serve != "" {
		if err := serveTarget(*serve); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if *duration <= 0 || *duration > time.Minute || *slice < 10*time.Millisecond || *slice > 10*time.Second ||
		*warmup < 0 || *warmup > 10*time.Second || *conns < 1 || *conns > 1024 {
		fmt.Fprintln(os.Stderr, "load: -duration must be in (0, 1m], -slice in [10ms, 10s], -warmup in [0, 10s] and -conns in [1, 1024]")
		os.Exit(2)
	}
	names := strings.Split(*targets, ",")
	for i := range names {
		names[i] = strings.TrimSpace(names[i])
	}
	rows, err := run(names, *warmup, *duration, *slice, *conns)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
	fmt.Printf("%v measured per target, in turns of %v\n\n", *duration, *slice)
	fmt.Printf("| target | req/s | p50 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: |\n")
	for _, name := range names {
		r := rows[name]
		fmt.Printf("| %s | %.0f | %.2f | %.2f | %d |\n", name, r.rps, ms(r.p50), ms(r.p99), r.errors)
	}
	if failed := checkCriteria(os.Stdout, rows); failed > 0 && *strict {
		os.Exit(1)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// run starts every target's server, warms each up, then gives the targets
// turns until each has been measured for duration. The order is shuffled
// every cycle so that no target always follows the same one and inherits
// what it leaves behind (a busy GC, cold caches).
func run(names []string, warmup, duration, slice time.Duration, conns int) (map[string]result, error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	var targets []*target
	defer func() {
		for _, t := range targets {
			t.stop()
		}
	}()
	for _, name := range names {
		t, err := start(ctx, exe, name, conns)
		if err != nil {
			return nil, err
		}
		targets = append(targets, t)
	}
	for _, t := range targets {
		t.drive(ctx, warmup, false)
	}
	order := slices.Clone(targets)
	for done := time.Duration(0); done < duration; done += slice {
		rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, t := range order {
			t.drive(ctx, min(slice, duration-done), true)
		}
		if ctx.Err() != nil {
			return nil, errors.New("interrupted")
		}
	}
	rows := map[string]result{}
	for _, t := range targets {
		if rows[t.name], err = t.result(); err != nil {
			return nil, err
		}
	}
	return rows, nil
}
