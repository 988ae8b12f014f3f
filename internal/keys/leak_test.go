package keys

import (
	"context"
	"log/slog"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// TestNoGoroutineOutlivesRelease is deliberately not parallel: it counts the
// process's goroutines. Parallel tests are parked (and counted in both
// baseline and result) while it runs. It uses the default client, so the
// private transport's connection goroutines are checked too.
func TestNoGoroutineOutlivesRelease(t *testing.T) {
	ks := testKeys(t)
	for _, tc := range outageFaults {
		t.Run(tc.fault, func(t *testing.T) {
			f := newFakeClerk(t)
			f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
			url := f.srv.URL
			if tc.fault == faultRefused {
				url = "http://" + f.deadAddr
			} else {
				f.setFault(tc.fault)
			}
			// A healthy scope too: its idle keep-alive connection must go.
			f2 := newFakeClerk(t)
			f2.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
			baseline := runtime.NumGoroutine()

			// A cold request that gives up early leaves the fetch in flight
			// (for a hanging Backend API, for its whole timeout).
			j := AcquireJWKS(JWKSConfig{APIURL: url, SecretKey: testSecret, Logger: discardLogger(), Timeout: healthyTimeout})
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
			_, _ = j.Key(ctx, kidOf(0))
			cancel()
			healthy := AcquireJWKS(JWKSConfig{APIURL: f2.srv.URL, SecretKey: testSecret, Logger: discardLogger()})
			_, err := healthy.Key(context.Background(), kidOf(0))
			require.NoError(t, err)
			require.Greater(t, runtime.NumGoroutine(), baseline, "the test must exercise goroutines")

			j.Release()
			healthy.Release()
			if tc.fault == faultHang {
				// Release returned before the fetch's minute-long timeout:
				// it cancelled the fetch, which says so.
				require.ErrorContains(t, j.Stats().LastError, "key source closed")
			}
			requireGoroutinesAtMost(t, baseline)
		})
	}
}

// requireGoroutinesAtMost polls until the goroutine count is at most n: the
// server side of a closed connection notices it asynchronously.
func requireGoroutinesAtMost(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second) // a bound on a leak, not a speed requirement
	for {
		got := runtime.NumGoroutine()
		if got <= n {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines, want at most %d:\n%s", got, n, buf)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
