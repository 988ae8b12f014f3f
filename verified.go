package ginclerk

import (
	"context"
	"unsafe"

	"github.com/ginclerk/ginclerk/internal/claims"
	"github.com/ginclerk/ginclerk/internal/tokencache"
	"github.com/ginclerk/ginclerk/internal/verify"
)

// verify checks a session token and returns its claims, consulting the
// instance's verified-token cache (WithTokenCacheBytes) first.
//
// What is cached is only the clock-independent verdict of
// Verifier.VerifySignature — shape, header, RS256 signature, claim types,
// token type — so the clock and configuration checks (exp and nbf with
// skew, iat, azp, iss) run on every request, hit or miss.
//
// Key rotation: a positive entry lives until the token's exp plus the clock
// skew (as long as the token itself is accepted), and at most
// the JWKS refresh interval (WithJWKSCacheTTL, 5 min) after the
// verification that stored it. When Clerk drops a key from the JWKS, new
// tokens signed with it are refused from the first refresh that no longer
// lists it (within one TTL), and a token verified before that stays
// accepted until min(its exp + skew, its verification + TTL): about 60 s for
// Clerk's session tokens, which live 60 s. TestTokenCacheKeyRotation pins
// this.
//
// A token whose signature failed is remembered (by its SHA-256) for
// tokencache.DefaultNegativeTTL (30 s) and answered with the same error
// without another RSA operation.
//
// A hit is found by a keyed hash and confirmed by comparing the whole
// token with the verified one the entry keeps, so a tampered token never
// hits a genuine token's entry. The cache is bounded in bytes
// (WithTokenCacheBytes): each entry is charged its token, payload, claims
// and entry, kept in two allocations. It is per instance: two instances
// may trust different keys.
func (ck *Clerk) verify(ctx context.Context, token string) (*claims.Claims, error) {
	// Oversized tokens are refused by the verifier before any decoding; do
	// not spend a lookup on them either.
	if ck.tokens == nil || len(token) > verify.MaxTokenBytes {
		return ck.verifier.Verify(ctx, token)
	}
	now := ck.verifier.Now() // read once: the clock is a syscall on some VMs
	switch c, res := ck.tokens.Get(token, now); res {
	case tokencache.Hit:
		if err := ck.verifier.CheckClaimsAt(c, now); err != nil {
			return nil, err
		}
		return c, nil
	case tokencache.Negative:
		return nil, verify.ErrSignature
	}
	vt := new(verifiedToken)
	c := &vt.claims
	err := ck.verifier.VerifySignatureInto(ctx, token, c)
	// Read the clock again: a key fetch may have kept us waiting.
	now = ck.verifier.Now()
	if err != nil {
		// Only a failed RSA check is worth remembering: every other
		// failure is cheaper to find again than to cache, and some (key
		// fetch failures) are transient.
		if err == verify.ErrSignature {
			ck.tokens.PutNegative(token, now)
		}
		return nil, err
	}
	// Cached before the claim checks: a token that fails them now (not yet
	// valid, wrong azp) is re-checked on each hit without RSA, and one that
	// has expired is not stored at all. The key is the claims' own copy of
	// the token, which their size already counts.
	size := c.Size() + int(unsafe.Sizeof(vt.entry))
	ck.tokens.PutEntry(&vt.entry, c.Token, c, size, tokencache.ExpiryNanos(c.Expiry, ck.verifier.Config().Skew), now)
	if err := ck.verifier.CheckClaimsAt(c, now); err != nil {
		return nil, err
	}
	return c, nil
}

// verifiedToken is what a token's first sight allocates for the cache: its
// claims and the cache entry holding them, in one piece.
type verifiedToken struct {
	claims claims.Claims
	entry  tokencache.Entry[*claims.Claims]
}
