package keys

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

func TestColdStartSingleFetch(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
	// A slow answer makes sure the callers really overlap the one fetch.
	f.setDelay(50 * time.Millisecond)
	j := acquire(t, testConfig(f, newFakeClock()))

	const callers = 200
	var start, done sync.WaitGroup
	start.Add(1)
	errs := make(chan error, callers)
	for range callers {
		done.Add(1)
		go func() {
			defer done.Done()
			start.Wait()
			k, err := j.Key(context.Background(), kidOf(0))
			if err == nil && !k.Equal(&ks.rsa[0].PublicKey) {
				err = assert.AnError
			}
			errs <- err
		}()
	}
	start.Done()
	done.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.EqualValues(t, 1, f.fetches.Load(), "exactly one HTTP request for %d concurrent cold callers", callers)
	st := j.Stats()
	assert.EqualValues(t, 1, st.Fetches)
	assert.Equal(t, 1, st.Keys)
	t.Logf("cold start: %d callers → %d fetch", callers, f.fetches.Load())
}

func TestKidFloodWithinCooldown(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
	j := acquire(t, testConfig(f, newFakeClock()))
	_, err := j.Key(context.Background(), kidOf(0))
	require.NoError(t, err)
	require.EqualValues(t, 1, f.fetches.Load())

	const kids, workers = 10000, 50
	forged := make([]string, kids)
	for i := range forged {
		b := make([]byte, 12)
		_, _ = rand.Read(b)
		forged[i] = "ins_" + hex.EncodeToString(b)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	mismatches := 0
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for i := w; i < kids; i += workers {
				_, err := j.Key(context.Background(), forged[i])
				if ce, ok := err.(*clerkerr.Error); ok && ce.Reason == clerkerr.JWKKidMismatch {
					n++
				}
			}
			mu.Lock()
			mismatches += n
			mu.Unlock()
		}()
	}
	wg.Wait()

	assert.Equal(t, kids, mismatches, "every forged kid is jwk-kid-mismatch")
	assert.LessOrEqual(t, f.fetches.Load(), int64(2), "at most one extra fetch within one cooldown")
	st := j.Stats()
	assert.LessOrEqual(t, st.UnknownKidRefetches, uint64(1))
	assert.LessOrEqual(t, st.NegativeCacheSize, negCacheSize, "the negative cache is bounded")

	// The real key still works throughout.
	_, err = j.Key(context.Background(), kidOf(0))
	require.NoError(t, err)
	t.Logf("kid flood: %d distinct kids → %d fetches in total (1 warm-up), %d unknown-kid refetches, negative cache %d",
		kids, f.fetches.Load(), st.UnknownKidRefetches, st.NegativeCacheSize)
}

func TestNegativeCacheAndCooldown(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
	clk := newFakeClock()
	cfg := testConfig(f, clk)
	cfg.TTL, cfg.KidCooldown = time.Hour, time.Minute // cooldown shorter than TTL to tell them apart
	j := acquire(t, cfg)
	ctx := context.Background()

	step := func(kid string, wantFetches int64, wantReason string) {
		t.Helper()
		k, err := j.Key(ctx, kid)
		if wantReason == "" {
			require.NoError(t, err)
			require.NotNil(t, k)
		} else {
			requireReason(t, err, wantReason)
		}
		require.Equal(t, wantFetches, f.fetches.Load())
	}
	step(kidOf(0), 1, "")
	step("ins_forgedX", 2, clerkerr.JWKKidMismatch) // unknown: one refetch, then remembered
	step("ins_forgedX", 2, clerkerr.JWKKidMismatch) // negative cache
	assert.EqualValues(t, 1, j.Stats().NegativeCacheHits)
	step("ins_forgedY", 2, clerkerr.JWKKidMismatch) // cooling down: no fetch
	clk.Advance(time.Minute)
	step("ins_forgedX", 2, clerkerr.JWKKidMismatch) // still remembered: no fetch
	step("ins_forgedY", 3, clerkerr.JWKKidMismatch) // cooldown over: one refetch
	step("ins_forgedZ", 3, clerkerr.JWKKidMismatch)
	assert.EqualValues(t, 2, j.Stats().UnknownKidRefetches)

	// Y is remembered, X was forgotten when Y's refetch succeeded.
	assert.Equal(t, 1, j.Stats().NegativeCacheSize)

	// Clerk publishes Y. Once the keys are past their TTL, even traffic made
	// only of remembered kids refreshes them, and the refresh clears the
	// negative cache.
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey), rsaJWK("ins_forgedY", &ks.rsa[1].PublicKey))
	clk.Advance(time.Hour)
	_, err := j.Key(ctx, "ins_forgedY") // answered at once from the negative cache, refresh in the background
	requireReason(t, err, clerkerr.JWKKidMismatch)
	j.c.waitIdle()
	require.EqualValues(t, 4, f.fetches.Load())
	assert.Zero(t, j.Stats().NegativeCacheSize)
	step("ins_forgedY", 4, "")
}

