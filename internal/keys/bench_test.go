package keys

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// hotJWKS returns a warm cache for allocation and speed measurements; now
// nil means the real clock.
func hotJWKS(tb testing.TB, f *fakeClerk, now func() time.Time) *JWKS {
	f.serveKeys(tb, testSecret, rsaJWK(kidOf(0), &testKeys(tb).rsa[0].PublicKey),
		rsaJWK(kidOf(1), &testKeys(tb).rsa[1].PublicKey))
	j := AcquireJWKS(JWKSConfig{APIURL: f.srv.URL, SecretKey: testSecret, HTTPClient: f.client(),
		Logger: discardLogger(), Now: now})
	tb.Cleanup(j.Release)
	_, err := j.Key(context.Background(), kidOf(0))
	require.NoError(tb, err)
	return j
}

// TestKeyHitDoesNotAllocate is not parallel: AllocsPerRun refuses parallel tests.
func TestKeyHitDoesNotAllocate(t *testing.T) {
	j := hotJWKS(t, newFakeClerk(t), nil)
	ctx := context.Background()
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := j.Key(ctx, kidOf(1)); err != nil {
			panic(err)
		}
	})
	require.Zero(t, allocs)
}

// BenchmarkKeyHit measures the hit path with the real clock. On VMs whose
// clock source has no vDSO fast path, time.Now dominates it; compare
// BenchmarkKeyHitFixedClock.
func BenchmarkKeyHit(b *testing.B) {
	j := hotJWKS(b, newFakeClerk(b), nil)
	ctx := context.Background()
	kid := kidOf(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.Key(ctx, kid); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkKeyHitFixedClock is the hit path without the cost of reading the
// clock: the snapshot load and map lookup alone.
func BenchmarkKeyHitFixedClock(b *testing.B) {
	t0 := time.Now()
	j := hotJWKS(b, newFakeClerk(b), func() time.Time { return t0 })
	ctx := context.Background()
	kid := kidOf(1)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := j.Key(ctx, kid); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKeyHitParallel(b *testing.B) {
	j := hotJWKS(b, newFakeClerk(b), nil)
	kid := kidOf(1)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			if _, err := j.Key(ctx, kid); err != nil {
				b.Fatal(err)
			}
		}
	})
}
