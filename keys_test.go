package ginclerk_test

import (
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

// TestKeysThroughMiddleware drives issue 3's scenarios end to end, against
// the fake Backend API in ginclerktest with an injected clock.
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

func TestKeysOutageAfterGoodFetch(t *testing.T) {
	t.Parallel()
	faults := []ginclerktest.Fault{ginclerktest.Fault500, ginclerktest.FaultGarbage, ginclerktest.FaultEmptySet, ginclerktest.FaultHang, ginclerktest.FaultStall, ginclerktest.FaultHugeBody, ginclerktest.Fault401, ginclerktest.Fault403}
	key := ginclerktest.DefaultKey(t)
	for _, fault := range faults {
		t.Run(fault.String(), func(t *testing.T) {
			t.Parallel()
			clk := newClock()
			srv := ginclerktest.NewServer(t, key)
			ck := apiClerk(t, srv, ginclerk.WithClock(clk.Now), ginclerk.WithFetchTimeout(100*time.Millisecond), ginclerk.WithTokenCacheBytes(0))
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
			require.Eventually(t, func() bool { return ck.KeyStats().ConsecutiveFailures > 0 }, 5*time.Second, 5*time.Millisecond,
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
			ck := apiClerk(t, srv, ginclerk.WithFetchTimeout(200*time.Millisecond))
			start := time.Now()
			var s seen
			w := do(router(&s, ck.RequireAuth()), get(mint(t, key)))
			assert.Less(t, time.Since(start), 3*time.Second, "fails promptly")
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
	}, 5*time.Second, 10*time.Millisecond, "a removed key stops being accepted after the next refresh")
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
	// Poll by hand: assert.Eventually runs its condition on a goroutine of
	// its own, which would count.
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<20)
		t.Fatalf("goroutines: before %d, now %d\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}

// requireRecovery waits for ck's key cache to succeed again after Clerk's
// Backend API came back at clk.Now(), sending requests as time passes: a
// retry that was still failing when the fault cleared must get its turn.
func requireRecovery(t *testing.T, ck *ginclerk.Clerk, key *ginclerktest.Key, clk *clock) {
	t.Helper()
	cleared := clk.Now()
	require.Eventually(t, func() bool {
		clk.Advance(time.Minute)
		strictStatus(ck, key.Mint(t, ginclerktest.At(clk.Now())))
		st := ck.KeyStats()
		return st.ConsecutiveFailures == 0 && !st.LastSuccess.Before(cleared)
	}, 5*time.Second, 10*time.Millisecond, "the key cache recovers when Clerk returns")
}
