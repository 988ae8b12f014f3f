package keys

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

// outageFaults are the ways the Backend API fails, with the reason a cache
// without usable keys must answer.
var outageFaults = []struct {
	fault  string
	reason string
}{
	{faultRefused, clerkerr.JWKRemoteFailedToLoad},
	{fault500, clerkerr.JWKRemoteFailedToLoad},
	{faultHang, clerkerr.JWKRemoteFailedToLoad},
	{faultGarbage, clerkerr.JWKRemoteFailedToLoad},
	{faultHuge, clerkerr.JWKRemoteFailedToLoad},
	{faultEmpty, clerkerr.JWKRemoteFailedToLoad},
	{fault401, clerkerr.SecretKeyInvalid},
	{fault403, clerkerr.SecretKeyInvalid},
}

// outageTimeout is the fetch timeout while fault is injected: short for a
// hanging Backend API, where the timeout is what ends the fetch; long for
// every other fault, so that a loaded machine cannot turn it into a timeout.
func outageTimeout(fault string) time.Duration {
	if fault == faultHang {
		return 300 * time.Millisecond
	}
	return healthyTimeout
}

// setTimeout sets the timeout of the fetches that follow. No fetch may be in
// flight (see waitIdle); the next one starts after this write.
func (c *cache) setTimeout(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.cfg.Timeout = d
}

func TestOutageAfterGoodFetch(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	for _, tc := range outageFaults {
		t.Run(tc.fault, func(t *testing.T) {
			t.Parallel()
			f := newFakeClerk(t)
			f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
			clk := newFakeClock()
			logs := &logRecorder{}
			cfg := testConfig(f, clk)
			cfg.Timeout, cfg.Logger = healthyTimeout, slog.New(logs)
			j := acquire(t, cfg)
			ctx := context.Background()
			good := clk.Now()

			_, err := j.Key(ctx, kidOf(0))
			require.NoError(t, err)

			// Clerk goes down; the keys go stale. Hits are answered at once
			// and the refresh fails in the background.
			j.c.setTimeout(outageTimeout(tc.fault))
			f.setFault(tc.fault)
			clk.Advance(DefaultTTL)
			k, err := j.Key(ctx, kidOf(0))
			require.NoError(t, err)
			require.True(t, k.Equal(&ks.rsa[0].PublicKey))
			j.c.waitIdle()
			st := j.Stats()
			require.EqualValues(t, 1, st.Failures)
			requireReason(t, st.LastError, tc.reason)

			// Keys keep being served through the stale window; the refresh is
			// retried (backoff is capped at TTL, so every step retries).
			for clk.Now().Before(good.Add(DefaultStaleFor - 6*time.Hour)) {
				clk.Advance(6 * time.Hour)
				_, err := j.Key(ctx, kidOf(0))
				require.NoError(t, err, "at %s after the last success", clk.Now().Sub(good))
				j.c.waitIdle()
			}
			clk.Advance(good.Add(DefaultStaleFor - time.Second).Sub(clk.Now()))
			_, err = j.Key(ctx, kidOf(0))
			require.NoError(t, err, "still served one second before StaleFor")
			j.c.waitIdle()
			st = j.Stats()
			assert.EqualValues(t, 5, st.Failures) // at 5m, 6h5m, 12h5m, 18h5m, 24h-1s
			assert.Equal(t, 5, st.ConsecutiveFailures)
			assert.Equal(t, 1, logs.count("WARN"), "one warning per failure streak:\n%s", logs.all())

			// Clerk comes back: the next refresh recovers.
			j.c.setTimeout(healthyTimeout)
			f.setFault(faultNone)
			clk.Advance(DefaultTTL)
			_, err = j.Key(ctx, kidOf(0))
			require.NoError(t, err)
			j.c.waitIdle()
			st = j.Stats()
			assert.Zero(t, st.ConsecutiveFailures)
			assert.Nil(t, st.LastError)
			assert.Equal(t, clk.Now(), st.LastSuccess)
			assert.Equal(t, 1, logs.count("INFO ginclerk: JWKS fetch recovered"))

			// Down again, for longer than StaleFor: the keys stop being served.
			j.c.setTimeout(outageTimeout(tc.fault))
			f.setFault(tc.fault)
			clk.Advance(DefaultStaleFor)
			_, err = j.Key(ctx, kidOf(0))
			requireReason(t, err, tc.reason)
			assert.Equal(t, 2, logs.count("WARN"), "a new streak warns again")
			assert.NotContains(t, logs.all(), testSecret, "the secret key is never logged")
		})
	}
}

