// Command load is a loopback load run: for each target middleware it
// starts a Gin server on 127.0.0.1 in a child process (so the server's GC
// and the client's do not share a heap), drives it with -conns keep-alive
// connections for -duration, and prints req/s and the p50/p99 latency.
//
//	go run ./cmd/load -duration 10s -conns 64
//
// Client and server share the machine's cores, as wrk would; compare the
// rows with each other, not with another machine. With -rounds N the target
// list runs N times, interleaved, and each row is the median of its rounds,
// so a load spike on a shared machine hits every target alike. The run ends
// with the criteria ginclerk holds itself to, each PASS or FAIL (and exit
// status 1 on a FAIL with -strict). Nothing listens beyond 127.0.0.1 and
// every run is bounded by -duration.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ginclerk/ginclerk/bench"
)

func main() {
	serve := flag.String("serve", "", "internal: serve this target and print its address and token")
	targets := flag.String("targets", "bare,floor,ginclerk-cold,ginclerk-warm,clerk-sdk-go,jwx", "comma-separated targets: "+strings.Join(bench.Targets, ", "))
	duration := flag.Duration("duration", 10*time.Second, "measured time per target (at most 1 minute)")
	warmup := flag.Duration("warmup", time.Second, "unmeasured time per target before measuring")
	conns := flag.Int("conns", 64, "concurrent keep-alive connections")
	rounds := flag.Int("rounds", 1, "interleaved rounds over the targets; rows are medians")
	strict := flag.Bool("strict", false, "exit 1 when a criterion fails")
	flag.Parse()

	if *serve != "" {
		if err := serveTarget(*serve); err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			os.Exit(1)
		}
		return
	}
	if *duration <= 0 || *duration > time.Minute || *conns < 1 || *conns > 1024 || *rounds < 1 || *rounds > 20 {
		fmt.Fprintln(os.Stderr, "load: -duration must be in (0, 1m], -conns in [1, 1024] and -rounds in [1, 20]")
		os.Exit(2)
	}
	names := strings.Split(*targets, ",")
	runs := map[string][]result{}
	for range *rounds {
		for _, name := range names {
			name = strings.TrimSpace(name)
			res, err := runTarget(name, *warmup, *duration, *conns)
			if err != nil {
				fmt.Fprintln(os.Stderr, "load:", err)
				os.Exit(1)
			}
			runs[name] = append(runs[name], res)
		}
	}
	rows := map[string]result{}
	fmt.Printf("| target | rounds | req/s | p50 ms | p99 ms | errors |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
	for _, name := range names {
		name = strings.TrimSpace(name)
		res := medianOf(runs[name])
		rows[name] = res
		fmt.Printf("| %s | %d | %.0f | %.2f | %.2f | %d |\n", name, len(runs[name]), res.rps, ms(res.p50), ms(res.p99), res.errors)
	}
	if failed := checkCriteria(os.Stdout, rows); failed > 0 && *strict {
		os.Exit(1)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// serveTarget is the child: it serves one target until stdin closes (the
// parent's end of the pipe), so it never outlives the run.
func serveTarget(name string) error {
	f, err := bench.NewFixture(time.Hour)
	if err != nil {
		return err
	}
	mw, closeMW, err := bench.Middleware(name, f)
	if err != nil {
		return err
	}
	defer closeMW()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: bench.Engine(mw), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	fmt.Printf("%s %s\n", ln.Addr(), f.Token)
	_, _ = io.Copy(io.Discard, os.Stdin)
	return srv.Close()
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

// runTarget starts the child for name, loads it and stops it.
func runTarget(name string, warmup, duration time.Duration, conns int) (result, error) {
	exe, err := os.Executable()
	if err != nil {
		return result{}, err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cmd := exec.CommandContext(ctx, exe, "-serve", name)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return result{}, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return result{}, err
	}
	if err := cmd.Start(); err != nil {
		return result{}, err
	}
	defer func() { _ = stdin.Close(); _ = cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		return result{}, fmt.Errorf("%s: the server did not start: %w", name, err)
	}
	addr, token, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok || !strings.HasPrefix(addr, "127.0.0.1:") {
		return result{}, fmt.Errorf("%s: unexpected server greeting", name)
	}
	return drive(ctx, "http://"+addr+"/", token, warmup, duration, conns)
}

// drive sends requests from conns goroutines, each with its own keep-alive
// connection, and measures those that complete within the measured window.
func drive(ctx context.Context, url, token string, warmup, duration time.Duration, conns int) (result, error) {
	client := &http.Client{Transport: &http.Transport{
		MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true,
	}, Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	start := time.Now().Add(warmup)
	end := start.Add(duration)
	ctx, cancel := context.WithDeadline(ctx, end)
	defer cancel()

	var (
		mu        sync.Mutex
		latencies []time.Duration
		errs      int
		wg        sync.WaitGroup
	)
	for range conns {
		wg.Go(func() {
			var mine []time.Duration
			var myErrs int
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
				t1 := time.Now()
				if t0.Before(start) || t1.After(end) {
					continue // warm-up, or cut by the deadline
				}
				if err != nil || resp.StatusCode != http.StatusNoContent {
					if !errors.Is(err, context.DeadlineExceeded) {
						myErrs++
					}
					continue
				}
				mine = append(mine, t1.Sub(t0))
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			errs += myErrs
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(latencies) == 0 {
		return result{errors: errs}, fmt.Errorf("%s: no request completed", url)
	}
	slices.Sort(latencies)
	pct := func(p float64) time.Duration { return latencies[int(p*float64(len(latencies)-1))] }
	return result{
		rps:    float64(len(latencies)) / duration.Seconds(),
		p50:    pct(0.50),
		p99:    pct(0.99),
		errors: errs,
	}, nil
}
