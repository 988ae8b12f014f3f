package ginclerk_test

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Soak parameters. `go test` runs a short soak so that regressions surface
// in CI; `make soak` sets SOAK_DURATION (and optionally SOAK_WORKERS) for a
// long one.
const (
	soakDefaultDuration = 2 * time.Second
	soakDefaultWorkers  = 8
	// soakHeapBound is how much the live heap (after GC) may grow over the
	// soak, whatever its length: the token cache, the negative kid cache
	// and connection state are all bounded well below it.
	soakHeapBound = 32 << 20
)

// The classes of request a soak sends.
const (
	soakValid      = iota // signed by the instance key, in date
	soakExpired           // signed by the instance key, expired an hour ago
	soakForged            // RS256 by another key under the instance's kid
	soakGarbage           // anything but a JWT
	soakUnknownKid        // a kid Clerk never published, forged or really signed
	soakClasses
)

var soakClassNames = [soakClasses]string{"valid", "expired", "forged", "garbage", "unknown-kid"}

// soakCounts are the outcomes per class, updated by every worker.
type soakCounts struct {
	requests, ok, unauthorized, server, other [soakClasses]atomic.Int64
	wrongAccepts, wrongUser                   atomic.Int64
	transportErrors                           atomic.Int64
}

// TestSoak runs a real HTTP server with ginclerk on 127.0.0.1, keys from a
// fake Backend API that flaps between healthy and every kind of failure,
// and workers sending a mix of valid and hostile tokens. It asserts zero
// wrong accepts, zero 5xx (indeed zero refusals) for valid tokens once keys
// are cached, a bounded heap after GC, every goroutine gone afterwards, and
// clean logs. Not parallel: it measures the process's goroutines and heap
// and replaces slog.Default.
func TestSoak(t *testing.T) {
	duration, workers := soakDefaultDuration, soakDefaultWorkers
	if v := os.Getenv("SOAK_DURATION"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(t, err, "SOAK_DURATION")
		duration = d
	}
	if v := os.Getenv("SOAK_WORKERS"); v != "" {
		n, err := strconv.Atoi(v)
		require.NoError(t, err, "SOAK_WORKERS")
		workers = n
	}
	key := ginclerktest.DefaultKey(t)
	evil := ginclerktest.SharedKey(t, 1).WithKID(key.KID)
	pools := newSoakPools(t, key, evil)

	baseGoroutines, baseHeap := settle()
	spy := newLogSpy()
	useDefaultLogger(t, spy.logger())
	srv := ginclerktest.NewServer(t, key)
	spy.forbid(srv.SecretKey)
	pools.forbidIn(spy)
	ck, err := ginclerk.New(append(srv.Options(),
		ginclerk.WithLogger(spy.logger()),
		ginclerk.WithJWKSCacheTTL(250*time.Millisecond), // many background refreshes
		ginclerk.WithKidCooldown(100*time.Millisecond),  // many unknown-kid refetches
		ginclerk.WithFetchTimeout(200*time.Millisecond), // hangs end quickly
		ginclerk.WithJWKSStaleFor(time.Hour),
	)...)
	require.NoError(t, err)

	addr, shutdown := serveSoak(t, ck)
	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: workers, DisableCompression: true},
	}
	base := "http://" + addr + "/"

	// Warm the key cache with Clerk healthy: from here on, valid tokens
	// must pass whatever Clerk does. The fetch timeout is short so that
	// hangs end quickly during the soak, and a healthy fetch on a loaded
	// machine can exceed it too: warming retries, past the backoff, until
	// the keys are in.
	require.Eventually(t, func() bool {
		status, _, err := soakGet(client, base, pools.validToken(0), false)
		return err == nil && status == http.StatusOK
	}, time.Minute, 50*time.Millisecond, "the key cache warms up")

	ctx, stop := context.WithTimeout(context.Background(), duration)
	defer stop()
	var bg sync.WaitGroup
	bg.Go(func() { flap(ctx, srv) })
	bg.Go(func() { pools.refresh(ctx, t, key) })
	var counts soakCounts
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() { soakWorker(ctx, client, base, pools, uint64(w), &counts) })
	}
	wg.Wait()
	stop()
	bg.Wait()

	shutdown()
	client.CloseIdleConnections()
	require.NoError(t, ck.Close())
	fetches := srv.Fetches()
	srv.Close()
	goroutines, heap := settleTo(baseGoroutines, 10*time.Second)

	var total int64
	for c := range soakClasses {
		n := counts.requests[c].Load()
		total += n
		t.Logf("%-11s %7d requests: %d ok, %d 401, %d 5xx, %d other", soakClassNames[c], n,
			counts.ok[c].Load(), counts.unauthorized[c].Load(), counts.server[c].Load(), counts.other[c].Load())
	}
	t.Logf("soak %v, %d workers: %d requests (%.0f/s), %d wrong accepts, %d 5xx for valid tokens, %d JWKS fetches",
		duration, workers, total, float64(total)/duration.Seconds(), counts.wrongAccepts.Load(), counts.server[soakValid].Load(), fetches)
	t.Logf("heap after GC %.1f MiB (baseline %.1f MiB, bound +%d MiB); goroutines %d (baseline %d); %d log lines",
		mib(heap), mib(baseHeap), soakHeapBound>>20, goroutines, baseGoroutines, spy.check(t))

	assert.Zero(t, counts.transportErrors.Load(), "transport errors")
	assert.Zero(t, counts.wrongAccepts.Load(), "hostile tokens accepted")
	assert.Zero(t, counts.wrongUser.Load(), "valid tokens answered for the wrong user")
	assert.Zero(t, counts.server[soakValid].Load(), "5xx for valid tokens while keys are cached")
	assert.Equal(t, counts.requests[soakValid].Load(), counts.ok[soakValid].Load(), "valid tokens refused")
	for c := range soakClasses {
		assert.Positive(t, counts.requests[c].Load(), "no %s requests sent", soakClassNames[c])
	}
	assert.Greater(t, fetches, 1, "the key cache never refreshed: the soak did not exercise flapping")
	assert.LessOrEqual(t, heap, baseHeap+soakHeapBound, "live heap grew")
	if goroutines > baseGoroutines {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines left behind:\n%s", goroutines-baseGoroutines, buf[:runtime.Stack(buf, true)])
	}
}

