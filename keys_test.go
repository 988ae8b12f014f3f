package ginclerk_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk"
	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clock is a settable test clock shared by an instance and its tokens.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: testNow} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// strictStatus sends token through a strict middleware and returns the status.
func strictStatus(ck *ginclerk.Clerk, token string) int {
	var s seen
	return do(router(&s, ck.RequireAuth()), get(token)).Code
}

// TestKeysColdStartOneFetch: concurrent first requests share one fetch, end
// to end against the fake Backend API in ginclerktest.
func TestKeysColdStartOneFetch(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	token := mint(t, key)
	// Several rounds: the race this guards against (a caller that saw no
	// keys, then took the lock after the fetch finished) needs luck to hit.
	for round := range 10 {
		srv := ginclerktest.NewServer(t, key)
		mw := apiClerk(t, srv).RequireAuth()
		var wg sync.WaitGroup
		codes := make([]int, 200)
		for i := range codes {
			wg.Go(func() {
				var s seen
				codes[i] = do(router(&s, mw), get(token)).Code
			})
		}
		wg.Wait()
		for _, code := range codes {
			require.Equal(t, http.StatusOK, code)
		}
		require.Equal(t, 1, srv.Fetches(), "round %d", round)
	}
}

func TestKeysForgedKidFlood(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	srv := ginclerktest.NewServer(t, key)
	ck := apiClerk(t, srv, ginclerk.WithTokenCacheBytes(0))
	require.Equal(t, http.StatusOK, strictStatus(ck, mint(t, key)))
	mw := ck.RequireAuth()
	// The kid is looked up before the signature is checked, so a forged
	// token needs no real signature: craft them without paying for RSA.
	payload := strings.Split(mint(t, key), ".")[1]
	forgedSig := base64.RawURLEncoding.EncodeToString(make([]byte, 256))
	for i := range 10_000 {
		header := base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, `{"alg":"RS256","kid":"ins_forged_%d","typ":"JWT"}`, i))
		var s seen
		w := do(router(&s, mw), get(header+"."+payload+"."+forgedSig))
		require.Equal(t, http.StatusUnauthorized, w.Code)
		require.Equal(t, ginclerk.ReasonJWKKidMismatch, w.Header().Get("X-Clerk-Auth-Reason"))
	}
	assert.LessOrEqual(t, srv.Fetches(), 2, "at most one extra fetch per cooldown")
}

// hangBound is the fetch timeout of tests whose outcome must not depend on
// it: only a bound on a hang, far above what any good fetch takes on a
// loaded machine.
const hangBound = time.Minute

// hangBreaker is a transport whose in-flight requests the test can end, so
// that a hanging Backend API gives up when the test says so rather than
// when a short timeout — which a good fetch on a busy machine can also
// exceed — happens to expire.
type hangBreaker struct {
	base http.RoundTripper
	mu   sync.Mutex
	stop context.Context
	end  context.CancelFunc
}

func newHangBreaker(t *testing.T, base http.RoundTripper) *hangBreaker {
	b := &hangBreaker{base: base}
	b.stop, b.end = context.WithCancel(context.Background())
	t.Cleanup(func() { b.Break() })
	return b
}

// RoundTrip sends r, ending it (headers or body) at the next Break.
func (b *hangBreaker) RoundTrip(r *http.Request) (*http.Response, error) {
	b.mu.Lock()
	stop := b.stop
	b.mu.Unlock()
	ctx, cancel := context.WithCancel(r.Context())
	unhook := context.AfterFunc(stop, cancel)
	context.AfterFunc(ctx, func() { unhook() })
	return b.base.RoundTrip(r.WithContext(ctx))
}

// Break ends every request in flight; later requests are unaffected.
func (b *hangBreaker) Break() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.end()
	b.stop, b.end = context.WithCancel(context.Background())
}