func TestKidBounds(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	j := acquire(t, testConfig(f, newFakeClock()))
	for _, kid := range []string{"", strings.Repeat("k", maxKidLen+1)} {
		_, err := j.Key(context.Background(), kid)
		requireReason(t, err, clerkerr.JWKKidMismatch)
	}
	assert.Zero(t, f.fetches.Load(), "an impossible kid never causes a fetch")
}

func TestKeyRotation(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	f := newFakeClerk(t)
	k0, k1 := rsaJWK(kidOf(0), &ks.rsa[0].PublicKey), rsaJWK(kidOf(1), &ks.rsa[1].PublicKey)
	f.serveKeys(t, testSecret, k0)
	clk := newFakeClock()
	j := acquire(t, testConfig(f, clk))
	ctx := context.Background()

	_, err := j.Key(ctx, kidOf(0))
	require.NoError(t, err)

	// Clerk starts signing with a new kid: the first token with it refetches once.
	f.serveKeys(t, testSecret, k0, k1)
	got, err := j.Key(ctx, kidOf(1))
	require.NoError(t, err)
	assert.True(t, got.Equal(&ks.rsa[1].PublicKey))
	assert.EqualValues(t, 2, f.fetches.Load())
	_, err = j.Key(ctx, kidOf(1))
	require.NoError(t, err)
	assert.EqualValues(t, 2, f.fetches.Load(), "found keys are served from the cache")

	// Clerk removes the old key: served until the next refresh, then not.
	f.serveKeys(t, testSecret, k1)
	clk.Advance(DefaultTTL)
	_, err = j.Key(ctx, kidOf(0))
	require.NoError(t, err, "stale keys are served while the refresh runs")
	j.c.waitIdle()
	require.EqualValues(t, 3, f.fetches.Load())
	_, err = j.Key(ctx, kidOf(0))
	requireReason(t, err, clerkerr.JWKKidMismatch)
	_, err = j.Key(ctx, kidOf(1))
	require.NoError(t, err)
}

func TestRequestShape(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	j := acquire(t, testConfig(f, newFakeClock()))
	_, err := j.Key(context.Background(), kidOf(0))
	require.NoError(t, err)
	f.mu.Lock()
	h := f.lastReq
	f.mu.Unlock()
	assert.Equal(t, "Bearer "+testSecret, h.Get("Authorization"))
	assert.Equal(t, "application/json", h.Get("Accept"))
	assert.Equal(t, "ginclerk", h.Get("User-Agent"))
	assert.Equal(t, "2026-05-12", h.Get("Clerk-API-Version"), "the Backend API version @clerk/backend 3.25 pins")
}

func TestCallerContextBoundsTheWait(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	release := f.hold()
	defer release()
	cfg := testConfig(f, newFakeClock())
	cfg.Timeout = 10 * time.Second
	j := acquire(t, cfg)

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := j.Key(ctx, kidOf(0))
	ce := requireReason(t, err, clerkerr.JWKRemoteFailedToLoad)
	assert.ErrorIs(t, ce, context.DeadlineExceeded)
	assert.Zero(t, j.Stats().Failures, "the caller's ctx, not the fetch, bounded the wait: the fetch is still held")

	// The fetch was not tied to that caller: it completes for the next one.
	release()
	_, err = j.Key(context.Background(), kidOf(0))
	require.NoError(t, err)
	assert.EqualValues(t, 1, f.fetches.Load())
}

func TestStaleHitNeverWaits(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
	clk := newFakeClock()
	cfg := testConfig(f, clk)
	cfg.Timeout = 10 * time.Second
	j := acquire(t, cfg)
	_, err := j.Key(context.Background(), kidOf(0))
	require.NoError(t, err)

	release := f.hold()
	defer release()
	clk.Advance(DefaultTTL)
	for range 100 {
		k, err := j.Key(context.Background(), kidOf(0))
		require.NoError(t, err)
		require.True(t, k.Equal(&ks.rsa[0].PublicKey))
	}
	// Every call above returned while the one refresh was held by the server.
	st := j.Stats()
	assert.EqualValues(t, 2, st.Fetches, "one background refresh for all the stale hits")
	assert.Equal(t, DefaultTTL, st.CacheAge)
	release()
	j.c.waitIdle()
	assert.Zero(t, j.Stats().CacheAge, "the refresh replaced the keys")
}