// serveSoak starts a real server for ck on 127.0.0.1 and returns its
// address and a function that shuts it down.
func serveSoak(t *testing.T, ck *ginclerk.Clerk) (string, func()) {
	r := gin.New()
	r.Use(ginclerk.ErrorHandler())
	r.GET("/", ck.RequireAuth(), func(c *gin.Context) {
		c.String(http.StatusOK, ginclerk.GetAuth(c).UserID)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	hs := &http.Server{Handler: r, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	}()
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		assert.NoError(t, hs.Shutdown(ctx))
		<-done
	}
}

// flap cycles the fake Backend API through healthy and failing states until
// ctx ends, then leaves it healthy.
func flap(ctx context.Context, srv *ginclerktest.Server) {
	faults := []ginclerktest.Fault{
		ginclerktest.FaultNone, ginclerktest.Fault500, ginclerktest.FaultNone, ginclerktest.FaultGarbage,
		ginclerktest.FaultHang, ginclerktest.FaultNone, ginclerktest.FaultEmptySet, ginclerktest.FaultStall,
		ginclerktest.FaultNone, ginclerktest.FaultHugeBody,
	}
	tick := time.NewTicker(120 * time.Millisecond)
	defer tick.Stop()
	defer srv.Fail(ginclerktest.FaultNone)
	for i := 0; ; i++ {
		srv.Fail(faults[i%len(faults)])
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// soakWorker sends requests until ctx ends.
func soakWorker(ctx context.Context, client *http.Client, base string, pools *soakPools, seed uint64, counts *soakCounts) {
	rng := rand.New(rand.NewPCG(seed, 0x50a4))
	for ctx.Err() == nil {
		class := soakClass(rng)
		token, user := pools.pick(rng, class)
		status, body, err := soakGet(client, base, token, rng.IntN(4) == 0)
		if err != nil {
			if ctx.Err() == nil {
				counts.transportErrors.Add(1)
			}
			continue
		}
		counts.requests[class].Add(1)
		switch {
		case status == http.StatusOK:
			counts.ok[class].Add(1)
			if class != soakValid {
				counts.wrongAccepts.Add(1)
			} else if body != user {
				counts.wrongUser.Add(1)
			}
		case status == http.StatusUnauthorized:
			counts.unauthorized[class].Add(1)
		case status >= 500:
			counts.server[class].Add(1)
		default:
			counts.other[class].Add(1)
		}
	}
}

// soakClass draws a class: 40% valid, 15% each hostile class.
func soakClass(rng *rand.Rand) int {
	switch n := rng.IntN(100); {
	case n < 40:
		return soakValid
	default:
		return 1 + (n-40)/15
	}
}

// soakGet sends GET base with token as a bearer header or a __session
// cookie (beside a signed-in __client_uat) and returns the status and body.
func soakGet(client *http.Client, base, token string, asCookie bool) (int, string, error) {
	req, err := http.NewRequest(http.MethodGet, base, nil)
	if err != nil {
		return 0, "", err
	}
	if asCookie {
		req.Header.Set("Cookie", "__session="+token+"; __client_uat=1")
	} else {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	return resp.StatusCode, string(body), err
}

// settle collects garbage and returns the goroutine count and live heap.
func settle() (goroutines int, heap uint64) {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return runtime.NumGoroutine(), m.HeapAlloc
}

// settleTo polls until the goroutine count is back to want (or the
// deadline passes) and then measures like settle.
func settleTo(want int, within time.Duration) (goroutines int, heap uint64) {
	deadline := time.Now().Add(within)
	for runtime.NumGoroutine() > want && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	return settle()
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