func TestKeysOutageAfterGoodFetch(t *testing.T) {
	t.Parallel()
	faults := []ginclerktest.Fault{ginclerktest.Fault500, ginclerktest.FaultGarbage, ginclerktest.FaultEmptySet, ginclerktest.FaultHang, ginclerktest.FaultStall, ginclerktest.FaultHugeBody, ginclerktest.Fault401, ginclerktest.Fault403}
	key := ginclerktest.DefaultKey(t)
	for _, fault := range faults {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			srv := ginclerktest.NewServer(t, key)
			breaker := newHangBreaker(t, srv.Client().Transport)
			ck := apiClerk(t, srv, ginclerk.WithClock(clk.Now), ginclerk.WithFetchTimeout(hangBound), ginclerk.WithTokenCacheBytes(0),
				ginclerk.WithHTTPClient(&http.Client{Transport: breaker}))
			require.Equal(t, http.StatusOK, strictStatus(ck, key.Mint(t, ginclerktest.At(clk.Now()))))
			srv.Fail(fault)
			for _, step := range []time.Duration{6 * time.Minute, time.Hour, 20 * time.Hour} {
				clk.Advance(step)
				// Every request, the first after each step included, is
				// answered from the stale keys: requests never wait on (or
				// fail with) the refresh while good keys exist.
				for i := range 3 {
					require.Equal(t, http.StatusOK, strictStatus(ck, key.Mint(t, ginclerktest.At(clk.Now()))),
						"stale keys keep serving %v into the outage (request %d)", step, i)
				}
			}
			if fault == ginclerktest.FaultHang || fault == ginclerktest.FaultStall {
				// The refresh reached Clerk and hangs there: end it now.
				require.Eventually(t, func() bool { return srv.Fetches() == 2 }, hangBound, time.Millisecond)
				breaker.Break()
			}
			require.Eventually(t, func() bool { return ck.KeyStats().ConsecutiveFailures > 0 }, hangBound, time.Millisecond,
				"the fault was exercised: the background refresh failed")
			srv.Fail(ginclerktest.FaultNone)
			requireRecovery(t, ck, key, clk)
		})
	}
}

func TestKeysColdOutage(t *testing.T) {
	t.Parallel()
	key := ginclerktest.DefaultKey(t)
	tests := []struct {
		fault  ginclerktest.Fault
		status int
		reason string
	}{
		{ginclerktest.Fault500, http.StatusServiceUnavailable, ginclerk.ReasonJWKRemoteFailedToLoad},
		{ginclerktest.FaultGarbage, http.StatusServiceUnavailable, ginclerk.ReasonJWKRemoteFailedToLoad},
		{ginclerktest.FaultEmptySet, http.StatusServiceUnavailable, ginclerk.ReasonJWKRemoteFailedToLoad},
		{ginclerktest.FaultHang, http.StatusServiceUnavailable, ginclerk.ReasonJWKRemoteFailedToLoad},
		{ginclerktest.FaultHugeBody, http.StatusServiceUnavailable, ginclerk.ReasonJWKRemoteFailedToLoad},
		{ginclerktest.Fault401, http.StatusInternalServerError, ginclerk.ReasonSecretKeyInvalid},
		{ginclerktest.Fault403, http.StatusInternalServerError, ginclerk.ReasonSecretKeyInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.fault.String(), func(t *testing.T) {
			t.Parallel()
			srv := ginclerktest.NewServer(t, key)
			srv.Fail(tt.fault)
			// Only a hang needs the timeout to end it, and then the timeout is
			// the outcome; any other fault must fail on its own merits.
			timeout := hangBound
			if tt.fault == ginclerktest.FaultHang {
				timeout = 200 * time.Millisecond
			}
			ck := apiClerk(t, srv, ginclerk.WithFetchTimeout(timeout))
			var s seen
			w := do(router(&s, ck.RequireAuth()), get(mint(t, key)))
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, tt.reason, w.Header().Get("X-Clerk-Auth-Reason"))
		})
	}
}