func TestOutageOnColdCache(t *testing.T) {
	t.Parallel()
	for _, tc := range outageFaults {
		t.Run(tc.fault, func(t *testing.T) {
			t.Parallel()
			f := newFakeClerk(t)
			f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
			f.setFault(tc.fault)
			cfg := testConfig(f, newFakeClock())
			cfg.Timeout = outageTimeout(tc.fault)
			j := acquire(t, cfg)

			start := time.Now()
			_, err := j.Key(context.Background(), kidOf(0))
			took := time.Since(start)
			ce := requireReason(t, err, tc.reason)
			assert.NotNil(t, ce.Err, "the cause is kept for logs")
			assert.NotContains(t, ce.Error(), testSecret)
			// A hanging API ends with the timeout; any other fault on its own.
			if tc.fault == faultHang {
				assert.Contains(t, ce.Message, "timed out")
			} else {
				assert.NotContains(t, ce.Message, "timed out")
			}

			// During the backoff, callers get the failure at once, without a fetch.
			start = time.Now()
			_, err = j.Key(context.Background(), kidOf(0))
			requireReason(t, err, tc.reason)
			assert.EqualValues(t, 1, j.Stats().Fetches)
			t.Logf("cold outage %-8s → %s after %v (next caller: %v)", tc.fault, tc.reason, took.Round(time.Millisecond), time.Since(start))
		})
	}
}

func TestBackoff(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	f.setFault(fault500)
	clk := newFakeClock()
	cfg := testConfig(f, clk)
	cfg.TTL = 10 * time.Second
	j := acquire(t, cfg)
	ctx := context.Background()

	fetches := int64(0)
	// Retry delays double from one second and are capped at TTL.
	for _, wait := range []time.Duration{0, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 10 * time.Second, 10 * time.Second} {
		clk.Advance(wait - time.Millisecond)
		if wait > 0 {
			_, err := j.Key(ctx, kidOf(0))
			requireReason(t, err, clerkerr.JWKRemoteFailedToLoad)
			require.Equal(t, fetches, f.fetches.Load(), "no fetch %v into a %v backoff", wait-time.Millisecond, wait)
		}
		clk.Advance(time.Millisecond)
		_, err := j.Key(ctx, kidOf(0))
		requireReason(t, err, clerkerr.JWKRemoteFailedToLoad)
		fetches++
		require.Equal(t, fetches, f.fetches.Load(), "a retry once the %v backoff is over", wait)
	}

	// Recovery, then stale keys: the background refresh obeys the backoff too.
	f.setFault(faultNone)
	clk.Advance(10 * time.Second)
	_, err := j.Key(ctx, kidOf(0))
	require.NoError(t, err)
	f.setFault(fault500)
	clk.Advance(cfg.TTL)
	_, err = j.Key(ctx, kidOf(0))
	require.NoError(t, err)
	j.c.waitIdle()
	before := f.fetches.Load()
	for range 100 {
		_, err = j.Key(ctx, kidOf(0))
		require.NoError(t, err)
	}
	j.c.waitIdle()
	assert.Equal(t, before, f.fetches.Load(), "no refresh during the backoff")
	clk.Advance(time.Second)
	_, err = j.Key(ctx, kidOf(0))
	require.NoError(t, err)
	j.c.waitIdle()
	assert.Equal(t, before+1, f.fetches.Load())
}

func TestErrorMessagesNeverCarryTheSecret(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, "sk_test_other", rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	j := acquire(t, testConfig(f, newFakeClock())) // testSecret is unknown to the fake: 401
	_, err := j.Key(context.Background(), kidOf(0))
	ce := requireReason(t, err, clerkerr.SecretKeyInvalid)
	assert.False(t, strings.Contains(ce.Error(), testSecret) || strings.Contains(ce.Err.Error(), testSecret))
	assert.Contains(t, ce.Error(), "CLERK_SECRET_KEY")
}
