package machine_test

import (
	"context"
	"testing"

	"github.com/ginclerk/ginclerk/ginclerktest"
	"github.com/ginclerk/ginclerk/internal/machine"
)

// BenchmarkVerifyHit is a cached credential: what every request after the
// first costs.
func BenchmarkVerifyHit(b *testing.B) {
	f, token := benchFixture(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.v.Verify(ctx, token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyHitParallel looks one credential up from every P: the
// read lock must not serialize them.
func BenchmarkVerifyHitParallel(b *testing.B) {
	f, token := benchFixture(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := f.v.Verify(context.Background(), token); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkVerifyMiss is a full in-process round trip: encoding, the
// fake's handler, decoding, judging, caching (TTL 0: never a hit).
func BenchmarkVerifyMiss(b *testing.B) {
	f := newFixture(b, func(cfg *machine.Config, _ *ginclerktest.Server) { cfg.CacheTTL = 0 })
	token := f.srv.AddAPIKey(realistic(1, 64))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.v.Verify(context.Background(), token); err != nil {
			b.Fatal(err)
		}
	}
}

func benchFixture(b *testing.B) (*fixture, string) {
	f := newFixture(b, nil)
	token := f.srv.AddAPIKey(realistic(1, 64))
	if _, err := f.v.Verify(context.Background(), token); err != nil {
		b.Fatal(err)
	}
	return f, token
}