func TestKeysRotation(t *testing.T) {
	t.Parallel()
	clk := newClock()
	oldKey, newKey := ginclerktest.SharedKey(t, 2), ginclerktest.SharedKey(t, 3)
	srv := ginclerktest.NewServer(t, oldKey)
	ck := apiClerk(t, srv, ginclerk.WithClock(clk.Now), ginclerk.WithTokenCacheBytes(0))
	require.Equal(t, http.StatusOK, strictStatus(ck, oldKey.Mint(t, ginclerktest.At(clk.Now()))))

	srv.SetKeys(oldKey, newKey)
	require.Equal(t, http.StatusOK, strictStatus(ck, newKey.Mint(t, ginclerktest.At(clk.Now()))), "a new kid triggers a refetch")
	assert.Equal(t, 2, srv.Fetches())

	srv.SetKeys(newKey)
	clk.Advance(6 * time.Minute)
	require.Eventually(t, func() bool {
		var s seen
		w := do(router(&s, ck.RequireAuth()), get(oldKey.Mint(t, ginclerktest.At(clk.Now()))))
		return w.Code == http.StatusUnauthorized && w.Header().Get("X-Clerk-Auth-Reason") == ginclerk.ReasonJWKKidMismatch
	}, hangBound, time.Millisecond, "a removed key stops being accepted after the next refresh")
	assert.Equal(t, http.StatusOK, strictStatus(ck, newKey.Mint(t, ginclerktest.At(clk.Now()))))
}

func TestKeysIsolatedBySecret(t *testing.T) {
	t.Parallel()
	keyA, keyB := ginclerktest.SharedKey(t, 4), ginclerktest.SharedKey(t, 5)
	srvA, srvB := ginclerktest.NewServer(t, keyA), ginclerktest.NewServer(t, keyB)
	a, b := apiClerk(t, srvA), apiClerk(t, srvB)
	assert.Equal(t, http.StatusOK, strictStatus(a, mint(t, keyA)))
	assert.Equal(t, http.StatusOK, strictStatus(b, mint(t, keyB)))
	assert.Equal(t, http.StatusUnauthorized, strictStatus(a, mint(t, keyB)))
	assert.Equal(t, http.StatusUnauthorized, strictStatus(b, mint(t, keyA)))
}

func TestKeysNoGoroutineLeft(t *testing.T) {
	key := ginclerktest.DefaultKey(t)
	before := runtime.NumGoroutine()
	func() {
		srv := ginclerktest.NewServer(t, key)
		defer srv.Close()
		srv.Fail(ginclerktest.FaultHang)
		ck, err := ginclerk.New(append(srv.Options(), quiet(), ginclerk.WithFetchTimeout(time.Second))...)
		require.NoError(t, err)
		var s seen
		do(router(&s, ck.WithAuth()), get(mint(t, key)))
		require.NoError(t, ck.Close())
	}()
	requireGoroutinesBackTo(t, before)
}

// requireRecovery checks that ck's key cache recovers once Clerk's Backend
// API is back at clk.Now(). Each attempt moves the clock past the stale
// window and any backoff, so the request waits for a fetch of its own
// rather than racing a background one. The first attempt may join a failing
// fetch still in flight from the outage; the second then starts afresh.
func requireRecovery(t *testing.T, ck *ginclerk.Clerk, key *ginclerktest.Key, clk *clock) {
	t.Helper()
	cleared := clk.Now()
	for range 2 {
		clk.Advance(24*time.Hour + 5*time.Minute) // the default stale window and TTL
		if strictStatus(ck, key.Mint(t, ginclerktest.At(clk.Now()))) == http.StatusOK {
			break
		}
	}
	st := ck.KeyStats()
	require.Zero(t, st.ConsecutiveFailures, "the key cache recovers when Clerk returns: %v", st.LastError)
	require.False(t, st.LastSuccess.Before(cleared))
}
