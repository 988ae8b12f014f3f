package ginclerk

import (
	"context"
	"crypto/rsa"
	"sync/atomic"

	"github.com/ginclerk/ginclerk/internal/keys"
	"github.com/ginclerk/ginclerk/internal/verify"
)

// CountSignatureChecks makes ck count the signature checks it performs (one
// key lookup precedes each RSA verification) and returns the counter, so
// that tests can tell a cache hit from a verification.
func CountSignatureChecks(ck *Clerk) *atomic.Int64 {
	cfg := ck.verifier.Config()
	counter := &countingSource{Source: cfg.Keys}
	cfg.Keys = counter
	ck.verifier = verify.New(cfg)
	return &counter.n
}

type countingSource struct {
	keys.Source
	n atomic.Int64
}

func (s *countingSource) Key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	s.n.Add(1)
	return s.Source.Key(ctx, kid)
}
