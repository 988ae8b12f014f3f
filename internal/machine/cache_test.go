package machine_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/clerkerr"
	"github.com/ginclerk/ginclerk/internal/machine"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gated returns a fixture whose calls wait at a gate until it opens.
func gated(t *testing.T, ttl time.Duration) (*fixture, *gate) {
	t.Helper()
	var g *gate
	f := newFixture(t, func(cfg *machine.Config, srv *ginclerktest.Server) {
		g = newGate(inProcess{srv.Config.Handler})
		cfg.HTTPClient = &http.Client{Transport: g}
		cfg.CacheTTL = ttl
	})
	return f, g
}

// waitFor polls cond: the only way to know that goroutines have reached a
// channel wait. The bound only stops a broken test from hanging.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	require.Eventually(t, cond, 30*time.Second, time.Millisecond)
}

// TestConcurrentRequestsShareOneCall: 1,000 concurrent requests with one
// fresh API key make exactly one Backend API call. The call is held until
// all of them wait on it, and the cache is off, so only the shared call can
// explain the count.
func TestConcurrentRequestsShareOneCall(t *testing.T) {
	t.Parallel()
	const n = 1000
	f, g := gated(t, 0)
	token := f.srv.AddAPIKey(ginclerktest.MachineCredential{Subject: "user_1"})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			c, err := f.verify(t, token)
			if err == nil && c.Subject != "user_1" {
				err = assert.AnError
			}
			errs <- err
		})
	}
	waitFor(t, func() bool { return f.v.Stats().Joined == n-1 })
	close(g.open)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, f.srv.VerifyCalls().APIKeys)
	assert.Equal(t, uint64(1), f.v.Stats().Calls)
}

// TestWaiterCancellation: a caller that gives up frees only itself; the
// shared call goes on for the others and fills the cache.
func TestWaiterCancellation(t *testing.T) {
	t.Parallel()
	f, g := gated(t, machine.DefaultCacheTTL)
	token := f.srv.AddAPIKey(ginclerktest.MachineCredential{})

	ctx, cancel := context.WithCancel(context.Background())
	quitter := make(chan error, 1)
	go func() {
		_, err := f.v.Verify(ctx, token)
		quitter <- err
	}()
	<-g.entered
	stayer := make(chan error, 1)
	go func() {
		_, err := f.verify(t, token)
		stayer <- err
	}()
	waitFor(t, func() bool { return f.v.Stats().Joined == 1 })
	cancel()
	requireReason(t, <-quitter, clerkerr.UnexpectedError)

	close(g.open)
	require.NoError(t, <-stayer)
	_, err := f.verify(t, token)
	require.NoError(t, err)
	assert.Equal(t, 1, calls(f.srv))
}

// TestCacheLifetime: an entry lives min(TTL, expiration) on the injected
// clock; a failure is not cached.
func TestCacheLifetime(t *testing.T) {
	t.Parallel()
	t.Run("ttl", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		token := f.srv.AddAPIKey(ginclerktest.MachineCredential{})
		for _, step := range []struct {
			advance time.Duration
			calls   int
		}{{0, 1}, {0, 1}, {machine.DefaultCacheTTL - time.Nanosecond, 1}, {time.Nanosecond, 2}, {time.Second, 2}} {
			f.clock.Advance(step.advance)
			_, err := f.verify(t, token)
			require.NoError(t, err)
			require.Equal(t, step.calls, calls(f.srv))
		}
	})
	t.Run("expiration before ttl", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		token := f.srv.AddAPIKey(ginclerktest.MachineCredential{ExpiresAt: t0.Add(10 * time.Second)})
		_, err := f.verify(t, token)
		require.NoError(t, err)
		f.clock.Advance(10 * time.Second)
		_, err = f.verify(t, token)
		requireReason(t, err, clerkerr.TokenInvalid)
		assert.Equal(t, 2, calls(f.srv), "the entry died with the credential")
	})
	t.Run("ttl zero disables", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, func(cfg *machine.Config, _ *ginclerktest.Server) { cfg.CacheTTL = 0 })
		token := f.srv.AddAPIKey(ginclerktest.MachineCredential{})
		for range 3 {
			_, err := f.verify(t, token)
			require.NoError(t, err)
			_, err = f.verify(t, "ak_unknown")
			requireReason(t, err, clerkerr.TokenInvalid)
		}
		assert.Equal(t, 6, calls(f.srv))
	})
	t.Run("revocation seen after ttl", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t, nil)
		token := f.srv.AddAPIKey(ginclerktest.MachineCredential{})
		_, err := f.verify(t, token)
		require.NoError(t, err)
		f.srv.Revoke(token)
		_, err = f.verify(t, token)
		require.NoError(t, err, "revocation takes up to the TTL")
		f.clock.Advance(machine.DefaultCacheTTL)
		_, err = f.verify(t, token)
		requireReason(t, err, clerkerr.TokenInvalid)
	})
}

// TestNegativeCache: an unknown credential costs one call per negative TTL.
func TestNegativeCache(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	for _, step := range []struct {
		advance time.Duration
		calls   int
	}{{0, 1}, {0, 1}, {machine.DefaultNegativeTTL - time.Nanosecond, 1}, {time.Nanosecond, 2}} {
		f.clock.Advance(step.advance)
		_, err := f.verify(t, "ak_unknown")
		requireReason(t, err, clerkerr.TokenInvalid)
		require.Equal(t, step.calls, calls(f.srv))
	}
}

// TestDistinctUnknownKeys: 10,000 distinct unknown API keys, each sent
// twice within the negative TTL, cost exactly one call each, and the
// negative cache stays within its byte budget.
func TestDistinctUnknownKeys(t *testing.T) {
	t.Parallel()
	const n = 10_000
	f := newFixture(t, nil)
	for round := range 2 {
		for i := range n {
			_, err := f.verify(t, "ak_unknown_"+strconv.Itoa(i))
			requireReason(t, err, clerkerr.TokenInvalid)
		}
		require.Equal(t, n, f.srv.VerifyCalls().APIKeys, "round %d", round)
	}
	st := f.v.Stats()
	assert.Equal(t, n, st.NegativeEntries)
	assert.LessOrEqual(t, st.NegativeBytes, int64(machine.DefaultNegativeMaxBytes))
	assert.Equal(t, uint64(n), st.NegativeHits)
}

// TestOutage: with the Backend API down, cached credentials keep working
// until their TTL, new ones fail with unexpected-error, failures are not
// cached, and the first call after recovery succeeds.
func TestOutage(t *testing.T) {
	t.Parallel()
	f := newFixture(t, nil)
	cached := f.srv.AddAPIKey(ginclerktest.MachineCredential{})
	fresh := f.srv.AddAPIKey(ginclerktest.MachineCredential{})
	_, err := f.verify(t, cached)
	require.NoError(t, err)

	f.srv.FailVerify(ginclerktest.Fault500)
	f.clock.Advance(machine.DefaultCacheTTL - time.Second)
	_, err = f.verify(t, cached)
	require.NoError(t, err)
	_, err = f.verify(t, fresh)
	requireReason(t, err, clerkerr.UnexpectedError)

	f.clock.Advance(time.Second)
	_, err = f.verify(t, cached)
	requireReason(t, err, clerkerr.UnexpectedError)

	f.srv.FailVerify(ginclerktest.FaultNone)
	_, err = f.verify(t, fresh)
	require.NoError(t, err)
	assert.Equal(t, 4, calls(f.srv))
}
