package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ginclerk/ginclerk/bench"
)

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

// target is one child server and the parent's client for it, kept across
// all of the target's turns so that no turn pays for connecting.
type target struct {
	name, url, auth string
	conns           int
	client          *http.Client
	cmd             *exec.Cmd
	stdin           io.Closer

	latencies []time.Duration // of the requests counted so far
	errors    int
	measured  time.Duration
}

type result struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

// start starts the child that serves name and waits for its greeting.
func start(ctx context.Context, exe, name string, conns int) (*target, error) {
	cmd := exec.CommandContext(ctx, exe, "-serve", name)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	t := &target{name: name, conns: conns, cmd: cmd, stdin: stdin, client: &http.Client{
		Transport: &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true},
		Timeout:   10 * time.Second,
	}}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, token, ok := strings.Cut(strings.TrimSpace(line), " ")
	if err != nil || !ok || !strings.HasPrefix(addr, "127.0.0.1:") {
		t.stop()
		return nil, fmt.Errorf("%s: the server did not start (greeting %q, %v)", name, line, err)
	}
	t.url, t.auth = "http://"+addr+"/", "Bearer "+token
	return t, nil
}

// stop closes the child's stdin, which ends it, and waits for it.
func (t *target) stop() {
	t.client.CloseIdleConnections()
	_ = t.stdin.Close()
	_ = t.cmd.Wait()
}

// drive loads t alone for length from now, with conns goroutines sending
// requests back to back, and records those that end within it when measure
// is set. Sending stops at the end, but the requests in flight finish
// before drive returns: cancelling them would close their keep-alive
// connections, and letting them run on would load the next target's turn.
func (t *target) drive(ctx context.Context, length time.Duration, measure bool) {
	end := time.Now().Add(length)
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	for range t.conns {
		wg.Go(func() {
			var mine []time.Duration
			var errs int
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
				req.Header.Set("Authorization", t.auth)
				t0 := time.Now()
				if !t0.Before(end) {
					break
				}
				resp, err := t.client.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					_ = resp.Body.Close()
				}
				t1 := time.Now()
				switch {
				case t1.After(end):
				case err != nil || resp.StatusCode != http.StatusNoContent:
					errs++
				default:
					mine = append(mine, t1.Sub(t0))
				}
			}
			if measure {
				mu.Lock()
				t.latencies = append(t.latencies, mine...)
				t.errors += errs
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if measure {
		t.measured += length
	}
}

// result is t's row: its counted requests over its measured time.
func (t *target) result() (result, error) {
	if len(t.latencies) == 0 {
		return result{}, fmt.Errorf("%s: no request completed", t.name)
	}
	slices.Sort(t.latencies)
	pct := func(p float64) time.Duration { return t.latencies[int(p*float64(len(t.latencies)-1))] }
	return result{
		rps:    float64(len(t.latencies)) / t.measured.Seconds(),
		p50:    pct(0.50),
		p99:    pct(0.99),
		errors: t.errors,
	}, nil
}
