package keys

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/ginclerk/ginclerk/internal/clerkerr"
)

func TestSecretsNeverShareKeys(t *testing.T) {
	t.Parallel()
	ks := testKeys(t)
	f := newFakeClerk(t)
	const secretA, secretB = "sk_test_instanceA", "sk_test_instanceB"
	f.serveKeys(t, secretA, rsaJWK(kidOf(0), &ks.rsa[0].PublicKey))
	f.serveKeys(t, secretB, rsaJWK(kidOf(1), &ks.rsa[1].PublicKey))
	clk := newFakeClock()
	cfgA, cfgB := testConfig(f, clk), testConfig(f, clk)
	cfgA.SecretKey, cfgB.SecretKey = secretA, secretB
	a, b := acquire(t, cfgA), acquire(t, cfgB)
	a2 := acquire(t, cfgA) // same scope: shares a's cache
	ctx := context.Background()

	_, err := a.Key(ctx, kidOf(0))
	require.NoError(t, err)
	_, err = b.Key(ctx, kidOf(1))
	require.NoError(t, err)
	_, err = a.Key(ctx, kidOf(1))
	requireReason(t, err, clerkerr.JWKKidMismatch)
	_, err = b.Key(ctx, kidOf(0))
	requireReason(t, err, clerkerr.JWKKidMismatch)
	_, err = a2.Key(ctx, kidOf(0))
	require.NoError(t, err)

	assert.Same(t, a.c, a2.c, "one cache per scope")
	assert.NotSame(t, a.c, b.c)
	assert.EqualValues(t, 2, a.Stats().Fetches, "a: first fetch + one unknown-kid refetch; a2 fetched nothing")
	assert.EqualValues(t, 2, b.Stats().Fetches)
}

func TestAcquireRelease(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	cfg := testConfig(f, newFakeClock())
	cfg.APIURL += "/" // normalised: same scope as without the slash
	ctx := context.Background()

	j1 := AcquireJWKS(cfg)
	j2 := AcquireJWKS(testConfig(f, newFakeClock()))
	require.Same(t, j1.c, j2.c)
	_, err := j1.Key(ctx, kidOf(0))
	require.NoError(t, err)

	j1.Release()
	j1.Release() // idempotent: must not drop j2's reference
	_, err = j2.Key(ctx, kidOf(0))
	require.NoError(t, err)
	assert.EqualValues(t, 1, f.fetches.Load())

	j2.Release()
	j3 := acquire(t, cfg)
	assert.NotSame(t, j2.c, j3.c, "the last Release drops the cache")
	assert.Zero(t, j3.Stats().Fetches)

	assert.Panics(t, func() { AcquireJWKS(JWKSConfig{}) }, "a secret key is required")
}

func TestClosedCacheNeverFetches(t *testing.T) {
	t.Parallel()
	f := newFakeClerk(t)
	f.serveKeys(t, testSecret, rsaJWK(kidOf(0), &testKeys(t).rsa[0].PublicKey))
	j := AcquireJWKS(testConfig(f, newFakeClock()))
	j.Release()
	_, err := j.Key(context.Background(), kidOf(0))
	requireReason(t, err, clerkerr.JWKRemoteFailedToLoad)
	assert.Zero(t, f.fetches.Load())
}
